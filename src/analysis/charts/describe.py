"""Words for charts: numbers on labels and legends, and alt text written from published values.

Alt text names the chart type, repeats the message (the title states it) and gives the key
values, so a reader without sight of the chart gets what it shows. Layer: present; imports
`analysis.text` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from analysis import text
from analysis.text import SUPPRESSED

# Chart values of these kinds arrive as percentages (see `percent_scale`).
_PERCENT_KINDS = {"share", "percent", "percentage"}


def chart_number(value: float, kind: str, integer: bool = False) -> str:
    """A number on a chart (legend, label, alt text), as `analysis.text` formats its kind."""
    if text.is_missing(value) or (isinstance(value, float) and np.isnan(value)):
        return SUPPRESSED
    if kind in _PERCENT_KINDS:
        return text.percent_points(value)
    if kind == "money":
        return text.money(value)
    if integer:
        return text.count(value)
    return text.format_value(value, "rate")


def extremes(
    labels: Sequence,
    values: Sequence[float],
    shown: Sequence[str],
    high: str = "Highest",
    low: str = "lowest",
) -> str:
    """'Highest: X (v); lowest: Y (v)' from published values only."""
    pairs = [(lab, v, s) for lab, v, s in zip(labels, values, shown) if not np.isnan(v)]
    if not pairs:
        return "All values are suppressed."
    hi = max(pairs, key=lambda p: p[1])
    lo = min(pairs, key=lambda p: p[1])
    if hi[0] == lo[0]:
        return f"{hi[0]}: {hi[2]}."
    return f"{high}: {hi[0]} ({hi[2]}); {low}: {lo[0]} ({lo[2]})."


def suppressed_note(labels: Iterable, values: Iterable[float]) -> str:
    hidden = [str(lab) for lab, v in zip(labels, values) if np.isnan(v)]
    if not hidden:
        return ""
    return f" Not shown to protect organisations ({SUPPRESSED}): {', '.join(hidden)}."


def compose_alt(kind: str, title: str, detail: str) -> str:
    """Alt text: chart type, the message (the title states it), then the key values."""
    title = title.strip().rstrip(".")
    return f"{kind}. {title}. {detail}".strip()
