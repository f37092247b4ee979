"""The brief's own sentences: every number comes from the saved findings or the quality log."""

from __future__ import annotations

import json

import pytest

from analysis.brief import Brief
from analysis.config import load_config
from analysis.context import RunContext
from analysis.findings import Findings
from analysis.reference import region_in_sentence


@pytest.fixture
def brief(tmp_path):
    quality = {
        "tables": {
            "callout": {
                "received": 12,
                "kept": 9,
                "superseded": 2,
                "rejected": 1,
                "corrections": {
                    "postcode_invalid": 2,
                    "postcode_not_found": 1,
                    "outside_uk": 1,
                    "no_research_consent": 1,
                },
            },
            "member_surveys/2024": {
                "received": 7,
                "kept": 6,
                "superseded": 1,
                "rejected": 0,
                "corrections": {},
            },
        }
    }
    (tmp_path / "quality_log.json").write_text(json.dumps(quality))
    ctx = RunContext(
        year=2024, config=load_config(2024), processed_dir=tmp_path, output_dir=tmp_path, synthetic=True
    )
    findings = {
        "geography": Findings(
            "geography",
            "G",
            key_messages=["g1", "g2"],
            facts={
                "per_million_by_region": {
                    "London": 3.4,
                    "North East": 1.2,
                    "Wales": 2.0,
                    "East Midlands": 1.5,
                    "Scotland": None,
                }
            },
        ),
        "readiness": Findings(
            "readiness",
            "R",
            key_messages=["r1", "r2", "r3"],
            facts={"applicants_moving_up": 7, "applicants_in_research": 9},
        ),
        "selection": Findings(
            "selection",
            "S",
            key_messages=["s1"],
            facts={"eligible": 8, "panel_size": 6, "nations_represented": 3},
        ),
        "outcomes": Findings("outcomes", "O", key_messages=["o1", "o2"], policy_asks=["Ask from outcomes."]),
    }
    return Brief(ctx=ctx, findings=findings)


def test_key_messages_take_each_area_in_turn_up_to_five(brief):
    assert brief.key_messages() == ["g1", "r1", "s1", "o1", "g2"]


def test_reach_ask_names_the_two_lowest_published_rates(brief):
    ask = brief.policy_asks()[0]
    assert "the North East and the East Midlands" in ask
    assert "(1.2 and 1.5, against 3.4 in London)" in ask


def test_other_asks_quote_the_findings_and_keep_area_asks(brief):
    asks = brief.policy_asks()
    assert "7 of the 9 applicants" in asks[1]
    assert "6 places among 8 eligible applicants" in asks[2] and "nation with eligible applicants" in asks[2]
    assert asks[-1] == "Ask from outcomes."


def test_method_summary_counts_come_from_the_quality_log(brief):
    text = brief.method_summary()
    # Received minus kept is printed, so small parts are given only as their sum; hidden counts read [c].
    assert "held 12 responses; 3 responses were earlier versions" in text
    assert "or could not be used" in text and "leaving 9 organisations" in text
    assert "[c] organisations were outside the UK" in text
    assert "[c] organisations did not agree to their answers" in text
    assert "fewer than" not in text.lower()
    assert "The 2024 member survey received 6 usable returns." in text


def test_method_summary_gives_small_counts_as_the_tables_do(brief):
    """The appendices suppress counts below the threshold; the brief must not print them exactly."""
    text = brief.method_summary()
    for exact in ("2 responses were", "1 response could", "3 postcodes", "1 organisation"):
        assert exact not in text
    assert "12 responses" in text  # totals are not small counts of a category


def test_missing_facts_drop_an_ask_rather_than_print_nothing(brief):
    brief.findings["geography"].facts = {}
    assert not any(a.startswith("**Reach") for a in brief.policy_asks())


@pytest.mark.parametrize(
    "region,expected",
    [
        ("North East", "the North East"),
        ("London", "London"),
        ("East of England", "the East of England"),
        ("Northern Ireland", "Northern Ireland"),
    ],
)
def test_region_names_take_their_article(region, expected):
    assert region_in_sentence(region) == expected


def test_release_line_comes_from_the_settings_not_the_clock():
    from datetime import date

    from analysis.brief import release_line

    line = release_line(
        {"release_date": date(2024, 12, 5), "next_update": "December 2025", "revision_notes": ["typo fixed"]}
    )
    assert line == "Published 5 December 2024 · Next update: December 2025 · Revised: typo fixed"
    with pytest.raises(ValueError, match=r"\[publication\] release_date"):
        release_line({"release_date": "soon"})


def test_every_sample_year_has_a_release_date():
    from analysis.brief import release_line
    from analysis.config import load_config

    for year in (2024, 2025, 2026):
        assert release_line(load_config(year).section("publication")).startswith("Published ")
