"""Kill a run at random moments and check that nothing the last good run left has changed.

    PYTHONPATH=src python scripts/fault_injection.py [--kills 10] [--year 2024] [--seed 1]

One good run of the year first; then `--kills` runs, each killed (SIGKILL to the run and its
kernels) after a random delay within a whole run's time. After every kill the year's processed,
restricted and reports folders must be byte-identical to before. Each next run starts by
recovering from the kill; the last run must complete and `verify-selection` must say identical.
A kill that lands after the swap, while the run shuts down, must find all three folders replaced
together. With `--complete-each`, a complete run follows every kill. Takes minutes; not in the suite.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _folders(work: Path, year: int) -> list[Path]:
    return [work / "processed" / str(year), work / "restricted" / str(year), work / "reports" / str(year)]


def snapshot(work: Path, year: int) -> dict[str, str]:
    """sha256 of every file in the year's three folders, by path."""
    out = {}
    for folder in _folders(work, year):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[str(path.relative_to(work))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def identities(work: Path, year: int) -> list[int]:
    """The inode of each of the three folders: a run replaces a folder, it never edits it in place."""
    return [folder.stat().st_ino for folder in _folders(work, year)]


def _command(work: Path, year: int, what: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "analysis.cli",
        what,
        "--year",
        str(year),
        "--reports",
        str(work / "reports"),
        "--processed",
        str(work / "processed"),
    ]


def _env(work: Path) -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
        CIP_RESTRICTED_DIR=str(work / "restricted"),
    )


def start_run(work: Path, year: int) -> subprocess.Popen:
    return subprocess.Popen(
        _command(work, year, "run"),
        cwd=ROOT,
        env=_env(work),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches the kernels too
    )


def complete_run(work: Path, year: int) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        _command(work, year, "run"), cwd=ROOT, env=_env(work), capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"a run after a kill failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def kill_after(work: Path, year: int, delay: float) -> bool:
    """Start a run and SIGKILL it after `delay` seconds; False when it finished first."""
    proc = start_run(work, year)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.5)  # let orphaned kernel processes of the group go
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="default: a new temporary folder")
    parser.add_argument("--complete-each", action="store_true", help="a complete run after every kill")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="cip-faults-"))
    print(f"fault injection in {work}: one good run, then {args.kills} killed runs", flush=True)
    whole = complete_run(work, args.year)
    print(f"  good run took {whole:.0f} s", flush=True)
    before, folders = snapshot(work, args.year), identities(work, args.year)
    kills = attempts = 0
    while kills < args.kills and attempts < 3 * args.kills:
        attempts += 1
        delay = rng.uniform(0.3, whole)
        killed = kill_after(work, args.year, delay)
        after, now = snapshot(work, args.year), identities(work, args.year)
        if not killed:  # finished first: a shorter window from now on, and a new baseline
            print(f"  run {attempts}: finished before {delay:.1f} s; a new baseline", flush=True)
            whole, before, folders = 0.9 * delay, after, now
            continue
        kills += 1
        if all(a != b for a, b in zip(now, folders)) and not list(work.rglob(".staging-*")):
            # killed after its swap, while shutting down: all three folders are the new run's
            print(f"  kill {kills}: at {delay:.1f} s, after the swap: all three folders replaced together")
            whole, before, folders = 0.9 * delay, after, now
            continue
        if after != before or now != folders:
            changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            print(f"  kill {kills}: at {delay:.1f} s CHANGED {len(changed)} file(s), e.g. {changed[:5]}")
            return 1
        print(f"  kill {kills}: at {delay:.1f} s; previous folders byte-identical", flush=True)
        if args.complete_each:
            complete_run(work, args.year)
            before, folders = snapshot(work, args.year), identities(work, args.year)
            print(f"  kill {kills}: the next run succeeded", flush=True)
    if kills < args.kills:
        print(f"  only {kills} of {args.kills} runs could be killed before they finished")
        return 1
    if not args.complete_each:
        complete_run(work, args.year)
        print("  the next run succeeded", flush=True)
    leftovers = [p for p in work.rglob(".staging-*")]
    verify = subprocess.run(
        _command(work, args.year, "verify-selection"),
        cwd=ROOT,
        env=_env(work),
        capture_output=True,
        text=True,
    )
    if leftovers or verify.returncode != 0:
        print(f"  leftovers {leftovers}; verify-selection: {verify.stdout}{verify.stderr}")
        return 1
    print("  no leftovers; verify-selection: identical\nall kills left the previous folders unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
