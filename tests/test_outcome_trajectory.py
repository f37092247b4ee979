"""Per-member trajectories and the member-change chart (issue 16, item 4), worked by hand from
tests/data/outcomes_small_*.csv (see tests/test_outcomes.py: six members; OE missed its 2025
return; OF left after 2025; OD dominates the 2025 funding total)."""

from __future__ import annotations

import pytest

from analysis import outcomes
from analysis.disclosure import SUPPRESSED, DisclosureRules
from analysis.outcomes.figures import MEMBER_CHANGE, TRAJECTORY, figures, member_change, trajectory
from analysis.outcomes.trajectory import HEADLINE, NOT_RETURNED, RETURNED, per_member_table
from test_outcomes import _roster, _surveys, _workshops

VENTURES, FUNDING = HEADLINE["ventures_started"], HEADLINE["funding_secured_gbp"]


def _results(year=2026, rules=None):
    return outcomes.compute_outcomes(_surveys(), _roster(), _workshops(), year, rules or DisclosureRules())


def test_rates_are_published_totals_over_the_members_who_answered():
    r = _results()
    t = per_member_table(r.measures, r.years, r.rules)
    # Ventures 5, 6, 9 from 6, 5 and 5 members who answered.
    assert [t.display.loc[y, VENTURES] for y in ("2024", "2025", "2026")] == ["0.8", "1.2", "1.8"]
    assert t.display.loc["2025", "Members who answered (ventures)"] == "5"
    assert t.display.loc["2026", FUNDING] == "£4,000"  # £20,000 from 5 members


def test_a_rate_is_withheld_with_its_total():
    t = per_member_table(_results().measures, [2024, 2025, 2026], DisclosureRules())
    # OD dominates the 2025 funding total: rate x n would give the total back.
    assert t.display.loc["2025", FUNDING] == SUPPRESSED
    assert t.status.loc["2025", FUNDING] == "dominance"
    assert t.values[FUNDING].isna()["2025"]


def test_a_rate_over_fewer_than_min_count_members_is_withheld():
    rules = DisclosureRules(min_count=6)
    r = _results(rules=rules)
    t = per_member_table(r.measures, r.years, rules)
    assert t.status.loc["2026", VENTURES] in ("primary", "dominance", "secondary")
    assert t.display.loc["2026", VENTURES] == SUPPRESSED


def test_trajectory_chart_states_the_change_and_carries_its_table():
    fig = trajectory(_results(), "Source: test")
    assert fig.key == TRAJECTORY and fig.svg.lstrip().startswith("<svg")
    assert fig.title == "Members started 1.8 ventures each in 2026, against 0.8 in 2024"
    assert "2025 1.2" in fig.alt and SUPPRESSED in fig.alt  # the withheld 2025 funding rate
    assert list(fig.table.values.index) == ["2024", "2025", "2026"]


def test_member_change_chart_counts_returns_and_missing_ones():
    fig = member_change(_results(2025), "Source: test")
    assert fig.key == MEMBER_CHANGE
    assert fig.title == "The network had 6 members in 2024 and 6 in 2025; 5 returned a survey in 2025"
    assert fig.table.display.loc["2025", NOT_RETURNED] == "1"
    assert fig.table.display.loc["2024", RETURNED] == "6"


@pytest.mark.parametrize("year, drawn", [(2024, False), (2026, True)])
def test_trajectory_only_after_the_baseline(year, drawn):
    keys = [f.key for f in figures(_results(year), "Source: test")]
    assert (TRAJECTORY in keys) is drawn and (MEMBER_CHANGE in keys) is drawn
