"""What the joint protection of the whole publication hides, found from the year's saved findings.

`publish.plan.check_publication` builds the year's plan from the findings; `Places` records where
each key stands: the data file, the table, and off the record the cell's origin and, when it is
hidden, its true value (from `internal/findings/<area>.truth.json`, never published). When the
plan's audit fails, `propose` runs `disclosure.joint.solve` over the whole plan (this year and
every other published year) and returns the cells, by area and origin, that the areas' protection must
hide too; the run (`analysis.joint_rounds`) saves them in `internal/joint-hides.json` and reruns
the notebooks, whose protection then hides them and re-solves each table around them. Imports
`analysis.disclosure` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.disclosure import DisclosureRules, ProtectedTable
from analysis.disclosure.joint import solve
from analysis.disclosure.plan import PublicationPlan, describe_key


@dataclass(frozen=True)
class Place:
    """One cell of one published table that stands for a key of the plan."""

    place: str  # "<year> data/<file>.csv"
    area: str  # whose findings hold the table
    caption: str
    origin: str | None  # the caption and labels it was protected under; None: not from a protection
    truth: float | None  # its true value when hidden and known (internal)


class Places:
    """Where each key of the year's plan stands: {key: [Place, ...]}."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, list[Place]] = {}

    def add(self, key: tuple, place: str, table: ProtectedTable, row, column, *, area: str) -> None:
        origin = None if table.origin is None else table.origin.loc[row, column]
        origin = None if origin is None or pd.isna(origin) else str(origin)  # none: public, never hidden
        truth = None if table.truth is None else table.truth.loc[row, column]
        truth = None if truth is None or pd.isna(truth) else float(truth)
        self.by_key.setdefault(key, []).append(Place(place, area, table.caption, origin, truth))


@dataclass
class Proposal:
    """The cells the joint protection would hide (by origin), described for a reader of the run."""

    hides: frozenset[tuple[str, str]] = frozenset()  # (area, origin)
    cells: list[str] = field(default_factory=list)  # "what, in 'table' (data file)"
    tables: frozenset[str] = frozenset()  # captions of the tables the hides are in
    stuck: list[str] = field(default_factory=list)

    def text(self) -> str:
        if self.stuck:
            return "  The joint protection cannot fix this by hiding more cells: " + "; ".join(self.stuck)
        if not self.hides:
            return "  The joint protection found no further cell to hide."
        listed = "\n".join(f"    - {c}" for c in self.cells[:20])
        more = f"\n    … and {len(self.cells) - 20} more" if len(self.cells) > 20 else ""
        return (
            f"  The joint protection would hide {len(self.hides)} more cell(s) in {len(self.tables)} "
            f"table(s):\n{listed}{more}"
        )


def propose(
    whole: PublicationPlan, year: int, places: Places, rules: DisclosureRules, revisions_noted: bool = False
) -> Proposal:
    """The cells this year must hide too so that `whole` (this year with every other year) protects.

    Revisions the year's settings do not note are settled first: hiding cells cannot settle them.
    """
    if not revisions_noted and whole.revisions():
        return Proposal(stuck=["counts printed differently by two years' publications must be settled first"])
    this = f"{year} "
    truth: dict[tuple, float] = {}
    hideable = set()
    for key, where in places.by_key.items():
        known = [p.truth for p in where if p.truth is not None]
        if known:
            truth[key] = known[0]
        printed = set(whole.cells[key].printed)
        can_hide = {p.place for p in where if p.origin is not None}
        if printed and all(p.startswith(this) for p in printed) and printed <= can_hide:
            hideable.add(key)
    try:
        result = solve(whole, year, truth, hideable, rules)
    except RuntimeError as exc:  # an LP the solver could not finish
        return Proposal(stuck=[str(exc)])
    if result.stuck:
        return Proposal(stuck=result.stuck)
    hides, cells, tables = set(), [], set()
    for key in sorted(result.hide, key=repr):
        printed = whole.cells[key].printed
        for p in places.by_key[key]:
            if p.place in printed and p.origin is not None:
                hides.add((p.area, p.origin))
                tables.add(p.caption)
                cells.append(f"{describe_key(key)}, in '{p.caption}' ({p.place.partition(' ')[2]})")
    return Proposal(hides=frozenset(hides), cells=cells, tables=frozenset(tables))
