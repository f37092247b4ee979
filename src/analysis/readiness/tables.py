"""The readiness section's published tables: every number goes through `analysis.disclosure` here.

Protect layer: builds `ProtectedTable`s from the raw frames of `counts.raw_frames` and the change
summaries of `measures`. Imports `analysis.disclosure` and this area's `measures` and `counts`;
the words (`text.py`) and the report read published numbers from these tables only, through
:func:`value` and :func:`frequency`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.disclosure import (
    DisclosureRules,
    ProtectedTable,
    protect_counts,
    protect_frequencies,
    protect_linked,
    protect_means,
    protect_shares,
)
from analysis.readiness.counts import PROFILE_BY
from analysis.readiness.measures import CHANGE_MEASURES, ChangeSummary, change_counts

GROUP_TITLES: dict[str, str] = {
    "org_type": "Organisation type",
    "staff_band": "Staff (FTE)",
    "nation": "Nation",
}

MEAN_COLUMNS: dict[str, str] = {
    "readiness_index": "Readiness index (0 to 100)",
    "level_now": "Level now (1 to 5)",
    "level_target_2026": "Level aimed for (1 to 5)",
}

CHANGE_UNITS: dict[str, str] = {"level_now": "levels", "readiness_index": "points"}

MULTI = "Applicants could tick more than one answer, so the counts add up to more than the total."


def value(table: ProtectedTable, row, col) -> float | None:
    """A published number from a ProtectedTable, or None where it is suppressed or missing."""
    try:
        v = table.values.loc[row, col]
    except KeyError:
        return None
    return None if pd.isna(v) else float(v)


def frequency(table: ProtectedTable, row) -> float | None:
    """A published number from the first column of a one-column table (frequencies)."""
    return value(table, row, table.values.columns[0])


def first_value(table: ProtectedTable) -> float | None:
    """The published top-left number (a one-cell mean table), or None."""
    if not len(table.values):
        return None
    return value(table, table.values.index[0], table.values.columns[0])


def protect_mean(
    frame: pd.DataFrame, value_cols: dict[str, str], by: str | None, rules: DisclosureRules, caption: str
) -> ProtectedTable:
    """Means of `value_cols` ({column: published label}) over organisations, by group or overall.

    Each mean is published only where the number of organisations behind it would be
    (`disclosure.protect_means` with the raw bases: a mean of fewer than `min_count` is hidden).
    """
    groups = frame[by] if by else pd.Series("All", index=frame.index)
    means, bases = {}, {}
    for col, label in value_cols.items():
        v = pd.to_numeric(frame[col], errors="coerce").astype(float)
        means[label] = v.groupby(groups).mean()
        bases[label] = v.notna().groupby(groups).sum().astype(float)
    means_df, bases_df = pd.DataFrame(means), pd.DataFrame(bases)
    means_df.index.name = bases_df.index.name = GROUP_TITLES.get(by, by) if by else None
    return protect_means(means_df, bases_df, rules, caption=caption)


def _hidden_where_count_is(means: ProtectedTable, profile: ProtectedTable) -> ProtectedTable:
    """The means with every group hidden whose applicants the profile hides (a complementary cell,
    or one the joint protection of the whole publication hides): a mean stands on its count."""
    total = profile.total_label or "Total"
    hidden = [
        g for g in means.values.index if g in profile.suppressed.index and profile.suppressed.at[g, total]
    ]
    if not hidden:
        return means
    status = means.status.copy()
    status.loc[hidden, :] = status.loc[hidden, :].map(lambda s: s if s in ("z", "na") else "secondary")
    return ProtectedTable.derive(
        means.values,
        status,
        caption=means.caption,
        rule=means.rule,
        kind=means.kind,
        decimals=1,
        notes=means.notes,
        total_label=means.total_label,
    )


@dataclass
class ReadinessTables:
    """The protected tables behind the readiness section, keyed for text and charts."""

    likert: ProtectedTable  # counts, items × answers, with each item's total (no total row)
    likert_shares: ProtectedTable  # row shares of `likert`, items only (for the diverging bars)
    levels: ProtectedTable  # level × (Now, Aim for 2026) counts
    bands: ProtectedTable  # ambition band frequencies (the total row of the profiles)
    practices: ProtectedTable
    wants: ProtectedTable
    commitment: ProtectedTable
    practices_by_type: ProtectedTable
    profiles: dict[str, ProtectedTable]
    profile_means: dict[str, ProtectedTable]
    index_mean: ProtectedTable

    def published(self) -> dict[str, ProtectedTable]:
        """The tables the appendix publishes, by name, in the order it shows them."""
        return {
            "practices_by_type": self.practices_by_type,
            "ambition_bands": self.bands,
            "readiness_answers": self.likert,
            "practices": self.practices,
            "commitment": self.commitment,
            **{f"profile_{by}": table for by, table in self.profiles.items()},
            **{f"profile_means_{by}": table for by, table in self.profile_means.items()},
        }


def _most_first(table: ProtectedTable) -> ProtectedTable:
    """Rows by their published count, most first, unpublished ones last in their own order, as
    the chart beside the table draws them (a reader compares the two): the options ticked have no
    order of their own. Only published values decide, so the order says nothing of a hidden count."""
    counts = table.values.iloc[:, 0]
    return table.subset(
        rows=sorted(counts.index, key=lambda r: (np.isnan(counts[r]), -np.nan_to_num(counts[r])))
    )


def protect_tables(raw: dict[str, pd.DataFrame], rules: DisclosureRules) -> ReadinessTables:
    """Protect every published applicant table from `counts.raw_frames` of the consenting applicants.

    The three profiles share their column totals (applicants per band), so they are protected
    together (`protect_linked`) and the band table is their common total row: no published
    table can be subtracted from another to recover a hidden cell.
    """
    frame = raw["applicants"]
    by_list = [by for by in PROFILE_BY if f"profile_{by}" in raw]
    profiles = protect_linked(
        {by: raw[f"profile_{by}"] for by in by_list},
        rules,
        captions={by: f"Applicants by {PROFILE_BY[by]} and ambition band" for by in by_list},
        share="columns",
        totals=True,
    )
    any_profile = profiles[by_list[0]]
    total = any_profile.total_label or "Total"
    bands = any_profile.subset(rows=[total], caption="Applicants by ambition band", transpose=True)
    bands.values.columns = bands.display.columns = bands.status.columns = ["Applicants"]
    means = {
        by: _hidden_where_count_is(
            protect_mean(
                frame,
                MEAN_COLUMNS,
                by,
                rules,
                caption=f"Mean readiness and participation level by {PROFILE_BY[by]}",
            ),
            profiles[by],
        )
        for by in by_list
    }
    likert = protect_counts(
        raw["readiness_answers"],
        rules,
        totals=True,
        caption="Applicants' answers to the five readiness statements, in three bands",
    )
    shares = protect_shares(
        likert, rules, of="row", caption="Share of applicants giving each answer to the readiness statements"
    )
    items = [i for i in shares.values.index if i != total]
    levels = protect_linked(
        {"Now": raw["levels"][["Now"]], "Aim for 2026": raw["levels"][["Aim for 2026"]]},
        rules,
        captions={"Now": "Now", "Aim for 2026": "Aim for 2026"},
        share=None,
        totals=True,
    )
    return ReadinessTables(
        # No total row: summed over the five statements it would add unlike things (answers, not
        # applicants); each row's total column is the applicants who answered that statement.
        likert=likert.subset(rows=items),
        likert_shares=shares.subset(rows=items, columns=[c for c in shares.values.columns if c != total]),
        levels=ProtectedTable.side_by_side(
            levels,
            caption="Applicants by participation level now and aimed for by 2026",
            notes=next(iter(levels.values())).notes,
        ),
        bands=bands,
        practices=protect_counts(
            raw["practices"], rules, totals=False, caption=f"Ways of involving citizens already used. {MULTI}"
        ),
        wants=_most_first(
            protect_counts(
                raw["wants"], rules, totals=False, caption=f"What applicants want from the network. {MULTI}"
            )
        ),
        commitment=protect_frequencies(
            raw["commitment"]["Applicants"],
            rules,
            caption="Applicants able to commit to taking part from 2024 to 2026",
        ),
        practices_by_type=protect_counts(
            raw["practices_by_type"],
            rules,
            totals=False,
            caption=f"Ways of involving citizens already used, by organisation type. {MULTI}",
        ),
        profiles=profiles,
        profile_means=means,
        index_mean=protect_mean(
            frame,
            {"readiness_index": MEAN_COLUMNS["readiness_index"]},
            None,
            rules,
            caption="Mean readiness index, all applicants",
        ),
    )


def protect_change(
    changes: dict[str, ChangeSummary], per_member: pd.DataFrame, rules: DisclosureRules
) -> dict[str, dict[str, ProtectedTable]]:
    """From 2025, per change measure: members moving up, same, down ("counts") and the mean change.

    `per_member` is `measures.member_change_frame`; the mean is published only where enough
    members answered in both years and none of the counts is hidden (with their total and
    the size of each move, a mean bounds the hidden counts).
    """
    out = {}
    for col, c in changes.items():
        what = CHANGE_MEASURES[col]
        paired = per_member[(per_member["measure"] == col) & per_member["change"].notna()]
        counts = protect_frequencies(
            change_counts(c), rules, caption=f"Members by change on {what}, {c.baseline_year} to {c.year}"
        )
        mean = protect_mean(
            paired,
            {"change": f"Mean change ({CHANGE_UNITS[col]})"},
            None,
            rules,
            caption=f"Mean change on {what}, {c.baseline_year} to {c.year}",
        )
        if counts.suppressed.to_numpy().any():
            mean = mean.withhold("Not shown: the counts of members behind the mean are hidden.")
        out[col] = {"counts": counts, "mean": mean}
    return out
