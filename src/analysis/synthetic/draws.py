"""Small seeded random helpers, each taking the generator explicitly (never global state).

Also `name_key`: intake's one name normaliser (`analysis.intake.names`), so the sample's
promises about spellings are checked with the very rule intake applies. Imports words and that
normaliser only.
"""

from __future__ import annotations

import math
import random
import re
from datetime import datetime, timedelta

from analysis.intake.names import normalise_name as name_key  # noqa: F401 (re-exported)
from analysis.synthetic.words import FIRST_NAMES, PHONE_FORMS, SURNAMES


def weighted_choice(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: small means only, and stable across Python versions (unlike numpy's)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def clip_scale(value: float, lo: int = 1, hi: int = 5) -> int:
    return int(max(lo, min(hi, round(value))))


def allocate(n: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of n over weights; every key gets one when n allows it."""
    total = sum(weights.values())
    raw = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in raw.items()}
    if n >= len(weights):
        for k in counts:
            counts[k] = max(counts[k], 1)
    order = sorted(raw, key=lambda k: (-(raw[k] - int(raw[k])), k))
    i = 0
    while sum(counts.values()) < n:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts.values()) > n:
        k = max(counts, key=lambda key: (counts[key], key))
        counts[k] -= 1
    return counts


def web_slug(name: str) -> str:
    """A web-domain-like form of a name; long names shorten to first word + initials."""
    words = re.sub(r"[^a-z0-9 ]", "", name.casefold().replace("&", "and")).split()
    slug = "".join(words)
    return slug if len(slug) <= 22 else words[0] + "".join(w[0] for w in words[1:])


def invent_person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    return first, last, f"{first} {last}"


def invent_phone(rng: random.Random) -> str:
    return rng.choice(PHONE_FORMS).format(rng.randrange(1000))


def daytime(moment: datetime) -> datetime:
    """Move a small-hours time into the morning: nobody is then submitted in the hour the
    clocks go back (29/10/2023 01:00-02:00 happened twice, so it would be ambiguous)."""
    moment = moment.replace(microsecond=0)
    return moment.replace(hour=moment.hour + 7) if moment.hour < 7 else moment


def moment_between(rng: random.Random, start: datetime, end: datetime, skew: float = 1.0) -> datetime:
    """A working-hours time between start and end; skew > 1 crowds towards the deadline.

    Hours 07-22 only: no time falls in the hour the clocks go back, which would be ambiguous.
    """
    days = (end.date() - start.date()).days
    day = start.date() + timedelta(days=min(days, int(days * rng.random() ** (1 / skew))))
    hour = rng.choices(range(7, 23), weights=[1, 2, 4, 5, 5, 4, 4, 5, 5, 4, 3, 3, 3, 3, 2, 1])[0]
    moment = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    return min(max(moment, start), end)
