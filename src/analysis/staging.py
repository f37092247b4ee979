"""All or nothing: a year's processed, restricted and reports folders change together or not at all.

A run builds all three in a staging set: one hidden folder `.staging-<year>-<id>-<name>` beside each
destination (a rename only stays atomic within one file system, so each staged folder lives next
to the folder it replaces). When every step has passed, `commit` swaps them in with renames in a
fixed order, recording its progress in a journal first. If the process dies between two renames,
the next run (under the same year lock) reads the journal and puts the previous folders back
(or, when every rename was done, finishes the clean-up), then removes whatever an interrupted run
left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

ORDER = ("processed", "restricted", "reports")  # the fixed order of the renames


class StagingError(RuntimeError):
    """A destination cannot be written; nothing was changed."""


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_atomically(path: Path, payload: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class StagingSet:
    """The staged folders of one run and the journal that makes their swap recoverable."""

    def __init__(self, year: int, targets: dict[str, Path], state_dir: Path):
        self.year = year
        self.targets = {name: Path(targets[name]) for name in ORDER}
        self.state_dir = Path(state_dir)
        self.id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self.containers = {n: t.parent / f".staging-{year}-{self.id}-{n}" for n, t in self.targets.items()}

    @property
    def journal(self) -> Path:
        return journal_path(self.state_dir, self.year)

    def staged(self, name: str) -> Path:
        """Where the run writes what will become `targets[name]`."""
        return self.containers[name] / self.targets[name].name

    def old(self, name: str) -> Path:
        return self.containers[name] / "previous"

    def create(self) -> None:
        """Make every staged folder; a destination that cannot be written stops the run here."""
        for name in ORDER:
            try:
                self.staged(name).mkdir(parents=True)
            except OSError as exc:
                self.discard()
                raise StagingError(
                    f"cannot write to {self.targets[name].parent} ({exc.strerror}); nothing was changed"
                ) from None

    def commit(self) -> None:
        """Swap every staged folder into place: journal first, renames in ORDER, then tidy up."""
        items = [
            {
                "target": str(self.targets[n]),
                "staged": str(self.staged(n)),
                "old": str(self.old(n)),
                "had_old": self.targets[n].exists(),
            }
            for n in ORDER
        ]
        _write_json_atomically(self.journal, {"state": "swapping", "id": self.id, "items": items})
        for item in items:
            if item["had_old"]:
                os.rename(item["target"], item["old"])
            os.rename(item["staged"], item["target"])
        for name in ORDER:
            _fsync_dir(self.targets[name].parent)
        _write_json_atomically(self.journal, {"state": "committed", "id": self.id, "items": items})
        self.discard()
        self.journal.unlink()

    def discard(self) -> None:
        for container in self.containers.values():
            shutil.rmtree(container, ignore_errors=True)


def journal_path(state_dir: Path, year: int) -> Path:
    return Path(state_dir) / f".cip-{year}.journal.json"


def _roll_back(items: list[dict]) -> None:
    """Undo a swap that did not finish: every destination gets its previous folder back."""
    for item in reversed(items):
        target, staged, old = Path(item["target"]), Path(item["staged"]), Path(item["old"])
        new_in_place = not staged.exists() and target.exists()
        if new_in_place and (old.exists() or not item["had_old"]):
            os.rename(target, staged)  # the new folder was already in place: take it out again
        if old.exists() and not target.exists():
            os.rename(old, target)


def recover(year: int, targets: dict[str, Path], state_dir: Path) -> list[str]:
    """Finish or undo an interrupted swap and remove what interrupted runs left; say what was done.

    Call only while holding the year's lock.
    """
    done = []
    journal = journal_path(state_dir, year)
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            entry = {"state": "unreadable", "items": []}
        if entry.get("state") == "swapping":
            _roll_back(entry["items"])
            done.append("put back the previous folders an interrupted run had started to replace")
        elif entry.get("state") == "committed":
            done.append("finished tidying up after the last run")
        journal.unlink()
    for folder in {Path(t).parent for t in targets.values()}:
        leftovers = sorted(folder.glob(f".staging-{year}-*"))
        if folder == Path(targets["reports"]).parent:
            leftovers += sorted(folder.glob(f".build-{year}-*"))  # left by older versions
        leftovers += [folder / f"{year}.previous", folder / f"{year}.partial"]
        for path in leftovers:
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
                done.append(f"removed {path}, left by an interrupted run")
    for tmp in Path(state_dir).glob(f".cip-{year}.journal.json.tmp"):
        tmp.unlink()
    return done


def check_writable(targets: dict[str, Path]) -> None:
    """Fail before any work when a destination, or a folder inside the one it replaces, is read-only."""
    problems = []
    for name in ORDER:
        target = Path(targets[name])
        parent = target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=parent):
                pass
        except OSError as exc:
            problems.append(f"{parent} ({exc.strerror or exc})")
            continue
        if target.exists() and not target.is_dir():
            problems.append(f"{target} (a file is in the way of the {name} folder)")
            continue
        for folder, _dirs, _ in os.walk(target) if target.exists() else ():
            if not os.access(folder, os.W_OK | os.X_OK):
                problems.append(f"{folder} (read-only: the previous {name} could not be replaced)")
                break
    if problems:
        raise StagingError(
            "these folders cannot be written, so the run stopped before any work; "
            "nothing was changed:\n  " + "\n  ".join(problems)
        )
