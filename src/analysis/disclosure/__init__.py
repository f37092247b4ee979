"""Statistical disclosure control for every published number (being split into modules)."""

from analysis.disclosure.counts import *  # noqa: F403
from analysis.disclosure.counts import HIDDEN_STATUSES, __all__  # noqa: F401
