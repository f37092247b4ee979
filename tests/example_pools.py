"""A small made-up applicant table in the processed schema, for tests and the benchmark.

Shared by the tests and `benchmarks/bench_selection.py`, so both build the same pools.
It is not the synthetic sample (data/raw/synthetic), which goes through ingest.
"""

from __future__ import annotations

import random

import pandas as pd

from analysis.reference import region_lookup

# Relative weights of the regions (RGN23CD), London largest, Northern Ireland smallest.
WEIGHTS = {
    "E12000001": 4,
    "E12000002": 10,
    "E12000003": 8,
    "E12000004": 7,
    "E12000005": 8,
    "E12000006": 8,
    "E12000007": 22,
    "E12000008": 12,
    "E12000009": 9,
    "W92000004": 5,
    "S92000003": 6,
    "N92000002": 2,
}
REGIONS = [  # (RGN23CD, name, nation, weight), names from the reference data
    (code, name, nation, WEIGHTS[code])
    for code, name, nation in zip(
        region_lookup().index, region_lookup()["region_name"], region_lookup()["nation"], strict=True
    )
]


def example_applicants(n: int, seed: int = 1, *, ineligible_share: float = 0.15) -> pd.DataFrame:
    """`n` applicants; roughly `ineligible_share` fail one eligibility rule; a few share parents."""
    rng = random.Random(seed)
    rows = []
    parents = [f"OP{p:09d}" for p in range(max(2, n // 20))]
    for i in range(n):
        code, name, nation, _ = rng.choices(REGIONS, weights=[r[3] for r in REGIONS])[0]
        now = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        target = min(5, now + rng.choice([1, 1, 1, 2, 2, 3]))
        row = {
            "org_id": f"O{i:010x}",
            "parent_id": rng.choice(parents) if rng.random() < 0.12 else None,
            "postcode_status": "ok",
            "region_source": "postcode",
            "region_code": code,
            "region_name": name,
            "nation": nation,
            "can_commit_3_years": "yes",
            "research_consent": True,
            "level_now": now,
            "level_target_2026": target,
        }
        if rng.random() < ineligible_share:
            _spoil(row, rng)
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("level_now", "level_target_2026"):
        df[col] = df[col].astype("Int64")
    df["research_consent"] = df["research_consent"].astype("boolean")
    return df


def _spoil(row: dict, rng: random.Random) -> None:
    """Make one applicant ineligible in one of the documented ways."""
    kind = rng.choice(["outside_uk", "stated", "commit", "consent", "no_move", "missing"])
    if kind == "outside_uk":
        row.update(
            postcode_status="outside_uk",
            region_source="none",
            region_code=None,
            region_name=None,
            nation=None,
        )
    elif kind == "stated":
        row.update(postcode_status="not_found", region_source="stated")
    elif kind == "commit":
        row["can_commit_3_years"] = rng.choice(["no", "unsure"])
    elif kind == "consent":
        row["research_consent"] = False
    elif kind == "no_move":
        row["level_target_2026"] = row["level_now"]
    else:
        row["level_target_2026"] = None
