"""Every table the outcomes section publishes, protected through `analysis.disclosure`.

Money and other magnitudes go through `protect_money` (minimum contributors, dominance);
organisation counts through `protect_counts`; means through `protect_means`. Counts of survey
returns and of workshops the network ran describe no member and are shown in full.
`compute_outcomes` builds them all for one run year as an `OutcomeResults`.

Layer: protect. Imports the base layer, `analysis.disclosure` and the outcome measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure import ProtectedTable, protect_counts, protect_means
from analysis.disclosure.policy import IN_FULL_RULE
from analysis.outcomes.cells import (
    Cell,
    in_full,
    label,
    measure_kind,
    protect_total,
    published_text,
)
from analysis.outcomes.comparisons import MeasureResult, measure_result, totals_table
from analysis.outcomes.measures import (
    ADVOCACY_PARTS,
    COUNT_MEASURES,
    MONEY_MEASURES,
    OutcomeSettings,
    all_measures,
    answered_rows,
    benefit_distribution,
    benefit_scores,
    returns_accounting,
    survey_years,
    ventures_by_type,
    with_advocacy_total,
    workshop_summary,
)

ACTIVITY_RULE = (
    " Activity totals (ventures, citizens, decisions, partnerships, advocacy) follow the same rule as money."
)


def protect_ventures_by_type(
    surveys: pd.DataFrame, years: list[int], rules, labels: dict[str, str]
) -> dict[int, Any]:
    """Per year, members starting a venture of each type (organisation counts, no total row:
    members can tick several types, so a total would double count)."""
    raw = ventures_by_type(surveys, years).rename(
        columns=lambda c: labels.get(c, c.replace("_", " ").capitalize())
    )
    out = {}
    for y in years:
        frame = pd.DataFrame(
            {"Members": raw.loc[y].to_numpy()}, index=pd.Index(list(raw.columns), name="Venture type")
        )
        out[y] = protect_counts(
            frame, rules, caption=f"Members starting at least one venture of each type, {y}", totals=False
        )
    return out


def protect_advocacy_by_kind(surveys: pd.DataFrame, years: list[int], rules) -> dict[int, Any]:
    """Per year, advocacy actions by kind with their total, in one protected table.

    One table per year (not separate totals) so the suppression pattern covers the parts and
    the total together: a withheld kind cannot be recovered as total minus the other two.
    """
    out = {}
    for y in years:
        parts = []
        for m in ADVOCACY_PARTS:
            f = answered_rows(surveys, m, [y]).rename(columns={m: "actions"})
            f["kind"] = label(COUNT_MEASURES[m])
            parts.append(f)
        out[y] = protect_total(
            pd.concat(parts, ignore_index=True),
            "advocacy_actions",
            rules,
            by="kind",
            value_col="actions",
            caption=f"Advocacy actions by kind, from the members who answered all three questions, {y}",
        )
    return out


def advocacy_cells(tables: dict[int, Any]) -> dict[str, dict[int, Cell]]:
    """The yearly cells of the advocacy measures inside the by-kind tables."""
    out: dict[str, dict[int, Cell]] = {m: {} for m in (*ADVOCACY_PARTS, "advocacy_actions")}
    for y, t in tables.items():
        for m in ADVOCACY_PARTS:
            out[m][y] = Cell(t, label(COUNT_MEASURES[m]), "actions")
        out["advocacy_actions"][y] = Cell(t, t.total_label or "Total", "actions")
    return out


def protect_benefits(surveys: pd.DataFrame, year: int, rules, settings: OutcomeSettings) -> tuple[Any, Any]:
    """Benefit items × response bands (organisation counts) and the mean score per item.

    A mean is shown only where at least `min_count` members answered the item and none of the
    item's band counts is hidden: a one-decimal mean of banded scores bounds those counts.
    """
    counts = protect_counts(
        benefit_distribution(surveys, year, settings.benefit_bands),
        rules,
        caption=f"Members by how much the network helped them, {year}",
        totals=True,
    )
    scores = benefit_scores(surveys, year)
    index = pd.Index(list(scores), name="Benefit")
    means = pd.DataFrame(
        {"Average score": [s.mean() if len(s) else np.nan for s in scores.values()]}, index=index
    )
    base = pd.DataFrame({"Average score": [float(len(s)) for s in scores.values()]}, index=index)
    means = protect_means(
        means,
        _mean_base(base, counts, rules),
        rules,
        caption=f"Average score for how much the network helped (1 not at all to 5 a lot), {year}",
        notes=("An average is not shown where the counts of answers behind it are hidden.",),
    )
    # No total row: summed over the benefits it would add unlike things (answers to different
    # questions, not members); each row's total column is the members who answered that item.
    total = counts.total_label or "Total"
    return counts.subset(rows=[r for r in counts.values.index if r != total]), means


def _mean_base(base: pd.DataFrame, counts: ProtectedTable, rules) -> ProtectedTable:
    """The number behind each mean, hidden where the item's band counts are (they would be bounded)."""
    bands = counts.suppressed.drop(index=["Total"], columns=["Total"], errors="ignore")
    hidden_rows = bands.any(axis=1).reindex(base.index, fill_value=False)
    status = pd.DataFrame(
        [
            ["secondary" if hidden_rows.iat[i] else ("primary" if rules.is_unsafe_count(n) else "safe")]
            for i, n in enumerate(base.iloc[:, 0])
        ],
        index=base.index,
        columns=base.columns,
        dtype=object,
    )
    return ProtectedTable.derive(base, status, caption="members answering", rule=counts.rule)


def protect_workshops(attendance: pd.DataFrame, years: list[int], rules) -> tuple[Any, Any, Any]:
    """Workshops by format, attendance, and mean satisfaction per year.

    Workshops held are the network's own activity, not counts of organisations or anything a
    member reported, so the organisation-count rule does not apply and they are published in
    full (like the returns accounting). Attendance by members and satisfaction are about members
    and stay protected: satisfaction is averaged over rated attendances and shown only where at
    least `min_count` members gave a rating.
    """
    w = workshop_summary(attendance, years)
    idx = pd.Index([str(y) for y in w.index], name="Year")
    attend = pd.DataFrame(
        {"Attendances": w["attendances"].to_numpy(), "Members attending": w["members_attending"].to_numpy()},
        index=idx,
    )
    attend = protect_counts(
        attend, rules, caption="Workshop attendances and members attending, per year", totals=False
    )
    means = pd.DataFrame({"Average satisfaction": w["satisfaction_mean"].to_numpy()}, index=idx)
    base = pd.DataFrame({"Average satisfaction": w["members_rating"].astype(float).to_numpy()}, index=idx)
    satisfaction = protect_means(
        means, base, rules, caption="Average workshop satisfaction (1 to 5), per year, from attendances rated"
    )
    return workshops_held_table(w), attend, satisfaction


def workshops_held_table(summary: pd.DataFrame):
    """Workshops the network ran, by format and year, in full (network activity, not members)."""
    cells = {}
    other = "workshops_other_format" in summary and bool(summary["workshops_other_format"].sum())
    for y in summary.index:
        row = {
            "In person": summary.loc[y, "workshops_in_person"],
            "Online": summary.loc[y, "workshops_online"],
        }
        if other:  # a hybrid workshop (or one of unknown format) is shown, not dropped from the total
            row["Hybrid or other"] = summary.loc[y, "workshops_other_format"]
        row["Total"] = sum(row.values())
        cells[str(y)] = {k: in_full(v) for k, v in row.items()}
    return ProtectedTable.from_cells(
        cells,
        caption="Workshops held by the network, by format, per year",
        kind="count",
        rule="Workshops held are the network's own activity, not a count of organisations, "
        "so they are shown in full; attendance and satisfaction follow the disclosure rule.",
        index_name="Year",
        total_label="Total",
    )


RETURNS_ROWS = {
    "members_active": "Members active",
    "returns_received": "Returns received",
    "missing_returns": "Missing returns (not filled in)",
    "returns_not_expected": "Returns from non-members",
    "members_joined": "Members joined",
    "members_left": "Members left",
}


def returns_table(accounting: pd.DataFrame):
    """The returns accounting as a table: shown in full because it counts survey returns, not
    any characteristic of a member, and the brief must state it (members know who is in the
    network; the table names nobody)."""
    cells = {
        name: {str(y): in_full(accounting.loc[y, col]) for y in accounting.index}
        for col, name in RETURNS_ROWS.items()
    }
    return ProtectedTable.from_cells(
        cells,
        index_name="Measure",
        caption="Survey returns per year",
        kind="count",
        rule=IN_FULL_RULE,
    )


def yearly_table(result: MeasureResult, years: list[int]):
    """One measure's yearly totals (rows = years) from the published cells, for its chart."""
    name = label(result.label)
    cells = {
        str(y): {
            name: (result.total(y), published_text(result.total(y), result.measure), result.yearly[y].status)
        }
        for y in years
    }
    return ProtectedTable.from_cells(
        cells,
        caption=f"{name} per year",
        kind=measure_kind(result.measure),
        rule=result.yearly[years[0]].table.rule,
        index_name="Year",
    )


def protect_level_changes(changes: pd.DataFrame, rules) -> dict[str, dict[str, Any]]:
    """Members' mean change in level and readiness, kept only where disclosure allows the mean.

    `changes` is `measures.level_changes`; a mean over fewer members than the small-number rule
    allows is withheld by `protect_means`, and then so is its number of members; so is a mean
    whose counts of members moving up, staying or moving down include a small one (readiness
    hides those counts, and the mean with its base would bound them).
    """
    table = protect_means(
        changes[["mean_change"]],
        changes[["n_paired"]].astype(float),
        rules,
        caption="Members' mean change since the baseline",
    )
    out = {}
    for col, row in changes.iterrows():
        mean = table.values.loc[col, "mean_change"]
        small = rules.is_unsafe_count(float(row.get("smallest_move_count", 0) or 0))
        ok = not pd.isna(mean) and not small
        out[col] = {
            "n_paired": int(row["n_paired"]) if ok else None,
            "mean_change": round(float(mean), 2) if ok else None,
            "baseline_year": int(row["baseline_year"]),
            "year": int(row["year"]),
        }
    return out


@dataclass
class OutcomeResults:
    """Everything the outcomes section publishes for one run year (all protected)."""

    year: int
    years: list[int]
    settings: OutcomeSettings
    rules: Any
    accounting: pd.DataFrame  # returns accounting (counts of returns)
    measures: dict[str, MeasureResult]
    ventures_by_type: dict[int, Any]
    advocacy_by_kind: dict[int, Any]
    benefits: Any
    benefit_means: Any
    workshop_formats: Any
    workshop_attendance: Any
    workshop_satisfaction: Any
    activity_table: Any
    money_table: Any
    returns: Any
    level_change: dict[str, Any] = field(default_factory=dict)

    @property
    def is_baseline(self) -> bool:
        return self.year <= self.settings.baseline_year

    @property
    def is_summary(self) -> bool:
        return self.year >= self.settings.summary_year


def compute_outcomes(
    surveys: pd.DataFrame,
    roster: pd.DataFrame,
    attendance: pd.DataFrame,
    year: int,
    rules,
    settings: OutcomeSettings | None = None,
    venture_type_labels: dict[str, str] | None = None,
) -> OutcomeResults:
    """All protected outcome tables for `year` (years from the baseline up to `year`)."""
    settings = settings or OutcomeSettings()
    surveys = with_advocacy_total(surveys[surveys["year"] <= year])
    years = [y for y in survey_years(surveys, roster, year) if y >= settings.baseline_year]
    advocacy = protect_advocacy_by_kind(surveys, years, rules)
    adv_cells = advocacy_cells(advocacy)
    measures = {
        m: measure_result(
            surveys, m, year, years, rules, settings, yearly=adv_cells.get(m), compare=m not in ADVOCACY_PARTS
        )
        for m in all_measures()
    }
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else str(years[0])
    totals = {"results": measures, "year": year, "years": years, "settings": settings}
    activity = totals_table(
        **totals,
        measures=COUNT_MEASURES,
        kind="count",
        rule=rules.sentence() + ACTIVITY_RULE,
        caption=f"Network activity totals, {span}, from the members who answered",
    )
    money = totals_table(
        **totals,
        measures=MONEY_MEASURES,
        kind="money",
        rule=rules.sentence(),
        caption=f"Budget devolved to citizens and funding secured, {span}, from the members who answered",
    )
    benefits, benefit_means = protect_benefits(surveys, year, rules, settings)
    formats, attend, satisfaction = protect_workshops(attendance[attendance["year"] <= year], years, rules)
    accounting = returns_accounting(surveys, roster, years)
    return OutcomeResults(
        year=year,
        years=years,
        settings=settings,
        rules=rules,
        accounting=accounting,
        measures=measures,
        ventures_by_type=protect_ventures_by_type(surveys, years, rules, venture_type_labels or {}),
        advocacy_by_kind=advocacy,
        benefits=benefits,
        benefit_means=benefit_means,
        workshop_formats=formats,
        workshop_attendance=attend,
        workshop_satisfaction=satisfaction,
        activity_table=activity,
        money_table=money,
        returns=returns_table(accounting),
    )
