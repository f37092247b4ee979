"""The audit pack (pseudonyms only) and `verify_selection`, which recomputes and compares it
and runs the checks that need a second computation (`crosscheck`), kept out of the normal run.

Every file is text written from sorted data with fixed float formats and no timestamps, so the
same inputs, config and seed give a byte-identical pack; `verify_selection` rebuilds the pack in
a temporary folder and compares file by file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.selection.crosscheck import Check, run_checks
from analysis.selection.eligibility import reason_counts
from analysis.selection.lottery import SelectionResult, canonical_csv, select, sha256_text
from analysis.selection.rules import SelectionError, canonical_json

FILES = {
    "README.md": "this guide",
    "manifest.json": "fingerprints, package versions, algorithm, seed, drawn number, checks and the sha256 of every other file",
    "config-selection.json": "the [selection] rules exactly as fingerprinted (canonical JSON)",
    "panels.csv": "the equally likely panels: panel number, then the pseudonyms of its members",
    "probabilities.csv": "each eligible applicant's chance from the algorithm (6 d.p.) and in the panel table",
    "drawn-panel.csv": "the drawn panel number, how it was drawn, and its members",
    "reserves.csv": "the reserve order by the pre-stated rule",
    "quotas-before.csv": "every quota with the number of eligible applicants it draws on",
    "quotas-after.csv": "every quota against the drawn panel, and the expected seats under the lottery",
    "eligibility.csv": "applicants by main reason for exclusion (counts only)",
    "region-from-form.csv": "eligible applicants whose postcode could not be verified: they took part under the region stated on the form",
}


def _panels_csv(result: SelectionResult) -> str:
    k = result.rules.panel_size
    rows = [[i, *panel] for i, panel in enumerate(result.lottery, start=1)]
    return canonical_csv(pd.DataFrame(rows, columns=["panel", *[f"member_{j}" for j in range(1, k + 1)]]))


def _probabilities_csv(result: SelectionResult) -> str:
    t = result.probabilities[
        [
            "org_id",
            "probability",
            "lottery_probability",
            "panels",
            "first_panel",
            "selected",
            "reserve_rank",
            "quota_excludes",
        ]
    ].copy()
    t["probability"] = t["probability"].map(lambda p: f"{p:.6f}")
    t["lottery_probability"] = t["lottery_probability"].map(lambda p: f"{p:.3f}")
    return canonical_csv(t)


def _drawn_csv(result: SelectionResult) -> str:
    rows = [
        {"drawn_panel": result.drawn_panel, "source": result.draw_source, "org_id": pid}
        for pid in result.selected
    ]
    return canonical_csv(pd.DataFrame(rows))


def _reserves_csv(result: SelectionResult) -> str:
    p = result.probabilities
    parents = result.pool.set_index("org_id")["parent_key"]
    member_parents = set(parents.reindex(list(result.selected)))
    t = p.dropna(subset=["reserve_rank"]).sort_values("reserve_rank")
    out = pd.DataFrame(
        {
            "reserve_rank": t["reserve_rank"],
            "org_id": t["org_id"],
            "lottery_probability": t["lottery_probability"].map(lambda x: f"{x:.3f}"),
            "first_panel": t["first_panel"],
            "same_parent_body_as_a_member": t["org_id"].map(parents).isin(member_parents),
        }
    )
    return canonical_csv(out)


def _region_from_form_csv(result: SelectionResult) -> str:
    a = result.assessment
    stated = a[a["eligible"] & a["region_source"].eq("stated").fillna(False)]
    return canonical_csv(stated[["org_id", "nation", "region_code", "region_name"]].sort_values("org_id"))


def _quota_csv(df: pd.DataFrame) -> str:
    df = df.copy()
    if "expected_seats" in df:
        df["expected_seats"] = df["expected_seats"].map(lambda x: f"{x:.3f}")
    return canonical_csv(df)


def _manifest(result: SelectionResult, files: dict[str, str]) -> str:
    r = result.rules
    checks = {
        k: (f"{v:.9f}" if isinstance(v, float) else v) for k, v in result.checks.items() if k != "stability"
    }
    stab = dict(result.checks.get("stability", {}))
    if "max_difference" in stab:
        stab["max_difference"] = f"{stab['max_difference']:.2e}"
    payload: dict[str, Any] = {
        "selection_year": r.draw_year,
        "report_year": result.year,
        "algorithm": result.algorithm,
        "solver_backend": r.solver_backend,
        "seed": r.seed,
        "panels": r.panels,
        "panel_size": r.panel_size,
        "drawn_panel": result.drawn_panel,
        "draw_source": result.draw_source,
        "reserve_rule": r.reserve_rule,
        "fingerprints": result.fingerprints,
        "package_versions": result.versions,
        "applicants": int(len(result.assessment)),
        "eligible": int(len(result.pool)),
        "checks": checks,
        "second_seed_check": stab,
        "files_sha256": {name: sha256_text(text) for name, text in sorted(files.items())},
    }
    return canonical_json(payload)


def _readme(result: SelectionResult) -> str:
    r = result.rules
    lines = [
        f"# Selection audit pack ({r.draw_year} callout)",
        "",
        "Everything needed to check the selection of network members, using pseudonyms only "
        "(`org_id`, a keyed hash; never names). `cip-analysis verify-selection --year YEAR` "
        "recomputes every file below from the processed applicant table and the year's settings "
        'and reports "identical" or what differs.',
        "",
        f"- Algorithm actually run: **{result.algorithm}** (sortition-algorithms "
        f"{result.versions.get('sortition-algorithms')}, solver {r.solver_backend}).",
        f"- Seed: {r.seed}. Panels: {r.panels} equally likely panels of {r.panel_size}.",
        f"- Drawn panel: **{result.drawn_panel}** ({result.draw_source}).",
        f"- Reserve rule: {r.reserve_rule}",
        f"- Eligible applicants: {len(result.pool)} of {len(result.assessment)}.",
        "",
        "## Files",
        "",
        *[f"- `{name}`: {text}." for name, text in FILES.items()],
        "",
        "## How to check",
        "",
        "1. `config-selection.json` hashes (sha256) to `fingerprints.config_selection_sha256` in "
        "`manifest.json`; `input_sha256` is the hash of the applicant columns the selection read "
        "and `pool_sha256` of the eligibility table built from them (kept in the restricted folder).",
        "2. Every row of `panels.csv` meets every quota in `quotas-before.csv` and has at most one "
        "member per parent body; an applicant's chance in the lottery is the number of panels "
        "containing them divided by the number of panels (`probabilities.csv`).",
        "3. The drawn panel is row `drawn_panel` of `panels.csv`.",
        "",
        "Per-applicant regions and ambition bands are not in this pack (they could identify an "
        "organisation); the verify command checks the quotas from the processed data. "
        f"{r.stratum_note()}",
        "",
    ]
    return "\n".join(lines)


def audit_files(result: SelectionResult) -> dict[str, str]:
    """The pack as {file name: text}; `manifest.json` holds the sha256 of every other file."""
    files = {
        "config-selection.json": canonical_json(result.config_section),
        "panels.csv": _panels_csv(result),
        "probabilities.csv": _probabilities_csv(result),
        "drawn-panel.csv": _drawn_csv(result),
        "reserves.csv": _reserves_csv(result),
        "quotas-before.csv": _quota_csv(result.quotas_before()),
        "quotas-after.csv": _quota_csv(result.quotas_after()),
        "eligibility.csv": canonical_csv(reason_counts(result.assessment)),
        "region-from-form.csv": _region_from_form_csv(result),
        "README.md": _readme(result),
    }
    files["manifest.json"] = _manifest(result, files)
    return files


def write_audit_pack(
    result: SelectionResult, audit_dir: Path, files: dict[str, str] | None = None
) -> list[Path]:
    """Write the pack, replacing any earlier one (stale files would fail verification).

    `files`: `audit_files(result)` when the caller has it already (the public pack needs it too).
    """
    audit_dir = Path(audit_dir)
    audit_dir.mkdir(parents=True, exist_ok=True)
    files = audit_files(result) if files is None else files
    for old in audit_dir.iterdir():
        if old.is_file() and old.name not in files:
            old.unlink()
    written = []
    for name, text in files.items():
        path = audit_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


# ---------------------------------------------------------------------------
def _line_diff(name: str, expected: str, found: str, limit: int = 3) -> list[str]:
    exp, got = expected.splitlines(), found.splitlines()
    out = []
    for i in range(max(len(exp), len(got))):
        e = exp[i] if i < len(exp) else "<no line>"
        g = got[i] if i < len(got) else "<no line>"
        if e != g:
            out.append(f"{name} line {i + 1}: recomputed {e!r}, audit pack has {g!r}")
            if len(out) >= limit:
                out.append(f"{name}: further differences not listed")
                break
    return out or [f"{name}: differs in bytes (line endings or encoding)"]


def compare_pack(expected: dict[str, str], audit_dir: Path) -> list[str]:
    """Differences between recomputed files and the pack on disk, file by file."""
    audit_dir = Path(audit_dir)
    diffs = []
    present = {p.name for p in audit_dir.iterdir() if p.is_file()} if audit_dir.is_dir() else set()
    for name, text in expected.items():
        path = audit_dir / name
        if not path.exists():
            diffs.append(f"{name}: missing from the audit pack")
            continue
        found = path.read_bytes()
        if found != text.encode("utf-8"):
            diffs.extend(_line_diff(name, text, found.decode("utf-8", errors="replace")))
    diffs.extend(f"{name}: not part of a selection audit pack" for name in sorted(present - set(expected)))
    return diffs


@dataclass(frozen=True)
class Verification:
    identical: bool  # every file of the pack recomputed byte for byte
    differences: list[str]
    checks: list[Check]  # second seed, other Nash method (see `crosscheck`)

    @property
    def passed(self) -> bool:
        return self.identical and all(c.passed is not False for c in self.checks)


def verify(config: Any, processed_dir: Path, audit_dir: Path) -> Verification:
    """Recompute the selection from `processed_dir/applicants.parquet` and `config`, compare it
    with the pack file by file, then run the checks that need a second computation."""
    if not Path(audit_dir).is_dir():
        return Verification(False, [f"there is no audit pack at {audit_dir}: run the selection first"], [])
    applicants = pd.read_parquet(Path(processed_dir) / "applicants.parquet")
    try:
        result = select(applicants, config)
    except SelectionError as exc:
        return Verification(False, [f"the selection could not be recomputed: {exc}"], [])
    diffs = compare_pack(audit_files(result), Path(audit_dir))
    return Verification(not diffs, diffs, run_checks(result))


def verify_selection(config: Any, processed_dir: Path, audit_dir: Path) -> tuple[bool, list[str]]:
    """(True, []) when every file is byte-identical and every check passed, else (False, what
    differs or failed). A selection that can no longer run (e.g. the rules were changed) is
    reported as a difference."""
    v = verify(config, processed_dir, audit_dir)
    return v.passed, v.differences + [c.line() for c in v.checks if c.passed is False]


def verification_note(result: SelectionResult) -> str:
    """The appendix's account of what this run checked (the recomputation is `verify-selection`'s).

    No figures in it: the published numbers are elsewhere, and this text must stay true whichever
    way the run got the draw.
    """
    how = result.provenance.get("how", "computed")
    later = (
        " `cip-analysis verify-selection` recomputes the whole audit pack from the inputs and the "
        "settings and compares it file by file; it and the project's tests also check that a second "
        "seed gives the same chances and that the two ways of computing the Nash chances agree."
    )
    if how == "loaded":
        return (
            "This run did not recompute the selection: it took the draw from the draw year's audit "
            "pack after checking that the pack's config and input fingerprints match this run's "
            "settings and applicants, that every file matches the checksum in its manifest, that "
            "every panel in the table meets every quota and the parent-body rule, and that the pack "
            "rebuilt from the loaded draw is identical to it apart from the report year." + later
        )
    opening = (
        "The draw year's audit pack was not found beside this run's reports, so this run recomputed "
        "the selection from the inputs and the settings. "
        if how == "recomputed"
        else ""
    )
    return (
        opening + "Before the panel table was used, this run checked that the chances add up to the panel "
        "size, that every eligible applicant has a chance above zero unless a quota rules them out, "
        "that rounding to the panel table moved no chance by more than the limit set in advance, and "
        "that every panel meets every quota and the parent-body rule." + later
    )
