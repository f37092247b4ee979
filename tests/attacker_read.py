"""The attacker's reading of a year's publication: every table in the published HTML documents,
every CSV download and every table sheet of the spreadsheet, as plain cells, with no help from
the package's own disclosure code.

Only what a reader sees is used: captions, header rows, row labels and the printed text of each
cell; a CSV download's caption is the text the landing page links it by, so it is the same table
as its HTML and spreadsheet twins. Files under `internal/` (and the run's side folders that are not publications) are skipped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from openpyxl import load_workbook

HIDDEN = "[c]"
# Folders of a year's reports that are not publications (never read by the attacker).
NOT_PUBLISHED = ("internal", "executed", "findings", "selection-audit")
_COUNT = re.compile(r"^\d[\d,]*$")
_SHARE = re.compile(r"^(\d+(?:\.\d+)?)%$")
_SHEET_TITLE = re.compile(r"^Table \d+: (.*?)(?: \[note \d+\])*$", re.S)


@dataclass
class Table:
    """One published table as a reader sees it."""

    document: str
    caption: str
    header: list[str]
    rows: list[list[str]]  # each row: label, then one text per column of header[1:]


def count_value(text: str) -> float | None:
    """A printed whole count ("1,234"), or None when the cell is not a count."""
    text = text.strip()
    return float(text.replace(",", "")) if _COUNT.match(text) else None


def share_value(text: str) -> tuple[float, float] | None:
    """A printed percentage as (value, half a unit of its last digit), both as fractions."""
    m = _SHARE.match(text.strip())
    if not m:
        return None
    digits = m.group(1)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits) / 100, 0.5 * 10.0**-decimals / 100


def html_tables(path: Path) -> list[Table]:
    return tables_in_html(path.read_text(encoding="utf-8"), path.name)


def tables_in_html(html: str, document: str) -> list[Table]:
    """The tables of one HTML text (footers, which hold notes, left out)."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for table in soup.find_all("table"):
        caption = table.find("caption")
        rows = [
            [" ".join(cell.get_text(" ", strip=True).split()) for cell in tr.find_all(["th", "td"])]
            for tr in table.find_all("tr")
            if tr.find_parent("tfoot") is None
        ]
        if not rows:
            continue
        out.append(Table(document, caption.get_text(" ", strip=True) if caption else "", rows[0], rows[1:]))
    return out


def csv_table(path: Path, caption: str | None = None) -> Table:
    """A CSV download; its caption is the one the landing page links it by, else its file name."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    caption = caption or path.stem
    return Table(path.name, caption, rows[0], rows[1:]) if rows else Table(path.name, caption, [], [])


def download_captions(year_dir: Path) -> dict[str, str]:
    """{file name: caption} for each download the year's landing page links (the link's text)."""
    page = year_dir / "index.html"
    if not page.exists():
        return {}
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {
        Path(a["href"]).name: " ".join(a.get_text(" ").split())
        for a in soup.find_all("a", href=True)
        if a["href"].endswith(".csv")
    }


def _sheet_text(value: object) -> str:
    """A spreadsheet cell as the documents print it: whole numbers as counts, text unchanged."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def xlsx_tables(path: Path) -> list[Table]:
    """Every table sheet of the gptables workbook: its title ("Table 3: caption [note 1]") gives
    the caption; the first row with two or more cells is the header, the rows after it the table."""
    book = load_workbook(path, read_only=True, data_only=True)
    out = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        title = next((r[0] for r in rows if r and isinstance(r[0], str) and _SHEET_TITLE.match(r[0])), None)
        body = [[_sheet_text(v) for v in r] for r in rows if sum(v is not None for v in r) >= 2]
        if title is None or not body:
            continue
        caption = _SHEET_TITLE.match(title).group(1)
        out.append(Table(f"{path.name} {sheet.title}", caption, body[0], body[1:]))
    book.close()
    return out


def published_files(year_dir: Path) -> list[Path]:
    """Every file of a year's reports a reader can open, outside the unpublished folders."""
    return sorted(
        p
        for p in year_dir.rglob("*")
        if p.is_file() and not any(part in NOT_PUBLISHED for part in p.relative_to(year_dir).parts[:-1])
    )


def page_text(path: Path) -> str:
    """The visible text of an HTML page outside its tables (sentences, notes, captions)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["table", "script", "style"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def read_year(year_dir: Path) -> tuple[list[Table], dict[str, str]]:
    """All tables of a year's publication, and the visible text of each HTML document."""
    tables, texts = [], {}
    captions = download_captions(year_dir)
    for path in published_files(year_dir):
        if path.suffix == ".html":
            tables.extend(html_tables(path))
            texts[path.name] = page_text(path)
        elif path.suffix == ".csv":
            tables.append(csv_table(path, captions.get(path.name)))
        elif path.suffix == ".xlsx":
            tables.extend(xlsx_tables(path))
    return tables, texts
