"""Issue 17: the selection is computed once. Later years load the draw year's audit pack after
checking it; the second-seed and cross-method checks belong to `verify-selection`."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from analysis import selection
from analysis.config import Config, load_config
from analysis.selection import crosscheck
from analysis.selection.audit import audit_files, write_audit_pack
from analysis.selection.lottery import STABILITY_NOT_IN_RUN
from example_pools import example_applicants


def make_config(year: int = 2024, **overrides) -> Config:
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update({"panel_size": 8, "min_high_ambition": 3, "nash_method": "types"})
    data["selection"].update(overrides)
    return Config(year=year, data=data, sources=base.sources)


@pytest.fixture(scope="module")
def applicants() -> pd.DataFrame:
    return example_applicants(60, seed=5)


@pytest.fixture(scope="module")
def drawn(applicants):
    return selection.select(applicants, make_config())


@pytest.fixture()
def reports(drawn, tmp_path):
    """reports/2024/internal/selection-audit as the draw year wrote it; the later year writes beside it."""
    write_audit_pack(drawn, tmp_path / "2024" / "internal" / "selection-audit")
    return tmp_path


def test_a_run_computes_the_distribution_once(drawn):
    assert drawn.checks["stability"] == STABILITY_NOT_IN_RUN
    manifest = json.loads(audit_files(drawn)["manifest.json"])
    assert manifest["second_seed_check"]["checked"] is False


def test_a_later_year_loads_the_draw_and_writes_the_same_pack(applicants, drawn, reports, monkeypatch):
    def no_recompute(*args, **kwargs):
        raise AssertionError("the draw was recomputed")

    monkeypatch.setattr("analysis.selection.stored.select", no_recompute)
    loaded = selection.draw_for_year(applicants, make_config(2025), 2025, reports / "2025")
    assert loaded.provenance["how"] == "loaded"
    assert loaded.selected == drawn.selected and loaded.lottery == drawn.lottery
    pd.testing.assert_series_equal(
        loaded.probabilities["lottery_probability"], drawn.probabilities["lottery_probability"]
    )
    mine, theirs = audit_files(loaded), audit_files(drawn)
    assert {k: v for k, v in mine.items() if k != "manifest.json"} == {
        k: v for k, v in theirs.items() if k != "manifest.json"
    }
    m1, m2 = json.loads(mine["manifest.json"]), json.loads(theirs["manifest.json"])
    assert (m1.pop("report_year"), m2.pop("report_year")) == (2025, 2024) and m1 == m2
    assert "did not recompute" in selection.verification_note(loaded)


def test_the_draw_year_itself_computes(applicants, reports):
    result = selection.draw_for_year(applicants, make_config(), 2024, reports / "2024")
    assert result.provenance == {"how": "computed"}


def test_a_missing_pack_is_recomputed_and_said_so(applicants, drawn, tmp_path):
    result = selection.draw_for_year(applicants, make_config(2025), 2025, tmp_path / "2025")
    assert result.provenance["how"] == "recomputed" and "no 2024 audit pack" in result.provenance["why"]
    assert result.selected == drawn.selected
    assert selection.verification_note(result).startswith("The draw year's audit pack was not found")


def test_changed_settings_stop_the_run_naming_the_config_fingerprint(applicants, reports):
    with pytest.raises(selection.SelectionError, match=r"config fingerprint.*Rerun 2024 first") as info:
        selection.draw_for_year(applicants, make_config(2025, max_per_region=3), 2025, reports / "2025")
    assert "input fingerprint" not in str(info.value)


def test_changed_applicants_stop_the_run_naming_the_input_fingerprint(applicants, reports):
    changed = applicants.copy()
    changed.loc[0, "level_target_2026"] = 5 if changed.loc[0, "level_target_2026"] != 5 else 4
    with pytest.raises(selection.SelectionError, match="input fingerprint"):
        selection.draw_for_year(changed, make_config(2025), 2025, reports / "2025")


def test_an_edited_pack_file_stops_the_run_naming_it(applicants, reports):
    path = reports / "2024" / "internal" / "selection-audit" / "reserves.csv"
    path.write_text(path.read_text().replace("\n", "\r\n"))
    with pytest.raises(selection.SelectionError, match="reserves.csv no longer match"):
        selection.draw_for_year(applicants, make_config(2025), 2025, reports / "2025")


def test_verify_runs_the_second_seed_and_the_library_cross_check(applicants, drawn, tmp_path):
    processed, audit = tmp_path / "processed", tmp_path / "audit"
    processed.mkdir()
    applicants.to_parquet(processed / "applicants.parquet")
    write_audit_pack(drawn, audit)
    result = selection.verify(make_config(), processed, audit)
    assert result.identical and result.passed
    names = {c.name: c for c in result.checks}
    assert names["second-seed check"].passed is True
    assert names["cross-check of the two Nash methods"].passed is True
    assert "sortition-algorithms' Nash" in names["cross-check of the two Nash methods"].detail


def test_a_failed_cross_check_fails_verification(applicants, drawn, tmp_path, monkeypatch):
    processed, audit = tmp_path / "processed", tmp_path / "audit"
    processed.mkdir()
    applicants.to_parquet(processed / "applicants.parquet")
    write_audit_pack(drawn, audit)
    monkeypatch.setattr(crosscheck, "METHOD_TOLERANCE", 0.0)
    monkeypatch.setattr(crosscheck, "_largest_difference", lambda result, other: 1e-3)
    identical, differences = selection.verify_selection(make_config(), processed, audit)
    assert not identical
    assert any(d.startswith("cross-check of the two Nash methods: FAILED") for d in differences)
