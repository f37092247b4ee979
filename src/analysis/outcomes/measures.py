"""Member outcome measures: pure pandas over the processed tables, before any disclosure control.

Returns accounting, yearly totals, ventures by type, workshops, benefits, like-for-like
comparison sets, three-year sums per member, and members' change in participation level (from
readiness). Nothing here fills in a missing return or a missing answer: a total is always "from
the n members who answered", and that n travels with it. Nothing here is publishable as it
stands: `analysis.outcomes.tables` protects it.

Layer: compute. Imports the base layer and readiness's measures only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.readiness.measures import member_changes

# Activity counts reported by each member (magnitudes, summed across members).
COUNT_MEASURES: dict[str, str] = {
    "ventures_started": "new citizen-led ventures",
    "citizens_involved": "citizens taking part",
    "decisions_by_citizens": "decisions taken by citizens",
    "partnerships_new": "new partnerships",
    "joint_bids": "joint funding bids with other members",
    "advocacy_submissions": "policy submissions",
    "advocacy_meetings": "meetings with officials or politicians",
    "advocacy_talks": "public talks",
    "advocacy_actions": "advocacy actions (submissions, meetings and talks)",
}
MONEY_MEASURES: dict[str, str] = {
    "budget_devolved_gbp": "budget whose use citizens decided",
    "funding_secured_gbp": "funding secured for citizen-led work, including joint bids",
}
ADVOCACY_PARTS = ("advocacy_submissions", "advocacy_meetings", "advocacy_talks")
BENEFITS: dict[str, str] = {
    "benefit_peer_learning": "Peer learning",
    "benefit_professional_development": "Professional development",
    "benefit_wellbeing": "Staff wellbeing",
    "benefit_internal_advocacy": "Making the case inside the organisation",
    "benefit_convening_power": "Convening power",
    "benefit_profile": "National and international profile",
}
DEFAULT_BENEFIT_BANDS: dict[str, list[int]] = {
    "Little or none (1-2)": [1, 2],
    "Some (3)": [3],
    "A lot (4-5)": [4, 5],
}


def all_measures() -> dict[str, str]:
    """Every summed measure with its plain-English label (counts first, then money)."""
    return {**COUNT_MEASURES, **MONEY_MEASURES}


def is_money(measure: str) -> bool:
    """Whether a measure is in pounds (published as £, protected by the money rule)."""
    return measure in MONEY_MEASURES


# ---------------------------------------------------------------------------
# Settings
@dataclass(frozen=True)
class OutcomeSettings:
    """The `[outcomes]` section of the config, with defaults so tests need no config file."""

    baseline_year: int = 2024
    commitment_years: tuple[int, ...] = (2024, 2025, 2026)
    summary_year: int = 2026
    benefit_bands: dict[str, list[int]] = field(default_factory=lambda: dict(DEFAULT_BENEFIT_BANDS))

    @classmethod
    def from_config(cls, config) -> OutcomeSettings:
        d = config.section("outcomes") if hasattr(config, "section") else dict(config or {})
        kw: dict[str, Any] = {}
        for name in ("baseline_year", "summary_year"):
            if name in d:
                kw[name] = int(d[name])
        if "commitment_years" in d:
            kw["commitment_years"] = tuple(d["commitment_years"])
        if "benefit_bands" in d:
            kw["benefit_bands"] = {str(k): [int(x) for x in v] for k, v in d["benefit_bands"].items()}
        return cls(**kw)


def venture_labels(config) -> dict[str, str]:
    """Venture type code -> the form's wording, from `[options.venture_types]`.

    The first label of a code is its wording: answers a year's settings map onto an existing code
    (a typed "Other" answer, a reworded label) come later and must not replace it in a table.
    """
    opts = config.section("options").get("venture_types", {}) if hasattr(config, "section") else {}
    labels: dict[str, str] = {}
    for text, code in opts.items():
        labels.setdefault(code, text)
    return labels


# ---------------------------------------------------------------------------
# Returns
def with_advocacy_total(surveys: pd.DataFrame) -> pd.DataFrame:
    """Add `advocacy_actions` = submissions + meetings + talks per return.

    A member who left any of the three blank gets a blank total rather than a partial sum, so
    the network total never silently undercounts: it stays "from the members who answered".
    """
    out = surveys.copy()
    parts = out[list(ADVOCACY_PARTS)].astype("Float64")
    total = parts.sum(axis=1, skipna=True)
    out["advocacy_actions"] = total.where(parts.notna().all(axis=1)).astype("Float64")
    return out


def _with_total(surveys: pd.DataFrame) -> pd.DataFrame:
    return with_advocacy_total(surveys) if "advocacy_actions" not in surveys else surveys


def survey_years(
    surveys: pd.DataFrame, roster: pd.DataFrame | None = None, up_to: int | None = None
) -> list[int]:
    """The years present in the survey (and roster), up to the run year."""
    years = set(int(y) for y in surveys["year"].dropna().unique())
    if roster is not None and len(roster):
        years |= set(int(y) for y in roster["year"].dropna().unique())
    return sorted(y for y in years if up_to is None or y <= up_to)


def active_members(roster: pd.DataFrame, year: int) -> set[str]:
    """Members the roster lists as active in `year`: the ones expected to return a survey."""
    r = roster[(roster["year"] == year) & (roster["status"] == "active")]
    return set(r["org_id"])


def returned(surveys: pd.DataFrame, year: int) -> set[str]:
    """Members whose survey return for `year` was received."""
    return set(surveys.loc[surveys["year"] == year, "org_id"])


def returns_accounting(surveys: pd.DataFrame, roster: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Who was expected to return a survey each year, who did, and who joined or left.

    Missing returns are reported, never filled in. `members_joined` counts members active this
    year who were not active the year before (in the first year: every founding member);
    `members_left` counts members active the year before who are not active this year.
    `returns_not_expected` counts returns from organisations not active on the roster that year
    (kept in the totals, and stated, rather than dropped silently).
    """
    rows = []
    previous: set[str] | None = None
    for year in sorted(years):
        active = active_members(roster, year)
        got = returned(surveys, year)
        rows.append(
            {
                "year": year,
                "members_active": len(active),
                "returns_received": len(got),
                "returns_from_active": len(got & active),
                "missing_returns": len(active - got),
                "returns_not_expected": len(got - active),
                "members_joined": len(active) if previous is None else len(active - previous),
                "members_left": 0 if previous is None else len(previous - active),
            }
        )
        previous = active
    return pd.DataFrame(rows).set_index("year")


# ---------------------------------------------------------------------------
# Totals
def yearly_totals(
    surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """Network totals per year and measure, each with how many members answered.

    Long format: one row per (year, measure) with `total`, `n_answered`, `n_returns`. A total
    over nobody is NaN (not zero), so "nobody answered" is never confused with "none".
    """
    df = _with_total(surveys)
    measures = list(measures or all_measures())
    rows = []
    for year in sorted(years):
        sub = df[df["year"] == year]
        for m in measures:
            col = sub[m].astype("Float64")
            n = int(col.notna().sum())
            rows.append(
                {
                    "year": year,
                    "measure": m,
                    "total": float(col.sum()) if n else math.nan,
                    "n_answered": n,
                    "n_returns": len(sub),
                }
            )
    return pd.DataFrame(rows)


def answered_mask(surveys: pd.DataFrame, measure: str) -> pd.Series:
    """Rows that count towards a published total of `measure`.

    For the three advocacy kinds this is "answered all three", the same members as the
    advocacy total, so the published parts add up to the published total and the difference
    cannot reveal the member who left one of them blank.
    """
    if measure in ADVOCACY_PARTS or measure == "advocacy_actions":
        return surveys[list(ADVOCACY_PARTS)].notna().all(axis=1)
    return surveys[measure].notna()


def answered_rows(
    surveys: pd.DataFrame, measure: str, years: Iterable[int] | None = None, members: set[str] | None = None
) -> pd.DataFrame:
    """The rows (org_id, year, value) behind a total: members who answered, nothing filled in."""
    df = _with_total(surveys)
    sub = df[answered_mask(df, measure)]
    if years is not None:
        sub = sub[sub["year"].isin(list(years))]
    if members is not None:
        sub = sub[sub["org_id"].isin(members)]
    out = sub[["org_id", "year", measure]].copy()
    out[measure] = out[measure].astype(float)
    return out.reset_index(drop=True)


def member_sums(
    surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per member: each measure summed over the returns they made in `years`.

    Missing returns add nothing (they are not imputed), so three-year totals are floors and the
    text says so. A member who never answered a measure gets NaN, not 0.
    """
    df = _with_total(surveys)
    measures = list(measures or all_measures())
    sub = df[df["year"].isin(list(years))]
    out = sub.groupby("org_id")[measures].sum(min_count=1).astype("Float64")
    out["returns"] = sub.groupby("org_id").size()
    return out.reset_index()


# ---------------------------------------------------------------------------
# Comparisons between years
def _answered_members(surveys: pd.DataFrame, measure: str, year: int) -> set[str]:
    answered = surveys[answered_mask(surveys, measure)]
    return set(answered.loc[answered["year"] == year, "org_id"])


def like_for_like(surveys: pd.DataFrame, measure: str, year_a: int, year_b: int) -> set[str]:
    """Members who answered `measure` in both years: the set a fair comparison uses."""
    return _answered_members(surveys, measure, year_a) & _answered_members(surveys, measure, year_b)


def comparison_basis(
    surveys: pd.DataFrame, measure: str, year_a: int, year_b: int, min_group: int
) -> tuple[str, set[str] | None]:
    """Choose how to compare a measure between two years, and say why.

    - ``"same"``: the same members answered both years, so the totals compare directly;
    - ``"like_for_like"``: compare only members who answered both years. Used when the members
      left out in each year are either none or at least `min_group`, so the like-for-like total
      cannot be subtracted from the published all-returns total to reveal one member's figure;
    - ``"all_returns"``: otherwise compare the published all-returns totals (no new disclosure)
      and say in words that the members differ between the years.
    """
    a = _answered_members(surveys, measure, year_a)
    b = _answered_members(surveys, measure, year_b)
    both = a & b
    if a == b:
        return "same", both
    left_out = (len(a - both), len(b - both))
    if all(n == 0 or n >= min_group for n in left_out) and both:
        return "like_for_like", both
    return "all_returns", None


def change(a: float, b: float) -> tuple[float, float]:
    """Absolute and percentage change from a to b (percentage NaN when a is 0 or unknown)."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return math.nan, math.nan
    diff = float(b) - float(a)
    pct = diff / float(a) * 100.0 if float(a) != 0 else math.nan
    return diff, pct


# ---------------------------------------------------------------------------
# Ventures, benefits, workshops
def ventures_by_type(surveys: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Members starting at least one venture of each type, per year (years × types).

    The survey records which types each member started, not how many of each, so the cells are
    counts of organisations (and members can tick several types).
    """
    types = [c for c in surveys.columns if c.startswith("venture_")]
    rows = {}
    for year in sorted(years):
        sub = surveys[surveys["year"] == year]
        rows[year] = {c.removeprefix("venture_"): int(sub[c].fillna(False).astype(bool).sum()) for c in types}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[c.removeprefix("venture_") for c in types])
    out.index.name = "year"
    return out


def benefit_distribution(
    surveys: pd.DataFrame, year: int, bands: dict[str, list[int]] | None = None
) -> pd.DataFrame:
    """Members per benefit item and response band in `year` (items × bands, answered only).

    Bands merge the five Likert points into three, the table redesign DISCLOSURE.md prefers to
    suppressing most cells of a five-column table for ten members.
    """
    bands = bands or DEFAULT_BENEFIT_BANDS
    sub = surveys[surveys["year"] == year]
    table = {}
    for col, label in BENEFITS.items():
        vals = sub[col].dropna().astype(int) if col in sub else pd.Series(dtype=int)
        table[label] = {b: int(vals.isin(points).sum()) for b, points in bands.items()}
    out = pd.DataFrame.from_dict(table, orient="index", columns=list(bands))
    out.index.name = "benefit"
    return out


def benefit_scores(surveys: pd.DataFrame, year: int) -> dict[str, pd.Series]:
    """Each benefit item's answered scores in `year` (label -> scores), for its mean and base."""
    sub = surveys[surveys["year"] == year]
    return {
        label: pd.to_numeric(sub[col], errors="coerce").dropna()
        for col, label in BENEFITS.items()
        if col in sub
    }


def workshop_summary(attendance: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Workshops held, attendances, members attending and rating, formats and satisfaction per year."""
    rows = []
    for year in sorted(years):
        sub = attendance[attendance["year"] == year]
        held = sub.drop_duplicates("workshop_id")
        sat = sub["satisfaction"].dropna().astype(float)
        rows.append(
            {
                "year": year,
                "workshops_held": int(held["workshop_id"].nunique()),
                "workshops_in_person": int((held["format"] == "in_person").sum()),
                "workshops_online": int((held["format"] == "online").sum()),
                # hybrid and any other configured format, or none given: counted, never dropped
                "workshops_other_format": int((~held["format"].isin(["in_person", "online"])).sum()),
                "attendances": len(sub),
                "members_attending": int(sub["org_id"].nunique()),
                "members_rating": int(sub.loc[sub["satisfaction"].notna(), "org_id"].nunique()),
                "satisfaction_mean": float(sat.mean()) if len(sat) else math.nan,
                "satisfaction_n": len(sat),
            }
        )
    return pd.DataFrame(rows).set_index("year")


# ---------------------------------------------------------------------------
# Participation level and readiness (readiness's measures, reused)
def level_changes(surveys: pd.DataFrame, roster: pd.DataFrame, year: int, config) -> pd.DataFrame:
    """Members' change in participation level and readiness since the baseline (raw, one row each).

    Readiness's own change measure, over the members active in `year`; the readiness section
    publishes the detail, outcomes quotes the mean change once `analysis.outcomes.tables`
    has protected it.
    """
    rows = {
        col: {
            "baseline_year": c.baseline_year,
            "year": c.year,
            "n_paired": c.n_paired,
            "mean_change": c.mean_change,
            "smallest_move_count": min([n for n in (c.n_up, c.n_same, c.n_down) if n] or [0]),
        }
        for col, c in member_changes(surveys, roster, year, config).items()
    }
    out = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=["baseline_year", "year", "n_paired", "mean_change", "smallest_move_count"],
    )
    out.index.name = "measure"
    return out
