"""The readiness section assembled: `analyse(ctx)` → Findings, `results(ctx)` → the same plus frames.

Assemble layer: reads the run's processed tables through the context, computes (`measures`,
`counts`, `reliability`), protects (`tables`), words (`text`) and draws (`analysis.charts`), and
hands on a `Findings` for appendix 2 and the brief. Imports `analysis.charts`,
`analysis.disclosure` (the rules), `analysis.findings` and this area's modules.

`results(ctx)` is for researchers: the findings together with the raw, unprotected frames they
were built from, by name (`results.frames["applicants"]`), for a notebook, never a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import charts
from analysis.disclosure import ProtectedTable
from analysis.findings import Figure, Findings
from analysis.readiness import text
from analysis.readiness.aims import aims_counts, aims_message, aims_progress, protect_aims
from analysis.readiness.counts import raw_frames, research_sample
from analysis.readiness.measures import (
    READINESS_ITEMS,
    ChangeSummary,
    ambition_rubric,
    baseline_year,
    member_change_frame,
    member_changes,
    readiness_settings,
)
from analysis.readiness.reliability import AlphaResult, cronbach_alpha_detail
from analysis.readiness.tables import ReadinessTables, protect_change, protect_tables

AREA = "readiness"


@dataclass
class ReadinessResults:
    """One year's readiness results: the publishable findings and the frames behind them.

    `frames` are raw counts and per-organisation measures before disclosure control: for
    looking at in a notebook, never for a report or a slide. `tables` are the published ones.
    """

    year: int
    findings: Findings
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    alpha: AlphaResult | None = None
    changes: dict[str, ChangeSummary] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, ProtectedTable]:
        return self.findings.tables

    def __repr__(self) -> str:
        alpha = f"{self.alpha.alpha:.2f}" if self.alpha is not None else "n/a"
        return (
            f"<ReadinessResults {self.year}: frames: {', '.join(self.frames) or 'none'}; "
            f"tables: {', '.join(self.tables) or 'none'}; alpha {alpha}; "
            f"change measures: {', '.join(self.changes) or 'none (baseline year)'}>"
        )


def _figures(ctx, t: ReadinessTables) -> list[Figure]:
    src = text.source(ctx.config, ctx.synthetic)
    top_want = text.top_want(t)
    return [
        charts.diverging_bars(
            t.likert_shares,
            title=text.items_title(t),
            subtitle=(
                "Share of applicants who disagree (1-2), neither agree nor disagree (3) or agree (4-5) with "
                f"five statements, {text.callout_name(ctx.config)}"
            ),
            source=src,
        ).to_figure("readiness_items", in_brief=True),
        charts.dumbbell(
            t.levels,
            "Now",
            "Aim for 2026",
            title=text.levels_title(t.levels),
            subtitle="Number of applicants at each IAP2 level now and aimed for by the end of 2026",
            source=src,
        ).to_figure("readiness_levels", in_brief=True),
        charts.bars(
            t.wants,
            t.wants.values.columns[0],
            title=text.wants_title(t),
            subtitle="Number of applicants ticking each option (more than one allowed)",
            source=src,
            highlight=top_want,
            sort=True,  # most wanted first: the answers have no order of their own
        ).to_figure("readiness_wants"),
    ]


def results(ctx) -> ReadinessResults:
    """The readiness section of the brief and appendix 2, with the frames behind it, by name."""
    config = ctx.config
    rules = ctx.rules
    s = readiness_settings(config)
    df, n_excluded = research_sample(ctx.table("applicants"))
    alpha = cronbach_alpha_detail(
        df[list(READINESS_ITEMS)], ci_level=s["alpha_ci_level"], flag_below=s["alpha_flag_below"]
    )
    frames = raw_frames(df, config)
    t = protect_tables(frames, rules)
    heading, messages, facts = text.messages(t, alpha, len(df), config)
    facts["excluded_no_consent"] = n_excluded
    facts["rubric"] = ambition_rubric(config)
    frames["alpha_items"] = alpha.items_frame()

    paragraphs = [text.INTRO, " ".join(messages[:2]) if messages else "", text.alpha_sentence(alpha, rules)]
    tables = t.published()
    changes: dict[str, ChangeSummary] = {}
    if ctx.year > baseline_year(config):
        surveys, roster = ctx.table("member_surveys"), ctx.table("roster")
        changes = member_changes(surveys, roster, ctx.year, config)
        frames["member_change"] = member_change_frame(surveys, roster, ctx.year, config)
        frames["change_summary"] = pd.DataFrame({col: c.to_json() for col, c in changes.items()}).T
        change_tables = protect_change(changes, frames["member_change"], rules)
        for col, pair in change_tables.items():
            tables[f"change_counts_{col}"] = pair["counts"]
            tables[f"change_mean_{col}"] = pair["mean"]
        paragraph, facts["change"] = text.change_words(changes, change_tables, rules.min_count)
        paragraphs.append(paragraph)
        if facts["change"].get("level_now", {}).get("message"):
            messages.append(facts["change"]["level_now"]["message"])
        progress = aims_progress(ctx.table("applicants"), surveys, roster, ctx.year)
        tables["aims"] = protect_aims(progress, rules, ctx.year)
        aims = aims_message(tables["aims"], rules, ctx.year)
        if aims:
            messages.append(aims)
            paragraphs.append(aims)
            facts["aims_message"] = aims
            facts["aims_counts"] = aims_counts(tables["aims"])

    notes = text.merge_notes(df, config)
    findings = Findings(
        area=AREA,
        heading=heading,
        key_messages=messages,
        brief_text="\n\n".join(p for p in paragraphs if p),
        method_notes=text.method_notes(config, alpha, n_excluded)
        + ("\n\n" + " ".join(notes) if notes else ""),
        figures=_figures(ctx, t),
        tables=tables,
        facts=facts,
    )
    return ReadinessResults(year=ctx.year, findings=findings, frames=frames, alpha=alpha, changes=changes)


def analyse(ctx) -> Findings:
    """The readiness findings for the appendix and the brief (what the pipeline's notebook saves)."""
    return results(ctx).findings
