"""Published statistics in the publication plan: the primary rule for them, and what shares reveal.

A mean, median, interval, change, test result, rate or share is computed over some organisations
(its n) and often stands beside a count of them (its base, a key of the plan). Issue 15 and
docs/DISCLOSURE.md: nothing computed over fewer than `min_count` organisations is published, and
no statistic is shown where its base is hidden, because the statistic then describes a group the
tables protect. A share printed to d decimals of a printed base is also a linear fact about the
count behind it: it puts that count in an interval, which the plan's audit adds to its LP.

Imports `disclosure.rules` only (the plan passes its cells in, so this module does not import it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from analysis.disclosure.rules import DisclosureRules


@dataclass(frozen=True)
class Statistic:
    """One printed statistic: what it is, where it is printed, its n and the plan keys it stands on.

    `base` is the key of the count it is computed over (when the plan holds one); a share also
    names the `count` it is a share of and the printed `share` (0-1) with the half-width of its
    rounding (0.005 for a whole percentage). `parts` are counts it is computed from that must not
    be hidden either (a mean change stands on the members who moved up, stayed and moved down).
    """

    name: str
    place: str
    n: int | None
    base: tuple | None = None
    count: tuple | None = None
    share: float | None = None
    rounding: float = 0.0
    parts: tuple[tuple, ...] = ()

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "place": self.place,
            "n": self.n,
            "base": _key_json(self.base),
            "count": _key_json(self.count),
            "share": self.share,
            "rounding": self.rounding,
            "parts": [_key_json(k) for k in self.parts],
        }

    @classmethod
    def from_json(cls, d: Mapping, key: Callable) -> Statistic:
        return cls(
            name=d["name"],
            place=d["place"],
            n=d["n"],
            base=None if d["base"] is None else key(*d["base"]),
            count=None if d["count"] is None else key(*d["count"]),
            share=d["share"],
            rounding=float(d["rounding"]),
            parts=tuple(key(*k) for k in d["parts"]),
        )


def _key_json(key: tuple | None) -> list | None:
    return None if key is None else [key[0], dict(key[1])]


def statistic_problems(
    stats: list[Statistic],
    hidden: Mapping[tuple, list[str]],
    rules: DisclosureRules,
    describe: Callable[[tuple], str],
) -> list[str]:
    """The primary rule for statistics: each one over fewer than `min_count` organisations, or
    whose base is hidden anywhere in the publication, named with where it is printed."""
    out = []
    for s in stats:
        if s.n is not None and 0 < s.n < rules.min_count:
            out.append(
                f"{s.name}, printed in {s.place}, is computed over {s.n} organisations, fewer than "
                f"[disclosure] min_count ({rules.min_count}): it must not be published"
            )
        for key in dict.fromkeys(k for k in (s.base, *s.parts) if k is not None and hidden.get(k)):
            out.append(
                f"{s.name}, printed in {s.place}, stands on {describe(key)}, which is hidden in "
                f"{'; '.join(sorted(set(hidden[key])))}: a statistic is not shown where its base is hidden"
            )
    return out


def share_bounds(
    stats: list[Statistic], published: Mapping[tuple, float], slack: float
) -> dict[tuple, tuple[float, float]]:
    """{count key: (lo, hi)} that printed shares of printed bases allow (intersected per count).

    A share s printed with rounding h of a base b printed within `slack` puts the count between
    (s − h)(b − slack) and (s + h)(b + slack); a count is a whole number, so the bounds are
    rounded inwards.
    """
    out: dict[tuple, tuple[float, float]] = {}
    for s in stats:
        if s.count is None or s.share is None or s.base not in published:
            continue
        base = published[s.base]
        lo = max(0.0, (s.share - s.rounding) * max(0.0, base - slack))
        hi = (s.share + s.rounding) * (base + slack)
        lo, hi = float(math.ceil(lo - 1e-9)), float(math.floor(hi + 1e-9))
        old = out.get(s.count, (0.0, math.inf))
        out[s.count] = (max(old[0], lo), min(old[1], hi))
    return out


def share_conflicts(
    stats: list[Statistic], published: Mapping[tuple, float], slack: float, describe: Callable[[tuple], str]
) -> list[str]:
    """Shares that disagree with the printed count and base they are a share of."""
    out = []
    for key, (lo, hi) in share_bounds(stats, published, slack).items():
        if key in published and not lo - slack <= published[key] <= hi + slack:
            names = "; ".join(sorted({f"{s.name} in {s.place}" for s in stats if s.count == key}))
            out.append(
                f"{describe(key)} is printed as {published[key]:g}, but the shares printed of it "
                f"({names}) put it between {lo:g} and {hi:g}"
            )
    return out
