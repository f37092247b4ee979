"""The readiness section's words: heading, key messages, paragraphs, chart titles and method notes.

Present layer: every number in a sentence is read from a protected table (`tables.value`) or is
a statistic of the method (alpha, its interval, a p-value), formatted with `analysis.text`.
Imports `analysis.text`, `analysis.disclosure` (the table type) and this area's `measures`,
`reliability`, `counts` and `tables`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import text
from analysis.disclosure import SUPPRESSED, DisclosureRules, ProtectedTable
from analysis.disclosure.policy import split_reason
from analysis.readiness.counts import BAND_LABELS, ITEM_SHORT, small_org_types
from analysis.readiness.measures import (
    CHANGE_MEASURES,
    ChangeSummary,
    ambition_rubric,
    baseline_year,
    level_names,
    option_labels,
    readiness_settings,
    settings_section,
)
from analysis.readiness.reliability import AlphaResult
from analysis.readiness.tables import ReadinessTables, first_value, frequency

# What each IAP2 level means, in the third person the appendix uses (the form's answers say "we").
LEVEL_MEANINGS: dict[int, str] = {
    1: "the organisation tells people what it has decided",
    2: "it asks for people's views before it decides",
    3: "it works with people to shape the options",
    4: "it decides together with citizens, as partners",
    5: "citizens make the final decision",
}

# How a sentence gives the unit of each change measure.
CHANGE_UNIT_WORDS: dict[str, str] = {
    "level_now": " levels",
    "readiness_index": " points on the 0 to 100 readiness index",
}

INTRO = (
    "We asked applicants where their organisation is now on the IAP2 spectrum of public "
    "participation, a five-step scale from *inform* (telling people what has been decided) "
    "through *consult*, *involve* and *collaborate* to *empower* (citizens make the final "
    "decision), and where they want to be by the end of 2026."
)

CHANGE_CAVEAT = (
    "These are self-reported answers from a small network, so they describe these "
    "members, not organisations in general, and cannot show that the network caused any change."
)


def callout_name(config: Any) -> str:
    """'the 2024 callout': the one callout every year's analysis uses."""
    return f"the {int(settings_section(config, 'selection').get('draw_year', 2024))} callout"


def source(config: Any, synthetic: bool) -> str:
    """The source note under every readiness chart."""
    org = settings_section(config, "brief").get("organisation", "Citizens In Power")
    tag = " Synthetic sample data, not real findings." if synthetic else ""
    return f"Source: {org} {callout_name(config)[4:]} for network members (closed December 2023).{tag}"


# ---------------------------------------------------------------------------
# Rubric and merges (appendix)
# ---------------------------------------------------------------------------
def rubric_table(config: Any = None) -> pd.DataFrame:
    """The rubric as a small table for the appendix, built from the settings actually used."""
    r = ambition_rubric(config)
    levels = level_names(config)
    start = " or ".join(f"{levels[v].lower()} ({v})" for v in r["high_one_step_from"] if v in levels)
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


def merge_notes(df: pd.DataFrame, config: Any = None) -> list[str]:
    """Plain-words notes of the merges `counts.group_column` made, for the appendix.

    In the order profiles are published (organisation type before nation)."""
    notes = []
    s = readiness_settings(config)
    small = small_org_types(df, config)
    if small:
        other = option_labels(config, "org_type").get("other", "Other")
        notes.append(
            f"Types with {text.fewer_than(s['merge_org_types_below'], 'applicants')} "
            f'({text.list_in_sentence(small)}) are counted under "{other}".'
        )
    if "nation" in df.columns:
        merged: dict[str, list[str]] = {}
        for src, dst in s["nation_groups"].items():
            merged.setdefault(dst, []).append(src)
        notes += [
            f'{text.list_in_sentence(v)} are shown together as "{k}".'
            for k, v in merged.items()
            if len(v) > 1
        ]
    return notes


# ---------------------------------------------------------------------------
# Change since baseline
# ---------------------------------------------------------------------------
def describe_change(c: ChangeSummary, what: str, *, counts: tuple[float, float, float] | None = None) -> str:
    """Plain words for a change summary: who moved, and whether chance could explain it.

    `counts` (up, same, down) are the published, protected numbers; without them the raw
    counts are used, which is only for internal use and tests.
    """
    up, same, down = (int(round(v)) for v in counts) if counts else (c.n_up, c.n_same, c.n_down)
    moved = (
        f"Of the {text.count(up + same + down)} members who answered in both {c.baseline_year} and {c.year}, "
        f"{text.count(up)} moved up on {what}, {text.count(same)} stayed the same and "
        f"{text.count(down)} moved down."
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


def _change_counts_text(c: ChangeSummary, counts: ProtectedTable, what: str) -> str:
    """The words for one change measure, from its protected counts (never raw small numbers)."""
    up, same, down = (frequency(counts, k) for k in ("Moved up", "Stayed the same", "Moved down"))
    if any(v is None for v in (up, same, down)):
        return (  # no test result or mean either: with the total, they would bound the counts
            f"On {what}, the numbers of members who moved up, stayed the same or moved down "
            f"between {c.baseline_year} and {c.year} are shown as {SUPPRESSED} to protect organisations, "
            "and the average change and the test of it are not published either."
        )
    return describe_change(c, what, counts=(up, same, down))


def _all_withheld(changes: dict[str, ChangeSummary], tables, min_count: int) -> str:
    """One sentence for change measures whose counts are all withheld, with the reason."""
    c = next(iter(changes.values()))
    compared = frequency(tables[next(iter(changes))]["counts"], "Total")
    why = split_reason(int(compared), min_count, groups=3) if compared else "to protect individual members"
    return (
        f"How many members moved up, stayed the same or moved down between {c.baseline_year} and {c.year} "
        f"on {text.list_in_sentence([CHANGE_MEASURES[col] for col in changes])} is withheld ({SUPPRESSED} in "
        f"the tables), and so are the average changes and their tests: {why}."
    )


def change_words(
    changes: dict[str, ChangeSummary], tables: dict[str, dict[str, ProtectedTable]], min_count: int = 5
) -> tuple[str, dict[str, Any]]:
    """The change paragraph and its facts (per measure; `message` for the level), from protected values."""
    texts, facts = [], {}
    hidden = [
        col
        for col in changes
        if any(
            frequency(tables[col]["counts"], k) is None for k in ("Moved up", "Stayed the same", "Moved down")
        )
    ]
    if changes and len(hidden) == len(changes):  # one sentence, not the same one per measure
        texts.append(_all_withheld(changes, tables, min_count))
    for col, c in changes.items():
        what = CHANGE_MEASURES[col]
        if len(hidden) < len(changes):
            texts.append(_change_counts_text(c, tables[col]["counts"], what))
        f: dict[str, Any] = {
            "baseline_year": c.baseline_year,
            "year": c.year,
            "sign_test_distinguishable": c.distinguishable,
        }
        published = first_value(tables[col]["mean"])
        if published is not None and np.isfinite(c.ci_low):
            unit = CHANGE_UNIT_WORDS[col]
            level = text.percent(c.ci_level)
            texts.append(
                f"The average change was {published:+.1f}{unit} (a {level} "
                f"interval, the range the true average probably lies in, of {c.ci_low:+.1f} to "
                f"{c.ci_high:+.1f})."
            )
            f.update(mean_change=round(published, 2), ci_low=round(c.ci_low, 2), ci_high=round(c.ci_high, 2))
            if col == "level_now":
                f["message"] = _level_change_message(c, published)
        facts[col] = f
    return " ".join([*texts, CHANGE_CAVEAT]), facts


def _level_change_message(c: ChangeSummary, published: float) -> str:
    verdict = (
        "though the change could be chance"
        if c.ci_low <= 0 <= c.ci_high
        else "more than chance alone would likely give, though with so few members the evidence is weak"
    )
    direction = "up" if published > 0 else ("down" if published < 0 else "neither up nor down")
    amount = f" by {abs(published):.1f} levels" if published else ""
    return (
        f"Since the {c.baseline_year} baseline, members have moved {direction} the "
        f"participation spectrum{amount} on average by {c.year} "
        f"({text.percent(c.ci_level)} interval {c.ci_low:+.1f} to {c.ci_high:+.1f}), {verdict}."
    )


# ---------------------------------------------------------------------------
# Reliability, messages and titles
# ---------------------------------------------------------------------------
def alpha_base(a: AlphaResult, rules: DisclosureRules, *, dropped: bool = False) -> str:
    """Whose answers the alpha is from: "143 applicants who answered all five" (with `dropped`,
    "143 complete answers, 3 left out for a missing statement").

    When the applicants left out for a missing statement are a small count (1 to min_count − 1),
    neither number is given: beside the analysed total, either one gives that count away.
    """
    if rules.is_unsafe_count(a.n_dropped):
        return (
            "the applicants who answered all five"
            if not dropped
            else "applicants who skipped a statement are left out"
        )
    if dropped:
        left = f"{text.count(a.n_dropped)} left out for a missing statement"
        return f"{text.count(a.n_used)} complete answers, {left}"
    return f"{text.count(a.n_used)} applicants who answered all five"


def alpha_sentence(a: AlphaResult, rules: DisclosureRules) -> str:
    """How well the five statements hang together, in words a reader without statistics follows."""
    if not np.isfinite(a.alpha):
        return "There were too few complete answers to measure how well the five statements hang together."
    judged = (
        "hang together well enough to add up into one index"
        if not a.flagged
        else f"hang together less well than the usual {text.number(a.flag_below)} benchmark, so the index "
        "should be read as a rough summary and the statements also looked at one by one"
    )
    return (
        f"Applicants rated five statements about their readiness (leadership support, budget, staff "
        f"skills, community relationships and governance that could hand decisions to citizens). "
        f"The five statements {judged} (Cronbach's alpha, a standard measure of how consistently "
        f"statements measure one thing, is {a.alpha:.2f}; "
        f"{text.percent(a.ci_level)} confidence interval {a.ci_low:.2f} to {a.ci_high:.2f}, "
        f"from {alpha_base(a, rules)})."
    )


def agree_shares(shares: ProtectedTable) -> dict[str, float]:
    """Share agreeing (the "Agree" band) per statement; empty unless every statement's is published.

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


def items_title(t: ReadinessTables) -> str:
    """Headline for the statements chart: the statement most agreed with, when every share is published."""
    agree = agree_shares(t.likert_shares)
    if not agree:
        return "How ready applicants say they are, in five statements"
    return f"Applicants agreed most often on {max(agree, key=agree.get).lower()}"


def levels_title(levels: ProtectedTable) -> str:
    """Headline for the now-versus-aim chart from the published counts (most common levels)."""
    v = levels.values.drop(index=levels.total_label or "Total", errors="ignore")
    now, aim = v.iloc[:, 0].dropna(), v.iloc[:, 1].dropna()
    if len(now) < len(v) or len(aim) < len(v) or now.empty:
        return "Applicants aim to move up the participation spectrum by 2026"
    return (
        f"{now.idxmax()} is the most common level now; {aim.idxmax().lower()} is the most common aim for 2026"
    )


def top_want(t: ReadinessTables) -> str | None:
    """The answer most applicants want from the network, among the published counts."""
    wants = t.wants.values.iloc[:, 0].dropna()
    return str(wants.idxmax()) if len(wants) else None


def wants_title(t: ReadinessTables) -> str:
    """Headline for the wants chart: the most wanted answer, when one is published."""
    top = top_want(t)
    return (
        f"{top} is what applicants most want from the network"
        if top
        else "What applicants want from the network"
    )


def messages(
    t: ReadinessTables, alpha: AlphaResult, n_used: int, config: Any = None
) -> tuple[str, list[str], dict]:
    """Heading, key messages and facts, every number read from a protected table."""
    facts: dict[str, Any] = {"applicants_in_research": n_used, "alpha": alpha.to_json()}
    bands = {k: frequency(t.bands, k) for k in t.bands.values.index}
    up_parts = [bands.get(BAND_LABELS[b]) for b in ("medium", "high")]
    moving_up = None if any(v is None for v in up_parts) else sum(up_parts)
    out = []
    heading = "Applicants want to move towards handing decisions to citizens"
    if moving_up is not None:
        share = moving_up / n_used if n_used else 0
        facts["applicants_moving_up"] = int(moving_up)
        heading = (
            f"{'Most' if share > 0.5 else 'Some'} applicants aim to move at least one step "
            "towards handing decisions to citizens by 2026"
        )
        out.append(
            f"{text.count(moving_up)} of {text.analysed(n_used)} "
            f"({text.percent_of(moving_up, n_used)}) aim to move at least one "
            "level up the participation spectrum by 2026."
        )
    high = bands.get(BAND_LABELS["high"])
    if high is not None:
        facts["band_counts"] = {k: v for k, v in bands.items() if v is not None}
        out.append(
            f"{text.count(high)} applicants ({text.percent_of(high, n_used)}) have the most "
            "ambitious plans for change relative to where they are now (the high ambition band "
            "the selection used)."
        )
    mean_idx = first_value(t.index_mean)
    agree = agree_shares(t.likert_shares)
    if mean_idx is not None:
        facts["readiness_index_mean"] = round(mean_idx, 1)
        sentence = (
            f"The average readiness index is {text.format_value(mean_idx, 'index', decimals=0)} out of 100"
        )
        if agree:
            top, low = max(agree, key=agree.get), min(agree, key=agree.get)
            sentence += (
                f"; applicants agreed most often on {top.lower()} ({text.percent(agree[top])}) and "
                f"least often on {low.lower()} ({text.percent(agree[low])})"
            )
        out.append(sentence + ".")
    yes = frequency(t.commitment, option_labels(config, "can_commit_3_years")["yes"])
    if yes is not None:
        out.append(
            f"{text.count(yes)} applicants ({text.percent_of(yes, n_used)}) said they can commit to taking "
            "part from 2024 to 2026."
        )
    return heading, out, facts


def method_notes(config: Any, alpha: AlphaResult, n_excluded: int) -> str:
    """The method notes of the readiness section: measures, rubric, reliability, change, merges."""
    s = readiness_settings(config)
    base = baseline_year(config)
    rubric = rubric_table(config)
    rubric_md = "\n".join(
        ["| Band | Rule (first that fits) |", "| --- | --- |"]
        + [f"| {b} | {rule} |" for b, rule in rubric.iloc[:, 0].items()]
    )
    levels = level_names(config)
    levels_md = "; ".join(f"{k} {name.lower()}: {LEVEL_MEANINGS[k]}" for k, name in levels.items())
    item_md = "\n".join(
        ["| Statement | Corrected item-total correlation | Alpha without it |", "| --- | --- | --- |"]
        + [
            f"| {ITEM_SHORT.get(k, k)} | {v:.2f} | {alpha.alpha_if_dropped.get(k, float('nan')):.2f} |"
            for k, v in alpha.item_total.items()
        ]
    )
    flag = f" **Flag:** alpha is below {text.number(alpha.flag_below)}." if alpha.flagged else ""
    rules = DisclosureRules.from_config(config)
    shown = "" if rules.is_unsafe_count(n_excluded) else f" ({text.count(n_excluded)})"
    return f"""**Readiness and ambition: method.** Applicants who did not agree to their answers being
used in research{shown} are left out of every figure here, and counted.

*Participation level* uses the IAP2 spectrum of public participation ({levels_md}).
The *ambition gap* is the level aimed for by the end of 2026 minus the level now.

*Ambition band* (used by the selection; coarse on purpose, never a ranking), from a rubric
in the project's settings:

Table: Ambition bands and the rule that sets each

{rubric_md}

The readiness index is not part of the band, so that no applicant gains by understating how
ready they are.

*Readiness index*: the mean of the five statements (1 strongly disagree to 5 strongly agree)
rescaled to 0 to 100 as (mean − 1) / 4 × 100; applicants who skipped any statement have no index.
Reliability: Cronbach's alpha {alpha.alpha:.2f} ({text.percent(alpha.ci_level)} Feldt interval
{alpha.ci_low:.2f} to {alpha.ci_high:.2f}; {alpha_base(alpha, rules, dropped=True)}).{flag}

Table: How each readiness statement fits the scale

{item_md}

*Change since baseline* (from {base + 1}):
members active this year, their {base}
return against this year's; members without both returns are counted, not filled in. An exact
two-sided sign test compares members who moved up with those who moved down (those who stayed are
left out); the mean change has a percentile bootstrap interval ({text.count(s["bootstrap_resamples"])}
resamples, seed {s["bootstrap_seed"]}). With about ten members these can only show a large,
consistent shift; "no evidence of change" does not mean "no change". All answers are self-reported.
The answers to the five statements are published in three bands (disagree 1-2, neither 3,
agree 4-5), merged before the disclosure rule is applied: with five answers, one small cell
(few applicants strongly disagree) would hide a second cell in its row, and the whole row
could not be charted.
Profiles merge small groups and follow the disclosure rule; means are not shown where their base
is suppressed."""
