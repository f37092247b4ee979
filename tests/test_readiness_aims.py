"""Members' progress against their own 2026 aims: counted, protected, and worded as the table shows it."""

from __future__ import annotations

import pandas as pd

from analysis.disclosure import DisclosureRules
from analysis.readiness.aims import NOT_YET, REACHED, UNKNOWN, aims_message, aims_progress, protect_aims


def _inputs(n: int = 9):
    ids = [f"M{i}" for i in range(n)]
    applicants = pd.DataFrame({"org_id": ids, "level_target_2026": [3] * n})
    levels = [4, 3, 3, 3, 3, 3, 2, 2, None][:n]  # six at or above 3, two below, one blank
    surveys = pd.DataFrame({"org_id": ids, "year": [2026] * n, "level_now": levels})
    roster = pd.DataFrame(
        {"org_id": ids + ["GONE"], "year": [2026] * (n + 1), "status": ["active"] * n + ["left"]}
    )
    return applicants, surveys, roster


def test_progress_counts_every_active_member_once():
    progress = aims_progress(*_inputs(), 2026)
    assert progress.to_dict() == {REACHED: 6, NOT_YET: 2, UNKNOWN: 1}  # the member who left is not counted


def test_message_uses_the_published_count_or_words_for_a_small_one():
    rules = DisclosureRules()
    applicants, surveys, roster = _inputs()
    surveys["level_now"] = [3] * 9  # everyone reached: the other cells are true zeros, safe
    table = protect_aims(aims_progress(applicants, surveys, roster, 2026), rules, 2026)
    assert aims_message(table, rules, 2026) == (
        "In 2026, 9 of the 9 members were at or above the participation level they said, when they "
        "applied, they aimed to reach by 2026."
    )
    surveys["level_now"] = [
        3,
        3,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
    ]  # two reached: a small count, shown as the tables show it
    table = protect_aims(aims_progress(applicants, surveys, roster, 2026), rules, 2026)
    message = aims_message(table, rules, 2026)
    # Withheld in one clear sentence with its reason (arithmetic a reader can check), never a bare
    # [c] beside the total and never "fewer than 5" for one of the two groups.
    assert message == (
        "All 9 members in 2026 had stated, when they applied, the participation level they aimed to "
        "reach by 2026 and returned this year's survey; how many have reached it is withheld: with 9 "
        "members, a split into two groups always leaves one smaller than 5, the smallest group this "
        "publication shows."
    )
    # 6 reached, 2 not yet, 1 unknown: who stated an aim is itself hidden, so no count is given.
    table = protect_aims(aims_progress(*_inputs(), 2026), rules, 2026)
    message = aims_message(table, rules, 2026)
    assert "[c]" not in message and "fewer than" not in message
    assert (
        "of the 9 members had reached the participation level they aimed for by 2026 is withheld" in message
    )
