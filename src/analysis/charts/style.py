"""The Government Analysis Function house style: palettes, fonts, sizes and the figure canvas.

Colours and type are set here only, so every chart reads as one family. Layer: present;
imports matplotlib and afcharts only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import afcharts
import matplotlib
import matplotlib.style
from matplotlib.figure import Figure as MplFigure

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
# Narrow enough that 10 pt chart text still reads at >= 9 CSS px when a 390 px phone scales the
# SVG down to its ~350 px column (tests/test_charts.py measures it).
WIDTH_IN = 5.2
MIN_FONT_PT = 10

_OVERRIDES = {
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 12,
    "axes.titlesize": 13,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "text.color": TEXT,
    "svg.hashsalt": "cip-analysis",  # deterministic ids: byte-identical HTML on every run
    "svg.fonttype": "none",  # text stays text: searchable, sharp when zoomed, vector in the PDF
    "hatch.color": BOUNDARY,
    "hatch.linewidth": 0.8,
}


def _afcharts_style() -> Path | str:
    """The afcharts mplstyle file; fall back to matplotlib defaults if the package moves it."""
    path = Path(afcharts.__file__).parent / "afcharts.mplstyle"
    return path if path.exists() else "default"


@contextmanager
def style_context() -> Iterator[None]:
    """The afcharts style plus the house fonts and sizes, for the duration of a `with` block.

    Used around both drawing and saving, because matplotlib reads some settings at draw time.
    """
    with matplotlib.style.context(_afcharts_style()), matplotlib.rc_context(_OVERRIDES):
        yield


def _luminance(hex_colour: str) -> float:
    rgb = matplotlib.colors.to_rgb(hex_colour)
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG formula)."""
    lum = _luminance(background)
    return "white" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else TEXT


def wrap_label(label, width: int = 28) -> str:
    """A long category label over several lines."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def style_row_axis(ax, rows, positions=None) -> None:
    """A horizontal chart's categories as wrapped y labels without tick marks, on a vertical-gridded
    axis: the house look of every row chart (stacked bars, dumbbells, Likert, intervals)."""
    ax.set_yticks(range(len(rows)) if positions is None else positions, [wrap_label(r) for r in rows])
    ax.grid(axis="x", color="0.85")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)


def new_figure(height: float, width: float = WIDTH_IN) -> MplFigure:
    """A blank house-size canvas (not a pyplot figure, so nothing displays it by accident)."""
    return MplFigure(figsize=(width, height), dpi=DPI, layout="constrained")


@contextmanager
def single_axes(height: float, width: float = WIDTH_IN) -> Iterator[tuple[MplFigure, object]]:
    """The set-up every one-panel chart shares: house style, a house-size canvas, one axes."""
    with style_context():
        fig = new_figure(height, width)
        yield fig, fig.add_subplot()
