"""Numbers in sentences and published statistics, in the year's publication plan.

The key messages, brief text and method notes format their counts from each area's saved
`Findings.facts`. `FACTS` says once which count facts the documents print, under the same plan
key as the table cell that counts the same organisations (the 146 of "the 146 UK-based
organisations that agreed to research use" is appendix 1's UK total), so a sentence that prints
a count a table hides, or prints it with another value, stops the run. `add_fact_relations`
adds the links a reader sees between sentence facts and table cells: the applied are the
analysed plus the left-out rows of the location checks, members each year = returns + missing,
members this year = last year's + joined − left, advocacy actions = their three kinds, the
applicants aiming to move up = the high and medium ambition bands.

Statistics (means, intervals, rates, shares, tests, changes, average chances) are registered
with their n and the counts they stand on (`disclosure.statistics`): from the facts, and from
the tables that print them (`STAT_TABLES`). A printed share of a printed base also bounds its
count in the plan's LP.

The brief's intake paragraph ("The callout export held 160 responses…") is formatted from the
quality log, not from findings: `add_intake` registers it from the same log (received =
superseded + unusable + applied, the applied being appendix 3's applicants).

Not in the plan yet: the asks' evidence sentences (computed by `asks` when the brief is built), the aims sentence,
like-for-like changes, and the workshop satisfaction mean (its n is not a plan count).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.disclosure.cells import HIDDEN_STATUSES
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
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
WHOLE_PERCENT = 0.005  # the rounding of a share printed as a whole percentage

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
_MESSAGE_TOTALS = {
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
_ADVOCACY = ("advocacy_submissions", "advocacy_meetings", "advocacy_talks")

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


@dataclass(frozen=True)
class StatTable:
    """A table printing statistics: which columns are statistics and the plan key each stands on.

    The base of a row is `population` with `{row_dim: row}` (a total row: no row dimension) and
    the column's own dimensions (`columns`; None: every column, with `base_dims`). `share_of_total`
    names columns that are a row's share of the total row (their count is the row's base).
    """

    population: str
    row_dim: str
    columns: Mapping[str, Mapping[str, str]] | None = None
    base_dims: Mapping[str, str] = field(default_factory=dict)
    share_of_total: tuple[str, ...] = ()


_RATES = ("per_million", "representation_index", "applicant_share")
_RATE_CHART = {
    c: {}
    for c in (
        "Applicants per million people",
        "95% interval: lower",
        "95% interval: upper",
        "Against the UK rate",
    )
}
_WITH_LA = UK + " with a local authority"
_NOT_DRAWN = {
    f"{who}: {what}": {"group": group}
    for who, group in (("Members", "members"), ("Not drawn", "not drawn"))
    for what in ("%", "95% interval")
}

STAT_TABLES: dict[tuple[str, str], StatTable] = {
    ("geography", "by_region"): StatTable(
        UK, "area", {c: {} for c in _RATES}, share_of_total=("applicant_share",)
    ),
    ("geography", "by_nation"): StatTable(
        UK, "area", {c: {} for c in _RATES}, share_of_total=("applicant_share",)
    ),
    ("geography", "by_deprivation"): StatTable(
        _WITH_LA, "deprivation quintile", {"applicant_share": {}}, share_of_total=("applicant_share",)
    ),
    ("geography", "by_rural_urban"): StatTable(
        _WITH_LA, "urban/rural type", {"applicant_share": {}}, share_of_total=("applicant_share",)
    ),
    ("geography", "chart-applicants_per_million_map"): StatTable(UK, "area", _RATE_CHART),
    ("geography", "chart-applicants_per_million_intervals"): StatTable(UK, "area", _RATE_CHART),
    ("readiness", "profile_means_nation"): StatTable(UK, "area"),
    ("readiness", "profile_means_org_type"): StatTable(UK, "organisation type"),
    ("readiness", "profile_means_staff_band"): StatTable(UK, "staff"),
    ("selection", "chance_by_nation"): StatTable(LOTTERY, "area", base_dims=ELIGIBLE),
    ("outcomes", "benefit_means"): StatTable("members by how much the network helped, {year}", "benefit"),
    ("outcomes", "chart-outcomes-trajectory"): StatTable(
        "members who answered",
        "year",
        {
            "Ventures started per member": {"measure": "ventures"},
            "Funding secured per member": {"measure": "funding"},
            "Advocacy actions per member": {"measure": "advocacy"},
        },
    ),
    ("outcomes", "not_drawn"): StatTable("members and applicants not drawn, 2026", "measure", _NOT_DRAWN),
}
_TOTAL_ROWS = {"Total", "All eligible applicants", "All", "United Kingdom", "UK"}


def _get(facts: Mapping, path: tuple[str, ...]):
    """The value at `path`, or KeyError when the facts do not hold it (the sentence is not written)."""
    value = facts
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(part)
        value = value[part]
    return value


def _place(year: int, area: str, path) -> str:
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
    """Every count fact the year's sentences print, and every statistic, into `plan` (after the tables)."""
    by_area = {f.area: f for f in findings}
    for fact in FACTS:
        f = by_area.get(fact.area)
        try:
            value = _get(f.facts, fact.path) if f else None
        except KeyError:
            continue
        key = cell_key(fact.population, fact.dims)
        _register(plan, key, value, fact.shown, _place(year, fact.area, fact.path), rules)
    outcomes = by_area["outcomes"].facts if "outcomes" in by_area else {}
    _returns(plan, outcomes, year, rules)
    _totals(plan, outcomes, year)
    _paired(plan, outcomes, year)
    add_fact_relations(plan, outcomes)
    _fact_statistics(plan, by_area, year)
    for f in findings:
        _table_statistics(plan, f, year)


def add_intake(plan: PublicationPlan, quality: Mapping | None, year: int, rules) -> None:
    """The brief's intake paragraph (`brief.method_summary`), from the quality log it is written from:
    responses received, superseded and unusable (each printed only when both are safe, else their
    sum), the organisations left (appendix 3's applicants); postcodes not matched, organisations
    outside the UK and declining research use ([c] when small), counted over every applicant."""
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
    unusable = sum(c.get(k, 0) for k in ("postcode_invalid", "postcode_not_found", "postcode_missing"))
    for what, n in (
        ("postcode not matched: region from the form", unusable),
        ("outside the UK", c.get("outside_uk", 0)),
        ("did not agree to research use", c.get("no_research_consent", 0)),
    ):
        key = cell_key("callout applicants, as the brief counts them", {"group": what})
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
                _register(plan, key, r[name], shown, _place(year, "outcomes", ("returns", y, name)), rules)


def _totals(plan: PublicationPlan, facts: Mapping, year: int) -> None:
    """The year's activity and money totals in the key messages (withheld ones as hidden), and the
    changes printed with both their totals ("up 3 since 2024, from 11 to 14")."""
    totals = facts.get("totals") or {}
    for name, row in _MESSAGE_TOTALS.items():
        by_year = totals.get(name) or {}
        if str(year) in by_year:
            value = by_year[str(year)]
            key = cell_key(SURVEY, {"measure": row, "year": str(year)})
            plan.add(key, value, _place(year, "outcomes", ("totals", name, year)))
    for which in ("change_since_baseline", "change_since_previous"):
        for name, c in (facts.get(which) or {}).items():
            row = _MESSAGE_TOTALS.get(name)
            if row is None or c.get("basis") == "like_for_like" or c.get("change") is None:
                continue
            a, b = str(c["from_year"]), str(c["to_year"])
            key = cell_key(SURVEY, {"measure": row, "change from": a, "to": b})
            plan.add(key, c["change"], _place(year, "outcomes", (which, name)))
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
        plan.add(key, p["n_paired"], _place(year, "outcomes", ("paired", i, "n_paired")))


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
    actions = cell_key(SURVEY, {"measure": _MESSAGE_TOTALS["advocacy_actions"], "year": y})
    if actions in cells:
        plan.add_sum(
            actions, [cell_key(SURVEY, {"measure": _MESSAGE_TOTALS[p], "year": y}) for p in _ADVOCACY]
        )


def _share(plan: PublicationPlan, name: str, place: str, count: tuple, base: tuple) -> None:
    """A share printed as a whole percentage of a printed count and base ("128 of the 146 (88%)")."""
    c, b = _printed(plan, count), _printed(plan, base)
    if c is None or not b:
        return
    plan.add_statistic(
        Statistic(name, place, int(b), base=base, count=count, share=round(c / b, 2), rounding=WHOLE_PERCENT)
    )


def _printed(plan: PublicationPlan, key: tuple) -> float | None:
    cell = plan.cells.get(key)
    return next(iter(cell.printed.values()), None) if cell and cell.printed else None


def _fact_statistics(plan: PublicationPlan, by_area: Mapping[str, Findings], year: int) -> None:
    readiness = by_area["readiness"].facts if "readiness" in by_area else {}
    outcomes = by_area["outcomes"].facts if "outcomes" in by_area else {}
    alpha = readiness.get("alpha") or {}
    if "alpha" in alpha:
        place = _place(year, "readiness", ("alpha",))
        plan.add_statistic(
            Statistic("Cronbach's alpha of the readiness statements", place, alpha.get("n_used"))
        )
    if readiness.get("readiness_index_mean") is not None:
        place = _place(year, "readiness", ("readiness_index_mean",))
        plan.add_statistic(Statistic("average readiness index", place, alpha.get("n_used")))
    for name, count in (("applicants_moving_up", MOVING_UP), ("band_counts", {"ambition band": "High"})):
        if name in readiness:
            _share(
                plan,
                f"share of {name.replace('_', ' ')}",
                _place(year, "readiness", (name,)),
                cell_key(UK, count),
                cell_key(UK),
            )
    for col, c in (readiness.get("change") or {}).items():
        if c.get("mean_change") is None:
            continue
        n = ((outcomes.get("level_change") or {}).get(col) or {}).get("n_paired")
        what = "participation spectrum" if col == "level_now" else "readiness index"
        population = f"members' change on the {what}, {c['baseline_year']} to {c['year']}"
        parts = tuple(
            cell_key(population, {"change": m, "count": "Members"})
            for m in ("Moved up", "Stayed the same", "Moved down")
        )
        place = _place(year, "readiness", ("change", col))
        plan.add_statistic(Statistic(f"mean change and its interval on the {what}", place, n, parts=parts))
    for which in ("change_since_baseline", "change_since_previous"):
        returns = outcomes.get("returns") or {}
        for name, c in (outcomes.get(which) or {}).items():
            if c.get("pct_change") is None or name not in _MESSAGE_TOTALS:
                continue
            years = (str(c["from_year"]), str(c["to_year"]))
            ns = [(returns.get(y) or {}).get("returns_received") for y in years]
            n = c.get("n_like_for_like") or (min(ns) if None not in ns else None)
            base = cell_key(SURVEY, {"measure": _MESSAGE_TOTALS[name], "year": years[0]})
            place = _place(year, "outcomes", (which, name))
            plan.add_statistic(
                Statistic(f"percentage change in {name.replace('_', ' ')}", place, n, base=base)
            )
    not_drawn = outcomes.get("not_drawn") or {}
    if not_drawn.get("answered") is not None and not_drawn.get("pool"):
        place = _place(year, "outcomes", ("not_drawn", "answered"))
        answered, pool = (
            cell_key(FOLLOW_UP, {"who": w, "count": "Organisations"})
            for w in ("Answered", "Not drawn (eligible)")
        )
        _share(plan, "share of the applicants not drawn who answered the follow-up", place, answered, pool)


def _table_statistics(plan: PublicationPlan, f: Findings, year: int) -> None:
    """Each printed statistic of a `STAT_TABLES` table, standing on its row's count."""
    tables = dict(f.tables)
    for fig in f.figures:
        tables.setdefault(f"chart-{fig.key}", fig.table)
    for name, table in tables.items():
        spec = STAT_TABLES.get((f.area, name))
        if spec is None:
            continue
        population = spec.population.format(year=year)
        labels = {_label(c): c for c in table.values.columns}
        columns = spec.columns if spec.columns is not None else {c: {} for c in labels}
        total = cell_key(population, spec.base_dims)
        for row in table.values.index:
            rlabel = _label(row)
            row_dims = {} if rlabel in _TOTAL_ROWS or rlabel == table.total_label else {spec.row_dim: rlabel}
            for col, col_dims in columns.items():
                if col not in labels:
                    continue
                status = table.status.loc[row, labels[col]]
                shown = str(table.display.loc[row, labels[col]])
                if status in HIDDEN_STATUSES or status in ("na", "z") or SUPPRESSED in shown:
                    continue
                base = cell_key(population, {**spec.base_dims, **row_dims, **col_dims})
                printed = _printed(plan, base)
                n = None if printed is None else int(printed)
                where = f"{year} {f.area} table '{table.caption}'"
                stat = f"{col} for {rlabel}"
                share, rounding = _percent(shown) if col in spec.share_of_total and row_dims else (None, 0.0)
                if share is not None:
                    plan.add_statistic(
                        Statistic(stat, where, n, base=total, count=base, share=share, rounding=rounding)
                    )
                plan.add_statistic(Statistic(stat, where, n, parts=(base,)))


def _label(label) -> str:
    return " / ".join(map(str, label)) if isinstance(label, tuple) else str(label)


def _percent(text: str) -> tuple[float | None, float]:
    """ "5%" -> (0.05, 0.005); "5.4%" -> (0.054, 0.0005); not a percentage -> (None, 0)."""
    text = text.strip().replace(",", "")
    if not text.endswith("%"):
        return None, 0.0
    number = text[:-1]
    try:
        value = float(number)
    except ValueError:
        return None, 0.0
    decimals = len(number.split(".")[1]) if "." in number else 0
    return value / 100, 0.5 * 10.0 ** (-decimals) / 100
