"""The audit pack (pseudonyms only) and `verify_selection`, which recomputes and compares it.

Every file is text written from sorted data with fixed float formats and no timestamps, so the
same inputs, config and seed give a byte-identical pack; `verify_selection` rebuilds the pack in
a temporary folder and compares file by file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis.selection.eligibility import reason_counts
from analysis.selection.lottery import SelectionResult, canonical_csv, select, sha256_text
from analysis.selection.rules import canonical_json

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
        "README.md": _readme(result),
    }
    files["manifest.json"] = _manifest(result, files)
    return files


def write_audit_pack(result: SelectionResult, audit_dir: Path) -> list[Path]:
    """Write the pack, replacing any earlier one (stale files would fail verification)."""
    audit_dir = Path(audit_dir)
    audit_dir.mkdir(parents=True, exist_ok=True)
    files = audit_files(result)
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


def verify_selection(config: Any, processed_dir: Path, audit_dir: Path) -> tuple[bool, list[str]]:
    """Recompute the selection from `processed_dir/applicants.parquet` and `config`, compare.

    Returns (True, []) when every file is byte-identical, else (False, differences). A selection
    that can no longer run (e.g. the rules were changed) is reported as a difference.
    """
    from analysis.selection.rules import SelectionError

    if not Path(audit_dir).is_dir():
        return False, [f"there is no audit pack at {audit_dir}: run the selection first"]
    applicants = pd.read_parquet(Path(processed_dir) / "applicants.parquet")
    try:
        result = select(applicants, config)
    except SelectionError as exc:
        return False, [f"the selection could not be recomputed: {exc}"]
    diffs = compare_pack(audit_files(result), Path(audit_dir))
    return (not diffs), diffs


def verification_note(config: Any, processed_dir: Path, audit_dir: Path) -> str:
    """The appendix's sentence on the recomputation, so the check is visible to every reader."""
    identical, differences = verify_selection(config, processed_dir, audit_dir)
    if identical:
        return (
            "The audit pack was recomputed from the inputs and the settings: every file is identical, "
            "so anyone with the same inputs and seed gets the same panel table and draw."
        )
    return "The audit pack was recomputed and differs: " + "; ".join(differences)
