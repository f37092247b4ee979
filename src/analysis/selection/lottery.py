"""The fair lottery: distribution, checks, 1000-panel rounding, the draw and the reserve order.

`select(applicants, config)` is pure computation (no files written): the same applicants, config
and seed give the same result, which is what `verify_selection` relies on. It computes the
distribution once; the second-seed stability check and the cross-check against the other Nash
method are done by `verify-selection` and the tests (`analysis.selection.crosscheck`).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.selection import _sortition
from analysis.selection.eligibility import assess_eligibility, eligible_pool
from analysis.selection.feasibility import explain_relaxation, precheck
from analysis.selection.rules import (
    Quota,
    SelectionError,
    SelectionRules,
    build_quotas,
    config_fingerprint,
    selection_section,
)
from analysis.spreadsheet import neutralise_frame

# The applicant columns the selection reads: their canonical CSV is the input fingerprint.
INPUT_COLUMNS = [
    "org_id",
    "parent_id",
    "postcode_status",
    "region_source",
    "region_code",
    "region_name",
    "nation",
    "can_commit_3_years",
    "research_consent",
    "level_now",
    "level_target_2026",
]
FEATURE_COLUMN = {"nation": "nation", "region": "region_code", "ambition": "ambition"}
# What the audit pack says about the second-seed check, which is not part of a normal run.
STABILITY_NOT_IN_RUN = {"checked": False, "run_by": "cip-analysis verify-selection and the tests"}


@dataclass
class SelectionResult:
    """Everything the audit pack, the private explanations and the public account are built from."""

    year: int
    rules: SelectionRules
    algorithm: str  # the algorithm actually run (never a silent substitute)
    assessment: pd.DataFrame  # every applicant: eligible, reasons, strata
    pool: pd.DataFrame  # eligible applicants
    quotas: list[Quota]
    probabilities: pd.DataFrame  # one row per eligible applicant (see `_probability_table`)
    lottery: list[tuple[str, ...]]  # the equally likely panels, numbered 1..panels in order
    drawn_panel: int
    draw_source: str  # 'public draw' or 'derived from the seed'
    selected: tuple[str, ...]
    reserves: tuple[str, ...]
    checks: dict[str, Any]
    fingerprints: dict[str, str]
    versions: dict[str, str]
    config_section: dict[str, Any]
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    # How this run got the draw: {"how": "computed"}, or "loaded" / "recomputed" with the audit
    # pack and the reason (later years, `analysis.selection.stored`).
    provenance: dict[str, str] = field(default_factory=lambda: {"how": "computed"})

    def quotas_before(self) -> pd.DataFrame:
        """Each quota with the number of eligible applicants it draws on."""
        rows = [
            {
                **q.to_dict(),
                "label": q.label,
                "rule": q.why,
                "eligible": int((self.pool[FEATURE_COLUMN[q.feature]] == q.value).sum()),
            }
            for q in self.quotas
        ]
        return pd.DataFrame(rows, columns=["feature", "value", "label", "rule", "min", "max", "eligible"])

    def quotas_after(self) -> pd.DataFrame:
        """Each quota against the drawn panel, and the expected seats under the lottery."""
        probs = self.probabilities.set_index("org_id")["lottery_probability"]
        members = self.pool[self.pool["org_id"].isin(self.selected)]
        rows = []
        for q in self.quotas:
            col = FEATURE_COLUMN[q.feature]
            in_value = self.pool.loc[self.pool[col] == q.value, "org_id"]
            chosen = int((members[col] == q.value).sum())
            rows.append(
                {
                    **q.to_dict(),
                    "label": q.label,
                    "selected": chosen,
                    "expected_seats": float(probs.reindex(in_value).fillna(0).sum()),
                    "met": q.min <= chosen <= q.max,
                }
            )
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
def canonical_csv(df: pd.DataFrame) -> str:
    """Stable text for hashing and for the audit pack: fixed columns, '\\n', 6 d.p. floats; text
    cells a spreadsheet would run as formulas are neutralised (analysis.spreadsheet)."""
    return neutralise_frame(df).to_csv(index=False, lineterminator="\n", float_format="%.6f")


def input_table(applicants: pd.DataFrame) -> pd.DataFrame:
    """The applicant columns the selection reads, as strings, sorted by org_id."""
    out = pd.DataFrame(index=applicants.index)
    for col in INPUT_COLUMNS:
        s = applicants[col] if col in applicants else pd.Series(pd.NA, index=applicants.index)
        if col.startswith("level_"):
            s = pd.to_numeric(s, errors="coerce").astype("Int64")
        out[col] = s.astype("string")
    return out.sort_values("org_id").reset_index(drop=True)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
def _payload(
    pool: pd.DataFrame,
    quotas: list[Quota],
    rules: SelectionRules,
    *,
    seed: int | None = None,
    method: str | None = None,
    rounds: float | None = None,
) -> dict[str, Any]:
    """The library/types input; `seed`, `method` and the library's starting `rounds` per applicant
    override the rules (for the cross-checks)."""
    people = [
        {
            "id": r.org_id,
            "nation": r.nation,
            "region": r.region_code,
            "ambition": r.ambition,
            _sortition.PARENT_FEATURE: r.parent_key,
        }
        for r in pool.itertuples()
    ]
    feature_of = {"nation": "nation", "region": "region", "ambition": "ambition"}
    return {
        "algorithm": rules.algorithm,
        "backend": rules.solver_backend,
        "panel_size": rules.panel_size,
        "panels": rules.panels,
        "seed": rules.seed if seed is None else int(seed),
        "people": people,
        "quotas": [{**q.to_dict(), "feature": feature_of[q.feature]} for q in quotas],
        "initial_rounds_per_applicant": rules.initial_rounds_per_applicant if rounds is None else rounds,
        "nash_method": method or rules.method_for(len(pool)),
    }


def _require_algorithm(rules: SelectionRules) -> None:
    """Leximin runs only with a working Gurobi licence; there is no fallback to maximin."""
    if rules.algorithm == "leximin" and not _sortition.gurobi_licence_available():
        raise SelectionError(
            "selection.algorithm is 'leximin', which needs a Gurobi licence, and none was found on "
            'this machine. No draw was made. Set selection.algorithm = "nash" (the default, '
            "open-source) or run where a Gurobi licence is installed; the library would otherwise "
            "switch silently to 'maximin', whose chances are not unique."
        )


def _marginals(committees, probs, ids) -> dict[str, float]:
    out = dict.fromkeys(ids, 0.0)
    for c, p in zip(committees, probs):
        for pid in c:
            out[pid] += p
    return out


def _panel_violations(
    panel: tuple[str, ...], strata: dict[str, dict[str, str]], quotas: list[Quota], k: int
) -> list[str]:
    """Every way one panel breaks the rules (empty when it meets them all)."""
    out = []
    if len(panel) != k or len(set(panel)) != k:
        out.append(f"has {len(set(panel))} distinct members, not {k}")
    missing = [pid for pid in panel if pid not in strata]
    if missing:
        return out + [f"includes applicants who are not eligible: {', '.join(missing)}"]
    for q in quotas:
        n = sum(strata[pid][q.feature] == q.value for pid in panel)
        if not q.min <= n <= q.max:
            out.append(f"has {n} from {q.label} (allowed {q.min}-{q.max})")
    parents = [strata[pid]["parent_key"] for pid in panel]
    if len(set(parents)) != len(parents):
        out.append("has two members from the same parent body")
    return out


def check_lottery(lottery, pool: pd.DataFrame, quotas: list[Quota], k: int) -> None:
    """Every panel in the table has the panel size, meets every quota and the parent-body rule."""
    strata = {
        r.org_id: {
            "nation": r.nation,
            "region": r.region_code,
            "ambition": r.ambition,
            "parent_key": r.parent_key,
        }
        for r in pool.itertuples()
    }
    for i, panel in enumerate(lottery, start=1):
        bad = _panel_violations(panel, strata, quotas, k)
        if bad:
            raise SelectionError(f"panel {i} of the rounded lottery breaks the rules: {'; '.join(bad)}")


def _check_distribution(
    marg: dict[str, float], unreachable: list[str], rules: SelectionRules
) -> dict[str, Any]:
    total = sum(marg.values())
    if abs(total - rules.panel_size) > rules.probability_tolerance:
        raise SelectionError(
            f"the selection chances add up to {total:.9f}, not the panel size "
            f"{rules.panel_size}: the distribution is not usable"
        )
    zero = sorted(pid for pid, p in marg.items() if p < 1e-9)
    unexplained = sorted(set(zero) - set(unreachable))
    if unexplained:
        raise SelectionError(
            f"{len(unexplained)} eligible applicants were given no chance although a panel meeting "
            f"every quota could include them ({', '.join(unexplained[:5])}); the algorithm's result "
            "is refused"
        )
    return {
        "probability_sum": total,
        "zero_chance": len(zero),
        "zero_chance_forced_by_quotas": len(zero),
        "min_probability": min(marg.values()) if marg else 0.0,
    }


def _check_rounding(marg: dict[str, float], lottery_p: dict[str, float], rules: SelectionRules) -> float:
    shift = max((abs(lottery_p[pid] - p) for pid, p in marg.items()), default=0.0)
    if shift > rules.max_rounding_shift:
        raise SelectionError(
            f"rounding to {rules.panels} panels moved a chance by {shift:.4f}, more "
            f"than the {rules.max_rounding_shift} allowed"
        )
    return shift


def draw_number(rules: SelectionRules) -> tuple[int, str]:
    """The configured public number, or one derived from the seed by a private generator.

    `random.Random(str)` hashes the string with SHA-512, so the number is the same in every
    process and Python's global random state is never touched.
    """
    if rules.drawn_panel:
        return int(rules.drawn_panel), "public draw"
    return random.Random(f"cip-selection-draw:{rules.seed}").randint(1, rules.panels), "derived from the seed"


def _probability_table(pool, marg, lottery, selected, unreachable) -> pd.DataFrame:
    counts: dict[str, int] = dict.fromkeys(pool["org_id"], 0)
    first: dict[str, int] = {}
    for i, panel in enumerate(lottery, start=1):
        for pid in panel:
            counts[pid] += 1
            first.setdefault(pid, i)
    n = len(lottery)
    t = pd.DataFrame({"org_id": sorted(counts)})
    t["probability"] = t["org_id"].map(marg).astype(float)
    t["panels"] = t["org_id"].map(counts).astype(int)
    t["lottery_probability"] = t["panels"] / n
    t["first_panel"] = t["org_id"].map(first).astype("Int64")
    t["selected"] = t["org_id"].isin(selected)
    t["quota_excludes"] = t["org_id"].isin(unreachable)
    order = t[~t["selected"]].assign(_fp=t["first_panel"].fillna(n + 1))
    order = order.sort_values(["panels", "_fp", "org_id"], ascending=[False, True, True])
    t["reserve_rank"] = (
        t["org_id"].map({pid: i for i, pid in enumerate(order["org_id"], start=1)}).astype("Int64")
    )
    return t


def run_library(pool, quotas, rules, **override) -> _sortition.LotteryOutput:
    """The distribution and the rounded lottery (`override`: `seed`, `method`, `rounds`, see `_payload`)."""
    out = _sortition.compute_lottery(_payload(pool, quotas, rules, **override))
    if isinstance(out, _sortition.Infeasible):
        raise SelectionError(explain_relaxation(out.changes, quotas, pool))
    if out.algorithm != rules.algorithm:  # defensive: the wrapper never substitutes
        raise SelectionError(f"the library ran {out.algorithm!r} instead of {rules.algorithm!r}")
    return out


def select(applicants: pd.DataFrame, config: Any, *, year: int | None = None) -> SelectionResult:
    """Eligibility, quotas, the fair distribution, its checks, the rounding, the draw, reserves."""
    t0 = time.perf_counter()
    rules = SelectionRules.from_config(config)
    _require_algorithm(rules)
    assessment = assess_eligibility(applicants, config, rules)
    pool = eligible_pool(assessment)
    precheck(pool, rules)
    quotas = build_quotas(pool, rules)
    t1 = time.perf_counter()
    out = run_library(pool, quotas, rules)
    t2 = time.perf_counter()
    marg = {pid: float(out.marginals.get(pid, 0.0)) for pid in pool["org_id"]}
    checks = _check_distribution(marg, out.unreachable, rules)
    check_lottery(out.lottery, pool, quotas, rules.panel_size)
    lottery_p = _marginals(out.lottery, [1 / len(out.lottery)] * len(out.lottery), pool["org_id"])
    checks["max_rounding_shift"] = _check_rounding(marg, lottery_p, rules)
    checks["panels_meeting_every_quota"] = len(out.lottery)
    checks["distinct_panels"] = len(set(out.lottery))
    checks["stability"] = dict(STABILITY_NOT_IN_RUN)
    checks["method"] = out.method.get("name", "")
    number, source = draw_number(rules)
    selected = out.lottery[number - 1]
    probs = _probability_table(pool, marg, out.lottery, selected, out.unreachable)
    reserves = tuple(probs.dropna(subset=["reserve_rank"]).sort_values("reserve_rank")["org_id"])
    section = selection_section(config)
    inputs = input_table(applicants)
    return SelectionResult(
        year=int(year or getattr(config, "year", rules.draw_year)),
        rules=rules,
        algorithm=out.algorithm,
        assessment=assessment,
        pool=pool,
        quotas=quotas,
        probabilities=probs,
        lottery=out.lottery,
        drawn_panel=number,
        draw_source=source,
        selected=tuple(selected),
        reserves=reserves,
        checks=checks,
        versions=_sortition.package_versions(),
        config_section=section,
        fingerprints={
            "config_selection_sha256": config_fingerprint(config),
            "input_sha256": sha256_text(canonical_csv(inputs)),
            "pool_sha256": sha256_text(canonical_csv(assessment)),
        },
        seconds=time.perf_counter() - t0,
        timings={"prepare": t1 - t0, "library": t2 - t1, "checks": time.perf_counter() - t2},
    )
