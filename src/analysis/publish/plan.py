"""A year's publication plan from its findings, audited with every other published year's plan.

`TABLES` says, once, what each published count table counts: the population (the same words a
reader sees: "the 146 UK-based organisations that agreed to research use" are one population
whichever appendix prints them) and what its rows and columns are. From it every count cell of
the year's tables and chart data becomes a key of `disclosure.plan.PublicationPlan`, with the
relations a reader can use: totals, UK → nations → regions and the merged nation groups of
the settings, a multi-year column that sums its years, a change that subtracts them. The run
saves the plan in `internal/plan.json` and stops when the audit over this year and every other
published year finds a hidden count a reader could work out. A count table without an entry
here stops the run too, so no new table skips the plan.

The counts sentences print (and the brief's intake paragraph, from the quality log) are added by
`publish.plan_facts`, the statistics, with their n and the counts they stand on, by
`publish.plan_stats`, the aims sentence, the three-year summary, like-for-like (†) changes and
workshop satisfaction by `publish.plan_sentences`, the selection's chances and quotas (bounds)
by `publish.plan_selection`, and the asks' evidence sentences by `publish.plan_asks`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis import asks as brief_asks
from analysis import paths, reference
from analysis.disclosure import DisclosureRules, ProtectedTable, statistics
from analysis.disclosure import plan as plan_module
from analysis.disclosure.cells import HIDDEN_STATUSES
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.publish import joint, plan_asks, plan_facts, plan_selection, plan_sentences, plan_stats
from analysis.publish.downloads import load_findings, published_tables
from analysis.text import SUPPRESSED

PLAN_FILE = "plan.json"
SELECTION_PACK = "selection"  # the public selection pack, beside the documents
CHECKED_FILE = "plan-checked.txt"  # the digest of the last whole publication that passed
UK_APPLICANTS = "UK-based applicants agreeing to research use"
COUNT_KINDS = ("count",)  # table kinds whose every cell is a count
_SPAN = re.compile(r"^(\d{4})\s*[–-]\s*(\d{4})$")
_CHANGE = re.compile(r"^Change since (\d{4})$")


class PlanError(ValueError):
    """The publication plan cannot be built or does not protect the publication.

    `proposal`: what the joint protection would hide to fix it (`publish.joint`), when it can.
    """

    def __init__(self, message: str, proposal=None):
        super().__init__(message)
        self.proposal = proposal


@dataclass(frozen=True)
class Spec:
    """What one table counts: `population`, the dimension its rows name, and its count columns.

    `columns` maps a column label to the dimensions it adds ({} = the population itself); a
    column not listed is not a count (a rate, a share, a population figure) unless `col_dim`
    is given, which names the dimension of every column. Rows labelled with the table's
    `total_label` (or "Total") are the population over all rows; `rows_add` and `cols_add`
    say whether the other rows (columns) add up to it. `years` marks year columns, so a span
    column ("2024–2026") is their sum and "Change since 2024" their difference. A population
    holding "{year}" describes one year's publication only (the 2025 benefits are not 2024's).
    """

    population: str
    row_dim: str
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    col_dim: str | None = None
    rows_add: bool = False
    cols_add: bool = False
    years: bool = False


def _uk(row_dim: str, **kw) -> Spec:
    return Spec(UK_APPLICANTS, row_dim, **kw)


_AREA = "area"
_APPLICANTS = {"applicants": {}, "Applicants": {}}
_BANDS = {"col_dim": "ambition band", "rows_add": True, "cols_add": True}
_SURVEY = "members' survey answers"

TABLES: dict[tuple[str, str], Spec] = {
    # geography: the callout's UK-based applicants (areas add up through `_area_relations`)
    ("geography", "by_region"): _uk(_AREA, columns=_APPLICANTS),
    ("geography", "by_nation"): _uk(_AREA, columns=_APPLICANTS),
    ("geography", "chart-applicants_per_million_map"): _uk(_AREA, columns=_APPLICANTS),
    ("geography", "chart-applicants_per_million_intervals"): _uk(_AREA, columns=_APPLICANTS),
    ("geography", "members_by_nation"): _uk(
        _AREA,
        columns={
            "Members": {"membership": "member in {year}"},
            "Other applicants": {"membership": "other in {year}"},
            "Total": {},
        },
        cols_add=True,
    ),
    ("geography", "by_deprivation"): Spec(
        UK_APPLICANTS + " with a local authority", "deprivation quintile", _APPLICANTS, rows_add=True
    ),
    ("geography", "by_rural_urban"): Spec(
        UK_APPLICANTS + " with a local authority", "urban/rural type", _APPLICANTS, rows_add=True
    ),
    ("geography", "location_checks"): Spec("callout location checks", "check", col_dim="count"),
    # readiness: the same organisations (`readiness.counts.research_sample`)
    ("readiness", "ambition_bands"): _uk("ambition band", columns=_APPLICANTS, rows_add=True),
    ("readiness", "commitment"): _uk("commitment", columns=_APPLICANTS, rows_add=True),
    ("readiness", "profile_nation"): _uk(_AREA, **_BANDS),
    ("readiness", "profile_org_type"): _uk("organisation type", **_BANDS),
    ("readiness", "profile_staff_band"): _uk("staff", **_BANDS),
    ("readiness", "readiness_answers"): Spec(
        "answers to the readiness statements", "statement", col_dim="answer", rows_add=True, cols_add=True
    ),
    ("readiness", "practices"): _uk("practice used", columns=_APPLICANTS),
    ("readiness", "practices_by_type"): _uk("organisation type", col_dim="practice used"),
    ("readiness", "chart-readiness_levels"): _uk(
        "participation level", columns={"Now": {"when": "now"}, "Aim for 2026": {"when": "aim for 2026"}}
    ),
    ("readiness", "chart-readiness_wants"): _uk("wants from the network", columns=_APPLICANTS),
    ("readiness", "aims"): Spec(
        "members' progress against their 2026 aim, {year}", "progress", col_dim="count", rows_add=True
    ),
    ("readiness", "change_counts_level_now"): Spec(
        "members' change on the participation spectrum, 2024 to {year}",
        "change",
        col_dim="count",
        rows_add=True,
    ),
    ("readiness", "change_counts_readiness_index"): Spec(
        "members' change on the readiness index, 2024 to {year}", "change", col_dim="count", rows_add=True
    ),
    # selection: every applicant the lottery considered
    ("selection", "eligibility"): Spec("lottery applicants", "eligibility", _APPLICANTS, rows_add=True),
    ("selection", "eligible_by_nation"): Spec(
        "lottery applicants", _AREA, {"Eligible applicants": {"eligibility": "eligible for the lottery"}}
    ),
    ("selection", "members_by_nation"): Spec("drawn panel", _AREA, {"Drawn by the lottery": {}}),
    # outcomes: members' survey returns, year by year
    ("outcomes", "returns"): Spec("members' survey returns", "measure", col_dim="year"),
    ("outcomes", "activity"): Spec(_SURVEY, "measure", col_dim="year", years=True),
    ("outcomes", "money"): Spec(_SURVEY, "measure", col_dim="year", years=True),
    ("outcomes", "chart-outcomes-citizens"): Spec(
        _SURVEY, "year", {"Citizens taking part": {"measure": "Citizens taking part"}}
    ),
    ("outcomes", "chart-outcomes-advocacy"): Spec(
        "advocacy actions from members answering all three questions", "kind", col_dim="year", rows_add=True
    ),
    ("outcomes", "outcomes-ventures-by-type"): Spec(
        "members starting a venture", "venture type", col_dim="year"
    ),
    ("outcomes", "outcomes-benefits"): Spec(
        "members by how much the network helped, {year}",
        "benefit",
        col_dim="answer",
        rows_add=True,
        cols_add=True,
    ),
    ("outcomes", "paired_2024_2025"): Spec(
        "members answering in 2024 and 2025", "measure", col_dim="move", cols_add=True
    ),
    ("outcomes", "paired_2025_2026"): Spec(
        "members answering in 2025 and 2026", "measure", col_dim="move", cols_add=True
    ),
    ("outcomes", "paired_2024_2026"): Spec(
        "members answering in 2024 and 2026", "measure", col_dim="move", cols_add=True
    ),
    ("outcomes", "paired_members"): Spec(
        "members compared year on year, {year}", "who", col_dim="comparison"
    ),
    ("outcomes", "chart-outcomes-member-change"): Spec("members each year", "year", col_dim="measure"),
    ("outcomes", "workshop_attendance"): Spec("workshop attendance", "year", col_dim="measure"),
    ("outcomes", "workshop_formats"): Spec("workshops held", "year", col_dim="format", cols_add=True),
    ("outcomes", "not_drawn_responses"): Spec(
        "2026 follow-up of applicants not drawn", "who", col_dim="count"
    ),
    ("outcomes", "not_drawn"): Spec(
        "members and applicants not drawn, 2026",
        "measure",
        {"Members: n": {"group": "members"}, "Not drawn: n": {"group": "not drawn"}},
    ),
    ("outcomes", "chart-outcomes-trajectory"): Spec(
        "members who answered",
        "year",
        {
            "Members who answered (ventures)": {"measure": "ventures"},
            "Members who answered (funding)": {"measure": "funding"},
            "Members who answered (advocacy)": {"measure": "advocacy"},
        },
    ),
}


def _label(label) -> str:
    return " / ".join(map(str, label)) if isinstance(label, tuple) else str(label)


def _count_columns(spec: Spec, table: ProtectedTable) -> dict[str, dict[str, str]]:
    """{column label: the dimensions it adds} for the table's count columns."""
    out = {}
    for col in table.values.columns:
        label = _label(col)
        if label in spec.columns:
            out[label] = dict(spec.columns[label])
        elif spec.col_dim is not None:
            out[label] = {} if label == table.total_label else {spec.col_dim: label}
    return out


def _area_relations(plan: PublicationPlan, keys: dict[str, tuple], total: tuple | None, groups) -> None:
    """total = nations (and any other top-level rows); England = its regions; a nation group = its nations."""
    regions = set(reference.region_names().values()) - set(reference.NATION_ORDER)
    english = [k for label, k in keys.items() if label in regions]
    top = [k for label, k in keys.items() if label not in regions]
    if reference.ENGLAND in keys and english:
        plan.add_sum(keys[reference.ENGLAND], english)
    elif english:
        top += english
    for group, nations in groups.items():
        if group in keys and any(n in keys for n in nations):
            plan.add_sum(keys[group], [keys[n] for n in nations if n in keys] or [])
    if total is not None and top:
        plan.add_sum(total, top)


def _add_table(
    plan: PublicationPlan, spec: Spec, table: ProtectedTable, place: str, groups, on_cell=None
) -> None:
    columns = _count_columns(spec, table)
    total_rows = {table.total_label, "Total"} - {None}
    by_col: dict[str, dict[str, tuple]] = {c: {} for c in columns}
    totals: dict[str, tuple] = {}
    row_keys: dict[str, dict[str, tuple]] = {}
    for row in table.values.index:
        rlabel = _label(row)
        row_dims = {} if rlabel in total_rows else {spec.row_dim: rlabel}
        for col, col_dims in columns.items():
            status = table.status.loc[row, _col(table, col)]
            if status in ("na", "z") or (spec.years and _CHANGE.match(col)):
                continue  # not a count; changes are relations between year cells (`_year_relations`)
            value = None if status in HIDDEN_STATUSES else float(table.values.loc[row, _col(table, col)])
            key = cell_key(spec.population, {**row_dims, **col_dims})
            plan.add(key, value, place)
            if on_cell is not None:  # where each key stands, for the joint protection
                on_cell(key, place, table, row, _col(table, col))
            if row_dims:
                by_col[col][rlabel] = key
            else:
                totals[col] = key
            row_keys.setdefault(rlabel, {})[col] = key
    for col in columns:
        if spec.row_dim == _AREA:
            _area_relations(plan, by_col[col], totals.get(col), groups)
        elif spec.rows_add and col in totals and by_col[col]:
            plan.add_sum(totals[col], by_col[col].values())
    if spec.cols_add:
        total_col = next((c for c, d in columns.items() if not d), None)
        for cells in row_keys.values():
            parts = [k for c, k in cells.items() if c != total_col and columns[c]]
            if total_col in cells and parts:
                plan.add_sum(cells[total_col], parts)
    if spec.years:
        _year_relations(plan, spec, table, place, row_keys)


def _col(table: ProtectedTable, label: str):
    return next(c for c in table.values.columns if _label(c) == label)


def _year_relations(plan, spec: Spec, table: ProtectedTable, place: str, row_keys) -> None:
    """A span column is the sum of its years; a printed change is its last year minus its base."""
    years = sorted(c for c in map(_label, table.values.columns) if re.fullmatch(r"\d{4}", c))
    for row, cells in row_keys.items():
        for col, key in cells.items():
            span = _SPAN.match(col)
            if span:
                parts = [cells[y] for y in years if span[1] <= y <= span[2] and y in cells]
                if len(parts) == sum(1 for y in years if span[1] <= y <= span[2]):
                    plan.add_sum(key, parts)
        for col in map(_label, table.values.columns):
            change = _CHANGE.match(col)
            if not change or not years or change[1] not in cells or years[-1] not in cells:
                continue
            status = table.status.loc[_row(table, row), _col(table, col)]
            if status in HIDDEN_STATUSES or status in ("na", "z"):
                continue  # a hidden change is a free unknown: it tells a reader nothing
            a, b, population = change[1], years[-1], spec.population
            ends = [cells[b], cells[a]]
            if "†" in str(table.display.loc[_row(table, row), _col(table, col)]):  # the same members only
                population = plan_facts.like_for_like(spec.population, a, b)
                ends = [cell_key(population, {spec.row_dim: row, "year": y}) for y in (b, a)]
            key = cell_key(population, {spec.row_dim: row, "change from": a, "to": b})
            plan.add(key, float(table.values.loc[_row(table, row), _col(table, col)]), place)
            eq = {key: -1.0, ends[0]: 1.0, ends[1]: -1.0}
            if eq not in plan.equations:
                plan.equations.append(eq)


def _row(table: ProtectedTable, label: str):
    return next(r for r in table.values.index if _label(r) == label)


def year_plan(
    findings_dir: Path,
    year: int,
    groups: Mapping[str, list[str]],
    rules: DisclosureRules | None = None,
    on_cell=None,
    asks: list | None = None,
) -> PublicationPlan:
    """The plan of one year's published tables (named tables and the data behind every chart), and
    with `rules` the counts its sentences print, its statistics, the selection's chances and
    quotas and the evidence of the configured `asks` (`[[brief.asks]]`);
    `on_cell(key, place, table, row, column, area=...)` is told where each table key stands."""
    plan = PublicationPlan()
    undeclared = []
    findings = load_findings(findings_dir)
    for item in published_tables(findings):
        spec = TABLES.get((item.area, item.name))
        if spec is None:
            if item.table.kind in COUNT_KINDS:
                undeclared.append(f"{item.area}/{item.name} ('{item.table.caption}')")
            continue
        spec = replace(
            spec,
            population=spec.population.format(year=year),
            columns={
                c: {d: v.format(year=year) for d, v in dims.items()} for c, dims in spec.columns.items()
            },
        )
        told = None if on_cell is None else functools.partial(on_cell, area=item.area)
        _add_table(plan, spec, item.table, f"{year} data/{item.filename}", groups, told)
    if undeclared:
        raise PlanError(
            "these count tables have no entry in the publication plan (analysis.publish.plan.TABLES), "
            f"so their cells could not be checked against the rest of the publication: {'; '.join(undeclared)}"
        )
    if rules is not None:
        plan_facts.add_facts(plan, findings, year, rules)
        plan_stats.add_statistics(plan, findings, year)
        plan_sentences.add_sentences(plan, findings, year)
        plan_selection.add_selection(plan, findings, year)
        plan_asks.add_asks(plan, findings, year, asks or [])
    return plan


def _selection_pack(plan: PublicationPlan, pack: Path, year: int) -> None:
    """The public selection pack's counts: eligible applicants by band of chance (they add up to
    the eligible applicants of appendix 3's table) and the drawn panel's members."""
    bands = pack / "chances-banded.csv"
    if bands.exists():
        place = f"{year} selection/{bands.name}"
        eligible = {"eligibility": "eligible for the lottery"}
        parts = []
        with bands.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                band = f"{row['chance_from']} to {row['chance_below']}"
                key = cell_key("lottery applicants", {**eligible, "chance of selection": band})
                plan.add(key, _pack_count(row["applicants"], bands), place)
                parts.append(key)
        if parts:
            plan.add_sum(cell_key("lottery applicants", eligible), parts)
    panel = pack / "drawn-panel.csv"
    if panel.exists():
        with panel.open(encoding="utf-8", newline="") as handle:
            members = sum(1 for _ in csv.DictReader(handle))
        plan.add(cell_key("drawn panel"), float(members), f"{year} selection/{panel.name}")


def _pack_count(text: str, path: Path) -> float | None:
    if text.strip() == SUPPRESSED:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError as exc:
        raise PlanError(f"{path}: a value in column applicants is not a count; rerun the year") from exc


def nation_groups(config) -> dict[str, list[str]]:
    """{group label: its nations} from `[readiness] nation_groups` (nation → group)."""
    groups: dict[str, list[str]] = {}
    for nation, group in (config.section("readiness").get("nation_groups") or {}).items():
        groups.setdefault(str(group), []).append(str(nation))
    return groups


def other_years(reports_root: Path, year: int) -> PublicationPlan:
    """Every other published year's plan (earlier and later), merged: constraints on this year."""
    plan = PublicationPlan()
    for path in sorted(Path(reports_root).glob(f"*/{paths.INTERNAL_FOLDER}/{PLAN_FILE}")):
        other = path.parent.parent.name
        if other.isdigit() and int(other) != year:
            try:
                plan.merge(PublicationPlan.from_json(path.read_text(encoding="utf-8")))
            except (ValueError, KeyError) as exc:
                raise PlanError(f"{path} cannot be read ({exc}); rerun {other} to rebuild it") from exc
    return plan


def check_publication(build: Path, year: int, reports_root: Path, config, quality=None) -> list[str]:
    """Build the year's plan, save it in internal/, and stop if the whole publication gives a count
    away. Returns the revisions accepted because the year's settings note them (one line each).
    `quality`: the year's quality log, which the brief's intake paragraph is written from."""
    groups = nation_groups(config)
    rules = DisclosureRules.from_config(config)
    where = joint.Places()
    asks = config.section("brief").get("asks") or []
    plan = year_plan(paths.internal_dir(build) / "findings", year, groups, rules, where.add, asks)
    plan_facts.add_intake(plan, quality, year, rules)
    _selection_pack(plan, Path(build) / SELECTION_PACK, year)
    target = paths.internal_dir(build) / PLAN_FILE
    target.write_text(plan.to_json(), encoding="utf-8")
    whole = other_years(reports_root, year)
    whole.merge(plan)
    checker = b"".join(
        Path(m.__file__).read_bytes()
        for m in (
            plan_module,
            sys.modules[__name__],
            plan_facts,
            plan_stats,
            plan_sentences,
            plan_selection,
            plan_asks,
            brief_asks,
            statistics,
        )
    )
    digest = hashlib.sha256(checker + (whole.to_json() + repr(rules)).encode("utf-8")).hexdigest()
    passed = paths.internal_dir(build) / CHECKED_FILE
    last = paths.internal_dir(Path(reports_root) / str(year)) / CHECKED_FILE
    noted = bool(config.section("publication").get("revision_notes"))
    revised = whole.revisions() if noted else []
    if last.exists() and last.read_text(encoding="utf-8").strip() == digest:
        passed.write_text(digest + "\n", encoding="utf-8")  # the same publication passed last run
        return revised
    problems = whole.audit(rules, revisions_noted=noted)
    if problems and not noted and whole.revisions():
        problems.append(
            "a count printed differently by two years' publications is a revision: rerun the earlier "
            f"year if its figure was wrong, or say what changed in [publication] revision_notes of "
            f"config/{year}.toml (the latest figure then stands)"
        )
    if problems:
        listed = "\n".join(f"    - {p}" for p in problems[:20])
        more = f"\n    … and {len(problems) - 20} more" if len(problems) > 20 else ""
        proposal = joint.propose(whole, year, where, rules, revisions_noted=noted)
        raise PlanError(
            f"disclosure check of the whole publication failed: {len(problems)} problem(s) in what "
            f"{year} and the other published years print together (hidden counts that could be worked "
            f"out, statistics on too few organisations or on hidden counts):\n{listed}{more}\n"
            f"{proposal.text()}\n  Hide or merge the categories concerned and withhold the statistics "
            "named, or raise [disclosure] protection settings; see docs/DISCLOSURE.md.",
            proposal,
        )
    passed.write_text(digest + "\n", encoding="utf-8")
    return revised
