"""How the callout export became the applicants analysed, in sentences for the brief.

The counts come from the quality log and follow the tables' small-number rule, or the
appendices' hidden cells could be read off the brief. A hidden count is not written as a bare
"[c] organisations" at the head of a sentence, which officials read as a typo (GSS guidance keeps
symbols to tables): the sentence says what was done and that how many is withheld. A total
minus a shown part gives the other part, so two small parts of a shown total are given as their
sum. Present layer: imports the disclosure rules' type and the base layer's text helpers.
"""

from __future__ import annotations

from analysis import text
from analysis.disclosure import DisclosureRules
from analysis.text import SUPPRESSED

WITHHELD = f"how many is withheld ({SUPPRESSED})"


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def _flow(callout: dict, rules: DisclosureRules) -> str:
    """Received, replaced or unusable, kept."""
    superseded, rejected = callout["superseded"], callout["rejected"]
    received = text.plural(callout["received"], "response")
    kept = text.plural(callout["kept"], "organisation")
    if rules.is_unsafe_count(superseded) or rules.is_unsafe_count(rejected):
        # Received minus kept is known, so one exact part would give the other away: one sum.
        dropped = superseded + rejected
        return (
            f"The callout export held {received}; {text.plural(dropped, 'response')} {_was(dropped)} earlier "
            "versions replaced by a later amendment from the same organisation or could not be used (for "
            f"example, no organisation name), leaving {kept}."
        )
    return (
        f"The callout export held {received}. {_cap(text.plural(superseded, 'response'))} {_was(superseded)} "
        "earlier versions replaced by a later amendment from the same organisation, and "
        f"{text.plural(rejected, 'response')} could not be used (for example, no organisation name), leaving {kept}."
    )


def _postcodes(unmatched: int, rules: DisclosureRules) -> str:
    if rules.is_unsafe_count(unmatched):
        return (
            "Where a postcode could not be matched to a place, the region the organisation chose on the form "
            f"was used instead; {WITHHELD}."
        )
    return (
        f"{_cap(text.plural(unmatched, 'postcode'))} could not be matched to a place, so the region the "
        "organisation chose on the form was used instead."
    )


def _left_out(outside: int, refused: int, rules: DisclosureRules) -> list[str]:
    """Outside the UK, and declining research use: each a count, or what was done and a withheld number."""
    place = "outside the UK (Channel Islands or Isle of Man)"
    hide_outside, hide_refused = rules.is_unsafe_count(outside), rules.is_unsafe_count(refused)
    if hide_outside and hide_refused:
        return [
            f"Organisations {place} were left out of UK figures, and those that did not agree to their answers "
            f"being used for research are left out of the statistics; both numbers are withheld ({SUPPRESSED})."
        ]
    sentences = [
        f"Organisations {place} were left out of UK figures; {WITHHELD}."
        if hide_outside
        else f"{_cap(text.plural(outside, 'organisation'))} {_was(outside)} {place} and left out of UK figures."
    ]
    if hide_refused:
        sentences.append(
            "Organisations that did not agree to their answers being used for research are left out of the "
            f"statistics; {WITHHELD}."
        )
    else:
        one = refused == 1
        sentences.append(
            f"{_cap(text.plural(refused, 'organisation'))} did not agree to {'its' if one else 'their'} answers "
            f"being used for research and {'is' if one else 'are'} left out of the statistics."
        )
    return sentences


def intake_sentences(quality: dict, rules: DisclosureRules) -> list[str]:
    """The callout's flow, the postcodes placed by the form, and who was left out, from the quality log."""
    callout = quality["tables"]["callout"]
    c = callout["corrections"]
    unmatched = sum(c.get(k, 0) for k in ("postcode_invalid", "postcode_not_found", "postcode_missing"))
    return [
        _flow(callout, rules),
        _postcodes(unmatched, rules),
        *_left_out(c.get("outside_uk", 0), c.get("no_research_consent", 0), rules),
    ]
