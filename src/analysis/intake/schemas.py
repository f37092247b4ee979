"""pandera schemas for every table that crosses a module boundary.

Intake validates before writing, so a table in data/processed/ always has these columns and
types, and holds none of the personal fields. Imports reference (region and nation codes) and
intake's quality module.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.intake.quality import IntakeError
from analysis.reference import NATION_ORDER, REGION_ORDER

PERSONAL_FIELDS = {
    "email",
    "contact_name",
    "contact_role",
    "phone",
    "org_name",
    "org_website",
    "postcode",
    "programme_description",
    "comments",
    "notes",
    "parent_body",
}

READINESS_ITEMS = [
    "readiness_leadership",
    "readiness_budget",
    "readiness_skills",
    "readiness_community",
    "readiness_governance",
]
BENEFIT_ITEMS = [
    "benefit_peer_learning",
    "benefit_professional_development",
    "benefit_wellbeing",
    "benefit_internal_advocacy",
    "benefit_convening_power",
    "benefit_profile",
]
SURVEY_COUNTS = [
    "ventures_started",
    "citizens_involved",
    "decisions_by_citizens",
    "partnerships_new",
    "joint_bids",
    "advocacy_submissions",
    "advocacy_meetings",
    "advocacy_talks",
]
SURVEY_MONEY = ["budget_devolved_gbp", "funding_secured_gbp"]
# Every field read as a number: the keys `[inputs.max_value]` may name.
NUMERIC_FIELDS = (*SURVEY_COUNTS, *SURVEY_MONEY, "speakers_count")

ORG_ID = pa.Column("string", pa.Check.str_matches(r"^O[0-9a-f]{10}$"), nullable=False)
LIKERT = pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True)
COUNT = pa.Column("Int64", pa.Check.ge(0), nullable=True)
MONEY = pa.Column("Float64", pa.Check.ge(0), nullable=True)
REGION_CODES = list(REGION_ORDER)
NATIONS = list(NATION_ORDER)

APPLICANTS = pa.DataFrameSchema(
    {
        "org_id": ORG_ID,
        "parent_id": pa.Column("string", nullable=True),
        "submitted_at": pa.Column(pd.DatetimeTZDtype(tz="Europe/London")),
        "n_submissions": pa.Column("int64", pa.Check.ge(1)),
        "postcode_district": pa.Column(
            "string", pa.Check.str_matches(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"), nullable=True
        ),
        "postcode_status": pa.Column(
            "string", pa.Check.isin(["ok", "invalid", "not_found", "outside_uk", "missing"])
        ),
        "lad_code": pa.Column("string", nullable=True),
        "region_code": pa.Column("string", pa.Check.isin(REGION_CODES), nullable=True),
        "region_name": pa.Column("string", nullable=True),
        "itl1_code": pa.Column("string", nullable=True),
        "nation": pa.Column("string", pa.Check.isin(NATIONS), nullable=True),
        "region_source": pa.Column("string", pa.Check.isin(["postcode", "stated", "none"])),
        "region_stated": pa.Column("string", pa.Check.isin(REGION_CODES), nullable=True),
        "region_disagrees": pa.Column(bool),
        "org_type": pa.Column("string", nullable=True),
        "staff_band": pa.Column("string", nullable=True),
        "turnover_band": pa.Column("string", nullable=True),
        "practice_.+": pa.Column(bool, regex=True),
        "want_.+": pa.Column(bool, regex=True),
        "level_now": LIKERT,
        "level_target_2026": LIKERT,
        "readiness_.+": pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True, regex=True),
        "can_commit_3_years": pa.Column("string", pa.Check.isin(["yes", "no", "unsure"]), nullable=True),
        "research_consent": pa.Column(bool),
    },
    unique=["org_id"],
    strict=True,
    coerce=True,
)

MEMBER_SURVEYS = pa.DataFrameSchema(
    {
        "org_id": ORG_ID,
        "year": pa.Column("int64", pa.Check.in_range(2020, 2100)),
        "submitted_at": pa.Column(pd.DatetimeTZDtype(tz="Europe/London")),
        **{c: COUNT for c in SURVEY_COUNTS},
        "venture_.+": pa.Column(bool, regex=True, required=False),
        **{c: MONEY for c in SURVEY_MONEY},
        "level_now": LIKERT,
        **{c: LIKERT for c in READINESS_ITEMS + BENEFIT_ITEMS},
    },
    unique=["org_id", "year"],
    strict=True,
    coerce=True,
)

ROSTER = pa.DataFrameSchema(
    {
        "org_id": ORG_ID,
        "year": pa.Column("int64"),
        "status": pa.Column("string", pa.Check.isin(["active", "left"])),
        "joined": pa.Column(object, nullable=True),
        "left": pa.Column(object, nullable=True),
    },
    unique=["org_id", "year"],
    strict=True,
    coerce=True,
)

WORKSHOP_ATTENDANCE = pa.DataFrameSchema(
    {
        "workshop_id": pa.Column("string"),
        "year": pa.Column("int64"),
        "date": pa.Column(object),
        "topic": pa.Column("string", nullable=True),
        "format": pa.Column("string", nullable=True),  # codes from [options.format]
        "org_id": ORG_ID,
        "speakers_count": COUNT,
        "satisfaction": LIKERT,
    },
    unique=["workshop_id", "org_id"],
    strict=True,
    coerce=True,
)

COMPARISON_SURVEY = pa.DataFrameSchema(
    {
        "org_id": ORG_ID,
        "submitted_at": pa.Column(pd.DatetimeTZDtype(tz="Europe/London")),
        "level_now": LIKERT,
        "started_.+": pa.Column(bool, regex=True, required=False),
        "ventures_started": COUNT,
        "funding_band": pa.Column("string", nullable=True),  # codes from [options.funding_band]
    },
    unique=["org_id"],
    strict=True,
    coerce=True,
)

SCHEMAS = {
    "applicants": APPLICANTS,
    "member_surveys": MEMBER_SURVEYS,
    "roster": ROSTER,
    "workshop_attendance": WORKSHOP_ATTENDANCE,
    "comparison_survey": COMPARISON_SURVEY,
}


def empty(name: str) -> pd.DataFrame:
    """An empty table with the schema's fixed columns, for a year without that input."""
    cols = {
        c: pd.Series(dtype=str(col.dtype) if col.dtype else "object")
        for c, col in SCHEMAS[name].columns.items()
        if not col.regex
    }
    return pd.DataFrame(cols)


def validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate before writing; a failure is a bug or a broken export, reported in words."""
    leaked = PERSONAL_FIELDS & set(frame.columns)
    if leaked:
        raise IntakeError(f"internal check: personal field(s) {sorted(leaked)} reached the {name} table")
    try:
        return SCHEMAS[name].validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.head(5)
        detail = "; ".join(f"{r.column}: {r.check} failed for {r.failure_case!r}" for r in cases.itertuples())
        raise IntakeError(
            f"the {name} table failed its checks ({len(exc.failure_cases)} problem(s)): {detail}"
        ) from None
