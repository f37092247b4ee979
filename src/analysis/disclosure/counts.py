"""Counts of organisations: primary and secondary suppression of one table or of linked tables.

* **Primary suppression**: counts with 0 < n < `min_count` (and zeros too when `zero_is_safe`
  is false).
* **Secondary suppression**: a single flat 2-D table goes to τ-ARGUS (`_tau`); systems of
  linked tables, 1-D tables, and any τ-ARGUS pattern that fails the audit are protected by
  `audit.sequential_protect`, and the final pattern is audited as an intruder would:
  primary cells against their true values, and every hidden cell against its interval alone
  (`_harden`: no interval may read as a small count pinned down).
* **Linked tables** (`protect_linked`): all tables are put into one equation system (shared
  margins are one variable; `relations` add cell-wise sums between tables; `unpublished`
  tables take part as unknowns), so a single suppression pattern holds across region →
  nation → UK, applicants vs members and year vs year. For tables published in different runs
  (last year's brief), pass the old table as `also_suppress=` so its hidden cells stay hidden;
  cells another table prints (`keep_published=`) are never chosen as complementary cells, so a
  value is not hidden here and printed there.
* **Rounding** (`rounding_base` > 0): after suppression every published count, totals
  included, is rounded independently to the base; the table carries a note saying so.

Imports `disclosure.rules`, `.table`, `.audit` and `._tau`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure._tau import tau_argus_pattern
from analysis.disclosure.audit import (
    TOL,
    System,
    drop_pinned,
    failures,
    intervals,
    prune,
    sequential_protect,
)
from analysis.disclosure.rules import DisclosureRules
from analysis.disclosure.table import (
    DisclosureError,
    ProtectedTable,
    origin_frame,
    origin_id,
    protected_table,
)

KEEP_COST = 1e6  # a cell printed elsewhere: hidden here only if nothing else protects the table


def as_count_frame(counts: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(counts, ProtectedTable):
        raise DisclosureError("this table is already protected")
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of counts, got {type(counts).__name__}")
    data = np.nan_to_num(frame.astype(float).to_numpy(), nan=0.0)
    if np.any(data < 0) or np.any(np.abs(data - np.round(data)) > 1e-9):
        raise ValueError("organisation counts must be non-negative whole numbers")
    return pd.DataFrame(np.round(data), index=frame.index, columns=frame.columns)


def _row_order(labels: Sequence, hierarchy: Mapping | None, total_label: str) -> tuple[list, dict]:
    """Published row order and {parent: children}; a parent row comes before its children."""
    children: dict = {}
    top: list = []
    for lab in labels:
        parent = (hierarchy or {}).get(lab)
        if parent is None or parent == lab:
            top.append(lab)
        else:
            if parent not in children:
                top.append(parent)
            children.setdefault(parent, []).append(lab)
    clash = set(children) & set(labels)
    if clash:
        raise ValueError(f"hierarchy parents {sorted(map(str, clash))} are also rows of the table")
    order: list = []
    for lab in top:
        order.append(lab)
        order.extend(children.get(lab, []))
    children[total_label] = top
    return order, children


def _full_table(
    frame: pd.DataFrame, children: Mapping, order: list, total_label: str, totals: bool
) -> pd.DataFrame:
    """The table as published, with subtotal rows and row/column/grand totals added."""
    data = frame.to_numpy(dtype=float)
    rows = {lab: data[i] for i, lab in enumerate(frame.index)}
    for parent in [p for p in children if p != total_label]:
        rows[parent] = np.sum([rows[c] for c in children[parent]], axis=0)
    labels = list(order)
    body = [rows[lab] for lab in order]
    if totals:
        labels.append(total_label)
        body.append(data.sum(axis=0))
    out = np.vstack(body) if body else np.zeros((0, data.shape[1]))
    columns = list(frame.columns)
    if totals and frame.shape[1] > 1:  # a one-column table's total is its total row
        out = np.hstack([out, out.sum(axis=1, keepdims=True)])
        columns.append(total_label)
    return pd.DataFrame(
        out,
        index=pd.Index(labels, name=frame.index.name, dtype=object),
        columns=pd.Index(columns, name=frame.columns.name, dtype=object),
    )


def _add_table(
    system: System,
    name: Hashable,
    full: pd.DataFrame,
    children: Mapping,
    total_label: str,
    *,
    col_total: bool,
    share: str | None,
) -> dict:
    """Register a table's cells and equations; returns {(row, col): var}."""
    cols = [c for c in full.columns if not (col_total and c == total_label)]
    var = {}
    for r in full.index:
        for c in full.columns:
            key = (name, r, c)
            if share == "rows" and col_total and c == total_label:
                key = ("*shared*", r, c)
            elif share == "columns" and r == total_label:
                key = ("*shared*", r, c)
            var[(r, c)] = system.var(key, full.at[r, c])
    for parent, kids in children.items():
        if parent not in full.index:
            continue
        for c in full.columns:
            system.add_sum(var[(parent, c)], [var[(k, c)] for k in kids])
    if col_total:
        for r in full.index:
            system.add_sum(var[(r, total_label)], [var[(r, c)] for c in cols])
    return var


def _need(system: System, cells: Iterable[int], rules: DisclosureRules) -> dict[int, tuple]:
    """Protection levels (lower, upper) for hidden cells that must not be pinned down."""
    out = {}
    for k in cells:
        v = system.value[k]
        level = rules.protection_level(v)
        out[k] = (min(v, level), level)
    return out


def _within_facts(system: System, need: Mapping[int, tuple], facts: set[int]) -> dict[int, tuple]:
    """Protection levels no wider than the public facts leave room for.

    A nation's applicants are at least its public members: a reader knows that much whatever
    is hidden, so a hidden 4 with 1 public member is protected as far down as 1, not 0.
    """
    unknown = set(range(system.n)) - facts
    found = intervals(system, unknown, need)
    out = {}
    for k, (lpl, upl) in need.items():
        lo, hi = found[k]
        v = system.value[k]
        out[k] = (max(0.0, min(lpl, v - lo)), max(0.0, min(upl, hi - v)))
    return out


def _unsafe_intervals(system: System, hidden: set[int], rules: DisclosureRules) -> dict[int, float]:
    """Hidden cells whose interval gives them away to a reader who does not know the value.

    The reader sees only the interval: one inside 1 … min_count − 1 is a small count, and one
    reaching below min_count must be as wide as the protection level of the smallest non-zero
    value it allows, whatever the true value (a secondary 5 bounded to 4 … 6 reads as "maybe
    4, give or take 2"). Returns {cell: the upper bound its interval must reach}; raising the
    upper bound to lower bound + that level suffices, as hiding more only widens intervals.
    """
    found = intervals(system, hidden, hidden)
    out = {}
    for k, (lo, hi) in found.items():
        if lo >= rules.min_count - TOL or hi - lo <= TOL:
            continue  # surely not a small count; or pinned, which drop_pinned publishes
        smallest = max(1, math.ceil(lo - TOL))
        reach = lo + rules.protection_level(smallest)
        small = lo >= 1 - TOL and hi <= rules.min_count - 1 + TOL
        if hi < reach - TOL or small:
            out[k] = max(reach, rules.min_count if small else 0.0)
    return out


def _harden(
    system: System, hidden: set[int], free: set[int], need: Mapping[int, tuple], rules: DisclosureRules
) -> set[int]:
    """Widen every published-table hidden cell (complementary ones too) that its interval gives away.

    The audit of primary cells uses their true values; a reader has only the intervals, so a
    complementary cell near min_count must not look like a pinned-down small count either.
    """
    need = dict(need)
    for _ in range(5):
        weak = {k: v for k, v in _unsafe_intervals(system, hidden, rules).items() if k not in free}
        if not weak:
            return hidden
        for k, reach in weak.items():
            v = system.value[k]
            lpl, upl = need.get(k, (0.0, 0.0))
            need[k] = (lpl, max(upl, reach - v))
        hidden = drop_pinned(system, sequential_protect(system, hidden, free, need), set(need) | free)
    raise RuntimeError("secondary suppression left a hidden cell narrowed near the threshold")


def suppressed_labels(obj) -> set:
    """Cells to keep hidden, from an old ProtectedTable or an iterable of (row, col)."""
    if obj is None:
        return set()
    if isinstance(obj, ProtectedTable):
        s = obj.suppressed
        return {(r, c) for r in s.index for c in s.columns if s.at[r, c]}
    return {tuple(x) for x in obj}


@dataclass
class _Spec:
    name: Hashable
    full: pd.DataFrame
    var: dict
    col_total: bool


def _solve(
    system: System,
    specs: list[_Spec],
    rules: DisclosureRules,
    *,
    forced: Mapping[Hashable, set],
    unpublished: set,
    use_tau: bool,
    keep: Mapping[Hashable, set] | None = None,
    public: set | frozenset = frozenset(),
    joint: Mapping[Hashable, set] | None = None,
) -> set[int]:
    """Choose the hidden cells for the whole system (primary, forced, then complementary).

    Cells of `public` tables are known to every reader: never primary, never chosen to hide.
    The `joint` protection's cells are hidden as complements of cells elsewhere in the
    publication, whose check they answer to: here they only need not be pinned down (a reader's
    view of them is still checked), not the protection of a small count of their own value.
    """
    facts = {v for s in specs if s.name in public for v in s.var.values()}
    kept = {s.var[rc] for s in specs for rc in (keep or {}).get(s.name, ()) if rc in s.var} | facts
    for k in kept:
        system.cost[k] = KEEP_COST
    primary = {k for k in range(system.n) if rules.is_unsafe_count(system.value[k])} - facts
    forced_vars = {s.var[rc] for s in specs for rc in forced.get(s.name, ()) if rc in s.var}
    joint_vars = {s.var[rc] for s in specs for rc in (joint or {}).get(s.name, ()) if rc in s.var}
    free = {v for s in specs if s.name in unpublished for v in s.var.values()}
    need = _need(system, primary | forced_vars, rules)
    need.update({k: (0.0, 1.0) for k in joint_vars - set(need)})
    forced_vars |= joint_vars
    if facts:
        need = _within_facts(system, need, facts)
    hidden = primary | forced_vars | free
    if use_tau:
        spec = specs[0]
        body = spec.full.iloc[:-1, :-1].to_numpy()
        pattern = tau_argus_pattern(body, rules)
        if pattern is not None:
            rows, cols = list(spec.full.index), list(spec.full.columns)
            hidden |= {spec.var[(rows[i], cols[j])] for i, j in pattern}
            if not failures(system, hidden, need):
                hidden = drop_pinned(system, hidden, primary | forced_vars | free)
                return _harden(system, hidden, free, need, rules)
    hidden = sequential_protect(system, hidden, free, need)
    hidden = prune(system, hidden, primary | forced_vars | free, need)
    hidden = drop_pinned(system, hidden, primary | forced_vars | free)
    hidden = _harden(system, hidden, free, need, rules)
    clash = sorted(str(system.keys[k][1:]) for k in hidden & kept)
    if clash:
        raise DisclosureError(
            f"cells printed in another table, or public, would have to be hidden here: {', '.join(clash)}; "
            f"hide them there too (also_suppress) or merge categories"
        )
    return hidden


def _status_frame(spec: _Spec, system: System, hidden: set[int], rules: DisclosureRules) -> pd.DataFrame:
    status = pd.DataFrame("safe", index=spec.full.index, columns=spec.full.columns, dtype=object)
    for (r, c), k in spec.var.items():
        v = system.value[k]
        if k in hidden:
            status.at[r, c] = "primary" if rules.is_unsafe_count(v) else "secondary"
        elif v == 0:
            status.at[r, c] = "zero"
    return status


def _prepare(counts, hierarchy, total_label, totals):
    frame = as_count_frame(counts)
    order, children = _row_order(list(frame.index), hierarchy, total_label)
    if not totals:
        children = {p: k for p, k in children.items() if p != total_label}
    full = _full_table(frame, children, order, total_label, totals)
    return full, children


def protect_counts(
    counts: pd.DataFrame,
    rules: DisclosureRules,
    *,
    caption: str,
    totals: bool = True,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress=None,
    keep_published=None,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Protect a cross-table (or one column) of organisation counts.

    Adds subtotal rows for `hierarchy` ({row: parent row}, e.g. region → nation; the grand
    total plays the UK) and, when `totals`, a total row and column. `also_suppress` (an older
    ProtectedTable or (row, col) pairs) keeps cells hidden that another published table hid,
    so the two cannot be differenced (e.g. the same members last year); `keep_published`
    ((row, col) pairs another table prints) are never chosen as complementary cells.
    """
    return protect_linked(
        {"t": counts},
        rules,
        captions={"t": caption},
        share=None,
        totals=totals,
        total_label=total_label,
        hierarchy=hierarchy,
        also_suppress={"t": also_suppress},
        keep_published={"t": keep_published},
        notes={"t": notes},
    )["t"]


def protect_linked(
    tables: Mapping[Hashable, pd.DataFrame],
    rules: DisclosureRules,
    *,
    captions: Mapping[Hashable, str],
    share: str | None = "rows",
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]] = (),
    unpublished: Iterable[Hashable] = (),
    totals: bool = True,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress: Mapping[Hashable, Any] | None = None,
    keep_published: Mapping[Hashable, Any] | None = None,
    notes: Mapping[Hashable, Sequence[str]] | None = None,
    public: Iterable[Hashable] = (),
) -> dict[Hashable, ProtectedTable]:
    """Protect several count tables with one suppression pattern, so none undoes another.

    * `share="rows"`: the tables describe the same organisations by the same row categories
      (e.g. region × type and region × size), so their row totals are one and the same cells;
      `"columns"` likewise for column totals; None for independent tables.
    * `relations`: [(target, (part, ...)), ...] cell-wise sums between tables of the same
      shape, e.g. ("applicants", ("members", "not_selected")).
    * `unpublished`: tables that only take part in `relations` (never published); their small
      cells are protected as if they were published.
    * `hierarchy`: {row: parent} for every table (region → nation; the total is the UK).
    * `keep_published`: {name: (row, col) pairs} printed by another table, never hidden here.
    * `public`: tables of facts every reader knows (members by nation, under the membership
      policy): printed in full and never hidden, they take part in `relations` as known
      values, so the pattern protects the other tables against them. Their cells carry no
      origin, so the joint protection of the whole publication never hides them either.
    Returns {name: ProtectedTable} for the published tables.
    """
    unpublished, public = set(unpublished), set(public)
    also = {k: suppressed_labels(v) for k, v in (also_suppress or {}).items()}
    keep = {k: {tuple(x) for x in v} for k, v in (keep_published or {}).items() if v}
    system = System()
    specs = []
    for name, counts in tables.items():
        full, children = _prepare(counts, hierarchy, total_label, totals)
        col_total = totals and full.shape[1] > len(as_count_frame(counts).columns)
        var = _add_table(system, name, full, children, total_label, col_total=col_total, share=share)
        specs.append(_Spec(name, full, var, col_total))
    _add_relations(system, specs, relations)
    joint: dict[Hashable, set] = {}
    for spec in specs:  # cells the joint protection of the whole publication hides as well
        if spec.name not in unpublished | public and rules.joint_hides:
            hides = {rc for rc in spec.var if origin_id(captions[spec.name], *rc) in rules.joint_hides}
            if hides:
                joint[spec.name] = hides
    single = (
        len(specs) == 1
        and not hierarchy
        and not also.get(specs[0].name)
        and not joint
        and not keep
        and rules.zero_is_safe
        and specs[0].col_total
        and totals
        and specs[0].full.shape[0] > 2
    )
    hidden = _solve(
        system,
        specs,
        rules,
        forced=also,
        unpublished=unpublished,
        use_tau=single,
        keep=keep,
        public=public,
        joint=joint,
    )
    out = {}
    for spec in specs:
        if spec.name in unpublished:
            continue
        status = _status_frame(spec, system, hidden, rules)
        table = protected_table(
            spec.full,
            status,
            rules,
            caption=captions[spec.name],
            kind="count",
            notes=(notes or {}).get(spec.name) or (),
            total_label=total_label if totals else None,
            rounded=True,
        )
        # off the record, for the joint protection: true values of hidden cells, cells' origins
        origin = origin_frame(captions[spec.name], spec.full)
        if spec.name in public:  # a public fact has no origin: the joint protection cannot hide it
            origin = origin.map(lambda _: None)
        out[spec.name] = replace(table, truth=spec.full, origin=origin)
    return out


def _add_relations(system: System, specs: list[_Spec], relations) -> None:
    by_name = {s.name: s for s in specs}
    for target, parts in relations:
        t = by_name[target]
        for rc, k in t.var.items():
            if all(rc in by_name[p].var for p in parts):
                system.add_sum(k, [by_name[p].var[rc] for p in parts])


def protect_frequencies(
    series: pd.Series,
    rules: DisclosureRules,
    *,
    caption: str,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress=None,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """A one-way table of organisation counts with its total.

    A lone hidden cell would be recovered from the total, so a second cell (the cheapest that
    protects it) is hidden too, or the total when nothing else will do.
    """
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ValueError("protect_frequencies takes one column; use protect_counts")
        series = series.iloc[:, 0]
    frame = series.to_frame(name=series.name if series.name is not None else "count")
    forced = {(r, frame.columns[0]) for r, *_ in suppressed_labels(also_suppress)}
    return protect_counts(
        frame,
        rules,
        caption=caption,
        totals=True,
        total_label=total_label,
        hierarchy=hierarchy,
        also_suppress=forced or None,
        notes=notes,
    )
