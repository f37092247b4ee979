"""The appendix's one sentence on comparing the same members, from the published who-is-compared table.

Layer: present. Imports the base layer and `outcomes.paired`.
"""

from __future__ import annotations

from analysis import text
from analysis.outcomes.paired import BOTH, PairedComparison


def paired_sentence(comparisons: list[PairedComparison], attrition) -> str:
    """How many members each comparison covers, and where the attrition and the moves are counted.

    The numbers compared are membership facts, public under the membership policy.
    """
    if not comparisons or attrition is None:
        return ""
    shown = [
        f"{text.plural(attrition.values.at[BOTH, c.column], 'member')} in both {c.year_a} and {c.year_b}"
        for c in comparisons
    ]
    lead = f"On the same members: {text.list_in_sentence(shown)} returned a survey"
    tables = [c.column for c in comparisons if c.shown]
    withheld = [c.column for c in comparisons if not c.shown]
    moves = (
        f", and for {text.list_in_sentence(tables, 'and for')} a table counts, for each measure, the members "
        "whose figure rose, stayed the same or fell, under the small-number rule"
        if tables
        else ""
    )
    if withheld:
        moves += (
            f" (for {text.list_in_sentence(withheld, 'and for')} every such count is withheld under that rule, "
            "so no table is shown)"
            if tables
            else f"; for {text.list_in_sentence(withheld, 'and for')} every count of members whose figure rose, "
            "stayed the same or fell is withheld under the small-number rule, so no table is shown"
        )
    return f"{lead}; the table of members compared counts those each comparison leaves out (who left, joined or missed a survey){moves}."
