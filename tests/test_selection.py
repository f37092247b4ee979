"""Issue 7, item 8: the selection is reproducible, meets its quotas and explains infeasibility.

Small pools (about 50 applicants, panels of 8) keep each lottery to a few seconds.
"""

from __future__ import annotations

import copy
import random

import numpy as np
import pandas as pd
import pytest

from analysis import selection
from analysis.config import Config, load_config
from analysis.context import RunContext
from analysis.selection import SelectionError, _sortition
from analysis.selection.audit import audit_files, compare_pack, write_audit_pack
from analysis.selection.eligibility import assess_eligibility
from analysis.selection.lottery import FEATURE_COLUMN
from example_pools import example_applicants


def make_config(**selection_overrides) -> Config:
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update({"panel_size": 8, "min_high_ambition": 3, "stability_check": False})
    data["selection"].update(selection_overrides)
    return Config(year=2024, data=data, sources=base.sources)


@pytest.fixture(scope="module")
def applicants() -> pd.DataFrame:
    return example_applicants(50, seed=7)


@pytest.fixture(scope="module")
def result(applicants):
    return selection.select(applicants, make_config())


# ---------------------------------------------------------------------------
def test_same_inputs_and_seed_give_a_byte_identical_audit_pack(applicants, result, tmp_path):
    again = selection.select(applicants.sample(frac=1, random_state=3), make_config())  # row order irrelevant
    assert audit_files(again) == audit_files(result)
    write_audit_pack(result, tmp_path / "audit")
    first = {p.name: p.read_bytes() for p in (tmp_path / "audit").iterdir()}
    write_audit_pack(again, tmp_path / "audit")
    assert {p.name: p.read_bytes() for p in (tmp_path / "audit").iterdir()} == first
    assert "README.md" in first and "panels.csv" in first


def test_verify_selection_says_identical_then_names_a_difference(applicants, result, tmp_path):
    processed, audit = tmp_path / "processed", tmp_path / "audit"
    processed.mkdir()
    applicants.to_parquet(processed / "applicants.parquet")
    write_audit_pack(result, audit)
    assert selection.verify_selection(make_config(), processed, audit) == (True, [])
    text = (audit / "drawn-panel.csv").read_text()
    (audit / "drawn-panel.csv").write_text(text.replace(f"{result.drawn_panel},", "1,", 1))
    assert compare_pack(audit_files(result), audit)[0].startswith("drawn-panel.csv line 2")


def test_every_panel_meets_every_quota(result):
    strata = result.pool.set_index("org_id")
    assert len(result.lottery) == 1000
    for panel in result.lottery:
        rows = strata.loc[list(panel)]
        assert len(set(panel)) == result.rules.panel_size
        assert not rows["parent_key"].duplicated().any()
        for q in result.quotas:
            n = int((rows[FEATURE_COLUMN[q.feature]] == q.value).sum())
            assert q.min <= n <= q.max, (panel, q)
    assert set(result.selected) == set(result.lottery[result.drawn_panel - 1])


def test_probabilities_sum_to_panel_size_and_none_is_zero(result):
    p = result.probabilities
    assert abs(p["probability"].sum() - result.rules.panel_size) < 1e-6
    assert abs(p["lottery_probability"].sum() - result.rules.panel_size) < 1e-9
    assert (p["probability"] > 0).all()
    assert len(p) == int(result.assessment["eligible"].sum())


def test_rounding_moves_no_probability_by_more_than_001(result):
    p = result.probabilities
    assert (p["lottery_probability"] - p["probability"]).abs().max() <= 0.01
    assert result.checks["max_rounding_shift"] <= 0.01


def test_global_random_state_is_unchanged(applicants):
    random.seed(123)
    np.random.seed(456)
    py_state, np_state = random.getstate(), np.random.get_state()
    selection.select(applicants, make_config(seed=99))
    assert random.getstate() == py_state
    after = np.random.get_state()
    assert after[0] == np_state[0] and (after[1] == np_state[1]).all() and after[2:] == np_state[2:]


def test_isolated_global_random_restores_state_after_the_library_seeds_it():
    from sortition_algorithms.utils import set_random_provider

    state = random.getstate()
    with _sortition.isolated_global_random():
        set_random_provider(42)  # calls random.seed(42)
        random.random()
    assert random.getstate() == state


def test_infeasible_nation_minimum_is_explained_with_the_fix():
    df = example_applicants(40, seed=11, ineligible_share=0.0)
    df.loc[df["nation"] == "Northern Ireland", ["region_code", "region_name", "nation"]] = [
        "S92000003",
        "Scotland",
        "Scotland",
    ]
    df.loc[0, ["region_code", "region_name", "nation"]] = [
        "N92000002",
        "Northern Ireland",
        "Northern Ireland",
    ]
    with pytest.raises(SelectionError) as err:
        selection.select(df, make_config(min_per_nation=2))
    assert isinstance(err.value, ValueError)
    assert (
        "The minimum for Northern Ireland is 2 but only 1 applicant is eligible there; "
        "lower selection.min_per_nation to 1"
    ) in str(err.value)


def test_infeasible_high_ambition_minimum_is_explained():
    df = example_applicants(40, seed=12, ineligible_share=0.0)
    df["level_now"], df["level_target_2026"] = pd.array([3] * 40, "Int64"), pd.array([4] * 40, "Int64")
    df.loc[:1, "level_now"] = 1  # two high-ambition applicants
    assert int((assess_eligibility(df, make_config())["ambition"] == "high").sum()) == 2
    with pytest.raises(
        SelectionError,
        match="The minimum for the high-ambition band is 3 but only 2 "
        "applicants are eligible in it; lower selection.min_high_ambition to 2",
    ):
        selection.select(df, make_config(min_high_ambition=3))


def test_conflict_found_by_the_library_is_explained_in_plain_words():
    # Three high-ambition applicants, all in London, but at most 2 per region: only the solver sees it.
    df = example_applicants(40, seed=13, ineligible_share=0.0)
    df["level_now"], df["level_target_2026"] = pd.array([3] * 40, "Int64"), pd.array([4] * 40, "Int64")
    df.loc[:2, ["level_now", "level_target_2026"]] = [1, 4]
    df.loc[:2, ["region_code", "region_name", "nation"]] = ["E12000007", "London", "England"]
    df.loc[:2, "parent_id"] = None
    with pytest.raises(SelectionError) as err:
        selection.select(df, make_config(min_high_ambition=3))
    msg = str(err.value)
    assert "cannot all be met" in msg and ("lower" in msg or "raise" in msg)
    assert "London" in msg or "high-ambition" in msg


def test_leximin_without_a_gurobi_licence_is_refused(applicants, monkeypatch):
    monkeypatch.setattr(_sortition, "gurobi_licence_available", lambda: False)
    with pytest.raises(SelectionError, match="Gurobi licence"):
        selection.select(applicants, make_config(algorithm="leximin"))


def test_other_algorithms_and_seed_zero_are_refused(applicants):
    with pytest.raises(SelectionError, match="maximin"):
        selection.select(applicants, make_config(algorithm="maximin"))
    with pytest.raises(SelectionError, match="seed"):
        selection.select(applicants, make_config(seed=0))


def test_eligibility_reason_codes():
    df = example_applicants(6, seed=1, ineligible_share=0.0)
    df.loc[0, ["postcode_status", "region_source", "nation"]] = ["outside_uk", "none", None]
    df.loc[1, ["postcode_status", "region_source"]] = ["not_found", "stated"]
    df.loc[2, "can_commit_3_years"] = "unsure"
    df.loc[3, "research_consent"] = False
    df.loc[4, "level_target_2026"] = df.loc[4, "level_now"]
    df.loc[5, "level_target_2026"] = pd.NA
    out = assess_eligibility(df, make_config()).set_index("org_id")
    # Declining research use is not a reason; an unverified postcode takes part as stated.
    assert list(out["reason"]) == [
        "outside_uk",
        "",
        "cannot_commit",
        "",
        "no_planned_move",
        "missing_answers",
    ]
    assert out["region_source"].iloc[1] == "stated" and out["nation"].iloc[1] == df.loc[1, "nation"]

    def rule(how):
        elig = {"unverified_postcode": how, "require_commitment": "yes", "min_level_gap": 1}
        return assess_eligibility(df, make_config(eligibility=elig)).set_index("org_id")

    assert rule("exclude")["reason"].iloc[1] == "postcode_unverified"
    grouped = rule("own_group")
    assert grouped["reason"].iloc[1] == "" and grouped["nation"].iloc[1] == "Unverified"
    df.loc[1, ["region_source", "nation"]] = ["none", None]
    assert (
        assess_eligibility(df, make_config()).set_index("org_id")["reason"].iloc[1] == "postcode_unverified"
    )


def test_public_draw_number_and_reserve_rule(applicants, result):
    drawn = selection.select(applicants, make_config(drawn_panel=17))
    assert drawn.drawn_panel == 17 and drawn.draw_source == "public draw"
    assert set(drawn.selected) == set(drawn.lottery[16])
    reserves = result.probabilities.dropna(subset=["reserve_rank"]).sort_values("reserve_rank")
    assert list(reserves["panels"]) == sorted(reserves["panels"], reverse=True)
    assert not set(reserves["org_id"]) & set(result.selected)


def test_run_and_analyse_write_restricted_and_public_outputs(applicants, result, tmp_path, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))
    processed = tmp_path / "processed"
    processed.mkdir()
    applicants.to_parquet(processed / "applicants.parquet")
    ctx = RunContext(
        year=2025, config=make_config(), processed_dir=processed, output_dir=tmp_path / "out", synthetic=True
    )
    names = tmp_path / "organisations.csv"
    pd.DataFrame({"org_id": applicants["org_id"], "org_name": [f"Arts Trust {i}" for i in range(50)]}).to_csv(
        names, index=False
    )
    findings = selection.analyse(ctx, names_path=names)
    assert findings.area == "selection" and findings.key_messages
    assert "took place in early 2024" in findings.brief_text
    assert all(t.caption for t in findings.tables.values())
    audit_text = "".join(p.read_text() for p in ctx.audit_dir.iterdir())
    assert "Arts Trust" not in audit_text
    private = (ctx.restricted_dir / "selection" / "explanations.csv").read_text()
    assert "Arts Trust 0" in private and "chance of being selected" in private
    findings.save(ctx.findings_dir)
