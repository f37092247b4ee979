"""Sentences for the members / not-drawn comparison: what the lottery supports, and no more.

The lottery made the two groups alike when it drew them, so a gap between them points to the
network; the follow-up's response rate and the answerers' self-selection limit that, and every
sentence says so. Numbers come from the published cells only, formatted by `analysis.text`.
Layer: present; imports the comparison (protect) and text.
"""

from __future__ import annotations

from analysis.disclosure.policy import split_reason
from analysis.outcomes.not_drawn import MEMBERS, NOT_DRAWN, NotDrawnComparison, newcombe
from analysis.text import (
    capitalise,
    count,
    list_in_sentence,
    percent,
    percent_of,
    plural,
    plural_word,
    signed_change,
)

PHRASES = {
    "moved_up": "moved up at least one participation level since applying",
    "venture": "started a citizen-led venture since January 2024",
    "funding": "secured funding for citizen-led work since January 2024",
}


def response_clause(c: NotDrawnComparison) -> str:
    """'37 of the 105 (35%) eligible applicants not drawn answered the follow-up'."""
    if c.pool is None or c.answered is None:
        return "the number who answered the follow-up is withheld"
    return (
        f"{count(c.answered)} of the {count(c.pool)} ({percent_of(c.answered, c.pool)}) eligible "
        "applicants not drawn answered the follow-up"
    )


def _points(share: float) -> str:
    return signed_change(round(100 * share), "count")


def _pair(key: str, cells: dict) -> str:
    (my, mn), (oy, on) = cells[MEMBERS], cells[NOT_DRAWN]
    d, lo, hi = newcombe((my, mn), (oy, on))
    return (
        f"{percent(my / mn)} of members ({count(my)} of {count(mn)}) and {percent(oy / on)} of those not "
        f"drawn ({count(oy)} of {count(on)}) {PHRASES[key]} (gap {_points(d)} percentage points, 95% "
        f"interval {_points(lo)} to {_points(hi)})"
    )


def comparison_message(c: NotDrawnComparison | None, year: int) -> str:
    """The key message, or '' when there is no comparison this year."""
    if c is None:
        return ""
    both = [k for k, cells in c.cells.items() if cells[MEMBERS] and cells[NOT_DRAWN]]
    caveat = (
        f" The lottery made the two groups alike when it drew them, so a gap points to the network; "
        f"but {response_clause(c)}, and those who answered may be the more active ones, so the gaps "
        "are indicative, not precise."
    )
    if not both:
        return _others_only(c, year)
    parts = [_pair(k, c.cells[k]) for k in both]
    withheld = [PHRASES[k] for k in c.cells if k not in both]
    text = (
        f"Members compared with the eligible applicants the 2024 lottery did not draw, by {year}: "
        + "; ".join(parts)
        + "."
    )
    if withheld:
        text += f" The comparison of who {list_in_sentence(withheld, 'or')} is withheld ([c])."
    return text + caveat


def _others_only(c: NotDrawnComparison, year: int) -> str:
    """The not-drawn side with the one clear reason the members' side is withheld."""
    others = [(k, cells[NOT_DRAWN]) for k, cells in c.cells.items() if cells[NOT_DRAWN]]
    why = split_reason(c.members, c.min_count) if c.members else "to protect individual members"
    if not others:
        return f"In {year} the comparison of members with eligible applicants not drawn is withheld: {why}."
    answered = (
        f"{count(c.answered)} of the {count(c.pool)} ({percent_of(c.answered, c.pool)}) answered"
        if c.pool is not None and c.answered is not None
        else "those who answered"
    )
    shares = list_in_sentence([f"{percent(y / n)} {PHRASES[k]}" for k, (y, n) in others])
    return (
        "Of the eligible applicants the lottery did not draw (a fair comparison group, because the lottery "
        f"made them and the members alike), {answered} the {year} follow-up: {shares}. The members' side "
        f"of the comparison is withheld: {why}. Those who answered may be the more active ones, so these "
        "shares are indicative, not precise."
    )


def comparison_note(c: NotDrawnComparison | None) -> str:
    """The method note: who is compared, how, and the limits."""
    if c is None:
        return ""
    return (
        "**Members and applicants not drawn.** In 2026 the eligible 2024 applicants who were not drawn "
        "(and are not on the 2024 roster) were asked a short follow-up: their participation level now, "
        "and the ventures and funding they started or secured since January 2024. Members are those "
        "active in 2026 who returned the 2026 survey; a member counts as having started a venture or "
        "secured funding if any of its 2024-2026 returns says so. Moving up is measured from each "
        "organisation's own answer in the 2024 callout. "
        f"{capitalise(response_clause(c))}. Returns from members or from organisations that did not "
        "apply are left out and counted in the quality log"
        + (
            f"; {plural(c.ineligible, 'return')} from applicants the selection found ineligible "
            f"{plural_word(c.ineligible, 'is', 'are')} left out too"
            if c.ineligible
            else ""
        )
        + ". Shares carry Wilson 95% intervals and the gaps Newcombe's; "
        "each group's counts pass the small-number rule on their own. The lottery supports comparing "
        "the groups, not a precise estimate: non-response may favour the more active, the questions "
        "were not worded identically for both groups, and a drawn organisation that declined its "
        "place is counted among those not drawn."
    )
