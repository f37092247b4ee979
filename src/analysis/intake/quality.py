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
    # field → (answers given, rows whose answer could not be used): the run stops above a share.
    unusable: dict[str, tuple[int, list[int]]] = field(default_factory=dict)

    def reject(self, row: int, reason: str) -> None:
        self.rejections.append({"row": int(row), "reason": reason})

    def correct(self, key: str, n: int = 1, warning: str | None = None, *, field: str | None = None) -> None:
        if n:
            self.corrections[key] += int(n)
            if field:
                self.by_field.setdefault(field, Counter())[key] += int(n)
            if warning:
                self.warnings.append(warning)

    def answers(self, field: str, given: int, unusable_rows) -> None:
        """Record how many answers a field had and which rows' answers could not be used."""
        old_given, old_rows = self.unusable.get(field, (0, []))
        self.unusable[field] = (old_given + int(given), old_rows + [int(r) for r in unusable_rows])

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
            "unusable_by_field": {
                f: {"answers": given, "unusable": len(rows)}
                for f, (given, rows) in sorted(self.unusable.items())
                if rows
            },
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


def unusable_over(log: TableLog, share: float) -> list[tuple[str, int, int, list[int]]]:
    """(field, unusable, answers, rows) for every field whose unusable share passes `share`."""
    return [
        (name, len(rows), given, rows)
        for name, (given, rows) in sorted(log.unusable.items())
        if rows and given and len(rows) / given > share
    ]


def unusable_message(name: str, bad: int, given: int, rows: list[int], share: float) -> str:
    """Why a field stops a run, and the fix; no answer's text (the caller gives the rows)."""
    return (
        f"{name}: {bad} of {given} answer(s) ({bad / given:.0%}) could not be used, more than "
        f"inputs.max_unusable_share = {share:g}, so a run stops: fix the export, add the answers to "
        "the field's [options.*] or [inputs.max_value], or raise inputs.max_unusable_share"
    )
