"""Progress against members' own aims: the participation level each said in the callout it wanted
to reach by the end of 2026, against where it says it is in this year's member survey.

Members set their own targets, so "reached its aim" is the measure they asked to be judged on.
Counts of members are protected like every table (a small count reads [c], as in the tables),
and members with no return this year or no stated aim are counted, not dropped.

Layer: present. Imports the base layer, `analysis.disclosure` and readiness `measures`.
"""

from __future__ import annotations

import pandas as pd

from analysis import text
from analysis.disclosure import DisclosureRules, ProtectedTable, protect_frequencies
from analysis.disclosure.policy import split_reason
from analysis.readiness.measures import active_members, paired_values

REACHED = "Reached or passed their aim"
NOT_YET = "Not yet at their aim"
UNKNOWN = "No return this year or no aim stated"


def aims_progress(
    applicants: pd.DataFrame, surveys: pd.DataFrame, roster: pd.DataFrame, year: int
) -> pd.Series:
    """Active members by progress against the level they aimed for by the end of 2026."""
    members = active_members(roster, year)
    aims = pd.to_numeric(
        applicants.drop_duplicates("org_id", keep="last").set_index("org_id")["level_target_2026"],
        errors="coerce",
    ).reindex(pd.Index(members, name="org_id"))
    now = pd.to_numeric(paired_values(surveys, "level_now", year, year, members)["now"], errors="coerce")
    known = aims.notna() & now.notna()
    reached = known & (now >= aims)
    out = pd.Series(
        {REACHED: int(reached.sum()), NOT_YET: int((known & ~reached).sum()), UNKNOWN: int((~known).sum())},
        name="Members",
    )
    out.index.name = f"Participation level in {year} against the member's own aim for 2026"
    return out


def protect_aims(progress: pd.Series, rules: DisclosureRules, year: int) -> ProtectedTable:
    return protect_frequencies(
        progress,
        rules,
        caption=f"Members' progress against their own 2026 aim on the participation spectrum, {year}",
    )


def aims_counts(table: ProtectedTable) -> dict[str, int]:
    """The counts the aims sentence prints (for the publication plan): the members ("total"),
    those at or above their aim ("reached") when published, else those who stated an aim and
    returned this year's survey ("known") when that is more than none; {} when no sentence."""
    col = table.values.columns[0]
    total = table.values[col].get("Total")
    if text.is_missing(total) or not total:
        return {}
    reached = table.values[col].get(REACHED)
    if not text.is_missing(reached):
        return {"total": int(total), "reached": int(reached)}
    unknown = table.values[col].get(UNKNOWN)
    known = None if text.is_missing(unknown) else int(total - unknown)
    return {"total": int(total), **({"known": known} if known else {})}


def aims_message(table: ProtectedTable, rules: DisclosureRules, year: int) -> str | None:
    """ "In 2026, 6 of the 9 members were at or above the level they aimed for"; when that count is
    withheld, who stated an aim and the one reason it is withheld (never a bare [c] beside the total)."""
    counts = aims_counts(table)
    if not counts:
        return None
    total = counts["total"]
    if "reached" in counts:
        return (
            f"In {year}, {text.count(counts['reached'])} of the {text.count(total)} members were at or above the "
            "participation level they said, when they applied, they aimed to reach by 2026."
        )
    known = counts.get("known")
    if not known:
        return (
            f"In {year}, how many of the {text.count(total)} members had reached the participation level "
            "they aimed for by 2026 is withheld to protect individual members."
        )
    who = (
        f"All {text.count(total)} members"
        if known == total
        else f"{text.count(known)} of the {text.count(total)} members"
    )
    return (
        f"{who} in {year} had stated, when they applied, the participation level they aimed to reach by "
        f"2026 and returned this year's survey; how many have reached it is withheld: "
        f"{split_reason(known, rules.min_count)}."
    )
