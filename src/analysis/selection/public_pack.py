"""The public selection pack: what anyone may see of the draw, with no small group revealed.

The full audit pack (every applicant's chance, the 1000-panel table, pool counts by quota, reserves)
stays in `reports/<year>/internal/selection-audit/` for an independent auditor: per-pseudonym
chances and pool counts by nation or region would reveal small groups (the 4 applicants sharing
a chance of 0.25 were exactly one nation's). The public pack in `reports/<year>/selection/` holds:
the rules as fixed before the draw, the quotas as rules (no pool counts), the drawn panel (members
are public under the membership policy, docs/DISCLOSURE.md), the chances as a banded distribution
in which every band holds at least `min_count` applicants, and the fingerprints (sha256 of every
internal file) that let an auditor check the internal pack is the one this summarises. Each
applicant learns its own chance privately from `restricted/<year>/selection/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis.selection.audit import audit_files
from analysis.selection.lottery import SelectionResult, canonical_csv, sha256_text
from analysis.selection.rules import canonical_json

GRID_STEP = 0.05  # the finest band of chances before bands are merged

FILES = {
    "README.md": "this guide",
    "manifest.json": "the algorithm, seed, drawn number, and the sha256 of every file here and in "
    "the internal audit pack",
    "config-selection.json": "the [selection] rules exactly as fingerprinted (canonical JSON)",
    "quotas.csv": "each quota as a rule, and whether the drawn panel meets it (no pool counts)",
    "drawn-panel.csv": "the drawn panel number, how it was drawn, and its members (pseudonyms)",
    "chances-banded.csv": "eligible applicants by band of selection chance; every band holds at least "
    "the disclosure threshold",
}


def chance_bands(chances: pd.Series, min_count: int, step: float = GRID_STEP) -> pd.DataFrame:
    """Bands of chance [lower, upper) covering 0 to 1 (the last includes 1), each holding at least
    `min_count` applicants: fine grid bands are merged left to right until they do, and a short
    remainder joins the band before it. Fewer than `min_count` applicants in all: one band."""
    values = pd.Series(chances, dtype=float).round(9)
    steps = round(1 / step)
    edges = [round(i * step, 6) for i in range(steps + 1)]
    counts = [
        int(((values >= lo) & ((values < hi) if hi < 1 else (values <= hi))).sum())
        for lo, hi in zip(edges[:-1], edges[1:])
    ]
    bands: list[list] = []  # [lower, upper, count]
    lower, running = edges[0], 0
    for i, n in enumerate(counts):
        running += n
        if running >= max(1, min_count):
            bands.append([lower, edges[i + 1], running])
            lower, running = edges[i + 1], 0
    if bands and (running or lower < 1):
        bands[-1][1], bands[-1][2] = 1.0, bands[-1][2] + running
    elif not bands:
        bands.append([0.0, 1.0, running])
    return pd.DataFrame(
        [{"chance_from": f"{lo:.2f}", "chance_below": f"{hi:.2f}", "applicants": n} for lo, hi, n in bands]
    ).assign(chance_below=lambda t: t["chance_below"].where(t.index < len(t) - 1, "1.00 (included)"))


def public_quotas(result: SelectionResult) -> pd.DataFrame:
    """The quotas as the rules state them: one row per rule, not per nation or region present."""
    r = result.rules
    after = result.quotas_after()
    met = {
        why: bool(all(row.met for row, q in zip(after.itertuples(), result.quotas) if q.why == why))
        for why in {q.why for q in result.quotas}
    }
    rows = [
        ("min_per_nation", "every nation with eligible applicants", r.min_per_nation, ""),
        ("max_per_region", "every region (and the unverified-postcode group)", "", r.max_per_region),
        ("min_high_ambition", "the high-ambition band", r.min_high_ambition, ""),
        ("max_per_parent_body", "every parent body", "", r.max_per_parent_body),
    ]
    return pd.DataFrame(
        [
            {
                "rule": name,
                "applies_to": what,
                "min": lo,
                "max": hi,
                "met_by_drawn_panel": met.get(name, True),
            }
            for name, what, lo, hi in rows
        ]
    )


def _drawn_csv(result: SelectionResult) -> str:
    rows = [
        {"drawn_panel": result.drawn_panel, "source": result.draw_source, "org_id": pid}
        for pid in result.selected
    ]
    return canonical_csv(pd.DataFrame(rows))


def _readme(result: SelectionResult, min_count: int) -> str:
    r = result.rules
    return "\n".join(
        [
            f"# Selection pack ({r.draw_year} callout): the public part",
            "",
            "What anyone may check of the selection of network members. Every applicant's own chance, "
            "the table of equally likely panels, pool counts and reserves are kept in the full audit "
            "pack, which the project holds for an independent auditor (`cip-analysis verify-selection` "
            "recomputes it from the inputs); publishing them would reveal small groups of applicants. "
            "Each applicant is told its own chance privately.",
            "",
            f"- Algorithm: **{result.algorithm}**; seed {r.seed}; {r.panels} equally likely panels of "
            f"{r.panel_size}; drawn panel **{result.drawn_panel}** ({result.draw_source}).",
            f"- Chances are shown in bands that each hold at least {min_count} eligible applicants.",
            "",
            "## Files",
            "",
            *[f"- `{name}`: {text}." for name, text in FILES.items()],
            "",
            "## How an auditor checks this pack against the full one",
            "",
            "`manifest.json` lists under `internal_files_sha256` the sha256 of every file of the full "
            "audit pack. An auditor given the full pack checks those hashes, that `config-selection.json` "
            "here is byte-identical to the one there, that the drawn panel here is row `drawn_panel` of "
            "its `panels.csv`, and that its chances fall into the bands here in the numbers shown.",
            "",
        ]
    )


def public_files(
    result: SelectionResult, min_count: int, internal: dict[str, str] | None = None
) -> dict[str, str]:
    """The public pack as {file name: text}, from the same result as the internal pack
    (`internal`: that pack's `audit_files(result)`, when the caller has it already)."""
    internal = audit_files(result) if internal is None else internal
    bands = chance_bands(result.probabilities["lottery_probability"], min_count)
    files = {
        "config-selection.json": internal["config-selection.json"],
        "quotas.csv": canonical_csv(public_quotas(result)),
        "drawn-panel.csv": _drawn_csv(result),
        "chances-banded.csv": canonical_csv(bands),
        "README.md": _readme(result, min_count),
    }
    r = result.rules
    payload: dict[str, Any] = {
        "selection_year": r.draw_year,
        "report_year": result.year,
        "algorithm": result.algorithm,
        "seed": r.seed,
        "panels": r.panels,
        "panel_size": r.panel_size,
        "drawn_panel": result.drawn_panel,
        "draw_source": result.draw_source,
        "band_min_count": min_count,
        "fingerprints": result.fingerprints,
        "internal_files_sha256": {name: sha256_text(text) for name, text in sorted(internal.items())},
        "files_sha256": {name: sha256_text(text) for name, text in sorted(files.items())},
    }
    files["manifest.json"] = canonical_json(payload)
    return files


def write_public_pack(
    result: SelectionResult, folder: Path, min_count: int, internal: dict[str, str] | None = None
) -> list[Path]:
    """Write the public pack, replacing any earlier one (`internal`: as for `public_files`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = public_files(result, min_count, internal)
    for old in folder.iterdir():
        if old.is_file() and old.name not in files:
            old.unlink()
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
