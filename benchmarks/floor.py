"""The floor: the work a yearly run cannot avoid, in one fresh Python process, without notebooks.

Intake and the four analyses (`analyse()` of selection, readiness, outcomes and geography); then,
given a finished run's reports folder, the rest of its publication: the disclosure check of the
whole publication (with the joint protection's rounds where it fails, as a run does), the
downloads, the five documents typeset from that run's executed notebooks (HTML and tagged PDF)
and the year's landing page. What a run adds on top is the notebooks: kernels, the charts they
draw, and handing work between processes; a run has two cores for it, the floor one.

Run as `python -m benchmarks.floor RAW_ROOT WORKDIR [RUN_REPORTS]` (the benchmark runner does this
and times the whole process from launch to exit). Prints JSON with what is measured inside:
`imports_s` (interpreter start to the analysis modules imported), `compute_s` (ingest and the
four analyses, every round), each `analyse()`, and with RUN_REPORTS `publication_s` (check,
downloads, documents, landing page) and `joint_rounds`.
"""

from __future__ import annotations

import json
import sys
import time

START = time.perf_counter()
# What a run adds to its manifest once the documents are typeset (analysis.pipeline).
AFTER_PUBLISHING = ("steps", "timings_s", "quality_counts", "joint_protection", "outputs_sha256")


def _analyse(ctx, modules, stages: dict) -> None:
    for module in modules:
        start = time.perf_counter()
        module.analyse(ctx).save(ctx.findings_dir)
        name = module.__name__.rsplit(".", 1)[-1]
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - start


def _publish(ctx, run_reports, modules, stages: dict) -> dict:
    """The run's publication after its notebooks, in this process: the same calls, in the same order."""
    from pathlib import Path

    from analysis.disclosure.joint import HIDES_FILE, write_hides
    from analysis.documents import publish_document
    from analysis.notebook_steps import NOTEBOOKS
    from analysis.publish import plan as publication_plan
    from analysis.publish.downloads import load_findings
    from analysis.publish.site import build_year_downloads, build_year_page

    build, year, config = ctx.output_dir, ctx.year, ctx.config
    executed = Path(run_reports) / "internal" / "executed"
    manifest = json.loads((Path(run_reports) / "internal" / "run-manifest.json").read_text(encoding="utf-8"))
    for key in AFTER_PUBLISHING:  # the documents print the manifest as it stood while they were typeset
        manifest.pop(key, None)
    quality = ctx.quality_log()
    rounds, analyse_s = 0, 0.0
    limit = int(config.section("disclosure").get("joint_rounds", 3))  # as analysis.joint_rounds
    start = time.perf_counter()
    while True:
        try:
            publication_plan.check_publication(build, year, build.parent / "no-other-years", config, quality)
            break
        except publication_plan.PlanError as exc:  # hide what it proposes, analyse again, check again
            proposal = getattr(exc, "proposal", None)
            if proposal is None or not proposal.hides or rounds >= limit:
                raise
            by_area: dict[str, set[str]] = {}
            for area, origin in proposal.hides:
                by_area.setdefault(area, set()).add(origin)
            write_hides(ctx.internal_dir / HIDES_FILE, by_area)
            rounds += 1
            again = time.perf_counter()
            _analyse(ctx, modules, stages)
            analyse_s += time.perf_counter() - again
    findings = load_findings(ctx.findings_dir)
    build_year_downloads(build, year, config, findings, ctx.synthetic)
    for step in NOTEBOOKS:
        stem = step.output.format(year=year)
        publish_document(
            step.name, stem, str(executed / f"{step.name}.ipynb"), str(build), year, ctx.synthetic, manifest
        )
    build_year_page(build, year, config, findings, ctx.synthetic)
    return {
        "publication_s": time.perf_counter() - start - analyse_s,
        "joint_rounds": rounds,
        "reanalyse_s": analyse_s,
    }


def main(raw_root: str, workdir: str, run_reports: str | None = None) -> dict:
    from pathlib import Path

    from analysis import geography, outcomes, readiness, selection
    from analysis.config import load_config
    from analysis.context import RunContext
    from analysis.intake import ingest_year

    imported = time.perf_counter()
    config = load_config(2024)
    work = Path(workdir)
    ingest_year(config, Path(raw_root), work / "processed", synthetic=True)
    ctx = RunContext(
        year=2024,
        config=config,
        processed_dir=work / "processed",
        output_dir=work / "out" / "2024",
        synthetic=True,
    )
    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    modules = (selection, readiness, outcomes, geography)
    stages: dict[str, float] = {}
    _analyse(ctx, modules, stages)
    computed = time.perf_counter()
    out = {"imports_s": imported - START, "compute_s": computed - imported, "analyse_s": stages}
    if run_reports:
        out.update(_publish(ctx, run_reports, modules, stages))
        out["compute_s"] += out["reanalyse_s"]
    return out


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(main(*sys.argv[1:4])))
