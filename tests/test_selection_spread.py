"""The drawn panel's spread and the members' spread agree once a declined place is stated.

Appendix 1 counts the regions of the members (the roster); appendix 3 the regions of the drawn
panel. When a drawn organisation declines and a reserve takes its place the two counts differ,
and appendix 3 says why in the same sentence.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from analysis.selection.text import spread_message


def _draw():
    pool = pd.DataFrame({"org_id": list("ABCDEF"), "region_code": ["R1", "R2", "R3", "R1", "R2", "R4"]})
    return SimpleNamespace(
        pool=pool, selected=("A", "B", "C"), reserves=("D", "E", "F"), rules=SimpleNamespace(draw_year=2024)
    )


def _roster(ids, year=2024):
    return pd.DataFrame({"org_id": list(ids), "year": year, "status": "active"})


def test_without_a_roster_the_sentence_describes_the_draw_only():
    assert spread_message(_draw()) == (
        "The 3 organisations drawn come from 3 of the 4 regions and nations with eligible applicants."
    )


def test_a_declined_place_filled_from_the_reserves_explains_the_members_spread():
    message = spread_message(_draw(), _roster("ABD"))  # C (region R3) declined; reserve D (R1) joined
    assert message == (
        "The 3 organisations drawn come from 3 of the 4 regions and nations with eligible applicants; "
        "1 declined its place, which went to a reserve in the order published before the draw, so the "
        "3 members who joined in 2024 come from 2 of them."
    )


def test_every_drawn_organisation_taking_its_place_is_said_too():
    assert spread_message(_draw(), _roster("ABC")).endswith(
        "; every drawn organisation took its place, so the 3 members are the drawn panel."
    )
    # Only the draw year's roster says who joined from the draw.
    assert spread_message(_draw(), _roster("ABD", year=2025)) == spread_message(_draw())
