"""The publication plan: every count of every published year linked and audited as one.

Unit tests of `analysis.disclosure.plan` on small hand-made plans (each problem a reader could
exploit is found, and only then), and of `analysis.publish.plan` on the sample years' findings:
every count table is declared, the sample's whole publication passes, and a count planted in one
year's findings or hidden in another year's plan stops the check with the table named.
"""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.config import load_config
from analysis.disclosure import DisclosureRules
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.publish import plan as publication_plan
from conftest import YEARS
from plan_helpers import UK
from plan_helpers import nations as _nations

RULES = DisclosureRules()


def test_two_hidden_cells_beside_a_printed_total_are_protected():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146})
    assert plan.audit(RULES) == []


def test_a_lone_hidden_cell_is_worked_out_from_the_total():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": 12, "UK": 146})
    problems = plan.audit(RULES)
    assert len(problems) == 1
    assert "area: Wales" in problems[0] and "it must be 14" in problems[0]


def test_hidden_here_printed_there_is_found_in_either_order():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146}, place="appendix 1")
    plan.add(cell_key(UK, {"area": "Scotland"}), 12, "appendix 2")
    problems = plan.audit(RULES)
    assert any("hidden in appendix 1 but printed in appendix 2" in p for p in problems)


def test_an_interval_inside_the_small_counts_is_a_leak():
    plan = PublicationPlan()  # Wales + Scotland = 4, and each has 1 printed member
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 124})
    for nation in ("Wales", "Scotland"):
        members, others = cell_key("members", {"area": nation}), cell_key("others", {"area": nation})
        plan.add(members, 1, "t2")
        plan.add(others, None, "t2")
        plan.add_sum(cell_key(UK, {"area": nation}), [members, others])
    problems = plan.audit(RULES)
    assert any("UK applicants (area: Wales)" in p and "between 1 and 3" in p for p in problems), problems
    assert not any("others (area: Wales)" in p for p in problems)  # 0 to 2: could be empty


def test_another_years_plan_constrains_this_year():
    last_year = PublicationPlan()
    _nations(last_year, {"England": 120, "Wales": 9, "Scotland": None, "UK": None}, place="2024 table")
    this_year = PublicationPlan()
    _nations(this_year, {"England": 120, "Wales": None, "Scotland": None, "UK": 146}, place="2025 table")
    assert this_year.audit(RULES) == []
    whole = PublicationPlan.from_json(last_year.to_json())
    whole.merge(this_year)
    problems = whole.audit(RULES)
    assert any("hidden in table (2025) but printed in table (2024)" in p for p in problems)
    assert any("area: Scotland" in p and "it must be 17" in p for p in problems)


def test_contradicting_numbers_are_reported_not_solved():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": 9, "Scotland": 12, "UK": 146})
    (problem,) = plan.audit(RULES)
    assert problem.startswith("printed counts do not add up") and "UK applicants = 146" in problem
    other = PublicationPlan()
    other.add(cell_key(UK, {"area": "Wales"}), 8, "t9")
    plan.merge(other)
    assert any("printed with different values: 9 in t1; 8 in t9" in p for p in plan.audit(RULES))


def test_the_plan_survives_json_unchanged():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146})
    text = plan.to_json()
    assert PublicationPlan.from_json(text).to_json() == text
    with pytest.raises(ValueError, match="version"):
        PublicationPlan.from_json(json.dumps({"version": 0, "cells": [], "equations": []}))


# ---- the sample's publications ---------------------------------------------------------------


@pytest.mark.slow
def test_every_sample_year_passes_and_declares_every_count_table(runs):
    root, _ = runs
    whole = PublicationPlan()
    for year in YEARS:
        saved = root / "reports" / str(year) / "internal" / publication_plan.PLAN_FILE
        plan = PublicationPlan.from_json(saved.read_text(encoding="utf-8"))
        assert len(plan.cells) > 250 and plan.equations, year
        assert any(c.hidden for c in plan.cells.values()), year
        whole.merge(plan)
    assert whole.audit(DisclosureRules.from_config(load_config(2026))) == []


@pytest.mark.slow
def test_a_count_printed_in_one_year_and_hidden_in_another_stops_the_check(runs, tmp_path):
    root, _ = runs
    reports = tmp_path / "reports"
    for year in YEARS:
        shutil.copytree(root / "reports" / str(year) / "internal", reports / str(year) / "internal")
    findings = reports / "2025" / "internal" / "findings" / "geography.json"
    data = json.loads(findings.read_text(encoding="utf-8"))
    table = data["tables"]["by_nation"]
    row = table["index"]["labels"].index("Wales")
    assert table["display"][row][0] == "[c]"  # hidden in the sample: plant the true count
    table["display"][row][0], table["values"][row][0], table["status"][row][0] = "9", 9.0, "safe"
    findings.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(publication_plan.PlanError) as caught:
        publication_plan.check_publication(reports / "2025", 2025, reports, load_config(2025))
    message = str(caught.value)
    assert "area: Wales" in message and "hidden in data/geography-by-nation.csv (2024, 2026)" in message
    assert "printed in data/geography-by-nation.csv (2025)" in message and "docs/DISCLOSURE.md" in message


@pytest.mark.slow
def test_a_count_table_missing_from_the_plan_stops_the_check(runs, tmp_path):
    root, _ = runs
    reports = tmp_path / "reports"
    shutil.copytree(root / "reports" / "2024" / "internal", reports / "2024" / "internal")
    findings = reports / "2024" / "internal" / "findings" / "readiness.json"
    data = json.loads(findings.read_text(encoding="utf-8"))
    data["tables"]["new_counts"] = data["tables"]["commitment"]
    data["table_order"].append("new_counts")
    findings.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        publication_plan.PlanError, match=r"no entry in the publication plan.*readiness/new_counts"
    ):
        publication_plan.check_publication(reports / "2024", 2024, reports, load_config(2024))


def test_the_selection_packs_bands_are_linked_to_the_eligible_applicants(tmp_path):
    pack = tmp_path / "selection"
    pack.mkdir()
    (pack / "chances-banded.csv").write_text(
        "chance_from,chance_below,applicants\n0.00,0.10,98\n0.10,1.00 (included),[c]\n", encoding="utf-8"
    )
    (pack / "drawn-panel.csv").write_text(
        "drawn_panel,source,org_id\n4,seed,Oa\n4,seed,Ob\n", encoding="utf-8"
    )
    plan = PublicationPlan()
    eligible = cell_key("lottery applicants", {"eligibility": "eligible for the lottery"})
    plan.add(eligible, 118, "appendix 3")
    publication_plan._selection_pack(plan, pack, 2024)
    assert plan.cells[cell_key("drawn panel")].printed == {"2024 selection/drawn-panel.csv": 2.0}
    (problem,) = plan.audit(RULES)
    assert "chance of selection: 0.10 to 1.00 (included)" in problem and "it must be 20" in problem
    (pack / "chances-banded.csv").write_text(
        "chance_from,chance_below,applicants\n0,1,=1+1\n", encoding="utf-8"
    )
    with pytest.raises(
        publication_plan.PlanError, match="chances-banded.csv.*column applicants is not a count"
    ):
        publication_plan._selection_pack(PublicationPlan(), pack, 2024)


def test_rounded_counts_stand_for_a_range_not_a_value():
    rounded = DisclosureRules(rounding_base=5)
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": 10, "UK": 145})
    assert "it must be 15" in plan.audit(RULES)[0]  # exact counts pin Wales
    assert plan.audit(rounded) == []  # rounded ones leave it anywhere from 10 to 25
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": 15, "Scotland": 10, "UK": 150})
    assert plan.audit(rounded) == []  # within what rounding each count explains
    assert plan.audit(RULES)[0].startswith("printed counts do not add up")


def test_a_later_years_different_figure_is_a_revision_only_when_the_settings_note_it():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146}, place="2024 data/t.csv")
    _nations(plan, {"England": 121, "Wales": None, "Scotland": None, "UK": 147}, place="2025 data/t.csv")
    assert any(
        "printed with different values: 120 in 2024 data/t.csv; 121 in" in p for p in plan.audit(RULES)
    )
    assert plan.audit(RULES, revisions_noted=True) == []  # the 2025 figures stand
    assert len(plan.revisions()) == 2
    plan.add(
        cell_key(UK, {"area": "England"}), 122, "2025 data/other.csv"
    )  # one year disagreeing with itself
    assert any("different values" in p for p in plan.audit(RULES, revisions_noted=True))
    assert len(plan.revisions()) == 1
