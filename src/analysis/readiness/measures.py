"""Readiness measures: participation level, ambition gap and band, readiness index, change since baseline.

Compute layer: pure functions over frames. Imports pandas, numpy, `analysis.config` (the settings)
and `analysis.readiness.reliability`; other areas' `measures` may import this module (the
selection uses :func:`ambition_band`, outcomes :func:`member_changes`), nothing here imports
another area.

Measures
--------
**Participation level** (``level_now``, ``level_target_2026``): the IAP2 spectrum of public
participation, coded 1–5 (names in ``[options.level]`` of the settings). In plain words:

==  ===========  ==========================================================================
1   inform       the organisation tells people what it has decided
2   consult      it asks for people's views before it decides
3   involve      it works with people to shape the options
4   collaborate  it decides together with citizens, as partners
5   empower      citizens make the final decision
==  ===========  ==========================================================================

**Ambition gap** = ``level_target_2026 − level_now`` (whole levels; negative if an applicant aims
lower than where it is). Null when either answer is missing.

**Readiness index** (:func:`readiness_index`): the mean of the five Likert items (leadership
support, budget, staff skills, community relationships, governance flexibility; 1 = strongly
disagree … 5 = strongly agree), rescaled to 0–100 by ``(mean − 1) / 4 × 100``: 0 means "strongly
disagree" to everything, 100 "strongly agree" to everything, 50 the neutral midpoint. It is null
when any item is missing, so every index rests on the same five questions. Its reliability is in
:mod:`analysis.readiness.reliability`.

Ambition band rubric (published; settings in ``[readiness.ambition]`` of the config)
------------------------------------------------------------------------------------
The selection uses coarse bands, never a fine ranking: the gap is a small self-reported whole
number full of ties, and a ranking would make it decisive and easy to game. The rules are applied
top to bottom; the first that fits sets the band:

======  ===================================================================  ======================
band    rule (defaults)                                                      config key
======  ===================================================================  ======================
(none)  ``level_now`` or ``level_target_2026`` missing → null                –
high    gap ≥ 2 (aims to move two or more levels)                            ``high_min_gap``
high    gap ≥ 1 starting from inform (1) or consult (2): for an organisation ``high_one_step_from``
        that so far only informs or consults, any move up is a step change
medium  gap ≥ 1 (any other one-level move)                                   ``medium_min_gap``
low     gap ≤ 0 (no move up planned, including those already at empower)     –
======  ===================================================================  ======================

The readiness index is deliberately *not* part of the band: rewarding low readiness would invite
applicants to understate it, and it would add missing answers to the band. It is published
beside the bands instead (profiles by band), so readers can see how ready each band is.

Change since baseline (from 2025)
---------------------------------
:func:`change_since_baseline` pairs each member's baseline return with the current year's and
reports counts moving up, staying and moving down, the exact two-sided sign test on up vs down
(ties left out) and a seeded percentile bootstrap interval for the mean change. With about ten
members these say little: the text says so in words.

Settings and answer labels come from the run's settings; a plain dict (tests) or no settings at
all is laid over ``config/defaults.toml``, so every default is written once, in that file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.config import defaults
from analysis.readiness.reliability import bootstrap_mean_interval, sign_test

READINESS_ITEMS: tuple[str, ...] = (
    "readiness_leadership",
    "readiness_budget",
    "readiness_skills",
    "readiness_community",
    "readiness_governance",
)

BANDS: tuple[str, ...] = ("low", "medium", "high")

# The measures whose change since the baseline is published, and how a sentence names each.
CHANGE_MEASURES: dict[str, str] = {
    "level_now": "the participation spectrum",
    "readiness_index": "the readiness index",
}


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------
def settings_section(config: Any, name: str) -> dict[str, Any]:
    """`[name]` of the settings (a `Config` or a plain dict, or None) laid over config/defaults.toml."""
    section = dict(defaults().get(name, {}))
    if hasattr(config, "section"):
        section.update(config.section(name))
    elif isinstance(config, Mapping) and isinstance(config.get(name), Mapping):
        section.update(config[name])
    return section


def readiness_settings(config: Any) -> dict[str, Any]:
    """The [readiness] settings the analysis reads, with their types."""
    s = settings_section(config, "readiness")
    return {
        "alpha_flag_below": float(s["alpha_flag_below"]),
        "alpha_ci_level": float(s["alpha_ci_level"]),
        "bootstrap_resamples": int(s["bootstrap_resamples"]),
        "bootstrap_seed": int(s["bootstrap_seed"]),
        "change_ci_level": float(s["change_ci_level"]),
        "nation_groups": dict(s.get("nation_groups") or {}),
        "merge_org_types_below": s.get("merge_org_types_below"),
    }


def ambition_rubric(config: Any) -> dict[str, Any]:
    """The published band rubric: the run's `[readiness.ambition]` over the defaults file's."""
    rubric = dict(defaults()["readiness"]["ambition"])
    rubric.update(dict(settings_section(config, "readiness").get("ambition", {})))
    rubric["high_one_step_from"] = [int(v) for v in rubric["high_one_step_from"]]
    if int(rubric["medium_min_gap"]) < 1:
        raise ValueError("readiness.ambition.medium_min_gap must be at least 1: a band needs a move up")
    if int(rubric["high_min_gap"]) < int(rubric["medium_min_gap"]):
        raise ValueError("readiness.ambition.high_min_gap must not be below medium_min_gap")
    return rubric


def baseline_year(config: Any) -> int:
    """The year of the members' baseline returns (`[outcomes] baseline_year`)."""
    return int(settings_section(config, "outcomes")["baseline_year"])


def option_labels(config: Any, option: str) -> dict[str, str]:
    """Code → answer text from `[options.<option>]`, so tables use the form's own words.

    The one source of answer labels. Level answers carry an explanation after " - "; only the
    name is kept ("Inform").
    """
    out: dict[str, str] = {}
    for text, code in settings_section(config, "options").get(option, {}).items():
        out.setdefault(str(code), str(text).split(" - ")[0])
    return out


def level_names(config: Any) -> dict[int, str]:
    """Participation level 1–5 → its name on the form ("Inform" … "Empower")."""
    return dict(sorted((int(code), name) for code, name in option_labels(config, "level").items()))


# ---------------------------------------------------------------------------
# Levels, gap and ambition band
# ---------------------------------------------------------------------------
def ambition_gap(df: pd.DataFrame) -> pd.Series:
    """Target level for 2026 minus the level now (Int64; null when either answer is missing)."""
    now = pd.to_numeric(df["level_now"], errors="coerce").astype("Int64")
    target = pd.to_numeric(df["level_target_2026"], errors="coerce").astype("Int64")
    return (target - now).rename("ambition_gap")


def ambition_band(applicants: pd.DataFrame, config: Any = None) -> pd.Series:
    """Band each applicant low / medium / high by the published rubric (see module docstring).

    Coarse on purpose: the selection gives the high band a minimum share of seats instead of
    ranking applicants on a small, tied, self-reported number. Returns a string Series with the
    index of `applicants`, null where `level_now` or `level_target_2026` is missing.
    """
    rubric = ambition_rubric(config)
    gap = ambition_gap(applicants)
    now = pd.to_numeric(applicants["level_now"], errors="coerce").astype("Int64")
    known = gap.notna()
    g = gap.fillna(-99).astype(int)
    n = now.fillna(-99).astype(int)
    high = (g >= int(rubric["high_min_gap"])) | (
        (g >= int(rubric["medium_min_gap"])) & n.isin(rubric["high_one_step_from"])
    )
    medium = ~high & (g >= int(rubric["medium_min_gap"]))
    band = np.where(high, "high", np.where(medium, "medium", "low"))
    out = pd.Series(band, index=applicants.index, dtype="string", name="ambition_band")
    out[~known.to_numpy()] = pd.NA
    return out


def readiness_index(df: pd.DataFrame, items: tuple[str, ...] | list[str] = READINESS_ITEMS) -> pd.Series:
    """Mean of the five readiness items rescaled to 0–100; null if any item is missing.

    0–100 reads more easily than a mean on 1–5 ("an index of 60") and keeps the neutral midpoint
    at 50. Requiring all five items keeps every index comparable (no index from two answers).
    """
    block = df[list(items)].apply(pd.to_numeric, errors="coerce").astype("Float64")
    mean = block.mean(axis=1, skipna=False)
    index = (mean - 1.0) / 4.0 * 100.0
    return index.astype("Float64").rename("readiness_index")


# ---------------------------------------------------------------------------
# Change since baseline (reused by analysis.outcomes)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeSummary:
    """Members' change in one measure between the baseline year and this year (aggregate only)."""

    column: str
    baseline_year: int
    year: int
    n_members: int  # members considered (e.g. active this year)
    n_paired: int  # with a value in both years
    n_missing: int  # members without a value in one year or both
    n_up: int
    n_same: int
    n_down: int
    mean_baseline: float
    mean_now: float
    mean_change: float
    ci_low: float  # percentile bootstrap interval for the mean change
    ci_high: float
    ci_level: float
    sign_test_p: float  # exact two-sided sign test, up vs down (ties left out)
    resamples: int
    seed: int

    @property
    def distinguishable(self) -> bool:
        """Whether the sign test tells the ups and downs apart from a coin toss at the 5 % level."""
        return bool(np.isfinite(self.sign_test_p) and self.sign_test_p < 0.05)

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["distinguishable"] = self.distinguishable
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in out.items()}


def _measure(surveys: pd.DataFrame, column: str) -> pd.Series:
    if column == "readiness_index":
        return readiness_index(surveys)
    return pd.to_numeric(surveys[column], errors="coerce").astype("Float64")


def paired_values(
    surveys: pd.DataFrame,
    column: str,
    baseline_year: int,
    year: int,
    members: list[str] | pd.Index | None = None,
) -> pd.DataFrame:
    """One row per member: the measure at baseline and this year (null where not returned).

    `column` is a survey column or "readiness_index". `members` (org_ids) defaults to everyone
    who returned in either year; a member with several returns in a year keeps the latest.
    """
    s = surveys.copy()
    s["_value"] = _measure(s, column)
    if "submitted_at" in s.columns:
        s = s.sort_values("submitted_at", kind="stable")
    s = s.drop_duplicates(["org_id", "year"], keep="last")
    base = s[s["year"] == baseline_year].set_index("org_id")["_value"]
    now = s[s["year"] == year].set_index("org_id")["_value"]
    if members is None:
        members = base.index.union(now.index)
    idx = pd.Index(sorted(set(members)), name="org_id")
    return pd.DataFrame({"baseline": base.reindex(idx), "now": now.reindex(idx)}, index=idx)


def change_since_baseline(
    surveys: pd.DataFrame,
    column: str,
    baseline_year: int,
    year: int,
    *,
    members: list[str] | pd.Index | None = None,
    resamples: int = 2000,
    seed: int = 20240101,
    ci_level: float = 0.95,
) -> ChangeSummary:
    """Summarise members' change in `column` from `baseline_year` to `year`.

    Only members with a value in both years count towards the change; the rest are counted as
    missing, never imputed. Reusable for any numeric survey measure (outcomes uses it too).
    """
    pairs = paired_values(surveys, column, baseline_year, year, members)
    both = pairs.dropna()
    diff = (both["now"] - both["baseline"]).astype(float).to_numpy()
    n_up, n_down = int((diff > 0).sum()), int((diff < 0).sum())
    lo, hi = bootstrap_mean_interval(diff, resamples=resamples, seed=seed, level=ci_level)
    nan = float("nan")
    return ChangeSummary(
        column=column,
        baseline_year=int(baseline_year),
        year=int(year),
        n_members=int(len(pairs)),
        n_paired=int(len(both)),
        n_missing=int(len(pairs) - len(both)),
        n_up=n_up,
        n_same=int((diff == 0).sum()),
        n_down=n_down,
        mean_baseline=float(both["baseline"].mean()) if len(both) else nan,
        mean_now=float(both["now"].mean()) if len(both) else nan,
        mean_change=float(diff.mean()) if len(diff) else nan,
        ci_low=lo,
        ci_high=hi,
        ci_level=ci_level,
        sign_test_p=sign_test(n_up, n_down),
        resamples=int(resamples),
        seed=int(seed),
    )


def active_members(roster: pd.DataFrame, year: int) -> list[str]:
    """Members with status `active` in `year`: those who left are not expected to return."""
    return sorted(roster[(roster["year"] == year) & (roster["status"] == "active")]["org_id"].unique())


def member_changes(
    surveys: pd.DataFrame, roster: pd.DataFrame, year: int, config: Any
) -> dict[str, ChangeSummary]:
    """Change since baseline for each measure, over members active in `year` (raw summaries)."""
    s = readiness_settings(config)
    active = active_members(roster, year)
    return {
        col: change_since_baseline(
            surveys,
            col,
            baseline_year(config),
            year,
            members=list(active),
            resamples=s["bootstrap_resamples"],
            seed=s["bootstrap_seed"] + i,
            ci_level=s["change_ci_level"],
        )
        for i, col in enumerate(CHANGE_MEASURES)
    }


def member_change_frame(surveys: pd.DataFrame, roster: pd.DataFrame, year: int, config: Any) -> pd.DataFrame:
    """One row per active member and measure: baseline, now and change (null without both years)."""
    base, active = baseline_year(config), active_members(roster, year)
    parts = []
    for col in CHANGE_MEASURES:
        pairs = paired_values(surveys, col, base, year, active).astype(float)
        pairs["change"] = pairs["now"] - pairs["baseline"]
        parts.append(pairs.assign(measure=col).reset_index())
    columns = ["org_id", "measure", "baseline", "now", "change"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def change_counts(c: ChangeSummary) -> pd.Series:
    """Members moving up, staying, moving down, and not comparable (no return in one year)."""
    out = pd.Series(
        {
            "Moved up": c.n_up,
            "Stayed the same": c.n_same,
            "Moved down": c.n_down,
            "Not comparable (missing a year)": c.n_missing,
        },
        name="Members",
    )
    out.index.name = f"Change since {c.baseline_year}"
    return out
