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
        "members_active": 6, "returns_received": 6, "returns_from_active": 6, "missing_returns": 0,
        "returns_not_expected": 0, "members_joined": 6, "members_left": 0}
    assert r.loc[2025, "members_active"] == 6
    assert r.loc[2025, "returns_received"] == 5
    assert r.loc[2025, "missing_returns"] == 1          # OE
    assert r.loc[2026, "members_active"] == 5
    assert r.loc[2026, "returns_received"] == 5
    assert r.loc[2026, "missing_returns"] == 0          # OF left: not expected
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


def test_ventures_distribution(surveys):
    d = outcomes.ventures_distribution(surveys, 2026, (0, 1, 2))
    assert d.to_dict() == {"0": 0, "1": 2, "2 or more": 3}


def test_workshop_summary():
    w = outcomes.workshop_summary(_workshops(), YEARS)
    assert w.loc[2024, ["workshops_held", "workshops_in_person", "workshops_online",
                        "attendances", "members_attending", "satisfaction_n"]].tolist() == [2, 1, 1, 5, 4, 4]
    assert w.loc[2024, "satisfaction_mean"] == pytest.approx(4.0)
    assert w.loc[2025, ["workshops_held", "workshops_in_person", "attendances", "members_attending"]].tolist() == [3, 2, 5, 4]
    assert w.loc[2025, "satisfaction_mean"] == pytest.approx(4.2)
    assert w.loc[2026, "workshops_held"] == 1


def test_benefit_distribution(surveys):
    b = outcomes.benefit_distribution(surveys, 2025)
    assert b.loc["Peer learning"].tolist() == [1, 1, 3]
    assert b.loc["National and international profile"].tolist() == [0, 1, 3]   # OF blank


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
    m = outcomes.member_sums(surveys, YEARS, ["funding_secured_gbp", "budget_devolved_gbp"]).set_index("org_id")
    assert m.loc["OD", "funding_secured_gbp"] == 109000
    assert m.loc["OE", "funding_secured_gbp"] == 6000     # 2024 + 2026; 2025 missing, not imputed
    assert m.loc["OE", "returns"] == 2
    assert m.loc["OB", "budget_devolved_gbp"] == 3000     # 2024 blank adds nothing
    assert m["funding_secured_gbp"].sum() == 139000


def test_advocacy_parts_use_the_same_members_as_the_advocacy_total(surveys):
    # OE left talks blank in 2026: its submissions and meetings are left out of the published
    # parts too, so submissions + meetings + talks = the advocacy total (13), and nobody can
    # subtract to find OE's figures.
    rows = {m: outcomes._answered(surveys, m, [2026])[m].sum() for m in outcomes.ADVOCACY_PARTS}
    assert rows == {"advocacy_submissions": 5, "advocacy_meetings": 4, "advocacy_talks": 4}
    assert sum(rows.values()) == 13
    assert outcomes.like_for_like(surveys, "advocacy_talks", 2024, 2026) == {"OA", "OB", "OC", "OD"}
