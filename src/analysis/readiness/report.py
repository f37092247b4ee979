"""Organisational readiness and ambition, relative to where each organisation is now (issue 6).

The callout promised to favour "applicants who have ambitious programmes for change relative to
where they are now"; the network then tracks how far members move. This module holds the
measures, their reliability, the ambition rubric the selection uses, the profiles published in
the brief and, from 2025, members' change since the 2024 baseline.

Measures
--------
**Participation level** (``level_now``, ``level_target_2026``): the IAP2 spectrum of public
participation, coded 1–5. In plain words:

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
when any item is missing, so every index rests on the same five questions. Its internal
consistency is reported as Cronbach's alpha (:func:`cronbach_alpha_detail`) with a Feldt
confidence interval and corrected item-total correlations, flagged below
``[readiness] alpha_flag_below`` (0.7).

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
(ties left out, ``scipy.stats.binomtest``) and a seeded percentile bootstrap interval for the mean
change (``numpy.random.Generator``, never global random state). With about ten members these say
little: the text says so in words. :mod:`analysis.outcomes` may reuse these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

AREA = "readiness"

READINESS_ITEMS: tuple[str, ...] = (
    "readiness_leadership",
    "readiness_budget",
    "readiness_skills",
    "readiness_community",
    "readiness_governance",
)

ITEM_LABELS: dict[str, str] = {
    "readiness_leadership": "Our leadership actively supports citizen-led decision-making",
    "readiness_budget": "We have budget we could put towards citizen-led work",
    "readiness_skills": "Our staff have the skills to run citizen-led processes",
    "readiness_community": "We have strong relationships with the communities we serve",
    "readiness_governance": "Our governance could hand real decisions to citizens",
}

LEVELS: dict[int, str] = {1: "Inform", 2: "Consult", 3: "Involve", 4: "Collaborate", 5: "Empower"}

LEVEL_MEANINGS: dict[int, str] = {
    1: "the organisation tells people what it has decided",
    2: "it asks for people's views before it decides",
    3: "it works with people to shape the options",
    4: "it decides together with citizens, as partners",
    5: "citizens make the final decision",
}

BANDS: tuple[str, ...] = ("low", "medium", "high")

DEFAULT_RUBRIC: dict[str, Any] = {
    "high_min_gap": 2,
    "high_one_step_from": [1, 2],
    "medium_min_gap": 1,
}


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------
def _section(config: Any, name: str) -> dict[str, Any]:
    """A config section from a `Config`, a plain dict of the whole config, or the section itself."""
    if config is None:
        return {}
    if hasattr(config, "section"):
        return config.section(name)
    if isinstance(config, Mapping):
        inner = config.get(name)
        return dict(inner) if isinstance(inner, Mapping) else dict(config)
    return {}


def readiness_settings(config: Any) -> dict[str, Any]:
    """The [readiness] settings with defaults filled in, so functions run without a config file."""
    s = _section(config, "readiness")
    return {
        "alpha_flag_below": float(s.get("alpha_flag_below", 0.7)),
        "alpha_ci_level": float(s.get("alpha_ci_level", 0.95)),
        "bootstrap_resamples": int(s.get("bootstrap_resamples", 2000)),
        "bootstrap_seed": int(s.get("bootstrap_seed", 20240101)),
        "change_ci_level": float(s.get("change_ci_level", 0.95)),
        "ambition": ambition_rubric(config),
        "nation_groups": dict(s.get("nation_groups", {})),
        "merge_org_types_below": s.get("merge_org_types_below"),
    }


def ambition_rubric(config: Any) -> dict[str, Any]:
    """The published band rubric: `[readiness.ambition]` over the defaults in this module."""
    s = _section(config, "readiness")
    rubric = dict(DEFAULT_RUBRIC)
    rubric.update(dict(s.get("ambition", {})))
    rubric["high_one_step_from"] = [int(v) for v in rubric["high_one_step_from"]]
    if int(rubric["medium_min_gap"]) < 1:
        raise ValueError("readiness.ambition.medium_min_gap must be at least 1: a band needs a move up")
    if int(rubric["high_min_gap"]) < int(rubric["medium_min_gap"]):
        raise ValueError("readiness.ambition.high_min_gap must not be below medium_min_gap")
    return rubric


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


def rubric_table(config: Any = None) -> pd.DataFrame:
    """The rubric as a small table for the appendix, built from the settings actually used."""
    r = ambition_rubric(config)
    start = " or ".join(f"{LEVELS[v].lower()} ({v})" for v in r["high_one_step_from"] if v in LEVELS)
    rows = [
        ("High", f"aims to move {r['high_min_gap']} or more levels by 2026"),
        (
            "High",
            f"aims to move at least {r['medium_min_gap']} level, starting from {start}"
            if start
            else "(rule switched off)",
        ),
        ("Medium", f"aims to move at least {r['medium_min_gap']} level from any other starting point"),
        ("Low", "no move up planned (including organisations already at empower)"),
        ("Not banded", "level now or target level not answered"),
    ]
    return pd.DataFrame(rows, columns=["Band", "Rule (first that fits)"]).set_index("Band")


# ---------------------------------------------------------------------------
# Readiness index and reliability
# ---------------------------------------------------------------------------
def readiness_index(df: pd.DataFrame, items: tuple[str, ...] | list[str] = READINESS_ITEMS) -> pd.Series:
    """Mean of the five readiness items rescaled to 0–100; null if any item is missing.

    0–100 reads more easily than a mean on 1–5 ("an index of 60") and keeps the neutral midpoint
    at 50. Requiring all five items keeps every index comparable (no index from two answers).
    """
    block = df[list(items)].apply(pd.to_numeric, errors="coerce").astype("Float64")
    mean = block.mean(axis=1, skipna=False)
    index = (mean - 1.0) / 4.0 * 100.0
    return index.astype("Float64").rename("readiness_index")


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha and what a reader needs to judge it."""

    alpha: float
    n_used: int  # respondents with every item answered
    n_dropped: int  # respondents left out for a missing item
    n_items: int
    ci_low: float
    ci_high: float
    ci_level: float
    item_total: dict[str, float] = field(default_factory=dict)  # corrected item-total r
    alpha_if_dropped: dict[str, float] = field(default_factory=dict)
    flag_below: float = 0.7

    @property
    def flagged(self) -> bool:
        """True when alpha is below the threshold (or could not be computed)."""
        return not np.isfinite(self.alpha) or self.alpha < self.flag_below

    def to_json(self) -> dict[str, Any]:
        def f(x: float) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), 4)

        return {
            "alpha": f(self.alpha),
            "n_used": self.n_used,
            "n_dropped": self.n_dropped,
            "n_items": self.n_items,
            "ci_low": f(self.ci_low),
            "ci_high": f(self.ci_high),
            "ci_level": self.ci_level,
            "flagged": self.flagged,
            "flag_below": self.flag_below,
            "item_total": {k: f(v) for k, v in self.item_total.items()},
            "alpha_if_dropped": {k: f(v) for k, v in self.alpha_if_dropped.items()},
        }


def _complete_rows(items: pd.DataFrame) -> pd.DataFrame:
    block = items.apply(pd.to_numeric, errors="coerce").astype(float)
    return block.dropna(axis=0, how="any")


def _alpha(x: np.ndarray) -> float:
    """Cronbach (1951): k/(k−1) · (1 − Σ item variances / variance of the total)."""
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - item_var / total_var))


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a table of item scores (rows respondents, columns items).

    Rows with any missing item are left out (listwise), so every variance uses the same people;
    :func:`cronbach_alpha_detail` reports how many were left out.
    """
    return _alpha(_complete_rows(items).to_numpy())


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt (1965) interval: (1 − α)/(1 − α̂) follows F with n−1 and (n−1)(k−1) df.

    Chosen over a bootstrap because it is exact under its assumptions and needs no random
    numbers; with fewer than 3 respondents it is undefined (NaN).
    """
    if not np.isfinite(alpha) or n < 3 or k < 2:
        return float("nan"), float("nan")
    d1, d2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - level) / 2.0
    f_low, f_high = stats.f.ppf(tail, d1, d2), stats.f.ppf(1.0 - tail, d1, d2)
    return float(1.0 - (1.0 - alpha) * f_high), float(1.0 - (1.0 - alpha) * f_low)


def item_total_correlations(items: pd.DataFrame) -> dict[str, float]:
    """Corrected item-total correlation: each item against the sum of the *other* items.

    Corrected, because an item correlates with a total that contains itself; a low value marks
    an item that does not go with the rest.
    """
    block = _complete_rows(items)
    out: dict[str, float] = {}
    for col in block.columns:
        rest = block.drop(columns=col).sum(axis=1)
        if block[col].std(ddof=1) == 0 or rest.std(ddof=1) == 0:
            out[str(col)] = float("nan")
        else:
            out[str(col)] = float(np.corrcoef(block[col], rest)[0, 1])
    return out


def cronbach_alpha_detail(
    items: pd.DataFrame, *, ci_level: float = 0.95, flag_below: float = 0.7
) -> AlphaResult:
    """Alpha with its Feldt interval, corrected item-total r, alpha-if-dropped and the counts."""
    block = _complete_rows(items)
    x = block.to_numpy()
    n, k = x.shape
    alpha = _alpha(x)
    lo, hi = feldt_interval(alpha, n, k, ci_level)
    if_dropped = {
        str(c): (_alpha(block.drop(columns=c).to_numpy()) if k > 2 else float("nan")) for c in block.columns
    }
    return AlphaResult(
        alpha=alpha,
        n_used=int(n),
        n_dropped=int(len(items) - n),
        n_items=int(k),
        ci_low=lo,
        ci_high=hi,
        ci_level=ci_level,
        item_total=item_total_correlations(block),
        alpha_if_dropped=if_dropped,
        flag_below=flag_below,
    )


# ---------------------------------------------------------------------------
# Change since baseline (reusable by analysis.outcomes)
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


def sign_test(n_up: int, n_down: int) -> float:
    """Exact two-sided sign test p-value for ups vs downs (ties dropped); NaN with no moves.

    Under "no real change" each member that moved is equally likely to move up or down.
    """
    n = int(n_up) + int(n_down)
    if n == 0:
        return float("nan")
    return float(stats.binomtest(int(n_up), n, 0.5, alternative="two-sided").pvalue)


def bootstrap_mean_interval(
    values: np.ndarray | pd.Series, *, resamples: int, seed: int, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval for a mean, from its own seeded `numpy.random.Generator`.

    Its own generator so the result depends only on (values, resamples, seed) and nothing
    else in the run can change it. Fewer than 2 values: NaN.
    """
    x = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), dtype=float)
    if len(x) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(int(resamples), len(x)))
    means = x[idx].mean(axis=1)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [tail, 1.0 - tail])
    return float(lo), float(hi)


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


def describe_change(c: ChangeSummary, what: str, *, counts: tuple[float, float, float] | None = None) -> str:
    """Plain words for a change summary: who moved, and whether chance could explain it.

    `counts` (up, same, down) are the published, protected numbers; without them the raw
    counts are used, which is only for internal use and tests.
    """
    up, same, down = (int(round(v)) for v in counts) if counts else (c.n_up, c.n_same, c.n_down)
    moved = (
        f"Of the {up + same + down} members who answered in both {c.baseline_year} and {c.year}, "
        f"{up} moved up on {what}, {same} stayed the same and {down} moved down."
    )
    if not np.isfinite(c.sign_test_p):
        test = "Nobody moved, so there is no change to test."
    elif c.distinguishable:
        test = (
            f"An exact sign test says a split this uneven would be unlikely by chance alone "
            f"(p = {c.sign_test_p:.3f}), but with so few members this is still weak evidence."
        )
    else:
        test = (
            f"With so few members, an exact sign test cannot tell this split from chance "
            f"(p = {c.sign_test_p:.2f})."
        )
    return f"{moved} {test}"


# ---------------------------------------------------------------------------
# Layer 1: descriptive tables (pure pandas; raw counts, protected in layer 2)
# ---------------------------------------------------------------------------
LIKERT_LABELS: dict[int, str] = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither",
    4: "Agree",
    5: "Strongly agree",
}

ITEM_SHORT: dict[str, str] = {
    "readiness_leadership": "Leadership support",
    "readiness_budget": "Budget available",
    "readiness_skills": "Staff skills",
    "readiness_community": "Community relationships",
    "readiness_governance": "Governance flexibility",
}

PRACTICE_LABELS: dict[str, str] = {
    "citizens_assembly": "Citizens' assembly",
    "citizens_jury": "Citizens' jury",
    "participatory_budgeting": "Participatory budgeting",
    "citizens_on_board": "Citizens on board or governance",
    "community_panel": "Community panel",
    "none_yet": "None yet",
}

WANT_LABELS: dict[str, str] = {
    "peer_learning": "Peer learning",
    "workshops": "Workshops",
    "funding_support": "Help with funding",
    "business_model": "Business model review",
    "partnerships": "Partnerships",
    "advocacy_policy": "Advocacy and policy",
}

COMMIT_LABELS: dict[str, str] = {"yes": "Yes", "unsure": "Not sure", "no": "No"}

BAND_LABELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}
NOT_ANSWERED = "Not answered"


def option_labels(config: Any, option: str) -> dict[str, str]:
    """Code → answer text from `[options.<option>]`, so tables use the form's own words.

    Level answers carry an explanation after " - "; only the name is kept.
    """
    opts = _section(config, "options").get(option, {}) if config is not None else {}
    out: dict[str, str] = {}
    for text, code in opts.items():
        out.setdefault(str(code), str(text).split(" - ")[0])
    return out


def research_sample(applicants: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Applicants who consented to research use, and how many did not (they are counted only)."""
    consent = applicants["research_consent"].astype("boolean").fillna(False)
    return applicants[consent.to_numpy()].copy(), int((~consent).sum())


def prefixed_columns(df: pd.DataFrame, prefix: str, order: list[str] | None = None) -> list[str]:
    """The `prefix`+code columns present, in the config's order first, then any others."""
    present = [c for c in df.columns if c.startswith(prefix)]
    ordered = [prefix + code for code in (order or []) if prefix + code in present]
    return ordered + [c for c in present if c not in ordered]


def level_distribution(applicants: pd.DataFrame) -> pd.DataFrame:
    """Applicants at each IAP2 level now and aiming for each level by 2026 (counts)."""
    rows = {}
    for col, label in (("level_now", "Now"), ("level_target_2026", "Aim for 2026")):
        v = pd.to_numeric(applicants[col], errors="coerce")
        rows[label] = [int((v == lvl).sum()) for lvl in LEVELS]
    out = pd.DataFrame(rows, index=pd.Index([LEVELS[k] for k in LEVELS], name="Participation level"))
    return out


def gap_distribution(applicants: pd.DataFrame) -> pd.Series:
    """Applicants by planned move: none (or lower), 1 level, 2 or more, not answered (counts).

    Coarse groups on purpose: "3 or more" would nearly always be suppressed, and the number
    moving up at all (1 + 2 or more) is then still published from the same table.
    """
    gap = ambition_gap(applicants)
    labels = {
        "No move up": gap <= 0,
        "1 level": gap == 1,
        "2 or more levels": gap >= 2,
        NOT_ANSWERED: gap.isna(),
    }
    out = pd.Series({k: int(m.fillna(False).sum()) for k, m in labels.items()}, name="Applicants")
    out.index.name = "Planned move by 2026"
    return out


def band_distribution(applicants: pd.DataFrame, config: Any = None) -> pd.Series:
    """Applicants in each ambition band (and not banded) (counts)."""
    band = ambition_band(applicants, config)
    out = pd.Series({BAND_LABELS[b]: int((band == b).sum()) for b in BANDS}, name="Applicants")
    out[NOT_ANSWERED] = int(band.isna().sum())
    out.index.name = "Ambition band"
    return out


def likert_counts(df: pd.DataFrame, items: tuple[str, ...] = READINESS_ITEMS) -> pd.DataFrame:
    """Items (rows) × response 1–5 (columns): how many applicants gave each answer."""
    rows = {}
    for item in items:
        v = pd.to_numeric(df[item], errors="coerce")
        rows[ITEM_SHORT.get(item, item)] = [int((v == k).sum()) for k in LIKERT_LABELS]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(LIKERT_LABELS.values()))
    out.index.name = "Statement"
    return out


LIKERT_BANDS: dict[str, tuple[int, ...]] = {
    "Disagree (1-2)": (1, 2),
    "Neither (3)": (3,),
    "Agree (4-5)": (4, 5),
}


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


def flag_counts(df: pd.DataFrame, prefix: str, labels: dict[str, str]) -> pd.Series:
    """How many applicants ticked each multi-select option (`practice_*`, `want_*`)."""
    cols = prefixed_columns(df, prefix, list(labels))
    out = pd.Series(
        {
            labels.get(c[len(prefix) :], c[len(prefix) :]): int(df[c].astype("boolean").fillna(False).sum())
            for c in cols
        },
        name="Applicants",
        dtype="int64",
    )
    return out


def commitment_counts(df: pd.DataFrame) -> pd.Series:
    """Applicants able to commit to 2024–2026: yes, not sure, no, not answered."""
    v = df["can_commit_3_years"].astype("string")
    out = pd.Series(
        {label: int((v == code).sum()) for code, label in COMMIT_LABELS.items()}, name="Applicants"
    )
    out[NOT_ANSWERED] = int(v.isna().sum())
    out.index.name = "Can commit 2024 to 2026"
    return out


def group_column(df: pd.DataFrame, by: str, config: Any = None) -> pd.Series:
    """The grouping used in profiles, with labels and the published merges applied.

    Nations: `[readiness] nation_groups` (e.g. Wales and Northern Ireland together), fixed
    every year so tables cannot be differenced across years. Organisation types: types with
    fewer than `merge_org_types_below` applicants join "Other", because a type with two
    applicants would be suppressed anyway and merging keeps the rest of the row visible.
    """
    s = readiness_settings(config)
    v = df[by].astype("string")
    if by == "nation":
        v = v.replace(s["nation_groups"]) if s["nation_groups"] else v
        return v.fillna("Not known").rename("Nation")
    if by == "org_type":
        labels = option_labels(config, "org_type") or {}
        v = v.map(lambda c: labels.get(c, c) if pd.notna(c) else pd.NA).astype("string")
        limit = s["merge_org_types_below"]
        if limit:
            sizes = v.value_counts()
            small = [k for k, n in sizes.items() if n < int(limit)]
            other = labels.get("other", "Other")
            if small:
                v = v.where(~v.isin(small), other)
        return v.fillna("Not known").rename("Organisation type")
    if by == "staff_band":
        return (
            v.fillna("Not known").map(lambda c: c if c == "Not known" else f"{c} staff").rename("Staff (FTE)")
        )
    return v.fillna("Not known").rename(by)


def merged_groups(df: pd.DataFrame, by: str, config: Any = None) -> list[str]:
    """Plain-words notes of the merges `group_column` made, for the appendix."""
    notes = []
    s = readiness_settings(config)
    if by == "nation":
        merged: dict[str, list[str]] = {}
        for src, dst in s["nation_groups"].items():
            merged.setdefault(dst, []).append(src)
        notes += [f'{" and ".join(v)} are shown together as "{k}".' for k, v in merged.items() if len(v) > 1]
    if by == "org_type" and s["merge_org_types_below"]:
        labels = option_labels(config, "org_type")
        raw = df[by].astype("string").map(lambda c: labels.get(c, c) if pd.notna(c) else pd.NA)
        small = sorted(
            k
            for k, n in raw.value_counts().items()
            if n < int(s["merge_org_types_below"]) and k != labels.get("other", "Other")
        )
        if small:
            notes.append(
                f"Types with fewer than {s['merge_org_types_below']} applicants "
                f'({", ".join(small)}) are counted under "{labels.get("other", "Other")}".'
            )
    return notes


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
    for by in ("org_type", "staff_band", "nation"):
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
    g = group_column(df, by, config)
    cols = prefixed_columns(df, "practice_", list(PRACTICE_LABELS))
    flags = df[cols].astype("boolean").fillna(False).astype(int)
    flags.columns = [PRACTICE_LABELS.get(c[len("practice_") :], c) for c in cols]
    table = flags.groupby(g).sum()
    table.insert(0, "Applicants", g.value_counts().reindex(table.index).astype(int))
    return table.astype("int64")


# ---------------------------------------------------------------------------
# Layer 2: protected tables (every published number goes through analysis.disclosure)
# ---------------------------------------------------------------------------
def _disclosure():
    from analysis import disclosure

    return disclosure


def _num(table, row, col) -> float | None:
    """A published number from a ProtectedTable, or None where it is suppressed or missing."""
    try:
        v = table.values.loc[row, col]
    except KeyError:
        return None
    return None if pd.isna(v) else float(v)


def _freq_value(table, row) -> float | None:
    col = table.values.columns[0]
    return _num(table, row, col)


def protect_mean(frame: pd.DataFrame, value_cols: dict[str, str], by: str | None, rules, caption: str):
    """Means of `value_cols` ({column: published label}) over organisations, by group or overall.

    Each mean is published only where the number of organisations behind it would be
    (`disclosure.protect_means` with the raw bases: a mean of fewer than `min_count` is hidden).
    """
    d = _disclosure()
    groups = frame[by] if by else pd.Series("All", index=frame.index)
    means, bases = {}, {}
    for col, label in value_cols.items():
        v = pd.to_numeric(frame[col], errors="coerce").astype(float)
        means[label] = v.groupby(groups).mean()
        bases[label] = v.notna().groupby(groups).sum().astype(float)
    means_df, bases_df = pd.DataFrame(means), pd.DataFrame(bases)
    means_df.index.name = bases_df.index.name = GROUP_TITLES.get(by, by) if by else None
    return d.protect_means(means_df, bases_df, rules, caption=caption)


def _subtable(pt, *, rows=None, cols=None, caption: str | None = None, transpose: bool = False):
    """Part of an already protected table as a table of its own (same published cells)."""
    from analysis.disclosure import ProtectedTable

    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.loc[
            rows if rows is not None else frame.index, cols if cols is not None else frame.columns
        ]
        return out.T if transpose else out

    return ProtectedTable(
        display=cut(pt.display),
        values=cut(pt.values),
        status=cut(pt.status),
        caption=caption or pt.caption,
        rule=pt.rule,
        kind=pt.kind,
        notes=pt.notes,
        total_label=pt.total_label,
    )


def _side_by_side(tables: dict[str, Any], caption: str):
    """One-column protected tables with the same rows, published next to each other."""
    from analysis.disclosure import ProtectedTable

    first = next(iter(tables.values()))
    parts = {
        k: (pt.display.iloc[:, 0], pt.values.iloc[:, 0], pt.status.iloc[:, 0]) for k, pt in tables.items()
    }
    frame = lambda i: pd.DataFrame({k: v[i] for k, v in parts.items()})  # noqa: E731
    return ProtectedTable(
        display=frame(0),
        values=frame(1),
        status=frame(2),
        caption=caption,
        rule=first.rule,
        kind=first.kind,
        notes=first.notes,
        total_label=first.total_label,
    )


@dataclass
class ReadinessTables:
    """The protected tables behind the readiness section, keyed for text and charts."""

    likert: Any  # counts, items × answers, with totals
    likert_shares: Any  # row shares of `likert`, items only (for the diverging bars)
    levels: Any  # level × (Now, Aim for 2026) counts
    bands: Any  # ambition band frequencies (the total row of the profiles)
    practices: Any
    wants: Any
    commitment: Any
    practices_by_type: Any
    profiles: dict[str, Any]
    profile_means: dict[str, Any]
    index_mean: Any


GROUP_TITLES: dict[str, str] = {
    "org_type": "Organisation type",
    "staff_band": "Staff (FTE)",
    "nation": "Nation",
}

PROFILE_BY: dict[str, str] = {
    "org_type": "organisation type",
    "staff_band": "size (staff)",
    "nation": "nation",
}

MEAN_COLUMNS: dict[str, str] = {
    "readiness_index": "Readiness index (0 to 100)",
    "level_now": "Level now (1 to 5)",
    "level_target_2026": "Level aimed for (1 to 5)",
}


def protect_tables(df: pd.DataFrame, config: Any, rules) -> ReadinessTables:
    """Build every published applicant table from the consenting applicants `df`.

    The three profiles share their column totals (applicants per band), so they are protected
    together (`protect_linked`) and the band table is their common total row: no published
    table can be subtracted from another to recover a hidden cell.
    """
    d = _disclosure()
    multi = "Applicants could tick more than one answer, so the counts add up to more than the total."
    frame = profile_frame(df, config)
    by_list = [by for by in PROFILE_BY if by in df.columns]
    profiles = d.protect_linked(
        {by: profile_counts(df, by, config) for by in by_list},
        rules,
        captions={by: f"Applicants by {PROFILE_BY[by]} and ambition band" for by in by_list},
        share="columns",
        totals=True,
    )
    any_profile = profiles[by_list[0]]
    total = any_profile.total_label or "Total"
    bands = _subtable(any_profile, rows=[total], caption="Applicants by ambition band", transpose=True)
    bands.values.columns = bands.display.columns = bands.status.columns = ["Applicants"]
    means = {
        by: protect_mean(
            frame,
            MEAN_COLUMNS,
            by,
            rules,
            caption=f"Mean readiness and participation level by {PROFILE_BY[by]}",
        )
        for by in by_list
    }
    likert = d.protect_counts(
        likert_band_counts(df),
        rules,
        totals=True,
        caption="Applicants' answers to the five readiness statements, in three bands",
    )
    shares = d.protect_shares(
        likert, rules, of="row", caption="Share of applicants giving each answer to the readiness statements"
    )
    items = [i for i in shares.values.index if i != total]
    levels = d.protect_linked(
        {"Now": level_distribution(df)[["Now"]], "Aim for 2026": level_distribution(df)[["Aim for 2026"]]},
        rules,
        captions={"Now": "Now", "Aim for 2026": "Aim for 2026"},
        share=None,
        totals=True,
    )
    return ReadinessTables(
        likert=likert,
        likert_shares=_subtable(shares, rows=items, cols=[c for c in shares.values.columns if c != total]),
        levels=_side_by_side(levels, "Applicants by participation level now and aimed for by 2026"),
        bands=bands,
        practices=d.protect_counts(
            flag_counts(df, "practice_", PRACTICE_LABELS).to_frame(),
            rules,
            totals=False,
            caption=f"Ways of involving citizens already used. {multi}",
        ),
        wants=d.protect_counts(
            flag_counts(df, "want_", WANT_LABELS).to_frame(),
            rules,
            totals=False,
            caption=f"What applicants want from the network. {multi}",
        ),
        commitment=d.protect_frequencies(
            commitment_counts(df), rules, caption="Applicants able to commit to taking part from 2024 to 2026"
        ),
        practices_by_type=d.protect_counts(
            practices_by_group(df, "org_type", config),
            rules,
            totals=False,
            caption=f"Ways of involving citizens already used, by organisation type. {multi}",
        ),
        profiles=profiles,
        profile_means=means,
        index_mean=protect_mean(
            frame,
            {"readiness_index": MEAN_COLUMNS["readiness_index"]},
            None,
            rules,
            caption="Mean readiness index, all applicants",
        ),
    )


CHANGE_MEASURES: dict[str, str] = {
    "level_now": "the participation spectrum",
    "readiness_index": "the readiness index",
}


def _active_members(roster: pd.DataFrame, year: int) -> list[str]:
    """Members with status `active` in `year`: those who left are not expected to return."""
    return sorted(roster[(roster["year"] == year) & (roster["status"] == "active")]["org_id"].unique())


def member_changes(
    surveys: pd.DataFrame, roster: pd.DataFrame, year: int, config: Any
) -> dict[str, ChangeSummary]:
    """Change since baseline for each measure, over members active in `year` (raw summaries)."""
    s = readiness_settings(config)
    baseline = int(_section(config, "outcomes").get("baseline_year", 2024))
    active = _active_members(roster, year)
    return {
        col: change_since_baseline(
            surveys,
            col,
            baseline,
            year,
            members=list(active),
            resamples=s["bootstrap_resamples"],
            seed=s["bootstrap_seed"] + i,
            ci_level=s["change_ci_level"],
        )
        for i, col in enumerate(CHANGE_MEASURES)
    }


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


# ---------------------------------------------------------------------------
# Layer 3: Findings (text templated from protected numbers only)
# ---------------------------------------------------------------------------
def _pct(part: float | None, whole: float | None) -> str | None:
    if part is None or not whole:
        return None
    return f"{100 * part / whole:.0f}%"


def _n(v: float | None) -> str:
    return "[c]" if v is None else f"{int(round(v)):,}"


def _callout_name(ctx) -> str:
    """'the 2024 callout (closed December 2023)': the one callout every year's analysis uses."""
    return f"the {int(_section(ctx.config, 'selection').get('draw_year', 2024))} callout"


def _source(ctx) -> str:
    org = _section(ctx.config, "brief").get("organisation", "Citizens In Power")
    tag = " Synthetic sample data, not real findings." if ctx.synthetic else ""
    return f"Source: {org} {_callout_name(ctx)[4:]} for network members (closed December 2023).{tag}"


def _change_text(c: ChangeSummary, counts, what: str) -> str:
    """The words for one change measure, from its protected counts (never raw small numbers)."""
    up, same, down = (_freq_value(counts, k) for k in ("Moved up", "Stayed the same", "Moved down"))
    if any(v is None for v in (up, same, down)):
        return (
            f"On {what}, the numbers of members who moved up, stayed the same or moved down "
            f"between {c.baseline_year} and {c.year} are too small to publish. "
            + (
                "With so few members, the balance of ups and downs could be chance."
                if not c.distinguishable
                else f"More moved up than down on {what} than chance alone would likely give (exact sign "
                "test, p below 0.05)."
            )
        )
    return describe_change(c, what, counts=(up, same, down))


def _alpha_sentence(a: AlphaResult) -> str:
    if not np.isfinite(a.alpha):
        return "There were too few complete answers to measure how well the five statements hang together."
    judged = (
        "hang together well enough to add up into one index"
        if not a.flagged
        else f"hang together less well than the usual {a.flag_below:.1f} benchmark, so the index "
        "should be read as a rough summary and the statements also looked at one by one"
    )
    return (
        f"Applicants rated five statements about their readiness (leadership support, budget, staff "
        f"skills, community relationships and governance that could hand decisions to citizens). "
        f"The five statements {judged} (Cronbach's alpha, a standard measure of how consistently "
        f"statements measure one thing, is {a.alpha:.2f}; "
        f"{a.ci_level:.0%} confidence interval {a.ci_low:.2f} to {a.ci_high:.2f}, "
        f"from {a.n_used:,} applicants who answered all five)."
    )


def _agree_shares(shares) -> dict[str, float]:
    """Share agreeing (answer 4 or 5, the "Agree" band) per statement; empty unless every statement's is published.

    "Most" and "least" are only claimed when no statement is hidden: a hidden one could be
    the true extreme.
    """
    out = {}
    agree = [c for c in shares.values.columns if str(c).lower().startswith("agree")]
    upper = agree or list(shares.values.columns[3:5])
    for item in shares.values.index:
        row = shares.values.loc[item, upper]
        if row.isna().any():
            return {}
        out[str(item)] = float(row.sum())
    return out


def _method_notes(ctx, alpha: AlphaResult, n_excluded: int) -> str:
    s = readiness_settings(ctx.config)
    rubric = rubric_table(ctx.config)
    rubric_md = "\n".join(
        ["| Band | Rule (first that fits) |", "| --- | --- |"]
        + [f"| {b} | {rule} |" for b, rule in rubric.iloc[:, 0].items()]
    )
    levels_md = "; ".join(f"{k} {LEVELS[k].lower()}: {LEVEL_MEANINGS[k]}" for k in LEVELS)
    item_md = "\n".join(
        ["| Statement | Corrected item-total correlation | Alpha without it |", "| --- | --- | --- |"]
        + [
            f"| {ITEM_SHORT.get(k, k)} | {v:.2f} | {alpha.alpha_if_dropped.get(k, float('nan')):.2f} |"
            for k, v in alpha.item_total.items()
        ]
    )
    flag = f" **Flag:** alpha is below {alpha.flag_below:.1f}." if alpha.flagged else ""
    return f"""**Readiness and ambition: method.** Applicants who did not agree to their answers being
used in research ({n_excluded:,}) are left out of every figure here, and counted.

*Participation level* uses the IAP2 spectrum of public participation ({levels_md}).
The *ambition gap* is the level aimed for by the end of 2026 minus the level now.

*Ambition band* (used by the selection; coarse on purpose, never a ranking), from
`[readiness.ambition]` in the settings:

Table: Ambition bands and the rule that sets each

{rubric_md}

The readiness index is not part of the band, so that no applicant gains by understating how
ready they are.

*Readiness index*: the mean of the five statements (1 strongly disagree to 5 strongly agree)
rescaled to 0 to 100 as (mean − 1) / 4 × 100; applicants who skipped any statement have no index.
Reliability: Cronbach's alpha {alpha.alpha:.2f} ({alpha.ci_level:.0%} Feldt interval
{alpha.ci_low:.2f} to {alpha.ci_high:.2f}; {alpha.n_used:,} complete answers, {alpha.n_dropped:,}
left out for a missing statement).{flag}

Table: How each readiness statement fits the scale

{item_md}

*Change since baseline* (from {int(_section(ctx.config, "outcomes").get("baseline_year", 2024)) + 1}):
members active this year, their {int(_section(ctx.config, "outcomes").get("baseline_year", 2024))}
return against this year's; members without both returns are counted, not filled in. An exact
two-sided sign test compares members who moved up with those who moved down (those who stayed are
left out); the mean change has a percentile bootstrap interval ({s["bootstrap_resamples"]:,}
resamples, seed {s["bootstrap_seed"]}). With about ten members these can only show a large,
consistent shift; "no evidence of change" does not mean "no change". All answers are self-reported.
The answers to the five statements are published in three bands (disagree 1-2, neither 3,
agree 4-5), merged before the disclosure rule is applied: with five answers, one small cell
(few applicants strongly disagree) would hide a second cell in its row, and the whole row
could not be charted.
Profiles merge small groups and follow the disclosure rule; means are not shown where their base
is suppressed."""


def _levels_title(levels) -> str:
    """Headline for the now-versus-aim chart from the published counts (most common levels)."""
    v = levels.values.drop(index=levels.total_label or "Total", errors="ignore")
    now, aim = v.iloc[:, 0].dropna(), v.iloc[:, 1].dropna()
    if len(now) < len(v) or len(aim) < len(v) or now.empty:
        return "Applicants aim to move up the participation spectrum by 2026"
    return (
        f"{now.idxmax()} is the most common level now; {aim.idxmax().lower()} is the most common aim for 2026"
    )


def _figures(ctx, t: ReadinessTables) -> list:
    from analysis import charts

    src = _source(ctx)
    figs = []
    agree = _agree_shares(t.likert_shares)
    top = max(agree, key=agree.get) if agree else None
    figs.append(
        charts.diverging_bars(
            t.likert_shares,
            title=(
                f"Applicants agreed most often on {top.lower()}"
                if top
                else "How ready applicants say they are, in five statements"
            ),
            subtitle=(
                "Share of applicants who disagree (1-2), neither agree nor disagree (3) or agree (4-5) with "
                f"five statements, {_callout_name(ctx)}"
            ),
            source=src,
        ).to_figure("readiness_items", in_brief=True)
    )
    figs.append(
        charts.dumbbell(
            t.levels,
            "Now",
            "Aim for 2026",
            title=_levels_title(t.levels),
            subtitle="Number of applicants at each IAP2 level now and aimed for by the end of 2026",
            source=src,
        ).to_figure("readiness_levels", in_brief=True)
    )
    wants = t.wants.values.iloc[:, 0].dropna()
    top_want = str(wants.idxmax()) if len(wants) else None
    figs.append(
        charts.bars(
            t.wants,
            t.wants.values.columns[0],
            title=(
                f"{top_want} is what applicants most want from the network"
                if top_want
                else "What applicants want from the network"
            ),
            subtitle="Number of applicants ticking each option (more than one allowed)",
            source=src,
            highlight=top_want,
        ).to_figure("readiness_wants")
    )
    return figs


def _messages(t: ReadinessTables, alpha: AlphaResult, n_used: int) -> tuple[str, list[str], dict]:
    """Heading, key messages and facts, every number read from a protected table."""
    facts: dict[str, Any] = {"applicants_in_research": n_used, "alpha": alpha.to_json()}
    bands = {k: _freq_value(t.bands, k) for k in t.bands.values.index}
    up_parts = [bands.get(BAND_LABELS[b]) for b in ("medium", "high")]
    moving_up = None if any(v is None for v in up_parts) else sum(up_parts)
    messages = []
    heading = "Applicants want to move towards handing decisions to citizens"
    if moving_up is not None:
        share = moving_up / n_used if n_used else 0
        facts["applicants_moving_up"] = int(moving_up)
        heading = (
            f"{'Most' if share > 0.5 else 'Some'} applicants aim to move at least one step "
            "towards handing decisions to citizens by 2026"
        )
        messages.append(
            f"{_n(moving_up)} of the {n_used:,} applicants who agreed to their answers being used "
            f"for research ({_pct(moving_up, n_used)}) aim to move at least one level up the "
            "participation spectrum by 2026."
        )
    if bands.get("High") is not None:
        facts["band_counts"] = {k: v for k, v in bands.items() if v is not None}
        messages.append(
            f"{_n(bands['High'])} applicants ({_pct(bands['High'], n_used)}) have the most "
            "ambitious plans for change relative to where they are now (the high ambition band "
            "the selection used)."
        )
    mean_idx = (
        _num(t.index_mean, t.index_mean.values.index[0], t.index_mean.values.columns[0])
        if len(t.index_mean.values)
        else None
    )
    agree = _agree_shares(t.likert_shares)
    if mean_idx is not None:
        facts["readiness_index_mean"] = round(mean_idx, 1)
        sentence = f"The average readiness index is {mean_idx:.0f} out of 100"
        if agree:
            top, low = max(agree, key=agree.get), min(agree, key=agree.get)
            sentence += (
                f"; applicants agreed most often on {top.lower()} ({agree[top]:.0%}) and "
                f"least often on {low.lower()} ({agree[low]:.0%})"
            )
        messages.append(sentence + ".")
    yes = _freq_value(t.commitment, "Yes")
    if yes is not None:
        messages.append(
            f"{_n(yes)} applicants ({_pct(yes, n_used)}) said they can commit to taking "
            "part from 2024 to 2026."
        )
    return heading, messages, facts


def analyse(ctx) -> Findings:
    """The readiness section of the brief and appendix 2, from the run's processed tables."""
    from analysis.disclosure import DisclosureRules
    from analysis.findings import Findings

    rules = DisclosureRules.from_config(ctx.config)
    s = readiness_settings(ctx.config)
    applicants = ctx.table("applicants")
    df, n_excluded = research_sample(applicants)
    alpha = cronbach_alpha_detail(
        df[list(READINESS_ITEMS)], ci_level=s["alpha_ci_level"], flag_below=s["alpha_flag_below"]
    )
    t = protect_tables(df, ctx.config, rules)
    heading, messages, facts = _messages(t, alpha, len(df))
    facts["excluded_no_consent"] = n_excluded
    facts["rubric"] = ambition_rubric(ctx.config)

    paragraphs = [
        "We asked applicants where their organisation is now on the IAP2 spectrum of public "
        "participation, a five-step scale from *inform* (telling people what has been decided) "
        "through *consult*, *involve* and *collaborate* to *empower* (citizens make the final "
        "decision), and where they want to be by the end of 2026.",
        " ".join(messages[:2]) if messages else "",
        _alpha_sentence(alpha),
    ]
    notes = [n for by in PROFILE_BY if by in df.columns for n in merged_groups(df, by, ctx.config)]
    tables = {
        "practices_by_type": t.practices_by_type,
        "ambition_bands": t.bands,
        "readiness_answers": t.likert,
        "practices": t.practices,
        "commitment": t.commitment,
        **{f"profile_{by}": table for by, table in t.profiles.items()},
        **{f"profile_means_{by}": table for by, table in t.profile_means.items()},
    }

    baseline = int(_section(ctx.config, "outcomes").get("baseline_year", 2024))
    if ctx.year > baseline:
        change_par, change_tables, change_facts = _change_section(ctx, rules)
        paragraphs.append(change_par)
        tables.update(change_tables)
        facts["change"] = change_facts
        if change_facts.get("level_now", {}).get("message"):
            messages.append(change_facts["level_now"]["message"])

    findings = Findings(
        area=AREA,
        heading=heading,
        key_messages=messages,
        brief_text="\n\n".join(p for p in paragraphs if p),
        method_notes=_method_notes(ctx, alpha, n_excluded) + ("\n\n" + " ".join(notes) if notes else ""),
        figures=_figures(ctx, t),
        tables=tables,
        facts=facts,
    )
    return findings


def _change_section(ctx, rules) -> tuple[str, dict, dict]:
    """From 2025: members' change since the baseline, aggregate only, with the caveat in words."""
    d = _disclosure()
    surveys, roster = ctx.table("member_surveys"), ctx.table("roster")
    changes = member_changes(surveys, roster, ctx.year, ctx.config)
    active = _active_members(roster, ctx.year)
    texts, tables, facts = [], {}, {}
    for col, c in changes.items():
        what = CHANGE_MEASURES[col]
        counts = d.protect_frequencies(
            change_counts(c), rules, caption=f"Members by change on {what}, {c.baseline_year} to {c.year}"
        )
        tables[f"change_counts_{col}"] = counts
        texts.append(_change_text(c, counts, what))
        f = {"baseline_year": c.baseline_year, "year": c.year, "sign_test_distinguishable": c.distinguishable}
        pairs = paired_values(surveys, col, c.baseline_year, c.year, active).dropna()
        per_member = pd.DataFrame(
            {"org_id": pairs.index, "change": (pairs["now"] - pairs["baseline"]).astype(float).to_numpy()}
        )
        unit = " levels" if col == "level_now" else " points on the 0 to 100 readiness index"
        mean_table = protect_mean(
            per_member,
            {"change": f"Mean change ({unit.split()[0]})"},
            None,
            rules,
            caption=f"Mean change on {what}, {c.baseline_year} to {c.year}",
        )
        tables[f"change_mean_{col}"] = mean_table
        published = (
            _num(mean_table, mean_table.values.index[0], mean_table.values.columns[0])
            if len(mean_table.values)
            else None
        )
        if published is not None and np.isfinite(c.ci_low):
            texts.append(
                f"The average change was {published:+.1f}{unit} (a {c.ci_level:.0%} "
                f"interval, the range the true average probably lies in, of {c.ci_low:+.1f} to "
                f"{c.ci_high:+.1f})."
            )
            f.update(mean_change=round(published, 2), ci_low=round(c.ci_low, 2), ci_high=round(c.ci_high, 2))
            if col == "level_now":
                verdict = (
                    "though the change could be chance"
                    if c.ci_low <= 0 <= c.ci_high
                    else "more than chance alone would likely give, though with so few members "
                    "the evidence is weak"
                )
                direction = "up" if published > 0 else ("down" if published < 0 else "neither up nor down")
                amount = f" by {abs(published):.1f} levels" if published else ""
                f["message"] = (
                    f"Since the {c.baseline_year} baseline, members have moved {direction} the "
                    f"participation spectrum{amount} on average by {c.year} "
                    f"({c.ci_level:.0%} interval {c.ci_low:+.1f} to {c.ci_high:+.1f}), {verdict}."
                )
        facts[col] = f
    caveat = (
        "These are self-reported answers from a small network, so they describe these "
        "members, not organisations in general, and cannot show that the network caused any change."
    )
    return " ".join(texts + [caveat]), tables, facts
