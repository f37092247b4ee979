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
from dataclasses import dataclass, field
from pathlib import Path

from analysis import key_fingerprint, paths, step_keys
from analysis import step_store as steps
from analysis.chatter import Collector
from analysis.config import Config, load_config
from analysis.documents import Publishing
from analysis.intake import ingest_year, resolve_key
from analysis.intake.check import check_year
from analysis.joint_rounds import JointRounds
from analysis.key_fingerprint import KeyChangedError
from analysis.manifest import base_manifest, sha256_file
from analysis.notebook_params import notebook_parameters
from analysis.notebook_runs import run_and_publish, warm_kernels
from analysis.notebook_steps import NOTEBOOKS
from analysis.publish import plan as publication_plan
from analysis.publish.site import build_index
from analysis.run_lock import RunInProgress, year_lock
from analysis.staging import StagingError, StagingSet, check_writable, recover
from analysis.step_keys import RunSteps

log = logging.getLogger(__name__)


class PipelineError(RuntimeError):
    """A run stopped; the message says why in plain English."""


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
    kernel_count = workers or max(1, min(2, os.cpu_count() or 1))
    kernels = warm_kernels(kernel_count, chatter.kernel_manager_class)
    if earlier is None:  # the notebooks will run: their kernels start while the inputs are ingested
        kernels.warm()
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

        def check_then_downloads() -> None:  # every count with every other year's, before the site links them
            revised = publication_plan.check_publication(
                build, year, targets["reports"].parent, config, quality=summary.quality
            )
            say("  disclosure check of the whole publication (all years' tables together): passed")
            if revised:
                say(
                    f"  {len(revised)} count(s) revised since an earlier year's publication (noted in [publication] revision_notes)"
                )
                log.info("revised counts:\n%s", "\n".join(revised))
            keyed.downloads(build, year, synthetic)

        while True:  # until the whole publication protects (or the joint protection gives up)
            publishing = Publishing(build, year, synthetic, manifest, say, keyed)
            try:
                run_and_publish(
                    params,
                    internal / "executed",
                    say,
                    summary.timings,
                    kernels,
                    publishing,
                    keyed,
                    check_then_downloads,
                )
                break
            except publication_plan.PlanError as exc:
                if not joint.another_round(exc):
                    raise PipelineError(joint.why(exc)) from exc
            keyed.rekey()
        kernels.close()
        outputs = publishing.outputs() + keyed.site(build, year, synthetic)
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
        try:
            kernels.close(now=True)  # idle after a good run; after a failure, whatever they still run stops
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
