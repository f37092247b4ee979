"""The network: the drawn members, their yearly survey returns, rosters and workshop attendance.

Trajectories are not uniformly rosy: one member leaves, one return never arrives, one member
resubmits, one types its name differently. Imports the generator's other modules only.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from analysis.synthetic.draws import clip_scale, invent_person, moment_between, name_key, poisson
from analysis.synthetic.forms import (
    DATE_FORMAT,
    TIMESTAMP_FORMAT,
    answer_texts,
    form_settings,
    timestamp_text,
)
from analysis.synthetic.organisations import Org, readiness_answers
from analysis.synthetic.panel import Draw
from analysis.synthetic.places import NATION_OF
from analysis.synthetic.words import COMMENT_TEXTS, ROSTER_NOTES, WORKSHOP_TOPICS

SAMPLE_YEARS = (2024, 2025, 2026)
REPLACEMENT_JOINED = date(2024, 2, 12)


@dataclass
class Member:
    """A network member and how its three years go."""

    org: Org
    trajectory: str  # steady, fast, stall, slip, late
    engagement: float  # 0-1: chance of attending a workshop
    joined: date
    left: date | None = None
    big_funding: int = 0  # 0 none, 1 very large grant, 2 large grant
    big_budget: bool = False


LEVEL_STEPS = {
    "steady": (0, 1, 1),
    "fast": (1, 2, 2),
    "stall": (0, 0, 0),
    "slip": (0, 1, 0),
    "late": (0, 0, 1),
}


def plan_members(rng: random.Random, draw: Draw) -> tuple[list[Member], dict]:
    """The drawn members (the replacement joins later), trajectories that are not uniformly rosy,
    one leaver, one missing 2025 return."""
    chosen = draw.members
    kinds = ["steady", "steady", "steady", "fast", "fast", "stall", "stall", "slip", "late", "steady"]
    rng.shuffle(kinds)
    members = [
        Member(
            org=o,
            trajectory=k,
            engagement=rng.uniform(0.45, 0.95),
            joined=date(2024, 1, rng.choice([15, 15, 15, 22, 29])),
        )
        for o, k in zip(chosen, kinds)
    ]
    members[-1].joined = REPLACEMENT_JOINED  # the replacement took up the declined place
    # The leaver and the missing return are English members, so every nation has a return each
    # year. Neither is the member that slips back, so the slip shows in the 2025 and 2026 returns.
    english = [m for m in members if m.org.region not in NATION_OF] or members
    leaver = next((m for m in english if m.trajectory == "stall"), None)
    if leaver is None:  # both stalls drawn outside England: an English member swaps trajectories
        leaver, stall = english[0], next(m for m in members if m.trajectory == "stall")
        leaver.trajectory, stall.trajectory = "stall", leaver.trajectory
    leaver.left = date(2026, 1, 30)
    leaver.engagement = 0.3
    missing = next(m for m in english if m.trajectory in ("steady", "late"))
    fast = [m for m in members if m.trajectory == "fast" and m is not leaver]
    fast[0].big_funding = 1
    next(m for m in members if m.big_funding == 0 and m is not leaver).big_funding = 2
    next(m for m in members if m.trajectory == "steady" and m is not leaver).big_budget = True
    variant = next(m for m in members if m not in (leaver, missing))
    facts = {
        "members": len(members),
        "drawn_panel": draw.drawn_panel,
        "decliner": draw.decliner.name,
        "replacement": draw.replacement.name,
        "reserve_rank": draw.reserve_rank,
        "reserves_skipped": draw.skipped,
        "leaver": leaver.org.name,
        "missing_2025": missing.org.name,
        "name_variant_member": variant.org.name,
        "trajectories": {k: sum(m.trajectory == k for m in members) for k in LEVEL_STEPS},
    }
    return members, facts


def _money_text(rng: random.Random, value: int) -> str:
    """Amounts typed into a free box: mostly plain, sometimes with a pound sign or commas."""
    form = rng.choices(["plain", "pound", "commas"], weights=[75, 15, 10])[0]
    if value == 0 or form == "plain":
        return str(value)
    return f"£{value:,}" if form == "pound" else f"{value:,}"


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _funding(rng: random.Random, member: Member, k: int) -> int:
    """New funding: zero for many, modest for most, very large for one or two (dominance)."""
    if member.big_funding == 1 and k >= 1:
        return [0, 450_000, 620_000][k]
    if member.big_funding == 2 and k == 2:
        return 150_000
    if rng.random() < [0.5, 0.3, 0.3][k]:
        return 0
    return _round_to(math.exp(rng.gauss(math.log(12_000), 1.0)), 100)


def _budget(rng: random.Random, member: Member, k: int, ventures: int) -> int:
    if member.big_budget and k == 2:
        return 180_000
    if ventures == 0 or rng.random() < 0.45:
        return 0
    return _round_to(math.exp(rng.gauss(math.log(6_000), 0.9)), 500)


def _survey_row(rng: random.Random, member: Member, year: int, k: int, messy_citizens: bool) -> dict:
    """One member's return for one year, as the survey form exports it."""
    org, level_text = member.org, answer_texts("level")
    level = clip_scale(org.level_now + LEVEL_STEPS[member.trajectory][k])
    growth = {"steady": 0.35, "fast": 0.6, "stall": 0.0, "slip": 0.15, "late": 0.2}[member.trajectory] * k
    if member.trajectory == "slip" and k == 2:
        growth = -0.1
    theta = org.theta + growth + rng.gauss(0, 0.25)
    ready = readiness_answers(rng, theta, False)
    lam = (
        0.8
        + 0.6 * k
        + (0.8 if member.trajectory == "fast" else 0.0)
        - (0.6 if member.trajectory == "stall" else 0.0)
    )
    ventures = poisson(rng, max(0.2, lam))
    venture_codes = list(form_settings()["options"]["venture_types"].values())
    types = sorted(
        set(rng.choices(venture_codes, weights=[1, 1, 3, 2, 4, 1], k=ventures)), key=venture_codes.index
    )
    citizens = 0 if ventures == 0 else _round_to(math.exp(rng.gauss(math.log(35 * ventures), 0.8)), 5)
    first, last, full = org.contact
    benefit = [clip_scale(2.6 + 1.6 * member.engagement + 0.3 * k + rng.gauss(0, 0.8)) for _ in range(6)]
    benefit = ["" if rng.random() < 0.05 else str(b) for b in benefit]
    comment = rng.choice(COMMENT_TEXTS).format(name=invent_person(rng)[2]) if rng.random() < 0.5 else ""
    start = datetime(year, 10, 1, 9)
    return {
        "submitted_at": timestamp_text(moment_between(rng, start, datetime(year, 11, 10, 18))),
        "email": org.email,
        "contact_name": full,
        "org_name": org.name,
        "ventures_started": str(ventures),
        "venture_types": ", ".join(answer_texts("venture_types")[c] for c in types),
        "citizens_involved": f"c. {citizens}" if messy_citizens else str(citizens),
        "decisions_by_citizens": str(0 if ventures == 0 else rng.randint(0, 3 * ventures)),
        "budget_devolved_gbp": _money_text(rng, _budget(rng, member, k, ventures)),
        "funding_secured_gbp": _money_text(rng, _funding(rng, member, k)),
        "partnerships_new": str(poisson(rng, 1.0 + 0.3 * k)),
        "joint_bids": str(poisson(rng, 0.2 + 0.4 * k)),
        "advocacy_submissions": str(poisson(rng, 0.6 + 0.4 * k)),
        "advocacy_meetings": str(poisson(rng, 1.2 + 0.8 * k)),
        "advocacy_talks": str(poisson(rng, 1.0 + 0.5 * k)),
        "level_now": level_text[level],
        "readiness_leadership": str(ready[0]),
        "readiness_budget": str(ready[1]),
        "readiness_skills": str(ready[2]),
        "readiness_community": str(ready[3]),
        "readiness_governance": str(ready[4]),
        "benefit_peer_learning": benefit[0],
        "benefit_professional_development": benefit[1],
        "benefit_wellbeing": benefit[2],
        "benefit_internal_advocacy": benefit[3],
        "benefit_convening_power": benefit[4],
        "benefit_profile": benefit[5],
        "comments": comment,
    }


def member_surveys(rng: random.Random, members: list[Member], facts: dict) -> dict[int, list[dict]]:
    """Returns per year: the leaver stops after 2025, one 2025 return never arrives, one member
    resubmits in 2025, one types its name differently, and one 'c. 300' is not a number."""
    out: dict[int, list[dict]] = {}
    for k, year in enumerate(SAMPLE_YEARS):
        rows = []
        for j, m in enumerate(members):
            if m.left and m.left.year <= year:
                continue
            if year == 2025 and m.org.name == facts["missing_2025"]:
                continue
            row = _survey_row(rng, m, year, k, messy_citizens=(year == 2024 and j == 0))
            if year == 2025 and m.org.name == facts["name_variant_member"]:
                row["org_name"] = "  " + m.org.name.upper()
            rows.append(row)
        if year == 2025:
            first = rows[1]
            resubmitted = dict(first, partnerships_new=str(int(first["partnerships_new"]) + 1))
            moment = datetime.strptime(first["submitted_at"], TIMESTAMP_FORMAT) + timedelta(days=2, hours=3)
            resubmitted["submitted_at"] = timestamp_text(moment)
            rows.append(resubmitted)
        rows.sort(key=lambda r: datetime.strptime(r["submitted_at"], TIMESTAMP_FORMAT))
        out[year] = rows
    return out


def roster_rows(rng: random.Random, members: list[Member], year: int) -> list[dict]:
    """The staff-kept roster: everyone who was a member that year, with status and dates."""
    rows = []
    for m in sorted(members, key=lambda m: (m.joined, name_key(m.org.name))):
        left = m.left if m.left and m.left.year <= year else None
        note = rng.choice(ROSTER_NOTES).format(name=invent_person(rng)[2])
        if m.joined == REPLACEMENT_JOINED:
            note = "Offered the place a drawn organisation declined (first eligible reserve)"
        if left:
            note = "Withdrew: no staff capacity after a restructure"
        rows.append(
            {
                "org_name": m.org.name,
                "status": "Left" if left else "Active",
                "joined": m.joined.strftime(DATE_FORMAT),
                "left": left.strftime(DATE_FORMAT) if left else "",
                "notes": note,
            }
        )
    return rows


def workshop_rows(rng: random.Random, members: list[Member], year: int) -> list[dict]:
    """5-8 workshops a year, one row per attending organisation; satisfaction is optional."""
    n = {2024: 6, 2025: 8, 2026: 5}.get(year, rng.randint(5, 8))
    last_day = date(year, 11, 10) if year == 2026 else date(year, 12, 5)
    days = sorted(rng.sample(range(20, (last_day - date(year, 1, 1)).days), n))
    topics = rng.sample(WORKSHOP_TOPICS, n)
    rows = []
    for w, (offset, topic) in enumerate(zip(days, topics), start=1):
        day = date(year, 1, 1) + timedelta(days=offset)
        day -= timedelta(days=max(0, day.weekday() - 3))  # weekend dates move back to Thursday
        fmt = "In person" if w % 3 == 1 else "Online"
        speakers = str(rng.randint(1, 4))
        for m in members:
            active = day >= m.joined and (m.left is None or day < m.left)
            if not active or rng.random() > m.engagement:
                continue
            sat = "" if rng.random() < 0.2 else str(clip_scale(3.4 + 1.6 * m.engagement + rng.gauss(0, 0.7)))
            rows.append(
                {
                    "workshop_id": f"WS-{year}-{w:02d}",
                    "date": day.strftime(DATE_FORMAT),
                    "topic": topic,
                    "format": fmt,
                    "org_name": m.org.name,
                    "contact_name": invent_person(rng)[2],
                    "speakers_count": speakers,
                    "satisfaction": sat,
                }
            )
    return rows
