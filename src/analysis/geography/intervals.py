"""Regional application rates with 95% intervals, and which regions differ clearly from the UK rate.

A region's applicants are k of the n UK applicants, so its share has a Wilson interval
(`stats.gap`); scaled by the region's population that is an interval for its applicants per
million people, and the interval excludes the UK rate exactly when the share's interval excludes
the region's population share. The dot plot, its table, the appendix's ask and the brief's
reach ask (`analysis.asks`) therefore single out the same regions. Everything is worked out from
the *published* counts: a region whose count is hidden gets no interval.

Layer: protect. Imports `analysis.stats`, `analysis.text`, `analysis.disclosure` and this area's
`tables`.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import stats, text
from analysis.disclosure import ProtectedTable
from analysis.geography.tables import UK_LABEL

LEVEL = 0.95
APPLICANTS = "Applicants"
RATE = "Applicants per million people"
LOW = f"{text.percent(LEVEL)} interval: lower"
HIGH = f"{text.percent(LEVEL)} interval: upper"
AGAINST = "Against the UK rate"
ABOVE, BELOW, WITHIN = "Clearly higher", "Clearly lower", "Not clearly different"


def rate_intervals(rates: pd.DataFrame, total: float, level: float = LEVEL) -> pd.DataFrame:
    """Per region: published count, rate per million, its interval and how it compares with the UK.

    ``rates`` is `tables.region_tables`' rates (applicants NaN where hidden, population,
    population_share); ``total`` the published UK total. ``against`` is "above", "below" or
    "" (the interval includes the UK rate), NaN where the count is hidden.
    """
    rows = {}
    for code, r in rates.iterrows():
        k, pop, share = r["applicants"], float(r["population"]), float(r["population_share"])
        if text.is_missing(k) or text.is_missing(total) or not total:
            rows[code] = {"applicants": math.nan, "per_million": math.nan, "low": math.nan, "high": math.nan}
            rows[code]["against"] = math.nan
            continue
        g = stats.gap(float(k), float(total), share, level)
        scale = float(total) / pop * 1e6
        rows[code] = {
            "applicants": float(k),
            "per_million": float(k) / pop * 1e6,
            "low": g.low * scale,
            "high": g.high * scale,
            "against": "above" if g.above else ("below" if g.below else ""),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def uk_rate(rates: pd.DataFrame, total: float) -> float:
    """Applicants per million people across the UK (the comparison every interval is read against)."""
    return float(total) / float(rates["population"].sum()) * 1e6


def clearly(intervals: pd.DataFrame, side: str) -> list:
    """Index labels of the regions whose interval lies wholly `side` ("above"/"below") the UK rate."""
    return list(intervals.index[intervals["against"].eq(side)])


def interval_table(
    intervals: pd.DataFrame,
    names: pd.Series,
    status: pd.Series,
    total: float,
    uk: float,
    *,
    rule: str,
    year: int,
) -> ProtectedTable:
    """The dot plot's data: one row per region (hidden where its count is) and the UK row.

    ``status`` is the region count's published status by region name, so a hidden count hides
    its whole row.
    """
    words = {"above": ABOVE, "below": BELOW, "": WITHIN}
    cells: dict = {}
    for code, r in intervals.iterrows():
        name = names[code]
        st = str(status.get(name, "safe"))
        if text.is_missing(r["applicants"]):
            hidden = st if st in ("primary", "secondary") else "secondary"
            cells[name] = {c: (None, text.SUPPRESSED, hidden) for c in (APPLICANTS, RATE, LOW, HIGH, AGAINST)}
            continue
        cells[name] = {
            APPLICANTS: (r["applicants"], text.count(r["applicants"]), "safe"),
            RATE: (r["per_million"], text.format_value(r["per_million"], "rate"), "safe"),
            LOW: (r["low"], text.format_value(r["low"], "rate"), "safe"),
            HIGH: (r["high"], text.format_value(r["high"], "rate"), "safe"),
            AGAINST: (None, words[r["against"]], "safe"),
        }
    cells[UK_LABEL] = {
        APPLICANTS: (total, text.count(total), "safe"),
        RATE: (uk, text.format_value(uk, "rate"), "safe"),
    }
    return ProtectedTable.from_cells(
        cells,
        caption=f"Applicants per million people with {text.percent(LEVEL)} intervals, by UK region or "
        f"nation, {year} callout",
        rule=rule,
        kind="rate",
        index_name="Region or nation",
        total_label=UK_LABEL,
        notes=(
            f"The {text.percent(LEVEL)} interval is the Wilson interval for the region's share of UK "
            "applicants, scaled by its population. A region is clearly higher or lower than the UK "
            "rate only when its whole interval lies above or below it.",
            "Population: ONS mid-2022 estimates. Rates are not shown where the count is suppressed.",
        ),
    )
