"""Bar charts with direct labels: plain bars and stacked bars.

Suppressed bars print their symbol (`[c]`) at the baseline, never a zero-length bar; a stacked
bar with unpublished segments ends in `[c]` so it is not read as complete. Layer: present;
imports `analysis.disclosure`, `analysis.text` and this package's style, cells, describe and
figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis.charts.cells import column_values, drawn_cols, drawn_rows, symbol_for
from analysis.charts.describe import extremes, suppressed_note
from analysis.charts.figures import ChartResult
from analysis.charts.style import (
    BOUNDARY,
    CATEGORICAL,
    CONTEXT,
    FOCUS,
    single_axes,
    style_row_axis,
    text_colour,
    wrap_label,
)
from analysis.disclosure import ProtectedTable, require_protected
from analysis.text import SUPPRESSED


def bars(
    table: ProtectedTable,
    value_column,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
    highlight=None,
    horizontal: bool = True,
    sort: bool = False,
) -> ChartResult:
    """Bars with direct labels and a zero baseline; suppressed bars print `[c]`, not a zero bar.

    `highlight`: one row label or a list of them drawn in the focus colour, the rest grey.
    Horizontal by default because category labels (regions, organisation types) are long.
    """
    pt = require_protected(table)
    values, shown = column_values(pt, value_column)
    rows = drawn_rows(pt)
    if sort:
        rows = sorted(rows, key=lambda r: (np.isnan(values[r]), -np.nan_to_num(values[r])))
    v = [float(values[r]) for r in rows]
    s = [str(shown[r]) for r in rows]
    focus = {highlight} if isinstance(highlight, str) else set(highlight or [])
    colours = [FOCUS if not focus or r in focus else CONTEXT for r in rows]

    with single_axes(max(2.0, 0.42 * len(rows) + 0.6) if horizontal else 4.5) as (fig, ax):
        draw_bars(ax, rows, v, s, colours, horizontal)
    detail = extremes(rows, v, s) + suppressed_note(rows, v)
    kind = "Horizontal bar chart" if horizontal else "Bar chart"
    return ChartResult.described(
        fig, pt, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def draw_bars(ax, rows, v, s, colours, horizontal: bool, label_rows: bool = True) -> None:
    """One bar per row; labels at bar ends; `[c]` text at the baseline for unpublished cells."""
    pos = np.arange(len(rows))
    known = [i for i, x in enumerate(v) if not np.isnan(x)]  # no zero-length bar for [c]
    kpos, kv, kc = pos[known], [v[i] for i in known], [colours[i] for i in known]
    top = max(kv or [1.0]) or 1.0
    pad = top * 0.015
    if horizontal:
        ax.barh(kpos, kv, color=kc, height=0.7)
        ax.set_yticks(pos, [wrap_label(r) for r in rows] if label_rows else [""] * len(rows))
        ax.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top, [c] rows kept in view
        ax.set_xlim(0, top * 1.18)
        for p, val, text in zip(pos, v, s):
            x = pad if np.isnan(val) else val + pad
            ax.text(x, p, symbol_for(text) if np.isnan(val) else text, va="center", ha="left", fontsize=11)
    else:
        ax.bar(kpos, kv, color=kc, width=0.7)
        ax.set_xticks(pos, [wrap_label(r, 14) for r in rows])
        ax.set_xlim(-0.5, len(rows) - 0.5)
        ax.set_ylim(0, top * 1.15)
        for p, val, text in zip(pos, v, s):
            y = pad if np.isnan(val) else val + pad
            ax.text(p, y, symbol_for(text) if np.isnan(val) else text, va="bottom", ha="center", fontsize=11)
    _value_axis_off(ax, horizontal)


def _value_axis_off(ax, horizontal: bool) -> None:
    """Direct labels carry the values, so the value axis and its grid would only add noise."""
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    if horizontal:
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0)
        ax.axvline(0, color=BOUNDARY, linewidth=1)
    else:
        ax.set_yticks([])
        ax.tick_params(axis="x", length=0)
        ax.axhline(0, color=BOUNDARY, linewidth=1)


def stacked_bars(
    table: ProtectedTable,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
) -> ChartResult:
    """Rows = items, columns = categories (at most 6, categorical palette in order).

    Published segments are drawn; a row with unpublished cells ends in `[c]`, so the bar is not
    read as complete. Segments wide enough carry their published value.
    """
    pt = require_protected(table)
    rows, cols = drawn_rows(pt), drawn_cols(pt)
    if len(cols) > len(CATEGORICAL):
        raise ValueError(f"stacked_bars takes at most {len(CATEGORICAL)} categories, got {len(cols)}")
    vals = pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float)
    shown = pt.display.loc[rows, cols].astype(str)

    with single_axes(max(2.4, 0.5 * len(rows) + 1.3)) as (fig, ax):
        _draw_stacked(ax, rows, cols, vals, shown)
    largest = {r: (vals.loc[r].idxmax() if vals.loc[r].notna().any() else None) for r in rows}
    parts = [f"{r}: largest group {largest[r]} ({shown.loc[r, largest[r]]})" for r in rows if largest[r]]
    hidden = [str(r) for r in rows if vals.loc[r].isna().any()]
    detail = "; ".join(parts[:4]) + "."
    if hidden:
        detail += f" Some values suppressed ({SUPPRESSED}) for: {', '.join(hidden)}."
    return ChartResult.described(
        fig, pt, "Stacked bar chart", detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def _draw_stacked(ax, rows, cols, vals: pd.DataFrame, shown: pd.DataFrame) -> None:
    row_totals = vals.sum(axis=1).replace(0, np.nan)
    top = float(np.nanmax(row_totals.to_numpy())) if row_totals.notna().any() else 1.0
    for i, r in enumerate(rows):
        left = 0.0
        for j, c in enumerate(cols):
            w = vals.loc[r, c]
            if np.isnan(w) or w == 0:
                continue
            colour = CATEGORICAL[j]
            ax.barh(
                i,
                w,
                left=left,
                color=colour,
                height=0.7,
                edgecolor="white",
                linewidth=0.5,
                label=str(c) if i == 0 or c not in ax.get_legend_handles_labels()[1] else None,
            )
            if w >= top * 0.07:
                ax.text(
                    left + w / 2,
                    i,
                    shown.loc[r, c],
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=text_colour(colour),
                )
            left += w
        if vals.loc[r].isna().any():
            sym = symbol_for(next(s for s, v in zip(shown.loc[r], vals.loc[r]) if np.isnan(v)))
            ax.text(left + top * 0.015, i, sym, ha="left", va="center", fontsize=11)
    style_row_axis(ax, rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, top * 1.1)
    handles = [Patch(facecolor=CATEGORICAL[j], label=wrap_label(str(c), 18)) for j, c in enumerate(cols)]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=min(len(cols), 4),
        frameon=False,
        handlelength=1.2,
    )
