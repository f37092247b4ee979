"""Who is who (issue 13, items 5, 6, 9): one name normaliser, places keep namesakes apart, staff
decisions in the settings, parent-body "none" answers, roster rows resolved by date."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.config import load_config
from analysis.intake.identity import parent_or_na
from analysis.intake.names import means_no_parent, normalise_name
from analysis.intake.orgkeys import resolve
from analysis.intake.quality import IntakeError, TableLog
from analysis.intake.roster import latest_event_per_org
from analysis.intake.tables import _org_ids
from analysis.synthetic import name_key


@pytest.fixture(scope="module")
def config():
    return load_config(2024)


def _with_identity(config, **identity):
    cfg = copy.deepcopy(config)
    cfg.data.setdefault("identity", {}).update(identity)
    return cfg


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Arts & Minds CIC", "arts and minds"),
        ("The Old Vic Ltd.", "Old Vic"),
        ("Café  Nova", "cafe nova"),
        ("St Mary’s Hall", "St. Mary's Hall"),
        ("ＦＵＬＬＷＩＤＴＨ Arts", "fullwidth arts"),
    ],
)
def test_spellings_of_one_organisation_share_a_key(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_names_in_other_scripts_and_emoji_keep_distinct_non_empty_keys():
    names = ["Ολυμπία Θέατρο", "مسرح المدينة", "城市艺术中心", "🎨🎭", "🎻"]
    keys = [normalise_name(n) for n in names]
    assert all(keys) and len(set(keys)) == len(names)
    assert normalise_name("Limited") == "limited" and normalise_name("The") == "the"


@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_no_non_empty_name_has_an_empty_key(name):
    assert normalise_name(name)


def test_the_sample_generator_uses_intakes_normaliser():
    assert name_key("The Arts & Crafts Ltd") == normalise_name("arts and crafts")


@pytest.mark.parametrize(
    "answer", ["No", "none.", "N/A", "-", "No, we are an independent charity", "Independent charity"]
)
def test_parent_answers_that_mean_none(answer, config):
    log = TableLog("t")
    assert parent_or_na(pd.Series([answer]), config, log).isna().all()
    if answer not in ("N/A", "-"):  # those two are blanks already (`fields.blank_to_na`)
        assert log.by_field["parent_body"]["parent_body_none"] == 1


@pytest.mark.parametrize("answer", ["Leeds City Council", "Independent Theatre Council", "Norfolk Museums"])
def test_real_parent_bodies_are_kept(answer, config):
    assert parent_or_na(pd.Series([answer]), config).notna().all()


def test_a_broken_no_parent_pattern_names_the_setting():
    with pytest.raises(IntakeError, match="no_parent_patterns entry 1"):
        means_no_parent("x", ["(unclosed"])


def _rows(*records):
    frame = pd.DataFrame(records, columns=["name", "postcode", "email"])
    frame.index = range(2, len(frame) + 2)
    return frame


def test_namesakes_in_two_districts_are_kept_apart_and_flagged(config):
    f = _rows(
        ("Community Arts Centre", "LS1 4AP", "a@cac-leeds.org"),
        ("Community Arts Centre", "CF10 1AA", "b@cac-cardiff.org"),
        ("Community Arts Centre", "", "c@cac-cardiff.org"),
        ("Arts & Minds", "M1 1AA", ""),
        ("Arts and Minds", "M1 1AE", ""),
    )
    log = TableLog("t")
    res = resolve(f["name"], config, postcodes=f["postcode"], emails=f["email"], tlog=log)
    assert res.keys[2] != res.keys[3] and res.keys[3] == res.keys[4]
    assert res.keys[5] == res.keys[6]
    assert res.apart == {"community arts centre": [2, 3, 4]}
    assert log.corrections["same_name_other_place"] == 1
    assert "Community" not in " ".join(log.warnings)


def test_staff_merge_and_split_decisions_are_applied_and_counted(config):
    f = _rows(
        ("Community Arts Centre", "LS1 4AP", ""),
        ("Community Arts Centre", "CF10 1AA", ""),
        ("Old Name Theatre", "", ""),
        ("New Name Theatre", "", ""),
    )
    split = _with_identity(
        config, split=["community arts centre"], merge=[["New Name Theatre", "Old Name Theatre"]]
    )
    log = TableLog("t")
    res = resolve(f["name"], split, postcodes=f["postcode"], tlog=log)
    assert res.keys[2] != res.keys[3] and not res.apart
    assert res.keys[4] == res.keys[5] == "new name theatre"
    assert log.corrections["identity_split_confirmed"] == 1 and log.corrections["identity_merged"] == 1
    one = _with_identity(config, merge=[["Community Arts Centre"]])
    res = resolve(f["name"], one, postcodes=f["postcode"])
    assert res.keys[2] == res.keys[3] and not res.apart


def test_roster_rows_are_resolved_by_date_not_row_order():
    ids = pd.Series(["A", "A", "A", "B"], index=[2, 3, 4, 5])
    joined = pd.Series(pd.to_datetime(["2025-03-01", "2024-01-15", None, "2024-01-15"]), index=ids.index)
    left = pd.Series(pd.to_datetime([None, "2024-09-30", None, None]), index=ids.index)
    log = TableLog("t")
    keep = latest_event_per_org(ids, joined, left, pd.Series(True, index=ids.index), log)
    assert list(keep[keep].index) == [2, 5]
    assert {r["row"] for r in log.superseded_rows} == {3, 4}
    assert log.corrections["roster_latest_event_not_last_row"] == 1
    assert log.corrections["roster_undated_repeat"] == 1


def test_member_returns_are_matched_by_name_whatever_the_email(config):
    """Only the callout tells namesakes apart by place; a new email address never splits a member."""
    frame = pd.DataFrame(
        {"org_name": ["Arts Hub", "Arts Hub"], "email": ["a@x.org", "b@y.org"]}, index=[2, 3]
    )
    assert _org_ids(frame, config, b"k" * 16, TableLog("t")).nunique() == 1
    frame["postcode"] = ["", ""]  # a callout: no postcodes, so the email domains tell them apart
    assert _org_ids(frame, config, b"k" * 16, TableLog("t")).nunique() == 2
