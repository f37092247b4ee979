"""No count from 1 to min_count - 1 in any published file of 2024-2026 (`published_counts`).

The scan reads every file outside `internal/` and the landing page; these tests show it finds a
small count planted in each kind of file, in sentences as well as tables, that its exemptions
are the narrow ones it lists, and then run it over the session's three sample years.
"""

from __future__ import annotations

import base64
import json
from datetime import date

import pandas as pd
import pytest
from weasyprint import HTML

from analysis.config import load_config
from analysis.disclosure import DisclosureRules, ProtectedTable
from analysis.findings import Findings
from analysis.paths import internal_dir
from analysis.publish import downloads
from analysis.publish.downloads import AREAS, Download, write_csv, write_spreadsheet
from conftest import YEARS
from published_counts import counts_in_sentence, published_small_counts, read_file

COUNTED = [
    "3 organisations did not agree to research use.",
    "One organisation declined research use (1).",
    "1 of 10 members left.",
    "Festivals were up 5, from 3 to 8.",
    "Consult: 3 consult now.",
    "Of the 150 that applied, 3 were left out for a missing statement.",
    "[c] responses were superseded and 4 could not be used.",
    "The 2 members from Wales answered.",
    "Two organisations did not agree, and one of the applicants withdrew.",
    "Wales (3) and Scotland (12).",
    "Members started 3 ventures and took 4 advocacy actions.",
]
NOT_COUNTED = [
    "To protect organisations, counts of fewer than 5 are shown as [c].",
    "Money totals need at least 3 contributors and pass NK(2, 80%).",
    "4% of applicants, a mean of 4.6 out of 5, £3 per head, a change of +2.",
    "See technical appendix 2, table 3 and quintile 1 (most deprived), page 2 of 9 (ask 1).",
    "Members come from 6 of the 12 regions and nations, and from all 4 nations.",
    "Rated from (1 not at all to 5 a lot); 1 = in proportion to population.",
    "Published on 3 March 2025 under OGL v3 and CC BY 4.0.",
    "At least 1 member from every nation and at most 2 per region.",
    "How the network's 6–12 members were chosen, up 2 from 2024.",
    "At most one organisation per parent body; withheld where fewer than three members contributed.",
    "In 2026, 9 members were active; 1 member left the network and 1 return is missing.",
    "Five statements, one step, three years.",
]


@pytest.mark.parametrize("sentence", COUNTED)
def test_a_small_count_in_a_sentence_is_found(sentence):
    assert [v for v, _ in counts_in_sentence(sentence) if 1 <= v < 5]


@pytest.mark.parametrize("sentence", NOT_COUNTED)
def test_exempt_numbers_in_sentences_are_not_counts(sentence):
    assert [v for v, _ in counts_in_sentence(sentence) if 1 <= v < 5] == []


def _svg(label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"><g id="text_1"><text x="1" y="2">{label}</text></g></svg>'
    )


def _table(value: int, caption: str) -> ProtectedTable:
    values = pd.DataFrame(
        {"Applicants": [float(value), 40.0]}, index=pd.Index(["Wales", "England"], name="Nation")
    )
    return ProtectedTable.derive(values, "safe", caption=caption, rule="A rule.")


def _plant(tmp_path):
    """A reports tree with one small count planted in each kind of published file."""
    root = tmp_path / "reports"
    year = root / "2024"
    (year / "data").mkdir(parents=True)
    (year / "selection").mkdir()
    (internal_dir(year)).mkdir()
    uri = "data:image/svg+xml;base64," + base64.b64encode(_svg("3").encode()).decode()
    pages = {
        "table.html": "<table><caption>Applicants by nation</caption>"
        "<tr><th>Nation</th><th>Applicants</th></tr>"
        "<tr><th>Wales</th><td>2</td></tr><tr><th>England</th><td>40</td></tr></table>",
        "sentence.html": "<p>The brief covers 12 regions; 3 organisations did not agree.</p>",
        "alt.html": '<img alt="Bar chart: Wales had 4 applicants." src="chart.png">',
        "chart.html": f'<img alt="Bar chart of applicants by nation." src="{uri}">',
        "inline-svg.html": f"<figure>{_svg('1')}</figure>",
        "note.html": "<table><caption>Mean score</caption><tr><th>Nation</th><th>Mean</th></tr>"
        "<tr><th>Wales</th><td>3.5</td></tr><tfoot><tr><td>Based on 2 answers.</td></tr></tfoot></table>",
    }
    for name, body in pages.items():
        (year / name).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    HTML(string="<p>Of 150 applicants, 4 organisations were left out.</p>").write_pdf(year / "brief.pdf")
    # A PDF printed from an HTML beside it: only what the PDF adds is judged here (its 2 comes
    # from the HTML's table, where the HTML scan judges it; its 3 and 1 are its own).
    twin = (
        "<table><caption>By nation</caption><tr><th>Nation</th><th>Festivals</th></tr>"
        "<tr><th>Wales</th><td>{}</td></tr></table>"
    )
    (year / "twin.html").write_text(twin.format(2), encoding="utf-8")
    HTML(string=twin.format(2) + "<p>Nation 3. Also, 1 organisation declined.</p>").write_pdf(
        year / "twin.pdf"
    )
    item = Download("geography", "by_nation", _table(3, "Applicants by nation"))
    write_csv(item.table, year / "data" / item.filename)
    write_spreadsheet(
        [Download("geography", "by_nation", _table(2, "Applicants by UK nation"))],
        year / "data" / "data-tables-2024.xlsx",
        year=2024,
        title="Test",
        release_date=date(2024, 6, 1),
        contact="Test: test@example.org",
        synthetic=True,
    )
    manifest = {"seed": 3, "panels": 1000, "pool": {"Northern Ireland": 4}, "files_sha256": {"a": "1"}}
    (year / "selection" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (year / "selection" / "README.md").write_text(
        "The pool held 2 applicants from Wales.\n", encoding="utf-8"
    )
    (internal_dir(year) / "run.log").write_text("3 rows rejected\n", encoding="utf-8")
    (internal_dir(year) / "quality.json").write_text(json.dumps({"rejected": 1}), encoding="utf-8")
    (root / "index.html").write_text("<p>Of them, 1 organisation declined.</p>", encoding="utf-8")
    return root


def test_the_scan_finds_a_planted_small_count_in_every_kind_of_file(tmp_path):
    root = _plant(tmp_path)
    found = published_small_counts(root, 2024, 5)
    by_file = {}
    for c in found:
        by_file.setdefault(c.file, []).append(c.value)
    assert by_file == {
        "2024/table.html": [2],
        "2024/sentence.html": [3],
        "2024/alt.html": [4],
        "2024/chart.html": [3],
        "2024/inline-svg.html": [1],
        "2024/note.html": [2],
        "2024/brief.pdf": [4],
        "2024/twin.html": [2],
        "2024/twin.pdf": [3, 1],
        "2024/data/geography-by-nation.csv": [3],
        "2024/data/data-tables-2024.xlsx": [2],
        "2024/selection/manifest.json": [4],
        "2024/selection/README.md": [2],
        "index.html": [1],
    }


def test_a_file_the_scan_cannot_read_is_an_error_not_a_pass(tmp_path):
    odd = tmp_path / "2024" / "chart.png"
    odd.parent.mkdir()
    odd.write_bytes(b"\x89PNG")
    with pytest.raises(ValueError, match="cannot read"):
        read_file(odd)


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_no_small_count_is_published(runs, year):
    root, summaries = runs
    year_dir = summaries[year].reports_dir
    min_count = DisclosureRules.from_config(load_config(year)).min_count
    findings = [Findings.load(internal_dir(year_dir) / "findings", area) for area in AREAS]
    tables = {  # every download: named tables and the data behind each chart
        d.filename: (d.table.caption, d.table.display.index.nlevels)
        for d in downloads.published_tables(findings)
    }
    found = published_small_counts(root / "reports", year, min_count, tables)
    assert not found, f"{len(found)} small counts published:\n" + "\n".join(map(str, found))
