"""The 2026 follow-up of eligible 2024 applicants who were not drawn (DATA_MODEL.md 3b).

About 40 % of the pool answer (an emailed form, no incentive). They move too, but less than
members: a smaller share move up a participation level or start a venture, and funding is
mostly none or small. One member answers by mistake and one organisation that never applied
answers too, so intake and `cip-analysis check` have strangers to report; one respondent
resubmits. Imports the generator's other modules only; its own random stream, so the other
sample files do not change.
"""

from __future__ import annotations

import random
from datetime import datetime

from analysis.synthetic.draws import moment_between, name_key, poisson, weighted_choice
from analysis.synthetic.forms import answer_texts, timestamp_text
from analysis.synthetic.organisations import Org
from analysis.synthetic.panel import Draw

RESPONSE_RATE = 0.4
OPEN = datetime(2026, 10, 5, 9, 0, 0)
CLOSE = datetime(2026, 10, 30, 17, 0, 0)
STRANGER = "Harbourside Community Arts Trust"
FUNDING_WEIGHTS = {"none": 0.5, "<10k": 0.3, "10k-50k": 0.15, "50k-250k": 0.05}


def undrawn_eligible(orgs: list[Org], draw: Draw) -> list[Org]:
    """Eligible applicants neither drawn nor given a place (the decliner was drawn: left out)."""
    taken = {name_key(o.name) for o in [*draw.drawn, draw.replacement]}
    return [o for o in orgs if o.eligible and name_key(o.name) not in taken]


def _answers(rng: random.Random, org: Org) -> dict:
    """One respondent's answers as codes and numbers: a modest move, if any."""
    moved = rng.random() < 0.3
    level = min(5, org.level_now + (1 if moved else 0))
    practice_codes = [c for c in answer_texts("practices_started") if c != "none"]
    started = rng.sample(practice_codes, k=rng.choice([1, 1, 2])) if rng.random() < 0.35 else []
    ventures = poisson(rng, 1.2) if started else 0
    if started and ventures == 0:
        ventures = 1
    funding = weighted_choice(rng, FUNDING_WEIGHTS) if started else rng.choice(["none", "none", "<10k"])
    return {"level": level, "started": started, "ventures": ventures, "funding": funding}


def _row(org_name: str, when: datetime, a: dict) -> dict:
    practices = answer_texts("practices_started")
    return {
        "submitted_at": timestamp_text(when),
        "email": f"info@{name_key(org_name).replace(' ', '')[:20]}.org.uk",
        "contact_name": "",
        "org_name": org_name,
        "level_now": answer_texts("level")[a["level"]],
        "practices_started": ", ".join(practices[c] for c in a["started"]) or practices["none"],
        "ventures_started": str(a["ventures"]),
        "funding_band": answer_texts("funding_band")[a["funding"]],
        "comments": "",
    }


def followup_rows(rng: random.Random, orgs: list[Org], draw: Draw) -> tuple[list[dict], dict]:
    """The export's rows in submission order, and the facts the sample README states."""
    pool = undrawn_eligible(orgs, draw)
    answering = [o for o in pool if rng.random() < RESPONSE_RATE]
    stamped = []
    for org in answering:
        stamped.append((moment_between(rng, OPEN, CLOSE), org.name, _answers(rng, org)))
    again = rng.choice(answering)
    first = min(t for t, n, _ in stamped if n == again.name)
    stamped.append((moment_between(rng, first, CLOSE), again.name, _answers(rng, again)))
    member = rng.choice(draw.members)
    stamped.append((moment_between(rng, OPEN, CLOSE), member.name, _answers(rng, member)))
    stamped.append((moment_between(rng, OPEN, CLOSE), STRANGER, _answers(rng, member)))
    stamped.sort(key=lambda t: t[0])
    facts = {"pool": len(pool), "respondents": len(answering), "rows": len(stamped), "strangers": 2}
    return [_row(name, when, a) for when, name, a in stamped], facts
