"""The outcome sentences: returns, activity, money, advocacy, workshops and the three-year summary.

Every number is read from a published (protected) cell; a withheld figure is named in words and
never printed. `text` puts these sentences together into the key messages and the brief section.

Layer: present. Imports the base layer and the outcome tables.
"""

from __future__ import annotations

import pandas as pd

from analysis.outcomes.cells import label, measure_kind, published_text, published_value
from analysis.outcomes.tables import OutcomeResults
from analysis.text import (
    change_words,
    count,
    fewer_than_in_words,
    format_value,
    in_words,
    list_in_sentence,
    plural,
    plural_word,
)


def total_text(results: OutcomeResults, measure: str, year: int | None = None) -> str:
    """A published total as text ('[c]' where withheld)."""
    return published_text(results.measures[measure].total(year or results.year), measure)


def money_rule_words(rules) -> tuple[str, str]:
    """The money rule in words from the settings: ("fewer than three members", "one or two members account")."""
    few = fewer_than_in_words(rules.money_min_contributors, "members")
    top = list_in_sentence([in_words(i) for i in range(1, int(rules.dominance_n) + 1)], "or")
    return few, f"{top} {plural_word(rules.dominance_n, 'member accounts', 'members account')}"


def returns_sentence(acc: pd.DataFrame, year: int) -> str:
    """Who returned a survey in `year`, in words: missing returns are stated, not filled in."""
    r = acc.loc[year]
    text = (
        f"In {year}, {plural(r.members_active, 'member was', 'members were')} active "
        f"and {count(r.returns_received)} returned a survey"
    )
    if r.missing_returns:
        text += (
            f"; {plural(r.missing_returns, 'return is', 'returns are')} missing "
            "and not filled in, so totals are from the members who returned a survey"
        )
    text += "."
    if r.members_left:
        text += (
            f" {plural(r.members_left, 'member')} left the network after "
            f"{year - 1} and {plural_word(r.members_left, 'is', 'are')} not expected to return a survey."
        )
    if r.members_joined and year != acc.index.min():
        text += f" {plural(r.members_joined, 'member')} joined."
    if r.returns_not_expected:
        text += (
            f" {plural(r.returns_not_expected, 'return')} came from "
            "organisations not on that year's roster; they are included and counted here."
        )
    return text


def change_phrase(results: OutcomeResults, measure: str, key: str = "baseline") -> str:
    """'up 8 since 2024, from 5 to 13': the change (a percentage only on a base of 20 or more) and its basis."""
    c = results.measures[measure].comparisons.get(key)
    if c is None:
        return ""
    if c["change"] is None:
        return f"the change since {c['from_year']} is withheld because one of the totals is withheld"
    head = change_words(c["from_total"], c["to_total"], measure_kind(measure), since=str(c["from_year"]))
    if c["basis"] == "like_for_like":
        return f"{head}, for the {c['n_like_for_like']} members who answered in both years"
    return head


def basis_sentence(results: OutcomeResults, key: str = "baseline") -> str:
    """Said once per comparison: which members the changes compare, and why."""
    comps = [r.comparisons[key] for r in results.measures.values() if key in r.comparisons]
    if not comps:
        return ""
    a, b = comps[0]["from_year"], comps[0]["to_year"]
    acc = results.accounting
    if all(c["basis"] == "same" for c in comps):
        return f"The same members answered in {a} and {b}, so the totals compare directly."
    return (
        f"Unless stated, these changes compare network totals from {int(acc.loc[a, 'returns_received'])} "
        f"returns in {a} and {int(acc.loc[b, 'returns_received'])} in {b}: the members who answered differ "
        "between the years, and comparing only the same members would reveal individual members' figures "
        "by subtraction, so that is not shown."
    )


def _withheld_clause(names: list[str]) -> str:
    """'the number of citizens involved is withheld to protect members' (names already in words)."""
    if not names:
        return ""
    return f"{list_in_sentence(names)} {plural_word(len(names), 'is', 'are')} withheld to protect members"


def activity_message(results: OutcomeResults) -> str:
    """Ventures, citizens and decisions in one sentence; a withheld number is named, never printed."""
    y = results.year
    n = int(results.accounting.loc[y, "returns_received"])
    m = results.measures
    who = f"the {plural(n, 'member who', 'members who')} returned a survey"
    ventures = m["ventures_started"].total(y)
    citizens = m["citizens_involved"].total(y)
    decisions = m["decisions_by_citizens"].total(y)
    withheld = []
    if ventures is not None:
        text = f"In {y}, {who} started {total_text(results, 'ventures_started')} new citizen-led ventures"
        if citizens is not None:
            text += f" involving {total_text(results, 'citizens_involved')} citizens"
        else:
            withheld.append("the number of citizens involved")
    else:
        withheld.append("the number of new citizen-led ventures")
        text = (
            f"In {y}, {who} involved {total_text(results, 'citizens_involved')} citizens in citizen-led ventures"
            if citizens is not None
            else f"In {y}, {plural(n, 'member')} returned a survey"
        )
        if citizens is None:
            withheld.append("the number of citizens involved")
    if decisions is not None:
        text += (
            f", and citizens took {plural(decisions, 'decision')} "
            "that staff or boards would otherwise have taken"
        )
    else:
        withheld.append("the number of decisions taken by citizens")
    text += "." if not withheld else f"; {_withheld_clause(withheld)}."
    if results.is_baseline:
        return text + f" {y} is the baseline year, so there is no earlier year to compare with."
    phrase = change_phrase(results, "ventures_started")
    c = results.measures["ventures_started"].comparisons.get("baseline", {})
    if phrase and c.get("basis") == "all_returns" and c.get("change") is not None:
        acc = results.accounting
        phrase += (
            f" (network totals from {int(acc.loc[c['from_year'], 'returns_received'])} and "
            f"{int(acc.loc[y, 'returns_received'])} returns, not the same members)"
        )
    return text + (f" Ventures were {phrase}." if phrase else "")


def money_message(results: OutcomeResults) -> str:
    """Funding secured and budget handed to citizens; withheld totals named, never printed."""
    y = results.year
    f, b = results.measures["funding_secured_gbp"], results.measures["budget_devolved_gbp"]
    bids = results.measures["joint_bids"].total(y)
    parts = []
    if f.total(y) is not None:
        part = f"members secured {total_text(results, 'funding_secured_gbp')} of new funding for citizen-led work"
        if bids:
            part += f", including from {plural(bids, 'joint bid')} with other members"
        parts.append(part)
    if b.total(y) is not None:
        parts.append(
            f"citizens decided how to use {total_text(results, 'budget_devolved_gbp')} of members' budgets"
            if b.total(y)
            else "no member reported handing citizens a budget to decide on"
        )
    withheld = [
        lbl
        for m, lbl in (
            ("funding_secured_gbp", "new funding secured"),
            ("budget_devolved_gbp", "budget handed to citizens"),
        )
        if results.measures[m].total(y) is None
    ]
    text = f"In {y}, " + " and ".join(parts) + "." if parts else ""
    if withheld:
        what = (
            f"the total of {withheld[0]} is"
            if len(withheld) == 1
            else f"the totals of {' and of '.join(withheld)} are"
        )
        lead = f"In {y}, {what}" if not parts else label(what)
        few, top = money_rule_words(results.rules)
        text += f" {lead} withheld because {few} contributed or {top} for most of it."
    return text.strip()


def advocacy_message(results: OutcomeResults) -> str:
    """Advocacy actions by kind and new partnerships, from the published totals."""
    y = results.year
    v = {m: total_text(results, m) for m in results.measures}
    return (
        f"Members took {v['advocacy_actions']} advocacy actions in {y}: "
        f"{v['advocacy_submissions']} policy submissions, {v['advocacy_meetings']} meetings "
        f"with officials or politicians and {v['advocacy_talks']} public talks, and formed "
        f"{v['partnerships_new']} new partnerships."
    )


def _total_col(table) -> str:
    cols = [c for c in table.values.columns if str(c).strip().lower() in ("total", "all")]
    return cols[0] if cols else table.values.columns[-1]


def _mean_col(table) -> str:
    cols = [c for c in table.values.columns if "mean" in str(c).lower() or "average" in str(c).lower()]
    return cols[0] if cols else table.values.columns[0]


def workshop_message(results: OutcomeResults) -> str:
    """Workshops held (network activity, in full), members attending and satisfaction (protected)."""
    y = str(results.year)
    held = published_value(results.workshop_formats, y, _total_col(results.workshop_formats))
    members = published_value(results.workshop_attendance, y, "Members attending")
    sat = published_value(results.workshop_satisfaction, y, _mean_col(results.workshop_satisfaction))
    if not held:
        return f"The network held no workshops in {y}." if held == 0 else ""
    text = f"The network ran {plural(held, 'workshop')} in {y}"
    rating = None if sat is None else f"{format_value(sat, 'mean')} out of 5 on average"
    if members is not None:
        text += f", attended by {plural(members, 'member')}"
        if rating:
            text += f", who rated them {rating}"
    elif rating:
        text += f", rated {rating}"
    if members is None:
        text += "; the number of members attending is withheld to protect members"
    return text + "."


# Plainer names for the three-year summary's withheld totals.
_PLAIN = {
    "citizens_involved": "citizens taking part",
    "budget_devolved_gbp": "budget handed to citizens",
    "funding_secured_gbp": "funding secured for citizen-led work",
}


def summary_message(results: OutcomeResults) -> str:
    """The three-year summary for advocacy: published figures listed, withheld ones named."""
    yrs = results.settings.commitment_years
    m = results.measures
    items = [
        ("ventures_started", "started {} citizen-led ventures"),
        ("citizens_involved", "involved {} citizens"),
        ("budget_devolved_gbp", "handed {} of budget to citizens to decide on"),
        ("funding_secured_gbp", "secured {} of funding for citizen-led work"),
        ("advocacy_actions", "took {} advocacy actions"),
    ]
    shown = [
        t.format(published_text(m[k].three_year_total, k))
        for k, t in items
        if m[k].three_year_total is not None
    ]
    hidden = [_PLAIN.get(k, m[k].label) for k, _ in items if m[k].three_year_total is None]
    text = ""
    if shown:
        text = (
            f"Over the three years {yrs[0]}–{yrs[-1]}, members {list_in_sentence(shown)} (from the returns "
            "received; missing returns are not filled in, so these are at least what happened)."
        )
    if hidden:
        text += f" The three-year totals of {list_in_sentence(hidden)} are withheld to protect members."
    return text.strip()


MONEY = ("funding_secured_gbp", "budget_devolved_gbp")


def key_messages(results: OutcomeResults) -> list[str]:
    """Three to five full sentences, every number read from a published table."""
    msgs = []
    if results.is_summary:
        msgs.append(summary_message(results))
    money = money_message(results)
    money_withheld = all(results.measures[m].total(results.year) is None for m in MONEY)
    msgs += [activity_message(results)]
    # A money message that only says what is withheld follows the ones with numbers.
    msgs += [advocacy_message(results), money] if money_withheld else [money, advocacy_message(results)]
    msgs += [workshop_message(results)]
    return [m for m in msgs if m][:5]
