"""Shared test set-up: nothing a test writes may land in the repository's restricted folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _restricted_in_tmp(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CIP_RESTRICTED_DIR", str(tmp_path_factory.getbasetemp() / "restricted"))
