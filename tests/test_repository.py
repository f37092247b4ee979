"""House rules of the repository itself: clean notebooks, thin notebooks, CI = README."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01_applicant_geography",
    "02_organisational_readiness",
    "03_selection",
    "04_member_outcomes",
    "05_policy_brief",
]


def test_all_notebooks_are_present():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED, "scratch notebooks go in notebooks/exploratory/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} has outputs"
            assert cell.get("execution_count") is None, f"{path.name} has execution counts"
    assert "kernelspec" not in nb["metadata"], f"{path.name} has kernelspec metadata"
    assert nb["metadata"].get("title"), f"{path.name} has no title in its metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_with_plain_defaults(path):
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    values = {}
    for node in ast.parse("".join(tagged[0]["source"])).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds plain assignments only"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    assert values == {
        "year": 2024,
        "config_path": "",
        "processed_dir": "",
        "output_dir": "",
        "synthetic": True,
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_logic(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            assert not isinstance(
                node,
                (
                    ast.FunctionDef,
                    ast.ClassDef,
                    ast.Lambda,
                    ast.For,
                    ast.While,
                    ast.If,
                    ast.IfExp,
                    ast.ListComp,
                    ast.DictComp,
                    ast.SetComp,
                    ast.GeneratorExp,
                ),
            ), f"{path.name} defines logic ({type(node).__name__}); move it into src/analysis/"


def test_ci_runs_the_readme_test_command_exactly():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash)?\n(.*?)```", quick, flags=re.S)
    assert len(blocks) == 1, "Quick start holds one fenced block"
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2, "Quick start holds exactly two commands"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci, "the README's test command must appear in .ci/run exactly"
    assert "exit 1" in (ROOT / ".ci" / "run").read_text(), ".ci/run must fail on pytest's exit code 5"


def test_generated_and_personal_paths_are_ignored():
    probe = [
        "data/raw/2024/callout.csv",
        "data/processed/2024/applicants.parquet",
        "reports/2024/x.pdf",
        "restricted/2024/organisations.csv",
        "config/secrets.toml",
    ]
    out = subprocess.run(["git", "check-ignore", *probe], cwd=ROOT, capture_output=True, text=True).stdout
    assert sorted(out.split()) == sorted(probe)
    kept = subprocess.run(
        ["git", "check-ignore", "data/raw/synthetic/2024/callout-responses.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert kept.returncode == 1, "the synthetic sample must not be ignored"


def test_reference_data_is_in_the_repository_with_provenance():
    ref = ROOT / "data" / "reference"
    assert (ref / "PROVENANCE.md").exists()
    for rel in (
        "geography/itl1_regions_jan2021_uk_buc.geojson",
        "postcodes/postcode_districts_uk.csv",
        "population/ons_mye_mid2022_itl1_regions.csv",
        "deprivation/mysociety_uk_composite_imd_lad2023.csv",
        "rural_urban/mysociety_uk_composite_ruc_lad2023.csv",
    ):
        assert (ref / rel).exists(), rel
    sources = " ".join(p.read_text() for p in (ROOT / "src" / "analysis").rglob("*.py"))
    assert "shared/data" not in sources, "the project must not read ../shared at run time"
