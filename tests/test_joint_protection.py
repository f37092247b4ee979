"""Joint secondary suppression over the whole publication plan (`analysis.disclosure.joint`).

Each plan below is protected table by table (the areas' protection) and leaks once the tables
are linked; the joint solve hides a few more cells and the plan's truth-free audit then passes.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.disclosure import DisclosureRules, protect_counts
from analysis.disclosure.joint import HIDES_FILE, read_hides, solve, write_hides
from analysis.disclosure.plan import PublicationPlan, cell_key
from analysis.disclosure.table import origin_id
from analysis.findings import Findings
from analysis.pipeline import PipelineError, run_year
from analysis.publish.joint import Places, propose

RULES = DisclosureRules()


def _table(plan, truth, place, population, dim, cells: dict, total=None):
    """Add a one-way table: {label: (value, hidden)}; `total` likewise; returns the keys."""
    keys = {}
    for label, (value, hidden) in cells.items():
        key = cell_key(population, {dim: label})
        plan.add(key, None if hidden else value, place)
        if hidden:
            truth[key] = value
        keys[label] = key
    if total is not None:
        tkey = cell_key(population)
        plan.add(tkey, None if total[1] else total[0], place)
        if total[1]:
            truth[tkey] = total[0]
        plan.add_sum(tkey, keys.values())
        keys[None] = tkey
    return keys


def _apply(plan: PublicationPlan, hides, year="2024") -> PublicationPlan:
    """The plan once the year hides `hides` wherever it printed them."""
    out = PublicationPlan()
    out.merge(plan)
    for key in hides:
        cell = out.cells[key]
        for place in [p for p in cell.printed if p.startswith(f"{year} ")]:
            del cell.printed[place]
            cell.hidden.append(place)
    return out


def _hideable(plan, year="2024"):
    return {
        k for k, c in plan.cells.items() if c.printed and all(p.startswith(f"{year} ") for p in c.printed)
    }


def test_a_cell_hidden_in_one_document_and_printed_in_another_is_hidden_in_both():
    plan, truth = PublicationPlan(), {}
    _table(
        plan,
        truth,
        "2024 data/appendix-1.csv",
        "applicants",
        "nation",
        {"Wales": (3, True), "Scotland": (12, True), "England": (80, False)},
        total=(95, False),
    )
    plan.add(cell_key("applicants", {"nation": "Scotland"}), 12, "2024 data/appendix-2.csv")
    assert plan.audit(RULES)  # table by table it holds; together Scotland's 12 gives Wales away
    result = solve(plan, 2024, truth, _hideable(plan), RULES)
    assert not result.stuck
    assert result.hide == {cell_key("applicants", {"nation": "Scotland"})}
    assert _apply(plan, result.hide).audit(RULES) == []


def test_region_nation_uk_across_two_tables_needs_one_more_hide():
    plan, truth = PublicationPlan(), {}
    nations = _table(
        plan,
        truth,
        "2024 data/nations.csv",
        "members",
        "area",
        {"England": (40, True), "Wales": (2, True), "Scotland": (8, False), "Northern Ireland": (6, False)},
        total=(56, False),
    )
    regions = _table(
        plan,
        truth,
        "2024 data/regions.csv",
        "members",
        "area",
        {"North": (15, False), "Midlands": (11, False), "South": (14, False)},
    )
    plan.add_sum(nations["England"], [regions[r] for r in ("North", "Midlands", "South")])
    problems = plan.audit(RULES)
    assert any("Wales" in p for p in problems)  # England is the sum of its regions: Wales = 2
    result = solve(plan, 2024, truth, _hideable(plan), RULES)
    assert not result.stuck
    assert len(result.hide) == 1  # one English region (or Scotland) is enough
    assert _apply(plan, result.hide).audit(RULES) == []


def test_a_year_relation_is_protected_with_the_cells_of_this_year_only():
    plan = PublicationPlan()
    v2024, v2025, span = (cell_key("returns", {"year": y}) for y in ("2024", "2025", "2024–2025"))
    plan.add(v2024, None, "2024 data/returns.csv")  # hidden by last year: its true value is not here
    plan.add(cell_key("returns", {"year": "x"}), 30, "2024 data/returns.csv")
    plan.add(v2025, 7, "2025 data/returns.csv")
    plan.add(span, 9, "2025 data/returns.csv")
    plan.add_sum(span, [v2024, v2025])
    assert plan.audit(RULES)
    result = solve(plan, 2025, {}, _hideable(plan, "2025"), RULES)
    assert not result.stuck
    assert result.hide and result.hide <= {v2025, span}
    assert _apply(plan, result.hide, "2025").audit(RULES) == []


def test_a_count_printed_by_an_earlier_year_cannot_be_unprinted():
    plan, truth = PublicationPlan(), {}
    key = cell_key("members", {"nation": "Wales"})
    plan.add(key, 2, "2024 data/nations.csv")
    plan.add(key, None, "2025 data/nations.csv")
    truth[key] = 2
    result = solve(plan, 2025, truth, set(), RULES)
    assert (
        result.stuck and "printed by the 2024 publication, which this run cannot unprint" in result.stuck[0]
    )
    assert not result.hide


def test_revisions_are_settled_before_anything_is_hidden():
    plan, truth = PublicationPlan(), {}
    for year, england in (("2024", 80), ("2025", 81)):
        _table(
            plan,
            truth,
            f"{year} data/appendix-1.csv",
            "applicants",
            "nation",
            {"Wales": (3, True), "Scotland": (12, True), "England": (england, False)},
            total=(england + 15, False),
        )
    plan.add(cell_key("applicants", {"nation": "Scotland"}), 12, "2025 data/appendix-2.csv")
    proposal = propose(plan, 2025, Places(), RULES)
    assert not proposal.hides and "settled first" in proposal.text()
    assert "settled first" not in propose(plan, 2025, Places(), RULES, revisions_noted=True).text()


def test_a_cell_that_only_an_unhideable_place_could_give_is_reported_not_hidden():
    plan, truth = PublicationPlan(), {}
    keys = _table(
        plan,
        truth,
        "2024 data/appendix-1.csv",
        "applicants",
        "nation",
        {"Wales": (3, True), "Scotland": (12, True), "England": (80, False)},
        total=(95, False),
    )
    plan.add(keys["Scotland"], 12, "2024 selection/pack.csv")
    result = solve(plan, 2024, truth, _hideable(plan) - {keys["Scotland"]}, RULES)
    assert result.stuck and "Scotland" in result.stuck[0]


def test_a_protected_table_takes_the_joint_hides_and_re_solves_around_them():
    counts = pd.DataFrame({"n": [3, 12, 80, 40]}, index=["Wales", "Scotland", "England", "Elsewhere"])
    plain = protect_counts(counts, RULES, caption="Applicants by nation")
    assert not plain.suppressed.at["England", "n"]
    forced = DisclosureRules(joint_hides=frozenset({origin_id("Applicants by nation", "England", "n")}))
    joint = protect_counts(counts, forced, caption="Applicants by nation")
    assert joint.suppressed.at["England", "n"] and joint.status.at["England", "n"] == "secondary"
    assert joint.suppressed.at["Wales", "n"]
    # off the record: the true values of hidden cells and every cell's origin; never in to_json
    assert joint.truth.at["England", "n"] == 80 and pd.isna(joint.truth.at["Elsewhere", "n"])
    assert joint.origin.at["Wales", "n"] == origin_id("Applicants by nation", "Wales", "n")
    assert "truth" not in joint.to_json() and "80" not in str(joint.to_json()["values"])
    renamed = joint.relabel({"Wales": "Cymru"}).subset(["Cymru", "England"])
    assert renamed.truth.at["England", "n"] == 80
    assert renamed.origin.at["Cymru", "n"] == origin_id("Applicants by nation", "Wales", "n")
    renamed.values.columns = renamed.display.columns = renamed.status.columns = [
        "Applicants"
    ]  # as callers do
    assert renamed.subset(columns=["Applicants"]).truth.at["England", "Applicants"] == 80


def test_hides_file_round_trip(tmp_path):
    path = tmp_path / "joint-hides.json"
    assert read_hides(path) == {}
    write_hides(path, {"readiness": {"b", "a"}, "geography": set()})
    assert read_hides(path) == {"readiness": frozenset({"a", "b"})}
    first = path.read_bytes()
    write_hides(path, {"readiness": ["a", "b", "a"]})
    assert path.read_bytes() == first
    path.write_text('{"version": 99, "hides": {}}', encoding="utf-8")
    with pytest.raises(ValueError):
        read_hides(path)


def test_findings_keep_the_truth_beside_them_never_in_the_findings_file(tmp_path):
    counts = pd.DataFrame({"n": [3, 12, 80, 40]}, index=["Wales", "Scotland", "England", "Elsewhere"])
    table = protect_counts(counts, RULES, caption="Applicants by nation")
    Findings(area="geography", heading="h", tables={"by_nation": table}).save(tmp_path)
    public = json.loads((tmp_path / "geography.json").read_text(encoding="utf-8"))
    assert public["tables"]["by_nation"]["values"][0][0] is None  # Wales's 3 is not there
    assert "3.0" not in (tmp_path / "geography.json").read_text(encoding="utf-8")
    loaded = Findings.load(tmp_path, "geography").tables["by_nation"]
    assert loaded.equals(table)
    assert loaded.truth.equals(table.truth) and loaded.origin.equals(table.origin)
    (tmp_path / "geography.truth.json").unlink()
    assert Findings.load(tmp_path, "geography").tables["by_nation"].truth is None


# ---- in a run -----------------------------------------------------------------------------------


def _config(tmp_path, name: str, extra: str) -> Path:
    """The 2024 settings without the merged nation groups of the readiness profiles, plus `extra`."""
    path = tmp_path / name
    path.write_text(
        f'defaults = "{paths.CONFIG_DIR / "defaults.toml"}"\n'
        + (paths.CONFIG_DIR / "2024.toml").read_text(encoding="utf-8")
        + "\n[readiness.nation_groups]\n"
        + "".join(f'"{n}" = "{n}"\n' for n in ("Wales", "Scotland", "Northern Ireland"))
        + extra,
        encoding="utf-8",
    )
    return path


def _published_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and paths.INTERNAL_FOLDER not in p.relative_to(folder).parts
    }


@pytest.mark.slow
def test_a_run_that_table_by_table_protection_leaks_is_fixed_by_joint_protection(runs, tmp_path):
    """Appendix 1 hides Northern Ireland's applicants (its few other applicants, members printed)
    and Wales's as the complement; unmerged, appendix 2's profile by nation prints them. That used
    to stop the run; now the joint protection hides them in the profile too, reruns, and the
    whole publication passes."""
    root, _ = runs
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    shutil.copytree(root / "reports" / "2024", reports / "2024")  # the first year: no other published
    shutil.copytree(root / "processed" / "2024", processed / "2024")
    run = functools.partial(run_year, 2024, reports_root=reports, processed_root=processed)

    with pytest.raises(PipelineError) as stopped:  # no rounds allowed: it stops, naming the cells
        run(
            config_path=_config(tmp_path, "none.toml", "\n[disclosure]\njoint_rounds = 0\n"),
            progress=lambda _: None,
        )
    message = str(stopped.value)
    assert "area: Wales" in message and "area: Northern Ireland" in message
    assert "The joint protection would hide" in message
    assert "'Applicants by nation and ambition band'" in message and "joint_rounds" in message
    assert not (reports / "2024" / "internal" / HIDES_FILE).exists()  # the failed run changed nothing

    said: list[str] = []
    config = _config(tmp_path, "joint.toml", "")
    run(config_path=config, progress=said.append)
    rounds = [line for line in said if line.strip().startswith("joint protection:")]
    assert len(rounds) == 1 and "more cell(s) hidden across 1 table(s); rerunning" in rounds[0]
    passed = "  disclosure check of the whole publication (all years' tables together): passed"
    second = said[said.index(rounds[0]) : said.index(passed)]
    assert "  notebook 02_organisational_readiness …" in second  # the area whose table changes
    assert "  notebook 05_policy_brief …" in second  # and the brief, which reads its findings
    for other in ("01_applicant_geography", "03_selection", "04_member_outcomes"):
        assert f"  notebook {other}: unchanged, its outputs reused" in second
    internal = reports / "2024" / "internal"
    hides = read_hides(internal / HIDES_FILE)
    assert set(hides) == {"readiness"}
    assert all(h.startswith("Applicants by nation and ambition band\x1f") for h in hides["readiness"])
    count = len(hides["readiness"])
    manifest = json.loads((internal / "run-manifest.json").read_text(encoding="utf-8"))
    assert manifest["joint_protection"] == {"cells_hidden": count, "rounds_this_run": 1}
    assert rounds[0].strip().startswith(f"joint protection: {count} more")
    profile = (reports / "2024" / "data" / "readiness-profile-nation.csv").read_text(encoding="utf-8")
    for nation in ("Wales", "Northern Ireland"):  # their totals, printed before, are hidden too
        assert next(line for line in profile.splitlines() if line.startswith(f"{nation},")).endswith(",[c]")
    means = (reports / "2024" / "data" / "readiness-profile-means-nation.csv").read_text(encoding="utf-8")
    assert "Wales,[c],[c],[c]" in means  # a mean stands on its count
    assert (internal / "findings" / "readiness.truth.json").exists()
    assert not [p for p in (reports / "2024").rglob("*.truth.json") if internal not in p.parents]

    before = _published_bytes(reports / "2024")
    said.clear()
    run(config_path=config, progress=said.append)  # unchanged: every step reused, no round
    assert not [line for line in said if "joint protection:" in line]
    assert any("01_applicant_geography: unchanged" in line for line in said)
    assert _published_bytes(reports / "2024") == before


def test_the_joint_solve_asks_no_more_of_a_pattern_than_the_check():
    """Two hidden groups that add up to a printed 4 (left out: outside the UK 3, declining 1) are
    each somewhere in 0 … 4: as wide as the rule's protection of the 3, so the check passes and the
    joint solve must not reach for the printed totals to widen them further (they are in sentences
    and cannot be hidden); a group pinned by the same totals is still protected."""
    plan, truth = PublicationPlan(), {}
    left = _table(
        plan,
        truth,
        "2024 data/checks.csv",
        "applicants",
        "left out",
        {"outside the UK": (3, True), "declined": (1, True), "analysed": (146, False)},
        total=(150, False),
    )
    assert not plan.audit(RULES)
    result = solve(plan, 2024, truth, set(), RULES)  # nothing may be hidden
    assert not result.stuck and not result.hide
    plan.add(left["declined"], None, "2024 data/other.csv")
    plan.add(cell_key("applicants", {"left out": "outside the UK"}), 3, "2024 data/side.csv")
    result = solve(plan, 2024, truth, set(), RULES)  # the 3 printed elsewhere pins the 1: stuck
    assert result.stuck
