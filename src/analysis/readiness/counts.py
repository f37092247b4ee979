"""The raw frames behind the readiness tables: counts per answer, group and band, before protection.

Compute layer: pure pandas over the consenting applicants. Imports only
`analysis.readiness.measures`; `tables.py` protects what this module
counts, and `report.results()` hands the same frames to researchers by name.

Answer labels (practices, wants, commitment, organisation types, levels) come from the
settings' `[options.*]` through :func:`measures.option_labels`, so a table uses the form's own
words and they are written once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.readiness.measures import (
    BANDS,
    READINESS_ITEMS,
    ambition_band,
    ambition_gap,
    level_names,
    option_labels,
    readiness_index,
    readiness_settings,
)

ITEM_SHORT: dict[str, str] = {
    "readiness_leadership": "Leadership support",
    "readiness_budget": "Budget available",
    "readiness_skills": "Staff skills",
    "readiness_community": "Community relationships",
    "readiness_governance": "Governance flexibility",
}

# The five Likert answers merged into three before protection (see likert_band_counts).
LIKERT_BANDS: dict[str, tuple[int, ...]] = {
    "Disagree (1-2)": (1, 2),
    "Neither (3)": (3,),
    "Agree (4-5)": (4, 5),
}

BAND_LABELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}
NOT_ANSWERED = "Not answered"
NOT_KNOWN = "Not known"

# Multi-select questions: the settings' option list and the column prefix intake gives each answer.
PRACTICES = ("practices_used", "practice_")
WANTS = ("wants_from_network", "want_")
COMMIT_ORDER = ("yes", "unsure", "no")  # the commitment answers, from most to least sure

# The groupings profiles are published by: column → the words a caption uses.
PROFILE_BY: dict[str, str] = {
    "org_type": "organisation type",
    "staff_band": "size (staff)",
    "nation": "nation",
}


def research_sample(applicants: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The analysed applicants: UK-based and consented to research use; and how many did not consent.

    The same organisations every section describes ("the 146 UK-based organisations that agreed
    to research use"), so the brief never quotes two denominators for one group. Outside the UK
    means the postcode said so (Channel Islands, Isle of Man) or no UK region could be found.
    """
    consent = applicants["research_consent"].astype("boolean").fillna(False).to_numpy()
    keep = consent.copy()
    if "postcode_status" in applicants:
        keep &= ~applicants["postcode_status"].eq("outside_uk").to_numpy()
    if "region_code" in applicants:
        keep &= applicants["region_code"].notna().to_numpy()
    return applicants[keep].copy(), int((~consent).sum())


def prefixed_columns(df: pd.DataFrame, prefix: str, order: list[str] | None = None) -> list[str]:
    """The `prefix`+code columns present, in the config's order first, then any others."""
    present = [c for c in df.columns if c.startswith(prefix)]
    ordered = [prefix + code for code in (order or []) if prefix + code in present]
    return ordered + [c for c in present if c not in ordered]


def level_distribution(applicants: pd.DataFrame, config: Any = None) -> pd.DataFrame:
    """Applicants at each IAP2 level now and aiming for each level by 2026 (counts)."""
    levels = level_names(config)
    rows = {}
    for col, label in (("level_now", "Now"), ("level_target_2026", "Aim for 2026")):
        v = pd.to_numeric(applicants[col], errors="coerce")
        rows[label] = [int((v == lvl).sum()) for lvl in levels]
    return pd.DataFrame(rows, index=pd.Index(list(levels.values()), name="Participation level"))


def likert_band_counts(df: pd.DataFrame, items: tuple[str, ...] = READINESS_ITEMS) -> pd.DataFrame:
    """Items (rows) × three bands (disagree 1-2, neither 3, agree 4-5): applicants per band.

    The five answers are merged *before* disclosure control: with five columns one small cell
    (few applicants strongly disagree) forces a second cell in the row to be hidden and the
    row cannot be charted; three bands keep every row publishable. This is the table redesign
    DISCLOSURE.md prefers to suppression, and the appendix says so.
    """
    rows = {}
    for item in items:
        v = pd.to_numeric(df[item], errors="coerce")
        rows[ITEM_SHORT.get(item, item)] = [int(v.isin(points).sum()) for points in LIKERT_BANDS.values()]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(LIKERT_BANDS))
    out.index.name = "Statement"
    return out


def flag_counts(df: pd.DataFrame, question: tuple[str, str], config: Any = None) -> pd.Series:
    """How many applicants ticked each answer of a multi-select question (`PRACTICES`, `WANTS`)."""
    option, prefix = question
    labels = option_labels(config, option)
    cols = prefixed_columns(df, prefix, list(labels))
    return pd.Series(
        {
            labels.get(c[len(prefix) :], c[len(prefix) :]): int(df[c].astype("boolean").fillna(False).sum())
            for c in cols
        },
        name="Applicants",
        dtype="int64",
    )


def commitment_counts(df: pd.DataFrame, config: Any = None) -> pd.Series:
    """Applicants able to commit to 2024–2026: yes, not sure, no, not answered."""
    labels = option_labels(config, "can_commit_3_years")
    v = df["can_commit_3_years"].astype("string")
    out = pd.Series({labels[code]: int((v == code).sum()) for code in COMMIT_ORDER}, name="Applicants")
    out[NOT_ANSWERED] = int(v.isna().sum())
    out.index.name = "Can commit 2024 to 2026"
    return out


def _org_type_labels(df: pd.DataFrame, config: Any) -> pd.Series:
    labels = option_labels(config, "org_type")
    return df["org_type"].astype("string").map(lambda c: labels.get(c, c) if pd.notna(c) else pd.NA)


def small_org_types(df: pd.DataFrame, config: Any = None) -> list[str]:
    """Organisation types with fewer than `merge_org_types_below` applicants (they join "Other")."""
    limit = readiness_settings(config)["merge_org_types_below"]
    if not limit or "org_type" not in df.columns:
        return []
    other = option_labels(config, "org_type").get("other", "Other")
    sizes = _org_type_labels(df, config).value_counts()
    return sorted(str(k) for k, n in sizes.items() if n < int(limit) and k != other)


def group_column(df: pd.DataFrame, by: str, config: Any = None) -> pd.Series:
    """The grouping used in profiles, with labels and the published merges applied.

    Nations: `[readiness] nation_groups` (e.g. Wales, Scotland and Northern Ireland together), fixed
    every year so tables cannot be differenced across years. Organisation types: types with
    fewer than `merge_org_types_below` applicants join "Other", because a type with two
    applicants would be suppressed anyway and merging keeps the rest of the row visible.
    """
    s = readiness_settings(config)
    v = df[by].astype("string")
    if by == "nation":
        v = v.replace(s["nation_groups"]) if s["nation_groups"] else v
        return v.fillna(NOT_KNOWN).rename("Nation")
    if by == "org_type":
        v = _org_type_labels(df, config).astype("string")
        small = small_org_types(df, config)
        if small:
            v = v.where(~v.isin(small), option_labels(config, "org_type").get("other", "Other"))
        return v.fillna(NOT_KNOWN).rename("Organisation type")
    if by == "staff_band":
        return _in_band_order(
            v.fillna(NOT_KNOWN).map(lambda c: c if c == NOT_KNOWN else f"{c} staff"), config
        )
    return v.fillna(NOT_KNOWN).rename(by)


def _in_band_order(labels: pd.Series, config: Any) -> pd.Series:
    """Staff bands as an ordered category, so every table lists them smallest first ("250+"
    after "50-249", not before it as text sorts) with "Not known" last."""
    order = [f"{code} staff" for code in option_labels(config, "staff_band")] + [NOT_KNOWN]
    seen = set(labels.dropna())
    categories = [c for c in order if c in seen] + sorted(seen - set(order))
    return pd.Series(
        pd.Categorical(labels, categories=categories, ordered=True), index=labels.index, name="Staff (FTE)"
    )


def profile_counts(df: pd.DataFrame, by: str, config: Any = None) -> pd.DataFrame:
    """Group (rows) × ambition band (columns) counts of applicants."""
    g = group_column(df, by, config)
    band = ambition_band(df, config).map(lambda b: BAND_LABELS.get(b, b) if pd.notna(b) else NOT_ANSWERED)
    table = pd.crosstab(g, band)
    table = table.reindex(columns=[BAND_LABELS[b] for b in BANDS] + [NOT_ANSWERED], fill_value=0)
    table.columns.name = "Ambition band"
    return table.astype("int64")


def profile_frame(df: pd.DataFrame, config: Any = None) -> pd.DataFrame:
    """One row per applicant with the derived measures profiles average over."""
    out = pd.DataFrame(index=df.index)
    out["org_id"] = df["org_id"] if "org_id" in df.columns else df.index.astype(str)
    for by in PROFILE_BY:
        if by in df.columns:
            out[by] = group_column(df, by, config)
    out["readiness_index"] = readiness_index(df).astype(float)
    out["level_now"] = pd.to_numeric(df["level_now"], errors="coerce").astype(float)
    out["level_target_2026"] = pd.to_numeric(df["level_target_2026"], errors="coerce").astype(float)
    out["ambition_gap"] = ambition_gap(df).astype(float)
    out["ambition_band"] = ambition_band(df, config)
    return out


def practices_by_group(df: pd.DataFrame, by: str = "org_type", config: Any = None) -> pd.DataFrame:
    """Group (rows) × practice already used (columns): applicants who had used each one.

    Columns are not exclusive (an applicant may tick several), so there is no row total; the
    number of applicants in each group is given as the first column instead.
    """
    option, prefix = PRACTICES
    labels = option_labels(config, option)
    g = group_column(df, by, config)
    cols = prefixed_columns(df, prefix, list(labels))
    flags = df[cols].astype("boolean").fillna(False).astype(int)
    flags.columns = [labels.get(c[len(prefix) :], c) for c in cols]
    table = flags.groupby(g).sum()
    table.insert(0, "Applicants", g.value_counts().reindex(table.index).astype(int))
    return table.astype("int64")


def raw_frames(df: pd.DataFrame, config: Any = None) -> dict[str, pd.DataFrame]:
    """Every raw frame the readiness tables protect, by name (consenting applicants `df`).

    Unprotected: for `tables.protect_tables` and for a researcher's eyes, never for publication.
    """
    by_list = [by for by in PROFILE_BY if by in df.columns]
    return {
        "applicants": profile_frame(df, config),
        **{f"profile_{by}": profile_counts(df, by, config) for by in by_list},
        "readiness_answers": likert_band_counts(df),
        "levels": level_distribution(df, config),
        "practices": flag_counts(df, PRACTICES, config).to_frame(),
        "wants": flag_counts(df, WANTS, config).to_frame(),
        "commitment": commitment_counts(df, config).to_frame(),
        "practices_by_type": practices_by_group(df, "org_type", config),
    }
