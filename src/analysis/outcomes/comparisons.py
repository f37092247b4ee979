"""One measure's protected yearly totals, its changes between years and its three-year total.

Linked figures are kept consistent so a withheld one cannot be recovered by subtraction: a change
is withheld with either of its totals, a three-year total with any of its years, and a
like-for-like comparison is used only where it cannot reveal one member's figure
(`measures.comparison_basis`).

Layer: protect. Imports the base layer, `analysis.disclosure` (through `cells`) and the outcome
measures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.disclosure import ProtectedTable
from analysis.disclosure.policy import LIKE_FOR_LIKE, symbol_line
from analysis.outcomes.cells import (
    Cell,
    change_text,
    label,
    protect_total,
    published_text,
)
from analysis.outcomes.measures import (
    OutcomeSettings,
    all_measures,
    answered_rows,
    change,
    comparison_basis,
    member_sums,
)


@dataclass
class MeasureResult:
    """One measure's published yearly totals, comparisons and three-year total."""

    measure: str
    label: str
    yearly: dict[int, Cell]
    n_answered: dict[int, int]
    comparisons: dict[str, dict[str, Any]] = field(default_factory=dict)
    three_year: Cell | None = None

    def total(self, year: int) -> float | None:
        cell = self.yearly.get(year)
        return None if cell is None else cell.value

    @property
    def three_year_total(self) -> float | None:
        return None if self.three_year is None else self.three_year.value


def single_total(
    surveys: pd.DataFrame,
    measure: str,
    years: list[int],
    rules,
    caption: str,
    members: set[str] | None = None,
) -> Cell:
    """The protected network total of `measure` over `years` (and `members`, when given)."""
    frame = answered_rows(surveys, measure, years, members)
    table = protect_total(frame, measure, rules, by=None, caption=caption)
    return Cell(table, table.values.index[0], measure)


def compare_years(
    surveys: pd.DataFrame, result: MeasureResult, year_a: int, year_b: int, rules
) -> dict[str, Any]:
    """Change in a measure's total from `year_a` to `year_b`, on a basis that cannot disclose.

    See `comparison_basis`. A like-for-like pair of totals goes through `protect_money` itself;
    otherwise the published yearly totals are compared. Either total withheld: change withheld.
    """
    m = result.measure
    basis, members = comparison_basis(surveys, m, year_a, year_b, rules.money_min_contributors)
    if basis == "like_for_like":
        cap = f"{result.label}: members who answered in both {year_a} and {year_b}"
        a = single_total(surveys, m, [year_a], rules, f"{cap}, {year_a}", members).value
        b = single_total(surveys, m, [year_b], rules, f"{cap}, {year_b}", members).value
        n = len(members)
    else:
        a, b, n = result.total(year_a), result.total(year_b), None
    diff, pct = change(a, b)
    return {
        "from_year": year_a,
        "to_year": year_b,
        "basis": basis,
        "n_like_for_like": n,
        "from_total": a,
        "to_total": b,
        "change": None if pd.isna(diff) else diff,
        "pct_change": None if pd.isna(pct) else pct,
    }


def three_year_total(
    surveys: pd.DataFrame, result: MeasureResult, commitment_years: Iterable[int], rules
) -> Cell:
    """The total over the commitment, protected on each member's three-year sum.

    The dominance rule is applied to members' sums (a member dominant over three years is
    protected). If any single year's total is withheld, the three-year total is withheld too,
    because it minus the published years would give the withheld one.
    """
    years = list(commitment_years)
    m = result.measure
    sums = member_sums(surveys, years, [m]).dropna(subset=[m])
    sums[m] = sums[m].astype(float)
    table = protect_total(
        sums[["org_id", m]],
        m,
        rules,
        by=None,
        caption=f"{label(result.label)}: total over {years[0]}–{years[-1]}, from the returns received",
    )
    if any(result.total(y) is None for y in years):
        table = table.withhold(
            "Withheld because a yearly total is withheld: it could be recovered by subtraction."
        )
    return Cell(table, table.values.index[0], m)


def measure_result(
    surveys: pd.DataFrame,
    measure: str,
    year: int,
    years: list[int],
    rules,
    settings: OutcomeSettings,
    yearly: dict[int, Cell] | None = None,
    compare: bool = True,
) -> MeasureResult:
    """Yearly totals, change since the baseline and the previous year, and the three-year total.

    `yearly` may be given when the totals already sit in a linked table (advocacy by kind), so
    the same protected numbers are used everywhere.
    """
    name = all_measures()[measure]
    if yearly is None:
        yearly = {
            y: single_total(
                surveys,
                measure,
                [y],
                rules,
                f"{label(name)}: network total, {y}, from the members who answered",
            )
            for y in years
        }
    n = {y: int(answered_rows(surveys, measure, [y]).shape[0]) for y in years}
    res = MeasureResult(measure, name, yearly, n)
    base = settings.baseline_year
    if compare and year > base and base in years:
        res.comparisons["baseline"] = compare_years(surveys, res, base, year, rules)
    if compare and year - 1 in years and year - 1 != base:
        res.comparisons["previous"] = compare_years(surveys, res, year - 1, year, rules)
    if compare and year >= settings.summary_year:
        res.three_year = three_year_total(surveys, res, settings.commitment_years, rules)
    return res


def totals_table(
    results: dict[str, MeasureResult],
    year: int,
    years: list[int],
    settings: OutcomeSettings,
    *,
    measures: Iterable[str],
    caption: str,
    kind: str,
    rule: str,
):
    """Measures × (years, three-year total, change since baseline and last year), as published."""
    cells: dict[str, dict[str, tuple]] = {}
    for m in measures:
        r = results[m]
        row: dict[str, tuple] = {}
        for y in years:
            v = r.total(y)
            row[str(y)] = (v, published_text(v, m), r.yearly[y].status)
        if r.three_year is not None:
            yrs = settings.commitment_years
            row[f"{yrs[0]}–{yrs[-1]}"] = (
                r.three_year_total,
                published_text(r.three_year_total, m),
                r.three_year.status,
            )
        for key, name in (
            ("baseline", f"Change since {settings.baseline_year}"),
            ("previous", f"Change since {year - 1}"),
        ):
            c = r.comparisons.get(key)
            if c is None:
                continue
            text = change_text(c["change"], c["from_total"], m)
            if c["basis"] == "like_for_like" and c["change"] is not None:
                text += " †"
            row[name] = (c["change"], text, "safe" if c["change"] is not None else "secondary")
        cells[label(r.label)] = row
    notes = []
    if any(c["basis"] == "like_for_like" for r in results.values() for c in r.comparisons.values()):
        notes.append(symbol_line(LIKE_FOR_LIKE))
    if any(c["basis"] == "all_returns" for r in results.values() for c in r.comparisons.values()):
        notes.append(
            "Changes without † compare network totals from different sets of members, because a "
            "like-for-like total would reveal individual members' figures by subtraction."
        )
    return ProtectedTable.from_cells(
        cells, caption=caption, rule=rule, kind=kind, index_name="Measure", notes=notes
    )
