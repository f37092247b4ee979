"""Charts in the Government Analysis Function house style, drawn only from protected tables.

Every chart function takes `ProtectedTable`s (checked with `require_protected`), so a chart can
never show a number the disclosure rules have not cleared, and returns a `ChartResult` with
its alt text. Figures are `matplotlib.figure.Figure` objects, not pyplot figures: the
notebook's inline backend never auto-displays them (an auto-displayed PNG has no alt text), and
no global pyplot state leaks between charts.

Modules: `style` (palettes, fonts, canvas), `cells` (what a chart reads from a table),
`describe` (chart numbers and alt text), `figures` (ChartResult and the result every chart returns, whether a chart is worth
drawing), `bars`, `years` (small multiples, trajectories), `diverging` (Likert), `dumbbell`, `intervals` (dots
with intervals against a reference line), `maps`.
Layer: present; imports `analysis.disclosure`, `analysis.findings`, `analysis.text`,
`analysis.paths`.
"""

from analysis.charts.bars import bars, stacked_bars
from analysis.charts.diverging import diverging_bars
from analysis.charts.dumbbell import dumbbell
from analysis.charts.figures import ChartResult, as_table_instead, says_something, split_informative
from analysis.charts.intervals import interval_dots
from analysis.charts.maps import ITL1_GEOJSON, choropleth_itl1, itl1_regions
from analysis.charts.style import (
    CATEGORICAL,
    CONTEXT,
    DUO,
    FOCUS,
    FONTS,
    MISSING,
    SEQUENTIAL,
    style_context,
    text_colour,
)
from analysis.charts.years import combine_years, small_multiples, trajectories

__all__ = [
    "CATEGORICAL",
    "DUO",
    "SEQUENTIAL",
    "MISSING",
    "FOCUS",
    "CONTEXT",
    "FONTS",
    "ITL1_GEOJSON",
    "ChartResult",
    "bars",
    "choropleth_itl1",
    "diverging_bars",
    "dumbbell",
    "interval_dots",
    "small_multiples",
    "trajectories",
    "stacked_bars",
    "combine_years",
    "itl1_regions",
    "style_context",
    "text_colour",
    "says_something",
    "as_table_instead",
    "split_informative",
]
