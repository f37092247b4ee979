"""Selection words: the heading, key messages, the account of the draw and the method notes.

A sentence about a group of applicants is written only when the group is large enough to be
published under the disclosure rule (`DisclosureRules.is_unsafe_count`), so no sentence states
one organisation's chance; numbers are formatted by `analysis.text`.

Layer: present. Imports `analysis.disclosure` (the rules), `analysis.text`, `analysis.reference`
and the selection engine (`eligibility`, `lottery`).
"""

from __future__ import annotations

from analysis import disclosure as d
from analysis import text
from analysis.reference import ENGLAND, SMALL_NATIONS
from analysis.selection.eligibility import REASONS
from analysis.selection.lottery import SelectionResult


def heading(result: SelectionResult) -> str:
    """The section heading: who chose how many from how many."""
    return (
        f"A fair lottery with quotas chose {result.rules.panel_size} members from {len(result.pool)} "
        f"eligible applicants across the UK"
    )


def key_messages(result: SelectionResult, rules: d.DisclosureRules) -> list[str]:
    """The selection's key messages, leaving out any that would describe too small a group."""
    first = (
        f"{len(result.assessment)} organisations applied; {len(result.pool)} were eligible and a fair "
        f"lottery with quotas chose {result.rules.panel_size} members."
    )
    messages = (
        first,
        nation_message(result, rules),
        min_chance_message(result, rules),
        spread_message(result),
    )
    return [m for m in messages if m]


def min_chance_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    """The lowest chance, stated only if enough applicants share it that it names no one."""
    p = result.probabilities["lottery_probability"]
    low = p.min()
    if rules.is_unsafe_count(int((p <= low + 0.001).sum())):
        return None
    return (
        f"Every eligible applicant had a real chance: at least {text.percent(low)}, against an average "
        f"of {text.percent(result.rules.panel_size / len(result.pool))}."
    )


def nation_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    """The small nations' average chance against England's, when both groups can be published."""
    pool = result.pool.merge(result.probabilities, on="org_id")
    small = pool[pool["nation"].isin(SMALL_NATIONS)]
    england = pool[pool["nation"] == ENGLAND]
    if not result.rules.min_per_nation or any(
        group.empty or rules.is_unsafe_count(len(group)) for group in (small, england)
    ):
        return None
    return (
        f"Because every nation with eligible applicants was guaranteed a seat, applicants in "
        f"{text.list_in_sentence(SMALL_NATIONS)} had an average chance of "
        f"{text.percent(small['lottery_probability'].mean())}, against "
        f"{text.percent(england['lottery_probability'].mean())} in England."
    )


def spread_message(result: SelectionResult) -> str:
    """How many nations and regions the drawn panel comes from, of those with eligible applicants.

    Said of the organisations drawn, not "the members": a drawn organisation that declines is
    replaced from the reserves, so the network's own spread (appendix 1) can differ by one region.
    """
    drawn = result.pool[result.pool["org_id"].isin(result.selected)]
    pool = result.pool
    return (
        f"The {len(drawn)} organisations drawn come from {drawn['region_code'].nunique()} of the "
        f"{pool['region_code'].nunique()} nations and regions with eligible applicants."
    )


def timing_sentence(result: SelectionResult, year: int) -> str:
    """When the draw was made, and whether this year's report loaded or recomputed it."""
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


def account(result: SelectionResult, year: int) -> str:
    """The brief's account of the selection: eligibility, quotas, the lottery and the draw."""
    r = result.rules
    reasons = "; ".join(REASONS.values())
    return "\n\n".join(
        [
            timing_sentence(result, year),
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


def method_notes(result: SelectionResult, rules: d.DisclosureRules) -> str:
    """Algorithm, solver, seed, rounding shift, audit pack fingerprints and the disclosure rule."""
    r = result.rules
    return "\n".join(
        [
            f"- Algorithm: {result.algorithm}, computed by {result.checks.get('method', 'sortition-algorithms')} "
            f"(sortition-algorithms {result.versions.get('sortition-algorithms')}, solver {r.solver_backend}); "
            f"leximin is used only where a Gurobi licence is present, never as a silent substitute.",
            f"- Seed {r.seed}; {r.panels} panels; the largest change in any chance from rounding to panels "
            f"was {result.checks['max_rounding_shift']:.4f}.",
            f"- Public selection pack: `selection/` beside this document (the rules, the drawn panel, "
            f"chances in bands of at least {rules.min_count} applicants; config fingerprint "
            f"{result.fingerprints['config_selection_sha256'][:12]}..., input fingerprint "
            f"{result.fingerprints['input_sha256'][:12]}...). The full audit pack, with every "
            f"applicant's chance, is kept for an independent auditor; each applicant is told its own "
            f"chance privately.",
            f"- {rules.sentence()}",
        ]
    )
