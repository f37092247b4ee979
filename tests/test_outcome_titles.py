"""A takeaway title names the largest row only when it is the only largest (2024: meetings and
public talks both had 12 actions, and the title called meetings the most common)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from analysis.outcomes.figures import _top


def _table(values):
    return SimpleNamespace(values=pd.DataFrame({"actions": values}), total_label="Total")


def test_the_largest_row_is_named_only_without_a_tie():
    assert _top(_table({"Meetings": 12, "Submissions": 7, "Talks": 9, "Total": 28}), "actions") == (
        "Meetings",
        12.0,
    )
    assert _top(_table({"Meetings": 12, "Submissions": 7, "Talks": 12, "Total": 31}), "actions") is None
    assert _top(_table({"Meetings": 12, "Submissions": None, "Total": 31}), "actions") is None  # withheld row
