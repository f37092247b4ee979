"""`ProtectedTable`: a table that has passed disclosure control, the only kind charts and briefs accept.

It refuses any frame that could leak a hidden number, survives a JSON round trip unchanged,
renders as accessible HTML, and is the one place new tables are made from published cells
(`derive`, `relabel`, `subset`, `side_by_side`, `from_cells`, `reformat`, `withhold`,
`annotated`), so no caller assembles the three frames by hand. A table straight from the
protection of counts also carries, off the record, its hidden cells' true values and each
cell's origin (the caption and labels it was protected under): never in `to_json`, only in the
findings' internal truth file, for the joint protection of the whole publication
(`disclosure.joint`). Imports `analysis.text` and `disclosure.rules` and `.cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from analysis.disclosure.cells import (
    HIDDEN_STATUSES,
    STATUSES,
    display_cells,
    label_text,
    labels_from_json,
    labels_to_json,
    normalise_frame,
    published,
)
from analysis.disclosure.rules import DisclosureRules, round_counts, rounding_note
from analysis.text import NOT_APPLICABLE, SUPPRESSED, is_missing

# What a derived table takes from its source unless told otherwise.
_KEEP: Any = object()
ORIGIN_SEP = "\x1f"  # between caption, row and column in a cell's origin


def origin_id(caption: str, row: Any, column: Any) -> str:
    """A cell's origin: the caption and labels it was protected under (stable across relabelling)."""
    return ORIGIN_SEP.join((str(caption), label_text(row), label_text(column)))


def origin_frame(caption: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The origin of every cell of a table protected under `caption`."""
    data = [[origin_id(caption, r, c) for c in frame.columns] for r in frame.index]
    return pd.DataFrame(data, index=frame.index, columns=frame.columns, dtype=object)


class DisclosureError(ValueError):
    """An unprotected table was passed where only a protected one may go."""


def _relabelled(labels: pd.Index, new: Any) -> list:
    """New labels from a mapping (unlisted labels kept), a function or a sequence."""
    if isinstance(new, Mapping):
        return [new.get(v, v) for v in labels]
    if callable(new):
        return [new(v) for v in labels]
    new = list(new)
    if len(new) != len(labels):
        raise DisclosureError(f"relabel needs {len(labels)} labels, got {len(new)}")
    return new


# --------------------------------------------------------------------------------------------
# The table


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
    # Off the record (internal only, never in to_json): hidden cells' true values (NaN elsewhere)
    # and each cell's origin "caption␟row␟column" from its protection; None unless known.
    truth: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    origin: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Normalise the three frames and refuse any table that could leak a hidden number."""
        for name in ("display", "values", "status"):
            if not isinstance(getattr(self, name), pd.DataFrame):
                raise DisclosureError(f"ProtectedTable.{name} must be a DataFrame")
        values = normalise_frame(self.values.astype(float), float)
        display = normalise_frame(self.display.astype(object), object)
        status = normalise_frame(self.status.astype(object), object)
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
        for name, dtype in (("truth", float), ("origin", object)):
            frame = getattr(self, name)
            if frame is None:
                continue
            frame = normalise_frame(frame.astype(dtype), dtype)
            if frame.shape != values.shape:
                raise DisclosureError(f"ProtectedTable.{name} does not match the values' shape")
            frame = frame.set_axis(values.index, axis=0).set_axis(values.columns, axis=1)
            if name == "truth":
                frame = frame.where(hidden)
            object.__setattr__(self, name, frame)

    # ---- new tables from published cells ----------------------------------------------------
    @classmethod
    def derive(
        cls,
        values: pd.DataFrame,
        status: pd.DataFrame | str,
        *,
        caption: str,
        rule: str,
        kind: str = "count",
        decimals: int | Mapping[str, int | None] | None = None,
        column_kinds: Mapping[Hashable, str] | None = None,
        notes: Sequence[str] = (),
        total_label: str | None = None,
    ) -> ProtectedTable:
        """A table of figures worked out from published cells (rates, shares, cells side by side).

        `status` (a frame like `values`, or one status for every cell) says which cells stay
        hidden: their numbers are dropped and the display is written by `analysis.text`, so a
        derived table cannot carry a number its source hid, nor print it differently.
        """
        values = values.astype(float)
        if isinstance(status, str):
            status = pd.DataFrame(status, index=values.index, columns=values.columns, dtype=object)
        status = status.astype(object)
        shown = published(values, status)
        return cls(
            display=display_cells(shown, status, kind, decimals, column_kinds),
            values=shown,
            status=status,
            caption=caption,
            rule=rule,
            kind=kind,
            notes=tuple(notes),
            total_label=total_label,
        )

    def _frames(self, change: Callable[[pd.DataFrame], pd.DataFrame], **meta: Any) -> ProtectedTable:
        """The same cells with `change` applied to all frames alike (the off-record ones too)."""
        frames = {name: change(getattr(self, name)) for name in ("display", "values", "status")}
        for name in ("truth", "origin"):
            frames[name] = None if getattr(self, name) is None else change(self._off_record(name))
        return replace(self, **frames, **meta)

    def _off_record(self, name: str) -> pd.DataFrame:
        """`truth` or `origin` under the values' labels (a caller may have renamed those in place)."""
        return getattr(self, name).set_axis(self.values.index, axis=0).set_axis(self.values.columns, axis=1)

    def relabel(
        self,
        index: Any = None,
        columns: Any = None,
        *,
        index_name: Any = _KEEP,
        columns_name: Any = _KEEP,
    ) -> ProtectedTable:
        """The same cells under new labels: a mapping (others kept), a function or a list, per axis.

        The total label follows its row or column when that is relabelled.
        """
        new_index = self.values.index if index is None else _relabelled(self.values.index, index)
        new_cols = self.values.columns if columns is None else _relabelled(self.values.columns, columns)
        new_index = pd.Index(new_index, name=self.values.index.name if index_name is _KEEP else index_name)
        new_cols = pd.Index(
            new_cols, name=self.values.columns.name if columns_name is _KEEP else columns_name
        )
        total = self.total_label
        for old, new in ((self.values.index, new_index), (self.values.columns, new_cols)):
            at = old.get_loc(self.total_label) if self.total_label in old else None
            if isinstance(at, int) and new[at] != self.total_label:
                total = None if is_missing(new[at]) else new[at]
        return self._frames(
            lambda f: f.set_axis(new_index, axis=0).set_axis(new_cols, axis=1), total_label=total
        )

    def subset(
        self,
        rows: Sequence | None = None,
        columns: Sequence | None = None,
        *,
        transpose: bool = False,
        caption: str | None = None,
    ) -> ProtectedTable:
        """Part of the table (rows and columns in the order given), optionally turned on its side."""

        def cut(frame: pd.DataFrame) -> pd.DataFrame:
            out = frame.loc[
                list(rows) if rows is not None else frame.index,
                list(columns) if columns is not None else frame.columns,
            ]
            return out.T if transpose else out

        return self._frames(cut, caption=caption or self.caption)

    @classmethod
    def side_by_side(
        cls,
        tables: Mapping[Hashable, ProtectedTable],
        *,
        caption: str,
        column: Hashable = None,
        columns_name: Any = None,
        notes: Sequence[str] | None = None,
    ) -> ProtectedTable:
        """One column from each table (their first unless `column` is named), under the tables' keys.

        Each cell is as its own table published it; rule, kind and total label come from the
        first table, the notes from all of them unless given.
        """
        if not tables:
            raise DisclosureError("side_by_side needs at least one protected table")
        parts = {k: require_protected(t) for k, t in tables.items()}

        def side(attr: str) -> pd.DataFrame:
            frames = {
                k: t._off_record(attr) if attr in ("truth", "origin") else getattr(t, attr)
                for k, t in parts.items()
            }
            cols = {k: (f.iloc[:, 0] if column is None else f[column]) for k, f in frames.items()}
            out = pd.concat(cols, axis=1)
            out.columns.name = columns_name
            return out

        first = next(iter(parts.values()))
        known = all(t.truth is not None and t.origin is not None for t in parts.values())
        return cls(
            display=side("display"),
            values=side("values"),
            status=side("status"),
            caption=caption,
            rule=first.rule,
            kind=first.kind,
            notes=tuple(dict.fromkeys(n for t in parts.values() for n in t.notes))
            if notes is None
            else notes,
            total_label=first.total_label,
            truth=side("truth") if known else None,
            origin=side("origin") if known else None,
        )

    @classmethod
    def from_cells(
        cls,
        cells: Mapping[Hashable, Mapping[Hashable, tuple[float | None, str, str]]],
        *,
        caption: str,
        rule: str,
        kind: str,
        index_name: Hashable = None,
        notes: Sequence[str] = (),
        total_label: str | None = None,
    ) -> ProtectedTable:
        """Cells already published elsewhere, gathered into one table: {row: {column: (value, text, status)}}.

        For a summary that quotes several protected tables (or differences of their published
        values); a cell a row lacks is not applicable ([z]). The usual checks still refuse a
        hidden cell that carries a number.
        """
        rows = list(cells)
        cols = list(dict.fromkeys(c for r in rows for c in cells[r]))
        blank = (None, NOT_APPLICABLE, "z")
        index = pd.Index(rows, name=index_name)

        def frame(i: int) -> pd.DataFrame:
            data = [[cells[r].get(c, blank)[i] for c in cols] for r in rows]
            return pd.DataFrame(data, index=index, columns=cols, dtype=object)

        return cls(
            display=frame(1),
            values=frame(0).apply(pd.to_numeric, errors="coerce").astype(float),
            status=frame(2),
            caption=caption,
            rule=rule,
            kind=kind,
            notes=tuple(notes),
            total_label=total_label,
        )

    def reformat(self, kind: str, decimals: int | None = None) -> ProtectedTable:
        """The same cells and statuses printed as another kind (e.g. a magnitude as a plain count)."""
        if kind == self.kind and decimals is None:
            return self
        return replace(self, display=display_cells(self.values, self.status, kind, decimals), kind=kind)

    def withhold(self, reason: str) -> ProtectedTable:
        """Every cell hidden as secondary, with the reason as a note.

        For a linked table that would let a reader recover a hidden figure by subtraction
        (a three-year total when one year's total is withheld).
        """
        status = pd.DataFrame("secondary", index=self.values.index, columns=self.values.columns, dtype=object)
        truth = None if self.truth is None else self.truth.fillna(self.values)
        return replace(
            self,
            truth=truth,
            display=status.map(lambda _: SUPPRESSED),
            values=self.values.map(lambda _: np.nan),
            status=status,
            notes=(*self.notes, reason),
        )

    def annotated(self, *notes: str) -> ProtectedTable:
        """The same table with further notes."""
        return replace(self, notes=(*self.notes, *notes))

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
            "index": labels_to_json(self.values.index),
            "columns": labels_to_json(self.values.columns),
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
        index = labels_from_json(d["index"])
        columns = labels_from_json(d["columns"])

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
        head = "".join(f'<th scope="col">{escape(label_text(c))}</th>' for c in cols)
        lines = [
            '<table class="protected-table">',
            f"<caption>{escape(self.caption)}</caption>",
            f'<thead><tr><th scope="col">{escape(self._index_title())}</th>{head}</tr></thead>',
            "<tbody>",
        ]
        for label, row in zip(self.display.index, self.display.to_numpy()):
            cells = "".join(f"<td>{escape(str(v))}</td>" for v in row)
            lines.append(f'<tr><th scope="row">{escape(label_text(label))}</th>{cells}</tr>')
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
        frame.index = pd.Index([label_text(i) for i in frame.index])
        frame.columns = pd.Index([label_text(c) for c in frame.columns], name=self._index_title())
        return frame.style.set_caption(self.caption).set_table_attributes('class="protected-table"')


def require_protected(obj: Any) -> ProtectedTable:
    """`obj` if it is a ProtectedTable; otherwise a DisclosureError naming what was passed."""
    if not isinstance(obj, ProtectedTable):
        raise DisclosureError(
            f"expected a ProtectedTable from analysis.disclosure, got {type(obj).__name__}: "
            "pass every published table through analysis.disclosure first"
        )
    return obj


def protected_table(
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
    """The published table once the statuses are decided: the rule's sentence, rounding if set."""
    values = values.astype(float)
    notes = list(notes)
    if rounded and rules.rounding_base:
        values = round_counts(values, rules.rounding_base)
        notes.append(rounding_note(rules.rounding_base))
    return ProtectedTable.derive(
        values,
        status,
        caption=caption,
        rule=rules.sentence(),
        kind=kind,
        decimals=decimals,
        notes=notes,
        total_label=total_label,
    )
