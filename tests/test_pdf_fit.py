"""A last page holding only a few lines is pulled back by the tighter print spacing; a real last
page is not squeezed."""

from __future__ import annotations

import subprocess

import pytest

from analysis.publish import pdf
from analysis.publish.exporter import CSS_PATH

PARAGRAPH = "<p>" + "Members started citizen-led ventures across the network this year. " * 6 + "</p>"


def _document(paragraphs: int) -> str:
    css = CSS_PATH.read_text(encoding="utf-8")
    body = "<h1>Fit test</h1>" + PARAGRAPH * paragraphs
    return f'<html lang="en-GB"><head><title>Fit</title><style>\n{css}\n</style></head><body class="brief">{body}</body></html>'


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _untightened_pages(html: str) -> tuple[int, float]:
    body, css = pdf._without_head_style(html)
    doc = pdf._render(body, None, [pdf._stylesheet(css)])
    return len(doc.pages), pdf.last_page_fill(doc)


@pytest.fixture(scope="module")
def just_over() -> int:
    """The fewest paragraphs that spill onto a second page in the normal spacing."""
    n = 1
    while _untightened_pages(_document(n))[0] < 2:
        n += 1
    return n


def test_a_few_lines_over_are_pulled_back(just_over, tmp_path):
    html = _document(just_over)
    pages, fill = _untightened_pages(html)
    assert pages == 2 and fill < pdf.LAST_PAGE_LEAST
    out = pdf.html_to_pdf(html, tmp_path / "fit.pdf")
    assert _pages(out) == 1


def test_a_real_last_page_is_not_squeezed(just_over, tmp_path):
    html = _document(just_over + 8)
    pages, fill = _untightened_pages(html)
    assert pages == 2 and fill >= pdf.LAST_PAGE_LEAST
    assert _pages(pdf.html_to_pdf(html, tmp_path / "long.pdf")) == 2
