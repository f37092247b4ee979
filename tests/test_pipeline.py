"""Pipeline pieces that need no full run: parameters, notebooks run as they are, failures in words."""

from __future__ import annotations

import papermill as pm
import pytest

from analysis import paths
from analysis.notebook_params import (
    NotebookParameterError,
    check_declared,
    declared_parameters,
    notebook_parameters,
)
from analysis.notebook_steps import NOTEBOOKS


def test_pipeline_parameters_are_declared_by_every_notebook(tmp_path):
    params = notebook_parameters("config/2024.toml", tmp_path, tmp_path, 2024, True)
    for step in NOTEBOOKS:
        check_declared(paths.NOTEBOOKS_DIR / f"{step.name}.ipynb", params)
        assert declared_parameters(paths.NOTEBOOKS_DIR / f"{step.name}.ipynb") == set(params)


def test_undeclared_parameter_is_an_error_not_a_warning(tmp_path):
    params = {**notebook_parameters("", tmp_path, tmp_path, 2024, True), "seed": 7}
    with pytest.raises(NotebookParameterError, match=r"does not declare the parameter\(s\) \['seed'\]"):
        check_declared(paths.NOTEBOOKS_DIR / "02_organisational_readiness.ipynb", params)


def test_parameters_are_json_safe(tmp_path):
    import json

    params = notebook_parameters("x.toml", tmp_path, tmp_path, 2025, False)
    assert json.loads(json.dumps(params)) == params


@pytest.mark.slow
def test_a_notebook_runs_with_its_defaults_from_any_folder(tmp_path):
    """As a researcher would in JupyterLab: no injected parameters, another working directory."""
    import time

    out = tmp_path / "run.ipynb"
    saved = paths.REPORTS_DIR / "interactive" / "2024" / "internal" / "findings" / "readiness.json"
    started = time.time()
    pm.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "02_organisational_readiness.ipynb"),
        str(out),
        kernel_name="cip-analysis",
        language="python",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    assert saved.exists() and saved.stat().st_mtime >= started, "the notebook did not save its findings"
