"""The one reader of dates and timestamps, shared by intake and `cip-analysis check`.

A date format is checked against the whole column, never value by value: one value that cannot
exist under the setting (8/21/2019 read day-first) stops the input, naming the setting. When every
value reads both ways (all days 12 or less), a form export's row order decides: exports are in
submission order, so a setting that puts them out of order while the swapped one keeps them in
order is a stop. The hour repeated when UK clocks go back is read by a stated rule (the first of the
two, British Summer Time) and counted, not stopped on. Imports nothing from analysis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DEFAULT_FORMATS = {"timestamp_format": "%d/%m/%Y %H:%M:%S", "date_format": "%d/%m/%Y"}
CLOCK_RULE = "read as the first of the two (British Summer Time, the earlier instant)"
MAX_ROWS = 10


@dataclass
class DateFinding:
    """One problem of a date column: a sentence without any value, its rows, whether it stops."""

    message: str
    rows: list[int] = field(default_factory=list)
    blocking: bool = True


@dataclass
class DateColumn:
    """A column read by `read_dates`: values, problems, and rows resolved by the clock-change rule."""

    values: pd.Series
    findings: list[DateFinding]
    clock_change_rows: list[int] = field(default_factory=list)

    @property
    def blocking(self) -> list[DateFinding]:
        return [f for f in self.findings if f.blocking]


def date_setting(inputs: dict, table: str, key: str) -> tuple[str, str]:
    """(format, the setting's name): `[inputs.formats.<table>]` when set there, else the global one."""
    own = inputs.get("formats", {}).get(table, {})
    if key in own:
        return own[key], f"inputs.formats.{table}.{key}"
    return inputs.get(key, DEFAULT_FORMATS[key]), f"inputs.{key}"


def swapped(fmt: str) -> str:
    """The same format read the other way round (day-first ⇄ month-first)."""
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


def human_order(fmt: str) -> str:
    return "month-first" if fmt.find("%m") < fmt.find("%d") else "day-first"


def _rows(mask: pd.Series) -> list[int]:
    return [int(r) for r in mask[mask].index]


def _parse(text: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(text, format=fmt, errors="coerce")


def read_dates(
    text: pd.Series,
    fmt: str,
    setting: str,
    *,
    what: str = "date",
    required: bool = True,
    in_row_order: bool = False,
    timezone: str | None = None,
) -> DateColumn:
    """Parse a text column (blanks already missing) by `fmt`; every problem found, none raised.

    `in_row_order`: the rows are in time order (form exports), which decides between the two
    readings of an all-ambiguous column. `timezone`: localise, resolving the clock-change hour.
    """
    findings: list[DateFinding] = []
    missing = text.isna()
    if required and missing.any():
        findings.append(DateFinding(f"{int(missing.sum())} row(s) have no {what}", _rows(missing)))
    parsed = _parse(text, fmt)
    bad = text.notna() & parsed.isna()
    other = swapped(fmt)
    if bad.any():
        hint = ""
        if other != fmt and _parse(text[text.notna()], other).notna().all():
            hint = f"; every {what} reads {human_order(other)}: set {setting} = {json.dumps(other)}"
        findings.append(
            DateFinding(
                f"{int(bad.sum())} {what}(s) cannot be read with {setting} = {json.dumps(fmt)} "
                f"({human_order(fmt)}){hint}. Mixed or US-style dates are not guessed",
                _rows(bad),
            )
        )
    elif in_row_order and other != fmt and text.notna().sum() > 1:
        findings += _row_order(text, parsed, fmt, other, setting, what)
    values, clock_rows = parsed, []
    if timezone is not None and not bad.any():
        values, clock_rows, odd = _localise(parsed, timezone)
        if odd:
            findings.append(
                DateFinding(
                    f"{len(odd)} {what}(s) fall in the hour skipped when the clocks go forward, so "
                    f"cannot be a time in inputs.timezone = {json.dumps(timezone)}",
                    odd,
                )
            )
    return DateColumn(values, findings, clock_rows)


def _row_order(
    text: pd.Series, parsed: pd.Series, fmt: str, other: str, setting: str, what: str
) -> list[DateFinding]:
    """Both readings fit every value: the one that keeps the rows in order wins, else a stop."""
    alt = _parse(text, other)
    if alt[text.notna()].isna().any() or alt.equals(parsed):
        return []
    given, swap = parsed.dropna(), alt.dropna()
    if given.is_monotonic_increasing or not swap.is_monotonic_increasing:
        return []
    back = given < given.cummax().shift(1)
    return [
        DateFinding(
            f"every {what} reads both day-first and month-first; read with {setting} = "
            f"{json.dumps(fmt)} ({human_order(fmt)}) the rows go back in time, read "
            f"{human_order(other)} they are in submission order. Set {setting} = {json.dumps(other)} "
            "if the export is month-first",
            _rows(back.fillna(False)),
        )
    ]


def _localise(parsed: pd.Series, timezone: str) -> tuple[pd.Series, list[int], list[int]]:
    """Local times with the repeated hour read as its first occurrence; skipped-hour rows."""
    plain = parsed.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    first = parsed.dt.tz_localize(timezone, ambiguous=np.ones(len(parsed), bool), nonexistent="NaT")
    repeated = parsed.notna() & plain.isna() & first.notna()
    skipped = parsed.notna() & first.isna()
    return first, _rows(repeated), _rows(skipped)
