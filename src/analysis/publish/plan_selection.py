"""The selection's chances and quotas in the year's publication plan.

- The key messages' chances (saved as the selection's `chances`, each with its n): the average
  over every eligible applicant (appendix 3's eligible count), the smallest chance over the
  applicants sharing it, and the average over Wales, Scotland and Northern Ireland together
  (the sum of their eligible counts) against England's.
- The average chance by ambition band: over the eligible applicants of the band (saved as
  `eligible_by_band`), keys of the plan that add up to the eligible applicants.
- The quotas (saved as `quotas`; the brief's account and the public pack's `quotas.csv` print
  them) are bounds, not equations: "at least 1 member from every nation with eligible
  applicants" puts each nation of appendix 3's table at 1 or more selected members, "at most 3
  from any one region" (Wales, Scotland and Northern Ireland are each a region) puts them at 3
  or fewer, "at least 2 from the high-ambition band" bounds that band's members. Selected
  members are among the eligible, so a nation's (a band's) eligible applicants are its selected
  members plus the others. The LP audit uses the bounds like the equations.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis import reference, text
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
from analysis.findings import Findings
from analysis.publish.plan_facts import ELIGIBLE, LOTTERY, cell_shown, place_of

PANEL = "drawn panel"  # publish.plan.TABLES selection members_by_nation
SMALL_NATIONS = text.list_in_sentence(list(reference.SMALL_NATIONS))


def add_selection(plan: PublicationPlan, findings: list[Findings], year: int) -> None:
    """The selection's chances (key messages and the table by ambition band) and its quotas."""
    selection = next((f for f in findings if f.area == "selection"), None)
    if selection is None:
        return
    _chances(plan, selection.facts.get("chances") or {}, year)
    _by_band(plan, selection, year)
    _quotas(plan, selection, year)


def _eligible(**dims: str) -> tuple:
    return cell_key(LOTTERY, {**ELIGIBLE, **dims})


def _chances(plan: PublicationPlan, chances: Mapping, year: int) -> None:
    def place(name: str) -> str:
        return place_of(year, "selection", ("chances", name))

    if "average" in chances:
        n = chances["average"]["n"]
        plan.add_statistic(Statistic("average chance of selection", place("average"), n, base=_eligible()))
    if "smallest" in chances:  # the applicants sharing the smallest chance: a count nobody prints
        smallest = _eligible(**{"chance of selection": "the smallest"})
        plan.add_sum(_eligible(), [smallest, _eligible(**{"chance of selection": "above the smallest"})])
        n = chances["smallest"]["n"]
        plan.add_statistic(Statistic("smallest chance of selection", place("smallest"), n, base=smallest))
    if "small_nations" in chances:
        group = _eligible(area=SMALL_NATIONS)
        plan.add_sum(group, [_eligible(area=nation) for nation in reference.SMALL_NATIONS])
        n = chances["small_nations"]["n"]
        name = f"average chance of selection in {SMALL_NATIONS}"
        plan.add_statistic(Statistic(name, place("small_nations"), n, base=group))
    if "england" in chances:
        england = _eligible(area=reference.ENGLAND)
        n = chances["england"]["n"]
        name = "average chance of selection in England"
        plan.add_statistic(Statistic(name, place("england"), n, base=england))


def _by_band(plan: PublicationPlan, selection: Findings, year: int) -> None:
    """Each printed average chance by ambition band, over its band's eligible applicants."""
    bands = selection.facts.get("eligible_by_band") or {}
    table = selection.tables.get("chance_by_band")
    if bands:
        plan.add_sum(_eligible(), [_eligible(**{"ambition band": b}) for b in bands])
    if table is None:
        return
    col = table.values.columns[0]
    for row in table.values.index:
        if not cell_shown(table, row, col):
            continue
        band = str(row)
        base, n = (
            (_eligible(**{"ambition band": band}), bands.get(band)) if band in bands else (_eligible(), None)
        )
        if n is None and base == _eligible():
            n = sum(bands.values()) or None
        where = f"{year} selection table '{table.caption}'"
        plan.add_statistic(Statistic(f"{col} for {band}", where, n, base=base))


def _quotas(plan: PublicationPlan, selection: Findings, year: int) -> None:
    quotas = selection.facts.get("quotas") or {}
    table = selection.tables.get("eligible_by_nation")
    nations = (
        [] if table is None else [str(r) for r in table.values.index if str(r) in reference.NATION_ORDER]
    )
    for nation in nations:  # the selected are among the eligible
        drawn = cell_key(PANEL, {"area": nation})
        plan.add_sum(_eligible(area=nation), [drawn, _eligible(area=nation, drawn="no")])
        if quotas.get("min_per_nation"):
            where = place_of(year, "selection", ("quotas", "min_per_nation"))
            plan.add_bound(drawn, lo=quotas["min_per_nation"], place=where)
    if quotas.get("max_per_region"):
        where = place_of(year, "selection", ("quotas", "max_per_region"))
        for area in set(reference.region_names().values()) - {reference.ENGLAND}:
            plan.add_bound(cell_key(PANEL, {"area": area}), hi=quotas["max_per_region"], place=where)
    if quotas.get("min_high_ambition"):
        drawn = cell_key(PANEL, {"ambition band": "High"})
        plan.add_sum(
            _eligible(**{"ambition band": "High"}),
            [drawn, _eligible(**{"ambition band": "High"}, drawn="no")],
        )
        where = place_of(year, "selection", ("quotas", "min_high_ambition"))
        plan.add_bound(drawn, lo=quotas["min_high_ambition"], place=where)
