"""Reading an Excel workbook export: every sheet inspected, the responses sheet chosen safely.

A workbook can hold an old export next to the real one, or formulas whose values were never
saved; picking the first sheet or reading a formula as blank would change a number without a
word. So every sheet is scored against the form's questions, two response-like sheets stop the
read unless `[inputs.sheets]` names one, and formula cells without a saved value are counted.
Cells come back as text, as from a CSV. Imports only intake's quality and fields modules.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.intake.fields import fold
from analysis.intake.quality import IntakeError

# A password-protected .xlsx is not a zip but an OLE compound file holding an encrypted package.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMULA_KEY = "formula_without_value"


def refuse_ole(path: Path, head: bytes) -> None:
    """A compound file with an .xlsx name is encrypted (or an old .xls): say so plainly."""
    if not head.startswith(OLE_MAGIC):
        return
    if "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
        raise IntakeError(
            f"{path.name} is a password-protected workbook, so it cannot be read. Open it in Excel, "
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it), "
            "save, and check again"
        )
    raise IntakeError(
        f"{path.name} is an old-style Excel 97-2003 workbook, not .xlsx: open it in Excel and save it "
        "as 'Excel Workbook (.xlsx)' or 'CSV UTF-8', then point [inputs] at the new file"
    )


def _cell_text(value, timestamp_format: str) -> str:
    """Spreadsheet date-time cells back into the form's own text format; the rest as typed."""
    if value is None:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime(timestamp_format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(path: Path, data_only: bool) -> dict[str, list[tuple]]:
    try:
        book = load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IntakeError(f"{path.name} could not be opened as an Excel workbook ({exc})") from None
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def _score(rows: list[tuple], expected: set[str]) -> int:
    return len({fold(c) for c in rows[0] if c is not None} & expected) if rows else 0


def _pick(path: Path, sheets: dict[str, list[tuple]], expected: set[str], table: str | None, chosen):
    """The sheet to read: the one named in the settings, else the only response-like one."""
    names = list(sheets)
    if chosen is not None:
        if chosen not in sheets:
            raise IntakeError(
                f"{path.name} has no sheet called {chosen!r} ([inputs.sheets] in the settings); "
                f"its sheets are: {', '.join(repr(n) for n in names)}"
            )
        return chosen, []
    scores = {name: _score(rows, expected) for name, rows in sheets.items()}
    best = max(scores.values(), default=0)
    if best == 0:
        raise IntakeError(
            f"{path.name}: no sheet has the expected question columns (sheets: "
            f"{', '.join(repr(n) for n in names)}); check [mapping] or export the responses sheet"
        )
    like = [n for n in names if scores[n] >= max(2, (best + 1) // 2)]
    if len(like) > 1:
        listed = ", ".join(f"{n!r} ({max(len(sheets[n]) - 1, 0)} rows)" for n in like)
        setting = f'[inputs.sheets] {table or "<input>"} = "{like[-1]}"'
        raise IntakeError(
            f"{path.name} has {len(like)} sheets that look like form responses: {listed}. "
            f"Name the one to read in the year's settings, e.g. {setting}"
        )
    warnings = []
    if len(names) > 1:
        warnings.append(
            f"{path.name} has {len(names)} sheets ({', '.join(names)}); used {like[0]!r}, "
            "the only one with the form's questions"
        )
    return like[0], warnings


def read_xlsx(
    path: Path, expected: set[str], timestamp_format: str, *, table: str | None = None, sheet=None
) -> tuple[pd.DataFrame, list[str]]:
    """Text of the responses sheet, indexed by spreadsheet row; formula cells without values counted."""
    values = _rows(path, data_only=True)
    name, warnings = _pick(path, values, {fold(q) for q in expected}, table, sheet)
    rows = values[name]
    formulas = _rows(path, data_only=False)[name]
    header = ["" if c is None else str(c) for c in rows[0]]
    body, index, blanked, cols = [], [], [], set()
    for number, (row, raw) in enumerate(zip(rows[1:], formulas[1:]), start=2):
        row = list(row) + [None] * (len(header) - len(row))
        if all(v is None or str(v).strip() == "" for v in row[: len(header)]):
            continue
        for i, (value, typed) in enumerate(zip(row, raw)):
            if value is None and isinstance(typed, str) and typed.startswith("="):
                blanked.append(number)
                cols.add(header[i] if i < len(header) else f"column {i + 1}")
        body.append([_cell_text(v, timestamp_format) for v in row[: len(header)]])
        index.append(number)
    frame = pd.DataFrame(body, columns=header, dtype="string")
    frame.index = pd.Index(index, name="row", dtype="int64")
    frame.attrs[FORMULA_KEY] = len(blanked)
    if blanked:
        shown = ", ".join(str(r) for r in sorted(set(blanked))[:10])
        warnings.append(
            f"{path.name}, sheet {name!r}: {len(blanked)} cell(s) hold a formula with no saved value "
            f"(columns {', '.join(sorted(repr(c) for c in cols))}; rows {shown}); they are read as blank. "
            "Open the workbook in Excel, let it calculate and save it, or paste the values, then check again"
        )
    return frame, warnings
