"""Each year's outputs as one connected publication: links, SVG charts, downloads, and the same
bytes on any day. Uses the session's pipeline runs of 2024-2026 (tests/conftest.py)."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.config import load_config
from analysis.documents import year_documents
from analysis.publish import downloads
from conftest import YEARS
from layout_checks import half_empty_pages, small_text, stranded_headings
from link_checks import allowed_external, html_link_problems, pdf_link_problems, pdf_links
from phone_checks import phone_problems, screen_problems

pytestmark = pytest.mark.slow


def _year_pages(reports_dir, year):
    return [reports_dir / f"{d.stem}.html" for d in year_documents(year)]


def test_every_link_in_every_page_and_pdf_resolves(runs):
    root, summaries = runs
    problems = html_link_problems(root / "reports" / "index.html")
    for year in YEARS:
        allowed = allowed_external(load_config(year))
        folder = summaries[year].reports_dir
        for page in [folder / "index.html", *_year_pages(folder, year)]:
            problems += html_link_problems(page, allowed)
        for pdf in folder.glob("*.pdf"):
            problems += pdf_link_problems(pdf, allowed)
    assert problems == []


@pytest.mark.parametrize("year", YEARS)
def test_documents_link_to_each_other_and_to_the_landing_page(runs, year):
    _, summaries = runs
    folder = summaries[year].reports_dir
    docs = year_documents(year)
    for doc in docs:
        soup = BeautifulSoup((folder / f"{doc.stem}.html").read_text(encoding="utf-8"), "html.parser")
        nav = soup.select_one("nav.publication-nav")
        assert nav is not None, doc.stem
        hrefs = {a["href"] for a in nav.find_all("a")}
        others = {f"{d.stem}.{ext}" for d in docs if d.stem != doc.stem for ext in ("html", "pdf")}
        assert hrefs == others | {"index.html"}, doc.stem
        pdf = set(pdf_links(folder / f"{doc.stem}.pdf"))
        assert {f"{d.stem}.pdf" for d in docs if d.stem != doc.stem} <= pdf, doc.stem  # PDFs link PDFs
        assert "index.html" in pdf
    landing = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in landing.find_all("a")}
    assert {f"{d.stem}.html" for d in docs} <= links and "../index.html" in links
    address = load_config(year).section("brief")["contact_address"]
    assert address in links, "the landing page's contact has an address"


def test_reports_index_lists_every_year(runs):
    root, _ = runs
    html = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="(\d{4})/index.html"', html)) == {str(y) for y in YEARS}


@pytest.mark.parametrize("year", YEARS)
def test_charts_are_svg_with_text_and_downloads_are_present(runs, year):
    _, summaries = runs
    folder = summaries[year].reports_dir
    charts = 0
    for page in _year_pages(folder, year):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("figure.chart img"):
            assert img["src"].startswith("data:image/svg+xml;base64,"), page.name
            svg = base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8")
            assert "<text" in svg and "<dc:date>" not in svg, page.name
            charts += 1
        assert "data:image/png" not in page.read_text(encoding="utf-8"), page.name
    assert charts >= 3
    tables = downloads.published_tables(downloads.load_findings(paths.internal_dir(folder) / "findings"))
    assert tables and all((folder / "data" / t.filename).is_file() for t in tables)
    assert (folder / "data" / downloads.spreadsheet_name(year)).is_file()


@pytest.mark.skipif(
    shutil.which("faketime") is None and not os.environ.get("CI"),
    reason="needs faketime (Debian package faketime; scripts/setup.sh installs it, and CI fails without it)",
)
def test_a_run_on_another_day_publishes_byte_identical_html(runs, tmp_path):
    """libfaketime moves every clock of the run and its notebook kernels to 2031; the HTML must not
    move (dates come from [publication] settings, never the clock)."""
    root, summaries = runs
    env = dict(
        os.environ, CIP_RESTRICTED_DIR=str(tmp_path / "restricted")
    )  # every clock moves, monotonic too
    env["PYTHONPATH"] = os.pathsep.join([str(paths.ROOT / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        ["faketime", "2031-03-03 12:00:00", sys.executable, "-m", "analysis.cli", "run", "--year", "2024",
         "--reports", str(tmp_path / "reports"), "--processed", str(tmp_path / "processed")],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    noisy = [  # kernels' and libraries' messages go to internal/run.log, not the console
        line
        for line in (done.stdout + done.stderr).splitlines()
        if ("ERROR" in line or "WARNING" in line)
        and not line.startswith(("WARNING analysis.", "ERROR analysis."))
    ]
    assert not noisy, noisy[:5]
    assert "2031" in (tmp_path / "reports" / "2024" / "internal" / "run-manifest.json").read_text(), (
        "the clock moved"
    )
    then = summaries[2024].reports_dir
    for page in ["index.html", *(p.name for p in _year_pages(then, 2024))]:
        assert (tmp_path / "reports" / "2024" / page).read_bytes() == (then / page).read_bytes(), page
    released = load_config(2024).section("publication")["release_date"]
    brief = (tmp_path / "reports" / "2024" / "policy-brief-2024.html").read_text(encoding="utf-8")
    assert f"Published {released.day} {released:%B %Y}" in brief and "2031" not in brief


def test_no_half_empty_page_no_heading_stranded_at_a_page_foot_and_no_text_under_7pt(runs):
    _, summaries = runs
    problems = []
    for year in YEARS:
        for page in _year_pages(summaries[year].reports_dir, year):
            pdf = page.with_suffix(".pdf")
            problems += half_empty_pages(pdf) + stranded_headings(pdf, page) + small_text(pdf)
    assert problems == []


def _pages_for_the_browser(runs) -> list:
    """Every year's HTML documents, or a skip when Chromium (with axe) is not installed."""
    from publish_checks import axe_unavailable

    if axe_unavailable():
        pytest.skip(axe_unavailable())
    _, summaries = runs
    return [p for year in YEARS for p in _year_pages(summaries[year].reports_dir, year)]


def test_on_a_phone_no_page_scrolls_sideways_and_every_table_caption_is_in_view(runs):
    assert phone_problems(_pages_for_the_browser(runs)) == []


def test_on_a_wide_screen_no_chart_is_squeezed_beside_its_table(runs):
    """Beside its table a chart had half the column: the brief's map labels showed at 7 to 9 px."""
    assert screen_problems(_pages_for_the_browser(runs)) == []
