"""Where things live, resolved from the repository root so notebooks run from any folder."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("CIP_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    # Editable install: src/analysis/paths.py -> repository root two levels above src/.
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "config").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
CONFIG_DIR = ROOT / "config"
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
SAMPLE_RAW_DIR = RAW_DIR / "synthetic"
PROCESSED_DIR = DATA_DIR / "processed"
REFERENCE_DIR = DATA_DIR / "reference"
REPORTS_DIR = ROOT / "reports"
RESTRICTED_DIR = ROOT / "restricted"
NOTEBOOKS_DIR = ROOT / "notebooks"


def restricted_dir(year: int) -> Path:
    """Organisation names and private explanations: git-ignored, never published.

    CIP_RESTRICTED_DIR moves it (tests and temporary runs use their own folder).
    """
    base = os.environ.get("CIP_RESTRICTED_DIR")
    return (Path(base) if base else RESTRICTED_DIR) / str(year)


INTERNAL_FOLDER = "internal"


def internal_dir(year_reports: Path) -> Path:
    """`reports/<year>/internal/`: what must never be published (manifests with counts, run.log,
    executed notebooks, findings with values before protection, the full selection pack, stored step
    outputs for reruns). Git-ignored with the rest of reports/, and never linked from a published file.
    """
    return Path(year_reports) / INTERNAL_FOLDER


AUDIT_PACK_FOLDER = "selection-audit"


def audit_pack_dir(year_reports: Path) -> Path:
    """The full selection audit pack of a year (internal: per-pseudonym chances, pool counts)."""
    return internal_dir(year_reports) / AUDIT_PACK_FOLDER
