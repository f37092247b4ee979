"""Geography words: the heading, key messages, brief paragraphs, method note and policy ask.

Every number in them is a published value: the rates come from protected counts (NaN where a
count is suppressed, and a suppressed region is never described) and are formatted by
`analysis.text`, as the tables print them.

Layer: present. Imports `analysis.text`, `analysis.reference` and this area's `measures` and
`tables`.
"""

from __future__ import annotations

import pandas as pd

from analysis import text
from analysis.geography.intervals import LEVEL, clearly
from analysis.geography.measures import MemberSpread, with_applicants
from analysis.geography.tables import DECIMALS, IMD_CAVEAT, RUC_CAVEAT, UK_LABEL
from analysis.reference import NATION_ORDER, REGION_ORDER, region_in_sentence, region_lookup

UNDER_THRESHOLD = 0.5  # a representation index below this (as printed) is a gap worth naming
MEMBER_SOURCE = "the network roster"
SOURCE_MAP = (
    "Source: CIP callout applications; ONS mid-2022 population estimates. Office for "
    "National Statistics licensed under the Open Government Licence v.3.0. Contains OS data "
    "© Crown copyright and database right 2021. Postcode districts: OS Code-Point Open, "
    "contains OS data © Crown copyright and database right 2025; Royal Mail data © Royal Mail "
    "copyright and database right 2025."
)


def _index(value: float, decimals: int = DECIMALS["index"]) -> str:
    return text.format_value(value, "index", decimals=decimals)


def _thin(rates: pd.DataFrame, under_threshold: float) -> pd.Series:
    """Published representation indices below the threshold, compared as printed (so a
    sentence never says "0.50" for "below 0.5")."""
    index = rates["representation_index"].dropna()
    return index[index.round(DECIMALS["index"]).lt(under_threshold)]


def interval_clause(intervals: pd.DataFrame | None, code: str, uk: float | None) -> str:
    """ "; its 95% interval, 0.9 to 2.5 per million, includes the UK rate of 2.2" (or lies above/below it)."""
    if intervals is None or uk is None or code not in intervals.index:
        return ""
    r = intervals.loc[code]
    if text.is_missing(r["per_million"]):
        return ""
    where = {"above": "lies above", "below": "lies below"}.get(r["against"], "includes")
    return (
        f"; its {text.interval(r['low'], r['high'], 'rate', LEVEL)} per million {where} the UK rate of "
        f"{text.format_value(uk, 'rate')}"
    )


def coverage_gap_sentences(
    rates: pd.DataFrame, names: pd.Series, *, under_threshold: float = UNDER_THRESHOLD
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
        sentences.append(
            f"No applicants came from {place}, {home} {text.percent(share)} of the UK population."
        )
    thin = _thin(rates[rates["applicants"].gt(0)], under_threshold)
    for code in thin.sort_values().index:
        row = rates.loc[code]
        sentences.append(
            f"{text.capitalise(region_in_sentence(names[code]))} had {text.percent(row['applicant_share'])} "
            f"of applicants against {text.percent(row['population_share'])} of the UK population "
            f"(representation index {_index(row['representation_index'])})."
        )
    return sentences


def headline(
    rates: pd.DataFrame,
    names: pd.Series,
    *,
    under_threshold: float = UNDER_THRESHOLD,
    intervals: pd.DataFrame | None = None,
) -> str:
    """A statement heading for the brief section, e.g. 'Applicants came from every UK nation,
    but few from the North East'; with `intervals`, "few" only where the region's interval lies
    below the UK rate."""
    nation = region_lookup()["nation"]
    published = rates["applicants"]
    nations_present = nation.reindex(published.index)[with_applicants(published)].nunique()
    lead = (
        "Applicants came from every UK nation"
        if nations_present == len(NATION_ORDER)
        else f"Applicants came from {nations_present} of the {len(NATION_ORDER)} UK nations"
    )
    zero = list(published.index[published.eq(0)])
    if zero:
        places = text.list_in_sentence([region_in_sentence(names[c]) for c in zero], "or")
        return f"{lead}, but none from {places}"
    thin = _thin(rates, under_threshold)
    if intervals is not None:
        thin = thin[thin.index.isin(clearly(intervals, "below"))]
    if len(thin):
        return f"{lead}, but few from {region_in_sentence(names[thin.idxmin()])}"
    return f"{lead} and every English region"


def fewest_sentence(
    rates: pd.DataFrame, names: pd.Series, intervals: pd.DataFrame | None = None, uk: float | None = None
) -> list[str]:
    """Where the pool is thinnest when no region is empty or far below its share, with its interval."""
    per_million = rates["per_million"].dropna()
    if per_million.empty:
        return []
    low = per_million.idxmin()
    return [
        f"{text.capitalise(region_in_sentence(names[low]))} had the fewest applicants for its population: "
        f"{text.format_value(per_million[low], 'rate')} per million people, "
        f"{text.percent(rates.loc[low, 'applicant_share'])} of applicants against "
        f"{text.percent(rates.loc[low, 'population_share'])} of the UK population"
        f"{interval_clause(intervals, low, uk)}."
    ]


def key_messages(
    region_pt,
    rates: pd.DataFrame,
    names: pd.Series,
    gaps: list[str],
    imd_pt,
    members: MemberSpread | None,
    intervals: pd.DataFrame | None = None,
    uk: float | None = None,
) -> list[str]:
    """3–5 full sentences with their numbers, for the brief's key-message box.

    A region's highest or lowest rate carries its interval, so a reader sees whether it differs
    clearly from the UK rate (`intervals`, `uk`: `intervals.rate_intervals` and the UK rate).
    """
    all_areas = len(REGION_ORDER)
    spread = text.count_of(int(with_applicants(rates["applicants"]).sum()), all_areas)
    messages = [
        f"The {region_pt.display.loc[UK_LABEL, 'applicants']} {text.ANALYSED_GROUP} "
        f"came from {spread} UK regions and nations."
    ]
    per_million = rates["per_million"].dropna()
    if len(per_million):
        best = per_million.idxmax()
        messages.append(
            f"{text.capitalise(region_in_sentence(names[best]))} had the most applicants for its population: "
            f"{text.format_value(per_million[best], 'rate')} per million people, "
            f"{_index(rates.loc[best, 'representation_index'], 1)} times what its share of the "
            f"UK population would suggest{interval_clause(intervals, best, uk)}."
        )
    messages.extend(gaps[:1] or fewest_sentence(rates, names, intervals, uk))
    most = imd_pt.values.iloc[0]
    if pd.notna(most.get("applicant_share")):
        messages.append(
            f"{text.percent(most['applicant_share'])} of applicants with a known local authority are "
            f"based in the most deprived fifth of UK local authorities, home to "
            f"{text.percent(most['population_share'])} of the UK population."
        )
    if members:
        messages.append(
            f"The {members.n_members} members come from {text.count_of(members.n_regions, all_areas)} "
            f"regions and nations."  # members by nation are public: the members table prints them
        )
    messages.extend(gaps[1:2])  # a second gap only when there is room
    return messages[:5]


def brief_text(
    rates: pd.DataFrame,
    names: pd.Series,
    gaps: list[str],
    imd: pd.DataFrame,
    members: MemberSpread | None,
) -> str:
    """Markdown paragraphs for the brief section, generated from the published values."""
    paragraphs = []
    if rates["applicants"].notna().all():
        paragraphs.append(
            f"This section covers {text.analysed(rates['applicants'].sum())}. Applicants outside the UK "
            "are left out here; the selection section counts every organisation that applied."
        )
    index = rates["representation_index"].dropna().sort_values(ascending=False)
    if len(index):
        over = index[index.gt(1.5)]
        part = (
            f"Compared with where people live, applicants were most over-represented in "
            f"{region_in_sentence(names[index.index[0]])} (representation index {_index(index.iloc[0])}, "
            f"where 1 means in proportion to population)"
        )
        if len(over) > 1:
            part += f"; {len(over)} regions or nations had at least one and a half times their share"
        paragraphs.append(part + ".")
    if gaps:
        paragraphs.append(" ".join(gaps))
    if imd["applicants"].sum():
        paragraphs.append(
            "Technical appendix 1 compares the deprivation and urban/rural profile of the local "
            "authorities applicants are based in with the UK population, using mySociety's composite "
            "indices (not official statistics; the appendix explains their limits)."
        )
    if members:
        paragraphs.append(
            f"Members ({members.n_members}, from {MEMBER_SOURCE}) come from "
            f"{members.n_regions} of the {members.pool_regions} regions and nations the "
            "applicants came from. Members are the organisations the lottery drew, with any drawn "
            "organisation that declined its place replaced from the reserves, so their spread can "
            "differ from the drawn panel's (technical appendix 3 gives both, and the places declined); the "
            "table of members and other applicants by nation below compares them with the applicants."
        )
    else:
        paragraphs.append(
            "The members' spread against the applicant pool is shown once the network roster for "
            "the year exists, after the selection; there was none for this run."
        )
    return "\n\n".join(paragraphs)


def method_notes() -> str:
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


def policy_asks(rates: pd.DataFrame, names: pd.Series, intervals: pd.DataFrame) -> list[str]:
    """An ask that follows from the gaps, naming only places whose interval lies below the UK rate.

    Empty or thin regions are singled out only when the data support it: their 95% interval for
    applicants per million people (`intervals.rate_intervals`) lies wholly below the UK rate.
    """
    below = set(clearly(intervals, "below"))
    zero = [c for c in rates.index[rates["applicants"].eq(0)] if c in below]
    thin = [c for c in _thin(rates[rates["applicants"].ne(0)], UNDER_THRESHOLD).index if c in below]
    places = [region_in_sentence(names[c]) for c in zero + thin]
    if not places:
        return []
    return [
        f"Before the next callout, funders and the network should reach out to cultural "
        f"organisations in {text.list_in_sentence(places)}, where few or no organisations applied "
        f"(fewer applicants per million people than the UK rate, beyond the {text.percent(LEVEL)} "
        "interval)."
    ]


def map_title(rates: pd.DataFrame, names: pd.Series) -> str:
    """The map's headline: where applicants per million people were highest."""
    top = rates["per_million"].dropna()
    if not len(top):
        return "Applicants per million people varied across the UK"
    place = text.capitalise(region_in_sentence(names[top.idxmax()]))
    return f"{place} had the most applicants per million people"


def interval_title(intervals: pd.DataFrame, names: pd.Series) -> str:
    """The dot plot's headline: which regions' rates differ clearly from the UK rate, or that none does."""
    above = [region_in_sentence(names[c]) for c in clearly(intervals, "above")]
    below = [region_in_sentence(names[c]) for c in clearly(intervals, "below")]
    if not above and not below:
        return "No region or nation had clearly more or fewer applicants per million people than the UK as a whole"
    if above and below:
        return text.capitalise(
            f"{text.list_in_sentence(above)} had clearly more applicants per million people than the UK as a whole, "
            f"{text.list_in_sentence(below)} clearly fewer"
        )
    side = "more" if above else "fewer"
    return text.capitalise(
        f"{text.list_in_sentence(above or below)} had clearly {side} applicants per million people than the UK as a whole"
    )


def interval_subtitle(year: int) -> str:
    return (
        f"Applicants per million people with {text.percent(LEVEL)} intervals, by UK region and nation, "
        f"{year} callout; dashed line: the UK rate"
    )


def map_subtitle(year: int) -> str:
    return f"Applicants per million people, by UK region and nation, {year} callout; population ONS mid-2022"
