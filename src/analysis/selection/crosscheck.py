"""The checks that need a second computation: kept out of the run, done by `verify-selection`.

A run computes the distribution once. Two further computations show that it is the right one:
- a second seed: the Nash chances are unique, so another seed must give the same chances within
  `stability_tolerance` (a seed-dependent result would not be anyone's chance);
- the other method: the library's per-applicant Nash and the exact Nash over exchangeable types
  (`nash_types`) must agree within `METHOD_TOLERANCE` on every applicant's chance. The library
  takes minutes above a few hundred applicants, so it is skipped (and said so) above
  `LIBRARY_CROSS_CHECK_MAX_POOL` eligible applicants.

The library's column generation starts from panels found by `initial_rounds_per_applicant`
rounds per applicant and can stop short of the optimum when they are too few. On the pool the
hypothesis property found (58 applicants, seed 397, panel of 7, at most 2 per region), 1 round
per applicant ends at a Nash objective (sum of log chances) of -115.848172, below the types'
-115.848038, with one chance 0.00225 off; 2 rounds (the library's own default) reach
-115.848038 with chances within 2.1e-6, and 10 within 1.5e-8. The types are the exact optimum,
so as the cross-check the library runs with at least `CROSS_CHECK_ROUNDS` rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.selection import _sortition
from analysis.selection.lottery import SelectionResult, run_library

METHOD_TOLERANCE = 1e-4  # the library's column generation stops at its own tolerance
LIBRARY_CROSS_CHECK_MAX_POOL = 600
CROSS_CHECK_ROUNDS = 2.0  # the library's own default; 1 can stop short of the optimum (see above)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool | None  # None: not run (the reason is in `detail`)
    detail: str

    def line(self) -> str:
        status = {True: "passed", False: "FAILED", None: "not run"}[self.passed]
        return f"{self.name}: {status} ({self.detail})"


def _chances(result: SelectionResult, **override) -> dict[str, float]:
    out = run_library(result.pool, result.quotas, result.rules, **override)
    return {pid: float(out.marginals.get(pid, 0.0)) for pid in result.pool["org_id"]}


def library_chances(result: SelectionResult, **override) -> dict[str, float]:
    """sortition-algorithms' Nash chances on the result's pool, run to its own default depth."""
    rounds = max(result.rules.initial_rounds_per_applicant, CROSS_CHECK_ROUNDS)
    return _chances(result, method="library", rounds=rounds, **override)


def _largest_difference(result: SelectionResult, other: dict[str, float]) -> float:
    mine = result.probabilities.set_index("org_id")["probability"]
    return max((abs(float(mine[pid]) - other[pid]) for pid in other), default=0.0)


def second_seed(result: SelectionResult) -> Check:
    """The same distribution from seed + 1 (only if `stability_check` is on in the settings)."""
    rules = result.rules
    name = "second-seed check"
    if not rules.stability_check:
        return Check(name, None, "selection.stability_check is false in the settings")
    method = rules.method_for(len(result.pool))
    if method == "library":
        again = library_chances(result, seed=rules.seed + 1)
    else:
        again = _chances(result, seed=rules.seed + 1, method=method)
    diff = _largest_difference(result, again)
    return Check(
        name,
        diff <= rules.stability_tolerance,
        f"seed {rules.seed + 1}: chances moved by at most {diff:.2e}, allowed {rules.stability_tolerance:g}",
    )


def other_method(result: SelectionResult) -> Check:
    """The Nash chances by the method the run did not use (Nash only; leximin has no twin)."""
    rules = result.rules
    name = "cross-check of the two Nash methods"
    if rules.algorithm != "nash":
        return Check(name, None, f"the algorithm is {rules.algorithm}")
    used = rules.method_for(len(result.pool))
    other = "types" if used == "library" else "library"
    if other == "library" and len(result.pool) > LIBRARY_CROSS_CHECK_MAX_POOL:
        return Check(
            name,
            None,
            f"{len(result.pool)} eligible applicants: sortition-algorithms would take too long "
            f"above {LIBRARY_CROSS_CHECK_MAX_POOL}",
        )
    try:
        chances = library_chances(result) if other == "library" else _chances(result, method=other)
    except _sortition.WorkerError as exc:
        return Check(name, False, f"the {other} method failed: {exc}")
    diff = _largest_difference(result, chances)
    labels = {"library": "sortition-algorithms' Nash", "types": "the exact Nash over types"}
    return Check(
        name,
        diff <= METHOD_TOLERANCE,
        f"{labels[used]} against {labels[other]}: chances differ by at most {diff:.2e}, "
        f"allowed {METHOD_TOLERANCE:g}",
    )


def run_checks(result: SelectionResult) -> list[Check]:
    return [second_seed(result), other_method(result)]
