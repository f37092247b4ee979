"""notebooks/exploratory/: scratch work the pipeline never runs, committed clean, outputs ignored."""

from __future__ import annotations

import json
import subprocess

import papermill as pm
import pytest

from analysis import manifest, paths
from analysis.notebook_steps import NOTEBOOKS

EXPLORATORY = paths.NOTEBOOKS_DIR / "exploratory"
EXAMPLE = EXPLORATORY / "worked-example-geography.ipynb"


def _git(*args: str, cwd=paths.ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def _committed_notebooks() -> list[str]:
    """Exploratory notebooks in git: a researcher's untracked scratch notebook is not checked."""
    listed = _git("ls-files", "--", "notebooks/exploratory/*.ipynb").stdout.split()
    assert listed, "notebooks/exploratory/ holds no committed notebook"
    return listed


def test_pipeline_runs_only_the_numbered_notebooks():
    top_level = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(step.name for step in NOTEBOOKS) == top_level, (
        "every notebook directly in notebooks/ is a pipeline step; scratch notebooks go in notebooks/exploratory/"
    )
    assert EXAMPLE.exists() and EXAMPLE.stem not in {step.name for step in NOTEBOOKS}


@pytest.mark.parametrize("name", _committed_notebooks())
def test_exploratory_notebook_is_committed_without_outputs(name):
    """The staged version (what a commit takes), so working on a notebook never fails the suite."""
    nb = json.loads(_git("show", f":{name}").stdout)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{name} has outputs: clear them or run nbstripout"
            assert cell.get("execution_count") is None, f"{name} has execution counts"
    assert "kernelspec" not in nb["metadata"], f"{name} has kernelspec metadata"


def test_what_exploratory_notebooks_write_is_ignored():
    folder = "notebooks/exploratory"
    written = [
        f"{folder}/regions.csv",
        f"{folder}/applicants.parquet",
        f"{folder}/chart.png",
        f"{folder}/output/worked-example-geography.ipynb",
        f"{folder}/worked-example-geography.executed.ipynb",
    ]
    assert sorted(_git("check-ignore", *written).stdout.split()) == sorted(written)
    for kept in (f"{folder}/README.md", f"{folder}/my-scratch.ipynb"):
        assert _git("check-ignore", kept).returncode == 1, f"{kept} must not be ignored"


def test_editing_an_exploratory_notebook_does_not_mark_a_run(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "notebooks" / "exploratory").mkdir(parents=True)
    (repo / "src").mkdir()
    scratch, code = repo / "notebooks" / "exploratory" / "a.ipynb", repo / "src" / "m.py"
    scratch.write_text("{}")
    code.write_text("x = 1\n")
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start", cwd=repo)
    monkeypatch.setattr(paths, "ROOT", repo)
    scratch.write_text('{"cells": []}')
    assert not manifest.git_version().endswith("+changes")
    code.write_text("x = 2\n")
    assert manifest.git_version().endswith("+changes")


@pytest.mark.slow
def test_worked_example_runs_top_to_bottom(tmp_path):
    out = tmp_path / "example.executed.ipynb"
    pm.execute_notebook(
        str(EXAMPLE),
        str(out),
        kernel_name="cip-analysis",
        language="python",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    executed = json.loads(out.read_text())
    shown = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in shown if o["output_type"] == "error"]
    assert any("image/svg+xml" in o.get("data", {}) for o in shown), "the example shows the chart"
