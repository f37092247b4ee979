"""The benchmark's floor does a run's work, and its checks hold whole runs to that floor.

The whole-run targets of issue 17 are ratios to the floor (benchmarks/floor.py), so the floor must
publish what a run publishes: if a run gained a step the floor lacked, the ratio would flatter the
run. Timing limits themselves live in benchmarks/, never here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from benchmarks import floor, report

from analysis import paths


def _published(year_folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(year_folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(year_folder.rglob("*"))
        if p.is_file() and p.relative_to(year_folder).parts[0] != paths.INTERNAL_FOLDER
    }


@pytest.mark.slow
def test_the_floor_publishes_the_runs_files_byte_for_byte(runs, tmp_path):
    root, summaries = runs
    run_folder = summaries[2024].reports_dir
    measured = floor.main(str(paths.SAMPLE_RAW_DIR), str(tmp_path), str(run_folder))
    mine, theirs = _published(tmp_path / "out" / "2024"), _published(run_folder)
    assert sorted(theirs) == sorted(mine)
    assert [name for name in theirs if mine[name] != theirs[name]] == []
    assert any(name.endswith(".pdf") for name in mine) and any(name.startswith("data") for name in mine)
    assert measured["publication_s"] > 0 and measured["joint_rounds"] == 0


def _scenario(name: str, whole: float, floor_work: float, same: bool = True) -> dict:
    return {
        "scenario": name,
        "applicants": "sample",
        "whole_run_s": whole,
        "floor_ratio": whole / floor_work,
        "floor": {"work_s": floor_work, "same_outputs": same, "outputs_differ": [] if same else ["a.pdf"]},
    }


def _met(checks: list[dict]) -> dict[str, bool]:
    return {c["name"]: c["met"] for c in checks}


def test_whole_runs_are_held_to_their_floor_not_to_one_cell():
    brief = {"seconds": 1.0, "runs": [1.0]}
    target = report.SAMPLE_FLOOR_TARGET
    within = _scenario("sample", whole=10.0 * target * 0.98, floor_work=10.0)  # far over 5x one cell
    over = _scenario(
        "500-applicant callout", whole=10.0 * report.CALLOUT_FLOOR_TARGET * 1.02, floor_work=10.0
    )
    met = _met(report.checks([within, over], [], one_cell=1.0, brief=brief))
    assert met["whole 2024 sample run"] is True
    assert met["500-applicant callout"] is False


def test_a_floor_that_published_other_files_fails_the_bench():
    brief = {"seconds": 1.0, "runs": [1.0]}
    differs = _scenario("sample", whole=10.0, floor_work=10.0, same=False)
    met = _met(report.checks([differs], [], one_cell=1.0, brief=brief))
    assert met["whole 2024 sample run"] is True
    assert met["whole 2024 sample run: the floor published the same files"] is False
