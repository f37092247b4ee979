"""Golden numbers: every number the sample years publish stays as recorded in `tests/golden/`.

A refactor must leave these files unchanged. A change that moves a published number updates
them on purpose, in the same commit, with the reason in the message:
`CIP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_numbers.py`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from conftest import YEARS
from golden_numbers import year_lines

GOLDEN = Path(__file__).parent / "golden"

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("year", YEARS)
def test_published_numbers_match_the_golden_file(runs, year):
    _, summaries = runs
    actual = "\n".join(year_lines(summaries[year].reports_dir)) + "\n"
    path = GOLDEN / f"{year}.txt"
    if os.environ.get("CIP_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{year}.txt", "this run", lineterm="", n=0
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(f"published numbers of {year} moved (update on purpose, see module docstring):\n{shown}")
