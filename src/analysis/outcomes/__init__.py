"""Member outcomes (moved from outcomes.py; split into modules in the next commits)."""

from analysis.outcomes import report as _report
from analysis.outcomes.report import *  # noqa: F403

_answered = _report._answered
_activity_message = _report._activity_message
_workshop_message = _report._workshop_message
