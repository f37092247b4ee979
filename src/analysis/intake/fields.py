"""Turning form answers (text) into typed fields, counting every answer that had to change.

Each parser takes a text column with spreadsheet row numbers as its index and the table's
`TableLog`; it returns the typed column and never drops a row, and records in the log how many
answers the field had and which could not be used (the run stops above a share). Imports only
intake's quality and dates modules.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from typing import NamedTuple

import pandas as pd

from analysis.intake.dates import CLOCK_RULE, read_dates
from analysis.intake.quality import IntakeError, TableLog


def fold(text: str) -> str:
    """Compare answers the way a person reads them: case, spacing and apostrophes ignored."""
    return " ".join(str(text).replace("’", "'").replace("‘", "'").replace("–", "-").split()).casefold()


_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)
_TRAILING = re.compile(r"[\s.,;:!?]+$")
# "Other: …" / "Other (please specify): …": a typed answer to an option list's "Other".
_OTHER = re.compile(r"(?:^|,)\s*other\b[^:,]{0,30}:", re.IGNORECASE)


def normalise_option(text: str) -> str:
    """The one option normaliser: case, spacing, curly quotes, wrapping quotes, trailing punctuation.

    Form tools and respondents add a full stop or smart quotes to an option label; such an answer
    still means that option, and is counted as a correction rather than lost.
    """
    t = " ".join(str(text).translate(_QUOTES).split()).casefold()
    t = _TRAILING.sub("", t)
    if len(t) > 1 and t[0] in "'\"" and t[-1] in "'\"":  # wrapping quotes, matched or not
        t = _TRAILING.sub("", t[1:-1].strip())
    return t


class Options:
    """A field's configured answers, matched as given or, failing that, after `normalise_option`."""

    def __init__(self, options: dict[str, object]):
        self.exact = {str(k).strip(): v for k, v in options.items()}
        self.loose = {normalise_option(k): v for k, v in options.items()}
        self.labels = list(options)

    def match(self, text) -> tuple[object | None, str | None]:
        """(code, how): how is "exact", "normalised", "other_text" (a typed "Other: …" answer,
        kept as the "Other" option, its text dropped) or None when no option matches."""
        if text is None or (not isinstance(text, str) and pd.isna(text)):
            return None, None
        text = str(text).strip()
        if text in self.exact:
            return self.exact[text], "exact"
        key = normalise_option(text)
        if key in self.loose:
            return self.loose[key], "normalised"
        if "other" in self.loose and _OTHER.match(text):
            return self.loose["other"], "other_text"
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
    col: pd.Series,
    fmt: str,
    tz: str,
    log: TableLog,
    *,
    what: str = "timestamp",
    setting: str = "inputs.timestamp_format",
) -> pd.Series:
    """Parse a form's timestamps by the configured format, checked against the whole column.

    Every problem stops intake with its rows and the setting to change; the hour the clocks go back
    is read by the stated rule of `dates.read_dates` and counted.
    """
    column = read_dates(blank_to_na(col), fmt, setting, what=what, in_row_order=True, timezone=tz)
    stop_on_dates(column, log)
    n = len(column.clock_change_rows)
    log.correct(
        "clock_change_resolved",
        n,
        f"{n} {what}(s) fall in the hour repeated when the clocks go back; "
        f"{CLOCK_RULE} (rows {column.clock_change_rows[:5]})",
        field="submitted_at",
    )
    return column.values


def parse_dates(
    col: pd.Series, fmt: str, setting: str, log: TableLog, *, what: str, required: bool
) -> pd.Series:
    """Workshop and roster dates: the whole column read by one format, or a stop naming the setting."""
    column = read_dates(blank_to_na(col), fmt, setting, what=what, required=required)
    stop_on_dates(column, log)
    return column.values


def stop_on_dates(column, log: TableLog) -> None:
    """Raise every blocking date finding at once, with rows and the setting to change."""
    if column.blocking:
        raise IntakeError(
            f"{log.source}: "
            + "; ".join(f"{f.message} ({_row_words(f.rows)})" for f in column.blocking)
            + " (`cip-analysis check` lists every problem at once)"
        )


def _row_words(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:5]) + (f", … ({len(rows)} rows)" if len(rows) > 5 else "")
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


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


def _count_other(n: int, log: TableLog, field: str) -> None:
    log.correct(
        "other_text_dropped",
        n,
        f'{field}: {n} typed "Other: …" answer(s) kept as the option Other, their text dropped',
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
    _count_other(int((how == "other_text").sum()), log, field)
    unknown = text.notna() & codes.isna()
    log.answers(field, int(text.notna().sum()), unknown[unknown].index)
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


class MultiMatch(NamedTuple):
    """One checkbox answer: ticked codes, how many matched only after normalising, unknown pieces,
    and whether a typed "Other: …" was kept as the option Other (its text dropped)."""

    codes: list
    normalised: int
    unknown: list[str]
    other_text: bool


def match_multi(text: str, options: dict[str, object]) -> MultiMatch:
    """Ticked codes of one checkbox answer; a typed "Other: …" is Other when the list has it."""
    folds = sorted({fold(k) for k in options}, key=len, reverse=True)
    code_of = {fold(k): v for k, v in options.items()}
    exact = {str(k) for k in options}
    opts = Options(options)
    other = _OTHER.search(str(text))
    if other:  # everything after "Other:" is typed text, commas and all
        text = str(text)[: other.start()]
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
    if other and "other" in opts.loose:
        codes.append(opts.loose["other"])
    elif other:
        still.append("Other")
    return MultiMatch(codes, n_normalised, still, bool(other) and "other" in opts.loose)


def parse_multi(
    col: pd.Series, options: dict[str, str], log: TableLog, field: str, prefix: str
) -> pd.DataFrame:
    """One boolean column per option; unknown options are ignored and counted, never guessed."""
    codes = list(dict.fromkeys(options.values()))
    out = pd.DataFrame(False, index=col.index, columns=[f"{prefix}{c}" for c in codes])
    n_unknown, n_normalised, n_other, rows, given = 0, 0, 0, [], 0
    for row, text in blank_to_na(col).items():
        if pd.isna(text):
            continue
        given += 1
        ticked, normalised, unknown, other = match_multi(text, options)
        for code in ticked:
            out.at[row, f"{prefix}{code}"] = True
        n_normalised += normalised
        n_other += other
        n_unknown += len(unknown)
        rows += [row] * bool(unknown)
    _count_normalised(n_normalised, log, field)
    _count_other(n_other, log, field)
    log.answers(field, given, rows)
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
    log.answers(field, int(text.notna().sum()), bad[bad].index)
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
DEFAULT_MAXIMUM = {"count": 1_000_000, "money": 1_000_000_000}
AMOUNT_PROBLEMS = {
    "decimal_comma": "a decimal comma (1,5 or 1.234,56), not reinterpreted",
    "not_finite": "infinity or NaN",
    "negative": "a negative number",
    "spaced_digits": "digits separated by spaces, such as a phone number",
    "leading_zero": "a number with a leading zero, such as a phone number",
    "too_large": "above the field's maximum (inputs.max_count, max_money_gbp or [inputs.max_value])",
    "not_a_number": "text that is not a number",
}


def unknown_maximum_fields(inputs: dict, numeric_fields) -> list[str]:
    """Keys of `[inputs.max_value]` that name no numeric field: a misspelt key would leave its
    field on the general maximum without a word, so intake and `check` stop on it."""
    return sorted(set(inputs.get("max_value", {})) - set(numeric_fields))


def maximum_fields_message(unknown: list[str], numeric_fields) -> str:
    return (
        f"[inputs.max_value] names {len(unknown)} field(s) no input reads as a number: "
        f"{', '.join(unknown)}; use one of {', '.join(numeric_fields)} (fix the key in the year's settings)"
    )


def amount_maximum(inputs: dict, field: str, *, money: bool) -> float:
    """The largest believable answer: [inputs.max_value] for the field, else max_count or max_money_gbp."""
    own = inputs.get("max_value", {})
    if field in own:
        return float(own[field])
    if money:
        return float(inputs.get("max_money_gbp", DEFAULT_MAXIMUM["money"]))
    return float(inputs.get("max_count", DEFAULT_MAXIMUM["count"]))


def read_amounts(text: pd.Series, maximum: float = LARGEST_AMOUNT) -> tuple[pd.Series, pd.Series]:
    """Numbers and, per row, why an answer is not one (keys of AMOUNT_PROBLEMS), never a guess.

    '£9,500', '9500', '9,500' and '9.5k' are read; a decimal comma, '1,5', 'inf', 'NaN', a negative
    number, spaced digits or a leading zero (phone numbers) and a number above `maximum` are
    rejected rather than reinterpreted.
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
            elif number > min(maximum, LARGEST_AMOUNT):
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


def parse_amount(
    col: pd.Series, log: TableLog, field: str, *, money: bool = False, maximum: float = LARGEST_AMOUNT
) -> pd.Series:
    """Counts and £ amounts: '£12,500', '12500' and '12,500' are the same; anything else is missing, counted."""
    text = blank_to_na(col)
    numbers, reasons = read_amounts(text, maximum)
    bad = reasons.notna()
    log.answers(field, int(text.notna().sum()), bad[bad].index)
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


def parse_level(col: pd.Series, config, log: TableLog, field: str) -> pd.Series:
    """A participation level: a number on the settings' scale, or one of its `[options.level]` labels."""
    scales = config.section("scales")
    return parse_scale(
        col,
        scales.get("level_min", 1),
        scales.get("level_max", 5),
        log,
        field,
        options=config["options"]["level"],
    )
