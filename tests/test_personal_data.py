"""No respondent-typed personal data leaves the raw folder except into restricted/ (issue 13, item 7).

A copy of the 2024 sample gets an email, a UK mobile number, a full postcode and a person's name
planted in every free-text and option field of every input (callout, member survey, workshop log,
roster). `check` and `run` are then run as staff would: first as exported (check stops; so does
run, before writing anything), then with the option lines check asks for, mapping the planted
answers to codes (run publishes). Every file written under data/processed and reports (text,
JSON, CSV, Parquet, HTML, PDF text, XLSX, zip members) and everything printed is scanned.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import paths
from analysis.cli import main
from analysis.config import load_config
from analysis.intake.check import FIELDS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NAME, EMAIL, PHONE, POSTCODE = "Wilhelmina Canary", "pii.canary@example.org", "07700 900461", "EC1A 1BB"
# One answer without commas, so a checkbox field keeps it as one typed piece.
PLANTED = f"{NAME} {EMAIL} {PHONE} {POSTCODE}"
# Searched with all spacing removed, so a value wrapped across PDF lines is still found.
NEEDLES = [EMAIL, "Wilhelmina", PHONE, POSTCODE]
NOT_TYPED = {"timestamp", "date", "optional_date", "count", "money", "likert"}
FILES = {
    "callout": "callout-responses.csv",
    "member_survey": "member-survey.csv",
    "workshops": "workshop-log.csv",
    "roster": "network-roster.csv",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text)).casefold()


def _leaks(text: str) -> list[str]:
    flat = _squash(text)
    return [n for n in NEEDLES if _squash(n) in flat]


def _plant(raw: Path, config) -> dict[str, dict]:
    """Plant PLANTED in one row per typed field of every input; returns the option lines to add."""
    options: dict[str, dict] = {}
    for table, name in FILES.items():
        path = raw / "2024" / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        question = {f: q for q, f in config["mapping"][table].items()}
        typed = [f for f in question if FIELDS[table].get(f, ("free", None))[0] not in NOT_TYPED]
        for k, fld in enumerate(typed):
            if fld == "org_name":
                continue  # renamed in every input at once below, so the organisation stays one
            row = (3 + 5 * k) % len(frame)
            kind, section = FIELDS[table].get(fld, ("free", None))
            col = question[fld]
            old = frame.at[row, col]
            frame.at[row, col] = f"{old}, {PLANTED}" if kind == "multi" and old else PLANTED
            if section and config["options"].get(section):  # no [options.topic]: topics are dropped
                first = next(iter(config["options"][section].values()))
                options.setdefault(section, {})[PLANTED] = first
        _write(frame, path)
    _rename_one_organisation(raw, config)
    return options


def _rename_one_organisation(raw: Path, config) -> None:
    """A person's name typed as an organisation's name, the same in every input."""
    roster = pd.read_csv(raw / "2024" / FILES["roster"], dtype=str, keep_default_na=False)
    old = roster.iloc[1]["Organisation name"]
    for table, name in FILES.items():
        path = raw / "2024" / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        col = next(q for q, f in config["mapping"][table].items() if f == "org_name")
        frame[col] = frame[col].replace(old, f"{NAME} {old}")
        _write(frame, path)


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8")


def _settings(work: Path, options: dict[str, dict]) -> Path:
    """The 2024 settings, plus (when given) the option lines check suggests, filled in."""
    text = (paths.CONFIG_DIR / "2024.toml").read_text(encoding="utf-8")
    for section, answers in options.items():
        text += f"\n[options.{section}]\n" + "".join(
            f"{json.dumps(a)} = {json.dumps(c)}\n" for a, c in answers.items()
        )
    path = work / f"settings-{len(options)}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _text_of(path: Path) -> str:
    """Everything readable in one output file."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    if suffix == ".pdf":
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
        return done.stdout
    if suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
        )
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    return data.decode("utf-8", "replace")


def _scan(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        leaks = _leaks(_text_of(path))
        if leaks:
            found[str(path.relative_to(folder))] = leaks
    return found


def _run(work: Path, settings: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "analysis.cli", "run", "--year", "2024", "--raw", str(work / "raw")]
    cmd += [
        "--config",
        str(settings),
        "--reports",
        str(work / "reports"),
        "--processed",
        str(work / "processed"),
    ]
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        CIP_RESTRICTED_DIR=str(work / "restricted"),
        CIP_PSEUDONYM_KEY="a-test-key-for-the-personal-data-run",
    )
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    work = tmp_path_factory.mktemp("personal-data")
    shutil.copytree(paths.SAMPLE_RAW_DIR / "2024", work / "raw" / "2024")
    options = _plant(work / "raw", load_config(2024))
    raw_text = "".join(p.read_text(encoding="utf-8") for p in (work / "raw" / "2024").iterdir())
    assert raw_text.count(PLANTED) >= 29  # 18 callout, 5 survey, 4 workshop and 2 roster fields
    return work, options


def test_check_and_a_stopped_run_show_no_planted_value(planted, capsys):
    work, options = planted
    settings = _settings(work, {})
    assert main(["check", "--year", "2024", "--raw", str(work / "raw"), "--config", str(settings)]) == 1
    out = capsys.readouterr()
    assert "NOT READY" in out.out and not _leaks(out.out + out.err)
    stopped = _run(work, settings)
    assert stopped.returncode == 1 and "nothing was changed" in stopped.stderr + stopped.stdout
    assert not _leaks(stopped.stdout + stopped.stderr)
    assert not [p for p in work.glob("*/2024/**/*") if p.is_file() and "raw" not in p.parts]


def test_a_published_run_holds_no_planted_value(planted):
    work, options = planted
    done = _run(work, _settings(work, options))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert not _leaks(done.stdout + done.stderr)
    assert list((work / "reports").rglob("run.log")) and list((work / "processed").rglob("quality_log.json"))
    for folder in ("processed", "reports"):
        assert any((work / folder).rglob("*.parquet" if folder == "processed" else "*.pdf")), folder
        assert _scan(work / folder) == {}, folder
    # The typed values staff need (organisation names) are kept, but only under restricted/.
    assert "Wilhelmina" in (work / "restricted" / "2024" / "organisations.csv").read_text(encoding="utf-8")
