"""Benchmark: selecting 12 members from 200 eligible applicants, including the 1000-panel
rounding, must take at most 30 s on a 2-core machine (issue 7).

The pool is `tests/example_pools.example_applicants` with no ineligible applicants, so
exactly 200 are eligible; the quotas are the defaults (one seat per nation, at most 2 per region,
at least 4 high-ambition, one per parent body). Timed end to end through `selection.select`
(eligibility, the child process running the Nash distribution, the rounding, every check and the
draw). Reported twice: with the default second-seed stability check (which runs the distribution
again) and without it.

Run: `python benchmarks/bench_selection.py`; the benchmark runner calls `run()`.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

from analysis import selection
from analysis.config import Config, load_config

N_ELIGIBLE = 200
PANEL = 12
TARGET_SECONDS = 30.0

# The pool generator is shared with the tests, which keep it out of the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from example_pools import example_applicants  # noqa: E402


def _config(stability: bool) -> Config:
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update({"panel_size": PANEL, "stability_check": stability})
    return Config(year=2024, data=data, sources=base.sources)


def _time(stability: bool) -> dict:
    applicants = example_applicants(N_ELIGIBLE, seed=2024, ineligible_share=0.0)
    start = time.perf_counter()
    result = selection.select(applicants, _config(stability))
    seconds = time.perf_counter() - start
    assert len(result.pool) == N_ELIGIBLE and len(result.lottery) == 1000
    label = "with" if stability else "without"
    return {
        "name": f"selection.select {PANEL} from {N_ELIGIBLE} eligible, 1000 panels, {label} "
        f"second-seed check",
        "seconds": round(seconds, 2),
        "target_seconds": TARGET_SECONDS,
        "met": seconds <= TARGET_SECONDS,
        "library_seconds": round(result.timings["library"], 2),
        "distinct_panels": result.checks["distinct_panels"],
        "max_rounding_shift": round(result.checks["max_rounding_shift"], 4),
    }


def run() -> list[dict]:
    return [_time(stability=True), _time(stability=False)]


if __name__ == "__main__":
    for r in run():
        verdict = "met" if r["met"] else "NOT met"
        print(
            f"{r['name']}: {r['seconds']:.1f} s (target {r['target_seconds']:.0f} s: {verdict}); "
            f"library {r['library_seconds']:.1f} s, {r['distinct_panels']} distinct panels, "
            f"rounding moved a chance by at most {r['max_rounding_shift']}"
        )
