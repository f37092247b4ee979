"""Tests for analysis.geography: postcode lookup, accuracy on real postcodes, hand-checked rates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import geography as g
from analysis import reference, text

DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------------------
# assign_geography: normalisation and statuses
# ---------------------------------------------------------------------------
def _one(postcode):
    return reference.assign_geography(pd.Series([postcode], dtype=object)).iloc[0]


@pytest.mark.parametrize("typed", ["SW1A 1AA", "sw1a1aa", "  Sw1A   1aA ", "SW1A\u00a01AA", "SW1A\t1AA"])
def test_normalises_case_and_spacing(typed):
    row = _one(typed)
    assert row["postcode"] == "SW1A 1AA"
    assert row["postcode_district"] == "SW1A"
    assert row["status"] == "ok"
    assert row["region_code"] == "E12000007" and row["region_name"] == "London"
    assert row["itl1_code"] == "TLI" and row["nation"] == "England"
    assert row["lad_code"] == "E09000033"
    assert not row["partial"]


def test_district_only_is_ok_but_flagged_partial():
    row = _one(" m1 ")
    assert row["status"] == "ok" and row["partial"]
    assert row["postcode"] == "M1" and row["postcode_district"] == "M1"
    assert row["region_code"] == "E12000002"


@pytest.mark.parametrize("typed", ["hello", "SW1A 1A", "12345", "Q1 1AA", "SW1A 1AAA", "1AA SW1"])
def test_invalid_formats(typed):
    row = _one(typed)
    assert row["status"] == "invalid"
    assert pd.isna(row["region_code"]) and pd.isna(row["postcode_district"])


@pytest.mark.parametrize("typed", [None, np.nan, pd.NA, "", "   "])
def test_missing(typed):
    row = _one(typed)
    assert row["status"] == "missing" and pd.isna(row["postcode"])


@pytest.mark.parametrize("typed", ["JE2 3AB", "gy1 1aa", "IM1 1AA", "IM2"])
def test_crown_dependencies_are_outside_uk(typed):
    row = _one(typed)
    assert row["status"] == "outside_uk"
    assert pd.isna(row["region_code"]) and pd.isna(row["nation"])


@pytest.mark.parametrize("typed", ["BT7 1NN", "bt11aa", "BT99 9ZZ"])
def test_bt_is_northern_ireland_without_lad(typed):
    row = _one(typed)
    assert row["status"] == "ok"
    assert row["nation"] == "Northern Ireland"
    assert row["region_code"] == "N92000002" and row["itl1_code"] == "TLN"
    assert pd.isna(row["lad_code"])


@pytest.mark.parametrize("typed", ["AA1 1AA", "S94 1AA", "TW98 1AA", "BX1 1LT"])
def test_unknown_or_non_geographic_district_not_found(typed):
    row = _one(typed)
    assert row["status"] == "not_found"
    assert pd.isna(row["region_code"]) and pd.isna(row["nation"])


def test_straddling_district_takes_majority_region_and_is_flagged():
    geo = reference.assign_geography(pd.Series(["CH4 8AA", "SW1A 1AA", "BT7 1NN", None], dtype=object))
    assert geo["straddles_region"].tolist() == [True, False, False, False]
    assert geo.loc[0, "region_code"] == "E12000002"  # most of CH4's postcodes are in England
    assert 0.5 < geo.loc[0, "rgn_share"] < 1
    assert g.straddling_count(pd.Series(["CH4", "SW1A", "HR3", None])) == 2


def test_order_index_and_columns_preserved():
    s = pd.Series(["BT7 1NN", "xx", None, "M1 1AE", "JE2 3AB"], index=[50, 7, 3, 99, 0], dtype=object)
    geo = reference.assign_geography(s)
    assert list(geo.index) == [50, 7, 3, 99, 0]
    assert geo["status"].tolist() == ["ok", "invalid", "missing", "ok", "outside_uk"]
    for col in (
        "postcode",
        "postcode_district",
        "status",
        "nation",
        "region_code",
        "region_name",
        "itl1_code",
        "lad_code",
        "straddles_region",
        "partial",
    ):
        assert col in geo.columns
    assert geo["straddles_region"].dtype == bool and geo["partial"].dtype == bool
    assert set(geo["status"]) <= set(reference.STATUSES)


def test_empty_input():
    geo = reference.assign_geography(pd.Series([], dtype=object))
    assert len(geo) == 0 and "status" in geo.columns


def test_every_reference_district_round_trips():
    ref = pd.read_csv(reference.paths.REFERENCE_DIR / "postcodes" / "postcode_districts_uk.csv")
    geo = reference.assign_geography(ref["district"])
    ok = geo["status"].eq("ok")
    assert (geo.loc[ok, "region_code"] == ref.loc[ok, "RGN23CD"]).all()
    assert (~ok).sum() == 9  # the nine non-geographic GB districts


# ---------------------------------------------------------------------------
# Accuracy on real GB postcodes (issue 5: at least 99.5 % in their correct region)
# ---------------------------------------------------------------------------
def test_accuracy_on_real_gb_postcodes():
    truth = pd.read_csv(DATA / "test_postcodes_gb_one_per_district.csv")
    assert len(truth) == 2864
    geo = reference.assign_geography(truth["postcode"])
    assert geo["status"].eq("ok").all()
    accuracy = (geo["region_code"] == truth["RGN23CD"]).mean()
    assert accuracy >= 0.995, f"region accuracy {accuracy:.4f}"
    # The misses are all in districts that cross a region boundary.
    wrong = geo["region_code"] != truth["RGN23CD"]
    assert geo.loc[wrong, "straddles_region"].all()


# ---------------------------------------------------------------------------
# Reference helpers
# ---------------------------------------------------------------------------
def test_region_lookup_and_population():
    regions = reference.region_lookup()
    assert list(regions.index) == list(reference.REGION_ORDER)
    assert regions["population"].sum() == 67_596_281
    assert regions.loc["E12000006", "region_name"] == "East of England"
    assert regions.loc["N92000002", "itl1_code"] == "TLN"
    assert reference.population_by_nation()["Wales"] == 3_131_640
    assert len(reference.lad_profile()) == 361


# ---------------------------------------------------------------------------
# Hand-checked rates and representation index on a tiny table
# ---------------------------------------------------------------------------
def test_region_rates_by_hand():
    counts = pd.Series({"A": 10.0, "B": 30.0, "C": 0.0})
    population = pd.Series({"A": 1_000_000, "B": 2_000_000, "C": 1_000_000})
    r = g.region_rates(counts, population)
    # A: 10 per million; 25 % of applicants vs 25 % of people -> index 1.0
    assert r.loc["A", "per_million"] == pytest.approx(10.0)
    assert r.loc["A", "applicant_share"] == pytest.approx(0.25)
    assert r.loc["A", "population_share"] == pytest.approx(0.25)
    assert r.loc["A", "representation_index"] == pytest.approx(1.0)
    # B: 15 per million; 75 % vs 50 % -> 1.5
    assert r.loc["B", "per_million"] == pytest.approx(15.0)
    assert r.loc["B", "representation_index"] == pytest.approx(1.5)
    # C: none
    assert r.loc["C", "representation_index"] == 0


def test_suppressed_counts_stay_hidden_in_rates():
    counts = pd.Series({"A": 10.0, "B": np.nan, "C": 6.0})
    population = pd.Series({"A": 1e6, "B": 1e6, "C": 2e6})
    r = g.region_rates(counts, population, total=19)
    assert r.loc["B", ["per_million", "applicant_share", "representation_index"]].isna().all()
    assert r.loc["A", "applicant_share"] == pytest.approx(10 / 19)  # true published base
    assert r.loc["C", "representation_index"] == pytest.approx((6 / 19) / 0.5)


def test_representation_index_is_share_over_share():
    idx = g.representation_index(pd.Series([0.1, 0.3]), pd.Series([0.2, 0.1]))
    assert idx.tolist() == pytest.approx([0.5, 3.0])


def test_region_and_nation_counts_keep_zeros():
    df = pd.DataFrame(
        {
            "region_code": ["E12000007", "E12000007", "N92000002", None],
            "nation": ["England", "England", "Northern Ireland", None],
        }
    )
    rc = g.region_counts(df)
    assert rc["E12000007"] == 2 and rc["N92000002"] == 1 and rc["E12000001"] == 0
    assert len(rc) == 12
    assert g.nation_counts(df).tolist() == [2, 0, 0, 1]


def test_profile_against_population():
    lads = pd.Series(["E06000001", "E06000002", "E09000033", None])  # two quintile-1 LADs
    prof = g.profile_against_population(lads, "imd_quintile", categories=[1, 2, 3, 4, 5])
    assert prof["applicants"].sum() == 3
    assert prof.loc[1, "applicants"] == 2
    assert prof["population_share"].sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------------
# Gap sentences and heading, from data
# ---------------------------------------------------------------------------
def _rates(counts: dict[str, float]) -> pd.DataFrame:
    series = pd.Series(counts, dtype="float64").reindex(list(reference.REGION_ORDER))
    return g.region_rates(series, reference.population_by_region(), total=series.sum())


def test_gap_sentence_for_empty_region_uses_population_share():
    counts = {c: 20.0 for c in reference.REGION_ORDER}
    counts["E12000001"] = 0.0
    names = reference.region_lookup()["region_name"]
    sentences = g.coverage_gap_sentences(_rates(counts), names)
    assert sentences[0] == "No applicants came from the North East, home to 4% of the UK population."


def test_gap_sentences_join_several_empty_regions_and_describe_thin_ones():
    counts = {c: 20.0 for c in reference.REGION_ORDER}
    counts["E12000001"] = 0.0
    counts["N92000002"] = 0.0
    counts["E12000008"] = 2.0  # 2 of 202 applicants vs 13.9 % of people
    names = reference.region_lookup()["region_name"]
    s = g.coverage_gap_sentences(_rates(counts), names)
    assert s[0] == (
        "No applicants came from the North East or Northern Ireland, together home to "
        "7% of the UK population."
    )
    assert s[1].startswith("The South East had 1% of applicants against 14% of the UK population")


def test_gap_sentences_never_describe_suppressed_regions():
    counts = {c: 20.0 for c in reference.REGION_ORDER}
    counts["E12000001"] = np.nan
    names = reference.region_lookup()["region_name"]
    assert g.coverage_gap_sentences(_rates(counts), names) == []


def test_headline():
    names = reference.region_lookup()["region_name"]
    even = {c: 20.0 for c in reference.REGION_ORDER}
    assert g.headline(_rates(even), names) == "Applicants came from every UK nation and every English region"
    thin = dict(even, E12000001=1.0)
    assert (
        g.headline(_rates(thin), names) == "Applicants came from every UK nation, but few from the North East"
    )
    no_ni = dict(even, N92000002=0.0)
    assert g.headline(_rates(no_ni), names) == (
        "Applicants came from 3 of the 4 UK nations, but none from Northern Ireland"
    )


def test_percent_format():
    assert text.percent(0.039692) == "4%"
    assert text.percent(0.039692, 1) == "4.0%"


# ---------------------------------------------------------------------------
# analyse(ctx) end to end on a small made-up pool
# ---------------------------------------------------------------------------
def _applicants(seed: int = 1) -> pd.DataFrame:
    """About 150 applicants, none from the North East, London and the South East over-represented."""
    rng = np.random.default_rng(seed)
    truth = pd.read_csv(DATA / "test_postcodes_gb_one_per_district.csv")
    truth = truth[truth["RGN23CD"] != "E12000001"]
    weight = np.where(truth["RGN23CD"].isin(["E12000007", "E12000008"]), 6.0, 1.0)
    typed = list(rng.choice(truth["postcode"].to_numpy(), 140, p=weight / weight.sum()))
    typed += ["BT7 1NN"] * 6 + ["JE2 3AB", "not a postcode", None, "S94 1AA"]
    geo = reference.assign_geography(pd.Series(typed, dtype=object))
    ok = geo["status"].eq("ok")
    app = pd.DataFrame({"org_id": [f"O{i:010x}" for i in range(len(typed))]})
    app["postcode_district"] = geo["postcode_district"]
    app["postcode_status"] = geo["status"]
    for col in ("lad_code", "region_code", "region_name", "itl1_code", "nation"):
        app[col] = geo[col].where(ok)
    app["region_source"] = np.where(ok, "postcode", "none")
    stated = app.index[app["postcode_status"].eq("invalid")]
    app.loc[stated, ["region_code", "region_name", "itl1_code", "nation", "region_source"]] = [
        "E12000007",
        "London",
        "TLI",
        "England",
        "stated",
    ]
    app["region_stated"] = None
    app["region_disagrees"] = app.index < 3
    app["research_consent"] = ~app.index.isin([10, 11])
    return app


def test_analyse_builds_publishable_findings(make_context, tmp_path):
    from analysis.disclosure import ProtectedTable
    from analysis.findings import Findings

    app = _applicants()
    findings = g.analyse(make_context({"applicants": app}))
    assert findings.area == "geography"
    assert findings.heading == "Applicants came from every UK nation, but none from the North East"
    assert 3 <= len(findings.key_messages) <= 5
    assert all(m.endswith(".") and any(ch.isdigit() for ch in m) for m in findings.key_messages)
    assert "No applicants came from the North East, home to 4% of the UK population." in findings.key_messages
    assert all(isinstance(t, ProtectedTable) for t in findings.tables.values())
    map_fig, dots = findings.figures
    assert map_fig.in_brief and map_fig.alt and map_fig.svg.startswith("<svg")
    # The labelled dot plot with intervals beside the map; both share its table: every region
    # (by name) and the UK rate.
    assert dots.key == "applicants_per_million_intervals" and dots.alt.startswith(
        "Dot plot with 95% intervals"
    )
    names = set(reference.region_lookup()["region_name"])
    assert set(dots.table.values.index) == names | {"United Kingdom"}
    assert map_fig.table.equals(dots.table)
    # Consent exclusions: the two non-consenting organisations are in no count.
    region_table = findings.tables["by_region"]
    uk_total = region_table.values.loc["United Kingdom", "applicants"]
    consenting = app[app["research_consent"]]
    assert uk_total == consenting["region_code"].notna().sum()
    # England is protected as the subtotal of its nine regions, in the same table.
    english = [reference.region_lookup().loc[c, "region_name"] for c in reference.REGION_ORDER[:9]]
    shown = region_table.values.loc[english, "applicants"]
    england = region_table.values.loc["England", "applicants"]
    if shown.notna().all():
        assert england == shown.sum()
    else:
        assert shown.isna().sum() >= 2 or np.isnan(england)
    # Members are not known in this run: said in words.
    assert "there was none for this run" in findings.brief_text
    assert findings.policy_asks and "North East" in findings.policy_asks[0]
    # Saved findings load back.
    path = findings.save(tmp_path / "findings")
    assert Findings.load(path.parent, "geography").heading == findings.heading


def test_quality_counts_from_the_applicants_table():
    pool = g.split_pool(_applicants())
    q = g.quality_counts(pool)
    assert q["no_consent"] == 2
    assert q["outside_uk"] == 1
    assert q["stated_invalid"] == 1
    assert q["no_region"] == 2  # no postcode and S94 (non-geographic), no region stated
    assert q["disagrees"] == 3
    assert q["no_lad"] == 7  # six BT postcodes and one region from the form
    assert q["straddles"] == g.straddling_count(
        pool.uk.loc[pool.uk["region_source"].eq("postcode"), "postcode_district"]
    )


def test_members_against_pool_from_roster(make_context):
    app = _applicants()
    members = app[app["research_consent"] & app["region_code"].notna()].head(8)["org_id"]
    roster = pd.DataFrame({"org_id": members, "year": 2024, "status": "active"})
    findings = g.analyse(make_context({"applicants": app, "roster": roster}))
    assert findings.facts["members_compared"] is True
    assert any("members come from" in m for m in findings.key_messages)
    member_table = findings.tables["members_by_nation"]
    assert list(member_table.values.columns[:2]) == ["Members", "Other applicants"]


def test_results_name_the_frames_behind_the_tables(make_context):
    app = _applicants()
    res = g.results(make_context({"applicants": app}))
    assert res.findings.tables is res.tables
    assert list(res.frames) == [
        "applicants",
        "rates_by_region",
        "rate_intervals",
        "by_deprivation",
        "by_rural_urban",
        "location_checks",
    ]
    counted = app[
        app["research_consent"] & app["region_code"].notna() & app["postcode_status"].ne("outside_uk")
    ]
    assert sorted(res.frames["applicants"]["org_id"]) == sorted(counted["org_id"])
    # The rates frame holds the published numbers of the region table, by region code.
    rates = res.frames["rates_by_region"]
    assert list(rates.index) == list(reference.REGION_ORDER)
    published = res.tables["by_region"].values.loc[rates["region_name"]]
    for column in ("applicants", "per_million", "representation_index"):
        np.testing.assert_allclose(rates[column].to_numpy(), published[column].to_numpy())
    assert "rates_by_region (12 rows)" in repr(res) and "PNG" not in repr(res)


def test_members_come_only_from_this_years_active_roster(make_context):
    app = _applicants()
    ids = app[app["research_consent"] & app["region_code"].notna()].head(4)["org_id"]
    roster = pd.DataFrame(
        {"org_id": ids, "year": [2023, 2023, 2024, 2024], "status": ["active", "active", "left", "left"]}
    )
    res = g.results(make_context({"applicants": app, "roster": roster}))
    assert res.findings.facts["members_compared"] is False
    assert "members_by_nation" not in res.tables and "members_by_nation" not in res.frames


# ---------------------------------------------------------------------------
# Members by nation: public (the membership policy), printed in full
# ---------------------------------------------------------------------------
def _members_run(make_context, picks: dict[str, int]):
    """Geography results with `picks` members from each nation (the first applicants of each)."""
    app = _applicants()
    uk = app[app["research_consent"] & app["region_code"].notna() & app["postcode_status"].ne("outside_uk")]
    ids = pd.concat([uk.loc[uk["nation"].eq(n), "org_id"].head(k) for n, k in picks.items()])
    roster = pd.DataFrame({"org_id": ids, "year": 2024, "status": "active"})
    return g.results(make_context({"applicants": app, "roster": roster})), uk


def _hidden_nations(table, column) -> set[str]:
    hidden = table.suppressed[column]
    return {n for n in reference.NATION_ORDER if n in hidden.index and hidden[n]}


def test_members_by_nation_are_printed_in_full_and_the_others_protected(make_context, tmp_path):
    from analysis.disclosure import DisclosureRules
    from analysis.findings import Findings
    from analysis.geography.tables import map_table
    from analysis.publish.downloads import AREAS
    from analysis.publish.plan import year_plan

    res, uk = _members_run(make_context, {"England": 5, "Wales": 1, "Northern Ireland": 2})
    by_nation = uk["nation"].value_counts()
    assert by_nation["Northern Ireland"] - 2 < 5  # the other applicants of Northern Ireland: a small count
    table = res.tables["members_by_nation"]
    members = table.values["Members"]
    # Every member count printed, the nation with 1 member too, and the members' total.
    assert table.status["Members"].isin(["safe", "zero"]).all() and not table.suppressed["Members"].any()
    assert members["Wales"] == 1 and members["Northern Ireland"] == 2 and members["England"] == 5
    assert members["Total"] == 8 and members["Scotland"] == 0
    # The small count of other applicants is hidden with its nation's total, and a complement.
    others, totals = _hidden_nations(table, "Other applicants"), _hidden_nations(table, "Total")
    assert "Northern Ireland" in others and len(others) >= 2 and others == totals
    assert not table.suppressed.loc["Total"].any()
    # Every table shows the same hidden nations: region table, nation table, map, members table.
    region, nation = res.tables["by_region"], res.tables["by_nation"]
    assert _hidden_nations(region, "applicants") == totals == _hidden_nations(nation, "applicants")
    coded = map_table(region)
    codes = {reference.region_lookup().loc[c, "region_name"]: c for c in coded.values.index}
    on_map = {n for n in reference.NATION_ORDER if n in codes and coded.suppressed.at[codes[n], "applicants"]}
    assert on_map == totals - {reference.ENGLAND}
    shown = [n for n in reference.NATION_ORDER if n not in totals]
    for n in shown:  # a printed nation: members + other applicants = its total = the region table's
        assert table.values.at[n, "Total"] == members[n] + table.values.at[n, "Other applicants"]
        assert table.values.at[n, "Total"] == region.values.at[n, "applicants"] == by_nation.get(n, 0)
    # The whole-publication audit finds nothing a reader could work out (members printed).
    findings = tmp_path / "findings"
    res.findings.save(findings)
    for area in AREAS[1:]:
        Findings(area=area, heading="none").save(findings)
    rules = DisclosureRules.from_config(make_context().config)
    plan = year_plan(findings, 2024, {})
    assert plan.audit(rules) == []
    hidden = [k for k, c in plan.cells.items() if c.hidden]
    assert any("Northern Ireland" in str(k) and "other in 2024" in str(k) for k in hidden)


def test_a_lone_member_nation_is_printed_and_nothing_is_hidden_needlessly(make_context):
    res, uk = _members_run(make_context, {"England": 3, "Scotland": 1})
    table = res.tables["members_by_nation"]
    assert table.values.at["Scotland", "Members"] == 1 and table.display.at["Scotland", "Members"] == "1"
    # Members are public, so a lone member hides nothing: with no small count of other
    # applicants (Wales has 5, Northern Ireland 6, Scotland 11), every cell is printed.
    others = table.values["Other applicants"]
    assert not table.suppressed.any().any() and others.drop("Total").min() >= 5
    assert not res.tables["by_region"].suppressed.loc[list(reference.NATION_ORDER)].any().any()
    assert table.values.at["Scotland", "Total"] == (uk["nation"] == "Scotland").sum() == 12
