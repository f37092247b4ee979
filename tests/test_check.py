"""`cip-analysis check`: all problems of a year's exports in one run, no typed text printed (issue 13).

The hostile fixture (tests/fixtures/make_hostile.py) spoils every input of the 2024 sample at
once; check must name each spoilt field, stop (exit 1), print none of the planted personal
values, and its settings block must resolve the column findings. The bundled sample checks clean.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.config import load_config
from analysis.intake.check import check_year
from analysis.intake.fields import map_columns, normalise_option, parse_amount, parse_multi, parse_single
from analysis.intake.quality import TableLog

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_hostile  # noqa: E402

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SETTINGS = HOSTILE / "settings.toml"


def _check(capsys, *extra: str) -> tuple[int, str]:
    code = main(["check", "--year", "2024", "--raw", str(HOSTILE), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_hostile_exports_report_every_problem_in_one_run(capsys):
    code, out = _check(capsys, "--config", str(SETTINGS))
    assert code == 1 and "NOT READY" in out
    report = check_year(load_config(2024, SETTINGS), HOSTILE)
    for file, field, phrase in make_hostile.EXPECTED:
        found = [p for p in report.problems if p.file == file and p.field == field]
        assert any(phrase in p.message for p in found), (file, field, phrase, [p.message for p in found])
        assert f"\n{file}:" in out and phrase in out
    assert all(
        p.rows
        for p in report.problems
        if p.field not in ("(file)", "(columns)") and "renamed" not in p.message
    )


def test_check_prints_no_planted_personal_value(capsys):
    _, out = _check(capsys, "--config", str(SETTINGS))
    for value in make_hostile.PLANTED:
        assert value.casefold() not in out.casefold(), value


def test_settings_block_resolves_the_column_findings(tmp_path):
    report = check_year(load_config(2024, SETTINGS), HOSTILE)
    block = report.settings_block()
    assert '"Where is your organisation on the participation spectrum today?" = "level_now"' in block
    assert 'callout = ["How did you hear about the network?"]' in block
    assert 'date_format = "%m/%d/%Y"' in block
    settings = SETTINGS.read_text().replace("../../../config", str(paths.CONFIG_DIR))
    fixed = tmp_path / "settings.toml"
    fixed.write_text(settings + "\n" + block + "\n")
    again = check_year(load_config(2024, fixed), HOSTILE)
    assert not [p for p in again.problems if p.field == "(columns)" or "renamed" in p.message]
    assert [p for p in again.problems if p.field == "practices_used" and p.blocking]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_sample_years_check_clean(year, capsys):
    assert main(["check", "--year", str(year)]) == 0
    assert "ready to run" in capsys.readouterr().out


def test_a_missing_file_is_a_finding_not_a_traceback(tmp_path, capsys):
    code = main(["check", "--year", "2024", "--raw", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 1 and "input file not found" in out.out and "Traceback" not in out.err


def test_option_normaliser_ignores_case_quotes_spacing_and_trailing_punctuation():
    assert normalise_option("  “Citizens’  Jury”. ") == normalise_option("Citizens' jury")
    assert normalise_option("Yes!") == "yes" and normalise_option("No") != normalise_option("Not sure")


def test_normalised_answers_are_counted_per_field():
    log = TableLog("t")
    text = pd.Series(["Yes", "yes.", "No", "Nope"], index=[2, 3, 4, 5])
    codes = parse_single(text, {"Yes": "yes", "No": "no"}, log, "can_commit_3_years")
    assert list(codes) == ["yes", "yes", "no", None]
    assert log.by_field["can_commit_3_years"] == {"option_normalised": 1, "unknown_option": 1}
    ticks = parse_multi(
        pd.Series(["Peer learning., workshops"], index=[2]),
        {"Peer learning": "p", "Workshops": "w"},
        log,
        "wants",
        "want_",
    )
    assert ticks.loc[2].all() and log.by_field["wants"]["option_normalised"] == 2
    assert "Nope" not in " ".join(log.warnings)


def test_numbers_are_read_or_rejected_never_reinterpreted():
    log = TableLog("t")
    text = pd.Series(["£9,500", "9500", "1.234,56", "1,5", "inf", "NaN", "-2", "07700 900123", "07700900123"])
    money = parse_amount(text, log, "funding_secured_gbp", money=True)
    assert list(money[:2]) == [9500, 9500] and money[2:].isna().all()
    assert log.by_field["funding_secured_gbp"]["not_a_number"] == 7
    counts = parse_amount(pd.Series(["3", "99999999999999999999"]), log, "joint_bids")
    assert counts[0] == 3 and pd.isna(counts[1])


def test_ignored_columns_are_dropped_unread():
    frame = pd.DataFrame({"Status": ["Active"], "How did you hear?": ["x"]})
    with pytest.raises(ValueError, match="ignore_columns"):
        map_columns(frame, {"Status": "status"}, required={"status"}, source="r.csv")
    out = map_columns(
        frame, {"Status": "status"}, required={"status"}, source="r.csv", ignore=["how did you hear?"]
    )
    assert list(out.columns) == ["status"]


def test_a_utf16_export_is_read_like_utf8(tmp_path):
    """Excel's "Unicode text" export is UTF-16 with a byte-order mark: the same answers, no finding."""
    import shutil

    from analysis import paths
    from analysis.config import load_config
    from analysis.intake.check import check_year

    raw = tmp_path / "raw"
    shutil.copytree(paths.SAMPLE_RAW_DIR / "2024", raw / "2024")
    callout = raw / "2024" / "callout-responses.csv"
    callout.write_bytes(callout.read_text(encoding="utf-8-sig").encode("utf-16"))
    report = check_year(load_config(2024), raw)
    assert not report.blocking, report.text()
