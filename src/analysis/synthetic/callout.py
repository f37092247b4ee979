"""The callout export: organisations planned, spoilt as promised, amended, laid out as rows.

With `messy` it holds amended resubmissions, unusable and offshore postcodes, disagreeing and
blank stated regions, a blank organisation name and a refused consent, in proportions that scale
with the number of organisations. Imports the generator's other modules only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pandas as pd

from analysis.synthetic.draws import allocate, clip_scale, daytime, moment_between, name_key, weighted_choice
from analysis.synthetic.forms import answer_texts, export_frame, form_settings, timestamp_text
from analysis.synthetic.organisations import (
    CALLOUT_CLOSE,
    CALLOUT_OPEN,
    Org,
    OrgNames,
    make_eligible,
    new_org,
)
from analysis.synthetic.places import (
    INVALID_POSTCODES,
    NEIGHBOUR,
    NI,
    NOT_FOUND_POSTCODES,
    OUTSIDE_UK_POSTCODES,
    REGION_WEIGHTS,
)
from analysis.synthetic.words import PLACES


@dataclass
class Callout:
    """Everything the sample writer needs to know about a generated callout."""

    orgs: list[Org]
    rows: list[dict]  # form rows in submission order: field -> text
    facts: dict


def _share_parents(rng: random.Random, orgs: list[Org], candidates: list[int]) -> list[list[int]]:
    """A handful of organisations answer the same parent body (e.g. two libraries of one council)."""
    groups = []
    n_groups = max(3, len(orgs) // 60)
    for g in range(n_groups):
        if len(candidates) < 3:
            break
        anchor = candidates.pop()
        region = orgs[anchor].region
        mates = [i for i in candidates if orgs[i].region == region][: 1 + (g % 2)]
        if not mates:
            continue
        for i in mates:
            candidates.remove(i)
        form = ["{} City Council", "{} Borough Council", "University of {}"][g % 3]
        body = form.format(rng.choice(PLACES))
        group = [anchor, *mates]
        for pos, i in enumerate(group):
            orgs[i].parent, orgs[i].parent_shared = body, True
            if form.startswith("University"):
                orgs[i].org_type = ["museum_gallery", "arts_venue", "library"][pos % 3]
            else:
                orgs[i].org_type = ["library", "library", "museum_gallery"][pos % 3]
        if g == 1:
            orgs[group[-1]].parent = body.lower()  # typed differently by the second library
        groups.append(group)
    return groups


def _spoil_postcodes(rng: random.Random, orgs: list[Org], pool: list[int], n: int) -> dict[str, int]:
    """Normalisable, invalid, unknown, offshore and missing postcodes, on distinct organisations."""
    plan = [
        ("normalisable", max(6, round(0.05 * n))),
        ("invalid", max(4, round(0.02 * n))),
        ("not_found", max(2, round(0.012 * n))),
        ("outside_uk", max(3, round(0.015 * n))),
        ("missing", max(1, round(0.005 * n))),
    ]
    counts = {}
    for kind, k in plan:
        if kind == "outside_uk":
            offshore = [i for i in pool if orgs[i].region in ("E12000009", "E12000002", "E12000008")]
            chosen = offshore[:k]
        else:
            chosen = [i for i in pool if orgs[i].region != NI or kind != "normalisable"][:k]
        for j, i in enumerate(chosen):
            pool.remove(i)
            _spoil_one(rng, orgs[i], kind, j)
        counts[kind] = len(chosen)
    return counts


def _spoil_one(rng: random.Random, org: Org, kind: str, j: int) -> None:
    org.postcode_kind = kind
    if kind == "normalisable":
        forms = [
            str.lower,
            lambda p: p.replace(" ", ""),
            lambda p: p.lower().replace(" ", ""),
            lambda p: p.replace(" ", "  "),
        ]
        org.postcode = forms[j % len(forms)](org.postcode)
    elif kind == "invalid":
        org.postcode = INVALID_POSTCODES[j % len(INVALID_POSTCODES)]
    elif kind == "not_found":
        org.postcode = NOT_FOUND_POSTCODES[j % len(NOT_FOUND_POSTCODES)]
    elif kind == "outside_uk":
        org.postcode, org.stated = OUTSIDE_UK_POSTCODES[j % len(OUTSIDE_UK_POSTCODES)]
        org.region = ""
    elif kind == "missing":
        org.postcode = ""


def _plan_orgs(n: int, rng: random.Random, messy: bool) -> tuple[list[Org], dict]:
    """The applicant organisations and their final answers, with the promised messiness."""
    names, used = OrgNames(rng), set()
    regions = [r for r, k in allocate(n, REGION_WEIGHTS).items() for _ in range(k)]
    rng.shuffle(regions)
    orgs = [new_org(rng, names, region, used, messy) for region in regions]
    facts: dict = {"organisations": n}
    if not messy:
        for org in orgs:
            org.parent = ""
            make_eligible(org)
        return orgs, facts
    anchors = {}
    for i, org in enumerate(orgs):
        anchors.setdefault(org.region, i)
    for i in anchors.values():
        make_eligible(orgs[i])
    pool = [i for i in range(n) if i not in set(anchors.values())]
    rng.shuffle(pool)
    groups = _share_parents(rng, orgs, list(pool))
    facts["shared_parent_groups"] = [len(g) for g in groups]
    pool = [i for i in pool if not orgs[i].parent_shared]
    facts["postcodes"] = _spoil_postcodes(rng, orgs, pool, n)
    facts.update(_spoil_answers(rng, orgs, pool, n))
    return orgs, facts


def _spoil_answers(rng: random.Random, orgs: list[Org], pool: list[int], n: int) -> dict:
    """Stated regions that disagree or are blank, and organisations that withhold consent."""
    clean = [i for i in pool if orgs[i].postcode_kind == "ok"]
    k_disagree, k_blank, k_consent = (
        max(5, round(0.03 * n)),
        max(2, round(0.015 * n)),
        max(1, round(0.006 * n)),
    )
    for i in clean[:k_disagree]:
        orgs[i].stated = NEIGHBOUR[orgs[i].region]
    for i in clean[k_disagree : k_disagree + k_blank]:
        orgs[i].stated = ""
    for i in clean[k_disagree + k_blank : k_disagree + k_blank + k_consent]:
        orgs[i].consent = False
    blank_readiness = sum(v == 0 for o in orgs for v in o.readiness)
    return {
        "region_disagrees": len(clean[:k_disagree]),
        "region_blank": len(clean[k_disagree : k_disagree + k_blank]),
        "no_consent": len(clean[k_disagree + k_blank : k_disagree + k_blank + k_consent]),
        "commit_no": sum(o.commit == "no" for o in orgs),
        "commit_unsure": sum(o.commit == "unsure" for o in orgs),
        "readiness_blank": blank_readiness,
    }


def _form_row(org: Org, name: str | None = None) -> dict:
    """An organisation's answers as the form exports them (texts, not codes)."""
    opts = {
        k: answer_texts(k)
        for k in (
            "org_type",
            "staff_band",
            "turnover_band",
            "practices_used",
            "wants_from_network",
            "level",
            "can_commit_3_years",
            "region_stated",
        )
    }
    ready = ["" if v == 0 else str(v) for v in org.readiness]
    return {
        "submitted_at": timestamp_text(org.submitted),
        "email": org.email,
        "contact_name": org.contact[2],
        "contact_role": org.role,
        "phone": org.phone,
        "org_name": org.name if name is None else name,
        "org_website": org.website,
        "parent_body": org.parent,
        "postcode": org.postcode,
        "region_stated": opts["region_stated"].get(org.stated, ""),
        "org_type": opts["org_type"][org.org_type],
        "staff_band": opts["staff_band"].get(org.staff, ""),
        "turnover_band": opts["turnover_band"].get(org.turnover, ""),
        "practices_used": ", ".join(
            opts["practices_used"][c] for c in _in_form_order(org.practices, "practices_used")
        ),
        "level_now": opts["level"][org.level_now],
        "level_target_2026": opts["level"][org.level_target],
        "readiness_leadership": ready[0],
        "readiness_budget": ready[1],
        "readiness_skills": ready[2],
        "readiness_community": ready[3],
        "readiness_governance": ready[4],
        "programme_description": org.description,
        "wants_from_network": ", ".join(
            opts["wants_from_network"][c] for c in _in_form_order(org.wants, "wants_from_network")
        ),
        "can_commit_3_years": opts["can_commit_3_years"][org.commit],
        "research_consent": "Yes" if org.consent else "No",
    }


def _in_form_order(codes: list[str], option: str) -> list[str]:
    """Forms list ticked options in the order the form shows them."""
    order = list(form_settings()["options"][option].values())
    return sorted(set(codes), key=order.index)


def _earlier_draft(rng: random.Random, org: Org, fraction: float) -> Org:
    """A superseded submission: the same organisation, earlier, with some answers different."""
    draft = replace(org, readiness=list(org.readiness), practices=list(org.practices), wants=list(org.wants))
    draft.submitted = daytime(CALLOUT_OPEN + (org.submitted - CALLOUT_OPEN) * fraction)
    changes = rng.sample(["target", "practices", "wants", "readiness", "description", "postcode", "phone"], 3)
    if "target" in changes:
        draft.level_target = max(draft.level_now, min(5, org.level_target + rng.choice([-1, 1])))
    if "practices" in changes:
        draft.practices = ["none_yet"] if len(org.practices) < 2 else org.practices[:-1]
    if "wants" in changes:
        draft.wants = org.wants[:1]
    if "readiness" in changes:
        j = rng.randrange(5)
        draft.readiness[j] = clip_scale((org.readiness[j] or 3) + rng.choice([-1, 1]))
    if "description" in changes:
        draft.description = org.description.split("\n")[0].split(". ")[0]
    if "postcode" in changes and org.postcode_kind == "ok":
        draft.postcode = org.postcode.lower().replace(" ", "")
    if "phone" in changes:
        draft.phone = ""
    return draft


def _name_variant(name: str, j: int) -> str:
    """The same organisation typed a little differently on an earlier submission."""
    return [name.lower(), " ".join(name.split()).replace(" ", "  ", 1) + " ", name.upper()][j % 3]


def _blank_name_row(rng: random.Random, names: OrgNames, used: set[str]) -> Org:
    """A stray submission with no organisation name: intake must reject it, with a reason."""
    org = new_org(rng, names, weighted_choice(rng, REGION_WEIGHTS), used, True)
    org.submitted = moment_between(rng, CALLOUT_OPEN, CALLOUT_CLOSE, skew=2.0)
    return org


def build_callout(n: int, seed: int, messy: bool = True) -> Callout:
    """Plan the organisations, then lay out their submissions in the order the form received them."""
    rng = random.Random(seed)
    orgs, facts = _plan_orgs(n, rng, messy)
    for org in orgs:
        org.submitted = moment_between(rng, CALLOUT_OPEN, CALLOUT_CLOSE, skew=2.0)
    rows: list[tuple[datetime, int, dict]] = []
    if messy:
        rows += _amendments(rng, orgs, facts)
        names = OrgNames(rng)
        names.used = {name_key(o.name) for o in orgs}
        k_blank = max(1, round(n / 150))
        for j in range(k_blank):
            stray = _blank_name_row(rng, names, set())
            rows.append((stray.submitted, 2 * n + j, _form_row(stray, name="")))
        facts["blank_org_name"] = k_blank
    rows += [(o.submitted, i, _form_row(o)) for i, o in enumerate(orgs)]
    rows.sort(key=lambda t: (t[0], t[1]))
    facts["rows"] = len(rows)
    return Callout(orgs=orgs, rows=[r for _, _, r in rows], facts=facts)


def _amendments(rng: random.Random, orgs: list[Org], facts: dict) -> list[tuple[datetime, int, dict]]:
    """At least 8 organisations submitted more than once (one of them three times).

    The earlier drafts are returned; the organisation's own (final) row is added by the caller.
    Two drafts spell the organisation's name differently, as people do.
    """
    n = len(orgs)
    k = max(8, round(0.055 * n))
    chosen = [i for i in rng.sample(range(n), min(n, k + 5)) if orgs[i].consent][:k]
    rows = []
    for j, i in enumerate(chosen):
        org = orgs[i]
        if org.submitted - CALLOUT_OPEN < timedelta(days=2):
            org.submitted += timedelta(days=3)
        fractions = [rng.uniform(0.3, 0.6), rng.uniform(0.7, 0.98)] if j == 0 else [rng.uniform(0.4, 0.98)]
        for d, fraction in enumerate(fractions):
            draft = _earlier_draft(rng, org, fraction)
            name = _name_variant(org.name, j) if j in (1, 2) else None
            rows.append((draft.submitted, 3 * n + 10 * j + d, _form_row(draft, name)))
    facts["amended_orgs"] = len(chosen)
    facts["superseded_rows"] = len(rows)
    facts["name_variants"] = min(2, max(0, len(chosen) - 1))
    return rows


def generate_callout(n_organisations: int, seed: int, *, messy: bool = True) -> pd.DataFrame:
    """A callout export for `n_organisations` organisations, every cell a string, as exported.

    With `messy` (the default) it holds amended resubmissions, unusable and offshore postcodes,
    disagreeing and blank stated regions, a blank organisation name, a refused consent and
    blank optional answers, in proportions that scale with n (so benchmark exports of 10,000
    organisations misbehave like the sample). `messy=False` gives clean, eligible answers: the
    base the bad-input fixtures spoil one way at a time.
    """
    if n_organisations < 1:
        raise ValueError("n_organisations must be at least 1")
    return export_frame(build_callout(int(n_organisations), int(seed), messy).rows, "callout")
