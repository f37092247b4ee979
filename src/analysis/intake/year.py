"""A year's inputs → validated Parquet tables and quality_log.json, written all or nothing.

Invariant for every table: rows received = kept + superseded + rejected, each rejection with
a reason, each correction counted in `quality_log.json`. The organisation names go only to the
git-ignored restricted folder. Imports paths and the intake modules below it.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.intake import schemas
from analysis.intake.comparison import ingest_comparison_survey, undrawn_pool
from analysis.intake.fields import maximum_fields_message, unknown_maximum_fields
from analysis.intake.pseudonym import resolve_key
from analysis.intake.quality import IntakeError, TableLog, summarise, unusable_message, unusable_over
from analysis.intake.tables import ingest_callout, ingest_member_survey, ingest_roster, ingest_workshops
from analysis.spreadsheet import neutralise_frame

log = logging.getLogger(__name__)


def ingest_year(config, raw_root: Path, processed_dir: Path, *, synthetic: bool) -> dict:
    """Every input of the year → Parquet tables + quality_log.json in `processed_dir`.

    Written into a sibling temporary folder first, so a failed intake leaves the last good
    processed tables in place.
    """
    raw_root, processed_dir = Path(raw_root), Path(processed_dir)
    key = resolve_key(config, synthetic=synthetic)
    inputs = config.section("inputs")
    unknown = unknown_maximum_fields(inputs, schemas.NUMERIC_FIELDS)
    if unknown:
        raise IntakeError(maximum_fields_message(unknown, schemas.NUMERIC_FIELDS))
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
    tables["comparison_survey"] = schemas.empty("comparison_survey")
    if "comparison_survey" in found:
        pool = undrawn_pool(applicants, tables["roster"], config)
        frame, tl = ingest_comparison_survey(found["comparison_survey"], config, key=key, pool=pool)
        tables["comparison_survey"] = frame
        logs.append(tl)
    _stop_on_unusable(logs, inputs.get("max_unusable_share", 0.05))
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


def _stop_on_unusable(logs: list[TableLog], share: float) -> None:
    """No silent change to a number: a field with too many unusable answers stops intake."""
    lines = [
        f"{tl.source}: {unusable_message(*found, share)} (rows {', '.join(map(str, found[3][:10]))}"
        + (", …)" if len(found[3]) > 10 else ")")
        for tl in logs
        for found in unusable_over(tl, share)
    ]
    if lines:
        raise IntakeError("\n".join(lines) + "\n(`cip-analysis check` lists every problem at once)")


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
