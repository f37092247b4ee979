"""Raw exports → validated, pseudonymised tidy tables, with every row accounted for.

Invariant for every table: rows received = kept + superseded + rejected, each rejection with
a reason, each correction counted in `quality_log.json`. Names, emails, phone numbers, full
postcodes and free text are dropped here, before anything reaches `data/processed/`; the
organisation names go only to the git-ignored restricted folder.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pandas as pd

from analysis import paths, schemas
from analysis.exports import read_export
from analysis.fields import (
    blank_to_na,
    fold,
    map_columns,
    parse_amount,
    parse_multi,
    parse_scale,
    parse_single,
    parse_timestamps,
    reject_future,
)
from analysis.pseudonym import pseudonymise, resolve_key
from analysis.quality import IntakeError, TableLog, summarise
from analysis.schemas import BENEFIT_ITEMS, READINESS_ITEMS, SURVEY_COUNTS, SURVEY_MONEY
from analysis.spreadsheet import neutralise_frame

__all__ = [
    "IntakeError",
    "ingest_year",
    "ingest_callout",
    "ingest_member_survey",
    "ingest_workshops",
    "ingest_roster",
    "read_export",
]

log = logging.getLogger(__name__)

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


def _settings(config):
    inputs = config.section("inputs")
    return (
        inputs["timestamp_format"],
        inputs.get("date_format", "%d/%m/%Y"),
        inputs.get("timezone", "Europe/London"),
    )


def _read_mapped(path: Path, config, table: str, required: set[str], tlog: TableLog) -> pd.DataFrame:
    mapping = config["mapping"][table]
    frame, warnings = read_export(path, config=config, expected_headers=set(mapping))
    tlog.warnings.extend(warnings)
    tlog.received = len(frame)
    return map_columns(frame, mapping, required=required, source=path.name)


def _reject_blank_names(frame: pd.DataFrame, tlog: TableLog) -> pd.Series:
    blank = blank_to_na(frame["org_name"]).isna()
    for row in blank[blank].index:
        tlog.reject(row, "blank organisation name")
    tlog.correct("blank_org_name", int(blank.sum()))
    return blank


def _latest_per_org(frame: pd.DataFrame, keep: pd.Series, tlog: TableLog, by=("org_id",)) -> pd.DataFrame:
    """Respondents could amend answers: the latest submission stands, earlier ones are logged."""
    live = frame[keep].sort_values(["submitted_at"], kind="stable")
    latest = live.groupby(list(by), sort=False).tail(1)
    superseded = live.drop(index=latest.index)
    replaced_by = latest.reset_index().set_index(list(by))["row"]
    for row, rec in superseded.iterrows():
        key = tuple(rec[b] for b in by)
        tlog.superseded_rows.append(
            {
                "row": int(row),
                "org_id": str(rec["org_id"]),
                "replaced_by_row": int(replaced_by.loc[key if len(by) > 1 else key[0]]),
            }
        )
    tlog.correct("superseded", len(superseded))
    counts = live.groupby(list(by), sort=False).size().rename("n_submissions")
    latest = latest.join(counts, on=list(by))
    return latest.sort_index()


def _region_fields(frame: pd.DataFrame, config, tlog: TableLog) -> pd.DataFrame:
    """Region from the postcode; when the postcode is unusable, from the answer given (counted)."""
    from analysis.geography import assign_geography

    geo = assign_geography(frame["postcode"].astype("object"))
    geo.index = frame.index
    stated = parse_single(frame["region_stated"], config["options"]["region_stated"], tlog, "region_stated")
    out = pd.DataFrame(index=frame.index)
    out["postcode_district"] = geo["postcode_district"].where(
        geo["status"].isin(["ok", "not_found", "outside_uk"])
    )
    out["postcode_status"] = geo["status"]
    ok = geo["status"].eq("ok")
    for col in ("lad_code", "region_code", "region_name", "itl1_code", "nation"):
        out[col] = geo[col].where(ok)
    raw = blank_to_na(frame["postcode"])
    tlog.correct("postcode_normalised", int((ok & raw.notna() & (raw.str.strip() != geo["postcode"])).sum()))
    for status in ("invalid", "not_found", "missing"):
        n = int(geo["status"].eq(status).sum())
        tlog.correct(
            f"postcode_{status}",
            n,
            f"{n} postcode(s) were {status.replace('_', ' ')}; the region stated on the form was used"
            if n
            else None,
        )
    n_out = int(geo["status"].eq("outside_uk").sum())
    tlog.correct(
        "outside_uk",
        n_out,
        f"{n_out} organisation(s) have Channel Islands or Isle of Man postcodes: outside the UK, "
        "kept but excluded from UK figures"
        if n_out
        else None,
    )
    partial = ok & geo.get("partial", pd.Series(False, index=geo.index)).fillna(False).astype(bool)
    tlog.correct(
        "postcode_partial",
        int(partial.sum()),
        f"{int(partial.sum())} postcode(s) give only the district (e.g. 'HR7'); the district was used"
        if partial.any()
        else None,
    )
    if "straddles_region" in geo:
        tlog.correct("district_straddles_region", int((ok & geo["straddles_region"].fillna(False)).sum()))
    fallback = geo["status"].isin(["invalid", "not_found", "missing"]) & stated.notna()
    region_ref = _region_reference()
    out.loc[fallback, "region_code"] = stated[fallback]
    out.loc[fallback, "region_name"] = stated[fallback].map(region_ref["region_name"])
    out.loc[fallback, "itl1_code"] = stated[fallback].map(region_ref["itl1_code"])
    out.loc[fallback, "nation"] = stated[fallback].map(region_ref["nation"])
    tlog.correct("region_from_stated", int(fallback.sum()))
    out["region_source"] = "none"
    out.loc[ok, "region_source"] = "postcode"
    out.loc[fallback, "region_source"] = "stated"
    out["region_stated"] = stated.astype("string")
    disagree = ok & stated.notna() & (stated.astype("string") != out["region_code"].astype("string"))
    out["region_disagrees"] = disagree.fillna(False).astype(bool)
    tlog.correct(
        "region_disagrees",
        int(out["region_disagrees"].sum()),
        f"{int(out['region_disagrees'].sum())} stated region(s) differ from the postcode's region; "
        "the postcode's region is used"
        if out["region_disagrees"].any()
        else None,
    )
    return out


def _region_reference() -> pd.DataFrame:
    ref = pd.read_csv(paths.REFERENCE_DIR / "population" / "ons_mye_mid2022_itl1_regions.csv", dtype="string")
    return ref.rename(
        columns={
            "RGN23CD": "region_code",
            "RGN23NM": "region_name",
            "ITL121CD": "itl1_code",
            "CTRY23NM": "nation",
        }
    ).set_index("region_code")


def _latest_responses(
    path: Path, config, table: str, required: set[str], key: bytes, tlog: TableLog
) -> pd.DataFrame:
    """A timestamped form export: parse, reject impossible rows, pseudonymise, keep the latest per organisation."""
    frame = _read_mapped(path, config, table, required, tlog)
    fmt, _, tz = _settings(config)
    frame["submitted_at"] = parse_timestamps(frame["submitted_at"], fmt, tz, tlog)
    rejected = reject_future(frame["submitted_at"], tlog) | _reject_blank_names(frame, tlog)
    frame["org_id"] = pseudonymise(frame["org_name"], key)
    return _latest_per_org(frame, ~rejected, tlog)


def ingest_callout(path: Path, config, *, key: bytes) -> tuple[pd.DataFrame, pd.DataFrame, TableLog]:
    """The callout export → (applicants, organisation names for the restricted folder, log)."""
    path = Path(path)
    tlog = TableLog("callout", source=path.name)
    frame = _latest_responses(path, config, "callout", CALLOUT_REQUIRED, key, tlog)
    return _tidy_callout(frame, config, key, tlog), _names(frame), tlog


def _no_parent_to_na(parent: pd.Series, config) -> pd.Series:
    """'No', 'None', 'N/A' answer the parent-body question; they are not one shared parent."""
    negatives = {fold(v) for v in config.section("inputs").get("no_parent_answers", [])}
    text = blank_to_na(parent)
    return text.mask(text.map(lambda t: pd.notna(t) and fold(t) in negatives, na_action=None).astype(bool))


def _names(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["org_id", "org_name"] + (["parent_body"] if "parent_body" in frame else [])
    return frame[cols].reset_index(drop=True)


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
    out["parent_id"] = pseudonymise(_no_parent_to_na(parent, config), key, prefix="P")
    out["submitted_at"] = frame["submitted_at"]
    out["n_submissions"] = frame["n_submissions"].astype("int64")
    out = out.join(_region_fields(frame, config, tlog))
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
        out[level] = parse_scale(
            frame[level],
            scales.get("level_min", 1),
            scales.get("level_max", 5),
            tlog,
            level,
            options=opts["level"],
        )
    for item in READINESS_ITEMS:
        out[item] = parse_scale(frame[item], lo, hi, tlog, item)
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
    path = Path(path)
    tlog = TableLog(f"member_surveys/{year}", source=path.name)
    frame = _latest_responses(path, config, "member_survey", SURVEY_REQUIRED, key, tlog)
    scales, opts = config.section("scales"), config["options"]
    out = pd.DataFrame(
        {"org_id": frame["org_id"], "year": year, "submitted_at": frame["submitted_at"]}, index=frame.index
    )
    for col in SURVEY_COUNTS:
        out[col] = parse_amount(frame[col], tlog, col)
    if "venture_types" in frame:
        out = out.join(
            parse_multi(frame["venture_types"], opts["venture_types"], tlog, "venture_types", "venture_")
        )
    for col in SURVEY_MONEY:
        out[col] = parse_amount(frame[col], tlog, col, money=True)
    out["level_now"] = parse_scale(
        frame["level_now"],
        scales.get("level_min", 1),
        scales.get("level_max", 5),
        tlog,
        "level_now",
        options=opts["level"],
    )
    for item in READINESS_ITEMS + BENEFIT_ITEMS:
        out[item] = parse_scale(
            frame[item], scales.get("likert_min", 1), scales.get("likert_max", 5), tlog, item
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
    path = Path(path)
    tlog = TableLog(f"workshops/{year}", source=path.name)
    required = {"workshop_id", "date", "topic", "format", "org_name"}
    frame = _read_mapped(path, config, "workshops", required, tlog)
    _, date_fmt, _ = _settings(config)
    dates = pd.to_datetime(blank_to_na(frame["date"]), format=date_fmt, errors="coerce")
    bad = dates.isna()
    if bad.any():
        raise IntakeError(
            f"{path.name}: {int(bad.sum())} workshop date(s) are missing or not dd/mm/yyyy "
            f"(rows {list(bad[bad].index[:5])})"
        )
    rejected = _reject_blank_names(frame, tlog)
    frame["org_id"] = pseudonymise(frame["org_name"], key)
    frame["submitted_at"] = dates
    frame["workshop_id"] = blank_to_na(frame["workshop_id"])
    frame = _latest_per_org(frame, ~rejected, tlog, by=("workshop_id", "org_id"))
    out = pd.DataFrame(
        {
            "workshop_id": frame["workshop_id"].astype("string"),
            "year": year,
            "date": frame["submitted_at"].dt.date,
            "topic": blank_to_na(frame["topic"]),
            "format": parse_single(frame["format"], config["options"]["format"], tlog, "format").astype(
                "string"
            ),
            "org_id": frame["org_id"],
        }
    )
    speakers = frame["speakers_count"] if "speakers_count" in frame else pd.Series(pd.NA, index=frame.index)
    out["speakers_count"] = parse_amount(speakers.astype("string"), tlog, "speakers_count")
    sat = frame["satisfaction"] if "satisfaction" in frame else pd.Series(pd.NA, index=frame.index)
    out["satisfaction"] = parse_scale(sat.astype("string"), 1, 5, tlog, "satisfaction")
    out["year"] = out["year"].astype("int64")
    return out.reset_index(drop=True), tlog


def ingest_roster(path: Path, config, *, key: bytes, year: int) -> tuple[pd.DataFrame, TableLog]:
    path = Path(path)
    tlog = TableLog(f"rosters/{year}", source=path.name)
    frame = _read_mapped(path, config, "roster", {"org_name", "status"}, tlog)
    _, date_fmt, _ = _settings(config)
    rejected = _reject_blank_names(frame, tlog)
    frame["org_id"] = pseudonymise(frame["org_name"], key)
    status = parse_single(frame["status"], config["options"]["status"], tlog, "status")
    unknown = status.isna() & ~rejected
    for row in unknown[unknown].index:
        tlog.reject(row, "membership status missing or not Active/Left")
    keep = ~(rejected | unknown)
    dup = frame["org_id"].duplicated(keep="last") & keep
    for row in dup[dup].index:
        tlog.superseded_rows.append(
            {
                "row": int(row),
                "org_id": str(frame.at[row, "org_id"]),
                "replaced_by_row": int(frame.index[(frame["org_id"] == frame.at[row, "org_id"]) & keep][-1]),
            }
        )
    keep &= ~dup
    out = pd.DataFrame({"org_id": frame["org_id"], "year": year, "status": status.astype("string")})
    for col in ("joined", "left"):
        src = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        out[col] = pd.to_datetime(blank_to_na(src), format=date_fmt, errors="coerce").dt.date
    out["year"] = out["year"].astype("int64")
    return out[keep].reset_index(drop=True), tlog


def ingest_year(config, raw_root: Path, processed_dir: Path, *, synthetic: bool) -> dict:
    """Every input of the year → Parquet tables + quality_log.json in `processed_dir`.

    Written into a sibling temporary folder first, so a failed intake leaves the last good
    processed tables in place.
    """
    raw_root, processed_dir = Path(raw_root), Path(processed_dir)
    key = resolve_key(config, synthetic=synthetic)
    inputs = config.section("inputs")
    found = config.input_paths(raw_root)  # kept inside the raw folder
    logs: list[TableLog] = []
    applicants, names, tlog = ingest_callout(found["callout"], config, key=key)
    logs.append(tlog)
    members = set(applicants["org_id"])
    tables = {"applicants": applicants}
    collected: dict[str, list[pd.DataFrame]] = {"member_surveys": [], "workshop_attendance": [], "roster": []}
    readers = {
        "member_surveys": (
            "member_surveys",
            lambda p, y: ingest_member_survey(p, config, key=key, year=y, members=members),
        ),
        "workshops": ("workshop_attendance", lambda p, y: ingest_workshops(p, config, key=key, year=y)),
        "rosters": ("roster", lambda p, y: ingest_roster(p, config, key=key, year=y)),
    }
    for kind, (table, reader) in readers.items():
        for yr in sorted(inputs.get(kind, {})):
            frame, tl = reader(found[f"{kind}/{yr}"], int(yr))
            collected[table].append(frame)
            logs.append(tl)
    for table, frames in collected.items():
        tables[table] = pd.concat(frames, ignore_index=True) if frames else schemas.empty(table)
    for name, frame in tables.items():
        tables[name] = schemas.validate(name, frame)
    quality = {
        "year": config.year,
        "synthetic": synthetic,
        "tables": {tl.name: tl.to_json() for tl in logs},
        "counts": summarise(logs),
    }
    _write(processed_dir, tables, quality)
    _write_names(names, paths.restricted_dir(config.year))
    for tl in logs:
        for warning in tl.warnings:
            log.warning("%s: %s", tl.source, warning)
    return quality


def _write(processed_dir: Path, tables: dict[str, pd.DataFrame], quality: dict) -> None:
    staging = processed_dir.with_name(processed_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, frame in tables.items():
        frame.to_parquet(staging / f"{name}.parquet", index=False)
    (staging / "quality_log.json").write_text(
        json.dumps(quality, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    if processed_dir.exists():
        shutil.rmtree(processed_dir)
    staging.rename(processed_dir)


def _write_names(names: pd.DataFrame, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    neutralise_frame(names.sort_values("org_id")).to_csv(directory / "organisations.csv", index=False)
