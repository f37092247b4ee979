"""The data-quality log: every row received is accounted for, every correction counted.

The bottom of intake: imports nothing from analysis.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class IntakeError(ValueError):
    """An export cannot be read safely. The message is for a researcher, not a programmer."""


@dataclass
class TableLog:
    """What happened to one input table's rows."""

    name: str
    source: str = ""
    received: int = 0
    rejections: list[dict] = field(default_factory=list)  # {"row": n, "reason": ...}
    superseded_rows: list[dict] = field(
        default_factory=list
    )  # {"row": n, "org_id": ..., "replaced_by_row": m}
    corrections: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    by_field: dict[str, Counter] = field(default_factory=dict)  # field → {correction: n}

    def reject(self, row: int, reason: str) -> None:
        self.rejections.append({"row": int(row), "reason": reason})

    def correct(self, key: str, n: int = 1, warning: str | None = None, *, field: str | None = None) -> None:
        if n:
            self.corrections[key] += int(n)
            if field:
                self.by_field.setdefault(field, Counter())[key] += int(n)
            if warning:
                self.warnings.append(warning)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def superseded(self) -> int:
        return len(self.superseded_rows)

    @property
    def kept(self) -> int:
        return self.received - self.rejected - self.superseded

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "received": self.received,
            "kept": self.kept,
            "superseded": self.superseded,
            "rejected": self.rejected,
            "rejections": self.rejections,
            "superseded_rows": self.superseded_rows,
            "corrections": dict(sorted(self.corrections.items())),
            "warnings": self.warnings,
            "corrections_by_field": {f: dict(sorted(c.items())) for f, c in sorted(self.by_field.items())},
        }


def summarise(logs: list[TableLog]) -> dict[str, int]:
    """Counts across tables, for the run summary and the brief's method notes."""
    totals: Counter = Counter()
    for log in logs:
        totals["rows_received"] += log.received
        totals["rows_kept"] += log.kept
        totals["rows_superseded"] += log.superseded
        totals["rows_rejected"] += log.rejected
        totals.update(log.corrections)
    return dict(sorted(totals.items()))
