"""Geography report: one run's applicant geography as findings, and the frames behind them.

`analyse(ctx)` returns the `Findings` the appendix shows and the brief quotes (tables by name,
the map, sentences, facts). `results(ctx)` returns the same findings together with the named
intermediate frames a researcher wants to poke at (`results(ctx).frames["rates_by_region"]`).
Members are read from the network roster only, so the geography never waits for the selection.

Layer: assemble. Imports this area's `measures`, `tables` and `text`, and `analysis.charts`,
`analysis.disclosure`, `analysis.findings`, `analysis.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analysis import charts
from analysis.findings import Figure, Findings
from analysis.geography import text as words
from analysis.geography.intervals import HIGH, LOW, RATE, interval_table, rate_intervals, uk_rate
from analysis.geography.measures import (
    MemberSpread,
    active_members,
    member_spread,
    quality_counts,
    split_pool,
    with_applicants,
)
from analysis.geography.tables import (
    QUALITY_ITEMS,
    first_column,
    lad_profiles,
    lad_tables,
    map_table,
    quality_table,
    region_tables,
)
from analysis.reference import region_lookup


@dataclass
class Results:
    """The geography of one run: the published findings and the working frames behind them.

    ``frames`` are for exploring only (not protected, never published): ``applicants`` (the
    counted pool: research consent, in the UK, with a region), ``rates_by_region`` (rates from
    the *published* counts, NaN where suppressed), ``rate_intervals`` (each rate's 95% interval
    and whether it lies above or below the UK rate), ``by_deprivation`` and ``by_rural_urban``
    (profiles of applicants' local authorities), ``location_checks`` (exclusions and
    corrections) and, when the roster has members, ``members_by_nation``.
    """

    findings: Findings
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def tables(self) -> dict:
        """The published (protected) tables by name, as in the findings."""
        return self.findings.tables

    def __repr__(self) -> str:
        frames = ", ".join(f"{name} ({len(frame)} rows)" for name, frame in self.frames.items())
        return (
            f"<geography results: frames: {frames}; tables: {', '.join(self.tables) or 'none'}; "
            f"figures: {', '.join(f.key for f in self.findings.figures) or 'none'}>"
        )


def _roster(ctx) -> pd.DataFrame | None:
    """The processed network roster, or None before the first roster exists."""
    try:
        return ctx.table("roster")
    except (FileNotFoundError, OSError):
        return None


def results(ctx) -> Results:
    """Build the geography findings for one run, keeping the frames they were built from.

    Every number shown comes from a table protected by `analysis.disclosure`; sentences are
    written from the protected values, so the brief can never print a suppressed count.
    """
    rules = ctx.rules
    pool = split_pool(ctx.table("applicants"))
    names = region_lookup()["region_name"]

    ids = active_members(_roster(ctx), ctx.year)
    members = member_spread(pool.uk, ids) if ids is not None else None
    region_pt, nation_pt, rates, total, member_pt = region_tables(pool, rules, members or None)
    imd, ruc = lad_profiles(pool)
    imd_pt, ruc_pt = lad_tables(imd, ruc, rules)
    quality_pt = quality_table(pool, rules)

    callout_year = int(ctx.config.section("selection").get("draw_year", ctx.year))
    gaps = words.coverage_gap_sentences(rates, names)
    intervals = rate_intervals(rates, total)
    uk = uk_rate(rates, total) if not pd.isna(total) else None
    interval_pt = (
        None
        if uk is None
        else interval_table(
            intervals, names, first_column(region_pt)[1], total, uk, rule=region_pt.rule, year=callout_year
        )
    )
    tables = {
        "by_region": region_pt,
        "by_nation": nation_pt,
        "by_deprivation": imd_pt,
        "by_rural_urban": ruc_pt,
        "location_checks": quality_pt,
    }
    if member_pt is not None:
        tables["members_by_nation"] = member_pt
    findings = Findings(
        area="geography",
        heading=words.headline(rates, names, intervals=intervals),
        key_messages=words.key_messages(region_pt, rates, names, gaps, imd_pt, members, intervals, uk),
        brief_text=words.brief_text(rates, names, gaps, imd, members),
        method_notes=words.method_notes(),
        figures=[
            _map_figure(region_pt, rates, names, callout_year, interval_pt),
            *_interval_figure(interval_pt, intervals, names, uk, callout_year),
        ],
        tables=tables,
        facts=_facts(total, rates, names, quality_pt, members),
        policy_asks=words.policy_asks(rates, names, intervals),
    )
    frames = {
        "applicants": pool.uk,
        "rates_by_region": pd.concat([names, rates], axis=1),
        "rate_intervals": pd.concat([names, intervals], axis=1),
        "by_deprivation": imd,
        "by_rural_urban": ruc,
        "location_checks": quality_counts(pool).rename(QUALITY_ITEMS).rename("organisations").to_frame(),
    }
    if members is not None:
        frames["members_by_nation"] = members.by_nation
    return Results(findings=findings, frames=frames)


def analyse(ctx) -> Findings:
    """The geography findings for one run: tables, map, sentences, quality counts."""
    return results(ctx).findings


def _map_figure(region_pt, rates: pd.DataFrame, names: pd.Series, year: int, interval_pt=None) -> Figure:
    """The choropleth of applicants per million people.

    Its data table is the dot plot's (every region's count, rate and interval, and the UK rate),
    so the map and the dot plot beside it share one table (the region table holds the rest).
    """
    chart = charts.choropleth_itl1(
        map_table(region_pt),
        "per_million",
        title=words.map_title(rates, names),
        subtitle=words.map_subtitle(year),
        source=words.SOURCE_MAP,
        legend_title="Applicants per million people",
    )
    figure = chart.to_figure("applicants_per_million_map", in_brief=True)
    return figure if interval_pt is None else replace(figure, table=interval_pt)


def _interval_figure(interval_pt, intervals: pd.DataFrame, names: pd.Series, uk, year: int) -> list[Figure]:
    """The labelled dot plot of rates with their intervals against the UK rate (none without a UK total)."""
    if interval_pt is None:
        return []
    chart = charts.interval_dots(
        interval_pt,
        RATE,
        LOW,
        HIGH,
        reference=uk,
        reference_label="UK rate",
        title=words.interval_title(intervals, names),
        subtitle=words.interval_subtitle(year),
        source=words.SOURCE_MAP,
    )
    return [chart.to_figure("applicants_per_million_intervals", in_brief=True)]


def _json_number(value):
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _facts(total, rates: pd.DataFrame, names: pd.Series, quality_pt, members: MemberSpread | None) -> dict:
    """JSON-safe published numbers the brief notebook can template from."""

    def by_name(col: str) -> dict:
        return {names[c]: _json_number(rates.loc[c, col]) for c in rates.index}

    return {
        "uk_applicants": _json_number(total),
        "regions_with_applicants": int(with_applicants(rates["applicants"]).sum()),
        "applicants_by_region": by_name("applicants"),
        "per_million_by_region": by_name("per_million"),
        "representation_index_by_region": by_name("representation_index"),
        "quality": {str(k): _json_number(v) for k, v in first_column(quality_pt)[0].items()},
        "members_compared": bool(members),
    }
