"""The end matter states each disclosure rule once, however many tables carry it.

Appendix 4's tables carry the money rule, the money rule plus activity totals, and both plus
three-year totals; readers saw the same paragraph three times. `merge_rules` keeps each sentence
once, extending the paragraph a rule repeats.
"""

from __future__ import annotations

from analysis.publish.exporter import merge_rules

BASE = "To protect organisations, counts of fewer than 5 are shown as [c]. Money needs 3 contributors."
ACTIVITY = BASE + " Activity totals follow the same rule as money."
THREE = ACTIVITY + " A three-year total is withheld whenever one of its years is."
IN_FULL = "Counts of members are shown in full. No figure is given for any one member."


def test_a_rule_that_repeats_another_extends_it_instead_of_restating_it():
    assert merge_rules([BASE, IN_FULL, ACTIVITY, THREE, IN_FULL]) == [THREE, IN_FULL]


def test_distinct_rules_keep_their_order_and_an_empty_list_stays_empty():
    assert merge_rules([IN_FULL, BASE]) == [IN_FULL, BASE]
    assert merge_rules([]) == []
