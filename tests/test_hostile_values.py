"""No silent change to a number (issue 13, items 2-4): every spoilt answer is read, counted or stopped.

Each case of tests/fixtures/hostile/expectations.toml replaces one input of the 2024 sample with
a spoilt export and runs it through both `check_year` and `ingest_year`: a stop must be a STOP
finding of check too, a counted correction must show in the quality log, and no planted personal
value may reach check's report, an error, or a processed file.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.config import Config, load_config
from analysis.intake import IntakeError, ingest_year
from analysis.intake.check import check_year
from analysis.intake.dates import read_dates
from analysis.settings_schema import problems

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_hostile_values  # noqa: E402

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
CASES = tomllib.loads((HOSTILE / "expectations.toml").read_text(encoding="utf-8"))
SAMPLE = paths.SAMPLE_RAW_DIR / "2024"
SAMPLE_FILES = {
    "callout": "callout-responses.csv",
    "member_survey": "member-survey.csv",
    "workshops": "workshop-log.csv",
    "roster": "network-roster.csv",
}
KINDS = {"member_survey": "member_surveys", "workshops": "workshops", "roster": "rosters"}
LOGS = {
    "callout": "callout",
    "member_survey": "member_surveys/2024",
    "workshops": "workshops/2024",
    "roster": "rosters/2024",
}
TABLES = {
    "callout": "applicants",
    "member_survey": "member_surveys",
    "workshops": "workshop_attendance",
    "roster": "roster",
}
TABLE_KEYS = ("received", "kept", "superseded", "rejected")


def _merge(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def _setup(spec: dict, raw: Path) -> Config:
    """The 2024 settings with the callout and the case's one input, from a temporary raw folder."""
    raw.mkdir(parents=True, exist_ok=True)
    source = HOSTILE / spec["file"] if "file" in spec else SAMPLE / SAMPLE_FILES[spec["input"]]
    callout = source if spec["input"] == "callout" else SAMPLE / SAMPLE_FILES["callout"]
    shutil.copy(callout, raw / "callout.csv")
    data = copy.deepcopy(load_config(2024).data)
    data["inputs"]["callout"] = "callout.csv"
    for kind in KINDS.values():
        data["inputs"][kind] = {}
    if spec["input"] != "callout":
        shutil.copy(source, raw / "input.csv")
        data["inputs"][KINDS[spec["input"]]] = {"2024": "input.csv"}
    _merge(data, spec.get("settings", {}))
    assert problems(data, data, Path("case.toml"), Path("defaults.toml")) == []
    return Config(year=2024, data=data)


@pytest.fixture
def restricted(tmp_path, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory):
    """The processed tables of the unspoilt sample inputs, per input, for `same_as_sample`."""
    made = {}

    def make(which: str) -> pd.DataFrame:
        if which not in made:
            root = tmp_path_factory.mktemp(f"sample-{which}")
            config = _setup({"input": which}, root / "raw")
            ingest_year(config, root / "raw", root / "out", synthetic=True)
            made[which] = pd.read_parquet(root / "out" / f"{TABLES[which]}.parquet")
        return made[which]

    return make


def _count(table: dict, key: str) -> int:
    if key in TABLE_KEYS:
        return table[key]
    if "." in key:
        fld, name = key.split(".", 1)
        return table["corrections_by_field"].get(fld, {}).get(name, 0)
    return table["corrections"].get(key, 0)


def _no_planted(text: str, where: str) -> None:
    for value in make_hostile_values.PLANTED:
        assert value.casefold() not in text.casefold(), f"{value!r} reached {where}"


def test_every_fixture_has_an_expectation():
    files = {spec["file"] for spec in CASES.values()}
    on_disk = {f"values/{p.name}" for p in (HOSTILE / "values").iterdir()}
    assert files == on_disk, "run tests/fixtures/make_hostile_values.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name, tmp_path, restricted, sample_tables):
    spec = CASES[name]
    config = _setup(spec, tmp_path / "raw")
    report = check_year(config, tmp_path / "raw")
    _no_planted(report.text(), "check's report")
    stops = [p.message for p in report.problems if p.blocking]
    notes = [p.message for p in report.problems if not p.blocking]
    if "check" in spec:
        assert any(re.search(spec["check"], m, re.IGNORECASE) for m in stops), stops
    elif "error" not in spec:
        assert not stops, stops
    if "note" in spec:
        assert any(re.search(spec["note"], m, re.IGNORECASE) for m in notes), notes
    out = tmp_path / "out"
    if "error" in spec:
        with pytest.raises(IntakeError) as info:
            ingest_year(config, tmp_path / "raw", out, synthetic=True)
        message = str(info.value)
        assert re.search(spec["error"], message, re.IGNORECASE | re.DOTALL), message
        _no_planted(message, "the error")
        assert stops, "check must stop where a run stops"
        return
    quality = ingest_year(config, tmp_path / "raw", out, synthetic=True)
    table = quality["tables"][LOGS[spec["input"]]]
    assert table["received"] == table["kept"] + table["superseded"] + table["rejected"]
    for key, expected in spec.get("counts", {}).items():
        assert _count(table, key) == expected, (key, _count(table, key), expected)
    if "reasons" in spec:
        assert table["rejections"]
        assert all(re.search(spec["reasons"], r["reason"]) for r in table["rejections"]), table["rejections"]
    for path in out.iterdir():
        _no_planted(path.read_bytes().decode("latin-1"), f"processed {path.name}")
    if spec.get("same_as_sample"):
        got = pd.read_parquet(out / f"{TABLES[spec['input']]}.parquet")
        pd.testing.assert_frame_equal(got, sample_tables(spec["input"]))


def test_a_hybrid_workshop_is_kept_and_topics_are_not_stored(tmp_path, restricted):
    config = _setup(CASES["hybrid_workshop"], tmp_path / "raw")
    ingest_year(config, tmp_path / "raw", tmp_path / "out", synthetic=True)
    workshops = pd.read_parquet(tmp_path / "out" / "workshop_attendance.parquet")
    assert "hybrid" in set(workshops["format"]) and workshops["format"].notna().all()
    assert workshops["topic"].isna().all()


def test_a_typed_other_ticks_other_and_nothing_else_changes(tmp_path, restricted, sample_tables):
    config = _setup(CASES["other_typed"], tmp_path / "raw")
    ingest_year(config, tmp_path / "raw", tmp_path / "out", synthetic=True)
    got, base = pd.read_parquet(tmp_path / "out" / "member_surveys.parquet"), sample_tables("member_survey")
    changed = (got != base).any(axis=1)
    assert list(changed[changed].index) == [1]  # spreadsheet row 3, the only row spoilt
    assert got.loc[1, "venture_other"] and got.loc[1, "venture_citizens_jury"]


def test_row_order_decides_only_between_two_readings_that_both_fit():
    """An all-ambiguous column in order under the setting passes; the other setting is stopped."""
    text = pd.Series(
        ["01/09/2023 09:00:00", "05/09/2023 10:00:00", "02/10/2023 09:00:00", "11/12/2023 08:00:00"],
        index=range(2, 6),
    )
    day_first = read_dates(
        text, "%d/%m/%Y %H:%M:%S", "inputs.timestamp_format", in_row_order=True, timezone="Europe/London"
    )
    assert day_first.findings == []
    month_first = read_dates(text, "%m/%d/%Y %H:%M:%S", "inputs.timestamp_format", in_row_order=True)
    assert [f.rows for f in month_first.blocking] == [[4]]
    assert "%d/%m/%Y %H:%M:%S" in month_first.blocking[0].message
    assert read_dates(text, "%m/%d/%Y %H:%M:%S", "inputs.date_format").findings == []  # no order rule


def test_a_misspelt_max_value_key_stops_check_and_intake(tmp_path):
    """A key of [inputs.max_value] that names no numeric field would leave that field on the
    general maximum without a word: check reports it and intake stops, naming the setting."""
    config = load_config(2024)
    config.data["inputs"]["max_value"] = {"ventures_startd": 50}
    report = check_year(config, paths.SAMPLE_RAW_DIR)
    found = [p for p in report.problems if p.field == "[inputs.max_value]"]
    assert found and found[0].blocking and "ventures_startd" in report.text()
    with pytest.raises(IntakeError, match=r"\[inputs.max_value\] names 1 field\(s\).*ventures_startd"):
        ingest_year(config, paths.SAMPLE_RAW_DIR, tmp_path / "processed", synthetic=True)
