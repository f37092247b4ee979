"""The one place that touches sortition-algorithms, including its internal API.

Written against sortition-algorithms==0.12.15 (GPL-3.0, Sortition Foundation). The floats we
need (per-panel probabilities) are only exposed by the lower-level distribution functions
(`sortition_algorithms.committee_generation.find_distribution_nash/_leximin`) and the
1000-panel rounding by `sortition_algorithms.core.lottery_rounding`; both are internal, so a
new library version must be checked here before the pin in pyproject/requirements moves.

With `nash_method = "types"` (the default) the Nash chances are the exact Nash over exchangeable
types of applicants (`analysis.selection.nash_types`: deterministic, seconds at 10,000 applicants),
computed in this process; the tests prove them equal to the library's within 1e-4 on random pools,
and `verify-selection` recomputes them with the library as a cross-check. "library" uses the
library's Nash per applicant as below, "auto" the library up to `library_max_pool` eligible
applicants and types above, and leximin always uses the library.

The library's own modules are imported inside the functions that use them: sortition-algorithms
loads cvxpy (seconds of start-up), and most runs only load a stored draw or use the types method.

Why the library runs in a child process (`compute_lottery`):
* the library orders agents and committees by iterating Python sets of strings, whose order
  depends on the per-process hash seed. With a different PYTHONHASHSEED the Nash solution agrees
  only to ~1e-7 and the list of panels comes out in a different order, so the 1000-panel rounding
  would differ between `run` and `verify-selection`. The child runs with PYTHONHASHSEED=0 and
  single-threaded maths libraries, which makes the result bit-for-bit repeatable;
* `random_number_seed` seeds Python's *global* `random` (a side effect on the caller). The child
  process has its own interpreter, and inside it we still save and restore the global state;
* HiGHS prints a banner on stdout; the child's output never reaches the notebook.

Run as `python -m analysis.selection._sortition IN.json OUT.json` (internal use only).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.manifest import package_versions as versions_of
from analysis.selection import nash_types

PINNED_VERSION = "0.12.15"
PACKAGES = ("sortition-algorithms", "cvxpy", "highspy", "scs", "numpy", "pandas")
PARENT_FEATURE = "parent_key"  # "same address" column: at most one member per parent body


class WorkerError(RuntimeError):
    """The child process failed for a reason that is not about the quotas."""


@dataclass(frozen=True)
class LotteryOutput:
    """What the library produced, in a canonical order (committees sorted by their members)."""

    algorithm: str  # the algorithm actually run
    marginals: dict[str, float]  # each eligible applicant's chance under the distribution
    lottery: list[tuple[str, ...]]  # the `panels` equally likely panels, canonical order
    unreachable: list[str]  # applicants no quota-meeting panel can include
    method: dict[str, Any]  # how the distribution was computed (types or library)


@dataclass(frozen=True)
class Infeasible:
    """The library's smallest relaxation of the quotas, per (feature, value)."""

    changes: list[dict[str, Any]]  # {"feature", "value", "min", "max", "new_min", "new_max"}


# ---------------------------------------------------------------------------
# Parent side
# ---------------------------------------------------------------------------
def package_versions() -> dict[str, str]:
    """Versions recorded in the audit pack (a different version may give different panels)."""
    out = versions_of(PACKAGES)
    out["python"] = ".".join(str(p) for p in sys.version_info[:3])
    return out


def gurobi_licence_available() -> bool:
    """True only if gurobipy imports *and* a licensed environment starts.

    The library's own `GUROBI_AVAILABLE` only checks that the package is importable, and the
    pip package ships a size-limited licence; leximin needs a real one, so we open an Env.
    """
    try:
        import gurobipy  # type: ignore[import-not-found]
    except ImportError:
        return False
    try:
        env = gurobipy.Env(empty=True)
        env.setParam("OutputFlag", 0)
        env.start()
        env.dispose()
    except Exception:  # gurobipy.GurobiError: no or invalid licence
        return False
    return True


def compute_lottery(payload: dict[str, Any], timeout: int = 600) -> LotteryOutput | Infeasible:
    """The Nash lottery over exchangeable types (in this process, see `nash_types`), or the
    library's per-applicant algorithm in a child process (leximin, or `nash_method = "library"`)."""
    if payload["algorithm"] == "nash" and payload.get("nash_method", "types") == "types":
        return _compute_types(payload)
    return _compute_in_child(payload, timeout)


def _compute_types(payload: dict[str, Any]) -> LotteryOutput | Infeasible:
    try:
        out = nash_types.compute(
            payload["people"],
            payload["quotas"],
            int(payload["panel_size"]),
            int(payload["panels"]),
            int(payload["seed"]),
            PARENT_FEATURE,
        )
    except nash_types.TypesInfeasible as err:
        # The library finds the smallest relaxation of the quotas (per applicant, in the child).
        found = _compute_in_child({**payload, "relaxation_only": True}, 600)
        if isinstance(found, Infeasible):
            return found
        raise WorkerError("no panel meets the quotas over types, but the library found one") from err
    return _output(out)


def _output(out: dict[str, Any]) -> LotteryOutput | Infeasible | None:
    if out.get("feasible"):
        return None
    if "infeasible" in out:
        return Infeasible(changes=out["infeasible"])
    return LotteryOutput(
        algorithm=out["algorithm"],
        marginals={str(k): float(v) for k, v in out["marginals"].items()},
        lottery=[tuple(c) for c in out["lottery"]],
        unreachable=list(out["unreachable"]),
        method=dict(out.get("method", {})),
    )


def _compute_in_child(payload: dict[str, Any], timeout: int) -> LotteryOutput | Infeasible:
    """Run the library's distribution and the rounding in a child process (see module docstring)."""
    env = dict(os.environ)
    env.update(
        {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    )
    with tempfile.TemporaryDirectory(prefix="cip-selection-") as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.selection._sortition", str(src), str(dst)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0 or not dst.exists():
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
            raise WorkerError(f"the selection library failed (exit {proc.returncode}):\n{tail}")
        out = json.loads(dst.read_text(encoding="utf-8"))
    return _output(out)


# ---------------------------------------------------------------------------
# Child side: everything below imports the library
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def isolated_global_random() -> Iterator[None]:
    """Save and restore Python's and numpy's global random state around library calls.

    `set_random_provider(seed)` calls `random.seed(seed)`; leaving that behind would change every
    later use of `random` in the caller's process.
    """
    import numpy as np

    py_state = random.getstate()
    np_state = np.random.get_state()
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        from sortition_algorithms.utils import set_random_provider

        set_random_provider(None)  # back to the library's default (secrets-based) provider


def _features(quotas: list[dict[str, Any]], panel_size: int):
    from sortition_algorithms.features import FeatureValueMinMax

    features: dict[str, dict[str, Any]] = {}
    for q in quotas:
        features.setdefault(q["feature"], {})[q["value"]] = FeatureValueMinMax(
            min=int(q["min"]), max=int(q["max"]), min_flex=0, max_flex=max(int(q["max"]), panel_size)
        )
    return features


def _people(rows: list[dict[str, str]], features):
    from sortition_algorithms.people import People

    people = People([PARENT_FEATURE])
    for i, row in enumerate(sorted(rows, key=lambda r: r["id"])):
        people.add(row["id"], dict(row), features, i)
    return people


def _nash(features, people, panel_size: int, backend: str, rounds: int):
    """`find_distribution_nash` (0.12.15) with a configurable number of initial panels.

    The library always runs 2 x applicants rounds of multiplicative weights to find starting
    panels; at 200 applicants that phase is ~80 % of the run. The Nash chances are unique, but
    the column generation stops at a tolerance, so too few starting panels leave the chances less
    settled: on the 2024 sample 0.5 x applicants moved them by 1e-3 between seeds, 1 x by 2e-6
    and 2 x by 6e-7. The default `initial_rounds_per_applicant = 1.0` halves the time and passes
    the second-seed check comfortably.
    """
    from sortition_algorithms.committee_generation import nash as lib_nash
    from sortition_algorithms.committee_generation.common import (
        generate_initial_committees,
        setup_committee_generation,
    )
    from sortition_algorithms.utils import RunReport

    solver, agent_vars = setup_committee_generation(features, people, panel_size, [PARENT_FEATURE], backend)
    committees, covered, _ = generate_initial_committees(solver, agent_vars, rounds)
    entitlements, index = lib_nash._define_entitlements(covered)
    committees, probs, _ = lib_nash._run_nash_optimization_loop(
        solver, agent_vars, list(committees), entitlements, index, covered, panel_size, RunReport()
    )
    return committees, probs


def _distribution(algorithm: str, features, people, panel_size: int, backend: str, rounds: int):
    """Call the chosen algorithm directly: there is no code path that falls back to another."""
    from sortition_algorithms import committee_generation as cg

    if algorithm == "nash":
        committees, probs = _nash(features, people, panel_size, backend, rounds)
    elif algorithm == "leximin":
        committees, probs, _ = cg.find_distribution_leximin(
            features, people, panel_size, [PARENT_FEATURE], backend
        )
    else:
        raise ValueError(f"algorithm {algorithm!r} is not supported here")
    committees, probs = cg.standardize_distribution(committees, list(probs))
    pairs = sorted((tuple(sorted(c)), float(p)) for c, p in zip(committees, probs))
    return [c for c, _ in pairs], [p for _, p in pairs]


def _marginals(committees, probs) -> dict[str, float]:
    out: dict[str, float] = {}
    for c, p in zip(committees, probs):
        for pid in c:
            out[pid] = out.get(pid, 0.0) + p
    return out


def _unreachable(features, people, panel_size: int, backend: str, candidates: list[str]) -> list[str]:
    """Which of `candidates` no quota-meeting panel can include (so a chance of 0 is forced)."""
    if not candidates:
        return []
    from sortition_algorithms.committee_generation.common import (
        ilp_results_to_committee,
        setup_committee_generation,
    )
    from sortition_algorithms.committee_generation.solver import SolverSense

    solver, agent_vars = setup_committee_generation(features, people, panel_size, [PARENT_FEATURE], backend)
    out = []
    for pid in candidates:
        solver.set_objective(agent_vars[pid], SolverSense.MAXIMIZE)
        solver.optimize()
        if pid not in ilp_results_to_committee(solver, agent_vars):
            out.append(pid)
    return out


def _run(payload: dict[str, Any]) -> dict[str, Any]:
    from sortition_algorithms import errors
    from sortition_algorithms.core import lottery_rounding
    from sortition_algorithms.utils import set_random_provider

    k, backend, algorithm = int(payload["panel_size"]), payload["backend"], payload["algorithm"]
    features = _features(payload["quotas"], k)
    people = _people(payload["people"], features)
    rounds = max(
        int(payload.get("min_initial_rounds", 50)),
        math.ceil(float(payload["initial_rounds_per_applicant"]) * people.count),
    )
    if payload.get("relaxation_only"):
        from sortition_algorithms.committee_generation.common import setup_committee_generation

        try:
            setup_committee_generation(features, people, k, [PARENT_FEATURE], backend)
        except errors.InfeasibleQuotasError as exc:
            return {"infeasible": _relaxations(payload["quotas"], exc.features)}
        return {"feasible": True}
    with isolated_global_random():
        set_random_provider(int(payload["seed"]))
        try:
            committees, probs = _distribution(algorithm, features, people, k, backend, rounds)
        except errors.InfeasibleQuotasError as exc:
            return {"infeasible": _relaxations(payload["quotas"], exc.features)}
        lottery = lottery_rounding([frozenset(c) for c in committees], probs, int(payload["panels"]))
    lottery = sorted(tuple(sorted(c)) for c in lottery)
    marg = _marginals(committees, probs)
    zero = sorted(pid for pid in people if marg.get(pid, 0.0) < 1e-9)
    return {
        "algorithm": algorithm,
        "marginals": {pid: marg.get(pid, 0.0) for pid in people},
        "method": {"name": f"sortition-algorithms {algorithm}", "committees": len(committees)},
        "lottery": lottery,
        "unreachable": _unreachable(features, people, k, backend, zero),
    }


def _relaxations(quotas: list[dict[str, Any]], relaxed) -> list[dict[str, Any]]:
    changes = []
    for q in quotas:
        r = relaxed[q["feature"]][q["value"]]
        if r.min != q["min"] or r.max != q["max"]:
            changes.append({**q, "new_min": int(r.min), "new_max": int(r.max)})
    return changes


def _main(argv: list[str]) -> int:
    src, dst = Path(argv[0]), Path(argv[1])
    payload = json.loads(src.read_text(encoding="utf-8"))
    with contextlib.redirect_stdout(sys.stderr):
        result = _run(payload)
    dst.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
