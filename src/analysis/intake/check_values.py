"""`cip-analysis check`'s reading of values the way a run reads them: dates, excluded rows, shares.

Each function uses the run's own reader (`dates.read_dates`, `exclude.exclusions`, the parsers of
`fields` on a scratch log), so check and run can never disagree about a value. Findings are
(message, rows, stops) with no answer's text. Imports only the intake modules below it.
"""

from __future__ import annotations

import json

import pandas as pd

from analysis.intake.dates import CLOCK_RULE, date_setting, read_dates, swapped
from analysis.intake.exclude import exclusions
from analysis.intake.fields import amount_maximum, parse_amount, parse_multi, parse_scale, parse_single
from analysis.intake.quality import TableLog, unusable_message, unusable_over


def check_dates(text: pd.Series, kind: str, table: str, inputs: dict) -> tuple[list[tuple], list[str]]:
    """Findings of a date or timestamp column, and the settings lines when the fix is known."""
    key = "timestamp_format" if kind == "timestamp" else "date_format"
    fmt, setting = date_setting(inputs, table, key)
    stamps = kind == "timestamp"
    column = read_dates(
        text,
        fmt,
        setting,
        what="timestamp" if stamps else "date",
        required=kind != "optional_date",
        in_row_order=stamps,
        timezone=inputs.get("timezone", "Europe/London") if stamps else None,
    )
    found = [(f.message, f.rows, f.blocking) for f in column.findings]
    if column.clock_change_rows:
        found.append(
            (
                f"{len(column.clock_change_rows)} timestamp(s) fall in the hour repeated when the clocks "
                f"go back; {CLOCK_RULE} (counted)",
                column.clock_change_rows,
                False,
            )
        )
    hint = []
    if any(swapped(fmt) in f.message for f in column.blocking):
        what = "timestamp" if stamps else "date"
        hint = [
            f"# every {what} of the {table} export reads the other way round:",
            f"[inputs.formats.{table}]",
            f"{key} = {json.dumps(swapped(fmt))}",
            "",
        ]
    return found, hint


def excluded_rows(frame: pd.DataFrame, columns: dict, table: str, config) -> tuple[pd.DataFrame, list[tuple]]:
    """The frame without the rows `[inputs] exclude_responses` names, as intake will leave them out."""
    rules = config.section("inputs").get("exclude_responses", [])
    if not rules:
        return frame, []
    names = frame[columns["org_name"]] if "org_name" in columns else None
    stamps = frame[columns["submitted_at"]] if "submitted_at" in columns else None
    rows, problems = exclusions(rules, table, names, stamps)
    found = [(message, [], stop) for message, stop in problems]
    if rows:
        found.append(
            (
                f"{len(rows)} row(s) left out by inputs.exclude_responses (rejected with the rule's reason)",
                sorted(rows),
                False,
            )
        )
    return frame.drop(index=list(rows)), found


def unusable_share(text: pd.Series, kind: str, fld: str, options: dict, config, inputs: dict) -> list[tuple]:
    """The run's own parser on a scratch log: a field over `max_unusable_share` stops here too."""
    log, scales = TableLog(fld), config.section("scales")
    if kind == "single":
        parse_single(text, options, log, fld)
    elif kind == "multi":
        parse_multi(text, options, log, fld, "x_")
    elif kind in ("level", "likert"):
        lo, hi = (scales.get(f"{kind}_min", 1), scales.get(f"{kind}_max", 5))
        parse_scale(text, lo, hi, log, fld, options=options or None)
    elif kind in ("count", "money"):
        limit = amount_maximum(inputs, fld, money=kind == "money")
        parse_amount(text, log, fld, money=kind == "money", maximum=limit)
    share = inputs.get("max_unusable_share", 0.05)
    return [
        (unusable_message(*found, share).split(": ", 1)[1], found[3], True)
        for found in unusable_over(log, share)
    ]
