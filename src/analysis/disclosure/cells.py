"""Cells of a protected table: the status vocabulary, published values, display text, JSON-safe labels.

Imports `analysis.text` only.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.text import STATUS_SYMBOLS, format_value

STATUSES = ("safe", "primary", "secondary", "zero", "dominance", "na", "z")
HIDDEN_STATUSES = frozenset({"primary", "secondary", "dominance"})

# Frames that survive JSON


def _py(v: Any) -> Any:
    """A JSON-safe Python scalar (numpy scalars to int/float/bool/str)."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def labels_to_json(index: pd.Index) -> dict[str, Any]:
    if isinstance(index, pd.MultiIndex):
        return {"labels": [[_py(v) for v in t] for t in index], "names": list(index.names), "multi": True}
    return {"labels": [_py(v) for v in index], "names": [index.name], "multi": False}


def labels_from_json(d: dict[str, Any]) -> pd.Index:
    if d.get("multi"):
        return pd.MultiIndex.from_tuples([tuple(t) for t in d["labels"]], names=d["names"])
    return pd.Index(list(d["labels"]), name=d["names"][0], dtype=object)


def _norm_index(index: pd.Index) -> pd.Index:
    """Plain object-dtype labels so a table survives a JSON round trip unchanged."""
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(_py(v) for v in t) for t in index], names=index.names)
    return pd.Index([_py(v) for v in index], name=index.name, dtype=object)


def normalise_frame(frame: pd.DataFrame, dtype: Any) -> pd.DataFrame:
    return pd.DataFrame(
        frame.to_numpy(dtype=dtype, copy=True),
        index=_norm_index(frame.index),
        columns=_norm_index(frame.columns),
    )


def label_text(v: Any) -> str:
    if isinstance(v, tuple):
        return " – ".join(map(str, v))
    return str(v)


def published(values: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Values with every hidden / not-available / not-applicable cell blanked."""
    keep = ~status.isin(HIDDEN_STATUSES | {"na", "z"})
    return values.astype(float).where(keep)


def display_cells(
    values: pd.DataFrame,
    status: pd.DataFrame,
    kind: str,
    decimals: int | Mapping[str, int | None] | None = None,
    column_kinds: Mapping[Hashable, str] | None = None,
) -> pd.DataFrame:
    """Each cell as published: its status symbol ([c], [x], [z]) or its value in `analysis.text` form.

    `column_kinds` gives columns of another kind than `kind`; `decimals` is a number of
    places, or places by kind.
    """
    kinds = [(column_kinds or {}).get(c, kind) for c in values.columns]
    out = np.empty(values.shape, dtype=object)
    for (i, j), st in np.ndenumerate(status.to_numpy()):
        k = kinds[j]
        places = decimals.get(k) if isinstance(decimals, Mapping) else decimals
        out[i, j] = STATUS_SYMBOLS.get(st) or format_value(values.iat[i, j], k, decimals=places)
    return pd.DataFrame(out, index=values.index, columns=values.columns)
