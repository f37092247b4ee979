"""Infeasible quotas, explained in plain English with the smallest change that works.

Simple impossibilities (a minimum larger than the applicants who could fill it, caps that cannot
add up to the panel size) are found here by counting, so the message can name the numbers. Any
remaining conflict (e.g. quotas that only clash through parent bodies) is left to the library,
whose smallest relaxation is then translated by `explain_relaxation`.
"""

from __future__ import annotations

import pandas as pd

from analysis.selection.rules import UNVERIFIED, Quota, SelectionError, SelectionRules


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _bodies(pool: pd.DataFrame) -> int:
    """Distinct parent bodies: at most one member each, so this bounds the panel."""
    return int(pool["parent_key"].nunique())


def _check_panel_size(pool: pd.DataFrame, rules: SelectionRules) -> list[str]:
    k, n, bodies = rules.panel_size, len(pool), _bodies(pool)
    if n < k:
        return [
            f"The panel size is {k} but only {_plural(n, 'applicant is', 'applicants are')} "
            f"eligible; lower selection.panel_size to {max(n, 0)}."
        ]
    if bodies < k:
        return [
            f"The panel size is {k} but the {n} eligible applicants belong to only "
            f"{_plural(bodies, 'parent body', 'parent bodies')} (at most one member each); "
            f"lower selection.panel_size to {bodies}."
        ]
    return []


def _check_nations(pool: pd.DataFrame, rules: SelectionRules) -> list[str]:
    msgs = []
    known = pool[pool["nation"] != UNVERIFIED]
    counts = known.groupby("nation")["parent_key"].nunique()
    people = known.groupby("nation").size()
    need = rules.min_per_nation
    for nation, n in counts.items():
        if n < need:
            who = _plural(int(people[nation]), "applicant is", "applicants are")
            bodies = (
                "" if n == people[nation] else f" (from {_plural(int(n), 'parent body', 'parent bodies')})"
            )
            msgs.append(
                f"The minimum for {nation} is {need} but only {who} eligible there{bodies}; "
                f"lower selection.min_per_nation to {int(counts.min())}."
            )
            break
    seats = need * len(counts)
    if not msgs and seats > rules.panel_size:
        fit = rules.panel_size // max(len(counts), 1)
        msgs.append(
            f"Every one of the {len(counts)} nations with eligible applicants is guaranteed "
            f"{need} seats, which needs {seats} seats but the panel has {rules.panel_size}; "
            f"lower selection.min_per_nation to {fit} or raise selection.panel_size to {seats}."
        )
    return msgs


def _check_high(pool: pd.DataFrame, rules: SelectionRules) -> list[str]:
    need, k = rules.min_high_ambition, rules.panel_size
    n = int(pool.loc[pool["ambition"] == "high", "parent_key"].nunique())
    if need > k:
        return [
            f"The minimum for the high-ambition band is {need} but the panel has only {k} seats; "
            f"lower selection.min_high_ambition to {min(k, n)}."
        ]
    if n < need:
        return [
            f"The minimum for the high-ambition band is {need} but only "
            f"{_plural(n, 'applicant is', 'applicants are')} eligible in it; "
            f"lower selection.min_high_ambition to {n}."
        ]
    return []


def _room(pool: pd.DataFrame, cap: int) -> int:
    per_region = pool.groupby("region_code")["parent_key"].nunique()
    return int(per_region.clip(upper=cap).sum())


def _check_regions(pool: pd.DataFrame, rules: SelectionRules) -> list[str]:
    k, cap = rules.panel_size, rules.max_per_region
    room = _room(pool, cap)
    if room >= k:
        return []
    regions = pool["region_code"].nunique()
    better = next((c for c in range(cap + 1, k + 1) if _room(pool, c) >= k), None)
    fix = (
        f"raise selection.max_per_region to {better}"
        if better is not None
        else f"lower selection.panel_size to {room}"
    )
    return [
        f"At most {cap} members may come from each region, and eligible applicants are in "
        f"{_plural(regions, 'region')}, which allows at most {room} members but the panel has "
        f"{k}; {fix}."
    ]


def precheck(pool: pd.DataFrame, rules: SelectionRules) -> None:
    """Raise SelectionError listing every counting-level impossibility, each with its fix."""
    msgs = _check_panel_size(pool, rules)
    if not msgs:
        msgs = _check_nations(pool, rules) + _check_high(pool, rules) + _check_regions(pool, rules)
    if msgs:
        raise SelectionError(infeasible_message(msgs))


def infeasible_message(lines: list[str]) -> str:
    head = "The selection quotas cannot all be met with the eligible applicants, so no draw was made."
    return "\n".join([head, *("- " + line for line in lines)])


_SETTING = {
    "min_per_nation": "selection.min_per_nation",
    "max_per_region": "selection.max_per_region",
    "min_high_ambition": "selection.min_high_ambition",
}


def explain_relaxation(changes: list[dict], quotas: list[Quota], pool: pd.DataFrame) -> str:
    """Turn the library's smallest relaxation into sentences naming the quota and the numbers."""
    by_key = {(q.feature, q.value): q for q in quotas}
    column = {"nation": "nation", "region": "region_code", "ambition": "ambition"}
    lines = []
    for ch in changes:
        q = by_key[(ch["feature"], ch["value"])]
        n = int((pool[column[q.feature]] == q.value).sum())
        setting = _SETTING.get(q.why, q.why)
        if ch["new_min"] < q.min:
            lines.append(
                f"The minimum for {q.label} is {q.min} but, with the other quotas and at most "
                f"one member per parent body, only {ch['new_min']} of its {n} eligible "
                f"applicants can be on a panel; lower {setting} to {ch['new_min']} for {q.label}."
            )
        if ch["new_max"] > q.max:
            lines.append(
                f"The maximum for {q.label} is {q.max} but the other quotas need "
                f"{ch['new_max']} members from its {n} eligible applicants; raise {setting} "
                f"to {ch['new_max']}."
            )
    return infeasible_message(lines or ["The quotas conflict with one another; relax any one of them."])
