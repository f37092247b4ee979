"""Selection words: the heading, key messages, the account of the draw and the method notes.

A sentence about a group of applicants is written only when the group is large enough to be
published under the disclosure rule (`DisclosureRules.is_unsafe_count`), so no sentence states
one organisation's chance; numbers are formatted by `analysis.text`.

Layer: present. Imports `analysis.disclosure` (the rules), `analysis.text`, `analysis.reference`
and the selection engine (`eligibility`, `lottery`).
"""

from __future__ import annotations

import pandas as pd

from analysis import disclosure as d
from analysis import text
from analysis.reference import ENGLAND, SMALL_NATIONS
from analysis.selection.eligibility import REASONS
from analysis.selection.lottery import SelectionResult

# The algorithms' names as a statistician reads them (the code names are given beside them).
ALGORITHMS = {"nash": "maximum Nash welfare", "leximin": "leximin (maximin fairness)"}


def heading(result: SelectionResult) -> str:
    """The section heading: who chose how many from how many."""
    return (
        f"A fair lottery with quotas chose {result.rules.panel_size} members from {len(result.pool)} "
        f"eligible applicants across the UK"
    )


def key_messages(
    result: SelectionResult, rules: d.DisclosureRules, roster: pd.DataFrame | None = None
) -> list[str]:
    """The selection's key messages, leaving out any that would describe too small a group.

    `roster`: the network roster; with it, the spread message says how the members differ from
    the drawn panel (a declined place filled from the reserves).
    """
    first = (
        f"{len(result.assessment)} organisations applied; {len(result.pool)} were eligible and a fair "
        f"lottery with quotas chose {result.rules.panel_size} members."
    )
    messages = (
        first,
        nation_message(result, rules),
        min_chance_message(result, rules),
        spread_message(result, roster),
    )
    return [m for m in messages if m]


def chance_facts(result: SelectionResult, rules: d.DisclosureRules) -> dict:
    """The chances the key messages print, each with the number of applicants it is over (for the
    publication plan): the average over every eligible applicant; the smallest chance and how many
    share it, when enough do to name no one; the small nations' and England's averages, when both
    groups can be published."""
    p = result.probabilities["lottery_probability"]
    out: dict = {"average": {"chance": result.rules.panel_size / len(result.pool), "n": len(result.pool)}}
    low = float(p.min())
    sharing = int((p <= low + 0.001).sum())
    if not rules.is_unsafe_count(sharing):
        out["smallest"] = {"chance": low, "n": sharing}
    pool = result.pool.merge(result.probabilities, on="org_id")
    small = pool[pool["nation"].isin(SMALL_NATIONS)]
    england = pool[pool["nation"] == ENGLAND]
    if result.rules.min_per_nation and not any(
        group.empty or rules.is_unsafe_count(len(group)) for group in (small, england)
    ):
        out["small_nations"] = {"chance": float(small["lottery_probability"].mean()), "n": len(small)}
        out["england"] = {"chance": float(england["lottery_probability"].mean()), "n": len(england)}
    return out


def min_chance_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    """The lowest chance, stated only if enough applicants share it that it names no one."""
    chances = chance_facts(result, rules)
    if "smallest" not in chances:
        return None
    return (
        f"Every eligible applicant had a real chance: at least {text.percent(chances['smallest']['chance'])}, "
        f"against an average of {text.percent(chances['average']['chance'])}."
    )


def nation_message(result: SelectionResult, rules: d.DisclosureRules) -> str | None:
    """The small nations' average chance against England's, when both groups can be published."""
    chances = chance_facts(result, rules)
    if "small_nations" not in chances:
        return None
    return (
        f"Because every nation with eligible applicants was guaranteed a seat, applicants in "
        f"{text.list_in_sentence(SMALL_NATIONS)} had an average chance of "
        f"{text.percent(chances['small_nations']['chance'])}, against "
        f"{text.percent(chances['england']['chance'])} in England."
    )


def spread_message(result: SelectionResult, roster: pd.DataFrame | None = None) -> str:
    """How many regions and nations the drawn panel comes from, of those with eligible applicants,
    and (with the roster) how the draw year's members differ from it.

    A drawn organisation that declines is replaced from the reserves, so the members' spread
    (appendix 1) can differ from the draw's: the sentence says so, so the two counts agree.
    Membership is public, so who declined and who joined from the reserves are counts a reader
    may see; the reserve rank is not given (it would rank one applicant's chance).
    """
    pool = result.pool
    drawn = pool[pool["org_id"].isin(result.selected)]
    sentence = (
        f"The {len(drawn)} organisations drawn come from {drawn['region_code'].nunique()} of the "
        f"{pool['region_code'].nunique()} regions and nations with eligible applicants"
    )
    if roster is None or not len(roster):
        return sentence + "."
    joined = roster[(roster["year"] == result.rules.draw_year) & roster["status"].eq("active")]
    members = set(joined["org_id"])
    if not members:  # no roster for the draw year yet
        return sentence + "."
    declined = [o for o in result.selected if o not in members]
    if not declined:
        return (
            sentence
            + f"; every drawn organisation took its place, so the {len(members)} members are the drawn panel."
        )
    filled = len(members & set(result.reserves))
    regions = pool.loc[pool["org_id"].isin(members), "region_code"].nunique()
    if filled == len(declined):
        what = (
            f"{text.count(len(declined))} declined {text.plural_word(len(declined), 'its place, which', 'their places, which')} "
            f"went to {text.plural_word(filled, 'a reserve', 'reserves')} in the order published before the draw"
        )
    else:
        what = (
            f"{text.count(len(declined))} declined and reserves, in the order published before the draw, "
            f"took {text.plural(filled, 'place')}"
        )
    return (
        f"{sentence}; {what}, so the {len(members)} members who joined in {result.rules.draw_year} come from "
        f"{regions} of them."
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
            f"Within those quotas the selection algorithm ({ALGORITHMS.get(result.algorithm, result.algorithm)}) spreads the chances as evenly as "
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
            f"- Algorithm: {ALGORITHMS.get(result.algorithm, result.algorithm)} (`{result.algorithm}` in "
            f"sortition-algorithms {result.versions.get('sortition-algorithms')}, solver {r.solver_backend}; "
            f"method: {result.checks.get('method', result.algorithm)}); leximin is used only where a Gurobi "
            f"licence is present, never as a silent substitute.",
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
