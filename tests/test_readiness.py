"""Tests for analysis.readiness: expected values worked out by hand or from published examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import readiness
from analysis.disclosure import DisclosureRules
from analysis.readiness import counts, reliability
from analysis.readiness import measures as m
from analysis.readiness import text as words

PRACTICES = list(m.option_labels(None, "practices_used"))
WANTS = list(m.option_labels(None, "wants_from_network"))


def _levels(now, target):
    return pd.DataFrame(
        {
            "level_now": pd.array(now, dtype="Int64"),
            "level_target_2026": pd.array(target, dtype="Int64"),
        }
    )


# ---------------------------------------------------------------------------
# Ambition band rubric on hand-made rows
# ---------------------------------------------------------------------------
def test_ambition_band_default_rubric_by_hand():
    df = _levels(
        [1, 1, 2, 3, 3, 4, 4, 5, None, 2, 2, 1],
        [2, 1, 3, 4, 5, 5, 3, 5, 3, None, 4, 5],
    )
    df.index = [f"r{i}" for i in range(len(df))]
    got = m.ambition_band(df)
    expected = [
        "high",  # inform -> consult: one step from inform
        "low",  # no move
        "high",  # consult -> involve: one step from consult
        "medium",  # involve -> collaborate: one step from involve
        "high",  # gap 2
        "medium",  # collaborate -> empower: one step from collaborate
        "low",  # aims lower
        "low",  # already at empower
        None,  # level now missing
        None,  # target missing
        "high",  # gap 2 from consult
        "high",  # gap 4
    ]
    assert list(got.index) == list(df.index)
    assert [None if pd.isna(v) else v for v in got] == expected


def test_ambition_band_follows_config():
    # Switch off the "one step from inform/consult" rule and demand 3 levels for high.
    cfg = {"readiness": {"ambition": {"high_min_gap": 3, "high_one_step_from": [], "medium_min_gap": 1}}}
    df = _levels([1, 1, 2, 1], [2, 3, 5, 1])
    assert m.ambition_band(df, cfg).tolist() == ["medium", "medium", "high", "low"]


def test_ambition_band_reads_project_config():
    from analysis.config import load_config

    cfg = load_config(2024)
    assert m.ambition_rubric(cfg)["high_min_gap"] == 2
    df = _levels([2, 3], [3, 4])
    assert m.ambition_band(df, cfg).tolist() == ["high", "medium"]


def test_rubric_refuses_nonsense():
    with pytest.raises(ValueError):
        m.ambition_rubric({"readiness": {"ambition": {"medium_min_gap": 0}}})


def test_ambition_gap():
    assert m.ambition_gap(_levels([1, 4, None], [3, 2, 2])).tolist()[:2] == [2, -2]
    assert pd.isna(m.ambition_gap(_levels([1, 4, None], [3, 2, 2])).iloc[2])


# ---------------------------------------------------------------------------
# Readiness index
# ---------------------------------------------------------------------------
def test_readiness_index_by_hand():
    df = pd.DataFrame(
        {
            c: pd.array(v, dtype="Int64")
            for c, v in zip(
                m.READINESS_ITEMS,
                [[1, 5, 3, 4, 2], [1, 5, 3, 2, None], [1, 5, 3, 5, 2], [1, 5, 3, 3, 2], [1, 5, 3, 1, 2]],
            )
        }
    )
    idx = m.readiness_index(df)
    # all 1 -> 0; all 5 -> 100; all 3 -> 50; (4+2+5+3+1)/5 = 3 -> 50; missing item -> null
    assert idx.iloc[:4].tolist() == [0.0, 100.0, 50.0, 50.0]
    assert pd.isna(idx.iloc[4])


# ---------------------------------------------------------------------------
# Cronbach's alpha
# ---------------------------------------------------------------------------
# LSAT section 6 (Bock & Lieberman 1970, Psychometrika 35; the `LSAT` data of R's ltm package):
# 1000 examinees, 5 right/wrong items, published as response-pattern frequencies.
LSAT_PATTERNS = {
    "00000": 3,
    "00001": 6,
    "00010": 2,
    "00011": 11,
    "00100": 1,
    "00101": 1,
    "00110": 3,
    "00111": 4,
    "01000": 1,
    "01001": 8,
    "01010": 0,
    "01011": 16,
    "01100": 0,
    "01101": 3,
    "01110": 2,
    "01111": 15,
    "10000": 10,
    "10001": 29,
    "10010": 14,
    "10011": 81,
    "10100": 3,
    "10101": 28,
    "10110": 15,
    "10111": 80,
    "11000": 16,
    "11001": 56,
    "11010": 21,
    "11011": 173,
    "11100": 11,
    "11101": 61,
    "11110": 28,
    "11111": 298,
}


def _lsat() -> pd.DataFrame:
    rows = [[int(ch) for ch in p] for p, f in LSAT_PATTERNS.items() for _ in range(f)]
    return pd.DataFrame(rows, columns=[f"item{i}" for i in range(1, 6)])


def test_alpha_lsat_published_value():
    # ltm::cronbach.alpha(LSAT) publishes alpha = 0.295. By hand (KR-20, population variances,
    # the n/(n-1) factors cancel): item p = .924 .709 .553 .763 .870, so
    # sum p(1-p) = .070224 + .206319 + .247191 + .180831 + .113100 = 0.817665.
    # Total scores 0..5 occur 3, 20, 85, 237, 357, 298 times: mean 3.819, E[X^2] = 15.655,
    # variance = 15.655 - 3.819^2 = 1.070239.
    # alpha = 5/4 * (1 - 0.817665 / 1.070239) = 0.29500.
    data = _lsat()
    assert data.mean().round(3).tolist() == [0.924, 0.709, 0.553, 0.763, 0.870]
    assert reliability.cronbach_alpha(data) == pytest.approx(0.29500, abs=5e-5)
    assert round(reliability.cronbach_alpha(data), 3) == 0.295


def test_alpha_small_example_by_hand():
    # Three items, four respondents. Item variances (n-1): 5/3, 2.75/3, 5/3 -> sum 12.75/3 = 4.25.
    # Totals 13, 10, 15, 7: mean 11.25, squared deviations 3.0625 + 1.5625 + 14.0625 + 18.0625
    # = 36.75, variance 12.25. alpha = 3/2 * (1 - 4.25/12.25) = 12/12.25 = 48/49.
    items = pd.DataFrame({"a": [4, 3, 5, 2], "b": [5, 4, 5, 3], "c": [4, 3, 5, 2]})
    assert reliability.cronbach_alpha(items) == pytest.approx(48 / 49)


def test_alpha_leaves_out_rows_with_missing_items_and_counts_them():
    items = pd.DataFrame({"a": [4, 3, 5, 2, None, 1], "b": [5, 4, 5, 3, 2, None], "c": [4, 3, 5, 2, 1, 1]})
    detail = reliability.cronbach_alpha_detail(items)
    assert detail.alpha == pytest.approx(48 / 49)
    assert (detail.n_used, detail.n_dropped, detail.n_items) == (4, 2, 3)
    assert reliability.cronbach_alpha(items) == pytest.approx(48 / 49)


def test_alpha_base_gives_no_number_when_few_are_left_out():
    """Beside the analysed total, "143 complete answers" would give a small number left out away."""
    items = pd.DataFrame({"a": [4, 3, 5, 2, None, 1], "b": [5, 4, 5, 3, 2, None], "c": [4, 3, 5, 2, 1, 1]})
    detail = reliability.cronbach_alpha_detail(items)  # 4 used, 2 left out
    rules = DisclosureRules(min_count=5)
    assert words.alpha_base(detail, rules) == "the applicants who answered all five"
    assert "4" not in words.alpha_base(detail, rules, dropped=True)
    assert words.alpha_sentence(detail, rules).endswith("from the applicants who answered all five).")
    loose = DisclosureRules(min_count=2)
    assert (
        words.alpha_base(detail, loose, dropped=True)
        == "4 complete answers, 2 left out for a missing statement"
    )


def test_alpha_detail_feldt_interval_and_item_total():
    data = _lsat()
    d = reliability.cronbach_alpha_detail(data, ci_level=0.95, flag_below=0.7)
    # Feldt: (1 - alpha)/(1 - alpha_hat) ~ F(n-1, (n-1)(k-1)) with n = 1000, k = 5.
    f_lo, f_hi = stats.f.ppf([0.025, 0.975], 999, 999 * 4)
    assert d.ci_low == pytest.approx(1 - (1 - d.alpha) * f_hi)
    assert d.ci_high == pytest.approx(1 - (1 - d.alpha) * f_lo)
    assert d.ci_low < d.alpha < d.ci_high
    assert d.flagged  # 0.295 < 0.7
    # Corrected item-total r for item1: correlation of item1 with items 2-5 summed.
    rest = data.drop(columns="item1").sum(axis=1)
    assert d.item_total["item1"] == pytest.approx(np.corrcoef(data["item1"], rest)[0, 1])
    assert set(d.item_total) == set(data.columns)
    assert d.alpha_if_dropped["item1"] == pytest.approx(
        reliability.cronbach_alpha(data.drop(columns="item1"))
    )


def test_alpha_not_flagged_when_high():
    items = pd.DataFrame({"a": [4, 3, 5, 2], "b": [5, 4, 5, 3], "c": [4, 3, 5, 2]})
    assert not reliability.cronbach_alpha_detail(items).flagged


def test_alpha_undefined_cases_are_nan():
    assert math.isnan(reliability.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]})))  # one item
    assert math.isnan(reliability.cronbach_alpha(pd.DataFrame({"a": [2, 2], "b": [3, 3]})))  # no variance


# ---------------------------------------------------------------------------
# Sign test, bootstrap and change since baseline
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("n_up,n_down", [(0, 1), (6, 3), (3, 6), (10, 0), (12, 18), (25, 25), (40, 3)])
def test_sign_test_and_feldt_quantiles_equal_scipy_stats(n_up, n_down):
    """The light implementations (no scipy.stats import in the kernels) agree with scipy.stats."""
    from scipy import stats

    expected = stats.binomtest(n_up, n_up + n_down, 0.5, alternative="two-sided").pvalue
    assert reliability.sign_test(n_up, n_down) == pytest.approx(expected, rel=1e-12)
    n, k = n_up + 3, n_down + 2
    low, high = reliability.feldt_interval(0.8, n, k)
    d1, d2 = n - 1, (n - 1) * (k - 1)
    assert low == pytest.approx(1 - 0.2 * stats.f.ppf(0.975, d1, d2), rel=1e-10)
    assert high == pytest.approx(1 - 0.2 * stats.f.ppf(0.025, d1, d2), rel=1e-10)


def test_sign_test_by_hand():
    # 7 up, 1 down: P(X <= 1 | n = 8, p = 1/2) = (1 + 8)/256; two-sided doubles it: 18/256.
    assert reliability.sign_test(7, 1) == pytest.approx(18 / 256)
    # 9 up, 1 down: 2 * (1 + 10)/1024 = 22/1024 = 0.0215.
    assert reliability.sign_test(9, 1) == pytest.approx(22 / 1024)
    # 3 up, 3 down: perfectly balanced, p = 1.
    assert reliability.sign_test(3, 3) == pytest.approx(1.0)
    assert math.isnan(reliability.sign_test(0, 0))


def test_bootstrap_is_deterministic_and_leaves_global_state_alone():
    x = np.array([1.3, 0.2, -0.4, 1.1, 2.5, -1.7, 0.05, 0.9, 1.6, 0.3])
    np.random.seed(1)
    before = np.random.random()
    np.random.seed(1)
    a = reliability.bootstrap_mean_interval(x, resamples=2000, seed=42)
    after = np.random.random()
    b = reliability.bootstrap_mean_interval(x, resamples=2000, seed=42)
    c = reliability.bootstrap_mean_interval(x, resamples=2000, seed=43)
    assert a == b
    assert a != c
    assert before == after  # the global generator was not touched
    assert a[0] <= x.mean() <= a[1]


def test_bootstrap_constant_values_give_a_point():
    assert reliability.bootstrap_mean_interval([1.0, 1.0, 1.0], resamples=100, seed=1) == (1.0, 1.0)
    assert all(math.isnan(v) for v in reliability.bootstrap_mean_interval([1.0], resamples=100, seed=1))


def _surveys():
    # Members A-F. Baseline 2024 and 2025 levels; E did not return in 2025; F has no level in 2024.
    rows = [
        ("A", 2024, 2),
        ("A", 2025, 3),
        ("B", 2024, 2),
        ("B", 2025, 4),
        ("C", 2024, 3),
        ("C", 2025, 3),
        ("D", 2024, 4),
        ("D", 2025, 3),
        ("E", 2024, 1),
        ("F", 2024, None),
        ("F", 2025, 2),
        ("G", 2025, 5),  # not a member this year
    ]
    df = pd.DataFrame(rows, columns=["org_id", "year", "level_now"])
    df["level_now"] = df["level_now"].astype("Int64")
    return df


def test_change_since_baseline_by_hand():
    members = ["A", "B", "C", "D", "E", "F"]
    c = m.change_since_baseline(_surveys(), "level_now", 2024, 2025, members=members, resamples=500, seed=7)
    # Paired: A +1, B +2, C 0, D -1. E and F lack a year.
    assert (c.n_members, c.n_paired, c.n_missing) == (6, 4, 2)
    assert (c.n_up, c.n_same, c.n_down) == (2, 1, 1)
    assert c.mean_change == pytest.approx(0.5)
    assert c.mean_baseline == pytest.approx(11 / 4)
    assert c.mean_now == pytest.approx(13 / 4)
    # 2 up vs 1 down: 2 * P(X <= 1 | n = 3) = 2 * 4/8 = 1.0
    assert c.sign_test_p == pytest.approx(1.0)
    assert not c.distinguishable
    again = m.change_since_baseline(
        _surveys(), "level_now", 2024, 2025, members=members, resamples=500, seed=7
    )
    assert (c.ci_low, c.ci_high) == (again.ci_low, again.ci_high)
    assert -1 <= c.ci_low <= 0.5 <= c.ci_high <= 2
    text = words.describe_change(c, "the participation spectrum")
    assert "2 moved up" in text and "1 stayed the same" in text and "1 moved down" in text
    assert "cannot tell" in text


def test_change_readiness_index_column():
    rows = []
    for org, base, now in [("A", 3, 4), ("B", 2, 2)]:
        rows.append({"org_id": org, "year": 2024, **{c: base for c in m.READINESS_ITEMS}})
        rows.append({"org_id": org, "year": 2025, **{c: now for c in m.READINESS_ITEMS}})
    c = m.change_since_baseline(pd.DataFrame(rows), "readiness_index", 2024, 2025, resamples=100, seed=1)
    # A: 50 -> 75 (+25); B: 25 -> 25 (0).
    assert (c.n_up, c.n_same, c.n_down) == (1, 1, 0)
    assert c.mean_change == pytest.approx(12.5)


# ---------------------------------------------------------------------------
# Descriptive tables (layer 1) on a hand-made applicants table
# ---------------------------------------------------------------------------
def _applicants() -> pd.DataFrame:
    rows = [
        # org, type, staff, nation, now, target, items, commit, consent, practices, wants
        ("O1", "library", "0-9", "England", 1, 2, 4, "yes", True, ["citizens_jury"], ["peer_learning"]),
        (
            "O2",
            "library",
            "10-49",
            "Wales",
            2,
            4,
            5,
            "yes",
            True,
            ["citizens_jury", "community_panel"],
            ["workshops"],
        ),
        ("O3", "festival", "0-9", "Northern Ireland", 3, 4, 3, "unsure", True, [], ["peer_learning"]),
        ("O4", "library", "0-9", "Scotland", 4, 4, 2, "no", True, ["none_yet"], []),
        ("O5", "museum_gallery", "250+", "England", None, 3, None, None, True, [], []),
        ("O6", "library", "0-9", "England", 2, 3, 4, "yes", False, [], []),
    ]
    practices, wants = PRACTICES, WANTS
    recs = []
    for org, typ, staff, nation, now, target, item, commit, consent, pr, wa in rows:
        rec = {
            "org_id": org,
            "org_type": typ,
            "staff_band": staff,
            "nation": nation,
            "level_now": now,
            "level_target_2026": target,
            "can_commit_3_years": commit,
            "research_consent": consent,
        }
        rec.update({c: item for c in m.READINESS_ITEMS})
        rec.update({f"practice_{p}": p in pr for p in practices})
        rec.update({f"want_{w}": w in wa for w in wants})
        recs.append(rec)
    df = pd.DataFrame(recs)
    for c in ["level_now", "level_target_2026", *m.READINESS_ITEMS]:
        df[c] = df[c].astype("Int64")
    return df


def test_research_sample_excludes_and_counts():
    used, excluded = counts.research_sample(_applicants())
    assert excluded == 1 and len(used) == 5 and "O6" not in set(used["org_id"])


def test_research_sample_is_the_uk_based_consenting_group():
    df = _applicants()
    df["postcode_status"] = ["ok", "ok", "outside_uk", "ok", "ok", "ok"]
    df["region_code"] = ["E12000001", "W92000004", None, None, "E12000007", "E12000007"]
    used, excluded = counts.research_sample(df)
    assert excluded == 1 and list(used["org_id"]) == ["O1", "O2", "O5"]


def test_level_and_band_tables_by_hand():
    df, _ = counts.research_sample(_applicants())
    levels = counts.level_distribution(df)
    assert levels["Now"].tolist() == [1, 1, 1, 1, 0]
    assert levels["Aim for 2026"].tolist() == [0, 1, 1, 3, 0]  # O5 has a target but no level now
    frame = counts.profile_frame(df)
    assert frame["ambition_gap"].tolist()[:4] == [1.0, 2.0, 1.0, 0.0] and pd.isna(
        frame["ambition_gap"].iloc[4]
    )
    # O1 1->2 high, O2 2->4 high, O3 3->4 medium, O4 4->4 low, O5 missing.
    assert counts.profile_counts(df, "staff_band").sum().to_dict() == {
        "Low": 1,
        "Medium": 1,
        "High": 2,
        "Not answered": 1,
    }
    assert counts.commitment_counts(df).to_dict() == {"Yes": 2, "Not sure": 1, "No": 1, "Not answered": 1}


def test_likert_and_flag_counts():
    df, _ = counts.research_sample(_applicants())
    lik = counts.likert_band_counts(df)
    # Items answered 4, 5, 3, 2 and one skipped: disagree (1-2) 1, neither (3) 1, agree (4-5) 2.
    assert lik.loc["Staff skills"].tolist() == [1, 1, 2]
    assert counts.flag_counts(df, counts.PRACTICES)["Citizens' jury"] == 2
    assert counts.flag_counts(df, counts.WANTS)["Peer learning"] == 2


def test_groups_merge_nations_and_small_types():
    from analysis.config import load_config

    cfg = load_config(2024)
    df, _ = counts.research_sample(_applicants())
    nations = counts.group_column(df, "nation", cfg)
    assert set(nations) == {"England", "Wales, Scotland and Northern Ireland"}
    types = counts.group_column(df, "org_type", cfg)  # every type has fewer than 5: all become Other
    assert set(types) == {"Other"}
    notes = words.merge_notes(df, cfg)
    assert notes == [
        'Types with fewer than 5 applicants (Festival, Library and Museum or gallery) are counted under "Other".',
        'Wales, Scotland and Northern Ireland are shown together as "Wales, Scotland and Northern Ireland".',
    ]
    table = counts.practices_by_group(df, "org_type", {"readiness": {"merge_org_types_below": 0}})
    assert table.loc["Library", "Applicants"] == 3
    assert table.loc["Library", "Citizens' jury"] == 2


def test_profile_counts_by_hand():
    df, _ = counts.research_sample(_applicants())
    t = counts.profile_counts(df, "staff_band")
    assert t.loc["0-9 staff"].to_dict() == {"Low": 1, "Medium": 1, "High": 1, "Not answered": 0}
    assert t.loc["250+ staff", "Not answered"] == 1


# ---------------------------------------------------------------------------
# analyse(ctx) end to end on generated tables (real disclosure and charts)
# ---------------------------------------------------------------------------
def _generated(n=150, seed=11):
    rng = np.random.default_rng(seed)
    now = rng.choice([1, 2, 3, 4, 5], n, p=[0.25, 0.35, 0.25, 0.1, 0.05])
    target = np.minimum(5, now + rng.choice([0, 1, 2], n, p=[0.15, 0.55, 0.3]))
    base = rng.normal(3, 1, n)
    df = pd.DataFrame(
        {
            "org_id": [f"O{i:010x}" for i in range(n)],
            "org_type": rng.choice(
                ["arts_venue", "museum_gallery", "library", "arts_org", "funder"],
                n,
                p=[0.3, 0.25, 0.2, 0.22, 0.03],
            ),
            "staff_band": rng.choice(["0-9", "10-49", "50-249", "250+"], n),
            "nation": rng.choice(
                ["England", "Wales", "Scotland", "Northern Ireland"], n, p=[0.75, 0.08, 0.12, 0.05]
            ),
            "level_now": pd.array(now, dtype="Int64"),
            "level_target_2026": pd.array(target, dtype="Int64"),
            "can_commit_3_years": rng.choice(["yes", "no", "unsure"], n, p=[0.8, 0.05, 0.15]),
            "research_consent": np.r_[[False, False], np.ones(n - 2, dtype=bool)],
        }
    )
    for c in m.READINESS_ITEMS:
        df[c] = pd.array(np.clip(np.round(base + rng.normal(0, 0.7, n)), 1, 5).astype(int), dtype="Int64")
    for p in PRACTICES:
        df[f"practice_{p}"] = rng.random(n) < 0.35
    for w in WANTS:
        df[f"want_{w}"] = rng.random(n) < 0.5
    members = list(df["org_id"].iloc[2:12])
    rows = []
    for i, o in enumerate(members):
        lv = 1 + i % 3
        rows.append({"org_id": o, "year": 2024, "level_now": lv, **{c: 3 for c in m.READINESS_ITEMS}})
        rows.append(
            {
                "org_id": o,
                "year": 2025,
                "level_now": lv + (i % 2),
                **{c: 3 + (i % 3 == 0) for c in m.READINESS_ITEMS},
            }
        )
    surveys = pd.DataFrame(rows)
    roster = pd.DataFrame(
        [{"org_id": o, "year": y, "status": "active"} for o in members for y in (2024, 2025)]
    )
    return {"applicants": df, "member_surveys": surveys, "roster": roster}


@pytest.mark.parametrize("year", [2024, 2025])
def test_analyse_builds_publishable_findings(make_context, year):
    from analysis.disclosure import ProtectedTable
    from analysis.findings import Findings

    ctx = make_context(_generated(), year=year)
    f = readiness.analyse(ctx)
    assert f.area == "readiness"
    assert f.facts["excluded_no_consent"] == 2 and f.facts["applicants_in_research"] == 148
    assert {fig.key for fig in f.figures} == {"readiness_items", "readiness_levels", "readiness_wants"}
    assert all(isinstance(t, ProtectedTable) for t in f.tables.values())
    assert all(fig.svg.startswith("<svg") and fig.alt for fig in f.figures)
    assert f.key_messages and all(m.endswith(".") for m in f.key_messages)
    assert "High" in f.method_notes and "Cronbach" in f.method_notes
    has_change = any("Members by change" in t.caption for t in f.tables.values())
    assert has_change == (year == 2025)
    if year == 2025:
        # Members 0..9: odd ones moved up one level, even ones stayed: 5 up, 5 same, 0 down.
        assert f.facts["change"]["level_now"]["mean_change"] == pytest.approx(0.5)
        # 5 up vs 0 down: exact two-sided p = 2 * (1/2)^5 = 2/32 = 0.0625, not below 0.05,
        # so the text must say the test cannot tell it from chance.
        assert not f.facts["change"]["level_now"]["sign_test_distinguishable"]
        assert "could not tell" in f.brief_text or "cannot tell" in f.brief_text
    again = Findings.load(f.save(ctx.findings_dir).parent, "readiness")
    assert again.heading == f.heading and len(again.tables) == len(f.tables)


def test_results_name_the_frames_behind_the_tables(make_context):
    ctx = make_context(_generated(), year=2025)
    res = readiness.results(ctx)
    assert {"applicants", "profile_org_type", "readiness_answers", "levels", "alpha_items"} <= set(res.frames)
    assert {"member_change", "change_summary"} <= set(res.frames)
    # The raw frames are what the tables protect: the band table's total is the applicants counted.
    assert len(res.frames["applicants"]) == 148
    assert res.tables["ambition_bands"].values.loc["Total", "Applicants"] == 148
    changes = res.frames["member_change"]
    assert set(changes["measure"]) == {"level_now", "readiness_index"}
    assert changes.loc[changes["measure"] == "level_now", "change"].mean() == pytest.approx(0.5)
    assert res.tables is res.findings.tables
    shown = repr(res)
    assert shown.startswith("<ReadinessResults 2025:") and "member_change" in shown and len(shown) < 600


# ---------------------------------------------------------------------------
# Settings: every default and answer label comes from the settings file
# ---------------------------------------------------------------------------
def test_answer_labels_come_from_the_settings():
    df, _ = counts.research_sample(_applicants())
    df["practice_citizens_on_board"] = True
    from_defaults = counts.flag_counts(df, counts.PRACTICES)
    assert from_defaults["Citizens on our board or governance"] == 5  # the form's own words
    cfg = {"options": {"practices_used": {"Board seats for citizens": "citizens_on_board"}}}
    assert counts.flag_counts(df, counts.PRACTICES, cfg)["Board seats for citizens"] == 5
    assert m.level_names(None) == {1: "Inform", 2: "Consult", 3: "Involve", 4: "Collaborate", 5: "Empower"}
    assert counts.commitment_counts(df).index.tolist() == ["Yes", "Not sure", "No", "Not answered"]


def test_a_partial_settings_dict_is_laid_over_the_defaults_file():
    from analysis.config import defaults

    s = m.readiness_settings({"readiness": {"bootstrap_seed": 7}})
    assert s["bootstrap_seed"] == 7
    assert s["alpha_flag_below"] == defaults()["readiness"]["alpha_flag_below"]
    assert m.ambition_rubric(None) == {**defaults()["readiness"]["ambition"]}


def test_staff_bands_sort_by_their_order_not_as_text():
    from analysis.config import load_config

    df = pd.DataFrame({"staff_band": ["250+", "50-249", "0-9", None, "10-49", "250+"]})
    groups = counts.group_column(df, "staff_band", load_config(2024))
    order = ["0-9 staff", "10-49 staff", "50-249 staff", "250+ staff", counts.NOT_KNOWN]
    assert list(pd.crosstab(groups, "n").index) == order
    assert list(groups.astype(str)) == [
        "250+ staff",
        "50-249 staff",
        "0-9 staff",
        counts.NOT_KNOWN,
        "10-49 staff",
        "250+ staff",
    ]


def test_what_applicants_want_is_tabled_most_first_like_its_chart_with_hidden_counts_last():
    """Appendix 2 drew the chart most-wanted first but tabled the form's order beside it; a hidden
    count goes last whatever its value, so the order tells nothing about it."""
    from analysis.readiness.tables import _most_first
    from publish_helpers import protected

    wants = pd.DataFrame(
        {"Applicants": [89.0, np.nan, 115.0, 25.0, 89.0, np.nan, 63.0]},
        index=[
            "Workshops",
            "Mentoring",
            "Peer learning",
            "Business model review",
            "Help with funding",
            "Visits",
            "Partnerships",
        ],
    )
    table = _most_first(protected(wants, caption="What applicants want from the network"))
    assert list(table.values.index) == [
        "Peer learning",
        "Workshops",
        "Help with funding",
        "Partnerships",
        "Business model review",
        "Mentoring",
        "Visits",
    ]
    assert list(table.display["Applicants"]) == ["115", "89", "89", "63", "25", "[c]", "[c]"]
    assert table.caption == "What applicants want from the network"
