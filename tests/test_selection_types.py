"""The Nash lottery over exchangeable types (analysis.selection.nash_types) is the library's Nash
distribution, computed faster: same chances, every guarantee of the selection kept."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import selection
from analysis.config import Config, load_config
from analysis.selection import crosscheck, lottery, nash_types
from analysis.selection import rules as selection_rules
from analysis.selection.eligibility import assess_eligibility, eligible_pool
from example_pools import example_applicants


def make_config(**overrides) -> Config:
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update(
        {"panel_size": 8, "min_high_ambition": 3, "stability_check": False, "nash_method": "types"}
    )
    data["selection"].update(overrides)
    return Config(year=2024, data=data, sources=base.sources)


def _payload(n: int, seed: int, config: Config) -> dict:
    rules = selection_rules.SelectionRules.from_config(config)
    pool = eligible_pool(assess_eligibility(example_applicants(n, seed=seed), config, rules))
    return lottery._payload(pool, selection_rules.build_quotas(pool, rules), rules)


def test_types_give_the_library_nash_chances():
    applicants = example_applicants(50, seed=7)
    fast = selection.select(applicants, make_config())
    slow = selection.select(applicants, make_config(nash_method="library"))
    a = fast.probabilities.set_index("org_id")["probability"]
    b = slow.probabilities.set_index("org_id")["probability"]
    assert (a - b.reindex(a.index)).abs().max() < 1e-4  # the library stops at its own tolerance
    assert fast.checks["method"].startswith("nash over exchangeable types")


@pytest.mark.parametrize("n,seed", [(60, 3), (150, 11)])
def test_pooled_parent_bodies_give_the_exact_per_applicant_optimum(n, seed):
    """The certified pooled model and the model with every parent-body member as its own type
    (no pooling at all for them) reach the same optimum."""
    p = _payload(n, seed, make_config())
    pooled = nash_types.build_types(p["people"], p["quotas"], p["panel_size"], "parent_key", pooled=True)
    exact = nash_types.build_types(p["people"], p["quotas"], p["panel_size"], "parent_key", pooled=False)
    assert exact.groups, "the example pool should have shared parent bodies"
    _, _, y1, _ = nash_types.nash_over_types(pooled, seed=1)
    _, _, y2, _ = nash_types.nash_over_types(exact, seed=1)
    c1 = {pid: y1[t] / pooled.counts[t] for t, ids in enumerate(pooled.members) for pid in ids}
    c2 = {pid: y2[t] / exact.counts[t] for t, ids in enumerate(exact.members) for pid in ids}
    assert max(abs(c1[pid] - c2[pid]) for pid in c1) < 1e-7


def test_exchangeable_applicants_get_equal_chances_and_panels_within_one():
    result = selection.select(
        example_applicants(200, seed=2024, ineligible_share=0.0), make_config(panel_size=12)
    )
    t = result.probabilities.merge(result.pool, on="org_id")
    shared = t["parent_key"].duplicated(keep=False)
    for _, group in t[~shared].groupby(["nation", "region_code", "ambition"]):
        assert np.ptp(group["probability"].to_numpy()) < 1e-9
        assert np.ptp(group["panels"].to_numpy()) <= 1
    assert abs(result.probabilities["probability"].sum() - 12) < 1e-6
    assert result.checks["max_rounding_shift"] <= 0.01


def test_auto_uses_the_library_for_ordinary_pools_and_types_for_large_ones():
    rules = selection_rules.SelectionRules.from_config(make_config(nash_method="auto", library_max_pool=300))
    assert rules.method_for(150) == "library"
    assert rules.method_for(301) == "types"
    result = selection.select(example_applicants(50, seed=7), make_config(nash_method="auto"))
    assert result.checks["method"] == "sortition-algorithms nash"


@pytest.mark.slow  # four library runs in a child process each: about a minute on 2 cores
# Derandomized so the examples are the same on every machine.
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(
    n=st.integers(min_value=15, max_value=70),
    seed=st.integers(min_value=1, max_value=10_000),
    panel_size=st.integers(min_value=6, max_value=10),
    min_high=st.integers(min_value=0, max_value=4),
    max_region=st.integers(min_value=1, max_value=3),
)
def test_types_equal_the_library_nash_on_random_pools(n, seed, panel_size, min_high, max_region):
    """Property behind using the types as the cross-check (and the default above the library's
    pool limit): on any feasible pool every applicant's chance agrees with the library's within
    1e-4 (crosscheck.METHOD_TOLERANCE), the library run as verify-selection runs it."""
    config = make_config(panel_size=panel_size, min_high_ambition=min_high, max_per_region=max_region)
    try:
        fast = selection.select(example_applicants(n, seed=seed), config)
    except selection.SelectionError:
        assume(False)  # infeasible quotas: nothing to compare
    library = crosscheck.library_chances(fast)
    chances = fast.probabilities.set_index("org_id")["probability"]
    worst = max(abs(float(chances[pid]) - library[pid]) for pid in chances.index)
    assert worst <= crosscheck.METHOD_TOLERANCE


def _nash_objective(chances: dict[str, float]) -> float:
    return sum(math.log(p) for p in chances.values() if p > 1e-9)


@pytest.mark.slow
def test_types_equal_the_library_nash_on_the_pool_hypothesis_found():
    """The pool where 1 starting round per applicant left the library short of the optimum
    (one chance 0.00225 off, a lower Nash objective). The types' Nash is the optimum: the library's
    column generation never does better, and where it reaches the optimum the chances agree. (Its
    starting panels depend on the process's string hashing, so one depth does not always reach it.)"""
    config = make_config(panel_size=7, min_high_ambition=0, max_per_region=2)
    fast = selection.select(example_applicants(58, seed=397), config)
    library = crosscheck.library_chances(fast)
    chances = fast.probabilities.set_index("org_id")["probability"]
    types_value = _nash_objective({pid: float(chances[pid]) for pid in chances.index})
    assert _nash_objective(library) <= types_value + 1e-8  # the types' Nash is never beaten
    if _nash_objective(library) > types_value - 1e-8:  # the library reached the optimum too
        worst = max(abs(float(chances[pid]) - library[pid]) for pid in chances.index)
        assert worst <= crosscheck.METHOD_TOLERANCE
    shallow = lottery.run_library(fast.pool, fast.quotas, fast.rules, method="library", rounds=1.0)
    assert _nash_objective(shallow.marginals) < types_value - 1e-5  # stopped short: why the depth matters
