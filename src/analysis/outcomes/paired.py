"""Year comparisons on the same members: who is compared, who is not, and whose figures rose or fell.

A change in network totals mixes what members did with who answered, so each comparison of the
run year (with the year before and with the baseline) is also made on the members who returned a
survey in both years only. Two protected tables say what that comparison is:

- who is compared: members who returned in both years, and the attrition (returned in the earlier
  year only: left the network or still a member; in the later year only: joined or a member who
  missed the earlier survey), in full: who joins, who leaves and who returns each year's survey
  are public under the membership policy (`disclosure.policy`), like the returns table;
- per measure, how many of the members who answered it in both years rose, stayed the same or
  fell, with that number as the total; the whole row is withheld when it is below `min_count`.

No paired mean, median, test or interval of members' figures is published: with a member or two
outside the pair, a paired total set against the published all-returns total would give that
member's figure away (`measures.comparison_basis`), and a test's p-value with a mean pins the
counts up and down (issue 15). Counts under the rule give nothing away that way.

Layer: protect. Imports the base layer, `analysis.disclosure` and the outcome measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import text
from analysis.disclosure import ProtectedTable, protect_counts
from analysis.disclosure.policy import IN_FULL_RULE
from analysis.outcomes.cells import in_full, label
from analysis.outcomes.measures import active_members, all_measures, answered_rows, returned

# The measures compared member by member (the advocacy kinds travel in their total).
PAIRED_MEASURES = (
    "ventures_started",
    "citizens_involved",
    "decisions_by_citizens",
    "partnerships_new",
    "joint_bids",
    "advocacy_actions",
    "budget_devolved_gbp",
    "funding_secured_gbp",
)
MOVES = ("Rose", "Stayed the same", "Fell")
ANSWERED_BOTH = "Answered in both years"
BOTH = "Returned a survey in both years"
# Who a comparison covers and who it leaves out (the earlier and later year of each pair).
ATTRITION_ROWS = {
    "both": BOTH,
    "left": "Returned in the earlier year only: left the network",
    "stayed": "Returned in the earlier year only: still a member",
    "joined": "Returned in the later year only: joined after the earlier year",
    "missed": "Returned in the later year only: a member that did not return the earlier survey",
}


def pairs_for(year: int, years: list[int], baseline: int) -> list[tuple[int, int]]:
    """The comparisons a run year makes: with the year before, and with the baseline when different."""
    out = []
    if year - 1 in years and year - 1 >= baseline:
        out.append((year - 1, year))
    if baseline in years and baseline < year - 1:
        out.append((baseline, year))
    return out


def attrition(surveys: pd.DataFrame, roster: pd.DataFrame, a: int, b: int) -> dict[str, int]:
    """Members who returned a survey in both years, and those who returned in only one, by why."""
    got_a, got_b = returned(surveys, a), returned(surveys, b)
    active_a, active_b = active_members(roster, a), active_members(roster, b)
    only_a, only_b = got_a - got_b, got_b - got_a
    return {
        "both": len(got_a & got_b),
        "left": len(only_a - active_b),
        "stayed": len(only_a & active_b),
        "joined": len(only_b - active_a),
        "missed": len(only_b & active_a),
    }


def moves(surveys: pd.DataFrame, a: int, b: int, members: set[str]) -> pd.DataFrame:
    """Per measure, `members` who answered it in both years whose figure rose, stayed or fell (raw)."""
    rows = {}
    for m in PAIRED_MEASURES:
        va = answered_rows(surveys, m, [a], members).set_index("org_id")[m]
        vb = answered_rows(surveys, m, [b], members).set_index("org_id")[m]
        both = va.index.intersection(vb.index)
        diff = vb[both] - va[both]
        rows[m] = {
            "Rose": int((diff > 0).sum()),
            "Stayed the same": int((diff == 0).sum()),
            "Fell": int((diff < 0).sum()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(MOVES))
    out.index.name = "measure"
    return out


@dataclass
class PairedComparison:
    """One pair of years compared on the same members: the raw counts and the published tables."""

    year_a: int
    year_b: int
    counts: dict[str, int]  # attrition, raw (internal)
    moves: pd.DataFrame  # raw (internal)
    table: Any  # ProtectedTable: rose / stayed / fell per measure

    @property
    def column(self) -> str:
        return f"{self.year_a} and {self.year_b}"

    @property
    def shown(self) -> bool:
        """Whether the rose/same/fell table publishes any member (a table of [c] is not shown)."""
        moves = self.table.values[list(MOVES)]
        return bool((moves.fillna(0) > 0).to_numpy().any())


def protect_moves(raw: pd.DataFrame, a: int, b: int, rules) -> ProtectedTable:
    """Rose / stayed / fell per measure, each row protected with its total (members answering both).

    Each row is its own one-way table (the total is the number of members), so the small-number
    rule and secondary suppression apply row by row; a row whose total is below `min_count` is
    withheld whole: nothing computed over fewer members is published.
    """
    cells: dict[str, dict[str, tuple]] = {}
    names = all_measures()
    for m, row in raw.iterrows():
        pt = protect_counts(
            row.to_frame(name="Members"),
            rules,
            caption=f"{label(names[m])}: members in both {a} and {b}",
            totals=True,
            total_label=ANSWERED_BOTH,
        )
        if rules.is_unsafe_count(float(row.sum())):
            pt = pt.withhold("Too few members answered in both years.")
        cells[label(names[m])] = {
            r: (pt.values.at[r, "Members"], pt.display.at[r, "Members"], str(pt.status.at[r, "Members"]))
            for r in (*MOVES, ANSWERED_BOTH)
        }
    return ProtectedTable.from_cells(
        cells,
        caption=f"Members who returned a survey in both {a} and {b}: whose figure rose, stayed the same or fell",
        rule=rules.sentence(),
        kind="count",
        index_name="Measure",
        notes=(
            f"Each row counts the members who answered the question in both {a} and {b}; a figure "
            "rose if the member reported more in the later year.",
            f"A row is withheld whole where {text.fewer_than(rules.min_count)} members answered in both "
            "years.",
            "Only counts are given: no average change, because set against the published totals it could "
            "reveal the figures of members outside the pair.",
        ),
    )


def protect_attrition(comparisons: list[PairedComparison]) -> ProtectedTable:
    """Who each comparison covers and who it leaves out, one column per pair, in full.

    Membership and survey returns are public (the membership policy; the returns table prints
    the same facts), and these rows count returns, never a member's answers; hiding them here
    would only contradict the returns table. The rows are not parts of one whole (a member can be
    in two rows of different columns), so there is no total.
    """
    cells = {
        name: {c.column: in_full(c.counts[key]) for c in comparisons} for key, name in ATTRITION_ROWS.items()
    }
    return ProtectedTable.from_cells(
        cells,
        index_name="Members",
        caption=f"Members compared year on year, {comparisons[0].year_b}: who returned a survey in both "
        "years of each comparison, and who did not",
        kind="count",
        rule=IN_FULL_RULE,
        notes=(
            "Earlier year: the first year of each pair; later year: the second. Changes on the same "
            "members use the first row only.",
        ),
    )


def compare_pairs(
    surveys: pd.DataFrame, roster: pd.DataFrame, year: int, years: list[int], baseline: int, rules
) -> tuple[list[PairedComparison], ProtectedTable | None]:
    """The run year's paired comparisons and the who-is-compared table (none in the baseline year)."""
    out = []
    for a, b in pairs_for(year, years, baseline):
        counts = attrition(surveys, roster, a, b)
        both = returned(surveys, a) & returned(surveys, b)
        raw = moves(surveys, a, b, both)
        out.append(PairedComparison(a, b, counts, raw, protect_moves(raw, a, b, rules)))
    if not out:
        return [], None
    return out, protect_attrition(out)
