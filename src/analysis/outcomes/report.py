"""The member outcomes section for one run year: `analyse(ctx)` for the pipeline, `results(ctx)` to explore.

`results` computes once and keeps what a researcher wants to poke at: the named intermediate
frames (before disclosure control: internal only, never published), the named protected tables
and the `Findings` the appendix and the brief are built from. `analyse` returns just the findings.

Layer: assemble. Imports the outcome modules below it, `analysis.disclosure` (the rules),
`analysis.findings` and the base layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.findings import Findings
from analysis.outcomes.figures import chosen
from analysis.outcomes.measures import (
    OutcomeSettings,
    benefit_distribution,
    level_changes,
    member_sums,
    venture_labels,
    ventures_by_type,
    workshop_summary,
    yearly_totals,
)
from analysis.outcomes.messages import key_messages
from analysis.outcomes.not_drawn import MEMBERS, compare_not_drawn
from analysis.outcomes.not_drawn_text import comparison_message, comparison_note
from analysis.outcomes.paired import BOTH, compare_pairs
from analysis.outcomes.paired_text import paired_sentence
from analysis.outcomes.tables import OutcomeResults, compute_outcomes, protect_level_changes
from analysis.outcomes.text import brief_text, headline, method_notes, policy_asks, source_note

AREA = "outcomes"


@dataclass
class OutcomeReport:
    """One year's outcomes: named frames (raw, internal), named protected tables, and the findings."""

    year: int
    frames: dict[str, pd.DataFrame]
    results: OutcomeResults
    findings: Findings
    tables: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"<OutcomeReport {self.year}: frames: {', '.join(self.frames)}; "
            f"tables: {', '.join(self.tables)}; {len(self.findings.key_messages)} key messages>"
        )


def facts(results: OutcomeResults) -> dict[str, Any]:
    """JSON-safe published numbers for the brief notebook (None where withheld)."""
    out: dict[str, Any] = {
        "year": results.year,
        "baseline_year": results.settings.baseline_year,
        "is_baseline_year": results.is_baseline,
        "years": results.years,
        "returns": {str(y): {k: int(v) for k, v in results.accounting.loc[y].items()} for y in results.years},
        "totals": {m: {str(y): r.total(y) for y in results.years} for m, r in results.measures.items()},
        "change_since_baseline": {
            m: r.comparisons["baseline"] for m, r in results.measures.items() if "baseline" in r.comparisons
        },
        "change_since_previous": {
            m: r.comparisons["previous"] for m, r in results.measures.items() if "previous" in r.comparisons
        },
    }
    if results.is_summary:
        out["three_year"] = {
            m: r.three_year_total for m, r in results.measures.items() if r.three_year is not None
        }
    out["level_change"] = results.level_change
    return out


def _workshop_facts(summary: pd.DataFrame) -> dict[str, dict[str, int]]:
    """The members who rated workshops each year: the n of the published average satisfaction
    (for the publication plan; never printed)."""
    return {str(y): {"members_rating": int(summary.loc[y, "members_rating"])} for y in summary.index}


def results(ctx) -> OutcomeReport:
    """Compute the outcomes of `ctx.year` once: frames, protected tables and findings."""
    settings = OutcomeSettings.from_config(ctx.config)
    rules = ctx.rules
    surveys, roster = ctx.table("member_surveys"), ctx.table("roster")
    attendance = ctx.table("workshop_attendance")
    protected = compute_outcomes(
        surveys, roster, attendance, ctx.year, rules, settings, venture_labels(ctx.config)
    )
    so_far = surveys[surveys["year"] <= ctx.year]
    years = protected.years
    frames = {
        "returns_accounting": protected.accounting,
        "yearly_totals": yearly_totals(so_far, years),
        "ventures_by_type": ventures_by_type(so_far, years),
        "benefits": benefit_distribution(so_far, ctx.year, settings.benefit_bands),
        "workshops": workshop_summary(attendance[attendance["year"] <= ctx.year], years),
        "member_sums": member_sums(so_far, years),
    }
    if not protected.is_baseline:
        changes = level_changes(so_far, roster, ctx.year, ctx.config)
        frames["level_changes"] = changes
        protected.level_change = protect_level_changes(changes, rules)
    paired, attrition = compare_pairs(so_far, roster, ctx.year, years, settings.baseline_year, rules)
    for c in paired:
        frames[f"paired_moves_{c.year_a}_{c.year_b}"] = c.moves
    if paired:
        frames["paired_attrition"] = pd.DataFrame({c.column: c.counts for c in paired})
    not_drawn = _not_drawn(ctx, surveys, roster, rules)
    org = ctx.config.section("brief").get("organisation", "Citizens In Power")
    drawn, as_tables = chosen(protected, source_note(ctx.synthetic, years, org))
    findings = Findings(
        area=AREA,
        heading=headline(protected),
        key_messages=_with_comparison(
            key_messages(protected), comparison_message(not_drawn, ctx.year), not_drawn
        ),
        brief_text="\n\n".join(t for t in (brief_text(protected), paired_sentence(paired, attrition)) if t),
        method_notes="\n\n".join(n for n in (method_notes(protected), comparison_note(not_drawn)) if n),
        figures=drawn,
        tables={
            "returns": protected.returns,
            **({"paired_members": attrition} if attrition is not None else {}),
            **{f"paired_{c.year_a}_{c.year_b}": c.table for c in paired if c.shown},
            "activity": protected.activity_table,
            "money": protected.money_table,
            **as_tables,
            "benefit_means": protected.benefit_means,
            "workshop_formats": protected.workshop_formats,
            "workshop_attendance": protected.workshop_attendance,
            "workshop_satisfaction": protected.workshop_satisfaction,
            **(
                {"not_drawn": not_drawn.table, "not_drawn_responses": not_drawn.responses}
                if not_drawn
                else {}
            ),
        },
        facts={
            **facts(protected),
            "workshops": _workshop_facts(frames["workshops"]),
            "not_drawn": _not_drawn_facts(not_drawn, ctx.year),
            "paired": [
                {
                    "from_year": c.year_a,
                    "to_year": c.year_b,
                    "n_paired": _published(attrition, BOTH, c.column),
                }
                for c in paired
            ],
        },
        policy_asks=policy_asks(protected),
    )
    tables = {**findings.tables, **{f.key: f.table for f in drawn}}
    return OutcomeReport(ctx.year, frames, protected, findings, tables)


def _not_drawn(ctx, surveys: pd.DataFrame, roster: pd.DataFrame, rules):
    """The members / not-drawn comparison, when the year has the follow-up (2026)."""
    if not (ctx.processed_dir / "comparison_survey.parquet").exists():
        return None
    followup = ctx.table("comparison_survey")
    applicants = ctx.table("applicants")
    return compare_not_drawn(followup, surveys, roster, applicants, ctx.year, rules, ctx.config)


def _published(table, row: str, column: str) -> int | None:
    """A published count as a JSON-safe number (None where it is hidden)."""
    value = table.values.at[row, column]
    return None if pd.isna(value) else int(value)


def _with_comparison(messages: list[str], comparison: str, c) -> list[str]:
    """The comparison with those not drawn follows the first message when the members' side is
    published; when it is withheld it comes last, after the messages that carry members' numbers.
    Still at most five."""
    if not comparison:
        return messages
    if not any(cells[MEMBERS] for cells in c.cells.values()):
        return [*messages[:4], comparison]
    return [*messages[:1], comparison, *messages[1:]][:5]


def _not_drawn_facts(c, year: int) -> dict[str, Any] | None:
    """Published (yes, n) per measure and group for the brief, None where withheld."""
    if c is None:
        return None
    return {"pool": c.pool, "answered": c.answered, "cells": c.cells, "message": comparison_message(c, year)}


def analyse(ctx) -> Findings:
    """The outcomes section and appendix for `ctx.year`: protected tables, charts and text."""
    return results(ctx).findings
