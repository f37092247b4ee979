"""A realistic reworded export reaches a published run in at most three checks and one run (issue 13).

The 2024 sample's callout export (160 responses; its member survey, workshop log and roster
kept) is spoilt here as a real form export was: two questions reworded, a question added,
timestamps month-first (US; in the member survey too), and "Other" answers typed in (eleven
different ones, more than one check lists at a time). Staff's loop is simulated: run `check`,
paste the block it prints into the settings (uncommented lines as they are; a commented
`# [section] …: key = value` hint under its section; each commented option line completed with
the answer from the row it names, coded "other", as staff would decide), check again, then run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.config import load_config
from analysis.intake.read import read_export
from analysis.synthetic import write_csv

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXPORT = "2024/callout-export.csv"
REWORDED = {
    "Where is your organisation now on the participation spectrum?": (
        "Where is your organisation on the participation spectrum today?"
    ),
    "Roughly how many staff (full-time equivalent) does your organisation have?": (
        "Roughly how many staff (FTE) does your organisation have?"
    ),
}
EXTRA = "How did you hear about the network?"
ORG_TYPE = "Which one best describes your organisation?"
TYPED_OTHER = [
    "Heritage railway trust",
    "Circus school",
    "Orchestra",
    "Community radio station",
    "Botanic garden",
    "Film archive",
    "Youth theatre (charity)",
    "Dance agency",
    "Craft guild",
    "Cathedral music trust",
    "Puppetry company",
]


def _us(stamp: str) -> str:
    day, month, rest = stamp.split("/", 2)
    return f"{month}/{day}/{rest}"


def _export(raw: Path) -> pd.DataFrame:
    shutil.copytree(paths.SAMPLE_RAW_DIR / "2024", raw / "2024")
    sample = raw / "2024" / "callout-responses.csv"
    frame = pd.read_csv(sample, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sample.unlink()
    frame = frame.rename(columns=REWORDED)
    heard = ["A friend", "Newsletter", "Social media", ""]
    frame.insert(3, EXTRA, [heard[i % 4] for i in range(len(frame))])
    frame["Timestamp"] = frame["Timestamp"].map(_us)
    # The member survey comes from the same form account, so its timestamps are month-first too.
    survey = raw / "2024" / "member-survey.csv"
    returns = pd.read_csv(survey, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    returns["Timestamp"] = returns["Timestamp"].map(_us)
    write_csv(returns, survey, bom=True)
    for i, answer in enumerate(TYPED_OTHER + TYPED_OTHER[:3]):
        frame.loc[5 + 11 * i, ORG_TYPE] = answer
    write_csv(frame, raw / EXPORT, bom=True)
    # As staff see it in a spreadsheet: indexed by row number (header = row 1), blank rows skipped.
    return read_export(raw / EXPORT, config=load_config(2024))[0]


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table, e.g. one of [[brief.asks]]
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _toml(data: dict, prefix: str = "") -> str:
    """A small TOML writer for settings: scalars first, then each sub-table."""
    lines = [
        f"{json.dumps(k) if prefix else k} = {_toml_value(v)}"
        for k, v in data.items()
        if not isinstance(v, dict)
    ]
    out = ([f"[{prefix}]"] if prefix and lines else []) + lines + [""]
    for key, value in data.items():
        if isinstance(value, dict):
            name = key if re.fullmatch(r"[A-Za-z0-9_]+", key) else json.dumps(key)
            out.append(_toml(value, f"{prefix}.{name}" if prefix else name))
    return "\n".join(out)


def _merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict):
            _merge(base.setdefault(key, {}), value)
        else:
            base[key] = value
    return base


def _apply(block: str, frame: pd.DataFrame, mapping: dict[str, str]) -> dict:
    """What staff paste from check's block, as settings: no line is written by the test itself."""
    plain = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("#"))
    settings = tomllib.loads(plain)
    column = None
    for line in block.splitlines():
        hint = re.match(r"^# \[(\w+)\][^:]*: (\w+) = (.+)$", line)
        if hint:
            _merge(settings, {hint[1]: tomllib.loads(f"{hint[2]} = {hint[3]}")})
        where = re.match(r"^# \[options\.(\w+)\] in ", line)
        if where:
            column = next(q for q, f in mapping.items() if f == where[1])
            section = where[1]
        answer = re.match(r'^#\s+"<the answer exactly as in row (\d+)>" = ', line)
        if answer:  # the staff decision: a typed "Other" answer is coded other
            typed = frame.loc[int(answer[1]), column]
            _merge(settings, {"options": {section: {typed: "other"}}})
    return settings


def test_a_reworded_export_is_published_after_at_most_three_checks(tmp_path, capsys):
    raw = tmp_path / "raw"
    frame = _export(raw)
    settings = tomllib.loads((paths.CONFIG_DIR / "2024.toml").read_text(encoding="utf-8"))
    settings["inputs"]["callout"] = EXPORT
    config = tmp_path / "settings.toml"
    mapping = tomllib.loads((paths.CONFIG_DIR / "defaults.toml").read_text())["mapping"]["callout"]
    outputs = []
    for _ in range(3):
        config.write_text(_toml(settings), encoding="utf-8")
        code = main(["check", "--year", "2024", "--raw", str(raw), "--config", str(config)])
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
        if code == 0:
            break
        block = outputs[-1].split("# ---- settings to paste", 1)[1].split("\nResult:", 1)[0]
        block = "# ---- settings to paste" + block
        _merge(settings, _apply(block, frame, mapping))
    assert code == 0, outputs[-1]
    assert len(outputs) >= 2 and "NOT READY" in outputs[0]  # the spoilt export did need the loop
    first = outputs[0]
    assert all(q in first for q in REWORDED.values()) and EXTRA in first and "month-first" in first
    assert not any(answer in out for out in outputs for answer in TYPED_OTHER)  # typed text never printed

    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        CIP_RESTRICTED_DIR=str(tmp_path / "restricted"),
        CIP_PSEUDONYM_KEY="a-test-key-for-the-reworded-export",
    )
    cmd = [sys.executable, "-m", "analysis.cli", "run", "--year", "2024", "--raw", str(raw)]
    cmd += [
        "--config",
        str(config),
        "--reports",
        str(tmp_path / "reports"),
        "--processed",
        str(tmp_path / "processed"),
    ]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert list((tmp_path / "reports" / "2024").glob("*.pdf"))
    quality = json.loads((tmp_path / "processed" / "2024" / "quality_log.json").read_text())
    table = quality["tables"]["callout"]
    assert table["received"] == len(frame) == table["kept"] + table["superseded"] + table["rejected"]
    assert table["corrections_by_field"].get("org_type", {}).get("unknown_option", 0) == 0
