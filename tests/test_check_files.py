"""`cip-analysis check` names files that cannot be read as they are (issue 13, item 8).

The same fixtures as tests/test_bad_input.py (expectations.toml) run through `check`: each is
reported as a finding of the file it came from, the run would stop, and no traceback appears.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CASES = {
    "two_response_sheets.xlsx": "2 sheets that look like form responses",
    "encrypted_workbook.xlsx": "password-protected workbook",
    "zip_saved_as_csv.csv": "is a zip archive",
    "pdf_saved_as_csv.csv": "is a PDF document",
    "case_only_headers.csv": "differ only in case",
    "stray_byte.csv": "row 5 holds a byte",
}


def _settings(tmp_path: Path, callout: str, extra: str = "") -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'defaults = "{paths.CONFIG_DIR / "defaults.toml"}"\nyear = 2024\n\n'
        f'[inputs]\ncallout = "2024/{callout}"\n{extra}',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_names_an_unreadable_file(name, tmp_path, capsys):
    (tmp_path / "2024").mkdir()
    shutil.copy(FIXTURES / name, tmp_path / "2024" / name)
    code = main(
        ["check", "--year", "2024", "--raw", str(tmp_path), "--config", str(_settings(tmp_path, name))]
    )
    out = capsys.readouterr()
    assert code == 1 and "NOT READY" in out.out
    assert f"2024/{name}:" in out.out and CASES[name] in out.out
    assert "Traceback" not in out.out + out.err


def test_a_named_sheet_and_blank_formulas_are_counted_not_stopped(tmp_path, capsys):
    (tmp_path / "2024").mkdir()
    for name in ("two_response_sheets.xlsx", "formula_cells.xlsx"):
        shutil.copy(FIXTURES / name, tmp_path / "2024" / name)
    named = _settings(
        tmp_path, "two_response_sheets.xlsx", '\n[inputs.sheets]\ncallout = "Form responses 1"\n'
    )
    assert main(["check", "--year", "2024", "--raw", str(tmp_path), "--config", str(named)]) == 0
    formulas = _settings(tmp_path, "formula_cells.xlsx")
    main(["check", "--year", "2024", "--raw", str(tmp_path), "--config", str(formulas)])
    out = capsys.readouterr().out
    assert "[count] formula_cells.xlsx, sheet 'Form responses 1': 2 cell(s) hold a formula" in out
