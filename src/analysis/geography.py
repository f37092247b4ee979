"""Where the applicants are: postcodes to places, and places to rates the brief can quote.

Two layers live here.

1. `assign_geography`: a vectorised postcode → district → LAD / region / nation lookup that
   ingest calls on the raw callout and that a researcher can call on any list of postcodes.
   Only the *outward code* (postcode district, e.g. ``SW1A``) is looked up: the reference pack
   has no unit-level lookup, and districts are all the precision the analysis publishes.
2. `analyse(ctx)`: the geography findings for the brief and technical appendix (counts, rates per
   million, representation index, map, deprivation and urban/rural profile, coverage gaps,
   quality counts, members vs pool).  The pure calculations it relies on (`region_rates`,
   `representation_index`, `coverage_gap_sentences`, ...) are separate functions so that each can
   be hand-checked in a test.

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
# Pure calculations behind the findings (each hand-checked in tests/test_geography.py).


def region_counts(applicants: pd.DataFrame) -> pd.Series:
    """Applicants per region/nation (index RGN23CD in ONS order; regions with none are 0).

    Zeros are kept on purpose: a region with no applicants is a finding, not a missing row.
    """
    counts = applicants["region_code"].dropna().value_counts()
    return counts.reindex(list(REGION_ORDER), fill_value=0).astype("int64").rename("applicants")


def nation_counts(applicants: pd.DataFrame) -> pd.Series:
    """Applicants per nation (index England, Wales, Scotland, Northern Ireland)."""
    counts = applicants["nation"].dropna().value_counts()
    return counts.reindex(list(NATION_ORDER), fill_value=0).astype("int64").rename("applicants")


def representation_index(applicant_share: pd.Series, population_share: pd.Series) -> pd.Series:
    """Share of applicants ÷ share of UK population: 1 is proportionate, 2 twice, 0.5 half.

    Independent of the pool's size, so years and regions of different sizes compare directly.
    A missing (suppressed) share stays missing.
    """
    return (applicant_share / population_share).rename("representation_index")


def region_rates(counts: pd.Series, population: pd.Series, total: float | None = None) -> pd.DataFrame:
    """Counts → per million people, share of applicants, share of population, representation.

    ``counts`` may hold NaN for suppressed cells; everything derived from them is then NaN
    too, so nothing suppressed can be recovered from a rate.  ``total`` is the published total
    of applicants (defaults to the sum of ``counts``), so shares use the true base even when a
    cell is hidden.
    """
    counts = counts.astype("float64")
    population = population.reindex(counts.index).astype("float64")
    total = float(counts.sum()) if total is None else float(total)
    out = pd.DataFrame({"applicants": counts, "population": population}, index=counts.index)
    out["per_million"] = counts / population * 1e6
    out["applicant_share"] = counts / total if total else np.nan
    out["population_share"] = population / population.sum()
    out["representation_index"] = representation_index(out["applicant_share"], out["population_share"])
    return out


def percent(share: float, digits: int = 0) -> str:
    """A share (0.04) as text the brief can print ("4%"): GOV.UK style, no space before %."""
    value = round(100 * float(share), digits)
    return f"{value:.{digits}f}%"


def _join_names(names: list[str]) -> str:
    """'A', 'A or B', 'A, B or C': for sentences listing regions with no applicants."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def region_in_sentence(name: str) -> str:
    """Region names that read with 'the' in a sentence (the North East, but London, Wales)."""
    bare = {"London", "Wales", "Scotland", "Northern Ireland", "Yorkshire and The Humber"}
    return name if name in bare else f"the {name}"


def coverage_gap_sentences(
    rates: pd.DataFrame, names: pd.Series, *, under_threshold: float = 0.5
) -> list[str]:
    """Sentences about where the pool is missing or thin, built only from published values.

    ``rates`` is `region_rates` output (NaN where suppressed) and ``names`` maps its index to
    region names.  Regions with no applicants get "No applicants came from …, home to x% of
    the UK population"; regions whose representation index is published and below
    ``under_threshold`` get "… x% of applicants against y% of the UK population".  Suppressed
    regions are never described.
    """
    sentences = []
    zero = rates.index[rates["applicants"].eq(0)]
    if len(zero):
        share = rates.loc[zero, "population_share"].sum()
        place = _join_names([region_in_sentence(names[c]) for c in zero])
        home = "home to" if len(zero) == 1 else "together home to"
        sentences.append(f"No applicants came from {place}, {home} {percent(share)} of the UK population.")
    # Compare as printed (2 decimals), so a sentence never says "0.50" for "below 0.5".
    thin = rates[rates["applicants"].gt(0) & rates["representation_index"].round(2).lt(under_threshold)]
    for code, row in thin.sort_values("representation_index").iterrows():
        name = region_in_sentence(names[code])
        sentences.append(
            f"{name[0].upper() + name[1:]} had {percent(row['applicant_share'])} of applicants "
            f"against {percent(row['population_share'])} of the UK population "
            f"(representation index {row['representation_index']:.2f})."
        )
    return sentences


def profile_against_population(lad_codes: pd.Series, by: str, categories: list | None = None) -> pd.DataFrame:
    """Applicants' local authorities against the UK population, by a LAD attribute.

    ``by`` is a column of `lad_profile` (``imd_quintile`` or ``ruc_cluster``).  Returns, per
    category, ``applicants`` (count of organisations), ``applicant_share`` and
    ``population_share`` (share of the UK population living in such authorities), so the two
    distributions can be compared directly.  Organisations without a LAD are left out (their
    number is reported separately).
    """
    profile = lad_profile()
    cats = categories if categories is not None else sorted(profile[by].dropna().unique())
    attr = lad_codes.dropna().map(profile[by])
    counts = attr.value_counts().reindex(cats, fill_value=0).astype("int64")
    pop = profile.groupby(by)["population"].sum().reindex(cats, fill_value=0)
    out = pd.DataFrame(
        {
            "applicants": counts,
            "applicant_share": counts / max(counts.sum(), 1),
            "population_share": pop / pop.sum(),
        }
    )
    out.index.name = by
    return out


def straddling_count(districts: pd.Series) -> int:
    """How many of these districts cross a region boundary (their majority region was taken)."""
    geo = assign_geography(districts.dropna().astype("object"))
    return int(geo["straddles_region"].sum())


# --------------------------------------------------------------------------------------------
# The analysis: applicants' geography as Findings.

SOURCE_ONS = (
    "Source: CIP callout applications; ONS mid-2022 population estimates. Office for "
    "National Statistics licensed under the Open Government Licence v.3.0."
)
SOURCE_MAP = (
    SOURCE_ONS + " Contains OS data © Crown copyright and database right 2021. "
    "Postcode districts: OS Code-Point Open, contains OS data © Crown copyright and "
    "database right 2025; Royal Mail data © Royal Mail copyright and database right 2025."
)
SOURCE_MYSOCIETY = (
    "Source: CIP callout applications; Composite UK IMD (v3.4.0) and UK Composite "
    "Rural Urban Classification (v2.4.0), mySociety, licensed under CC BY 4.0; "
    "ONS mid-2022 population estimates (OGL v3.0)."
)
IMD_CAVEAT = (
    "Deprivation uses mySociety's composite UK index of multiple deprivation, which rescales the "
    "four nations' official indices (England 2019, Wales 2019, Scotland 2020, Northern Ireland "
    "2017) so that places can be compared across the UK. It is not an official statistic, and it "
    "describes the local authority an organisation is based in, not the organisation or the "
    "people it serves."
)
RUC_CAVEAT = (
    "The urban/rural profile uses mySociety's composite UK rural/urban classification of local "
    "authorities, built from the 2011 small-area classifications of the four nations so that "
    "they can be compared; it is not the official ONS 2021 classification."
)
IMD_LABELS = {1: "1 (most deprived)", 2: "2", 3: "3", 4: "4", 5: "5 (least deprived)"}
RUC_ORDER = ["Urban", "Urban with rural areas", "Rural", "Sparse and rural"]


@dataclass
class _Pool:
    """The applicants the geography describes, and the counts of those left out."""

    all: pd.DataFrame  # every applicant (latest submission per organisation)
    research: pd.DataFrame  # research_consent True
    uk: pd.DataFrame  # research, inside the UK, with a region (postcode or stated)
    no_consent: int
    outside_uk: int
    no_region: int


def split_pool(applicants: pd.DataFrame) -> _Pool:
    """Apply the exclusions in a fixed order, counting each so none is silently dropped."""
    consent = applicants["research_consent"].fillna(False).astype(bool)
    research = applicants[consent]
    outside = research["postcode_status"].eq("outside_uk")
    has_region = research["region_code"].notna()
    return _Pool(
        all=applicants,
        research=research,
        uk=research[~outside & has_region],
        no_consent=int((~consent).sum()),
        outside_uk=int(outside.sum()),
        no_region=int((~outside & ~has_region).sum()),
    )


def analyse(ctx) -> Findings:
    """Build the geography findings for one run: tables, map, sentences, quality counts.

    Every number shown comes from a table protected by `analysis.disclosure`; sentences are
    written from the protected values, so the brief can never print a suppressed count.
    """
    from analysis import disclosure
    from analysis.findings import Findings

    rules = disclosure.DisclosureRules.from_config(ctx.config)
    pool = split_pool(ctx.table("applicants"))
    regions = region_lookup()

    region_pt, nation_pt, rates, total = _region_tables(pool, rules, disclosure)
    callout_year = int(ctx.config.section("selection").get("draw_year", ctx.year))
    figures = _map_figure(region_pt, rates, regions, callout_year)
    imd_pt, ruc_pt, lad_notes = _lad_profiles(pool, rules, disclosure)
    quality_pt = _quality_table(pool, rules, disclosure)
    members = _members_vs_pool(
        ctx,
        pool,
        rules,
        disclosure,
        hidden_in_regions=set(region_pt.values.index[region_pt.suppressed.any(axis=1)]),
    )

    gaps = coverage_gap_sentences(rates, regions["region_name"])
    heading = headline(rates, regions["region_name"])
    messages = _key_messages(total, rates, regions, gaps, imd_pt, members)
    tables = [
        t
        for t in (region_pt, nation_pt, imd_pt, ruc_pt, quality_pt, members["table"] if members else None)
        if t is not None
    ]
    return Findings(
        area="geography",
        heading=heading,
        key_messages=messages,
        brief_text=_brief_text(pool, rates, regions, gaps, members, lad_notes),
        method_notes=_method_notes(pool, rules),
        figures=figures,
        tables=tables,
        facts=_facts(total, rates, quality_pt, members),
        policy_asks=_policy_asks(rates, regions),
    )


# --------------------------------------------------------------------------------------------
# Protected tables.  All counts go through analysis.disclosure; the rates, shares and indices
# are then computed from the *published* counts, so a suppressed cell stays hidden in them.

_SAFE = "safe"


def _first_column(table) -> tuple[pd.Series, pd.Series]:
    """Values and status of a one-way protected table, whatever its column is called."""
    return table.values.iloc[:, 0], table.status.iloc[:, 0]


def _fmt(value, kind: str) -> str:
    """A number for a sentence, as the tables print it ('[c]' when not published)."""
    from analysis.disclosure import SUPPRESSED, format_value

    if value is None or pd.isna(value):
        return SUPPRESSED
    return format_value(float(value), kind, decimals=_DECIMALS.get(kind))


_DECIMALS = {"count": None, "share": 1, "rate": 1, "index": 2}
_SYMBOLS = {"primary": "[c]", "secondary": "[c]", "dominance": "[c]", "na": "[x]", "z": "[z]"}


def _derived_table(
    frame: pd.DataFrame,
    base_status: pd.Series,
    kinds: dict[str, str],
    *,
    caption: str,
    rule: str,
    kind: str,
    notes: tuple[str, ...] = (),
    total_label: str | None = None,
):
    """A ProtectedTable of figures derived from protected counts (same rows as the counts).

    Columns whose kind is 'population' come from published ONS figures and are always safe;
    every other column inherits the status of the count it was derived from (so a rate or
    share is hidden wherever its count is), and a derived value that cannot be computed (a
    share of an empty base) is marked not applicable.
    """
    from analysis.disclosure import HIDDEN_STATUSES, ProtectedTable, format_value

    base = base_status.reindex(frame.index).fillna(_SAFE)
    values, status, display = {}, {}, {}
    for col, k in kinds.items():
        st = pd.Series(_SAFE, index=frame.index) if k == "population" else base.copy()
        v = frame[col].astype("float64")
        st = st.mask(~st.isin(HIDDEN_STATUSES) & v.isna(), "z")
        v = v.where(~st.isin(HIDDEN_STATUSES | {"z", "na"}))
        fmt_kind = "count" if k == "population" else k
        values[col], status[col] = v, st
        display[col] = [
            _SYMBOLS.get(s) or format_value(x, fmt_kind, decimals=_DECIMALS.get(fmt_kind))
            for x, s in zip(v, st)
        ]
    as_frame = lambda d: pd.DataFrame(d, index=frame.index)  # noqa: E731
    return ProtectedTable(
        display=as_frame(display),
        values=as_frame(values),
        status=as_frame(status),
        caption=caption,
        rule=rule,
        kind=kind,
        notes=tuple(notes),
        total_label=total_label,
    )


REGION_TABLE_COLUMNS = {
    "applicants": "count",
    "population": "population",
    "per_million": "rate",
    "applicant_share": "share",
    "population_share": "share",
    "representation_index": "index",
}
UK_LABEL = "United Kingdom"


def _region_tables(pool: _Pool, rules, disclosure):
    """Counts by region protected once, with England as a subtotal of its nine regions.

    Protecting the hierarchy in one go (region → nation → UK) means the nation figures cannot
    be used to work out a hidden region.  Rates, shares and the nation table are derived from
    the published counts.
    """
    regions = region_lookup()
    names = regions["region_name"]
    counts = region_counts(pool.uk).rename(names)
    counts.index.name = "Region or nation"
    english = regions.index[regions["nation"].eq("England")]
    counts_pt = disclosure.protect_frequencies(
        counts,
        rules,
        caption="Applicants by UK region or nation",
        total_label=UK_LABEL,
        hierarchy={names[c]: "England" for c in english},
    )
    values, status = _first_column(counts_pt)
    total = values.get(UK_LABEL, np.nan)

    population = pd.concat(
        [
            regions["population"].rename(names),
            population_by_nation().loc[["England"]],
            pd.Series({UK_LABEL: regions["population"].sum()}),
        ]
    )
    frame = region_rates(values, population, total=total)
    frame["population_share"] = population.reindex(frame.index) / regions["population"].sum()
    frame["representation_index"] = representation_index(frame["applicant_share"], frame["population_share"])
    region_pt = _derived_table(
        frame,
        status,
        REGION_TABLE_COLUMNS,
        kind="rate",
        rule=counts_pt.rule,
        total_label=UK_LABEL,
        caption=(
            "Applicants by UK region or nation: number, per million people, share of "
            "applicants against share of the UK population (representation index: 1 = "
            "in proportion to population)"
        ),
        notes=(
            "Population: ONS mid-2022 estimates.",
            "Rates and shares are not shown where the count is suppressed.",
        ),
    )
    rates = frame.loc[list(names)].copy()
    rates.index = regions.index
    nation_rows = list(NATION_ORDER) + [UK_LABEL]
    nation_pt = _derived_table(
        frame.loc[nation_rows].rename_axis("Nation"),
        status,
        REGION_TABLE_COLUMNS,
        kind="rate",
        rule=counts_pt.rule,
        total_label=UK_LABEL,
        caption="Applicants by UK nation: number, per million people and representation index",
        notes=("The same figures as the region table; England is the sum of its nine regions.",),
    )
    return region_pt, nation_pt, rates, total


def _map_figure(region_pt, rates: pd.DataFrame, regions: pd.DataFrame, year: int) -> list:
    """The choropleth of applicants per million people, indexed by RGN23CD as charts expects."""
    from analysis import charts

    by_code = {name: code for code, name in regions["region_name"].items()}
    map_table = _reindex_protected(region_pt, lambda n: by_code.get(n), drop_missing=True, kind="other")
    top = rates["per_million"].dropna()
    title = "Applicants per million people varied across the UK"
    if len(top):
        best = top.idxmax()
        title = (
            f"{_capital(region_in_sentence(regions.loc[best, 'region_name']))} had the most applicants "
            f"per million people"
        )
    chart = charts.choropleth_itl1(
        map_table,
        "per_million",
        title=title,
        subtitle=f"Applicants per million people, by UK region and nation, {year} callout; "
        "population ONS mid-2022",
        source=SOURCE_MAP,
        legend_title="Applicants per million people",
    )
    return [chart.to_figure("applicants_per_million_map", in_brief=True)]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reindex_protected(table, mapper, drop_missing: bool = False, kind: str | None = None):
    """The same protected table with its index relabelled (e.g. names → RGN23CD codes).

    The map needs RGN23CD codes as its index; ``kind`` lets the map legend format the values
    as plain numbers (charts formats a 'rate' as a percentage).
    """
    from analysis.disclosure import ProtectedTable

    new_index = pd.Index([mapper(i) for i in table.values.index], name="region_code")
    keep = new_index.notna() if drop_missing else np.ones(len(new_index), dtype=bool)

    def relabel(frame):
        out = frame.copy()
        out.index = new_index
        return out[keep]

    return ProtectedTable(
        display=relabel(table.display),
        values=relabel(table.values),
        status=relabel(table.status),
        caption=table.caption,
        rule=table.rule,
        kind=kind or table.kind,
        notes=table.notes,
    )


def _share_table(
    counts: pd.Series,
    pop_share: pd.Series,
    labels: list[str],
    *,
    caption: str,
    rules,
    disclosure,
    total_label: str,
    notes: tuple[str, ...],
):
    """Protect a one-way count and add shares of applicants (from published counts) and of people."""
    named = counts.copy()
    named.index = pd.Index(labels, name=counts.index.name)
    counts_pt = disclosure.protect_frequencies(named, rules, caption=caption, total_label=total_label)
    values, status = _first_column(counts_pt)
    total = values.get(total_label, np.nan)
    frame = pd.DataFrame(
        {
            "applicants": values,
            "applicant_share": values / total if total else np.nan,
            "population_share": pd.Series(pop_share.to_numpy(), index=labels).reindex(values.index),
        },
        index=values.index,
    )
    frame.loc[total_label, "population_share"] = 1.0
    kinds = {"applicants": "count", "applicant_share": "share", "population_share": "share"}
    table = _derived_table(
        frame,
        status,
        kinds,
        caption=caption,
        rule=counts_pt.rule,
        kind="share",
        notes=notes,
        total_label=total_label,
    )
    # Population shares are ONS/mySociety facts about places: safe, shown as numbers.
    return table


def _lad_profiles(pool: _Pool, rules, disclosure):
    """Deprivation quintile and urban/rural cluster of applicants' LADs against the UK."""
    lads = pool.uk["lad_code"]
    imd = profile_against_population(lads, "imd_quintile", categories=[1, 2, 3, 4, 5])
    imd.index.name = "Deprivation quintile of the local authority (UK composite)"
    imd_pt = _share_table(
        imd["applicants"],
        imd["population_share"],
        [IMD_LABELS[q] for q in imd.index],
        caption=(
            "Applicants by deprivation quintile of their local authority, against the UK "
            "population (quintile 1 = most deprived fifth)"
        ),
        rules=rules,
        disclosure=disclosure,
        total_label="All with a local authority",
        notes=(IMD_CAVEAT, "Source: mySociety Composite UK IMD v3.4.0 (CC BY 4.0); ONS mid-2022."),
    )
    ruc = profile_against_population(lads, "ruc_cluster", categories=RUC_ORDER)
    ruc.index.name = "Urban/rural type of the local authority (UK composite)"
    ruc_pt = _share_table(
        ruc["applicants"],
        ruc["population_share"],
        RUC_ORDER,
        caption="Applicants by urban/rural type of their local authority, against the UK population",
        rules=rules,
        disclosure=disclosure,
        total_label="All with a local authority",
        notes=(
            RUC_CAVEAT,
            "Source: mySociety UK Composite Rural Urban Classification v2.4.0 (CC BY 4.0); ONS mid-2022.",
        ),
    )
    notes = {"imd": imd, "ruc": ruc}
    return imd_pt, ruc_pt, notes


QUALITY_ITEMS = {
    "no_consent": "Left out: did not agree to research use of their answers",
    "outside_uk": "Left out of UK figures: Channel Islands or Isle of Man postcode",
    "no_region": "Left out: no usable postcode and no region given",
    "stated_invalid": "Region taken from the form: postcode not in a UK format",
    "stated_not_found": "Region taken from the form: postcode district not found",
    "stated_missing": "Region taken from the form: no postcode given",
    "disagrees": "Region stated on the form differs from the postcode's region (postcode used)",
    "straddles": "Postcode district crosses a region boundary (region of most of the district used)",
    "no_lad": "No local authority known (Northern Ireland postcode, or region from the form)",
}


def quality_counts(pool: _Pool) -> pd.Series:
    """Counts of every correction and exclusion behind the geography, as organisations.

    Computed from the processed applicants table itself, so they always match what the
    analysis used; ingest's quality log holds the same facts at row level.
    """
    r = pool.research
    stated = r["region_source"].eq("stated")
    uk = pool.uk
    counts = {
        "no_consent": pool.no_consent,
        "outside_uk": pool.outside_uk,
        "no_region": pool.no_region,
        "stated_invalid": int((stated & r["postcode_status"].eq("invalid")).sum()),
        "stated_not_found": int((stated & r["postcode_status"].eq("not_found")).sum()),
        "stated_missing": int((stated & r["postcode_status"].eq("missing")).sum()),
        "disagrees": int(r["region_disagrees"].fillna(False).astype(bool).sum()),
        "straddles": straddling_count(uk.loc[uk["region_source"].eq("postcode"), "postcode_district"]),
        "no_lad": int(uk["lad_code"].isna().sum()),
    }
    return pd.Series(counts, dtype="int64")


def _quality_table(pool: _Pool, rules, disclosure):
    """The quality counts as a protected table (they are counts of organisations too)."""
    counts = quality_counts(pool)
    named = counts.rename(QUALITY_ITEMS)
    named.index.name = "Check"
    named.name = "organisations"
    # The checks overlap (they are not parts of a whole), so the table has no total and only
    # the small-count rule applies.
    table = disclosure.protect_counts(
        named.to_frame(),
        rules,
        totals=False,
        caption="How applicants' locations were found: exclusions and corrections",
    )
    return table


def _members(ctx) -> tuple[pd.Index | None, str]:
    """Org ids of this year's members and where they came from: the network roster, the record
    of who joined (a processed table). Nothing from the selection notebook is read, so notebook
    01 runs beside 03; without a roster the caller says so in a sentence.
    """
    try:
        roster = ctx.table("roster")
    except (FileNotFoundError, OSError):
        roster = None
    if roster is not None and len(roster):
        active = roster[(roster["year"] == ctx.year) & roster["status"].eq("active")]
        if len(active):
            return pd.Index(active["org_id"].unique()), "the network roster"
    return None, ""


def _members_vs_pool(ctx, pool: _Pool, rules, disclosure, hidden_in_regions=()) -> dict | None:
    """Members by nation against the applicant pool, protected as one cross-table."""
    ids, source = _members(ctx)
    if ids is None:
        return None
    uk = pool.uk
    is_member = uk["org_id"].isin(ids)
    frame = pd.DataFrame(
        {
            "Members": nation_counts(uk[is_member]),
            "Other applicants": nation_counts(uk[~is_member]),
        }
    )
    frame.index.name = "Nation"
    # The total column is applicants by nation, also published in the region table: keep
    # hidden here whatever is hidden there.
    hidden_nations = [(n, "Total") for n in NATION_ORDER if n in hidden_in_regions]
    table = disclosure.protect_counts(
        frame,
        rules,
        caption="Members and other applicants by UK nation",
        totals=True,
        also_suppress=hidden_nations or None,
    )
    member_regions = uk.loc[is_member, "region_code"].dropna()
    return {
        "table": table,
        "source": source,
        "n_members": int(is_member.sum()),
        "n_regions": int(member_regions.nunique()),
        "n_nations": int(uk.loc[is_member, "nation"].nunique()),
        "pool_regions": int(uk["region_code"].nunique()),
    }


# --------------------------------------------------------------------------------------------
# Words: every number in them comes from a published (protected) value.


def _present(published: pd.Series) -> pd.Series:
    """Which areas have applicants by the published counts (a suppressed count is not zero)."""
    return published.isna() | published.gt(0)


def headline(rates: pd.DataFrame, names: pd.Series, *, under_threshold: float = 0.5) -> str:
    """A statement heading for the brief section, e.g. 'Applicants came from every UK nation,
    but few from the North East'."""
    nation = region_lookup()["nation"]
    published = rates["applicants"]
    nations_present = nation.reindex(published.index)[_present(published)].nunique()
    lead = (
        "Applicants came from every UK nation"
        if nations_present == 4
        else f"Applicants came from {nations_present} of the 4 UK nations"
    )
    zero = list(published.index[published.eq(0)])
    if zero:
        return f"{lead}, but none from {_join_names([region_in_sentence(names[c]) for c in zero])}"
    index = rates["representation_index"].dropna()
    thin = index[index.round(2).lt(under_threshold)]
    if len(thin):
        return f"{lead}, but few from {region_in_sentence(names[thin.idxmin()])}"
    return f"{lead} and every English region"


def _of(n: int, whole: int) -> str:
    """'all 12' or '9 of the 12', for sentences about coverage."""
    return f"all {whole}" if n == whole else f"{n} of the {whole}"


def _fewest_sentence(rates: pd.DataFrame, names: pd.Series) -> list[str]:
    """Where the pool is thinnest when no region is empty or far below its share."""
    per_million = rates["per_million"].dropna()
    if per_million.empty:
        return []
    low = per_million.idxmin()
    return [
        f"{_capital(region_in_sentence(names[low]))} had the fewest applicants for its population: "
        f"{per_million[low]:.1f} per million people, {percent(rates.loc[low, 'applicant_share'])} "
        f"of applicants against {percent(rates.loc[low, 'population_share'])} of the UK population."
    ]


def _key_messages(total, rates, regions, gaps, imd_pt, members) -> list[str]:
    """3–5 full sentences with their numbers, for the brief's key-message box."""
    names = regions["region_name"]
    n_present = int(_present(rates["applicants"]).sum())
    spread = _of(n_present, 12)
    messages = [
        f"{_fmt(total, 'count')} applicant organisations in the UK agreed to their answers being "
        f"used for research; they came from {spread} UK regions and nations."
    ]
    per_million = rates["per_million"].dropna()
    if len(per_million):
        best = per_million.idxmax()
        idx = rates.loc[best, "representation_index"]
        messages.append(
            f"{_capital(region_in_sentence(names[best]))} had the most applicants for its population: "
            f"{per_million[best]:.1f} per million people, {idx:.1f} times what its share of the "
            f"UK population would suggest."
        )
    messages.extend(gaps[:1] or _fewest_sentence(rates, names))
    imd_values = imd_pt.values
    most = imd_values.iloc[0]
    if pd.notna(most.get("applicant_share")):
        messages.append(
            f"{percent(most['applicant_share'])} of applicants with a known local authority are "
            f"based in the most deprived fifth of UK local authorities, home to "
            f"{percent(most['population_share'])} of the UK population."
        )
    if members:
        messages.append(
            f"The {members['n_members']} members come from {_of(members['n_regions'], 12)} "
            f"regions and nations and from {_of(members['n_nations'], 4)} nations."
        )
    messages.extend(gaps[1:2])  # a second gap only when there is room
    return messages[:5]


def _brief_text(pool, rates, regions, gaps, members, lad_notes) -> str:
    """Markdown paragraphs for the brief section, generated from the published values."""
    names = regions["region_name"]
    paragraphs = []
    uk_total = rates["applicants"].sum(min_count=1) if rates["applicants"].notna().all() else None
    if uk_total is not None:
        paragraphs.append(
            f"This section covers the {_fmt(uk_total, 'count')} applicants based in the UK that agreed to "
            "their answers being used for research. Applicants outside the UK are left out here; the "
            "selection section counts every organisation that applied."
        )
    index = rates["representation_index"].dropna().sort_values(ascending=False)
    if len(index):
        over = index[index.gt(1.5)]
        part = (
            f"Compared with where people live, applicants were most over-represented in "
            f"{region_in_sentence(names[index.index[0]])} (representation index {index.iloc[0]:.2f}, where 1 "
            f"means in proportion to population)"
        )
        if len(over) > 1:
            part += f"; {len(over)} regions or nations had at least one and a half times their share"
        paragraphs.append(part + ".")
    if gaps:
        paragraphs.append(" ".join(gaps))
    imd = lad_notes["imd"]
    if imd["applicants"].sum():
        paragraphs.append(
            "Technical appendix 1 compares the deprivation and urban/rural profile of the local "
            "authorities applicants are based in with the UK population, using mySociety's composite "
            "indices (not official statistics; the appendix explains their limits)."
        )
    if members:
        paragraphs.append(
            f"Members ({members['n_members']}, from {members['source']}) come from "
            f"{members['n_regions']} of the {members['pool_regions']} regions and nations the "
            f"applicants came from; technical appendix 1 compares members with applicants by nation."
        )
    else:
        paragraphs.append(
            "The members' spread against the applicant pool is shown once the selection has run "
            "and the network roster for the year exists; neither was available for this run."
        )
    return "\n\n".join(paragraphs)


def _method_notes(pool, rules) -> str:
    """How places were assigned and what was left out, in plain words."""
    return (
        "Each applicant's location comes from the postcode district (the first half of the "
        "postcode) of the organisation's address, looked up in OS Code-Point Open (2025) and the "
        "ONS lookup of local authorities to regions (2023). A district that crosses a region "
        "boundary is placed in the region holding most of its postcodes; all postcodes beginning "
        "BT are in Northern Ireland. Where the postcode was missing, not in a UK format or not "
        "found, the region the organisation chose on the form was used instead, and where both "
        "were given but differ, the postcode was used; both are counted in the quality table. "
        "Channel Islands and Isle of Man postcodes are outside the UK: they are counted and left "
        "out of UK rates. Organisations that did not agree to research use of their answers are "
        "left out of every figure. Rates per million use ONS mid-2022 population estimates; the "
        "representation index is a region's share of applicants divided by its share of the UK "
        "population (1 means in proportion). " + IMD_CAVEAT + " " + RUC_CAVEAT
    )


def _json_number(value):
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _facts(total, rates, quality_pt, members) -> dict:
    """JSON-safe published numbers the brief notebook can template from."""
    regions = region_lookup()
    by_name = lambda col: {
        regions.loc[c, "region_name"]: _json_number(rates.loc[c, col])  # noqa: E731
        for c in rates.index
    }
    return {
        "uk_applicants": _json_number(total),
        "regions_with_applicants": int(_present(rates["applicants"]).sum()),
        "applicants_by_region": by_name("applicants"),
        "per_million_by_region": by_name("per_million"),
        "representation_index_by_region": by_name("representation_index"),
        "quality": {str(k): _json_number(v) for k, v in _first_column(quality_pt)[0].items()},
        "members_compared": bool(members),
    }


def _policy_asks(rates, regions) -> list[str]:
    """An ask that follows from the gaps, naming the places from the data."""
    names = regions["region_name"]
    low = rates["representation_index"].where(rates["applicants"].ne(0))
    zero = list(rates.index[rates["applicants"].eq(0)])
    thin = list(low[low.round(2).lt(0.5)].index)
    places = [region_in_sentence(names[c]) for c in zero + thin]
    if not places:
        return []
    return [
        f"Before the next callout, funders and the network should reach out to cultural "
        f"organisations in {_join_names(places).replace(' or ', ' and ')}, where few or no "
        f"organisations applied."
    ]
