"""The brief's asks in the year's publication plan: the numbers of each evidence sentence.

`analysis.asks` writes an ask's evidence when the brief is built, from the saved findings.
`add_asks` calls the same evidence functions on the same findings for the year's configured
asks (`[[brief.asks]]`) and, for each sentence the brief prints, registers its counts under the
key of the table cell or fact counting the same organisations (the regions short of their share
are appendix 1's region cells; "25 of the 146 applicants who answered" are the readiness answers
table's) and its statistics with their n: shares and intervals over their base, per-member
figures over the returns they divide by, the members' mean change over its moved up, stayed
and moved down counts. An evidence sentence that prints a count a table hides, or prints it
with another value, stops the run like the table would. The place is
"<year> policy brief (asks)/<evidence>".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from analysis import asks as brief_asks
from analysis import text
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
from analysis.findings import Findings
from analysis.publish.plan_facts import (
    ELIGIBLE,
    LOTTERY,
    MESSAGE_TOTALS,
    MOVING_UP,
    RETURNS,
    ROWS,
    SURVEY,
    UK,
)
from analysis.publish.plan_stats import add_share

PLACE = "policy brief (asks)"
ANSWERS = "answers to the readiness statements"  # publish.plan.TABLES readiness_answers
BUDGET_ROW, AGREE = "Budget available", "Agree (4-5)"
# The rows of the activity and money tables the per-member evidence divides.
PER_MEMBER = {
    "devolved_budget": "budget_devolved_gbp",
    "joint_bids": "joint_bids",
}


def add_asks(plan: PublicationPlan, findings: list[Findings], year: int, settings: list[Mapping]) -> None:
    """Every configured ask whose evidence the brief prints, its numbers registered (after the tables)."""
    by_area = {f.area: f for f in findings}
    for ask in settings or []:
        name = str(ask.get("evidence"))
        evidence = brief_asks.EVIDENCE.get(name)
        if evidence is None or not evidence(by_area, year):
            continue  # not a known ask, or left out of the brief: nothing printed
        REGISTER[name](plan, by_area, year, f"{year} {PLACE}/{name}")


def _facts(by_area: Mapping[str, Findings], area: str) -> Mapping:
    return by_area[area].facts if area in by_area else {}


def _reach(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "Of the 146 …, the North East had 2 (1%; …) against 4% of the UK population": each region
    named is appendix 1's region cell, its share and interval over the UK total."""
    n = _facts(by_area, "geography")["uk_applicants"]
    plan.add(cell_key(UK), n, place)
    for region, gap in brief_asks.region_gaps(by_area).items():
        if not gap.below:
            continue
        key = cell_key(UK, {"area": region})
        plan.add(key, gap.k, place)
        add_share(plan, f"share of the applicants in {region}", place, key, cell_key(UK))
        plan.add_statistic(Statistic(f"interval of the share in {region}", place, int(n), parts=(key,)))


def _budget(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "Only 25 of the 146 applicants who answered (17%; …) agree they have budget": the readiness
    answers table's cells for the budget statement, and the share with its interval."""
    table = by_area["readiness"].tables["readiness_answers"]
    agree, total = (float(table.values.loc[BUDGET_ROW, c]) for c in (AGREE, "Total"))
    keys = (
        cell_key(ANSWERS, {"statement": BUDGET_ROW, "answer": AGREE}),
        cell_key(ANSWERS, {"statement": BUDGET_ROW}),
    )
    plan.add(keys[0], agree, place)
    plan.add(keys[1], total, place)
    add_share(plan, "share of applicants with budget for citizen-led work", place, *keys)
    plan.add_statistic(Statistic("interval of the share with budget", place, int(total), parts=keys))


def _ambition(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "128 of the 146 … (88%) aim to move at least one level up": the key message's counts."""
    facts = _facts(by_area, "readiness")
    plan.add(cell_key(UK, MOVING_UP), facts["applicants_moving_up"], place)
    plan.add(cell_key(UK), facts["applicants_in_research"], place)
    add_share(plan, "share of applicants aiming to move up", place, cell_key(UK, MOVING_UP), cell_key(UK))


def _level_change(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """The members' mean move and its interval, over the members compared in both years."""
    c = _facts(by_area, "readiness")["change"]["level_now"]
    n = ((_facts(by_area, "outcomes").get("level_change") or {}).get("level_now") or {}).get("n_paired")
    population = f"members' change on the participation spectrum, {c['baseline_year']} to {c['year']}"
    parts = tuple(
        cell_key(population, {"change": m, "count": "Members"})
        for m in ("Moved up", "Stayed the same", "Moved down")
    )
    plan.add_statistic(Statistic("members' mean change on the participation spectrum", place, n, parts=parts))


def _per_member(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "In 2025, citizens decided how to use £39,500 … (£3,950 per member returning a survey)":
    the year's total and returns received; a later year's total it says is withheld is hidden."""
    measure = PER_MEMBER[place.rpartition("/")[2]]
    y, total, n = brief_asks.latest_published(by_area, measure, year)
    total_key = cell_key(SURVEY, {"measure": ROWS[measure], "year": str(y)})
    returns = cell_key(RETURNS, {"measure": "Returns received", "year": str(y)})
    plan.add(total_key, total, place)
    plan.add(returns, n, place)
    if y != year:
        plan.add(cell_key(SURVEY, {"measure": ROWS[measure], "year": str(year)}), None, place)
    plan.add_statistic(
        Statistic(f"{ROWS[measure]} per member, {y}", place, int(n), parts=(returns, total_key))
    )


def _three_year(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "Over 2024–2026, members started 43 citizen-led ventures involving 2,120 citizens": the
    activity table's span column."""
    facts = _facts(by_area, "outcomes")
    years = facts["years"]
    for measure in ("ventures_started", "citizens_involved"):
        value = facts["three_year"][measure]
        if not text.is_missing(value):
            key = cell_key(SURVEY, {"measure": MESSAGE_TOTALS[measure], "year": f"{years[0]}–{years[-1]}"})
            plan.add(key, value, place)


def _lottery(plan: PublicationPlan, by_area, year: int, place: str) -> None:
    """ "The network filled 10 places from 118 eligible applicants": appendix 3's counts."""
    facts = _facts(by_area, "selection")
    plan.add(cell_key("drawn panel"), facts["panel_size"], place)
    plan.add(cell_key(LOTTERY, ELIGIBLE), facts["eligible"], place)


REGISTER: dict[str, Callable[[PublicationPlan, Mapping, int, str], None]] = {
    "reach": _reach,
    "budget": _budget,
    "ambition": _ambition,
    "level_change": _level_change,
    "devolved_budget": _per_member,
    "joint_bids": _per_member,
    "three_year": _three_year,
    "lottery": _lottery,
}
