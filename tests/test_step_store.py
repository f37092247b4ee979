"""Incremental reruns (analysis.step_store): an unchanged step reuses the last good run's files,
byte for byte; a changed key, an edited file or --force runs it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import run_year
from analysis.step_store import StepStore

ROOTS = ("reports", "restricted", "processed")
# Rewritten by every run: the manifest, the log, the settings, and the publication plan with its
# check (checked against the other years' plans as they are at the time of the run).
NOT_STEP_OUTPUTS = {"run-manifest.json", "run.log", "resolved-config.json", "plan.json", "plan-checked.txt"}
RECORDS = (paths.INTERNAL_FOLDER, "steps")  # the step records themselves


def _roots(base: Path) -> dict[str, Path]:
    out = {name: base / name for name in ROOTS}
    for folder in out.values():
        folder.mkdir(parents=True, exist_ok=True)
    return out


def _made_step(tmp_path: Path) -> tuple[dict, dict]:
    """A previous run whose step "s" wrote two files, and an empty staging set."""
    previous, staged = _roots(tmp_path / "last"), _roots(tmp_path / "new")
    (previous["reports"] / "findings").mkdir()
    (previous["reports"] / "findings" / "a.json").write_text('{"a": 1}', encoding="utf-8")
    (previous["restricted"] / "names.csv").write_text("org_id,name\n", encoding="utf-8")
    StepStore({}, previous).record("s", "key-1", ["reports:findings/*", "restricted:names.csv"], {"n": 3})
    return previous, staged


def test_an_unchanged_step_copies_its_files_and_returns_what_it_recorded(tmp_path):
    previous, staged = _made_step(tmp_path)
    store = StepStore(previous, staged)
    assert store.reuse("s", "key-1") == {"n": 3}
    assert (staged["reports"] / "findings" / "a.json").read_bytes() == b'{"a": 1}'
    assert (staged["restricted"] / "names.csv").exists()
    assert store.outcome == {"s": "reused"}
    # the record travels with the new reports, so the run after this one can reuse it too
    assert StepStore(staged, _roots(tmp_path / "after")).reuse("s", "key-1") == {"n": 3}


@pytest.mark.parametrize("change", ["key", "edited", "deleted", "force", "never recorded"])
def test_a_step_runs_when_anything_it_depends_on_changed(tmp_path, change):
    previous, staged = _made_step(tmp_path)
    key, step = "key-1", "s"
    if change == "key":
        key = "key-2"
    elif change == "edited":
        (previous["reports"] / "findings" / "a.json").write_text('{"a": 2}', encoding="utf-8")
    elif change == "deleted":
        (previous["restricted"] / "names.csv").unlink()
    elif change == "never recorded":
        step = "t"
    store = StepStore(previous, staged, force=change == "force")
    assert store.reuse(step, key) is None
    assert not (staged["reports"] / "findings").exists()
    assert store.outcome == {}


def _hashes(root: Path, year: int, *, executed: bool = True) -> dict[str, str]:
    """sha256 of every file of the year a step wrote (with or without the executed notebooks)."""
    out = {}
    for name in ROOTS:
        base = root / name / str(year)
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base)
            if not p.is_file() or p.name in NOT_STEP_OUTPUTS or rel.parts[:2] == RECORDS:
                continue
            if executed or "executed" not in rel.parts:  # executed notebooks hold the kernel's timings
                out[f"{name}/{rel}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _rerun(root: Path, year: int, **kw):
    old = os.environ.get("CIP_RESTRICTED_DIR")
    os.environ["CIP_RESTRICTED_DIR"] = str(root / "restricted")
    try:
        run_year(
            year,
            reports_root=root / "reports",
            processed_root=root / "processed",
            progress=lambda _: None,
            **kw,
        )
    finally:
        if old is None:
            os.environ.pop("CIP_RESTRICTED_DIR", None)
        else:
            os.environ["CIP_RESTRICTED_DIR"] = old
    manifest = json.loads(
        (root / "reports" / str(year) / "internal" / "run-manifest.json").read_text(encoding="utf-8")
    )
    return manifest["steps"]


@pytest.mark.slow  # one whole run of 2025 (--force) on a copy of the session's runs
def test_a_rerun_reuses_every_step_and_force_reruns_them_with_the_same_bytes(runs, tmp_path):
    source, _ = runs
    root = tmp_path / "copy"
    for name in ROOTS:
        shutil.copytree(source / name, root / name)
    year = 2025  # a later year: its selection loads the 2024 draw from the audit pack
    first = _hashes(root, year)
    steps = json.loads(
        (root / "reports" / str(year) / "internal" / "run-manifest.json").read_text(encoding="utf-8")
    )["steps"]
    claimed = StepStore({}, {n: root / n / str(year) for n in ROOTS}).claimed()
    assert {f"{r}/{rel}" for r, rel in claimed} == set(first), "every output belongs to a step"

    reused = _rerun(root, year)
    assert set(reused) == set(steps) and set(reused.values()) == {"reused"}
    assert _hashes(root, year) == first

    forced = _rerun(root, year, force=True)
    assert set(forced.values()) == {"ran"}
    assert _hashes(root, year, executed=False) == _hashes(source, year, executed=False)
