"""What `reports/<year>/` publishes: only publishable files, no link into internal/, one wording.

A year's folder holds the documents, the data downloads, the landing page and the public
selection pack; manifests, logs, executed notebooks, findings and the full selection audit pack
live in `reports/<year>/internal/` (analysis.paths.internal_dir). That no small count is published
in any of these files is checked by `test_published_counts.py`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from analysis.config import load_config
from analysis.disclosure import DisclosureRules
from analysis.disclosure.policy import SYMBOLS, membership_policy, symbols_in
from analysis.paths import INTERNAL_FOLDER, internal_dir
from analysis.publish.endmatter import end_matter_html
from conftest import YEARS

INTERNAL_ONLY = ("run-manifest.json", "run.log", "resolved-config.json", "executed", "findings")
PUBLISHED_KINDS = {".html", ".pdf"}
PUBLISHED_FOLDERS = {"data", "selection", INTERNAL_FOLDER}
# A hidden value in words; allowed only in a sentence that states a rule or why a value is hidden
# ("counts of fewer than 5 are shown as [c]", "withheld because fewer than three members contributed").
HIDDEN_IN_WORDS = re.compile(
    r"[^.]*\b(?:fewer than (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|too small to publish)"
    r"[^.]*\.?",
    re.I,
)
RULE_STATED = re.compile(r"shown as \[c\]|\bwithheld\b")


def links_into_internal(root: Path) -> list[str]:
    """hrefs and srcs of published HTML (outside any internal/) that point into an internal/ folder."""
    found = []
    for page in sorted(root.rglob("*.html")):
        if INTERNAL_FOLDER in page.relative_to(root).parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            link = tag.get("href") or tag.get("src")
            parsed = urlparse(link)
            if parsed.scheme in ("http", "https", "mailto", "data"):
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            inside = target.is_relative_to(root.resolve())
            parts = target.relative_to(root.resolve()).parts if inside else Path(parsed.path).parts
            if INTERNAL_FOLDER in parts:
                found.append(f"{page.relative_to(root)}: {link}")
    return found


def test_links_into_internal_are_found(tmp_path):
    year = tmp_path / "2024"
    (year / "internal").mkdir(parents=True)
    (year / "a.html").write_text('<a href="internal/run.log">log</a><a href="b.html">b</a>')
    (tmp_path / "index.html").write_text('<a href="2024/internal/findings/x.json">x</a>')
    assert links_into_internal(tmp_path) == [
        "2024/a.html: internal/run.log",
        "index.html: 2024/internal/findings/x.json",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_unpublished_files_are_in_internal_only(runs, year):
    _, summaries = runs
    year_dir = summaries[year].reports_dir
    for name in INTERNAL_ONLY + ("selection-audit",):
        assert (internal_dir(year_dir) / name).exists(), name
        assert not (year_dir / name).exists(), name
    stray = [
        p.name
        for p in year_dir.iterdir()
        if (p.is_dir() and p.name not in PUBLISHED_FOLDERS)
        or (p.is_file() and p.suffix not in PUBLISHED_KINDS)
    ]
    assert stray == []
    assert {p.suffix for p in (year_dir / "data").iterdir()} <= {".csv", ".xlsx"}
    pack = year_dir / "selection"
    assert not (pack / "probabilities.csv").exists() and not (pack / "panels.csv").exists()
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    internal_pack = internal_dir(year_dir) / "selection-audit"
    assert set(manifest["internal_files_sha256"]) == {p.name for p in internal_pack.iterdir()}


@pytest.mark.slow
def test_no_published_file_links_into_internal(runs):
    root, _ = runs
    assert links_into_internal(root / "reports") == []


def page_text(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def unexplained_symbols(text: str) -> list[str]:
    """Symbols a page prints without the explanation `analysis.disclosure.policy` words for it."""
    return [s for s in symbols_in(text) if " ".join(SYMBOLS[s].split()) not in text]


def hidden_values_in_words(text: str) -> list[str]:
    """Sentences giving a hidden value as "fewer than N" or "too small to publish" (rules excepted)."""
    return [m.group(0).strip() for m in HIDDEN_IN_WORDS.finditer(text) if not RULE_STATED.search(m.group(0))]


def test_the_wording_checks_can_fail():
    assert unexplained_symbols("Wales [c] and a change +2 †") == ["[c]", "†"]
    assert unexplained_symbols(f"Wales [c]. [c] {SYMBOLS['[c]']}") == []
    assert hidden_values_in_words("Of 160, fewer than 5 responses could not be used, leaving 150.") != []
    assert hidden_values_in_words("Counts of fewer than 5 are shown as [c].") == []
    assert hidden_values_in_words("Members started 6 ventures in 2025, fewer than in 2024.") == []
    assert hidden_values_in_words("The total is withheld because fewer than three members contributed.") == []


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_every_symbol_is_explained_and_hidden_values_read_c(runs, year):
    _, summaries = runs
    year_dir = summaries[year].reports_dir
    rule = " ".join(DisclosureRules.from_config(load_config(year)).sentence().split())
    for page in sorted(year_dir.glob("*.html")):
        text = page_text(page)
        assert unexplained_symbols(text) == [], page.name
        assert hidden_values_in_words(text) == [], page.name
        if page.name != "index.html":
            assert membership_policy() in text, page.name
            assert rule in text, page.name  # the brief and every appendix state the rule in the same words


def test_end_matter_states_the_membership_policy_and_explains_the_symbols_used():
    html = end_matter_html(notes=[], rules=["A rule."], manifest={}, synthetic=True, symbols=["[c]", "†"])
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert membership_policy() in text and unexplained_symbols(text) == []
    assert "[x]" not in text
    bare = end_matter_html(notes=[], rules=[], manifest={}, synthetic=True)
    assert membership_policy() not in bare and "Symbols used" not in bare
