"""Likert items as diverging bars: shares centred on the neutral answer.

Layer: present; imports `analysis.disclosure` and this package's cells, describe, figures and
style.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis.charts.cells import drawn_cols, drawn_rows, percent_scale, symbol_for
from analysis.charts.describe import chart_number, extremes, suppressed_note
from analysis.charts.figures import ChartResult
from analysis.charts.style import BOUNDARY, CONTEXT, single_axes, style_row_axis, text_colour, wrap_label
from analysis.disclosure import ProtectedTable, require_protected

_LIKERT_COLOURS = ("#801650", "#F46A25", CONTEXT, "#6BACE6", "#12436D")
_LIKERT3_COLOURS = ("#F46A25", CONTEXT, "#12436D")  # disagree / neither / agree


def _likert_colours(n: int) -> tuple[str, ...]:
    return _LIKERT_COLOURS if n == 5 else _LIKERT3_COLOURS


def diverging_bars(
    table: ProtectedTable,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
) -> ChartResult:
    """Likert items (rows) by response levels (columns), as shares centred on the neutral.

    Five levels (1-5) or three bands (disagree, neither, agree: merged before protection so
    that fewer rows are withheld). Levels below the neutral extend left of zero, those above
    right, the neutral straddles zero. Segments of at least 7 points carry their published
    share; rows whose base is suppressed print `[c]`.
    """
    pt = require_protected(table)
    rows, cols = drawn_rows(pt), drawn_cols(pt)
    if len(cols) not in (3, 5):
        raise ValueError(f"diverging_bars needs 5 response levels or 3 bands as columns, got {cols}")
    shares = percent_scale(pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float))
    shown = pt.display.loc[rows, cols].astype(str)

    with single_axes(max(2.4, 0.5 * len(rows) + 1.3)) as (fig, ax):
        _draw_diverging(ax, rows, cols, shares, shown)
    upper = cols[len(cols) // 2 + 1 :]
    agree = shares[upper].sum(axis=1, min_count=len(upper))
    agree_shown = [chart_number(a, "share") for a in agree]
    what = "answering 4 or 5" if len(cols) == 5 else f"answering {str(upper[0]).lower()}"
    detail = extremes(rows, list(agree), agree_shown, f"Highest share {what}", "lowest") + suppressed_note(
        rows, list(agree)
    )
    return ChartResult.described(
        fig, pt, "Diverging bar chart", detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def _draw_diverging(ax, rows, cols, shares: pd.DataFrame, shown: pd.DataFrame) -> None:
    pos = np.arange(len(rows))
    mid = len(cols) // 2
    palette = _likert_colours(len(cols))
    for i, row in enumerate(rows):
        s = shares.loc[row]
        if s.isna().any():
            ax.text(2, i, symbol_for(shown.loc[row].iloc[0]), va="center", ha="left", fontsize=11)
            continue
        left = -(s.iloc[:mid].sum() + s.iloc[mid] / 2)
        for j, col in enumerate(cols):
            colour = palette[j]
            ax.barh(i, s.iloc[j], left=left, color=colour, height=0.7, edgecolor="white", linewidth=0.5)
            if s.iloc[j] >= 7:
                ax.text(
                    left + s.iloc[j] / 2,
                    i,
                    shown.loc[row, col],
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=text_colour(colour),
                )
            left += s.iloc[j]
    style_row_axis(ax, rows, pos)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # keep [c] rows at either end inside the axes
    ax.axvline(0, color=BOUNDARY, linewidth=1, zorder=0)
    left_extent = (shares.iloc[:, :mid].sum(axis=1, min_count=1) + shares.iloc[:, mid] / 2).max()
    right_extent = (shares.iloc[:, mid + 1 :].sum(axis=1, min_count=1) + shares.iloc[:, mid] / 2).max()
    extent = np.nan_to_num(max(left_extent, right_extent), nan=50.0)
    limit = min(100, 25 * np.ceil(extent / 25 + 0.01))
    ax.set_xlim(-limit, limit)
    ticks = np.arange(-limit, limit + 1, 25 if limit <= 75 else 50)
    ax.set_xticks(ticks, [f"{abs(t):.0f}%" for t in ticks])
    handles = [
        Patch(facecolor=c, edgecolor=BOUNDARY, linewidth=0.4, label=wrap_label(str(col), 16))
        for c, col in zip(palette, cols)
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=5,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
        fontsize=10,
    )
