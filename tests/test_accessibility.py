"""axe-core (pinned in package.json) in Debian's chromium: zero WCAG 2.0-2.2 A/AA violations.

Runs on the demo appendix, synthetic and real. The lead's end-to-end test applies the same
`axe_violations` to every brief and appendix of a real run. Skips only when chromium or
node_modules/axe-core is missing (CI installs both: `apt-get install chromium` and `npm ci`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import publish_helpers as h
from publish_checks import axe_unavailable, axe_violations

TESTS = Path(__file__).resolve().parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    reason = axe_unavailable()
    if reason:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"axe-core cannot run: {reason}")
    return h.published_demo(tmp_path_factory.getbasetemp() / "publish-demo", TESTS)


@pytest.mark.parametrize("variant", ["synthetic", "real"])
def test_no_wcag_violations(demo, variant):
    html_path, _ = demo[variant]
    assert axe_violations(html_path) == []


def test_axe_finds_real_problems(tmp_path):
    """Guard against a silently inert check: a bad page must produce violations."""
    reason = axe_unavailable()
    if reason:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"axe-core cannot run: {reason}")
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>Bad page</title></head><body>"
        '<img src="data:image/png;base64,iVBORw0KGgo="><p style="color:#ddd">faint</p>'
        "</body></html>",
        encoding="utf-8",
    )
    ids = {v["id"] for v in axe_violations(bad)}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= ids
