"""The attacker's linear programs: each hidden cell's feasible interval given everything published.

Hidden cells are non-negative reals (the integer relaxation); printed cells are fixed; every
equation and inequality of the model holds. A cell fails when its interval is inside
1 … min_count − 1 or too narrow for any true value to meet the protection level
(τ-ARGUS's FREQ(n, p) level ⌈v·p⌉, taken at the smallest non-zero value the interval allows).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog

EPS = 1e-6


def intervals(published: dict, hidden: set, eqs: list[dict], ineqs: list) -> dict:
    """{hidden key: (lo, hi)}; hi is inf when unbounded; raises when the system is infeasible."""
    cols = sorted(hidden, key=repr)
    col = {k: i for i, k in enumerate(cols)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def row(coefs: dict) -> tuple[np.ndarray, float] | None:
        vec, const = np.zeros(len(cols)), 0.0
        for k, c in coefs.items():
            if k in col:
                vec[col[k]] += c
            elif k in published:
                const += c * published[k]
            else:
                return None  # a cell no one printed or hid: the relation tells nothing
        return vec, const

    for eq in eqs:
        r = row(eq)
        if r is not None and np.any(r[0]):
            a_eq.append(r[0])
            b_eq.append(-r[1])
    for coefs, lower, upper in ineqs:
        r = row(coefs)
        if r is None:
            continue
        if upper is not None:
            a_ub.append(r[0])
            b_ub.append(upper - r[1])
        if lower is not None:
            a_ub.append(-r[0])
            b_ub.append(r[1] - lower)
    kw = {
        "A_eq": np.array(a_eq) if a_eq else None,
        "b_eq": np.array(b_eq) if b_eq else None,
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": np.array(b_ub) if b_ub else None,
        "bounds": [(0, None)] * len(cols),
        "method": "highs",
    }
    out = {}
    for k in cols:
        c = np.zeros(len(cols))
        c[col[k]] = 1.0
        lo = linprog(c, **kw)
        if lo.status == 2:
            raise ValueError("the published numbers contradict the attacker's relations (infeasible)")
        hi = linprog(-c, **kw)
        out[k] = (lo.fun, math.inf if hi.status == 3 else -hi.fun)
    return out


def level(v: int, percent: float) -> int:
    return max(1, math.ceil(v * percent / 100 - 1e-9))


def weakness(lo: float, hi: float, min_count: int, percent: float) -> str | None:
    """Why an interval gives a hidden cell away, or None when it may protect it.

    The attacker does not know the true value, so the test is truth-free: exact recovery, an
    interval inside 1 … min_count − 1 (a small count, known non-zero), or an interval narrower
    than the protection level of the smallest non-zero value it allows.
    """
    if hi - lo < EPS:
        return f"recovered exactly: {lo:g}"
    if lo >= 1 - EPS and hi <= min_count - 1 + EPS:
        return f"narrowed into {math.ceil(lo - EPS)}..{math.floor(hi + EPS)}"
    if lo >= min_count - EPS:
        return None  # surely not a small count: only its exact value needs hiding
    smallest = max(1, math.ceil(lo - EPS))
    if hi - lo < level(smallest, percent) - EPS:
        return f"interval {lo:g}..{hi:g} narrower than the protection level {level(smallest, percent)}"
    return None
