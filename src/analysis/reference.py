"""The UK's places: reference data, the place vocabulary and the postcode → place lookup.

This is the only module that spells out region and nation names and codes; everything else asks
it (`NATION_ORDER`, `region_names()`, `region_in_sentence`). The reference data under
`data/reference/` (ONS, OS, mySociety; see PROVENANCE.md) is read here, once per process.
Layer: base. Imports only `paths`.

`assign_geography` is a vectorised postcode → district → LAD / region / nation lookup that intake
calls on the raw callout and that a researcher can call on any list of postcodes. Only the
*outward code* (postcode district, e.g. ``SW1A``) is looked up: the reference pack has no
unit-level lookup, and districts are all the precision the analysis publishes.

Statuses returned by `assign_geography` (the ``postcode_status`` column of applicants):

- ``ok``: the district is in the reference and has a region.  A bare outward code (``"M1"``)
  is ``ok`` too, because the lookup is district-level anyway; such rows are flagged
  ``partial = True`` so ingest can count them.
- ``invalid``: not a UK postcode format (after normalising case and spacing).
- ``not_found``: a valid format, but the district is not in the reference (retired, made up,
  or non-geographic such as ``BX``/``BF1``), or a non-geographic GB district (``S94``, ``TW98`` …)
  that has no LAD or region.
- ``outside_uk``: Jersey (``JE``), Guernsey (``GY``) and the Isle of Man (``IM``): Crown
  Dependencies, not part of the UK, so they are counted and excluded from UK rates.
- ``missing``: blank or NA.

Every ``BT`` postcode is Northern Ireland (region/ITL1 ``N92000002``/``TLN``) by rule; the
reference has no LAD for NI districts, so ``lad_code`` is null there.  Districts that straddle a
region boundary (191 of them) take the region holding most of their postcode units and are
flagged ``straddles_region``; ``rgn_share`` says how dominant that region is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import paths

# --------------------------------------------------------------------------------------------
# Postcode format.  The outward code follows the BS 7666 rules used by the GOV.UK data
# standards (first letter not Q/V/X, second not I/J/Z, restricted third/fourth letters);
# the inward code is a digit and two letters that exclude C, I, K, M, O and V.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
FULL_POSTCODE_RE = rf"^{_OUTWARD}{_INWARD}$"
OUTWARD_RE = rf"^{_OUTWARD}$"
# Whitespace of any kind, including the non-breaking spaces spreadsheets like to insert.
_SPACES_RE = r"[\s\x{00A0}\x{2007}\x{202F}\x{FEFF}]+"

OUTSIDE_UK_AREAS = ("JE", "GY", "IM")  # Crown Dependencies: not in the UK
NI_AREA = "BT"
NI_REGION = {
    "region_code": "N92000002",
    "region_name": "Northern Ireland",
    "itl1_code": "TLN",
    "nation": "Northern Ireland",
}

STATUSES = ("ok", "invalid", "not_found", "outside_uk", "missing")
OUTPUT_COLUMNS = (
    "postcode",
    "postcode_district",
    "postcode_area",
    "status",
    "partial",
    "nation",
    "region_code",
    "region_name",
    "itl1_code",
    "lad_code",
    "straddles_region",
    "rgn_share",
)

REGION_ORDER = (
    "E12000001",
    "E12000002",
    "E12000003",
    "E12000004",
    "E12000005",
    "E12000006",
    "E12000007",
    "E12000008",
    "E12000009",
    "W92000004",
    "S92000003",
    "N92000002",
)
NATION_ORDER = ("England", "Wales", "Scotland", "Northern Ireland")


# --------------------------------------------------------------------------------------------
# Reference data, loaded once per process.


@dataclass(frozen=True)
class _DistrictTable:
    """The district lookup as plain numpy arrays, so a lookup is one `get_indexer` + `take`."""

    index: pd.Index  # district codes, e.g. 'SW1A'
    columns: dict[str, np.ndarray]  # output column -> values aligned with `index`


def _reference_path(*parts: str):
    return paths.REFERENCE_DIR.joinpath(*parts)


@functools.cache
def _district_table() -> _DistrictTable:
    """Load postcode_districts_uk.csv once; later calls reuse it (the 1 s budget needs this)."""
    d = pd.read_csv(_reference_path("postcodes", "postcode_districts_uk.csv"), dtype={"district": str})
    geographic = d["RGN23CD"].notna()
    columns = {
        "nation": d["CTRY23NM"].where(geographic),
        "region_code": d["RGN23CD"],
        "region_name": d["RGN23NM"],
        "itl1_code": d["ITL121CD"],
        "lad_code": d["LAD23CD"],
        "straddles_region": d["n_regions"].fillna(1).gt(1),
        "rgn_share": d["rgn_share"].where(geographic),
    }
    arrays = {
        k: v.to_numpy(dtype=object if v.dtype != bool and v.dtype.kind != "f" else None)
        for k, v in columns.items()
    }
    return _DistrictTable(index=pd.Index(d["district"].str.upper()), columns=arrays)


@functools.cache
def region_lookup() -> pd.DataFrame:
    """The 12 ITL1 regions/nations, indexed by RGN23CD in ONS order, with population.

    Columns: ``region_name`` (RGN23NM), ``itl1_code``, ``itl1_name``, ``nation``,
    ``population`` (ONS mid-2022), ``population_share`` (of the UK).  Joining on codes avoids
    the ITL/RGN name differences ("East" vs "East of England").
    """
    p = pd.read_csv(_reference_path("population", "ons_mye_mid2022_itl1_regions.csv"))
    out = pd.DataFrame(
        {
            "region_name": p["RGN23NM"].to_numpy(),
            "itl1_code": p["ITL121CD"].to_numpy(),
            "itl1_name": p["ITL121NM"].to_numpy(),
            "nation": p["CTRY23NM"].to_numpy(),
            "population": p["population_mid2022"].astype("int64").to_numpy(),
        },
        index=pd.Index(p["RGN23CD"].to_numpy(), name="region_code"),
    )
    out["population_share"] = out["population"] / out["population"].sum()
    return out.reindex(list(REGION_ORDER)).copy()


def population_by_region() -> pd.Series:
    """ONS mid-2022 population of the 12 regions/nations (index RGN23CD)."""
    return region_lookup()["population"].copy()


def population_by_nation() -> pd.Series:
    """ONS mid-2022 population of the 4 nations (index nation name, UK order)."""
    return region_lookup().groupby("nation")["population"].sum().reindex(list(NATION_ORDER))


@functools.cache
def lad_profile() -> pd.DataFrame:
    """Per LAD23: population, mySociety composite IMD quintile and rural/urban cluster.

    Used to profile applicants' local authorities against the UK as a whole.
    """
    lookup = pd.read_csv(_reference_path("lookups", "lad23_to_region_itl1_country_uk.csv"))
    pop = pd.read_csv(_reference_path("population", "ons_mye_mid2022_uk_lad2023_geography.csv"))
    imd = pd.read_csv(_reference_path("deprivation", "mysociety_uk_composite_imd_lad2023.csv"))
    ruc = pd.read_csv(_reference_path("rural_urban", "mysociety_uk_composite_ruc_lad2023.csv"))
    out = lookup.set_index("LAD23CD")[["LAD23NM", "RGN23CD", "CTRY23NM"]]
    out = out.join(pop.set_index("code")["population_mid2022"].rename("population"))
    out = out.join(imd.set_index("LAD23CD")["la-imd-pop-quintile"].rename("imd_quintile"))
    out = out.join(ruc.set_index("LAD23CD")["ruc-cluster-label"].rename("ruc_cluster"))
    out.index.name = "lad_code"
    return out


# --------------------------------------------------------------------------------------------
# Postcodes to places.


def normalise_postcodes(postcodes: pd.Series) -> pd.Series:
    """Upper-case and remove all whitespace, keeping NA; blank strings become NA.

    Postcodes arrive as typed ("sw1a1aa", " SW1A  1AA", "SW1A\u00a01AA"); comparing them
    needs one spelling.  The single space is put back later, once the format is known.
    """
    s = pd.Series(postcodes, copy=False).astype("string[pyarrow]")
    s = s.str.replace(_SPACES_RE, "", regex=True).str.upper()
    return s.mask(s.str.len() == 0)


def assign_geography(postcodes: pd.Series) -> pd.DataFrame:
    """Postcodes → district, LAD, region, ITL1 and nation, one row per input (same index).

    Vectorised: about 0.1 s for 100,000 postcodes once the reference is cached.  See the module
    docstring for the statuses.  Columns: ``postcode`` (normalised ``SW1A 1AA``; a bare
    district stays ``SW1A``; an invalid entry is kept upper-cased without spaces, so it can be
    logged; null when missing), ``postcode_district``,
    ``postcode_area`` (leading letters), ``status``, ``partial`` (only a district was given),
    ``nation``, ``region_code`` (RGN23CD), ``region_name``, ``itl1_code``, ``lad_code``
    (LAD23CD; null for NI), ``straddles_region`` (district crosses a region boundary: majority
    region taken), ``rgn_share`` (share of the district's postcodes in that region).
    """
    index = postcodes.index if isinstance(postcodes, pd.Series) else pd.RangeIndex(len(postcodes))
    s = normalise_postcodes(pd.Series(postcodes, index=index, copy=False))
    missing = s.isna().to_numpy()
    full = s.str.fullmatch(FULL_POSTCODE_RE).fillna(False).to_numpy(dtype=bool)
    partial = s.str.fullmatch(OUTWARD_RE).fillna(False).to_numpy(dtype=bool)
    valid = full | partial

    s_valid = s.where(valid)
    district = s_valid.where(~full, s_valid.str.slice(0, -3)).astype("str")
    inward = s_valid.where(full).str.slice(-3)
    postcode = district.where(~full, district.str.cat(inward.astype("str"), sep=" "))
    area = district.str.extract(r"^([A-Z]+)", expand=False)

    table = _district_table()
    pos = table.index.get_indexer(district.fillna("").to_numpy(dtype=object))
    found = (pos >= 0) & valid
    take = np.where(found, pos, 0)
    looked_up = {
        k: np.where(found, v[take], None if v.dtype == object else (False if v.dtype == bool else np.nan))
        for k, v in table.columns.items()
    }

    area_np = area.to_numpy(dtype=object, na_value="")
    is_ni = valid & (area_np == NI_AREA)
    outside = valid & np.isin(area_np, OUTSIDE_UK_AREAS)
    for col, value in NI_REGION.items():
        looked_up[col] = np.where(is_ni, value, looked_up[col])
    looked_up["lad_code"] = np.where(is_ni, None, looked_up["lad_code"])
    located = valid & ~outside & pd.notna(looked_up["region_code"])

    status = np.select(
        [missing, ~valid, outside, located],
        ["missing", "invalid", "outside_uk", "ok"],
        default="not_found",
    )
    out = pd.DataFrame(
        {
            "postcode": postcode.fillna(s).astype("str"),
            "postcode_district": district,
            "postcode_area": area.astype("str"),
            "status": pd.Series(status, index=index, dtype="str"),
            "partial": partial,
        },
        index=index,
    )
    for col in ("nation", "region_code", "region_name", "itl1_code", "lad_code"):
        out[col] = pd.Series(np.where(located, looked_up[col], None), index=index, dtype="str")
    out["straddles_region"] = located & looked_up["straddles_region"].astype(bool)
    out["rgn_share"] = np.where(located, looked_up["rgn_share"].astype(float), np.nan)
    return out


# --------------------------------------------------------------------------------------------
# Names for readers.


@functools.cache
def region_names() -> dict[str, str]:
    """RGN23CD and ITL1 code → region or nation name, from the reference lookup."""
    lookup = region_lookup()
    names = dict(zip(lookup.index, lookup["region_name"]))
    names.update(zip(lookup["itl1_code"], lookup["region_name"]))
    return names


@functools.cache
def region_nations() -> dict[str, str]:
    """RGN23CD → nation, from the reference lookup."""
    lookup = region_lookup()
    return dict(zip(lookup.index, lookup["nation"]))


ENGLAND = NATION_ORDER[0]
SMALL_NATIONS = NATION_ORDER[1:]  # the nations that are each one ITL1 region
# Names that read without "the" in a sentence (London, Wales), unlike "the North East".
_NO_ARTICLE = {"London", "Yorkshire and The Humber", *SMALL_NATIONS}


def region_in_sentence(name: str) -> str:
    """A region or nation name as it reads mid-sentence: "the North East", but "London", "Wales"."""
    return name if name in _NO_ARTICLE else f"the {name}"
