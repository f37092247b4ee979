"""Geography tables: the published tables, protected by `analysis.disclosure`.

Every count goes through disclosure control; the rates, shares and indices are then computed
from the *published* counts, so a suppressed cell stays hidden in everything derived from it.
Table captions, row labels and notes live here with their tables.

Layer: protect. Imports `analysis.disclosure`, `analysis.text`, `analysis.reference` and this
area's `measures`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import text
from analysis.disclosure import (
    DisclosureRules,
    ProtectedTable,
    protect_counts,
    protect_frequencies,
    protect_linked,
)
from analysis.disclosure.policy import IN_FULL_RULE
from analysis.geography.measures import (
    IMD_QUINTILES,
    RUC_ORDER,
    MemberSpread,
    Pool,
    profile_against_population,
    quality_counts,
    region_counts,
    region_rates,
    representation_index,
)
from analysis.reference import ENGLAND, NATION_ORDER, population_by_nation, region_lookup

UK_LABEL = "United Kingdom"
REGION_CAPTION = "Applicants by UK region or nation"
MEMBERS_CAPTION = "Members and other applicants by UK nation"
OTHERS_CAPTION = "Other applicants by UK nation"  # the solve's name for that column (internal)
MEMBERS, OTHERS, TOTAL = "Members", "Other applicants", "Total"
LAD_TOTAL_LABEL = "All with a local authority"
# Decimal places of each kind of derived value in the tables (counts are whole numbers).
DECIMALS = {"count": None, "share": 1, "rate": 1, "index": 2}
REGION_TABLE_COLUMNS = {
    "applicants": "count",
    "population": "population",
    "per_million": "rate",
    "applicant_share": "share",
    "population_share": "share",
    "representation_index": "index",
}
IMD_LABELS = {1: "1 (most deprived)", 2: "2", 3: "3", 4: "4", 5: "5 (least deprived)"}
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

_SAFE = "safe"
# Statuses printed as "[c]": their values never leave a protected table.
_HIDDEN = frozenset(s for s, symbol in text.STATUS_SYMBOLS.items() if symbol == text.SUPPRESSED)


def first_column(table: ProtectedTable) -> tuple[pd.Series, pd.Series]:
    """Values and status of a one-way protected table, whatever its column is called."""
    return table.values.iloc[:, 0], table.status.iloc[:, 0]


def derived_table(
    frame: pd.DataFrame,
    base_status: pd.Series,
    kinds: dict[str, str],
    *,
    caption: str,
    rule: str,
    kind: str,
    notes: tuple[str, ...] = (),
    total_label: str | None = None,
) -> ProtectedTable:
    """A ProtectedTable of figures derived from protected counts (same rows as the counts).

    Columns whose kind is 'population' come from published ONS figures and are always safe;
    every other column inherits the status of the count it was derived from (so a rate or
    share is hidden wherever its count is), and a derived value that cannot be computed (a
    share of an empty base) is marked not applicable. A cell with a status symbol carries no
    number.
    """
    base = base_status.reindex(frame.index).fillna(_SAFE)
    status = {}
    for col, k in kinds.items():
        st = pd.Series(_SAFE, index=frame.index) if k == "population" else base.copy()
        status[col] = st.mask(~st.isin(_HIDDEN) & frame[col].isna(), "z")
    return ProtectedTable.derive(
        frame[list(kinds)],
        pd.DataFrame(status, index=frame.index),
        caption=caption,
        rule=rule,
        kind=kind,
        decimals=DECIMALS,
        column_kinds={col: "count" if k == "population" else k for col, k in kinds.items()},
        notes=notes,
        total_label=total_label,
    )


def region_tables(pool: Pool, rules: DisclosureRules, spread: MemberSpread | None = None):
    """Counts by region protected once, with England as a subtotal of its nine regions.

    Protecting the hierarchy in one go (region → nation → UK) means the nation figures cannot
    be used to work out a hidden region; with `spread`, the members table is protected in the
    same solve (`_linked_counts`), so the tables agree on every nation. Rates, shares and the
    nation table are derived from the published counts. Returns the region table, the nation
    table, the published rates by region (index RGN23CD, NaN where suppressed), the published
    UK total and the members table (None without `spread`).
    """
    regions = region_lookup()
    names = regions["region_name"]
    counts = region_counts(pool.uk).rename(names)
    counts.index.name = "Region or nation"
    english = regions.index[regions["nation"].eq(ENGLAND)]
    hierarchy = {names[c]: ENGLAND for c in english}
    if spread is None:
        counts_pt = protect_frequencies(
            counts, rules, caption=REGION_CAPTION, total_label=UK_LABEL, hierarchy=hierarchy
        )
        member_pt = None
    else:
        counts_pt, member_pt = _linked_counts(counts, spread, rules, hierarchy)
    values, status = first_column(counts_pt)
    total = values.get(UK_LABEL, np.nan)

    population = pd.concat(
        [
            regions["population"].rename(names),
            population_by_nation().loc[[ENGLAND]],
            pd.Series({UK_LABEL: regions["population"].sum()}),
        ]
    )
    frame = region_rates(values, population, total=total)
    frame["population_share"] = population.reindex(frame.index) / regions["population"].sum()
    frame["representation_index"] = representation_index(frame["applicant_share"], frame["population_share"])
    region_pt = derived_table(
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
    nation_pt = derived_table(
        frame.loc[nation_rows].rename_axis("Nation"),
        status,
        REGION_TABLE_COLUMNS,
        kind="rate",
        rule=counts_pt.rule,
        total_label=UK_LABEL,
        caption="Applicants by UK nation: number, per million people and representation index",
        notes=("The same figures as the region table; England is the sum of its nine regions.",),
    )
    return region_pt, nation_pt, rates, total, member_pt


def map_table(region_pt: ProtectedTable) -> ProtectedTable:
    """The region table indexed by RGN23CD codes, as the map expects (nation and UK rows dropped)."""
    by_code = {name: code for code, name in region_lookup()["region_name"].items()}
    # Rows that are not regions (England, the UK total) get no code and are left out.
    coded = region_pt.relabel(index=by_code.get, index_name="region_code")
    return coded.subset(rows=[c for c in coded.values.index if not text.is_missing(c)])


def share_table(
    counts: pd.Series,
    pop_share: pd.Series,
    labels: list[str],
    *,
    caption: str,
    rules: DisclosureRules,
    total_label: str,
    notes: tuple[str, ...],
) -> ProtectedTable:
    """Protect a one-way count and add shares of applicants (from published counts) and of people.

    Population shares are ONS/mySociety facts about places: safe, shown as numbers.
    """
    named = counts.copy()
    named.index = pd.Index(labels, name=counts.index.name)
    counts_pt = protect_frequencies(named, rules, caption=caption, total_label=total_label)
    values, status = first_column(counts_pt)
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
    return derived_table(
        frame,
        status,
        kinds,
        caption=caption,
        rule=counts_pt.rule,
        kind="share",
        notes=notes,
        total_label=total_label,
    )


def lad_profiles(pool: Pool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deprivation quintile and urban/rural cluster of applicants' LADs against the UK (unprotected)."""
    lads = pool.uk["lad_code"]
    imd = profile_against_population(lads, "imd_quintile", categories=IMD_QUINTILES)
    imd.index.name = "Deprivation quintile of the local authority (UK composite)"
    ruc = profile_against_population(lads, "ruc_cluster", categories=RUC_ORDER)
    ruc.index.name = "Urban/rural type of the local authority (UK composite)"
    return imd, ruc


def lad_tables(imd: pd.DataFrame, ruc: pd.DataFrame, rules: DisclosureRules):
    """The deprivation and urban/rural profiles as protected tables."""
    imd_pt = share_table(
        imd["applicants"],
        imd["population_share"],
        [IMD_LABELS[q] for q in imd.index],
        caption=(
            "Applicants by deprivation quintile of their local authority, against the UK "
            "population (quintile 1 = most deprived fifth)"
        ),
        rules=rules,
        total_label=LAD_TOTAL_LABEL,
        notes=(IMD_CAVEAT, "Source: mySociety Composite UK IMD v3.4.0 (CC BY 4.0); ONS mid-2022."),
    )
    ruc_pt = share_table(
        ruc["applicants"],
        ruc["population_share"],
        RUC_ORDER,
        caption="Applicants by urban/rural type of their local authority, against the UK population",
        rules=rules,
        total_label=LAD_TOTAL_LABEL,
        notes=(
            RUC_CAVEAT,
            "Source: mySociety UK Composite Rural Urban Classification v2.4.0 (CC BY 4.0); ONS mid-2022.",
        ),
    )
    return imd_pt, ruc_pt


def quality_table(pool: Pool, rules: DisclosureRules) -> ProtectedTable:
    """The quality counts as a protected table (they are counts of organisations too).

    The checks overlap (they are not parts of a whole), so the table has no total and only the
    small-count rule applies.
    """
    named = quality_counts(pool).rename(QUALITY_ITEMS)
    named.index.name = "Check"
    named.name = "organisations"
    return protect_counts(
        named.to_frame(),
        rules,
        totals=False,
        caption="How applicants' locations were found: exclusions and corrections",
    )


def _linked_counts(counts: pd.Series, spread: MemberSpread, rules: DisclosureRules, hierarchy: dict):
    """Applicants by region and members and other applicants by nation, in one suppression pattern.

    Members and their nation are public (the membership policy, docs/DISCLOSURE.md), so the
    members are a public table of the solve: printed in full, and known to the solver as to any
    reader. A nation's applicants are its members plus its other applicants, so with the
    members printed, a nation's total gives its other applicants away: the solve hides the two
    together, with the fewest nations it can, and the region table, the nation table, the map
    and the members table show the one pattern. Returns the region counts and the members table.
    """
    column = counts.name if counts.name is not None else "count"
    by_nation = spread.by_nation.reindex(list(NATION_ORDER)).fillna(0)
    out = protect_linked(
        {
            "applicants": counts.to_frame(column),
            MEMBERS: by_nation[[MEMBERS]].set_axis([column], axis=1),
            OTHERS: by_nation[[OTHERS]].set_axis([column], axis=1),
        },
        rules,
        captions={"applicants": REGION_CAPTION, MEMBERS: MEMBERS_CAPTION, OTHERS: OTHERS_CAPTION},
        share=None,
        relations=[("applicants", (MEMBERS, OTHERS))],
        public=[MEMBERS],
        total_label=UK_LABEL,
        hierarchy=hierarchy,
    )
    return out["applicants"], members_table(out)


def members_table(linked: dict[str, ProtectedTable]) -> ProtectedTable:
    """Members (in full), other applicants and all applicants by nation, from `_linked_counts`' solve."""
    rows = [*NATION_ORDER, UK_LABEL]
    parts = {
        MEMBERS: linked[MEMBERS],
        OTHERS: linked[OTHERS],
        TOTAL: linked["applicants"].subset(rows=rows),
    }
    table = ProtectedTable.side_by_side(parts, caption=MEMBERS_CAPTION).relabel(
        index={UK_LABEL: TOTAL}, index_name="Nation"
    )
    return replace(table, rule=f"{linked[OTHERS].rule} {IN_FULL_RULE}", total_label=TOTAL)
