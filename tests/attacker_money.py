"""The attacker's reading of the money tables: £ totals by measure and year, their sums over the
years, the changes between years and the per-member figures with their members, as one linear
system with the counts (non-negative unknowns; a change may be negative, so it enters only as a
printed constant).

A reader knows that "2024–2026" is the sum of the years, "Change since A" is the later year minus
year A, and "£x per member" over n members who answered is the year's total within n × £0.50.
A hidden £ figure must not be recovered, nor narrowed below the protection level (the
configured percentage of the smallest value its interval allows); a printed £ figure over fewer
than `money_min_contributors` members who answered is flagged (the contributors are at most
those who answered). The dominance rule (NK) needs each organisation's figure, which nothing
published gives: it stays the package's own check.
"""

from __future__ import annotations

import math
import re

from attacker_model import Model, norm
from attacker_read import Table, count_value

MONEY_TABLES = r"^Budget devolved to citizens and funding secured|^outcomes-money$"
PER_MEMBER_TABLES = r"^Headline measures per member who answered|^outcomes-chart-outcomes-trajectory$"
MONEY = "money"
_POUNDS = re.compile(r"^([+−-]?)£(\d[\d,]*(?:\.\d+)?)$")
_SPAN = re.compile(r"^(20\d\d)[–-](20\d\d)$")
_CHANGE = re.compile(r"^change since (20\d\d)$")


def pounds(text: str) -> float | None:
    m = _POUNDS.match(text.strip().lstrip("'"))
    if not m:
        return None
    value = float(m.group(2).replace(",", ""))
    return -value if m.group(1) in ("-", "−") else value


def money_key(year: int, measure: str, **dims) -> tuple:
    return (year, MONEY, frozenset({"measure": norm(measure), **dims}.items()))


def _see(model: Model, key, text: str, where: str) -> None:
    model.see(key, text, where, parse=pounds, show="£{:,.0f}")


def money_facts(model: Model, table: Table, rules: dict) -> None:
    """Register a money table's cells and their sums and differences, or a per-member table's bounds."""
    if re.search(PER_MEMBER_TABLES, table.caption):
        _per_member(model, table, rules)
        return
    if not re.search(MONEY_TABLES, table.caption):
        return
    heads = [h.strip() for h in table.header]
    for row in table.rows:
        measure = row[0]
        where = f"{table.document} | {table.caption[:60]} | {measure}"
        years = {
            int(h): row[j] for j, h in enumerate(heads) if j and re.fullmatch(r"20\d\d", h) and j < len(row)
        }
        for y, cell in years.items():
            _see(model, money_key(y, measure), cell, f"{where} | {y}")
        for j, h in enumerate(heads):
            if j >= len(row) or not j:
                continue
            span, change = _SPAN.match(h), _CHANGE.match(norm(h))
            if span:
                a, b = int(span.group(1)), int(span.group(2))
                key = money_key(a, measure, span=f"{a}-{b}")
                _see(model, key, row[j], f"{where} | {h}")
                eq = {key: -1.0, **{money_key(y, measure): 1.0 for y in range(a, b + 1)}}
                model.inequalities.append((eq, 0.0, 0.0))
            elif change and years:
                value = pounds(row[j].split(" (")[0])
                if value is not None:
                    eq = {money_key(max(years), measure): 1.0, money_key(int(change.group(1)), measure): -1.0}
                    model.inequalities.append((eq, value, value))


def _per_member(model: Model, table: Table, rules: dict) -> None:
    """ "£x per member" (or "x.y per member") beside its members who answered: the year's total is
    within n × half a unit of the printed figure."""
    heads = [h.strip() for h in table.header]
    for j, head in enumerate(heads[:-1]):
        if not heads[j + 1].startswith("Members who answered"):
            continue
        for row in table.rows:
            if j + 1 >= len(row) or not re.fullmatch(r"20\d\d", row[0].strip()):
                continue
            cell, n = row[j].strip(), count_value(row[j + 1])
            value, half = pounds(cell), 0.5
            if value is None and re.fullmatch(r"\d+(?:\.\d+)?", cell):
                digits = cell.split(".")[1] if "." in cell else ""
                value, half = float(cell), 0.5 * 10.0 ** -len(digits)
            if value is None or n is None:
                continue
            where = f"{table.document} | {table.caption[:60]} | {row[0]} | {head}"
            if pounds(cell) is not None and n < int(rules.get("money_min_contributors", 3)):
                model.flags.append(
                    f"{where}: £ over {int(n)} members who answered (fewer than the contributors needed)"
                )
            money = pounds(cell) is not None
            model.per_member.append((int(row[0]), head.replace(" per member", ""), value, half, n, money))


ACTIVITY = "table: network activity totals"


def money_relations(model: Model) -> None:
    """Tie each per-member figure to the total it divides: a £ figure to the money table's measure
    named alike, a count to the activity table's one row naming its first word ("ventures")."""
    keys = set(model.published) | set(model.hidden)
    measures = {dict(k[2])["measure"] for k in keys if k[1] == MONEY}
    for year, name, value, half, n, money in model.per_member:
        if money:
            match = [money_key(year, m) for m in measures if m.startswith(norm(name))]
        else:
            word = norm(name).split()[0]
            match = [
                k
                for k in keys
                if k[0] == year and norm(k[1]).startswith(ACTIVITY) and word in dict(k[2]).get("row", "")
            ]
        if len(match) == 1:
            model.inequalities.append(({match[0]: 1.0}, (value - half) * n, (value + half) * n))


def money_weakness(lo: float, hi: float, percent: float) -> str | None:
    """Why a hidden £ figure's interval gives it away: exact, or narrower than the protection level."""
    if hi - lo < 0.5:
        return f"recovered exactly: £{lo:,.0f}"
    if math.isfinite(hi) and hi - lo < lo * percent / 100:
        return f"narrowed to £{lo:,.0f} … £{hi:,.0f}"
    return None
