"""The run entry point and the public account of the selection (brief section and appendix).

Every published number passes through `analysis.disclosure`: chances by nation and ambition band
are shown only where the group behind them could itself be published (a chance for "the only
applicant from Northern Ireland" is that organisation's chance), and the members' spread against
the pool is a protected count table.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import disclosure as d
from analysis.findings import Findings
from analysis.reference import ENGLAND, NATION_ORDER, SMALL_NATIONS
from analysis.selection.audit import write_audit_pack
from analysis.selection.eligibility import REASONS, reason_counts
from analysis.selection.explain import write_restricted
from analysis.selection.lottery import SelectionResult
from analysis.selection.stored import draw_for_year
from analysis.text import list_in_sentence

ELIGIBLE = "Eligible applicants"
CHANCE = "Average chance of selection"


def run_selection(ctx, *, names_path: Path | None = None) -> SelectionResult:
    """Select from `ctx.table("applicants")` (a later year loads the draw year's audit pack, see
    `analysis.selection.stored`); write the audit pack and the restricted outputs.

    `names_path`: the org_id -> org_name file (default `ctx.restricted_dir/organisations.csv`,
    written by ingest). Raises `SelectionError` with a plain-English reason when no draw can be
    made (e.g. infeasible quotas, leximin without a Gurobi licence).
    """
    result = draw_for_year(ctx.table("applicants"), ctx.config, ctx.year, ctx.output_dir)
    write_audit_pack(result, ctx.audit_dir)
    names = names_path if names_path is not None else Path(ctx.restricted_dir) / "organisations.csv"
    write_restricted(result, ctx.restricted_dir, names)
    return result


# ---------------------------------------------------------------------------
# Protected tables
# ---------------------------------------------------------------------------
def _spread_counts(result: SelectionResult, col: str, order: list[str] | None = None) -> pd.DataFrame:
    pool = result.pool
    members = pool[pool["org_id"].isin(result.selected)]
    t = pd.DataFrame({ELIGIBLE: pool[col].value_counts(), "Selected members": members[col].value_counts()})
    t = t.fillna(0).astype(int)
    if order:
        t = t.reindex([o for o in order if o in t.index])
    return t


def _chance_table(
    result: SelectionResult, col: str, title: str, rules: d.DisclosureRules, order: list[str] | None = None
) -> tuple[d.ProtectedTable, d.ProtectedTable]:
    """(eligible counts, average chance) by group; a chance is hidden wherever its count is."""
    pool = result.pool.merge(result.probabilities[["org_id", "lottery_probability"]], on="org_id")
    counts = pool[col].value_counts()
    if order:
        counts = counts.reindex([o for o in order if o in counts.index])
    counts.index.name = title
    counts.name = ELIGIBLE
    base = d.protect_frequencies(counts, rules, caption=f"Eligible applicants by {title.lower()}")
    chance = pool.groupby(col)["lottery_probability"].mean().reindex(counts.index)
    chance.loc["Total"] = pool["lottery_probability"].mean()
    chance = chance.reindex(base.values.index).to_frame(CHANCE)
    chance.index.name = title
    renamed = base.relabel(columns=[CHANCE])
    probs = d.protect_probabilities(
        chance,
        renamed,
        rules,
        caption=f"Average chance of selection by {title.lower()}",
        notes=(
            "The chance is the share of the "
            f"{len(result.lottery)} equally likely panels that include an applicant.",
        ),
    )
    return base, probs


def _spread_tables(result: SelectionResult, rules: d.DisclosureRules) -> list[d.ProtectedTable]:
    """Eligible pool and selected members by nation, protected together with the (unpublished)
    'not selected' table so that pool minus members cannot reveal a hidden cell."""
    t = _spread_counts(result, "nation", list(NATION_ORDER))
    frames = {
        "eligible": t[[ELIGIBLE]],
        "members": t[["Selected members"]].set_axis([ELIGIBLE], axis=1),
        "not_selected": (t[[ELIGIBLE]] - t[["Selected members"]].to_numpy()),
    }
    for f in frames.values():
        f.index.name = "Nation"
    out = d.protect_linked(
        frames,
        rules,
        share=None,
        relations=[("eligible", ("members", "not_selected"))],
        unpublished=["not_selected"],
        captions={
            "eligible": "Eligible applicants by nation",
            "members": "Selected members by nation",
            "not_selected": "not published",
        },
    )
    return [out["eligible"], out["members"].relabel(columns=["Selected members"])]


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------
def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _min_chance_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    """The lowest chance, stated only if enough applicants share it that it names no one."""
    p = result.probabilities["lottery_probability"]
    low = p.min()
    if int((p <= low + 0.001).sum()) < rules.min_count:
        return None
    return (
        f"Every eligible applicant had a real chance: at least {_pct(low)}, against an average of "
        f"{_pct(result.rules.panel_size / len(result.pool))}."
    )


def _nation_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    pool = result.pool.merge(result.probabilities, on="org_id")
    small = pool[pool["nation"].isin(SMALL_NATIONS)]
    england = pool[pool["nation"] == ENGLAND]
    if len(small) < rules.min_count or len(england) < rules.min_count or not result.rules.min_per_nation:
        return None
    return (
        f"Because every nation with eligible applicants was guaranteed a seat, applicants in "
        f"{list_in_sentence(SMALL_NATIONS)} had an average chance of "
        f"{_pct(small['lottery_probability'].mean())}, against {_pct(england['lottery_probability'].mean())} "
        f"in England."
    )


def _spread_message(result: SelectionResult) -> str:
    members = result.pool[result.pool["org_id"].isin(result.selected)]
    pool = result.pool
    return (
        f"The {len(members)} members come from {members['nation'].nunique()} of the "
        f"{pool['nation'].nunique()} nations and {members['region_code'].nunique()} of the "
        f"{pool['region_code'].nunique()} nations and regions with eligible applicants."
    )


def _timing_sentence(result: SelectionResult, year: int) -> str:
    draw = result.rules.draw_year
    if year > draw and result.provenance.get("how") == "loaded":
        return (
            f"The selection took place in early {draw}, from the applicants to the {draw} callout; "
            f"this report takes that draw from its audit pack, after checking that the pack was made "
            f"from the same data and rules."
        )
    if year > draw:
        return (
            f"The selection took place in early {draw}, from the applicants to the {draw} callout; "
            f"it is recomputed here from the same data and rules and gives the same panel."
        )
    return f"The selection was made in early {draw} from the applicants to the {draw} callout."


def _account(result: SelectionResult, year: int) -> str:
    r = result.rules
    reasons = "; ".join(text for text in REASONS.values())
    return "\n\n".join(
        [
            _timing_sentence(result, year),
            f"We used a **modified lottery**, as some research funders do. The rules were fixed and "
            f"published before the draw. Organisations were eligible unless one of these applied: "
            f"{reasons}. {r.stratum_note()}",
            f"Among the {len(result.pool)} eligible applicants, a fair lottery chose {r.panel_size} members "
            f"with quotas: at least {r.min_per_nation} member from every nation with eligible applicants, "
            f"at most {r.max_per_region} from any one region, at least {r.min_high_ambition} from "
            f"applicants with the most ambitious plans for change relative to where they are now, and at "
            f"most one organisation per parent body. Ambition was put into three coarse bands, not a "
            f"ranking, so that small differences in self-reported answers could not decide the outcome.",
            f"Within those quotas the selection algorithm ({result.algorithm}) spreads the chances as evenly as "
            f"possible. The result was turned into {r.panels} equally likely panels, each meeting every "
            f"quota, and the table of panels and every applicant's chance (under pseudonyms) was fixed "
            f"before panel number {result.drawn_panel} was drawn ({result.draw_source}). Reserves follow "
            f"a rule stated in advance: {r.reserve_rule[:1].lower() + r.reserve_rule[1:]}",
            "Anyone with the data can re-run the selection with `cip-analysis verify-selection` and get "
            "a byte-identical audit pack.",
        ]
    )


def _method_notes(result: SelectionResult, rules: d.DisclosureRules) -> str:
    r = result.rules
    return "\n".join(
        [
            f"- Algorithm: {result.algorithm}, computed by {result.checks.get('method', 'sortition-algorithms')} "
            f"(sortition-algorithms {result.versions.get('sortition-algorithms')}, solver {r.solver_backend}); "
            f"leximin is used only where a Gurobi licence is present, never as a silent substitute.",
            f"- Seed {r.seed}; {r.panels} panels; the largest change in any chance from rounding to panels "
            f"was {result.checks['max_rounding_shift']:.4f}.",
            f"- Audit pack: `reports/{result.year}/selection-audit/` (config fingerprint "
            f"{result.fingerprints['config_selection_sha256'][:12]}..., input fingerprint "
            f"{result.fingerprints['input_sha256'][:12]}...).",
            f"- {d.rule_sentence(rules)}",
        ]
    )


def analyse(ctx, result: SelectionResult | None = None, *, names_path: Path | None = None) -> Findings:
    """The selection's findings; runs the selection (and writes its files) when not given one."""
    result = result or run_selection(ctx, names_path=names_path)
    rules = d.DisclosureRules.from_config(ctx.config)
    nation_counts, nation_chance = _chance_table(
        result, "nation", "Nation", rules, list(NATION_ORDER)
    )
    banded = dataclasses.replace(
        result, pool=result.pool.assign(ambition=result.pool["ambition"].str.capitalize())
    )
    band_counts, band_chance = _chance_table(
        banded, "ambition", "Ambition band", rules, ["High", "Medium", "Low"]
    )
    excluded = reason_counts(result.assessment).set_index("description")["applicants"]
    excluded.index.name = "Eligibility"
    elig_table = d.protect_frequencies(
        excluded[excluded > 0].rename("Applicants"),
        rules,
        caption="Applicants by eligibility (main reason for exclusion)",
    )
    k, n = result.rules.panel_size, len(result.pool)
    messages = [
        m
        for m in (
            f"{len(result.assessment)} organisations applied; {n} were eligible and a fair lottery with "
            f"quotas chose {k} members.",
            _nation_message(result, rules),
            _min_chance_message(result, rules),
            _spread_message(result),
        )
        if m
    ]
    return Findings(
        area="selection",
        heading=f"A fair lottery with quotas chose {k} members from {n} eligible applicants across the UK",
        key_messages=messages,
        brief_text=_account(result, ctx.year),
        method_notes=_method_notes(result, rules),
        tables=dict(
            zip(
                ["eligibility", "chance_by_nation", "chance_by_band", "eligible_by_nation", "members_by_nation"],
                [elig_table, nation_chance, band_chance, *_spread_tables(result, rules)],
                strict=True,
            )
        ),
        facts=_facts(result),
    )


def _facts(result: SelectionResult) -> dict[str, Any]:
    members = result.pool[result.pool["org_id"].isin(result.selected)]
    return {
        "applicants": int(len(result.assessment)),
        "eligible": int(len(result.pool)),
        "panel_size": result.rules.panel_size,
        "algorithm": result.algorithm,
        "selection_year": result.rules.draw_year,
        "seed": result.rules.seed,
        "panels": result.rules.panels,
        "drawn_panel": result.drawn_panel,
        "draw_source": result.draw_source,
        "max_rounding_shift": round(float(result.checks["max_rounding_shift"]), 4),
        "nations_represented": int(members["nation"].nunique()),
        "regions_represented": int(members["region_code"].nunique()),
        "config_fingerprint": result.fingerprints["config_selection_sha256"],
    }
