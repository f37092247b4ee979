"""Helpers for the chart, publishing and accessibility tests.

`protected(...)` builds a `ProtectedTable` directly (the disclosure module builds real ones);
the checks themselves live in `tests/publish_checks.py` so the end-to-end test can reuse them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure import SUPPRESSED, ProtectedTable

RULE = (
    "Counts of fewer than 5 organisations are suppressed ([c]), with further cells suppressed "
    "so that they cannot be worked out from totals."
)


def protected(values: pd.DataFrame, *, caption: str, kind: str = "count", fmt=None) -> ProtectedTable:
    """A ProtectedTable from numbers where NaN marks a suppressed cell."""
    if fmt is None:
        fmt = {"share": "{:.0f}%", "money": "£{:,.0f}", "mean": "{:.1f}"}.get(kind, "{:,.0f}")
    display = values.map(lambda v: SUPPRESSED if pd.isna(v) else fmt.format(v))
    status = values.map(lambda v: "primary" if pd.isna(v) else "safe")
    return ProtectedTable(
        display=display, values=values.astype(float), status=status, caption=caption, rule=RULE, kind=kind
    )


REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
    "W92000004": "Wales",
    "S92000003": "Scotland",
    "N92000002": "Northern Ireland",
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
        index=pd.Index(
            ["Leadership support", "Budget", "Skills in the team", "Governance"], name="Readiness item"
        ),
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


# --- a small notebook that uses every show_* function -------------------------------------------


def demo_notebook(tests_dir, *, title: str | None = "Applicant geography: technical appendix"):
    """A notebook (nbformat node, not yet executed) exercising the publishing chain."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    setup = (
        "import sys\n"
        f"sys.path.insert(0, {str(tests_dir)!r})\n"
        "import publish_helpers as h\n"
        "from analysis import charts\n"
        "from analysis.findings import Findings\n"
        "from analysis.publish import show_findings, show_markdown, show_key_messages, show_table, show_figure\n"
    )
    analysis = (
        "fig_map = charts.choropleth_itl1(h.region_counts(), 'Applicants', title='Most applicants came from London',"
        " subtitle='Applicant organisations by region or nation, UK, 2024', source='Citizens In Power call-out 2024',"
        " legend_title='Applicants').to_figure('map')\n"
        "fig_div = charts.diverging_bars(h.likert(), title='Applicants feel least ready on governance',"
        " subtitle='Share of applicants at each readiness level, 1 to 5, 2024', source='Citizens In Power call-out 2024').to_figure('likert')\n"
        "findings = Findings(area='geography', heading='Applicants came from every UK nation but few from the North East',"
        " key_messages=['Most applicants, 38, came from London.', 'Northern Ireland had 6 applicants.'],"
        " brief_text='Applicants came from all four nations. **London** had the most.',"
        " method_notes='Regions come from each applicant\\'s postcode district; 5 used the region they stated.',"
        " figures=[fig_map, fig_div], tables={'stacked': h.stacked()}, policy_asks=['Fund outreach in the North East.'])\n"
        "findings.heading"
    )
    cells = [
        new_code_cell("year = 2024\nsynthetic = True", metadata={"tags": ["parameters"]}),
        new_code_cell(setup, metadata={"tags": ["remove-cell"]}),
        new_markdown_cell("# Applicant geography\n\nThis appendix describes where applicants came from."),
        new_code_cell(
            "show_key_messages(['Most applicants, 38, came from London.', "
            "'Applicants came from all 12 regions and nations except one we cannot show.'])"
        ),
        new_code_cell(analysis),
        new_code_cell("print('debug output that must not be published')\nshow_findings(findings)"),
        new_code_cell(
            "show_markdown('## A plain section\\n\\nText with a number: ' + str(2 + 2) + '.')\n"
            "show_table(h.named_region_counts())"
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if title:
        nb.metadata["title"] = title
    return nb


MANIFEST = {  # the keys of analysis.manifest.base_manifest
    "year": 2024,
    "data": "synthetic sample (not real findings)",
    "created_utc": "2025-03-01T10:00:00Z",
    "code_version": "cip-analysis 0.1.0, git ff1f00b",
    "config_files": ["config/defaults.toml", "config/2024.toml"],
    "config_sha256": "ab" * 32,
    "inputs_sha256": {"callout": "cd" * 32},
    "packages": {"pandas": "2.3.3"},
}
TITLE = "Applicant geography: technical appendix 2024"
_PUBLISHED: dict = {}


def published_demo(base, tests_dir) -> dict:
    """Execute the demo notebook once (papermill, kernel python3) and publish it synthetic and
    real; cached per base directory so the publish and accessibility tests share one run."""
    from pathlib import Path

    import nbformat
    import papermill as pm

    from analysis.publish import publish_notebook

    base = Path(base)
    if base in _PUBLISHED:
        return _PUBLISHED[base]
    base.mkdir(parents=True, exist_ok=True)
    source, executed = base / "demo.ipynb", base / "demo-executed.ipynb"
    nbformat.write(demo_notebook(tests_dir), source)
    pm.execute_notebook(
        str(source),
        str(executed),
        parameters={"synthetic": True},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(base),
    )
    out = {"executed": executed}
    for name, synthetic in (("synthetic", True), ("real", False)):
        out[name] = publish_notebook(
            executed,
            base / name / "appendix-01-applicant-geography",
            title=TITLE,
            synthetic=synthetic,
            manifest=MANIFEST,
            contact="research@example.org",
        )
    _PUBLISHED[base] = out
    return out
