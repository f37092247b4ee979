"""Data downloads (CSV and the gptables spreadsheet) and the landing pages that connect a year."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.config import load_config
from analysis.disclosure import ProtectedTable
from analysis.findings import Findings
from analysis.publish import downloads, site
from link_checks import allowed_external, html_link_problems
from publish_checks import check_html

AREAS = ("geography", "readiness", "selection", "outcomes")


def _table(caption: str) -> ProtectedTable:
    values = pd.DataFrame(
        {"Applicants": [12, -3, 4, 1500], "Share": [0.5, 0.2, 0.1, 0.2]},
        index=pd.Index(["London", "=SUM(A1)", "North East", "+Wales"], name="Region"),
    )
    status = pd.DataFrame("safe", index=values.index, columns=values.columns)
    status.iloc[2, 0] = "primary"
    status.iloc[2, 1] = "secondary"
    status.iloc[1, 1] = "z"
    values.iloc[2, :] = float("nan")
    return ProtectedTable.derive(
        values,
        status,
        caption=caption,
        rule="Counts under 5 are withheld.",
        column_kinds={"Share": "share"},
    )


@pytest.fixture()
def findings_dir(tmp_path) -> Path:
    folder = tmp_path / "findings"
    for area in AREAS:
        Findings(
            area=area,
            heading=f"{area} heading",
            key_messages=[f"The first {area} message.", f"A second {area} message."],
            tables={
                "by_region": _table(f"{area.capitalize()} applicants by region"),
                "extra": _table("Extra"),
            },
        ).save(folder)
    return folder


def _build(findings_dir: Path, out: Path, synthetic: bool = True) -> list[Path]:
    return downloads.build_downloads(
        findings_dir,
        out,
        year=2024,
        title="Data tables 2024",
        release_date=date(2024, 12, 5),
        contact="The research team: write via the contact page.",
        synthetic=synthetic,
    )


def test_safe_cell_neutralises_formula_text_but_not_numbers():
    assert downloads.safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert downloads.safe_cell("@cmd") == "'@cmd"
    assert downloads.safe_cell("+Wales") == "'+Wales"
    assert downloads.safe_cell("\tx") == "'\tx"
    for number in ("-3", "+2", "-£1,200", "-4.5", "12%", "1,500", "[c]"):
        assert downloads.safe_cell(number) == number


def test_a_csv_per_table_with_the_published_strings(findings_dir, tmp_path):
    written = _build(findings_dir, tmp_path / "data")
    csvs = sorted(p.name for p in written if p.suffix == ".csv")
    assert csvs == sorted(f"{a}-{n}.csv" for a in AREAS for n in ("by-region", "extra"))
    with (tmp_path / "data" / "geography-by-region.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Region", "Applicants", "Share"]
    assert rows[1] == ["London", "12", "50%"]
    assert rows[2] == ["'=SUM(A1)", "-3", "[z]"]  # text neutralised, the number left a number
    assert rows[3] == ["North East", "[c]", "[c]"]
    assert rows[4] == ["'+Wales", "1,500", "20%"]


def test_spreadsheet_has_cover_contents_notes_and_one_table_per_sheet(findings_dir, tmp_path):
    _build(findings_dir, tmp_path / "data")
    wb = openpyxl.load_workbook(tmp_path / "data" / downloads.spreadsheet_name(2024))
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert len(wb.sheetnames) == 3 + 2 * len(AREAS)
    cover = "\n".join(str(c) for row in wb["Cover"].iter_rows(values_only=True) for c in row if c)
    assert "SYNTHETIC SAMPLE DATA" in cover
    assert "Released 5 December 2024" in cover
    assert "Counts under 5 are withheld." in cover
    assert "The research team" in cover
    notes = "\n".join(str(c) for row in wb["Notes"].iter_rows(values_only=True) for c in row if c)
    for symbol in ("[c]", "[x]", "[z]"):
        assert f"{symbol}: " in notes
    rows = list(wb["Table_1"].iter_rows(values_only=True))
    assert rows[0][0].startswith("Table 1: Geography applicants by region [note")
    data = rows[[r[0] for r in rows].index("Region") + 1 :]
    assert data[0] == ("London", 12, "50%")
    assert data[1] == ("=SUM(A1)", -3, "[z]")  # stored as text, never a formula
    assert wb["Table_1"]["A1"].data_type != "f"
    assert data[2] == ("North East", "[c]", "[c]")
    assert data[3] == ("+Wales", 1500, "20%")


def test_spreadsheet_bytes_do_not_depend_on_the_day(findings_dir, tmp_path):
    first = _build(findings_dir, tmp_path / "a")[-1].read_bytes()
    second = _build(findings_dir, tmp_path / "b")[-1].read_bytes()
    assert first == second
    real = _build(findings_dir, tmp_path / "c", synthetic=False)[-1].read_bytes()
    assert real != first  # the synthetic warning is part of the cover


def test_missing_findings_named(tmp_path):
    with pytest.raises(downloads.DownloadError, match="geography, readiness, selection, outcomes"):
        downloads.load_findings(tmp_path)


def _publish_fake_documents(reports_dir: Path, year: int) -> None:
    reports_dir.mkdir(parents=True, exist_ok=True)
    stems = [f"policy-brief-{year}", "appendix-2-readiness", "appendix-10-later", "appendix-1-geography"]
    for stem in stems:
        (reports_dir / f"{stem}.html").write_text(f"<title>Doc {stem} – {year}</title>", encoding="utf-8")
        (reports_dir / f"{stem}.pdf").write_bytes(b"%PDF-1.7")


def broken_links(page: Path) -> list[str]:
    """Every link on `page` that does not resolve to a file beside it or to an allowed address."""
    return html_link_problems(page, allowed_external(load_config(2024)))


def test_landing_pages_link_everything_and_resolve(findings_dir, tmp_path):
    root = tmp_path / "reports"
    config = load_config(2024)
    _publish_fake_documents(root / "2024", 2024)
    written = site.build_year_site(root / "2024", 2024, config, findings_dir, synthetic=True)
    page = root / "2024" / "index.html"
    assert page in written
    assert site.build_index(root) == root / "index.html"
    for p in (page, root / "index.html"):
        assert broken_links(p) == []
        assert check_html(p, synthetic=True) == []
    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    for name in ("policy-brief-2024", "appendix-1-geography", "appendix-2-readiness", "appendix-10-later"):
        assert f"{name}.html" in hrefs and f"{name}.pdf" in hrefs
    assert hrefs.index("appendix-2-readiness.html") < hrefs.index("appendix-10-later.html")  # by number
    assert f"data/{downloads.spreadsheet_name(2024)}" in hrefs
    assert sum(h.endswith(".csv") for h in hrefs) == 2 * len(AREAS)
    released = config.section("publication")["release_date"]
    assert f"Published {released.day} {released:%B %Y}" in soup.get_text()
    assert config.section("publication")["next_update"] in soup.get_text()
    summary = [li.get_text() for li in soup.select(".key-messages li")]
    assert summary == [f"The first {a} message." for a in AREAS]
    assert config.section("brief")["contact"] in soup.get_text()
    assert config.section("brief")["contact_address"] in hrefs  # the contact has an address
    assert "[c]" in soup.get_text() and "Confidential" in soup.get_text()
    assert f"published {released.day} {released:%B %Y}" in (root / "index.html").read_text(encoding="utf-8")


def test_landing_page_summarises_the_briefs_page_1_and_keeps_its_css_intact(findings_dir, tmp_path):
    root = tmp_path / "reports"
    _publish_fake_documents(root / "2026", 2026)
    (root / "2026" / "policy-brief-2026.html").write_text(
        "<title>Brief – 2026</title><section class='key-messages'><h2>What the evidence shows</h2>"
        "<ul><li>Over three years members started 43 ventures.</li><li>Ventures were up 7.</li></ul></section>",
        encoding="utf-8",
    )
    site.build_year_site(root / "2026", 2026, load_config(2026), findings_dir, synthetic=True)
    html = (root / "2026" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # The summary is what the brief leads with, not each area's first (callout) message.
    assert [li.get_text() for li in soup.select(".key-messages li")] == [
        "Over three years members started 43 ventures.",
        "Ventures were up 7.",
    ]
    # The house CSS is not HTML-escaped inside <style> (quoted font names would be dropped: serif).
    style = soup.find("style").string
    assert '"Liberation Sans"' in style and "&#34;" not in style


def test_index_lists_every_year_newest_first(findings_dir, tmp_path):
    root = tmp_path / "reports"
    for year in (2024, 2025):
        _publish_fake_documents(root / str(year), year)
        site.build_year_site(root / str(year), year, load_config(year), findings_dir, synthetic=False)
    (root / "interactive").mkdir()
    html = site.build_index(root).read_text(encoding="utf-8")
    assert re.findall(r'href="(\d{4})/index.html"', html) == ["2025", "2024"]
    assert "SYNTHETIC" not in html


def test_landing_page_needs_the_brief(findings_dir, tmp_path):
    with pytest.raises(site.SiteError, match="policy-brief-2024.html"):
        site.build_year_site(tmp_path, 2024, load_config(2024), findings_dir, synthetic=True)


@pytest.mark.slow
def test_a_year_run_becomes_a_connected_publication(runs, tmp_path):
    """The session's 2024 run, copied so that rebuilding its site cannot touch what other tests read."""
    _, summaries = runs
    summary = summaries[2024]
    root = tmp_path / "reports"
    year_dir = root / "2024"
    shutil.copytree(summary.reports_dir, year_dir)
    written = site.build_year_site(
        year_dir, 2024, load_config(2024), year_dir / "internal" / "findings", synthetic=summary.synthetic
    )
    site.build_index(root)
    for page in (year_dir / "index.html", root / "index.html"):
        assert broken_links(page) == []
        assert check_html(page, synthetic=True) == []
    tables = downloads.published_tables(downloads.load_findings(year_dir / "internal" / "findings"))
    assert tables
    for item in tables:
        assert (year_dir / "data" / item.filename).is_file()
    assert len({item.filename for item in tables}) == len(tables)
    wb = openpyxl.load_workbook(year_dir / "data" / downloads.spreadsheet_name(2024))
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert len(wb.sheetnames) == 3 + len(tables)
    assert set(written) >= {year_dir / "index.html", year_dir / "data" / downloads.spreadsheet_name(2024)}
