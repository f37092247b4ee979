"""Reading form exports as they arrive: CSV in whatever encoding and separator, or XLSX.

Everything is read as text; interpretation (numbers, dates, options) happens later with
the row numbers still attached, so every problem can be reported against its row. A file that is
not a table (a zip, a PDF, an encrypted workbook) is named as such. Imports intake's quality,
fields (the header fold) and workbook modules.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.intake.fields import fold
from analysis.intake.quality import IntakeError
from analysis.intake.workbook import FORMULA_KEY, read_xlsx, refuse_ole

_SEPARATORS = (",", ";", "\t", "|")


# Opening bytes of files that are sometimes saved with a .csv name but are not text tables.
_NOT_TABLES = (
    (b"PK\x03\x04", "a zip archive (perhaps a workbook or a download of several files)", "unzip it or "),
    (b"%PDF-", "a PDF document", ""),
    (b"\xd0\xcf\x11\xe0", "an Excel or Office file in the old binary format", ""),
)


def _refuse_binary(raw: bytes, path: Path) -> None:
    for magic, what, unzip in _NOT_TABLES:
        if raw.startswith(magic):
            raise IntakeError(
                f"{path.name} is {what}, not a table of responses: {unzip}export the responses "
                "again as CSV (or .xlsx) and point [inputs] at that file"
            )
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeError(
            f"{path.name} is a binary file, not a text table of responses: export them again as CSV"
        )


def _row_of(raw: bytes, start: int) -> int:
    """Spreadsheet row (header = 1) of byte `start`, counting quoted line breaks as one record."""
    before = raw[:start].decode("utf-8", errors="replace")
    return max(1, sum(1 for _ in csv.reader(io.StringIO(before + "x", newline=""))))


def _decode(raw: bytes, path: Path, fallback: str) -> tuple[str, list[str]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export is UTF-16
        return raw.decode("utf-16").lstrip("\ufeff"), []
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        row = _row_of(body, exc.start)
        if bom:  # marked as UTF-8, so a bad byte is damage, not another encoding
            raise IntakeError(
                f"{path.name}: row {row} holds a byte ({body[exc.start]:#04x}) that is not valid UTF-8, "
                "although the file says it is UTF-8; fix that row in the spreadsheet (or export again) "
                "and check again"
            ) from None
        text = body.decode(fallback, errors="replace")
        return text, [
            f"{path.name} is not UTF-8 (first at row {row}); read it as {fallback} (Windows). "
            "Check accented names in the output, and export as UTF-8 next time."
        ]


def _separator(header_line: str, path: Path) -> tuple[str, list[str]]:
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise IntakeError(
            f"{path.name}: the first line has no column separators, so it is not a table export "
            "(expected question texts separated by commas)"
        )
    if best != "," and counts[best] > counts[","]:
        return best, [f"{path.name} uses {best!r} between columns instead of commas; read it that way"]
    return ",", []


def _check_header(columns: list[str], path: Path) -> list[str]:
    cleaned = [" ".join(str(c).split()) for c in columns]
    dupes = [c for c, n in Counter(cleaned).items() if n > 1 and c]
    if dupes:
        raise IntakeError(
            f"{path.name}: the column {dupes[0]!r} appears {Counter(cleaned)[dupes[0]]} times; "
            "remove the duplicate column from the export and try again"
        )
    seen: dict[str, str] = {}
    for col in cleaned:
        other = seen.setdefault(fold(col), col)
        if col and other != col:  # questions are matched ignoring case, so these would collide
            raise IntakeError(
                f"{path.name}: the columns {other!r} and {col!r} differ only in case or apostrophes, "
                "so they cannot be told apart; rename or remove one in the export and check again"
            )
    return cleaned


def _read_csv(path: Path, fallback: str) -> tuple[pd.DataFrame, list[str]]:
    raw = path.read_bytes()
    if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
        raise IntakeError(f"{path.name} is empty: export the responses again")
    _refuse_binary(raw, path)
    text, warnings = _decode(raw, path, fallback)
    first_line = text.splitlines()[0]
    sep, more = _separator(first_line, path)
    warnings += more
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise IntakeError(f"{path.name} is not a well-formed CSV file: {exc}") from None
    header = _check_header(rows[0], path)
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    bad = [i + 2 for i, r in enumerate(rows[1:]) if any(c.strip() for c in r) and len(r) != len(header)]
    if bad:
        raise IntakeError(
            f"{path.name}: row {bad[0]} has a different number of columns from the header "
            f"({len(bad)} row(s) affected); a separator or quote is probably broken there"
        )
    frame = pd.DataFrame(body, columns=header, dtype="string")
    # Row numbers as a spreadsheet shows them (header is row 1), kept for every message.
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame, warnings


def read_export(
    path: Path, *, config, expected_headers: set[str] | None = None, table: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV or XLSX export as text, with spreadsheet row numbers as the index.

    `table` (callout, member_survey, workshops, roster) picks the workbook sheet named in
    `[inputs.sheets]`; `frame.attrs[FORMULA_KEY]` counts formula cells read as blank.
    """
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"input file not found: {path} (check [inputs] in the year's settings file)")
    fallback = config.section("inputs").get("encoding_fallback", "cp1252")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        inputs = config.section("inputs")
        timestamp_format = inputs.get("timestamp_format", "%d/%m/%Y %H:%M:%S")
        with path.open("rb") as fh:
            refuse_ole(path, fh.read(8))
        sheet = inputs.get("sheets", {}).get(table) if table else None
        frame, warnings = read_xlsx(
            path, expected_headers or set(), timestamp_format, table=table, sheet=sheet
        )
        frame.columns = _check_header(list(frame.columns), path)
    elif path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        frame, warnings = _read_csv(path, fallback)
    else:
        raise IntakeError(f"{path.name}: only .csv and .xlsx exports can be read")
    if frame.empty:
        raise IntakeError(f"{path.name} has the question headers but no responses")
    frame.attrs.setdefault(FORMULA_KEY, 0)
    return frame, warnings
