"""The disclosure rules of a year: thresholds, the primary rule for counts, and their wording.

One place says what a small number is and how it reads ("[c]" in tables and sentences alike),
so tables, sentences and briefs apply the same rule in the same words. Imports only
`analysis.text` (the formatter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import text
from analysis.text import SUPPRESSED


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds from config [disclosure]; a year may tighten them, never loosen silently."""

    min_count: int = 5
    zero_is_safe: bool = True
    money_min_contributors: int = 3
    dominance_n: int = 2
    dominance_k: float = 80.0
    rounding_base: int = 0
    protection_percent: float = 100.0  # protection level of a hidden cell, % of its value
    # Cells the joint protection of the whole publication hides too (`disclosure.joint`), by
    # origin (`table.origin_id`): from the year's internal/joint-hides.json, never from settings.
    joint_hides: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if int(self.min_count) < 1:
            raise ValueError("disclosure.min_count must be at least 1")
        if int(self.money_min_contributors) < 1 or int(self.dominance_n) < 1:
            raise ValueError("disclosure money thresholds must be at least 1")
        if not 0 < float(self.dominance_k) <= 100:
            raise ValueError("disclosure.dominance_k must be a percentage in (0, 100]")
        if int(self.rounding_base) < 0:
            raise ValueError("disclosure.rounding_base must be 0 (off) or positive")
        if float(self.protection_percent) <= 0:
            raise ValueError("disclosure.protection_percent must be positive")

    @classmethod
    def from_config(cls, config) -> DisclosureRules:
        d = config.section("disclosure") if hasattr(config, "section") else dict(config)
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d and k != "joint_hides"})

    def sentence(self) -> str:
        """The rule as one plain-English sentence, printed in every brief and appendix."""
        zeros = "" if self.zero_is_safe else " (including zeros)"
        sentence = (
            f"To protect organisations, counts of {text.fewer_than(self.min_count)}{zeros} are shown "
            f"as {SUPPRESSED}, and further cells are hidden where they could be worked out from "
            f"totals; money figures are shown only where at least "
            f"{self.money_min_contributors} organisations contribute and the largest "
            f"{self.dominance_n} hold no more than {text.number(float(self.dominance_k))}% of "
            f"the total."
        )
        if self.rounding_base:
            sentence += (
                f" Counts are rounded to the nearest {self.rounding_base}, so totals may "
                f"not equal the sum of their parts."
            )
        return sentence

    def is_unsafe_count(self, n: float) -> bool:
        """The primary rule: a count of `n` organisations may not be published exactly."""
        if n == 0:
            return not self.zero_is_safe
        return n < self.min_count

    def protection_level(self, value: float) -> float:
        """How far an intruder's bounds must reach either side of a hidden value."""
        return max(1.0, math.ceil(abs(value) * float(self.protection_percent) / 100.0 - 1e-9))


def rule_sentence(rules: DisclosureRules) -> str:
    """The sentence every brief prints (see `DisclosureRules.sentence`)."""
    return rules.sentence()


def rounding_note(base: int) -> str:
    """The note a rounded table carries."""
    return (
        f"Counts are rounded to the nearest {base}; totals are rounded separately, so "
        f"they may not equal the sum of their parts."
    )


def round_counts(values: pd.DataFrame, base: int) -> pd.DataFrame:
    """Each published cell and total rounded on its own to the nearest `base` (half up)."""
    rounded = np.floor(values.to_numpy() / base + 0.5) * base
    return pd.DataFrame(rounded, index=values.index, columns=values.columns)
