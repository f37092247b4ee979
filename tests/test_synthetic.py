"""The bundled synthetic sample: reproducible byte for byte, and as messy as its README says.

These tests read the committed files under data/raw/synthetic/ with the csv module only (not
with analysis.intake), so they check the generator's promises independently of intake.
"""

from __future__ import annotations

import csv
import io
import random
import re
import tomllib
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths, synthetic
from analysis.config import load_config
from analysis.intake.pseudonym import pseudonymise
from analysis.synthetic import name_key

SAMPLE = paths.SAMPLE_RAW_DIR
DEFAULTS = tomllib.loads((paths.CONFIG_DIR / "defaults.toml").read_text(encoding="utf-8"))
MAPPING, OPTIONS = DEFAULTS["mapping"], DEFAULTS["options"]
Q = {table: {field: question for question, field in MAPPING[table].items()} for table in MAPPING}
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
TS_FORMAT = "%d/%m/%Y %H:%M:%S"
YEARS = (2024, 2025, 2026)


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


@pytest.fixture(scope="module")
def callout():
    return _rows(SAMPLE / "2024" / "callout-responses.csv")


@pytest.fixture(scope="module")
def final(callout):
    """The latest submission per organisation, keyed by the folded name (as intake resolves them)."""
    latest = {}
    for row in callout[1]:
        key = name_key(row[Q["callout"]["org_name"]])
        stamp = datetime.strptime(row["Timestamp"], TS_FORMAT)
        if key and (key not in latest or stamp >= latest[key][0]):
            latest[key] = (stamp, row)
    return {k: r for k, (_, r) in latest.items()}


@pytest.fixture(scope="module")
def districts():
    with (paths.REFERENCE_DIR / "postcodes" / "postcode_districts_uk.csv").open(encoding="utf-8") as fh:
        return {r["district"]: r["RGN23CD"] for r in csv.DictReader(fh)}


def _canonical(postcode: str) -> str | None:
    """Upper case, one space before the inward code; None when it is not a full UK format."""
    squeezed = re.sub(r"\s+", "", postcode).upper()
    if not POSTCODE_RE.match(squeezed):
        return None
    return f"{squeezed[:-3]} {squeezed[-3:]}"


def _region(row: dict, districts: dict) -> str | None:
    canonical = _canonical(row[Q["callout"]["postcode"]])
    if canonical and canonical.split()[0] in districts and not canonical.startswith(("JE", "GY", "IM")):
        return districts[canonical.split()[0]] or None
    return OPTIONS["region_stated"].get(row[Q["callout"]["region_stated"]])


# --------------------------------------------------------------------------------------------
# Reproducibility.


def test_regenerating_gives_identical_files(tmp_path):
    written = synthetic.write_sample(tmp_path)
    assert len(written) == 12  # with the 2026 follow-up of applicants not drawn
    for path in written:
        rel = path.relative_to(tmp_path)
        committed = SAMPLE / rel
        assert committed.exists(), f"{rel} is not committed: run python -m analysis.synthetic"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{rel} differs from the generator's output: rerun python -m analysis.synthetic and commit"
        )
    on_disk = {p.relative_to(SAMPLE) for p in SAMPLE.rglob("*.csv")}
    assert on_disk == {p.relative_to(tmp_path) for p in written if p.suffix == ".csv"}


def test_generation_leaves_global_random_state_alone(tmp_path):
    random.seed(1234)
    np.random.seed(1234)
    before_py, before_np = random.getstate(), np.random.get_state()
    synthetic.generate_callout(200, seed=5)
    synthetic.write_sample(tmp_path)
    assert random.getstate() == before_py
    after_np = np.random.get_state()
    assert before_np[0] == after_np[0] and np.array_equal(before_np[1], after_np[1])
    assert before_np[2:] == after_np[2:]


def test_same_seed_same_export_and_different_seed_differs():
    a = synthetic.generate_callout(60, seed=11)
    assert a.equals(synthetic.generate_callout(60, seed=11))
    assert not a.equals(synthetic.generate_callout(60, seed=12))


def test_files_are_consistent_exports():
    """Form exports carry a BOM, staff files do not; every file has CRLF records."""
    for year in YEARS:
        for name, bom in (
            ("member-survey.csv", True),
            ("workshop-log.csv", False),
            ("network-roster.csv", False),
        ):
            data = (SAMPLE / str(year) / name).read_bytes()
            assert data.startswith(b"\xef\xbb\xbf") == bom, name
            assert data.endswith(b"\r\n")
    data = (SAMPLE / "2024" / "callout-responses.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert "synthetic" in (SAMPLE / "README.md").read_text(encoding="utf-8").lower()


# --------------------------------------------------------------------------------------------
# The callout.


def test_callout_headers_and_answer_texts_are_the_forms(callout):
    header, rows = callout
    assert header == list(MAPPING["callout"])
    singles = {
        "org_type": "org_type",
        "staff_band": "staff_band",
        "turnover_band": "turnover_band",
        "level_now": "level",
        "level_target_2026": "level",
        "can_commit_3_years": "can_commit_3_years",
        "research_consent": "research_consent",
        "region_stated": "region_stated",
    }
    for row in rows:
        for fieldname, option in singles.items():
            value = row[Q["callout"][fieldname]]
            assert value == "" or value in OPTIONS[option], (fieldname, value)
        for fieldname in ("practices_used", "wants_from_network"):
            value = row[Q["callout"][fieldname]]
            assert value == "" or all(v in OPTIONS[fieldname] for v in value.split(", ")), value
        for fieldname in (
            "readiness_leadership",
            "readiness_budget",
            "readiness_skills",
            "readiness_community",
            "readiness_governance",
        ):
            assert row[Q["callout"][fieldname]] in {"", "1", "2", "3", "4", "5"}


def test_timestamps_are_uk_day_first_within_the_callout(callout):
    stamps = [datetime.strptime(r["Timestamp"], TS_FORMAT) for r in callout[1]]
    assert min(stamps) >= datetime(2023, 10, 1) and max(stamps) <= datetime(2023, 12, 11, 23, 59, 59)
    assert stamps == sorted(stamps), "a form export lists submissions in the order received"
    assert any(s.day <= 12 and s.month in (10, 11, 12) and s.day != s.month for s in stamps)


def test_about_150_organisations_with_amendments(callout, final):
    rows = callout[1]
    by_org = defaultdict(list)
    for row in rows:
        by_org[name_key(row[Q["callout"]["org_name"]])].append(row[Q["callout"]["org_name"]])
    blank = by_org.pop("", [])
    assert 140 <= len(final) <= 160
    amended = {k: v for k, v in by_org.items() if len(v) > 1}
    assert len(amended) >= 8
    assert sum(len(v) - 1 for v in amended.values()) >= 8
    assert sum(len(set(v)) > 1 for v in amended.values()) >= 1, (
        "some resubmissions spell the name differently"
    )
    assert len(blank) >= 1


def test_postcode_messiness(final, districts):
    typed = [r[Q["callout"]["postcode"]] for r in final.values()]
    canonical = [_canonical(p) for p in typed]
    unusable = [
        p
        for p, c in zip(typed, canonical)
        if c is None or (c.split()[0] not in districts and not c.startswith(("JE", "GY", "IM")))
    ]
    normalisable = [p for p, c in zip(typed, canonical) if c and p != c and c.split()[0] in districts]
    offshore = [c for c in canonical if c and c.startswith(("JE", "GY", "IM"))]
    assert len(unusable) >= 5, unusable
    assert len(normalisable) >= 5, normalisable
    assert len(offshore) >= 2 and len({c[:2] for c in offshore}) >= 2
    ni = [c for c in canonical if c and c.startswith("BT")]
    assert ni and all(c.split()[0] in districts for c in ni)


def test_all_regions_with_realistic_skew(final, districts):
    counts = Counter(_region(r, districts) for r in final.values())
    counts.pop(None, None)
    assert set(counts) == set(OPTIONS["region_stated"].values())
    top_two = {code for code, _ in counts.most_common(2)}
    assert top_two == {"E12000007", "E12000008"}, counts
    assert counts["E12000001"] <= 8 and counts["N92000002"] <= 8


def test_stated_regions_disagree_sometimes(final, districts):
    disagree = 0
    for row in final.values():
        canonical = _canonical(row[Q["callout"]["postcode"]])
        stated = OPTIONS["region_stated"].get(row[Q["callout"]["region_stated"]])
        district = canonical.split()[0] if canonical else None
        if district in districts and districts[district] and stated and stated != districts[district]:
            disagree += 1
    assert disagree >= 3


def test_answers_are_varied_and_sometimes_blank(final):
    rows = list(final.values())
    consent = Counter(r[Q["callout"]["research_consent"]] for r in rows)
    assert consent["No"] == 1
    commit = Counter(r[Q["callout"]["can_commit_3_years"]] for r in rows)
    assert commit["No"] >= 1 and commit["Not sure"] >= 1
    for fieldname in ("phone", "org_website", "parent_body", "staff_band", "turnover_band"):
        assert any(r[Q["callout"][fieldname]] == "" for r in rows), fieldname
    parents = Counter(name_key(r[Q["callout"]["parent_body"]]) for r in rows)
    shared = [p for p, n in parents.items() if n > 1 and p not in {"", "no", "n a"}]
    assert len(shared) >= 2
    types = Counter(r[Q["callout"]["org_type"]] for r in rows)
    assert types["Funder"] < types["Arts venue or theatre"]
    levels = [list(OPTIONS["level"]).index(r[Q["callout"]["level_now"]]) + 1 for r in rows]
    assert sum(lv <= 3 for lv in levels) / len(levels) > 0.75


def test_free_text_holds_personal_data_that_intake_must_drop(callout):
    rows = callout[1]
    descriptions = [r[Q["callout"]["programme_description"]] for r in rows]
    assert any("\n" in d for d in descriptions)
    assert any("@" in d for d in descriptions)
    assert all("@" in r[Q["callout"]["email"]] for r in rows)
    assert sum(bool(r[Q["callout"]["phone"]]) for r in rows) > 30


def test_readiness_items_hang_together(final):
    """One latent trait drives the five items: Cronbach's alpha about 0.75-0.85."""
    items = [
        "readiness_leadership",
        "readiness_budget",
        "readiness_skills",
        "readiness_community",
        "readiness_governance",
    ]
    data = np.array(
        [
            [int(r[Q["callout"][i]]) for i in items]
            for r in final.values()
            if all(r[Q["callout"][i]] for i in items)
        ],
        dtype=float,
    )
    k = data.shape[1]
    alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))
    assert 0.72 <= alpha <= 0.88, alpha


def test_clean_export_has_no_messiness():
    frame = synthetic.generate_callout(30, seed=3, messy=False)
    names = frame["Organisation name"].map(name_key)
    assert names.is_unique and (names != "").all()
    assert (frame[Q["callout"]["research_consent"]] == "Yes").all()
    assert (frame[Q["callout"]["can_commit_3_years"]] == "Yes").all()
    assert all(_canonical(p) == p for p in frame[Q["callout"]["postcode"]])


def test_ten_thousand_organisations():
    """Distinct names and the export's shape at benchmark size (its time: benchmarks/bench_small.py)."""
    frame = synthetic.generate_callout(10_000, seed=99)
    names = frame["Organisation name"].map(name_key)
    assert names[names != ""].nunique() == 10_000
    assert all(frame[c].map(type).eq(str).all() for c in frame.columns)
    assert list(frame.columns) == list(MAPPING["callout"])


# --------------------------------------------------------------------------------------------
# The network.


@pytest.fixture(scope="module")
def network():
    out = {}
    for year in YEARS:
        folder = SAMPLE / str(year)
        out[year] = {
            name: _rows(folder / f"{name}.csv")
            for name in ("member-survey", "network-roster", "workshop-log")
        }
    return out


def test_network_headers_are_the_forms(network):
    for year in YEARS:
        assert network[year]["member-survey"][0] == list(MAPPING["member_survey"])
        assert network[year]["network-roster"][0] == list(MAPPING["roster"])
        assert network[year]["workshop-log"][0] == list(MAPPING["workshops"])


def test_ten_eligible_members_across_the_nations(network, final, districts):
    roster = network[2024]["network-roster"][1]
    members = [name_key(r["Organisation name"]) for r in roster]
    assert len(members) == len(set(members)) == 10
    nations = set()
    for key in members:
        row = final[key]
        assert row[Q["callout"]["research_consent"]] == "Yes"
        assert row[Q["callout"]["can_commit_3_years"]] == "Yes"
        levels = list(OPTIONS["level"])
        assert levels.index(row[Q["callout"]["level_target_2026"]]) > levels.index(
            row[Q["callout"]["level_now"]]
        )
        canonical = _canonical(row[Q["callout"]["postcode"]])
        assert (
            canonical and canonical.split()[0] in districts and not canonical.startswith(("JE", "GY", "IM"))
        )
        nations.add(_region(row, districts)[0])
    assert nations == {"E", "W", "S", "N"}


def test_one_leaver_and_one_missing_return(network):
    status = {
        y: {name_key(r["Organisation name"]): r["Status"] for r in network[y]["network-roster"][1]}
        for y in YEARS
    }
    returns = {y: {name_key(r["Organisation name"]) for r in network[y]["member-survey"][1]} for y in YEARS}
    left = [k for k, s in status[2026].items() if s == "Left"]
    assert len(left) == 1 and status[2025][left[0]] == "Active"
    assert left[0] not in returns[2026] and left[0] in returns[2025]
    missing_2025 = {k for k, s in status[2025].items() if s == "Active"} - returns[2025]
    assert len(missing_2025) == 1
    assert returns[2024] == set(status[2024])
    assert returns[2026] == {k for k, s in status[2026].items() if s == "Active"}


def test_outcomes_are_not_uniformly_rosy(network):
    levels = list(OPTIONS["level"])
    by_year = {
        y: {
            name_key(r["Organisation name"]): levels.index(r[Q["member_survey"]["level_now"]]) + 1
            for r in network[y]["member-survey"][1]
        }
        for y in YEARS
    }
    both = set(by_year[2024]) & set(by_year[2026])
    change = [by_year[2026][k] - by_year[2024][k] for k in both]
    assert any(c > 0 for c in change) and any(c == 0 for c in change)
    slipped = [k for k in set(by_year[2025]) & set(by_year[2026]) if by_year[2026][k] < by_year[2025][k]]
    assert slipped, "someone slips back a level"

    def amount(text: str) -> float:
        return float(re.sub(r"[£,]", "", text)) if re.fullmatch(r"£?[\d,]+", text) else float("nan")

    funding = [
        amount(r[Q["member_survey"]["funding_secured_gbp"]])
        for y in YEARS
        for r in network[y]["member-survey"][1]
    ]
    funding = [f for f in funding if f == f]
    assert funding.count(0) >= 3
    assert max(funding) > 0.5 * sum(sorted(funding)[-2:]) and max(funding) >= 10 * np.median(funding)


def test_workshops(network, final):
    for year in YEARS:
        rows = network[year]["workshop-log"][1]
        assert 5 <= len({r["Workshop ID"] for r in rows}) <= 8
        assert any(r["Satisfaction (1-5, optional)"] == "" for r in rows)
        assert all(r["Attendee name"] for r in rows)
        assert {r["Format"] for r in rows} <= set(OPTIONS["format"])
        assert all(name_key(r["Organisation attending"]) in final for r in rows)
        pairs = [(r["Workshop ID"], name_key(r["Organisation attending"])) for r in rows]
        assert len(pairs) == len(set(pairs)), "one row per attending organisation"


def test_cli_writes_a_benchmark_callout(tmp_path):
    assert synthetic.main(["--out", str(tmp_path), "--n", "50", "--seed", "3"]) == 0
    text = (tmp_path / "callout-responses.csv").read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(MAPPING["callout"])


# --------------------------------------------------------------------------------------------
# One story: the network is the lottery's draw.


def _audit_ids(pack: Path, name: str, order: str | None = None) -> list[str]:
    rows = _rows(pack / name)[1]
    if order:
        rows.sort(key=lambda r: int(r[order]))
    return [r["org_id"] for r in rows]


@pytest.mark.slow
def test_the_2024_roster_is_the_drawn_panel_with_its_stated_replacement(runs):
    """The committed roster equals the audit pack's drawn panel, less the organisation the README
    says declined, plus the reserve it names, which is the first reserve whose panel keeps the rules."""
    root, _ = runs
    pack = root / "reports" / "2024" / "internal" / "selection-audit"
    drawn = set(_audit_ids(pack, "drawn-panel.csv"))
    reserves = _audit_ids(pack, "reserves.csv", order="reserve_rank")
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    story = re.search(
        r"`([^`]+)`,\s+declined its place.*?:\s+`([^`]+)`\s+\(reserve (\d+); (\d+) passed\s+over\)",
        readme,
        re.S,
    )
    assert story, "the sample README must name the organisation that declined and its replacement"
    decliner, replacement, rank, skipped = story[1], story[2], int(story[3]), int(story[4])
    key = load_config(2024).section("pseudonym")["sample_key"].encode("utf-8")

    def pseudonyms(names) -> set[str]:
        return set(pseudonymise(pd.Series(list(names), dtype="string"), key))

    roster = {r["Organisation name"] for r in _rows(SAMPLE / "2024" / "network-roster.csv")[1]}
    (declined_id,), (replacement_id,) = pseudonyms([decliner]), pseudonyms([replacement])
    assert len(drawn) == 10 and declined_id in drawn and replacement_id not in drawn
    assert reserves[rank - 1] == replacement_id and skipped == rank - 1
    assert pseudonyms(roster) == (drawn - {declined_id}) | {replacement_id}
    for year in YEARS:
        names = {
            name_key(r["Organisation name"]) for r in _rows(SAMPLE / str(year) / "network-roster.csv")[1]
        }
        assert name_key(decliner) not in names, f"the organisation that declined is on the {year} roster"
