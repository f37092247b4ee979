"""Published statistics in the year's publication plan, with their n and the counts they stand on.

From the facts (alpha and the mean readiness index over the applicants who answered all five
statements, the key messages' shares, the members' mean change on the participation spectrum
and its interval and test, percentage changes over the returns, the follow-up's response rate)
and from the tables that print them (`STAT_TABLES`: which columns are statistics and the plan
key each row's statistic stands on). `disclosure.statistics` holds the rule they are checked
against; a printed share of a printed base also bounds its count in the plan's LP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.statistics import Statistic
from analysis.findings import Findings
from analysis.publish.plan_facts import (
    ELIGIBLE,
    FOLLOW_UP,
    LOTTERY,
    MESSAGE_TOTALS,
    MOVING_UP,
    SENTENCE_CHANGES,
    SURVEY,
    UK,
    cell_shown,
    like_for_like,
    place_of,
)
from analysis.text import MIN_PERCENT_BASE

WHOLE_PERCENT = 0.005  # the rounding of a share printed as a whole percentage


def add_statistics(plan: PublicationPlan, findings: list[Findings], year: int) -> None:
    """Every statistic the year prints that the plan knows of (after the tables and facts)."""
    _fact_statistics(plan, {f.area: f for f in findings}, year)
    for f in findings:
        _table_statistics(plan, f, year)


@dataclass(frozen=True)
class StatTable:
    """A table printing statistics: which columns are statistics and the plan key each stands on.

    The base of a row is `population` with `{row_dim: row}` (a total row: no row dimension) and
    the column's own dimensions (`columns`; None: every column, with `base_dims`). `share_of_total`
    names columns that are a row's share of the total row (their count is the row's base);
    `share_of_row` makes every cell the share of its row's total held by the column's count.
    """

    population: str
    row_dim: str
    columns: Mapping[str, Mapping[str, str]] | None = None
    base_dims: Mapping[str, str] = field(default_factory=dict)
    share_of_total: tuple[str, ...] = ()
    share_of_row: str | None = None  # every cell is its row's share: the dimension its columns name


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
    ("readiness", "chart-readiness_items"): StatTable(
        "answers to the readiness statements", "statement", share_of_row="answer"
    ),
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


def add_share(plan: PublicationPlan, name: str, place: str, count: tuple, base: tuple) -> None:
    """A share printed as a whole percentage of a printed count and base ("128 of the 146 (88%)")."""
    c, b = printed_value(plan, count), printed_value(plan, base)
    if c is None or not b:
        return
    plan.add_statistic(
        Statistic(name, place, int(b), base=base, count=count, share=round(c / b, 2), rounding=WHOLE_PERCENT)
    )


def printed_value(plan: PublicationPlan, key: tuple) -> float | None:
    cell = plan.cells.get(key)
    return next(iter(cell.printed.values()), None) if cell and cell.printed else None


def _fact_statistics(plan: PublicationPlan, by_area: Mapping[str, Findings], year: int) -> None:
    readiness = by_area["readiness"].facts if "readiness" in by_area else {}
    outcomes = by_area["outcomes"].facts if "outcomes" in by_area else {}
    alpha = readiness.get("alpha") or {}
    if "alpha" in alpha:
        place = place_of(year, "readiness", ("alpha",))
        plan.add_statistic(
            Statistic("Cronbach's alpha of the readiness statements", place, alpha.get("n_used"))
        )
    if readiness.get("readiness_index_mean") is not None:
        place = place_of(year, "readiness", ("readiness_index_mean",))
        plan.add_statistic(Statistic("average readiness index", place, alpha.get("n_used")))
    for name, count in (("applicants_moving_up", MOVING_UP), ("band_counts", {"ambition band": "High"})):
        if name in readiness:
            add_share(
                plan,
                f"share of {name.replace('_', ' ')}",
                place_of(year, "readiness", (name,)),
                cell_key(UK, count),
                cell_key(UK),
            )
    for col, c in (readiness.get("change") or {}).items():
        _member_change(plan, c, col, (outcomes.get("level_change") or {}).get(col) or {}, year)
    returns = outcomes.get("returns") or {}
    for which, names in SENTENCE_CHANGES.items():  # a percentage only where the sentence prints it
        for name in names:
            c = (outcomes.get(which) or {}).get(name) or {}
            if (
                c.get("pct_change") is None
                or c.get("change") is None
                or (c.get("from_total") or 0) < MIN_PERCENT_BASE
            ):
                continue
            years = (str(c["from_year"]), str(c["to_year"]))
            ns = [(returns.get(y) or {}).get("returns_received") for y in years]
            n = c.get("n_like_for_like") or (min(ns) if None not in ns else None)
            both = c.get("basis") == "like_for_like"  # a † change: over the same members' totals
            population = like_for_like(SURVEY, *years) if both else SURVEY
            base = cell_key(population, {"measure": MESSAGE_TOTALS[name], "year": years[0]})
            place = place_of(year, "outcomes", (which, name))
            plan.add_statistic(
                Statistic(f"percentage change in {name.replace('_', ' ')}", place, n, base=base)
            )
    not_drawn = outcomes.get("not_drawn") or {}
    if not_drawn.get("answered") is not None and not_drawn.get("pool"):
        place = place_of(year, "outcomes", ("not_drawn", "answered"))
        answered, pool = (
            cell_key(FOLLOW_UP, {"who": w, "count": "Organisations"})
            for w in ("Answered", "Not drawn (eligible)")
        )
        add_share(plan, "share of the applicants not drawn who answered the follow-up", place, answered, pool)


def _member_change(plan: PublicationPlan, c: Mapping, col: str, level: Mapping, year: int) -> None:
    """The members' change on a scale since the baseline: "Of the N members who answered in both
    years, U moved up, S stayed the same and D moved down" and its sign test, written only when the
    three counts are printed (N is their sum); the mean change and its interval, over them."""
    what = "participation spectrum" if col == "level_now" else "readiness index"
    population = f"members' change on the {what}, {c['baseline_year']} to {c['year']}"
    parts = tuple(
        cell_key(population, {"change": m, "count": "Members"})
        for m in ("Moved up", "Stayed the same", "Moved down")
    )
    place = place_of(year, "readiness", ("change", col))
    counts = [printed_value(plan, k) for k in parts]
    if None not in counts:
        both = cell_key(population, {"change": "Answered in both years", "count": "Members"})
        plan.add(both, sum(counts), place)
        plan.add_sum(both, parts)
        plan.add_statistic(
            Statistic(f"sign test of the members' change on the {what}", place, int(sum(counts)), parts=parts)
        )
    if c.get("mean_change") is not None:
        n = level.get("n_paired")
        plan.add_statistic(Statistic(f"mean change and its interval on the {what}", place, n, parts=parts))


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
                if not cell_shown(table, row, labels[col]):
                    continue
                shown = str(table.display.loc[row, labels[col]])
                base = cell_key(population, {**spec.base_dims, **row_dims, **col_dims})
                printed = printed_value(plan, base)
                n = None if printed is None else int(printed)
                where = f"{year} {f.area} table '{table.caption}'"
                stat = f"{col} for {rlabel}"
                share, rounding = _percent(shown)
                if spec.share_of_row and share is not None:  # the share of its row held by this column
                    count = cell_key(population, {**spec.base_dims, **row_dims, spec.share_of_row: col})
                    plan.add_statistic(
                        Statistic(stat, where, n, base=base, count=count, share=share, rounding=rounding)
                    )
                    plan.add_statistic(Statistic(stat, where, n, parts=(count,)))
                elif col in spec.share_of_total and row_dims and share is not None:
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
