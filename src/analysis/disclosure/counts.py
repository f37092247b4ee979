"""Statistical disclosure control for every published number.

With 6–12 members and a few hundred applicants almost every cut is small, and the readers
include insiders who know each other, so every table that leaves the repository goes through
this module and comes out as a `ProtectedTable`, the only kind charts and briefs accept.

How cells are protected
-----------------------
* **Primary suppression**: organisation counts with 0 < n < `min_count` (and zeros too when
  `zero_is_safe` is false); money figures with fewer than `money_min_contributors`
  organisations, or where the largest `dominance_n` hold more than `dominance_k` % (NK rule).
* **Secondary (complementary) suppression**: every table is a system of linear equations
  (each total is the sum of its parts; linked tables share cells or add up to one another).
  An intruder who sees the published cells can bound a hidden cell by linear programming:
  its *feasibility interval* is [min, max] of the cell over all non-negative tables that agree
  with what is published. A hidden cell with value v is protected when that interval reaches
  down to v − lpl and up to v + upl, where lpl = upl = ⌈v × protection_percent / 100⌉ (τ-ARGUS's
  FREQ(n, p) protection levels; with the default 100 % a hidden 2 can be anything from 0 to 4,
  so an intruder cannot even tell whether the cell is empty).
* **Engine**: a single flat 2-D table goes to τ-ARGUS (pytauargus, optimal suppression "OPT"
  with its bundled HiGHS), which finds the cheapest pattern. τ-ARGUS protects each table of a
  batch on its own and cannot express relations *between* tables (applicants = members + not
  selected; the same row margin shared by two tables; last year's hidden cells), nor hierarchies
  given as a plain mapping without writing .hrc files, nor unsafe zeros (empty cells are not in
  its microdata). Those systems, 1-D tables, and any τ-ARGUS pattern that fails our audit, are
  handled by `_sequential_protect`: for each hidden cell that is not yet protected it solves a
  small LP that finds the cheapest way to move that cell by its protection level while keeping
  every equation true, and hides every cell that had to move (the classic Fischetti–Salazar
  style heuristic). Hiding the moved cells makes the move visible to the intruder's LP, so the
  cell is protected by construction; a final audit (`_audit`) re-checks every hidden cell and
  raises if any is pinned down.
* **Linked tables** (`protect_linked`): all tables are put into one equation system (shared
  margins are one variable; `relations` add cell-wise sums between tables; `unpublished` tables
  take part as unknowns), so a single suppression pattern holds across region → nation → UK,
  applicants vs members and year vs year. For tables published in different runs (last year's
  brief), pass the old table as `also_suppress=` so its hidden cells stay hidden.
* **Rounding** (`rounding_base` > 0): after suppression every published count, totals included,
  is rounded independently to the base; the table carries a note saying so.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from analysis.text import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED, format_value
from analysis.text import STATUS_SYMBOLS as _SYMBOL
from analysis.text import number as _fmt_number

STATUSES = ("safe", "primary", "secondary", "zero", "dominance", "na", "z")
HIDDEN_STATUSES = frozenset({"primary", "secondary", "dominance"})

_TOL = 1e-6


class DisclosureError(ValueError):
    """An unprotected table was passed where only a protected one may go."""


# --------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds from config [disclosure]; a year may tighten them, never loosen silently."""

    min_count: int = 5
    zero_is_safe: bool = True
    money_min_contributors: int = 3
    dominance_n: int = 2
    dominance_k: float = 80.0
    rounding_base: int = 0
    protection_percent: float = 100.0  # protection level of a hidden cell, % of its value

    def __post_init__(self) -> None:
        if int(self.min_count) < 1:
            raise ValueError("disclosure.min_count must be at least 1")
        if int(self.money_min_contributors) < 1 or int(self.dominance_n) < 1:
            raise ValueError("disclosure money thresholds must be at least 1")
        if not 0 < float(self.dominance_k) <= 100:
            raise ValueError("disclosure.dominance_k must be a percentage in (0, 100]")
        if int(self.rounding_base) < 0:
            raise ValueError("disclosure.rounding_base must be 0 (off) or positive")
        if float(self.protection_percent) <= 0:
            raise ValueError("disclosure.protection_percent must be positive")

    @classmethod
    def from_config(cls, config) -> DisclosureRules:
        d = config.section("disclosure") if hasattr(config, "section") else dict(config)
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def sentence(self) -> str:
        """The rule as one plain-English sentence, printed in every brief and appendix."""
        zeros = "" if self.zero_is_safe else " (including zeros)"
        text = (
            f"To protect organisations, counts of fewer than {self.min_count}{zeros} are shown "
            f"as {SUPPRESSED}, and further cells are hidden where they could be worked out from "
            f"totals; money figures are shown only where at least "
            f"{self.money_min_contributors} organisations contribute and the largest "
            f"{self.dominance_n} hold no more than {_fmt_number(float(self.dominance_k))}% of "
            f"the total."
        )
        if self.rounding_base:
            text += (
                f" Counts are rounded to the nearest {self.rounding_base}, so totals may "
                f"not equal the sum of their parts."
            )
        return text

    def protection_level(self, value: float) -> float:
        """How far an intruder's bounds must reach either side of a hidden value."""
        return max(1.0, math.ceil(abs(value) * float(self.protection_percent) / 100.0 - 1e-9))


def rule_sentence(rules: DisclosureRules) -> str:
    """The sentence every brief prints (see `DisclosureRules.sentence`)."""
    return rules.sentence()


# --------------------------------------------------------------------------------------------
# The protected table


def _labels_to_json(index: pd.Index) -> dict[str, Any]:
    if isinstance(index, pd.MultiIndex):
        return {"labels": [[_py(v) for v in t] for t in index], "names": list(index.names), "multi": True}
    return {"labels": [_py(v) for v in index], "names": [index.name], "multi": False}


def _labels_from_json(d: dict[str, Any]) -> pd.Index:
    if d.get("multi"):
        return pd.MultiIndex.from_tuples([tuple(t) for t in d["labels"]], names=d["names"])
    return pd.Index(list(d["labels"]), name=d["names"][0], dtype=object)


def _py(v: Any) -> Any:
    """A JSON-safe Python scalar (numpy scalars to int/float/bool/str)."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def _norm_index(index: pd.Index) -> pd.Index:
    """Plain object-dtype labels so a table survives a JSON round trip unchanged."""
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(_py(v) for v in t) for t in index], names=index.names)
    return pd.Index([_py(v) for v in index], name=index.name, dtype=object)


def _norm_frame(frame: pd.DataFrame, dtype: Any) -> pd.DataFrame:
    out = pd.DataFrame(
        frame.to_numpy(dtype=dtype, copy=True),
        index=_norm_index(frame.index),
        columns=_norm_index(frame.columns),
    )
    return out


@dataclass(frozen=True)
class ProtectedTable:
    """A table that has passed disclosure control: the only kind charts and briefs accept."""

    display: pd.DataFrame  # as published: formatted strings, symbols for suppressed cells
    values: pd.DataFrame  # numbers as published; NaN where suppressed / not available
    status: pd.DataFrame  # per cell: one of STATUSES ('safe', 'primary', 'secondary', ...)
    caption: str
    rule: str  # the sentence saying which rule was applied
    kind: str = "count"  # 'count', 'money', 'share', 'rate', 'mean', 'probability', ...
    notes: tuple[str, ...] = field(default_factory=tuple)
    total_label: str | None = None  # label of the total row/column, when the table has one

    def __post_init__(self) -> None:
        """Normalise the three frames and refuse any table that could leak a hidden number."""
        for name in ("display", "values", "status"):
            if not isinstance(getattr(self, name), pd.DataFrame):
                raise DisclosureError(f"ProtectedTable.{name} must be a DataFrame")
        values = _norm_frame(self.values.astype(float), float)
        display = _norm_frame(self.display.astype(object), object)
        status = _norm_frame(self.status.astype(object), object)
        for name, frame in (("display", display), ("status", status)):
            if frame.shape != values.shape or not (
                frame.index.equals(values.index) and frame.columns.equals(values.columns)
            ):
                raise DisclosureError(f"ProtectedTable.{name} does not match the values' shape and labels")
        bad = set(status.to_numpy().ravel()) - set(STATUSES)
        if bad:
            raise DisclosureError(f"unknown cell status {sorted(map(str, bad))}; use {STATUSES}")
        hidden = status.isin(HIDDEN_STATUSES).to_numpy()
        if np.any(hidden & ~np.isnan(values.to_numpy())):
            raise DisclosureError("a suppressed cell still carries its number in .values")
        if np.any(hidden & (display.to_numpy() != SUPPRESSED)):
            raise DisclosureError(f"a suppressed cell is not displayed as {SUPPRESSED}")
        if not str(self.caption).strip():
            raise DisclosureError("a published table needs a caption")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "display", display.map(str))
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "notes", tuple(self.notes))

    # ---- convenience -------------------------------------------------------------------------
    @property
    def suppressed(self) -> pd.DataFrame:
        """True where a cell is hidden ([c])."""
        return self.status.isin(HIDDEN_STATUSES)

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict; `from_json` rebuilds an equal table (labels, names, dtypes)."""
        vals = [[None if np.isnan(v) else float(v) for v in row] for row in self.values.to_numpy()]
        return {
            "type": "ProtectedTable",
            "version": 1,
            "index": _labels_to_json(self.values.index),
            "columns": _labels_to_json(self.values.columns),
            "display": self.display.to_numpy().tolist(),
            "values": vals,
            "status": self.status.to_numpy().tolist(),
            "caption": self.caption,
            "rule": self.rule,
            "kind": self.kind,
            "notes": list(self.notes),
            "total_label": self.total_label,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ProtectedTable:
        index = _labels_from_json(d["index"])
        columns = _labels_from_json(d["columns"])

        def frame(rows, dtype):
            data = np.array(rows, dtype=dtype).reshape(len(index), len(columns))
            return pd.DataFrame(data, index=index, columns=columns)

        values = frame([[np.nan if v is None else v for v in row] for row in d["values"]], float)
        return cls(
            display=frame(d["display"], object),
            values=values,
            status=frame(d["status"], object),
            caption=d["caption"],
            rule=d["rule"],
            kind=d.get("kind", "count"),
            notes=tuple(d.get("notes", ())),
            total_label=d.get("total_label"),
        )

    def equals(self, other: ProtectedTable) -> bool:
        """Same cells, labels and metadata (NaN equal to NaN)."""
        return (
            isinstance(other, ProtectedTable)
            and self.display.equals(other.display)
            and self.values.equals(other.values)
            and self.status.equals(other.status)
            and (self.caption, self.rule, self.kind, self.notes, self.total_label)
            == (other.caption, other.rule, other.kind, other.notes, other.total_label)
        )

    # ---- accessible HTML ---------------------------------------------------------------------
    def _index_title(self) -> str:
        names = [n for n in self.display.index.names if n is not None]
        return " / ".join(map(str, names)) if names else "Category"

    def to_html(self, *, notes: bool = True) -> str:
        """An accessible HTML table: caption, scoped headers, no empty header cells."""
        cols = self.display.columns
        head = "".join(f'<th scope="col">{escape(_label(c))}</th>' for c in cols)
        lines = [
            '<table class="protected-table">',
            f"<caption>{escape(self.caption)}</caption>",
            f'<thead><tr><th scope="col">{escape(self._index_title())}</th>{head}</tr></thead>',
            "<tbody>",
        ]
        for label, row in zip(self.display.index, self.display.to_numpy()):
            cells = "".join(f"<td>{escape(str(v))}</td>" for v in row)
            lines.append(f'<tr><th scope="row">{escape(_label(label))}</th>{cells}</tr>')
        lines.append("</tbody>")
        if notes:
            text = " ".join([self.rule, *self.notes]).strip()
            if text:
                lines.append(f'<tfoot><tr><td colspan="{len(cols) + 1}">{escape(text)}</td></tr></tfoot>')
        lines.append("</table>")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def styler(self):
        """A pandas Styler for notebooks: caption, the index title in the corner header cell.

        Styler cannot write `scope` attributes; for published HTML use `to_html()`.
        """
        frame = self.display.copy()
        frame.index = pd.Index([_label(i) for i in frame.index])
        frame.columns = pd.Index([_label(c) for c in frame.columns], name=self._index_title())
        return frame.style.set_caption(self.caption).set_table_attributes('class="protected-table"')


def _label(v: Any) -> str:
    if isinstance(v, tuple):
        return " – ".join(map(str, v))
    return str(v)


def require_protected(obj: Any) -> ProtectedTable:
    if not isinstance(obj, ProtectedTable):
        raise DisclosureError(
            f"expected a ProtectedTable from analysis.disclosure, got {type(obj).__name__}: "
            "pass every published table through analysis.disclosure first"
        )
    return obj


# --------------------------------------------------------------------------------------------
# Display strings


def _display(
    values: pd.DataFrame, status: pd.DataFrame, kind: str, decimals: int | None = None
) -> pd.DataFrame:
    out = np.empty(values.shape, dtype=object)
    for (i, j), st in np.ndenumerate(status.to_numpy()):
        out[i, j] = _SYMBOL.get(st) or format_value(values.iat[i, j], kind, decimals=decimals)
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def _published(values: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Values with every hidden / not-available cell blanked."""
    keep = ~status.isin(HIDDEN_STATUSES | {"na", "z"})
    return values.astype(float).where(keep)


def _make_table(
    values: pd.DataFrame,
    status: pd.DataFrame,
    rules: DisclosureRules,
    *,
    caption: str,
    kind: str,
    notes: Sequence[str] = (),
    decimals: int | None = None,
    total_label: str | None = None,
    rounded: bool = False,
) -> ProtectedTable:
    values = values.astype(float)
    notes = list(notes)
    if rounded and rules.rounding_base:
        values = _round_counts(values, status, rules.rounding_base)
        notes.append(
            f"Counts are rounded to the nearest {rules.rounding_base}; totals are "
            f"rounded separately, so they may not equal the sum of their parts."
        )
    pub = _published(values, status)
    return ProtectedTable(
        display=_display(pub, status, kind, decimals),
        values=pub,
        status=status.astype(object),
        caption=caption,
        rule=rules.sentence(),
        kind=kind,
        notes=tuple(notes),
        total_label=total_label,
    )


def _round_counts(values: pd.DataFrame, status: pd.DataFrame, base: int) -> pd.DataFrame:
    """Each published cell and total rounded on its own to the nearest `base` (half up)."""
    rounded = np.floor(values.to_numpy() / base + 0.5) * base
    return pd.DataFrame(rounded, index=values.index, columns=values.columns)


# --------------------------------------------------------------------------------------------
# The equation system behind one or more tables, and the LPs over it


@dataclass
class _System:
    """Cells (variables) and the equations tying them together, across any number of tables."""

    keys: list[Hashable] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    index: dict[Hashable, int] = field(default_factory=dict)
    equations: list[dict[int, float]] = field(default_factory=list)

    def var(self, key: Hashable, value: float, cost: float | None = None) -> int:
        """The variable for `key`, created on first use; a reused key must agree in value."""
        if key in self.index:
            k = self.index[key]
            if abs(self.value[k] - value) > _TOL:
                raise ValueError(
                    f"linked cell {key!r} has two different values: {self.value[k]:g} and {value:g}"
                )
            return k
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.value.append(float(value))
        self.cost.append(float(value) + 1.0 if cost is None else float(cost))
        return self.index[key]

    def add_sum(self, total: int, parts: Iterable[int]) -> None:
        """Record total = sum(parts)."""
        eq: dict[int, float] = {total: -1.0}
        for p in parts:
            eq[p] = eq.get(p, 0.0) + 1.0
        eq = {k: c for k, c in eq.items() if c != 0}
        if eq:
            self.equations.append(eq)

    @property
    def n(self) -> int:
        return len(self.keys)


_highs_banner_done = False


def _new_highs():
    """A silent HiGHS instance (the first one in a process prints a banner to fd 1)."""
    global _highs_banner_done
    import highspy

    if not _highs_banner_done:
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _highs_banner_done = True
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _pass_lp(h, n_col: int, cost, lower, upper, rows: list[dict[int, float]], rhs_lo, rhs_hi):
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(rhs_lo, dtype=float)
    lp.row_upper_ = np.asarray(rhs_hi, dtype=float)
    starts, idx, vals = [0], [], []
    for row in rows:
        for k in sorted(row):
            idx.append(k)
            vals.append(row[k])
        starts.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(vals, dtype=float)
    h.passModel(lp)


def _intervals(system: _System, hidden: set[int], cells: Iterable[int]) -> dict[int, tuple]:
    """Feasibility interval of each of `cells` given every cell outside `hidden` published.

    The intruder's LP: hidden cells are unknown non-negative reals, published cells are fixed,
    every equation holds. Returns {cell: (min, max)}; max is inf when unbounded.
    """
    import highspy

    cols = sorted(hidden)
    col_of = {k: i for i, k in enumerate(cols)}
    val = system.value
    rows, rhs = [], []
    for eq in system.equations:
        row = {col_of[k]: c for k, c in eq.items() if k in col_of}
        if row:
            rows.append(row)
            rhs.append(-sum(c * val[k] for k, c in eq.items() if k not in col_of))
    h = _new_highs()
    _pass_lp(
        h,
        len(cols),
        np.zeros(len(cols)),
        np.zeros(len(cols)),
        np.full(len(cols), highspy.kHighsInf),
        rows,
        rhs,
        rhs,
    )
    out = {}
    for cell in cells:
        i = col_of[cell]
        h.changeColCost(i, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                bounds.append(h.getInfo().objective_function_value)
            elif status == highspy.HighsModelStatus.kUnbounded:
                bounds.append(math.inf)
            else:
                raise RuntimeError(f"disclosure audit LP failed: {h.modelStatusToString(status)}")
        h.changeColCost(i, 0.0)
        out[cell] = (bounds[0], bounds[1])
    return out


def _failures(
    system: _System, hidden: set[int], need: Mapping[int, tuple[float, float]]
) -> dict[int, tuple[bool, bool]]:
    """Cells whose interval does not reach (value − lpl, value + upl): {cell: (low_ok, up_ok)}."""
    if not need:
        return {}
    found = _intervals(system, hidden, need)
    out = {}
    for k, (lo, hi) in found.items():
        lpl, upl = need[k]
        v = system.value[k]
        low_ok = lo <= v - lpl + _TOL
        up_ok = hi >= v + upl - _TOL
        if not (low_ok and up_ok):
            out[k] = (low_ok, up_ok)
    return out


def _cells_to_move(system: _System, hidden: set[int], free: set[int], cell: int, shift: float) -> set[int]:
    """The cheapest set of cells that must change when `cell` moves by `shift`.

    Variables are up/down moves of every cell; equations must still hold and no cell may go
    negative. Cells already hidden (or never published) move for (almost) nothing, so the LP
    reuses them before hiding anything new.
    """
    import highspy

    n = system.n
    val = np.asarray(system.value)
    cost = np.asarray(system.cost, dtype=float)
    cheap = np.array([k in hidden or k in free for k in range(n)])
    c = np.where(cheap, 1e-4, cost)
    lower = np.zeros(2 * n)
    upper = np.concatenate([np.full(n, highspy.kHighsInf), val])  # down-move ≤ value
    if shift > 0:
        lower[cell] = upper[cell] = shift
        upper[n + cell] = 0.0
    else:
        lower[n + cell] = upper[n + cell] = -shift
        upper[cell] = 0.0
    rows = [
        {**{k: co for k, co in eq.items()}, **{n + k: -co for k, co in eq.items()}} for eq in system.equations
    ]
    zeros = np.zeros(len(rows))
    h = _new_highs()
    _pass_lp(h, 2 * n, np.concatenate([c, c]), lower, upper, rows, zeros, zeros)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return set()
    x = np.asarray(h.getSolution().col_value)
    moved = (x[:n] + x[n:]) > 1e-7
    return {k for k in range(n) if moved[k]}


def _sequential_protect(
    system: _System, hidden: set[int], free: set[int], need: Mapping[int, tuple[float, float]]
) -> set[int]:
    """Add complementary cells until every cell in `need` reaches its protection levels.

    One pass, smallest cells first: hiding more cells only widens intervals, so a cell that
    is protected stays protected; the closing audit proves it.
    """
    hidden = set(hidden)
    for cell in sorted(need, key=lambda k: (system.value[k], k)):
        for _ in range(3):
            failing = _failures(system, hidden, {cell: need[cell]})
            if not failing:
                break
            low_ok, up_ok = failing[cell]
            lpl, upl = need[cell]
            if not up_ok:
                hidden |= _cells_to_move(system, hidden, free, cell, upl)
            if not low_ok:
                hidden |= _cells_to_move(system, hidden, free, cell, -lpl)
    if _failures(system, hidden, need):
        raise RuntimeError("secondary suppression left a hidden cell pinned down")
    return hidden


def _prune(
    system: _System,
    hidden: set[int],
    fixed: set[int],
    need: Mapping[int, tuple[float, float]],
    budget: int = 150,
) -> set[int]:
    """Publish again any complementary cell that turns out not to be needed (largest first).

    Each trial is a full audit, so it is skipped when trials × audited cells exceed `budget`
    (the pattern is already safe; pruning only shows more).
    """
    optional = sorted(hidden - fixed, key=lambda k: (-system.cost[k], k))
    if len(optional) * max(1, len(need)) > budget:
        return hidden
    for k in optional:
        trial = hidden - {k}
        if not _failures(system, trial, need):
            hidden = trial
    return hidden


def _drop_pinned(system: _System, hidden: set[int], fixed: set[int]) -> set[int]:
    """Publish complementary cells an intruder can work out exactly anyway.

    A pinned cell is the same in every table consistent with what is published, so showing
    it (all of them at once) changes no interval; hiding it would only suggest protection
    that is not there.
    """
    optional = hidden - fixed
    if not optional:
        return hidden
    found = _intervals(system, hidden, optional)
    pinned = {k for k, (lo, hi) in found.items() if hi - lo <= _TOL}
    return hidden - pinned


# --------------------------------------------------------------------------------------------
# τ-ARGUS for a single flat 2-D table


def _tau_argus_pattern(interior: np.ndarray, rules: DisclosureRules) -> set[tuple[int, int]] | None:
    """Hidden cells (row, col; totals at index R / C) from τ-ARGUS OPT, or None if unavailable.

    Labels are replaced by safe codes (τ-ARGUS files are ';'-separated fixed-width text).
    """
    try:
        from pytauargus import protect
    except ImportError:  # pragma: no cover - pytauargus is a declared dependency
        return None
    n_rows, n_cols = interior.shape
    rcode = [f"r{i:03d}" for i in range(n_rows)]
    ccode = [f"c{j:03d}" for j in range(n_cols)]
    micro = {"R": [], "C": [], "one": []}
    for (i, j), v in np.ndenumerate(interior):
        micro["R"] += [rcode[i]] * int(v)
        micro["C"] += [ccode[j]] * int(v)
        micro["one"] += [1] * int(v)
    if not micro["one"]:
        return set()
    rule = f"FREQ({int(rules.min_count)},{int(math.ceil(float(rules.protection_percent)))})"
    workdir = tempfile.mkdtemp(prefix="cip-tau-")
    here = os.getcwd()
    try:
        # The native solver writes its logs (CSPlogfile.txt, FullJJ.log, cspSCIP.*) into the
        # current directory; run it inside the scratch folder so they never reach the repo.
        # (chdir is process-wide: the pipeline protects tables from one thread only.)
        os.chdir(workdir)
        result = protect(
            micro, [["R", "C"]], response="one", safety_rules=rule, suppress="OPT(1)", workdir=workdir
        )
        rows = result.tables[0].rows
    except Exception:  # τ-ARGUS failed: fall back to our own method
        return None
    finally:
        os.chdir(here)
        shutil.rmtree(workdir, ignore_errors=True)
    r_at = {c: i for i, c in enumerate(rcode)} | {"Total": n_rows}
    c_at = {c: j for j, c in enumerate(ccode)} | {"Total": n_cols}
    return {(r_at[r["R"]], c_at[r["C"]]) for r in rows if r["status"] in ("U", "M")}


# --------------------------------------------------------------------------------------------
# Counts


def _as_count_frame(counts: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(counts, ProtectedTable):
        raise DisclosureError("this table is already protected")
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of counts, got {type(counts).__name__}")
    data = np.nan_to_num(frame.astype(float).to_numpy(), nan=0.0)
    if np.any(data < 0) or np.any(np.abs(data - np.round(data)) > 1e-9):
        raise ValueError("organisation counts must be non-negative whole numbers")
    return pd.DataFrame(np.round(data), index=frame.index, columns=frame.columns)


def _row_order(labels: Sequence, hierarchy: Mapping | None, total_label: str) -> tuple[list, dict]:
    """Published row order and {parent: children}; a parent row comes before its children."""
    children: dict = {}
    top: list = []
    for lab in labels:
        parent = (hierarchy or {}).get(lab)
        if parent is None or parent == lab:
            top.append(lab)
        else:
            if parent not in children:
                top.append(parent)
            children.setdefault(parent, []).append(lab)
    clash = set(children) & set(labels)
    if clash:
        raise ValueError(f"hierarchy parents {sorted(map(str, clash))} are also rows of the table")
    order: list = []
    for lab in top:
        order.append(lab)
        order.extend(children.get(lab, []))
    children[total_label] = top
    return order, children


def _full_table(
    frame: pd.DataFrame, children: Mapping, order: list, total_label: str, totals: bool
) -> pd.DataFrame:
    """The table as published, with subtotal rows and row/column/grand totals added."""
    data = frame.to_numpy(dtype=float)
    rows = {lab: data[i] for i, lab in enumerate(frame.index)}
    for parent in [p for p in children if p != total_label]:
        rows[parent] = np.sum([rows[c] for c in children[parent]], axis=0)
    labels = list(order)
    body = [rows[lab] for lab in order]
    if totals:
        labels.append(total_label)
        body.append(data.sum(axis=0))
    out = np.vstack(body) if body else np.zeros((0, data.shape[1]))
    columns = list(frame.columns)
    if totals and frame.shape[1] > 1:  # a one-column table's total is its total row
        out = np.hstack([out, out.sum(axis=1, keepdims=True)])
        columns.append(total_label)
    return pd.DataFrame(
        out,
        index=pd.Index(labels, name=frame.index.name, dtype=object),
        columns=pd.Index(columns, name=frame.columns.name, dtype=object),
    )


def _add_table(
    system: _System,
    name: Hashable,
    full: pd.DataFrame,
    children: Mapping,
    total_label: str,
    *,
    col_total: bool,
    share: str | None,
) -> dict:
    """Register a table's cells and equations; returns {(row, col): var}."""
    cols = [c for c in full.columns if not (col_total and c == total_label)]
    var = {}
    for r in full.index:
        for c in full.columns:
            key = (name, r, c)
            if share == "rows" and col_total and c == total_label:
                key = ("*shared*", r, c)
            elif share == "columns" and r == total_label:
                key = ("*shared*", r, c)
            var[(r, c)] = system.var(key, full.at[r, c])
    for parent, kids in children.items():
        if parent not in full.index:
            continue
        for c in full.columns:
            system.add_sum(var[(parent, c)], [var[(k, c)] for k in kids])
    if col_total:
        for r in full.index:
            system.add_sum(var[(r, total_label)], [var[(r, c)] for c in cols])
    return var


def _primary(value: float, rules: DisclosureRules) -> bool:
    if value == 0:
        return not rules.zero_is_safe
    return value < rules.min_count


def _need(system: _System, cells: Iterable[int], rules: DisclosureRules) -> dict[int, tuple]:
    """Protection levels (lower, upper) for hidden cells that must not be pinned down."""
    out = {}
    for k in cells:
        v = system.value[k]
        level = rules.protection_level(v)
        out[k] = (min(v, level), level)
    return out


def _suppressed_labels(obj) -> set:
    """Cells to keep hidden, from an old ProtectedTable or an iterable of (row, col)."""
    if obj is None:
        return set()
    if isinstance(obj, ProtectedTable):
        s = obj.suppressed
        return {(r, c) for r in s.index for c in s.columns if s.at[r, c]}
    return {tuple(x) for x in obj}


@dataclass
class _Spec:
    name: Hashable
    full: pd.DataFrame
    var: dict
    col_total: bool


def _solve(
    system: _System,
    specs: list[_Spec],
    rules: DisclosureRules,
    *,
    forced: Mapping[Hashable, set],
    unpublished: set,
    use_tau: bool,
) -> set[int]:
    """Choose the hidden cells for the whole system (primary, forced, then complementary)."""
    primary = {k for k in range(system.n) if _primary(system.value[k], rules)}
    forced_vars = {s.var[rc] for s in specs for rc in forced.get(s.name, ()) if rc in s.var}
    free = {v for s in specs if s.name in unpublished for v in s.var.values()}
    need = _need(system, primary | forced_vars, rules)
    hidden = primary | forced_vars | free
    if use_tau:
        spec = specs[0]
        body = spec.full.iloc[:-1, :-1].to_numpy()
        pattern = _tau_argus_pattern(body, rules)
        if pattern is not None:
            rows, cols = list(spec.full.index), list(spec.full.columns)
            hidden |= {spec.var[(rows[i], cols[j])] for i, j in pattern}
            if not _failures(system, hidden, need):
                return _drop_pinned(system, hidden, primary | forced_vars | free)
    hidden = _sequential_protect(system, hidden, free, need)
    hidden = _prune(system, hidden, primary | forced_vars | free, need)
    return _drop_pinned(system, hidden, primary | forced_vars | free)


def _status_frame(spec: _Spec, system: _System, hidden: set[int], rules: DisclosureRules) -> pd.DataFrame:
    status = pd.DataFrame("safe", index=spec.full.index, columns=spec.full.columns, dtype=object)
    for (r, c), k in spec.var.items():
        v = system.value[k]
        if k in hidden:
            status.at[r, c] = "primary" if _primary(v, rules) else "secondary"
        elif v == 0:
            status.at[r, c] = "zero"
    return status


def _prepare(counts, hierarchy, total_label, totals):
    frame = _as_count_frame(counts)
    order, children = _row_order(list(frame.index), hierarchy, total_label)
    if not totals:
        children = {p: k for p, k in children.items() if p != total_label}
    full = _full_table(frame, children, order, total_label, totals)
    return full, children


def protect_counts(
    counts: pd.DataFrame,
    rules: DisclosureRules,
    *,
    caption: str,
    totals: bool = True,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress=None,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Protect a cross-table (or one column) of organisation counts.

    Adds subtotal rows for `hierarchy` ({row: parent row}, e.g. region → nation; the grand
    total plays the UK) and, when `totals`, a total row and column. `also_suppress` (an older
    ProtectedTable or (row, col) pairs) keeps cells hidden that another published table hid,
    so the two cannot be differenced (e.g. the same members last year).
    """
    return protect_linked(
        {"t": counts},
        rules,
        captions={"t": caption},
        share=None,
        totals=totals,
        total_label=total_label,
        hierarchy=hierarchy,
        also_suppress={"t": also_suppress},
        notes={"t": notes},
    )["t"]


def protect_linked(
    tables: Mapping[Hashable, pd.DataFrame],
    rules: DisclosureRules,
    *,
    captions: Mapping[Hashable, str],
    share: str | None = "rows",
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]] = (),
    unpublished: Iterable[Hashable] = (),
    totals: bool = True,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress: Mapping[Hashable, Any] | None = None,
    notes: Mapping[Hashable, Sequence[str]] | None = None,
) -> dict[Hashable, ProtectedTable]:
    """Protect several count tables with one suppression pattern, so none undoes another.

    * `share="rows"`: the tables describe the same organisations by the same row categories
      (e.g. region × type and region × size), so their row totals are one and the same cells;
      `"columns"` likewise for column totals; None for independent tables.
    * `relations`: [(target, (part, ...)), ...] cell-wise sums between tables of the same
      shape, e.g. ("applicants", ("members", "not_selected")).
    * `unpublished`: tables that only take part in `relations` (never published); their small
      cells are protected as if they were published.
    * `hierarchy`: {row: parent} for every table (region → nation; the total is the UK).
    Returns {name: ProtectedTable} for the published tables.
    """
    unpublished = set(unpublished)
    also = {k: _suppressed_labels(v) for k, v in (also_suppress or {}).items()}
    system = _System()
    specs = []
    for name, counts in tables.items():
        full, children = _prepare(counts, hierarchy, total_label, totals)
        col_total = totals and full.shape[1] > len(_as_count_frame(counts).columns)
        var = _add_table(system, name, full, children, total_label, col_total=col_total, share=share)
        specs.append(_Spec(name, full, var, col_total))
    _add_relations(system, specs, relations)
    single = (
        len(specs) == 1
        and not hierarchy
        and not also.get(specs[0].name)
        and rules.zero_is_safe
        and specs[0].col_total
        and totals
        and specs[0].full.shape[0] > 2
    )
    hidden = _solve(system, specs, rules, forced=also, unpublished=unpublished, use_tau=single)
    out = {}
    for spec in specs:
        if spec.name in unpublished:
            continue
        status = _status_frame(spec, system, hidden, rules)
        out[spec.name] = _make_table(
            spec.full,
            status,
            rules,
            caption=captions[spec.name],
            kind="count",
            notes=(notes or {}).get(spec.name) or (),
            total_label=total_label if totals else None,
            rounded=True,
        )
    return out


def _add_relations(system: _System, specs: list[_Spec], relations) -> None:
    by_name = {s.name: s for s in specs}
    for target, parts in relations:
        t = by_name[target]
        for rc, k in t.var.items():
            if all(rc in by_name[p].var for p in parts):
                system.add_sum(k, [by_name[p].var[rc] for p in parts])


def protect_frequencies(
    series: pd.Series,
    rules: DisclosureRules,
    *,
    caption: str,
    total_label: str = "Total",
    hierarchy: Mapping | None = None,
    also_suppress=None,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """A one-way table of organisation counts with its total.

    A lone hidden cell would be recovered from the total, so a second cell (the cheapest that
    protects it) is hidden too, or the total when nothing else will do.
    """
    if isinstance(series, pd.DataFrame):
        if series.shape[1] != 1:
            raise ValueError("protect_frequencies takes one column; use protect_counts")
        series = series.iloc[:, 0]
    frame = series.to_frame(name=series.name if series.name is not None else "count")
    forced = {(r, frame.columns[0]) for r, *_ in _suppressed_labels(also_suppress)}
    return protect_counts(
        frame,
        rules,
        caption=caption,
        totals=True,
        total_label=total_label,
        hierarchy=hierarchy,
        also_suppress=forced or None,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Money


def _money_primary(contrib: np.ndarray, rules: DisclosureRules) -> str | None:
    """'primary' (too few contributors), 'dominance' (NK rule) or None (safe)."""
    positive = np.sort(np.abs(contrib[contrib != 0]))[::-1]
    if len(positive) == 0:
        return None
    if len(positive) < rules.money_min_contributors:
        return "primary"
    top = positive[: int(rules.dominance_n)].sum()
    if top > float(rules.dominance_k) / 100.0 * positive.sum() + 1e-9:
        return "dominance"
    return None


def _money_levels(contrib: np.ndarray, reason: str, rules: DisclosureRules) -> tuple[float, float]:
    """How far a hidden £ figure must stay uncertain, either side.

    Dominance: far enough up that the largest `dominance_n` would no longer hold `dominance_k`
    % of it (τ-ARGUS's NK protection level), so the total no longer reveals their share. Too
    few contributors: `protection_percent` of the figure, as for counts.
    """
    total = float(np.abs(contrib).sum())
    if reason == "dominance":
        top = np.sort(np.abs(contrib))[::-1][: int(rules.dominance_n)].sum()
        level = max(1.0, math.ceil(100.0 / float(rules.dominance_k) * top - total))
    else:
        level = rules.protection_level(total)
    return min(total, level), level


def protect_money(
    values: pd.DataFrame,
    value_col: str,
    by: str | Sequence[str] | None = None,
    rules: DisclosureRules | None = None,
    *,
    caption: str,
    stat: str = "sum",
    total_label: str = "Total",
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Totals (or means) of £ by group, from one row per organisation.

    A figure is hidden when fewer than `money_min_contributors` organisations have a non-zero
    value, or when the largest `dominance_n` hold more than `dominance_k` % of it; then enough
    other group totals are hidden that the overall total does not give it away. A mean is
    hidden exactly where the matching total is (mean × count = total).
    """
    if rules is None:
        raise TypeError("protect_money needs the disclosure rules")
    if stat not in ("sum", "mean"):
        raise ValueError("stat must be 'sum' or 'mean'")
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    if len(by) > 2:
        raise ValueError("protect_money groups by at most two columns")
    data = values[[*by, value_col]].dropna(subset=[value_col])
    groups, full_keys = _money_groups(data, by, value_col, total_label)
    system = _System()
    var = {}
    for key, contrib in groups.items():
        var[key] = system.var(key, float(contrib.sum()))
    _money_equations(system, var, by, total_label)
    prim = {var[key]: _money_primary(groups[key], rules) for key in var}
    need = {var[key]: _money_levels(groups[key], prim[var[key]], rules) for key in var if prim[var[key]]}
    hidden = _sequential_protect(system, set(need), set(), need)
    hidden = _drop_pinned(system, _prune(system, hidden, set(need), need), set(need))
    return _money_table(
        groups,
        var,
        prim,
        hidden,
        system,
        by,
        value_col,
        stat,
        rules,
        caption=caption,
        total_label=total_label,
        decimals=decimals,
        notes=notes,
    )


def _money_groups(data: pd.DataFrame, by: list, value_col: str, total_label: str):
    """{(row, col): contributions} including every margin."""
    row_key = by[0] if by else None
    col_key = by[1] if len(by) > 1 else None
    rows = sorted(data[row_key].dropna().unique(), key=str) if row_key else []
    cols = sorted(data[col_key].dropna().unique(), key=str) if col_key else []
    groups = {}
    for r in [*rows, total_label] if row_key else [total_label]:
        for c in [*cols, total_label] if col_key else [value_col]:
            mask = np.ones(len(data), dtype=bool)
            if row_key and r != total_label:
                mask &= (data[row_key] == r).to_numpy()
            if col_key and c != total_label:
                mask &= (data[col_key] == c).to_numpy()
            groups[(r, c)] = data.loc[mask, value_col].to_numpy(dtype=float)
    return groups, (rows, cols)


def _money_equations(system: _System, var: dict, by: list, total_label: str) -> None:
    rows = list(dict.fromkeys(r for r, _ in var))
    cols = list(dict.fromkeys(c for _, c in var))
    if by:
        for c in cols:
            system.add_sum(var[(total_label, c)], [var[(r, c)] for r in rows if r != total_label])
    if len(by) > 1:
        for r in rows:
            system.add_sum(var[(r, total_label)], [var[(r, c)] for c in cols if c != total_label])


def _money_table(
    groups, var, prim, hidden, system, by, value_col, stat, rules, *, caption, total_label, decimals, notes
) -> ProtectedTable:
    rows = list(dict.fromkeys(r for r, _ in var))
    cols = list(dict.fromkeys(c for _, c in var))
    values = pd.DataFrame(
        np.nan,
        index=pd.Index(rows, name=by[0] if by else None),
        columns=pd.Index(cols, name=by[1] if len(by) > 1 else None),
    )
    status = pd.DataFrame("safe", index=values.index, columns=values.columns, dtype=object)
    for (r, c), k in var.items():
        contrib = groups[(r, c)]
        if stat == "sum":
            values.at[r, c] = system.value[k]
        elif len(contrib):
            values.at[r, c] = float(contrib.mean())
        if k in hidden:
            status.at[r, c] = prim[k] or "secondary"
        elif len(contrib) == 0:
            status.at[r, c] = "z" if stat == "mean" else "zero"
        elif system.value[k] == 0 and stat == "sum":
            status.at[r, c] = "zero"
    return _make_table(
        values,
        status,
        rules,
        caption=caption,
        kind="money",
        decimals=decimals,
        notes=notes,
        total_label=total_label if by else None,
    )


# --------------------------------------------------------------------------------------------
# Figures derived from protected counts


def _base_frame(base, rules: DisclosureRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, status) of the base: a ProtectedTable, or raw counts (primary rule only)."""
    if isinstance(base, ProtectedTable):
        return base.values, base.status
    frame = _as_count_frame(base)
    status = frame.map(lambda v: "primary" if _primary(v, rules) else ("zero" if v == 0 else "safe"))
    return frame, status.astype(object)


def _share_base(counts: ProtectedTable, of: str, label) -> tuple[np.ndarray, np.ndarray]:
    """(base value, base status) broadcast to the table's shape."""
    vals, st = counts.values, counts.status
    if of == "auto":
        of = "row" if label in vals.columns else "column"
    if of == "row" and label in vals.columns:
        base, base_st = vals[[label]].to_numpy(), st[[label]].to_numpy()
    elif of == "column" and label in vals.index:
        base, base_st = vals.loc[[label]].to_numpy(), st.loc[[label]].to_numpy()
    elif of == "total" and label in vals.index:
        col = label if label in vals.columns else vals.columns[0]
        base, base_st = np.array([[vals.at[label, col]]]), np.array([[st.at[label, col]]])
    elif of in ("row", "column", "total"):
        raise DisclosureError(f"the count table has no '{label}' total to take shares of")
    else:
        raise ValueError("of must be 'auto', 'row', 'column' or 'total'")
    return np.broadcast_to(base, vals.shape), np.broadcast_to(base_st, vals.shape)


def protect_shares(
    protected_counts: ProtectedTable,
    rules: DisclosureRules | None = None,
    *,
    caption: str,
    of: str = "auto",
    total_label: str | None = None,
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Percentages of a protected count table, hidden wherever the count or its base is.

    `of`: 'row' (each cell / its row total), 'column' (/ its column total), 'total' (/ the
    grand total) or 'auto' (row when the table has a total column, else column). Shares are
    computed from the published counts only, so they can reveal nothing the counts do not.
    """
    counts = require_protected(protected_counts)
    if counts.kind != "count":
        raise DisclosureError("shares are computed from a protected table of counts")
    label = total_label or counts.total_label or "Total"
    base, base_st = _share_base(counts, of, label)
    vals, st = counts.values, counts.status
    with np.errstate(invalid="ignore", divide="ignore"):
        share = vals.to_numpy() / np.where(base > 0, base, np.nan)
    cell_st = st.to_numpy()
    new = np.where(
        np.isin(cell_st, list(HIDDEN_STATUSES)),
        cell_st,
        np.where(np.isin(base_st, list(HIDDEN_STATUSES)), "secondary", np.where(base == 0, "z", "safe")),
    )
    status = pd.DataFrame(new, index=vals.index, columns=vals.columns, dtype=object)
    values = _published(pd.DataFrame(share, index=vals.index, columns=vals.columns), status)
    return ProtectedTable(
        display=_display(values, status, "share", decimals),
        values=values,
        status=status,
        caption=caption,
        rule=counts.rule,
        kind="share",
        notes=tuple(notes) or ("Percentages are not shown where their count or base is hidden.",),
        total_label=counts.total_label,
    )


def _mean_status(mean: float, count: float, base_status: str, rules: DisclosureRules) -> str:
    """A mean is hidden with its base, over too few organisations, and [z] over none."""
    if base_status in HIDDEN_STATUSES or base_status in ("na", "z"):
        return base_status
    if np.isnan(count):
        return "na"
    if count == 0:
        return "z"
    if _primary(count, rules):
        return "primary"
    return "na" if np.isnan(mean) else "safe"


def protect_means(
    means: pd.DataFrame | pd.Series,
    base_counts,
    rules: DisclosureRules,
    *,
    caption: str,
    decimals: int = 1,
    kind: str = "mean",
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Means (e.g. Likert scores) shown only where the number of organisations behind them is.

    `base_counts` is the protected count table the means are over (same labels; a one-column
    base matches a one-column table whatever the column is called), or raw counts (then a mean
    of fewer than `min_count` organisations is hidden: it is close to one organisation's
    answer). A mean over no one is [z]; a mean whose base is unknown is [x].
    """
    frame = (means.to_frame() if isinstance(means, pd.Series) else means).astype(float)
    counts, base_status = _base_frame(base_counts, rules)
    if counts.shape[1] == 1 and frame.shape[1] == 1:
        counts = counts.set_axis(frame.columns, axis=1)
        base_status = base_status.set_axis(frame.columns, axis=1)
    counts = counts.reindex(index=frame.index, columns=frame.columns)
    base_status = base_status.reindex(index=frame.index, columns=frame.columns).fillna("na")
    status = pd.DataFrame(
        [
            [
                _mean_status(frame.iat[i, j], counts.iat[i, j], base_status.iat[i, j], rules)
                for j in range(frame.shape[1])
            ]
            for i in range(frame.shape[0])
        ],
        index=frame.index,
        columns=frame.columns,
        dtype=object,
    )
    return _make_table(frame, status, rules, caption=caption, kind=kind, decimals=decimals, notes=notes)


def protect_probabilities(
    probabilities: pd.Series | pd.DataFrame,
    group_counts,
    rules: DisclosureRules,
    *,
    caption: str,
    decimals: int = 0,
    notes: Sequence[str] = (),
) -> ProtectedTable:
    """Selection chances by group, hidden where the group is small.

    A group's probability of selection is, for a group of one or two, the chance of a named
    organisation; so it is shown only where the group count would itself be published.
    """
    return protect_means(
        probabilities,
        group_counts,
        rules,
        caption=caption,
        decimals=decimals,
        kind="probability",
        notes=notes,
    )


def round_table(table: ProtectedTable, base: int) -> ProtectedTable:
    """Round every published count (totals too) independently to `base`, with a note."""
    require_protected(table)
    if table.kind != "count":
        raise DisclosureError("only tables of counts are rounded")
    values = _published(_round_counts(table.values, table.status, base), table.status)
    note = (
        f"Counts are rounded to the nearest {base}; totals are rounded separately, so "
        f"they may not equal the sum of their parts."
    )
    return ProtectedTable(
        display=_display(values, table.status, "count"),
        values=values,
        status=table.status,
        caption=table.caption,
        rule=table.rule,
        kind=table.kind,
        notes=(*table.notes, note),
        total_label=table.total_label,
    )


__all__ = [
    "SUPPRESSED",
    "NOT_AVAILABLE",
    "NOT_APPLICABLE",
    "STATUSES",
    "DisclosureError",
    "DisclosureRules",
    "ProtectedTable",
    "rule_sentence",
    "require_protected",
    "format_value",
    "protect_counts",
    "protect_linked",
    "protect_frequencies",
    "protect_money",
    "protect_shares",
    "protect_means",
    "protect_probabilities",
    "round_table",
]
