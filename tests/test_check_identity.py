"""Who is who through `check`, intake and `run` (issue 13, items 5, 6, 9, 10).

The fixture (tests/fixtures/make_hostile_identity.py) adds to the 2024 sample every identity
problem the issue found; check must report each (stopping where a person must decide), print no
typed name, and clear once the settings record the decision; intake must count what it did.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.config import load_config
from analysis.intake import ingest_callout, ingest_roster, resolve_key
from analysis.intake.check import check_year
from analysis.intake.orgkeys import resolve
from analysis.intake.pseudonym import pseudonymise_keys
from analysis.pipeline import PipelineError, run_year

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
import make_hostile_identity as fx  # noqa: E402

ROOT = fx.ROOT
SETTINGS = ROOT / "settings.toml"
MISSPELT = pd.read_csv(ROOT / fx.SURVEY, dtype=str).loc[1, fx.NAME]
EXPECTED = tomllib.loads((ROOT / "expectations.toml").read_text(encoding="utf-8"))


def _settings(tmp_path: Path, extra: str) -> Path:
    text = SETTINGS.read_text().replace("../../../../config", str(paths.CONFIG_DIR))
    out = tmp_path / "settings.toml"
    out.write_text(text + "\n" + extra + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def report():
    return check_year(load_config(2024, SETTINGS), ROOT)


def test_check_reports_each_identity_question(report):
    for case in EXPECTED["check"]:
        file, field, phrase, stops = case["file"], case["field"], case["phrase"], case["stops"]
        found = [p for p in report.problems if p.file == file and p.field == field and phrase in p.message]
        assert found and found[0].blocking == stops, (
            file,
            field,
            phrase,
            [p.message for p in report.problems],
        )
    assert report.blocking
    assert "leeds city council (2)" in report.text()  # the parent-body groups, as normalised keys


def test_check_prints_no_typed_name(report):
    out = report.text()
    for typed in [fx.NAMESAKE, *fx.SCRIPTS, MISSPELT, "Arts & Minds", "independent charity"]:
        assert typed.casefold() not in out.casefold(), typed


def test_settings_decisions_clear_the_stops(tmp_path):
    fixed = _settings(
        tmp_path,
        f'[identity]\nsplit = ["{fx.NAMESAKE}"]\n\n[roster]\nconfirmed_not_on_roster = ["{MISSPELT}"]',
    )
    again = check_year(load_config(2024, fixed), ROOT)
    assert not again.blocking, again.text()
    merged = _settings(tmp_path, f'[identity]\nmerge = [["{fx.NAMESAKE}"]]')
    assert not [
        p
        for p in check_year(load_config(2024, merged), ROOT).problems
        if p.field == "org_name" and p.blocking and p.file == fx.CALLOUT
    ]


def test_intake_keeps_scripts_apart_merges_spellings_and_counts_namesakes():
    config = load_config(2024, SETTINGS)
    key = resolve_key(config, synthetic=True)
    sample, _, sample_log = ingest_callout(
        paths.SAMPLE_RAW_DIR / "2024" / "callout-responses.csv", config, key=key
    )
    applicants, names, log = ingest_callout(ROOT / fx.CALLOUT, config, key=key)
    expected = EXPECTED["intake"]
    assert log.superseded == sample_log.superseded + expected["extra_superseded"]
    assert len(applicants) == len(sample) + expected["extra_applicants"]
    assert log.corrections["same_name_other_place"] == expected["same_name_other_place"]
    by_name = names.set_index("org_name")["org_id"]
    assert by_name[fx.SCRIPTS].nunique() == len(fx.SCRIPTS)
    assert names["org_name"].eq(fx.NAMESAKE).sum() == 2 and by_name[fx.NAMESAKE].nunique() == 2
    parents = applicants.set_index(names["org_id"])["parent_id"]
    assert parents[by_name[fx.NAMESAKE]].isna().all()
    leeds = parents[by_name[["Riverside Music Hub", "Leeds Youth Dance"]]]
    assert leeds.notna().all() and leeds.nunique() == 1
    assert not any(n in " ".join(log.warnings) for n in [fx.NAMESAKE, *fx.SCRIPTS])


def test_a_member_who_left_and_rejoined_is_active_whatever_the_row_order():
    config = load_config(2024, SETTINGS)
    key = resolve_key(config, synthetic=True)
    roster, log = ingest_roster(ROOT / fx.ROSTER, config, key=key, year=2024)
    member = pd.read_csv(ROOT / fx.ROSTER, dtype=str).loc[0, fx.NAME]
    org = resolve(pd.Series([member]), config).keys
    row = roster[roster["org_id"] == pseudonymise_keys(org, key)[0]]
    assert len(row) == 1 and row["status"].iloc[0] == "active"
    assert log.corrections["roster_latest_event_not_last_row"] == 1


def test_a_roster_member_outside_the_draw_stops_until_confirmed(tmp_path):
    config = load_config(2024)
    key = resolve_key(config, synthetic=True)
    roster = pd.read_csv(paths.SAMPLE_RAW_DIR / "2024" / "network-roster.csv", dtype=str)[fx.NAME]
    ids = pseudonymise_keys(resolve(roster, config).keys, key)
    pack = paths.audit_pack_dir(tmp_path / "reports" / "2024")
    pack.mkdir(parents=True)
    pd.DataFrame({"org_id": ids[1:]}).to_csv(pack / "drawn-panel.csv", index=False)
    pd.DataFrame({"org_id": []}).to_csv(pack / "reserves.csv", index=False)
    found = check_year(config, paths.SAMPLE_RAW_DIR, tmp_path / "reports")
    outside = [p for p in found.problems if "neither in the 2024 drawn panel" in p.message]
    assert outside and outside[0].blocking and outside[0].rows == [2]
    assert main(["check", "--year", "2024", "--reports", str(tmp_path / "reports")]) == 1
    other = check_year(config, paths.SAMPLE_RAW_DIR, tmp_path / "reports", key=b"the key a real run uses")
    outside = [p for p in other.problems if "neither in the 2024 drawn panel" in p.message]
    assert outside[0].rows == list(range(2, len(roster) + 2))  # the run's key, not the sample's
    fixed = _settings(tmp_path, f'[roster]\nconfirmed_outside_draw = ["{roster[0]}"]')
    again = check_year(load_config(2024, fixed), paths.SAMPLE_RAW_DIR, tmp_path / "reports")
    assert not [p for p in again.problems if "neither in the 2024 drawn panel" in p.message]


def test_run_stops_with_the_same_report(tmp_path, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))
    with pytest.raises(PipelineError, match="not on the 2024 roster"):
        run_year(
            2024,
            raw=ROOT,
            config_path=SETTINGS,
            reports_root=tmp_path / "reports",
            processed_root=tmp_path / "processed",
            synthetic=True,
        )
    assert not (tmp_path / "processed" / "2024").exists()
    assert os.environ.get("CIP_RESTRICTED_DIR") == str(tmp_path / "restricted")


def test_staff_decisions_are_counted_not_named_in_logs(tmp_path):
    fixed = _settings(
        tmp_path,
        f'[identity]\nsplit = ["{fx.NAMESAKE}"]\n\n[roster]\nconfirmed_not_on_roster = ["{MISSPELT}"]',
    )
    config = load_config(2024, fixed)
    shown = config.loggable_json()
    assert fx.NAMESAKE not in shown and MISSPELT not in shown and "<1 entries" in shown
    assert fx.NAMESAKE in config.to_json()  # the fingerprinted settings are exactly what the file says
