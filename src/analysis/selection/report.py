"""Selection report: the run entry point and the public account of the selection.

`run_selection(ctx)` makes (or, in a later year, loads) the draw and writes the audit pack and
the restricted outputs; `analyse(ctx)` returns the `Findings` for appendix 3 and the brief;
`results(ctx)` returns the same findings with the draw and the named frames behind them, for a
researcher's notebook (`results(ctx).frames["chances"]`).

Layer: assemble. Imports `analysis.disclosure` (the rules), `analysis.findings`,
`analysis.reference`, this area's `tables` and `text`, and the selection engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.disclosure import ProtectedTable
from analysis.findings import Findings
from analysis.reference import NATION_ORDER
from analysis.selection import text as words
from analysis.selection.audit import audit_files, write_audit_pack
from analysis.selection.eligibility import reason_counts
from analysis.selection.explain import write_restricted
from analysis.selection.lottery import SelectionResult
from analysis.selection.public_pack import write_public_pack
from analysis.selection.stored import draw_for_year
from analysis.selection.tables import protect_tables, spread_counts


@dataclass
class Results:
    """One run's selection: the draw, the published findings and the frames behind them.

    ``frames`` are for exploring only (pseudonyms, unprotected, never published): ``chances``
    (every eligible applicant's nation, region, ambition band, chance and reserve rank), ``spread_by_nation`` (eligible and
    selected by nation) and ``eligibility`` (applicants by the main reason for exclusion).
    """

    result: SelectionResult
    findings: Findings
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, ProtectedTable]:
        """The published (protected) tables by name, as in the findings."""
        return self.findings.tables

    def __repr__(self) -> str:
        frames = ", ".join(f"{name} ({len(frame)} rows)" for name, frame in self.frames.items())
        return (
            f"<selection results {self.result.year}: panel {self.result.drawn_panel} of "
            f"{len(self.result.lottery)} ({self.result.algorithm}); frames: {frames}; "
            f"tables: {', '.join(self.tables) or 'none'}>"
        )


def run_selection(ctx, *, names_path: Path | None = None) -> SelectionResult:
    """Select from `ctx.table("applicants")` (a later year loads the draw year's audit pack, see
    `analysis.selection.stored`); write the full audit pack (internal), the public pack (banded
    chances, `analysis.selection.public_pack`) and the restricted outputs.

    `names_path`: the org_id -> org_name file (default `ctx.restricted_dir/organisations.csv`,
    written by ingest). Raises `SelectionError` with a plain-English reason when no draw can be
    made (e.g. infeasible quotas, leximin without a Gurobi licence).
    """
    result = draw_for_year(ctx.table("applicants"), ctx.config, ctx.year, ctx.output_dir)
    internal = audit_files(result)  # both packs are built from it: computed once
    write_audit_pack(result, ctx.audit_dir, internal)
    min_count = ctx.rules.min_count
    write_public_pack(result, ctx.public_selection_dir, min_count, internal)
    names = names_path if names_path is not None else Path(ctx.restricted_dir) / "organisations.csv"
    write_restricted(result, ctx.restricted_dir, names)
    return result


def results(ctx, result: SelectionResult | None = None, *, names_path: Path | None = None) -> Results:
    """The selection's findings with the draw and its frames; runs the selection when not given one."""
    result = result or run_selection(ctx, names_path=names_path)
    rules = ctx.rules
    findings = Findings(
        area="selection",
        heading=words.heading(result),
        key_messages=words.key_messages(result, rules, _roster(ctx)),
        brief_text=words.account(result, ctx.year),
        method_notes=words.method_notes(result, rules),
        tables=protect_tables(result, rules),
        facts=_facts(result, rules),
    )
    frames = {
        "chances": result.pool[["org_id", "nation", "region_code", "ambition"]].merge(
            result.probabilities, on="org_id"
        ),
        "spread_by_nation": spread_counts(result, "nation", list(NATION_ORDER)),
        "eligibility": reason_counts(result.assessment),
    }
    return Results(result=result, findings=findings, frames=frames)


def _roster(ctx) -> pd.DataFrame | None:
    """The processed network roster (who joined from the draw), or None before the first exists."""
    try:
        return ctx.table("roster")
    except (FileNotFoundError, OSError):
        return None


def analyse(ctx, result: SelectionResult | None = None, *, names_path: Path | None = None) -> Findings:
    """The selection's findings; runs the selection (and writes its files) when not given one."""
    return results(ctx, result, names_path=names_path).findings


def _facts(result: SelectionResult, rules) -> dict[str, Any]:
    """JSON-safe published numbers the brief can template from; the chances the key messages print
    with their n, the quotas as the brief states them and the eligible applicants behind each
    ambition band's average chance (for the publication plan, `publish.plan_selection`)."""
    members = result.pool[result.pool["org_id"].isin(result.selected)]
    r = result.rules
    bands = result.pool["ambition"].str.capitalize().value_counts()
    return {
        "applicants": int(len(result.assessment)),
        "eligible": int(len(result.pool)),
        "panel_size": result.rules.panel_size,
        "algorithm": result.algorithm,
        "selection_year": result.rules.draw_year,
        "seed": result.rules.seed,
        "panels": result.rules.panels,
        "drawn_panel": result.drawn_panel,
        "draw_source": result.draw_source,
        "max_rounding_shift": round(float(result.checks["max_rounding_shift"]), 4),
        "nations_represented": int(members["nation"].nunique()),
        "regions_represented": int(members["region_code"].nunique()),
        "config_fingerprint": result.fingerprints["config_selection_sha256"],
        "chances": words.chance_facts(result, rules),
        "quotas": {
            "min_per_nation": int(r.min_per_nation),
            "max_per_region": int(r.max_per_region),
            "min_high_ambition": int(r.min_high_ambition),
        },
        "eligible_by_band": {str(b): int(n) for b, n in bands.items()},
    }
