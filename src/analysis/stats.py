"""Small-sample statistics the brief's sentences rely on: Wilson intervals and when a gap is real.

The network has ten members and a few hundred applicants, so every rate a sentence compares
carries an interval, and a sentence singles out a region or a change only when its interval
excludes the comparison. Pure functions over numbers (no pandas). Layer: base (imports nothing
from `analysis`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"an interval level must be between 0 and 1, not {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(k: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n: good at small n and at 0 or n successes."""
    if n <= 0 or k < 0 or k > n:
        raise ValueError(f"a proportion needs 0 <= k <= n and n > 0 (got k={k}, n={n})")
    z = _z(level)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def newcombe_difference(
    k1: float, n1: float, k2: float, n2: float, level: float = 0.95
) -> tuple[float, float]:
    """Interval for p2 - p1 (Newcombe's hybrid score method, from two Wilson intervals)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, level)
    l2, u2 = wilson(k2, n2, level)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high


@dataclass(frozen=True)
class Gap:
    """A proportion set against an expected share: its interval and whether it excludes the share."""

    k: float
    n: float
    expected: float
    low: float
    high: float

    @property
    def below(self) -> bool:
        """The whole interval lies under the expected share: a shortfall the data can support."""
        return self.high < self.expected

    @property
    def above(self) -> bool:
        return self.low > self.expected

    @property
    def clear(self) -> bool:
        return self.below or self.above


def gap(k: float, n: float, expected: float, level: float = 0.95) -> Gap:
    """Is k of n clearly below or above the `expected` share (e.g. a region's population share)?"""
    low, high = wilson(k, n, level)
    return Gap(k=k, n=n, expected=expected, low=low, high=high)
