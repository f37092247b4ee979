"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint.

Why WeasyPrint: ~1 s a brief, tagged output (structure tree, /Lang, figure /Alt, title) and the
house print CSS (A4, page numbers, banner in the page margin). nbconvert's `--to pdf` needs TeX Live
and gives untagged PDFs; `--to webpdf` downloads its own Chromium, impossible offline.

The set-up is shared by every document a process writes (each of a run's two kernels writes two or three of the five): one font
configuration, and the house CSS (the one `<style>` block of the head) parsed once and handed to
WeasyPrint as a stylesheet instead of being parsed again inside each document.

A last page holding only a few lines (the end of the licences, the contact) reads as a mistake, so
such a document is typeset once more with the house CSS's `fit-tight` spacing, kept only when
that saves the page. The published HTML is never changed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/ua-1"
LAST_PAGE_LEAST = 0.2  # a last page filled less than this is pulled back by tighter spacing
TIGHT_CLASS = "fit-tight"  # the house CSS's tighter print spacing


class _Collect(logging.Handler):
    """Keep WeasyPrint's errors (e.g. an image without alt) so they fail the build."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=4)
def _stylesheet(text: str) -> CSS:
    return CSS(string=text, font_config=_fonts())


def _without_head_style(html: str) -> tuple[str, str | None]:
    """The document without its head's only `<style>` block, and that block's CSS (or None)."""
    head_end = html.find("</head>")
    start = html.find("<style>\n")
    end = html.find("\n</style>", start)
    if not 0 <= start < end < head_end or html.count("<style") != 1:
        return html, None
    return html[:start] + html[end + len("\n</style>") :], html[start + len("<style>\n") : end]


def last_page_fill(document) -> float:
    """How far down its page area the last page's content reaches (0 to 1)."""
    page = document.pages[-1]._page_box
    root = page.children[0]
    bottom = max(
        (
            box.position_y + box.margin_height()
            for box in root.descendants()
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox))
        ),
        default=root.position_y,
    )
    return (bottom - root.position_y) / page.height


def _tightened(html: str) -> str | None:
    """The document with the tighter print spacing on its body, or None if it has no body class."""
    marker = '<body class="'
    return html.replace(marker, f"{marker}{TIGHT_CLASS} ", 1) if marker in html else None


def _render(html: str, base_url, sheets):
    return HTML(string=html, base_url=str(base_url) if base_url else None).render(
        stylesheets=sheets, font_config=_fonts()
    )


def html_to_pdf(
    html: str, pdf_path: Path, *, base_url: str | Path | None = None, strict: bool = True
) -> Path:
    """Write `html` as an A4 PDF/UA-1 file and return its path.

    The page layout comes from the house CSS inside the HTML (`@page` rules). With `strict`,
    any error WeasyPrint logs (missing alt, unloadable image) raises instead of passing silently.
    Without `base_url`, links stay relative ("appendix-1-….pdf"), as they must in a PDF that is
    moved, served or downloaded beside its sister documents; a base would turn them into
    `file://` paths of the build folder.
    """
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        body, css = _without_head_style(html)
        sheets = [_stylesheet(css)] if css is not None else []
        doc = _render(body, base_url, sheets)
        tight = _tightened(body)
        if len(doc.pages) > 1 and tight and last_page_fill(doc) < LAST_PAGE_LEAST:
            fitted = _render(tight, base_url, sheets)
            if len(fitted.pages) < len(doc.pages):
                doc = fitted
        doc.write_pdf(pdf_path, pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(handler)
    if strict and handler.messages:
        raise RuntimeError(f"WeasyPrint reported problems for {pdf_path.name}: {handler.messages}")
    return pdf_path
