"""Who answered: one organisation however it spells its name, and its latest answer.

Respondents could amend their answers after submitting, and some submitted twice: the latest
submission per organisation stands, and every superseded row is logged with the row that
replaced it. Imports only the intake modules below it (fields, quality).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from analysis.intake.fields import blank_to_na, fold
from analysis.intake.quality import TableLog

_PUNCT = re.compile(r"[^\w\s&]")
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Fold the spellings one organisation uses into one key: case, accents, spacing, punctuation."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = text.replace("’", "'").casefold()
    text = _PUNCT.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"^the ", "", text)


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


def last_row_per_org(frame: pd.DataFrame, keep: pd.Series, tlog: TableLog) -> pd.Series:
    """Undated lists (the roster): the last row of an organisation stands, earlier ones are logged."""
    dup = frame["org_id"].duplicated(keep="last") & keep
    for row in dup[dup].index:
        tlog.superseded_rows.append(
            {
                "row": int(row),
                "org_id": str(frame.at[row, "org_id"]),
                "replaced_by_row": int(frame.index[(frame["org_id"] == frame.at[row, "org_id"]) & keep][-1]),
            }
        )
    return keep & ~dup


def parent_or_na(parent: pd.Series, config) -> pd.Series:
    """'No', 'None', 'N/A' answer the parent-body question; they are not one shared parent."""
    negatives = {fold(v) for v in config.section("inputs").get("no_parent_answers", [])}
    text = blank_to_na(parent)
    return text.mask(text.map(lambda t: pd.notna(t) and fold(t) in negatives, na_action=None).astype(bool))


def organisation_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Pseudonym → name (and parent body) for the restricted folder, never for data/processed."""
    cols = ["org_id", "org_name"] + (["parent_body"] if "parent_body" in frame else [])
    return frame[cols].reset_index(drop=True)
