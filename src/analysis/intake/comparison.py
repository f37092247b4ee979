"""The 2026 follow-up of eligible 2024 applicants who were not drawn → `comparison_survey`.

The lottery made the drawn and the not-drawn eligible applicants alike, so the not-drawn are the
fair comparison group for the members (DATA_MODEL.md 3b). Intake keeps one row per return from a
draw-year applicant who is not on the draw year's roster; a return from anyone else (a member, an
organisation that never applied) is rejected and counted. Which of them were eligible is the
selection's test, applied by the outcomes comparison (intake may not import an analysis area).
Names and typed comments are dropped here. Imports the intake modules below it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.intake.dates import date_setting
from analysis.intake.fields import (
    amount_maximum,
    map_columns,
    parse_amount,
    parse_level,
    parse_multi,
    parse_single,
    parse_timestamps,
    reject_future,
)
from analysis.intake.identity import latest_per_org, reject_blank_names
from analysis.intake.pseudonym import pseudonymise
from analysis.intake.quality import IntakeError, TableLog
from analysis.intake.read import read_export
from analysis.intake.tables import ingest_callout, ingest_roster

TABLE = "comparison_survey"
REQUIRED = {"submitted_at", "org_name", "level_now", "practices_started", "ventures_started", "funding_band"}
NOT_IN_POOL = (
    "not an eligible 2024 applicant who was left undrawn (a member, ineligible, or not an applicant)"
)


def undrawn_pool(applicants: pd.DataFrame, roster: pd.DataFrame, config) -> set[str]:
    """Eligible 2024 applicants (the draw's own test) who are not on the 2024 roster."""
    if roster.empty or not (roster["year"] == config.section("selection").get("draw_year", 2024)).any():
        raise IntakeError(
            "inputs.comparison_survey: the follow-up of applicants not drawn needs the draw year's "
            "roster in [inputs] rosters, to tell members from applicants who were not drawn"
        )
    draw_year = config.section("selection").get("draw_year", 2024)
    members = set(roster.loc[roster["year"] == draw_year, "org_id"])
    return set(applicants["org_id"]) - members


def ingest_comparison_survey(
    path: Path, config, *, key: bytes, pool: set[str]
) -> tuple[pd.DataFrame, TableLog]:
    """The follow-up export → one row per respondent in `pool`; returns from outside it are rejected."""
    path = Path(path)
    tlog = TableLog(TABLE, source=path.name)
    mapping = config["mapping"][TABLE]
    frame, warnings = read_export(path, config=config, expected_headers=set(mapping))
    tlog.warnings.extend(warnings)
    tlog.received = len(frame)
    inputs = config.section("inputs")
    ignore = inputs.get("ignore_columns", {}).get(TABLE, [])
    frame = map_columns(frame, mapping, required=REQUIRED, source=path.name, ignore=ignore)
    fmt, setting = date_setting(inputs, TABLE, "timestamp_format")
    tz = inputs.get("timezone", "Europe/London")
    frame["submitted_at"] = parse_timestamps(frame["submitted_at"], fmt, tz, tlog, setting=setting)
    rejected = reject_future(frame["submitted_at"], tlog) | reject_blank_names(frame, tlog)
    frame["org_id"] = pseudonymise(frame["org_name"], key)
    outside = ~rejected & ~frame["org_id"].isin(pool)
    for row in outside[outside].index:
        tlog.reject(row, NOT_IN_POOL)
    if outside.any():
        tlog.warnings.append(
            f"{int(outside.sum())} return(s) come from members or from organisations that did not apply "
            "in 2024; they are left out (check the organisation name spelling)"
        )
    frame = latest_per_org(frame, ~(rejected | outside), tlog)
    return _tidy(frame, config, tlog), tlog


def _tidy(frame: pd.DataFrame, config, tlog: TableLog) -> pd.DataFrame:
    opts = config["options"]
    out = pd.DataFrame({"org_id": frame["org_id"], "submitted_at": frame["submitted_at"]}, index=frame.index)
    out["level_now"] = parse_level(frame["level_now"], config, tlog, "level_now")
    out = out.join(
        parse_multi(
            frame["practices_started"], opts["practices_started"], tlog, "practices_started", "started_"
        )
    )
    limit = amount_maximum(config.section("inputs"), "ventures_started", money=False)
    out["ventures_started"] = parse_amount(frame["ventures_started"], tlog, "ventures_started", maximum=limit)
    out["funding_band"] = parse_single(
        frame["funding_band"], opts["funding_band"], tlog, "funding_band"
    ).astype("string")
    return out.sort_values("org_id").reset_index(drop=True)


# Any key works for comparing names with names, so the check needs no secret.
_CHECK_KEY = b"cip-analysis check: names compared with names only"


def rows_outside_pool(config, raw_root: Path) -> list[int]:
    """Spreadsheet rows of follow-up returns from outside the pool, for `cip-analysis check`.

    Reads the callout, the draw year's roster and the follow-up as a run does; nothing is written.
    """
    inputs, raw_root = config.section("inputs"), Path(raw_root)
    draw_year = str(config.section("selection").get("draw_year", 2024))
    if draw_year not in inputs.get("rosters", {}):
        raise IntakeError(f"[inputs] rosters has no {draw_year} roster, so members cannot be told apart")
    applicants, _, _ = ingest_callout(raw_root / inputs["callout"], config, key=_CHECK_KEY)
    roster, _ = ingest_roster(
        raw_root / inputs["rosters"][draw_year], config, key=_CHECK_KEY, year=int(draw_year)
    )
    pool = undrawn_pool(applicants, roster, config)
    path = raw_root / inputs["comparison_survey"]
    frame, _ = read_export(path, config=config, expected_headers=set(config["mapping"][TABLE]))
    frame = map_columns(frame, config["mapping"][TABLE], required={"org_name"}, source=path.name)
    named = frame["org_name"].astype("string").str.strip().fillna("").ne("")
    ids = pseudonymise(frame["org_name"].where(named, "unnamed"), _CHECK_KEY)
    outside = named & ~ids.isin(pool)
    return [int(r) for r in outside[outside].index]
