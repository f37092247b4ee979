"""The one formatter: exact strings for every kind of published number."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import text


@pytest.mark.parametrize(
    ("value", "kind", "decimals", "expected"),
    [
        (1234, "count", None, "1,234"),
        (2.5, "count", None, "2"),  # whole counts round half to even, as Python does
        (72200, "money", None, "£72,200"),
        (-1200.4, "money", None, "-£1,200"),
        (1234.5, "money", 2, "£1,234.50"),
        (0.156, "share", None, "16%"),
        (0.156, "share", 1, "15.6%"),
        (0.25, "probability", None, "25%"),
        (3.3836, "rate", None, "3.4"),
        (1.5666, "index", 2, "1.57"),
        (48.7, "mean", None, "48.7"),
        (None, "count", None, "[x]"),
        (math.nan, "share", None, "[x]"),
        (pd.NA, "money", None, "[x]"),
    ],
)
def test_format_value(value, kind, decimals, expected):
    assert text.format_value(value, kind, decimals=decimals) == expected


def test_rate_is_a_number_not_a_percentage():
    # "rate" once meant a percentage in charts and a one-decimal number in tables.
    assert text.format_value(2.2, "rate") == "2.2"
    assert not text.format_value(2.2, "rate").endswith("%")


def test_percent_helpers_agree():
    assert text.percent(0.04) == "4%"
    assert text.percent_points(52.4) == "52%"
    assert text.percent_of(16, 100) == "16%"
    assert text.percent_of(1, 0) is None and text.percent_of(None, 5) is None


def test_words():
    assert text.plural(1, "member") == "1 member"
    assert text.plural(3, "member") == "3 members"
    assert text.plural(2, "body", "bodies") == "2 bodies"
    assert text.plural(1500, "organisation") == "1,500 organisations"
    assert text.list_in_sentence(["Wales"]) == "Wales"
    assert text.list_in_sentence(["Wales", "Scotland"]) == "Wales and Scotland"
    assert text.list_in_sentence(["A", "B", "C"], "or") == "A, B or C"
    assert text.list_in_sentence([]) == ""
    assert text.fewer_than(5, "organisations") == "fewer than 5 organisations"
    assert text.signed_change(3) == "+3" and text.signed_change(-1200, "money") == "-£1,200"
    assert text.signed_change(0) == "0"
    assert text.capitalise("the North East") == "The North East"
    assert text.number(80.0) == "80" and text.number(0.8) == "0.8"


def test_every_hidden_status_has_one_symbol():
    assert {text.STATUS_SYMBOLS[s] for s in ("primary", "secondary", "dominance")} == {"[c]"}
    assert text.STATUS_SYMBOLS["na"] == "[x]" and text.STATUS_SYMBOLS["z"] == "[z]"


def test_count_of_a_whole():
    assert text.count_of(12, 12) == "all 12"
    assert text.count_of(9, 12) == "9 of the 12"
    assert text.count_of(0, 4) == "0 of the 4"


def test_small_numbers_in_words():
    assert text.in_words(3) == "three" and text.in_words(0) == "zero"
    assert text.in_words(12) == "12" and text.in_words(1500) == "1,500"
    assert text.fewer_than_in_words(3, "members") == "fewer than three members"
    assert text.plural_word(1, "is", "are") == "is" and text.plural_word(2, "is", "are") == "are"
    assert text.plural_word(2, "member") == "members"


def test_fewer_than_without_a_noun_reads_as_a_bare_threshold():
    assert text.fewer_than(5) == "fewer than 5"
    assert text.fewer_than(3, "members") == "fewer than 3 members"


def test_no_percentage_change_on_a_base_under_20():
    assert text.percent_change(5, 13) is None
    assert text.percent_change(19, 40) is None
    assert text.percent_change(20, 30) == "+50%"
    assert text.percent_change(40, 30) == "-25%"
    assert text.change_words(5, 13, since="2024") == "up 8 since 2024, from 5 to 13"
    assert text.change_words(30, 42) == "up 12 (+40%), from 30 to 42"
    assert text.change_words(9, 9, since="2025") == "unchanged since 2025 at 9"
    assert text.change_words(12000, 9000, "money") == "down £3,000 (-25%), from £12,000 to £9,000"


def test_per_member_rates_carry_their_n():
    assert text.per_member(13, 10) == "1.3 per member, n = 10"
    assert text.per_member(45000, 9, "money") == "£5,000 per member, n = 9"
    assert text.interval(0.04, 0.21, "share") == "95% interval 4% to 21%"
