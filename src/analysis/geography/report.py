"""Where the applicants are: postcodes to places, and places to rates the brief can quote.

`analyse(ctx)`: the geography findings for the brief and technical appendix (counts, rates per
   million, representation index, map, deprivation and urban/rural profile, coverage gaps,
   quality counts, members vs pool).  The pure calculations it relies on (`region_rates`,
   `representation_index`, `coverage_gap_sentences`, ...) are separate functions so that each can
   be hand-checked in a test.

The postcode lookup and the place vocabulary live in `analysis.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import text
from analysis.reference import (
    NATION_ORDER,
    REGION_ORDER,
    assign_geography,
    lad_profile,
    population_by_nation,
    region_in_sentence,
    region_lookup,
)
from analysis.text import percent

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
        place = text.list_in_sentence([region_in_sentence(names[c]) for c in zero], "or")
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
    named = {
        "by_region": region_pt,
        "by_nation": nation_pt,
        "by_deprivation": imd_pt,
        "by_rural_urban": ruc_pt,
        "location_checks": quality_pt,
        "members_by_nation": members["table"] if members else None,
    }
    tables = {name: t for name, t in named.items() if t is not None}
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
    if value is None or pd.isna(value):
        return text.SUPPRESSED
    return text.format_value(float(value), kind, decimals=_DECIMALS.get(kind))


_DECIMALS = {"count": None, "share": 1, "rate": 1, "index": 2}


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
    from analysis.disclosure import HIDDEN_STATUSES, ProtectedTable

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
            text.STATUS_SYMBOLS.get(s) or text.format_value(x, fmt_kind, decimals=_DECIMALS.get(fmt_kind))
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
            f"{text.capitalise(region_in_sentence(regions.loc[best, 'region_name']))} had the most applicants "
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
    """Org ids of this year's members, and where they came from (roster, else selection).

    The roster is the record of who joined; the selection's output is used only when there is
    no roster yet.  Geography runs before selection in the pipeline, so in a first run there
    may be neither: the caller then says so in a sentence.
    """
    try:
        roster = ctx.table("roster")
    except (FileNotFoundError, OSError):
        roster = None
    if roster is not None and len(roster):
        active = roster[(roster["year"] == ctx.year) & roster["status"].eq("active")]
        if len(active):
            return pd.Index(active["org_id"].unique()), "the network roster"
    try:
        from analysis import selection
    except ImportError:
        return None, ""
    loader = getattr(selection, "selected_members", None)
    if loader is not None:
        try:
            ids = loader(ctx)
        except (FileNotFoundError, OSError):
            ids = None
        if ids is not None and len(ids):
            return pd.Index(list(ids)), "the selection"
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
        return f"{lead}, but none from {text.list_in_sentence([region_in_sentence(names[c]) for c in zero], 'or')}"
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
        f"{text.capitalise(region_in_sentence(names[low]))} had the fewest applicants for its population: "
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
            f"{text.capitalise(region_in_sentence(names[best]))} had the most applicants for its population: "
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
        f"organisations in {text.list_in_sentence(places)}, where few or no "
        f"organisations applied."
    ]
