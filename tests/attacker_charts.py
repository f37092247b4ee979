"""The attacker's reading of the charts: each value a chart prints is the cell of its table it shows.

Every published chart is an SVG (inline, or an image's data URI) in a `<figure>` followed by its
data table. A reader pairs each value label with the category label on the same line (bars along
the y axis) or in the same column (bars along the x axis), and with the panel title above it
(small multiples, one panel per table column). Such a value is the same unknown as the table's
cell: a count the chart prints where the table shows `[c]` gives the cell away, and any value a
chart prints where its table hides the cell (a rate, a share, £) is flagged. Where a row has several
value columns and no panel says which (a dumbbell's two ends), the value must match one printed
cell of its row. Axis tick labels are the scale, never values; maps (values placed on regions, not
on a line) are left to the small-count scan (`published_counts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

from attacker_model import Model, add_table, norm
from attacker_read import HIDDEN, Table, tables_in_html
from published_counts import AXIS_TICK, _svg_from_src

_VALUE = re.compile(r"^(?:\[c\]|£?\d[\d,]*(?:\.\d+)?%?)$")
_POS = re.compile(
    r"(?:translate|rotate)\(\s*-?[\d.]+\s+([\d.-]+)\s+([\d.-]+)\)|translate\(([\d.-]+)\s+([\d.-]+)\)"
)
NEAR = 10.0  # px: a value label within this of a category label's line belongs to it


@dataclass(frozen=True)
class Label:
    """One text of a chart, where it stands and whether it is an axis tick or a bold title."""

    text: str
    x: float
    y: float
    tick: bool
    bold: bool


def chart_labels(svg: str) -> list[Label]:
    soup = BeautifulSoup(svg, "html.parser")
    out = []
    for t in soup.find_all("text"):
        text = " ".join(t.get_text(" ").split())
        pos = _position(t)
        if not text or pos is None:
            continue
        tick = any(g.name == "g" and AXIS_TICK.match(g.get("id") or "") for g in t.parents)
        out.append(Label(text, *pos, tick, "font-weight: 700" in (t.get("style") or "")))
    return out


def _position(tag) -> tuple[float, float] | None:
    if tag.get("x") is not None and tag.get("y") is not None:
        try:
            return float(tag["x"]), float(tag["y"])
        except ValueError:
            return None
    m = _POS.search(tag.get("transform") or "")
    if not m:
        return None
    a, b = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
    return float(a), float(b)


def figures(html: str, document: str) -> list[tuple[list[Label], Table, str]]:
    """Each chart of an HTML document with the data table that follows it and its alt text."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for fig in soup.find_all("figure"):
        svgs = [_svg_from_src(img.get("src", "")) for img in fig.find_all("img")]
        svgs = [s for s in svgs if s] + [str(s) for s in fig.find_all("svg")]
        table = fig.find("table") or fig.find_next("table")
        if not svgs or table is None:
            continue
        parsed = tables_in_html(str(table), document)
        if parsed:
            alt = " ".join(img.get("alt", "") for img in fig.find_all("img"))
            out.append(([lab for s in svgs for lab in chart_labels(s)], parsed[0], alt))
    return out


def _anchor(label: Label, rows: list[str]) -> str | None:
    """The row a category label names (a whole label, its first line or a later line of it)."""
    text = norm(label.text)
    exact = [r for r in rows if norm(r) == text]
    if exact:
        return exact[0]
    if len(text) < 4 or re.fullmatch(r"[\d.,%£\[\]c ]+", text):
        return None
    part = [r for r in rows if text in norm(r)]
    return part[0] if len(part) == 1 else None


def chart_cells(labels: list[Label], table: Table) -> list[tuple[str, str | None, str]]:
    """(row label, column header or None, printed value) for each value label of a chart."""
    rows = [r[0] for r in table.rows if r]
    heads = [h for h in table.header[1:]]
    anchors = [(lab, _anchor(lab, rows)) for lab in labels]
    anchors = [(lab, r) for lab, r in anchors if r is not None]
    panels = [
        (lab, h)
        for lab in labels
        if lab.bold and not lab.tick
        for h in heads
        if norm(h) == norm(lab.text) or (len(lab.text) > 3 and norm(h).startswith(norm(lab.text)))
    ]
    out = []
    for lab in labels:
        if lab.tick or lab.bold or not _VALUE.match(lab.text) or any(lab is a for a, _ in anchors):
            continue
        near_y = min(anchors, key=lambda a: abs(a[0].y - lab.y), default=None)
        near_x = min(anchors, key=lambda a: abs(a[0].x - lab.x), default=None)
        if near_y and abs(near_y[0].y - lab.y) < NEAR and near_y[0].x < lab.x:
            row = near_y[1]
        elif near_x and abs(near_x[0].x - lab.x) < NEAR / 2 and near_x[0].y > lab.y:
            row = near_x[1]
        else:
            continue
        left = [(p, h) for p, h in panels if p.x <= lab.x + 1]
        single = _value_columns(table)
        if left:
            column = max(left, key=lambda p: p[0].x)[1]
        else:
            column = table.header[single[0]] if len(single) == 1 else None
        out.append((row, column, lab.text))
    return out


def _value_columns(table: Table) -> list[int]:
    return [j for j in range(1, len(table.header)) if any(j < len(r) and r[j].strip() for r in table.rows)]


def chart_facts(model: Model, html: str, document: str, year: int, callout: int | None = None) -> None:
    """Register every chart value as its table's cell; flag values the table hides or contradicts."""
    for labels, table, alt in figures(html, document):
        by_row = {r[0]: r for r in table.rows if r}
        alt_flags(model, alt, table, document)
        for row_label, column, value in chart_cells(labels, table):
            row = by_row[row_label]
            where = f"{document} | chart of {table.caption[:60]} | {row_label} | {column or '?'}: {value}"
            if column is None:
                printed = [c for c in row[1:] if c.strip() != HIDDEN]
                if value != HIDDEN and value not in printed and HIDDEN in row[1:]:
                    model.flags.append(f"{where}: not a printed cell of its row, which hides a cell")
                continue
            j = table.header.index(column)
            cell = row[j] if j < len(row) else ""
            if value != HIDDEN and cell.strip() == HIDDEN:
                model.flags.append(f"{where}: printed where the table shows [c]")
            elif value != HIDDEN and cell.strip() != value:
                model.flags.append(f"{where}: the table prints {cell!r}")
            # the table's column with the chart's value in its row: the same keys and partitions
            cells = [[r[0], value if r[0] == row_label else (r[j] if j < len(r) else "")] for r in table.rows]
            add_table(
                model,
                Table(f"{document} (chart)", table.caption, [table.header[0], column], cells),
                year,
                callout=callout,
            )


_ALT_VALUE = r"(?: \(|: | )(£?\d[\d,]*(?:\.\d+)?%?)(?![\d,.]*\d)"


def alt_flags(model: Model, alt: str, table: Table, document: str) -> None:
    """A chart's alt text ("Wales (3)", "2025: 10", "2024 £19,270") may not print a value for a
    row where its table hides a cell, unless the value is one the row prints."""
    for row in table.rows:
        if not row or HIDDEN not in [c.strip() for c in row[1:]]:
            continue
        printed = {c.strip() for c in row[1:]}
        for m in re.finditer(re.escape(row[0]) + _ALT_VALUE, alt):
            if m.group(1) not in printed:
                model.flags.append(
                    f"{document} | alt text of the chart of {table.caption[:60]}: {row[0]} {m.group(1)} where the table hides a cell"
                )
