"""Per-member rates of the headline measures by year, and members' returns by year, as protected tables.

A network total says little when the network changes size: a rate per member who answered does,
with its n beside it. A rate is the published total divided by the members who answered, so it is
withheld wherever its total is (rate × n would give the total back) and wherever fewer than
`min_count` members answered (it would be close to one member's figure). The returns table counts
survey returns, shown in full like the returns accounting it comes from.

Layer: protect. Imports `analysis.disclosure`, `analysis.text` and the outcome cells.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.disclosure import HIDDEN_STATUSES, ProtectedTable
from analysis.disclosure.policy import IN_FULL_RULE
from analysis.outcomes.cells import in_full
from analysis.text import STATUS_SYMBOLS, format_value

# The headline measures a trajectory shows, with their column heading.
HEADLINE = {
    "ventures_started": "Ventures started per member",
    "funding_secured_gbp": "Funding secured per member",
    "advocacy_actions": "Advocacy actions per member",
}
ANSWERED = "Members who answered"
ACTIVE = "Members"
RETURNED = "Returned a survey"
NOT_RETURNED = "Did not return a survey"
MEMBER_COLUMNS = {
    "members_active": ACTIVE,
    "returns_from_active": RETURNED,
    "missing_returns": NOT_RETURNED,
    "members_joined": "Joined",
    "members_left": "Left",
}


def rate_cell(total: float | None, total_status: str, n: int, rules, kind: str) -> tuple[Any, str, str]:
    """(value, text, status) of one per-member rate, withheld with its total or over too few members."""
    if n == 0:
        status = "z"
    elif total_status in HIDDEN_STATUSES:
        status = total_status
    elif rules.is_unsafe_count(n):
        status = "primary"
    elif total is None:
        status = "na"
    else:
        value = float(total) / n
        return value, format_value(value, "money" if kind == "money" else "rate"), "safe"
    return None, STATUS_SYMBOLS[status], status


def per_member_table(measures: dict, years: list[int], rules) -> ProtectedTable:
    """Rows = years; for each headline measure its rate per member who answered, and that n."""
    cells: dict[str, dict[str, tuple]] = {}
    for y in years:
        row = {}
        for m, heading in HEADLINE.items():
            result = measures[m]
            cell, n = result.yearly.get(y), int(result.n_answered.get(y, 0))
            kind = "money" if m.endswith("_gbp") else "rate"
            row[heading] = rate_cell(
                cell.value if cell else None, cell.status if cell else "na", n, rules, kind
            )
            row[f"{ANSWERED} ({heading.split()[0].lower()})"] = in_full(n)
        cells[str(y)] = row
    return ProtectedTable.from_cells(
        cells,
        index_name="Year",
        caption=f"Headline measures per member who answered, {years[0]} to {years[-1]}",
        kind="rate",
        rule=(
            "A rate per member is the published network total divided by the members who answered; it "
            f"is withheld when that total is, or when fewer than {rules.min_count} members answered."
        ),
        notes=("Funding is in pounds per member; ventures and advocacy actions are counts per member.",),
    )


def returns_by_year(accounting: pd.DataFrame) -> ProtectedTable:
    """Rows = years: active members, whether they returned the survey, and who joined or left."""
    cells = {
        str(y): {heading: in_full(accounting.loc[y, col]) for col, heading in MEMBER_COLUMNS.items()}
        for y in accounting.index
    }
    return ProtectedTable.from_cells(
        cells,
        index_name="Year",
        caption="Members each year: returns, joiners and leavers",
        kind="count",
        rule=IN_FULL_RULE,
    )
