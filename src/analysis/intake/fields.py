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


_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)
_TRAILING = re.compile(r"[\s.,;:!?]+$")


def normalise_option(text: str) -> str:
    """The one option normaliser: case, spacing, curly quotes, wrapping quotes, trailing punctuation.

    Form tools and respondents add a full stop or smart quotes to an option label; such an answer
    still means that option, and is counted as a correction rather than lost.
    """
    t = " ".join(str(text).translate(_QUOTES).split()).casefold()
    t = _TRAILING.sub("", t)
    if len(t) > 1 and t[0] == t[-1] and t[0] in "'\"":
        t = _TRAILING.sub("", t[1:-1].strip())
    return t


class Options:
    """A field's configured answers, matched as given or, failing that, after `normalise_option`."""

    def __init__(self, options: dict[str, object]):
        self.exact = {str(k).strip(): v for k, v in options.items()}
        self.loose = {normalise_option(k): v for k, v in options.items()}
        self.labels = list(options)

    def match(self, text) -> tuple[object | None, str | None]:
        """(code, how): how is "exact", "normalised" or None when no option matches."""
        if text is None or (not isinstance(text, str) and pd.isna(text)):
            return None, None
        text = str(text).strip()
        if text in self.exact:
            return self.exact[text], "exact"
        key = normalise_option(text)
        if key in self.loose:
            return self.loose[key], "normalised"
        return None, None

    def nearest(self, text, n: int = 2) -> list[str]:
        """The configured labels closest to an answer (the answer itself is never shown)."""
        by_norm = {normalise_option(k): k for k in self.labels}
        close = difflib.get_close_matches(normalise_option(text), list(by_norm), n=n, cutoff=0.4)
        return [by_norm[c] for c in close]


def blank_to_na(col: pd.Series) -> pd.Series:
    col = col.astype("string").str.strip()
    return col.mask(col.isin(["", "-", "n/a", "N/A", "NA", "None", "none"]))


def map_columns(
    frame: pd.DataFrame,
    mapping: dict[str, str],
    *,
    required: set[str],
    source: str,
    ignore: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Rename question texts to canonical fields; a missing or unknown column is an error.

    Columns named in `ignore` ([inputs.ignore_columns] in the settings) are dropped unread.
    """
    by_fold = {fold(q): field for q, field in mapping.items()}
    ignored = {fold(c) for c in ignore}
    frame = frame[[c for c in frame.columns if fold(c) not in ignored or fold(c) in by_fold]]
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
            "Add it to [mapping] in the year's settings, list it under [inputs.ignore_columns], or fix "
            "the column name (`cip-analysis check` lists every such column at once)"
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


def _count_normalised(n: int, log: TableLog, field: str) -> None:
    log.correct(
        "option_normalised",
        n,
        f"{field}: {n} answer(s) matched an option only after ignoring case, spacing, quotes "
        "or trailing punctuation",
        field=field,
    )


def match_single(text: pd.Series, options: dict[str, object]) -> tuple[pd.Series, pd.Series]:
    """Codes and how each answer matched ("exact", "normalised", or missing when unknown)."""
    opts = Options(options)
    pairs = [opts.match(t) for t in text]
    codes = pd.Series([c for c, _ in pairs], index=text.index, dtype=object)
    how = pd.Series([h for _, h in pairs], index=text.index, dtype=object)
    return codes, how


def parse_single(col: pd.Series, options: dict[str, object], log: TableLog, field: str) -> pd.Series:
    """Map an answer text to its code; an unknown answer becomes missing and is counted."""
    text = blank_to_na(col)
    codes, how = match_single(text, options)
    _count_normalised(int((how == "normalised").sum()), log, field)
    unknown = text.notna() & codes.isna()
    if unknown.any():
        log.correct(
            "unknown_option",
            int(unknown.sum()),
            f"{field}: {int(unknown.sum())} answer(s) not among the settings file's options "
            f"were set to missing (rows {list(unknown[unknown].index[:5])})",
            field=field,
        )
    return codes.where(codes.notna(), None)


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


def match_multi(text: str, options: dict[str, object]) -> tuple[list[object], int, list[str]]:
    """Ticked codes of one checkbox answer, how many matched only after normalising, unknown pieces."""
    folds = sorted({fold(k) for k in options}, key=len, reverse=True)
    code_of = {fold(k): v for k, v in options.items()}
    exact = {str(k) for k in options}
    opts = Options(options)
    known, unknown = split_multi(text, folds)
    codes = [code_of[k] for k in known]
    # A piece matched ignoring case only, or after stripping punctuation/quotes, is a correction.
    n_normalised = sum(1 for k in known if not any(k == fold(e) and e in str(text) for e in exact))
    still = []
    for piece in unknown:
        code, _ = opts.match(piece)
        if code is None:
            still.append(piece)
        else:
            codes.append(code)
            n_normalised += 1
    return codes, n_normalised, still


def parse_multi(
    col: pd.Series, options: dict[str, str], log: TableLog, field: str, prefix: str
) -> pd.DataFrame:
    """One boolean column per option; unknown options are ignored and counted, never guessed."""
    codes = list(dict.fromkeys(options.values()))
    out = pd.DataFrame(False, index=col.index, columns=[f"{prefix}{c}" for c in codes])
    n_unknown, n_normalised, rows = 0, 0, []
    for row, text in blank_to_na(col).items():
        if pd.isna(text):
            continue
        ticked, normalised, unknown = match_multi(text, options)
        for code in ticked:
            out.at[row, f"{prefix}{code}"] = True
        n_normalised += normalised
        n_unknown += len(unknown)
        rows += [row] * bool(unknown)
    _count_normalised(n_normalised, log, field)
    if n_unknown:
        log.correct(
            "unknown_option",
            n_unknown,
            f"{field}: {n_unknown} ticked option(s) not in the settings file were ignored (rows {rows[:5]})",
            field=field,
        )
    return out


def scale_text(text: pd.Series, options: dict[str, int] | None) -> tuple[pd.Series, pd.Series]:
    """Option labels → their numbers (a bare number or "3 - Involve" is accepted too); how each matched."""
    if not options:
        return text, pd.Series(None, index=text.index, dtype=object)
    mapped, how = match_single(text, options)
    lead = text.str.extract(r"^\s*(\d+)", expand=False)
    return mapped.astype("string").fillna(lead), how


def parse_scale(
    col: pd.Series, lo: int, hi: int, log: TableLog, field: str, options: dict[str, int] | None = None
) -> pd.Series:
    """Whole numbers lo..hi (or option texts mapping to them); anything else becomes missing, counted."""
    text, how = scale_text(blank_to_na(col), options)
    _count_normalised(int((how == "normalised").sum()), log, field)
    numbers = pd.to_numeric(text, errors="coerce")
    ok = numbers.between(lo, hi) & (numbers == numbers.round())
    bad = text.notna() & ~ok.fillna(False)
    if bad.any():
        log.correct(
            "scale_out_of_range",
            int(bad.sum()),
            f"{field}: {int(bad.sum())} answer(s) outside {lo}-{hi} or not a whole number "
            f"were set to missing (rows {list(bad[bad].index[:5])})",
            field=field,
        )
    return numbers.where(ok).astype("Int64")


_CURRENCY = re.compile(r"^(£|gbp)\s*|\s*(gbp)$", re.IGNORECASE)
_PLAIN = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?[kK]?")
_DECIMAL_COMMA = re.compile(r"-?\d{1,3}(\.\d{3})*,\d+|-?\d+,\d{1,2}")
_NOT_FINITE = {"inf", "+inf", "-inf", "infinity", "-infinity", "nan"}
LARGEST_AMOUNT = 1e12  # above any real count or £ figure, and below where a whole-number column wraps
AMOUNT_PROBLEMS = {
    "decimal_comma": "a decimal comma (1,5 or 1.234,56), not reinterpreted",
    "not_finite": "infinity or NaN",
    "negative": "a negative number",
    "spaced_digits": "digits separated by spaces, such as a phone number",
    "leading_zero": "a number with a leading zero, such as a phone number",
    "too_large": "a number too large to be real",
    "not_a_number": "text that is not a number",
}


def read_amounts(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers and, per row, why an answer is not one (keys of AMOUNT_PROBLEMS), never a guess.

    '£9,500', '9500', '9,500' and '9.5k' are read; a decimal comma, '1,5', 'inf', 'NaN', a negative
    number, spaced digits or a leading zero (phone numbers) are rejected rather than reinterpreted.
    """
    values, reasons = [], []
    for t in text:
        if t is None or pd.isna(t):
            values.append(float("nan"))
            reasons.append(None)
            continue
        core = _CURRENCY.sub("", str(t).strip()).strip()
        value, reason = float("nan"), None
        if core.casefold() in _NOT_FINITE:
            reason = "not_finite"
        elif _PLAIN.fullmatch(core):
            digits = core.lstrip("-")
            kilo = digits[-1] in "kK"
            number = float(digits.rstrip("kK").replace(",", "")) * (1000 if kilo else 1)
            if core.startswith("-"):
                reason = "negative"
            elif len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
                reason = "leading_zero"
            elif number > LARGEST_AMOUNT:
                reason = "too_large"
            else:
                value = number
        elif _DECIMAL_COMMA.fullmatch(core):
            reason = "decimal_comma"
        elif re.fullmatch(r"[\d\s+()-]+", core) and re.search(r"\d\s+\d", core):
            reason = "spaced_digits"
        else:
            reason = "not_a_number"
        values.append(value)
        reasons.append(reason)
    return (
        pd.Series(values, index=text.index, dtype="float64"),
        pd.Series(reasons, index=text.index, dtype=object),
    )


def parse_amount(col: pd.Series, log: TableLog, field: str, *, money: bool = False) -> pd.Series:
    """Counts and £ amounts: '£12,500', '12500' and '12,500' are the same; anything else is missing, counted."""
    numbers, reasons = read_amounts(blank_to_na(col))
    bad = reasons.notna()
    if bad.any():
        kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in reasons[bad].value_counts().items())
        log.correct(
            "not_a_number",
            int(bad.sum()),
            f"{field}: {int(bad.sum())} answer(s) that are not a non-negative number were set "
            f"to missing ({kinds}; rows {list(bad[bad].index[:5])})",
            field=field,
        )
    if money:
        return numbers.astype("Float64")
    fractional = numbers.notna() & (numbers != numbers.round())
    if fractional.any():
        log.correct(
            "rounded_to_whole",
            int(fractional.sum()),
            f"{field}: {int(fractional.sum())} count(s) were not whole numbers and were rounded",
            field=field,
        )
    return numbers.round().astype("Int64")
