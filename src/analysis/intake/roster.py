"""A roster's rows are dated events (joined, left, rejoined): the latest event stands, not the last row.

Staff add a row when a member leaves or rejoins, but not always at the bottom, so row order says
nothing. Each row's event date is the later of its joined and left dates; per organisation the
row with the latest event stands (undated rows count as earliest, ties keep the later row), and
every other row is logged as superseded by it. Imports only the intake modules below it (quality).
"""

from __future__ import annotations

import pandas as pd

from analysis.intake.quality import TableLog


def latest_event_per_org(
    org_ids: pd.Series, joined: pd.Series, left: pd.Series, keep: pd.Series, tlog: TableLog
) -> pd.Series:
    """Which rows stand (a boolean mask): one per organisation, the latest dated event."""
    event = pd.concat(
        [pd.to_datetime(joined, errors="coerce"), pd.to_datetime(left, errors="coerce")], axis=1
    ).max(axis=1)
    live = pd.DataFrame({"org_id": org_ids, "event": event, "at": org_ids.index})[keep]
    live.index.name = None
    ordered = live.sort_values(["event", "at"], na_position="first", kind="stable")
    stands = ordered.groupby("org_id", sort=False).tail(1)
    winner = stands.set_index("org_id")["at"]
    for row, rec in live.drop(index=stands.index).iterrows():
        tlog.superseded_rows.append(
            {"row": int(row), "org_id": str(rec["org_id"]), "replaced_by_row": int(winner[rec["org_id"]])}
        )
    last_rows = live.groupby("org_id", sort=False)["at"].max()
    moved = int((winner != last_rows.reindex(winner.index)).sum())
    tlog.correct("roster_latest_event_not_last_row", moved, field="status")
    tlog.correct(
        "roster_undated_repeat",
        int(live[live["event"].isna() & live["org_id"].duplicated(keep=False)].shape[0]),
        field="status",
    )
    return pd.Series(org_ids.index.isin(stands.index), index=org_ids.index) & keep


def undated_repeats(org_ids: pd.Series, joined: pd.Series, left: pd.Series) -> list[int]:
    """Rows of an organisation listed more than once that carry no date (their order is a guess)."""
    undated = pd.to_datetime(joined, errors="coerce").isna() & pd.to_datetime(left, errors="coerce").isna()
    repeated = org_ids.notna() & org_ids.duplicated(keep=False)
    return [int(r) for r in org_ids.index[undated & repeated]]
