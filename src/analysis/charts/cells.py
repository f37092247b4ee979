"""What a chart reads from a protected table: the rows and columns it draws, numbers and their text.

Totals stay in the table only (they would dwarf the categories); an unpublished cell is drawn
as its symbol, never as a zero. Layer: present; imports `analysis.disclosure` and `analysis.text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure import ProtectedTable
from analysis.text import SUPPRESSED

TOTAL_LABELS = {"total", "all", "uk", "united kingdom", "all regions"}


def is_total(label, pt: ProtectedTable | None = None) -> bool:
    total = getattr(pt, "total_label", None)
    return (total is not None and str(label) == str(total)) or str(label).strip().lower() in TOTAL_LABELS


def drawn_rows(pt: ProtectedTable, drop_totals: bool = True) -> list:
    """Row labels to draw: totals would dwarf the categories, so they stay in the table only."""
    return [r for r in pt.values.index if not (drop_totals and is_total(r, pt))]


def drawn_cols(pt: ProtectedTable) -> list:
    return [c for c in pt.values.columns if not is_total(c, pt)]


def column_values(pt: ProtectedTable, column) -> tuple[pd.Series, pd.Series]:
    """Numbers (NaN where not published) and their published text for one column."""
    if column not in pt.values.columns:
        raise KeyError(f"column {column!r} is not in the table {pt.caption!r}: {list(pt.values.columns)}")
    values = pd.to_numeric(pt.values[column], errors="coerce").astype(float)
    shown = pt.display[column].astype(str) if column in pt.display.columns else values.map(str)
    return values, shown


def symbol_for(shown: str) -> str:
    """The symbol to print for an unpublished cell (`[c]` unless the table says otherwise)."""
    shown = str(shown).strip()
    return shown if shown.startswith("[") else SUPPRESSED


def percent_scale(values: pd.DataFrame) -> pd.DataFrame:
    """Shares may arrive as proportions (0-1) or percentages; draw percentages."""
    top = np.nanmax(values.to_numpy(dtype=float)) if values.size else 0
    return values * 100 if top <= 1.0 else values
