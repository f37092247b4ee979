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

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

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
    "readiness_leadership", "readiness_budget", "readiness_skills",
    "readiness_community", "readiness_governance",
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
    ventures_bands: tuple[int, ...] = (0, 1, 2)   # 0, 1, 2 or more ventures per member
    headline_measures: tuple[str, ...] = (
        "ventures_started", "citizens_involved", "advocacy_actions",
    )

    @classmethod
    def from_config(cls, config) -> "OutcomeSettings":
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


def survey_years(surveys: pd.DataFrame, roster: pd.DataFrame | None = None, up_to: int | None = None) -> list[int]:
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
        rows.append({
            "year": year,
            "members_active": len(active),
            "returns_received": len(got),
            "returns_from_active": len(got & active),
            "missing_returns": len(active - got),
            "returns_not_expected": len(got - active),
            "members_joined": len(active) if previous is None else len(active - previous),
            "members_left": 0 if previous is None else len(previous - active),
        })
        previous = active
    return pd.DataFrame(rows).set_index("year")


def yearly_totals(surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None) -> pd.DataFrame:
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
            rows.append({
                "year": year, "measure": m, "total": float(col.sum()) if n else math.nan,
                "n_answered": n, "n_returns": len(sub),
            })
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
        rows.append({
            "year": year,
            "workshops_held": int(held["workshop_id"].nunique()),
            "workshops_in_person": int((held["format"] == "in_person").sum()),
            "workshops_online": int((held["format"] == "online").sum()),
            "attendances": len(sub),
            "members_attending": int(sub["org_id"].nunique()),
            "satisfaction_mean": float(sat.mean()) if len(sat) else math.nan,
            "satisfaction_n": len(sat),
        })
    return pd.DataFrame(rows).set_index("year")


def benefit_distribution(surveys: pd.DataFrame, year: int, bands: dict[str, list[int]] | None = None) -> pd.DataFrame:
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


def comparison_basis(surveys: pd.DataFrame, measure: str, year_a: int, year_b: int, min_group: int) -> tuple[str, set[str] | None]:
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


def member_sums(surveys: pd.DataFrame, years: Iterable[int], measures: Iterable[str] | None = None) -> pd.DataFrame:
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


def _answered(surveys: pd.DataFrame, measure: str, years: Iterable[int] | None = None,
              members: set[str] | None = None) -> pd.DataFrame:
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


def published_value(table, row: Any, column: str | None = None) -> float | None:
    """The value of one cell as published (None where suppressed or absent)."""
    values = table.values
    if column is None:
        column = "total" if "total" in values.columns else values.columns[0]
    try:
        v = values.loc[row, column]
    except KeyError:
        return None
    return None if pd.isna(v) else float(v)


def protect_total(frame: pd.DataFrame, measure: str, rules, *, by: str | None, caption: str):
    """A total of a magnitude through `protect_money` (minimum contributors + dominance).

    Activity totals (ventures, citizens, advocacy actions …) are magnitudes too: a network total
    made mostly of one member's figure reveals it as surely as a money figure would, so they get
    the same rule as £ (stated in the method notes).
    """
    return _disclosure().protect_money(frame, measure, by=by, rules=rules, caption=caption)


def suppress_all(table, reason: str):
    """Withhold every cell of an already protected table (secondary suppression across tables).

    Used when a linked table would let a reader recover a suppressed figure by subtraction,
    e.g. a three-year total when one year's total is withheld.
    """
    import dataclasses

    disclosure = _disclosure()
    display = table.display.copy().astype(object)
    display.loc[:, :] = disclosure.SUPPRESSED
    values = table.values.copy().astype(float)
    values.loc[:, :] = np.nan
    status = table.status.copy().astype(object)
    status.loc[:, :] = "secondary"
    return dataclasses.replace(table, display=display, values=values, status=status,
                               notes=tuple(table.notes) + (reason,))


@dataclass
class MeasureResult:
    """One measure's published yearly totals, comparisons and three-year total."""

    measure: str
    label: str
    yearly: Any                                   # ProtectedTable indexed by year
    n_answered: dict[int, int]
    comparisons: dict[str, dict[str, Any]] = field(default_factory=dict)
    three_year: Any = None                        # ProtectedTable (one row) or None

    def total(self, year: int) -> float | None:
        return published_value(self.yearly, year)

    @property
    def three_year_total(self) -> float | None:
        if self.three_year is None:
            return None
        return published_value(self.three_year, self.three_year.values.index[0])


def compare_years(surveys: pd.DataFrame, measure: str, year_a: int, year_b: int, rules, yearly) -> dict[str, Any]:
    """Change in a measure's total from `year_a` to `year_b`, on a basis that cannot disclose.

    See `comparison_basis`. A like-for-like pair of totals goes through `protect_money` itself;
    otherwise the published yearly totals are compared. Either total withheld: change withheld.
    """
    basis, members = comparison_basis(surveys, measure, year_a, year_b, rules.money_min_contributors)
    if basis == "like_for_like":
        frame = _answered(surveys, measure, [year_a, year_b], members)
        lfl = protect_total(frame, measure, rules, by="year",
                            caption=f"{all_measures()[measure]}: members who answered in both {year_a} and {year_b}")
        a, b = published_value(lfl, year_a), published_value(lfl, year_b)
        n = len(members)
    else:
        a, b = published_value(yearly, year_a), published_value(yearly, year_b)
        n = None
    diff, pct = change(a, b)
    return {"from_year": year_a, "to_year": year_b, "basis": basis, "n_like_for_like": n,
            "from_total": a, "to_total": b, "change": None if pd.isna(diff) else diff,
            "pct_change": None if pd.isna(pct) else pct}


def measure_result(surveys: pd.DataFrame, measure: str, year: int, years: list[int], rules,
                   settings: OutcomeSettings) -> MeasureResult:
    """Yearly totals, change since the baseline and the previous year, and the three-year total."""
    label = all_measures()[measure]
    frame = _answered(surveys, measure, years)
    yearly = protect_total(frame, measure, rules, by="year",
                           caption=f"{label}: network total per year, from the members who answered")
    n = {y: int((frame["year"] == y).sum()) for y in years}
    res = MeasureResult(measure, label, yearly, n)
    base = settings.baseline_year
    if year > base and base in years:
        res.comparisons["baseline"] = compare_years(surveys, measure, base, year, rules, yearly)
    if year - 1 in years and year - 1 != base:
        res.comparisons["previous"] = compare_years(surveys, measure, year - 1, year, rules, yearly)
    if year >= settings.summary_year:
        res.three_year = three_year_total(surveys, measure, settings.commitment_years, rules, yearly)
    return res


def three_year_total(surveys: pd.DataFrame, measure: str, commitment_years: Iterable[int], rules, yearly):
    """The total over the commitment, protected on each member's three-year sum.

    The dominance rule is applied to members' sums (a member dominant over three years is
    protected). If any single year's total is withheld, the three-year total is withheld too,
    because it minus the published years would give the withheld one.
    """
    years = list(commitment_years)
    sums = member_sums(surveys, years, [measure]).dropna(subset=[measure])
    sums[measure] = sums[measure].astype(float)
    label = all_measures()[measure]
    table = protect_total(sums[["org_id", measure]], measure, rules, by=None,
                          caption=f"{label}: total over {years[0]}–{years[-1]}, from the returns received")
    if any(published_value(yearly, y) is None for y in years):
        table = suppress_all(table, "Withheld because a yearly total is withheld: it could be recovered by subtraction.")
    return table


def _status_of(table, row: Any, column: str | None = None) -> str:
    """The disclosure status of one published cell ('safe' when the table has no such cell)."""
    status = table.status
    if column is None:
        column = "total" if "total" in status.columns else status.columns[0]
    try:
        return str(status.loc[row, column])
    except KeyError:
        return "na"


def assemble_table(cells: dict[str, dict[str, tuple[float | None, str, str]]], *, caption: str, rule: str,
                   kind: str, notes: Iterable[str] = ()):
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

    def frame(i: int, dtype) -> pd.DataFrame:
        data = [[grid[r, c][i] for c in cols] for r in rows]
        return pd.DataFrame(data, index=index, columns=cols, dtype=dtype)

    values = frame(0, object).apply(pd.to_numeric, errors="coerce").astype(float)
    display, status = frame(1, object), frame(2, object)
    return disclosure.ProtectedTable(display=display, values=values, status=status, caption=caption,
                                     rule=rule, kind=kind, notes=tuple(notes))


def totals_table(results: dict[str, MeasureResult], year: int, years: list[int], settings: OutcomeSettings,
                 *, measures: Iterable[str], caption: str, kind: str):
    """Measures × (years, three-year total, change since baseline and last year), as published."""
    cells: dict[str, dict[str, tuple]] = {}
    rule = ""
    for m in measures:
        r = results[m]
        rule = rule or r.yearly.rule
        row: dict[str, tuple] = {}
        for y in years:
            v = r.total(y)
            row[str(y)] = (v, fmt_value(v, m), _status_of(r.yearly, y))
        if r.three_year is not None:
            v = r.three_year_total
            yrs = settings.commitment_years
            row[f"{yrs[0]}–{yrs[-1]}"] = (v, fmt_value(v, m), _status_of(r.three_year, r.three_year.values.index[0]))
        for key, name in (("baseline", f"Change since {settings.baseline_year}"), ("previous", f"Change since {year - 1}")):
            c = r.comparisons.get(key)
            if c is None:
                continue
            text = fmt_change(c["change"], c["pct_change"], m)
            if c["basis"] == "like_for_like" and c["change"] is not None:
                text += " †"
            row[name] = (c["change"], text, "safe" if c["change"] is not None else "secondary")
        cells[r.label[:1].upper() + r.label[1:]] = row
    notes = ["† like-for-like: only members who answered in both years."] if any(
        c["basis"] == "like_for_like" for r in results.values() for c in r.comparisons.values()) else []
    return assemble_table(cells, caption=caption, rule=rule, kind=kind, notes=notes)
