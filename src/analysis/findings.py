"""What an analysis hands on: the results of one area, ready for its appendix and the brief.

Each analysis notebook builds a `Findings`, shows it (the technical appendix) and saves it;
the policy brief notebook loads every area's findings instead of recomputing them.
Only protected tables and their charts go in, so everything saved here is publishable. Beside
it, `<area>.truth.json` keeps what the tables carry off the record (hidden cells' true values,
cells' origins) for the joint protection of the whole publication: internal, never published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.disclosure import ProtectedTable

TRUTH_SUFFIX = ".truth.json"  # internal/findings/<area>.truth.json


def _off_record(table: ProtectedTable) -> dict:
    """A table's hidden true values and cells' origins, as rows of lists (None: not hidden)."""
    truth = table.truth
    return {
        "truth": None
        if truth is None
        else [[None if v != v else float(v) for v in row] for row in truth.to_numpy()],
        "origin": table.origin.to_numpy().tolist(),
    }


def _on_record(table: ProtectedTable, off: dict | None) -> ProtectedTable:
    """`table` with the truth and origins `_off_record` saved (unchanged when none were)."""
    if off is None:
        return table

    def frame(rows, dtype):
        return pd.DataFrame(rows, index=table.values.index, columns=table.values.columns, dtype=dtype)

    truth = None if off["truth"] is None else frame(off["truth"], float)
    return replace(table, truth=truth, origin=frame(off["origin"], object))


@dataclass
class Figure:
    """A rendered chart: SVG text plus what a reader without sight of it needs."""

    key: str
    title: str  # headline stating the message
    subtitle: str  # measure, geography, period, rounding
    alt: str  # short alt text: chart type and message
    source: str  # source note
    svg: str  # the chart as SVG (text kept as text)
    table: ProtectedTable  # the data behind it, as published
    in_brief: bool = False

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "subtitle": self.subtitle,
            "alt": self.alt,
            "source": self.source,
            "svg": self.svg,
            "table": self.table.to_json(),
            "in_brief": self.in_brief,
        }

    @classmethod
    def from_json(cls, d: dict) -> Figure:
        return cls(
            key=d["key"],
            title=d["title"],
            subtitle=d["subtitle"],
            alt=d["alt"],
            source=d["source"],
            svg=d["svg"],
            table=ProtectedTable.from_json(d["table"]),
            in_brief=d.get("in_brief", False),
        )


@dataclass
class Findings:
    """One analysis area's publishable results."""

    area: str  # 'geography', 'readiness', 'selection', 'outcomes'
    heading: str  # statement heading for the brief section
    key_messages: list[str] = field(default_factory=list)  # full sentences, numbers from data
    brief_text: str = ""  # markdown paragraphs for the brief section (templated)
    method_notes: str = ""  # markdown for the brief's method notes
    figures: list[Figure] = field(default_factory=list)
    # Published tables by name, in the order the appendix shows them: findings.tables["by_region"].
    tables: dict[str, ProtectedTable] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)  # JSON-safe numbers already protected
    policy_asks: list[str] = field(default_factory=list)

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.area}.json"
        payload = {
            "area": self.area,
            "heading": self.heading,
            "key_messages": self.key_messages,
            "brief_text": self.brief_text,
            "method_notes": self.method_notes,
            "figures": [f.to_json() for f in self.figures],
            "tables": {name: t.to_json() for name, t in self.tables.items()},
            "table_order": list(self.tables),
            "facts": self.facts,
            "policy_asks": self.policy_asks,
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        truth = {
            "tables": {name: _off_record(t) for name, t in self.tables.items() if t.origin is not None},
            "figures": {f.key: _off_record(f.table) for f in self.figures if f.table.origin is not None},
        }
        (directory / f"{self.area}{TRUTH_SUFFIX}").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        return path

    @classmethod
    def load(cls, directory: Path, area: str) -> Findings:
        """The saved findings, their tables carrying the off-record truth when it is beside them."""
        d = json.loads((directory / f"{area}.json").read_text(encoding="utf-8"))
        found = cls._load(d)
        truth = directory / f"{area}{TRUTH_SUFFIX}"
        if truth.exists():
            off = json.loads(truth.read_text(encoding="utf-8"))
            found.tables = {n: _on_record(t, off["tables"].get(n)) for n, t in found.tables.items()}
            for fig in found.figures:
                fig.table = _on_record(fig.table, off["figures"].get(fig.key))
        return found

    @classmethod
    def _load(cls, d: dict) -> Findings:
        return cls(
            area=d["area"],
            heading=d["heading"],
            key_messages=d["key_messages"],
            brief_text=d["brief_text"],
            method_notes=d["method_notes"],
            figures=[Figure.from_json(f) for f in d["figures"]],
            tables={name: ProtectedTable.from_json(d["tables"][name]) for name in d["table_order"]},
            facts=d["facts"],
            policy_asks=d.get("policy_asks", []),
        )

    def __repr__(self) -> str:
        """A short summary for notebooks: what is in here, not the SVG of every chart."""
        tables = ", ".join(self.tables) or "none"
        figures = ", ".join(f.key for f in self.figures) or "none"
        return (
            f"<Findings {self.area}: {len(self.key_messages)} key messages; "
            f"tables: {tables}; figures: {figures}>"
        )
