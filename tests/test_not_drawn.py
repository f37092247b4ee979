"""The 2026 follow-up of eligible applicants not drawn: intake, check, the protected comparison, its words.

The lottery makes those not drawn the fair comparison group (issue 16, item 12); the comparison
must say how many answered, protect each group's counts, and never claim more than the lottery
supports.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.config import load_config
from analysis.disclosure import DisclosureRules
from analysis.intake.check import check_year
from analysis.intake.comparison import NOT_IN_POOL, ingest_comparison_survey, undrawn_pool
from analysis.intake.pseudonym import resolve_key
from analysis.intake.quality import IntakeError
from analysis.intake.schemas import PERSONAL_FIELDS, validate
from analysis.intake.tables import ingest_callout, ingest_member_survey, ingest_roster
from analysis.outcomes.not_drawn import MEASURES, compare_not_drawn, newcombe, not_drawn_pool, wilson
from analysis.outcomes.not_drawn_text import comparison_message, comparison_note

RAW = paths.SAMPLE_RAW_DIR


@pytest.fixture(scope="module")
def sample():
    """The bundled sample's 2026 inputs read as a run reads them."""
    config = load_config(2026)
    key = resolve_key(config, synthetic=True)
    inputs = config.section("inputs")
    applicants, _, _ = ingest_callout(RAW / inputs["callout"], config, key=key)
    roster = pd.concat(
        [ingest_roster(RAW / rel, config, key=key, year=int(y))[0] for y, rel in inputs["rosters"].items()]
    )
    surveys = pd.concat(
        [
            ingest_member_survey(RAW / rel, config, key=key, year=int(y), members=set(applicants["org_id"]))[
                0
            ]
            for y, rel in inputs["member_surveys"].items()
        ]
    )
    pool = undrawn_pool(applicants, roster, config)
    followup, tlog = ingest_comparison_survey(RAW / inputs["comparison_survey"], config, key=key, pool=pool)
    return config, applicants, roster, surveys, followup, tlog


def test_wilson_and_newcombe_match_published_values():
    lo, hi = wilson(5, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.2366, 0.7634)
    assert wilson(0, 10)[0] == 0 and round(wilson(0, 10)[1], 4) == 0.2775
    # Newcombe (1998), Statistics in Medicine 17, 873-890, example (a): 56/70 against 48/80.
    d, lo, hi = newcombe((56, 70), (48, 80))
    assert (round(d, 4), round(lo, 4), round(hi, 4)) == (0.2, 0.0524, 0.3339)
    with pytest.raises(ValueError):
        wilson(0, 0)


def test_intake_keeps_returns_from_applicants_off_the_roster_only(sample):
    config, applicants, roster, _, followup, tlog = sample
    assert tlog.received == tlog.kept + tlog.superseded + tlog.rejected
    assert tlog.superseded >= 1 and tlog.rejected >= 1
    assert {r["reason"] for r in tlog.rejections} == {NOT_IN_POOL}
    members_2024 = set(roster.loc[roster["year"] == 2024, "org_id"])
    assert set(followup["org_id"]) <= set(applicants["org_id"]) - members_2024
    assert not PERSONAL_FIELDS & set(followup.columns)
    validate("comparison_survey", followup)  # the schema a run writes with


def test_about_forty_percent_of_the_eligible_pool_answered(sample):
    config, applicants, roster, _, followup, _ = sample
    pool = not_drawn_pool(applicants, roster, config)
    answered = followup["org_id"].isin(pool).sum()
    assert 0.3 <= answered / len(pool) <= 0.5


def test_check_lists_the_rows_intake_rejects(sample):
    *_, tlog = sample
    report = check_year(load_config(2026), RAW)
    found = [
        p for p in report.problems if p.file.endswith("not-drawn-follow-up.csv") and p.field == "org_name"
    ]
    assert len(found) == 1 and not found[0].blocking
    assert found[0].rows == sorted(r["row"] for r in tlog.rejections)


def test_no_roster_for_the_draw_year_is_a_clear_stop(sample):
    config, applicants, roster, *_ = sample
    with pytest.raises(IntakeError, match="inputs.comparison_survey"):
        undrawn_pool(applicants, roster[roster["year"] != 2024], config)


def test_comparison_is_protected_and_counts_ineligible_returns(sample):
    config, applicants, roster, surveys, followup, _ = sample
    rules = DisclosureRules.from_config(config)
    assessed_pool = not_drawn_pool(applicants, roster, config)
    outsider = sorted(set(applicants["org_id"]) - assessed_pool - set(roster["org_id"]))[0]
    extra = followup.iloc[[0]].assign(org_id=outsider)
    c = compare_not_drawn(pd.concat([followup, extra]), surveys, roster, applicants, 2026, rules, config)
    assert c.ineligible == 1 and c.answered == followup["org_id"].isin(assessed_pool).sum()
    assert list(c.table.values.index) == list(MEASURES.values())
    for key, groups in c.cells.items():
        for yn in groups.values():
            if yn is not None:  # every published count passes the small-number rule (or is zero)
                yes, n = yn
                assert all(v == 0 or v >= rules.min_count for v in (yes, n - yes))
        row = c.table.display.loc[MEASURES[key]]
        if groups["Members"] is None:
            assert row["Members: %"] == "[c]" and row["Gap (points) and 95% interval"] == "[c]"


def test_members_with_a_small_no_count_are_withheld(sample):
    config, applicants, roster, surveys, followup, _ = sample
    rules = DisclosureRules.from_config(config)
    changed = surveys.copy()
    mask = changed["year"].eq(2026)
    first = changed[mask].index[:2]
    changed["ventures_started"] = changed["ventures_started"].astype("Int64")
    # Every other member started a venture and secured funding, whatever the sample says, so only
    # the venture measure has a small "no" count.
    changed.loc[mask, "ventures_started"] = 2
    changed.loc[mask, "funding_secured_gbp"] = 5000
    changed.loc[changed["org_id"].isin(changed.loc[first, "org_id"]), "ventures_started"] = 0
    c = compare_not_drawn(followup, changed, roster, applicants, 2026, rules, config)
    assert c.cells["venture"]["Members"] is None  # 2 members with no venture: below the rule
    assert c.table.display.loc[MEASURES["venture"], "Members: n"] == "[c]"
    message = comparison_message(c, 2026)
    withheld = [s for s in message.split(". ") if "withheld ([c])" in s]
    assert len(withheld) == 1 and "started a citizen-led venture" in withheld[0]
    assert message.count("started a citizen-led venture") == 1


def test_message_states_the_response_and_claims_no_more_than_the_lottery_supports(sample):
    config, applicants, roster, surveys, followup, _ = sample
    c = compare_not_drawn(
        followup, surveys, roster, applicants, 2026, DisclosureRules.from_config(config), config
    )
    message, note = comparison_message(c, 2026), comparison_note(c)
    assert f"{c.answered} of the {c.pool}" in message and "indicative" in message
    for claim in ("caused", "proves", "because of the network", "impact of"):
        assert claim not in message.lower() and claim not in note.lower()
    assert "Wilson" in note and "declined" in note
    assert comparison_message(None, 2026) == "" and comparison_note(None) == ""
    if all(cells["Members"] is None for cells in c.cells.values()):  # the sample's 9 members
        # The members' side is withheld with its one reason, and the not-drawn side still given.
        assert "[c]" not in message and "a split into two groups always leaves one smaller than" in message
        assert f"with {c.members} members" in message and "% moved up" in message
    empty = followup.iloc[0:0]
    assert (
        compare_not_drawn(
            empty, surveys, roster, applicants, 2026, DisclosureRules.from_config(config), config
        )
        is None
    )
