"""The outcomes section in words: heading, brief paragraphs, method notes and policy asks.

Templated from published (protected) figures only; the sentences themselves live in `messages`.
Numbers are formatted by `analysis.text`, and the disclosure wording comes from the rules.

Layer: present. Imports the base layer, the outcome tables and `messages`.
"""

from __future__ import annotations

from analysis.outcomes.cells import label, published_text
from analysis.outcomes.messages import (
    activity_message,
    advocacy_message,
    basis_sentence,
    change_phrase,
    money_message,
    money_rule_words,
    returns_sentence,
    summary_message,
    total_text,
    workshop_message,
)
from analysis.outcomes.tables import OutcomeResults
from analysis.text import SUPPRESSED, signed_change


def headline(results: OutcomeResults) -> str:
    """Statement heading for the brief section, from published numbers where they exist."""
    y, base = results.year, results.settings.baseline_year
    v = results.measures["ventures_started"]
    c = results.measures["citizens_involved"]
    ventures = total_text(results, "ventures_started")
    if results.is_summary and v.three_year_total is not None:
        yrs = results.settings.commitment_years
        text = (
            f"Over {yrs[0]}–{yrs[-1]} members started "
            f"{published_text(v.three_year_total, 'ventures_started')} citizen-led ventures"
        )
        if c.three_year_total is not None:
            text += f" involving {published_text(c.three_year_total, 'citizens_involved')} citizens"
        return text
    if v.total(y) is None:
        return f"What network members did in {y}"
    if results.is_baseline:
        return f"In {y}, the baseline year, members started {ventures} citizen-led ventures"
    comp = v.comparisons.get("baseline", {})
    if comp.get("change") is not None and comp["basis"] != "all_returns":
        word = "more than" if comp["change"] > 0 else ("fewer than" if comp["change"] < 0 else "as many as")
        return f"Members started {ventures} citizen-led ventures in {y}, {word} in {base}"
    return f"Members started {ventures} citizen-led ventures in {y}"


def _baseline_comparisons(results: OutcomeResults) -> str:
    """Citizens, advocacy and funding against the baseline, each with its change or why it is withheld."""
    y, base = results.year, results.settings.baseline_year
    comps = []
    for m in ("citizens_involved", "advocacy_actions", "funding_secured_gbp"):
        phrase = change_phrase(results, m)
        if not phrase:
            continue
        name = label(results.measures[m].label)
        if results.measures[m].total(y) is None:
            comps.append(f"{name}: withheld in {y} to protect members, so the change is withheld too.")
        elif results.measures[m].comparisons["baseline"]["change"] is None:
            comps.append(
                f"{name}: {total_text(results, m)} in {y}; the {base} total is "
                "withheld, so the change cannot be given."
            )
        else:
            comps.append(f"{name}: {phrase}.")
    if not comps:
        return ""
    return (
        f"Compared with the {base} baseline: " + " ".join(comps) + " " + basis_sentence(results, "baseline")
    )


def _previous_comparisons(results: OutcomeResults) -> str:
    prev = [
        f"{label(results.measures[m].label)}: {change_phrase(results, m, 'previous')}."
        for m in ("ventures_started", "citizens_involved")
        if results.measures[m].comparisons.get("previous")
    ]
    if not prev:
        return ""
    return f"Compared with {results.year - 1}: " + " ".join(prev) + " " + basis_sentence(results, "previous")


def brief_text(results: OutcomeResults) -> str:
    """Markdown paragraphs for the brief section, every number from a published table."""
    paras = [returns_sentence(results.accounting, results.year)]
    if results.is_summary:
        paras.append(summary_message(results))
    paras += [activity_message(results), money_message(results), advocacy_message(results)]
    if not results.is_baseline:
        paras += [_baseline_comparisons(results), _previous_comparisons(results)]
    paras.append(workshop_message(results))
    return "\n\n".join(p for p in paras if p)


def level_sentence(results: OutcomeResults) -> str:
    """Members' mean move on the participation spectrum, where disclosure lets it be given."""
    c = results.level_change.get("level_now") or {}
    if c.get("mean_change") is None:
        return ""
    return (
        f"On the participation spectrum (from 1 inform to 5 empower), members moved "
        f"{signed_change(c['mean_change'], 'rate')} levels on average since {c['baseline_year']}, from the "
        f"{c['n_paired']} members who answered in both years (see the readiness section for the detail "
        "and its uncertainty)."
    )


def method_notes(results: OutcomeResults) -> str:
    """Returns, missing data, comparison basis and disclosure, in words."""
    lines = [
        "**Member outcomes.** Figures come from the yearly member survey and the workshop log. "
        + " ".join(returns_sentence(results.accounting, y) for y in results.years),
        "Missing returns and blank answers are never filled in: each total is from the members who "
        "answered that question, and a member who left one of the three advocacy questions blank is left "
        "out of all three, so the parts add up to the total.",
        "Changes compare the same members where the same members answered in both years. Where the "
        "members differ, a like-for-like comparison is used only if the members left out are at least "
        f"{results.rules.money_min_contributors} in each year; otherwise network totals are compared and "
        "this is said, because subtracting a like-for-like total from a published total would reveal one "
        "member's figure.",
        "Money and activity totals follow the rule under Disclosure control below (stated there once); "
        "a three-year total is withheld whenever one of its years is.",
    ]
    if results.is_baseline:
        lines.append(f"{results.year} is the baseline year: there is no earlier year to compare with.")
    level = level_sentence(results)
    if level:
        lines.append(level)
    return "\n\n".join(lines)


def withholding_note(rules) -> str:
    """How to read a [c] in this appendix: the money and activity rule in words, from the settings."""
    few, top = money_rule_words(rules)
    return (
        f"Money and activity totals are withheld (shown as {SUPPRESSED}) when {few} contribute or when "
        f"{top} for most of the total."
    )


def source_note(synthetic: bool, years: list[int], organisation: str = "Citizens In Power") -> str:
    """The source line under every chart: survey, workshop log, years, and the synthetic flag."""
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    tag = " Synthetic sample data, not real findings." if synthetic else ""
    return f"Source: {organisation} member survey and workshop log, {span}.{tag}"


def policy_asks(results: OutcomeResults) -> list[str]:
    """Suggested asks, each tied to a published figure (none where the figure is withheld)."""
    y, m = results.year, results.measures
    asks = []
    if m["budget_devolved_gbp"].total(y):
        asks.append(
            "**Let citizens decide part of a grant.** Public funders could let grant holders hand part of a "
            "grant to citizens to allocate, as network members did with "
            f"{total_text(results, 'budget_devolved_gbp')} in {y}."
        )
    if m["joint_bids"].total(y) and m["funding_secured_gbp"].total(y):
        asks.append(
            "**Welcome joint bids.** Funders could open programmes to joint bids from cultural organisations "
            f"working with citizens: members made {total_text(results, 'joint_bids')} joint bids in {y} and "
            f"secured {total_text(results, 'funding_secured_gbp')} for citizen-led work."
        )
    if m["advocacy_meetings"].total(y):
        asks.append(
            "**Involve the sector in policy.** Officials could involve citizen-led cultural organisations when "
            f"shaping policy: members held {total_text(results, 'advocacy_meetings')} meetings with officials "
            f"or politicians in {y}."
        )
    if results.is_summary and m["citizens_involved"].three_year_total:
        yrs = results.settings.commitment_years
        asks.append(
            "**Sustain the network.** Government and arts councils could support networks like this beyond "
            f"{yrs[-1]}: over {yrs[0]}–{yrs[-1]} members involved "
            f"{published_text(m['citizens_involved'].three_year_total, 'citizens_involved')} "
            "citizens in their decisions."
        )
    return asks
