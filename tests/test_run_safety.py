"""Runs that never mix, never half-finish and never change the draw behind anyone's back.

Fast tests of the lock, the staged swap and its journal, unwritable destinations and the
pseudonym-key fingerprint; the slow ones kill real runs (SIGKILL) and start two at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import key_fingerprint, staging
from analysis.config import load_config
from analysis.intake import IntakeError
from analysis.intake.pseudonym import check_real_key, resolve_key
from analysis.key_fingerprint import KeyChangedError
from analysis.run_lock import RunInProgress, year_lock

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _targets(root: Path) -> dict[str, Path]:
    return {name: root / name / "2024" for name in staging.ORDER}


def _previous_run(root: Path) -> dict[str, Path]:
    targets = _targets(root)
    for name, target in targets.items():
        (target / "sub").mkdir(parents=True)
        (target / "sub" / f"{name}.txt").write_text(f"old {name}")
    return targets


def _staged_run(root: Path, targets) -> staging.StagingSet:
    stage = staging.StagingSet(2024, targets, root / "reports")
    stage.create()
    for name in staging.ORDER:
        (stage.staged(name) / f"{name}-new.txt").write_text(f"new {name}")
    return stage


def test_commit_swaps_all_three_and_leaves_nothing_behind(tmp_path):
    targets = _previous_run(tmp_path)
    _staged_run(tmp_path, targets).commit()
    for name, target in targets.items():
        assert sorted(p.name for p in target.iterdir()) == [f"{name}-new.txt"]
    assert not list(tmp_path.rglob(".staging-*")) and not list(tmp_path.rglob("*.journal.json"))


class _Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs."""


@pytest.mark.parametrize(
    ("first_run", "renames_done"), [(False, n) for n in range(6)] + [(True, n) for n in range(3)]
)
def test_a_kill_between_any_two_renames_is_rolled_back_by_the_next_run(
    tmp_path, monkeypatch, renames_done, first_run
):
    """Three folders, each renamed aside and replaced: a kill may fall between any two renames."""
    targets = _targets(tmp_path) if first_run else _previous_run(tmp_path)
    for target in targets.values():
        target.parent.mkdir(parents=True, exist_ok=True)
    before = _tree(tmp_path)
    stage = _staged_run(tmp_path, targets)
    real_rename, calls = os.rename, []

    def rename(src, dst):
        if len(calls) == renames_done:
            raise _Killed
        calls.append((src, dst))
        real_rename(src, dst)

    monkeypatch.setattr(staging.os, "rename", rename)
    with pytest.raises(_Killed):
        stage.commit()
    monkeypatch.setattr(staging.os, "rename", real_rename)
    staging.recover(2024, targets, tmp_path / "reports")
    assert _tree(tmp_path) == before
    assert not list(tmp_path.rglob(".staging-*"))


def test_a_kill_after_the_last_rename_keeps_the_new_run(tmp_path, monkeypatch):
    targets = _previous_run(tmp_path)
    stage = _staged_run(tmp_path, targets)
    monkeypatch.setattr(stage, "discard", lambda: (_ for _ in ()).throw(_Killed()))
    with pytest.raises(_Killed):
        stage.commit()
    notes = staging.recover(2024, targets, tmp_path / "reports")
    assert "finished tidying up after the last run" in notes
    assert (targets["reports"] / "reports-new.txt").exists()
    assert not list(tmp_path.rglob(".staging-*")) and not list(tmp_path.rglob("previous"))


def test_leftovers_of_older_versions_are_removed(tmp_path):
    targets = _previous_run(tmp_path)
    for leftover in (".build-2024-abc", "2024.previous", ".staging-2024-x-reports"):
        (tmp_path / "reports" / leftover / "f").mkdir(parents=True)
    notes = staging.recover(2024, targets, tmp_path / "reports")
    assert len(notes) == 3
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2024"]


def test_a_file_in_the_way_fails_before_any_work_naming_the_folder(tmp_path):
    targets = _targets(tmp_path)
    (tmp_path / "restricted").write_text("not a folder")
    with pytest.raises(staging.StagingError, match=f"{tmp_path / 'restricted'} ") as info:
        staging.check_writable(targets)
    assert "nothing was changed" in str(info.value)


_CHECK = (
    "import sys; from pathlib import Path; from analysis import staging\n"
    "w = Path(sys.argv[1])\n"
    "try:\n"
    "    staging.check_writable({n: w / n / '2024' for n in staging.ORDER})\n"
    "except staging.StagingError as e:\n"
    "    print(e)\n"
)


def _check_unprivileged(work: Path, read_only: Path) -> str:
    """check_writable as a user for whom `read_only` is read-only (root ignores modes: use nobody)."""
    if os.geteuid() != 0:
        read_only.chmod(0o555)
        try:
            cmd = [sys.executable, "-c", _CHECK, str(work)]
            return subprocess.run(
                cmd, env=dict(os.environ, PYTHONPATH=SRC), capture_output=True, text=True
            ).stdout
        finally:
            read_only.chmod(0o755)
    python = shutil.which("python3", path="/usr/bin:/bin")
    if not shutil.which("setpriv") or not python:
        pytest.skip("needs setpriv and a system python3 to drop root")
    subprocess.run(["chown", "-R", "nobody:nogroup", str(work)], check=True)
    subprocess.run(["chown", "root:root", str(read_only)], check=True)
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", _CHECK, str(work)]
    env = dict(os.environ, PYTHONPATH=SRC, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def open_work():
    """A folder any user can reach (pytest's tmp_path is private to root)."""
    work = Path(tempfile.mkdtemp(prefix="cip-ro-", dir="/tmp"))
    work.chmod(0o755)
    yield work
    shutil.rmtree(work)


def test_a_read_only_previous_reports_folder_fails_before_any_work(open_work):
    targets = _previous_run(open_work)
    out = _check_unprivileged(open_work, targets["reports"] / "sub")
    assert "cannot be written, so the run stopped before any work" in out
    assert f"{targets['reports'] / 'sub'} (read-only: the previous reports could not be replaced)" in out


def test_a_read_only_destination_folder_fails_before_any_work(open_work):
    _previous_run(open_work)
    out = _check_unprivileged(open_work, open_work / "processed")
    assert f"{open_work / 'processed'} (" in out and "nothing was changed" in out


def test_an_unwritable_destination_stops_the_run_before_ingest(tmp_path, monkeypatch):
    from analysis.pipeline import PipelineError, run_year

    (tmp_path / "processed").write_text("a file where the folder should be")
    seen = []
    with pytest.raises(PipelineError, match="cannot be written") as info:
        run_year(
            2024,
            reports_root=tmp_path / "reports",
            processed_root=tmp_path / "processed",
            progress=seen.append,
        )
    assert str(tmp_path / "processed") in str(info.value)
    assert not any("ingest" in line for line in seen)


# ---------------------------------------------------------------------------- the lock
_HOLD = textwrap.dedent(
    """
    import sys, time
    from analysis.run_lock import year_lock
    with year_lock(sys.argv[1], 2024, shared=sys.argv[2] == "shared"):
        print("holding", flush=True)
        time.sleep(60)
    """
)


def _holder(tmp_path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(tmp_path), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=SRC),
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_process_cannot_run_the_same_year(tmp_path):
    proc = _holder(tmp_path, "exclusive")
    try:
        start = time.perf_counter()
        with pytest.raises(
            RunInProgress, match=rf"a run for 2024 is in progress \(pid {proc.pid}, started 20"
        ):
            with year_lock(tmp_path, 2024):
                pass
        with pytest.raises(RunInProgress, match="in progress"):  # readers wait for the run too
            with year_lock(tmp_path, 2024, shared=True):
                pass
        assert time.perf_counter() - start < 2  # at once, not after a wait
        with year_lock(tmp_path, 2025):  # another year is free
            pass
    finally:
        proc.kill()
        proc.wait()
    with year_lock(tmp_path, 2024):  # a killed holder releases the lock
        pass


def test_readers_share_the_lock_but_keep_a_run_out(tmp_path):
    proc = _holder(tmp_path, "shared")
    try:
        with year_lock(tmp_path, 2024, shared=True):
            pass
        with pytest.raises(RunInProgress):
            with year_lock(tmp_path, 2024):
                pass
    finally:
        proc.kill()
        proc.wait()


def test_verify_selection_waits_for_nobody_but_says_a_run_is_in_progress(tmp_path, capsys):
    from analysis.cli import main

    proc = _holder(tmp_path, "exclusive")
    try:
        code = main(["verify-selection", "--year", "2024", "--reports", str(tmp_path)])
    finally:
        proc.kill()
        proc.wait()
    assert code == 1 and "a run for 2024 is in progress" in capsys.readouterr().err


# ---------------------------------------------------------------------------- the key
@pytest.mark.parametrize(
    ("key", "message"),
    [
        (" " * 16, "only spaces"),
        ("\t \n" * 8, "only spaces"),
        ("short-key ", "too short"),
        ("  abcdefghijklmno  ", "too short"),
        ("cip-synthetic-sample-key-published-not-secret ", "published sample key"),
        (" cip-synthetic-sample-key-published-not-secret", "published sample key"),
    ],
)
def test_weak_keys_are_refused_for_real_data(monkeypatch, key, message):
    monkeypatch.setenv("CIP_PSEUDONYM_KEY", key)
    with pytest.raises(IntakeError, match=message):
        resolve_key(load_config(2024), synthetic=False)


def test_a_good_key_passes():
    check_real_key("a-long-enough-secret-key", "cip-synthetic-sample-key-published-not-secret", "x")


def test_a_different_key_stops_with_what_to_do(tmp_path):
    old, new = b"the-old-secret-key-0001", b"another-secret-key-0002"
    assert key_fingerprint.check(tmp_path, old, year=2024, rekey=False) == key_fingerprint.fingerprint(old)
    (tmp_path / "2024").mkdir()
    key_fingerprint.write(tmp_path / "2024", key_fingerprint.fingerprint(old))
    assert old.decode() not in (tmp_path / "2024" / key_fingerprint.FILE_NAME).read_text()
    assert key_fingerprint.check(tmp_path, old, year=2025, rekey=False)
    with pytest.raises(KeyChangedError) as info:
        key_fingerprint.check(tmp_path, new, year=2025, rekey=False)
    text = str(info.value)
    assert "processed data for 2024" in text and "the lottery draw would change" in text
    assert "Use the old key" in text and "--rekey" in text
    assert key_fingerprint.check(tmp_path, new, year=2025, rekey=True) == key_fingerprint.fingerprint(new)


def test_fingerprints_differ_by_key_and_never_contain_it():
    a, b = key_fingerprint.fingerprint(b"k" * 20), key_fingerprint.fingerprint(b"j" * 20)
    assert a != b and len(a) == 16 and "k" * 4 not in a


# ---------------------------------------------------------------------------- real runs (slow)
ROOT = Path(__file__).resolve().parents[1]


def _cli(work: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "analysis.cli",
        *args,
        "--year",
        "2024",
        "--reports",
        str(work / "reports"),
        "--processed",
        str(work / "processed"),
    ]


def _env(work: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=SRC, PYTHONUNBUFFERED="1", CIP_RESTRICTED_DIR=str(work / "restricted"))


def _year_folders(work: Path) -> dict[str, str]:
    snap = {}
    for name in staging.ORDER:
        snap.update({f"{name}/{k}": v for k, v in _tree(work / name / "2024").items()})
    return snap


def _start(work: Path) -> subprocess.Popen:
    """A run that does every step (--force): an unchanged rerun would reuse them all, and there
    would be no notebook or publishing step to kill."""
    return subprocess.Popen(
        [*_cli(work, "run"), "--force"],
        cwd=ROOT,
        env=_env(work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _kill_when(proc: subprocess.Popen, marker: str) -> list[str]:
    """SIGKILL the run (and its kernels) once it prints a line containing `marker`."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    time.sleep(0.5)
    return seen


@pytest.fixture(scope="module")
def good_run(runs, tmp_path_factory):
    """A copy of the session's good runs (tests/conftest.py): the kills below must not touch what
    other tests read, and a copy costs seconds where a fresh run costs a minute."""
    source, _ = runs
    work = tmp_path_factory.mktemp("safe-runs") / "work"
    shutil.copytree(source, work, symlinks=True)
    return work


def _noisy(console: str) -> list[str]:
    """Console lines that are warnings or errors from anything but the project's own logger."""
    return [
        line
        for line in console.splitlines()
        if ("ERROR" in line or "WARNING" in line)
        and not line.startswith(("WARNING analysis.", "ERROR analysis."))
    ]


@pytest.mark.slow
def test_kernel_and_library_messages_go_to_the_run_log(good_run):
    log = (good_run / "reports" / "2024" / "internal" / "run.log").read_text()
    assert "Messages from kernels and libraries" in log and "[IPKernelApp]" in log


@pytest.mark.slow
def test_kill_9_during_notebooks_then_during_publishing_changes_nothing(good_run):
    before = _year_folders(good_run)
    assert any(k.startswith("restricted/") for k in before) and any(
        k.startswith("processed/") for k in before
    )
    for marker in ("notebook 03_selection …", "  published "):
        seen = _kill_when(_start(good_run), marker)
        assert any(marker in line for line in seen), "".join(seen)[-2000:]
        assert _year_folders(good_run) == before, f"killed at {marker!r}: the previous folders changed"
    assert list(good_run.rglob(".staging-2024-*"))  # left by the kills; the next run removes them


@pytest.mark.slow
def test_a_second_run_of_the_same_year_exits_at_once(good_run):
    first = _start(good_run)
    try:
        for line in first.stdout:
            if "[1/3]" in line:
                break
        start = time.perf_counter()
        second = subprocess.run(
            _cli(good_run, "run"), cwd=ROOT, env=_env(good_run), capture_output=True, text=True
        )
        assert time.perf_counter() - start < 30  # no work done: interpreter start and settings only
        assert second.returncode == 1
        assert f"a run for 2024 is in progress (pid {first.pid}, started " in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()


@pytest.mark.slow
def test_the_next_run_recovers_succeeds_and_keeps_the_console_quiet(good_run):
    proc = subprocess.run(_cli(good_run, "run"), cwd=ROOT, env=_env(good_run), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not list(good_run.rglob(".staging-*"))
    noisy = _noisy(proc.stdout + proc.stderr)
    assert not noisy, noisy[:5]
    log = (good_run / "reports" / "2024" / "internal" / "run.log").read_text()
    assert "unchanged, its HTML and PDF reused" in log  # the killed runs left no half step behind
    verify = subprocess.run(
        _cli(good_run, "verify-selection"), cwd=ROOT, env=_env(good_run), capture_output=True, text=True
    )
    assert verify.returncode == 0 and "identical" in verify.stdout


@pytest.mark.slow
def test_fault_injection_script_with_two_kills(good_run):
    """Last in this module: the script's own "good run" reuses every step of the folder the tests
    above left, so its kills land in reuse, publishing and the swap (the test above kills notebooks)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "fault_injection.py"),
            "--kills",
            "2",
            "--workdir",
            str(good_run),
        ],
        cwd=ROOT,
        env=_env(good_run),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "all kills left the previous folders unchanged" in proc.stdout


def test_a_real_data_run_with_another_key_stops_before_ingest(tmp_path, monkeypatch):
    from analysis import paths
    from analysis.pipeline import PipelineError, run_year

    (tmp_path / "processed" / "2024").mkdir(parents=True)
    key_fingerprint.write(
        tmp_path / "processed" / "2024", key_fingerprint.fingerprint(b"the-key-used-in-2024")
    )
    monkeypatch.setenv("CIP_PSEUDONYM_KEY", "a-different-key-this-year")
    seen = []
    with pytest.raises(PipelineError, match="the lottery draw would change") as info:
        run_year(
            2024,
            raw=paths.SAMPLE_RAW_DIR,
            synthetic=False,
            reports_root=tmp_path / "reports",
            processed_root=tmp_path / "processed",
            progress=seen.append,
        )
    assert "--rekey" in str(info.value) and "a-different-key" not in str(info.value)
    assert not any("ingest" in line for line in seen)
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == ["2024"]


def test_the_first_real_run_records_the_fingerprint_and_rekey_replaces_it(tmp_path, monkeypatch):
    """Notebooks, publishing, the publication plan's check and the landing page stubbed out: ingest,
    staging of all three folders and the key check."""
    import json

    from analysis import paths, pipeline, step_keys

    no_kernels = SimpleNamespace(warm=lambda: None, close=lambda now=False: None)
    monkeypatch.setattr(pipeline, "warm_kernels", lambda *args: no_kernels)
    monkeypatch.setattr(pipeline, "run_and_publish", lambda *args, **kwargs: {})
    monkeypatch.setattr(pipeline.Publishing, "outputs", lambda self: [])
    monkeypatch.setattr(step_keys.RunSteps, "site", lambda *args, **kwargs: [])
    monkeypatch.setattr(pipeline, "build_index", lambda *args, **kwargs: None)
    monkeypatch.setattr(pipeline.publication_plan, "check_publication", lambda *args, **kwargs: None)
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))
    kw = dict(
        raw=paths.SAMPLE_RAW_DIR,
        synthetic=False,
        reports_root=tmp_path / "reports",
        processed_root=tmp_path / "processed",
        progress=lambda _: None,
    )
    monkeypatch.setenv("CIP_PSEUDONYM_KEY", "the-first-real-secret-key")
    pipeline.run_year(2024, **kw)
    first = key_fingerprint.fingerprint(b"the-first-real-secret-key")
    assert key_fingerprint.recorded(tmp_path / "processed") == {"2024": first}
    manifest = json.loads((tmp_path / "reports" / "2024" / "internal" / "run-manifest.json").read_text())
    assert manifest["pseudonym_key_fingerprint"] == first
    assert (tmp_path / "restricted" / "2024" / "organisations.csv").exists()  # staged, then swapped in
    assert not list(tmp_path.rglob(".staging-*"))

    monkeypatch.setenv("CIP_PSEUDONYM_KEY", "a-second-real-secret-key")
    with pytest.raises(pipeline.PipelineError, match="Use the old key"):
        pipeline.run_year(2024, **kw)
    pipeline.run_year(2024, rekey=True, **kw)
    assert key_fingerprint.recorded(tmp_path / "processed") == {
        "2024": key_fingerprint.fingerprint(b"a-second-real-secret-key")
    }
