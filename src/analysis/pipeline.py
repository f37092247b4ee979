"""One year's whole run: validate, ingest, execute the notebooks, publish, move into place.

The year's processed data, restricted files and reports are built in a staging set
(analysis.staging) and swapped into place together only when every step succeeded, under a lock
that keeps a second run of the same year out (analysis.run_lock): a failed or killed run never
changes what the last good run left.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from analysis import key_fingerprint, paths, publish, step_keys
from analysis import step_store as steps
from analysis.chatter import Collector
from analysis.config import Config, load_config
from analysis.intake import ingest_year, resolve_key
from analysis.intake.check import check_year
from analysis.joint_rounds import JointRounds
from analysis.key_fingerprint import KeyChangedError
from analysis.manifest import base_manifest, sha256_file
from analysis.notebook_params import check_declared, notebook_parameters
from analysis.publish import plan as publication_plan
from analysis.publish.navigation import Document, publication_nav
from analysis.publish.site import build_index
from analysis.run_lock import RunInProgress, year_lock
from analysis.staging import StagingError, StagingSet, check_writable, recover
from analysis.step_keys import RunSteps

log = logging.getLogger(__name__)

KERNEL_NAME = "cip-analysis"
BRIEF_MANIFEST_KEYS = ("year", "data", "synthetic", "code_version", "contact", "contact_address")
START_TIMEOUT_S = 120
CELL_TIMEOUT_S = 900


class PipelineError(RuntimeError):
    """A run stopped; the message says why in plain English."""


@dataclass(frozen=True)
class NotebookStep:
    name: str  # notebooks/<name>.ipynb
    output: str  # file stem under reports/<year>/, may hold {year}
    after: tuple[str, ...] = ()  # notebooks whose findings this one reads


NOTEBOOKS = (
    NotebookStep("03_selection", "appendix-3-selection"),
    NotebookStep("02_organisational_readiness", "appendix-2-organisational-readiness"),
    NotebookStep("04_member_outcomes", "appendix-4-member-outcomes"),
    NotebookStep("01_applicant_geography", "appendix-1-applicant-geography"),  # reads the roster, not 03
    NotebookStep(
        "05_policy_brief",
        "policy-brief-{year}",
        after=("01_applicant_geography", "02_organisational_readiness", "03_selection", "04_member_outcomes"),
    ),
)


@dataclass
class RunSummary:
    year: int
    synthetic: bool
    reports_dir: Path
    processed_dir: Path
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    quality: dict = field(default_factory=dict)


def _inputs(config: Config, raw_root: Path) -> dict[str, Path]:
    found = config.input_paths(raw_root)
    missing = [f"{name}: {path}" for name, path in found.items() if not path.exists()]
    if missing:
        raise PipelineError(
            "these input files are missing:\n  "
            + "\n  ".join(missing)
            + "\nCheck --raw and [inputs] in the year's settings file."
        )
    return found


def _execute(step: NotebookStep, params: dict, executed_dir: Path, kernel_manager=None) -> Path:
    source = paths.NOTEBOOKS_DIR / f"{step.name}.ipynb"
    if not source.exists():
        raise PipelineError(f"notebook not found: {source}")
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
            **({"kernel_manager_class": kernel_manager} if kernel_manager else {}),
        )
    except PapermillExecutionError as exc:
        raise PipelineError(
            f"{step.name} stopped at cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from exc
    except Exception as exc:  # kernel missing, timeouts: papermill raises several types
        raise PipelineError(f"{step.name} could not run: {type(exc).__name__}: {exc}") from exc
    return target


def _run_notebooks(
    params: dict,
    executed_dir: Path,
    progress: Callable[[str], None],
    timings: dict[str, float],
    workers: int,
    on_done: Callable[[NotebookStep, Path], None] | None = None,
    kernel_manager=None,
    store: RunSteps | None = None,
) -> dict[str, Path]:
    """Run notebooks in dependency order, two at a time on a 2-core machine; `on_done` is called
    (in this thread) as each one finishes, e.g. to start publishing it. A notebook whose inputs
    are unchanged since the last good run reuses its outputs (`store`) instead of running."""
    done: dict[str, Path] = {}
    pending = list(NOTEBOOKS)
    running = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while pending or running:
            for step in [s for s in pending if all(a in done for a in s.after)]:
                if store is not None and store.reuse(step):
                    pending.remove(step)
                    done[step.name] = executed_dir / f"{step.name}.ipynb"
                    progress(f"  notebook {step.name}: unchanged, outputs of the last run reused")
                    if on_done is not None:
                        on_done(step, done[step.name])
                    continue
                if len(running) >= workers:
                    break
                pending.remove(step)
                progress(f"  notebook {step.name} …")
                running[pool.submit(_timed, _execute, step, params, executed_dir, kernel_manager)] = step
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                step = running.pop(future)
                path, seconds = future.result()
                done[step.name] = path
                timings[f"notebook {step.name}"] = seconds
                progress(f"  notebook {step.name} done in {seconds:.1f} s")
                if store is not None:
                    store.ran(step)
                if on_done is not None:
                    on_done(step, path)
    return done


def _timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def _publish_one(
    step: NotebookStep, executed: Path, build: Path, year: int, synthetic: bool, manifest: dict
) -> tuple[Path, Path, float]:
    nb = nbformat.read(executed, as_version=4)
    title = f"{nb.metadata.get('title', step.name)} – {year}"
    stem = step.output.format(year=year)
    documents = year_documents(year)
    nav = publication_nav(documents, stem, year)
    details_in = None
    if step.name == "05_policy_brief":  # officials' brief: no hashes; the appendices carry the full manifest
        manifest = {k: v for k, v in manifest.items() if k in BRIEF_MANIFEST_KEYS}
        details_in = (documents[1].stem, documents[1].title)  # sources and manifest: appendix 1 onwards
    start = time.perf_counter()
    html, pdf = publish.publish_notebook(
        executed,
        build / stem,
        title=title,
        synthetic=synthetic,
        manifest=manifest,
        nav_html=nav,
        details_in=details_in,
    )
    return html, pdf, time.perf_counter() - start


def year_documents(year: int) -> list[Document]:
    """The brief first, then the appendices in number order, titled as their notebooks are."""
    docs = []
    for step in sorted(NOTEBOOKS, key=lambda s: (not s.output.startswith("policy-brief"), s.output)):
        source = nbformat.read(paths.NOTEBOOKS_DIR / f"{step.name}.ipynb", as_version=4)
        docs.append(Document(str(source.metadata.get("title", step.name)), step.output.format(year=year)))
    return docs


class _Publisher:
    """Publishes each notebook as soon as it has run, in one background thread, while the other
    notebooks still run in their kernels (WeasyPrint stays warm in this process). Outputs are
    listed in NOTEBOOKS order whatever order they finish in."""

    def __init__(
        self, build: Path, year: int, synthetic: bool, manifest: dict, progress, timings, store=None
    ):
        self.args = (build, year, synthetic, manifest)
        self.progress, self.timings, self.store = progress, timings, store
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
        self.futures: dict[str, object] = {}

    def submit(self, step: NotebookStep, executed: Path) -> None:
        self.futures[step.name] = self.pool.submit(self._run, step, executed)

    def _run(self, step: NotebookStep, executed: Path):
        stem = step.output.format(year=self.args[1])
        if self.store is not None and self.store.reuse_published(step):
            self.progress(f"  {stem}: unchanged, the last run's HTML and PDF reused")
            return self.args[0] / f"{stem}.html", self.args[0] / f"{stem}.pdf"
        html, pdf, seconds = _publish_one(step, executed, *self.args)
        self.timings[f"publish {stem}"] = seconds
        self.progress(f"  published {html.name} and {pdf.name}")
        if self.store is not None:
            self.store.published(step, (html, pdf))
        return html, pdf

    def results(self) -> list[Path]:
        outputs = []
        try:
            for step in NOTEBOOKS:
                outputs += list(self.futures[step.name].result())
        finally:
            self.close()
        return outputs

    def close(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.pool.shutdown(wait=True)


def _check_inputs(config: Config, raw_root: Path, year: int, reports_root: Path, synthetic: bool) -> None:
    report = check_year(config, raw_root, reports_root, resolve_key(config, synthetic=synthetic))
    if report.blocking:
        raise PipelineError(
            "the inputs have problems that would stop the run or change a number silently; "
            f"nothing was changed. The same report as `cip-analysis check --year {year}`:\n\n{report.text()}"
        )


def _write_run_log(folder: Path, config: Config, lines: list[str], messages: str = "") -> None:
    """The resolved settings first, then every progress line, then what kernels and libraries
    said (kept off the console): what a reader of the run needs."""
    (folder / "run.log").write_text(
        "Resolved settings (defaults merged with the year's file):\n"
        + config.loggable_json()
        + "\n\nProgress:\n"
        + "\n".join(lines)
        + "\n"
        + (
            f"\nMessages from kernels and libraries (not the project's own):\n{messages}\n"
            if messages
            else ""
        ),
        encoding="utf-8",
    )


def run_year(
    year: int,
    *,
    raw: Path | None = None,
    config_path: Path | None = None,
    reports_root: Path | None = None,
    processed_root: Path | None = None,
    progress: Callable[[str], None] = print,
    workers: int | None = None,
    synthetic: bool | None = None,
    rekey: bool = False,
    chatter_to_console: bool = False,
    force: bool = False,
) -> RunSummary:
    """Run everything for `year`. Without `raw`, the bundled synthetic sample is used.

    `synthetic=True` with `raw` marks generated data (benchmarks, tests) as synthetic: the
    published sample key and the banner are used, as for the bundled sample. `rekey=True`
    accepts a pseudonym key other than the one earlier real-data runs recorded. Kernel and
    library messages go to run.log only, unless `chatter_to_console` (--debug). A step whose
    inputs are unchanged since the last good run reuses its outputs (analysis.step_store) unless
    `force`.

    One run per year at a time (a lock in the reports folder); the year's processed,
    restricted and reports folders are built in a staging set and replace the previous ones
    together only when every step passed.
    """
    if synthetic is None:
        synthetic = raw is None
    raw_root = paths.SAMPLE_RAW_DIR if raw is None else Path(raw).resolve()
    reports_root = Path(reports_root or paths.REPORTS_DIR)
    processed_root = Path(processed_root or paths.PROCESSED_DIR)
    config = load_config(year, config_path)  # every settings problem at once, before anything runs
    targets = {
        "processed": processed_root / str(year),
        "restricted": paths.restricted_dir(year),
        "reports": reports_root / str(year),
    }
    try:
        with year_lock(reports_root, year):
            flags = (rekey, chatter_to_console, force)
            return _run_locked(config, year, raw, raw_root, targets, progress, workers, synthetic, flags)
    except (RunInProgress, StagingError, KeyChangedError) as exc:
        raise PipelineError(str(exc)) from exc


def _run_locked(config, year, raw, raw_root, targets, progress, workers, synthetic, flags) -> RunSummary:
    rekey, chatter_to_console, force = flags
    total_start = time.perf_counter()
    logged: list[str] = []

    def say(line: str) -> None:
        logged.append(line)
        progress(line)

    say(f"cip-analysis run for {year}")
    for note in recover(year, targets, targets["reports"].parent):
        say(f"  {note}")
    check_writable(targets)
    say(f"  settings: {', '.join(str(s) for s in config.sources)} (sha256 {config.fingerprint[:12]})")
    log.info("resolved settings:\n%s", config.loggable_json())
    say("  the resolved settings head internal/run.log beside the reports (see --debug for them here too)")
    if synthetic:
        where = (
            "the bundled SYNTHETIC SAMPLE (data/raw/synthetic/)"
            if raw is None
            else f"SYNTHETIC data from {raw_root}"
        )
        say(f"  DATA: {where}: outputs are marked as not real findings")
    else:
        say(f"  data: real exports from {raw_root}")
    summary = RunSummary(
        year=year, synthetic=synthetic, reports_dir=targets["reports"], processed_dir=targets["processed"]
    )

    start = time.perf_counter()
    input_paths = _inputs(config, raw_root)
    manifest = base_manifest(config, input_paths, synthetic=synthetic)
    manifest["contact"] = config.section("brief").get("contact", "")  # printed at the end of every brief
    manifest["contact_address"] = config.section("brief").get("contact_address", "")
    key_print = None
    if not synthetic:
        key_print = key_fingerprint.check(
            targets["processed"].parent, resolve_key(config, synthetic=False), year=year, rekey=rekey
        )
        manifest["pseudonym_key_fingerprint"] = key_print
        if rekey:
            say(f"  re-keying on purpose: the new pseudonym key's fingerprint is {key_print}")
    ingest_key = step_keys.ingest_key(manifest, config, synthetic, key_print)
    previous = {k: targets[k] for k in ("reports", "restricted", "processed")}
    earlier = None if force else steps.StepStore(previous, previous).lookup("ingest", ingest_key)
    if earlier is None:  # skipped for a reused ingest: these very inputs passed it in the last good run
        _check_inputs(config, raw_root, year, targets["reports"].parent, synthetic)
    summary.timings["validate inputs"] = time.perf_counter() - start
    say(f"[1/3] inputs found and checked: {len(input_paths)} file(s)")

    stage = StagingSet(year, targets, targets["reports"].parent)
    stage.create()
    processed, build = stage.staged("processed"), stage.staged("reports")
    store = steps.StepStore(
        previous, {k: stage.staged(k) for k in ("reports", "restricted", "processed")}, force=force
    )
    saved_restricted = os.environ.get("CIP_RESTRICTED_DIR")
    saved_reports_root = os.environ.get("CIP_REPORTS_ROOT")
    # Notebook kernels inherit the environment: their restricted files go to the staging set too,
    # and a later year finds the draw year's published audit pack in the real reports root.
    os.environ["CIP_RESTRICTED_DIR"] = str(stage.staged("restricted").parent)
    os.environ["CIP_REPORTS_ROOT"] = str(targets["reports"].parent)
    chatter = Collector(stage.containers["reports"] / "messages.log", to_console=chatter_to_console)
    chatter.__enter__()
    try:
        start = time.perf_counter()
        reused = None if earlier is None else store.reuse("ingest", ingest_key)
        if reused is not None:  # the quality log is one of the tables copied
            summary.quality = json.loads((processed / "quality_log.json").read_text(encoding="utf-8"))
            say("[2/3] ingest: inputs, settings and code unchanged, the last run's tables reused")
        else:
            if earlier is not None:  # its files changed since the lookup: check after all
                _check_inputs(config, raw_root, year, targets["reports"].parent, synthetic)
            summary.quality = ingest_year(config, raw_root, processed, synthetic=synthetic)
            if key_print is not None:
                key_fingerprint.write(processed, key_print)
            store.record("ingest", ingest_key, step_keys.INGEST_WRITES)
            summary.timings["ingest"] = time.perf_counter() - start
            say(f"[2/3] ingest done in {summary.timings['ingest']:.1f} s")

        internal = paths.internal_dir(build)  # never published: manifests, logs, notebooks, findings
        (internal / "executed").mkdir(parents=True)
        (internal / "resolved-config.json").write_text(config.loggable_json(), encoding="utf-8")
        params = notebook_parameters(str(config.sources[-1]), processed, build, year, synthetic)
        say("[3/3] notebooks and publishing")
        joint = JointRounds(build, targets["reports"], config, say)  # its hides are part of the keys
        keyed = RunSteps(store, NOTEBOOKS, config, params, manifest, targets["reports"].parent)
        while True:  # until the whole publication protects (or the joint protection gives up)
            publisher = _Publisher(build, year, synthetic, manifest, say, summary.timings, keyed)
            try:
                _run_notebooks(
                    params,
                    internal / "executed",
                    say,
                    summary.timings,
                    workers or max(1, min(2, os.cpu_count() or 1)),
                    on_done=publisher.submit,
                    kernel_manager=chatter.kernel_manager_class,
                    store=keyed,
                )
            except BaseException:
                publisher.close()
                raise
            outputs = publisher.results()
            try:  # every count of the year with every other published year's, before the site links them
                revised = publication_plan.check_publication(
                    build, year, targets["reports"].parent, config, quality=summary.quality
                )
                break
            except publication_plan.PlanError as exc:
                if not joint.another_round(exc):
                    raise PipelineError(joint.why(exc)) from exc
                keyed.rekey()
        say("  disclosure check of the whole publication (all years' tables together): passed")
        if revised:
            say(
                f"  {len(revised)} count(s) revised since an earlier year's publication (noted in [publication] revision_notes)"
            )
            log.info("revised counts:\n%s", "\n".join(revised))
        outputs += keyed.site(build, year, synthetic)
        summary.timings["whole run"] = time.perf_counter() - total_start
        manifest["steps"] = dict(sorted(store.outcome.items()))
        manifest.update(
            {
                "timings_s": {k: round(v, 3) for k, v in summary.timings.items()},
                "quality_counts": summary.quality.get("counts", {}),
                "joint_protection": {"cells_hidden": joint.hidden, "rounds_this_run": joint.rounds},
                "outputs_sha256": {p.name: sha256_file(p) for p in outputs},
            }
        )
        (internal / "run-manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _write_run_log(internal, config, logged, chatter.text())
        stage.commit()
    except BaseException as exc:
        failed = _keep_for_inspection(stage, config, logged + [f"FAILED: {exc}"], chatter.text())
        if isinstance(exc, Exception):
            raise PipelineError(
                f"{exc}\n  The last good processed data, restricted files and reports for {year} "
                f"are unchanged; the partial build is in {failed} for inspection."
            ) from exc
        raise
    finally:
        chatter.__exit__()
        for name, saved in (
            ("CIP_RESTRICTED_DIR", saved_restricted),
            ("CIP_REPORTS_ROOT", saved_reports_root),
        ):
            if saved is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = saved
    build_index(targets["reports"].parent)  # reports/index.html lists every published year
    summary.outputs = [summary.reports_dir / p.relative_to(build) for p in outputs] + [
        paths.internal_dir(summary.reports_dir) / "run-manifest.json"
    ]
    return summary


def _keep_for_inspection(stage: StagingSet, config: Config, lines: list[str], messages: str) -> Path:
    """The staged reports (internal/: executed notebooks, run.log) move to `.failed-<year>`; the rest goes."""
    build = stage.staged("reports")
    failed = build.parent.parent / f".failed-{stage.year}"
    try:
        paths.internal_dir(build).mkdir(parents=True, exist_ok=True)
        _write_run_log(paths.internal_dir(build), config, lines, messages)
        shutil.rmtree(failed, ignore_errors=True)
        build.rename(failed)
    except OSError:
        pass
    stage.discard()
    return failed
