"""One invented applicant organisation and its final answers (codes and numbers, not form text).

Imports the generator's draws, places and words only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from analysis.synthetic.draws import (
    clip_scale,
    invent_person,
    invent_phone,
    name_key,
    web_slug,
    weighted_choice,
)
from analysis.synthetic.places import real_postcode
from analysis.synthetic.words import (
    ORG_NOUNS,
    PARENT_FORMS,
    PLACES,
    PROGRAMME_CLOSERS,
    PROGRAMME_MIDDLES,
    PROGRAMME_OPENERS,
    QUALIFIERS,
    ROLES,
)

CALLOUT_OPEN = datetime(2023, 10, 2, 9, 0, 0)
CALLOUT_CLOSE = datetime(2023, 12, 11, 23, 59, 59)
ORG_TYPE_WEIGHTS = {
    "arts_venue": 0.22,
    "museum_gallery": 0.17,
    "arts_org": 0.15,
    "library": 0.13,
    "community_org": 0.11,
    "festival": 0.08,
    "public_body": 0.06,
    "other": 0.05,
    "funder": 0.03,
}


@dataclass
class Org:
    """One applicant organisation's final answers (codes and numbers, not yet form text)."""

    name: str
    org_type: str
    region: str  # true region (RGN23CD) of the organisation
    postcode: str  # as typed on the final submission
    postcode_kind: str  # ok, normalisable, invalid, not_found, outside_uk, missing
    stated: str  # region code picked on the form, "" when left blank
    parent: str = ""
    staff: str = ""
    turnover: str = ""
    practices: list = field(default_factory=list)
    wants: list = field(default_factory=list)
    level_now: int = 2
    level_target: int = 3
    theta: float = 0.0
    readiness: list = field(default_factory=list)  # five ints, 0 = left blank
    commit: str = "yes"
    consent: bool = True
    contact: tuple = ("", "", "")
    role: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    description: str = ""
    submitted: datetime = CALLOUT_OPEN
    parent_shared: bool = False
    anchor: bool = False  # kept clean and eligible, so every nation can have a member

    @property
    def eligible(self) -> bool:
        """The selection rules of config/defaults.toml [selection.eligibility]."""
        return (
            self.postcode_kind in ("ok", "normalisable")
            and self.consent
            and self.commit == "yes"
            and self.level_target > self.level_now
        )


class OrgNames:
    """Invented, unique organisation names (unique after intake's name folding)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self, org_type: str) -> str:
        rng, nouns = self.rng, ORG_NOUNS[org_type]
        for attempt in range(14):
            place = rng.choice(PLACES)
            if attempt >= 3:
                place = f"{rng.choice(QUALIFIERS)} {place}"
            name = f"{place} {rng.choice(nouns)}"
            if name_key(name) not in self.used:
                self.used.add(name_key(name))
                return name
        k = 2
        while name_key(f"{name} {k}") in self.used:
            k += 1
        self.used.add(name_key(f"{name} {k}"))
        return f"{name} {k}"


def _levels(rng: random.Random) -> tuple[int, int]:
    """IAP2 level now (mostly inform-involve) and a 2026 target 0-3 levels higher."""
    now = rng.choices([1, 2, 3, 4, 5], weights=[28, 36, 24, 9, 3])[0]
    gap = rng.choices([0, 1, 2, 3], weights=[12, 50, 30, 8])[0]
    if now == 1:
        gap = max(gap, 1)
    return now, min(5, now + gap)


def readiness_answers(rng: random.Random, theta: float, messy: bool) -> list[int]:
    """Five Likert items driven by one latent trait (Cronbach's alpha about 0.8)."""
    centres = [3.3, 2.4, 2.8, 3.6, 2.6]  # budget and governance are the hardest to agree with
    items = [clip_scale(c + 0.8 * theta + rng.gauss(0, 0.85)) for c in centres]
    if messy:
        items = [0 if rng.random() < 0.004 else v for v in items]
    return items


def _sizes(rng: random.Random, org_type: str) -> tuple[str, str]:
    big = org_type in ("library", "public_body", "museum_gallery")
    staff_i = rng.choices(range(4), weights=[15, 40, 30, 15] if big else [48, 36, 12, 4])[0]
    turnover_i = clip_scale(staff_i + rng.choice([-1, 0, 0, 0, 1]), 0, 3)
    return ["0-9", "10-49", "50-249", "250+"][staff_i], ["<100k", "100k-1m", "1m-10m", ">10m"][turnover_i]


def _practices(rng: random.Random, level: int) -> list[str]:
    codes = [
        "citizens_assembly",
        "citizens_jury",
        "participatory_budgeting",
        "citizens_on_board",
        "community_panel",
    ]
    chance = [0.05, 0.05, 0.12, 0.1, 0.3]
    picked = [c for c, p in zip(codes, chance) if rng.random() < p * (0.6 + 0.5 * level)]
    return picked or ["none_yet"]


def _wants(rng: random.Random) -> list[str]:
    chance = {
        "peer_learning": 0.8,
        "workshops": 0.6,
        "funding_support": 0.55,
        "business_model": 0.2,
        "partnerships": 0.45,
        "advocacy_policy": 0.3,
    }
    picked = [c for c, p in chance.items() if rng.random() < p]
    return picked or ["peer_learning"]


def _description(rng: random.Random, email: str, phone: str, messy: bool) -> str:
    """Free text as people type it: paragraphs, and sometimes a colleague's name and details."""
    if messy and rng.random() < 0.04:
        return ""
    parts = [rng.choice(PROGRAMME_OPENERS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(PROGRAMME_MIDDLES))
    if rng.random() < 0.45:
        colleague = invent_person(rng)[2]
        closer = rng.choice(PROGRAMME_CLOSERS)
        parts.append(
            closer.format(
                name=colleague, role=rng.choice(ROLES).lower(), phone=phone or invent_phone(rng), email=email
            )
        )
    sep = rng.choice(["\n", "\n\n", " "])
    return sep.join(parts)


def _website(rng: random.Random, name: str, messy: bool) -> str:
    if messy and rng.random() < 0.12:
        return ""
    domain = f"{web_slug(name)}.org.uk"
    return rng.choice([f"https://www.{domain}", f"www.{domain}", domain, f"https://{domain}/"])


def new_org(rng: random.Random, names: OrgNames, region: str, used: set[str], messy: bool) -> Org:
    org_type = weighted_choice(rng, ORG_TYPE_WEIGHTS)
    name = names.take(org_type)
    now, target = _levels(rng)
    theta = rng.gauss(0, 1) + 0.35 * (now - 2.2)
    staff, turnover = _sizes(rng, org_type)
    if messy:
        staff = "" if rng.random() < 0.04 else staff
        turnover = "" if rng.random() < 0.06 else turnover
    first, last, full = invent_person(rng)
    domain = f"{web_slug(name)}.org.uk"
    email = rng.choice([f"{first}.{last}", f"{first[0]}{last}", "info", first]).replace("'", "")
    email = f"{email.lower()}@{domain}"
    phone = invent_phone(rng) if rng.random() < 0.55 else ""
    commit = weighted_choice(rng, {"yes": 87, "unsure": 8, "no": 5}) if messy else "yes"
    parent = ""
    if messy:
        parent = rng.choices(["", "No", "N/A", "no", "unique"], weights=[52, 22, 8, 4, 14])[0]
    org = Org(
        name=name,
        org_type=org_type,
        region=region,
        postcode=real_postcode(rng, region, used),
        postcode_kind="ok",
        stated=region,
        parent=parent,
        staff=staff,
        turnover=turnover,
        practices=_practices(rng, now),
        wants=_wants(rng),
        level_now=now,
        level_target=target,
        theta=theta,
        readiness=readiness_answers(rng, theta, messy),
        commit=commit,
        contact=(first, last, full),
        role=rng.choice(ROLES) if rng.random() < 0.9 else "",
        email=email,
        phone=phone,
        website=_website(rng, name, messy),
    )
    if org.parent == "unique":
        org.parent = rng.choice(PARENT_FORMS).format(rng.choice(PLACES))
    org.description = _description(rng, email, phone, messy)
    return org


def make_eligible(org: Org) -> None:
    """An anchor organisation: clean postcode, consent, commitment and an ambition to move."""
    org.commit, org.consent, org.anchor = "yes", True, True
    if org.level_target <= org.level_now:
        org.level_now = min(org.level_now, 4)
        org.level_target = org.level_now + 1
