"""The brief's sentences on how the callout export was cleaned: counts under the tables' rule,
and a hidden one named as withheld rather than opened with a bare "[c]"."""

from __future__ import annotations

import re

import pytest

from analysis.disclosure import DisclosureRules
from analysis.intake_text import intake_sentences

RULES = DisclosureRules(min_count=5)


def _quality(*, superseded=10, rejected=6, unmatched=7, outside=0, refused=0, received=200) -> dict:
    kept = received - superseded - rejected
    return {
        "tables": {
            "callout": {
                "received": received,
                "kept": kept,
                "superseded": superseded,
                "rejected": rejected,
                "corrections": {
                    "postcode_invalid": unmatched,
                    "outside_uk": outside,
                    "no_research_consent": refused,
                },
            }
        }
    }


def _text(**counts) -> str:
    return " ".join(intake_sentences(_quality(**counts), RULES))


@pytest.mark.parametrize(
    "outside, refused",
    [(1, 2), (1, 9), (9, 1), (0, 3), (4, 0)],
)
def test_no_sentence_opens_on_a_symbol_and_no_small_count_is_printed(outside, refused):
    sentences = intake_sentences(_quality(unmatched=2, outside=outside, refused=refused), RULES)
    assert not any(s.startswith("[") for s in sentences)
    text = " ".join(sentences)
    assert "[c] organisations" not in text and "[c] postcodes" not in text
    for n in {outside, refused, 2} - {0} - {9}:
        assert not re.search(rf"\b{n} (organisation|postcode)", text), n
    assert "fewer than" not in text.lower()


def test_shown_counts_keep_their_wording():
    text = _text(outside=9, refused=12)
    assert "7 postcodes could not be matched to a place, so the region the organisation chose" in text
    assert (
        "9 organisations were outside the UK (Channel Islands or Isle of Man) and left out of UK figures."
        in text
    )
    assert "12 organisations did not agree to their answers being used for research and are left out" in text
    assert "withheld" not in text


@pytest.mark.parametrize(
    "counts, withheld, shown",
    [
        (
            {"outside": 2, "refused": 12},
            "Organisations outside the UK (Channel Islands or Isle of Man) were left out of UK figures; "
            "how many is withheld ([c]).",
            "12 organisations did not agree",
        ),
        (
            {"outside": 9, "refused": 1},
            "Organisations that did not agree to their answers being used for research are left out of the "
            "statistics; how many is withheld ([c]).",
            "9 organisations were outside the UK",
        ),
        (
            {"unmatched": 3, "outside": 9, "refused": 9},
            "Where a postcode could not be matched to a place, the region the organisation chose on the form "
            "was used instead; how many is withheld ([c]).",
            "9 organisations did not agree",
        ),
    ],
)
def test_a_hidden_count_is_named_as_withheld_beside_the_shown_ones(counts, withheld, shown):
    text = _text(**counts)
    assert withheld in text and shown in text
    assert text.count("withheld") == 1


def test_both_hidden_share_one_sentence():
    text = _text(outside=1, refused=3)
    assert "both numbers are withheld ([c])" in text
    assert text.count("withheld") == 1


def test_small_parts_of_the_shown_total_are_given_as_their_sum():
    text = _text(superseded=3, rejected=9)
    assert "The callout export held 200 responses; 12 responses were earlier versions" in text
    assert "3 responses" not in text and "9 responses" not in text
    assert "leaving 188 organisations." in text


def test_one_of_each_agrees_in_number():
    text = _text(superseded=5, rejected=5, outside=5, refused=5, unmatched=5, received=11)
    assert "5 responses were earlier versions" in text and "leaving 1 organisation." in text
    one = " ".join(intake_sentences(_quality(outside=1, refused=1), DisclosureRules(min_count=1)))
    assert "1 organisation was outside the UK" in one
    assert "1 organisation did not agree to its answers being used for research and is left out" in one
