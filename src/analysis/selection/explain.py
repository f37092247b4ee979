"""Restricted outputs: organisation names and a private paragraph per applicant on their chance.

These go to `ctx.restricted_dir / "selection"` (git-ignored `restricted/<year>/`), never into a
brief or the audit pack. Names come from the organisations file written by ingest
(`restricted/<year>/organisations.csv`, columns org_id, org_name); the caller may pass another
path (`names_path`), and without one the paragraphs use pseudonyms.

The "why" is worked out from the quotas that actually bind in the distribution: a nation's
guaranteed seat raises the chance of applicants in small nations, a region cap lowers it in
crowded regions, the high-ambition minimum moves chances between bands, and the parent-body rule
lowers it for organisations that share a parent body.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.selection.eligibility import REASONS
from analysis.selection.lottery import SelectionResult, canonical_csv
from analysis.spreadsheet import markdown_text

BIND = 0.05  # a quota "binds" when the expected seats are within this of its limit


def read_names(names_path: Path | None) -> dict[str, str]:
    if names_path is None or not Path(names_path).exists():
        return {}
    names = pd.read_csv(names_path, dtype="string")
    return dict(zip(names["org_id"], names["org_name"].fillna("")))


def _n_were(n: int) -> str:
    return f"{n} eligible applicant{' was' if n == 1 else 's were'}"


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


class _Context:
    """Group sizes, mean chances and binding quotas, computed once for all paragraphs."""

    def __init__(self, result: SelectionResult):
        self.r = result
        pool = result.pool.merge(result.probabilities, on="org_id")
        self.pool = pool.set_index("org_id")
        self.mean = result.rules.panel_size / max(len(pool), 1)
        self.n = {
            col: pool[col].value_counts() for col in ("nation", "region_code", "ambition", "parent_key")
        }
        self.avg = {
            col: pool.groupby(col)["lottery_probability"].mean()
            for col in ("nation", "region_code", "ambition")
        }
        after = result.quotas_after().set_index(["feature", "value"])
        self.seats = after["expected_seats"]
        self.maxes = after["max"]
        self.mins = after["min"]
        self.assessment = result.assessment.set_index("org_id")  # once, not once per paragraph
        self.factor_cache: dict[tuple, list[str]] = {}

    def factors(self, row: pd.Series) -> list[str]:
        """`_factors`, computed once per combination of the fields it reads."""
        key = (
            row["nation"],
            row["region_code"],
            row["region_name"],
            row["ambition"],
            int(self.n["parent_key"][row["parent_key"]]),
        )
        if key not in self.factor_cache:
            self.factor_cache[key] = _factors(self, row)
        return self.factor_cache[key]

    def binds_max(self, feature: str, value: str) -> bool:
        return self.seats[(feature, value)] >= self.maxes[(feature, value)] - BIND

    def binds_min(self, feature: str, value: str) -> bool:
        return (feature, value) in self.seats and self.seats[(feature, value)] <= self.mins[
            (feature, value)
        ] + BIND


def _factors(c: _Context, row: pd.Series) -> list[str]:
    rules, out = c.r.rules, []
    nation, region, band = row["nation"], row["region_code"], row["ambition"]
    if rules.min_per_nation and c.avg["nation"][nation] > c.mean + 1e-9 and c.binds_min("nation", nation):
        out.append(
            f"Applicants in {nation} had a higher chance because at least {rules.min_per_nation} "
            f"seat{'s are' if rules.min_per_nation > 1 else ' is'} guaranteed for every nation with "
            f"eligible applicants, and {_n_were(int(c.n['nation'][nation]))} in {nation}."
        )
    favoured = [
        n
        for n in c.avg["nation"].index
        if n != nation and c.binds_min("nation", n) and c.avg["nation"][n] > c.mean + 1e-9
    ]
    if rules.min_per_nation and favoured and c.avg["nation"][nation] < c.mean - 1e-9:
        out.append(
            f"Applicants in {nation} had a lower chance than average because a seat is "
            f"guaranteed for each nation with eligible applicants, and {' and '.join(favoured)} "
            f"had fewer applicants to fill {'them' if len(favoured) > 1 else 'it'}."
        )
    if c.binds_max("region", region) and c.avg["region_code"][region] < c.mean - 1e-9:
        out.append(
            f"Applicants in {row['region_name']} had a lower chance because at most "
            f"{rules.max_per_region} members may come from one region, and "
            f"{_n_were(int(c.n['region_code'][region]))} there."
        )
    if rules.min_high_ambition and c.binds_min("ambition", "high"):
        if band == "high":
            out.append(
                f"Applicants in the high-ambition band had a higher chance because at least "
                f"{rules.min_high_ambition} seats are kept for that band."
            )
        else:
            out.append(
                f"Applicants in the {band}-ambition band had a lower chance because at least "
                f"{rules.min_high_ambition} seats are kept for the high-ambition band."
            )
    others = int(c.n["parent_key"][row["parent_key"]]) - 1
    if others:
        out.append(
            f"Only one organisation per parent body can be a member, and {others} other eligible "
            f"applicant{'s share' if others > 1 else ' shares'} this organisation's parent body."
        )
    return out


def _outcome(c: _Context, org_id: str, row: pd.Series) -> str:
    if row["selected"]:
        return f"It was selected: panel {c.r.drawn_panel} was drawn and it is one of that panel's members."
    if row["quota_excludes"]:
        return "No panel that meets every quota could include it, so its chance was zero."
    return f"It was not selected; it is number {int(row['reserve_rank'])} in the reserve order."


def paragraph(c: _Context, org_id: str, name: str) -> str:
    """The private explanation for one applicant."""
    who = f"{name} ({org_id})" if name else org_id
    year = c.r.rules.draw_year
    a = c.assessment.loc[org_id]
    if not a["eligible"]:
        why = "; ".join(REASONS[code] for code in str(a["reasons"]).split(";"))
        return (
            f"{who} was not in the {year} selection lottery because {why}. The eligibility rules "
            "were fixed and published before the draw, and they applied to every applicant alike."
        )
    row = c.pool.loc[org_id]
    text = (
        f"{who} had a {_pct(row['lottery_probability'])} chance of being selected in {year}: it was in "
        f"{int(row['panels'])} of the {len(c.r.lottery)} equally likely panels, one of which was drawn. "
        f"The average chance for the {len(c.pool)} eligible applicants was {_pct(c.mean)}."
    )
    factors = c.factors(row)
    body = (
        " ".join(factors)
        if factors
        else (
            "No quota favoured or limited its group, so its chance was "
            "set by the lottery's fairness rule alone."
        )
    )
    return f"{text} {body} {_outcome(c, org_id, row)}"


def explanations(result: SelectionResult, names: dict[str, str]) -> pd.DataFrame:
    c = _Context(result)
    probs = result.probabilities.set_index("org_id")
    rows = []
    for a in result.assessment.itertuples():
        p = probs.loc[a.org_id] if a.org_id in probs.index else None
        rows.append(
            {
                "org_id": a.org_id,
                "org_name": names.get(a.org_id, ""),
                "eligible": a.eligible,
                "reason": a.reason,
                "chance": f"{p['lottery_probability']:.3f}" if p is not None else "0.000",
                "selected": bool(p is not None and p["selected"]),
                "reserve_rank": p["reserve_rank"] if p is not None else pd.NA,
                "paragraph": paragraph(c, a.org_id, names.get(a.org_id, "")),
            }
        )
    return pd.DataFrame(rows)


def write_restricted(
    result: SelectionResult, restricted_dir: Path, names_path: Path | None = None
) -> list[Path]:
    """Names, members, reserves, the per-applicant strata and the private paragraphs."""
    out_dir = Path(restricted_dir) / "selection"
    out_dir.mkdir(parents=True, exist_ok=True)
    names = read_names(names_path)
    table = explanations(result, names)
    members = table[table["selected"]][["org_id", "org_name"]].merge(
        result.pool[["org_id", "nation", "region_name", "ambition"]], on="org_id"
    )
    reserves = table.dropna(subset=["reserve_rank"]).sort_values("reserve_rank")[
        ["reserve_rank", "org_id", "org_name", "chance"]
    ]
    md = ["# Selection: private explanations (RESTRICTED - do not publish)", ""]
    for r in table.itertuples():
        md += [f"## {markdown_text(r.org_name or r.org_id)}", "", markdown_text(r.paragraph), ""]
    files = {
        "README.md": (
            "# Restricted selection outputs\n\nOrganisation names and private explanations. "
            "Never publish or commit these files. Each applicant's own chance (`chance` in "
            "explanations.csv) is for telling that applicant privately: the public pack in "
            "reports/<year>/selection/ shows chances only in bands; the full audit pack is in "
            "reports/<year>/internal/selection-audit/.\n"
        ),
        "explanations.csv": canonical_csv(table),
        "explanations.md": "\n".join(md),
        "members.csv": canonical_csv(members),
        "reserves.csv": canonical_csv(reserves),
        "pool.csv": canonical_csv(result.assessment),
    }
    paths = []
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        paths.append(out_dir / name)
    return paths
