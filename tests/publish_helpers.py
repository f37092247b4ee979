"""Helpers for the chart, publishing and accessibility tests.

`protected(...)` builds a `ProtectedTable` directly (the disclosure module builds real ones);
the checks themselves live in `analysis.publish.checks` so the end-to-end test can reuse them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure import SUPPRESSED, ProtectedTable

RULE = ("Counts of fewer than 5 organisations are suppressed ([c]), with further cells suppressed "
        "so that they cannot be worked out from totals.")


def protected(values: pd.DataFrame, *, caption: str, kind: str = "count",
              fmt=None) -> ProtectedTable:
    """A ProtectedTable from numbers where NaN marks a suppressed cell."""
    if fmt is None:
        fmt = {"share": "{:.0f}%", "money": "£{:,.0f}", "mean": "{:.1f}"}.get(kind, "{:,.0f}")
    display = values.map(lambda v: SUPPRESSED if pd.isna(v) else fmt.format(v))
    status = values.map(lambda v: "primary" if pd.isna(v) else "safe")
    return ProtectedTable(display=display, values=values.astype(float), status=status,
                          caption=caption, rule=RULE, kind=kind)


REGIONS = {
    "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
    "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
    "W92000004": "Wales", "S92000003": "Scotland", "N92000002": "Northern Ireland",
}


def region_counts(suppress=("E12000001",)) -> ProtectedTable:
    """Applicants per region (index RGN23CD), with the North East suppressed."""
    n = [np.nan, 14, 11, 9, 12, 10, 38, 21, 15, 8, 17, 6]
    df = pd.DataFrame({"Applicants": n}, index=pd.Index(list(REGIONS), name="Region code"))
    for code in suppress:
        df.loc[code, "Applicants"] = np.nan
    return protected(df, caption="Applicants by region or nation, 2024")


def named_region_counts() -> ProtectedTable:
    pt = region_counts()
    vals = pt.values.rename(index=REGIONS)
    vals.index.name = "Region or nation"
    return protected(vals, caption="Applicants by region or nation, 2024")


def likert() -> ProtectedTable:
    levels = ["1 Not at all ready", "2", "3", "4", "5 Fully ready"]
    df = pd.DataFrame(
        [[10, 20, 30, 25, 15], [5, 10, 20, 40, 25], [np.nan] * 5, [30, 30, 20, 10, 10]],
        index=pd.Index(["Leadership support", "Budget", "Skills in the team", "Governance"],
                       name="Readiness item"),
        columns=levels,
    )
    return protected(df, caption="Readiness of applicants, share answering each level", kind="share")


def now_target() -> ProtectedTable:
    df = pd.DataFrame(
        {"Now": [1.8, 2.4, np.nan, 2.1], "Target for 2026": [3.5, 3.9, np.nan, 3.0]},
        index=pd.Index(["Arts centre", "Festival", "Library service", "Theatre"], name="Organisation type"),
    )
    return protected(df, caption="Mean IAP2 level now and target for 2026", kind="mean")


def stacked() -> ProtectedTable:
    df = pd.DataFrame(
        {"Yes": [20, 15, 8], "No": [5, np.nan, 6], "Unsure": [7, np.nan, 9]},
        index=pd.Index(["England", "Scotland", "Wales and Northern Ireland"], name="Nation"),
    )
    return protected(df, caption="Can commit for 3 years, by nation")
