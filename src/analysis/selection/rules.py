"""The selection rules, read from the year's config and fixed before the draw.

Everything that decides who can be chosen and how lives in `[selection]` and
`[selection.eligibility]`; this module turns it into typed values, refuses settings that would
make the draw unfair or irreproducible, and fingerprints the section so the audit pack can prove
which rules were used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from analysis.reference import NATION_ORDER

ALGORITHMS = ("nash", "leximin")
NATIONS = NATION_ORDER
UNVERIFIED = "Unverified"  # stratum for unverified postcodes when unverified_postcode = "own_group"


class SelectionError(ValueError):
    """The selection cannot go ahead; the message says why in plain English and what to change."""


@dataclass(frozen=True)
class EligibilityRules:
    unverified_postcode: str = "stated_region"
    require_commitment: str = "yes"
    min_level_gap: int = 1


@dataclass(frozen=True)
class SelectionRules:
    panel_size: int
    algorithm: str
    panels: int
    seed: int
    drawn_panel: int
    max_per_region: int
    min_per_nation: int
    min_high_ambition: int
    max_per_parent_body: int
    reserve_rule: str
    eligibility: EligibilityRules
    draw_year: int = 2024
    solver_backend: str = "highspy"
    max_rounding_shift: float = 0.01
    probability_tolerance: float = 1e-6
    stability_check: bool = True
    stability_tolerance: float = 1e-3
    initial_rounds_per_applicant: float = 1.0
    nash_method: str = "types"  # "types": exact Nash over exchangeable applicants; "library":
    # sortition-algorithms per applicant (the cross-check); "auto": the library up to library_max_pool
    library_max_pool: int = 300  # eligible applicants; above this "auto" computes over types

    @classmethod
    def from_config(cls, config: Any) -> SelectionRules:
        """Read and check `[selection]`; raise SelectionError for settings we refuse to run."""
        section = selection_section(config)
        elig = EligibilityRules(
            **{
                k: section.get("eligibility", {})[k]
                for k in EligibilityRules.__dataclass_fields__
                if k in section.get("eligibility", {})
            }
        )
        fields = {k: section[k] for k in cls.__dataclass_fields__ if k in section and k != "eligibility"}
        rules = cls(eligibility=elig, **fields)
        rules.check()
        return rules

    def method_for(self, pool_size: int) -> str:
        """The Nash computation actually used: the library for the pools it handles in seconds,
        the exact type reduction above that. Recorded in the audit pack, never switched silently."""
        if self.nash_method != "auto":
            return self.nash_method
        return "library" if pool_size <= self.library_max_pool else "types"

    def check(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise SelectionError(
                f"selection.algorithm is {self.algorithm!r}; use 'nash' (the default) or 'leximin' "
                "(needs a Gurobi licence). 'maximin' and 'legacy' are refused: their chances are "
                "not unique or not fair enough to publish as anyone's chance."
            )
        if self.nash_method not in ("auto", "types", "library"):
            raise SelectionError(
                f"selection.nash_method is {self.nash_method!r}; use 'auto' (the default), "
                "'library' (sortition-algorithms per applicant) or 'types' (exact Nash over "
                "exchangeable applicants, fast for large pools)"
            )
        if not 6 <= int(self.panel_size) <= 12:
            raise SelectionError(f"selection.panel_size must be from 6 to 12, not {self.panel_size}")
        if not self.seed:
            raise SelectionError(
                "selection.seed must be a pre-committed whole number other than 0 "
                "(the library treats 0 as 'not reproducible')"
            )
        if not 0 <= int(self.drawn_panel) <= int(self.panels):
            raise SelectionError(
                f"selection.drawn_panel must be 0 (derive it from the seed) or 1-{self.panels}, "
                f"not {self.drawn_panel}"
            )
        if self.max_per_parent_body != 1:
            raise SelectionError(
                "selection.max_per_parent_body must be 1: the library can enforce 'at most one "
                "organisation per parent body' but not a larger number"
            )

    def stratum_note(self) -> str:
        how = self.eligibility.unverified_postcode
        if how == "stated_region":
            return (
                "Applicants whose postcode could not be verified took part under the region they "
                "stated on the form; the audit pack lists them. Organisations that declined "
                "research use of their answers still took part in the draw."
            )
        if how == "exclude":
            return (
                "Applicants whose postcode could not be verified are not eligible, because the "
                "quotas use only the region and nation found from the postcode."
            )
        return (
            "Applicants whose postcode could not be verified are eligible but form their own "
            f"'{UNVERIFIED}' group: no seat is guaranteed to it and it is capped like a region."
        )


def selection_section(config: Any) -> dict[str, Any]:
    """The `[selection]` section as a plain dict, from a Config or a dict."""
    if hasattr(config, "section"):
        return config.section("selection")
    return dict(config.get("selection", config))


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=2, default=str) + "\n"


def config_fingerprint(config: Any) -> str:
    """sha256 of the canonical JSON of `[selection]` (the rules fixed before the draw)."""
    return hashlib.sha256(canonical_json(selection_section(config)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Quota:
    feature: str  # 'nation', 'region', 'ambition'
    value: str  # e.g. 'Wales', 'E12000007', 'high'
    label: str  # plain name for people, e.g. 'London', 'the high-ambition band'
    min: int
    max: int
    why: str  # which rule set it

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": self.value, "min": self.min, "max": self.max}


def build_quotas(pool, rules: SelectionRules) -> list[Quota]:
    """Quotas over the eligible pool: nation minimums, region caps, the high-ambition minimum.

    `pool` has one row per eligible applicant with columns nation, region_code, region_name,
    ambition. Every value present in the pool gets a row (the library needs a value for each
    applicant); values absent from the pool get none, so 'at least one per nation' applies only
    to nations with eligible applicants.
    """
    k = rules.panel_size
    quotas: list[Quota] = []
    for nation in sorted(pool["nation"].unique()):
        minimum = 0 if nation == UNVERIFIED else rules.min_per_nation
        quotas.append(Quota("nation", nation, nation, minimum, k, "min_per_nation"))
    names = pool.drop_duplicates("region_code").set_index("region_code")["region_name"]
    for code in sorted(pool["region_code"].unique()):
        quotas.append(Quota("region", code, str(names[code]), 0, rules.max_per_region, "max_per_region"))
    for band in ("low", "medium", "high"):
        if (pool["ambition"] == band).any():
            minimum = rules.min_high_ambition if band == "high" else 0
            quotas.append(
                Quota("ambition", band, f"the {band}-ambition band", minimum, k, "min_high_ambition")
            )
    if not (pool["ambition"] == "high").any() and rules.min_high_ambition > 0:
        quotas.append(
            Quota(
                "ambition", "high", "the high-ambition band", rules.min_high_ambition, k, "min_high_ambition"
            )
        )
    return quotas
