"""Member outcomes (issue 8): expected values worked out by hand from tests/data/outcomes_small_*.csv.

The small network: six members OA–OF, surveys 2024–2026.
- OE did not return its 2025 survey (a missing return: never filled in);
- OF left after 2025 (roster 2026 says `left`; no 2026 return expected);
- OB left the budget question blank in 2024; OE left "talks" blank in 2026;
- OD's 2025 funding (£100,000 of £104,000) dominates the 2025 total.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import outcomes
from analysis.outcomes import messages

DATA = Path(__file__).parent / "data"


def _surveys() -> pd.DataFrame:
    df = pd.read_csv(DATA / "outcomes_small_surveys.csv")
    for col in df.columns:
        if col.startswith("venture_") and col != "ventures_started":
            df[col] = df[col].astype(bool)
        elif col.endswith("_gbp"):
            df[col] = df[col].astype("Float64")
        elif col not in ("org_id", "year"):
            df[col] = df[col].astype("Int64")
    return df


def _roster() -> pd.DataFrame:
    return pd.read_csv(DATA / "outcomes_small_roster.csv")


def _workshops() -> pd.DataFrame:
    df = pd.read_csv(DATA / "outcomes_small_workshops.csv")
    df["satisfaction"] = df["satisfaction"].astype("Int64")
    return df


@pytest.fixture
def surveys():
    return _surveys()


YEARS = [2024, 2025, 2026]


# --- returns accounting -------------------------------------------------------------------
def test_returns_accounting_counts_missing_leavers_and_joiners(surveys):
    r = outcomes.returns_accounting(surveys, _roster(), YEARS)
    assert r.loc[2024].to_dict() == {
        "members_active": 6,
        "returns_received": 6,
        "returns_from_active": 6,
        "missing_returns": 0,
        "returns_not_expected": 0,
        "members_joined": 6,
        "members_left": 0,
    }
    assert r.loc[2025, "members_active"] == 6
    assert r.loc[2025, "returns_received"] == 5
    assert r.loc[2025, "missing_returns"] == 1  # OE
    assert r.loc[2026, "members_active"] == 5
    assert r.loc[2026, "returns_received"] == 5
    assert r.loc[2026, "missing_returns"] == 0  # OF left: not expected
    assert r.loc[2026, "members_left"] == 1
    assert r.loc[2026, "members_joined"] == 0


def test_returns_from_non_members_are_counted_not_dropped(surveys):
    extra = surveys[surveys["org_id"] == "OF"].tail(1).assign(year=2026)
    r = outcomes.returns_accounting(pd.concat([surveys, extra]), _roster(), YEARS)
    assert r.loc[2026, "returns_received"] == 6
    assert r.loc[2026, "returns_not_expected"] == 1


# --- yearly totals --------------------------------------------------------------------------
def _total(t, year, measure):
    row = t[(t["year"] == year) & (t["measure"] == measure)].iloc[0]
    return row["total"], row["n_answered"], row["n_returns"]


def test_yearly_totals_by_hand(surveys):
    t = outcomes.yearly_totals(surveys, YEARS)
    assert _total(t, 2024, "ventures_started") == (5, 6, 6)
    assert _total(t, 2025, "ventures_started") == (6, 5, 5)
    assert _total(t, 2026, "ventures_started") == (9, 5, 5)
    assert _total(t, 2024, "citizens_involved")[0] == 65
    assert _total(t, 2025, "citizens_involved")[0] == 90
    assert _total(t, 2026, "citizens_involved")[0] == 130
    assert _total(t, 2024, "funding_secured_gbp")[0] == 15000
    assert _total(t, 2025, "funding_secured_gbp")[0] == 104000
    assert _total(t, 2026, "funding_secured_gbp")[0] == 20000
    assert _total(t, 2026, "advocacy_talks") == (4, 4, 5)
    assert _total(t, 2026, "advocacy_submissions") == (6, 5, 5)


def test_no_imputation_blank_answers_reduce_n_not_the_values(surveys):
    t = outcomes.yearly_totals(surveys, YEARS)
    # OB left the budget blank in 2024: total of the 5 who answered, not 6 with a guess.
    assert _total(t, 2024, "budget_devolved_gbp") == (3000, 5, 6)
    # OE left talks blank in 2026: its advocacy total is blank, not a partial sum of 2.
    assert _total(t, 2024, "advocacy_actions") == (18, 6, 6)
    assert _total(t, 2025, "advocacy_actions") == (16, 5, 5)
    assert _total(t, 2026, "advocacy_actions") == (13, 4, 5)
    # OE's missing 2025 return adds no row and no value.
    assert len(surveys[surveys["year"] == 2025]) == 5


def test_total_over_nobody_is_nan_not_zero(surveys):
    s = surveys.copy()
    s.loc[s["year"] == 2025, "joint_bids"] = pd.NA
    t = outcomes.yearly_totals(s, [2025], ["joint_bids"])
    total, n, _ = _total(t, 2025, "joint_bids")
    assert math.isnan(total) and n == 0


# --- ventures, workshops, benefits ----------------------------------------------------------
def test_ventures_by_type(surveys):
    v = outcomes.ventures_by_type(surveys, YEARS)
    assert v.loc[2024].to_dict() == {"citizens_assembly": 2, "participatory_budgeting": 2, "other": 1}
    assert v.loc[2025].to_dict() == {"citizens_assembly": 2, "participatory_budgeting": 4, "other": 0}
    assert v.loc[2026].to_dict() == {"citizens_assembly": 4, "participatory_budgeting": 4, "other": 1}


def test_workshop_summary():
    w = outcomes.workshop_summary(_workshops(), YEARS)
    assert w.loc[
        2024,
        [
            "workshops_held",
            "workshops_in_person",
            "workshops_online",
            "attendances",
            "members_attending",
            "satisfaction_n",
        ],
    ].tolist() == [2, 1, 1, 5, 4, 4]
    assert w.loc[2024, "satisfaction_mean"] == pytest.approx(4.0)
    assert w.loc[
        2025, ["workshops_held", "workshops_in_person", "attendances", "members_attending"]
    ].tolist() == [3, 2, 5, 4]
    assert w.loc[2025, "satisfaction_mean"] == pytest.approx(4.2)
    assert w.loc[2026, "workshops_held"] == 1


def test_benefit_distribution(surveys):
    b = outcomes.benefit_distribution(surveys, 2025)
    assert b.loc["Peer learning"].tolist() == [1, 1, 3]
    assert b.loc["National and international profile"].tolist() == [0, 1, 3]  # OF blank


# --- comparisons ----------------------------------------------------------------------------
def test_like_for_like_set(surveys):
    assert outcomes.like_for_like(surveys, "advocacy_actions", 2024, 2026) == {"OA", "OB", "OC", "OD"}
    assert outcomes.like_for_like(surveys, "ventures_started", 2024, 2025) == {"OA", "OB", "OC", "OD", "OF"}


def test_comparison_basis_guards_against_differencing(surveys):
    # 2024 -> 2026 advocacy: OE (blank) and OF (left) are left out of 2024's six.
    basis, members = outcomes.comparison_basis(surveys, "advocacy_actions", 2024, 2026, min_group=2)
    assert basis == "like_for_like" and members == {"OA", "OB", "OC", "OD"}
    # With 3 needed, a like-for-like total would reveal OE+OF's 2024 figure by subtraction.
    basis, members = outcomes.comparison_basis(surveys, "advocacy_actions", 2024, 2026, min_group=3)
    assert basis == "all_returns" and members is None
    # One missing return (OE 2025): comparing like-for-like would reveal OE's 2024 value.
    assert outcomes.comparison_basis(surveys, "ventures_started", 2024, 2025, min_group=3)[0] == "all_returns"
    same = surveys[surveys["org_id"].isin(["OA", "OB", "OC", "OD"])]
    assert outcomes.comparison_basis(same, "ventures_started", 2024, 2026, min_group=3)[0] == "same"


def test_change():
    assert outcomes.change(5, 9) == (4, 80.0)
    d, p = outcomes.change(0, 3)
    assert d == 3 and math.isnan(p)
    assert all(math.isnan(x) for x in outcomes.change(float("nan"), 3))


def test_member_sums_over_three_years(surveys):
    m = outcomes.member_sums(surveys, YEARS, ["funding_secured_gbp", "budget_devolved_gbp"]).set_index(
        "org_id"
    )
    assert m.loc["OD", "funding_secured_gbp"] == 109000
    assert m.loc["OE", "funding_secured_gbp"] == 6000  # 2024 + 2026; 2025 missing, not imputed
    assert m.loc["OE", "returns"] == 2
    assert m.loc["OB", "budget_devolved_gbp"] == 3000  # 2024 blank adds nothing
    assert m["funding_secured_gbp"].sum() == 139000


def test_advocacy_parts_use_the_same_members_as_the_advocacy_total(surveys):
    # OE left talks blank in 2026: its submissions and meetings are left out of the published
    # parts too, so submissions + meetings + talks = the advocacy total (13), and nobody can
    # subtract to find OE's figures.
    rows = {m: outcomes.answered_rows(surveys, m, [2026])[m].sum() for m in outcomes.ADVOCACY_PARTS}
    assert rows == {"advocacy_submissions": 5, "advocacy_meetings": 4, "advocacy_talks": 4}
    assert sum(rows.values()) == 13
    assert outcomes.like_for_like(surveys, "advocacy_talks", 2024, 2026) == {"OA", "OB", "OC", "OD"}


# --- protected tables and findings ----------------------------------------------------------
from analysis.disclosure import SUPPRESSED, DisclosureRules  # noqa: E402

RULES = DisclosureRules()  # 5 / 3 contributors / NK(2, 80%)


@pytest.fixture(scope="module")
def results_2026():
    return outcomes.compute_outcomes(_surveys(), _roster(), _workshops(), 2026, RULES)


def test_dominated_money_total_is_suppressed(results_2026):
    funding = results_2026.measures["funding_secured_gbp"]
    # 2025: OD's £100,000 of £104,000 -> the largest two hold 97% > 80%: withheld.
    assert funding.total(2025) is None
    assert funding.yearly[2025].status == "dominance"
    assert (
        results_2026.money_table.display.loc[
            "Funding secured for citizen-led work, including joint bids", "2025"
        ]
        == SUPPRESSED
    )
    # 2024 (£15,000, top two £9,000 = 60%) and 2026 (£20,000, top two 55%) are published.
    assert funding.total(2024) == 15000 and funding.total(2026) == 20000


def test_change_withheld_when_a_total_is_withheld(results_2026):
    prev = results_2026.measures["funding_secured_gbp"].comparisons["previous"]
    assert prev["change"] is None
    base = results_2026.measures["funding_secured_gbp"].comparisons["baseline"]
    assert base["change"] == 5000 and base["basis"] == "all_returns"


def test_three_year_total_withheld_when_a_year_is(results_2026):
    # 2024-2026 funding would be £139,000, but 2025 is withheld: 139,000 - 15,000 - 20,000 would
    # give it back, so the three-year total is withheld too.
    assert results_2026.measures["funding_secured_gbp"].three_year_total is None
    # Ventures: 5 + 6 + 9 = 20, every year published.
    assert results_2026.measures["ventures_started"].three_year_total == 20
    assert results_2026.measures["citizens_involved"].three_year_total == 65 + 90 + 130


def test_published_activity_totals_and_change(results_2026):
    v = results_2026.measures["ventures_started"]
    assert [v.total(y) for y in YEARS] == [5, 6, 9]
    c = v.comparisons["baseline"]
    assert (c["from_total"], c["to_total"], c["change"], c["pct_change"]) == (5, 9, 4, 80.0)
    assert c["basis"] == "all_returns"  # OF left after 2025: one member differs, too few
    table = results_2026.activity_table.display
    assert table.loc["New citizen-led ventures", "2024–2026"] == "20"
    # A base of 5 is under 20: the change is given as counts, never as "+80%".
    assert table.loc["New citizen-led ventures", "Change since 2024"] == "+4 (from 5)"
    assert "£" not in table.loc["Citizens taking part", "2026"]


def test_advocacy_parts_and_total_share_one_table(results_2026):
    t = results_2026.advocacy_by_kind[2026]
    assert published_sum(t) == results_2026.measures["advocacy_actions"].total(2026) == 13


def published_sum(table):
    parts = [table.values.loc[r, "actions"] for r in table.values.index if r != "Total"]
    return sum(parts)


def test_returns_table_is_stated(results_2026):
    d = results_2026.returns.display
    assert d.loc["Missing returns (not filled in)", "2025"] == "1"
    assert d.loc["Members left", "2026"] == "1"


def _tables():
    return {"member_surveys": _surveys(), "roster": _roster(), "workshop_attendance": _workshops()}


@pytest.mark.parametrize("year", YEARS)
def test_analyse_builds_findings(year, make_context, tmp_path):
    from analysis.findings import Findings

    f = outcomes.analyse(make_context(_tables(), year=year))
    assert f.area == "outcomes" and f.heading and 3 <= len(f.key_messages) <= 5
    assert all(m.endswith(".") for m in f.key_messages)
    if year == 2024:
        assert "baseline year" in f.brief_text + " ".join(f.key_messages)
        assert "change_since_baseline" in f.facts and not f.facts["change_since_baseline"]
    else:
        assert "Compared with the 2024 baseline" in f.brief_text
    if year == 2026:
        assert "Over the three years 2024–2026" in f.brief_text
        assert f.facts["three_year"]["ventures_started"] == 20
        assert f.facts["three_year"]["funding_secured_gbp"] is None
    assert "1 return is missing" in f.method_notes or year == 2024
    from analysis import charts

    # Charts that say nothing (one bar, mostly [c], all zeros) are replaced by their tables.
    assert all(charts.says_something(fig.table) and fig.in_brief for fig in f.figures)
    drawn = {fig.table.caption for fig in f.figures}
    captions = drawn | {t.caption for t in f.tables.values()}
    assert any(c.startswith("Members starting at least one venture of each type") for c in captions)
    assert any("funding secured" in c.lower() for c in captions)
    assert all("[c]" not in m for m in f.key_messages)
    assert "[c]" not in f.brief_text
    f.save(tmp_path)
    assert Findings.load(tmp_path, "outcomes").facts == f.facts


def test_no_number_reaches_the_text_unprotected(make_context):
    f = outcomes.analyse(make_context(_tables(), year=2025))
    # 2025 funding (£104,000) and OD's £100,000 are withheld: neither appears anywhere.
    blob = f.brief_text + " ".join(f.key_messages) + " ".join(f.policy_asks)
    assert "104,000" not in blob and "100,000" not in blob


def test_workshops_held_are_published_in_full():
    # Workshops held are the network's activity, not organisation counts: 1 workshop in 2026 is shown.
    r = outcomes.compute_outcomes(_surveys(), _roster(), _workshops(), 2026, RULES)
    assert r.workshop_formats.display.loc["2026", "Total"] == "1"
    assert (r.workshop_formats.status == "safe").all().all()
    assert "ran 1 workshop in 2026" in messages.workshop_message(r)


def test_withheld_numbers_are_named_not_printed(results_2026):
    import dataclasses

    m = results_2026.measures["citizens_involved"]
    hidden = dataclasses.replace(
        m, yearly={y: dataclasses.replace(c, column="missing") for y, c in m.yearly.items()}
    )
    results = dataclasses.replace(
        results_2026, measures={**results_2026.measures, "citizens_involved": hidden}
    )
    text = messages.activity_message(results)
    assert "[c]" not in text and "the number of citizens involved is withheld to protect members" in text


def test_results_keep_named_frames_and_tables(make_context):
    report = outcomes.results(make_context(_tables(), year=2025))
    assert {"returns_accounting", "yearly_totals", "workshops", "level_changes"} <= set(report.frames)
    assert report.frames["returns_accounting"].loc[2025, "missing_returns"] == 1
    assert report.tables["activity"] is report.findings.tables["activity"]
    assert set(report.findings.tables) <= set(report.tables)
    text = repr(report)
    assert text.startswith("<OutcomeReport 2025: frames: returns_accounting") and len(text) < 600


def test_withheld_wording_follows_the_disclosure_settings():
    assert outcomes.withholding_note(RULES) == (
        "Money and activity totals are withheld (shown as [c]) when fewer than three members contribute "
        "or when one or two members account for most of the total."
    )
    strict = DisclosureRules(money_min_contributors=5, dominance_n=1)
    assert "fewer than five members contribute or when one member accounts for" in outcomes.withholding_note(
        strict
    )


def test_money_reason_in_the_text_follows_the_settings():
    # 2025 funding is dominated by OD, so the sentence says why it is withheld, in the settings' words.
    strict = DisclosureRules(money_min_contributors=4)
    r = outcomes.compute_outcomes(_surveys(), _roster(), _workshops(), 2025, strict)
    assert "withheld because fewer than four members contributed or one or two members account" in (
        messages.money_message(r)
    )


def test_level_change_withheld_below_the_small_number_threshold():
    from analysis.outcomes.tables import protect_level_changes

    changes = pd.DataFrame(
        {"baseline_year": [2024, 2024], "year": [2026, 2026], "n_paired": [4, 6], "mean_change": [0.5, 2.0]},
        index=pd.Index(["level_now", "readiness_index"], name="measure"),
    )
    out = protect_level_changes(changes, RULES)  # min_count 5
    assert out["level_now"] == {"n_paired": None, "mean_change": None, "baseline_year": 2024, "year": 2026}
    assert out["readiness_index"]["mean_change"] == 2.0 and out["readiness_index"]["n_paired"] == 6
    assert protect_level_changes(changes, DisclosureRules(min_count=3))["level_now"]["mean_change"] == 0.5


def test_a_hybrid_workshop_counts_in_the_held_total():
    """Issue 13: a "Hybrid" workshop was dropped and the brief said 4 workshops instead of 5."""
    from analysis.outcomes.tables import workshops_held_table

    plain = workshops_held_table(outcomes.workshop_summary(_workshops(), YEARS))
    assert "Hybrid or other" not in plain.values.columns  # no extra column while every format is known
    w = _workshops()
    w.loc[w["workshop_id"] == w.loc[w["year"] == 2025, "workshop_id"].iloc[0], "format"] = "hybrid"
    summary = outcomes.workshop_summary(w, YEARS)
    table = workshops_held_table(summary)
    assert table.values.loc["2025", "Total"] == summary.loc[2025, "workshops_held"] == 3
    assert table.values.loc["2025", "Hybrid or other"] == 1
