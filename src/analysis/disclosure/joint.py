"""Joint secondary suppression: the extra cells a year must hide so the whole publication protects.

Each area protects its own tables; the publication plan (`disclosure.plan`) links them all, with
every other published year. When the plan's audit finds a hidden count a reader could work out,
`solve` chooses more cells to hide over all the plan's relations at once: one `audit.System` of
every key (printed values fixed; hidden keys at their true values, which only the run knows;
keys nobody prints at any values consistent with the rest), then `audit.sequential_protect` and
`audit.prune` until every hidden key's interval passes `plan.weakness`, with the small counts held
to a protection level relative to their true value. Only this year's cells can be hidden, and
only where every place printing them can hide them (`hideable`): a key printed by another
year, by the selection pack or by a table made from other tables' cells costs `KEEP_COST`, and
if the solve still needs it the result says so instead. A key hidden in one place and printed in
another is hidden everywhere in this year.

The hides reach the areas' protection through `DisclosureRules.joint_hides` (cells by origin, see
`table.origin_id`), read from the year's `internal/joint-hides.json` (`read_hides`,
`write_hides`). Imports `disclosure.audit`, `.plan` and `.rules` only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np

from analysis.disclosure.audit import TOL, System, _pass_lp, intervals, new_highs, prune, sequential_protect
from analysis.disclosure.plan import PublicationPlan, describe_key, weakness
from analysis.disclosure.rules import DisclosureRules

KEEP_COST = 1e6  # a key that cannot be hidden: chosen only if nothing else protects
HIDES_FILE = "joint-hides.json"  # reports/<year>/internal/
HIDES_VERSION = 1
_ROUNDS = 6  # widening rounds for hidden keys whose intervals still give them away


@dataclass
class JointResult:
    """What the year must hide besides what its areas hid, or why no set of hides will do."""

    hide: set[tuple] = field(default_factory=set)  # keys of this year to hide wherever printed
    stuck: list[str] = field(default_factory=list)  # plain sentences: what blocks the solve


def _year_of(place: str) -> str:
    return place.partition(" ")[0]


def _value(printed: Mapping[str, float]) -> float:
    """The figure a reader takes: the latest year's (a noted revision) where years differ."""
    return printed[max(printed)]


def solve(
    plan: PublicationPlan,
    year: int | str,
    truth: Mapping[tuple, float],
    hideable: Iterable[tuple],
    rules: DisclosureRules,
) -> JointResult:
    """The keys `year` must hide too so no hidden key of `plan` can be worked out.

    `plan`: this year's plan merged with every other published year's. `truth`: true values
    of this year's hidden keys (internal). `hideable`: this year's printed keys that every
    place printing them can hide.
    """
    year, hideable = str(year), set(hideable)
    result = JointResult()
    if rules.rounding_base:
        result.stuck.append("joint protection does not work on rounded counts ([disclosure] rounding_base)")
        return result
    mixed = set()
    for key, cell in plan.cells.items():
        this_year = {v for p, v in cell.printed.items() if _year_of(p) == year}
        if len(this_year) > 1:
            result.stuck.append(f"{describe_key(key)} is printed with different values in {year}")
        if not (cell.hidden and cell.printed):
            continue
        others = sorted({_year_of(p) for p in cell.printed} - {year})
        if others:
            result.stuck.append(
                f"{describe_key(key)} is hidden in {year} but printed by the {', '.join(others)} "
                "publication, which this run cannot unprint: merge the categories concerned, or rerun "
                "that year too"
            )
        elif key not in hideable:
            result.stuck.append(
                f"{describe_key(key)} is hidden in one place but printed where it cannot be hidden"
            )
        else:
            mixed.add(key)
    if result.stuck:
        return result
    system, hidden, free = _system(plan, truth, hideable, mixed, result)
    if result.stuck:
        return result
    cells = {system.index[k] for k, c in plan.cells.items() if c.hidden or k in mixed}
    need = _short_of_protection(
        system, hidden, [k for k in cells if _small(system, k, plan, truth, rules)], rules
    )
    try:
        chosen = _protect(system, hidden, free, cells, need, rules)
    except RuntimeError as exc:
        result.stuck.append(f"no set of further cells protects the hidden counts ({exc})")
        return result
    result.hide = {system.keys[k] for k in chosen - hidden} | mixed
    blocked = sorted(describe_key(k) for k in result.hide if k not in hideable)
    if blocked:
        result.stuck.append(
            "only cells that cannot be hidden this year would protect the rest: " + "; ".join(blocked)
        )
    return result


def _small(system: System, k: int, plan: PublicationPlan, truth, rules: DisclosureRules) -> bool:
    """A hidden key whose true value is known and breaks the primary rule."""
    key = system.keys[k]
    return key in truth and not plan.cells[key].printed and rules.is_unsafe_count(truth[key])


def _short_of_protection(
    system: System, hidden: set[int], small: list[int], rules: DisclosureRules
) -> dict[int, tuple[float, float]]:
    """The small hidden cells whose interval today is narrower than their protection level (or
    fails `weakness`), with the levels to reach. A cell already protected as wide as the rule asks
    is left alone: the joint solve asks no more of a pattern than the check does."""
    if not small:
        return {}
    out = {}
    for k, (lo, hi) in intervals(system, hidden, small).items():
        value = system.value[k]
        if hi - lo < rules.protection_level(value) - TOL or weakness(lo, hi, rules) is not None:
            out[k] = _need(value, rules)
    return out


def _need(value: float, rules: DisclosureRules) -> tuple[float, float]:
    level = rules.protection_level(value)
    return (min(value, level), level)


def _system(plan: PublicationPlan, truth, hideable: set, mixed: set, result: JointResult):
    """One variable per key (a negative printed change enters negated), true or consistent values.

    Returns the system, the hidden cells (hidden keys and keys nobody prints) and the free ones
    (keys nobody prints: the reader never sees them, they cost nothing to move).
    """
    known: dict[tuple, float] = {}
    for key, cell in plan.cells.items():
        if cell.printed:
            known[key] = _value(cell.printed)
        elif key in truth:
            known[key] = float(truth[key])
    keys = sorted({k for eq in plan.equations for k in eq} | set(plan.cells), key=repr)
    unknown = [k for k in keys if k not in known]
    filled = _complete(plan, known, unknown)
    if filled is None:
        result.stuck.append(
            "the true and printed counts do not satisfy the plan's relations (a link in "
            "analysis.publish.plan.TABLES is wrong)"
        )
        return None, set(), set()
    values = {**known, **filled}
    sign = {k: -1.0 if values[k] < -TOL else 1.0 for k in keys}
    system = System()
    for key in keys:
        cell = plan.cells.get(key)
        places = len(cell.printed) if cell else 0
        cost = (abs(values[key]) + 1.0) * max(1, places) if key in hideable else KEEP_COST
        system.var(key, sign[key] * values[key], cost)
    for eq in plan.equations:
        system.equations.append({system.index[k]: c * sign[k] for k, c in eq.items()})
    free = {system.index[k] for k in unknown if k not in plan.cells or not plan.cells[k].hidden}
    hidden = free | {system.index[k] for k, c in plan.cells.items() if c.hidden or k in mixed}
    return system, hidden, free


def _complete(plan: PublicationPlan, known: Mapping[tuple, float], unknown: list[tuple]) -> dict | None:
    """Non-negative values for the keys nobody prints that satisfy every relation, or None."""
    if not unknown:
        bad = any(abs(sum(c * known[k] for k, c in eq.items())) > TOL for eq in plan.equations)
        return None if bad else {}
    col = {k: i for i, k in enumerate(unknown)}
    rows, rhs = [], []
    for eq in plan.equations:
        row = {col[k]: c for k, c in eq.items() if k in col}
        rest = -sum(c * known[k] for k, c in eq.items() if k not in col)
        if row:
            rows.append(row)
            rhs.append(rest)
        elif abs(rest) > TOL:
            return None
    h = new_highs()
    n = len(unknown)
    _pass_lp(h, n, np.ones(n), np.zeros(n), np.full(n, highspy.kHighsInf), rows, rhs, rhs)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = h.getSolution().col_value
    return {k: float(x[i]) for k, i in col.items()}


def _protect(
    system: System,
    hidden: set[int],
    free: set[int],
    cells: set[int],
    need: dict[int, tuple[float, float]],
    rules: DisclosureRules,
) -> set[int]:
    """Hide more cells until every published hidden cell passes `weakness` and the small ones
    reach their protection levels; then publish again what turns out not to be needed."""
    fixed = set(hidden)
    chosen = set(hidden)
    for _ in range(_ROUNDS):
        if need:
            chosen = sequential_protect(system, chosen, free, need)
        watched = (cells | (chosen - fixed)) - free
        weak = _weak(system, chosen, watched, rules)
        if not weak:
            pruned = prune(system, chosen, fixed, need) if need else chosen
            if pruned != chosen and _weak(system, pruned, (cells | (pruned - fixed)) - free, rules):
                return chosen
            return pruned
        for k, reach in weak.items():
            lpl, upl = need.get(k, (0.0, 0.0))
            need[k] = (lpl, max(upl, reach - system.value[k]))
    raise RuntimeError("a hidden count still narrowed after several rounds")


def _weak(system: System, hidden: set[int], watched: set[int], rules: DisclosureRules) -> dict[int, float]:
    """Watched cells whose interval `weakness` rejects: {cell: the upper bound it must reach}."""
    if not watched:
        return {}
    out = {}
    for k, (lo, hi) in intervals(system, hidden, watched).items():
        if weakness(lo, hi, rules) is None:
            continue
        smallest = max(1, math.ceil(lo - TOL))
        reach = lo + (1.0 if lo >= rules.min_count - TOL else rules.protection_level(smallest))
        if lo >= 1 - TOL and hi <= rules.min_count - 1 + TOL:
            reach = max(reach, float(rules.min_count))
        out[k] = reach  # weakness() rejects only intervals that stop short of it
    return out


# ---- the year's hides: reports/<year>/internal/joint-hides.json -----------------------------
def read_hides(path: Path) -> dict[str, frozenset[str]]:
    """The cells (origins) the joint protection hides in a year, by area; none without the file."""
    path = Path(path)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != HIDES_VERSION:
        raise ValueError(f"{path}: version {data.get('version')!r}; expected {HIDES_VERSION}")
    return {str(area): frozenset(map(str, hides)) for area, hides in data["hides"].items()}


def write_hides(path: Path, hides: Mapping[str, Iterable[str]]) -> None:
    """Save the year's hides by area (sorted, so an unchanged set is byte-identical)."""
    data = {str(a): sorted(set(h)) for a, h in sorted(hides.items()) if h}
    text = json.dumps({"version": HIDES_VERSION, "hides": data}, ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")
