"""Figures derived from protected counts: shares, means, selection chances, rounded tables.

A derived figure is hidden wherever its count or its base is, and a mean over fewer than
`min_count` organisations is hidden too (it is close to one organisation's answer), so nothing
derived can reveal what the counts hide. Imports `disclosure.rules`, `.cells`, `.table` and `.counts`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.disclosure.cells import HIDDEN_STATUSES
from analysis.disclosure.counts import as_count_frame
from analysis.disclosure.rules import DisclosureRules, round_counts, rounding_note
from analysis.disclosure.table import (
    DisclosureError,
    ProtectedTable,
    protected_table,
    require_protected,
)


def _base_frame(base, rules: DisclosureRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, status) of the base: a ProtectedTable, or raw counts (primary rule only)."""
    if isinstance(base, ProtectedTable):
        return base.values, base.status
    frame = as_count_frame(base)
    status = frame.map(lambda v: "primary" if rules.is_unsafe_count(v) else ("zero" if v == 0 else "safe"))
    return frame, status.astype(object)


def _share_base(counts: ProtectedTable, of: str, label) -> tuple[np.ndarray, np.ndarray]:
    """(base value, base status) broadcast to the table's shape."""
    vals, st = counts.values, counts.status
    if of == "auto":
        of = "row" if label in vals.columns else "column"
    if of == "row" and label in vals.columns:
        base, base_st = vals[[label]].to_numpy(), st[[label]].to_numpy()
    elif of == "column" and label in vals.index:
        base, base_st = vals.loc[[label]].to_numpy(), st.loc[[label]].to_numpy()
    elif of == "total" and label in vals.index:
        col = label if label in vals.columns else vals.columns[0]
        base, base_st = np.array([[vals.at[label, col]]]), np.array([[st.at[label, col]]])
    elif of in ("row", "column", "total"):
        raise DisclosureError(f"the count table has no '{label}' total to take shares of")
    else:
        raise ValueError("of must be 'auto', 'row', 'column' or 'total'")
    return np.broadcast_to(base, vals.shape), np.broadcast_to(base_st, vals.shape)


def protect_shares(
    protected_counts: ProtectedTable,
    rules: DisclosureRules | None = None,
    *,
    caption: str,
    of: str = "auto",
    total_label: str | None = None,
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Percentages of a protected count table, hidden wherever the count or its base is.

    `of`: 'row' (each cell / its row total), 'column' (/ its column total), 'total' (/ the
    grand total) or 'auto' (row when the table has a total column, else column). Shares are
    computed from the published counts only, so they can reveal nothing the counts do not.
    """
    counts = require_protected(protected_counts)
    if counts.kind != "count":
        raise DisclosureError("shares are computed from a protected table of counts")
    label = total_label or counts.total_label or "Total"
    base, base_st = _share_base(counts, of, label)
    vals, st = counts.values, counts.status
    with np.errstate(invalid="ignore", divide="ignore"):
        share = vals.to_numpy() / np.where(base > 0, base, np.nan)
    cell_st = st.to_numpy()
    new = np.where(
        np.isin(cell_st, list(HIDDEN_STATUSES)),
        cell_st,
        np.where(np.isin(base_st, list(HIDDEN_STATUSES)), "secondary", np.where(base == 0, "z", "safe")),
    )
    status = pd.DataFrame(new, index=vals.index, columns=vals.columns, dtype=object)
    return ProtectedTable.derive(
        pd.DataFrame(share, index=vals.index, columns=vals.columns),
        status,
        caption=caption,
        rule=counts.rule,
        kind="share",
        decimals=decimals,
        notes=tuple(notes) or ("Percentages are not shown where their count or base is hidden.",),
        total_label=counts.total_label,
    )


def _mean_status(mean: float, count: float, base_status: str, rules: DisclosureRules) -> str:
    """A mean is hidden with its base, over too few organisations, and [z] over none."""
    if base_status in HIDDEN_STATUSES or base_status in ("na", "z"):
        return base_status
    if np.isnan(count):
        return "na"
    if count == 0:
        return "z"
    if rules.is_unsafe_count(count):
        return "primary"
    return "na" if np.isnan(mean) else "safe"


def protect_means(
    means: pd.DataFrame | pd.Series,
    base_counts,
    rules: DisclosureRules,
    *,
    caption: str,
    decimals: int = 1,
    kind: str = "mean",
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Means (e.g. Likert scores) shown only where the number of organisations behind them is.

    `base_counts` is the protected count table the means are over (same labels; a one-column
    base matches a one-column table whatever the column is called), or raw counts (then a mean
    of fewer than `min_count` organisations is hidden: it is close to one organisation's
    answer). A mean over no one is [z]; a mean whose base is unknown is [x].
    """
    frame = (means.to_frame() if isinstance(means, pd.Series) else means).astype(float)
    counts, base_status = _base_frame(base_counts, rules)
    if counts.shape[1] == 1 and frame.shape[1] == 1:
        counts = counts.set_axis(frame.columns, axis=1)
        base_status = base_status.set_axis(frame.columns, axis=1)
    counts = counts.reindex(index=frame.index, columns=frame.columns)
    base_status = base_status.reindex(index=frame.index, columns=frame.columns).fillna("na")
    status = pd.DataFrame(
        [
            [
                _mean_status(frame.iat[i, j], counts.iat[i, j], base_status.iat[i, j], rules)
                for j in range(frame.shape[1])
            ]
            for i in range(frame.shape[0])
        ],
        index=frame.index,
        columns=frame.columns,
        dtype=object,
    )
    return protected_table(frame, status, rules, caption=caption, kind=kind, decimals=decimals, notes=notes)


def protect_probabilities(
    probabilities: pd.Series | pd.DataFrame,
    group_counts,
    rules: DisclosureRules,
    *,
    caption: str,
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Selection chances by group, hidden where the group is small.

    A group's probability of selection is, for a group of one or two, the chance of a named
    organisation; so it is shown only where the group count would itself be published.
    """
    return protect_means(
        probabilities,
        group_counts,
        rules,
        caption=caption,
        decimals=decimals,
        kind="probability",
        notes=notes,
    )


def round_table(table: ProtectedTable, base: int) -> ProtectedTable:
    """Round every published count (totals too) independently to `base`, with a note."""
    require_protected(table)
    if table.kind != "count":
        raise DisclosureError("only tables of counts are rounded")
    return ProtectedTable.derive(
        round_counts(table.values, base),
        table.status,
        caption=table.caption,
        rule=table.rule,
        kind=table.kind,
        notes=(*table.notes, rounding_note(base)),
        total_label=table.total_label,
    )
