"""Numbers in sentences and statistics in the publication plan (`analysis.publish.plan_facts`,
`analysis.disclosure.statistics`).

Unit tests on small plans (each rule finds its problem, and only then), then the sample's three
years: they pass, and a problem planted in one year's saved findings (a sentence count that
reveals a hidden cell, a mean over 4 members, a percentage on a hidden base, a fact printed with
another value than its table) stops the check naming the statistic or fact and where it is
printed. Last, a completeness test: every whole number an area's sentences print is a value the
year's plan registered from that area (its facts, tables, statistics' n, quotas; the brief's pages
from any area) or in `EXEMPT` (reading the saved findings' text, not the attacker's modules).
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from analysis.config import load_config
from analysis.disclosure import DisclosureRules
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
from analysis.publish import plan as publication_plan
from analysis.publish import plan_facts, plan_stats
from conftest import YEARS
from plan_helpers import UK
from plan_helpers import nations as _nations

RULES = DisclosureRules()


# ---- unit tests --------------------------------------------------------------------------------


def test_a_statistic_over_fewer_than_min_count_organisations_is_named_with_its_place():
    plan = PublicationPlan()
    plan.add_statistic(Statistic("mean change on the participation spectrum", "2025 facts/x", 4))
    plan.add_statistic(Statistic("average readiness index", "2025 facts/y", 5))
    (problem,) = plan.audit(RULES)
    assert problem.startswith("mean change on the participation spectrum, printed in 2025 facts/x")
    assert "4 organisations, fewer than [disclosure] min_count (5)" in problem


def test_a_statistic_on_a_hidden_base_is_found_and_one_on_a_printed_base_is_not():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146})
    wales, england = cell_key(UK, {"area": "Wales"}), cell_key(UK, {"area": "England"})
    plan.add_statistic(Statistic("average chance for Wales", "appendix 3", None, parts=(wales,)))
    plan.add_statistic(Statistic("average chance for England", "appendix 3", 120, parts=(england,)))
    (problem,) = plan.audit(RULES)
    assert "average chance for Wales, printed in appendix 3, stands on UK applicants (area: Wales)" in problem
    assert "hidden in t1" in problem


def test_a_share_of_a_printed_base_bounds_its_hidden_count():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": None, "Scotland": None, "UK": 146})
    wales = cell_key(UK, {"area": "Wales"})
    plan.add_statistic(
        Statistic(
            "share of applicants in Wales",
            "t2",
            None,
            base=cell_key(UK),
            count=wales,
            share=0.062,
            rounding=0.0005,
        )
    )
    problems = plan.audit(RULES)
    assert any("area: Wales" in p and "it must be 9" in p for p in problems), problems
    assert any("area: Scotland" in p and "it must be 17" in p for p in problems), problems
    coarse = PublicationPlan()  # 3% of 146 (2.5% to 3.5%) leaves Wales at 4 or 5
    _nations(coarse, {"England": 120, "Wales": None, "Scotland": None, "UK": 146})
    coarse.add_statistic(
        Statistic("share", "t2", None, base=cell_key(UK), count=wales, share=0.03, rounding=0.005)
    )
    assert any(
        "area: Wales" in p and "between 4 and 5, narrower than the protection" in p
        for p in coarse.audit(RULES)
    )


def test_a_share_that_disagrees_with_its_printed_count_is_found():
    plan = PublicationPlan()
    _nations(plan, {"England": 120, "Wales": 14, "Scotland": 12, "UK": 146})
    england = cell_key(UK, {"area": "England"})
    plan.add_statistic(
        Statistic("share", "t2", 120, base=cell_key(UK), count=england, share=0.5, rounding=0.005)
    )
    (problem,) = plan.audit(RULES)
    assert "is printed as 120, but the shares printed of it (share in t2) put it between 73 and 73" in problem


def test_statistics_survive_json_and_merge_once():
    plan = PublicationPlan()
    wales = cell_key(UK, {"area": "Wales"})
    stat = Statistic("s", "p", 7, base=cell_key(UK), count=wales, share=0.1, rounding=0.005, parts=(wales,))
    plan.add_statistic(stat)
    text = plan.to_json()
    again = PublicationPlan.from_json(text)
    assert again.statistics == [stat] and again.to_json() == text
    again.merge(PublicationPlan.from_json(text))
    assert again.statistics == [stat]


def test_the_briefs_intake_paragraph_links_received_removed_and_applied():
    quality = {"tables": {"callout": {"received": 160, "superseded": 9, "rejected": 1, "kept": 150}}}
    plan = PublicationPlan()
    plan_facts.add_intake(plan, quality, 2024, RULES)
    removed = cell_key(plan_facts.CALLOUT, {"stage": "removed"})
    assert plan.cells[removed].printed == {"2024 policy brief (about these statistics)": 10.0}
    assert plan.audit(RULES) == []  # 1 unusable response is not printed: only the sum of the two
    unusable = cell_key(plan_facts.CALLOUT, {"stage": "unusable"})
    plan.add(unusable, None, "appendix 1")  # another document hides it but prints the superseded
    plan.add(cell_key(plan_facts.CALLOUT, {"stage": "superseded"}), 9, "appendix 1")
    (problem,) = plan.audit(RULES)
    assert (
        problem.startswith("callout responses (stage: unusable), hidden in appendix 1")
        and "it must be 1" in problem
    )


def test_a_sign_test_over_four_members_is_found_and_the_sentences_total_is_their_sum():
    change = {"baseline_year": 2024, "year": 2025, "mean_change": None}
    population = "members' change on the participation spectrum, 2024 to 2025"
    for counts, problems in (((6, 3, 0), 0), ((3, 1, 0), 1)):
        plan = PublicationPlan()
        for move, n in zip(("Moved up", "Stayed the same", "Moved down"), counts, strict=True):
            plan.add(cell_key(population, {"change": move, "count": "Members"}), n, "2025 appendix 2")
        plan_stats._member_change(plan, change, "level_now", {}, 2025)
        both = cell_key(population, {"change": "Answered in both years", "count": "Members"})
        assert plan.cells[both].printed == {"2025 facts/readiness.change.level_now": float(sum(counts))}
        found = plan.audit(RULES)
        assert len(found) == problems, found
    assert found[0].startswith(
        "sign test of the members' change on the participation spectrum, printed in 2025"
    )
    assert "computed over 4 organisations" in found[0]


def test_a_plan_saved_before_statistics_still_loads():
    old = json.dumps({"version": 1, "cells": [], "equations": []})
    assert PublicationPlan.from_json(old).statistics == []


# ---- the sample's publications -----------------------------------------------------------------


def _copy(root, tmp_path):
    reports = tmp_path / "reports"
    for year in YEARS:
        shutil.copytree(root / "reports" / str(year) / "internal", reports / str(year) / "internal")
    return reports


def _edit(reports, year: int, area: str, change) -> None:
    path = reports / str(year) / "internal" / "findings" / f"{area}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _check(reports, year: int) -> str:
    with pytest.raises(publication_plan.PlanError) as caught:
        publication_plan.check_publication(reports / str(year), year, reports, load_config(year))
    return str(caught.value)


def _cell(table: dict, row: str, col: str, display: str, value: float, status: str) -> None:
    r, c = table["index"]["labels"].index(row), table["columns"]["labels"].index(col)
    table["display"][r][c], table["values"][r][c], table["status"][r][c] = display, value, status


@pytest.mark.slow
def test_every_sample_year_registers_its_facts_and_statistics_and_passes(runs):
    root, _ = runs
    whole = PublicationPlan()
    for year in YEARS:
        saved = root / "reports" / str(year) / "internal" / publication_plan.PLAN_FILE
        plan = PublicationPlan.from_json(saved.read_text(encoding="utf-8"))
        facts = {p for c in plan.cells.values() for p in [*c.printed, *c.hidden] if " facts/" in p}
        assert (
            f"{year} facts/geography.uk_applicants" in facts and f"{year} facts/selection.eligible" in facts
        )
        assert any(s.place.startswith(f"{year} facts/readiness") for s in plan.statistics)
        assert any("Average chance of selection" in s.name for s in plan.statistics)
        whole.merge(plan)
    assert whole.audit(DisclosureRules.from_config(load_config(2026))) == []


@pytest.mark.slow
def test_planted_sentence_and_statistic_problems_are_found_and_named(runs, tmp_path):
    root, _ = runs
    reports = _copy(root, tmp_path)

    def sentence_reveals_hidden_cell(d):  # appendix 2 prints the decliners when the rule allows
        d["facts"]["excluded_no_consent"] = 5

    _edit(reports, 2024, "readiness", sentence_reveals_hidden_cell)
    message = _check(reports, 2024)
    assert "check: Left out: did not agree to research use of their answers" in message
    assert "printed in facts/readiness.excluded_no_consent (2024)" in message

    reports = _copy(root, tmp_path / "b")

    def different_value(d):
        d["facts"]["uk_applicants"] = 147

    _edit(reports, 2025, "geography", different_value)
    message = _check(reports, 2025)
    assert "UK-based applicants agreeing to research use is printed with different values" in message
    assert "147 in 2025 facts/geography.uk_applicants" in message


@pytest.mark.slow
def test_a_mean_over_four_members_and_a_percentage_on_a_hidden_base_are_found(runs, tmp_path):
    root, _ = runs
    reports = _copy(root, tmp_path)

    def mean_of_four(d):
        d["facts"]["change"]["level_now"].update(mean_change=0.5, ci_low=0.1, ci_high=0.9)

    def four_paired(d):
        d["facts"]["level_change"]["level_now"]["n_paired"] = 4

    _edit(reports, 2025, "readiness", mean_of_four)
    _edit(reports, 2025, "outcomes", four_paired)
    message = _check(reports, 2025)
    assert (
        "mean change and its interval on the participation spectrum, printed in 2025 facts/readiness"
        in message
    )
    assert "computed over 4 organisations, fewer than [disclosure] min_count (5)" in message
    assert (
        "stands on members' change on the participation spectrum, 2024 to 2025 (change: Moved up" in message
    )

    reports = _copy(root, tmp_path / "b")

    def chance_for_wales(d):
        _cell(d["tables"]["chance_by_nation"], "Wales", "Average chance of selection", "15%", 0.15, "safe")

    _edit(reports, 2026, "selection", chance_for_wales)
    message = _check(reports, 2026)
    assert "Average chance of selection for Wales, printed in 2026 selection table" in message
    assert "stands on lottery applicants (area: Wales, eligibility: eligible for the lottery)" in message


@pytest.mark.slow
def test_a_share_of_a_row_pins_the_count_it_is_a_share_of(runs, tmp_path):
    root, _ = runs
    reports = tmp_path / "reports"  # 2024 alone: the later years print these answers too
    shutil.copytree(root / "reports" / "2024" / "internal", reports / "2024" / "internal")

    def hide_two_answers(d):  # the counts hidden, their shares of the row still printed in the chart
        table = d["tables"]["readiness_answers"]
        for answer in ("Disagree (1-2)", "Neither (3)"):
            _cell(table, "Community relationships", answer, "[c]", float("nan"), "primary")

    _edit(reports, 2024, "readiness", hide_two_answers)
    message = _check(reports, 2024)
    assert "Disagree (1-2) for Community relationships, printed in 2024 readiness table" in message
    assert "answer: Disagree (1-2), statement: Community relationships), hidden in" in message
    assert "can be worked out: it must be" in message


@pytest.mark.slow
def test_a_count_registered_from_a_sentence_is_printed_in_the_years_pages(runs):
    """No fact is registered as printed unless a published page of its year prints that number."""
    root, _ = runs
    for year in YEARS:
        saved = root / "reports" / str(year) / "internal" / publication_plan.PLAN_FILE
        plan = PublicationPlan.from_json(saved.read_text(encoding="utf-8"))
        words = " ".join(_page_text(p) for p in (root / "reports" / str(year)).glob("*.html"))
        numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", words)}
        facts = [
            (place, value)
            for cell in plan.cells.values()
            for place, value in cell.printed.items()
            if " facts/" in place or "policy brief" in place
        ]
        assert len(facts) > 20, year
        missing = [f"{place}: {value:g}" for place, value in facts if abs(value) not in numbers]
        assert not missing, f"{year}: registered as printed but not on any page: {missing}"


# ---- completeness: every whole number in the areas' sentences is in the plan --------------------

_NUMBER = re.compile(r"(?<![\w.,£+−-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%]|\.\d|,\d{3})")
_YEAR = re.compile(r"^20\d\d$")
# Whole numbers in sentences that are not counts of the plan, by the words around them, each with why.
EXEMPT = {
    "a document's number, a page, an ask, a web address, a file's size": r"(?:technical )?appendix \d"
    r"|ask \d+ on page \d+|https?://\S+|\d+ KB",
    "a date": r"\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)",
    "the readiness index's and satisfaction's scales, the index's formula": r"(?:out of|0 to) (?:100|5)\b"
    r"|\(mean − 1\) / 4 × 100",
    "the representation index's point of proportion": r"\b1 means in proportion|above 1 more",
    "IAP2 level numbers and the ambition bands' rule": r"\b[1-5] (?:inform|consult|involve|collaborate|empower)\b"
    r"|(?:inform|consult) \([1-5]\)|move (?:\d+ or more levels|at least \d+ level)",
    "the network's size by design": r"\d+–\d+ members",
    "answer scale points and bands": r"(?:disagree|neither|agree) [1-5](?:-[1-5])?|[1-5] strongly (?:dis)?agree"
    r"|(?:disagree|agree) \([1-5](?:-[1-5])?\)",
    "the bootstrap's resamples and seed": r"[\d,]+ resamples|[Ss]eed \d+",
    "the lottery's panels and the drawn panel's number": r"\d+ equally likely panels|\d+ panels|\d+-panel table"
    r"|panel number \d+",
    "the rules' own settings": r"at least \d+ organisations contribute|at least \d+ in each year"
    r"|the largest \d+ hold|fewer than \d+|bands of at least \d+ applicants",
    "counts of places (12 UK regions and nations), not of organisations": r"(?:all )?\d+ (?:of the \d+ )?(?:UK )?"
    r"(?:ITL1 )?(?:regions and nations|nations and regions|nations)|come from \d+ of them",
}
_EXEMPT = re.compile("|".join(f"(?:{p})" for p in EXEMPT.values()).replace(" ", r"\s+"))  # a line may break


def unexplained_numbers(text: str, values: set[float]) -> list[str]:
    """The whole numbers of `text` that are neither plan values, years nor in an `EXEMPT` phrase."""
    spans = [m.span() for m in _EXEMPT.finditer(text)]
    out = []
    for m in _NUMBER.finditer(text):
        if _YEAR.match(m.group(1)) or any(a <= m.start() and m.end() <= b for a, b in spans):
            continue
        if float(m.group(1).replace(",", "")) not in values:
            out.append(f"{m.group(1)} in '…{text[max(0, m.start() - 60) : m.end() + 30]}…'")
    return out


def test_a_number_outside_the_plan_is_found_and_exempt_phrases_are_not():
    values = {146.0, 10.0}
    assert unexplained_numbers("The 146 organisations; 10 members; seed 20240115; in 2025.", values) == []
    assert unexplained_numbers("The 10 members come from 6 of the 12 regions and nations.", values) == []
    (found,) = unexplained_numbers("In 2024, 4 decisions were taken by 10 members.", values)
    assert found.startswith("4 in '…In 2024, 4 decisions")


AREAS = ("geography", "readiness", "selection", "outcomes")
PAGES = {
    "appendix-1": "geography",
    "appendix-2": "readiness",
    "appendix-3": "selection",
    "appendix-4": "outcomes",
}


def _from_area(place: str, area: str | None) -> bool:
    """Whether a plan place was registered from `area` (its facts, tables, downloads, selection pack);
    None: the brief and the index, which print every area's numbers and the brief's own."""
    if area is None:
        return True
    marks = (f"facts/{area}.", f"data/{area}-", f" {area} table")
    return any(m in place for m in marks) or (area == "selection" and " selection/" in place)


def area_values(plan: PublicationPlan, area: str | None) -> set[float]:
    """The values `area` may print in a sentence: counts registered from its places, the bounds its
    rules state and the n of its statistics (a number matching only another area's is unexplained)."""
    values = {v for c in plan.cells.values() for p, v in c.printed.items() if _from_area(p, area)}
    values |= {  # the quotas the area states ("at least 1 member from every nation"): the plan's bounds
        v
        for k, bound in plan.bounds.items()
        if any(_from_area(p, area) for p in plan.bound_places.get(k, []))
        for v in bound
        if v != float("inf")
    }
    return values | {float(s.n) for s in plan.statistics if s.n is not None and _from_area(s.place, area)}


def test_a_number_registered_only_by_another_area_is_not_explained():
    plan = PublicationPlan()
    plan.add(cell_key(UK), 146, "2024 data/geography-by-nation.csv")
    plan.add(cell_key("drawn panel"), 10, "2024 facts/selection.panel_size")
    plan.add_statistic(Statistic("mean", "2024 outcomes table 'x'", 9))
    assert area_values(plan, "geography") == {146.0}
    assert area_values(plan, "selection") == {10.0} and area_values(plan, "outcomes") == {9.0}
    assert area_values(plan, None) == {146.0, 10.0, 9.0}
    assert unexplained_numbers("The 10 members.", area_values(plan, "geography"))


@pytest.mark.slow
def test_every_whole_number_in_the_sentences_is_a_plan_value_or_exempt(runs):
    """Every whole number an area's sentences print is a value registered from that area (its facts,
    tables, statistics' n), the brief's from any area or its own paragraphs, or in `EXEMPT`."""
    root, _ = runs
    for year in YEARS:
        internal = root / "reports" / str(year) / "internal"
        plan = PublicationPlan.from_json((internal / publication_plan.PLAN_FILE).read_text(encoding="utf-8"))
        unexplained = []
        for area in AREAS:
            values = area_values(plan, area)
            d = json.loads((internal / "findings" / f"{area}.json").read_text(encoding="utf-8"))
            for text in [*d["key_messages"], d["brief_text"], d["method_notes"]]:
                unexplained += [f"{area}: {u}" for u in unexplained_numbers(text, values)]
        for page in sorted((root / "reports" / str(year)).glob("*.html")):  # the brief's own paragraphs too
            area = next((a for prefix, a in PAGES.items() if page.name.startswith(prefix)), None)
            values = area_values(plan, area)
            unexplained += [f"{page.name}: {u}" for u in unexplained_numbers(_page_text(page), values)]
        assert not unexplained, f"{year}: numbers in sentences outside the plan:\n" + "\n".join(unexplained)


def _page_text(page) -> str:
    """A published page's words: tables and charts left out (their cells are the plan's own)."""
    text = re.sub(
        r"<(style|svg|script|table|head)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S
    )
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
