"""Reading form exports as they arrive: CSV in whatever encoding and separator, or XLSX.

Everything is read as text; interpretation (numbers, dates, options) happens later with
the row numbers still attached, so every problem can be reported against its row. Imports only
intake's quality module.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis.intake.quality import IntakeError

_SEPARATORS = (",", ";", "\t", "|")


def _decode(raw: bytes, path: Path, fallback: str) -> tuple[str, list[str]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export is UTF-16
        return raw.decode("utf-16").lstrip("\ufeff"), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        text = raw.decode(fallback, errors="replace")
        return text, [
            f"{path.name} is not UTF-8; read it as {fallback} (Windows). "
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
    return cleaned


def _read_csv(path: Path, fallback: str) -> tuple[pd.DataFrame, list[str]]:
    raw = path.read_bytes()
    if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
        raise IntakeError(f"{path.name} is empty: export the responses again")
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


def _cell_text(value, timestamp_format: str) -> str:
    """Spreadsheet date-time cells back into the form's own text format; the rest as typed."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime(timestamp_format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, expected: set[str], timestamp_format: str) -> tuple[pd.DataFrame, list[str]]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, header=0)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise IntakeError(f"{path.name} could not be opened as an Excel workbook: {exc}") from None
    warnings: list[str] = []
    scored = []
    for name, sheet in sheets.items():
        cols = {" ".join(str(c).split()) for c in sheet.columns}
        scored.append((len(cols & expected), name))
    scored.sort(key=lambda t: (-t[0], list(sheets).index(t[1])))
    if not scored or scored[0][0] == 0:
        raise IntakeError(f"{path.name}: no sheet has the expected question columns")
    best = scored[0][1]
    if len(sheets) > 1:
        warnings.append(
            f"{path.name} has {len(sheets)} sheets ({', '.join(map(str, sheets))}); "
            f"used {best!r}, the one with the form's questions"
        )
    sheet = sheets[best]
    header = _check_header([str(c) for c in sheet.columns], path)
    sheet.columns = header
    sheet = sheet.dropna(how="all").map(lambda v: _cell_text(v, timestamp_format)).astype("string")
    sheet.index = pd.RangeIndex(2, 2 + len(sheet), name="row")
    return sheet, warnings


def read_export(
    path: Path, *, config, expected_headers: set[str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV or XLSX export as text, with spreadsheet row numbers as the index."""
    path = Path(path)
    if not path.exists():
        raise IntakeError(f"input file not found: {path} (check [inputs] in the year's settings file)")
    fallback = config.section("inputs").get("encoding_fallback", "cp1252")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        timestamp_format = config.section("inputs").get("timestamp_format", "%d/%m/%Y %H:%M:%S")
        frame, warnings = _read_xlsx(path, expected_headers or set(), timestamp_format)
    elif path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        frame, warnings = _read_csv(path, fallback)
    else:
        raise IntakeError(f"{path.name}: only .csv and .xlsx exports can be read")
    if frame.empty:
        raise IntakeError(f"{path.name} has the question headers but no responses")
    return frame, warnings
