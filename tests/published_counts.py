"""Every count a year's publication prints, read from each file a reader can open.

The published files are everything under `reports/<year>/` outside `internal/`, and the landing
page `reports/index.html`: HTML documents (tables, row labels, sentences, notes, chart alt text,
the SVG charts' text inside their data URIs), PDFs (their text, from `pdftotext`), CSV downloads,
the gptables spreadsheet (every sheet) and the public selection pack (CSV, JSON, Markdown).

What is a count: **every whole number a file prints is a count unless an exemption below says
why it is not**, and so is a number in words that counts organisations ("two members"). So
"3 organisations", "(1)", "1 of 10", "from 3 to 8", a bare table cell "4" and an SVG bar label
"2" are counts; "4%", "4.6", "£3", "+2", "2024", "1,204" are not small whole numbers (a sign
marks a change, whose two ends are printed and scanned themselves). The exemptions are narrow
patterns, each with its reason, each needed by some published text: the rules' own settings
("fewer than 5", the money rule, the quotas), labels and scales ("appendix 2", "quintile 1",
"1 not at all to 5 a lot"), dates, counts of places ("6 of the 12 regions and nations"), the
network's own workshops, and facts the membership policy
(`analysis.disclosure.policy.membership_policy`) declares public (members by nation, who joins
and leaves, how many return the survey). `published_small_counts(...)` lists the counts from 1 to
`min_count` - 1 with where they stand.
"""

from __future__ import annotations

import base64
import csv
import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup
from openpyxl import load_workbook

INTERNAL = "internal"
# A whole number as printed: not part of a word, a decimal, a percentage, money, a version,
# a date or a range's far end ("mid-2022", "v3.0", "4%", "£3", "+2", "1,204", "2024-11").
WHOLE = re.compile(r"(?<![\w.,£$€+\-−/:#])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w%£/]|[.,:]\d|-\d)")


@dataclass(frozen=True)
class Exemption:
    """Numbers that are not counts: those in `pattern`'s named groups (or, with none, its whole match)."""

    pattern: re.Pattern
    reason: str

    def spans(self, text: str) -> list[tuple[int, int]]:
        out = []
        for m in self.pattern.finditer(text):
            groups = [g for g in self.pattern.groupindex if m.group(g) is not None]
            out += [m.span(g) for g in groups] if groups else [m.span(0)]
        return out


def _x(pattern: str, reason: str) -> Exemption:
    return Exemption(re.compile(pattern, re.I), reason)


_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PLACES = r"(?:UK |ITL1 )?(?:regions?|nations?)(?: and (?:regions?|nations?))?"
# A small number as a figure or a word ("three members").
_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine)"
WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
# A number in words counts only when it counts organisations ("two members", "one of the applicants").
WORD_COUNT = re.compile(
    r"\b(?P<w>one|two|three|four|five|six|seven|eight|nine)\s+(?:of the\s+|[\w'-]+\s+)?"
    r"(?:organisations?|applicants?|members?|responses?|returns?|bodies|venues?|funders?|festivals?)\b",
    re.I,
)
_LABELS = r"appendix|page|note|table|quintile|ask"
_SCALE_WORDS = r"disagree|neither(?: agree nor disagree)?|agree|inform|consult|involve|collaborate|empower"

# Exemptions in sentences and notes, with the reason each set of numbers is not a count.
SENTENCE_EXEMPTIONS = [
    _x(rf"\b(?:{_LABELS}) (?P<n>\d+)\b", "a label: an appendix, page, note, table, quintile or ask number"),
    _x(r"\bpage \d+ of \d+\b", "a page number"),
    _x(rf"\b\d{{1,2}} {_MONTHS}\b|\b{_MONTHS} \d{{1,2}}\b", "a date"),
    _x(r"\(\d+ [a-z][\w ]*? to \d+ [a-z][\w ]*?\)|\(\d+ to \d+\)|\b0 to 100\b", "a scale's ends"),
    _x(
        rf"\b(?P<n>\d+) (?:=|(?:strongly|not at all|a lot)\b|(?:{_SCALE_WORDS}):)"
        rf"|\b(?:{_SCALE_WORDS}) \((?P<m>\d)\)|\bneither (?P<o>\d)\b",
        "a point of an answer scale or of the participation spectrum",
    ),
    _x(r"\b(?:little or none|some|a lot) \((?P<n>\d)\)", "a point of the benefit scale"),
    _x(r"\b(?P<n>\d) \((?:most|least) deprived\)", "a deprivation quintile"),
    _x(r"\b(?P<n>\d+)(?: or more)? levels?\b", "steps on the participation spectrum (the ambition rule)"),
    _x(r"\bout of (?P<n>\d+)\b|\(mean − \d+\) / \d+ × \d+", "a scale's maximum or rescaling"),
    _x(
        r"\b(?P<n>1) means in proportion|\b(?:above|below) (?P<m>1) (?:more|fewer) applicants",
        "the index's midpoint",
    ),
    _x(rf"\bfewer than (?P<n>{_N})\b", "the small-number rule"),
    _x(
        rf"\bat least (?P<n>{_N}) (?:organisations|members) contribute\b|\blargest (?P<m>\d+) hold no more\b"
        rf"|\b(?P<o>{_N}) or (?P<p>{_N}) members? accounts?\b|\bat least (?P<q>{_N}) contributors?\b"
        r"|\bNK\(\d+, ?\d+%\)",
        "the money rule",
    ),
    _x(
        r"\bat (?:least|most) (?P<n>\d+) (?:members? )?from (?:every|any|applicants with)\b"
        rf"|\bat most (?P<m>{_N}) (?:organisations? )?per\b",
        "a quota of the selection rules (settings, published before the draw)",
    ),
    _x(
        rf"\b(?P<n>{_N}) members? (?:was |were )?(?:active|left|joined)\b"
        rf"|\bthe (?P<m>{_N}) members? who left\b|\b(?P<o>{_N}) (?:members? )?returned a survey\b"
        rf"|\breturned a survey in \d{{4}} and (?P<p>\d+) in\b"
        rf"|\b(?P<q>{_N}) returns? (?:is |are )?(?:missing|from active members|came from organisations not)\b"
        rf"|\b(?P<r>{_N}) joined and (?P<s>{_N}) left\b",
        "members, who joins and leaves, and how many return the survey: public (membership policy)",
    ),
    _x(
        rf"\b(?P<n>{_N}) declined (?:its place|their places)\b",
        "drawn organisations that did not join: public (the drawn panel and the members are)",
    ),
    _x(
        r"\bsingles? out one member\b|\bone member's\b", "one member spoken of (a rule's reason), not a count"
    ),
    _x(r"\byear (?P<n>\d) of\b", "the network's year number"),
    _x(r"\bleft out are at least (?P<n>\d+) in each year\b", "the like-for-like rule's setting"),
    _x(r"\b(?P<n>\d+)[–-]\d+ members\b", "the panel size the rules allow"),
    _x(rf"\b(?:all )?(?P<n>\d+)(?: of the \d+)? {_PLACES}\b", "a count of places, not organisations"),
    _x(r"\b(?:up|down) (?P<n>\d+)\b", "a change between two printed counts"),
]
# A PDF's ordered-list numbers ("1. Fund first steps"), which its HTML draws without text.
LIST_MARKER = re.compile(r"(?m)^\s*\d{1,2}\.(?=\s|$)")

# Tables whose whole-number cells are not counts of organisations, or are public under the
# membership policy: caption pattern -> (columns exempt, or None for all; reason).
TABLE_EXEMPTIONS: list[tuple[re.Pattern, tuple[str, ...] | None, str]] = [
    (re.compile(r"^Workshops held by the network", re.I), None, "the network's own workshops"),
    (
        re.compile(r"^Organisations drawn by the lottery, by nation", re.I),
        None,
        "members and their nation are public",
    ),
    (re.compile(r"^Members and other applicants by UK nation", re.I), ("Members",), "members are public"),
    (
        re.compile(r"^(Survey returns per year|Members each year: returns, joiners and leavers)", re.I),
        None,
        "members active, joined and left, and returns: public under the membership policy",
    ),
    (
        re.compile(r"^Members compared year on year", re.I),
        None,
        "who returned a survey in which years, joined or left: public under the membership policy",
    ),
    (re.compile(r"^Notes$"), ("Note number",), "the spreadsheet's notes sheet numbers its notes"),
    (re.compile(r"^quotas$"), ("min", "max"), "the selection's quotas: rules fixed before the draw"),
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
    """(value, position) of every count in running text: each whole number, and each number in words
    that counts organisations, that no exemption covers."""
    text = " ".join(str(text).split())
    exempt = [span for e in SENTENCE_EXEMPTIONS for span in e.spans(text)]
    tokens = [(_int(m.group(0)), m.span()) for m in WHOLE.finditer(text)]
    tokens += [(WORDS[m.group("w").lower()], m.span("w")) for m in WORD_COUNT.finditer(text)]
    return sorted(
        (value, start)
        for value, (start, end) in tokens
        if not any(a <= start and end <= b for a, b in exempt)
    )


def cell_count(text: object) -> int | None:
    """A table cell's whole number ("4", "1,204"), or None when the cell is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):  # a spreadsheet's decimal ("1.00" is stored as 1.0)
        return None
    text = str(text).strip()
    return _int(text) if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text) else None


def _table_exempt(caption: str, column: str) -> bool:
    caption = " ".join(caption.split())
    for pattern, columns, _ in TABLE_EXEMPTIONS:
        if pattern.search(caption):
            return columns is None or column.strip() in columns
    return False


# ---- readers ------------------------------------------------------------------------------


@dataclass
class Reading:
    """One file as the scan sees it: sentences, table cells, and row labels and headers.

    A label that is only a whole number is a category's number (quintile 2, level 3); any
    other label is read as a sentence ("Wales (3)" is a count). `allowance` (PDFs only) holds
    the whole numbers of the HTML the PDF is printed from, judged there in their context.
    """

    prose: list[tuple[str, str]] = field(default_factory=list)
    cells: list[tuple[str, str, str, object]] = field(default_factory=list)  # where, caption, column, value
    labels: list[tuple[str, str]] = field(default_factory=list)
    allowance: Counter | None = None


def _sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.!?;:])\s+(?=[A-Z(\[£\d])", text) if s]


AXIS_TICK = re.compile(r"^[xy]tick_\d+$")  # matplotlib's id for an axis tick's group


def svg_texts(svg: str) -> list[str]:
    """The text a chart prints (bar labels, titles): matplotlib keeps text as <text>. Axis tick
    labels (inside a `<g id="xtick_N">`) are the axis's scale, not counts, and are left out."""
    soup = BeautifulSoup(svg, "html.parser")
    return [
        " ".join(t.get_text(" ").split())
        for t in soup.find_all("text")
        if t.get_text(strip=True)
        and not any(g.name == "g" and AXIS_TICK.match(g.get("id") or "") for g in t.parents)
    ]


def _svg_from_src(src: str) -> str | None:
    head, _, data = src.partition(",")
    if not head.startswith("data:image/svg+xml"):
        return None
    return base64.b64decode(data).decode("utf-8") if head.endswith(";base64") else unquote(data)


def _chart(texts: list[str]) -> list[tuple[str, str, str, object]]:
    return [("chart text", "chart", "", t) for t in texts]


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def read_html(text: str) -> Reading:
    """An HTML page: table cells and labels, sentences and notes, alt text and SVG chart text."""
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    out = Reading()
    for i, table in enumerate(soup.find_all("table"), start=1):
        cap = table.find("caption")
        caption = _text(cap) if cap else f"table {i}"
        for foot in table.find_all("tfoot"):
            out.prose += [(f"note under {caption[:50]!r}", s) for s in _sentences(foot.get_text(" "))]
            foot.decompose()
        rows = table.find_all("tr")
        header = [_text(c) for c in rows[0].find_all(["th", "td"])] if rows else []
        out.labels += [(f"header of {caption[:50]!r}", h) for h in header]
        for row in rows[1:]:
            tds = row.find_all(["th", "td"])
            label = _text(tds[0]) if tds else ""
            out.labels.append((f"row label in {caption[:50]!r}", label))
            for j, td in enumerate(tds[1:], start=1):
                column = header[j] if j < len(header) else ""
                where = f"table {caption[:60]!r} row {label[:30]!r} column {column!r}"
                out.cells.append((where, caption, column, _text(td)))
        if cap is not None:
            out.prose.append((f"caption of table {i}", caption))
        table.decompose()
    for img in soup.find_all("img"):
        out.prose += [("chart alt text", s) for s in _sentences(img.get("alt", ""))]
        svg = _svg_from_src(img.get("src", ""))
        if svg is not None:
            out.cells += _chart(svg_texts(svg))
    for svg in soup.find_all("svg"):
        out.cells += _chart(svg_texts(str(svg)))
        svg.decompose()
    out.prose += [("text", s) for s in _sentences(soup.get_text(" "))]
    return out


def whole_numbers(text: str) -> Counter:
    """How often each whole number stands in `text` (exempt or not)."""
    return Counter(_int(m.group(0)) for m in WHOLE.finditer(" ".join(text.split())))


def _html_numbers(html: str) -> Counter:
    soup = BeautifulSoup(html, "html.parser")
    found = whole_numbers(soup.get_text(" "))
    for img in soup.find_all("img"):
        svg = _svg_from_src(img.get("src", ""))
        found += whole_numbers(" ".join(svg_texts(svg))) if svg else Counter()
    return found


def read_pdf(path: Path) -> Reading:
    """A PDF's text from `pdftotext`, its ordered-list numbers dropped.

    A PDF printed from an HTML document beside it has lost its tables' structure (cells come
    through as runs of numbers), so its numbers are first matched against that HTML's, which
    the scan judges in context; only numbers the PDF adds are scanned as sentences here.
    """
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    text = LIST_MARKER.sub(" ", done.stdout)
    html = path.with_suffix(".html")
    allowance = _html_numbers(html.read_text(encoding="utf-8")) if html.exists() else None
    return Reading(prose=[("text", s) for s in _sentences(text)], allowance=allowance)


def read_csv(path: Path, caption: str = "", label_columns: int = 1) -> Reading:
    """A CSV: the first row is the header, the first `label_columns` columns are row labels."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    out = Reading()
    if not rows:
        return out
    header = rows[0]
    out.labels += [("header", h) for h in header]
    for i, row in enumerate(rows[1:], start=2):
        for j, v in enumerate(row):
            column = header[j] if j < len(header) else str(j)
            if j < label_columns:
                out.labels.append((f"row {i} column {column!r}", v))
            else:
                out.cells.append((f"row {i} column {column!r}", caption, column, v))
    return out


def read_xlsx(path: Path) -> Reading:
    """A workbook, every sheet: numbers are table cells, text is labels or sentences.

    gptables writes a table sheet's title ("Table 3: caption"), notes and scope one per row in
    column A, then the header and the rows (labels stay text, published numbers are numbers:
    "1.00" is stored as 1, so a column with any decimal is read as decimals); the cover,
    contents and notes sheets are text.
    """
    book = load_workbook(path, read_only=True, data_only=True)
    out = Reading()
    for sheet in book.worksheets:
        caption, header, cells = sheet.title, None, []
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            filled = [v for v in row if v is not None and str(v).strip()]
            if not filled:
                continue
            if len(filled) == 1 and isinstance(filled[0], str):
                title = re.match(r"Table \d+: (.*?)(?: \[note \d+\])*$", filled[0])
                caption = title.group(1) if title and header is None else caption
                out.prose += [(f"sheet {sheet.title!r} row {r}", s) for s in _sentences(filled[0])]
                continue
            if header is None and all(isinstance(v, str) for v in filled):
                header = [str(v) if v is not None else "" for v in row]
                out.labels += [(f"sheet {sheet.title!r} header", h) for h in filled]
                continue
            for j, v in enumerate(row):
                column = header[j] if header and j < len(header) else ""
                where = f"sheet {sheet.title!r} row {r} column {column!r}"
                if isinstance(v, str):
                    out.labels.append((where, v))
                elif v is not None:
                    cells.append((where, caption, column, v))
        # A column holding decimals is a column of decimals: its 1.00 is stored as the number 1.
        decimal = {c[2] for c in cells if isinstance(c[3], float) and not c[3].is_integer()}
        out.cells += [c for c in cells if c[2] not in decimal]
    book.close()
    return out


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
    """A JSON file: every number is a cell named by its key path; strings are sentences."""
    out = Reading()
    for key, v in _json_leaves(json.loads(path.read_text(encoding="utf-8"))):
        if any(re.fullmatch(p, key) for p in exempt_keys):
            continue
        if isinstance(v, str):
            out.prose += [(f"key {key}", s) for s in _sentences(v)]
        else:
            out.cells.append((f"key {key}", path.name, key, v))
    return out


# Settings and fingerprints in the public selection pack's JSON: the rules fixed before the draw
# (published on purpose), the seed, the drawn panel's number, the number of panels, hashes.
PACK_SETTINGS = {
    r"(?:selection_year|report_year|seed|panels|panel_size|drawn_panel|band_min_count)": (
        "a setting of the draw"
    ),
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


def read_file(path: Path, tables: dict[str, tuple[str, int]] | None = None) -> Reading:
    """A published file's reading, by its type; a type the scan cannot read is an error.

    `tables` gives a CSV download's caption and number of label columns by file name (a CSV
    not listed: its stem and one label column).
    """
    suffix = path.suffix.lower()
    if suffix == ".html":
        return read_html(path.read_text(encoding="utf-8"))
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".csv":
        caption, label_columns = (tables or {}).get(path.name, (path.stem, 1))
        return read_csv(path, caption, label_columns)
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".json":
        return Reading() if path.name in CONFIG_FILES else read_json(path, PACK_SETTINGS)
    if suffix == ".svg":
        return Reading(cells=_chart(svg_texts(path.read_text(encoding="utf-8"))))
    if suffix in (".md", ".txt"):
        return Reading(prose=[("text", s) for s in _sentences(path.read_text(encoding="utf-8"))])
    raise ValueError(
        f"{path}: a published file of a type the count scan cannot read ({suffix or 'no suffix'})"
    )


def small_counts_in(reading: Reading, file: str, min_count: int) -> list[Count]:
    """The counts from 1 to min_count - 1 in one file's reading."""
    found = []
    for where, text in reading.prose:
        found += [Count(file, where, v, text) for v, _ in counts_in_sentence(text)]
    for where, text in reading.labels:
        if cell_count(text) is None:  # a label that is only a number is a category's number
            found += [Count(file, where, v, text) for v, _ in counts_in_sentence(text)]
    for where, caption, column, value in reading.cells:
        if _table_exempt(caption, column):
            continue
        whole = cell_count(value)
        if whole is not None:
            found.append(Count(file, where, whole, str(value)))
        elif isinstance(value, str):
            found += [Count(file, where, v, value) for v, _ in counts_in_sentence(value)]
    found = [c for c in found if 1 <= c.value < min_count]
    if reading.allowance is not None:
        left, kept = Counter(reading.allowance), []
        for c in found:
            if left[c.value] > 0:
                left[c.value] -= 1
            else:
                kept.append(c)
        found = kept
    return found


def published_small_counts(
    reports_root: Path, year: int, min_count: int, tables: dict[str, tuple[str, int]] | None = None
) -> list[Count]:
    """Every count from 1 to min_count - 1 in a year's published files (see the module doc)."""
    found = []
    for path in published_files(reports_root, year):
        found += small_counts_in(read_file(path, tables), str(path.relative_to(reports_root)), min_count)
    return found
