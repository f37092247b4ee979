"""What a notebook needs to know about its run: year, settings, where to read and write.

Notebooks get plain parameters from papermill (strings, numbers, booleans) and turn them
into a RunContext here, so that the same notebook runs in JupyterLab with its defaults.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.config import Config, load_config
from analysis.disclosure import DisclosureRules
from analysis.disclosure.joint import HIDES_FILE, read_hides


@dataclass(frozen=True)
class RunContext:
    year: int
    config: Config
    processed_dir: Path  # data/processed/<year>: tidy, pseudonymised tables from ingest
    output_dir: Path  # where findings, audit files and restricted files of this run go
    synthetic: bool  # built from the bundled synthetic sample

    @property
    def internal_dir(self) -> Path:
        """`<output>/internal/`: kept for the team and auditors, never published."""
        return paths.internal_dir(self.output_dir)

    @property
    def findings_dir(self) -> Path:
        """Saved findings label every hidden cell primary or secondary: internal, never published."""
        return self.internal_dir / "findings"

    @property
    def rules(self) -> DisclosureRules:
        """The year's disclosure rules, with the cells the joint protection of the whole
        publication hides too (`internal/joint-hides.json`, written by the run)."""
        hides = frozenset().union(*read_hides(self.internal_dir / HIDES_FILE).values())
        return replace(DisclosureRules.from_config(self.config), joint_hides=hides)

    @property
    def restricted_dir(self) -> Path:
        """Organisation names and private explanations: git-ignored, never published."""
        return paths.restricted_dir(self.year)

    @property
    def audit_dir(self) -> Path:
        """The full selection audit pack (every chance, the panel table): internal, for an auditor."""
        return paths.audit_pack_dir(self.output_dir)

    @property
    def public_selection_dir(self) -> Path:
        """The public selection pack: rules, the drawn panel, banded chances and fingerprints."""
        return self.output_dir / "selection"

    def table(self, name: str):
        """Read one processed table (e.g. 'applicants') as a DataFrame."""
        path = self.processed_dir / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: run `cip-analysis run --year {self.year}` first")
        return pd.read_parquet(path)

    def quality_log(self) -> dict:
        return json.loads((self.processed_dir / "quality_log.json").read_text(encoding="utf-8"))


def open_run(
    year: int = 2024,
    config_path: str = "",
    processed_dir: str = "",
    output_dir: str = "",
    synthetic: bool = True,
) -> RunContext:
    """Build the context from notebook parameters; empty strings mean the defaults.

    In JupyterLab on a fresh clone the processed sample may not exist yet: it is then
    ingested on the spot from the bundled synthetic data, so every notebook runs as it is.
    """
    config = load_config(year, config_path or None)
    processed = Path(processed_dir) if processed_dir else paths.PROCESSED_DIR / str(year)
    output = Path(output_dir) if output_dir else paths.REPORTS_DIR / "interactive" / str(year)
    if not (processed / "quality_log.json").exists():
        if not synthetic:
            raise FileNotFoundError(
                f"no processed data in {processed}: run `cip-analysis run --year {year} --raw DIR`"
            )
        # Loaded only here: intake pulls in openpyxl and pandera (half a second), which a kernel
        # opening an already processed year never needs.
        intake_year = importlib.import_module("analysis.intake.year")
        intake_year.ingest_year(config, paths.SAMPLE_RAW_DIR, processed, synthetic=True)
    output.mkdir(parents=True, exist_ok=True)
    return RunContext(
        year=year, config=config, processed_dir=processed, output_dir=output, synthetic=synthetic
    )
