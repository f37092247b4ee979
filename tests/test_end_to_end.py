"""The whole pipeline for 2024, 2025 and 2026 on the synthetic sample, into a temporary folder.

One run per year is shared by every test here (it takes about a minute a year); the tests then
check what a reader and an auditor would check.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.disclosure.policy import symbol_line
from analysis.pipeline import PipelineError, run_year
from conftest import YEARS

STEMS = [
    "appendix-1-applicant-geography",
    "appendix-2-organisational-readiness",
    "appendix-3-selection",
    "appendix-4-member-outcomes",
]
BANNER = "SYNTHETIC SAMPLE DATA"

pytestmark = pytest.mark.slow


def _outputs(summary):
    stems = STEMS + [f"policy-brief-{summary.year}"]
    return [summary.reports_dir / f"{s}.{ext}" for s in stems for ext in ("html", "pdf")]


@pytest.mark.parametrize("year", YEARS)
def test_brief_and_appendices_exist(runs, year):
    _, summaries = runs
    for path in _outputs(summaries[year]):
        assert path.exists() and path.stat().st_size > 1000, path
    manifest = json.loads((summaries[year].reports_dir / "internal" / "run-manifest.json").read_text())
    assert manifest["synthetic"] is True and len(manifest["config_sha256"]) == 64
    log = (summaries[year].reports_dir / "internal" / "run.log").read_text()
    assert log.startswith("Resolved settings") and '"panel_size"' in log
    assert manifest["inputs_sha256"] and manifest["packages"]["pandas"]
    assert f"policy-brief-{year}.pdf" in manifest["outputs_sha256"]


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("year", YEARS)
def test_every_page_says_the_data_are_synthetic(runs, year):
    _, summaries = runs
    for path in _outputs(summaries[year]):
        if path.suffix == ".pdf":
            pages = _pdf_pages(path)
            missing = [i + 1 for i, page in enumerate(pages) if BANNER not in page]
            assert not missing, f"{path.name}: pages {missing} lack the synthetic banner"
        else:
            assert BANNER in path.read_text()


@pytest.mark.parametrize("year", YEARS)
def test_policy_brief_is_four_to_six_pages(runs, year):
    _, summaries = runs
    pages = _pdf_pages(summaries[year].reports_dir / f"policy-brief-{year}.pdf")
    assert 4 <= len(pages) <= 6, f"the {year} brief has {len(pages)} pages"


def _invented_people() -> set[str]:
    names = set()
    for csv in paths.SAMPLE_RAW_DIR.rglob("*.csv"):
        frame = pd.read_csv(csv, dtype=str, encoding="utf-8-sig")
        for col in ("Your name", "Attendee name"):
            if col in frame:
                names |= set(frame[col].dropna())
    return {n for n in names if len(n) > 4}


PERSONAL = {
    # The lookbehind starts a match only where a run of address characters starts: without it a long
    # run with no "@" (an embedded SVG chart in base64) is rescanned from every position, in time
    # quadratic in its length.
    "email": re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+\.[\w.]+"),
    "phone": re.compile(r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b"),
    "full postcode": re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"),
}
ALLOWED_EMAILS: set[str] = set()


def _texts(folder: Path):
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            yield path, "\n".join(_pdf_pages(path))
        elif path.suffix in {".html", ".json", ".csv", ".md", ".txt", ".ipynb"}:
            yield path, path.read_text(errors="ignore")
        elif path.suffix == ".parquet":
            yield path, pd.read_parquet(path).astype(str).to_csv()


def test_no_personal_data_in_processed_or_reports(runs):
    root, _ = runs
    people = _invented_people()
    assert len(people) >= 50, "the sample's invented names should be found for this scan"
    for folder in (root / "processed", root / "reports"):
        for path, text in _texts(folder):
            for label, pattern in PERSONAL.items():
                hits = set(pattern.findall(text)) - ALLOWED_EMAILS
                # Base64 images and hashes can contain postcode-like runs; only scan readable text.
                if label == "full postcode" and path.suffix in {".json", ".ipynb", ".html"}:
                    hits = {h for h in hits if re.search(rf"[\s>\"',(]{re.escape(h)}[\s<\"',.)]", text)}
                assert not hits, f"{path.name} holds what looks like a {label}: {sorted(hits)[:3]}"
            found = [p for p in people if p in text]
            assert not found, f"{path.name} names invented people: {found[:3]}"


@pytest.mark.parametrize("year", YEARS)
def test_every_row_is_accounted_for(runs, year):
    _, summaries = runs
    for name, table in summaries[year].quality["tables"].items():
        assert table["received"] == table["kept"] + table["superseded"] + table["rejected"], name
        assert all(r["reason"] for r in table["rejections"])


def test_verify_selection_confirms_the_2024_draw(runs, capsys):
    root, _ = runs
    code = main(
        [
            "verify-selection",
            "--year",
            "2024",
            "--reports",
            str(root / "reports"),
            "--processed",
            str(root / "processed"),
        ]
    )
    assert code == 0, capsys.readouterr().out
    assert "identical" in capsys.readouterr().out


def test_failed_run_keeps_the_last_good_reports(runs, tmp_path):
    """A notebook failing mid-run (here: quotas no panel can meet) must not touch reports/2024/."""
    root, summaries = runs
    reports = tmp_path / "reports"  # a copy: other workers read the session's folders meanwhile
    shutil.copytree(root / "reports", reports)
    brief = reports / "2024" / "policy-brief-2024.pdf"
    before = brief.read_bytes()
    year_file = paths.CONFIG_DIR / "2024.toml"
    impossible = tmp_path / "2024-impossible.toml"
    impossible.write_text(
        f'defaults = "{paths.CONFIG_DIR / "defaults.toml"}"\n'
        + year_file.read_text()
        + "\n[selection]\nmin_per_nation = 6\n"
    )
    with pytest.raises(PipelineError, match="03_selection") as info:
        run_year(
            2024,
            config_path=impossible,
            reports_root=reports,
            processed_root=tmp_path / "processed",
            progress=lambda _: None,
        )
    assert "unchanged" in str(info.value)
    assert brief.read_bytes() == before


def test_cli_failure_is_short_and_plain(tmp_path, capsys):
    code = main(["run", "--year", "2024", "--raw", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code == 1
    assert "these input files are missing" in err and "Traceback" not in err


def _published(runs):
    _, summaries = runs
    return [p for y in YEARS for p in _outputs(summaries[y])]


def test_every_html_passes_the_house_checks(runs):
    from publish_checks import check_html

    problems = {p.name: check_html(p, synthetic=True) for p in _published(runs) if p.suffix == ".html"}
    assert not {k: v for k, v in problems.items() if v}


def test_every_pdf_is_tagged_and_complete(runs):
    from publish_checks import check_pdf

    problems = {}
    for p in _published(runs):
        if p.suffix == ".pdf":
            limit = 6 if p.name.startswith("policy-brief") else None
            problems[p.name] = check_pdf(p, max_pages=limit)
    assert not {k: v for k, v in problems.items() if v}


def test_every_html_has_no_wcag_violations(runs):
    from publish_checks import axe_unavailable, axe_violations_of

    reason = axe_unavailable()
    if reason:
        pytest.fail(f"axe-core cannot run, but CI installs it: {reason}")
    pages = [p for p in _published(runs) if p.suffix == ".html"]
    found = {p.name: [v["id"] for v in violations] for p, violations in axe_violations_of(pages).items()}
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("year", YEARS)
def test_policy_brief_carries_what_officials_need(runs, year):
    from bs4 import BeautifulSoup

    _, summaries = runs
    soup = BeautifulSoup(
        (summaries[year].reports_dir / f"policy-brief-{year}.html").read_text(), "html.parser"
    )
    text = soup.get_text(" ")
    box = soup.select_one(".key-messages")
    assert box is not None
    messages = box.find_all("li")
    assert 3 <= len(messages) <= 5 and all(re.search(r"\d", m.get_text()) for m in messages)
    for term in ("citizens' assembly", "participatory budgeting", "IAP2 spectrum"):
        assert term in text, f"{term} is not explained in the {year} brief"
    asks = soup.select(".asks li")
    assert len(asks) >= 3 and all(re.search(r"\d", a.get_text()) for a in asks)
    assert all("Scale:" in a.get_text() and "Evidence:" in a.get_text() for a in asks)
    assert str(soup).index('class="asks"') < str(soup).index(">About this brief<"), (
        "asks come before the sections"
    )
    page_one = subprocess.run(
        [
            "pdftotext",
            "-f",
            "1",
            "-l",
            "1",
            str(summaries[year].reports_dir / f"policy-brief-{year}.pdf"),
            "-",
        ],
        capture_output=True,
        text=True,
    ).stdout
    assert "What we ask" in page_one and "Evidence:" in page_one, "the asks are not on page 1"
    # Letters and digits only: lines break after hyphens, and pdftotext drops some hyphens.
    on_page_one = re.sub(r"[^0-9A-Za-z]", "", page_one)
    for number, ask in enumerate(asks, start=1):  # the whole box: each ask's last words too
        words = re.sub(r"[^0-9A-Za-z]", "", ask.get_text())
        assert words[-30:] in on_page_one, f"ask {number} of the {year} brief does not end on page 1"
    assert "sha256" not in text.lower(), "hashes belong in the appendices, not the brief"
    assert not re.search(r"\bnash\b", text, re.I), "an algorithm name in the brief"
    assert (
        "organisations applied; the" in text
        and text.count("UK-based organisations that agreed to research use") >= 2
    )
    prose = " ".join(p.get_text() for p in soup.find_all("p") if not p.find_parent("table"))
    if "[c]" in prose:  # a hidden value reads [c] in sentences as in tables, explained in the document
        assert symbol_line("[c]") in " ".join(text.split()), "a withheld number's [c] is not explained"
    if year > 2024:
        assert re.search(r"since (the )?2024", text), f"the {year} brief does not report change since 2024"
