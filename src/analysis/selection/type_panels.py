"""Whole panels from the Nash lottery over types: rounding to 1000 panels and filling seats.

The type-level solution (`nash_types.nash_over_types`) says how often each *type panel* should be
drawn. Here it becomes whole copies of type panels adding up to the panel count, closest in
everyone's chance (a small integer programme), and each copy's seats are filled with the type's
members in a seeded order, so two members of a type differ by at most one panel. Deterministic
for the same inputs and seed. Part of the selection engine (compute layer).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import highspy
import numpy as np

if TYPE_CHECKING:
    from analysis.selection.nash_types import TypeModel


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C-level stdout when created; keep it out of notebooks."""
    try:
        sys.stdout.flush()
        fd = sys.__stdout__.fileno() if sys.__stdout__ else 1
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def round_to_panels(a: np.ndarray, lam: np.ndarray, y: np.ndarray, counts: np.ndarray, m: int) -> np.ndarray:
    """Whole copies of each type panel adding up to m, closest in everyone's chance.

    Each type panel gets floor(m * p) or one more copy; an integer programme chooses which get
    one more so that the largest change in any applicant's chance, |copies.x_t - m y_t| / (m n_t),
    is as small as possible.
    """
    base = np.floor(m * lam + 1e-9).astype(int)
    extra = int(m - base.sum())
    c = a.shape[1]
    if extra == 0:
        return base
    target = m * y - a @ base  # seats still to place per type
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    inf = highspy.kHighsInf
    # columns: e_0..e_{c-1} binary, z >= 0
    h.addVars(c + 1, np.zeros(c + 1), np.array([1.0] * c + [inf]))
    h.changeColsIntegrality(c, np.arange(c, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * c))
    h.addRow(float(extra), float(extra), c, np.arange(c, dtype=np.int32), np.ones(c))
    for t in range(a.shape[0]):
        nz = np.nonzero(a[t])[0]
        idx = np.array([*nz, c], dtype=np.int32)
        # |a_t.e - target_t| <= z n_t
        h.addRow(-inf, float(target[t]), len(idx), idx, np.array([*a[t, nz], -counts[t]], dtype=float))
        h.addRow(float(target[t]), inf, len(idx), idx, np.array([*a[t, nz], counts[t]], dtype=float))
    cost = np.zeros(c + 1)
    cost[c] = 1.0
    h.changeColsCost(c + 1, np.arange(c + 1, dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("the rounding to panels could not be solved")
    e = np.rint(np.array(h.getSolution().col_value[:c])).astype(int)
    return base + e


def expand(model: TypeModel, a: np.ndarray, copies: np.ndarray, seed: int) -> list[tuple[str, ...]]:
    """Turn copies of type panels into panels of applicants.

    Each type's members queue for its seats (in an order drawn from the seed) and go to the back
    once seated, so members of a type get the same number of panels give or take one. A member
    whose parent body already has a seat on the panel keeps their place at the front. If the
    queue cannot fill a panel that way, a small integer programme fills it, preferring the
    least-seated members.
    """
    rng = random.Random(f"cip-nash-types-members:{seed}")
    queues = []
    for ids in model.members:
        ids = list(ids)
        rng.shuffle(ids)
        queues.append(deque(ids))
    used_count = {pid: 0 for ids in model.members for pid in ids}
    group = model.member_group
    type_order = sorted(range(len(model.members)), key=lambda t: (model.counts[t], t))
    panels: list[tuple[str, ...]] = []
    for j in sorted(range(a.shape[1]), key=lambda j: tuple(a[:, j])):
        need = [(t, int(a[t, j])) for t in type_order if a[t, j] > 0]
        for _ in range(int(copies[j])):
            panel = _fill_by_queue(need, queues, group)
            if panel is None:
                panel = _fill_by_ilp(need, model, used_count)
                for t, _k in need:
                    chosen = [pid for pid in queues[t] if pid in panel]
                    for pid in chosen:
                        queues[t].remove(pid)
                    queues[t].extend(chosen)
            for pid in panel:
                used_count[pid] += 1
            panels.append(list(panel))
    _balance(model, panels, used_count)
    return [tuple(sorted(p)) for p in panels]


def _balance(model: TypeModel, panels: list[list[str]], used: dict[str, int]) -> None:
    """Even out seats inside each type: while one member has two panels more than another, give
    one of the first member's panels to the second (where no parent body would then be seated
    twice). The queue leaves such gaps only when parent bodies collide."""
    group = model.member_group
    where: dict[str, list[int]] = {pid: [] for pid in used}
    for i, panel in enumerate(panels):
        for pid in panel:
            where[pid].append(i)
    for ids in model.members:
        if len(ids) < 2:
            continue
        for _ in range(len(panels)):
            hi = max(ids, key=lambda pid: (used[pid], pid))
            lo = min(ids, key=lambda pid: (used[pid], pid))
            if used[hi] - used[lo] <= 1:
                break
            body = group.get(lo)
            for i in where[hi]:
                panel = panels[i]
                if lo in panel:
                    continue
                if body is not None and any(group.get(o) == body for o in panel if o != hi):
                    continue
                panel[panel.index(hi)] = lo
                where[hi].remove(i)
                where[lo].append(i)
                used[hi] -= 1
                used[lo] += 1
                break
            else:
                break


def _fill_by_queue(need, queues, group) -> list[str] | None:
    panel: list[str] = []
    bodies: set[str] = set()
    taken: list[tuple[int, list[str], list[str]]] = []
    ok = True
    for t, k in need:
        q, picked, skipped = queues[t], [], []
        while len(picked) < k and q:
            pid = q.popleft()
            body = group.get(pid)
            if body is not None and body in bodies:
                skipped.append(pid)
                continue
            picked.append(pid)
            if body is not None:
                bodies.add(body)
        taken.append((t, picked, skipped))
        panel += picked
        if len(picked) < k:
            ok = False
            break
    for t, picked, skipped in taken:
        queues[t].extendleft(reversed(skipped))
        if ok:
            queues[t].extend(picked)
        else:
            queues[t].extendleft(reversed(picked))
    return panel if ok else None


def _fill_by_ilp(need, model: TypeModel, used_count: dict[str, int]) -> list[str]:
    """One panel with x_t members of each type and at most one per parent body (always possible
    for a type panel that passed `shares_fit`, because that constraint matrix is bipartite)."""
    ids = [pid for t, _k in need for pid in model.members[t]]
    col = {pid: i for i, pid in enumerate(ids)}
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(ids)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    for t, k in need:
        idx = np.array([col[pid] for pid in model.members[t]], dtype=np.int32)
        h.addRow(float(k), float(k), len(idx), idx, np.ones(len(idx)))
    bodies: dict[str, list[int]] = {}
    for pid in ids:
        if pid in model.member_group:
            bodies.setdefault(model.member_group[pid], []).append(col[pid])
    for body in sorted(bodies):
        idx = np.array(bodies[body], dtype=np.int32)
        if len(idx) > 1:
            h.addRow(-highspy.kHighsInf, 1.0, len(idx), idx, np.ones(len(idx)))
    cost = np.array([used_count[pid] + i / (n + 1) for i, pid in enumerate(ids)], dtype=float)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("a panel of the lottery could not be filled with distinct parent bodies")
    z = np.array(h.getSolution().col_value)
    return [pid for pid in ids if z[col[pid]] > 0.5]
