"""Money (and other magnitudes): the minimum-contributors and dominance (NK) rules, by group.

A £ total from one or two organisations, or dominated by the largest few, reveals their grant
or budget: such a figure is hidden, and enough other group totals with it that the overall
total does not give it away. Imports `disclosure.rules`, `.table` and `.audit`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.disclosure.audit import System, drop_pinned, prune, sequential_protect
from analysis.disclosure.rules import DisclosureRules
from analysis.disclosure.table import ProtectedTable, protected_table


def dominance(contrib: np.ndarray, rules: DisclosureRules) -> str | None:
    """'primary' (too few contributors), 'dominance' (NK rule) or None (safe)."""
    positive = np.sort(np.abs(contrib[contrib != 0]))[::-1]
    if len(positive) == 0:
        return None
    if len(positive) < rules.money_min_contributors:
        return "primary"
    top = positive[: int(rules.dominance_n)].sum()
    if top > float(rules.dominance_k) / 100.0 * positive.sum() + 1e-9:
        return "dominance"
    return None


def _money_levels(contrib: np.ndarray, reason: str, rules: DisclosureRules) -> tuple[float, float]:
    """How far a hidden £ figure must stay uncertain, either side.

    Dominance: far enough up that the largest `dominance_n` would no longer hold `dominance_k`
    % of it (τ-ARGUS's NK protection level), so the total no longer reveals their share. Too
    few contributors: `protection_percent` of the figure, as for counts.
    """
    total = float(np.abs(contrib).sum())
    if reason == "dominance":
        top = np.sort(np.abs(contrib))[::-1][: int(rules.dominance_n)].sum()
        level = max(1.0, math.ceil(100.0 / float(rules.dominance_k) * top - total))
    else:
        level = rules.protection_level(total)
    return min(total, level), level


def protect_money(
    values: pd.DataFrame,
    value_col: str,
    by: str | Sequence[str] | None = None,
    rules: DisclosureRules | None = None,
    *,
    caption: str,
    stat: str = "sum",
    total_label: str = "Total",
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Totals (or means) of £ by group, from one row per organisation.

    A figure is hidden when fewer than `money_min_contributors` organisations have a non-zero
    value, or when the largest `dominance_n` hold more than `dominance_k` % of it; then enough
    other group totals are hidden that the overall total does not give it away. A mean is
    hidden exactly where the matching total is (mean × count = total).
    """
    if rules is None:
        raise TypeError("protect_money needs the disclosure rules")
    if stat not in ("sum", "mean"):
        raise ValueError("stat must be 'sum' or 'mean'")
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    if len(by) > 2:
        raise ValueError("protect_money groups by at most two columns")
    data = values[[*by, value_col]].dropna(subset=[value_col])
    groups, full_keys = _money_groups(data, by, value_col, total_label)
    system = System()
    var = {}
    for key, contrib in groups.items():
        var[key] = system.var(key, float(contrib.sum()))
    _money_equations(system, var, by, total_label)
    prim = {var[key]: dominance(groups[key], rules) for key in var}
    need = {var[key]: _money_levels(groups[key], prim[var[key]], rules) for key in var if prim[var[key]]}
    hidden = sequential_protect(system, set(need), set(), need)
    hidden = drop_pinned(system, prune(system, hidden, set(need), need), set(need))
    return _money_table(
        groups,
        var,
        prim,
        hidden,
        system,
        by,
        value_col,
        stat,
        rules,
        caption=caption,
        total_label=total_label,
        decimals=decimals,
        notes=notes,
    )


def _money_groups(data: pd.DataFrame, by: list, value_col: str, total_label: str):
    """{(row, col): contributions} including every margin."""
    row_key = by[0] if by else None
    col_key = by[1] if len(by) > 1 else None
    rows = sorted(data[row_key].dropna().unique(), key=str) if row_key else []
    cols = sorted(data[col_key].dropna().unique(), key=str) if col_key else []
    groups = {}
    for r in [*rows, total_label] if row_key else [total_label]:
        for c in [*cols, total_label] if col_key else [value_col]:
            mask = np.ones(len(data), dtype=bool)
            if row_key and r != total_label:
                mask &= (data[row_key] == r).to_numpy()
            if col_key and c != total_label:
                mask &= (data[col_key] == c).to_numpy()
            groups[(r, c)] = data.loc[mask, value_col].to_numpy(dtype=float)
    return groups, (rows, cols)


def _money_equations(system: System, var: dict, by: list, total_label: str) -> None:
    rows = list(dict.fromkeys(r for r, _ in var))
    cols = list(dict.fromkeys(c for _, c in var))
    if by:
        for c in cols:
            system.add_sum(var[(total_label, c)], [var[(r, c)] for r in rows if r != total_label])
    if len(by) > 1:
        for r in rows:
            system.add_sum(var[(r, total_label)], [var[(r, c)] for c in cols if c != total_label])


def _money_table(
    groups, var, prim, hidden, system, by, value_col, stat, rules, *, caption, total_label, decimals, notes
) -> ProtectedTable:
    rows = list(dict.fromkeys(r for r, _ in var))
    cols = list(dict.fromkeys(c for _, c in var))
    values = pd.DataFrame(
        np.nan,
        index=pd.Index(rows, name=by[0] if by else None),
        columns=pd.Index(cols, name=by[1] if len(by) > 1 else None),
    )
    status = pd.DataFrame("safe", index=values.index, columns=values.columns, dtype=object)
    for (r, c), k in var.items():
        contrib = groups[(r, c)]
        if stat == "sum":
            values.at[r, c] = system.value[k]
        elif len(contrib):
            values.at[r, c] = float(contrib.mean())
        if k in hidden:
            status.at[r, c] = prim[k] or "secondary"
        elif len(contrib) == 0:
            status.at[r, c] = "z" if stat == "mean" else "zero"
        elif system.value[k] == 0 and stat == "sum":
            status.at[r, c] = "zero"
    return protected_table(
        values,
        status,
        rules,
        caption=caption,
        kind="money",
        decimals=decimals,
        notes=notes,
        total_label=total_label if by else None,
    )
