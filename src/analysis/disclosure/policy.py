"""The publication's stated policies, worded once: what each symbol means and who is public.

Every document that prints a symbol explains it in its end matter from `SYMBOLS`, and every
brief and appendix states the membership policy with `membership_policy()`, so a reader meets
one wording everywhere (docs/DISCLOSURE.md gives the reasons). Imports only `analysis.text`.
"""

from __future__ import annotations

import re

from analysis.text import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED

LIKE_FOR_LIKE = "†"  # a change over the members who answered in both years

# The GSS symbols (as in the spreadsheet's notes sheet) and the project's one extra mark.
GSS_SYMBOLS = {
    SUPPRESSED: "Confidential: withheld to protect the organisations it would describe.",
    NOT_AVAILABLE: "Not available: the figure was not collected or cannot be worked out.",
    NOT_APPLICABLE: "Not applicable: the figure has no meaning for this row or column.",
}
SYMBOLS = {**GSS_SYMBOLS, LIKE_FOR_LIKE: "Like-for-like: only the members who answered in both years."}

_SYMBOL_PATTERNS = {s: re.compile(re.escape(s)) for s in SYMBOLS}


def symbols_in(text: str) -> list[str]:
    """The symbols of `SYMBOLS` that `text` uses, in the order of `SYMBOLS`."""
    return [s for s, pattern in _SYMBOL_PATTERNS.items() if pattern.search(text)]


def symbol_line(symbol: str) -> str:
    """'[c] Confidential: …': the explanation a document gives of a symbol it uses."""
    return f"{symbol} {SYMBOLS[symbol]}"


# The rule of the tables that count members and survey returns (public under the policy below).
IN_FULL_RULE = (
    "Counts of members and of survey returns are shown in full, under the membership policy below; "
    "no figure is given for an individual member."
)


def membership_policy() -> str:
    """The membership policy as one short paragraph, printed in every brief and appendix."""
    return (
        "Membership is public: the network announces its members, the nation and region of each, who "
        "joins and who leaves, and how many return each year's survey. "
        "Members' own answers and outcomes are not: they are published only under the rule above, "
        "never in a form that singles out one member."
    )


def split_reason(n: int, min_count: int, groups: int = 2) -> str:
    """Why a count of `n` members split into `groups` groups is withheld, in words a reader can check.

    With fewer than `groups` × `min_count` members, one group of any split is below the rule, so
    the reason is arithmetic and reveals nothing; with more, the plain rule is the reason.
    """
    if n < groups * min_count:
        many = {2: "two", 3: "three"}.get(groups, str(groups))
        return (
            f"with {n} members, a split into {many} groups always leaves one smaller than {min_count}, "
            "the smallest group this publication shows"
        )
    return "to protect individual members under the small-number rule"
