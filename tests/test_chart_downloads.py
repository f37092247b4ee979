"""The data behind every chart is downloadable: as CSV and in the year's gptables spreadsheet."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.disclosure import ProtectedTable
from analysis.findings import Figure, Findings
from analysis.publish import downloads

AREAS = ("geography", "readiness", "selection", "outcomes")


def _table(caption: str, n: float = 12.0) -> ProtectedTable:
    values = pd.DataFrame({"Applicants": [n, 30.0]}, index=pd.Index(["London", "Wales"], name="Region"))
    return ProtectedTable.derive(values, "safe", caption=caption, rule="Counts under 5 are withheld.")


def _figure(key: str, table: ProtectedTable) -> Figure:
    return Figure(
        key=key,
        title="T",
        subtitle="S",
        alt="Bar chart. T.",
        source="Source: test",
        svg="<svg/>",
        table=table,
    )


@pytest.fixture()
def findings_dir(tmp_path) -> Path:
    folder = tmp_path / "findings"
    for area in AREAS:
        named = _table(f"{area} by region")
        Findings(
            area=area,
            heading=area,
            tables={"by_region": named},
            figures=[_figure("same", named), _figure("own", _table(f"{area} chart data", 14.0))],
        ).save(folder)
    return folder


def test_a_chart_whose_table_is_not_a_named_table_gets_its_own_download(findings_dir, tmp_path):
    items = downloads.published_tables(downloads.load_findings(findings_dir))
    names = [(i.area, i.name) for i in items]
    # The chart that shows a named table adds nothing; the other chart's data is added once.
    assert names == [(a, n) for a in AREAS for n in ("by_region", "chart-own")]
    written = downloads.build_downloads(
        findings_dir,
        tmp_path / "data",
        year=2024,
        title="Data tables 2024",
        release_date=date(2024, 12, 5),
        contact="The research team",
        synthetic=True,
    )
    with (tmp_path / "data" / "outcomes-chart-own.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["Region", "Applicants"], ["London", "14"], ["Wales", "30"]]
    wb = openpyxl.load_workbook(written[-1])
    assert len(wb.sheetnames) == 3 + len(items)


def _html_table_rows(table) -> list[list[str]]:
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [[c.removeprefix("'") for c in row] for row in csv.reader(fh)]


def _columns(rows: list[list[str]], header: list[str]) -> list[list[str]] | None:
    """The CSV rows cut to the row label and the columns a compact table prints, by heading."""
    if not rows or not set(header[1:]) <= set(rows[0]):
        return None
    keep = [0, *(rows[0].index(h) for h in header[1:])]
    return [[row[i] for i in keep] for row in rows]


def _as_printed(rows: list[list[str]], width: int) -> list[list[str]]:
    """CSV rows with their label columns joined as the HTML prints a row header ("A – B")."""
    if not rows or len(rows[0]) < width:
        return rows
    k = len(rows[0]) - width + 1
    return [[" – ".join(c for c in row[:k] if c), *row[k:]] for row in rows]


def _sheet_titles(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [str(next(wb[name].iter_rows(values_only=True))[0]) for name in wb.sheetnames[3:]]


@pytest.mark.slow
def test_every_chart_in_every_document_has_its_data_in_the_downloads(runs):
    """Each <figure> chart of the brief and the appendices is followed by its data table; that
    table, cell for cell, is one of the year's CSVs and a sheet of its spreadsheet."""
    root, summaries = runs
    for year, summary in summaries.items():
        year_dir = summary.reports_dir
        csvs = {p.name: _csv_rows(p) for p in sorted((year_dir / "data").glob("*.csv"))}
        titles = _sheet_titles(year_dir / "data" / downloads.spreadsheet_name(year))
        charts = 0
        for page in sorted(year_dir.glob("*.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for figure in soup.find_all("figure", class_="chart"):
                charts += 1
                table = figure.find_next("table")
                caption = " ".join(table.find("caption").get_text(" ").split())
                rows = _html_table_rows(table)
                compact = "(the full table" in caption  # the brief's columns of a table published whole
                matches = [
                    name
                    for name, got in csvs.items()
                    if (_columns(got, rows[0]) if compact else _as_printed(got, len(rows[0]))) == rows
                ]
                assert matches, f"{year} {page.name} {figure.get('id')}: no CSV holds {caption!r}"
                if not compact:
                    assert any(caption in " ".join(t.split()) for t in titles), (year, page.name, caption)
        assert charts, f"{year}: no chart found"


def test_figures_that_share_a_table_show_it_once_after_the_last(monkeypatch):
    from analysis.publish import display

    shown: list[str] = []
    monkeypatch.setattr(
        display,
        "_display",
        lambda data, metadata=None: shown.append((metadata or {}).get(display.META, {}).get("role")),
    )
    shared, own = _table("Rates with intervals"), _table("Other", 14.0)
    findings = Findings(
        "geography",
        "G",
        figures=[_figure("map", shared), _figure("dots", shared), _figure("bars", own)],
    )
    display.show_findings(findings)
    charts_and_tables = [r for r in shown if r in ("figure", "table")]
    assert charts_and_tables == ["figure", "figure", "table", "figure", "table"]
