"""The brief's asks: who, what and at what scale from the year's settings; the evidence from the data.

Officials asked for asks they can act on: each names the body, the action, its scale and one
sentence of evidence. The first three are policy choices, so they live in `[[brief.asks]]` of
a year's settings; the evidence sentence is computed here from the saved findings, and an ask
whose evidence is withheld or missing is left out rather than printed without it. A region is
named only when its interval excludes its population share (`stats.gap`): code, not a writer,
decides whether the data support singling it out.

Layer: assemble. Imports the base layer (`text`, `stats`, `reference`) and `findings`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis import stats, text
from analysis.findings import Findings
from analysis.reference import population_by_region, region_in_sentence, region_names

LEVEL = 0.95


@dataclass(frozen=True)
class Ask:
    who: str
    what: str
    scale: str
    evidence: str
    area: str = ""  # the section whose data the evidence comes from


# The area whose findings each evidence sentence reads: the section's "so what" points to its ask.
EVIDENCE_AREA = {
    "reach": "geography",
    "budget": "readiness",
    "ambition": "readiness",
    "level_change": "readiness",
    "devolved_budget": "outcomes",
    "joint_bids": "outcomes",
    "three_year": "outcomes",
    "lottery": "selection",
}


def _facts(findings: dict[str, Findings], area: str) -> dict:
    f = findings.get(area)
    return f.facts if f else {}


def _cell(findings: dict[str, Findings], area: str, table: str, row: str, column: str) -> float | None:
    f = findings.get(area)
    t = f.tables.get(table) if f else None
    if t is None or row not in t.values.index or column not in t.values.columns:
        return None
    v = t.values.loc[row, column]
    return None if text.is_missing(v) else float(v)


def region_gaps(findings: dict[str, Findings], level: float = LEVEL) -> dict[str, stats.Gap]:
    """Each region's share of the analysed applicants against its share of the UK population."""
    facts = _facts(findings, "geography")
    counts, n = facts.get("applicants_by_region") or {}, facts.get("uk_applicants")
    if not counts or not n:
        return {}
    population = population_by_region()
    names = region_names()
    shares = {names[code]: float(p) / float(population.sum()) for code, p in population.items()}
    return {
        name: stats.gap(k, n, shares[name], level)
        for name, k in counts.items()
        if not text.is_missing(k) and name in shares
    }


def reach_evidence(findings: dict[str, Findings]) -> str | None:
    """Regions clearly short of their population share, or that none is (then none is named)."""
    gaps = region_gaps(findings)
    if not gaps:
        return None
    n = _facts(findings, "geography")["uk_applicants"]
    below = sorted((name for name, g in gaps.items() if g.below), key=lambda r: gaps[r].high)
    if not below:
        above = [region_in_sentence(r) for r, g in gaps.items() if g.above]
        tail = (
            f"; only {text.list_in_sentence(above)} stood clearly above {'its' if len(above) == 1 else 'their'} share"
            if above
            else ""
        )
        return (
            f"Of {text.analysed(n)}, no region had clearly fewer than its share of the UK population "
            f"would suggest (every region's {text.percent(LEVEL)} interval includes its share){tail}, "
            "so outreach should not single out any one region."
        )
    parts = [
        f"{region_in_sentence(r)} had {text.count(gaps[r].k)} ({text.percent(gaps[r].k / n)}; "
        f"{text.interval(gaps[r].low, gaps[r].high, 'share', LEVEL)}) against "
        f"{text.percent(gaps[r].expected)} of the UK population"
        for r in below
    ]
    return f"Of {text.analysed(n)}, " + text.list_in_sentence(parts) + "."


def budget_evidence(findings: dict[str, Findings]) -> str | None:
    """The share of applicants who say they have budget for citizen-led work (readiness answers)."""
    agree = _cell(findings, "readiness", "readiness_answers", "Budget available", "Agree (4-5)")
    total = _cell(findings, "readiness", "readiness_answers", "Budget available", "Total")
    if agree is None or not total:
        return None
    low, high = stats.wilson(agree, total, LEVEL)
    return (
        f"Only {text.count(agree)} of the {text.count(total)} applicants who answered "
        f"({text.percent(agree / total)}; {text.interval(low, high, 'share', LEVEL)}) agree they have "
        "budget they could put towards citizen-led work."
    )


def ambition_evidence(findings: dict[str, Findings]) -> str | None:
    facts = _facts(findings, "readiness")
    up, n = facts.get("applicants_moving_up"), facts.get("applicants_in_research")
    if not up or not n:
        return None
    return (
        f"{text.count(up)} of {text.analysed(n)} ({text.percent(up / n)}) aim to move at least one "
        "level up the participation spectrum by 2026."
    )


def level_change_evidence(findings: dict[str, Findings]) -> str | None:
    """Members' mean move on the participation spectrum since the baseline, with its interval."""
    c = (_facts(findings, "readiness").get("change") or {}).get("level_now") or {}
    if c.get("mean_change") is None or c.get("ci_low") is None:
        return None
    return (
        f"Members moved {text.signed_change(c['mean_change'], 'rate')} levels on average on the "
        f"participation spectrum between {c['baseline_year']} and {c['year']} "
        f"({text.percent(LEVEL)} interval {text.signed_change(c['ci_low'], 'rate')} to "
        f"{text.signed_change(c['ci_high'], 'rate')})."
    )


def _outcome_total(findings: dict[str, Findings], measure: str, year: int) -> float | None:
    v = ((_facts(findings, "outcomes").get("totals") or {}).get(measure) or {}).get(str(year))
    return None if text.is_missing(v) else float(v)


def _members(findings: dict[str, Findings], year: int) -> int | None:
    r = ((_facts(findings, "outcomes").get("returns") or {}).get(str(year))) or {}
    return r.get("returns_received") or None


def latest_published(findings: dict[str, Findings], measure: str, year: int) -> tuple[int, float, int] | None:
    """The latest year up to `year` whose total of `measure` is published: (year, total, returns)."""
    totals = (_facts(findings, "outcomes").get("totals") or {}).get(measure, {})
    for y in sorted((int(k) for k in totals), reverse=True):
        total, n = _outcome_total(findings, measure, y), _members(findings, y)
        if y <= year and total and n:
            return y, total, n
    return None


def _withheld_note(shown: int, year: int) -> str:
    return "" if shown == year else f" The {year} total is withheld to protect members."


def devolved_budget_evidence(findings: dict[str, Findings], year: int) -> str | None:
    """Budget citizens decided on: this year's total, else the latest published one, said so."""
    found = latest_published(findings, "budget_devolved_gbp", year)
    if not found:
        return None
    y, total, n = found
    return (
        f"In {y}, citizens decided how to use {text.money(total)} of members' budgets "
        f"({text.per_member(total, n, 'money')} returning a survey).{_withheld_note(y, year)}"
    )


def joint_bid_evidence(findings: dict[str, Findings], year: int) -> str | None:
    """Joint funding bids members made: this year's total, else the latest published one, said so."""
    found = latest_published(findings, "joint_bids", year)
    if not found:
        return None
    y, bids, n = found
    return (
        f"In {y}, members made {text.plural(bids, 'joint funding bid')} "
        f"({text.per_member(bids, n)} returning a survey).{_withheld_note(y, year)}"
    )


def three_year_evidence(findings: dict[str, Findings], year: int) -> str | None:
    """What members did over the commitment, from the published three-year totals."""
    three = _facts(findings, "outcomes").get("three_year") or {}
    ventures, citizens = three.get("ventures_started"), three.get("citizens_involved")
    years = _facts(findings, "outcomes").get("years") or []
    if text.is_missing(ventures) or text.is_missing(citizens) or not years:
        return None
    return (
        f"Over {years[0]}–{years[-1]}, members started {text.count(ventures)} citizen-led ventures "
        f"involving {text.count(citizens)} citizens (from the returns received)."
    )


def lottery_evidence(findings: dict[str, Findings]) -> str | None:
    facts = _facts(findings, "selection")
    if not facts.get("eligible") or not facts.get("panel_size"):
        return None
    return (
        f"The network filled {text.count(facts['panel_size'])} places from "
        f"{text.count(facts['eligible'])} eligible applicants by a published lottery, with every "
        "applicant's chance published before the draw."
    )


EVIDENCE: dict[str, Callable[[dict[str, Findings], int], str | None]] = {
    "reach": lambda f, y: reach_evidence(f),
    "budget": lambda f, y: budget_evidence(f),
    "ambition": lambda f, y: ambition_evidence(f),
    "level_change": lambda f, y: level_change_evidence(f),
    "devolved_budget": devolved_budget_evidence,
    "joint_bids": joint_bid_evidence,
    "three_year": three_year_evidence,
    "lottery": lambda f, y: lottery_evidence(f),
}


def asks(settings: list[dict], findings: dict[str, Findings], year: int) -> list[Ask]:
    """The year's configured asks with their evidence; those without evidence are left out."""
    out = []
    for a in settings:
        evidence = EVIDENCE[a["evidence"]](findings, year)
        if evidence:
            area = EVIDENCE_AREA[a["evidence"]]
            out.append(Ask(who=a["who"], what=a["what"], scale=a["scale"], evidence=evidence, area=area))
    return out
