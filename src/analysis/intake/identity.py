"""Who answered: one organisation however it spells its name, and its latest answer.

Respondents could amend their answers after submitting, and some submitted twice: the latest
submission per organisation stands, and every superseded row is logged with the row that
replaced it. Imports only the intake modules below it (fields, names, quality).
"""

from __future__ import annotations

import pandas as pd

from analysis.intake.fields import blank_to_na
from analysis.intake.names import identity_settings, means_no_parent, normalise_name
from analysis.intake.quality import TableLog

__all__ = ["normalise_name"]  # the one normaliser lives in `names`; kept importable from here


def reject_blank_names(frame: pd.DataFrame, tlog: TableLog) -> pd.Series:
    """A row without an organisation name belongs to nobody: rejected, with its row number."""
    blank = blank_to_na(frame["org_name"]).isna()
    for row in blank[blank].index:
        tlog.reject(row, "blank organisation name")
    tlog.correct("blank_org_name", int(blank.sum()))
    return blank


def latest_per_org(frame: pd.DataFrame, keep: pd.Series, tlog: TableLog, by=("org_id",)) -> pd.DataFrame:
    """Respondents could amend answers: the latest submission stands, earlier ones are logged."""
    live = frame[keep].sort_values(["submitted_at"], kind="stable")
    latest = live.groupby(list(by), sort=False).tail(1)
    superseded = live.drop(index=latest.index)
    replaced_by = latest.reset_index().set_index(list(by))["row"]
    for row, rec in superseded.iterrows():
        key = tuple(rec[b] for b in by)
        tlog.superseded_rows.append(
            {
                "row": int(row),
                "org_id": str(rec["org_id"]),
                "replaced_by_row": int(replaced_by.loc[key if len(by) > 1 else key[0]]),
            }
        )
    tlog.correct("superseded", len(superseded))
    counts = live.groupby(list(by), sort=False).size().rename("n_submissions")
    latest = latest.join(counts, on=list(by))
    return latest.sort_index()


def parent_or_na(parent: pd.Series, config, tlog: TableLog | None = None) -> pd.Series:
    """'No', 'None', 'Independent charity' answer the parent-body question; they are not one shared parent.

    The answers and patterns are settings ([inputs] no_parent_answers, [identity]
    no_parent_patterns); how many answers meant "none" is counted.
    """
    _, patterns, answers = identity_settings(config)
    text = blank_to_na(parent)
    none = text.map(lambda t: pd.notna(t) and means_no_parent(t, patterns, answers), na_action=None)
    none = none.astype(bool)
    if tlog is not None:
        tlog.correct("parent_body_none", int(none.sum()), field="parent_body")
    return text.mask(none)


def organisation_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Pseudonym → name (and parent body) for the restricted folder, never for data/processed."""
    cols = ["org_id", "org_name"] + (["parent_body"] if "parent_body" in frame else [])
    return frame[cols].reset_index(drop=True)
