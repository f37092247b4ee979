"""Year comparisons on the same members (issue 16 item 3): who is compared, attrition, rose/same/fell.

Hand counts on the small network of tests/test_outcomes.py (members OA–OF): OE missed its 2025
survey, OF left after 2025 (no 2026 return).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import outcomes
from analysis.disclosure import DisclosureRules
from analysis.outcomes import paired
from analysis.outcomes.measures import with_advocacy_total
from analysis.outcomes.paired_text import paired_sentence
from test_outcomes import _roster, _surveys, _tables

RULES = DisclosureRules(min_count=5)
LOOSE = DisclosureRules(min_count=1)


@pytest.fixture
def surveys():
    return with_advocacy_total(_surveys())


def test_each_run_year_compares_with_the_year_before_and_the_baseline():
    years = [2024, 2025, 2026]
    assert paired.pairs_for(2024, years[:1], 2024) == []
    assert paired.pairs_for(2025, years[:2], 2024) == [(2024, 2025)]
    assert paired.pairs_for(2026, years, 2024) == [(2025, 2026), (2024, 2026)]


def test_attrition_by_hand(surveys):
    roster = _roster()
    # 2025 and 2026: OA–OD in both; OF returned 2025 and left; OE missed 2025 but was a member.
    assert paired.attrition(surveys, roster, 2025, 2026) == {
        "both": 4,
        "left": 1,
        "stayed": 0,
        "joined": 0,
        "missed": 1,
    }
    # 2024 and 2025: OE returned in 2024 only and is still a member.
    assert paired.attrition(surveys, roster, 2024, 2025) == {
        "both": 5,
        "left": 0,
        "stayed": 1,
        "joined": 0,
        "missed": 0,
    }


def test_rose_stayed_fell_by_hand_on_the_members_in_both_years(surveys):
    both = {"OA", "OB", "OC", "OD", "OE"}  # returned in 2024 and 2026
    moves = paired.moves(surveys, 2024, 2026, both)
    # Ventures 2024 -> 2026: OA 1->2, OB 0->2, OC 2->3, OD 1->1, OE 0->1.
    assert moves.loc["ventures_started"].tolist() == [4, 1, 0]
    # OE left "talks" blank in 2026, so it is not in the advocacy row: 4 members answered both years.
    assert moves.loc["advocacy_actions"].sum() == 4
    # OB left the 2024 budget blank: 4 members.
    assert moves.loc["budget_devolved_gbp"].sum() == 4


def _published_counts(table) -> list[float]:
    return [v for v in table.values.to_numpy().ravel() if not pd.isna(v)]


def test_protected_tables_publish_no_small_count_and_nothing_over_fewer_than_min_count(surveys):
    comparisons, attrition = paired.compare_pairs(surveys, _roster(), 2026, [2024, 2025, 2026], 2024, RULES)
    assert [c.column for c in comparisons] == ["2025 and 2026", "2024 and 2026"]
    for table in (c.table for c in comparisons):
        assert all(v == 0 or v >= 5 for v in _published_counts(table)), table.caption
    # Who returned in both years is a membership fact, public like the returns table (the
    # membership policy); 4 members in both 2025 and 2026 withholds every row of that comparison.
    assert attrition.display["2025 and 2026"].tolist() == ["4", "1", "0", "0", "1"]
    assert attrition.display.at[paired.BOTH, "2024 and 2026"] == "5"
    assert (comparisons[0].table.display == "[c]").all().all()
    # Rows over 4 members (advocacy, budget) are withheld whole; no average, test or interval anywhere.
    late = comparisons[1].table
    assert (late.display.loc["Budget whose use citizens decided"] == "[c]").all()
    assert list(late.display.columns) == [*paired.MOVES, paired.ANSWERED_BOTH]


def test_with_a_looser_rule_the_counts_are_the_hand_counts(surveys):
    comparisons, attrition = paired.compare_pairs(surveys, _roster(), 2026, [2024, 2025, 2026], 2024, LOOSE)
    late = comparisons[1].table.display.loc["New citizen-led ventures"]
    assert late.tolist() == ["4", "1", "0", "5"]
    assert attrition.display["2025 and 2026"].tolist() == ["4", "1", "0", "0", "1"]


def test_the_sentence_states_n_for_each_comparison(surveys):
    comparisons, attrition = paired.compare_pairs(surveys, _roster(), 2026, [2024, 2025, 2026], 2024, RULES)
    sentence = paired_sentence(comparisons, attrition)
    assert sentence == (
        "On the same members: 4 members in both 2025 and 2026 and 5 members in both 2024 and 2026 "
        "returned a survey; the table of members compared counts those each "
        "comparison leaves out (who left, joined or missed a survey), and for 2024 and 2026 a table "
        "counts, for each measure, the members whose figure rose, stayed the same or fell, under the "
        "small-number rule (for 2025 and 2026 every such count is withheld under that rule, so no table "
        "is shown)."
    )
    assert [c.shown for c in comparisons] == [False, True]
    assert paired_sentence([], None) == ""


def test_analyse_publishes_the_paired_tables_after_the_returns(make_context):
    f = outcomes.analyse(make_context(_tables(), year=2026))
    names = list(f.tables)
    # A rose/same/fell table with every member withheld (2025 and 2026) is not shown.
    assert names[:3] == ["returns", "paired_members", "paired_2024_2026"]
    assert "paired_2025_2026" not in names
    assert "On the same members: 4 members in both 2025 and 2026 and 5 members in both 2024 and 2026" in (
        f.brief_text
    )
    assert f.facts["paired"] == [
        {"from_year": 2025, "to_year": 2026, "n_paired": 4},  # a membership fact, public
        {"from_year": 2024, "to_year": 2026, "n_paired": 5},
    ]
    base = outcomes.analyse(make_context(_tables(), year=2024))
    assert "paired_members" not in base.tables and base.facts["paired"] == []
