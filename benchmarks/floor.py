"""The floor: intake and the four analyses (`analyse()` of selection, readiness, outcomes and
geography) in one fresh Python process, without notebooks or publishing.

Run as `python -m benchmarks.floor RAW_ROOT WORKDIR` (the benchmark runner does this, and times
the whole process from launch to exit). Prints JSON with what is measured inside: `imports_s`
(interpreter start to the analysis modules imported), `compute_s` (ingest and the four analyses)
and each `analyse()`.
"""

from __future__ import annotations

import json
import sys
import time

START = time.perf_counter()


def main(raw_root: str, workdir: str) -> dict:
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
        year=2024, config=config, processed_dir=work / "processed", output_dir=work / "out", synthetic=True
    )
    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    stages = {}
    for module in (selection, readiness, outcomes, geography):
        start = time.perf_counter()
        module.analyse(ctx).save(ctx.findings_dir)
        stages[module.__name__.rsplit(".", 1)[-1]] = time.perf_counter() - start
    end = time.perf_counter()
    return {"imports_s": imported - START, "compute_s": end - imported, "analyse_s": stages}


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
