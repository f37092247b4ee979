"""The run manifest: what was produced from which inputs, code and settings."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis import __version__, paths

KEY_PACKAGES = [
    "cip-analysis",
    "pandas",
    "numpy",
    "geopandas",
    "matplotlib",
    "afcharts",
    "nbconvert",
    "papermill",
    "pandera",
    "pytauargus",
    "sortition-algorithms",
    "weasyprint",
]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_version() -> str:
    """The commit the code came from, marked '+changes' when the work tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        # notebooks/exploratory/ is scratch work no run reads, so editing it does not mark a run.
        scope = ["src", "notebooks", "config", ":(exclude)notebooks/exploratory"]
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", *scope],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return commit + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def package_versions(names=KEY_PACKAGES) -> dict[str, str]:
    """Installed versions of `names`; 'not installed' rather than an error, for manifests."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def base_manifest(config, input_paths: dict[str, Path], *, synthetic: bool) -> dict:
    return {
        "year": config.year,
        "data": "synthetic sample (not real findings)" if synthetic else "real exports",
        "synthetic": synthetic,
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code_version": f"cip-analysis {__version__}, git {git_version()}",
        "config_files": [
            str(Path(p).relative_to(paths.ROOT)) if Path(p).is_relative_to(paths.ROOT) else str(p)
            for p in config.sources
        ],
        "config_sha256": config.fingerprint,
        "inputs_sha256": {name: sha256_file(p) for name, p in sorted(input_paths.items())},
        "packages": package_versions(),
    }
