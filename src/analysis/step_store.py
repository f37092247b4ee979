"""Incremental reruns: a step whose inputs have not changed reuses what the last good run made.

Each step of a run (ingest, each notebook, publishing each document, the year's site) has a
*key*: the sha256 of everything it reads (input files, processed tables, the resolved settings,
the package's code, its notebook, the keys of the steps it depends on). After a step runs, its
record (key and the sha256 of every file it wrote) is kept in the year's internal folder
(`internal/steps/<step>.json`), so it travels with the reports it describes and is swapped in
with them. On the next run a step with the same key, whose files in the last good run still have
the recorded sha256, copies those files into the staging set instead of running: the outputs are
byte-identical either way. `--force` (or a missing or edited file) runs the step.

A step's files are named by patterns relative to three roots: "reports" (reports/<year>),
"restricted" (restricted/<year>) and "processed" (data/processed/<year>).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from analysis import paths

STEPS_FOLDER = "steps"
SKIP = ("__pycache__",)


def sha256_bytes(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(folder: Path) -> str:
    """One sha256 over every file's relative path and bytes (an absent folder has its own value)."""
    folder = Path(folder)
    h = hashlib.sha256()
    if not folder.is_dir():
        return h.hexdigest()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(s in p.parts for s in SKIP):
            h.update(str(p.relative_to(folder)).encode("utf-8") + b"\0" + sha256_bytes(p).encode("ascii"))
    return h.hexdigest()


def code_digest() -> str:
    """The package (code, templates, styles), its reference data and the locked dependency versions
    (hashed afresh each time: milliseconds, and a long-lived process sees an edit)."""
    lock = paths.ROOT / "requirements.lock"
    locked = sha256_bytes(lock) if lock.exists() else "no lock file"
    return key_of(
        {
            "package": tree_digest(Path(__file__).parent),
            "reference": tree_digest(paths.REFERENCE_DIR),
            "requirements.lock": locked,
        }
    )


def key_of(parts: dict) -> str:
    """The sha256 of a JSON-safe description of a step's inputs."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class StepStore:
    """Looks up and records steps; `previous` and `staged` map root names to folders."""

    def __init__(self, previous: dict[str, Path], staged: dict[str, Path], *, force: bool = False):
        self.previous, self.staged, self.force = previous, staged, force
        self.outcome: dict[str, str] = {}  # step -> "reused" or "ran" (for the run manifest)

    def _record_path(self, roots: dict[str, Path], step: str) -> Path:
        return paths.internal_dir(roots["reports"]) / STEPS_FOLDER / f"{step}.json"

    def lookup(self, step: str, key: str) -> dict | None:
        """The last good run's record of the step if it can be reused: not forced, same key, and
        every file it wrote still there with the recorded sha256."""
        if self.force:
            return None
        try:
            record = json.loads(self._record_path(self.previous, step).read_text(encoding="utf-8"))
            if record.get("key") != key:
                return None
            for root, entries in record["files"].items():
                for rel, digest in entries.items():
                    source = self.previous[root] / rel
                    if not source.is_file() or sha256_bytes(source) != digest:
                        return None
        except (OSError, ValueError, KeyError, AttributeError):
            return None
        return record

    def reuse(self, step: str, key: str) -> dict | None:
        """Copy the step's files from the last good run and return its record's `extra`, or None
        when the step must run (see `lookup`)."""
        record = self.lookup(step, key)
        if record is None:
            return None
        files = [(root, rel) for root, entries in record["files"].items() for rel in entries]
        for root, rel in files:
            target = self.staged[root] / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.previous[root] / rel, target)
        self._write(step, record)
        self.outcome[step] = "reused"
        return record.get("extra", {})

    def record(self, step: str, key: str, patterns: Iterable[str], extra: dict | None = None) -> None:
        """After the step ran: the sha256 of every staged file matching `patterns` ("root:glob")."""
        files: dict[str, dict[str, str]] = {}
        for pattern in patterns:
            root, glob = pattern.split(":", 1)
            base = self.staged[root]
            for p in sorted(base.glob(glob)):
                if p.is_file():
                    files.setdefault(root, {})[str(p.relative_to(base))] = sha256_bytes(p)
        self._write(step, {"key": key, "files": files, "extra": extra or {}})
        self.outcome[step] = "ran"

    def _write(self, step: str, record: dict) -> None:
        path = self._record_path(self.staged, step)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")

    def claimed(self) -> set[tuple[str, str]]:
        """(root, relative path) of every file some recorded step wrote in the staged set."""
        out = set()
        folder = paths.internal_dir(self.staged["reports"]) / STEPS_FOLDER
        for path in sorted(folder.glob("*.json")):
            for root, entries in json.loads(path.read_text(encoding="utf-8"))["files"].items():
                out |= {(root, rel) for rel in entries}
        return out
