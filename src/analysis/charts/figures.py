"""A drawn chart as a publishable figure, and whether a chart is worth drawing at all.

`ChartResult` carries the figure, its alt text, the protected table behind it and the
title/subtitle/source that the HTML puts in `<figure>`/`<figcaption>` (deliberately not drawn
inside the image, so a screen reader meets them as text). Charts are rendered as SVG with text
kept as text (sharp when zoomed, vector in the PDF) and deterministically (fixed id salt, no
date in the metadata), so the same inputs give byte-identical HTML on any day. Layer: present; imports
`analysis.disclosure`, `analysis.findings` and the style and cells of this package.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure as MplFigure

from analysis.charts.cells import drawn_cols, drawn_rows
from analysis.charts.describe import compose_alt
from analysis.charts.style import style_context
from analysis.disclosure import ProtectedTable, require_protected
from analysis.findings import Figure


@dataclass
class ChartResult:
    """A chart plus everything a reader without sight of it needs."""

    figure: MplFigure
    alt: str
    table: ProtectedTable
    title: str
    subtitle: str
    source: str
    _svg: str | None = field(default=None, repr=False)

    @classmethod
    def described(
        cls, figure: MplFigure, table: ProtectedTable, kind: str, detail: str, *, title, subtitle, source, alt
    ) -> ChartResult:
        """The result every chart returns: its own alt text, else one composed from the chart
        type, the message (title) and the key values (`detail`)."""
        return cls(figure, alt or compose_alt(kind, title, detail), table, title, subtitle, source)

    def svg(self) -> str:
        """Render once to SVG (deterministic text), then clear the figure to free memory."""
        if self._svg is None:
            buf = io.StringIO()
            with style_context():
                self.figure.savefig(
                    buf,
                    format="svg",
                    facecolor="white",
                    metadata={"Date": None},
                    bbox_inches="tight",
                    pad_inches=0.05,
                )
            self._svg = _scalable(buf.getvalue())
            self.figure.clear()
        return self._svg

    def to_figure(self, key: str, in_brief: bool = False) -> Figure:
        """The publishable `analysis.findings.Figure` (SVG, alt text, protected table)."""
        return Figure(
            key=key,
            title=self.title,
            subtitle=self.subtitle,
            alt=self.alt,
            source=self.source,
            svg=self.svg(),
            table=self.table,
            in_brief=in_brief,
        )


_PROLOGUE = re.compile(r"\A<\?xml[^>]*>\s*<!DOCTYPE[^>]*>\s*")


def _scalable(svg: str) -> str:
    """The SVG without its XML prologue: no reader or renderer ever fetches the DTD it names.

    The viewBox matplotlib writes is what lets the chart scale to any screen width.
    """
    return _PROLOGUE.sub("", svg, count=1)


def says_something(table: ProtectedTable, min_shown: int = 2, max_hidden_share: float = 0.5) -> bool:
    """Whether a chart of `table` would tell a reader anything a sentence or the table cannot.

    A chart says nothing when it has fewer than `min_shown` published values (a single bar),
    fewer than two published values that are not zero (nothing to compare: all zeros), or when
    more than `max_hidden_share` of its cells are withheld (almost all `[c]`). Totals are left
    out, as in the charts themselves. Such a chart is not offered for the brief, and the
    appendix shows its table instead (`as_table_instead`).
    """
    pt = require_protected(table)
    rows, cols = drawn_rows(pt), drawn_cols(pt)
    if not rows or not cols:
        return False
    vals = pt.values.loc[rows, cols].apply(pd.to_numeric, errors="coerce").astype(float)
    shown = int(vals.notna().to_numpy().sum())
    nonzero = int((vals.fillna(0).to_numpy() != 0).sum())
    hidden_share = 1 - shown / vals.size
    return shown >= min_shown and nonzero >= 2 and hidden_share <= max_hidden_share


def as_table_instead(figure: Figure, reason: str | None = None) -> ProtectedTable:
    """The data table of a chart that says nothing, captioned with the chart's message and a note.

    Nothing is recomputed: the published cells are the chart's own, so they agree with the text.
    """
    note = reason or ("Not charted: with so few values published, a chart would add nothing to this table.")
    return figure.table.annotated(note)


def split_informative(
    figures: Iterable[Figure], reason: str | None = None
) -> tuple[list[Figure], dict[str, ProtectedTable]]:
    """Figures worth drawing, and the tables (by figure key) that stand in for those that are not."""
    keep, tables = [], {}
    for f in figures:
        if says_something(f.table):
            keep.append(f)
        else:
            tables[f.key] = as_table_instead(f, reason)
    return keep, tables
