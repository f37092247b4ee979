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
import tempfile
import threading
import time
from datetime import datetime, timezone
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


def _floor(raw_root: Path, workdir: Path) -> float:
    """The analysis functions in one process: intake and the four analyses, no notebooks."""
    from analysis import geography, outcomes, readiness, selection
    from analysis.config import load_config
    from analysis.context import RunContext
    from analysis.ingest import ingest_year

    start = time.perf_counter()
    config = load_config(2024)
    processed = workdir / "floor-processed"
    ingest_year(config, raw_root, processed, synthetic=True)
    ctx = RunContext(year=2024, config=config, processed_dir=processed, output_dir=workdir / "floor-out",
                     synthetic=True)
    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    for module in (selection, readiness, outcomes, geography):
        module.analyse(ctx).save(ctx.findings_dir)
    return time.perf_counter() - start


def _scenario(label: str, n: int | None, workdir: Path) -> dict:
    from analysis.pipeline import run_year

    raw_root = _raw_root_for(n, workdir)
    os.environ["CIP_RESTRICTED_DIR"] = str(workdir / "restricted")
    floor = _floor(raw_root, workdir / label)
    with PeakMemory() as memory:
        summary = run_year(2024, raw=None if n is None else raw_root, synthetic=True,
                           reports_root=workdir / label / "reports", processed_root=workdir / label / "processed",
                           progress=lambda _: None)
    whole = summary.timings["whole run"]
    return {"scenario": label, "applicants": n or "sample", "stages_s": summary.timings, "whole_run_s": whole,
            "floor_s": floor, "ratio_to_floor": whole / floor if floor else None, "peak_memory_mib": memory.mib}


def _stage_benchmarks() -> list[dict]:
    from benchmarks import bench_geography, bench_selection

    return bench_geography.run() + bench_selection.run()


def _checks(scenarios: list[dict], stages: list[dict]) -> list[dict]:
    checks = []
    sample = next(s for s in scenarios if s["applicants"] == "sample")
    checks.append({"name": "whole 2024 run on the sample", "value": f"{sample['whole_run_s']:.1f} s",
                   "target": f"≤ {WHOLE_RUN_TARGET_S:.0f} s", "met": sample["whole_run_s"] <= WHOLE_RUN_TARGET_S})
    checks.append({"name": "whole run ÷ floor (sample)", "value": f"{sample['ratio_to_floor']:.1f}×",
                   "target": f"≤ {RATIO_TARGET:.0f}×", "met": sample["ratio_to_floor"] <= RATIO_TARGET})
    briefs = [v for k, v in sample["stages_s"].items() if k.startswith("publish ")]
    checks.append({"name": "publish one brief (slowest, HTML + PDF)", "value": f"{max(briefs):.1f} s",
                   "target": f"≤ {BRIEF_TARGET_S:.0f} s", "met": max(briefs) <= BRIEF_TARGET_S})
    for s in scenarios:
        if s["applicants"] == 10000:
            checks.append({"name": "whole run, 10,000 applicants", "value": f"{s['whole_run_s']:.1f} s",
                           "target": f"≤ {LARGE_TARGET_S:.0f} s", "met": s["whole_run_s"] <= LARGE_TARGET_S})
            checks.append({"name": "peak memory, 10,000 applicants", "value": f"{s['peak_memory_mib']:.0f} MiB",
                           "target": f"≤ {LARGE_MEMORY_TARGET_MIB} MiB",
                           "met": s["peak_memory_mib"] <= LARGE_MEMORY_TARGET_MIB})
    for b in stages:
        checks.append({"name": b["name"], "value": f"{b['seconds']:.2f} s",
                       "target": f"≤ {b['target_seconds']:g} s", "met": b["met"]})
    return checks


def _machine() -> str:
    return (f"{platform.node() or 'machine'}: {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.python_implementation()} "
            f"{platform.python_version()}, {platform.system()} {platform.machine()}")


def _markdown(result: dict) -> str:
    lines = [f"# Benchmarks ({result['when']})", "", f"Machine: {result['machine']}", "",
             "| check | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {c['name']} | {c['value']} | {c['target']} | {'yes' if c['met'] else '**no**'} |"
              for c in result["checks"]]
    lines += ["", "| scenario | whole run (s) | floor (s) | ratio | peak memory (MiB) |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {s['scenario']} | {s['whole_run_s']:.1f} | {s['floor_s']:.1f} | {s['ratio_to_floor']:.1f}× | "
              f"{s['peak_memory_mib']:.0f} |" for s in result["scenarios"]]
    lines += ["", "Stages (seconds):", "", "| stage | " + " | ".join(s["scenario"] for s in result["scenarios"]) + " |",
              "| --- |" + " --- |" * len(result["scenarios"])]
    for stage in result["scenarios"][0]["stages_s"]:
        lines.append(f"| {stage} | " + " | ".join(f"{s['stages_s'].get(stage, float('nan')):.2f}"
                                                 for s in result["scenarios"]) + " |")
    return "\n".join(lines) + "\n"


def main(sizes: list[int]) -> int:
    with tempfile.TemporaryDirectory(prefix="cip-bench-") as tmp:
        workdir = Path(tmp)
        scenarios = [_scenario("sample", None, workdir)]
        scenarios += [_scenario(f"{n} applicants", n, workdir) for n in sizes]
    stages = _stage_benchmarks()
    result = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": _machine(),
              "scenarios": scenarios, "stage_benchmarks": stages, "checks": _checks(scenarios, stages)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    markdown = _markdown(result)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"written to {RESULTS / 'latest.md'} and latest.json")
    return 0 if all(c["met"] for c in result["checks"]) else 1
