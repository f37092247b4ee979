"""Every malformed export gets a clear error or a logged, counted correction; never a traceback,
never a silent drop (issue 3, item 8).

The fixtures and what each must produce are in tests/fixtures/ (make_fixtures.py,
expectations.toml). Each runs through the real `analysis.intake.ingest_year` with the 2024
settings, pointed at the fixture, with no member/workshop/roster inputs.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest

from analysis import intake
from analysis.config import Config, load_config
from analysis.synthetic import generate_callout, name_key, write_csv

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTATIONS = tomllib.loads((FIXTURES / "expectations.toml").read_text(encoding="utf-8"))
TABLE_KEYS = ("received", "kept", "superseded", "rejected")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")


def _config_for(callout: str, inputs: dict | None = None) -> Config:
    """The 2024 settings with the callout pointed at one file, no other inputs, and any
    `inputs` settings the fixture's expectation names (e.g. the workbook sheet to read)."""
    data = copy.deepcopy(load_config(2024).data)
    data["inputs"]["callout"] = callout
    data["inputs"].update(inputs or {})
    for kind in ("member_surveys", "workshops", "rosters"):
        data["inputs"][kind] = {}
    return Config(year=2024, data=data)


@pytest.fixture
def run_intake(tmp_path, monkeypatch):
    """Ingest one export from a temporary raw root into a temporary processed folder."""
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))

    def run(source: Path, inputs: dict | None = None):
        raw = tmp_path / "raw"
        raw.mkdir(exist_ok=True)
        (raw / source.name).write_bytes(source.read_bytes())
        processed = tmp_path / "processed" / "2024"
        return intake.ingest_year(_config_for(source.name, inputs), raw, processed, synthetic=True), processed

    return run


def _correction_keys() -> set[str]:
    """Every correction key intake can log (read from its source), so a renamed counter fails here."""
    import re
    from pathlib import Path

    src = Path(intake.__file__).parent
    text = "".join(path.read_text() for path in sorted(src.glob("*.py")))
    keys = set(re.findall(r'correct\(\s*"(\w+)"', text))
    keys |= {f"postcode_{s}" for s in ("invalid", "not_found", "missing")}  # logged in a loop
    return keys


def _count(log: dict, key: str) -> int:
    assert key in TABLE_KEYS or key in _correction_keys(), f"intake never logs a count called {key!r}"
    table = log["tables"]["callout"]
    if key in TABLE_KEYS:
        return table[key]
    if key in table.get("corrections", {}):
        return table["corrections"][key]
    return log.get("counts", {}).get(key, 0)


def _assert_accounted(log: dict) -> None:
    """Every row received is kept, superseded or rejected, and each is explained."""
    table = log["tables"]["callout"]
    assert table["received"] == table["kept"] + table["superseded"] + table["rejected"], table
    assert len(table["rejections"]) == table["rejected"]
    assert all(r.get("reason") for r in table["rejections"])
    assert len(table["superseded_rows"]) == table["superseded"]


def test_there_are_enough_fixtures():
    files = {spec["file"] for spec in EXPECTATIONS.values()}
    assert len(files) >= 20
    assert all((FIXTURES / f).exists() for f in files), "run tests/fixtures/make_fixtures.py"
    on_disk = {p.name for p in FIXTURES.iterdir() if p.suffix in {".csv", ".xlsx"}}
    assert on_disk == files, f"fixtures without expectations (or the reverse): {on_disk ^ files}"


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_fixture(name, run_intake):
    spec = EXPECTATIONS[name]
    source = FIXTURES / spec["file"]
    if "error" in spec:
        with pytest.raises(
            intake.IntakeError, match=re.compile(spec["error"], re.IGNORECASE | re.DOTALL)
        ) as info:
            run_intake(source, spec.get("inputs"))
        message = str(info.value)
        assert not TRACEBACK.search(message), message
        assert source.name in message or "row" in message, f"the message should say where: {message}"
        return
    log, processed = run_intake(source, spec.get("inputs"))
    _assert_accounted(log)
    assert (processed / "quality_log.json").exists()
    for key, expected in spec.get("counts", {}).items():
        assert _count(log, key) == expected, f"{name}: {key} = {_count(log, key)}, expected {expected}"
    table = log["tables"]["callout"]
    if "warning" in spec:
        pattern = re.compile(spec["warning"], re.IGNORECASE)
        assert any(pattern.search(w) for w in table["warnings"]), table["warnings"]
    if "reasons" in spec:
        pattern = re.compile(spec["reasons"], re.IGNORECASE)
        assert table["rejections"] and all(pattern.search(r["reason"]) for r in table["rejections"])


def test_failed_intake_writes_nothing(run_intake, tmp_path):
    """A broken export must not leave half-written processed tables behind."""
    with pytest.raises(intake.IntakeError):
        run_intake(FIXTURES / "missing_column.csv")
    assert not (tmp_path / "processed" / "2024").exists()


def test_ten_thousand_row_export(run_intake, tmp_path):
    """A 10,000-organisation export, generated here rather than committed, goes through with
    every amended and blank-named row accounted for (its time is in benchmarks/bench_small.py)."""
    frame = generate_callout(10_000, seed=7)
    source = write_csv(frame, tmp_path / "callout-10000.csv", bom=True)
    names = frame["Organisation name"].map(name_key)
    blank = int((names == "").sum())
    distinct = names[names != ""].nunique()
    log, _ = run_intake(source)
    _assert_accounted(log)
    assert _count(log, "received") == len(frame)
    assert _count(log, "rejected") == blank
    assert _count(log, "kept") == distinct == 10_000
    assert _count(log, "superseded") == len(frame) - blank - distinct
