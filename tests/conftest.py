"""Shared test set-up: nothing a test writes may land in the repository's restricted folder;
a real run context over made-up tables; one pipeline run of each sample year."""

from __future__ import annotations

import fcntl
import os
import pickle
from pathlib import Path

import pytest

from analysis.config import load_config
from analysis.context import RunContext
from analysis.pipeline import run_year

YEARS = (2024, 2025, 2026)


@pytest.fixture(autouse=True)
def _restricted_in_tmp(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path_factory.getbasetemp() / "restricted"))


@pytest.fixture
def make_context(tmp_path):
    """Build a real RunContext over tables made in the test: `make_context({"applicants": df}, year=2025)`.

    Each table is written to Parquet in a temporary processed folder, so an analysis reads it
    through `RunContext.table` as in a run (a table not given is missing, as on disk); findings
    and audit files go to a temporary output folder; `config` defaults to the year's settings.
    """

    def make(tables=None, *, year=2024, config=None, synthetic=True) -> RunContext:
        processed = tmp_path / "processed" / str(year)
        processed.mkdir(parents=True, exist_ok=True)
        for name, frame in (tables or {}).items():
            frame.to_parquet(processed / f"{name}.parquet")
        return RunContext(
            year=year,
            config=config if config is not None else load_config(year),
            processed_dir=processed,
            output_dir=tmp_path / "output" / str(year),
            synthetic=synthetic,
        )

    return make


def _run_years(root: Path) -> dict:
    old = os.environ.get("CIP_RESTRICTED_DIR")
    os.environ["CIP_RESTRICTED_DIR"] = str(root / "restricted")
    try:
        return {
            y: run_year(
                y, reports_root=root / "reports", processed_root=root / "processed", progress=lambda _: None
            )
            for y in YEARS
        }
    finally:
        if old is None:
            os.environ.pop("CIP_RESTRICTED_DIR", None)
        else:
            os.environ["CIP_RESTRICTED_DIR"] = old


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """One pipeline run of each sample year into a temporary folder, shared by the session and,
    under pytest-xdist, by every worker: the first worker to need them runs the three years while
    the others wait on a lock, then all read the same folders (tests copy what they change)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.mktemp("e2e")
        return root, _run_years(root)
    shared = tmp_path_factory.getbasetemp().parent  # this session's folder, above every worker's
    root, done = shared / "e2e", shared / "e2e.pickle"
    with (shared / "e2e.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():  # a worker whose runs failed leaves none: the next one tries again
            done.write_bytes(pickle.dumps(_run_years(root)))
        summaries = pickle.loads(done.read_bytes())
    return root, summaries
