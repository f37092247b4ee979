"""Data downloads for one year: every published table as CSV and in one accessible spreadsheet.

ONS and GSS guidance says readers must be able to get the data behind every chart and table.
The downloads carry exactly what the documents print (the protected display strings, so "[c]"
stays "[c]"; the same row labels and headers), read from the findings each analysis saved, and
the data behind every chart. The spreadsheet follows the GSS "Releasing statistics in
spreadsheets" guidance through gptables: a cover sheet, a contents sheet, a notes sheet
explaining every symbol used, and one table per sheet.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import gptables as gpt
import pandas as pd

from analysis.disclosure import ProtectedTable
from analysis.disclosure.cells import label_text
from analysis.disclosure.policy import GSS_SYMBOLS
from analysis.findings import Findings
from analysis.publish.display import _header, _readable_index
from analysis.text import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED

AREAS = ("geography", "readiness", "selection", "outcomes")
DATA_DIR = "data"

# What each GSS symbol means, for the notes sheet and the landing page (worded once, in policy).
SYMBOLS = GSS_SYMBOLS

# A number as the documents print it: 1,234 / -3 / +2 / 4.5 / 12% / £1,200 / -£1,200.
_NUMERIC = re.compile(r"^[+\-\u2212]?£?\d[\d,]*(\.\d+)?%?$")
_PLAIN_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")
# A cell a spreadsheet program could run as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class DownloadError(ValueError):
    """The findings needed for the downloads are missing or unreadable."""


@dataclass(frozen=True)
class Download:
    """One published table and where its CSV goes."""

    area: str
    name: str
    table: ProtectedTable

    @property
    def filename(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.area}-{self.name}".lower()).strip("-")
        return f"{slug}.csv"


def safe_cell(text: str) -> str:
    """`text` unchanged unless it is text a spreadsheet would run as a formula; then a leading
    apostrophe keeps it text. Numbers as published ("-3", "+2", "-£1,200") stay as they are."""
    text = str(text)
    if text.startswith(_FORMULA_START) and not _NUMERIC.match(text):
        return "'" + text
    return text


def load_findings(findings_dir: Path) -> list[Findings]:
    """Every area's saved findings, in publication order; a clear message when one is missing."""
    findings_dir = Path(findings_dir)
    missing = [a for a in AREAS if not (findings_dir / f"{a}.json").exists()]
    if missing:
        raise DownloadError(
            f"no saved findings for {', '.join(missing)} in {findings_dir}: "
            "run the analysis notebooks for the year first"
        )
    return [Findings.load(findings_dir, area) for area in AREAS]


def published_tables(findings: list[Findings]) -> list[Download]:
    """Every table the areas published, area by area: the named tables in the order their appendices
    show them, then the data behind each chart that is not already one of them (a chart's table
    is printed beside it, so readers can get the data behind every chart)."""
    out = []
    for f in findings:
        named = [Download(f.area, name, table) for name, table in f.tables.items()]
        shown = [d.table for d in named]
        for fig in f.figures:
            if not any(fig.table.equals(t) for t in shown):
                named.append(Download(f.area, f"chart-{fig.key}", fig.table))
                shown.append(fig.table)
        out += named
    return out


def _label_columns(table: ProtectedTable) -> list[str]:
    names = list(_readable_index(table.display).index.names)
    if all(n is None for n in names):
        return ["Category"] if len(names) == 1 else [f"Category {i + 1}" for i in range(len(names))]
    return [_header(n) if n is not None else f"Category {i + 1}" for i, n in enumerate(names)]


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def table_frame(table: ProtectedTable) -> pd.DataFrame:
    """The table as the documents print it (region names, not codes; headers as readers see them),
    row labels as ordinary columns first, headers flattened to text."""
    labels = _label_columns(table)
    shown = _readable_index(table.display)
    rows = []
    for label, cells in zip(shown.index, shown.to_numpy()):
        parts = list(label) if isinstance(label, tuple) else [label]
        rows.append([label_text(p) for p in parts] + [str(c) for c in cells])
    headers = _unique(labels + [_header(c) for c in shown.columns])
    return pd.DataFrame(rows, columns=headers, dtype=object)


def write_csv(table: ProtectedTable, path: Path) -> Path:
    """One table as UTF-8 CSV: its published strings, formula-like text neutralised."""
    frame = table_frame(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([safe_cell(h) for h in frame.columns])
        for row in frame.itertuples(index=False):
            writer.writerow([safe_cell(c) for c in row])
    return path


def symbols_used(tables: list[ProtectedTable]) -> list[str]:
    """The GSS symbols that appear in any of the tables, in the order SYMBOLS lists them."""
    cells = {c for t in tables for c in t.display.to_numpy().ravel()}
    return [s for s in SYMBOLS if s in cells]


def _sheet_cell(text: str):
    """A plain published number becomes a number (so a reader can sum it); anything else
    (symbols, percentages, money, words) stays the text the documents print."""
    if _PLAIN_NUMBER.match(text):
        number = float(text.replace(",", ""))
        return int(number) if number.is_integer() and "." not in text else number
    return text


_NOTE_REF = {SUPPRESSED: "symbol_c", NOT_AVAILABLE: "symbol_x", NOT_APPLICABLE: "symbol_z"}


def _gptable(i: int, item: Download, year: int) -> gpt.GPTable:
    table = item.table
    frame = table_frame(table)
    n_labels = len(_label_columns(table))
    for col in frame.columns[n_labels:]:
        frame[col] = frame[col].map(_sheet_cell)
    refs = "".join(f"$${_NOTE_REF[s]}$$" for s in symbols_used([table]))
    notes = [n for n in (table.rule, *table.notes) if n and n.strip()]
    index_columns = {2: 0} if n_labels == 1 else {level + 1: level for level in range(min(n_labels, 3))}
    return gpt.GPTable(
        table=frame,
        table_name=f"table_{i}",
        title=f"Table {i}: {table.caption} {refs}".rstrip(),
        subtitles=notes,
        scope=f"{item.area.capitalize()}, {year}",
        index_columns=index_columns,
        instructions="This worksheet contains one table. Symbols are explained on the notes worksheet.",
    )


def write_spreadsheet(
    items: list[Download],
    path: Path,
    *,
    year: int,
    title: str,
    release_date: date,
    contact: str,
    synthetic: bool,
) -> Path:
    """One workbook for the year: cover, contents, notes, then one table per sheet.

    Its creation date is the release date, not the clock, so the same findings give the same bytes.
    """
    if not items:
        raise DownloadError(f"no published tables to put in {path.name}")
    tables = [i.table for i in items]
    rules = list(dict.fromkeys(t.rule for t in tables if t.rule.strip()))
    intro = [f"Released {release_date.day} {release_date:%B %Y}."]
    if synthetic:
        intro.insert(0, "SYNTHETIC SAMPLE DATA – NOT REAL FINDINGS. Built from the bundled synthetic sample.")
    about = [
        "Each worksheet holds one table exactly as the brief and its technical appendices publish it.",
        *[f"Disclosure control: {r}" for r in rules],
        "Symbols: " + "; ".join(f"{s} {SYMBOLS[s].split(':')[0].lower()}" for s in symbols_used(tables)) + "."
        if symbols_used(tables)
        else "No cell in these tables is withheld.",
    ]
    cover = gpt.Cover(title=title, intro=intro, about=about, contact=[contact])
    sheets = {f"Table_{i}": _gptable(i, item, year) for i, item in enumerate(items, start=1)}
    # Every symbol is explained (those a table uses are referenced from its title as [note n]).
    notes_table = pd.DataFrame(
        {"Note reference": list(_NOTE_REF.values()), "Note text": [f"{s}: {m}" for s, m in SYMBOLS.items()]}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # gptables 2.0.2 calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.filterwarnings("ignore", "The following notes are not referenced", UserWarning)
        workbook = gpt.produce_workbook(
            filename=str(path),
            sheets=sheets,
            cover=cover,
            notes_table=notes_table,
            contentsheet_options={"additional_elements": ["scope"]},
            # Text stays text: a published "=..." label is never a formula, "[c]" never a link.
            workbook_options={"strings_to_formulas": False, "strings_to_urls": False},
        )
    workbook.set_properties(
        {
            "title": title,
            "author": contact.split(":")[0],
            "created": datetime(release_date.year, release_date.month, release_date.day),
        }
    )
    workbook.close()
    return path


def build_downloads(
    findings_dir: Path | None,
    out_dir: Path,
    *,
    year: int,
    title: str,
    release_date: date,
    contact: str,
    synthetic: bool,
    findings: list[Findings] | None = None,
) -> list[Path]:
    """The year's CSVs (one per published table) and its spreadsheet, in `out_dir`; from the
    findings saved in `findings_dir`, or `findings` already loaded."""
    items = published_tables(findings if findings is not None else load_findings(findings_dir))
    out_dir = Path(out_dir)
    written = [write_csv(item.table, out_dir / item.filename) for item in items]
    written.append(
        write_spreadsheet(
            items,
            out_dir / spreadsheet_name(year),
            year=year,
            title=title,
            release_date=release_date,
            contact=contact,
            synthetic=synthetic,
        )
    )
    return written


def spreadsheet_name(year: int) -> str:
    return f"data-tables-{year}.xlsx"
