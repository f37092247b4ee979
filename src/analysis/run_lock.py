"""One run per year at a time: an OS file lock held for the whole run.

`fcntl.flock` is released by the operating system when the process ends however it ends, so a
crashed or killed run never leaves a stale lock behind. A run takes the lock exclusively;
commands that only read a year's outputs (verify-selection) take it shared, so they never read
a year while a run is swapping it into place.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another process holds the year's lock."""


def lock_path(state_dir: Path, year: int) -> Path:
    return Path(state_dir) / f".cip-{year}.lock"


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "pid unknown"


@contextmanager
def year_lock(state_dir: Path, year: int, *, shared: bool = False) -> Iterator[Path]:
    """Hold the year's lock (exclusive for a run, shared for readers) or fail at once."""
    path = lock_path(state_dir, year)
    try:
        if not shared:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, (os.O_RDONLY if shared else os.O_RDWR) | os.O_CREAT, 0o644)
    except OSError as exc:
        if shared:  # a folder no one can write to is a folder no run can be changing
            yield path
            return
        raise RunInProgress(
            f"cannot create the run lock {path} ({exc.strerror}): the folder {path.parent} must be writable"
        ) from None
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunInProgress(
                f"a run for {year} is in progress ({_holder(path)}); wait for it to finish and try again"
            ) from None
        if not shared:
            started = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, started {started}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
