"""Geography measures: who is counted, and the counts, rates and shares behind every figure.

Pure functions over frames, each hand-checked in tests/test_geography.py. Nothing here is
protected yet: `tables` puts the counts through disclosure control, and every rate it publishes
is recomputed from the published counts with `region_rates`.

Layer: compute. Imports `analysis.reference` (the place vocabulary and reference data) only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.reference import NATION_ORDER, REGION_ORDER, assign_geography, lad_profile

IMD_QUINTILES = [1, 2, 3, 4, 5]  # 1 = the most deprived fifth of UK local authorities
RUC_ORDER = ["Urban", "Urban with rural areas", "Rural", "Sparse and rural"]  # lad_profile's clusters


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


def with_applicants(published: pd.Series) -> pd.Series:
    """Which areas have applicants by the published counts (a suppressed count is not zero)."""
    return published.isna() | published.gt(0)


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
# Who is counted.


@dataclass
class Pool:
    """The applicants the geography describes, and the counts of those left out."""

    all: pd.DataFrame  # every applicant (latest submission per organisation)
    research: pd.DataFrame  # research_consent True
    uk: pd.DataFrame  # research, inside the UK, with a region (postcode or stated)
    no_consent: int
    outside_uk: int
    no_region: int


def split_pool(applicants: pd.DataFrame) -> Pool:
    """Apply the exclusions in a fixed order, counting each so none is silently dropped."""
    consent = applicants["research_consent"].fillna(False).astype(bool)
    research = applicants[consent]
    outside = research["postcode_status"].eq("outside_uk")
    has_region = research["region_code"].notna()
    return Pool(
        all=applicants,
        research=research,
        uk=research[~outside & has_region],
        no_consent=int((~consent).sum()),
        outside_uk=int(outside.sum()),
        no_region=int((~outside & ~has_region).sum()),
    )


def quality_counts(pool: Pool) -> pd.Series:
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


# --------------------------------------------------------------------------------------------
# Members against the pool.


def active_members(roster: pd.DataFrame | None, year: int) -> pd.Index | None:
    """Org ids of the year's active members from the network roster (None when it has none).

    The roster is the record of who joined; the geography reads nothing from the selection, so
    it can run before it.
    """
    if roster is None or not len(roster):
        return None
    active = roster[(roster["year"] == year) & roster["status"].eq("active")]
    return pd.Index(active["org_id"].unique()) if len(active) else None


@dataclass
class MemberSpread:
    """Members against the other applicants of the UK pool, by nation, and how widely they spread."""

    by_nation: pd.DataFrame  # columns Members, Other applicants; index NATION_ORDER
    n_members: int
    n_regions: int  # regions and nations the members come from
    n_nations: int
    pool_regions: int  # regions and nations the applicants come from


def member_spread(uk: pd.DataFrame, ids: pd.Index) -> MemberSpread:
    """Members (``ids``) against the rest of the UK pool ``uk``, counted by nation and region."""
    is_member = uk["org_id"].isin(ids)
    frame = pd.DataFrame(
        {
            "Members": nation_counts(uk[is_member]),
            "Other applicants": nation_counts(uk[~is_member]),
        }
    )
    frame.index.name = "Nation"
    return MemberSpread(
        by_nation=frame,
        n_members=int(is_member.sum()),
        n_regions=int(uk.loc[is_member, "region_code"].dropna().nunique()),
        n_nations=int(uk.loc[is_member, "nation"].nunique()),
        pool_regions=int(uk["region_code"].nunique()),
    )
