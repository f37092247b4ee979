"""Member outcomes 2024–2026: what the network achieved, year on year (issue 8).

The module has three layers, so each can be tested alone:

1. **Indicators** (pure pandas, no disclosure): returns accounting, yearly totals, ventures by
   type, workshops, benefits, like-for-like comparison sets, three-year sums per member. These
   work on the processed tables (`member_surveys`, `roster`, `workshop_attendance`) and never
   fill in a missing return or a missing answer: a total is always "from the n members who
   answered", and that n travels with it.
2. **Protected tables**: every number that is published goes through `analysis.disclosure`
   (money and other magnitudes through `protect_money` with the minimum-contributors and
   dominance rules; organisation counts through `protect_counts`/`protect_frequencies`; means
   through `protect_means`). Linked tables (yearly totals, change, three-year sums) are kept
   consistent so a suppressed figure cannot be recovered by subtraction.
3. **`analyse(ctx)`**: the `Findings` for the brief section and the technical appendix, with
   text templated from the protected numbers only.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

AREA = "outcomes"

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
READINESS_ITEMS = (
    "readiness_leadership",
    "readiness_budget",
    "readiness_skills",
    "readiness_community",
    "readiness_governance",
)
DEFAULT_BENEFIT_BANDS: dict[str, list[int]] = {
    "Little or none (1-2)": [1, 2],
    "Some (3)": [3],
    "A lot (4-5)": [4, 5],
}


def all_measures() -> dict[str, str]:
    """Every summed measure with its plain-English label (counts first, then money)."""
    return {**COUNT_MEASURES, **MONEY_MEASURES}


# ---------------------------------------------------------------------------
# Settings
@dataclass(frozen=True)
class OutcomeSettings:
    """The `[outcomes]` section of the config, with defaults so tests need no config file."""

    baseline_year: int = 2024
    commitment_years: tuple[int, ...] = (2024, 2025, 2026)
    summary_year: int = 2026
    benefit_bands: dict[str, list[int]] = field(default_factory=lambda: dict(DEFAULT_BENEFIT_BANDS))
    ventures_bands: tuple[int, ...] = (0, 1, 2)  # 0, 1, 2 or more ventures per member
    headline_measures: tuple[str, ...] = (
        "ventures_started",
        "citizens_involved",
        "advocacy_actions",
    )

    @classmethod
    def from_config(cls, config) -> OutcomeSettings:
        d = config.section("outcomes") if hasattr(config, "section") else dict(config or {})
        kw: dict[str, Any] = {}
        for name in ("baseline_year", "summary_year"):
            if name in d:
                kw[name] = int(d[name])
        for name in ("commitment_years", "ventures_bands", "headline_measures"):
            if name in d:
                kw[name] = tuple(d[name])
        if "benefit_bands" in d:
            kw["benefit_bands"] = {str(k): [int(x) for x in v] for k, v in d["benefit_bands"].items()}
        return cls(**kw)


# ---------------------------------------------------------------------------
# Layer 1: indicators (pure, no disclosure)
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


def yearly_totals(
    surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """Network totals per year and measure, each with how many members answered.

    Long format: one row per (year, measure) with `total`, `n_answered`, `n_returns`. A total
    over nobody is NaN (not zero), so "nobody answered" is never confused with "none".
    """
    df = with_advocacy_total(surveys) if "advocacy_actions" not in surveys else surveys
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


def ventures_distribution(surveys: pd.DataFrame, year: int, bands: Iterable[int] = (0, 1, 2)) -> pd.Series:
    """How many members started 0, 1, … or 'N or more' ventures in `year` (answered only)."""
    bands = sorted(bands)
    values = surveys.loc[surveys["year"] == year, "ventures_started"].dropna().astype(int)
    labels = [str(b) for b in bands[:-1]] + [f"{bands[-1]} or more"]
    counts = [int((values == b).sum()) for b in bands[:-1]] + [int((values >= bands[-1]).sum())]
    return pd.Series(counts, index=pd.Index(labels, name="ventures started"), name="members")


def workshop_summary(attendance: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Workshops held, attendances, members attending, formats and satisfaction per year."""
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
                "attendances": len(sub),
                "members_attending": int(sub["org_id"].nunique()),
                "satisfaction_mean": float(sat.mean()) if len(sat) else math.nan,
                "satisfaction_n": len(sat),
            }
        )
    return pd.DataFrame(rows).set_index("year")


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


def answered_mask(surveys: pd.DataFrame, measure: str) -> pd.Series:
    """Rows that count towards a published total of `measure`.

    For the three advocacy kinds this is "answered all three", the same members as the
    advocacy total, so the published parts add up to the published total and the difference
    cannot reveal the member who left one of them blank.
    """
    if measure in ADVOCACY_PARTS or measure == "advocacy_actions":
        return surveys[list(ADVOCACY_PARTS)].notna().all(axis=1)
    return surveys[measure].notna()


def like_for_like(surveys: pd.DataFrame, measure: str, year_a: int, year_b: int) -> set[str]:
    """Members who answered `measure` in both years: the set a fair comparison uses."""
    ok = surveys[answered_mask(surveys, measure)]
    return set(ok.loc[ok["year"] == year_a, "org_id"]) & set(ok.loc[ok["year"] == year_b, "org_id"])


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
    answered = surveys[answered_mask(surveys, measure)]
    a = set(answered.loc[answered["year"] == year_a, "org_id"])
    b = set(answered.loc[answered["year"] == year_b, "org_id"])
    both = a & b
    if a == b:
        return "same", both
    left_out = (len(a - both), len(b - both))
    if all(n == 0 or n >= min_group for n in left_out) and both:
        return "like_for_like", both
    return "all_returns", None


def member_sums(
    surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """One row per member: each measure summed over the returns they made in `years`.

    Missing returns add nothing (they are not imputed), so three-year totals are floors and the
    text says so. A member who never answered a measure gets NaN, not 0.
    """
    df = with_advocacy_total(surveys) if "advocacy_actions" not in surveys else surveys
    measures = list(measures or all_measures())
    sub = df[df["year"].isin(list(years))]
    out = sub.groupby("org_id")[measures].sum(min_count=1).astype("Float64")
    out["returns"] = sub.groupby("org_id").size()
    return out.reset_index()


def change(a: float, b: float) -> tuple[float, float]:
    """Absolute and percentage change from a to b (percentage NaN when a is 0 or unknown)."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return math.nan, math.nan
    diff = float(b) - float(a)
    pct = diff / float(a) * 100.0 if float(a) != 0 else math.nan
    return diff, pct


# ---------------------------------------------------------------------------
# Layer 2: protected tables (every published number passes analysis.disclosure)
SYMBOL_SUPPRESSED = "[c]"
SYMBOL_NOT_AVAILABLE = "[x]"
SYMBOL_NOT_APPLICABLE = "[z]"


def is_money(measure: str) -> bool:
    return measure in MONEY_MEASURES


def fmt_value(value: float | None, measure: str) -> str:
    """Format a published number for text: £ with thousands separators, or a whole count."""
    if value is None or pd.isna(value):
        return SYMBOL_SUPPRESSED
    if is_money(measure):
        return f"£{value:,.0f}"
    return f"{value:,.0f}"


def fmt_change(diff: float | None, pct: float | None, measure: str) -> str:
    """'+£1,200 (+12%)' or '-3 (-20%)'; the percentage is left out when it cannot be computed."""
    if diff is None or pd.isna(diff):
        return SYMBOL_SUPPRESSED
    sign = "+" if diff > 0 else ("-" if diff < 0 else "")
    body = fmt_value(abs(diff), measure)
    out = f"{sign}{body}"
    if pct is not None and not pd.isna(pct):
        out += f" ({'+' if pct > 0 else ''}{pct:.0f}%)"
    return out


def _disclosure():
    """Import lazily so the pure indicators stay usable while disclosure is being built."""
    from analysis import disclosure

    return disclosure


def _answered(
    surveys: pd.DataFrame, measure: str, years: Iterable[int] | None = None, members: set[str] | None = None
) -> pd.DataFrame:
    """The rows (org_id, year, value) behind a total: members who answered, nothing filled in."""
    df = with_advocacy_total(surveys) if "advocacy_actions" not in surveys else surveys
    sub = df[answered_mask(df, measure)]
    if years is not None:
        sub = sub[sub["year"].isin(list(years))]
    if members is not None:
        sub = sub[sub["org_id"].isin(members)]
    out = sub[["org_id", "year", measure]].copy()
    out[measure] = out[measure].astype(float)
    return out.reset_index(drop=True)


def published_value(table, row: Any, column: Any = None) -> float | None:
    """The value of one cell as published (None where suppressed, not available or absent)."""
    values = table.values
    if column is None:
        column = values.columns[0]
    try:
        v = values.loc[row, column]
    except KeyError:
        return None
    return None if pd.isna(v) else float(v)


def as_kind(table, kind: str):
    """Re-label a magnitude table from `protect_money` as counts (display without £).

    `protect_money` is the magnitude rule (minimum contributors, dominance) and formats as £;
    activity totals get the same rule but print as whole numbers. Statuses and values are
    untouched, so nothing suppressed can reappear.
    """
    import dataclasses

    d = _disclosure()
    if table.kind == kind:
        return table
    symbols = {
        "primary": d.SUPPRESSED,
        "secondary": d.SUPPRESSED,
        "dominance": d.SUPPRESSED,
        "na": d.NOT_AVAILABLE,
        "z": d.NOT_APPLICABLE,
    }
    display = table.values.copy().astype(object)
    for r in display.index:
        for c in display.columns:
            st = table.status.loc[r, c]
            display.loc[r, c] = symbols.get(st) or d.format_value(table.values.loc[r, c], kind)
    return dataclasses.replace(table, display=display, kind=kind)


def protect_total(
    frame: pd.DataFrame, measure: str, rules, *, by: str | None, caption: str, value_col: str | None = None
):
    """A total of a magnitude through `protect_money` (minimum contributors + dominance).

    Activity totals (ventures, citizens, advocacy actions …) are magnitudes too: a network total
    made mostly of one member's figure reveals it as surely as a money figure would, so they get
    the same rule as £ (stated in the method notes) and are shown as counts.
    """
    col = value_col or measure
    table = _disclosure().protect_money(frame, col, by=by, rules=rules, caption=caption)
    return table if is_money(measure) else as_kind(table, "count")


def suppress_all(table, reason: str):
    """Withhold every cell of an already protected table (secondary suppression across tables).

    Used when a linked table would let a reader recover a suppressed figure by subtraction,
    e.g. a three-year total when one year's total is withheld.
    """
    import dataclasses

    d = _disclosure()
    display = table.display.copy().astype(object)
    display.loc[:, :] = d.SUPPRESSED
    values = table.values.copy().astype(float)
    values.loc[:, :] = np.nan
    status = table.status.copy().astype(object)
    status.loc[:, :] = "secondary"
    return dataclasses.replace(
        table, display=display, values=values, status=status, notes=tuple(table.notes) + (reason,)
    )


@dataclass
class Cell:
    """Where a published figure sits: a protected table, its row and its column."""

    table: Any
    row: Any
    column: Any

    @property
    def value(self) -> float | None:
        return published_value(self.table, self.row, self.column)

    @property
    def status(self) -> str:
        try:
            return str(self.table.status.loc[self.row, self.column])
        except KeyError:
            return "na"


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


def _single_total(
    surveys: pd.DataFrame,
    measure: str,
    years: list[int],
    rules,
    caption: str,
    members: set[str] | None = None,
) -> Cell:
    frame = _answered(surveys, measure, years, members)
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
        a = _single_total(surveys, m, [year_a], rules, f"{cap}, {year_a}", members).value
        b = _single_total(surveys, m, [year_b], rules, f"{cap}, {year_b}", members).value
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
    label = all_measures()[measure]
    if yearly is None:
        yearly = {
            y: _single_total(
                surveys,
                measure,
                [y],
                rules,
                f"{label[:1].upper()}{label[1:]}: network total, {y}, from the members who answered",
            )
            for y in years
        }
    n = {y: int(_answered(surveys, measure, [y]).shape[0]) for y in years}
    res = MeasureResult(measure, label, yearly, n)
    base = settings.baseline_year
    if compare and year > base and base in years:
        res.comparisons["baseline"] = compare_years(surveys, res, base, year, rules)
    if compare and year - 1 in years and year - 1 != base:
        res.comparisons["previous"] = compare_years(surveys, res, year - 1, year, rules)
    if compare and year >= settings.summary_year:
        res.three_year = three_year_total(surveys, res, settings.commitment_years, rules)
    return res


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
        caption=f"{result.label[:1].upper()}{result.label[1:]}: total over {years[0]}–{years[-1]}, from the returns received",
    )
    if any(result.total(y) is None for y in years):
        table = suppress_all(
            table, "Withheld because a yearly total is withheld: it could be recovered by subtraction."
        )
    return Cell(table, table.values.index[0], m)


def assemble_table(
    cells: dict[str, dict[str, tuple[float | None, str, str]]],
    *,
    caption: str,
    rule: str,
    kind: str,
    notes: Iterable[str] = (),
):
    """Put cells already cleared by `analysis.disclosure` side by side in one ProtectedTable.

    `cells[row][column] = (value or None, display text, status)`. Nothing is computed here: every
    value comes from a protected table (or is a difference of two published values), so the
    combined table can be published, charted and saved like any other.
    """
    disclosure = _disclosure()
    rows = list(cells)
    cols = list(dict.fromkeys(c for r in rows for c in cells[r]))
    blank = (None, SYMBOL_NOT_APPLICABLE, "z")
    grid = {(r, c): cells[r].get(c, blank) for r in rows for c in cols}
    index = pd.Index(rows, name="Measure")

    def frame(i: int) -> pd.DataFrame:
        data = [[grid[r, c][i] for c in cols] for r in rows]
        return pd.DataFrame(data, index=index, columns=cols, dtype=object)

    values = frame(0).apply(pd.to_numeric, errors="coerce").astype(float)
    display, status = frame(1), frame(2)
    return disclosure.ProtectedTable(
        display=display,
        values=values,
        status=status,
        caption=caption,
        rule=rule,
        kind=kind,
        notes=tuple(notes),
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


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
            row[str(y)] = (v, fmt_value(v, m), r.yearly[y].status)
        if r.three_year is not None:
            yrs = settings.commitment_years
            row[f"{yrs[0]}–{yrs[-1]}"] = (
                r.three_year_total,
                fmt_value(r.three_year_total, m),
                r.three_year.status,
            )
        for key, name in (
            ("baseline", f"Change since {settings.baseline_year}"),
            ("previous", f"Change since {year - 1}"),
        ):
            c = r.comparisons.get(key)
            if c is None:
                continue
            text = fmt_change(c["change"], c["pct_change"], m)
            if c["basis"] == "like_for_like" and c["change"] is not None:
                text += " †"
            row[name] = (c["change"], text, "safe" if c["change"] is not None else "secondary")
        cells[_cap(r.label)] = row
    notes = []
    if any(c["basis"] == "like_for_like" for r in results.values() for c in r.comparisons.values()):
        notes.append("† Like-for-like: only the members who answered in both years.")
    if any(c["basis"] == "all_returns" for r in results.values() for c in r.comparisons.values()):
        notes.append(
            "Changes without † compare network totals from different sets of members, because a "
            "like-for-like total would reveal individual members' figures by subtraction."
        )
    return assemble_table(cells, caption=caption, rule=rule, kind=kind, notes=notes)


def venture_labels(config) -> dict[str, str]:
    """Venture type code -> the form's wording, from `[options.venture_types]`."""
    opts = config.section("options").get("venture_types", {}) if hasattr(config, "section") else {}
    return {code: text for text, code in opts.items()}


def protect_ventures_by_type(
    surveys: pd.DataFrame, years: list[int], rules, labels: dict[str, str]
) -> dict[int, Any]:
    """Per year, members starting a venture of each type (organisation counts, no total row:
    members can tick several types, so a total would double count)."""
    d = _disclosure()
    raw = ventures_by_type(surveys, years).rename(
        columns=lambda c: labels.get(c, c.replace("_", " ").capitalize())
    )
    out = {}
    for y in years:
        frame = pd.DataFrame(
            {"Members": raw.loc[y].to_numpy()}, index=pd.Index(list(raw.columns), name="Venture type")
        )
        out[y] = d.protect_counts(
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
            f = _answered(surveys, m, [y]).rename(columns={m: "actions"})
            f["kind"] = _cap(COUNT_MEASURES[m])
            parts.append(f)
        frame = pd.concat(parts, ignore_index=True)
        out[y] = protect_total(
            frame,
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
            out[m][y] = Cell(t, _cap(COUNT_MEASURES[m]), "actions")
        out["advocacy_actions"][y] = Cell(t, t.total_label or "Total", "actions")
    return out


def protect_benefits(surveys: pd.DataFrame, year: int, rules, settings: OutcomeSettings) -> tuple[Any, Any]:
    """Benefit items × response bands (organisation counts) and the mean score per item.

    A mean is shown only where at least `min_count` members answered the item.
    """
    d = _disclosure()
    counts = d.protect_counts(
        benefit_distribution(surveys, year, settings.benefit_bands),
        rules,
        caption=f"Members by how much the network helped them, {year}",
        totals=True,
    )
    sub = surveys[surveys["year"] == year]
    scores = {
        label: pd.to_numeric(sub[col], errors="coerce").dropna()
        for col, label in BENEFITS.items()
        if col in sub
    }
    index = pd.Index(list(scores), name="Benefit")
    means = pd.DataFrame(
        {"Average score": [s.mean() if len(s) else np.nan for s in scores.values()]}, index=index
    )
    base = pd.DataFrame({"Average score": [float(len(s)) for s in scores.values()]}, index=index)
    means = d.protect_means(
        means,
        base,
        rules,
        caption=f"Average score for how much the network helped (1 not at all to 5 a lot), {year}",
    )
    return counts, means


def protect_workshops(attendance: pd.DataFrame, years: list[int], rules) -> tuple[Any, Any, Any]:
    """Workshops by format, attendance, and mean satisfaction per year.

    Workshops held are the network's own activity, not counts of organisations or anything a
    member reported, so the organisation-count rule does not apply and they are published in
    full (like the returns accounting). Attendance by members and satisfaction are about members
    and stay protected: satisfaction is averaged over rated attendances and shown only where at
    least `min_count` members gave a rating.
    """
    d = _disclosure()
    w = workshop_summary(attendance, years)
    idx = pd.Index([str(y) for y in w.index], name="Year")
    formats = workshops_held_table(w)
    attend = pd.DataFrame(
        {"Attendances": w["attendances"].to_numpy(), "Members attending": w["members_attending"].to_numpy()},
        index=idx,
    )
    attend = d.protect_counts(
        attend, rules, caption="Workshop attendances and members attending, per year", totals=False
    )
    raters = [
        float(
            attendance.loc[(attendance["year"] == y) & attendance["satisfaction"].notna(), "org_id"].nunique()
        )
        for y in w.index
    ]
    means = pd.DataFrame({"Average satisfaction": w["satisfaction_mean"].to_numpy()}, index=idx)
    base = pd.DataFrame({"Average satisfaction": raters}, index=idx)
    satisfaction = d.protect_means(
        means, base, rules, caption="Average workshop satisfaction (1 to 5), per year, from attendances rated"
    )
    return formats, attend, satisfaction


def workshops_held_table(summary: pd.DataFrame):
    """Workshops the network ran, by format and year, in full (network activity, not members)."""
    cells = {}
    for y in summary.index:
        row = {
            "In person": summary.loc[y, "workshops_in_person"],
            "Online": summary.loc[y, "workshops_online"],
        }
        row["Total"] = row["In person"] + row["Online"]
        cells[str(y)] = {k: (float(v), f"{int(v):,}", "safe") for k, v in row.items()}
    table = assemble_table(
        cells,
        caption="Workshops held by the network, by format, per year",
        kind="count",
        rule="Workshops held are the network's own activity, not a count of organisations, "
        "so they are shown in full; attendance and satisfaction follow the disclosure rule.",
    )
    table.values.index.name = table.display.index.name = table.status.index.name = "Year"
    return dataclasses.replace(table, total_label="Total")


def returns_table(accounting: pd.DataFrame):
    """The returns accounting as a table: shown in full because it counts survey returns, not
    any characteristic of a member, and the brief must state it (members know who is in the
    network; the table names nobody)."""
    labels = {
        "members_active": "Members active",
        "returns_received": "Returns received",
        "missing_returns": "Missing returns (not filled in)",
        "returns_not_expected": "Returns from non-members",
        "members_joined": "Members joined",
        "members_left": "Members left",
    }
    cells = {
        label: {
            str(y): (float(accounting.loc[y, col]), f"{int(accounting.loc[y, col]):,}", "safe")
            for y in accounting.index
        }
        for col, label in labels.items()
    }
    return assemble_table(
        cells,
        caption="Survey returns per year",
        kind="count",
        rule="Response accounting: counts of survey returns, shown in full; no figures for any member.",
    )


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
    rule = rules.sentence() + (
        " Activity totals (ventures, citizens, decisions, partnerships, advocacy) "
        "follow the same rule as money."
    )
    activity = totals_table(
        measures,
        year,
        years,
        settings,
        measures=COUNT_MEASURES,
        kind="count",
        rule=rule,
        caption=f"Network activity totals, {span}, from the members who answered",
    )
    money = totals_table(
        measures,
        year,
        years,
        settings,
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


# ---------------------------------------------------------------------------
# Layer 3: Findings (text templated from published numbers only)
def _v(results: OutcomeResults, measure: str, year: int | None = None) -> str:
    """A published total as text ('[c]' where withheld)."""
    return fmt_value(results.measures[measure].total(year or results.year), measure)


def _plural(n: float | int, one: str, many: str) -> str:
    return one if int(n) == 1 else many


def returns_sentence(acc: pd.DataFrame, year: int) -> str:
    """Who returned a survey in `year`, in words: missing returns are stated, not filled in."""
    r = acc.loc[year]
    text = (
        f"In {year}, {r.members_active} {_plural(r.members_active, 'member was', 'members were')} active "
        f"and {r.returns_received} returned a survey"
    )
    if r.missing_returns:
        text += (
            f"; {r.missing_returns} {_plural(r.missing_returns, 'return is', 'returns are')} missing "
            "and not filled in, so totals are from the members who returned a survey"
        )
    text += "."
    if r.members_left:
        text += (
            f" {r.members_left} {_plural(r.members_left, 'member', 'members')} left the network after "
            f"{year - 1} and {_plural(r.members_left, 'is', 'are')} not expected to return a survey."
        )
    if r.members_joined and year != acc.index.min():
        text += f" {r.members_joined} {_plural(r.members_joined, 'member', 'members')} joined."
    if r.returns_not_expected:
        text += (
            f" {r.returns_not_expected} {_plural(r.returns_not_expected, 'return', 'returns')} came from "
            "organisations not on that year's roster; they are included and counted here."
        )
    return text


def change_phrase(results: OutcomeResults, measure: str, key: str = "baseline") -> str:
    """'up 4 (80%) on 2024 (network totals)': the change and, briefly, its basis."""
    c = results.measures[measure].comparisons.get(key)
    if c is None:
        return ""
    if c["change"] is None:
        return f"the change since {c['from_year']} is withheld because one of the totals is withheld"
    diff, pct = c["change"], c["pct_change"]
    if not diff:
        head = f"unchanged on {c['from_year']}"
    else:
        amount = fmt_value(abs(diff), measure) + (f" ({abs(pct):.0f}%)" if pct is not None else "")
        head = f"{'up' if diff > 0 else 'down'} {amount} on {c['from_year']}"
    if c["basis"] == "like_for_like":
        return f"{head}, for the {c['n_like_for_like']} members who answered in both years"
    return head


def basis_sentence(results: OutcomeResults, key: str = "baseline") -> str:
    """Said once per comparison: which members the changes compare, and why."""
    comps = [r.comparisons[key] for r in results.measures.values() if key in r.comparisons]
    if not comps:
        return ""
    a, b = comps[0]["from_year"], comps[0]["to_year"]
    acc = results.accounting
    if all(c["basis"] == "same" for c in comps):
        return f"The same members answered in {a} and {b}, so the totals compare directly."
    return (
        f"Unless stated, these changes compare network totals from {int(acc.loc[a, 'returns_received'])} "
        f"returns in {a} and {int(acc.loc[b, 'returns_received'])} in {b}: the members who answered differ "
        "between the years, and comparing only the same members would reveal individual members' figures "
        "by subtraction, so that is not shown."
    )


def headline(results: OutcomeResults) -> str:
    """Statement heading for the brief section, from published numbers where they exist."""
    y, base = results.year, results.settings.baseline_year
    v = results.measures["ventures_started"]
    c = results.measures["citizens_involved"]
    if results.is_summary and v.three_year_total is not None:
        yrs = results.settings.commitment_years
        text = (
            f"Over {yrs[0]}–{yrs[-1]} members started {fmt_value(v.three_year_total, 'ventures_started')} "
            "citizen-led ventures"
        )
        if c.three_year_total is not None:
            text += f" involving {fmt_value(c.three_year_total, 'citizens_involved')} citizens"
        return text
    if v.total(y) is None:
        return f"What network members did in {y}"
    if results.is_baseline:
        return f"In {y}, the baseline year, members started {_v(results, 'ventures_started')} citizen-led ventures"
    comp = v.comparisons.get("baseline", {})
    if comp.get("change") is not None and comp["basis"] != "all_returns":
        word = "more than" if comp["change"] > 0 else ("fewer than" if comp["change"] < 0 else "as many as")
        return (
            f"Members started {_v(results, 'ventures_started')} citizen-led ventures in {y}, {word} in {base}"
        )
    return f"Members started {_v(results, 'ventures_started')} citizen-led ventures in {y}"


def _withheld_clause(names: list[str], year: int) -> str:
    """'the number of citizens involved is withheld to protect members' (names already in words)."""
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "is" if len(names) == 1 else "are"
    return f"{joined} {verb} withheld to protect members"


def _activity_message(results: OutcomeResults) -> str:
    """Ventures, citizens and decisions in one sentence; a withheld number is named, never printed."""
    y = results.year
    n = int(results.accounting.loc[y, "returns_received"])
    m = results.measures
    who = f"the {n} {_plural(n, 'member who', 'members who')} returned a survey"
    ventures = m["ventures_started"].total(y)
    citizens = m["citizens_involved"].total(y)
    decisions = m["decisions_by_citizens"].total(y)
    withheld = []
    if ventures is not None:
        text = f"In {y}, {who} started {_v(results, 'ventures_started')} new citizen-led ventures"
        if citizens is not None:
            text += f" involving {_v(results, 'citizens_involved')} citizens"
        else:
            withheld.append("the number of citizens involved")
    else:
        withheld.append("the number of new citizen-led ventures")
        text = (
            f"In {y}, {who} involved {_v(results, 'citizens_involved')} citizens in citizen-led ventures"
            if citizens is not None
            else f"In {y}, {n} {_plural(n, 'member', 'members')} returned a survey"
        )
        if citizens is None:
            withheld.append("the number of citizens involved")
    if decisions is not None:
        text += (
            f", and citizens took {_v(results, 'decisions_by_citizens')} "
            f"{_plural(decisions, 'decision', 'decisions')} that staff or boards would otherwise have taken"
        )
    else:
        withheld.append("the number of decisions taken by citizens")
    text += "." if not withheld else f"; {_withheld_clause(withheld, y)}."
    if results.is_baseline:
        return text + f" {y} is the baseline year, so there is no earlier year to compare with."
    phrase = change_phrase(results, "ventures_started")
    c = results.measures["ventures_started"].comparisons.get("baseline", {})
    if phrase and c.get("basis") == "all_returns" and c.get("change") is not None:
        acc = results.accounting
        phrase += (
            f" (network totals from {int(acc.loc[c['from_year'], 'returns_received'])} and "
            f"{int(acc.loc[y, 'returns_received'])} returns, not the same members)"
        )
    return text + (f" Ventures were {phrase}." if phrase else "")


def _money_message(results: OutcomeResults) -> str:
    """Funding secured and budget handed to citizens; withheld totals named, never printed."""
    y = results.year
    f, b = results.measures["funding_secured_gbp"], results.measures["budget_devolved_gbp"]
    bids = results.measures["joint_bids"].total(y)
    parts = []
    if f.total(y) is not None:
        part = f"members secured {_v(results, 'funding_secured_gbp')} of new funding for citizen-led work"
        if bids:
            part += (
                f", including from {_v(results, 'joint_bids')} joint "
                f"{_plural(bids, 'bid', 'bids')} with other members"
            )
        parts.append(part)
    if b.total(y) is not None:
        parts.append(
            f"citizens decided how to use {_v(results, 'budget_devolved_gbp')} of members' budgets"
            if b.total(y)
            else "no member reported handing citizens a budget to decide on"
        )
    withheld = [
        lbl
        for m, lbl in (
            ("funding_secured_gbp", "new funding secured"),
            ("budget_devolved_gbp", "budget handed to citizens"),
        )
        if results.measures[m].total(y) is None
    ]
    text = f"In {y}, " + " and ".join(parts) + "." if parts else ""
    if withheld:
        what = (
            f"the total of {withheld[0]} is"
            if len(withheld) == 1
            else f"the totals of {' and of '.join(withheld)} are"
        )
        text += (
            f" {'In ' + str(y) + ', ' + what if not parts else _cap(what)} withheld because fewer than "
            "three members contributed or one or two members account for most of it."
        )
    return text.strip()


def _advocacy_message(results: OutcomeResults) -> str:
    y = results.year
    return (
        f"Members took {_v(results, 'advocacy_actions')} advocacy actions in {y}: "
        f"{_v(results, 'advocacy_submissions')} policy submissions, {_v(results, 'advocacy_meetings')} meetings "
        f"with officials or politicians and {_v(results, 'advocacy_talks')} public talks, and formed "
        f"{_v(results, 'partnerships_new')} new partnerships."
    )


def _workshop_message(results: OutcomeResults) -> str:
    """Workshops held (network activity, in full), members attending and satisfaction (protected)."""
    y = str(results.year)
    held = published_value(results.workshop_formats, y, _total_col(results.workshop_formats))
    members = published_value(results.workshop_attendance, y, "Members attending")
    sat = published_value(results.workshop_satisfaction, y, _mean_col(results.workshop_satisfaction))
    if not held:
        return f"The network held no workshops in {y}." if held == 0 else ""
    text = f"The network ran {fmt_value(held, 'n')} {_plural(held, 'workshop', 'workshops')} in {y}"
    if members is not None:
        text += f", attended by {fmt_value(members, 'n')} {_plural(members, 'member', 'members')}"
        if sat is not None:
            text += f", who rated them {sat:.1f} out of 5 on average"
    elif sat is not None:
        text += f", rated {sat:.1f} out of 5 on average"
    if members is None:
        text += "; the number of members attending is withheld to protect members"
    return text + "."


_PLAIN = {
    "citizens_involved": "citizens taking part",
    "budget_devolved_gbp": "budget handed to citizens",
    "funding_secured_gbp": "funding secured for citizen-led work",
}


def _summary_message(results: OutcomeResults) -> str:
    """The three-year summary for advocacy: published figures listed, withheld ones named."""
    yrs = results.settings.commitment_years
    m = results.measures
    items = [
        ("ventures_started", "started {} citizen-led ventures"),
        ("citizens_involved", "involved {} citizens"),
        ("budget_devolved_gbp", "handed {} of budget to citizens to decide on"),
        ("funding_secured_gbp", "secured {} of funding for citizen-led work"),
        ("advocacy_actions", "took {} advocacy actions"),
    ]
    shown = [
        t.format(fmt_value(m[k].three_year_total, k)) for k, t in items if m[k].three_year_total is not None
    ]
    hidden = [_PLAIN.get(k, m[k].label) for k, _ in items if m[k].three_year_total is None]
    text = ""
    if shown:
        body = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
        text = (
            f"Over the three years {yrs[0]}–{yrs[-1]}, members {body} (from the returns received; missing "
            "returns are not filled in, so these are at least what happened)."
        )
    if hidden:
        names = ", ".join(hidden[:-1]) + (" and " if len(hidden) > 1 else "") + hidden[-1]
        text += f" The three-year totals of {names} are withheld to protect members."
    return text.strip()


def _total_col(table) -> str:
    cols = [c for c in table.values.columns if str(c).strip().lower() in ("total", "all")]
    return cols[0] if cols else table.values.columns[-1]


def _mean_col(table) -> str:
    cols = [c for c in table.values.columns if "mean" in str(c).lower() or "average" in str(c).lower()]
    return cols[0] if cols else table.values.columns[0]


def key_messages(results: OutcomeResults) -> list[str]:
    """Three to five full sentences, every number read from a published table."""
    msgs = []
    if results.is_summary:
        msgs.append(_summary_message(results))
    msgs += [
        _activity_message(results),
        _money_message(results),
        _advocacy_message(results),
        _workshop_message(results),
    ]
    return [m for m in msgs if m][:5]


def brief_text(results: OutcomeResults) -> str:
    """Markdown paragraphs for the brief section, every number from a published table."""
    y = results.year
    paras = [returns_sentence(results.accounting, y)]
    if results.is_summary:
        paras.append(_summary_message(results))
    paras.append(_activity_message(results))
    money = _money_message(results)
    if money:
        paras.append(money)
    paras.append(_advocacy_message(results))
    if not results.is_baseline:
        comps = []
        for m in ("citizens_involved", "advocacy_actions", "funding_secured_gbp"):
            phrase = change_phrase(results, m)
            if not phrase:
                continue
            label = _cap(results.measures[m].label)
            if results.measures[m].total(y) is None:
                comps.append(f"{label}: withheld in {y} to protect members, so the change is withheld too.")
            elif results.measures[m].comparisons["baseline"]["change"] is None:
                comps.append(
                    f"{label}: {_v(results, m)} in {y}; the {results.settings.baseline_year} total is "
                    "withheld, so the change cannot be given."
                )
            else:
                comps.append(f"{label}: {_v(results, m)} in {y}, {phrase}.")
        if comps:
            paras.append(
                f"Compared with the {results.settings.baseline_year} baseline: "
                + " ".join(comps)
                + " "
                + basis_sentence(results, "baseline")
            )
        prev = [
            f"{_cap(results.measures[m].label)}: {change_phrase(results, m, 'previous')}."
            for m in ("ventures_started", "citizens_involved")
            if results.measures[m].comparisons.get("previous")
        ]
        if prev:
            paras.append(
                f"Compared with {y - 1}: " + " ".join(prev) + " " + basis_sentence(results, "previous")
            )
    paras.append(_workshop_message(results))
    return "\n\n".join(p for p in paras if p)


def method_notes(results: OutcomeResults) -> str:
    """Returns, missing data, comparison basis and disclosure, in words."""
    lines = [
        "**Member outcomes.** Figures come from the yearly member survey and the workshop log. "
        + " ".join(returns_sentence(results.accounting, y) for y in results.years),
        "Missing returns and blank answers are never filled in: each total is from the members who "
        "answered that question, and a member who left one of the three advocacy questions blank is left "
        "out of all three, so the parts add up to the total.",
        "Changes compare the same members where the same members answered in both years. Where the "
        "members differ, a like-for-like comparison is used only if the members left out are at least "
        f"{results.rules.money_min_contributors} in each year; otherwise network totals are compared and "
        "this is said, because subtracting a like-for-like total from a published total would reveal one "
        "member's figure.",
        results.rules.sentence() + " Activity totals (ventures, citizens, decisions, partnerships, advocacy) "
        "follow the same rule as money. A three-year total is withheld whenever one of its years is.",
    ]
    if results.is_baseline:
        lines.append(f"{results.year} is the baseline year: there is no earlier year to compare with.")
    return "\n\n".join(lines)


def source_note(synthetic: bool, years: list[int], organisation: str = "Citizens In Power") -> str:
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    tag = " Synthetic sample data, not real findings." if synthetic else ""
    return f"Source: {organisation} member survey and workshop log, {span}.{tag}"


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _top(table, column) -> tuple[str, float] | None:
    """The row with the largest value in `column` (totals left out), when every row is published."""
    col = table.values[column].drop(index=[table.total_label or "Total"], errors="ignore")
    if col.isna().any():  # a withheld row could be the true largest: claim nothing
        return None
    if col.empty or not col.max():
        return None
    return str(col.idxmax()), float(col.max())


def figures(results: OutcomeResults, source: str) -> list:
    """Small multiples by year, benefits as stacked bars, money (protected) as bars.

    Titles state the message from the published numbers. Every chart is returned here; `analyse`
    keeps only those that say something (`charts.says_something`) and shows the others' tables.
    """
    from analysis import charts

    y = results.year
    span = _span(results.years)
    out = []
    last = results.ventures_by_type[y]
    top = _top(last, last.values.columns[0])
    out.append(
        charts.small_multiples(
            results.ventures_by_type,
            "Members",
            title=(
                f"{top[0]} was the kind of venture most members started in {y}"
                if top
                else f"Kinds of citizen-led venture members started, {span}"
            ),
            subtitle=f"Members starting at least one venture of each type, {span} (members can start several types)",
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
                else f"Members' advocacy actions by kind, {span}"
            ),
            subtitle=f"Number of actions per year, {span}, from the members who answered all three questions",
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
    for m in ("funding_secured_gbp", "budget_devolved_gbp", "citizens_involved"):
        key = {
            "funding_secured_gbp": "outcomes-funding",
            "budget_devolved_gbp": "outcomes-budget",
            "citizens_involved": "outcomes-citizens",
        }[m]
        table = _yearly_table(results, m)
        label = _cap(results.measures[m].label)
        out.append(
            charts.bars(
                table,
                label,
                title=f"{label}, {span}"
                + (f": {_v(results, m)} in {y}" if results.measures[m].total(y) is not None else ""),
                subtitle="Network total per year, from the members who answered; [c] withheld to protect members",
                source=source,
                horizontal=False,
            ).to_figure(key)
        )
    return out


def _yearly_table(results: OutcomeResults, measure: str):
    """One measure's yearly totals (rows = years) from the published cells."""
    r = results.measures[measure]
    cells = {
        str(y): {_cap(r.label): (r.total(y), fmt_value(r.total(y), measure), r.yearly[y].status)}
        for y in results.years
    }
    table = assemble_table(
        cells,
        caption=f"{_cap(r.label)} per year",
        kind="money" if is_money(measure) else "count",
        rule=r.yearly[results.years[0]].table.rule,
    )
    table.values.index.name = table.display.index.name = table.status.index.name = "Year"
    return table


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


def policy_asks(results: OutcomeResults) -> list[str]:
    """Suggested asks, each tied to a published figure (none where the figure is withheld)."""
    y, m = results.year, results.measures
    asks = []
    if m["budget_devolved_gbp"].total(y):
        asks.append(
            f"**Let citizens decide part of a grant.** Public funders could let grant holders hand part of a grant to citizens to allocate, as "
            f"network members did with {_v(results, 'budget_devolved_gbp')} in {y}."
        )
    if m["joint_bids"].total(y) and m["funding_secured_gbp"].total(y):
        asks.append(
            f"**Welcome joint bids.** Funders could open programmes to joint bids from cultural organisations working with "
            f"citizens: members made {_v(results, 'joint_bids')} joint bids in {y} and secured "
            f"{_v(results, 'funding_secured_gbp')} for citizen-led work."
        )
    if m["advocacy_meetings"].total(y):
        asks.append(
            f"**Involve the sector in policy.** Officials could involve citizen-led cultural organisations when shaping policy: members "
            f"held {_v(results, 'advocacy_meetings')} meetings with officials or politicians in {y}."
        )
    if results.is_summary and m["citizens_involved"].three_year_total:
        yrs = results.settings.commitment_years
        asks.append(
            f"**Sustain the network.** Government and arts councils could support networks like this beyond {yrs[-1]}: over "
            f"{yrs[0]}–{yrs[-1]} members involved {fmt_value(m['citizens_involved'].three_year_total, 'n')} "
            "citizens in their decisions."
        )
    return asks


def level_changes(ctx, surveys: pd.DataFrame, roster: pd.DataFrame, rules) -> dict[str, Any]:
    """Participation level and readiness change since the baseline, reusing `analysis.readiness`.

    The readiness section publishes the detail; here only the mean change is kept, and only
    where at least `min_count` members answered in both years.
    """
    from analysis import readiness

    out = {}
    for col, c in readiness.member_changes(surveys, roster, ctx.year, ctx.config).items():
        ok = c.n_paired >= rules.min_count and np.isfinite(c.mean_change)
        out[col] = {
            "n_paired": c.n_paired if ok else None,
            "mean_change": round(c.mean_change, 2) if ok else None,
            "baseline_year": c.baseline_year,
            "year": c.year,
        }
    return out


def _level_sentence(results: OutcomeResults) -> str:
    c = results.level_change.get("level_now") or {}
    if c.get("mean_change") is None:
        return ""
    return (
        f"On the participation spectrum (from 1 inform to 5 empower), members moved {c['mean_change']:+.1f} "
        f"levels on average since {c['baseline_year']}, from the {c['n_paired']} members who answered in both "
        "years (see the readiness section for the detail and its uncertainty)."
    )


def analyse(ctx) -> Findings:
    """The outcomes section and appendix for `ctx.year`: protected tables, charts and text."""
    from analysis.disclosure import DisclosureRules
    from analysis.findings import Findings

    settings = OutcomeSettings.from_config(ctx.config)
    rules = DisclosureRules.from_config(ctx.config)
    surveys, roster = ctx.table("member_surveys"), ctx.table("roster")
    attendance = ctx.table("workshop_attendance")
    results = compute_outcomes(
        surveys, roster, attendance, ctx.year, rules, settings, venture_labels(ctx.config)
    )
    if not results.is_baseline:
        results.level_change = level_changes(ctx, surveys[surveys["year"] <= ctx.year], roster, rules)
    from analysis import charts

    org = ctx.config.section("brief").get("organisation", "Citizens In Power")
    text = brief_text(results)
    level = _level_sentence(results)
    all_figures = figures(results, source_note(ctx.synthetic, results.years, org))
    drawn, as_tables = charts.split_informative(
        [f for f in all_figures if f.key not in YEARLY_TOTAL_CHARTS or charts.says_something(f.table)],
        reason=NOT_CHARTED
        + (
            f" {results.year} is the baseline year, so there is one year of member data."
            if results.is_baseline
            else ""
        ),
    )
    # A yearly-total chart that says nothing is simply left out: its numbers are already rows of
    # the activity and money tables, so repeating them as a table would add nothing.
    for fig in drawn:
        fig.in_brief = True
    return Findings(
        area=AREA,
        heading=headline(results),
        key_messages=key_messages(results),
        brief_text=text,
        method_notes=method_notes(results) + (f"\n\n{level}" if level else ""),
        figures=drawn,
        tables={
            "returns": results.returns,
            "activity": results.activity_table,
            "money": results.money_table,
            **as_tables,
            "benefit_means": results.benefit_means,
            "workshop_formats": results.workshop_formats,
            "workshop_attendance": results.workshop_attendance,
            "workshop_satisfaction": results.workshop_satisfaction,
        },
        facts=facts(results),
        policy_asks=policy_asks(results),
    )


YEARLY_TOTAL_CHARTS = ("outcomes-funding", "outcomes-budget", "outcomes-citizens")
NOT_CHARTED = (
    "Shown as a table, not a chart: with a single value, almost every figure withheld, or all "
    "zeros, a chart would say nothing."
)
