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


def membership_policy() -> str:
    """The membership policy as one short paragraph, printed in every brief and appendix."""
    return (
        "Membership is public: the network announces its members, the nation and region of each, who "
        "joins and who leaves, and how many return each year's survey. "
        "Members' own answers and outcomes are not: they are published only under the rule above, "
        "never in a form that singles out one member."
    )
