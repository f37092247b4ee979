"""Later years take the draw from the draw year's audit pack instead of recomputing it.

The draw happened once, in the draw year; a later report shows that draw. It is loaded from the
full audit pack kept beside this run's reports (`<reports>/<draw_year>/internal/selection-audit/`)
after checks:
1. the pack's config fingerprint and input fingerprint (manifest.json) equal this run's
   `[selection]` settings and applicant columns;
2. every file matches the sha256 its manifest lists;
3. every panel of the table meets every quota and the parent-body rule (`check_lottery`);
4. the pack rebuilt from the loaded draw is identical to it file by file (the manifest up to its
   report year), so nothing published can differ from a recomputation.

No pack: the selection is recomputed (deterministic, so it is the same draw) and the run says so.
A pack that fails a check stops the run with what differs: recomputing would publish a draw other
than the one the pack records, and the draw year's reports must be rerun first.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.selection.audit import audit_files
from analysis.selection.eligibility import assess_eligibility, eligible_pool
from analysis.selection.lottery import (
    SelectionResult,
    _probability_table,
    canonical_csv,
    check_lottery,
    input_table,
    select,
    sha256_text,
)
from analysis.selection.rules import (
    SelectionError,
    SelectionRules,
    build_quotas,
    config_fingerprint,
    selection_section,
)

FLOAT_TEXT = re.compile(r"-?\d+\.\d{9}")  # how the manifest writes the float checks


def pack_dir(output_dir: Path, draw_year: int) -> Path:
    """The draw year's full audit pack (internal) beside this run's output folder (`reports/<year>/`).

    A pipeline run builds its reports in a staging folder, so it names the published reports
    root in CIP_REPORTS_ROOT (inherited by the notebook kernels); the pack is looked for there.
    """
    root = os.environ.get("CIP_REPORTS_ROOT")
    base = Path(root) if root else Path(output_dir).parent
    return paths.audit_pack_dir(base / str(draw_year))


def draw_for_year(applicants: pd.DataFrame, config: Any, year: int, output_dir: Path) -> SelectionResult:
    """The draw year computes; later years load the draw from its audit pack (see module doc)."""
    rules = SelectionRules.from_config(config)
    if year <= rules.draw_year:
        return select(applicants, config, year=year)
    pack = pack_dir(output_dir, rules.draw_year)
    if not (pack / "manifest.json").is_file():
        result = select(applicants, config, year=year)
        result.provenance = {
            "how": "recomputed",
            "pack": str(pack),
            "why": f"there is no {rules.draw_year} audit pack at {pack}",
        }
        return result
    return load_draw(applicants, config, year, pack)


def _stop(pack: Path, draw_year: int, what: str) -> SelectionError:
    return SelectionError(
        f"the {draw_year} selection audit pack at {pack} does not match this run: {what}. The draw "
        f"was not recomputed, because the report would then show a draw other than the one the pack "
        f"records. Rerun {draw_year} first (`cip-analysis run --year {draw_year}`, same data and "
        f"settings as this run), or restore the data and [selection] settings the draw used."
    )


def _read(pack: Path, name: str, draw_year: int) -> str:
    path = pack / name
    if not path.is_file():
        raise _stop(pack, draw_year, f"{name} is missing")
    return path.read_bytes().decode("utf-8")


def _checks(manifest: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: (float(v) if isinstance(v, str) and FLOAT_TEXT.fullmatch(v) else v)
        for k, v in manifest.get("checks", {}).items()
    }
    stab = dict(manifest.get("second_seed_check", {}))
    if "max_difference" in stab:
        stab["max_difference"] = float(stab["max_difference"])
    out["stability"] = stab
    return out


def _fingerprints(applicants: pd.DataFrame, config: Any, assessment: pd.DataFrame) -> dict[str, str]:
    return {
        "config_selection_sha256": config_fingerprint(config),
        "input_sha256": sha256_text(canonical_csv(input_table(applicants))),
        "pool_sha256": sha256_text(canonical_csv(assessment)),
    }


def _compare_fingerprints(mine: dict[str, str], recorded: dict[str, str]) -> list[str]:
    names = {
        "config_selection_sha256": "the config fingerprint ([selection] settings)",
        "input_sha256": "the input fingerprint (the applicant columns the selection reads)",
    }
    return [
        f"{label} is {recorded.get(key, 'missing')[:12]}... in the pack but {mine[key][:12]}... here"
        for key, label in names.items()
        if recorded.get(key) != mine[key]
    ]


def load_draw(applicants: pd.DataFrame, config: Any, year: int, pack: Path) -> SelectionResult:
    """The draw recorded in `pack`, as a SelectionResult for `year`, after the module's checks."""
    rules = SelectionRules.from_config(config)
    draw_year = rules.draw_year
    try:
        manifest = json.loads(_read(pack, "manifest.json", draw_year))
    except json.JSONDecodeError as exc:
        raise _stop(pack, draw_year, f"manifest.json is not valid JSON ({exc})") from exc
    assessment = assess_eligibility(applicants, config, rules)
    fingerprints = _fingerprints(applicants, config, assessment)
    differs = _compare_fingerprints(fingerprints, manifest.get("fingerprints", {}))
    if differs:
        raise _stop(pack, draw_year, "; ".join(differs))
    files = {name: _read(pack, name, draw_year) for name in manifest.get("files_sha256", {})}
    bad = [name for name, text in files.items() if sha256_text(text) != manifest["files_sha256"][name]]
    if bad:
        raise _stop(pack, draw_year, f"{', '.join(bad)} no longer match the sha256 in manifest.json")
    pool = eligible_pool(assessment)
    quotas = build_quotas(pool, rules)
    panels = pd.read_csv(pack / "panels.csv", dtype=str)
    lottery = [tuple(row[1:]) for row in panels.itertuples(index=False)]
    try:
        check_lottery(lottery, pool, quotas, rules.panel_size)
    except SelectionError as exc:
        raise _stop(pack, draw_year, str(exc)) from exc
    probs = pd.read_csv(pack / "probabilities.csv", dtype={"org_id": str})
    marg = dict(zip(probs["org_id"], probs["probability"].astype(float)))
    unreachable = list(probs.loc[probs["quota_excludes"].astype(bool), "org_id"])
    number = int(manifest["drawn_panel"])
    selected = lottery[number - 1]
    table = _probability_table(pool, marg, lottery, selected, unreachable)
    result = SelectionResult(
        year=int(year),
        rules=rules,
        algorithm=str(manifest["algorithm"]),
        assessment=assessment,
        pool=pool,
        quotas=quotas,
        probabilities=table,
        lottery=lottery,
        drawn_panel=number,
        draw_source=str(manifest["draw_source"]),
        selected=tuple(selected),
        reserves=tuple(table.dropna(subset=["reserve_rank"]).sort_values("reserve_rank")["org_id"]),
        checks=_checks(manifest),
        fingerprints=fingerprints,
        versions=dict(manifest.get("package_versions", {})),
        config_section=selection_section(config),
        provenance={"how": "loaded", "pack": str(pack)},
    )
    rebuilt = audit_files(result)
    rebuilt_manifest = json.loads(rebuilt.pop("manifest.json"))
    recorded = {k: v for k, v in manifest.items() if k != "report_year"}
    differ = sorted(n for n, text in rebuilt.items() if files.get(n) != text)
    if differ or {k: v for k, v in rebuilt_manifest.items() if k != "report_year"} != recorded:
        raise _stop(
            pack, draw_year, f"rebuilt from the loaded draw, {', '.join(differ) or 'manifest.json'} differ"
        )
    return result
