"""Selection tables: the published tables of the draw, protected by `analysis.disclosure`.

Chances by nation and ambition band are shown only where the group behind them could itself be
published (a chance for "the only applicant from Northern Ireland" is that organisation's
chance); the eligible pool by nation is protected together with the unpublished "not selected"
counts, so pool minus members cannot reveal a hidden cell. The selected members by nation are
shown in full: members are public (the membership policy), and the published quotas would pin
hidden ones anyway.

Layer: protect. Imports `analysis.disclosure`, `analysis.reference` and the selection engine
(`eligibility`, `lottery`).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis import disclosure as d
from analysis.reference import NATION_ORDER
from analysis.selection.eligibility import reason_counts
from analysis.selection.lottery import SelectionResult

ELIGIBLE = "Eligible applicants"
CHANCE = "Average chance of selection"
MEMBERS = "Drawn by the lottery"  # the drawn panel: a declined place is filled from the reserves
BAND_ORDER = ["High", "Medium", "Low"]


def spread_counts(result: SelectionResult, col: str, order: list[str] | None = None) -> pd.DataFrame:
    """Eligible applicants and selected members by `col` (unprotected: for the tables and notebooks)."""
    pool = result.pool
    members = pool[pool["org_id"].isin(result.selected)]
    t = pd.DataFrame({ELIGIBLE: pool[col].value_counts(), MEMBERS: members[col].value_counts()})
    t = t.fillna(0).astype(int)
    if order:
        t = t.reindex([o for o in order if o in t.index])
    return t


ALL_ELIGIBLE = "All eligible applicants"


def chance_table(
    result: SelectionResult, col: str, title: str, rules: d.DisclosureRules, order: list[str] | None = None
) -> tuple[d.ProtectedTable, d.ProtectedTable]:
    """(eligible counts, average chance) by group; a chance is hidden wherever its count is."""
    pool = result.pool.merge(result.probabilities[["org_id", "lottery_probability"]], on="org_id")
    counts = pool[col].value_counts()
    if order:
        counts = counts.reindex([o for o in order if o in counts.index])
    counts.index.name = title
    counts.name = ELIGIBLE
    base = d.protect_frequencies(counts, rules, caption=f"Eligible applicants by {title.lower()}")
    chance = pool.groupby(col)["lottery_probability"].mean().reindex(counts.index)
    chance.loc["Total"] = pool["lottery_probability"].mean()
    chance = chance.reindex(base.values.index).to_frame(CHANCE)
    chance.index.name = title
    probs = d.protect_probabilities(
        chance,
        base.relabel(columns=[CHANCE]),
        rules,
        caption=f"Average chance of selection by {title.lower()}",
        notes=(
            "The chance is the share of the "
            f"{len(result.lottery)} equally likely panels that include an applicant.",
        ),
    )
    # The last row is the average over every eligible applicant, not a sum: say so.
    return base, probs.relabel(index={"Total": ALL_ELIGIBLE})


def chances_by_nation(result: SelectionResult, rules: d.DisclosureRules) -> d.ProtectedTable:
    """The average chance of selection by nation."""
    return chance_table(result, "nation", "Nation", rules, list(NATION_ORDER))[1]


def chances_by_band(result: SelectionResult, rules: d.DisclosureRules) -> d.ProtectedTable:
    """The average chance of selection by ambition band (High, Medium, Low)."""
    banded = dataclasses.replace(
        result, pool=result.pool.assign(ambition=result.pool["ambition"].str.capitalize())
    )
    return chance_table(banded, "ambition", "Ambition band", rules, BAND_ORDER)[1]


def eligibility_table(result: SelectionResult, rules: d.DisclosureRules) -> d.ProtectedTable:
    """Applicants by eligibility: the main reason each excluded applicant was not in the pool."""
    excluded = reason_counts(result.assessment).set_index("description")["applicants"]
    excluded.index.name = "Eligibility"
    return d.protect_frequencies(
        excluded[excluded > 0].rename("Applicants"),
        rules,
        caption="Applicants by eligibility (main reason for exclusion)",
    )


def spread_tables(result: SelectionResult, rules: d.DisclosureRules) -> dict[str, d.ProtectedTable]:
    """Eligible pool and selected members by nation, protected together with the (unpublished)
    'not selected' table so that pool minus members cannot reveal a hidden cell."""
    t = spread_counts(result, "nation", list(NATION_ORDER))
    frames = {
        "eligible": t[[ELIGIBLE]],
        "members": t[[MEMBERS]].set_axis([ELIGIBLE], axis=1),
        "not_selected": (t[[ELIGIBLE]] - t[[MEMBERS]].to_numpy()),
    }
    for f in frames.values():
        f.index.name = "Nation"
    out = d.protect_linked(
        frames,
        rules,
        share=None,
        relations=[("eligible", ("members", "not_selected"))],
        unpublished=["not_selected"],
        captions={
            "eligible": "Eligible applicants by nation",
            "members": "Organisations drawn by the lottery, by nation",
            "not_selected": "not published",
        },
    )
    # Members and their nation are public (the membership policy, docs/DISCLOSURE.md), and the
    # published quotas (at least one member from every nation with eligible applicants, at most
    # a few from any region, Wales, Scotland and Northern Ireland each a region) with the panel
    # size pin a hidden small nation's members to 1 or 2 and England's near its value: hiding
    # them protected nothing (the test suite's attacker recovered them), so they are shown in
    # full. The pool stays protected with the unpublished "not selected" counts.
    shown = out["members"].values.copy()
    for nation in shown.index:
        shown.at[nation, ELIGIBLE] = float(
            t[MEMBERS].sum() if nation not in t.index else t.at[nation, MEMBERS]
        )
    members = d.ProtectedTable.derive(
        shown,
        "safe",
        caption=out["members"].caption,
        rule="Members and their nation are public under the membership policy, so these counts are shown "
        "in full; no applicant's answers are shown.",
        kind="count",
        notes=(
            *out["members"].notes,
            "These are the organisations the lottery drew. A place declined afterwards is filled from the "
            "reserves, so the network's members by nation (technical appendix 1) can differ.",
        ),
        total_label=out["members"].total_label,
    )
    return {
        "eligible_by_nation": out["eligible"],
        "members_by_nation": members.relabel(columns=[MEMBERS]),
    }


def protect_tables(result: SelectionResult, rules: d.DisclosureRules) -> dict[str, d.ProtectedTable]:
    """Every published selection table, by the name findings give it."""
    return {
        "eligibility": eligibility_table(result, rules),
        "chance_by_nation": chances_by_nation(result, rules),
        "chance_by_band": chances_by_band(result, rules),
        **spread_tables(result, rules),
    }
