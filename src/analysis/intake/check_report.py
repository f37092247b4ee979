"""What `cip-analysis check` reports: its findings by file and field, and the settings block.

Kept apart from the checks themselves (`check`, `check_values`, `check_identity`) so the report's
wording and layout live in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_ROWS_SHOWN = 10  # row numbers listed per finding before '… (n rows)'


@dataclass
class Problem:
    """One finding: where, how many rows, and whether it would stop a run or change a number."""

    file: str
    field: str
    message: str
    rows: list[int] = field(default_factory=list)
    blocking: bool = True

    def line(self) -> str:
        tag = "STOP " if self.blocking else "count"
        return f"  [{tag}] {self.message}{rows_text(self.rows)}"


@dataclass
class Report:
    """Every problem found, and the settings lines that would resolve the fixable ones."""

    year: int
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)  # table → {header: field}
    ignore: dict[str, list[str]] = field(default_factory=dict)  # table → headers
    option_hints: list[str] = field(default_factory=list)
    format_hints: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    def text(self) -> str:
        """Plain text for a terminal: problems grouped by file and field, then the settings block."""
        out = [f"cip-analysis check {self.year}: {len(self.files)} input file(s)"]
        for name in dict.fromkeys([*self.files, *(p.file for p in self.problems)]):  # settings too
            found = [p for p in self.problems if p.file == name]
            out.append(f"\n{name}: " + ("no problems" if not found else f"{len(found)} finding(s)"))
            for fld in dict.fromkeys(p.field for p in found):
                out.append(f"  {fld}")
                out += ["  " + p.line() for p in found if p.field == fld]
        n_stop = sum(p.blocking for p in self.problems)
        n_count = len(self.problems) - n_stop
        out.append(
            f"\n{n_stop} finding(s) would stop a run or change a number silently (STOP); "
            f"{n_count} would be counted in the quality log (count)."
        )
        block = self.settings_block()
        if block:
            out += ["", block]
        out.append(
            "\nResult: "
            + ("NOT READY, fix the STOP findings and check again" if self.blocking else "ready to run")
        )
        return "\n".join(out)

    def settings_block(self) -> str:
        """TOML for the year's settings file; commented lines need a person's decision."""
        lines = []
        for table, renames in self.mapping.items():
            lines.append(f"[mapping.{table}]")
            lines += [f"{toml_text(h)} = {toml_text(f)}" for h, f in renames.items()]
            lines.append("")
        if self.ignore:
            lines.append("[inputs.ignore_columns]")
            for table, headers in self.ignore.items():
                lines.append(f"{table} = [" + ", ".join(toml_text(h) for h in headers) + "]")
            lines.append("")
        lines += self.format_hints + self.option_hints
        if not lines:
            return ""
        head = [
            "# ---- settings to paste into the year's settings file (config/<year>.toml or --config) ----",
            "# Merge with any table of the same name already there; TOML allows each table once.",
        ]
        return "\n".join(head + lines).rstrip()


def row_list(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_SHOWN])
    return shown + (f", … ({len(rows)} rows)" if len(rows) > MAX_ROWS_SHOWN else "")


def rows_text(rows: list[int]) -> str:
    return f" (row{'s' if len(rows) > 1 else ''} {row_list(rows)})" if rows else ""


def toml_text(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)
