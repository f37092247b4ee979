"""Every number a year publishes, as stable, reviewable text lines.

The golden files under `tests/golden/` hold these lines for 2024, 2025 and 2026. A change that
moves a published number shows as a diff there; update them on purpose with
`CIP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_numbers.py` and give the reason
in the same commit.

What is recorded, per published HTML document (the PDF is printed from the same HTML):
- each table as rows of cells, under its caption;
- each block of prose (paragraph, list item, heading, caption, chart alt text) that holds a
  number, as its numbers beside the block's words with the numbers masked;
and the public selection pack's tables (banded chances, quotas as rules, the drawn panel); the full
audit pack is internal (`reports/<year>/internal/`), never published, so it is not recorded.
Run-specific values (dates, hashes, versions, timings) are masked so the file is stable.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from bs4 import BeautifulSoup

NUMBER = re.compile(r"(?<![\w.])[-+−]?£?\d[\d,]*(?:\.\d+)?%?")
# Values that change from run to run or with the software, never published figures.
VOLATILE = [
    (re.compile(r"\b[0-9a-f]{7,64}\b(?:\.\.\.)?"), "<hash>"),
    (re.compile(r"\b\d+\.\d+\.\d+(?:\.\w+)?\b"), "<version>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.+Z]+)?"), "<date>"),
    (
        re.compile(
            r"\b(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|"
            r"October|November|December) 20\d\d\b"
        ),
        "<month>",
    ),
]
# Tables that describe the run, not the data: fingerprints, versions, times.
UNSTABLE_TABLES = ("Run manifest",)
BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "figcaption", "dt", "dd")


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, mask in VOLATILE:
        text = pattern.sub(mask, text)
    return text


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def _masked(text: str, width: int = 90) -> str:
    words = NUMBER.sub("#", text)
    return words if len(words) <= width else words[: width - 1] + "…"


def html_lines(path: Path) -> list[str]:
    """The published numbers of one HTML document, one line per table row or prose block."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    doc = path.stem
    lines: list[str] = []
    for node in soup.find_all(["table", *BLOCKS, "img"]):
        if node.name == "table":
            caption = node.find("caption")
            title = _clean(caption.get_text(" ")) if caption else "(no caption)"
            if title.startswith(UNSTABLE_TABLES):
                continue
            lines.append(f"{doc} | table | {title}")
            for row in node.find_all("tr"):
                cells = [_clean(c.get_text(" ")) for c in row.find_all(["th", "td"])]
                lines.append(f"{doc} |   row | " + " ; ".join(cells))
            continue
        if node.find_parent("table") is not None:
            continue
        if node.name == "img":
            text = _clean(node.get("alt", ""))
        elif node.find(BLOCKS) is not None:
            # A list item or block holding other blocks: its own words only.
            text = _clean(" ".join(s for s in node.find_all(string=True, recursive=False)))
        else:
            text = _clean(node.get_text(" "))
        found = _numbers(text)
        if found:
            lines.append(f"{doc} | {node.name:>5} | {_masked(text)} | " + ", ".join(found))
    return lines


def _csv_lines(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [f"{path.name} | " + ",".join(_clean(v) for v in row) for row in csv.reader(handle)]


def audit_lines(folder: Path) -> list[str]:
    """The public selection pack: every table in full (a panel table, if any, by its fingerprint)."""
    lines: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        if path.name == "panels.csv":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"panels.csv | sha256 {digest}")
        else:
            lines.extend(_csv_lines(path))
    return lines


def year_lines(reports_dir: Path) -> list[str]:
    """Every published number of one year, in a fixed order."""
    lines = [f"# golden numbers: {reports_dir.name}"]
    for path in sorted(reports_dir.glob("*.html")):
        lines.append("")
        lines.append(f"## {path.name}")
        lines.extend(html_lines(path))
    audit = reports_dir / "selection"
    if audit.is_dir():
        lines.append("")
        lines.append("## selection")
        lines.extend(audit_lines(audit))
    return lines
