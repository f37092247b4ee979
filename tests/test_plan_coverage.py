"""The last numbers of the publication plan: quotas as bounds, the asks' evidence, the aims
sentence, three-year totals, like-for-like changes, workshop satisfaction and the selection's
chances (`analysis.publish.plan_asks`, `.plan_sentences`, `.plan_selection`).

Unit tests on small plans (a quota bound pins a hidden count only with the bound; a printed count
that breaks a quota is named; bounds survive saving), then problems planted in the sample's saved
findings, each found and named with where it is printed; the sample years themselves pass
(`test_plan_facts.test_every_sample_year_registers_its_facts_and_statistics_and_passes`).
"""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.config import load_config
from analysis.disclosure import DisclosureRules, ProtectedTable
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.publish import plan as publication_plan
from analysis.publish import plan_selection
from conftest import YEARS
from test_plan_facts import _cell, _check, _copy, _edit

RULES = DisclosureRules()
PANEL = plan_selection.PANEL
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


def _panel(plan: PublicationPlan, values: dict, total: int) -> None:
    for nation, value in values.items():
        plan.add(cell_key(PANEL, {"area": nation}), value, "appendix 3")
    plan.add(cell_key(PANEL), total, "appendix 3")
    plan.add_sum(cell_key(PANEL), [cell_key(PANEL, {"area": n}) for n in values])


def test_a_quota_bound_pins_a_hidden_nation_only_with_the_bound():
    values = {"England": 7, "Wales": None, "Scotland": 1, "Northern Ireland": None}  # 2 between two
    plan = PublicationPlan()
    _panel(plan, values, 10)
    assert plan.audit(RULES) == []  # 0, 1 or 2 each: as wide as the protection asks
    for nation in NATIONS:
        plan.add_bound(
            cell_key(PANEL, {"area": nation}), lo=1, place="2024 facts/selection.quotas.min_per_nation"
        )
    problems = plan.audit(RULES)
    assert len(problems) == 2, problems
    assert problems[0].startswith("drawn panel (area: Northern Ireland), hidden in appendix 3")
    assert problems[0].endswith("can be worked out: it must be 1")


def test_a_printed_count_that_breaks_a_quota_is_named_and_bounds_survive_saving():
    plan = PublicationPlan()
    _panel(plan, {"England": 8, "Wales": 0, "Scotland": 0}, 8)
    wales = cell_key(PANEL, {"area": "Wales"})
    plan.add_bound(wales, lo=1, place="2024 facts/selection.quotas.min_per_nation")
    plan.add_bound(wales, hi=3, place="2024 facts/selection.quotas.max_per_region")
    (problem,) = plan.audit(RULES)
    assert problem.startswith("drawn panel (area: Wales) is printed as 0, but the rule printed in")
    assert problem.endswith("puts it between 1 and 3")
    text = plan.to_json()
    again = PublicationPlan.from_json(text)
    assert again.bounds == {wales: (1.0, 3.0)} and again.to_json() == text
    again.merge(PublicationPlan.from_json(text))
    assert again.bounds == {wales: (1.0, 3.0)} and len(again.bound_places[wales]) == 2


# ---- planted in the sample's saved findings ------------------------------------------------------


@pytest.mark.slow
def test_an_asks_evidence_that_prints_a_hidden_cell_is_found(runs, tmp_path):
    root, _ = runs
    reports = _copy(root, tmp_path)

    def hidden_region_in_the_facts(d):  # appendix 1 hides Wales; a fact the reach ask reads holds it
        d["facts"]["applicants_by_region"]["Wales"] = 1.0

    _edit(reports, 2024, "geography", hidden_region_in_the_facts)
    message = _check(reports, 2024)
    assert "UK-based applicants agreeing to research use (area: Wales) is hidden in" in message
    assert "printed in policy brief (asks)/reach (2024)" in message


@pytest.mark.slow
def test_planted_sentence_numbers_and_statistics_of_2025_are_found_and_named(runs, tmp_path):
    root, _ = runs
    reports = _copy(root, tmp_path)

    def aims_reached_printed(d):  # the aims table hides who reached their aim; the sentence prints 3
        d["facts"]["aims_counts"] = {"total": 10, "reached": 3}

    def small_groups(d):
        d["facts"]["workshops"]["2025"]["members_rating"] = 4
        d["facts"]["change_since_baseline"]["ventures_started"].update(
            basis="like_for_like", n_like_for_like=4, from_total=6.0, to_total=9.0, change=3.0
        )

    def small_chances(d):
        d["facts"]["chances"]["small_nations"] = {"chance": 0.2, "n": 4}
        d["facts"]["eligible_by_band"]["Medium"] = 3

    _edit(reports, 2025, "readiness", aims_reached_printed)
    _edit(reports, 2025, "outcomes", small_groups)
    _edit(reports, 2025, "selection", small_chances)
    message = _check(reports, 2025)
    assert (
        "members' progress against their 2026 aim, 2025 (count: Members, progress: Reached or passed "
        "their aim) is hidden in data/readiness-aims.csv (2025) but printed in "
        "facts/readiness.aims_counts.reached (2025)"
    ) in message
    for name, place in (
        ("average workshop satisfaction, 2025", "2025 outcomes table"),
        ("like-for-like change in New citizen-led ventures, 2024 to 2025", "2025 facts/outcomes"),
        ("average chance of selection in Wales, Scotland and Northern Ireland", "2025 facts/selection"),
        ("Average chance of selection for Medium", "2025 selection table"),
    ):
        assert f"{name}, printed in {place}" in message, name
    assert message.count("computed over 4 organisations") >= 3
    assert "computed over 3 organisations" in message


@pytest.mark.slow
def test_a_three_year_total_printed_with_another_value_is_found(runs, tmp_path):
    root, _ = runs
    reports = _copy(root, tmp_path)

    def another_total(d):
        d["facts"]["three_year"]["ventures_started"] += 1

    _edit(reports, 2026, "outcomes", another_total)
    message = _check(reports, 2026)
    assert (
        "members' survey answers (measure: New citizen-led ventures, year: 2024–2026) is printed" in message
    )
    assert "in 2026 facts/outcomes.three_year.ventures_started" in message


@pytest.mark.slow
def test_the_quota_pins_selected_members_hidden_by_nation(runs, tmp_path):
    root, _ = runs
    reports = tmp_path / "reports"  # 2024 alone: the later years print these members too
    shutil.copytree(root / "reports" / "2024" / "internal", reports / "2024" / "internal")

    def hide_small_nations(d):
        for nation in ("Wales", "Northern Ireland"):
            _cell(
                d["tables"]["members_by_nation"],
                nation,
                "Drawn by the lottery",
                "[c]",
                float("nan"),
                "primary",
            )

    _edit(reports, 2024, "selection", hide_small_nations)
    message = _check(reports, 2024)
    for nation in ("Wales", "Northern Ireland"):
        assert (
            f"drawn panel (area: {nation}), hidden in data/selection-members-by-nation.csv (2024)" in message
        )
    assert "can be worked out: it must be 1" in message

    def no_quota(d):
        del d["facts"]["quotas"]

    _edit(reports, 2024, "selection", no_quota)  # without the published quota they are 0, 1 or 2
    publication_plan.check_publication(reports / "2024", 2024, reports, load_config(2024))


@pytest.mark.slow
def test_every_sample_year_registers_the_last_numbers(runs):
    """The new registrations are there on the sample: the asks, the quotas, the chances' n."""
    root, _ = runs
    for year in YEARS:
        saved = root / "reports" / str(year) / "internal" / publication_plan.PLAN_FILE
        plan = PublicationPlan.from_json(saved.read_text(encoding="utf-8"))
        places = {p for c in plan.cells.values() for p in [*c.printed, *c.hidden]}
        assert any("policy brief (asks)/" in p for p in places), year
        assert plan.bounds.get(cell_key(PANEL, {"area": "Wales"}), (0, 0))[0] >= 1, year
        names = {s.name for s in plan.statistics}
        assert "average chance of selection" in names and any("workshop satisfaction" in n for n in names)
        data = json.loads(saved.read_text(encoding="utf-8"))
        assert data["version"] == 3


def test_a_like_for_like_change_in_a_table_is_a_change_of_the_same_members_totals():
    """ "+1 †" beside totals of 11 and 14 is not 14 − 11: it relates the like-for-like totals."""

    def table(change_text: str) -> ProtectedTable:
        row = {"2024": (11.0, "11", "safe"), "2025": (14.0, "14", "safe")}
        row["Change since 2024"] = (1.0, change_text, "safe")
        return ProtectedTable.from_cells(
            {"New citizen-led ventures": row},
            caption="Activity",
            rule="r",
            kind="count",
            index_name="Measure",
        )

    spec = publication_plan.Spec("members' survey answers", "measure", col_dim="year", years=True)
    plan = PublicationPlan()
    publication_plan._add_table(plan, spec, table("+1 †"), "2025 data/outcomes-activity.csv", {})
    assert plan.audit(RULES) == []
    both = "members' survey answers, members answering in both 2024 and 2025"
    change = cell_key(both, {"measure": "New citizen-led ventures", "change from": "2024", "to": "2025"})
    assert plan.cells[change].printed == {"2025 data/outcomes-activity.csv": 1.0}
    plain = PublicationPlan()  # the same +1 without † contradicts the totals, and is named
    publication_plan._add_table(plain, spec, table("+1"), "2025 data/outcomes-activity.csv", {})
    (problem,) = plain.audit(RULES)
    assert problem.startswith("printed counts do not add up")
