"""Now against target per row: a dumbbell chart.

Layer: present; imports `analysis.disclosure` and this package's cells, describe, figures and
style.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts.cells import column_values, drawn_rows, symbol_for
from analysis.charts.describe import extremes, suppressed_note
from analysis.charts.figures import ChartResult
from analysis.charts.style import CONTEXT, DUO, single_axes, style_row_axis
from analysis.disclosure import ProtectedTable, require_protected


def dumbbell(
    table: ProtectedTable,
    start_column,
    end_column,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
) -> ChartResult:
    """Now (orange) against target (dark blue) per row, joined by a grey line; values labelled."""
    pt = require_protected(table)
    start, start_shown = column_values(pt, start_column)
    end, end_shown = column_values(pt, end_column)
    rows = drawn_rows(pt)

    with single_axes(max(2.2, 0.45 * len(rows) + 1.2)) as (fig, ax):
        _draw_dumbbell(ax, rows, start, end, start_shown, end_shown, str(start_column), str(end_column))
    gaps = [abs(float(end[r] - start[r])) for r in rows]  # a gap's size, whichever way it runs
    gap_shown = [f"{start_shown[r]} to {end_shown[r]}" for r in rows]
    detail = extremes(rows, gaps, gap_shown, "Largest gap", "smallest gap") + suppressed_note(rows, gaps)
    kind = "Dumbbell chart of now against target"
    return ChartResult.described(
        fig, pt, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def _draw_dumbbell(ax, rows, start, end, start_shown, end_shown, start_label, end_label) -> None:
    known = pd.concat([start[rows], end[rows]]).dropna()
    lo, hi = (known.min(), known.max()) if len(known) else (0.0, 1.0)
    span = (hi - lo) or 1.0
    for i, r in enumerate(rows):
        a, b = float(start[r]), float(end[r])
        if np.isnan(a) or np.isnan(b):
            ax.text(lo, i, symbol_for(start_shown[r] if np.isnan(a) else end_shown[r]), va="center")
            continue
        ax.plot([a, b], [i, i], color=CONTEXT, linewidth=3, zorder=1)
        ax.scatter([a], [i], s=70, color=DUO[1], zorder=2, label=start_label if i == 0 else None)
        ax.scatter([b], [i], s=70, color=DUO[0], zorder=3, label=end_label if i == 0 else None)
        left, right = (start_shown[r], end_shown[r]) if a <= b else (end_shown[r], start_shown[r])
        ax.text(min(a, b) - span * 0.03, i, left, ha="right", va="center", fontsize=10)
        ax.text(max(a, b) + span * 0.03, i, right, ha="left", va="center", fontsize=10)
    style_row_axis(ax, rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    left, right = lo - span * 0.2, hi + span * 0.2
    ax.set_xlim(left, right)
    if lo >= 0 > left:  # counts and levels are never negative: no ticks below zero
        ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= right])
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
