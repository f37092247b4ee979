"""Benchmarks: how fast a yearly rerun is, and how it grows with the data.

Times every stage of `run_year` (intake, each notebook, publishing each brief, the whole run)
on the bundled sample and on generated callouts, with the peak memory of the whole process
tree (notebook kernels included), beside the floor: the same analysis functions called in one
Python process without notebooks or publishing. Results go to benchmarks/results/ as Markdown
and JSON, and the table is printed.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from analysis import paths

RESULTS = paths.ROOT / "benchmarks" / "results"
WHOLE_RUN_TARGET_S = 20.0
RATIO_TARGET = 3.0
LARGE_TARGET_S = 60.0
LARGE_MEMORY_TARGET_MIB = 1536
BRIEF_TARGET_S = 3.0


class PeakMemory:
    """Samples the resident memory of this process and all its children (the kernels)."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return self.peak / 2**20


def _raw_root_for(n: int | None, workdir: Path) -> Path:
    """The bundled sample, or a copy of it whose callout is a generated one of n organisations."""
    if n is None:
        return paths.SAMPLE_RAW_DIR
    from analysis.synthetic import generate_callout

    root = workdir / f"raw-{n}"
    shutil.copytree(paths.SAMPLE_RAW_DIR, root)
    frame = generate_callout(n, seed=n)
    frame.to_csv(root / "2024" / "callout-responses.csv", index=False, encoding="utf-8-sig")
    return root


def _floor(raw_root: Path, workdir: Path) -> dict:
    """The analysis functions in one fresh Python process: intake and the four analyses, no
    notebooks, no publishing (benchmarks/floor.py). `floor_s` is that process from launch to
    exit, imports included, as a user running them in one script would wait; `compute_s` leaves
    out interpreter start and imports."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CIP_RESTRICTED_DIR=str(workdir / "restricted"))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.floor", str(raw_root), str(workdir)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"the floor run failed:\n{proc.stderr[-2000:]}")
    inside = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"floor_s": seconds, **inside}


def _scenario(label: str, n: int | None, workdir: Path, repeats: int = 1) -> dict:
    """Whole runs (the median of `repeats`) and the floor for one callout."""
    from analysis.pipeline import run_year

    raw_root = _raw_root_for(n, workdir)
    os.environ["CIP_RESTRICTED_DIR"] = str(workdir / "restricted")
    floors = [_floor(raw_root, workdir / label / f"floor-{i}") for i in range(repeats)]
    runs = []
    for i in range(repeats):
        with PeakMemory() as memory:
            summary = run_year(
                2024,
                raw=None if n is None else raw_root,
                synthetic=True,
                reports_root=workdir / label / f"reports-{i}",
                processed_root=workdir / label / f"processed-{i}",
                progress=lambda _: None,
            )
        runs.append((summary.timings["whole run"], summary.timings, memory.mib))
    runs.sort(key=lambda r: r[0])
    whole, timings, _ = runs[len(runs) // 2]
    floor = sorted(floors, key=lambda f: f["floor_s"])[len(floors) // 2]
    return {
        "scenario": label,
        "applicants": n or "sample",
        "stages_s": timings,
        "whole_run_s": whole,
        "whole_runs_s": [r[0] for r in runs],
        "floor_s": floor["floor_s"],
        "floor": floor,
        "floor_runs_s": [f["floor_s"] for f in floors],
        "ratio_to_floor": whole / floor["floor_s"],
        "ratio_to_floor_compute": whole / floor["compute_s"],
        "peak_memory_mib": max(r[2] for r in runs),
    }


def _stage_benchmarks() -> list[dict]:
    from benchmarks import bench_geography, bench_selection

    return bench_geography.run() + bench_selection.run()


def _checks(scenarios: list[dict], stages: list[dict]) -> list[dict]:
    checks = []
    sample = next(s for s in scenarios if s["applicants"] == "sample")
    checks.append(
        {
            "name": "whole 2024 run on the sample",
            "value": f"{sample['whole_run_s']:.1f} s",
            "target": f"≤ {WHOLE_RUN_TARGET_S:.0f} s",
            "met": sample["whole_run_s"] <= WHOLE_RUN_TARGET_S,
        }
    )
    checks.append(
        {
            "name": "whole run ÷ floor (sample; floor = one fresh Python process, imports included)",
            "value": f"{sample['ratio_to_floor']:.1f}×",
            "target": f"≤ {RATIO_TARGET:.0f}×",
            "met": sample["ratio_to_floor"] <= RATIO_TARGET,
        }
    )
    briefs = [v for k, v in sample["stages_s"].items() if k.startswith("publish ")]
    checks.append(
        {
            "name": "publish one brief (slowest, HTML + PDF)",
            "value": f"{max(briefs):.1f} s",
            "target": f"≤ {BRIEF_TARGET_S:.0f} s",
            "met": max(briefs) <= BRIEF_TARGET_S,
        }
    )
    for s in scenarios:
        if s["applicants"] == 10000:
            checks.append(
                {
                    "name": "whole run, 10,000 applicants",
                    "value": f"{s['whole_run_s']:.1f} s",
                    "target": f"≤ {LARGE_TARGET_S:.0f} s",
                    "met": s["whole_run_s"] <= LARGE_TARGET_S,
                }
            )
            checks.append(
                {
                    "name": "peak memory, 10,000 applicants",
                    "value": f"{s['peak_memory_mib']:.0f} MiB",
                    "target": f"≤ {LARGE_MEMORY_TARGET_MIB} MiB",
                    "met": s["peak_memory_mib"] <= LARGE_MEMORY_TARGET_MIB,
                }
            )
    for b in stages:
        checks.append(
            {
                "name": b["name"],
                "value": f"{b['seconds']:.2f} s",
                "target": f"≤ {b['target_seconds']:g} s",
                "met": b["met"],
            }
        )
    return checks


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"{platform.node() or 'machine'}: {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"load average at the end {load}"
    )


def _markdown(result: dict) -> str:
    lines = [
        f"# Benchmarks ({result['when']})",
        "",
        f"Machine: {result['machine']}",
        "",
        "| check | value | target | met |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {c['name']} | {c['value']} | {c['target']} | {'yes' if c['met'] else '**no**'} |"
        for c in result["checks"]
    ]
    lines += [
        "",
        "| scenario | whole run (s) | runs (s) | floor (s) | floor compute only (s) | ratio | "
        "ratio to compute only | peak memory (MiB) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {s['scenario']} | {s['whole_run_s']:.1f} | {', '.join(f'{x:.1f}' for x in s['whole_runs_s'])} | "
        f"{s['floor_s']:.1f} | {s['floor']['compute_s']:.1f} | {s['ratio_to_floor']:.1f}× | "
        f"{s['ratio_to_floor_compute']:.1f}× | {s['peak_memory_mib']:.0f} |"
        for s in result["scenarios"]
    ]
    lines += [
        "",
        "Whole run: the median of the runs listed. Floor: ingest and the four `analyse()` "
        "functions in one fresh Python process, launch to exit (imports included); "
        "'compute only' leaves out interpreter start and imports.",
    ]
    lines += [
        "",
        "Stages (seconds):",
        "",
        "| stage | " + " | ".join(s["scenario"] for s in result["scenarios"]) + " |",
        "| --- |" + " --- |" * len(result["scenarios"]),
    ]
    for stage in result["scenarios"][0]["stages_s"]:
        lines.append(
            f"| {stage} | "
            + " | ".join(f"{s['stages_s'].get(stage, float('nan')):.2f}" for s in result["scenarios"])
            + " |"
        )
    return "\n".join(lines) + "\n"


def main(sizes: list[int], repeats: int | None = None) -> int:
    """`repeats` whole runs of the sample (median reported; default 3, or CIP_BENCH_REPEATS);
    one run per generated callout size."""
    repeats = repeats or int(os.environ.get("CIP_BENCH_REPEATS", "3"))
    with tempfile.TemporaryDirectory(prefix="cip-bench-") as tmp:
        workdir = Path(tmp)
        scenarios = [_scenario("sample", None, workdir, repeats)]
        scenarios += [_scenario(f"{n} applicants", n, workdir) for n in sizes]
    stages = _stage_benchmarks()
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "scenarios": scenarios,
        "stage_benchmarks": stages,
        "checks": _checks(scenarios, stages),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    markdown = _markdown(result)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"written to {RESULTS / 'latest.md'} and latest.json")
    return 0 if all(c["met"] for c in result["checks"]) else 1
