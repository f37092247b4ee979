"""The attacker's reading of published statistics: a mean, interval or test over a few members is a
constraint on the counts behind it, and a statistic over too few organisations is itself a leak.

- **Mean change with its members** ("Mean change on X, A to B" beside "Members by change on X, A to
  B"): with n = up + same + down, a one-decimal mean m gives
  (m − h)·n ≤ max·up − min·down and min·up − max·down ≤ (m + h)·n, where a move up is worth
  min … max (participation levels: 1 … 4; the 0-100 index: 0 … 100); a printed bootstrap
  interval "lo to hi" bounds the mean the same way.
- **The exact sign test** ("sign test p = 0.031", "p below 0.05" in a sentence naming X): the
  splits of up and down that give that p, over at most the table's total, bound both counts.
- **A share or Wilson interval over n** ("Not drawn: n, %, 95% interval"): the numerator it
  implies; flagged when that is a count from 1 to `min_count` − 1, and any statistic printed where
  its n is hidden or below `min_count` (issue 15: such statistics are not published).
- **Means beside their base** (a means table and the count table of the same rows; a "per
  member" column beside "Members who answered"; "n = N" in a sentence): flagged when the base is
  hidden or below `min_count`; so is a clause stating a statistic over "3 members", and a hidden
  count with a statistic of it beside it ("[c] organisations (3%)").
- **Shares** of a printed total bound the counts behind them (the readiness statements' share
  table against its counts; an "<X> share" column against its "<X>s" column and total row).
"""

from __future__ import annotations

import math
import re
from itertools import product

from scipy.stats import binomtest

from attacker_model import Model, add_table, norm
from attacker_read import HIDDEN, Table, count_value, share_value

_CHANGE = re.compile(r"^Members by change on (?P<x>.+), (?P<a>20\d\d) to (?P<b>20\d\d)$")
_MEAN = "Mean change on {x}, {a} to {b}"
# A move up on the scale is worth min … max of the mean's unit.
STEPS = {"the participation spectrum": (1.0, 4.0), "the readiness index": (0.0, 100.0)}
_NUMBER = re.compile(r"^[+−-]?\d+(?:\.\d+)?$")
_RANGE = re.compile(r"([+−-]?\d+(?:\.\d+)?)%? to ([+−-]?\d+(?:\.\d+)?)%?")


def _num(text: str) -> float:
    return float(text.replace("−", "-").replace("+", ""))


def _half_unit(text: str) -> float:
    digits = text.split(".")[1] if "." in text else ""
    return 0.5 * 10.0 ** -len(digits)


def key_of(table: Table, row: str, column: str, year: int, callout: int | None = None) -> tuple | None:
    """The model's key for one cell of a table, as `add_table` makes it (read off a probe model)."""
    probe = Model()
    add_table(
        probe,
        Table(table.document, table.caption, [table.header[0], column], [[row, HIDDEN]]),
        year,
        callout=callout,
    )
    return next(iter(probe.hidden), None)  # None: not a count the model keeps


def _rows(table: Table) -> dict[str, list[str]]:
    return {norm(r[0]): r for r in table.rows if r}


def change_facts(model: Model, tables: list[Table], texts: dict[str, str], year: int) -> None:
    """Mean change, its interval and the sign test as constraints on the members moving up or down."""
    by_caption = {t.caption: t for t in tables}
    for counts in [t for t in tables if _CHANGE.match(t.caption)]:
        m = _CHANGE.match(counts.caption)
        rows = _rows(counts)
        col = counts.header[1]
        keys = {
            move: key_of(counts, rows[move][0], col, year)
            for move in ("moved up", "stayed the same", "moved down")
            if move in rows
        }
        if len(keys) < 3:
            continue
        lo_step, hi_step = STEPS.get(m["x"], (0.0, math.inf))
        mean = by_caption.get(_MEAN.format(**m.groupdict()))
        bounds = _mean_bounds(mean)
        for low, high in bounds:
            _mean_constraint(model, keys, low, high, lo_step, hi_step)
        base = [
            rows[r][1].strip()
            for r in rows
            if (r == "total" or r.startswith("not comparable")) and len(rows[r]) > 1
        ]
        if bounds and HIDDEN in base:  # n = total − not comparable
            model.flags.append(
                f"{mean.document} | {mean.caption[:70]}: a mean change printed where its base is hidden"
            )
        total = count_value(rows["total"][1]) if "total" in rows else None
        for document, prose in texts.items():
            for p_text, below in _sign_tests(prose, m["x"]):
                _sign_constraint(model, keys, total, p_text, below, f"{document}: sign test on {m['x']}")


def _mean_bounds(mean: Table | None) -> list[tuple[float, float]]:
    """(low, high) bounds on the mean change: the printed mean ± half a unit, and its interval."""
    out = []
    for row in mean.rows if mean else []:
        for head, cell in zip(mean.header[1:], row[1:]):
            cell = cell.strip()
            if "interval" in norm(head) and _RANGE.fullmatch(cell):
                a, b = _RANGE.fullmatch(cell).groups()
                out.append((_num(a), _num(b)))
            elif "mean" in norm(head) and _NUMBER.match(cell):
                h = _half_unit(cell)
                out.append((_num(cell) - h, _num(cell) + h))
    return out


def _mean_constraint(
    model: Model, keys: dict, low: float, high: float, lo_step: float, hi_step: float
) -> None:
    up, same, down = keys["moved up"], keys["stayed the same"], keys["moved down"]
    if math.isinf(hi_step):
        return
    # sum of changes >= low * n  and  <= high * n, with n = up + same + down
    model.inequalities.append(({up: hi_step - low, down: -lo_step - low, same: -low}, 0.0, None))
    model.inequalities.append(({up: lo_step - high, down: -hi_step - high, same: -high}, None, 0.0))


def _sign_tests(prose: str, measure: str) -> list[tuple[str, bool]]:
    out = []
    for sentence in re.split(r"(?<=[.;])\s+", prose):
        if "sign test" not in sentence or measure not in sentence:
            continue
        for m in re.finditer(r"\bp (=|of|below|<) ?(0\.\d+)", sentence):
            out.append((m.group(2), m.group(1) in ("below", "<")))
    return out


def sign_test_splits(total: int, p_text: str, below: bool) -> list[tuple[int, int]]:
    """(up, down) splits with up + down <= total whose exact two-sided sign test gives that p."""
    p, h = float(p_text), _half_unit(p_text)
    out = []
    for up, down in product(range(total + 1), repeat=2):
        if up + down > total or up + down == 0:
            continue
        got = binomtest(up, up + down, 0.5).pvalue
        if (below and got < p) or (not below and abs(got - p) <= h + 1e-12):
            out.append((up, down))
    return out


def _sign_constraint(
    model: Model, keys: dict, total: float | None, p_text: str, below: bool, where: str
) -> None:
    if total is None:
        return
    known = [model.published.get(keys[m], (None,))[0] for m in ("moved up", "moved down")]
    splits = [
        s
        for s in sign_test_splits(int(total), p_text, below)
        if all(v is None or v == x for v, x in zip(known, s))
    ]
    if not splits:
        model.flags.append(f"{where}: no split of {int(total)} members gives p {p_text}")
        return
    for i, move in enumerate(("moved up", "moved down")):
        values = [s[i] for s in splits]
        model.inequalities.append(({keys[move]: 1.0}, float(min(values)), float(max(values))))


# ---- statistics over too few organisations ------------------------------------------------------

_GROUP_N = re.compile(r"^(?P<g>.+): n$")


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _numerators(n: int, share: str | None, interval: str | None) -> list[int]:
    """The whole counts k of n consistent with a printed share and Wilson interval."""
    ks = list(range(n + 1))
    if share and re.fullmatch(r"\d+(?:\.\d+)?%", share):
        p, h = float(share[:-1]) / 100, _half_unit(share[:-1]) / 100
        ks = [k for k in ks if abs(k / n - p) <= h + 1e-9]
    m = _RANGE.fullmatch(interval or "")
    if m and "%" in (interval or ""):
        lo, hi = (_num(g) / 100 for g in m.groups())
        h = _half_unit(m.group(1)) / 100
        ks = [
            k for k in ks if abs(wilson(k, n)[0] - lo) <= h + 1e-9 and abs(wilson(k, n)[1] - hi) <= h + 1e-9
        ]
    return ks


def share_flags(model: Model, table: Table, min_count: int) -> None:
    """Shares and intervals printed beside their n: never over a hidden or small n, never
    revealing a count from 1 to `min_count` − 1."""
    heads = [h.strip() for h in table.header]
    for j, head in enumerate(heads):
        g = _GROUP_N.match(head)
        if not g:
            continue
        stats = [i for i, h in enumerate(heads) if h.startswith(g["g"] + ":") and i != j]
        for row in table.rows:
            shown = [
                row[i] for i in stats if i < len(row) and row[i].strip() not in (HIDDEN, "", "[x]", "[z]")
            ]
            if not shown:
                continue
            where = f"{table.document} | {table.caption[:60]} | {row[0]} | {g['g']}"
            n = count_value(row[j]) if j < len(row) else None
            if n is None:
                model.flags.append(f"{where}: a statistic printed where its n is hidden")
                continue
            if n < min_count:
                model.flags.append(
                    f"{where}: a statistic over {int(n)} organisations (fewer than {min_count})"
                )
                continue
            share = next((row[i] for i in stats if heads[i].endswith("%")), None)
            interval = next((row[i] for i in stats if "interval" in heads[i]), None)
            ks = _numerators(int(n), share, interval)
            if ks and all(1 <= k < min_count for k in ks):
                model.flags.append(f"{where}: the share reveals a count of {min(ks)}..{max(ks)}")


# (means table caption, count table caption, the count column giving each row's base)
MEAN_BASES = [
    (
        r"^Mean readiness and participation level by (?P<x>.+)$",
        r"^Applicants by {x} and ambition band$",
        "Total",
    ),
    (
        r"^Average score for how much the network helped .*?(?P<y>20\d\d)$",
        r"^Members by how much the network helped them, {y}$",
        "Total",
    ),
    (r"^Average chance of selection by nation$", r"^Eligible applicants by nation$", "Eligible applicants"),
]
_STAT = re.compile(r"^(?:[+−-]?£?\d[\d,]*\.\d+|£\d[\d,]*|\d+%)$")


def base_flags(model: Model, tables: list[Table], texts: dict[str, str], min_count: int) -> None:
    """A mean (or share) printed where its base is hidden or below `min_count`."""
    for means in tables:
        for mean_pattern, count_pattern, column in MEAN_BASES:
            m = re.match(mean_pattern, means.caption)
            if not m:
                continue
            wanted = re.compile(count_pattern.format(**{k: re.escape(v) for k, v in m.groupdict().items()}))
            twin = next((t for t in tables if wanted.match(t.caption) and column in t.header), None)
            if twin is None:
                continue
            bases = {
                norm(r[0]): r[twin.header.index(column)]
                for r in twin.rows
                if len(r) > twin.header.index(column)
            }
            for row in means.rows:
                if any(_STAT.match(c.strip()) for c in row[1:]) and norm(row[0]) in bases:
                    _flag_base(
                        model,
                        bases[norm(row[0])],
                        min_count,
                        f"{means.document} | {means.caption[:60]} | {row[0]}",
                    )
        for j, head in enumerate(means.header):  # "… per member" beside "Members who answered (…)"
            if j + 1 < len(means.header) and means.header[j + 1].startswith("Members who answered"):
                for row in means.rows:
                    if j + 1 < len(row) and _STAT.match(row[j].strip()):
                        _flag_base(
                            model,
                            row[j + 1],
                            min_count,
                            f"{means.document} | {means.caption[:60]} | {row[0]} | {head}",
                        )
    for document, prose in texts.items():
        for m in re.finditer(r"\bn = (\d+)\b", prose):
            if int(m.group(1)) < min_count:
                model.flags.append(
                    f"{document}: a statistic over fewer than {min_count}: {prose[max(0, m.start() - 80) : m.end()]}"
                )


def _flag_base(model: Model, base: str, min_count: int, where: str) -> None:
    if base.strip() == HIDDEN:
        model.flags.append(f"{where}: a statistic printed where its base is hidden")
    elif (n := count_value(base)) is not None and 0 < n < min_count:
        model.flags.append(f"{where}: a statistic over {int(n)} organisations (fewer than {min_count})")


# ---- shares as constraints on the counts behind them -----------------------------------------

# (share table caption, count table caption, the count table's column of row totals)
SHARE_TWINS = [
    (
        r"^Share of applicants giving each answer to the readiness statements$",
        r"^Applicants' answers to the five readiness statements, in three bands$",
        "Total",
    ),
    (r"^readiness-chart-readiness-items$", r"^readiness-readiness-answers$", "Total"),
]
_TOTAL_ROWS = {"total", "united kingdom", "uk", "all with a local authority"}


def _share_bounds(model: Model, count, base, text: str) -> None:
    share = share_value(text)
    if share is not None and count is not None and base is not None:
        p, h = share
        model.inequalities.append(({count: 1.0, base: -(p + h)}, None, 0.0))
        model.inequalities.append(({count: 1.0, base: -(p - h)}, 0.0, None))


def share_facts(model: Model, tables: list[Table], year: int, callout: int | None = None) -> None:
    """A printed share of a row's total bounds the count behind it (tables named in `SHARE_TWINS`),
    and a "<X> share" column beside its "<X>s" column is a share of the column's total row."""
    for shares in tables:
        for share_pattern, count_pattern, total in SHARE_TWINS:
            if not re.match(share_pattern, shares.caption):
                continue
            for counts in (t for t in tables if re.match(count_pattern, t.caption) and total in t.header):
                rows = _rows(counts)
                for row in shares.rows:
                    if norm(row[0]) not in rows:
                        continue
                    base = key_of(counts, rows[norm(row[0])][0], total, year, callout)
                    for head, cell in zip(shares.header[1:], row[1:]):
                        if head in counts.header:
                            count = key_of(counts, rows[norm(row[0])][0], head, year, callout)
                            _share_bounds(model, count, base, cell)
        heads = [norm(h) for h in shares.header]
        totals = [r for r in shares.rows if r and norm(r[0]) in _TOTAL_ROWS]
        for j, head in enumerate(heads):
            m = re.fullmatch(r"(.+) share", head)
            column = next(
                (shares.header[i] for i, h in enumerate(heads) if m and h in (m[1] + "s", m[1])), None
            )
            if column is None or len(totals) != 1:
                continue
            base = key_of(shares, totals[0][0], column, year, callout)
            for row in shares.rows:
                if row is not totals[0] and j < len(row):
                    _share_bounds(model, key_of(shares, row[0], column, year, callout), base, row[j])


def sentence_stat_flags(model: Model, texts: dict[str, str]) -> None:
    """A hidden count in a sentence with a statistic of it beside it ("[c] organisations (3%)",
    "[c] bids (0.3 per member, n = 10)") gives the count away."""
    for document, prose in texts.items():
        for m in re.finditer(r"\[c\][^.;()\[]{0,80}\(([^)]*\d[^)]*)\)", prose):
            if "%" in m.group(1) or "per " in m.group(1):
                model.flags.append(f"{document}: a statistic beside a hidden count: {m.group(0)[:160]!r}")


_STATISTIC = re.compile(r"\b(?:average|mean|median|per member|interval|sign test|p (?:=|below|<))\b", re.I)
_FEW = re.compile(
    r"(?<!at least )(?<!fewer than )(?<!at most )(?<!more than )\b(\d+) (?:[\w'-]+ )?(?:members?|organisations?|applicants?)\b"
)


def sentence_base_flags(model: Model, texts: dict[str, str], min_count: int) -> None:
    """A statistic stated over fewer than `min_count` organisations in the same clause ("the 4
    members who answered averaged 2.3", "attended by 3 members, who rated them 4.6 on average")."""
    for document, prose in texts.items():
        for clause in re.split(r"(?<=[.;])\s+", prose):
            if not _STATISTIC.search(clause):
                continue
            for m in _FEW.finditer(clause):
                if 0 < int(m.group(1)) < min_count:
                    model.flags.append(f"{document}: a statistic over {m.group(0)}: {clause[:160]!r}")
