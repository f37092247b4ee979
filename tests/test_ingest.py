"""Intake: every row accounted for, corrections counted, personal data dropped."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.intake import IntakeError, ingest_year
from intake_helpers import ROW, callout_only_config, callout_rows, write_csv


@pytest.fixture
def restricted(tmp_path, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path / "restricted"))
    return tmp_path / "restricted"


def run(tmp_path, rows, **kw):
    write_csv(tmp_path / "raw" / "callout.csv", rows, **kw)
    quality = ingest_year(
        callout_only_config("callout.csv"), tmp_path / "raw", tmp_path / "out", synthetic=True
    )
    return pd.read_parquet(tmp_path / "out" / "applicants.parquet"), quality


def test_amended_response_latest_wins_and_is_logged(tmp_path, restricted):
    rows = callout_rows(
        {
            "Timestamp": "01/11/2023 10:15:00",
            "Where would you like your organisation to be by the end of 2026?": "Involve - we work with people to shape options",
        },
        {
            "Organisation name": "Other Place",
            "Organisation postcode": "CF10 1AA",
            "Which UK nation or English region is your organisation based in?": "Wales",
        },
        {"Timestamp": "03/11/2023 09:00:00", "Organisation name": "  harbourside arts centre "},
    )
    applicants, quality = run(tmp_path, rows)
    log = quality["tables"]["callout"]
    assert (log["received"], log["kept"], log["superseded"], log["rejected"]) == (3, 2, 1, 0)
    assert log["superseded_rows"][0]["row"] == 2 and log["superseded_rows"][0]["replaced_by_row"] == 4
    harbourside = applicants[applicants["n_submissions"] == 2].iloc[0]
    assert harbourside["level_target_2026"] == 4  # the later answer, not the superseded "Involve"


def test_personal_data_never_reaches_processed(tmp_path, restricted):
    applicants, _ = run(tmp_path, callout_rows({}))
    text = "".join(p.read_bytes().decode("latin-1") for p in (tmp_path / "out").iterdir())
    for personal in (
        "Jo Bloggs",
        "jo.bloggs@example.org",
        "01632 960 123",
        "07700 900123",
        "M1 1AE",
        "Harbourside",
        "Director",
    ):
        assert personal not in text
    assert applicants.loc[0, "postcode_district"] == "M1"
    names = pd.read_csv(restricted / "2024" / "organisations.csv")
    assert names.loc[0, "org_name"] == "Harbourside Arts Centre"
    assert names.loc[0, "org_id"] == applicants.loc[0, "org_id"]


def test_pseudonym_is_stable_and_keyed(tmp_path, restricted, monkeypatch):
    a, _ = run(tmp_path, callout_rows({}))
    b, _ = run(tmp_path, callout_rows({"Organisation name": "THE Harbourside Arts Centre."}))
    assert a.loc[0, "org_id"] == b.loc[0, "org_id"]
    write_csv(tmp_path / "raw" / "callout.csv", callout_rows({}))
    monkeypatch.setenv("CIP_PSEUDONYM_KEY", "a-different-secret-key-for-tests")
    ingest_year(callout_only_config("callout.csv"), tmp_path / "raw", tmp_path / "real", synthetic=False)
    real = pd.read_parquet(tmp_path / "real" / "applicants.parquet")
    assert real.loc[0, "org_id"] != a.loc[0, "org_id"]


def test_real_data_without_key_is_an_error(tmp_path, restricted, monkeypatch):
    monkeypatch.delenv("CIP_PSEUDONYM_KEY", raising=False)
    write_csv(tmp_path / "raw" / "callout.csv", callout_rows({}))
    with pytest.raises(IntakeError, match="CIP_PSEUDONYM_KEY"):
        ingest_year(callout_only_config("callout.csv"), tmp_path / "raw", tmp_path / "out", synthetic=False)


def test_postcode_fallback_and_disagreement_are_counted(tmp_path, restricted):
    rows = callout_rows(
        {
            "Organisation name": "A",
            "Organisation postcode": "not a postcode",
            "Which UK nation or English region is your organisation based in?": "Scotland",
        },
        {
            "Organisation name": "B",
            "Organisation postcode": "m11ae",
            "Which UK nation or English region is your organisation based in?": "London",
        },
        {"Organisation name": "C", "Organisation postcode": "JE2 3AB"},
    )
    applicants, quality = run(tmp_path, rows)
    counts = quality["tables"]["callout"]["corrections"]
    assert counts["postcode_invalid"] == 1 and counts["region_from_stated"] == 1
    assert counts["region_disagrees"] == 1 and counts["outside_uk"] == 1
    assert counts["postcode_normalised"] == 1
    a, b, c = (applicants.set_index("org_id").loc[i] for i in applicants["org_id"])
    assert (a["region_source"], a["nation"]) == ("stated", "Scotland")
    assert (b["region_code"], b["region_disagrees"]) == ("E12000002", True)
    assert (c["postcode_status"], pd.isna(c["region_code"])) == ("outside_uk", True)


def test_bad_answers_become_missing_and_are_counted(tmp_path, restricted):
    bad = {
        "How far do you agree? Our staff have the skills to run citizen-led processes": "7",
        "What would you most like from the network? (tick all that apply)": "Peer learning, Free lunches",
    }
    with pytest.raises(IntakeError, match=r"readiness_skills: 1 of 1 answer.*max_unusable_share"):
        run(tmp_path, callout_rows(bad))  # alone, the bad answers are too large a share: a stop
    rows = callout_rows(bad, *({"Organisation name": f"Good Arts {i}"} for i in range(20)))
    applicants, quality = run(tmp_path, rows)
    counts = quality["tables"]["callout"]["corrections"]
    assert counts["scale_out_of_range"] == 1 and counts["unknown_option"] == 1
    assert pd.isna(applicants.loc[0, "readiness_skills"])
    assert applicants.loc[0, "want_peer_learning"] and not applicants.loc[0, "want_funding_support"]


def test_rejections_have_reasons_and_balance(tmp_path, restricted):
    rows = callout_rows(
        {}, {"Organisation name": " "}, {"Organisation name": "Future", "Timestamp": "01/01/2099 10:00:00"}
    )
    _, quality = run(tmp_path, rows)
    log = quality["tables"]["callout"]
    assert log["received"] == log["kept"] + log["superseded"] + log["rejected"] == 3
    assert {r["reason"].split(" ")[0] for r in log["rejections"]} == {"blank", "timestamp"}


def test_us_style_timestamp_is_an_error_with_its_row(tmp_path, restricted):
    rows = callout_rows({}, {"Organisation name": "B", "Timestamp": "2023-11-13 10:00"})
    with pytest.raises(IntakeError, match=r"row 3"):
        run(tmp_path, rows)


def test_unknown_column_names_its_closest_match(tmp_path, restricted):
    rows = [{("Organisation postcodes" if k == "Organisation postcode" else k): v for k, v in ROW.items()}]
    with pytest.raises(IntakeError, match="closest expected question is 'Organisation postcode'"):
        run(tmp_path, rows)


def test_windows_1252_and_semicolons_are_read_with_warnings(tmp_path, restricted):
    rows = callout_rows({"Organisation name": "Café Théâtre"})
    _, quality = run(tmp_path, rows, encoding="cp1252", sep=";")
    warnings = " ".join(quality["tables"]["callout"]["warnings"])
    assert "cp1252" in warnings and "';'" in warnings


def test_quality_log_is_json_with_totals(tmp_path, restricted):
    run(tmp_path, callout_rows({}))
    quality = json.loads((tmp_path / "out" / "quality_log.json").read_text())
    assert quality["counts"]["rows_received"] == 1 and quality["synthetic"] is True
