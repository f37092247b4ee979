"""The public selection pack: banded chances that reveal no small group, no per-pseudonym chance,
no pool counts, and fingerprints that tie it to the full (internal) pack."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import selection
from analysis.selection.audit import audit_files
from analysis.selection.lottery import sha256_text
from analysis.selection.public_pack import chance_bands, public_files
from example_pools import example_applicants
from test_selection_stored import make_config


def _edges(bands: pd.DataFrame) -> list[tuple[float, float]]:
    return [(float(a), float(str(b).split()[0])) for a, b in zip(bands["chance_from"], bands["chance_below"])]


@settings(max_examples=60, deadline=None)
@given(
    chances=st.lists(st.integers(0, 1000).map(lambda k: k / 1000), min_size=0, max_size=60),
    min_count=st.integers(1, 8),
)
def test_every_band_holds_at_least_min_count_and_the_bands_cover_0_to_1(chances, min_count):
    bands = chance_bands(pd.Series(chances, dtype=float), min_count)
    edges = _edges(bands)
    assert edges[0][0] == 0 and edges[-1][1] == 1
    assert all(hi == lo for (_, hi), (lo, _) in zip(edges, edges[1:]))  # contiguous
    assert bands["applicants"].sum() == len(chances)
    if len(chances) >= min_count:
        assert (bands["applicants"] >= min_count).all()
    else:
        assert len(bands) == 1


def test_four_applicants_sharing_a_chance_are_not_a_band_of_their_own():
    chances = pd.Series([0.072] * 95 + [0.125] * 16 + [0.25] * 4)
    bands = chance_bands(chances, 5)
    assert 4 not in set(bands["applicants"]) and (bands["applicants"] >= 5).all()


@pytest.fixture(scope="module")
def drawn():
    return selection.select(example_applicants(60, seed=5), make_config())


def test_the_public_pack_has_no_per_pseudonym_chance_and_matches_the_internal_pack(drawn):
    files = public_files(drawn, 5)
    internal = audit_files(drawn)
    assert set(files) == {
        "README.md",
        "manifest.json",
        "config-selection.json",
        "quotas.csv",
        "drawn-panel.csv",
        "chances-banded.csv",
    }
    assert files["config-selection.json"] == internal["config-selection.json"]
    assert files["drawn-panel.csv"] == internal["drawn-panel.csv"]
    manifest = json.loads(files["manifest.json"])
    assert manifest["internal_files_sha256"] == {n: sha256_text(t) for n, t in internal.items()}
    assert manifest["files_sha256"] == {n: sha256_text(t) for n, t in files.items() if n != "manifest.json"}
    quotas = list(csv.DictReader(io.StringIO(files["quotas.csv"])))
    assert "eligible" not in quotas[0] and "selected" not in quotas[0] and len(quotas) == 4
    members = set(drawn.selected)
    others = set(drawn.pool["org_id"]) - members
    assert not any(pid in text for pid in others for text in files.values())
