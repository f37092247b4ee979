"""`check`'s who-is-who findings: namesakes, parent-body groups, unverified postcodes, roster mismatches.

These are the questions only staff can answer (is this one organisation or two; is this member
really outside the draw), so each finding says which setting records the answer. Like the rest
of `check`, nothing typed by a respondent is printed: rows, counts and the normalised parent-body
keys (organisation names, shown to staff so the groups can be confirmed before a draw). The
drawn panel and reserves are read from the draw year's audit pack (pseudonyms) when it exists.
Imports only the intake modules below it, `paths` and `reference`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.intake.fields import blank_to_na, fold
from analysis.intake.identity import parent_or_na
from analysis.intake.names import identity_settings, normalise_name
from analysis.intake.orgkeys import resolve
from analysis.intake.pseudonym import pseudonymise_keys, resolve_key
from analysis.intake.quality import IntakeError
from analysis.intake.read import read_export
from analysis.intake.roster import undated_repeats
from analysis.reference import assign_geography

MAX_GROUPS_SHOWN = 12


def mapped(path: Path, table: str, config, renames: dict[str, str]) -> pd.DataFrame | None:
    """The export with its questions renamed to fields (configured or suggested); None if unreadable."""
    mapping = {fold(q): f for q, f in config["mapping"].get(table, {}).items()}
    mapping.update({fold(q): f for q, f in renames.items()})
    try:
        frame, _ = read_export(path, config=config, expected_headers=set(mapping))
    except (IntakeError, OSError):
        return None  # `check` already reports why the file cannot be read
    columns = {}
    for col in frame.columns:
        fld = mapping.get(fold(col))
        if fld and fld not in columns.values():
            columns[col] = fld
    return frame[list(columns)].rename(columns=columns)


def _col(frame: pd.DataFrame, name: str) -> pd.Series | None:
    return frame[name] if name in frame else None


def identity_findings(config, raw_root, inputs, renames, add, reports_root=None, key=None) -> None:
    """Every who-is-who finding of the year's inputs ((label, settings table, path) each)."""
    frames = []
    for label, table, rel in inputs:
        frame = mapped(Path(raw_root) / rel, table, config, renames.get(table, {}))
        if frame is None:
            continue
        if table == "callout":
            check_callout(frame, str(rel), config, add)
        frames.append((str(rel), table, label.rpartition("/")[2], frame))
    check_members(frames, config, raw_root, reports_root, add, key)


def check_callout(frame: pd.DataFrame, label: str, config, add) -> None:
    """Namesakes by place, staff decisions, parent-body groups and postcodes to follow up."""
    if "org_name" not in frame:
        return
    res = resolve(frame["org_name"], config, postcodes=_col(frame, "postcode"), emails=_col(frame, "email"))
    for rows in res.apart.values():
        add(
            label,
            "org_name",
            f"one organisation name appears with {len(set(res.keys.loc[rows]))} different postcode districts "
            "or email domains: kept apart as different organisations, not merged; decide with "
            "[identity] split (several organisations) or merge (one) (lines below)",
            rows,
            True,
        )
        add.hint(
            "# [identity] the same name in different places (name exactly as typed in the export):\n"
            f'#   split = ["<the organisation name in row {rows[0]}>"]    # several organisations\n'
            f'#   merge = [["<the organisation name in row {rows[0]}>"]]  # one organisation'
        )
    if res.ambiguous:
        add(
            label,
            "org_name",
            f"{len(res.ambiguous)} row(s) of a name kept apart by place have no postcode or shared email "
            "domain: keyed by the name alone",
            res.ambiguous,
            True,
        )
    if res.merged_rows:
        add(
            label,
            "org_name",
            f"{len(res.merged_rows)} row(s) merged by [identity] merge",
            res.merged_rows,
            False,
        )
    _unused_decisions(frame["org_name"], config, label, add)
    if "parent_body" in frame:
        _parent_groups(frame, res.keys, config, label, add)
    if "postcode" in frame:
        _unverified_postcodes(frame, label, add)


def _unused_decisions(names: pd.Series, config, label: str, add) -> None:
    suffixes = identity_settings(config)[0]
    present = set(blank_to_na(names).dropna().map(lambda n: normalise_name(n, suffixes)))
    ident = config.section("identity")
    entries = [(f"merge entry {i}", g) for i, g in enumerate(ident.get("merge", []), 1)]
    entries += [(f"split entry {i}", [n]) for i, n in enumerate(ident.get("split", []), 1)]
    for what, group in entries:
        missing = sum(normalise_name(n, suffixes) not in present for n in group)
        if missing:
            add(
                label,
                "org_name",
                f"[identity] {what}: {missing} name(s) match no organisation here",
                [],
                False,
            )


def _parent_groups(frame: pd.DataFrame, org_keys: pd.Series, config, label: str, add) -> None:
    """The parent-body groups the draw will use: at most one member from each shared group."""
    suffixes = identity_settings(config)[0]
    typed = blank_to_na(frame["parent_body"])
    parent = parent_or_na(frame["parent_body"], config)
    keys = parent.map(lambda p: normalise_name(p, suffixes), na_action="ignore")
    per_org = pd.DataFrame({"org": org_keys, "parent": keys}).dropna().drop_duplicates("org", keep="last")
    sizes = per_org["parent"].value_counts()
    shared = sizes[sizes >= 2].sort_index()
    in_shared = keys.isin(shared.index) & org_keys.notna()
    n_none = int((typed.notna() & parent.isna()).sum())
    shown = "; ".join(f"{k} ({n})" for k, n in shared.head(MAX_GROUPS_SHOWN).items())
    more = f"; and {len(shared) - MAX_GROUPS_SHOWN} more" if len(shared) > MAX_GROUPS_SHOWN else ""
    add(
        label,
        "parent_body",
        f"parent-body groups the draw will use (at most one member from each): {len(shared)} shared by "
        f"two or more applicants{': ' + shown + more if shown else ''}; {int((sizes == 1).sum())} named by one "
        f"applicant; {n_none} answer(s) read as no parent body ([identity] no_parent_patterns). "
        "Confirm these before a draw",
        [int(r) for r in in_shared[in_shared].index],
        False,
    )


def _unverified_postcodes(frame: pd.DataFrame, label: str, add) -> None:
    geo = assign_geography(frame["postcode"].astype("object"))
    geo.index = frame.index
    stated = blank_to_na(frame["region_stated"]) if "region_stated" in frame else None
    named = blank_to_na(frame["org_name"]).notna() if "org_name" in frame else True
    unverified = geo["status"].isin(["invalid", "not_found", "missing"]) & named
    if not unverified.any():
        return
    rows = [int(r) for r in unverified[unverified].index]
    placed = "" if stated is None else f" ({int((unverified & stated.notna()).sum())} stated a region)"
    add(
        label,
        "postcode",
        f"{len(rows)} response(s) give a postcode that cannot be verified{placed}: follow them up; "
        "if unresolved they take part in the draw under the region they stated, and the audit pack "
        "lists them",
        rows,
        False,
    )


def check_members(
    inputs: list[tuple[str, str, str, pd.DataFrame]], config, raw_root, reports_root, add, key=None
) -> None:
    """Survey returns from organisations not on that year's roster; roster members outside the draw."""
    suffixes = identity_settings(config)[0]
    roster_cfg = config.section("roster")
    not_on_roster_ok = {normalise_name(n, suffixes) for n in roster_cfg.get("confirmed_not_on_roster", [])}
    outside_ok = {normalise_name(n, suffixes) for n in roster_cfg.get("confirmed_outside_draw", [])}
    keyed = {}
    for label, table, year, frame in inputs:
        if "org_name" in frame:
            keyed[(table, year)] = (label, resolve(frame["org_name"], config).keys, frame)
    for (table, year), (label, keys, frame) in keyed.items():
        if table == "roster":
            undated = undated_repeats(keys, *(_dates(frame, c, config) for c in ("joined", "left")))
            if undated:
                add(
                    label,
                    "status",
                    f"{len(undated)} row(s) list an organisation again without a date: "
                    "the later row is taken to stand",
                    undated,
                    False,
                )
        if table != "member_survey" or ("roster", year) not in keyed:
            continue
        roster = set(keyed[("roster", year)][1].dropna())
        stray = keys.notna() & ~keys.isin(roster) & ~keys.isin(not_on_roster_ok)
        if stray.any():
            add(
                label,
                "org_name",
                f"{int(stray.sum())} survey return(s) come from organisations not on the "
                f"{year} roster: check the name's spelling, or confirm each with [roster] "
                "confirmed_not_on_roster",
                [int(r) for r in stray[stray].index],
                True,
            )
    rosters = [(label, keys) for (table, _), (label, keys, _) in keyed.items() if table == "roster"]
    if rosters:
        _outside_draw(rosters, outside_ok, config, raw_root, reports_root, add, key)


def _dates(frame: pd.DataFrame, col: str, config) -> pd.Series:
    fmt = config.section("inputs").get("date_format", "%d/%m/%Y")
    src = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    return pd.to_datetime(blank_to_na(src), format=fmt, errors="coerce")


def _outside_draw(rosters, confirmed: set[str], config, raw_root, reports_root, add, key=None) -> None:
    draw_year = config.section("selection").get("draw_year", config.year)
    pack = paths.audit_pack_dir(Path(reports_root or paths.REPORTS_DIR) / str(draw_year))
    label = rosters[0][0]
    try:
        drawn = pd.read_csv(pack / "drawn-panel.csv", dtype=str)["org_id"]
        reserves = pd.read_csv(pack / "reserves.csv", dtype=str)["org_id"]
    except (OSError, KeyError, pd.errors.ParserError):
        add(
            label,
            "(file)",
            f"no {draw_year} selection audit pack beside the reports: the roster is "
            "compared with the drawn panel once the draw year has run",
            [],
            False,
        )
        return
    try:
        sample = Path(raw_root).resolve() == paths.SAMPLE_RAW_DIR.resolve()
        key = key or resolve_key(config, synthetic=sample)
    except IntakeError:
        add(
            label, "(file)", "no pseudonym key: the roster cannot be compared with the drawn panel", [], False
        )
        return
    allowed = set(drawn) | set(reserves)
    for roster_label, keys in rosters:
        ids = pseudonymise_keys(keys, key)
        outside = ids.notna() & ~ids.isin(allowed) & ~keys.isin(confirmed)
        if outside.any():
            add(
                roster_label,
                "org_name",
                f"{int(outside.sum())} roster member(s) are neither in the {draw_year} "
                "drawn panel nor among its reserves: check the name's spelling (or rerun the draw year if "
                "its audit pack is out of date), or confirm each with [roster] confirmed_outside_draw",
                [int(r) for r in outside[outside].index],
                True,
            )
