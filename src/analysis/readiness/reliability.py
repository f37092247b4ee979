"""The statistics behind the readiness figures: Cronbach's alpha, Feldt interval, sign test, bootstrap.

Compute layer: pure functions over numbers and frames (numpy, pandas, scipy); imports nothing
from `analysis`. Each is checked against a published or hand-worked value in
tests/test_readiness.py.

The readiness index's internal consistency is reported as Cronbach's alpha with a Feldt
confidence interval and corrected item-total correlations, flagged below
``[readiness] alpha_flag_below`` (0.7). Members' change since the baseline uses the exact
two-sided sign test on ups vs downs (ties left out; exact binomial sums, equal to
``scipy.stats.binomtest``) and a seeded
percentile bootstrap interval for the mean change (``numpy.random.Generator``, never global
random state).
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


def fdtri(d1: float, d2: float, p: float) -> float:
    """scipy's F quantile (`scipy.special.fdtri`, without scipy.stats' second of imports), loaded
    on first use: the selection and outcomes kernels import this module for the sign test and
    the bootstrap only, and scipy.special would add about 0.3 s to each of their start-ups."""
    return importlib.import_module("scipy.special").fdtri(d1, d2, p)


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha and what a reader needs to judge it."""

    alpha: float
    n_used: int  # respondents with every item answered
    n_dropped: int  # respondents left out for a missing item
    n_items: int
    ci_low: float
    ci_high: float
    ci_level: float
    item_total: dict[str, float] = field(default_factory=dict)  # corrected item-total r
    alpha_if_dropped: dict[str, float] = field(default_factory=dict)
    flag_below: float = 0.7

    @property
    def flagged(self) -> bool:
        """True when alpha is below the threshold (or could not be computed)."""
        return not np.isfinite(self.alpha) or self.alpha < self.flag_below

    def to_json(self) -> dict[str, Any]:
        def f(x: float) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), 4)

        return {
            "alpha": f(self.alpha),
            "n_used": self.n_used,
            "n_dropped": self.n_dropped,
            "n_items": self.n_items,
            "ci_low": f(self.ci_low),
            "ci_high": f(self.ci_high),
            "ci_level": self.ci_level,
            "flagged": self.flagged,
            "flag_below": self.flag_below,
            "item_total": {k: f(v) for k, v in self.item_total.items()},
            "alpha_if_dropped": {k: f(v) for k, v in self.alpha_if_dropped.items()},
        }

    def items_frame(self) -> pd.DataFrame:
        """Per item: corrected item-total correlation and alpha without the item (for notebooks)."""
        return pd.DataFrame(
            {"item_total_r": self.item_total, "alpha_if_dropped": self.alpha_if_dropped}
        ).rename_axis("item")


def _complete_rows(items: pd.DataFrame) -> pd.DataFrame:
    block = items.apply(pd.to_numeric, errors="coerce").astype(float)
    return block.dropna(axis=0, how="any")


def _alpha(x: np.ndarray) -> float:
    """Cronbach (1951): k/(k−1) · (1 − Σ item variances / variance of the total)."""
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - item_var / total_var))


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a table of item scores (rows respondents, columns items).

    Rows with any missing item are left out (listwise), so every variance uses the same people;
    :func:`cronbach_alpha_detail` reports how many were left out.
    """
    return _alpha(_complete_rows(items).to_numpy())


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt (1965) interval: (1 − α)/(1 − α̂) follows F with n−1 and (n−1)(k−1) df.

    Chosen over a bootstrap because it is exact under its assumptions and needs no random
    numbers; with fewer than 3 respondents it is undefined (NaN).
    """
    if not np.isfinite(alpha) or n < 3 or k < 2:
        return float("nan"), float("nan")
    d1, d2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - level) / 2.0
    f_low, f_high = fdtri(d1, d2, tail), fdtri(d1, d2, 1.0 - tail)
    return float(1.0 - (1.0 - alpha) * f_high), float(1.0 - (1.0 - alpha) * f_low)


def item_total_correlations(items: pd.DataFrame) -> dict[str, float]:
    """Corrected item-total correlation: each item against the sum of the *other* items.

    Corrected, because an item correlates with a total that contains itself; a low value marks
    an item that does not go with the rest.
    """
    block = _complete_rows(items)
    out: dict[str, float] = {}
    for col in block.columns:
        rest = block.drop(columns=col).sum(axis=1)
        if block[col].std(ddof=1) == 0 or rest.std(ddof=1) == 0:
            out[str(col)] = float("nan")
        else:
            out[str(col)] = float(np.corrcoef(block[col], rest)[0, 1])
    return out


def cronbach_alpha_detail(
    items: pd.DataFrame, *, ci_level: float = 0.95, flag_below: float = 0.7
) -> AlphaResult:
    """Alpha with its Feldt interval, corrected item-total r, alpha-if-dropped and the counts."""
    block = _complete_rows(items)
    x = block.to_numpy()
    n, k = x.shape
    alpha = _alpha(x)
    lo, hi = feldt_interval(alpha, n, k, ci_level)
    if_dropped = {
        str(c): (_alpha(block.drop(columns=c).to_numpy()) if k > 2 else float("nan")) for c in block.columns
    }
    return AlphaResult(
        alpha=alpha,
        n_used=int(n),
        n_dropped=int(len(items) - n),
        n_items=int(k),
        ci_low=lo,
        ci_high=hi,
        ci_level=ci_level,
        item_total=item_total_correlations(block),
        alpha_if_dropped=if_dropped,
        flag_below=flag_below,
    )


def sign_test(n_up: int, n_down: int) -> float:
    """Exact two-sided sign test p-value for ups vs downs (ties dropped); NaN with no moves.

    Under "no real change" each member that moved is equally likely to move up or down.
    """
    n = int(n_up) + int(n_down)
    if n == 0:
        return float("nan")
    # Binomial(n, 1/2) is symmetric: twice the smaller tail, capped at 1 (binomtest's definition).
    smaller = min(int(n_up), int(n_down))
    tail = sum(math.comb(n, i) for i in range(smaller + 1)) / 2**n
    return min(1.0, 2.0 * tail)


def bootstrap_mean_interval(
    values: np.ndarray | pd.Series, *, resamples: int, seed: int, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval for a mean, from its own seeded `numpy.random.Generator`.

    Its own generator so the result depends only on (values, resamples, seed) and nothing
    else in the run can change it. Fewer than 2 values: NaN.
    """
    x = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    if len(x) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(int(resamples), len(x)))
    means = x[idx].mean(axis=1)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [tail, 1.0 - tail])
    return float(lo), float(hi)
