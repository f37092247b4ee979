"""One input at a time: a raw export → a tidy, pseudonymised table and its TableLog.

Each `ingest_*` function reads one export, maps its questions to canonical fields, parses the
answers, resolves amendments and returns the typed table with every row accounted for. Names,
emails, phone numbers, full postcodes and free text are dropped here, before anything reaches
`data/processed/`. Imports only the intake modules below it (read, fields, identity, names,
orgkeys, region, roster, pseudonym, quality, schemas).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.intake.dates import date_setting
from analysis.intake.exclude import exclusions
from analysis.intake.fields import (
    amount_maximum,
    blank_to_na,
    map_columns,
    parse_amount,
    parse_dates,
    parse_level,
    parse_multi,
    parse_scale,
    parse_single,
    parse_timestamps,
    reject_future,
)
from analysis.intake.identity import (
    latest_per_org,
    organisation_names,
    parent_or_na,
    reject_blank_names,
)
from analysis.intake.names import identity_settings
from analysis.intake.orgkeys import resolve
from analysis.intake.pseudonym import pseudonymise, pseudonymise_keys
from analysis.intake.quality import IntakeError, TableLog
from analysis.intake.read import read_export
from analysis.intake.region import region_fields
from analysis.intake.roster import latest_event_per_org
from analysis.intake.schemas import BENEFIT_ITEMS, READINESS_ITEMS, SURVEY_COUNTS, SURVEY_MONEY
from analysis.intake.workbook import FORMULA_KEY

CALLOUT_REQUIRED = {
    "submitted_at",
    "org_name",
    "postcode",
    "region_stated",
    "org_type",
    "practices_used",
    "level_now",
    "level_target_2026",
    "wants_from_network",
    "can_commit_3_years",
    "research_consent",
    *READINESS_ITEMS,
}
SURVEY_REQUIRED = {
    "submitted_at",
    "org_name",
    *SURVEY_COUNTS,
    *SURVEY_MONEY,
    "level_now",
    *READINESS_ITEMS,
    *BENEFIT_ITEMS,
}
# The Topic column is free text typed by staff (names and emails were seen there): read, never kept.
WORKSHOP_REQUIRED = {"workshop_id", "date", "format", "org_name"}
ROSTER_REQUIRED = {"org_name", "status"}


def _dates(frame: pd.DataFrame, column: str, config, table: str, tlog: TableLog, *, required: bool):
    """A date column by the input's `date_format` (per input, else global); a bad value stops."""
    fmt, setting = date_setting(config.section("inputs"), table, "date_format")
    src = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    what = "workshop date" if column == "date" else f"{column} date"
    return parse_dates(src, fmt, setting, tlog, what=what, required=required)


def _read_mapped(path: Path, config, table: str, required: set[str], tlog: TableLog) -> pd.DataFrame:
    """Read an export and rename its questions to canonical fields, counting the rows received."""
    mapping = config["mapping"][table]
    frame, warnings = read_export(path, config=config, expected_headers=set(mapping), table=table)
    tlog.warnings.extend(warnings)
    tlog.correct("formula_without_value", frame.attrs.get(FORMULA_KEY, 0))
    tlog.received = len(frame)
    ignore = config.section("inputs").get("ignore_columns", {}).get(table, [])
    frame = map_columns(frame, mapping, required=required, source=path.name, ignore=ignore)
    return _exclude(frame, config, table, tlog)


def _exclude(frame: pd.DataFrame, config, table: str, tlog: TableLog) -> pd.DataFrame:
    """Drop the rows `[inputs] exclude_responses` names, each rejected with its rule's reason."""
    rules = config.section("inputs").get("exclude_responses", [])
    if not rules:
        return frame
    rows, problems = exclusions(rules, table, frame.get("org_name"), frame.get("submitted_at"))
    stops = [m for m, stop in problems if stop]
    if stops:
        raise IntakeError(f"{tlog.source}: " + "; ".join(stops))
    tlog.warnings.extend(m for m, _ in problems)
    for row, reason in rows.items():
        tlog.reject(row, reason)
    return frame.drop(index=list(rows))


def _latest_responses(
    path: Path, config, table: str, required: set[str], key: bytes, tlog: TableLog
) -> pd.DataFrame:
    """A timestamped form export: parse, reject impossible rows, pseudonymise, keep the latest per organisation."""
    frame = _read_mapped(path, config, table, required, tlog)
    inputs = config.section("inputs")
    fmt, setting = date_setting(inputs, table, "timestamp_format")
    tz = inputs.get("timezone", "Europe/London")
    frame["submitted_at"] = parse_timestamps(frame["submitted_at"], fmt, tz, tlog, setting=setting)
    rejected = reject_future(frame["submitted_at"], tlog) | reject_blank_names(frame, tlog)
    frame["org_id"] = _org_ids(frame, config, key, tlog)
    return latest_per_org(frame, ~rejected, tlog)


def _org_ids(frame: pd.DataFrame, config, key: bytes, tlog: TableLog) -> pd.Series:
    """Pseudonyms of the identity keys: name, merged or kept apart by place (`orgkeys`).

    Only the callout, which asks for a postcode, tells namesakes apart by place; a member's later
    returns and roster rows are matched by name (and the staff decisions), so a changed email
    address never splits a member in two.
    """
    by_place = "postcode" in frame
    found = resolve(
        frame["org_name"],
        config,
        postcodes=frame["postcode"] if by_place else None,
        emails=frame["email"] if by_place and "email" in frame else None,
        tlog=tlog,
    )
    return pseudonymise_keys(found.keys, key)


def ingest_callout(path: Path, config, *, key: bytes) -> tuple[pd.DataFrame, pd.DataFrame, TableLog]:
    """The callout export → (applicants, organisation names for the restricted folder, log)."""
    path = Path(path)
    tlog = TableLog("callout", source=path.name)
    frame = _latest_responses(path, config, "callout", CALLOUT_REQUIRED, key, tlog)
    return _tidy_callout(frame, config, key, tlog), organisation_names(frame), tlog


def _tidy_callout(frame: pd.DataFrame, config, key: bytes, tlog: TableLog) -> pd.DataFrame:
    opts, scales = config["options"], config.section("scales")
    lo, hi = scales.get("likert_min", 1), scales.get("likert_max", 5)
    out = pd.DataFrame(index=frame.index)
    out["org_id"] = frame["org_id"]
    parent = (
        frame["parent_body"]
        if "parent_body" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    out["parent_id"] = pseudonymise(
        parent_or_na(parent, config, tlog), key, "P", identity_settings(config)[0]
    )
    out["submitted_at"] = frame["submitted_at"]
    out["n_submissions"] = frame["n_submissions"].astype("int64")
    out = out.join(region_fields(frame, config, tlog))
    out["org_type"] = parse_single(frame["org_type"], opts["org_type"], tlog, "org_type").astype("string")
    for band in ("staff_band", "turnover_band"):
        col = frame[band] if band in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        out[band] = parse_single(col, opts[band], tlog, band).astype("string")
    out = out.join(
        parse_multi(frame["practices_used"], opts["practices_used"], tlog, "practices_used", "practice_")
    )
    out = out.join(
        parse_multi(
            frame["wants_from_network"], opts["wants_from_network"], tlog, "wants_from_network", "want_"
        )
    )
    for level in ("level_now", "level_target_2026"):
        out[level] = parse_level(frame[level], config, tlog, level)
    for item in READINESS_ITEMS:
        out[item] = parse_scale(frame[item], lo, hi, tlog, item, options=opts.get("likert"))
    out["can_commit_3_years"] = parse_single(
        frame["can_commit_3_years"], opts["can_commit_3_years"], tlog, "can_commit_3_years"
    ).astype("string")
    consent = parse_single(frame["research_consent"], opts["research_consent"], tlog, "research_consent")
    # No answer to the consent question is not consent.
    out["research_consent"] = consent.fillna(False).astype(bool)
    tlog.correct("no_research_consent", int((~out["research_consent"]).sum()))
    return out.reset_index(drop=True)


def ingest_member_survey(
    path: Path, config, *, key: bytes, year: int, members: set[str]
) -> tuple[pd.DataFrame, TableLog]:
    """A member survey export → one row per member and year; returns from non-applicants are counted."""
    path = Path(path)
    tlog = TableLog(f"member_surveys/{year}", source=path.name)
    frame = _latest_responses(path, config, "member_survey", SURVEY_REQUIRED, key, tlog)
    scales, opts = config.section("scales"), config["options"]
    out = pd.DataFrame(
        {"org_id": frame["org_id"], "year": year, "submitted_at": frame["submitted_at"]}, index=frame.index
    )
    inputs = config.section("inputs")
    for col in SURVEY_COUNTS:
        out[col] = parse_amount(frame[col], tlog, col, maximum=amount_maximum(inputs, col, money=False))
    if "venture_types" in frame:
        out = out.join(
            parse_multi(frame["venture_types"], opts["venture_types"], tlog, "venture_types", "venture_")
        )
    for col in SURVEY_MONEY:
        limit = amount_maximum(inputs, col, money=True)
        out[col] = parse_amount(frame[col], tlog, col, money=True, maximum=limit)
    out["level_now"] = parse_level(frame["level_now"], config, tlog, "level_now")
    for item in READINESS_ITEMS + BENEFIT_ITEMS:
        out[item] = parse_scale(
            frame[item],
            scales.get("likert_min", 1),
            scales.get("likert_max", 5),
            tlog,
            item,
            options=opts.get("likert"),
        )
    strangers = ~out["org_id"].isin(members)
    tlog.correct(
        "member_not_in_callout",
        int(strangers.sum()),
        f"{int(strangers.sum())} survey return(s) come from organisations not found among the "
        "callout's applicants; check the organisation name spelling"
        if strangers.any()
        else None,
    )
    out["year"] = out["year"].astype("int64")
    return out.reset_index(drop=True), tlog


def ingest_workshops(path: Path, config, *, key: bytes, year: int) -> tuple[pd.DataFrame, TableLog]:
    """A workshop log → one row per workshop and attending organisation; a bad date stops intake."""
    path = Path(path)
    tlog = TableLog(f"workshops/{year}", source=path.name)
    frame = _read_mapped(path, config, "workshops", WORKSHOP_REQUIRED, tlog)
    dates = _dates(frame, "date", config, "workshops", tlog, required=True)
    rejected = reject_blank_names(frame, tlog)
    frame["org_id"] = _org_ids(frame, config, key, tlog)
    frame["submitted_at"] = dates
    # The log's own id is typed text too, so only its keyed hash is kept (W + 10 hex characters).
    frame["workshop_id"] = pseudonymise(blank_to_na(frame["workshop_id"]), key, prefix="W")
    frame = latest_per_org(frame, ~rejected, tlog, by=("workshop_id", "org_id"))
    out = pd.DataFrame(
        {
            "workshop_id": frame["workshop_id"].astype("string"),
            "year": year,
            "date": frame["submitted_at"].dt.date,
            "topic": _topic(frame.get("topic"), config, tlog, frame.index),
            "format": parse_single(frame["format"], config["options"]["format"], tlog, "format").astype(
                "string"
            ),
            "org_id": frame["org_id"],
        }
    )
    speakers = frame["speakers_count"] if "speakers_count" in frame else pd.Series(pd.NA, index=frame.index)
    limit = amount_maximum(config.section("inputs"), "speakers_count", money=False)
    out["speakers_count"] = parse_amount(speakers.astype("string"), tlog, "speakers_count", maximum=limit)
    sat = frame["satisfaction"] if "satisfaction" in frame else pd.Series(pd.NA, index=frame.index)
    out["satisfaction"] = parse_scale(
        sat.astype("string"), 1, 5, tlog, "satisfaction", options=config["options"].get("likert")
    )
    out["year"] = out["year"].astype("int64")
    return out.reset_index(drop=True), tlog


def _topic(col: pd.Series | None, config, tlog: TableLog, index: pd.Index) -> pd.Series:
    """Workshop topics through `[options.topic]`; without that list (or column) the typed text is dropped."""
    topics = config["options"].get("topic")
    if not topics or col is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    return parse_single(col, topics, tlog, "topic").astype("string")


def ingest_roster(path: Path, config, *, key: bytes, year: int) -> tuple[pd.DataFrame, TableLog]:
    """A roster → one row per organisation and year (status, joined, left); the latest dated event stands."""
    path = Path(path)
    tlog = TableLog(f"rosters/{year}", source=path.name)
    frame = _read_mapped(path, config, "roster", ROSTER_REQUIRED, tlog)
    dates = {col: _dates(frame, col, config, "roster", tlog, required=False) for col in ("joined", "left")}
    rejected = reject_blank_names(frame, tlog)
    frame["org_id"] = _org_ids(frame, config, key, tlog)
    status = parse_single(frame["status"], config["options"]["status"], tlog, "status")
    unknown = status.isna() & ~rejected
    for row in unknown[unknown].index:
        tlog.reject(row, "membership status missing or not Active/Left")
    out = pd.DataFrame({"org_id": frame["org_id"], "year": year, "status": status.astype("string")})
    for col in ("joined", "left"):
        out[col] = dates[col].dt.date
    keep = latest_event_per_org(out["org_id"], out["joined"], out["left"], ~(rejected | unknown), tlog)
    out["year"] = out["year"].astype("int64")
    return out[keep].reset_index(drop=True), tlog
