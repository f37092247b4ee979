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
    with pytest.raises(ConfigError, match="min_count is 1; it must be a number of at least 3"):
        load_config(2024, tmp_path / "b.toml")


def _year_file(tmp_path, body: str):
    defaults = load_config(2024).sources[0]
    path = tmp_path / "2024.toml"
    path.write_text(f'defaults = "{defaults}"\nyear = 2024\n[inputs]\ncallout = "x.csv"\n{body}')
    return path


def test_wrong_typed_settings_are_all_listed_in_words(tmp_path):
    path = _year_file(
        tmp_path,
        '[disclosure]\nmin_count = 3.7\nzero_is_safe = "yes"\n'
        '[selection]\nseed = "abc"\nalgorithm = "maximin"\n'
        '[readiness]\nbootstrap_resamples = "five"\n'
        '[outcomes]\nbenefit_bands = "x"\n',
    )
    with pytest.raises(ConfigError) as info:
        load_config(2024, path)
    text = str(info.value)
    assert "6 problem(s)" in text
    assert f"{path}: disclosure.min_count is 3.7; it must be a whole number (no decimal point)" in text
    assert "disclosure.zero_is_safe is 'yes'; it must be true or false" in text
    assert "selection.seed is 'abc'; it must be a whole number" in text
    assert "selection.algorithm is 'maximin'; it must be one of 'nash' or 'leximin'" in text
    assert "readiness.bootstrap_resamples is 'five'" in text
    assert "outcomes.benefit_bands is 'x'" in text
    assert "object has no attribute" not in text and "invalid literal" not in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[selection]\nseed = 0\n", "selection.seed is 0; it must be a number of at least 1"),
        ("[selection]\nseed = -4\n", "selection.seed is -4"),
        ("[selection]\nseed = 1.5\n", "selection.seed is 1.5; it must be a whole number"),
        ("[selection]\npanel_size = true\n", "selection.panel_size is True; it must be a whole number"),
        ("[disclosure]\nmin_count = 2\n", "disclosure.min_count is 2; it must be a number of at least 3"),
        ("[disclosure]\ndominance_n = 2.0\n", "disclosure.dominance_n is 2.0"),
        ("[inputs.member_surveys]\n2024 = 7\n", "inputs.member_surveys.2024 is 7; it must be text"),
        ("[brief]\nfigures = []\n", "brief.figures is []"),
    ],
)
def test_each_wrong_value_names_key_value_and_what_is_allowed(tmp_path, body, expected):
    with pytest.raises(ConfigError, match="nothing was run") as info:
        load_config(2024, _year_file(tmp_path, body))
    assert expected in str(info.value)


def test_unknown_key_names_the_closest_known_one(tmp_path):
    path = _year_file(tmp_path, "[selection]\npanel_sise = 10\n[disclosur]\nmin_count = 5\n")
    with pytest.raises(ConfigError) as info:
        load_config(2024, path)
    text = str(info.value)
    assert "unknown setting selection.panel_sise = 10; did you mean 'panel_size'?" in text
    assert "unknown setting disclosur" in text and "did you mean 'disclosure'?" in text


def test_a_bad_default_is_blamed_on_the_defaults_file(tmp_path):
    defaults = tmp_path / "defaults.toml"
    text = load_config(2024).sources[0].read_text().replace("min_count = 5 ", "min_count = 5.5 ")
    defaults.write_text(text)
    year = tmp_path / "2024.toml"
    year.write_text(f'defaults = "{defaults}"\nyear = 2024\n[inputs]\ncallout = "x.csv"\n')
    with pytest.raises(ConfigError, match=f"{defaults}: disclosure.min_count is 5.5"):
        load_config(2024, year)


@pytest.mark.parametrize(
    ("body", "setting"),
    [
        ('[inputs]\ncallout = "../../etc/passwd"\n', "inputs.callout"),
        ('[inputs]\ncallout = "2024/../../outside.csv"\n', "inputs.callout"),
        ('[inputs]\ncallout = "/etc/passwd"\n', "inputs.callout"),
        (
            '[inputs]\ncallout = "a.csv"\nmember_surveys = { 2024 = "../secrets.csv" }\n',
            "inputs.member_surveys.2024",
        ),
    ],
)
def test_inputs_outside_the_raw_folder_are_refused_naming_the_setting(tmp_path, body, setting):
    defaults = load_config(2024).sources[0]
    path = tmp_path / "2024.toml"
    path.write_text(f'defaults = "{defaults}"\nyear = 2024\n{body}')
    with pytest.raises(ConfigError, match=rf"^{setting} = .* inside the raw folder"):
        load_config(2024, path).input_paths(tmp_path / "raw")


def test_a_symlink_leading_out_of_the_raw_folder_is_refused(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2024").mkdir(parents=True)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x")
    (raw / "2024" / "callout-responses.csv").symlink_to(outside)
    (raw / "2024" / "inside.csv").write_text("x")
    (raw / "2024" / "member-survey.csv").symlink_to(raw / "2024" / "inside.csv")  # inside: fine
    config = load_config(2024)
    with pytest.raises(ConfigError, match="inputs.callout = '2024/callout-responses.csv' leads outside"):
        config.input_paths(raw)
    (raw / "2024" / "callout-responses.csv").unlink()
    (raw / "2024" / "callout-responses.csv").write_text("x")
    assert config.input_paths(raw)["member_surveys/2024"] == raw / "2024" / "member-survey.csv"


def test_publication_dates_are_dates(tmp_path):
    good = _year_file(tmp_path, '[publication]\nrelease_date = 2024-12-05\nnext_update = "December 2025"\n')
    assert str(load_config(2024, good)["publication"]["release_date"]) == "2024-12-05"
    bad = _year_file(tmp_path, '[publication]\nrelease_date = "5 December"\n')
    with pytest.raises(ConfigError, match="publication.release_date is '5 December'; it must be a date"):
        load_config(2024, bad)
