"""What an analysis hands on: the results of one area, ready for its appendix and the brief.

Each analysis notebook builds a `Findings`, shows it (the technical appendix) and saves it;
the policy brief notebook loads every area's findings instead of recomputing them.
Only protected tables and their charts go in, so everything saved here is publishable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.disclosure import ProtectedTable


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
        return path

    @classmethod
    def load(cls, directory: Path, area: str) -> Findings:
        d = json.loads((directory / f"{area}.json").read_text(encoding="utf-8"))
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
