"""Where the invented applicants are: regional shares and the postcodes they type.

Real GB postcodes come from the reference pack under `data/reference/postcodes/`; the unusable
ones (invalid, unknown district, offshore) are listed here. Imports paths and reference (the
nation of each region code) only.
"""

from __future__ import annotations

import functools
import random
import re

import pandas as pd

from analysis import paths
from analysis.reference import ENGLAND, region_nations

# Regional shares of applicants: London and the South East over-represented relative to
# population, the North East and Northern Ireland thin, as in most UK cultural-sector callouts.
REGION_WEIGHTS = {
    "E12000007": 0.200,  # London
    "E12000008": 0.150,  # South East
    "E12000009": 0.090,  # South West
    "E12000002": 0.090,  # North West
    "S92000003": 0.085,  # Scotland
    "E12000006": 0.070,  # East of England
    "E12000005": 0.065,  # West Midlands
    "E12000003": 0.065,  # Yorkshire and the Humber
    "W92000004": 0.060,  # Wales
    "E12000004": 0.055,  # East Midlands
    "E12000001": 0.035,  # North East
    "N92000002": 0.035,  # Northern Ireland
}

NI = "N92000002"
NATION_OF = {code: nation for code, nation in region_nations().items() if nation != ENGLAND}

# A respondent who picks the "wrong" region usually picks a neighbour.
NEIGHBOUR = {
    "E12000007": "E12000008",
    "E12000008": "E12000007",
    "E12000009": "E12000008",
    "E12000002": "E12000003",
    "E12000003": "E12000001",
    "E12000001": "E12000003",
    "E12000004": "E12000005",
    "E12000005": "E12000004",
    "E12000006": "E12000007",
    "W92000004": "E12000005",
    "S92000003": "E12000001",
    NI: "S92000003",
}

# Typed postcodes that cannot be resolved: wrong format, or a district that does not exist.
INVALID_POSTCODES = ["M1 1A", "N/A", "TBC", "0161 496 0018", "SW1A 1AAA", "Leeds", "XX9 9ZZ"]
NOT_FOUND_POSTCODES = ["N23 4AB", "SE29 1AB", "EC5A 1BB", "E21 3XY", "LS31 2AD", "NW12 7QT"]
OUTSIDE_UK_POSTCODES = [("JE2 4WE", "E12000009"), ("GY1 2HT", "E12000009"), ("IM1 3LJ", "E12000002")]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Large-user and PO-box districts: real, but no arts centre has its front door there.
PO_BOX_DISTRICTS = {"N1P", "SE1P", "EC1P", "EC2P", "EC3P", "EC4P", "NW1W", "W1A"}


@functools.cache
def _postcode_pool() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Real GB test postcodes per region, and the BT districts for Northern Ireland.

    Only ordinary districts that lie wholly in one region are used (no PO-box or large-user
    districts such as NE99), so the region a postcode implies is unambiguous and the sample's
    promised counts (e.g. stated regions that disagree) hold.
    """
    ref = paths.REFERENCE_DIR / "postcodes"
    districts = pd.read_csv(ref / "postcode_districts_uk.csv", dtype=str, keep_default_na=False)
    number = districts["district"].str.extract(r"^[A-Z]+(\d+)", expand=False).astype(float)
    ordinary = (
        (pd.to_numeric(districts["n_postcodes"], errors="coerce") >= 150)
        & (number < 90)
        & ~districts["district"].isin(PO_BOX_DISTRICTS)
    )
    single = set(
        districts.loc[(districts["n_regions"] == "1") & (districts["RGN23CD"] != "") & ordinary, "district"]
    )
    tests = pd.read_csv(ref / "test_postcodes_gb_one_per_district.csv", dtype=str, keep_default_na=False)
    tests = tests[tests["district"].isin(single) & (tests["positional_quality"] == "10")]
    pool = {code: tuple(group["postcode"]) for code, group in tests.groupby("RGN23CD", sort=True)}
    bt = tuple(sorted((d for d in districts["district"] if d.startswith("BT")), key=_district_sort))
    return pool, bt


def _district_sort(district: str) -> tuple[str, int]:
    match = re.match(r"([A-Z]+)(\d+)", district)
    return (match.group(1), int(match.group(2))) if match else (district, 0)


def _bt_postcode(rng: random.Random, bt_districts: tuple[str, ...]) -> str:
    """A plausible NI postcode: a real BT district and an inward code in the right format."""
    return f"{rng.choice(bt_districts)} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def real_postcode(rng: random.Random, region: str, used: set[str]) -> str:
    pool, bt = _postcode_pool()
    if region == NI:
        return _bt_postcode(rng, bt)
    options = pool[region]
    for _ in range(20):
        code = rng.choice(options)
        if code not in used:
            break
    used.add(code)
    return code
