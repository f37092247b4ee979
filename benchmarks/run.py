"""Benchmarks: how fast a yearly rerun is, and how it grows with the data.

Times every stage of `run_year` (intake, each notebook, publishing each brief, the whole run)
on the bundled sample, on a realistic 500-applicant callout (about 250 eligible, so the
library's Nash runs), on a rerun with nothing changed, and on generated callouts, with the peak
memory of the whole process tree (notebook kernels included). Two references are measured in the
same bench. The floor (benchmarks/floor.py) is the work a run cannot avoid done in one Python
process without notebooks: intake, the four analyses, the whole publication's disclosure check,
the downloads and the five documents typeset, byte-identical to the run's own; the whole-run
targets are ratios to it. A one-cell papermill run (kernel start, one cell, notebook written) is
the unit of the rerun target, and every time is also given as a ratio to it. A fixed pure-Python
loop is timed at the start and the end, because this VM's speed drifts by up to 2x within
minutes. Results go to benchmarks/results/ as Markdown and JSON, and the table is printed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from analysis import paths
from benchmarks import report

RESULTS = paths.ROOT / "benchmarks" / "results"
CALLOUT_APPLICANTS = 500
CALLOUT_UNCOMMITTED_SHARE = 0.31  # answers "No" to the commitment: about 250 of 500 stay eligible
NOT_COMPARED = ("run-manifest.json", "run.log")  # timings and progress lines differ by design


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


def _raw_root_for(n: int | None, workdir: Path, uncommitted_share: float = 0.0) -> Path:
    """The bundled sample, or a copy of it whose callout is a generated one of n organisations;
    `uncommitted_share` of them answer "No" to the three-year commitment (ineligible)."""
    if n is None:
        return paths.SAMPLE_RAW_DIR
    from analysis.config import load_config
    from analysis.synthetic import generate_callout

    root = workdir / f"raw-{n}-{uncommitted_share:g}"
    shutil.copytree(paths.SAMPLE_RAW_DIR, root)
    frame = generate_callout(n, seed=n)
    if uncommitted_share:
        config = load_config(2024)
        question = {f: q for q, f in config.section("mapping")["callout"].items()}["can_commit_3_years"]
        no = {code: text for text, code in config.section("options")["can_commit_3_years"].items()}["no"]
        rng = random.Random(f"cip-bench-uncommitted:{n}")
        frame.loc[[rng.random() < uncommitted_share for _ in range(len(frame))], question] = no
    frame.to_csv(root / "2024" / "callout-responses.csv", index=False, encoding="utf-8-sig")
    return root


def _one_cell(workdir: Path, repeats: int) -> dict:
    """The reference: papermill runs a notebook of one cell (`1 + 1`) in the project's kernel,
    as the pipeline runs each notebook (kernel start, execute, write). One untimed warm-up."""
    import nbformat
    import papermill as pm

    from analysis.chatter import kernel_manager_class
    from analysis.notebook_runs import KERNEL_NAME, START_TIMEOUT_S

    workdir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    source = workdir / "one-cell.ipynb"
    nbformat.write(nb, source)
    quiet = kernel_manager_class(workdir / "kernel-messages.log")
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        pm.execute_notebook(
            str(source),
            str(workdir / f"one-cell-{i}.ipynb"),
            kernel_name=KERNEL_NAME,
            language="python",
            start_timeout=START_TIMEOUT_S,
            progress_bar=False,
            log_output=False,
            cwd=str(workdir),
            kernel_manager_class=quiet,  # the kernel's start-up warnings to a file, as a run does
        )
        if i:
            times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times}


def _floor(raw_root: Path, workdir: Path, run_reports: Path) -> dict:
    """The work a run cannot avoid, in one fresh Python process without notebooks
    (benchmarks/floor.py): intake, the four analyses, the whole publication's check (and joint
    rounds), the downloads and the five documents typeset from `run_reports`' executed notebooks.
    `floor_s` is that process from launch to exit; `work_s` leaves out the interpreter's start and
    the analysis imports, which a run in this bench has already done in its own process (its
    kernels import them, and their time counts). `same_outputs` says whether everything it
    published is byte-identical to the run's, so that it did the same work."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CIP_RESTRICTED_DIR=str(workdir / "restricted"))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.floor", str(raw_root), str(workdir), str(run_reports)],
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
    mine, theirs = _published_hashes(workdir / "out" / "2024"), _published_hashes(run_reports)
    differ = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
    return {
        "floor_s": seconds,
        "work_s": inside["compute_s"] + inside["publication_s"],
        "same_outputs": not differ,
        "outputs_differ": differ,
        **inside,
    }


def _run_once(raw_root: Path | None, reports: Path, processed: Path) -> tuple[float, dict, float, Path]:
    from analysis.pipeline import run_year

    own = logging.getLogger("analysis")
    level = own.level
    own.setLevel(logging.ERROR)  # the generated callouts' data-quality warnings, the same every run
    try:
        with PeakMemory() as memory:
            summary = run_year(
                2024,
                raw=raw_root,
                synthetic=True,
                reports_root=reports,
                processed_root=processed,
                progress=lambda _: None,
            )
    finally:
        own.setLevel(level)
    return summary.timings["whole run"], summary.timings, memory.mib, summary.reports_dir


def _eligible(reports_dir: Path) -> int | None:
    manifest = reports_dir / "internal" / "selection-audit" / "manifest.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["eligible"] if manifest.exists() else None


def _output_hashes(reports_dir: Path) -> dict[str, str]:
    """sha256 of every output of a run but its manifest, log and executed notebooks."""
    return {
        str(p.relative_to(reports_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports_dir.rglob("*"))
        if p.is_file() and p.name not in NOT_COMPARED and "executed" not in p.relative_to(reports_dir).parts
    }


def _published_hashes(reports_dir: Path) -> dict[str, str]:
    """sha256 of every published file of a year (its internal folder left out)."""
    return {
        name: digest
        for name, digest in _output_hashes(reports_dir).items()
        if Path(name).parts[0] != paths.INTERNAL_FOLDER
    }


def _scenario(
    label: str,
    n: int | None,
    workdir: Path,
    repeats: int = 1,
    *,
    uncommitted_share: float = 0.0,
    floor: bool = False,
    reruns: int = 0,
) -> list[dict]:
    """Whole runs (the median of `repeats`), the floor if asked, and `reruns` reruns with nothing
    changed into the last run's folders (with whether their outputs are byte-identical)."""
    raw_root = _raw_root_for(n, workdir, uncommitted_share)
    os.environ["CIP_RESTRICTED_DIR"] = str(workdir / "restricted")
    runs, floors = [], []
    for i in range(repeats):  # a run, then its floor: the two alternate, as the VM's speed drifts
        runs.append(
            _run_once(
                None if n is None else raw_root,
                workdir / label / f"reports-{i}",
                workdir / label / f"processed-{i}",
            )
        )
        if floor:
            floors.append(_floor(raw_root, workdir / label / f"floor-{i}", runs[-1][3]))
    ordered = sorted(runs, key=lambda r: r[0])
    whole, timings, _, reports_dir = ordered[len(ordered) // 2]
    out = {
        "scenario": label,
        "applicants": n or "sample",
        "eligible": _eligible(reports_dir),
        "stages_s": timings,
        "whole_run_s": whole,
        "whole_runs_s": [r[0] for r in runs],
        "peak_memory_mib": max(r[2] for r in runs),
    }
    if floor:
        out["floor"] = sorted(floors, key=lambda f: f["work_s"])[len(floors) // 2]
        out["floor"]["runs_work_s"] = [f["work_s"] for f in floors]
        out["floor"]["same_outputs"] = all(f["same_outputs"] for f in floors)
        # each run against the floor measured right after it, then the median of those ratios
        out["floor_ratio"] = statistics.median(r[0] / f["work_s"] for r, f in zip(runs, floors, strict=True))
    results = [out]
    if reruns:
        last = runs[-1][3]
        before = _output_hashes(last)
        again = [
            _run_once(
                None if n is None else raw_root, last.parent, workdir / label / f"processed-{repeats - 1}"
            )
            for _ in range(reruns)
        ]
        after = _output_hashes(last)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        ordered = sorted(again, key=lambda r: r[0])
        whole, timings, _, _ = ordered[len(ordered) // 2]
        results.append(
            {
                "scenario": f"{label}, rerun with nothing changed",
                "applicants": n or "sample",
                "eligible": out["eligible"],
                "stages_s": timings,
                "whole_run_s": whole,
                "whole_runs_s": [r[0] for r in again],
                "peak_memory_mib": max(r[2] for r in again),
                "outputs_compared": len(before),
                "outputs_changed": changed,
            }
        )
    return results


def _publish_brief(reports_dir: Path, workdir: Path, repeats: int) -> dict:
    """Publishing the sample's brief alone (HTML and PDF), as a warm process does it: one untimed
    warm-up (fonts, templates), then the median of `repeats`. In a run the same work shares two
    cores with the notebooks and the other documents, so its in-run time says little."""
    from analysis.documents import BRIEF, publish_document

    manifest = json.loads((reports_dir / "internal" / "run-manifest.json").read_text(encoding="utf-8"))
    arguments = {
        "name": BRIEF,
        "stem": "policy-brief-2024",
        "executed": str(reports_dir / "internal" / "executed" / f"{BRIEF}.ipynb"),
        "build": str(workdir),
        "year": 2024,
        "synthetic": True,
        "manifest": manifest,
    }
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        publish_document(**arguments)
        if i:
            times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times}


def _stage_benchmarks() -> list[dict]:
    from benchmarks import bench_geography, bench_selection, bench_small

    return bench_geography.run() + bench_selection.run() + bench_small.run()


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"{platform.node() or 'machine'}: {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"load average at the end {load}"
    )


def _machine_speed(repeats: int = 3) -> list[float]:
    """A fixed pure-Python loop, timed `repeats` times: this VM's speed drifts (the same loop has
    taken 1.0 and 2.0 s within minutes), so the bench records it at its start and end, and a
    reader can tell a slow machine from slow code."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        total = 0
        for i in range(5_000_000):
            total += i
        times.append(time.perf_counter() - start)
    return times


def main(sizes: list[int], repeats: int | None = None) -> int:
    """`repeats` runs (median reported; default 3, or CIP_BENCH_REPEATS) of the sample, of its
    rerun with nothing changed and of the 500-applicant callout; one run per generated size."""
    repeats = repeats or int(os.environ.get("CIP_BENCH_REPEATS", "3"))
    speed = {"start": _machine_speed()}
    with tempfile.TemporaryDirectory(prefix="cip-bench-") as tmp:
        workdir = Path(tmp)
        one_cell = _one_cell(workdir / "one-cell", max(3, repeats))
        scenarios = _scenario("sample", None, workdir, repeats, floor=True, reruns=repeats)
        brief = _publish_brief(workdir / "sample" / "reports-0" / "2024", workdir / "brief", repeats)
        scenarios += _scenario(
            "500-applicant callout",
            CALLOUT_APPLICANTS,
            workdir,
            repeats,
            uncommitted_share=CALLOUT_UNCOMMITTED_SHARE,
            floor=True,
        )
        for n in sizes:
            scenarios += _scenario(f"{n} applicants", n, workdir)
    stages = _stage_benchmarks()
    speed["end"] = _machine_speed()
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "machine_speed_s": speed,
        "one_cell_papermill_s": one_cell["seconds"],
        "one_cell_runs_s": one_cell["runs"],
        "scenarios": scenarios,
        "stage_benchmarks": stages,
        "publish_brief_s": brief,
        "checks": report.checks(scenarios, stages, one_cell["seconds"], brief),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    markdown = report.markdown(result)
    (RESULTS / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"written to {RESULTS / 'latest.md'} and latest.json")
    return 0 if all(c["met"] for c in result["checks"]) else 1
