"""The last sentence numbers of the year's publication plan: aims, three-year totals, like-for-like
changes and workshop satisfaction.

- The members' aims sentence (`readiness.aims`, saved as `aims_counts`): its counts are the aims
  table's cells; "n of the N members had stated an aim and returned this year's survey" is a key
  of its own, the total less the row of members with no return or no aim, and the members at or
  above their aim plus those not yet there.
- The three-year summary ("Over the three years 2024–2026, members started 43 …"): the activity
  and money tables' span column, a withheld total registered as hidden.
- Like-for-like changes (†: the same members in both years): the change and both totals are keys
  of their own population (the members answering in both years), each year's total being at
  least the like-for-like one; the change is a statistic over the members compared, whose number
  the sentence prints.
- Workshop satisfaction: the average is over the members who rated a workshop (saved per year as
  `workshops`), a key of the plan counted within the members attending.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
from analysis.findings import Findings
from analysis.publish.plan_facts import ROWS, SENTENCE_CHANGES, SURVEY, cell_shown, like_for_like, place_of

AIMS = "members' progress against their 2026 aim, {year}"  # publish.plan.TABLES readiness aims
REACHED, NOT_YET = "Reached or passed their aim", "Not yet at their aim"  # readiness.aims' rows
UNKNOWN = "No return this year or no aim stated"
KNOWN = "Stated an aim and returned this year's survey"
THREE_YEAR = ("ventures_started", "citizens_involved", "budget_devolved_gbp", "funding_secured_gbp")
THREE_YEAR += ("advocacy_actions",)  # the summary sentence's totals (`outcomes.messages`)
WORKSHOPS = "workshop attendance"  # publish.plan.TABLES workshop_attendance


def add_sentences(plan: PublicationPlan, findings: list[Findings], year: int) -> None:
    """The aims sentence, the three-year summary, like-for-like changes and workshop satisfaction."""
    by_area = {f.area: f for f in findings}
    if "readiness" in by_area:
        _aims(plan, by_area["readiness"].facts.get("aims_counts") or {}, year)
    if "outcomes" in by_area:
        outcomes = by_area["outcomes"]
        _three_year(plan, outcomes, year)
        _like_for_like(plan, outcomes.facts, year)
        _workshops(plan, outcomes, year)


def _aims(plan: PublicationPlan, counts: Mapping[str, int], year: int) -> None:
    if not counts:
        return
    population = AIMS.format(year=year)

    def key(row: str | None = None) -> tuple:
        return cell_key(population, {"count": "Members", **({"progress": row} if row else {})})

    rows = {"total": None, "reached": REACHED, "known": KNOWN}
    for name, value in counts.items():
        plan.add(key(rows[name]), value, place_of(year, "readiness", ("aims_counts", name)))
    plan.add_sum(key(), [key(KNOWN), key(UNKNOWN)])
    plan.add_sum(key(KNOWN), [key(REACHED), key(NOT_YET)])


def _span(outcomes: Findings) -> str | None:
    """The activity table's three-year column ("2024–2026"), which the summary sentence prints."""
    table = outcomes.tables.get("activity")
    labels = [] if table is None else [str(c) for c in table.values.columns]
    return next((c for c in labels if "–" in c and c.replace("–", "").isdigit()), None)


def _three_year(plan: PublicationPlan, outcomes: Findings, year: int) -> None:
    three, span = outcomes.facts.get("three_year") or {}, _span(outcomes)
    if not three or span is None:
        return
    for name in THREE_YEAR:
        if name in three:
            key = cell_key(SURVEY, {"measure": ROWS[name], "year": span})
            plan.add(key, three[name], place_of(year, "outcomes", ("three_year", name)))


def _like_for_like(plan: PublicationPlan, facts: Mapping, year: int) -> None:
    """Each † change: its totals over the same members, its n; the sentence's numbers where printed."""
    for which in ("change_since_baseline", "change_since_previous"):
        for name, c in (facts.get(which) or {}).items():
            if c.get("basis") != "like_for_like" or c.get("change") is None or name not in ROWS:
                continue
            a, b, row = str(c["from_year"]), str(c["to_year"]), ROWS[name]
            both = like_for_like(SURVEY, a, b)
            members = cell_key(f"members answering '{row}' in both {a} and {b}")
            for y in (a, b):  # each year's total holds the like-for-like one and the other members'
                plan.add_sum(
                    cell_key(SURVEY, {"measure": row, "year": y}),
                    [
                        cell_key(both, {"measure": row, "year": y}),
                        cell_key(f"{both}: others", {"measure": row, "year": y}),
                    ],
                )
            place = place_of(year, "outcomes", (which, name))
            if name in SENTENCE_CHANGES.get(
                which, ()
            ):  # "up 3 since 2024, from 11 to 14, for the 6 members …"
                plan.add(cell_key(both, {"measure": row, "year": a}), c["from_total"], place)
                plan.add(cell_key(both, {"measure": row, "year": b}), c["to_total"], place)
                plan.add(members, c["n_like_for_like"], place)
            plan.add_statistic(
                Statistic(
                    f"like-for-like change in {row}, {a} to {b}", place, c["n_like_for_like"], base=members
                )
            )


def _workshops(plan: PublicationPlan, outcomes: Findings, year: int) -> None:
    """Each printed average satisfaction, over the members who rated (within those attending)."""
    rating = outcomes.facts.get("workshops") or {}
    table = outcomes.tables.get("workshop_satisfaction")
    for y, w in rating.items():
        rated = cell_key(WORKSHOPS, {"measure": "Members rating", "year": y})
        attending = cell_key(WORKSHOPS, {"measure": "Members attending", "year": y})
        plan.add_sum(attending, [rated, cell_key(WORKSHOPS, {"measure": "Members not rating", "year": y})])
        if table is None or y not in map(str, table.values.index):
            continue
        row = next(r for r in table.values.index if str(r) == y)
        col = table.values.columns[0]
        if not cell_shown(table, row, col):
            continue
        n = w.get("members_rating")
        places = [f"{year} outcomes table '{table.caption}'"]
        if y == str(year):  # the workshop key message prints this year's average too
            places.append(place_of(year, "outcomes", ("workshops", y)))
        for where in places:
            plan.add_statistic(
                Statistic(f"average workshop satisfaction, {y}", where, n, base=rated, parts=(attending,))
            )
