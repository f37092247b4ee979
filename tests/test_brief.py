"""The brief's own sentences: every number comes from the saved findings or the quality log."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from analysis.brief import Brief
from analysis.config import load_config
from analysis.context import RunContext
from analysis.disclosure import ProtectedTable
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


def test_key_messages_take_each_area_in_turn_up_to_three(brief):
    assert brief.key_messages() == ["g1", "r1", "s1"]


def test_method_summary_counts_come_from_the_quality_log(brief):
    text = brief.method_summary()
    # Received minus kept is printed, so small parts are given only as their sum; hidden counts
    # are named as withheld, never opened with a bare [c].
    assert "held 12 responses; 3 responses were earlier versions" in text
    assert "or could not be used" in text and "leaving 9 organisations" in text
    assert "Organisations outside the UK (Channel Islands or Isle of Man) were left out of UK figures" in text
    assert "did not agree to their answers being used for research are left out of the statistics" in text
    assert "both numbers are withheld ([c])" in text and "[c] organisations" not in text
    assert "fewer than" not in text.lower()
    assert "The 2024 member survey received 6 usable returns." in text


def test_method_summary_gives_small_counts_as_the_tables_do(brief):
    """The appendices suppress counts below the threshold; the brief must not print them exactly."""
    text = brief.method_summary()
    for exact in ("2 responses were", "1 response could", "3 postcodes", "1 organisation"):
        assert exact not in text
    assert "12 responses" in text  # totals are not small counts of a category


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


def _outcome_facts(year: int, members: int, returns: int, left: int) -> dict:
    return {
        "returns": {
            "2024": {"members_active": 10, "returns_received": 10, "members_left": 0, "members_joined": 10},
            str(year): {
                "members_active": members,
                "returns_received": returns,
                "members_left": left,
                "members_joined": 0,
                "missing_returns": members - returns,
            },
        },
        "totals": {"budget_devolved_gbp": {"2024": 18000.0, str(year): None}, "joint_bids": {"2024": 4.0}},
    }


def test_page_one_says_what_the_network_costs_and_defines_the_denominator(brief):
    brief.findings["outcomes"].facts = _outcome_facts(2024, 10, 10, 0)
    brief.findings["selection"].facts["applicants"] = 12
    text = brief.network_paragraph()
    assert "10 members in 2024" in text
    assert "£360,000, £36,000 per member, n = 10 (source: Citizens In Power budget" in text
    assert text.endswith(
        "12 organisations applied; the 9 UK-based organisations that agreed to research use are analysed."
    )


def test_asks_name_who_what_scale_and_computed_evidence(brief):
    brief.findings["readiness"].tables["readiness_answers"] = ProtectedTable.from_cells(
        {"Budget available": {"Agree (4-5)": (24, "24", "safe"), "Total": (148, "148", "safe")}},
        caption="answers",
        rule="",
        kind="count",
    )
    asks = brief.asks()
    budget = next(a for a in asks if a.evidence.startswith("Only"))
    assert budget.who.startswith("The four arts councils") and budget.scale
    assert budget.evidence.startswith(
        "Only 24 of the 148 applicants who answered (16%; 95% interval 11% to 23%)"
    )
    lottery = next(a for a in asks if "lottery" in a.evidence)
    assert "6 places from 8 eligible applicants" in lottery.evidence


def test_an_ask_without_evidence_is_left_out(brief):
    brief.findings["geography"].facts = {}
    brief.findings["selection"].facts = {}
    assert brief.asks() == []  # 2024: budget (no answers table), reach and lottery (no facts)


def test_reach_evidence_names_a_region_only_when_its_interval_excludes_its_share():
    from analysis.asks import reach_evidence

    # London holds about 13% of the UK population; 2 of 150 is clearly short of that.
    counts = {"London": 2, "North East": 6, "Wales": 7, "Scotland": 12}
    findings = {
        "geography": Findings("geography", "G", facts={"applicants_by_region": counts, "uk_applicants": 150})
    }
    text = reach_evidence(findings)
    assert text.startswith(
        "Of the 150 UK-based organisations that agreed to research use, London had 2 (1%; 95% interval"
    )
    assert "the North East" not in text and "Wales" not in text
    # In proportion: 4% of 150 from the North East, no region singled out.
    counts = {"North East": 6, "Scotland": 12, "Wales": 7}
    findings["geography"].facts["applicants_by_region"] = counts
    assert "no region had clearly fewer" in reach_evidence(findings)


def test_devolved_budget_evidence_falls_back_to_the_latest_published_year():
    from analysis.asks import devolved_budget_evidence

    findings = {"outcomes": Findings("outcomes", "O", facts=_outcome_facts(2026, 9, 9, 1))}
    assert devolved_budget_evidence(findings, 2026) == (
        "In 2024, citizens decided how to use £18,000 of members' budgets (£1,800 per member, n = 10 "
        "returning a survey). The 2026 total is withheld to protect members."
    )


def test_member_change_section_connects_the_member_who_left_to_the_estimates(tmp_path):
    ctx = RunContext(
        year=2026, config=load_config(2026), processed_dir=tmp_path, output_dir=tmp_path, synthetic=True
    )
    b = Brief(ctx=ctx, findings={"outcomes": Findings("outcomes", "O", facts=_outcome_facts(2026, 9, 9, 1))})
    heading, body = b.member_change()
    assert heading == "The network kept 9 of the 10 members it started with in 2024"
    assert "10 members returned a survey in 2024 and 9 in 2026" in body
    assert "the 1 member who left is in the 2024 figures and not in the 2026 ones" in body


def test_later_years_lead_with_change(tmp_path):
    from analysis.brief import section_order

    ctx = RunContext(
        year=2025, config=load_config(2025), processed_dir=tmp_path, output_dir=tmp_path, synthetic=True
    )
    change = {"change": {"level_now": {"message": "Members moved up."}}, "aims_message": "6 of 9 reached."}
    findings = {
        "readiness": Findings("readiness", "R", key_messages=["r1"], facts=change),
        "outcomes": Findings("outcomes", "O", key_messages=["o1", "o2"]),
        "geography": Findings("geography", "G", key_messages=["g1"]),
    }
    b = Brief(ctx=ctx, findings=findings)
    assert b.key_messages() == ["Members moved up.", "6 of 9 reached.", "o1"]
    b.findings["readiness"].facts["aims_message"] = "How many reached is withheld."
    # A withheld finding does not lead, and the callout's messages (r1, g1) give way to the members'.
    assert b.key_messages() == ["Members moved up.", "o1", "o2"]
    b.findings["readiness"].facts["aims_message"] = "In 2025, [c] of the 9 members reached their aim."
    assert b.key_messages() == ["Members moved up.", "o1", "o2"]  # a [c] count says nothing on page 1
    b.findings["outcomes"].key_messages = ["o1"]
    assert b.key_messages() == ["Members moved up.", "o1", "r1"]  # the callout fills in when members' run out
    assert section_order(b)[:2] == ["outcomes", "member_change"]


def test_about_statistics_links_every_appendix_the_pipeline_publishes(brief):
    from analysis.brief import APPENDICES
    from analysis.notebook_steps import NOTEBOOKS

    published = {step.output for step in NOTEBOOKS}
    assert {stem for stem, _ in APPENDICES.values()} <= published
    text = brief.about_statistics()
    assert "[Technical appendix 3: how members were selected](appendix-3-selection.html)" in text


def test_every_evidence_key_the_settings_allow_is_computed():
    import typing

    from analysis.asks import EVIDENCE
    from analysis.settings_schema import EvidenceKey

    assert set(typing.get_args(EvidenceKey)) == set(EVIDENCE)


def test_the_comparison_with_applicants_not_drawn_is_on_page_1_or_leads_the_outcomes_section(tmp_path):
    ctx = RunContext(
        year=2026, config=load_config(2026), processed_dir=tmp_path, output_dir=tmp_path, synthetic=True
    )
    compare = "Members and those not drawn (12 of 35, 95% interval 1 to 9); only 35% answered."
    facts = {
        "not_drawn": {"message": compare, "cells": {"venture": {"Members": [12, 35], "Not drawn": [4, 9]}}}
    }
    lead = {"change": {"level_now": {"message": "Members moved up."}}, "aims_message": "3 of 9 reached."}
    findings = {
        "readiness": Findings("readiness", "R", key_messages=["r1"], facts=lead),
        "outcomes": Findings("outcomes", "O", key_messages=["o1", "o2", "o3", "o4", compare], facts=facts),
    }
    b = Brief(ctx=ctx, findings=findings)
    # Page 1 of the final brief: change since 2024, members' aims and the comparison the lottery
    # makes fair, which the outcomes section then does not repeat.
    assert b.key_messages() == ["Members moved up.", "3 of 9 reached.", compare]
    assert b.section_text("outcomes").split("\n\n") == ["o1", "o2", "o3"]
    b.key_messages = lambda: ["Members moved up.", "3 of 9 reached.", "o1"]  # were page 1 full…
    assert b.section_text("outcomes").split("\n\n") == [compare, "o2", "o3"]  # …it would lead the section
    b.findings["outcomes"].facts["not_drawn"] = None  # no follow-up this year: the usual order
    assert b.section_text("outcomes").split("\n\n") == ["o2", "o3", "o4"]


def test_a_withheld_comparison_and_aims_are_explained_in_the_outcomes_section_not_page_1(tmp_path):
    ctx = RunContext(
        year=2026, config=load_config(2026), processed_dir=tmp_path, output_dir=tmp_path, synthetic=True
    )
    reason = (
        "with 9 members, a split into two groups always leaves one smaller than 5, the smallest group shown"
    )
    compare = f"Not drawn: 30% moved up. The members' side is withheld: {reason}. Indicative."
    aims = f"All 9 members stated an aim; how many reached it is withheld: {reason}."
    facts = {"not_drawn": {"message": compare, "cells": {"venture": {"Members": None, "Not drawn": [4, 9]}}}}
    findings = {
        "readiness": Findings("readiness", "R", key_messages=["r1"], facts={"aims_message": aims}),
        "outcomes": Findings("outcomes", "O", key_messages=["o1", "o2", "o3", compare], facts=facts),
    }
    b = Brief(ctx=ctx, findings=findings)
    assert b.key_messages() == ["o1", "o2", "o3"]  # nothing on page 1 says only what is withheld
    section = b.section_text("outcomes").split("\n\n")
    assert section[0] == compare
    # The aims follow with the same reason given once, and say where their table is.
    assert section[1].startswith(
        "All 9 members stated an aim; how many reached it is withheld for the same reason."
    )
    assert "technical appendix 2" in section[1] and reason not in section[1]


def test_the_map_shows_a_compact_table_beside_it_and_wide_tables_go_below(monkeypatch):
    import numpy as np
    import pandas as pd

    from analysis import brief as policy_brief
    from analysis.findings import Figure
    from analysis.publish import display
    from publish_helpers import protected

    shown = []
    monkeypatch.setattr(display, "_display", lambda data, metadata=None: shown.append((data, metadata or {})))
    columns = ("Applicants", "Applicants per million people", "95% interval: lower", "Against the UK rate")
    region = pd.DataFrame(
        {c: [5.0, np.nan] for c in columns},
        index=pd.Index(["North East", "North West"], name="Region or nation"),
    )
    table = protected(region, caption="Applicants per million people with 95% intervals, by UK region")
    table = replace(table, notes=("The 95% interval is the Wilson interval.",))
    map_figure = Figure("applicants_per_million_map", "T", "S", "A map.", "Source: X", "<svg/>", table)
    policy_brief.show_chart(map_figure, "Technical appendix 1: applicant geography")
    assert len(shown) == 1, "the table is inside the figure, not a second output"
    beside = shown[0][1]["cip"]["beside_table"]
    assert "Applicants per million people" in beside and "interval" not in beside.split("</caption>")[1]
    assert "Against the UK rate" not in beside and "Wilson" not in beside
    assert "(the full table, with intervals, is in technical appendix 1)" in beside and "[c]" in beside
    renamed = Figure("applicants_per_million_map", "T", "S", "A map.", "Source: X", "<svg/>", protected(
        region.rename(columns={"Applicants": "Organisations"}), caption="C"
    ))  # fmt: skip
    with pytest.raises(ValueError, match="update brief.COMPACT_TABLES"):
        policy_brief.show_chart(renamed, "Technical appendix 1: applicant geography")
    shown.clear()
    wide = Figure(
        "other",
        "T",
        "S",
        "A chart.",
        "Source: X",
        "<svg/>",
        protected(pd.concat([region] * 2, axis=1), caption="C"),
    )
    policy_brief.show_chart(wide, "Technical appendix 1: applicant geography")
    assert len(shown) == 2 and "beside_table" not in shown[0][1]["cip"]  # 8 columns: below the chart
