"""A labelled dot plot with intervals: one estimate per row, its interval, and a reference line.

For rates whose uncertainty matters (applicants per million people by region): each row's dot
and value label, its interval as a line, and the comparison (the UK rate) as a labelled dashed
line, so a reader sees which intervals clear it. Rows whose interval lies wholly on one side are
drawn in the focus colour and named in the alt text; the others are grey. Layer: present; imports
`analysis.disclosure` and this package's cells, describe, figures and style.
"""

from __future__ import annotations

import numpy as np

from analysis.charts.cells import column_values, drawn_rows, symbol_for
from analysis.charts.describe import chart_number, extremes, suppressed_note
from analysis.charts.figures import ChartResult
from analysis.charts.style import BOUNDARY, FOCUS, single_axes, style_row_axis
from analysis.disclosure import ProtectedTable, require_protected
from analysis.text import list_in_sentence, percent

NOT_CLEAR = "#6F777B"  # GOV.UK secondary text grey: 4.5:1 on white, unlike the lighter context grey


def interval_dots(
    table: ProtectedTable,
    value_column,
    low_column,
    high_column,
    *,
    reference: float,
    reference_label: str,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
    level: float = 0.95,
) -> ChartResult:
    """Dots with interval lines per row, a labelled reference line, hidden rows as their symbol."""
    pt = require_protected(table)
    values, shown = column_values(pt, value_column)
    low, _ = column_values(pt, low_column)
    high, _ = column_values(pt, high_column)
    rows = drawn_rows(pt)
    above = [r for r in rows if not np.isnan(low[r]) and low[r] > reference]
    below = [r for r in rows if not np.isnan(high[r]) and high[r] < reference]

    with single_axes(max(2.4, 0.42 * len(rows) + 1.0)) as (fig, ax):
        _draw(ax, rows, values, shown, low, high, set(above) | set(below), reference, reference_label)
    v = [float(values[r]) for r in rows]
    detail = extremes(rows, v, [str(shown[r]) for r in rows]) + suppressed_note(rows, v)
    detail += f" {reference_label}: {chart_number(reference, 'rate')}. " + _clear_words(above, below)
    kind = f"Dot plot with {percent(level)} intervals"
    return ChartResult.described(
        fig, pt, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def _clear_words(above: list, below: list) -> str:
    """Which intervals lie wholly above or below the reference, in words."""
    parts = []
    if above:
        parts.append(f"wholly above it: {list_in_sentence([str(r) for r in above])}")
    if below:
        parts.append(f"wholly below it: {list_in_sentence([str(r) for r in below])}")
    if not parts:
        return "Every interval includes it."
    return "Intervals " + "; ".join(parts) + "."


def _draw(ax, rows, values, shown, low, high, clear, reference, reference_label) -> None:
    known = [x for r in rows for x in (low[r], high[r], values[r]) if not np.isnan(x)]
    top = max(known + [reference]) or 1.0
    pad = top * 0.02
    for i, r in enumerate(rows):
        if np.isnan(values[r]):
            ax.text(pad, i, symbol_for(shown[r]), va="center", ha="left", fontsize=11)
            continue
        colour = FOCUS if r in clear else NOT_CLEAR
        ax.plot([low[r], high[r]], [i, i], color=colour, linewidth=2, solid_capstyle="butt", zorder=2)
        ax.scatter([values[r]], [i], s=45, color=colour, zorder=3)
        ax.text(high[r] + pad, i, str(shown[r]), va="center", ha="left", fontsize=10)
    ax.axvline(reference, color=BOUNDARY, linestyle="--", linewidth=1, zorder=1)
    ax.text(
        reference,
        -0.7,
        f"{reference_label} {chart_number(reference, 'rate')}",
        ha="center",
        va="bottom",
        fontsize=10,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
    )
    style_row_axis(ax, rows)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    ax.set_xlim(0, top * 1.15)
