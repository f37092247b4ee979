"""House style, checked by the suite: ruff (lint and format), the import contracts, module size.

The tools run from the same environment as the tests (pinned in requirements.lock), so a clean
clone that passes here passes for everyone.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PACKAGE = ROOT / "src" / "analysis"
CHECKED = ["src", "tests", "scripts", "benchmarks"]
MAX_LINES = 500
# The synthetic sample generator is a development tool, not analysis; it may be longer.
MAX_LINES_SYNTHETIC = 800


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", *CHECKED),
        ("ruff", "format", "--check", *CHECKED),
        ("lint-imports",),
    ],
    ids=["ruff check", "ruff format", "import contracts"],
)
def test_house_tools_pass(command):
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_no_module_is_too_long():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        limit = MAX_LINES_SYNTHETIC if "synthetic" in path.parts else MAX_LINES
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            long[str(path.relative_to(PACKAGE))] = lines
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"


def test_no_analysis_import_inside_a_function():
    """ruff's PLC0415 already forbids any import inside a function; this names the rule's intent
    for the package itself: cli.py alone may defer imports, so `--help` and `lab` start fast."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("analysis"):
                        found.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
                    elif isinstance(inner, ast.Import) and any(
                        a.name.startswith("analysis") for a in inner.names
                    ):
                        found.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}")
    assert not found, f"imports of analysis modules inside functions: {found}"


def test_every_module_says_its_job():
    missing = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "__main__.py" and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert not missing, f"modules without a docstring saying their job: {missing}"
