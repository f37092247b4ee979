"""`cip-analysis check`: every problem of every input of a year, in one pass, before a run.

Ingest stops at the first problem so nothing half-read is published; staff fixing a real export
need the whole list at once, with the settings lines that fix it. This module reads the same
files ingest reads, writes nothing, and never shows a respondent's typed text: a problem is
described by its file, field, count and spreadsheet rows (header = row 1), and by the nearest
configured question or option. Imports only the intake modules below it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from analysis.intake.check_identity import identity_findings
from analysis.intake.check_report import Problem, Report, row_list, toml_text
from analysis.intake.check_values import check_dates, excluded_rows, unusable_share
from analysis.intake.comparison import REQUIRED as COMPARISON_REQUIRED
from analysis.intake.comparison import rows_outside_pool
from analysis.intake.fields import (
    AMOUNT_PROBLEMS,
    Options,
    amount_maximum,
    blank_to_na,
    fold,
    match_multi,
    maximum_fields_message,
    normalise_option,
    read_amounts,
    scale_text,
    unknown_maximum_fields,
)
from analysis.intake.quality import IntakeError
from analysis.intake.read import read_export
from analysis.intake.schemas import (
    BENEFIT_ITEMS,
    NUMERIC_FIELDS,
    READINESS_ITEMS,
    SURVEY_COUNTS,
    SURVEY_MONEY,
)
from analysis.intake.tables import CALLOUT_REQUIRED, ROSTER_REQUIRED, SURVEY_REQUIRED, WORKSHOP_REQUIRED

REQUIRED = {
    "callout": CALLOUT_REQUIRED,
    "member_survey": SURVEY_REQUIRED,
    "workshops": WORKSHOP_REQUIRED,
    "roster": ROSTER_REQUIRED,
    "comparison_survey": COMPARISON_REQUIRED,
}
# How each field is read: (kind, options section). Kinds: timestamp, date, single, multi,
# optional_date (blank allowed), level (a scale given as option labels), likert (numbers or the
# [options.likert] labels), count, money.
_LIKERT = {f: ("likert", "likert") for f in READINESS_ITEMS + BENEFIT_ITEMS}
FIELDS = {
    "callout": {
        "submitted_at": ("timestamp", None),
        **{f: ("single", f) for f in ("org_type", "staff_band", "turnover_band", "region_stated")},
        **{f: ("single", f) for f in ("can_commit_3_years", "research_consent")},
        "practices_used": ("multi", "practices_used"),
        "wants_from_network": ("multi", "wants_from_network"),
        "level_now": ("level", "level"),
        "level_target_2026": ("level", "level"),
        **_LIKERT,
    },
    "member_survey": {
        "submitted_at": ("timestamp", None),
        **{f: ("count", None) for f in SURVEY_COUNTS},
        **{f: ("money", None) for f in SURVEY_MONEY},
        "venture_types": ("multi", "venture_types"),
        "level_now": ("level", "level"),
        **_LIKERT,
    },
    "workshops": {
        "date": ("date", None),
        "format": ("single", "format"),
        "topic": ("single", "topic"),  # only when [options.topic] is set; else dropped unread
        "speakers_count": ("count", None),
        "satisfaction": ("likert", "likert"),
    },
    "roster": {
        "status": ("single", "status"),
        "joined": ("optional_date", None),
        "left": ("optional_date", None),
    },
    "comparison_survey": {
        "submitted_at": ("timestamp", None),
        "level_now": ("level", "level"),
        "practices_started": ("multi", "practices_started"),
        "ventures_started": ("count", None),
        "funding_band": ("single", "funding_band"),
    },
}
MAX_ANSWERS_SHOWN = 8


def _inputs(config) -> list[tuple[str, str, str]]:
    """(label, settings table, relative path) for every input ingest reads, in its order."""
    inputs = config.section("inputs")
    out = [("callout", "callout", inputs["callout"])] if "callout" in inputs else []
    for kind, table in (
        ("member_surveys", "member_survey"),
        ("workshops", "workshops"),
        ("rosters", "roster"),
    ):
        for yr, rel in sorted(inputs.get(kind, {}).items()):
            out.append((f"{kind}/{yr}", table, rel))
    if inputs.get("comparison_survey"):
        out.append(("comparison_survey", "comparison_survey", inputs["comparison_survey"]))
    return out


def check_year(config, raw_root: Path, reports_root: Path | None = None, key: bytes | None = None) -> Report:
    """Read every input of the year and collect all problems; nothing is written.

    `reports_root` holds the draw year's audit pack the roster is compared with (default reports/);
    `key` is the pseudonym key the run will use (default: the sample's for the bundled sample,
    else the real one if it can be found).
    """
    report = Report(year=config.year)
    unknown = unknown_maximum_fields(config.section("inputs"), NUMERIC_FIELDS)
    if unknown:
        report.problems.append(
            Problem("settings", "[inputs.max_value]", maximum_fields_message(unknown, NUMERIC_FIELDS))
        )
    for _, table, rel in _inputs(config):
        report.files.append(str(rel))
        _check_file(Path(raw_root) / rel, str(rel), table, config, report)
    identity_findings(config, raw_root, _inputs(config), report.mapping, _Adder(report), reports_root, key)
    if config.section("inputs").get("comparison_survey"):
        _check_pool(config, raw_root, report)
    return report


class _Adder:
    """How `check_identity` adds its findings and its commented settings lines to the report."""

    def __init__(self, report: Report):
        self.report = report

    def __call__(self, file: str, fld: str, message: str, rows: list[int], blocking: bool) -> None:
        self.report.problems.append(Problem(file, fld, message, rows, blocking))

    def hint(self, text: str) -> None:
        if text not in self.report.option_hints:
            self.report.option_hints += [text, ""]


def _check_pool(config, raw_root: Path, report: Report) -> None:
    """Follow-up returns from members or non-applicants (left out by a run; the outcomes comparison
    also leaves out, and counts, applicants the selection found ineligible)."""
    label = str(config.section("inputs")["comparison_survey"])
    try:
        rows = rows_outside_pool(config, raw_root)
    except IntakeError as exc:
        report.problems.append(Problem(label, "org_name", f"respondents could not be checked: {exc}"))
        return
    if rows:
        message = (
            f"{len(rows)} return(s) come from members or from organisations that did not apply in 2024 "
            "(check the name spelling); a run leaves them out"
        )
        report.problems.append(Problem(label, "org_name", message, rows, blocking=False))


def _check_file(path: Path, label: str, table: str, config, report: Report) -> None:
    mapping = config["mapping"].get(table, {})
    try:
        frame, warnings = read_export(path, config=config, expected_headers=set(mapping), table=table)
    except IntakeError as exc:
        report.problems.append(Problem(label, "(file)", str(exc)))
        return
    for warning in warnings:
        report.problems.append(Problem(label, "(file)", warning, blocking=False))
    columns = _check_columns(frame, mapping, table, label, config, report)
    frame, excluded = excluded_rows(frame, columns, table, config)
    report.problems += [Problem(label, "(excluded rows)", *found) for found in excluded]
    inputs = config.section("inputs")
    for fld, (kind, opts) in FIELDS[table].items():
        options = config["options"].get(opts, {}) if opts else {}
        if fld not in columns or (fld == "topic" and not options):
            continue
        text = blank_to_na(frame[columns[fld]])
        if kind in ("timestamp", "date", "optional_date"):
            problems, hint = check_dates(text, kind, table, inputs)
            if hint and hint[1] not in report.format_hints:
                report.format_hints += hint
        else:
            problems = _check_field(text, kind, options, opts, config, inputs, fld)
            problems += unusable_share(text, kind, fld, options, config, inputs)
        for message, rows, blocking in problems:
            report.problems.append(Problem(label, fld, message, rows, blocking))
        if kind == "multi" or kind in ("single", "level"):
            _option_hints(text, kind, options, opts, label, report, config)


def _check_columns(
    frame: pd.DataFrame, mapping: dict[str, str], table: str, source: str, config, report: Report
) -> dict[str, str]:
    """Field → header, including suggested renames; unknown and missing columns become problems."""
    by_fold = {fold(q): f for q, f in mapping.items()}
    ignored = {fold(c) for c in config.section("inputs").get("ignore_columns", {}).get(table, [])}
    columns: dict[str, str] = {}
    unknown = []
    for col in frame.columns:
        fld = by_fold.get(fold(col))
        if fld is not None:
            columns.setdefault(fld, col)
        elif fold(col) not in ignored:
            unknown.append(col)
    unmapped = {q: f for q, f in mapping.items() if f not in columns}
    for col in unknown:
        guess = difflib.get_close_matches(col, list(unmapped), n=1, cutoff=0.6)
        if guess and unmapped[guess[0]] not in columns:
            fld = unmapped[guess[0]]
            columns[fld] = col
            report.mapping.setdefault(table, {})[col] = fld
            report.problems.append(
                Problem(
                    source,
                    fld,
                    f"column {toml_text(col)} is not in [mapping.{table}]; it looks like the renamed "
                    f"question {toml_text(guess[0])} ({fld}): add the mapping line below (checked here as {fld})",
                )
            )
            continue
        near = difflib.get_close_matches(col, list(mapping), n=1, cutoff=0.6)
        hint = f"; closest configured question: {toml_text(near[0])} ({mapping[near[0]]})" if near else ""
        report.ignore.setdefault(table, []).append(col)
        report.problems.append(
            Problem(
                source,
                "(columns)",
                f"column {toml_text(col)} is not in [mapping.{table}]{hint}. Map it, or ignore it with the "
                "[inputs.ignore_columns] line below",
            )
        )
    left = [c for c in frame.columns if c not in columns.values()]
    for fld in sorted(REQUIRED[table] - set(columns)):
        question = next((q for q, f in mapping.items() if f == fld), fld)
        near = difflib.get_close_matches(question, left, n=1, cutoff=0.3)
        hint = (
            f"; closest unmapped column: {toml_text(near[0])}" if near else "; no similar column in the file"
        )
        report.problems.append(
            Problem(
                source,
                fld,
                f"required question {toml_text(question)} ({fld}) is missing from [mapping.{table}] matches{hint}",
            )
        )
    return columns


def _check_field(text: pd.Series, kind: str, options: dict, section, config, inputs, fld: str) -> list[tuple]:
    """(message, rows, blocking) for one field; messages never hold an answer's text."""
    if kind in ("count", "money"):
        _, reasons = read_amounts(text, amount_maximum(inputs, fld, money=kind == "money"))
        return [
            (
                f"{int((reasons == r).sum())} answer(s) are {AMOUNT_PROBLEMS[r]}; they would be set to missing",
                _idx(reasons == r),
                False,
            )
            for r in AMOUNT_PROBLEMS
            if (reasons == r).any()
        ]
    if kind in ("likert", "level"):
        scales = config.section("scales")
        lo, hi = (
            (scales.get("level_min", 1), scales.get("level_max", 5))
            if kind == "level"
            else (
                scales.get("likert_min", 1),
                scales.get("likert_max", 5),
            )
        )
        values, how = scale_text(text, options or None)
        numbers = pd.to_numeric(values, errors="coerce")
        ok = numbers.between(lo, hi) & (numbers == numbers.round())
        found = _normalised(how)
        if kind == "level":
            unknown = text.notna() & values.isna()
            found += _unmatched(text, unknown, section)
            bad = values.notna() & ~ok.fillna(False)
        else:
            bad = text.notna() & ~ok.fillna(False)
        if bad.any():
            labels = f" nor a label in [options.{section}]" if kind == "likert" and options else ""
            found.append(
                (
                    f"{int(bad.sum())} answer(s) outside {lo}-{hi} or not whole{labels}; they would be set "
                    "to missing",
                    _idx(bad),
                    False,
                )
            )
        return found
    if kind == "single":
        opts = Options(options)
        how = text.map(lambda t: opts.match(t)[1], na_action="ignore")
        return (
            _normalised(how)
            + _other(_idx(how == "other_text"))
            + _unmatched(text, text.notna() & how.isna(), section)
        )
    if kind == "multi":
        n_norm, norm_rows, unknown_rows, other_rows = 0, [], [], []
        for row, t in text.dropna().items():
            _, n, still, other = match_multi(t, options)
            n_norm += n
            norm_rows += [row] * bool(n)
            unknown_rows += [row] * bool(still)
            other_rows += [row] * other
        found = _other(other_rows)
        if n_norm:
            found.append(
                (
                    f"{n_norm} ticked option(s) match only after ignoring case, quotes or trailing punctuation (counted as corrections)",
                    norm_rows,
                    False,
                )
            )
        if unknown_rows:
            found.append(
                (
                    f"{len(unknown_rows)} answer(s) hold a ticked option that is not in [options.{section}]; "
                    "those ticks would be lost (suggestions below)",
                    unknown_rows,
                    True,
                )
            )
        return found
    return []


def _idx(mask: pd.Series) -> list[int]:
    return [int(r) for r in mask[mask].index]


def _other(rows: list[int]) -> list[tuple]:
    if not rows:
        return []
    return [
        (f'{len(rows)} typed "Other: …" answer(s) would be kept as Other, their text dropped', rows, False)
    ]


def _normalised(how: pd.Series) -> list[tuple]:
    mask = how == "normalised"
    if not mask.any():
        return []
    return [
        (
            f"{int(mask.sum())} answer(s) match an option only after ignoring case, quotes or trailing punctuation (counted as corrections)",
            _idx(mask),
            False,
        )
    ]


def _unmatched(text: pd.Series, unknown: pd.Series, section) -> list[tuple]:
    if not unknown.any():
        return []
    groups = text[unknown].map(normalise_option).nunique()
    return [
        (
            f"{int(unknown.sum())} answer(s) ({groups} different) match no option in [options.{section}]; they would be lost (suggestions below)",
            _idx(unknown),
            True,
        )
    ]


def _option_hints(
    text: pd.Series, kind: str, options: dict, section: str, source: str, report: Report, config
) -> None:
    """Commented option lines per distinct unmatched answer, by rows and nearest option, never quoted.

    Only the form's own labels are offered as nearest: a label the year's settings add may be an
    answer a respondent typed, pasted in by staff.
    """
    opts = Options(options)
    added = set(config.added_answers(section)) if hasattr(config, "added_answers") else set()
    form_opts = Options({k: v for k, v in options.items() if k not in added})
    pieces: dict[str, list[int]] = {}
    for row, t in text.dropna().items():
        if kind == "multi":
            unknown = match_multi(t, options).unknown
        else:
            unknown = (
                [] if opts.match(t)[0] is not None or (kind == "level" and t.strip()[:1].isdigit()) else [t]
            )
        for piece in unknown:
            pieces.setdefault(normalise_option(piece), []).append(int(row))
    if not pieces:
        return
    hints = [
        f"# [options.{section}] in {source}: answers that match no option (add a line, or leave them to be counted as missing)"
    ]
    ordered = sorted(pieces.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
    for key, rows in ordered[:MAX_ANSWERS_SHOWN]:
        near = form_opts.nearest(key, n=1)
        code = options[near[0]] if near else "<code>"
        target = f"nearest option {toml_text(near[0])}" if near else "no close option"
        hints.append(f"#   {len(rows)} answer(s) in row(s) {row_list(rows)}; {target}:")
        hints.append(
            f'#   "<the answer exactly as in row {rows[0]}>" = {toml_text(code) if not isinstance(code, bool) else str(code).lower()}'
        )
    if len(ordered) > MAX_ANSWERS_SHOWN:
        rest = sum(len(r) for _, r in ordered[MAX_ANSWERS_SHOWN:])
        hints.append(
            f"#   … and {len(ordered) - MAX_ANSWERS_SHOWN} other different answer(s) in {rest} row(s)"
        )
    report.option_hints += hints + [""]
