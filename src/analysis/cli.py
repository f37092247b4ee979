"""`cip-analysis`: run a year, open JupyterLab, verify a selection, time the pipeline."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from analysis import paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cip-analysis", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on failure")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="validate, ingest, run every notebook and publish the briefs for a year")
    run.add_argument("--year", type=int, required=True)
    run.add_argument(
        "--raw", type=Path, help="folder of real exports (default: the bundled synthetic sample)"
    )
    run.add_argument("--config", type=Path, help="settings file (default: config/<year>.toml)")
    run.add_argument("--reports", type=Path, help="reports folder (default: reports/)")
    run.add_argument("--processed", type=Path, help="processed-data folder (default: data/processed/)")
    run.add_argument(
        "--rekey",
        action="store_true",
        help="accept a new pseudonym key on purpose: pseudonyms and the draw change (re-run every year)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="run every step, even those whose inputs are unchanged since the last good run",
    )
    run.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    _check_parser(sub)

    lab = sub.add_parser(
        "lab",
        help="open JupyterLab with the project's kernel; further options (--no-browser, --port, --ip, …) "
        "go to JupyterLab",
        prefix_chars="\0",  # no options of its own: every word after `lab`, even --help, goes to Jupyter
        add_help=False,
    )
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER)

    verify = sub.add_parser(
        "verify-selection", help="recompute a year's selection and compare with its audit pack"
    )
    verify.add_argument("--year", type=int, required=True)
    verify.add_argument("--config", type=Path)
    verify.add_argument("--reports", type=Path, help="reports folder (default: reports/)")
    verify.add_argument("--processed", type=Path, help="processed-data folder (default: data/processed/)")
    verify.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    bench = sub.add_parser("bench", help="time every stage on the sample and on larger synthetic callouts")
    bench.add_argument("--sizes", default="1000,10000", help="generated callout sizes (comma-separated)")
    bench.add_argument("--quick", action="store_true", help="skip the generated callouts")
    bench.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _check_parser(sub) -> None:
    check = sub.add_parser(
        "check",
        help="report every problem in a year's exports at once, with the settings lines that fix them "
        "(writes nothing; exit 1 while a run would stop or a number would change silently)",
    )
    check.add_argument("--year", type=int, required=True)
    check.add_argument(
        "--raw", type=Path, help="folder of real exports (default: the bundled synthetic sample)"
    )
    check.add_argument("--config", type=Path, help="settings file (default: config/<year>.toml)")
    check.add_argument(
        "--reports", type=Path, help="reports folder holding the draw year's audit pack (default: reports/)"
    )
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _cmd_check(args) -> int:
    from analysis.config import load_config
    from analysis.intake.check import check_year

    config = load_config(args.year, args.config)
    raw_root = paths.SAMPLE_RAW_DIR if args.raw is None else Path(args.raw).resolve()
    report = check_year(config, raw_root, args.reports)
    print(report.text())
    return 1 if report.blocking else 0


def _print_summary(summary) -> None:
    print("\nSummary")
    print(f"  data: {'SYNTHETIC SAMPLE – not real findings' if summary.synthetic else 'real exports'}")
    print(f"  reports: {summary.reports_dir}")
    for out in summary.outputs:
        print(f"    {out.name}")
    print(f"  processed tables: {summary.processed_dir}")
    print("  time per step:")
    for step, seconds in summary.timings.items():
        print(f"    {step:<48} {seconds:6.1f} s")
    print("  data quality:")
    for key, value in summary.quality.get("counts", {}).items():
        print(f"    {key.replace('_', ' '):<48} {value:6d}")


def _cmd_run(args) -> int:
    from analysis.pipeline import run_year

    summary = run_year(
        args.year,
        raw=args.raw,
        config_path=args.config,
        reports_root=args.reports,
        processed_root=args.processed,
        rekey=args.rekey,
        chatter_to_console=args.debug,
        force=args.force,
    )
    _print_summary(summary)
    return 0


def _cmd_lab(args) -> int:
    from analysis.lab import launch

    return launch(args.jupyter_args)


def _cmd_verify(args) -> int:
    from analysis.config import load_config
    from analysis.run_lock import year_lock
    from analysis.selection import verify

    config = load_config(args.year, args.config)
    reports_root = Path(args.reports or paths.REPORTS_DIR)
    reports = reports_root / str(args.year)
    processed = Path(args.processed or paths.PROCESSED_DIR) / str(args.year)
    pack = paths.audit_pack_dir(reports)  # the full pack, not the public one
    with year_lock(reports_root, args.year, shared=True):  # never read a year while a run swaps it
        result = verify(config, processed, pack)
    if result.identical:
        print(f"identical: the {args.year} selection recomputed from its inputs matches {pack}")
    else:
        print(
            f"DIFFERENT: the {args.year} selection recomputed from its inputs does not match its audit pack:"
        )
        for diff in result.differences:
            print(f"  - {diff}")
    for check in result.checks:
        print(f"  {check.line()}")
    return 0 if result.passed else 1


def _cmd_bench(args) -> int:
    sys.path.insert(0, str(paths.ROOT))
    from benchmarks.run import main as bench_main

    sizes = [] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    return bench_main(sizes)


COMMANDS = {
    "run": _cmd_run,
    "check": _cmd_check,
    "lab": _cmd_lab,
    "verify-selection": _cmd_verify,
    "bench": _cmd_bench,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # jsonschema (under nbformat and papermill) imports its optional IRI format checker when it is
    # installed (JupyterLab's jupyter-events pulls it in), and that compiles a grammar for 2 s.
    # Notebook validation never checks formats, so the command line goes without it.
    sys.modules.setdefault("rfc3987_syntax", None)
    from analysis.chatter import OwnMessagesOnly

    console = logging.StreamHandler(sys.stderr)
    if not args.debug:  # kernels' and libraries' messages go to run.log; --debug shows them here too
        console.addFilter(OwnMessagesOnly())
    logging.basicConfig(
        level=logging.INFO if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=[console],
    )
    logging.captureWarnings(True)
    os.environ.setdefault("CIP_PROJECT_ROOT", str(paths.ROOT))
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # every failure: a short explanation; the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(f"\ncip-analysis {args.command} failed: {exc}", file=sys.stderr)
        if not args.debug:
            print("(run again with --debug for the full traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
