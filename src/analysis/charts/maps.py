"""The UK by ITL1 region and nation: a choropleth that names every region and gives its value.

Colour is never the only way to read the map: every region carries its name and published value
(inside the larger regions; at sea with a leader line for the smaller ones), and suppressed
regions are hatched and labelled `[c]`. At most four classes, so neighbouring shades differ
clearly. Boundaries are read once from the committed
reference GeoJSON. Layer: present; imports geopandas, `analysis.paths`, `analysis.disclosure`,
`analysis.text` and this package's cells, describe, figures and style.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis import paths
from analysis.charts.cells import column_values, symbol_for
from analysis.charts.describe import chart_number, extremes, suppressed_note
from analysis.charts.figures import ChartResult
from analysis.charts.style import (
    BOUNDARY,
    MISSING,
    SEQUENTIAL,
    TEXT,
    single_axes,
    text_colour,
    wrap_label,
)
from analysis.disclosure import ProtectedTable, require_protected
from analysis.text import SUPPRESSED

ITL1_GEOJSON = paths.REFERENCE_DIR / "geography" / "itl1_regions_jan2021_uk_buc.geojson"


# Boundaries are drawn simplified to this many metres, as one coverage (neighbours keep a shared
# border): at the map's 15 cm print width 1 km is a tenth of a millimetre, and the simplified map
# halves the SVG every document carrying it embeds (360 to 180 KB), with the time to typeset it.
MAP_TOLERANCE_M = 1_000


@lru_cache(maxsize=1)
def itl1_regions():
    """The 12 ITL1 regions/nations in British National Grid, indexed by RGN23CD, simplified for
    drawing (MAP_TOLERANCE_M); read once."""
    gdf = gpd.read_file(ITL1_GEOJSON).to_crs(27700)
    gdf["geometry"] = gdf.geometry.simplify_coverage(MAP_TOLERANCE_M)
    return gdf.set_index("RGNCD").sort_index()


# Regions whose name would not fit inside go out to sea with a leader line: (x, y, alignment).
_LABEL_OFFSETS = {
    "E12000001": (520_000, 655_000, "left"),  # North East -> North Sea
    "E12000003": (555_000, 490_000, "left"),  # Yorkshire and The Humber -> North Sea
    "E12000004": (600_000, 385_000, "left"),  # East Midlands -> the Wash
    "E12000006": (670_000, 290_000, "left"),  # East of England -> off Norfolk
    "E12000007": (670_000, 200_000, "left"),  # London -> off Essex
    "E12000008": (640_000, 75_000, "left"),  # South East -> the Channel
    "E12000002": (290_000, 455_000, "right"),  # North West -> Irish Sea, below Northern Ireland
    "E12000005": (150_000, 375_000, "right"),  # West Midlands -> Caernarfon Bay, over north Wales
}
# Where an inside label sits when the representative point is awkward.
_LABEL_POINTS = {
    "E12000002": (366_000, 425_000),  # North West: away from Morecambe Bay
    "E12000009": (270_000, 90_000),  # South West: on Devon, clear of the Bristol Channel
    "W92000004": (288_000, 238_000),  # Wales: the south, clear of the West Midlands leader
    "N92000002": (92_000, 530_000),  # Northern Ireland: centred, so the name stays on land
}
_LABEL_PT = 12  # >= 9 CSS px when a 390 px phone scales the map down (tests/test_charts.py)


def _classes(values: pd.Series, n: int = 4, integer: bool = False) -> np.ndarray:
    """Equal-interval class breaks over the published values (fewer classes for few values).

    Each class includes its upper break. Counts get whole-number breaks so the legend never
    shows "6 to 12.4" organisations.
    """
    known = values.dropna()
    k = max(1, min(n, known.nunique()))
    if k == 1:
        return np.array([known.min(), known.max()])
    breaks = np.linspace(known.min(), known.max(), k + 1)
    # Breaks at the precision the labels show, so a region labelled 2.3 is never shaded as if 2.26
    # fell in a class that the legend says starts at 2.3.
    return np.unique(np.round(breaks)) if integer else np.unique(np.round(breaks, 1))


def _class_labels(breaks: np.ndarray, kind: str, integer: bool) -> list[str]:
    """Legend classes; rates keep one decimal place throughout ("1.6 to 2.0", not "1.6 to 2")."""

    def label(value) -> str:
        return chart_number(value, kind, integer)

    if len(breaks) == 2 and breaks[0] == breaks[1]:
        return [label(breaks[0])]
    labels = []
    for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:])):
        if i > 0:
            lo = lo + (1 if integer else 0.1)
        labels.append(label(hi) if lo == hi else f"{label(lo)} to {label(hi)}")
    return labels


# Palette positions per number of classes, light to dark: never the two darkest together, which
# readers could not tell apart (#092135 and #12436D).
_CLASS_SHADES = {1: [1], 2: [3, 0], 3: [4, 2, 0], 4: [4, 3, 2, 0]}


def _class_colours(k: int) -> list[str]:
    """Light (low) to dark (high), spread over the sequential palette."""
    return [SEQUENTIAL[i] for i in _CLASS_SHADES[k]]


def choropleth_itl1(
    table: ProtectedTable,
    value_column,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str | None = None,
    legend_title: str | None = None,
) -> ChartResult:
    """The 12 ITL1 regions/nations shaded by a published value, with boundaries and labels.

    Index of `table`: RGN23CD codes. Suppressed regions are hatched, filled grey and labelled
    `[c]`; regions missing from the table print `[x]`. Every region carries its value as a
    label, so colour is never the only way to read the map (the two lightest palette colours
    fall below 3:1 against white).
    """
    pt = require_protected(table)
    values, shown = column_values(pt, value_column)
    gdf = itl1_regions().copy()
    gdf["value"] = values.reindex(gdf.index)
    gdf["shown"] = [str(shown[c]) if c in shown.index else "[x]" for c in gdf.index]
    integer = pt.kind == "count" and bool((gdf["value"].dropna() % 1 == 0).all())
    breaks = _classes(gdf["value"], integer=integer) if gdf["value"].notna().any() else np.array([0.0, 1.0])
    colours = _class_colours(len(breaks) - 1)
    gdf["fill"] = [_fill(v, breaks, colours) for v in gdf["value"]]

    with single_axes(8.2, width=6.4) as (fig, ax):
        _draw_map(ax, gdf)
        _map_legend(
            ax, _class_labels(breaks, pt.kind, integer), colours, gdf, legend_title or str(value_column)
        )
    names = [gdf.loc[c, "RGNNM"] for c in gdf.index]
    detail = extremes(names, list(gdf["value"]), list(gdf["shown"])) + suppressed_note(
        names, list(gdf["value"])
    )
    kind = "Map of the 12 UK regions and nations"
    return ChartResult.described(
        fig, pt, kind, detail, title=title, subtitle=subtitle, source=source, alt=alt
    )


def _fill(value: float, breaks: np.ndarray, colours: list[str]) -> str:
    if np.isnan(value):
        return MISSING
    i = int(np.searchsorted(breaks[1:], round(float(value), 1), side="left"))
    return colours[min(max(i, 0), len(colours) - 1)]


def _draw_map(ax, gdf) -> None:
    """Fill, boundaries, hatching for suppressed regions, and a value label in every region."""
    gdf.plot(ax=ax, color=gdf["fill"], edgecolor=BOUNDARY, linewidth=0.6)
    hidden = gdf[gdf["value"].isna()]
    if len(hidden):
        hidden.plot(ax=ax, facecolor="none", edgecolor=BOUNDARY, linewidth=0.6, hatch="////")
    for code, row in gdf.iterrows():
        value = row["shown"] if not np.isnan(row["value"]) else symbol_for(row["shown"])
        point = row.geometry.representative_point()
        if code in _LABEL_POINTS:
            point = type(point)(*_LABEL_POINTS[code])
        if code in _LABEL_OFFSETS:
            x, y, align = _LABEL_OFFSETS[code]
            ax.annotate(
                f"{row['RGNNM']}: {value}",
                xy=(point.x, point.y),
                xytext=(x, y),
                fontsize=_LABEL_PT,
                ha=align,
                va="center",
                color=TEXT,
                arrowprops={"arrowstyle": "-", "color": BOUNDARY, "linewidth": 0.8},
            )
            continue
        colour = TEXT if np.isnan(row["value"]) else text_colour(row["fill"])
        bbox = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"} if np.isnan(row["value"]) else None
        ax.text(
            point.x,
            point.y,
            f"{wrap_label(row['RGNNM'], 10)}\n{value}",
            fontsize=_LABEL_PT,
            ha="center",
            va="center",
            color=colour,
            fontweight="bold",
            bbox=bbox,
            linespacing=1.1,
        )
    ax.set_xlim(-20_000, 900_000)  # room for the London label and the legend; Shetland kept
    ax.set_ylim(-5_000, 1_230_000)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _map_legend(ax, labels, colours, gdf, legend_title: str) -> None:
    handles = [
        Patch(facecolor=c, edgecolor=BOUNDARY, linewidth=0.6, label=label)
        for c, label in zip(colours, labels)
    ]
    symbols = {(symbol_for(s)) for v, s in zip(gdf["value"], gdf["shown"]) if np.isnan(v)}
    if SUPPRESSED in symbols:
        handles.append(
            Patch(
                facecolor=MISSING,
                edgecolor=BOUNDARY,
                hatch="////",
                linewidth=0.6,
                label=f"{SUPPRESSED} suppressed",
            )
        )
    for sym in sorted(symbols - {SUPPRESSED}):
        handles.append(
            Patch(
                facecolor=MISSING,
                edgecolor=BOUNDARY,
                hatch="////",
                linewidth=0.6,
                label=f"{sym} not available",
            )
        )
    ax.legend(
        handles=handles,
        title=wrap_label(legend_title, 20),
        loc="upper right",
        bbox_to_anchor=(1.0, 0.80),
        frameon=False,
        alignment="left",
        handlelength=1.6,
        handleheight=1.2,
        fontsize=_LABEL_PT,
        title_fontsize=_LABEL_PT,
    )
