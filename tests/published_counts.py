"""Every count a year's publication prints, read from each file a reader can open.

The published files are everything under `reports/<year>/` outside `internal/`, and the landing
page `reports/index.html`: HTML documents (tables, sentences, chart alt text, the SVG charts'
text inside their data URIs), PDFs (their text, from `pdftotext`), CSV downloads, the gptables
spreadsheet (every sheet) and the public selection pack (CSV, JSON, Markdown).

What is a count: **every whole number a file prints is a count unless an exemption below says
why it is not.** So "3 organisations", "(1)", "1 of 10", a bare table cell "4" and an SVG bar
label "2" are counts; "4%", "4.6", "£3", "+2", "2024", "1,204" are not whole small numbers (a
sign marks a change, whose two ends are printed and scanned themselves). The exemptions are
narrow patterns, each with its reason: numbers that are settings or rules ("fewer than 5",
"at least 3 contributors", the quotas), labels and scales ("appendix 2", "quintile 1",
"1 not at all to 5 a lot"), dates and versions, counts of places ("12 regions", "6 of the 12
regions and nations"), totals of things members did rather than of organisations (ventures,
actions, workshops: published under the magnitude rule), and facts the membership policy
(`analysis.disclosure.policy.membership_policy`) declares public (members by nation).
`small_counts(...)` then lists the counts from 1 to `min_count` - 1 with where they stand.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from openpyxl import load_workbook

INTERNAL = "internal"
# A whole number as printed: not part of a word, a decimal, a percentage, money, a version,
# a date or a range's far end ("mid-2022", "v3.0", "4%", "£3", "+2", "1,204", "2024-11").
WHOLE = re.compile(r"(?<![\w.,£$€+\-−/:#])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w%£:/]|[.,]\d|-\d)")


@dataclass(frozen=True)
class Exemption:
    """Whole numbers that are not counts: those inside `pattern`'s group "n" (or its whole match)."""

    pattern: re.Pattern
    reason: str

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in self.pattern.finditer(text):
            group = "n" if "n" in self.pattern.groupindex and m.group("n") is not None else 0
            out.append(m.span(group))
        return out


def _x(pattern: str, reason: str) -> Exemption:
    return Exemption(re.compile(pattern, re.I), reason)


_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PLACES = r"(?:UK |ITL1 )?(?:regions?|nations?)(?: and (?:regions?|nations?))?"
# Totals of what members did (not of organisations): published under the magnitude rule
# (at least three contributors, no dominant one), like money.
_THINGS = (
    r"(?:new )?(?:citizen-led )?(?:ventures?|decisions?(?: taken by citizens)?|advocacy actions?|actions?|"
    r"policy submissions?|meetings?|workshops?|attendances?|citizens?|events?|people)"
)

# Exemptions in sentences and notes, with the reason each set of numbers is not a count.
SENTENCE_EXEMPTIONS = [
    _x(r"(?:technical )?appendix (?P<n>\d+)\b", "a document's number"),
    _x(
        r"\b(?:quintile|level|band|table|figure|part|page|step|question|statement|note) (?P<n>\d+)\b",
        "a label",
    ),
    _x(r"\bpage \d+ of \d+\b", "a page number"),
    _x(rf"\b\d{{1,2}} {_MONTHS}\b|\b{_MONTHS} \d{{1,2}}\b", "a date"),
    _x(r"\(\d+ [a-z][\w ]*? to \d+ [a-z][\w ]*?\)|\b\d+ (?:=|to) \d+\b|\(\d+ =", "a scale's ends"),
    _x(
        r"\b(?P<n>\d+) (?:=|(?:strongly|not at all|a lot|inform|consult|involve|collaborate|empower)\b)",
        "a scale point",
    ),
    _x(r"\bout of (?P<n>\d+)\b", "a scale's maximum"),
    _x(r"\bfewer than (?P<n>\d+)\b", "the small-number rule"),
    _x(r"\bat least (?P<n>\d+) contributors?\b|\bNK\(\d+, ?\d+%\)|\(n, ?k\)|\bp ?\d+ ?%", "the money rule"),
    _x(
        r"\b(?:at least|at most|no more than) (?P<n>\d+) (?:members?|organisations?|seats?|per)\b",
        "a quota of the selection rules (settings, published before the draw)",
    ),
    _x(r"\b(?P<n>\d+)[–-]\d+ members\b", "the panel size the rules allow"),
    _x(rf"\b(?:all )?(?P<n>\d+)(?: of the \d+)? {_PLACES}\b", "a count of places, not organisations"),
    _x(rf"\b(?P<n>\d+) {_THINGS}\b", "a total of what members did (magnitude rule), not of organisations"),
    _x(r"\bCC BY \d|\bOGL v?\d|\bversion \d+\b|\bv\d+\b", "a licence or version"),
    _x(r"\b(?:up|down) (?P<n>\d+)\b", "a change between two printed counts"),
    _x(r"\b(?P<n>\d+)(?:st|nd|rd|th)\b", "a rank"),
]

# Tables whose whole-number cells are not counts of organisations, or are public under the
# membership policy: caption pattern -> (columns exempt, or None for all; reason).
TABLE_EXEMPTIONS: list[tuple[re.Pattern, tuple[str, ...] | None, str]] = [
    (re.compile(r"^Network activity totals", re.I), None, "totals of what members did (magnitude rule)"),
    (re.compile(r"^Workshops held by the network", re.I), None, "the network's own workshops"),
    (re.compile(r"^Selected members by nation", re.I), None, "members and their nation are public"),
    (re.compile(r"^Members and other applicants by UK nation", re.I), ("Members",), "members are public"),
    (re.compile(r"^Run manifest", re.I), None, "the run's versions and fingerprints"),
    (re.compile(r"^Notes$"), ("Note number",), "the spreadsheet's notes sheet numbers its notes"),
]


@dataclass(frozen=True)
class Count:
    """A whole number a published file prints and where: file, place, the text around it."""

    file: str
    where: str
    value: int
    text: str

    def __str__(self) -> str:
        return f"{self.file} {self.where}: {self.value} in {self.text[:160]!r}"


def _int(token: str) -> int:
    return int(token.replace(",", ""))


def counts_in_sentence(text: str) -> list[tuple[int, int]]:
    """(value, position) of every whole number in running text that no exemption covers."""
    text = " ".join(str(text).split())
    exempt = [span for e in SENTENCE_EXEMPTIONS for span in e.spans(text)]
    return [
        (_int(m.group(0)), m.start())
        for m in WHOLE.finditer(text)
        if not any(a <= m.start() and m.end() <= b for a, b in exempt)
    ]


def cell_count(text: object) -> int | None:
    """A table cell's whole number ("4", "1,204"), or None when the cell is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return int(text) if text.is_integer() else None
    text = str(text).strip()
    return _int(text) if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text) else None


def _table_exempt(caption: str, column: str) -> bool:
    caption = " ".join(caption.split())
    for pattern, columns, _ in TABLE_EXEMPTIONS:
        if pattern.search(caption):
            return columns is None or column.strip() in columns
    return False


# ---- readers: (where, text) prose units and (where, caption, column, value) table cells ------


@dataclass
class Reading:
    prose: list[tuple[str, str]]
    cells: list[tuple[str, str, str, object]]


def _sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.!?;:])\s+(?=[A-Z(\[£\d])", text) if s]


def svg_texts(svg: str) -> list[str]:
    """The text a chart prints (bar labels, ticks, titles): matplotlib keeps text as <text>."""
    soup = BeautifulSoup(svg, "html.parser")
    return [" ".join(t.get_text(" ").split()) for t in soup.find_all("text") if t.get_text(strip=True)]


def _svg_from_src(src: str) -> str | None:
    head, _, data = src.partition(",")
    if not head.startswith("data:image/svg+xml"):
        return None
    return base64.b64decode(data).decode("utf-8") if head.endswith(";base64") else data


def read_html(text: str) -> Reading:
    """An HTML page: table cells, each prose block's sentences, alt text and SVG chart text."""
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    cells, prose = [], []
    for i, table in enumerate(soup.find_all("table"), start=1):
        cap = table.find("caption")
        caption = " ".join(cap.get_text(" ").split()) if cap else f"table {i}"
        for foot in table.find_all("tfoot"):
            prose += [(f"note under {caption[:50]!r}", s) for s in _sentences(foot.get_text(" "))]
            foot.decompose()
        rows = table.find_all("tr")
        header = [" ".join(c.get_text(" ").split()) for c in rows[0].find_all(["th", "td"])] if rows else []
        for row in rows[1:]:
            tds = row.find_all(["th", "td"])
            label = " ".join(tds[0].get_text(" ").split()) if tds else ""
            for j, td in enumerate(tds[1:], start=1):
                column = header[j] if j < len(header) else ""
                where = f"table {caption[:60]!r} row {label[:30]!r} column {column!r}"
                cells.append((where, caption, column, " ".join(td.get_text(" ").split())))
        if cap is not None:
            prose += [(f"caption of table {i}", caption)]
        table.decompose()
    for img in soup.find_all("img"):
        prose += [("chart alt text", s) for s in _sentences(img.get("alt", ""))]
        svg = _svg_from_src(img.get("src", ""))
        if svg is not None:
            cells += [("chart text", "chart", "", t) for t in svg_texts(svg)]
    for svg in soup.find_all("svg"):
        cells += [("chart text", "chart", "", t) for t in svg_texts(str(svg))]
        svg.decompose()
    prose += [("text", s) for s in _sentences(soup.get_text(" "))]
    return Reading(prose, cells)


def read_pdf(path: Path) -> Reading:
    """A PDF's text, as `pdftotext` reads it (the tables come through as lines of text)."""
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return Reading([("text", s) for s in _sentences(done.stdout)], [])


def read_csv(path: Path, caption: str = "") -> Reading:
    """A CSV: every cell under its header (the first row)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return Reading([], [])
    header = rows[0]
    cells = [
        (
            f"row {i} column {header[j] if j < len(header) else j!r}",
            caption,
            header[j] if j < len(header) else "",
            v,
        )
        for i, row in enumerate(rows[1:], start=2)
        for j, v in enumerate(row)
    ]
    return Reading([], cells)


def read_xlsx(path: Path) -> Reading:
    """A workbook, every sheet: numbers in a row with other cells are table cells, text is prose.

    gptables writes a table sheet's title ("Table 3: caption"), notes and scope one per row in
    column A, then the header and the rows; the cover, contents and notes sheets are text.
    """
    book = load_workbook(path, read_only=True, data_only=True)
    cells, prose = [], []
    for sheet in book.worksheets:
        caption, header = sheet.title, None
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            filled = [v for v in row if v is not None and str(v).strip()]
            if not filled:
                continue
            if len(filled) == 1 and isinstance(filled[0], str):
                title = re.match(r"Table \d+: (.*?)(?: \[note \d+\])*$", filled[0])
                caption = title.group(1) if title and header is None else caption
                prose += [(f"sheet {sheet.title!r} row {r}", s) for s in _sentences(filled[0])]
                continue
            if header is None and all(isinstance(v, str) for v in filled):
                header = [str(v) if v is not None else "" for v in row]
                continue
            for j, v in enumerate(row):
                if v is None:
                    continue
                column = header[j] if header and j < len(header) else ""
                if isinstance(v, str) and not cell_count(v):
                    prose += [(f"sheet {sheet.title!r} row {r} column {column!r}", s) for s in _sentences(v)]
                else:
                    cells.append((f"sheet {sheet.title!r} row {r} column {column!r}", caption, column, v))
    book.close()
    return Reading(prose, cells)


def _json_leaves(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_leaves(v, f"{path}[{i}]")
    else:
        yield path, value


def read_json(path: Path, exempt_keys: dict[str, str]) -> Reading:
    """A JSON file: every number is a cell named by its key path; strings are prose."""
    data = json.loads(path.read_text(encoding="utf-8"))
    cells, prose = [], []
    for key, v in _json_leaves(data):
        if any(re.fullmatch(p, key) for p in exempt_keys):
            continue
        if isinstance(v, str):
            prose += [(f"key {key}", s) for s in _sentences(v)]
        else:
            cells.append((f"key {key}", path.name, key, v))
    return Reading(prose, cells)


# Settings and fingerprints in the public selection pack's JSON: the rules fixed before the draw
# (published on purpose), the seed, the drawn panel's number, the number of panels, hashes.
PACK_SETTINGS = {
    r"(?:selection_year|report_year|seed|panels|panel_size|drawn_panel|band_min_count)": "a setting of the draw",
    r"(?:fingerprints|internal_files_sha256|files_sha256)\..*": "a fingerprint",
}
CONFIG_FILES = ("config-selection.json",)  # the [selection] rules as fixed before the draw


def published_files(reports_root: Path, year: int) -> list[Path]:
    """Every file of a year a reader can open (outside internal/), and the landing page."""
    year_dir = reports_root / str(year)
    files = [
        p
        for p in sorted(year_dir.rglob("*"))
        if p.is_file() and INTERNAL not in p.relative_to(year_dir).parts[:-1] and p.name != ".DS_Store"
    ]
    index = reports_root / "index.html"
    return files + ([index] if index.exists() else [])


def read_file(path: Path, captions: dict[str, str] | None = None) -> Reading:
    """A published file's prose and table cells, by its type; an unknown type is an error."""
    suffix = path.suffix.lower()
    if suffix == ".html":
        return read_html(path.read_text(encoding="utf-8"))
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".csv":
        return read_csv(path, (captions or {}).get(path.name, path.stem))
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".json":
        if path.name in CONFIG_FILES:
            return Reading([], [])
        return read_json(path, PACK_SETTINGS)
    if suffix == ".svg":
        return Reading(
            [], [("chart text", "chart", "", t) for t in svg_texts(path.read_text(encoding="utf-8"))]
        )
    if suffix in (".md", ".txt"):
        return Reading([("text", s) for s in _sentences(path.read_text(encoding="utf-8"))], [])
    raise ValueError(
        f"{path}: a published file of a type the count scan cannot read ({suffix or 'no suffix'})"
    )


def small_counts_in(reading: Reading, file: str, min_count: int) -> list[Count]:
    """The counts from 1 to min_count - 1 in one file's reading."""
    found = []
    for where, text in reading.prose:
        found += [Count(file, where, v, text) for v, _ in counts_in_sentence(text) if 1 <= v < min_count]
    for where, caption, column, value in reading.cells:
        if _table_exempt(caption, column):
            continue
        whole = cell_count(value)
        if whole is not None:
            values = [whole]
        elif isinstance(value, str):
            values = [v for v, _ in counts_in_sentence(value)]
        else:
            values = []
        found += [Count(file, where, v, str(value)) for v in values if 1 <= v < min_count]
    return found


def published_small_counts(
    reports_root: Path, year: int, min_count: int, captions: dict[str, str] | None = None
) -> list[Count]:
    """Every count from 1 to min_count - 1 in a year's published files (see the module doc)."""
    found = []
    for path in published_files(reports_root, year):
        file = str(path.relative_to(reports_root))
        found += small_counts_in(read_file(path, captions), file, min_count)
    return found
