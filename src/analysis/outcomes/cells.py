"""Published outcome cells: reading, re-labelling and combining tables `analysis.disclosure` protected.

A `Cell` points at one published figure (table, row, column) so the sentence quoting it and the
table showing it can never disagree. The helpers here only re-label, withhold or put side by
side what disclosure control already cleared; they never publish a new raw number.

Layer: protect. Imports the base layer, `analysis.disclosure` and the outcome measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.disclosure import protect_money
from analysis.outcomes.measures import is_money
from analysis.text import (
    SUPPRESSED,
    capitalise,
    format_value,
    is_missing,
    percent_change,
    signed_change,
)


def measure_kind(measure: str) -> str:
    """How a measure's figures print: "money" (£) or "count"."""
    return "money" if is_money(measure) else "count"


def published_text(value: float | None, measure: str) -> str:
    """A published figure of `measure` as text: £ or a whole count, "[c]" where withheld."""
    return SUPPRESSED if is_missing(value) else format_value(value, measure_kind(measure))


def change_text(diff: float | None, base: float | None, measure: str) -> str:
    """'+£1,200 (+12%)' or '+8 (from 5)': no percentage on a base under `text.MIN_PERCENT_BASE`."""
    if is_missing(diff):
        return SUPPRESSED
    out = signed_change(diff, measure_kind(measure))
    pct = None if is_missing(base) else percent_change(base, float(base) + float(diff))
    if pct:
        out += f" ({pct})"
    elif not is_missing(base):
        out += f" (from {format_value(base, measure_kind(measure))})"
    return out


def published_value(table, row: Any, column: Any = None) -> float | None:
    """The value of one cell as published (None where suppressed, not available or absent)."""
    values = table.values
    if column is None:
        column = values.columns[0]
    try:
        v = values.loc[row, column]
    except KeyError:
        return None
    return None if pd.isna(v) else float(v)


@dataclass
class Cell:
    """Where a published figure sits: a protected table, its row and its column."""

    table: Any
    row: Any
    column: Any

    @property
    def value(self) -> float | None:
        return published_value(self.table, self.row, self.column)

    @property
    def status(self) -> str:
        try:
            return str(self.table.status.loc[self.row, self.column])
        except KeyError:
            return "na"


def protect_total(
    frame: pd.DataFrame, measure: str, rules, *, by: str | None, caption: str, value_col: str | None = None
):
    """A total of a magnitude through `protect_money` (minimum contributors + dominance).

    Activity totals (ventures, citizens, advocacy actions …) are magnitudes too: a network total
    made mostly of one member's figure reveals it as surely as a money figure would, so they get
    the same rule as £ (stated in the method notes) and are shown as counts.
    """
    table = protect_money(frame, value_col or measure, by=by, rules=rules, caption=caption)
    return table.reformat(measure_kind(measure))


def in_full(value: float) -> tuple[float, str, str]:
    """A cell published in full (counts of returns or workshops, never of members' answers)."""
    return float(value), format_value(value, "count"), "safe"


def label(measure_label: str) -> str:
    """A measure's label as a row or column heading ("New citizen-led ventures")."""
    return capitalise(measure_label)
