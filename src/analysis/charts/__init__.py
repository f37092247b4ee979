"""Charts drawn only from protected tables (being split into modules)."""

from analysis.charts.bars import *  # noqa: F403
from analysis.charts.bars import ITL1_GEOJSON, __all__  # noqa: F401
