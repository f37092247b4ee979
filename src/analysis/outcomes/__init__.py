"""Member outcomes 2024–2026: what the network's members achieved, year on year (notebook 04).

- `measures`: returns, totals, ventures, benefits, workshops and comparison sets (pure pandas);
- `cells`, `comparisons`, `tables`: every published figure protected by `analysis.disclosure`;
- `messages`, `text`, `figures`: sentences, the brief section and charts from protected figures;
- `report`: `analyse(ctx)` → `Findings`; `results(ctx)` also keeps the named frames and tables.
"""

from analysis.outcomes.measures import (
    ADVOCACY_PARTS,
    COUNT_MEASURES,
    MONEY_MEASURES,
    OutcomeSettings,
    answered_rows,
    benefit_distribution,
    change,
    comparison_basis,
    like_for_like,
    member_sums,
    returns_accounting,
    ventures_by_type,
    workshop_summary,
    yearly_totals,
)
from analysis.outcomes.report import AREA, OutcomeReport, analyse, results
from analysis.outcomes.tables import OutcomeResults, compute_outcomes
from analysis.outcomes.text import withholding_note

__all__ = [
    "ADVOCACY_PARTS",
    "AREA",
    "COUNT_MEASURES",
    "MONEY_MEASURES",
    "OutcomeReport",
    "OutcomeResults",
    "OutcomeSettings",
    "analyse",
    "answered_rows",
    "benefit_distribution",
    "change",
    "comparison_basis",
    "compute_outcomes",
    "like_for_like",
    "member_sums",
    "results",
    "returns_accounting",
    "ventures_by_type",
    "withholding_note",
    "workshop_summary",
    "yearly_totals",
]
