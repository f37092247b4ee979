"""The three descriptions of the environment must agree: pyproject, the lock, environment.yml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            assert "==" in line, f"requirements.lock line is not pinned exactly: {line}"
            name, version = line.split("==")
            pins[_name(name)] = version
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_declared_dependency_is_pinned_in_the_lock():
    project = _pyproject()["project"]
    declared = project["dependencies"] + [
        d for deps in project["optional-dependencies"].values() for d in deps
    ]
    missing = sorted({_name(d) for d in declared} - set(_lock()))
    assert not missing, (
        f"pyproject dependencies missing from requirements.lock: {missing} (run scripts/lock.py)"
    )


def test_user_named_packages_are_dependencies():
    declared = {_name(d) for d in _pyproject()["project"]["dependencies"]}
    test_deps = {_name(d) for d in _pyproject()["project"]["optional-dependencies"]["test"]}
    for package in ("jupyterlab", "pandas", "geopandas", "matplotlib", "nbconvert", "papermill"):
        assert package in declared
    assert "pytest" in test_deps


def test_environment_yml_matches_the_lock_exactly():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip_list = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip_list, "environment.yml must install the project editable"
    pinned = {}
    for item in pip_list:
        if item != "-e .":
            name, version = item.split("==")
            pinned[_name(name)] = version
    assert pinned == _lock(), "environment.yml and requirements.lock disagree (run scripts/lock.py)"


def test_python_version_is_311_everywhere():
    assert _pyproject()["project"]["requires-python"] == ">=3.11,<3.12"
