"""Benchmark: `selection.select` on example pools, including the 1000-panel rounding.

- 12 members from 200 eligible applicants with the defaults (`nash_method = "auto"`, so the
  library's Nash runs in a child process): at most 30 s on a 2-core machine (issue 7);
- 12 members from 1,000 eligible applicants with the exact Nash over types: at most 5 s
  (issue 17).

The pools are `tests/example_pools.example_applicants` with no ineligible applicants; the
quotas are the defaults (one seat per nation, at most 2 per region, at least 4 high-ambition,
one per parent body). Timed end to end through `selection.select` (eligibility, the
distribution, the rounding, every check and the draw). A run computes the distribution once:
the second-seed and cross-method checks belong to `verify-selection`.

Run: `python -m benchmarks.bench_selection`; the benchmark runner calls `run()`.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

from analysis import selection
from analysis.config import Config, load_config

PANEL = 12
CASES = (  # eligible applicants, nash_method, target seconds
    (200, "auto", 30.0),
    (1000, "types", 5.0),
)

# The pool generator is shared with the tests, which keep it out of the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from example_pools import example_applicants  # noqa: E402


def _config(method: str) -> Config:
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update({"panel_size": PANEL, "nash_method": method})
    return Config(year=2024, data=data, sources=base.sources)


def _time(n: int, method: str, target: float) -> dict:
    applicants = example_applicants(n, seed=2024, ineligible_share=0.0)
    start = time.perf_counter()
    result = selection.select(applicants, _config(method))
    seconds = time.perf_counter() - start
    assert len(result.pool) == n and len(result.lottery) == 1000
    return {
        "name": f"selection.select {PANEL} from {n} eligible, 1000 panels ({result.checks['method']})",
        "seconds": round(seconds, 2),
        "target_seconds": target,
        "met": seconds <= target,
        "library_seconds": round(result.timings["library"], 2),
        "distinct_panels": result.checks["distinct_panels"],
        "max_rounding_shift": round(result.checks["max_rounding_shift"], 4),
    }


def run() -> list[dict]:
    return [_time(*case) for case in CASES]


if __name__ == "__main__":
    for r in run():
        verdict = "met" if r["met"] else "NOT met"
        print(
            f"{r['name']}: {r['seconds']:.1f} s (target {r['target_seconds']:.0f} s: {verdict}); "
            f"distribution {r['library_seconds']:.1f} s, {r['distinct_panels']} distinct panels, "
            f"rounding moved a chance by at most {r['max_rounding_shift']}"
        )
