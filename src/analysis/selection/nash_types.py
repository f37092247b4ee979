"""The Nash-welfare lottery computed over exchangeable types of applicants (fast for large pools).

Why this is exact, not an approximation
---------------------------------------
Two eligible applicants are *exchangeable* when swapping them maps every panel that meets the
rules to another panel that meets them: same nation, region and ambition band, and neither shares
a parent body with another eligible applicant. Group such applicants into a type t of n_t people.

* Any distribution over panels gives a type t an expected number of seats y_t; averaging it over
  all permutations inside types gives each member of t the chance y_t / n_t and changes no y_t.
* The Nash objective sum_i log p_i is strictly concave, so by Jensen's inequality the symmetric
  distribution scores at least as well, and the unique optimum gives every member of a type the
  same chance. The optimum therefore maximises sum_t n_t log(y_t / n_t) over the convex hull of
  the *type panels* x (integers 0 <= x_t <= n_t meeting every quota and the parent-body rule).
* That problem is solved by column generation, as the library does per applicant: a master
  problem (a small log-barrier Newton method) over the type panels found so far, and a pricing integer programme
  (HiGHS) for the type panel with the best gradient value sum_t x_t n_t / y_t. The optimum is
  reached when no type panel beats sum_t n_t (the Nash optimality condition).

Applicants who share a parent body with another eligible applicant are kept as types of one, with
"at most one per parent body" as a constraint, so the reduction never weakens that rule.

The 1000-panel rounding happens on type panels (whole copies of each type panel, the extra copies
chosen by a small integer programme that minimises the largest change in anyone's chance), and the
members of each type fill its seats in turn, in an order drawn from the seed, so two members of a
type differ by at most one panel in 1000. Every panel is a copy of a type panel that meets every
quota, with distinct members from distinct parent bodies.

Everything here is deterministic for the same inputs and seed (sorted keys, private
`random.Random` generators, HiGHS being deterministic), and the global random state is not touched.
The number of types is bounded by regions x bands plus applicants in shared parent bodies, so
the solve does not grow with the size of the pool.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import highspy
import numpy as np

from analysis.selection.type_panels import _quiet_stdout, expand, round_to_panels

QUOTA_FEATURES = ("nation", "region", "ambition")
OPTIMALITY_TOLERANCE = 1e-9  # stop when no type panel beats sum n_t by more than this (relative)
MAX_ITERATIONS = 1000
RANDOM_START_PANELS = 8  # seed-dependent starting type panels (the second-seed check varies them)
DIGITS = 12  # chances are rounded here so later steps never see solver noise


class TypesInfeasible(Exception):
    """No panel meets the quotas (the caller asks the library for the smallest relaxation)."""


class NotCertified(Exception):
    """Pooling parent-body members with their types could not be proved exact (see `compute`)."""


@dataclass(frozen=True)
class TypeModel:
    keys: list[tuple]  # one per type, sorted
    members: list[list[str]]  # member ids per type, sorted
    counts: np.ndarray  # n_t
    quota_rows: list[tuple[list[int], int, int]]  # (type indices, min, max)
    groups: list[list[int]]  # types of one applicant sharing a parent body: at most one seat
    shares: list[tuple[list[int], list[int]]]  # pooled parent bodies: (types, members in each)
    member_group: dict[str, str]  # applicant -> parent body, for applicants sharing one
    panel_size: int
    pooled: bool


def build_types(
    people: list[dict[str, str]],
    quotas: list[dict[str, Any]],
    panel_size: int,
    parent_feature: str,
    *,
    pooled: bool = True,
) -> TypeModel:
    """Types of applicants. `pooled`: applicants sharing a parent body join the type of their
    nation, region and band (with a row per parent body, see `compute`); otherwise each of them
    is a type of one, with "at most one per parent body" as a row over those types."""
    parents: dict[str, int] = {}
    for p in people:
        parents[p[parent_feature]] = parents.get(p[parent_feature], 0) + 1
    by_key: dict[tuple, list[str]] = {}
    member_group: dict[str, str] = {}
    for p in people:
        attrs = tuple(str(p[f]) for f in QUOTA_FEATURES)
        shared = parents[p[parent_feature]] > 1
        if shared:
            member_group[str(p["id"])] = str(p[parent_feature])
        own = shared and not pooled
        key = (("parent", str(p[parent_feature]), str(p["id"])) if own else ("free", "", "")) + attrs
        by_key.setdefault(key, []).append(str(p["id"]))
    keys = sorted(by_key)
    members = [sorted(by_key[k]) for k in keys]
    attrs = [dict(zip(QUOTA_FEATURES, k[3:])) for k in keys]
    rows = []
    for q in quotas:
        idx = [t for t, a in enumerate(attrs) if a[q["feature"]].lower() == str(q["value"]).lower()]
        rows.append((idx, int(q["min"]), int(q["max"])))
    grouped: dict[str, list[int]] = {}
    shares: dict[str, dict[int, int]] = {}
    type_of = {pid: t for t, ids in enumerate(members) for pid in ids}
    for pid, body in sorted(member_group.items()):
        if pooled:
            row = shares.setdefault(body, {})
            row[type_of[pid]] = row.get(type_of[pid], 0) + 1
        else:
            grouped.setdefault(body, []).append(type_of[pid])
    return TypeModel(
        keys=keys,
        members=members,
        counts=np.array([len(m) for m in members], dtype=float),
        quota_rows=rows,
        groups=[grouped[g] for g in sorted(grouped)],
        shares=[(sorted(shares[g]), [shares[g][t] for t in sorted(shares[g])]) for g in sorted(shares)],
        member_group=member_group,
        panel_size=int(panel_size),
        pooled=pooled,
    )


def shares_fit(model: TypeModel, x: np.ndarray) -> bool:
    """Exact check that a type panel x can be filled from every type without two members of one
    parent body, in the average over fillings: sum over a body's members of x_t / n_t <= 1."""
    n = model.counts.astype(int)
    for idx, cs in model.shares:
        if sum(c * x[t] / n[t] for t, c in zip(idx, cs)) < 1 - 1e-9:
            continue
        if sum(Fraction(int(c) * int(x[t]), int(n[t])) for t, c in zip(idx, cs)) > 1:
            return False
    return True


def _binding_shares(model: TypeModel) -> list[tuple[list[int], list[int]]]:
    """The parent-body rows that some type panel could break: with x_t at most the smallest cap
    on type t (its count, the panel size, any quota maximum), most large pools have none."""
    cap = np.minimum(model.counts, model.panel_size)
    for idx, _lo, hi in model.quota_rows:
        for t in idx:
            cap[t] = min(cap[t], hi)
    return [
        (idx, cs)
        for idx, cs in model.shares
        if sum(c * cap[t] / model.counts[t] for t, c in zip(idx, cs)) > 1 - 1e-9
    ]


# ---------------------------------------------------------------------------
class Pricing:
    """The integer programme over type panels: max w.x subject to the rules."""

    def __init__(self, model: TypeModel, upper: np.ndarray | None = None, *, shares: bool = True):
        with _quiet_stdout():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", 0.0)
        n = len(model.keys)
        ub = model.counts if upper is None else upper
        inf = highspy.kHighsInf
        h.addVars(n, np.zeros(n), np.asarray(ub, dtype=float))
        h.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
        )
        self._row(h, list(range(n)), model.panel_size, model.panel_size)
        for idx, lo, hi in model.quota_rows:
            self._row(h, idx, lo, min(hi, inf))
        for idx in model.groups:
            self._row(h, idx, -inf, 1)
        if shares:
            for idx, cs in _binding_shares(model):
                h.addRow(
                    -inf,
                    1.0,
                    len(idx),
                    np.array(idx, dtype=np.int32),
                    np.array([c / model.counts[t] for t, c in zip(idx, cs)], dtype=float),
                )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.h, self.n, self.hs = h, n, highspy

    @staticmethod
    def _row(h, idx: list[int], lo: float, hi: float) -> None:
        h.addRow(float(lo), float(hi), len(idx), np.array(idx, dtype=np.int32), np.ones(len(idx)))

    def best(self, weights: np.ndarray) -> np.ndarray | None:
        """The type panel maximising weights.x, or None when no panel meets the rules."""
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.asarray(weights, dtype=float))
        self.h.run()
        status = self.h.getModelStatus()
        if status == self.hs.HighsModelStatus.kInfeasible:
            return None
        if status != self.hs.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the HiGHS solver stopped with status {self.h.modelStatusToString(status)}")
        return np.rint(np.array(self.h.getSolution().col_value)).astype(int)


# ---------------------------------------------------------------------------
def _master(columns: np.ndarray, counts: np.ndarray, active: np.ndarray) -> np.ndarray:
    """max sum_t n_t log(y_t), y = A w, over mixtures w of the columns (types x panels).

    A small log-barrier Newton method (the problem has only as many variables as type panels
    found): deterministic, accurate to ~1e-12 and without cvxpy's import time. The barrier
    weight mu falls by 10 after each centring until the duality gap mu * panels is negligible.
    """
    a, n = columns[active], counts[active]
    c = a.shape[1]
    total = float(n.sum())
    w = np.full(c, 1.0 / c)
    ones = np.ones(c)

    def phi(x: np.ndarray, mu: float) -> float:
        return float(-(n @ np.log(a @ x)) - mu * np.log(x).sum())

    mu = total / c
    while True:
        for _ in range(200):
            y = a @ w
            g = -(a.T @ (n / y)) - mu / w
            h = (a.T * (n / y**2)) @ a + np.diag(mu / w**2)
            sol = np.linalg.solve(h, np.column_stack([g, ones]))
            nu = -sol[:, 0].sum() / sol[:, 1].sum()
            d = -(sol[:, 0] + nu * sol[:, 1])
            decrement = float(-(g @ d))
            if decrement <= 1e-14 * total:
                break
            neg = d < 0
            step = min(1.0, 0.99 * float(np.min(-w[neg] / d[neg]))) if neg.any() else 1.0
            f0 = phi(w, mu)
            while step > 1e-16 and phi(w + step * d, mu) > f0 - 0.25 * step * decrement:
                step *= 0.5
            w = w + step * d
        if mu * c <= 1e-13 * total:
            break
        mu /= 10.0
    w = np.clip(w, 0.0, None)
    return w / w.sum()


def _reachable(pricing: Pricing, n_types: int, columns: dict[tuple[int, ...], None]) -> np.ndarray:
    """Which types some panel can include (the others have a chance of 0, forced by the quotas),
    adding the panels found to `columns`: repeatedly the panel with the most seats for types not
    yet covered, until no panel adds one (a handful of solves instead of one per type)."""
    reachable = np.zeros(n_types, dtype=bool)
    while not reachable.all():
        x = pricing.best((~reachable).astype(float))
        if x is None or not (x[~reachable] > 0).any():
            break
        reachable |= x > 0
        columns.setdefault(tuple(x), None)
    return reachable


def nash_over_types(model: TypeModel, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """(type panels as columns, their probabilities, expected seats y per type, diagnostics).

    Raises TypesInfeasible when no panel meets the rules, and NotCertified when a pooled model
    cannot be proved to give the exact optimum (see `compute`).
    """
    pricing = Pricing(model)
    relaxed = Pricing(model, shares=False) if _binding_shares(model) else None
    n_types = len(model.keys)
    counts = model.counts
    columns: dict[tuple[int, ...], None] = {}
    first = pricing.best(np.zeros(n_types))
    if first is None:
        if relaxed is not None and relaxed.best(np.zeros(n_types)) is not None:
            raise NotCertified()
        raise TypesInfeasible()
    columns[tuple(first)] = None
    reachable = _reachable(pricing, n_types, columns)
    if (
        relaxed is not None
        and not reachable.all()
        and not np.array_equal(reachable, _reachable(relaxed, n_types, {}))
    ):
        raise NotCertified()
    # A few seed-dependent starting panels, so a second seed starts the search elsewhere.
    rng = random.Random(f"cip-nash-types:{seed}")
    for _ in range(RANDOM_START_PANELS):
        x = pricing.best(np.array([rng.random() for _ in range(n_types)]))
        columns.setdefault(tuple(x), None)
    active = reachable
    total = float(counts[active].sum())
    iterations, gap = 0, math.inf
    while True:
        iterations += 1
        a = np.array(list(columns), dtype=float).T  # types x panels
        lam = _master(a, counts, active)
        y = a @ lam
        grad = np.where(active, counts / np.where(active, y, 1.0), 0.0)
        x = pricing.best(grad)
        value = float(grad @ x)
        gap = value / total - 1.0
        if gap <= OPTIMALITY_TOLERANCE or tuple(x) in columns or iterations >= MAX_ITERATIONS:
            break
        columns[tuple(x)] = None
    if relaxed is not None:
        # Certificate: no panel at all (parent bodies ignored) beats the optimum found.
        x = relaxed.best(grad)
        gap = max(gap, float(grad @ x) / total - 1.0)
        if gap > 10 * OPTIMALITY_TOLERANCE:
            raise NotCertified()
    keep = lam > 1e-10
    a, lam = a[:, keep], lam[keep] / lam[keep].sum()
    if relaxed is not None and not all(shares_fit(model, a[:, j]) for j in range(a.shape[1])):
        raise NotCertified()
    y = np.round(a @ lam, DIGITS)
    return (
        a.astype(int),
        lam,
        y,
        {
            "types": n_types,
            "iterations": iterations,
            "optimality_gap": max(gap, 0.0),
            "type_panels": int(a.shape[1]),
            "reachable": reachable,
        },
    )


def compute(
    people: list[dict[str, str]],
    quotas: list[dict[str, Any]],
    panel_size: int,
    panels: int,
    seed: int,
    parent_feature: str,
) -> dict[str, Any]:
    """The whole Nash lottery over types; the same keys as the library path's output.

    First with parent-body members pooled into the types of their nation, region and band. The
    pooled optimum is the optimum of the problem *without* the parent-body rule (certified by a
    pricing step that ignores it), and every type panel it uses passes `shares_fit`, so (the
    types-and-bodies matrix being bipartite, hence totally unimodular) it is a mixture of panels
    that respect the rule: it is then also the exact optimum with the rule. When either proof
    fails, parent-body members become types of one (exact, slower for many shared bodies).
    """
    model = build_types(people, quotas, panel_size, parent_feature, pooled=True)
    try:
        a, lam, y, info = nash_over_types(model, seed)
        how = "parent bodies pooled (certified)"
    except NotCertified:
        model = build_types(people, quotas, panel_size, parent_feature, pooled=False)
        a, lam, y, info = nash_over_types(model, seed)
        how = "parent-body members as their own types"
    chance = {}
    for t, ids in enumerate(model.members):
        for pid in ids:
            chance[pid] = float(y[t] / model.counts[t])
    copies = round_to_panels(a, lam, y, model.counts, panels)
    lottery = sorted(expand(model, a, copies, seed))
    unreachable = sorted(
        pid for t, ids in enumerate(model.members) if not info["reachable"][t] for pid in ids
    )
    return {
        "algorithm": "nash",
        "marginals": chance,
        "lottery": [list(p) for p in lottery],
        "unreachable": unreachable,
        "method": {
            "name": f"nash over exchangeable types, {how}",
            "types": info["types"],
            "type_panels": info["type_panels"],
            "iterations": info["iterations"],
            "optimality_gap": info["optimality_gap"],
        },
    }
