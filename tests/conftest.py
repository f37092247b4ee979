"""Shared test set-up: nothing a test writes may land in the repository's restricted folder."""

from __future__ import annotations

import os

import pytest

from analysis.pipeline import run_year

YEARS = (2024, 2025, 2026)


@pytest.fixture(autouse=True)
def _restricted_in_tmp(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path_factory.getbasetemp() / "restricted"))


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """One pipeline run of each sample year into a temporary folder, shared by the session."""
    root = tmp_path_factory.mktemp("e2e")
    old = os.environ.get("CIP_RESTRICTED_DIR")
    os.environ["CIP_RESTRICTED_DIR"] = str(root / "restricted")
    try:
        summaries = {
            y: run_year(
                y, reports_root=root / "reports", processed_root=root / "processed", progress=lambda _: None
            )
            for y in YEARS
        }
    finally:
        if old is None:
            os.environ.pop("CIP_RESTRICTED_DIR", None)
        else:
            os.environ["CIP_RESTRICTED_DIR"] = old
    return root, summaries
