"""Numbers in sentences, in the year's publication plan.

The key messages, brief text and method notes format their counts from each area's saved
`Findings.facts`. `FACTS` says once which count facts the documents print, under the same plan
key as the table cell that counts the same organisations (the 146 of "the 146 UK-based
organisations that agreed to research use" is appendix 1's UK total), so a sentence that prints
a count a table hides, or prints it with another value, stops the run. `add_fact_relations`
adds the links a reader sees between sentence facts and table cells: the applied are the
analysed plus the left-out rows of the location checks, members each year = returns + missing,
members this year = last year's + joined − left, advocacy actions = their three kinds, the
applicants aiming to move up = the high and medium ambition bands.

The statistics printed beside these counts are registered by `publish.plan_stats`.

The brief's intake paragraph ("The callout export held 160 responses…") is formatted from the
quality log, not from findings: `add_intake` registers it from the same log (received =
superseded + unusable + applied, the applied being appendix 3's applicants).

The asks' evidence sentences are registered by `publish.plan_asks`; the aims sentence, the
three-year summary, like-for-like (†) changes and workshop satisfaction by
`publish.plan_sentences`; the selection's chances and quotas by `publish.plan_selection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.disclosure import ProtectedTable
from analysis.disclosure.cells import HIDDEN_STATUSES
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.findings import Findings
from analysis.text import SUPPRESSED

UK = "UK-based applicants agreeing to research use"  # publish.plan.UK_APPLICANTS
SURVEY = "members' survey answers"
RETURNS = "members' survey returns"
EACH_YEAR = "members each year"
LOTTERY = "lottery applicants"
ELIGIBLE = {"eligibility": "eligible for the lottery"}
CHECKS = "callout location checks"
NO_CONSENT = {"check": "Left out: did not agree to research use of their answers", "count": "organisations"}
FOLLOW_UP = "2026 follow-up of applicants not drawn"
CALLOUT = "callout responses"
BRIEF = "policy brief (about these statistics)"
MOVING_UP = {"ambition": "aims to move at least one level up by 2026"}

ALWAYS, WHEN_SAFE, WHEN_NONZERO = "always", "when safe", "when not zero"


@dataclass(frozen=True)
class Fact:
    """A count a sentence prints: its path in the area's facts and its plan key.

    `shown`: ALWAYS (a missing value reads "[c]" or "withheld": registered as hidden), WHEN_SAFE
    (a small count is left out of the sentence, not shown), WHEN_NONZERO (the clause is only
    written for a count above zero).
    """

    area: str
    path: tuple[str, ...]
    population: str
    dims: Mapping[str, str] = field(default_factory=dict)
    shown: str = ALWAYS


_RETURNS_ROWS = {  # returns fact -> (row of the returns table, how the returns sentence prints it)
    "members_active": ("Members active", ALWAYS),
    "returns_received": ("Returns received", ALWAYS),
    "missing_returns": ("Missing returns (not filled in)", WHEN_NONZERO),
    "members_left": ("Members left", WHEN_NONZERO),
    "returns_not_expected": ("Returns from non-members", WHEN_NONZERO),
}
# Activity totals the outcomes key messages print for the year (a withheld one is named, not printed).
MESSAGE_TOTALS = {
    "ventures_started": "New citizen-led ventures",
    "citizens_involved": "Citizens taking part",
    "decisions_by_citizens": "Decisions taken by citizens",
    "partnerships_new": "New partnerships",
    "advocacy_actions": "Advocacy actions (submissions, meetings and talks)",
    "advocacy_submissions": "Policy submissions",
    "advocacy_meetings": "Meetings with officials or politicians",
    "advocacy_talks": "Public talks",
    "budget_devolved_gbp": "Budget whose use citizens decided",
    "funding_secured_gbp": "Funding secured for citizen-led work, including joint bids",
}
ROWS = {**MESSAGE_TOTALS, "joint_bids": "Joint funding bids with other members"}  # the tables' rows
_ADVOCACY = ("advocacy_submissions", "advocacy_meetings", "advocacy_talks")


def like_for_like(population: str, from_year, to_year) -> str:
    """The population of a like-for-like (†) total: only the members who answered in both years."""
    return f"{population}, members answering in both {from_year} and {to_year}"


# Changes the outcomes sentences print ("up 3 since 2024, from 11 to 14"); the others are in the
# activity and money tables' change columns only.
SENTENCE_CHANGES = {
    "change_since_baseline": (
        "ventures_started",
        "citizens_involved",
        "advocacy_actions",
        "funding_secured_gbp",
    ),
    "change_since_previous": ("ventures_started", "citizens_involved"),
}

FACTS: tuple[Fact, ...] = (
    Fact("geography", ("uk_applicants",), UK),
    Fact("readiness", ("applicants_in_research",), UK),
    Fact("readiness", ("applicants_moving_up",), UK, MOVING_UP),
    Fact("readiness", ("band_counts", "High"), UK, {"ambition band": "High"}),
    Fact("readiness", ("excluded_no_consent",), CHECKS, NO_CONSENT, shown=WHEN_SAFE),
    Fact("selection", ("applicants",), LOTTERY),
    Fact("selection", ("eligible",), LOTTERY, ELIGIBLE),
    Fact("selection", ("panel_size",), "drawn panel"),
    Fact("outcomes", ("not_drawn", "answered"), FOLLOW_UP, {"who": "Answered", "count": "Organisations"}),
    Fact(
        "outcomes",
        ("not_drawn", "pool"),
        FOLLOW_UP,
        {"who": "Not drawn (eligible)", "count": "Organisations"},
    ),
)


def _get(facts: Mapping, path: tuple[str, ...]):
    """The value at `path`, or KeyError when the facts do not hold it (the sentence is not written)."""
    value = facts
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(part)
        value = value[part]
    return value


def cell_shown(table: ProtectedTable, row, col) -> bool:
    """Whether a reader sees this cell's number: not hidden, not "not applicable", not [c]."""
    status = table.status.loc[row, col]
    return not (
        status in HIDDEN_STATUSES or status in ("na", "z") or SUPPRESSED in str(table.display.loc[row, col])
    )


def place_of(year: int, area: str, path) -> str:
    return f"{year} facts/{area}.{'.'.join(map(str, path))}"


def _register(plan: PublicationPlan, key: tuple, value, shown: str, place: str, rules) -> None:
    if value is None:
        if shown == ALWAYS:
            plan.add(key, None, place)
    elif (
        shown == ALWAYS
        or (shown == WHEN_NONZERO and value)
        or (shown == WHEN_SAFE and not rules.is_unsafe_count(value))
    ):
        plan.add(key, float(value), place)


def add_facts(plan: PublicationPlan, findings: list[Findings], year: int, rules) -> None:
    """Every count fact the year's sentences print, with their relations, into `plan` (after the tables)."""
    by_area = {f.area: f for f in findings}
    for fact in FACTS:
        try:
            value = _get(by_area[fact.area].facts, fact.path)
        except KeyError:  # no such area or fact: no sentence prints it
            continue
        key = cell_key(fact.population, fact.dims)
        _register(plan, key, value, fact.shown, place_of(year, fact.area, fact.path), rules)
    outcomes = by_area["outcomes"].facts if "outcomes" in by_area else {}
    _returns(plan, outcomes, year, rules)
    _totals(plan, outcomes, year)
    _paired(plan, outcomes, year)
    add_fact_relations(plan, outcomes)


def add_intake(plan: PublicationPlan, quality: Mapping | None, year: int, rules) -> None:
    """The brief's intake paragraph (`brief.method_summary`), from the quality log it is written from:
    responses received, superseded and unusable (each printed only when both are safe, else their
    sum), the organisations left (appendix 3's applicants); postcodes not matched, organisations
    outside the UK and declining research use ([c] when small)."""
    callout = ((quality or {}).get("tables") or {}).get("callout")
    if not callout:
        return
    place, c = f"{year} {BRIEF}", callout.get("corrections") or {}
    stage = {s: cell_key(CALLOUT, {"stage": s}) for s in ("received", "superseded", "unusable", "removed")}
    plan.add(stage["received"], callout["received"], place)
    plan.add(cell_key(LOTTERY), callout["kept"], place)
    superseded, rejected = callout["superseded"], callout["rejected"]
    if rules.is_unsafe_count(superseded) or rules.is_unsafe_count(rejected):
        plan.add(stage["removed"], superseded + rejected, place)  # one sum: either part would give the other
    else:
        plan.add(stage["superseded"], superseded, place)
        plan.add(stage["unusable"], rejected, place)
    plan.add_sum(stage["removed"], [stage["superseded"], stage["unusable"]])
    plan.add_sum(stage["received"], [stage["removed"], cell_key(LOTTERY)])
    # Declining research use is counted over the applied in both places (appendix 1's check row);
    # appendix 1 counts the other two over the consenting only, so they are the brief's own counts.
    unusable = sum(c.get(k, 0) for k in ("postcode_invalid", "postcode_not_found", "postcode_missing"))
    brief = "callout applicants, as the brief counts them"
    for key, n in (
        (cell_key(brief, {"group": "postcode not matched: region from the form"}), unusable),
        (cell_key(brief, {"group": "outside the UK"}), c.get("outside_uk", 0)),
        (cell_key(CHECKS, NO_CONSENT), c.get("no_research_consent", 0)),
    ):
        plan.add(key, None if rules.is_unsafe_count(n) else n, place)


def _returns(plan: PublicationPlan, facts: Mapping, year: int, rules) -> None:
    """The returns sentence of each year (method notes): active, returned, missing, left, from non-members;
    joined after the first year (the member-change heading also sums joined and left)."""
    returns = facts.get("returns") or {}
    first = min(returns, default=None)
    for y, r in returns.items():
        rows = dict(_RETURNS_ROWS)
        if y != first:
            rows["members_joined"] = ("Members joined", WHEN_NONZERO)
        for name, (row, shown) in rows.items():
            if name in r:
                key = cell_key(RETURNS, {"measure": row, "year": y})
                _register(plan, key, r[name], shown, place_of(year, "outcomes", ("returns", y, name)), rules)


def _totals(plan: PublicationPlan, facts: Mapping, year: int) -> None:
    """The year's activity and money totals in the key messages (withheld ones as hidden), and the
    changes the sentences print with both their totals ("up 3 since 2024, from 11 to 14")."""
    totals = facts.get("totals") or {}
    for name, row in MESSAGE_TOTALS.items():
        by_year = totals.get(name) or {}
        if str(year) in by_year:
            value = by_year[str(year)]
            key = cell_key(SURVEY, {"measure": row, "year": str(year)})
            plan.add(key, value, place_of(year, "outcomes", ("totals", name, year)))
    for which, names in SENTENCE_CHANGES.items():
        for name in names:
            c, row = (facts.get(which) or {}).get(name) or {}, MESSAGE_TOTALS[name]
            if c.get("basis") == "like_for_like" or c.get("change") is None:
                continue
            a, b, place = str(c["from_year"]), str(c["to_year"]), place_of(year, "outcomes", (which, name))
            key = cell_key(SURVEY, {"measure": row, "change from": a, "to": b})
            plan.add(key, c["change"], place)
            plan.add(cell_key(SURVEY, {"measure": row, "year": a}), c["from_total"], place)
            eq = {key: -1.0, cell_key(SURVEY, {"measure": row, "year": b}): 1.0}
            eq[cell_key(SURVEY, {"measure": row, "year": a})] = -1.0
            if eq not in plan.equations:
                plan.equations.append(eq)


def _paired(plan: PublicationPlan, facts: Mapping, year: int) -> None:
    """ "n members in both A and B returned a survey": the first row of the members-compared table."""
    for i, p in enumerate(facts.get("paired") or []):
        if p.get("n_paired") is None:
            continue
        comparison = f"{p['from_year']} and {p['to_year']}"
        key = cell_key(
            f"members compared year on year, {year}",
            {"comparison": comparison, "who": "Returned a survey in both years"},
        )
        plan.add(key, p["n_paired"], place_of(year, "outcomes", ("paired", i, "n_paired")))


def add_fact_relations(plan: PublicationPlan, outcomes: Mapping) -> None:
    """The links a reader sees between sentence facts and table cells (only between keys the plan holds)."""
    cells = plan.cells
    left_out = [k for k in cells if k[0] == CHECKS and dict(k[1]).get("check", "").startswith("Left out")]
    if cell_key(LOTTERY) in cells and cell_key(UK) in cells and left_out:
        plan.add_sum(cell_key(LOTTERY), [cell_key(UK), *left_out])  # applied = analysed + left out
    bands = [cell_key(UK, {"ambition band": b}) for b in ("High", "Medium")]
    if cell_key(UK, MOVING_UP) in cells:
        plan.add_sum(cell_key(UK, MOVING_UP), bands)
    years = sorted({dict(k[1]).get("year") for k in cells if k[0] in (RETURNS, SURVEY, EACH_YEAR)} - {None})
    for y in years:
        _year_relations(plan, y, years)


def _year_relations(plan: PublicationPlan, y: str, years: list[str]) -> None:
    def ret(row: str, year: str = y) -> tuple:
        return cell_key(RETURNS, {"measure": row, "year": year})

    def each(row: str) -> tuple:
        return cell_key(EACH_YEAR, {"measure": row, "year": y})

    cells = plan.cells
    if ret("Members active") in cells:
        returned = each("Returned a survey")  # returns from active members (an unknown where not charted)
        plan.add_sum(ret("Members active"), [returned, ret("Missing returns (not filled in)")])
        plan.add_sum(ret("Returns received"), [returned, ret("Returns from non-members")])
        previous = [p for p in years if p < y]
        if previous and ret("Members active", previous[-1]) in cells:
            eq = {ret("Members active"): -1.0, ret("Members active", previous[-1]): 1.0}
            eq.update({ret("Members joined"): 1.0, ret("Members left"): -1.0})
            if eq not in plan.equations:
                plan.equations.append(eq)
    if each("Members") in cells:
        for mine, theirs in (
            ("Members", "Members active"),
            ("Did not return a survey", "Missing returns (not filled in)"),
            ("Joined", "Members joined"),
            ("Left", "Members left"),
        ):
            plan.add_sum(each(mine), [ret(theirs)])
    actions = cell_key(SURVEY, {"measure": MESSAGE_TOTALS["advocacy_actions"], "year": y})
    if actions in cells:
        plan.add_sum(
            actions, [cell_key(SURVEY, {"measure": MESSAGE_TOTALS[p], "year": y}) for p in _ADVOCACY]
        )
