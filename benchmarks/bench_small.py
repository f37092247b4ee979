"""Stage timings that used to be asserted in the tests (issue 17: no timing thresholds in tests/).

- generating a 10,000-organisation callout export (was tests/test_synthetic.py, target 5 s);
- intake of that export, 10,000 rows, with the sample's other tables (was tests/test_bad_input.py,
  target 60 s);
- one `protect_counts` call on a 12 x 6 table (was tests/test_disclosure.py, target 0.25 s).

Run: `python -m benchmarks.bench_small`; the benchmark runner calls `run()`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.config import load_config
from analysis.disclosure import DisclosureRules, protect_counts
from analysis.intake import ingest_year
from analysis.synthetic import generate_callout

GENERATE_TARGET_S = 5.0
INTAKE_TARGET_S = 60.0
PROTECT_TARGET_S = 0.25


def _row(name: str, seconds: float, target: float) -> dict:
    return {"name": name, "seconds": round(seconds, 3), "target_seconds": target, "met": seconds <= target}


def _generate_and_intake() -> list[dict]:
    start = time.perf_counter()
    frame = generate_callout(10_000, seed=7)
    generated = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="cip-bench-intake-") as tmp:
        raw = Path(tmp) / "raw"
        shutil.copytree(paths.SAMPLE_RAW_DIR, raw)
        frame.to_csv(raw / "2024" / "callout-responses.csv", index=False, encoding="utf-8-sig")
        saved = os.environ.get("CIP_RESTRICTED_DIR")
        os.environ["CIP_RESTRICTED_DIR"] = str(Path(tmp) / "restricted")  # names stay in tmp
        try:
            start = time.perf_counter()
            ingest_year(load_config(2024), raw, Path(tmp) / "processed", synthetic=True)
            intake = time.perf_counter() - start
        finally:
            if saved is None:
                os.environ.pop("CIP_RESTRICTED_DIR", None)
            else:
                os.environ["CIP_RESTRICTED_DIR"] = saved
    return [
        _row("generate a 10,000-organisation callout export", generated, GENERATE_TARGET_S),
        _row("intake of a 10,000-row callout export", intake, INTAKE_TARGET_S),
    ]


def _protect() -> dict:
    rules = DisclosureRules()
    values = np.arange(1, 12 * 6 + 1).reshape(12, 6) % 9
    counts = pd.DataFrame(
        values,
        index=pd.Index(list("ABCDEFGHIJKL"), name="Region"),
        columns=pd.Index(list("uvwxyz"), name="Type"),
    )
    protect_counts(counts, rules, caption="warm up")
    start = time.perf_counter()
    for _ in range(5):
        protect_counts(counts, rules, caption="12 x 6")
    return _row(
        "protect_counts on a 12 x 6 table (per call)", (time.perf_counter() - start) / 5, PROTECT_TARGET_S
    )


def run() -> list[dict]:
    return [*_generate_and_intake(), _protect()]


if __name__ == "__main__":
    for r in run():
        print(
            f"{r['name']}: {r['seconds']:.3f} s (target {r['target_seconds']:g} s: {'met' if r['met'] else 'NOT met'})"
        )
