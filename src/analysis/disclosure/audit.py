"""The intruder's view of published tables: the equation system, its LPs, and secondary suppression.

Every table is a system of linear equations (each total is the sum of its parts; linked tables
share cells or add up to one another). An intruder who sees the published cells can bound a
hidden cell by linear programming: its *feasibility interval* is [min, max] of the cell over all
non-negative tables that agree with what is published. `sequential_protect` hides complementary
cells until every hidden cell's interval reaches its protection levels (the Fischetti–Salazar
style heuristic); `intervals` and `failures` are the audit. Internal to `analysis.disclosure`;
imports numpy and HiGHS only.
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

TOL = 1e-6


@dataclass
class System:
    """Cells (variables) and the equations tying them together, across any number of tables."""

    keys: list[Hashable] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    index: dict[Hashable, int] = field(default_factory=dict)
    equations: list[dict[int, float]] = field(default_factory=list)

    def var(self, key: Hashable, value: float, cost: float | None = None) -> int:
        """The variable for `key`, created on first use; a reused key must agree in value."""
        if key in self.index:
            k = self.index[key]
            if abs(self.value[k] - value) > TOL:
                raise ValueError(
                    f"linked cell {key!r} has two different values: {self.value[k]:g} and {value:g}"
                )
            return k
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.value.append(float(value))
        self.cost.append(float(value) + 1.0 if cost is None else float(cost))
        return self.index[key]

    def add_sum(self, total: int, parts: Iterable[int]) -> None:
        """Record total = sum(parts)."""
        eq: dict[int, float] = {total: -1.0}
        for p in parts:
            eq[p] = eq.get(p, 0.0) + 1.0
        eq = {k: c for k, c in eq.items() if c != 0}
        if eq:
            self.equations.append(eq)

    @property
    def n(self) -> int:
        return len(self.keys)


_highs_banner_done = False


def new_highs():
    """A silent HiGHS instance (the first one in a process prints a banner to fd 1)."""
    global _highs_banner_done
    if not _highs_banner_done:
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _highs_banner_done = True
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _pass_lp(h, n_col: int, cost, lower, upper, rows: list[dict[int, float]], rhs_lo, rhs_hi):
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(rhs_lo, dtype=float)
    lp.row_upper_ = np.asarray(rhs_hi, dtype=float)
    starts, idx, vals = [0], [], []
    for row in rows:
        for k in sorted(row):
            idx.append(k)
            vals.append(row[k])
        starts.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(vals, dtype=float)
    h.passModel(lp)


def _run_fresh_if_lost(h) -> highspy.HighsModelStatus:
    """Solve, and once more from scratch when the warm start from the previous objective leaves
    HiGHS without a verdict ("Unknown" after an unbounded maximum, seen on small linked tables)."""
    h.run()
    status = h.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded):
        h.clearSolver()
        h.run()
        status = h.getModelStatus()
    return status


def intervals(
    system: System, hidden: set[int], cells: Iterable[int], bounds: Mapping[int, tuple] | None = None
) -> dict[int, tuple]:
    """Feasibility interval of each of `cells` given every cell outside `hidden` published.

    The intruder's LP: hidden cells are unknown non-negative reals (within `bounds` where given,
    e.g. a rounded count's range), published cells are fixed, every equation holds. Returns
    {cell: (min, max)}; max is inf when unbounded.
    """
    cols = sorted(hidden)
    bounds = bounds or {}
    col_of = {k: i for i, k in enumerate(cols)}
    val = system.value
    rows, rhs = [], []
    for eq in system.equations:
        row = {col_of[k]: c for k, c in eq.items() if k in col_of}
        if row:
            rows.append(row)
            rhs.append(-sum(c * val[k] for k, c in eq.items() if k not in col_of))
    h = new_highs()
    _pass_lp(
        h,
        len(cols),
        np.zeros(len(cols)),
        np.array([bounds.get(k, (0.0, None))[0] for k in cols], dtype=float),
        np.array([_upper(bounds.get(k, (0.0, None))[1]) for k in cols], dtype=float),
        rows,
        rhs,
        rhs,
    )
    out = {}
    for cell in cells:
        i = col_of[cell]
        h.changeColCost(i, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            status = _run_fresh_if_lost(h)
            if status == highspy.HighsModelStatus.kUnboundedOrInfeasible and bounds:
                status = highspy.HighsModelStatus.kUnbounded  # the minimum was found: it is feasible
            if status == highspy.HighsModelStatus.kOptimal:
                bounds.append(h.getInfo().objective_function_value)
            elif status == highspy.HighsModelStatus.kUnbounded:
                bounds.append(math.inf)
            else:
                raise RuntimeError(f"disclosure audit LP failed: {h.modelStatusToString(status)}")
        h.changeColCost(i, 0.0)
        out[cell] = (bounds[0], bounds[1])
    return out


def _upper(value: float | None) -> float:
    return highspy.kHighsInf if value is None or math.isinf(value) else float(value)


def failures(
    system: System, hidden: set[int], need: Mapping[int, tuple[float, float]]
) -> dict[int, tuple[bool, bool]]:
    """Cells whose interval does not reach (value − lpl, value + upl): {cell: (low_ok, up_ok)}."""
    if not need:
        return {}
    found = intervals(system, hidden, need)
    out = {}
    for k, (lo, hi) in found.items():
        lpl, upl = need[k]
        v = system.value[k]
        low_ok = lo <= v - lpl + TOL
        up_ok = hi >= v + upl - TOL
        if not (low_ok and up_ok):
            out[k] = (low_ok, up_ok)
    return out


def _cells_to_move(system: System, hidden: set[int], free: set[int], cell: int, shift: float) -> set[int]:
    """The cheapest set of cells that must change when `cell` moves by `shift`.

    Variables are up/down moves of every cell; equations must still hold and no cell may go
    negative. Cells already hidden (or never published) move for (almost) nothing, so the LP
    reuses them before hiding anything new.
    """
    n = system.n
    val = np.asarray(system.value)
    cost = np.asarray(system.cost, dtype=float)
    cheap = np.array([k in hidden or k in free for k in range(n)])
    c = np.where(cheap, 1e-4, cost)
    lower = np.zeros(2 * n)
    upper = np.concatenate([np.full(n, highspy.kHighsInf), val])  # down-move ≤ value
    if shift > 0:
        lower[cell] = upper[cell] = shift
        upper[n + cell] = 0.0
    else:
        lower[n + cell] = upper[n + cell] = -shift
        upper[cell] = 0.0
    rows = [
        {**{k: co for k, co in eq.items()}, **{n + k: -co for k, co in eq.items()}} for eq in system.equations
    ]
    zeros = np.zeros(len(rows))
    h = new_highs()
    _pass_lp(h, 2 * n, np.concatenate([c, c]), lower, upper, rows, zeros, zeros)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return set()
    x = np.asarray(h.getSolution().col_value)
    moved = (x[:n] + x[n:]) > 1e-7
    return {k for k in range(n) if moved[k]}


def sequential_protect(
    system: System, hidden: set[int], free: set[int], need: Mapping[int, tuple[float, float]]
) -> set[int]:
    """Add complementary cells until every cell in `need` reaches its protection levels.

    One pass, smallest cells first: hiding more cells only widens intervals, so a cell that
    is protected stays protected; the closing audit proves it.
    """
    hidden = set(hidden)
    for cell in sorted(need, key=lambda k: (system.value[k], k)):
        for _ in range(3):
            failing = failures(system, hidden, {cell: need[cell]})
            if not failing:
                break
            low_ok, up_ok = failing[cell]
            lpl, upl = need[cell]
            if not up_ok:
                hidden |= _cells_to_move(system, hidden, free, cell, upl)
            if not low_ok:
                hidden |= _cells_to_move(system, hidden, free, cell, -lpl)
    if failures(system, hidden, need):
        raise RuntimeError("secondary suppression left a hidden cell pinned down")
    return hidden


def prune(
    system: System,
    hidden: set[int],
    fixed: set[int],
    need: Mapping[int, tuple[float, float]],
    budget: int = 150,
) -> set[int]:
    """Publish again any complementary cell that turns out not to be needed (largest first).

    Each trial is a full audit, so it is skipped when trials × audited cells exceed `budget`
    (the pattern is already safe; pruning only shows more).
    """
    optional = sorted(hidden - fixed, key=lambda k: (-system.cost[k], k))
    if len(optional) * max(1, len(need)) > budget:
        return hidden
    for k in optional:
        trial = hidden - {k}
        if not failures(system, trial, need):
            hidden = trial
    return hidden


def drop_pinned(system: System, hidden: set[int], fixed: set[int]) -> set[int]:
    """Publish complementary cells an intruder can work out exactly anyway.

    A pinned cell is the same in every table consistent with what is published, so showing
    it (all of them at once) changes no interval; hiding it would only suggest protection
    that is not there.
    """
    optional = hidden - fixed
    if not optional:
        return hidden
    found = intervals(system, hidden, optional)
    pinned = {k for k, (lo, hi) in found.items() if hi - lo <= TOL}
    return hidden - pinned
