"""The one formatter: how every published number and list reads, in tables, charts and sentences.

Counts, percentages, money, rates, changes, plurals, lists, the GSS symbols ("[c]", "[x]", "[z]")
and the small-number wording live here only, so a table cell and the sentence quoting it can
never disagree. Pure functions over numbers and strings. Layer: base (imports nothing from
`analysis`); the disclosure layer formats its display cells with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

SUPPRESSED = "[c]"  # confidential: withheld to protect organisations
NOT_AVAILABLE = "[x]"  # not available
NOT_APPLICABLE = "[z]"  # not applicable

# A cell's disclosure status → the symbol printed instead of its value (None: print the value).
STATUS_SYMBOLS = {
    "primary": SUPPRESSED,
    "secondary": SUPPRESSED,
    "dominance": SUPPRESSED,
    "na": NOT_AVAILABLE,
    "z": NOT_APPLICABLE,
}

# Kinds of published value. "rate" is a number with one decimal place (per million, per member);
# "share" and "probability" are fractions printed as percentages.
KINDS = ("count", "money", "share", "rate", "mean", "probability", "index", "other")


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA all mean "no published value"."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pandas.NA refuses truth tests
        return True


def format_value(value: float | None, kind: str, *, decimals: int | None = None) -> str:
    """One published number as the brief prints it (thousands separators, £, %).

    A missing value is "[x]"; a value withheld by disclosure control never reaches here as a
    number (its cell prints `STATUS_SYMBOLS[status]`).
    """
    if is_missing(value):
        return NOT_AVAILABLE
    value = float(value)
    if kind == "count":
        return count(value)
    if kind == "money":
        return money(value, decimals=0 if decimals is None else decimals)
    if kind in ("share", "probability"):
        return percent(value, 0 if decimals is None else decimals)
    d = 1 if decimals is None else decimals
    return f"{value:,.{d}f}"


def count(value: float) -> str:
    """A whole count with thousands separators: 1,234."""
    return f"{int(round(float(value))):,}"


def money(value: float, decimals: int = 0) -> str:
    """Pounds with thousands separators: £72,200 (and -£1,200)."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(float(value)):,.{decimals}f}"


def percent(share: float, digits: int = 0) -> str:
    """A share (0.04) as a percentage: "4%" (GOV.UK style, no space before %)."""
    return f"{100 * float(share):,.{digits}f}%"


def percent_points(value: float, digits: int = 0) -> str:
    """A value already in percentage points (52.5) as "52%" (charts draw shares as points)."""
    return f"{float(value):,.{digits}f}%"


def percent_of(part: float | None, whole: float | None, digits: int = 0) -> str | None:
    """`part` as a percentage of `whole`, or None when either is missing or the whole is 0."""
    if is_missing(part) or is_missing(whole) or not whole:
        return None
    return percent(float(part) / float(whole), digits)


def signed_change(diff: float, kind: str = "count") -> str:
    """A change with its sign: "+3", "-£1,200", "0"."""
    sign = "+" if diff > 0 else ("-" if diff < 0 else "")
    return sign + format_value(abs(diff), kind)


def number(value: float) -> str:
    """A setting or threshold as written: 5, 0.8, 3.5 (no trailing zeros)."""
    return f"{float(value):g}"


def plural(n: float, one: str, many: str | None = None) -> str:
    """ "1 member", "3 members", "2 bodies" (give `many` when adding "s" is wrong)."""
    word = one if int(n) == 1 else (many or one + "s")
    return f"{count(n)} {word}"


def list_in_sentence(items: Iterable[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (no Oxford comma, GOV.UK style)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def fewer_than(threshold: int, noun: str = "") -> str:
    """ "fewer than 5 organisations" (or "fewer than 5"): a small count that is not given exactly."""
    return f"fewer than {int(threshold)} {noun}".rstrip()


def capitalise(text: str) -> str:
    """First letter upper-case, the rest untouched ("the North East" → "The North East")."""
    return text[:1].upper() + text[1:]


def count_of(part: float, whole: float) -> str:
    """ "all 12" or "9 of the 12": how much of a known whole a count covers."""
    return f"all {count(whole)}" if part == whole else f"{count(part)} of the {count(whole)}"


_SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(n: int) -> str:
    """A whole number in running text: "three" below ten, figures from 10 on ("12")."""
    n = int(n)
    return _SMALL_NUMBERS[n] if 0 <= n < len(_SMALL_NUMBERS) else count(n)


def fewer_than_in_words(threshold: int, noun: str) -> str:
    """ "fewer than three members": `fewer_than` for sentences that spell small numbers out."""
    return f"fewer than {in_words(threshold)} {noun}"


def plural_word(n: float, one: str, many: str | None = None) -> str:
    """The word alone that agrees with `n` ("is"/"are", "member accounts"/"members account")."""
    return one if int(n) == 1 else (many or one + "s")


# A percentage change on a small base misleads ("up 160%" from 5 to 13): below this base the
# change is given as counts ("up 8, from 5 to 13") instead. The OSR reviewers' threshold.
MIN_PERCENT_BASE = 20


def percent_change(before: float | None, after: float | None, digits: int = 0) -> str | None:
    """ "+40%" from `before` to `after`, or None when the base is missing, zero or under 20."""
    if is_missing(before) or is_missing(after) or abs(float(before)) < MIN_PERCENT_BASE:
        return None
    pct = (float(after) - float(before)) / abs(float(before))
    return ("+" if pct > 0 else "") + percent(pct, digits)


def change_words(before: float, after: float, kind: str = "count", since: str | None = None) -> str:
    """A change in running text, the one wording used everywhere.

    "up 8, from 5 to 13" on a base under `MIN_PERCENT_BASE`; "up 12 (+40%), from 30 to 42" on
    a larger one; "unchanged at 9". `since` adds the year compared with ("up 8 since 2024, from
    5 to 13").
    """
    diff = float(after) - float(before)
    when = f" since {since}" if since else ""
    if not diff:
        return f"unchanged{when} at {format_value(after, kind)}"
    pct = percent_change(before, after)
    amount = format_value(abs(diff), kind) + (f" ({pct})" if pct else "")
    return (
        f"{'up' if diff > 0 else 'down'} {amount}{when}, "
        f"from {format_value(before, kind)} to {format_value(after, kind)}"
    )


def per_member(total: float, members: int, kind: str = "rate") -> str:
    """A per-member rate with its n: "1.3 per member, n = 10"; money per member as £."""
    value = float(total) / members if members else None
    shown = format_value(value, "money" if kind == "money" else "rate")
    return f"{shown} per member, n = {count(members)}"


def interval(low: float, high: float, kind: str = "rate", level: float = 0.95) -> str:
    """ "95% interval 0.8 to 2.1": an interval as the brief prints it."""
    return f"{percent(level)} interval {format_value(low, kind)} to {format_value(high, kind)}"


# The one name for the group every section analyses, so a reader meets one denominator in the
# same words everywhere (the selection alone counts every organisation that applied).
ANALYSED_GROUP = "UK-based organisations that agreed to research use"


def analysed(n: float) -> str:
    """ "the 146 UK-based organisations that agreed to research use"."""
    return f"the {count(n)} {ANALYSED_GROUP}"


def denominators(applied: float, analysed_n: float) -> str:
    """Said once, on page 1: who applied and who the statistics describe."""
    return f"{count(applied)} organisations applied; {analysed(analysed_n)} are analysed."
