"""Turning form answers (text) into typed fields, counting every answer that had to change.

Each parser takes a text column with spreadsheet row numbers as its index and the table's
`TableLog`; it returns the typed column and never drops a row. Imports only intake's quality
module.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime

import pandas as pd

from analysis.intake.quality import IntakeError, TableLog


def fold(text: str) -> str:
    """Compare answers the way a person reads them: case, spacing and apostrophes ignored."""
    return " ".join(str(text).replace("’", "'").replace("‘", "'").replace("–", "-").split()).casefold()


def blank_to_na(col: pd.Series) -> pd.Series:
    col = col.astype("string").str.strip()
    return col.mask(col.isin(["", "-", "n/a", "N/A", "NA", "None", "none"]))


def map_columns(
    frame: pd.DataFrame, mapping: dict[str, str], *, required: set[str], source: str
) -> pd.DataFrame:
    """Rename question texts to canonical fields; a missing or unknown column is an error."""
    by_fold = {fold(q): field for q, field in mapping.items()}
    renamed, unknown = {}, []
    for col in frame.columns:
        field = by_fold.get(fold(col))
        if field is None:
            unknown.append(col)
        else:
            renamed[col] = field
    if unknown:
        col = unknown[0]
        guess = difflib.get_close_matches(col, list(mapping), n=1, cutoff=0.5)
        hint = f"; the closest expected question is {guess[0]!r}" if guess else ""
        raise IntakeError(
            f"{source}: the column {col!r} is not in the settings file's question mapping{hint}. "
            "Add it to [mapping] in the year's settings, or fix the column name"
        )
    missing = sorted(required - set(renamed.values()))
    if missing:
        field = missing[0]
        question = next(q for q, f in mapping.items() if f == field)
        guess = difflib.get_close_matches(question, list(frame.columns), n=1, cutoff=0.5)
        hint = f"; the closest column in the file is {guess[0]!r}" if guess else ""
        raise IntakeError(f"{source}: the question {question!r} ({field}) is missing{hint}")
    return frame.rename(columns=renamed)


def parse_timestamps(
    col: pd.Series, fmt: str, tz: str, log: TableLog, *, what: str = "timestamp"
) -> pd.Series:
    """Parse by the configured format only; anything else is an error with its rows."""
    text = blank_to_na(col)
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    bad = text.notna() & parsed.isna()
    if bad.any():
        rows = list(bad[bad].index[:5])
        examples = "; ".join(f"row {r}: {text[r]!r}" for r in rows)
        raise IntakeError(
            f"{log.source}: {int(bad.sum())} {what}(s) do not match the expected format "
            f"{_human_format(fmt)} ({examples}). Mixed or US-style dates are not guessed: "
            "fix them in the export or change inputs.timestamp_format"
        )
    missing = text.isna()
    if missing.any():
        rows = list(missing[missing].index[:5])
        raise IntakeError(f"{log.source}: {int(missing.sum())} row(s) have no {what} (rows {rows})")
    localised = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    odd = localised.isna()
    if odd.any():
        rows = list(odd[odd].index[:5])
        raise IntakeError(
            f"{log.source}: the {what} in row(s) {rows} fall in the hour the clocks change, "
            "so the time is ambiguous; check the form's export settings"
        )
    return localised


def _human_format(fmt: str) -> str:
    return (
        fmt.replace("%d", "dd")
        .replace("%m", "mm")
        .replace("%Y", "yyyy")
        .replace("%H", "hh")
        .replace("%M", "mm")
        .replace("%S", "ss")
    )


def reject_future(stamps: pd.Series, log: TableLog, now: datetime | None = None) -> pd.Series:
    """A response dated after the export was made cannot be real: reject it, with its row."""
    now = pd.Timestamp(now or datetime.now(UTC))
    future = stamps > now
    for row in future[future].index:
        log.reject(row, f"timestamp {stamps[row]:%d/%m/%Y %H:%M} is in the future")
    return future


def parse_single(col: pd.Series, options: dict[str, object], log: TableLog, field: str) -> pd.Series:
    """Map an answer text to its code; an unknown answer becomes missing and is counted."""
    lookup = {fold(k): v for k, v in options.items()}
    text = blank_to_na(col)
    codes = text.map(lambda t: lookup.get(fold(t)) if pd.notna(t) else None)
    unknown = text.notna() & codes.isna()
    if unknown.any():
        values = sorted(set(text[unknown]))[:3]
        log.correct(
            "unknown_option",
            int(unknown.sum()),
            f"{field}: {int(unknown.sum())} answer(s) not among the settings file's options "
            f"were set to missing (e.g. {values[0]!r})",
        )
    return codes


def split_multi(text: str, option_folds: list[str]) -> tuple[list[str], list[str]]:
    """Split 'A, B, C' into known options, longest first, so an option may itself hold ', '."""
    known, unknown = [], []
    rest = fold(text)
    while rest:
        for opt in option_folds:
            if rest == opt or rest.startswith(opt + ","):
                known.append(opt)
                rest = rest[len(opt) :].lstrip(",").strip()
                break
        else:
            piece, _, rest = rest.partition(",")
            rest = rest.strip()
            if piece.strip():
                unknown.append(piece.strip())
    return known, unknown


def parse_multi(
    col: pd.Series, options: dict[str, str], log: TableLog, field: str, prefix: str
) -> pd.DataFrame:
    """One boolean column per option; unknown options are ignored and counted, never guessed."""
    folds = sorted((fold(k) for k in options), key=len, reverse=True)
    code_of = {fold(k): v for k, v in options.items()}
    codes = list(dict.fromkeys(options.values()))
    out = pd.DataFrame(False, index=col.index, columns=[f"{prefix}{c}" for c in codes])
    n_unknown, examples = 0, []
    for row, text in blank_to_na(col).items():
        if pd.isna(text):
            continue
        known, unknown = split_multi(text, folds)
        for opt in known:
            out.at[row, f"{prefix}{code_of[opt]}"] = True
        n_unknown += len(unknown)
        examples += unknown
    if n_unknown:
        log.correct(
            "unknown_option",
            n_unknown,
            f"{field}: {n_unknown} ticked option(s) not in the settings file were ignored "
            f"(e.g. {examples[0]!r})",
        )
    return out


def parse_scale(
    col: pd.Series, lo: int, hi: int, log: TableLog, field: str, options: dict[str, int] | None = None
) -> pd.Series:
    """Whole numbers lo..hi (or option texts mapping to them); anything else becomes missing, counted."""
    text = blank_to_na(col)
    if options:
        lookup = {fold(k): v for k, v in options.items()}
        mapped = text.map(lambda t: lookup.get(fold(t)) if pd.notna(t) else None)
        # A bare number or a leading "3 - Involve" style answer is accepted too.
        lead = text.str.extract(r"^\s*(\d+)", expand=False)
        text = mapped.astype("string").fillna(lead)
    numbers = pd.to_numeric(text, errors="coerce")
    ok = numbers.between(lo, hi) & (numbers == numbers.round())
    bad = text.notna() & ~ok.fillna(False)
    if bad.any():
        log.correct(
            "scale_out_of_range",
            int(bad.sum()),
            f"{field}: {int(bad.sum())} answer(s) outside {lo}-{hi} or not a whole number "
            f"were set to missing (rows {list(bad[bad].index[:5])})",
        )
    return numbers.where(ok).astype("Int64")


_MONEY = re.compile(r"[£,\s]|gbp", re.IGNORECASE)


def parse_amount(col: pd.Series, log: TableLog, field: str, *, money: bool = False) -> pd.Series:
    """Counts and £ amounts: '£12,500', '12500' and '12,500' are the same; text is missing, counted."""
    text = blank_to_na(col)
    cleaned = text.str.replace(_MONEY, "", regex=True)
    kilo = cleaned.str.fullmatch(r"\d+(\.\d+)?[kK]").fillna(False)
    cleaned = cleaned.mask(kilo, cleaned.str[:-1])
    numbers = pd.to_numeric(cleaned, errors="coerce")
    numbers = numbers.mask(kilo, numbers * 1000)
    bad = text.notna() & (numbers.isna() | (numbers < 0))
    if bad.any():
        log.correct(
            "not_a_number",
            int(bad.sum()),
            f"{field}: {int(bad.sum())} answer(s) that are not a non-negative number were set "
            f"to missing (rows {list(bad[bad].index[:5])})",
        )
    numbers = numbers.where(~bad)
    if money:
        return numbers.astype("Float64")
    fractional = numbers.notna() & (numbers != numbers.round())
    if fractional.any():
        log.correct(
            "rounded_to_whole",
            int(fractional.sum()),
            f"{field}: {int(fractional.sum())} count(s) were not whole numbers and were rounded",
        )
    return numbers.round().astype("Int64")
