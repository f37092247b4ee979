"""Which rows are one organisation: the normalised name, told apart by place, decided by staff.

Two different organisations can share a name ("Community Arts Centre" in Leeds and in Cardiff),
so a name seen in more than one postcode district is kept apart, one organisation per district,
never merged silently; rows of such a name without a postcode join the district whose email
domain they share. Staff decide in the settings (names as typed stay there, never in logs):

    [identity]
    merge = [["Old name", "New name"]]   # one organisation: every name is keyed as the first;
                                         # a name listed here is also one organisation across districts
    split = ["Community Arts Centre"]    # confirmed: several organisations, one per district

Every decision applied is counted in the quality log. Imports only the intake modules below it
(fields, names, quality) and `reference` (postcode districts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.intake.fields import blank_to_na
from analysis.intake.names import identity_settings, normalise_name
from analysis.intake.quality import TableLog
from analysis.reference import assign_geography

# Mailbox providers anyone can use: a shared one says nothing about which organisation wrote.
GENERIC_DOMAINS = frozenset(
    "gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com outlook.co.uk live.com live.co.uk "
    "yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com sky.com msn.com protonmail.com "
    "proton.me virginmedia.com talktalk.net".split()
)


@dataclass
class Decisions:
    """Staff decisions from [identity], as name keys."""

    merge_to: dict[str, str] = field(default_factory=dict)  # name key → the key it is one with
    one: set[str] = field(default_factory=set)  # keys that are one organisation across districts
    split: set[str] = field(default_factory=set)  # keys confirmed to be several organisations
    unused: list[str] = field(default_factory=list)  # "merge entry 2" etc. matching no row


def decisions(config) -> Decisions:
    """The [identity] merge and split lists, folded with the same normaliser as the names."""
    suffixes = identity_settings(config)[0]
    ident = config.section("identity")
    out = Decisions()
    for group in ident.get("merge", []):
        keys = [normalise_name(n, suffixes) for n in group]
        out.one.update(keys)
        for k in keys[1:]:
            out.merge_to[k] = keys[0]
    out.split = {normalise_name(n, suffixes) for n in ident.get("split", [])}
    return out


@dataclass
class Resolution:
    """Each row's identity key, and what staff may need to decide."""

    keys: pd.Series
    merged_rows: list[int] = field(default_factory=list)
    apart: dict[str, list[int]] = field(default_factory=dict)  # unconfirmed: name key → its rows
    confirmed_split: int = 0
    ambiguous: list[int] = field(default_factory=list)  # rows of a kept-apart name with no place


def email_domains(emails: pd.Series | None, index) -> pd.Series:
    """The part after "@", lower case; null for blanks, non-addresses and generic mailbox providers."""
    if emails is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    domain = blank_to_na(emails).str.strip().str.casefold().str.extract(r"@([^@\s]+)$", expand=False)
    return domain.astype("string").mask(domain.isin(GENERIC_DOMAINS))


def districts_of(postcodes: pd.Series | None, index) -> pd.Series:
    """The postcode district (LS1, CF10) where the postcode is a readable UK one, else null."""
    if postcodes is None:
        return pd.Series(pd.NA, index=index, dtype="string")
    geo = assign_geography(postcodes.astype("object"))
    geo.index = index
    readable = geo["status"].isin(["ok", "not_found", "outside_uk"])
    return geo["postcode_district"].astype("string").where(readable)


def resolve(
    names: pd.Series,
    config,
    *,
    postcodes: pd.Series | None = None,
    emails: pd.Series | None = None,
    tlog: TableLog | None = None,
) -> Resolution:
    """Identity keys for the rows: the name key, merged or told apart by district as set out above."""
    suffixes = identity_settings(config)[0]
    dec = decisions(config)
    text = blank_to_na(names)
    base = text.map(lambda n: normalise_name(n, suffixes), na_action="ignore").astype("string")
    keys = base.map(lambda k: dec.merge_to.get(k, k), na_action="ignore").astype("string")
    res = Resolution(keys=keys, merged_rows=[int(r) for r in base.index[(keys != base).fillna(False)]])
    district, domain = districts_of(postcodes, names.index), email_domains(emails, names.index)
    for k, rows in keys.groupby(keys, sort=True).groups.items():
        if k in dec.one or len(rows) < 2:
            continue
        places = district.loc[rows]
        no_place = pd.Series(places.isna().all(), index=rows)
        label = places if places.nunique() >= 2 else domain.loc[rows].where(no_place)
        if label.nunique() < 2:
            continue
        if k in dec.split:
            res.confirmed_split += 1
        else:
            res.apart[k] = [int(r) for r in rows]
        for row in rows:
            place = label.loc[row]
            if pd.isna(place):
                same = label[domain.loc[rows].eq(domain.loc[row]).fillna(False)].dropna().unique()
                place = same[0] if len(same) == 1 else pd.NA
            if pd.isna(place):
                res.ambiguous.append(int(row))
            else:
                keys.loc[row] = f"{k} @{place}"
    res.keys = keys
    if tlog is not None:
        _log(res, tlog)
    return res


def _log(res: Resolution, tlog: TableLog) -> None:
    """Counts only: the names themselves stay in the export and the settings."""
    tlog.correct("identity_merged", len(res.merged_rows), field="org_name")
    tlog.correct("identity_split_confirmed", res.confirmed_split, field="org_name")
    n = len(res.apart)
    tlog.correct(
        "same_name_other_place",
        n,
        f"{n} organisation name(s) appear with different postcode districts or email domains: kept "
        "apart as different organisations; confirm with [identity] split, or merge them"
        if n
        else None,
        field="org_name",
    )
    tlog.correct(
        "same_name_place_unknown",
        len(res.ambiguous),
        f"{len(res.ambiguous)} row(s) of a name kept apart by place give no postcode or shared email "
        "domain, so are keyed by the name alone"
        if res.ambiguous
        else None,
        field="org_name",
    )
