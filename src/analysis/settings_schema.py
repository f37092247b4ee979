"""The one schema every settings file is checked against before anything runs.

The merged settings (defaults.toml with the year's file on top) are validated here once, so a
wrong type or value stops the run with every problem listed in words (file, key, value, what is
allowed) instead of a Python error deep inside a notebook. Validation never rewrites the values:
the settings that are hashed and logged are exactly what the files say.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Whole numbers where counts are meant: strict, so 3.7, "5" and true are refused, never rounded.
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]
Year = Annotated[int, Field(strict=True, ge=2000, le=2100)]
Level = Annotated[int, Field(strict=True, ge=1, le=5)]
Number = Annotated[float, Field(strict=True)]  # strict float still takes whole numbers
Share = Annotated[float, Field(strict=True, gt=0, lt=1)]
Text = Annotated[str, Field(strict=True)]
NonEmpty = Annotated[str, Field(strict=True, min_length=1)]
Flag = Annotated[bool, Field(strict=True)]
YearFiles = dict[Annotated[str, Field(pattern=r"^\d{4}$")], NonEmpty]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


InputName = Literal["callout", "member_survey", "workshops", "roster", "comparison_survey"]


class DateFormats(_Section):
    """One input's own formats, when its export differs from `[inputs]`'s."""

    timestamp_format: NonEmpty | None = None
    date_format: NonEmpty | None = None


class Exclusion(_Section):
    """One response staff exclude (a test row): by row, row and timestamp, or a name pattern."""

    input: InputName
    row: Annotated[int, Field(strict=True, ge=2)] | None = None
    timestamp: NonEmpty | None = None
    name_contains: NonEmpty | None = None
    reason: NonEmpty = "excluded in the settings"

    @model_validator(mode="after")
    def _says_which(self):
        if self.row is None and self.timestamp is None and self.name_contains is None:
            raise ValueError("a rule needs row, timestamp or name_contains")
        return self


class Inputs(_Section):
    callout: NonEmpty
    member_surveys: YearFiles = {}
    workshops: YearFiles = {}
    rosters: YearFiles = {}
    comparison_survey: NonEmpty | None = None  # the follow-up of applicants not drawn (2026)
    encoding_fallback: NonEmpty = "cp1252"
    timestamp_format: NonEmpty = "%d/%m/%Y %H:%M:%S"
    date_format: NonEmpty = "%d/%m/%Y"
    timezone: NonEmpty = "Europe/London"
    no_parent_answers: list[Text] = []
    # Columns of an export that no analysis reads, per input (`cip-analysis check` suggests them).
    ignore_columns: dict[InputName, list[NonEmpty]] = {}
    formats: dict[InputName, DateFormats] = {}  # per input, over timestamp_format / date_format
    max_unusable_share: Share = 0.05  # a field with more unusable answers stops the run
    max_count: Annotated[int, Field(strict=True, ge=1)] = 1_000_000
    max_money_gbp: Annotated[int, Field(strict=True, ge=1)] = 1_000_000_000
    max_value: dict[NonEmpty, Annotated[int, Field(strict=True, ge=1)]] = {}  # per field
    exclude_responses: list[Exclusion] = []
    # The sheet to read when a workbook export holds several response-like sheets, per input.
    sheets: dict[InputName, NonEmpty] = {}


class Pseudonym(_Section):
    sample_key: Annotated[str, Field(strict=True, min_length=16)]
    env_var: Annotated[str, Field(strict=True, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] = "CIP_PSEUDONYM_KEY"
    secrets_file: NonEmpty = "config/secrets.toml"


class Identity(_Section):
    """Who is who: the name normaliser's legal-form words, "no parent body" patterns, staff decisions."""

    suffixes: list[NonEmpty] = []
    no_parent_patterns: list[NonEmpty] = []
    merge: list[Annotated[list[NonEmpty], Field(min_length=1)]] = []
    split: list[NonEmpty] = []


class Roster(_Section):
    """Staff confirmations (organisation names as typed) that let a run go on past a roster mismatch."""

    confirmed_outside_draw: list[NonEmpty] = []
    confirmed_not_on_roster: list[NonEmpty] = []


class Mapping(_Section):
    callout: dict[str, NonEmpty]
    member_survey: dict[str, NonEmpty] = {}
    workshops: dict[str, NonEmpty] = {}
    roster: dict[str, NonEmpty] = {}
    comparison_survey: dict[str, NonEmpty] = {}


class Scales(_Section):
    likert_min: Count = 1
    likert_max: Positive = 5
    level_min: Count = 1
    level_max: Positive = 5


class Disclosure(_Section):
    min_count: Annotated[int, Field(strict=True, ge=3)] = 5
    zero_is_safe: Flag = True
    money_min_contributors: Positive = 3
    dominance_n: Positive = 2
    dominance_k: Annotated[float, Field(strict=True, gt=0, le=100)] = 80
    rounding_base: Count = 0
    protection_percent: Annotated[float, Field(strict=True, gt=0)] = 100
    joint_rounds: Count = 3  # rounds of joint protection over the whole publication before stopping


class Ambition(_Section):
    high_min_gap: Positive = 2
    high_one_step_from: list[Level] = [1, 2]
    medium_min_gap: Positive = 1


class Readiness(_Section):
    alpha_flag_below: Annotated[float, Field(strict=True, ge=0, le=1)] = 0.7
    alpha_ci_level: Share = 0.95
    bootstrap_resamples: Positive = 2000
    bootstrap_seed: Count = 20240101
    change_ci_level: Share = 0.95
    merge_org_types_below: Count = 5
    nation_groups: dict[str, NonEmpty] = {}
    ambition: Ambition = Ambition()


class Eligibility(_Section):
    unverified_postcode: Literal["stated_region", "exclude", "own_group"] = "stated_region"
    require_commitment: Literal["yes", "no", "unsure"] = "yes"
    min_level_gap: Count = 1


class Selection(_Section):
    draw_year: Year = 2024
    panel_size: Annotated[int, Field(strict=True, ge=6, le=12)]
    algorithm: Literal["nash", "leximin"] = "nash"
    solver_backend: Literal["highspy", "mip", "mip-cbc", "mip-highs", "mip-gurobi"] = (
        "highspy"  # the library's
    )
    panels: Positive = 1000
    seed: Positive
    drawn_panel: Count = 0
    max_per_region: Positive = 2
    min_per_nation: Count = 1
    min_high_ambition: Count = 0
    max_per_parent_body: Literal[1] = 1
    reserve_rule: NonEmpty
    max_rounding_shift: Annotated[float, Field(strict=True, ge=0, le=1)] = 0.01
    probability_tolerance: Annotated[float, Field(strict=True, gt=0)] = 1e-6
    stability_check: Flag = True
    stability_tolerance: Annotated[float, Field(strict=True, gt=0)] = 1e-3
    initial_rounds_per_applicant: Annotated[float, Field(strict=True, gt=0)] = 1.0
    nash_method: Literal["auto", "library", "types"] = "types"
    library_max_pool: Positive = 300
    eligibility: Eligibility = Eligibility()


class Outcomes(_Section):
    baseline_year: Year = 2024
    commitment_years: list[Year] = [2024, 2025, 2026]
    summary_year: Year = 2026
    benefit_bands: dict[str, list[Level]] = {}


class BriefFigures(_Section):
    geography: list[NonEmpty] = []
    readiness: list[NonEmpty] = []
    selection: list[NonEmpty] = []
    outcomes: list[NonEmpty] = []


class CostLine(_Section):
    """What the network costs, for page 1: one line of the budget and where the figure comes from."""

    item: NonEmpty
    amount_gbp: Count
    source: NonEmpty


# The evidence sentences `analysis.asks` can compute (its EVIDENCE keys; a test keeps them equal).
EvidenceKey = Literal[
    "reach", "budget", "ambition", "level_change", "devolved_budget", "joint_bids", "three_year", "lottery"
]


class AskSetting(_Section):
    """One ask on page 1: the body, the action and its scale are policy; the evidence is computed."""

    who: NonEmpty
    what: NonEmpty
    scale: NonEmpty
    evidence: EvidenceKey


class Brief(_Section):
    organisation: NonEmpty
    contact: Text = ""
    # Where readers write: an email address or an https:// page, linked wherever the contact is shown.
    contact_address: Annotated[
        str, Field(strict=True, pattern=r"^(https://\S+|[^@\s]+@[^@\s]+\.[^@\s]+)$")
    ] = "https://www.citizensinpower.org.uk/contact"
    title: NonEmpty
    figures: BriefFigures = BriefFigures()
    costs: list[CostLine] = []
    asks: list[AskSetting] = []


class Publication(_Section):
    """The brief's dates (a year's file), so a rerun on another day gives the same text."""

    release_date: date | None = None
    next_update: Text = ""
    revision_notes: list[NonEmpty] = []


class Settings(_Section):
    """The whole of one year's resolved settings."""

    year: Year
    inputs: Inputs
    pseudonym: Pseudonym
    identity: Identity = Identity()
    roster: Roster = Roster()
    mapping: Mapping
    options: dict[
        str, dict[str, Annotated[str, Field(strict=True)] | Annotated[int, Field(strict=True)] | Flag]
    ]
    scales: Scales = Scales()
    disclosure: Disclosure
    readiness: Readiness = Readiness()
    selection: Selection
    outcomes: Outcomes = Outcomes()
    brief: Brief
    publication: Publication = Publication()


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The section model that holds the key at `loc` (to suggest a known key)."""
    model: Any = Settings
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _allowed(err: dict) -> str:
    """What the setting may be, in words."""
    kind, ctx = err["type"], err.get("ctx", {})
    words = {
        "int_type": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "string_type": "text in quotes",
        "bool_type": "true or false",
        "list_type": "a list in [ ]",
        "dict_type": "a table of keys and values",
        "model_type": "a table of keys and values",
        "missing": "a value: the setting is required",
        "string_too_short": f"text of at least {ctx.get('min_length')} characters",
        "string_pattern_mismatch": f"text matching {ctx.get('pattern')}",
        "greater_than_equal": f"a number of at least {ctx.get('ge')}",
        "greater_than": f"a number above {ctx.get('gt')}",
        "less_than_equal": f"a number of at most {ctx.get('le')}",
        "less_than": f"a number below {ctx.get('lt')}",
        "literal_error": f"one of {ctx.get('expected')}",
        "date_type": "a date written as 2025-12-04 (no quotes)",
    }
    if err["loc"][0] == "options" and len(err["loc"]) > 2:
        return "text, a whole number or true/false"
    if kind == "int_type" and isinstance(err.get("input"), float):
        return "a whole number (no decimal point)"
    return words.get(kind, err["msg"])


def _value(data: Any, loc: tuple) -> str:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return "(not set)"
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."


def _source(key: str, year_data: dict) -> str:
    """The file a key came from: the year's file when it sets the key, else the defaults."""
    node: Any = year_data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return "defaults"
        node = node[part]
    return "year"


def problems(merged: dict, year_data: dict, year_file: Path, defaults_file: Path) -> list[str]:
    """Every problem with the merged settings, one plain sentence each (empty when valid)."""
    try:
        Settings.model_validate(merged)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        return []
    lines = []
    seen = set()
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in {"str", "int", "bool"}))
        loc = tuple(
            p for p in loc if not (isinstance(p, str) and p.startswith(("constrained-", "function-")))
        )
        key = ".".join(str(p) for p in loc)
        if key in seen:  # a union reports one error per alternative; one line is enough
            continue
        seen.add(key)
        where = year_file if _source(key, year_data) == "year" else defaults_file
        if err["type"] == "extra_forbidden":
            model = _model_at(loc)
            known = list(model.model_fields) if model else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            lines.append(f"{where}: unknown setting {key} = {_value(merged, loc)}; {hint}")
        else:
            lines.append(f"{where}: {key} is {_value(merged, loc)}; it must be {_allowed(err)}")
    return lines
