"""The place vocabulary: one source for region and nation names, read from the reference data."""

from __future__ import annotations

import ast
from pathlib import Path

from analysis import reference

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
PLACE_NAMES = {
    "North East",
    "Yorkshire and The Humber",
    "East Midlands",
    "Wales",
    "Scotland",
    "Northern Ireland",
}


def test_twelve_regions_in_four_nations():
    lookup = reference.region_lookup()
    assert list(lookup.index) == list(reference.REGION_ORDER) and len(lookup) == 12
    assert set(lookup["nation"]) == set(reference.NATION_ORDER)
    assert reference.region_names()["E12000003"] == "Yorkshire and The Humber"
    assert reference.region_names()["TLN"] == "Northern Ireland"
    assert reference.region_nations()["W92000004"] == "Wales"
    assert reference.ENGLAND == "England" and "England" not in reference.SMALL_NATIONS


def test_region_names_read_in_a_sentence():
    assert reference.region_in_sentence("North East") == "the North East"
    assert reference.region_in_sentence("London") == "London"
    assert reference.region_in_sentence("Wales") == "Wales"


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    }


def test_region_and_nation_names_are_spelled_out_only_in_reference():
    # The synthetic generator is a development tool; it works in codes, never names either.
    offenders = {}
    for path in SRC.rglob("*.py"):
        if path.name == "reference.py":
            continue
        found = {c for c in _string_constants(path) if c in PLACE_NAMES}
        if found:
            offenders[str(path.relative_to(SRC))] = sorted(found)
    assert not offenders, f"region or nation names spelled out outside analysis.reference: {offenders}"
