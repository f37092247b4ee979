"""The publication plan: every count a publication prints or hides, linked, and audited as one.

Each area protects its own tables, linked where it knows the links. A reader links more: the
same count in another document or another year's publication, a nation that is the sum of its
regions, one table's total printed as another's row. The plan holds every count cell of every
published table under a key naming what it counts (a population and its dimensions, e.g.
``("UK applicants", {"area": "Wales", "membership": "member"})``), so a cell printed in one
table and hidden in another is one unknown, and the linear relations between keys (totals,
area hierarchies) are equations over the whole publication. Published years' plans are loaded
as constraints, so a year can never reveal what another year hid.

`audit` is the intruder's view of the whole plan, without the true values (as an intruder has
none): a key hidden in one place and printed in another fails; every hidden key's feasible
interval (the linear programs of `audit.intervals`) must not pin it, put it inside
1 … `min_count` − 1, or be narrower than the protection level of the smallest non-zero value
it allows. The run stops on any failure, naming the tables.

Statistics (`disclosure.statistics`) are kept with their n and base key: one over fewer than
`min_count` organisations or on a hidden base fails, and a printed share of a printed base
bounds the count behind it in the LP. Published rules that bound a count without an equation
(the selection quotas: "at least 1 member from every nation") are `bounds`, used by the LP too.

Imports `disclosure.audit`, `.rules` and `.statistics` only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.disclosure.audit import TOL, System, intervals
from analysis.disclosure.rules import DisclosureRules
from analysis.disclosure.statistics import Statistic, share_bounds, share_conflicts, statistic_problems

PLAN_VERSION = 3  # 2: statistics; 3: bounds
READABLE_VERSIONS = (1, 2, PLAN_VERSION)  # an older plan (no statistics, no bounds) still constrains others


def cell_key(population: str, dims: Mapping[str, str] | None = None) -> tuple:
    """The key of the count of `population` with the given dimension values (order-free)."""
    return (str(population), tuple(sorted((str(k), str(v)) for k, v in (dims or {}).items())))


def describe_key(key: tuple) -> str:
    population, dims = key
    return population + ("" if not dims else " (" + ", ".join(f"{k}: {v}" for k, v in dims) + ")")


def describe_places(places: Iterable[str]) -> str:
    """Places grouped by what they are, years together: "data/a.csv (2024, 2025); data/b.csv (2024)"."""
    years: dict[str, list[str]] = {}
    for place in sorted(set(places)):
        year, _, rest = place.partition(" ")
        if year.isdigit() and rest:
            years.setdefault(rest, []).append(year)
        else:
            years.setdefault(place, [])
    return "; ".join(f"{what} ({', '.join(ys)})" if ys else what for what, ys in years.items())


@dataclass
class Cell:
    """One count of the plan: its printed value (None while hidden everywhere) and where it stands."""

    printed: dict[str, float] = field(default_factory=dict)  # place -> value printed there
    hidden: list[str] = field(default_factory=list)  # places where it reads [c]


@dataclass
class PublicationPlan:
    """Every count of a publication (one year, or several loaded together) and their relations."""

    cells: dict[tuple, Cell] = field(default_factory=dict)
    equations: list[dict[tuple, float]] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    bounds: dict[tuple, tuple[float, float]] = field(default_factory=dict)  # key -> (lo, hi) a rule states
    bound_places: dict[tuple, list[str]] = field(default_factory=dict)  # key -> where the rule is printed

    def add_bound(self, key: tuple, lo: float = 0.0, hi: float = math.inf, place: str = "") -> None:
        """Record that a published rule puts `key` between `lo` and `hi` (intersected with any other)."""
        old = self.bounds.get(key, (0.0, math.inf))
        self.bounds[key] = (max(old[0], float(lo)), min(old[1], float(hi)))
        places = self.bound_places.setdefault(key, [])
        if place and place not in places:
            places.append(place)

    def add_statistic(self, statistic: Statistic) -> None:
        """Record a printed statistic (see `disclosure.statistics`)."""
        if statistic not in self.statistics:
            self.statistics.append(statistic)

    def add(self, key: tuple, value: float | None, place: str) -> None:
        """Record that `place` prints `value` for `key` (None: it shows the key as hidden)."""
        cell = self.cells.setdefault(key, Cell())
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if place not in cell.hidden:
                cell.hidden.append(place)
        else:
            cell.printed.setdefault(place, float(value))

    def add_sum(self, total: tuple, parts: Iterable[tuple]) -> None:
        """Record total = sum(parts); keys not printed or hidden anywhere become unknowns."""
        eq: dict[tuple, float] = {total: -1.0}
        for part in parts:
            eq[part] = eq.get(part, 0.0) + 1.0
        eq = {k: c for k, c in eq.items() if c != 0}
        if len(eq) > 1 and eq not in self.equations:
            self.equations.append(eq)

    def merge(self, other: PublicationPlan) -> None:
        """Add another plan's cells and relations (e.g. another published year)."""
        for key, cell in other.cells.items():
            for place, value in cell.printed.items():
                self.add(key, value, place)
            for place in cell.hidden:
                self.add(key, None, place)
        for eq in other.equations:
            if eq not in self.equations:
                self.equations.append(eq)
        for statistic in other.statistics:
            self.add_statistic(statistic)
        for key, (lo, hi) in other.bounds.items():
            for place in other.bound_places.get(key) or [""]:
                self.add_bound(key, lo, hi, place)

    # ---- storage: reports/<year>/internal/plan.json ---------------------------------------
    def to_json(self) -> str:
        cells = [
            {
                "population": key[0],
                "dims": dict(key[1]),
                "printed": dict(sorted(cell.printed.items())),
                "hidden": sorted(cell.hidden),
            }
            for key, cell in sorted(self.cells.items(), key=lambda kv: repr(kv[0]))
        ]
        equations = [
            sorted(([k[0], dict(k[1]), c] for k, c in eq.items()), key=repr) for eq in self.equations
        ]
        statistics = [s.to_json() for s in self.statistics]
        bounds = [
            {
                "population": k[0],
                "dims": dict(k[1]),
                "lo": lo,
                "hi": None if math.isinf(hi) else hi,
                "places": sorted(self.bound_places.get(k, [])),
            }
            for k, (lo, hi) in sorted(self.bounds.items(), key=lambda kv: repr(kv[0]))
        ]
        payload = {
            "version": PLAN_VERSION,
            "cells": cells,
            "equations": equations,
            "statistics": statistics,
            "bounds": bounds,
        }
        return json.dumps(payload, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PublicationPlan:
        data = json.loads(text)
        if data.get("version") not in READABLE_VERSIONS:
            raise ValueError(f"publication plan version {data.get('version')!r}; expected {PLAN_VERSION}")
        plan = cls()
        for c in data["cells"]:
            key = cell_key(c["population"], c["dims"])
            for place, value in c["printed"].items():
                plan.add(key, value, place)
            for place in c["hidden"]:
                plan.add(key, None, place)
        for eq in data["equations"]:
            plan.equations.append({cell_key(p, d): float(c) for p, d, c in eq})
        plan.statistics = [Statistic.from_json(s, cell_key) for s in data.get("statistics", [])]
        for b in data.get("bounds", []):
            hi = math.inf if b["hi"] is None else float(b["hi"])
            for place in b["places"] or [""]:
                plan.add_bound(cell_key(b["population"], b["dims"]), b["lo"], hi, place)
        return plan

    # ---- the audit ----------------------------------------------------------------------
    def revisions(self) -> list[str]:
        """Counts a later year's publication prints differently from an earlier one (and no two
        places of one year disagree): revisions, which the year's revision notes must own."""
        out = []
        for key, cell in sorted(self.cells.items(), key=lambda kv: repr(kv[0])):
            if _is_revision(cell.printed):
                where = "; ".join(f"{v:g} in {p}" for p, v in sorted(cell.printed.items()))
                out.append(f"{describe_key(key)}: {where}")
        return out

    def audit(self, rules: DisclosureRules, revisions_noted: bool = False) -> list[str]:
        """Every way the plan gives a hidden count away, one plain sentence each; [] when none.

        With `revisions_noted` (the year's settings note its revisions), a count that only a
        later year prints differently is taken at its latest value instead of stopping the check.
        """
        problems, conflicts = [], False
        published: dict[tuple, float] = {}
        for key, cell in sorted(self.cells.items(), key=lambda kv: repr(kv[0])):
            values = sorted(set(cell.printed.values()))
            if len(values) > 1 and revisions_noted and _is_revision(cell.printed):
                values = [cell.printed[max(cell.printed)]]  # the latest year's figure stands
            if len(values) > 1:
                where = "; ".join(f"{v:g} in {p}" for p, v in sorted(cell.printed.items()))
                problems.append(f"{describe_key(key)} is printed with different values: {where}")
                conflicts = True
            if values and cell.hidden:
                problems.append(
                    f"{describe_key(key)} is hidden in {describe_places(cell.hidden)} but printed in "
                    f"{describe_places(cell.printed)}"
                )
            if values:
                published[key] = values[0]
        if conflicts:  # intervals over contradicting numbers mean nothing
            return problems
        hidden = [k for k, c in self.cells.items() if c.hidden and k not in published]
        slack = float(rules.rounding_base) / 2  # a rounded count stands for any value this near it
        where_hidden = {k: self.cells[k].hidden for k in hidden}
        problems += statistic_problems(self.statistics, where_hidden, rules, describe_key)
        broken = (
            self._broken_relations(published, slack)
            + share_conflicts(self.statistics, published, slack, describe_key)
            + self._broken_bounds(published, slack)
        )
        if broken:
            return problems + broken
        if hidden:
            try:
                bounds = self._intervals(published, hidden, slack)
            except RuntimeError as exc:  # infeasible: the printed counts contradict a relation
                return [*problems, f"the printed counts contradict the relations between tables ({exc})"]
            for key in sorted(hidden, key=repr):
                why = weakness(*bounds[key], rules)
                if why:
                    where = describe_places(self.cells[key].hidden)
                    problems.append(f"{describe_key(key)}, hidden in {where}, can be worked out: {why}")
        return problems

    def _broken_relations(self, published: Mapping[tuple, float], slack: float) -> list[str]:
        """Relations whose every count is printed and which do not hold (a total that is not
        the sum of its parts, beyond what rounding explains): a wrong link or tables that disagree."""
        out = []
        for eq in self.equations:
            allowed = TOL + slack * sum(abs(c) for c in eq.values())
            if (
                all(k in published for k in eq)
                and abs(sum(c * published[k] for k, c in eq.items())) > allowed
            ):
                terms = ", ".join(f"{describe_key(k)} = {published[k]:g}" for k in sorted(eq, key=repr))
                out.append(f"printed counts do not add up: {terms}")
        return out

    def _broken_bounds(self, published: Mapping[tuple, float], slack: float) -> list[str]:
        """Printed counts outside what a published rule allows (a quota the printed panel breaks)."""
        out = []
        for key, (lo, hi) in sorted(self.bounds.items(), key=lambda kv: repr(kv[0])):
            if key in published and not lo - slack - TOL <= published[key] <= hi + slack + TOL:
                rule = describe_places(self.bound_places.get(key, []))
                out.append(
                    f"{describe_key(key)} is printed as {published[key]:g}, but the rule printed in {rule} "
                    f"puts it between {lo:g} and {hi:g}"
                )
        return out

    def _intervals(
        self, published: Mapping[tuple, float], hidden: list[tuple], slack: float
    ) -> dict[tuple, tuple]:
        """Feasible interval of each hidden key over all relations (other unknowns free, ≥ 0;
        with rounding, each printed count anywhere within `slack` of its printed value)."""
        system = System()
        keys = {k for eq in self.equations for k in eq} | set(hidden) | set(published)
        for key in sorted(keys, key=repr):
            system.var(key, published.get(key, 0.0))
        for eq in self.equations:
            system.equations.append({system.index[k]: c for k, c in eq.items()})
        unknown = {system.index[k] for k in keys if k not in published or slack > 0}
        # not clamped at 0: a printed change may be negative
        ranges = {system.index[k]: (v - slack, v + slack) for k, v in published.items() if slack > 0}
        stated = share_bounds(self.statistics, published, slack)  # shares of printed bases
        for key, (lo, hi) in self.bounds.items():  # the rules' bounds (quotas)
            old = stated.get(key, (0.0, math.inf))
            stated[key] = (max(old[0], lo), min(old[1], hi))
        for key, (lo, hi) in stated.items():
            if key in system.index and key not in published:
                ranges[system.index[key]] = (lo, hi)
        found = intervals(system, unknown, [system.index[k] for k in hidden], ranges)
        return {k: found[system.index[k]] for k in hidden}


def _is_revision(printed: Mapping[str, float]) -> bool:
    """Values differ, but only between years: every year's places agree among themselves."""
    by_year: dict[str, set[float]] = {}
    for place, value in printed.items():
        by_year.setdefault(place.partition(" ")[0], set()).add(value)
    return (
        len(set(printed.values())) > 1
        and len(by_year) > 1
        and all(y.isdigit() and len(v) == 1 for y, v in by_year.items())
    )


def weakness(lo: float, hi: float, rules: DisclosureRules) -> str | None:
    """Why an interval gives a hidden count away without knowing its value, or None.

    Exact recovery; an interval inside 1 … min_count − 1 (a small count, known not to be zero);
    or one narrower than the protection level of the smallest non-zero value it allows.
    """
    if hi - lo < TOL:
        return f"it must be {lo:g}"
    if lo >= 1 - TOL and hi <= rules.min_count - 1 + TOL:
        return f"it must be between {math.ceil(lo - TOL)} and {math.floor(hi + TOL)}"
    if lo >= rules.min_count - TOL:
        return None
    smallest = max(1, math.ceil(lo - TOL))
    level = max(1, math.ceil(smallest * float(rules.protection_percent) / 100 - 1e-9))
    if hi - lo < level - TOL:
        return f"it must be between {lo:g} and {hi:g}, narrower than the protection needed"
    return None
