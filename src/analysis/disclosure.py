"""Statistical disclosure control for every published number.

STUB INTERFACE (being implemented): the class and function signatures below are the
contract other modules code against. Do not change existing names or fields; add freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SUPPRESSED = "[c]"        # confidential: suppressed to protect organisations
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"


class DisclosureError(ValueError):
    """An unprotected table was passed where only a protected one may go."""


@dataclass(frozen=True)
class DisclosureRules:
    min_count: int = 5
    zero_is_safe: bool = True
    money_min_contributors: int = 3
    dominance_n: int = 2
    dominance_k: float = 80.0
    rounding_base: int = 0

    @classmethod
    def from_config(cls, config) -> "DisclosureRules":
        d = config.section("disclosure") if hasattr(config, "section") else dict(config)
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def sentence(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class ProtectedTable:
    """A table that has passed disclosure control: the only kind charts and briefs accept."""

    display: pd.DataFrame      # as published: formatted strings, symbols for suppressed cells
    values: pd.DataFrame       # numbers as published; NaN where suppressed / not available
    status: pd.DataFrame       # per cell: 'safe', 'primary', 'secondary', 'zero', 'dominance', 'na', 'z'
    caption: str
    rule: str                  # the sentence saying which rule was applied
    kind: str = "count"        # 'count', 'money', 'share', 'rate', 'mean', 'probability', ...
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "ProtectedTable":
        raise NotImplementedError


def require_protected(obj: Any) -> ProtectedTable:
    if not isinstance(obj, ProtectedTable):
        raise DisclosureError(
            f"expected a ProtectedTable from analysis.disclosure, got {type(obj).__name__}: "
            "pass every published table through analysis.disclosure first"
        )
    return obj
