"""Charts in the Government Analysis Function house style, drawn only from protected tables.

Why this module looks the way it does:
- Every chart function takes `ProtectedTable`s (checked with `require_protected`), so a chart can
  never show a number the disclosure rules have not cleared; suppressed cells are drawn as the
  GSS symbol `[c]`, never as a zero-length bar.
- Every function returns a `ChartResult`: the figure, its alt text (generated from the data when
  not given), the protected table behind it, and the title/subtitle/source that the HTML puts in
  `<figure>`/`<figcaption>` (they are deliberately *not* drawn inside the image, so a screen
  reader meets them as text and they are never duplicated on the page).
- Figures are `matplotlib.figure.Figure` objects, not pyplot figures: the notebook's inline
  backend never auto-displays them (an auto-displayed PNG has no alt text and would fail the
  publishing checks), and no global pyplot state leaks between charts.
- PNGs are rendered deterministically (no software/date metadata) so reruns give identical bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch

from analysis import paths, text
from analysis.disclosure import ProtectedTable, require_protected
from analysis.findings import Figure
from analysis.text import SUPPRESSED

# --- house style -----------------------------------------------------------------------------

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DUO = ("#12436D", "#F46A25")
SEQUENTIAL = ("#092135", "#12436D", "#2073BC", "#6BACE6", "#ADD1F1")  # dark -> light
MISSING = "#F2F2F2"
FOCUS = "#12436D"
CONTEXT = "#BFBFBF"
TEXT = "#0B0C0C"
BOUNDARY = "#3D3D3D"
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
DPI = 170
WIDTH_IN = 8.0
ITL1_GEOJSON = paths.REFERENCE_DIR / "geography" / "itl1_regions_jan2021_uk_buc.geojson"
TOTAL_LABELS = {"total", "all", "uk", "united kingdom", "all regions"}

_OVERRIDES = {
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 12,
    "axes.titlesize": 13,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "text.color": TEXT,
    "svg.hashsalt": "cip-analysis",  # deterministic ids if anyone saves SVG
    "hatch.color": BOUNDARY,
    "hatch.linewidth": 0.8,
}


def _afcharts_style() -> Path | str:
    """The afcharts mplstyle file; fall back to matplotlib defaults if the package moves it."""
    try:
        import afcharts

        path = Path(afcharts.__file__).parent / "afcharts.mplstyle"
        return path if path.exists() else "default"
    except ImportError:  # pragma: no cover - afcharts is a dependency
        return "default"


def style_context():
    """Context manager applying the afcharts style plus the house fonts and sizes.

    Used around both drawing and saving, because matplotlib reads some settings at draw time.
    """
    import matplotlib.style

    class _Both:
        def __enter__(self):
            self._a = matplotlib.style.context(_afcharts_style())
            self._a.__enter__()
            self._b = matplotlib.rc_context(_OVERRIDES)
            self._b.__enter__()
            return self

        def __exit__(self, *exc):
            self._b.__exit__(*exc)
            return self._a.__exit__(*exc)

    return _Both()


# --- the result type -------------------------------------------------------------------------


@dataclass
class ChartResult:
    """A chart plus everything a reader without sight of it needs."""

    figure: MplFigure
    alt: str
    table: ProtectedTable
    title: str
    subtitle: str
    source: str
    _png: bytes | None = field(default=None, repr=False)

    def png(self, dpi: int = DPI) -> bytes:
        """Render once to PNG (deterministic bytes), then clear the figure to free memory."""
        if self._png is None:
            buf = io.BytesIO()
            with style_context():
                self.figure.savefig(
                    buf,
                    format="png",
                    dpi=dpi,
                    facecolor="white",
                    metadata={"Software": None},
                    bbox_inches="tight",
                    pad_inches=0.1,
                )
            self._png = buf.getvalue()
            self.figure.clear()
        return self._png

    def to_figure(self, key: str, in_brief: bool = False) -> Figure:
        """The publishable `analysis.findings.Figure` (PNG bytes, alt text, protected table)."""
        return Figure(
            key=key,
            title=self.title,
            subtitle=self.subtitle,
            alt=self.alt,
            source=self.source,
            png=self.png(),
            table=self.table,
            in_brief=in_brief,
        )


# --- whether a chart is worth drawing --------------------------------------------------------


def says_something(table: ProtectedTable, min_shown: int = 2, max_hidden_share: float = 0.5) -> bool:
    """Whether a chart of `table` would tell a reader anything a sentence or the table cannot.

    A chart says nothing when it has fewer than `min_shown` published values (a single bar),
    fewer than two published values that are not zero (nothing to compare: all zeros), or when
    more than `max_hidden_share` of its cells are withheld (almost all `[c]`). Totals are left
    out, as in the charts themselves. Such a chart is not offered for the brief, and the
    appendix shows its table instead (`as_table_instead`).
    """
    pt = require_protected(table)
    rows, cols = _rows(pt), _cols(pt)
    if not rows or not cols:
        return False
    vals = pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float)
    shown = int(vals.notna().to_numpy().sum())
    nonzero = int((vals.fillna(0).to_numpy() != 0).sum())
    hidden_share = 1 - shown / vals.size
    return shown >= min_shown and nonzero >= 2 and hidden_share <= max_hidden_share


def as_table_instead(figure: Figure, reason: str | None = None) -> ProtectedTable:
    """The data table of a chart that says nothing, captioned with the chart's message and a note.

    Nothing is recomputed: the published cells are the chart's own, so they agree with the text.
    """
    import dataclasses

    note = reason or ("Not charted: with so few values published, a chart would add nothing to this table.")
    return dataclasses.replace(
        figure.table, caption=figure.table.caption, notes=tuple(figure.table.notes) + (note,)
    )


def split_informative(
    figures: Iterable[Figure], reason: str | None = None
) -> tuple[list[Figure], dict[str, ProtectedTable]]:
    """Figures worth drawing, and the tables (by figure key) that stand in for those that are not."""
    keep, tables = [], {}
    for f in figures:
        if says_something(f.table):
            keep.append(f)
        else:
            tables[f.key] = as_table_instead(f, reason)
    return keep, tables


# --- small helpers ---------------------------------------------------------------------------


def _is_total(label, pt: ProtectedTable | None = None) -> bool:
    total = getattr(pt, "total_label", None)
    return (total is not None and str(label) == str(total)) or str(label).strip().lower() in TOTAL_LABELS


def _rows(pt: ProtectedTable, drop_totals: bool = True) -> list:
    """Row labels to draw: totals would dwarf the categories, so they stay in the table only."""
    return [r for r in pt.values.index if not (drop_totals and _is_total(r, pt))]


def _cols(pt: ProtectedTable) -> list:
    return [c for c in pt.values.columns if not _is_total(c, pt)]


def _column(pt: ProtectedTable, column) -> tuple[pd.Series, pd.Series]:
    """Numbers (NaN where not published) and their published text for one column."""
    if column not in pt.values.columns:
        raise KeyError(f"column {column!r} is not in the table {pt.caption!r}: {list(pt.values.columns)}")
    values = pd.to_numeric(pt.values[column], errors="coerce").astype(float)
    shown = pt.display[column].astype(str) if column in pt.display.columns else values.map(str)
    return values, shown


def _symbol(shown: str) -> str:
    """The symbol to print for an unpublished cell (`[c]` unless the table says otherwise)."""
    shown = str(shown).strip()
    return shown if shown.startswith("[") else SUPPRESSED


def _wrap(label, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _luminance(hex_colour: str) -> float:
    rgb = matplotlib.colors.to_rgb(hex_colour)
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG formula)."""
    lum = _luminance(background)
    return "white" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else TEXT


# Chart values of these kinds arrive as percentages (see `_percent_scale`).
_PERCENT_KINDS = {"share", "percent", "percentage"}


def _chart_number(value: float, kind: str, integer: bool = False) -> str:
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


def _figure(height: float, width: float = WIDTH_IN) -> MplFigure:
    return MplFigure(figsize=(width, height), dpi=DPI, layout="constrained")


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


def _extremes(
    labels: Sequence,
    values: Sequence[float],
    shown: Sequence[str],
    high: str = "Highest",
    low: str = "lowest",
) -> str:
    """'Highest: X (v); lowest: Y (v)' from published values only."""
    pairs = [(l, v, s) for l, v, s in zip(labels, values, shown) if not np.isnan(v)]
    if not pairs:
        return "All values are suppressed."
    hi = max(pairs, key=lambda p: p[1])
    lo = min(pairs, key=lambda p: p[1])
    if hi[0] == lo[0]:
        return f"{hi[0]}: {hi[2]}."
    return f"{high}: {hi[0]} ({hi[2]}); {low}: {lo[0]} ({lo[2]})."


def _suppressed_note(labels: Iterable, values: Iterable[float]) -> str:
    hidden = [str(l) for l, v in zip(labels, values) if np.isnan(v)]
    if not hidden:
        return ""
    return f" Not shown to protect organisations ({SUPPRESSED}): {', '.join(hidden)}."


def _compose_alt(kind: str, title: str, detail: str) -> str:
    """Alt text: chart type, the message (the title states it), then the key values."""
    title = title.strip().rstrip(".")
    return f"{kind}. {title}. {detail}".strip()


def _percent_scale(values: pd.DataFrame) -> pd.DataFrame:
    """Shares may arrive as proportions (0-1) or percentages; draw percentages."""
    top = np.nanmax(values.to_numpy(dtype=float)) if values.size else 0
    return values * 100 if top <= 1.0 else values


# --- bars ------------------------------------------------------------------------------------


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
    values, shown = _column(pt, value_column)
    rows = _rows(pt)
    if sort:
        rows = sorted(rows, key=lambda r: (np.isnan(values[r]), -np.nan_to_num(values[r])))
    v = [float(values[r]) for r in rows]
    s = [str(shown[r]) for r in rows]
    focus = {highlight} if isinstance(highlight, str) else set(highlight or [])
    colours = [FOCUS if not focus or r in focus else CONTEXT for r in rows]

    with style_context():
        fig = _figure(max(2.0, 0.42 * len(rows) + 0.6) if horizontal else 4.5)
        ax = fig.add_subplot()
        _draw_bars(ax, rows, v, s, colours, horizontal)
    detail = _extremes(rows, v, s) + _suppressed_note(rows, v)
    kind = "Horizontal bar chart" if horizontal else "Bar chart"
    return ChartResult(fig, alt or _compose_alt(kind, title, detail), pt, title, subtitle, source)


def _draw_bars(ax, rows, v, s, colours, horizontal: bool, label_rows: bool = True) -> None:
    """One bar per row; labels at bar ends; `[c]` text at the baseline for unpublished cells."""
    pos = np.arange(len(rows))
    known = [i for i, x in enumerate(v) if not np.isnan(x)]  # no zero-length bar for [c]
    kpos, kv, kc = pos[known], [v[i] for i in known], [colours[i] for i in known]
    top = max(kv or [1.0]) or 1.0
    pad = top * 0.015
    if horizontal:
        ax.barh(kpos, kv, color=kc, height=0.7)
        ax.set_yticks(pos, [_wrap(r) for r in rows] if label_rows else [""] * len(rows))
        ax.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top, [c] rows kept in view
        ax.set_xlim(0, top * 1.18)
        for p, val, text in zip(pos, v, s):
            x = pad if np.isnan(val) else val + pad
            ax.text(x, p, _symbol(text) if np.isnan(val) else text, va="center", ha="left", fontsize=11)
    else:
        ax.bar(kpos, kv, color=kc, width=0.7)
        ax.set_xticks(pos, [_wrap(r, 14) for r in rows])
        ax.set_xlim(-0.5, len(rows) - 0.5)
        ax.set_ylim(0, top * 1.15)
        for p, val, text in zip(pos, v, s):
            y = pad if np.isnan(val) else val + pad
            ax.text(p, y, _symbol(text) if np.isnan(val) else text, va="bottom", ha="center", fontsize=11)
    _value_axis_off(ax, horizontal)


# --- map -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def itl1_regions():
    """The 12 ITL1 regions/nations in British National Grid, indexed by RGN23CD (read once)."""
    import geopandas as gpd

    gdf = gpd.read_file(ITL1_GEOJSON).to_crs(27700)
    return gdf.set_index("RGNCD").sort_index()


# Labels that would not fit inside their region go out to sea with a leader line.
_LABEL_OFFSETS = {"E12000007": (690_000, 205_000)}  # London -> North Sea, east of Kent
_LABEL_POINTS = {"E12000002": (366_000, 425_000)}  # North West: away from Morecambe Bay


def _classes(values: pd.Series, n: int = 5, integer: bool = False) -> np.ndarray:
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
        return _chart_number(value, kind, integer)

    if len(breaks) == 2 and breaks[0] == breaks[1]:
        return [label(breaks[0])]
    labels = []
    for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:])):
        if i > 0:
            lo = lo + (1 if integer else 0.1)
        labels.append(label(hi) if lo == hi else f"{label(lo)} to {label(hi)}")
    return labels


def _class_colours(k: int) -> list[str]:
    """Light (low) to dark (high), spread over the sequential palette."""
    idx = np.linspace(len(SEQUENTIAL) - 1, 0, k).round().astype(int) if k > 1 else [1]
    return [SEQUENTIAL[i] for i in idx]


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
    values, shown = _column(pt, value_column)
    gdf = itl1_regions().copy()
    gdf["value"] = values.reindex(gdf.index)
    gdf["shown"] = [str(shown[c]) if c in shown.index else "[x]" for c in gdf.index]
    integer = pt.kind == "count" and bool((gdf["value"].dropna() % 1 == 0).all())
    breaks = _classes(gdf["value"], integer=integer) if gdf["value"].notna().any() else np.array([0.0, 1.0])
    colours = _class_colours(len(breaks) - 1)
    gdf["fill"] = [_fill(v, breaks, colours) for v in gdf["value"]]

    with style_context():
        fig = _figure(8.2, width=6.4)
        ax = fig.add_subplot()
        _draw_map(ax, gdf)
        _map_legend(
            ax, _class_labels(breaks, pt.kind, integer), colours, gdf, legend_title or str(value_column)
        )
    names = [gdf.loc[c, "RGNNM"] for c in gdf.index]
    detail = _extremes(names, list(gdf["value"]), list(gdf["shown"])) + _suppressed_note(
        names, list(gdf["value"])
    )
    return ChartResult(
        fig,
        alt or _compose_alt("Map of the 12 UK regions and nations", title, detail),
        pt,
        title,
        subtitle,
        source,
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
        label = row["shown"] if not np.isnan(row["value"]) else _symbol(row["shown"])
        point = row.geometry.representative_point()
        if code in _LABEL_POINTS:
            point = type(point)(*_LABEL_POINTS[code])
        if code in _LABEL_OFFSETS:
            x, y = _LABEL_OFFSETS[code]
            ax.annotate(
                f"{row['RGNNM']}: {label}",
                xy=(point.x, point.y),
                xytext=(x, y),
                fontsize=14,
                ha="left",
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
            label,
            fontsize=15,
            ha="center",
            va="center",
            color=colour,
            fontweight="bold",
            bbox=bbox,
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
    symbols = {(_symbol(s)) for v, s in zip(gdf["value"], gdf["shown"]) if np.isnan(v)}
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
        title=_wrap(legend_title, 20),
        loc="upper right",
        bbox_to_anchor=(1.0, 0.80),
        frameon=False,
        alignment="left",
        handlelength=1.6,
        handleheight=1.2,
        fontsize=14,
        title_fontsize=14,
    )


# --- Likert: diverging bars ------------------------------------------------------------------

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
    rows, cols = _rows(pt), _cols(pt)
    if len(cols) not in (3, 5):
        raise ValueError(f"diverging_bars needs 5 response levels or 3 bands as columns, got {cols}")
    shares = _percent_scale(pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float))
    shown = pt.display.loc[rows, cols].astype(str)

    with style_context():
        fig = _figure(max(2.4, 0.5 * len(rows) + 1.3))
        ax = fig.add_subplot()
        _draw_diverging(ax, rows, cols, shares, shown)
    upper = cols[len(cols) // 2 + 1 :]
    agree = shares[upper].sum(axis=1, min_count=len(upper))
    agree_shown = [_chart_number(a, "share") for a in agree]
    what = "answering 4 or 5" if len(cols) == 5 else f"answering {str(upper[0]).lower()}"
    detail = _extremes(rows, list(agree), agree_shown, f"Highest share {what}", "lowest") + _suppressed_note(
        rows, list(agree)
    )
    return ChartResult(
        fig, alt or _compose_alt("Diverging bar chart", title, detail), pt, title, subtitle, source
    )


def _draw_diverging(ax, rows, cols, shares: pd.DataFrame, shown: pd.DataFrame) -> None:
    pos = np.arange(len(rows))
    mid = len(cols) // 2
    palette = _likert_colours(len(cols))
    for i, row in enumerate(rows):
        s = shares.loc[row]
        if s.isna().any():
            ax.text(2, i, _symbol(shown.loc[row].iloc[0]), va="center", ha="left", fontsize=11)
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
    ax.set_yticks(pos, [_wrap(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)  # keep [c] rows at either end inside the axes
    ax.axvline(0, color=BOUNDARY, linewidth=1, zorder=0)
    left_extent = (shares.iloc[:, :mid].sum(axis=1, min_count=1) + shares.iloc[:, mid] / 2).max()
    right_extent = (shares.iloc[:, mid + 1 :].sum(axis=1, min_count=1) + shares.iloc[:, mid] / 2).max()
    extent = np.nan_to_num(max(left_extent, right_extent), nan=50.0)
    limit = min(100, 25 * np.ceil(extent / 25 + 0.01))
    ax.set_xlim(-limit, limit)
    ticks = np.arange(-limit, limit + 1, 25 if limit <= 75 else 50)
    ax.set_xticks(ticks, [f"{abs(t):.0f}%" for t in ticks])
    ax.grid(axis="x", color="0.85")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    handles = [
        Patch(facecolor=c, edgecolor=BOUNDARY, linewidth=0.4, label=_wrap(str(col), 16))
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


# --- now versus target: dumbbell --------------------------------------------------------------


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
    start, start_shown = _column(pt, start_column)
    end, end_shown = _column(pt, end_column)
    rows = _rows(pt)

    with style_context():
        fig = _figure(max(2.2, 0.45 * len(rows) + 1.2))
        ax = fig.add_subplot()
        _draw_dumbbell(ax, rows, start, end, start_shown, end_shown, str(start_column), str(end_column))
    gaps = [abs(float(end[r] - start[r])) for r in rows]  # a gap's size, whichever way it runs
    gap_shown = [f"{start_shown[r]} to {end_shown[r]}" for r in rows]
    detail = _extremes(rows, gaps, gap_shown, "Largest gap", "smallest gap") + _suppressed_note(rows, gaps)
    return ChartResult(
        fig,
        alt or _compose_alt("Dumbbell chart of now against target", title, detail),
        pt,
        title,
        subtitle,
        source,
    )


def _draw_dumbbell(ax, rows, start, end, start_shown, end_shown, start_label, end_label) -> None:
    known = pd.concat([start[rows], end[rows]]).dropna()
    lo, hi = (known.min(), known.max()) if len(known) else (0.0, 1.0)
    span = (hi - lo) or 1.0
    for i, r in enumerate(rows):
        a, b = float(start[r]), float(end[r])
        if np.isnan(a) or np.isnan(b):
            ax.text(lo, i, _symbol(start_shown[r] if np.isnan(a) else end_shown[r]), va="center")
            continue
        ax.plot([a, b], [i, i], color=CONTEXT, linewidth=3, zorder=1)
        ax.scatter([a], [i], s=70, color=DUO[1], zorder=2, label=start_label if i == 0 else None)
        ax.scatter([b], [i], s=70, color=DUO[0], zorder=3, label=end_label if i == 0 else None)
        left, right = (start_shown[r], end_shown[r]) if a <= b else (end_shown[r], start_shown[r])
        ax.text(min(a, b) - span * 0.03, i, left, ha="right", va="center", fontsize=10)
        ax.text(max(a, b) + span * 0.03, i, right, ha="left", va="center", fontsize=10)
    ax.set_yticks(range(len(rows)), [_wrap(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    left, right = lo - span * 0.2, hi + span * 0.2
    ax.set_xlim(left, right)
    if lo >= 0 > left:  # counts and levels are never negative: no ticks below zero
        ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= right])
    ax.grid(axis="x", color="0.85")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)


# --- small multiples by year -----------------------------------------------------------------


def combine_years(tables_by_year: dict[int, ProtectedTable], value_column) -> ProtectedTable:
    """One protected table with a column per year (each cell as its own year published it)."""
    years = sorted(tables_by_year)
    pts = [require_protected(tables_by_year[y]) for y in years]

    def side(attr: str) -> pd.DataFrame:
        return pd.concat({str(y): getattr(p, attr)[value_column] for y, p in zip(years, pts)}, axis=1)

    first = pts[0]
    notes = tuple(dict.fromkeys(n for p in pts for n in p.notes))
    base = str(first.caption)
    for suffix in (f", {years[0]}", f" {years[0]}"):  # a per-year caption names its own year
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    span = str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"
    display = side("display")
    display.columns.name = "Year"
    extra = {"total_label": first.total_label} if hasattr(first, "total_label") else {}
    return ProtectedTable(
        display=display,
        values=side("values"),
        status=side("status"),
        caption=f"{base}, {span}",
        rule=first.rule,
        kind=first.kind,
        notes=notes,
        **extra,
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
    rows = _rows(combined)
    allv = combined.values.loc[rows].apply(pd.to_numeric, errors="coerce").astype(float)
    focus = {highlight} if isinstance(highlight, str) else set(highlight or [])
    colours = [FOCUS if not focus or r in focus else CONTEXT for r in rows]

    with style_context():
        ncols = min(3, len(years))
        nrows = int(np.ceil(len(years) / ncols))
        fig = _figure(nrows * max(2.0, 0.38 * len(rows) + 0.8))
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
        for k, year in enumerate(years):
            ax = axes[k // ncols][k % ncols]
            _draw_bars(
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
    detail = f"One panel per year ({', '.join(years)}). " + _extremes(
        rows,
        list(allv[last]),
        list(combined.display.loc[rows, last].astype(str)),
        f"Highest in {last}",
        "lowest",
    )
    return ChartResult(
        fig,
        alt or _compose_alt("Small multiple bar charts", title, detail),
        combined,
        title,
        subtitle,
        source,
    )


# --- stacked bars ----------------------------------------------------------------------------


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
    rows, cols = _rows(pt), _cols(pt)
    if len(cols) > len(CATEGORICAL):
        raise ValueError(f"stacked_bars takes at most {len(CATEGORICAL)} categories, got {len(cols)}")
    vals = pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float)
    shown = pt.display.loc[rows, cols].astype(str)

    with style_context():
        fig = _figure(max(2.4, 0.5 * len(rows) + 1.3))
        ax = fig.add_subplot()
        _draw_stacked(ax, rows, cols, vals, shown)
    largest = {r: (vals.loc[r].idxmax() if vals.loc[r].notna().any() else None) for r in rows}
    parts = [f"{r}: largest group {largest[r]} ({shown.loc[r, largest[r]]})" for r in rows if largest[r]]
    hidden = [str(r) for r in rows if vals.loc[r].isna().any()]
    detail = "; ".join(parts[:4]) + "."
    if hidden:
        detail += f" Some values suppressed ({SUPPRESSED}) for: {', '.join(hidden)}."
    return ChartResult(
        fig, alt or _compose_alt("Stacked bar chart", title, detail), pt, title, subtitle, source
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
            sym = _symbol(next(s for s, v in zip(shown.loc[r], vals.loc[r]) if np.isnan(v)))
            ax.text(left + top * 0.015, i, sym, ha="left", va="center", fontsize=11)
    ax.set_yticks(range(len(rows)), [_wrap(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, top * 1.1)
    ax.grid(axis="x", color="0.85")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=CATEGORICAL[j], label=_wrap(str(c), 18)) for j, c in enumerate(cols)]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=min(len(cols), 4),
        frameon=False,
        handlelength=1.2,
    )


__all__ = [
    "CATEGORICAL",
    "DUO",
    "SEQUENTIAL",
    "MISSING",
    "FOCUS",
    "CONTEXT",
    "FONTS",
    "ChartResult",
    "bars",
    "choropleth_itl1",
    "diverging_bars",
    "dumbbell",
    "small_multiples",
    "stacked_bars",
    "combine_years",
    "itl1_regions",
    "style_context",
    "text_colour",
    "says_something",
    "as_table_instead",
    "split_informative",
]
