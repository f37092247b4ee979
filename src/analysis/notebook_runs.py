"""The run's notebooks: which there are, in what order, and running them with papermill.

Notebooks run two at a time on a 2-core machine, each on a warm kernel (analysis.warm_kernels)
that has already imported what they need; a notebook whose inputs are unchanged since the last
good run reuses its outputs instead of running (analysis.step_keys).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

import papermill as pm
from papermill.exceptions import PapermillExecutionError

from analysis import paths
from analysis.notebook_params import check_declared
from analysis.notebook_steps import NOTEBOOKS, NotebookStep
from analysis.warm_kernels import ENGINE, WarmKernelError, WarmKernels

KERNEL_NAME = "cip-analysis"
START_TIMEOUT_S = 120
CELL_TIMEOUT_S = 900


class NotebookError(RuntimeError):
    """A notebook could not run or stopped; the message names it and says why."""


def warm_kernels(count: int, manager_class) -> WarmKernels:
    """`count` kernels of the project's kernel spec for a run, rounds included (not yet started)."""
    return WarmKernels(count, KERNEL_NAME, manager_class, START_TIMEOUT_S)


def execute(km, kc, step: NotebookStep, params: dict, executed_dir: Path) -> tuple[Path, float]:
    """Run one notebook with papermill on the kernel `km`/`kc`; its path and seconds taken."""
    start = time.perf_counter()
    source = paths.NOTEBOOKS_DIR / f"{step.name}.ipynb"
    if not source.exists():
        raise NotebookError(f"notebook not found: {source}")
    check_declared(source, params)
    target = executed_dir / f"{step.name}.ipynb"
    try:
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=params,
            kernel_name=KERNEL_NAME,
            language="python",
            start_timeout=START_TIMEOUT_S,
            execution_timeout=CELL_TIMEOUT_S,
            progress_bar=False,
            cwd=str(paths.ROOT),
            log_output=False,
            request_save_on_cell_execute=False,  # one write at the end, not ~2 per cell
            engine_name=ENGINE,
            km=km,
            kc=kc,
        )
    except PapermillExecutionError as exc:
        raise NotebookError(
            f"{step.name} stopped at cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from exc
    except Exception as exc:  # a dead kernel, timeouts: papermill raises several types
        raise NotebookError(f"{step.name} could not run: {type(exc).__name__}: {exc}") from exc
    return target, time.perf_counter() - start


def run_and_publish(
    params: dict,
    executed_dir: Path,
    progress: Callable[[str], None],
    timings: dict[str, float],
    kernels: WarmKernels,
    publishing,
    store=None,
    after_notebooks: Callable[[], None] | None = None,
) -> dict[str, Path]:
    """Run the notebooks in dependency order and publish each one's document, both on whichever
    warm kernel is idle; a notebook ready to run goes before a document, so the brief, which
    reads every area, starts as early as it can. A notebook or document whose inputs are
    unchanged since the last good run reuses its outputs (`store`, `publishing.job`).
    `after_notebooks` runs in this thread once every notebook is done, while documents are still
    being typeset (the publication's check and downloads need the findings, not the documents)."""
    done: dict[str, Path] = {}
    pending, to_publish = list(NOTEBOOKS), []
    running: dict = {}  # future -> (what, step, started)
    while pending or to_publish or running:
        for step in [s for s in pending if all(a in done for a in s.after)]:
            if store is not None and store.reuse(step):
                pending.remove(step)
                done[step.name] = executed_dir / f"{step.name}.ipynb"
                progress(f"  notebook {step.name}: unchanged, its outputs reused")
                to_publish.append(step)
                continue
            if kernels.idle() is None:
                break
            pending.remove(step)
            progress(f"  notebook {step.name} …")
            future = kernels.submit(execute, step, params, executed_dir)
            running[future] = ("notebook", step, time.perf_counter())
        while to_publish and kernels.idle() is not None:
            step = to_publish.pop(0)
            job = publishing.job(step, done[step.name])
            if job is not None:
                future = kernels.call("publish", job, f"publish {step.output.format(year=params['year'])}")
                running[future] = ("publish", step, time.perf_counter())
        if after_notebooks is not None and not pending and all(w != "notebook" for w, *_ in running.values()):
            try:
                after_notebooks()
            except BaseException:  # documents being typeset are kept: a next round may reuse them
                _finish_documents(running, timings, publishing, params["year"])
                raise
            after_notebooks = None
            continue  # documents may have waited for a kernel meanwhile
        if not running:
            continue
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            what, step, started = running.pop(future)
            try:
                result = future.result()
            except WarmKernelError as exc:  # says the kernel and what it could not do
                raise NotebookError(
                    str(exc) if what == "publish" else f"{step.name} could not run: {exc}"
                ) from exc
            if what == "publish":
                _published(step, started, timings, publishing, params["year"])
                continue
            path, seconds = result
            done[step.name] = path
            timings[f"notebook {step.name}"] = seconds
            progress(f"  notebook {step.name} done in {seconds:.1f} s")
            if store is not None:
                store.ran(step)
            to_publish.append(step)
    return done


def _published(step: NotebookStep, started: float, timings: dict, publishing, year: int) -> None:
    timings[f"publish {step.output.format(year=year)}"] = time.perf_counter() - started
    publishing.done(step)


def _finish_documents(running: dict, timings: dict, publishing, year: int) -> None:
    """Wait for the documents being typeset and record those that were published."""
    for future, (what, step, started) in running.items():
        if what == "publish" and future.exception() is None:
            _published(step, started, timings, publishing, year)
