"""Per-year settings: defaults merged with the year's file, errors in words."""

from __future__ import annotations

import pytest

from analysis.config import ConfigError, load_config


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_year_loads_and_names_its_inputs(year):
    config = load_config(year)
    assert config.year == year
    assert f"member_surveys/{year}" in config.input_paths(__import__("pathlib").Path("raw"))
    assert 6 <= config["selection"]["panel_size"] <= 12


def test_fingerprint_changes_with_settings(tmp_path):
    (tmp_path / "2024.toml").write_text(
        f'defaults = "{load_config(2024).sources[0]}"\nyear = 2024\n[inputs]\ncallout = "x.csv"\n'
        "[disclosure]\nmin_count = 10\n"
    )
    custom = load_config(2024, tmp_path / "2024.toml")
    assert custom["disclosure"]["min_count"] == 10
    assert custom["disclosure"]["money_min_contributors"] == 3  # inherited
    assert custom.fingerprint != load_config(2024).fingerprint


def test_missing_year_explains_what_to_do():
    with pytest.raises(ConfigError, match="create .*2031.toml"):
        load_config(2031)


def test_year_mismatch_and_weak_threshold_are_refused(tmp_path):
    defaults = load_config(2024).sources[0]
    (tmp_path / "a.toml").write_text(f'defaults = "{defaults}"\nyear = 2025\n')
    with pytest.raises(ConfigError, match="is for 2025"):
        load_config(2024, tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text(
        f'defaults = "{defaults}"\nyear = 2024\n[inputs]\ncallout = "x.csv"\n[disclosure]\nmin_count = 1\n'
    )
    with pytest.raises(ConfigError, match="too weak"):
        load_config(2024, tmp_path / "b.toml")
