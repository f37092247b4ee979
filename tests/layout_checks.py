"""Layout checks on a published PDF, from the text positions `pdftotext -bbox-layout` reports.

- `half_empty_pages(pdf)`: pages other than the last whose text ends in the top half of the page's
  text area (a figure or table pushed to the next page leaves such a gap).
- `stranded_headings(pdf)`: a heading that is the last thing on its page (its text follows overleaf).
- `small_text(pdf)`: words printed below 7 pt (chart labels scaled down beside a table, the map's
  region labels), which a reader of the printed A4 page cannot read at 100 %.
Chart text is real text in the PDF (SVG with text kept as text), so charts count as content.
Each returns a list of problems; empty means it passed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 22 * MM, 20 * MM  # the house @page margins (the banner and footer sit there)


def pages(pdf: Path) -> list[dict]:
    """Per page: its height and its text blocks (y of top and bottom, text) inside the margins."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    soup = BeautifulSoup(out, "html.parser")
    found = []
    for page in soup.find_all("page"):
        height = float(page["height"])
        blocks = []
        for block in page.find_all("block"):
            top, bottom = float(block["ymin"]), float(block["ymax"])
            if top < TOP_MARGIN - 2 or bottom > height - BOTTOM_MARGIN + 2:
                continue
            words = " ".join(w.get_text() for w in block.find_all("word"))
            blocks.append({"top": top, "bottom": bottom, "text": words})
        found.append({"height": height, "blocks": blocks})
    return found


def fill(page: dict) -> float:
    """How far down the text area the page's content reaches (0 to 1)."""
    area = page["height"] - TOP_MARGIN - BOTTOM_MARGIN
    if not page["blocks"]:
        return 0.0
    return (max(b["bottom"] for b in page["blocks"]) - TOP_MARGIN) / area


def half_empty_pages(pdf: Path, least: float = 0.5) -> list[str]:
    found = pages(pdf)
    return [
        f"{Path(pdf).name} page {i} is {1 - fill(p):.0%} empty"
        for i, p in enumerate(found[:-1], 1)
        if fill(p) < least
    ]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def stranded_headings(pdf: Path, html: Path) -> list[str]:
    """Headings and table captions of the HTML that end a PDF page (their content is overleaf)."""
    soup = BeautifulSoup(Path(html).read_text(encoding="utf-8"), "html.parser")
    headings = {_norm(h.get_text(" ")) for h in soup.find_all(["h2", "h3", "h4", "caption"])}
    headings.discard("")
    problems = []
    found = pages(pdf)
    for i, page in enumerate(found[:-1], 1):
        if not page["blocks"]:
            continue
        last = _norm(max(page["blocks"], key=lambda b: b["bottom"])["text"])
        if any(last and h.startswith(last) for h in headings):
            problems.append(f"{Path(pdf).name} page {i} ends with the heading {last!r}")
    return problems


# pdftotext's word box is the font's ascent plus descent: 1.117 × the size for Liberation Sans
# (measured on the 8 pt footer and the 17 pt title).
BOX_PER_PT = 1.117


def small_text(pdf: Path, least: float = 7.0) -> list[str]:
    """Words whose printed size is below `least` points, with their page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    soup = BeautifulSoup(out, "html.parser")
    found = []
    for number, page in enumerate(soup.find_all("page"), 1):
        for word in page.find_all("word"):
            size = (float(word["ymax"]) - float(word["ymin"])) / BOX_PER_PT
            if size < least - 0.05:
                found.append(f"{Path(pdf).name} page {number}: {word.get_text()!r} at {size:.1f} pt")
    return found
