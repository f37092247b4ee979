"""Small multiples by year: one bar panel per year, same categories and scale.

The table behind them puts each year's published column side by side, each cell as its own
year published it. Layer: present; imports `analysis.disclosure` and this package's bars,
cells, describe, figures and style.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.charts.bars import draw_bars
from analysis.charts.cells import drawn_rows
from analysis.charts.describe import extremes
from analysis.charts.figures import ChartResult
from analysis.charts.style import CONTEXT, FOCUS, new_figure, style_context, wrap_label
from analysis.disclosure import ProtectedTable, require_protected


def combine_years(tables_by_year: dict[int, ProtectedTable], value_column) -> ProtectedTable:
    """One protected table with a column per year (each cell as its own year published it)."""
    years = sorted(tables_by_year)
    first = require_protected(tables_by_year[years[0]])
    base = str(first.caption)
    for suffix in (f", {years[0]}", f" {years[0]}"):  # a per-year caption names its own year
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    span = str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return ProtectedTable.side_by_side(
        {str(y): tables_by_year[y] for y in years},
        column=value_column,
        columns_name="Year",
        caption=f"{base}, {span}",
    )


def small_multiples(
    tables_by_year: dict[int, ProtectedTable],
    value_column,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
    highlight=None,
) -> ChartResult:
    """One bar panel per year, same categories and scale, so change reads across panels."""
    if not tables_by_year:
        raise ValueError("small_multiples needs at least one year")
    combined = combine_years(tables_by_year, value_column)
    years = list(combined.values.columns)
    rows = drawn_rows(combined)
    allv = combined.values.loc[rows].apply(pd.to_numeric, errors="coerce").astype(float)
    focus = {highlight} if isinstance(highlight, str) else set(highlight or [])
    colours = [FOCUS if not focus or r in focus else CONTEXT for r in rows]

    with style_context():
        ncols = min(3, len(years))
        nrows = int(np.ceil(len(years) / ncols))
        fig = new_figure(nrows * max(2.0, 0.38 * len(rows) + 0.8))
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
        for k, year in enumerate(years):
            ax = axes[k // ncols][k % ncols]
            draw_bars(
                ax,
                rows,
                list(allv[year]),
                list(combined.display.loc[rows, year].astype(str)),
                colours,
                True,
                label_rows=(k % ncols == 0),
            )
            peak = np.nanmax(allv.to_numpy()) if allv.notna().any().any() else 0.0
            ax.set_xlim(0, peak * 1.3 if peak > 0 else 1.0)  # all zero: keep the baseline left
            ax.set_title(str(year), loc="left", fontsize=12, fontweight="bold")
        for k in range(len(years), nrows * ncols):
            axes[k // ncols][k % ncols].set_axis_off()
    last = years[-1]
    detail = f"One panel per year ({', '.join(years)}). " + extremes(
        rows,
        list(allv[last]),
        list(combined.display.loc[rows, last].astype(str)),
        f"Highest in {last}",
        "lowest",
    )
    kind = "Small multiple bar charts"
    return ChartResult.described(
        fig, combined, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def trajectories(
    table: ProtectedTable,
    columns: list,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
) -> ChartResult:
    """One bar panel per measure (`columns`), one bar per year (rows), each panel on its own scale.

    For measures in different units (£ and counts) followed over the same years: change reads
    down each panel, and no panel's scale flattens another's.
    """
    pt = require_protected(table)
    rows = drawn_rows(pt)
    if not columns:
        raise ValueError("trajectories needs at least one column")
    vals = pt.values.loc[rows, columns].apply(pd.to_numeric, errors="coerce").astype(float)
    with style_context():
        fig = new_figure(max(1.6, 0.3 * len(rows) + 0.8))
        axes = fig.subplots(1, len(columns), squeeze=False)[0]
        for k, (ax, col) in enumerate(zip(axes, columns)):
            shown = list(pt.display.loc[rows, col].astype(str))
            draw_bars(ax, [str(r) for r in rows], list(vals[col]), shown, [FOCUS] * len(rows), True, k == 0)
            ax.set_title(wrap_label(str(col), 18), loc="left", fontsize=11, fontweight="bold")
    detail = " ".join(
        f"{col}: " + ", ".join(f"{r} {s}" for r, s in zip(rows, pt.display.loc[rows, col].astype(str))) + "."
        for col in columns
    )
    kind = "Bar charts, one per measure, one bar per year"
    return ChartResult.described(
        fig, pt, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )
