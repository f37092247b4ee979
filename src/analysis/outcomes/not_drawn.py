"""Members against the eligible 2024 applicants the lottery did not draw (the 2026 follow-up).

The lottery made the drawn and the not-drawn alike when it was drawn, so the not-drawn who
answered the follow-up are the fairest comparison the network has. Three yes/no measures, each
counted for both groups, protected by `analysis.disclosure` (organisation counts), with shares,
Wilson 95 % intervals and a Newcombe interval for the gap worked out from the published counts
only: a hidden count hides everything derived from it. The pool is the draw's own eligibility
test (`selection.eligibility`, an allowed measure-to-measure import) less the draw year's roster.
Layer: protect; imports disclosure, text, the outcome measures and the eligibility test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.disclosure import ProtectedTable, protect_counts
from analysis.disclosure.cells import HIDDEN_STATUSES
from analysis.outcomes.measures import active_members
from analysis.selection.eligibility import assess_eligibility
from analysis.text import SUPPRESSED, count, percent, signed_change

Z95 = 1.959964
MEMBERS, NOT_DRAWN = "Members", "Not drawn"
MEASURES = {
    "moved_up": "Moved up at least one participation level since applying",
    "venture": "Started at least one citizen-led venture since January 2024",
    "funding": "Secured any funding for citizen-led work since January 2024",
}


@dataclass
class NotDrawnComparison:
    """The protected comparison and the published figures a sentence may quote."""

    table: ProtectedTable
    responses: ProtectedTable
    cells: dict[str, dict[str, tuple[float, float] | None]]  # measure → group → (yes, n) or None
    pool: int | None
    answered: int | None
    ineligible: int  # returns from applicants the selection found ineligible: left out, counted
    members: int | None = None  # members compared (active, returned the year's survey): public
    min_count: int = 5  # the small-number rule the cells were protected with


def not_drawn_pool(applicants: pd.DataFrame, roster: pd.DataFrame, config) -> set[str]:
    """Eligible draw-year applicants (the draw's own test) who are not on the draw year's roster."""
    draw_year = config.section("selection").get("draw_year", 2024)
    assessed = assess_eligibility(applicants, config)
    members = set(roster.loc[roster["year"] == draw_year, "org_id"])
    return set(assessed.loc[assessed["eligible"], "org_id"]) - members


def wilson(yes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share: sensible for small n and for 0 % or 100 %."""
    if n <= 0:
        raise ValueError("a share needs at least one organisation")
    p, z2 = yes / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float, float]:
    """Difference of two shares (a − b) with Newcombe's hybrid Wilson 95 % interval."""
    p1, p2 = a[0] / a[1], b[0] / b[1]
    l1, u1 = wilson(*a)
    l2, u2 = wilson(*b)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def member_answers(surveys: pd.DataFrame, roster: pd.DataFrame, applicants: pd.DataFrame, year: int):
    """Members active in `year` who returned that year's survey: yes/no per measure (NA = no answer)."""
    ids = active_members(roster, year) & set(surveys.loc[surveys["year"] == year, "org_id"])
    mine = surveys[surveys["org_id"].isin(ids) & (surveys["year"] <= year)]
    now = mine[mine["year"] == year].set_index("org_id")["level_now"]
    return _answers(
        now,
        applicants.set_index("org_id")["level_now"],
        mine.groupby("org_id")["ventures_started"].max() > 0,
        mine.groupby("org_id")["funding_secured_gbp"].max() > 0,
    )


def not_drawn_answers(followup: pd.DataFrame, applicants: pd.DataFrame) -> pd.DataFrame:
    """Follow-up respondents: yes/no per measure (NA = no answer)."""
    r = followup.set_index("org_id")
    funding = r["funding_band"].astype("string")
    return _answers(
        r["level_now"],
        applicants.set_index("org_id")["level_now"],
        (r["ventures_started"] > 0).where(r["ventures_started"].notna()),
        funding.ne("none").where(funding.notna()),
    )


def _answers(now: pd.Series, before: pd.Series, venture: pd.Series, funding: pd.Series) -> pd.DataFrame:
    base = before.reindex(now.index)
    moved = (now.astype("Float64") > base.astype("Float64")).where(now.notna() & base.notna())
    return pd.DataFrame({"moved_up": moved, "venture": venture, "funding": funding}, index=now.index)


def _counts(frame: pd.DataFrame, measure: str, group: str) -> pd.DataFrame:
    """One group's yes and no for one measure (the total column is the n)."""
    answered = frame[measure].dropna().astype(bool)
    return pd.DataFrame({"Yes": [int(answered.sum())], "No": [int((~answered).sum())]}, index=[group])


def compare_not_drawn(
    followup: pd.DataFrame,
    surveys: pd.DataFrame,
    roster: pd.DataFrame,
    applicants: pd.DataFrame,
    year: int,
    rules,
    config,
) -> NotDrawnComparison | None:
    """The protected comparison, or None when the year has no follow-up returns."""
    if followup.empty:
        return None
    pool_ids = not_drawn_pool(applicants, roster, config)
    in_pool = followup["org_id"].isin(pool_ids)
    members = member_answers(surveys, roster, applicants, year)
    others = not_drawn_answers(followup[in_pool], applicants)
    cells, published = {}, {}
    for key in MEASURES:
        # Each group on its own: the groups share no total a reader could difference.
        published[key] = {}
        for group, frame in ((MEMBERS, members), (NOT_DRAWN, others)):
            protected = protect_counts(_counts(frame, key, group), rules, caption=MEASURES[key])
            published[key][group] = _yes_n(protected, group)
        cells[MEASURES[key]] = _row(published[key])
    table = ProtectedTable.from_cells(
        cells,
        caption=f"Members and eligible applicants not drawn in the 2024 lottery, {year}",
        rule=protected.rule,
        kind="other",
        index_name="Measure",
        notes=(
            "Members: those active in the year who returned its survey. Not drawn: eligible 2024 "
            "applicants not drawn who answered the follow-up. n is the number who answered the question.",
            "95% intervals are Wilson intervals; the gap's interval is Newcombe's (hybrid score).",
            "A count below the small-number rule is shown as [c], and so is anything worked out from it.",
        ),
    )
    pool, answered = len(pool_ids), int(in_pool.sum())
    responses = protect_counts(
        pd.DataFrame({"Organisations": [pool, answered]}, index=["Not drawn (eligible)", "Answered"]),
        rules,
        caption=f"Response to the {year} follow-up of eligible applicants not drawn",
        totals=False,
    )
    shown = responses.values["Organisations"]
    return NotDrawnComparison(
        table,
        responses,
        published,
        None if pd.isna(shown.iloc[0]) else int(shown.iloc[0]),
        None if pd.isna(shown.iloc[1]) else int(shown.iloc[1]),
        int((~in_pool).sum()),
        len(members),
        rules.min_count,
    )


def _yes_n(protected: ProtectedTable, group: str) -> tuple[float, float] | None:
    """(yes, n) as published, or None when either is hidden."""
    status = protected.status.loc[group]
    label = protected.total_label or "Total"
    if status["Yes"] in HIDDEN_STATUSES or status[label] in HIDDEN_STATUSES:
        return None
    return float(protected.values.loc[group, "Yes"]), float(protected.values.loc[group, label])


def _row(pub: dict[str, tuple[float, float] | None]) -> dict[str, tuple]:
    hidden = (None, SUPPRESSED, "secondary")
    row = {}
    for group in (MEMBERS, NOT_DRAWN):
        yn = pub[group]
        if yn is None or yn[1] == 0:
            row |= {f"{group}: n": hidden, f"{group}: %": hidden, f"{group}: 95% interval": hidden}
            continue
        lo, hi = wilson(*yn)
        row[f"{group}: n"] = (yn[1], count(yn[1]), "safe")
        row[f"{group}: %"] = (yn[0] / yn[1], percent(yn[0] / yn[1]), "safe")
        row[f"{group}: 95% interval"] = (None, f"{percent(lo)} to {percent(hi)}", "safe")
    if pub[MEMBERS] and pub[NOT_DRAWN] and pub[MEMBERS][1] and pub[NOT_DRAWN][1]:
        d, lo, hi = newcombe(pub[MEMBERS], pub[NOT_DRAWN])
        row["Gap (points) and 95% interval"] = (d, f"{_points(d)} ({_points(lo)} to {_points(hi)})", "safe")
    else:
        row["Gap (points) and 95% interval"] = hidden
    return row


def _points(share: float) -> str:
    return signed_change(round(100 * share), "count")
