"""Who can be selected: a binary, documented test with a reason code for every exclusion.

Eligibility turns on the organisation, not on data problems (issue 13). Declining research use
of its answers removes an organisation from research figures, not from the draw. Nation and
region come from the postcode; an applicant whose postcode could not be verified (`check` lists
it for follow-up) takes part under the region it stated on the form with `unverified_postcode =
"stated_region"` (the default; `region_source` records which, and the audit pack lists them).
`"exclude"` makes it ineligible (`postcode_unverified`), `"own_group"` puts it in an 'Unverified'
group with no guaranteed seat. With no usable postcode and no stated region it cannot be placed
(`postcode_unverified`). A postcode outside the UK (Channel Islands, Isle of Man) is always
ineligible.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.readiness.measures import ambition_band
from analysis.selection.rules import UNVERIFIED, SelectionRules

# Reason codes in the order they are reported; the first that applies is the main reason.
REASONS: dict[str, str] = {
    "outside_uk": "the postcode is outside the UK (the Channel Islands and the Isle of Man are not in the UK)",
    "postcode_unverified": "the postcode could not be verified and no stated region could be used instead",
    "missing_answers": "answers the selection needs are missing (commitment or participation levels)",
    "cannot_commit": "the organisation could not commit to taking part from 2024 to 2026",
    "no_planned_move": "the organisation does not plan to move up the participation spectrum by 2026",
}

POOL_COLUMNS = [
    "org_id",
    "eligible",
    "reason",
    "reasons",
    "nation",
    "region_code",
    "region_name",
    "ambition",
    "parent_key",
    "region_source",
]


def _reason_flags(a: pd.DataFrame, rules: SelectionRules) -> pd.DataFrame:
    """One boolean column per reason code (several may apply to one applicant)."""
    e = rules.eligibility
    status = a["postcode_status"].astype("string").fillna("missing")
    verified = a["region_source"].astype("string").eq("postcode").fillna(False) & status.eq("ok")
    commit = a["can_commit_3_years"].astype("string")
    now = pd.to_numeric(a["level_now"], errors="coerce")
    target = pd.to_numeric(a["level_target_2026"], errors="coerce")
    stated = a["region_source"].astype("string").eq("stated").fillna(False) & a["nation"].notna()
    flags = pd.DataFrame(index=a.index)
    flags["outside_uk"] = status.eq("outside_uk")
    placed = verified | (stated if e.unverified_postcode == "stated_region" else False)
    unplaced = ~flags["outside_uk"] & ~placed
    flags["postcode_unverified"] = unplaced if e.unverified_postcode != "own_group" else False
    flags["missing_answers"] = commit.isna() | now.isna() | target.isna()
    flags["cannot_commit"] = commit.notna() & commit.ne(e.require_commitment)
    flags["no_planned_move"] = now.notna() & target.notna() & ((target - now) < e.min_level_gap)
    return flags.fillna(False).astype(bool)


def _strata(a: pd.DataFrame, rules: SelectionRules) -> pd.DataFrame:
    """Nation and region from the postcode, or as stated on the form when that is the rule."""
    source = a["region_source"].astype("string")
    how = rules.eligibility.unverified_postcode
    usable = source.eq("postcode") | (source.eq("stated") if how == "stated_region" else False)
    usable = usable.fillna(False)
    out = pd.DataFrame(index=a.index)
    out["nation"] = a["nation"].astype("string").where(usable)
    out["region_code"] = a["region_code"].astype("string").where(usable)
    out["region_name"] = a["region_name"].astype("string").where(usable)
    if how == "own_group":
        for col in ("nation", "region_code", "region_name"):
            out[col] = out[col].fillna(UNVERIFIED)
    return out


def assess_eligibility(
    applicants: pd.DataFrame, config: Any, rules: SelectionRules | None = None
) -> pd.DataFrame:
    """One row per applicant (sorted by org_id): eligible, main reason, all reasons, strata.

    `parent_key` is the parent body's pseudonym, or the applicant's own when it names none, so
    an organisation and its own parent body also count as one body.
    """
    rules = rules or SelectionRules.from_config(config)
    a = applicants.sort_values("org_id").reset_index(drop=True)
    flags = _reason_flags(a, rules)
    marks = [np.where(flags[code].to_numpy(dtype=bool), code, "") for code in REASONS]
    reasons = pd.Series(
        [";".join(c for c in row if c) for row in zip(*marks)], index=flags.index, dtype=object
    )
    out = pd.concat([a[["org_id"]], _strata(a, rules)], axis=1)
    out["ambition"] = ambition_band(a, config).astype("string").to_numpy()
    out["reasons"] = reasons.astype("string") if len(a) else pd.Series(dtype="string")
    out["reason"] = out["reasons"].str.split(";").str[0].where(out["reasons"].ne(""), "")
    out["eligible"] = out["reasons"].eq("")
    parent = (
        a["parent_id"].astype("string")
        if "parent_id" in a
        else pd.Series(pd.NA, index=a.index, dtype="string")
    )
    out["parent_key"] = parent.fillna(a["org_id"].astype("string"))
    out["region_source"] = a["region_source"].astype("string").to_numpy()
    return out[POOL_COLUMNS]


def eligible_pool(assessment: pd.DataFrame) -> pd.DataFrame:
    """The eligible applicants only, with every stratum known (ambition band is never null
    here: a missing level is already `missing_answers`)."""
    pool = assessment[assessment["eligible"]].copy()
    bad = pool[["nation", "region_code", "ambition"]].isna().any(axis=1)
    if bad.any():  # should be impossible; refuse rather than guess a stratum
        raise ValueError(f"{int(bad.sum())} eligible applicants have no nation, region or ambition band")
    return pool.reset_index(drop=True)


def reason_counts(assessment: pd.DataFrame) -> pd.DataFrame:
    """Applicants by main reason for exclusion (one reason each, so the counts add up)."""
    excluded = assessment[~assessment["eligible"]]
    counts = excluded["reason"].value_counts()
    rows = [
        {"reason": code, "description": text, "applicants": int(counts.get(code, 0))}
        for code, text in REASONS.items()
    ]
    rows.append(
        {
            "reason": "eligible",
            "description": "eligible for the lottery",
            "applicants": int(assessment["eligible"].sum()),
        }
    )
    return pd.DataFrame(rows)


def pool_by_stratum(pool: pd.DataFrame) -> pd.DataFrame:
    """Eligible applicants by nation, region and ambition band (long format)."""
    parts = []
    for feature, col in (("nation", "nation"), ("region", "region_name"), ("ambition", "ambition")):
        c = pool[col].value_counts().sort_index()
        parts.append(
            pd.DataFrame({"feature": feature, "value": c.index.astype(str), "eligible": c.to_numpy()})
        )
    return pd.concat(parts, ignore_index=True)
