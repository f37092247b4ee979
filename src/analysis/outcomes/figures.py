"""The outcome charts: ventures and advocacy as small multiples by year, benefits as stacked bars,
and the yearly totals of money and citizens as bars, all drawn from protected tables.

Titles state the message from the published numbers, and claim no "largest" where a withheld
row could be it.

Layer: present. Imports the base layer, `analysis.charts`, the outcome tables and `messages`.
"""

from __future__ import annotations

from analysis import charts, text
from analysis.outcomes.cells import label
from analysis.outcomes.messages import total_text
from analysis.outcomes.tables import OutcomeResults, yearly_table
from analysis.outcomes.trajectory import (
    ACTIVE,
    HEADLINE,
    NOT_RETURNED,
    RETURNED,
    per_member_table,
    returns_by_year,
)
from analysis.text import SUPPRESSED

# Yearly-total charts: left out (not shown as tables) when they say nothing, because their numbers
# are already rows of the activity and money tables.
YEARLY_TOTAL_CHARTS = {
    "funding_secured_gbp": "outcomes-funding",
    "budget_devolved_gbp": "outcomes-budget",
    "citizens_involved": "outcomes-citizens",
}
NOT_CHARTED = (
    "Shown as a table, not a chart: with a single value, almost every figure withheld, or all "
    "zeros, a chart would say nothing."
)


def span(years: list[int]) -> str:
    """ "2024" or "2024 to 2026"."""
    return str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _top(table, column) -> tuple[str, float] | None:
    """The row with the largest value in `column` (totals left out), when every row is published
    and no other row ties with it (a title never names one of two equal rows as the most common)."""
    col = table.values[column].drop(index=[table.total_label or "Total"], errors="ignore")
    if col.isna().any():  # a withheld row could be the true largest: claim nothing
        return None
    if col.empty or not col.max() or (col == col.max()).sum() > 1:  # a tie has no single largest
        return None
    return str(col.idxmax()), float(col.max())


TRAJECTORY = "outcomes-trajectory"
MEMBER_CHANGE = "outcomes-member-change"


def trajectory(results: OutcomeResults, source: str):
    """The headline measures per member who answered, one panel each, a bar per year since the baseline."""
    table = per_member_table(results.measures, results.years, results.rules)
    years = span(results.years)
    first, last = str(results.years[0]), str(results.years[-1])
    col = HEADLINE["ventures_started"]
    a, b = table.display.loc[first, col], table.display.loc[last, col]
    known = table.status.loc[first, col] == "safe" and table.status.loc[last, col] == "safe"
    return charts.trajectories(
        table,
        list(HEADLINE.values()),
        title=(
            f"Members started {b} ventures each in {last}, against {a} in {first}"
            if known
            else f"Ventures, funding and advocacy per member, {years}"
        ),
        subtitle=f"Per member who answered, {years}; the table gives each year's n. "
        f"{SUPPRESSED} withheld to protect members",
        source=source,
    ).to_figure(TRAJECTORY)


def member_change(results: OutcomeResults, source: str):
    """Members each year (a small bar chart); its table adds returns, joiners and leavers."""
    table = returns_by_year(results.accounting)
    first, last = str(results.years[0]), str(results.years[-1])
    start, now = table.values.loc[first, ACTIVE], table.values.loc[last, ACTIVE]
    got, missing = table.values.loc[last, RETURNED], table.values.loc[last, NOT_RETURNED]
    returned = (
        f"all {text.count(got)} returned a survey" if not missing else f"{text.count(got)} returned a survey"
    )
    return charts.bars(
        table,
        ACTIVE,
        title=f"The network had {text.plural(start, 'member')} in {first} and {text.count(now)} in {last}; "
        f"{returned} in {last}",
        subtitle="Active members each year, counted in each year they were active",
        source=source,
    ).to_figure(MEMBER_CHANGE)


def figures(results: OutcomeResults, source: str) -> list:
    """Every outcome chart; `report` keeps only those that say something (`charts.says_something`)."""
    y = results.year
    years = span(results.years)
    out = [] if results.is_baseline else [trajectory(results, source), member_change(results, source)]
    last = results.ventures_by_type[y]
    top = _top(last, last.values.columns[0])
    out.append(
        charts.small_multiples(
            results.ventures_by_type,
            "Members",
            title=(
                f"{top[0]} was the kind of venture most members started in {y}"
                if top
                else f"Kinds of citizen-led venture members started, {years}"
            ),
            subtitle=f"Members starting at least one venture of each type, {years} "
            "(members can start several types)",
            source=source,
        ).to_figure("outcomes-ventures-by-type")
    )
    adv = results.advocacy_by_kind[y]
    top = _top(adv, adv.values.columns[0])
    out.append(
        charts.small_multiples(
            results.advocacy_by_kind,
            "actions",
            title=(
                f"{top[0]} were members' most common advocacy action in {y}"
                if top
                else f"Members' advocacy actions by kind, {years}"
            ),
            subtitle=f"Number of actions per year, {years}, from the members who answered all three questions",
            source=source,
        ).to_figure("outcomes-advocacy")
    )
    lot = [c for c in results.benefits.values.columns if str(c).lower().startswith("a lot")]
    top = _top(results.benefits, lot[0]) if lot else None
    out.append(
        charts.stacked_bars(
            results.benefits,
            title=(
                f"Members said the network helped most with {top[0].lower()}"
                if top
                else f"How much members say the network helped them, {y}"
            ),
            subtitle=f"Members by answer band, {y} survey (1 not at all to 5 a lot)",
            source=source,
        ).to_figure("outcomes-benefits")
    )
    for m, key in YEARLY_TOTAL_CHARTS.items():
        result = results.measures[m]
        name = label(result.label)
        out.append(
            charts.bars(
                yearly_table(result, results.years),
                name,
                title=f"{name}, {years}"
                + (f": {total_text(results, m)} in {y}" if result.total(y) is not None else ""),
                subtitle=f"Network total per year, from the members who answered; {SUPPRESSED} withheld to "
                "protect members",
                source=source,
                horizontal=False,
            ).to_figure(key)
        )
    return out


def chosen(results: OutcomeResults, source: str) -> tuple[list, dict]:
    """(charts drawn, tables shown instead): a chart that would say nothing is shown as its table.

    A yearly-total chart that says nothing is simply left out: its numbers are already rows of the
    activity and money tables, so repeating them as a table would add nothing.
    """
    keep = [
        f
        for f in figures(results, source)
        if f.key not in YEARLY_TOTAL_CHARTS.values() or charts.says_something(f.table)
    ]
    reason = NOT_CHARTED + (
        f" {results.year} is the baseline year, so there is one year of member data."
        if results.is_baseline
        else ""
    )
    drawn, as_tables = charts.split_informative(keep, reason=reason)
    for fig in drawn:
        fig.in_brief = True
    return drawn, as_tables
