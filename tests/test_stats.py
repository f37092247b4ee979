"""Intervals behind the brief's comparisons: Wilson, Newcombe, and when a gap is clear."""

from __future__ import annotations

import pytest

from analysis import stats


def test_wilson_matches_the_published_worked_example():
    # Newcombe (1998), example: 81 of 263 -> 0.2553 to 0.3662.
    low, high = stats.wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_wilson_stays_inside_0_and_1_at_the_extremes():
    low, high = stats.wilson(0, 10)
    assert low == 0 and 0.25 < high < 0.35
    low, high = stats.wilson(10, 10)
    assert high == 1 and 0.65 < low < 0.75


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError, match="0 <= k <= n"):
        stats.wilson(5, 3)
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.wilson(1, 3, level=95)


def test_newcombe_difference_matches_the_published_example():
    # Newcombe (1998) method 10, example (56/70 vs 48/80): difference 0.2, interval 0.0524 to 0.3339.
    low, high = stats.newcombe_difference(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_a_gap_is_clear_only_when_the_interval_excludes_the_expected_share():
    # 2 of 150 applicants from a region holding 8% of the population: clearly below.
    assert stats.gap(2, 150, 0.08).below
    # 9 of 150 (6%) against 8%: the interval includes 8%, so not singled out.
    g = stats.gap(9, 150, 0.08)
    assert not g.clear and g.low < 0.08 < g.high
    assert stats.gap(40, 150, 0.13).above
