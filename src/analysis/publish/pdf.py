"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint.

Why WeasyPrint: ~1 s a brief, tagged output (structure tree, /Lang, figure /Alt, title) and the
house print CSS (A4, page numbers, banner in the page margin). nbconvert's `--to pdf` needs TeX Live
and gives untagged PDFs; `--to webpdf` downloads its own Chromium, impossible offline.

The set-up is shared by every document a process writes (a run publishes five): one font
configuration, and the house CSS (the one `<style>` block of the head) parsed once and handed to
WeasyPrint as a stylesheet instead of being parsed again inside each document.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/ua-1"


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
        doc = HTML(string=body, base_url=str(base_url) if base_url else None).render(
            stylesheets=sheets, font_config=_fonts()
        )
        doc.write_pdf(pdf_path, pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(handler)
    if strict and handler.messages:
        raise RuntimeError(f"WeasyPrint reported problems for {pdf_path.name}: {handler.messages}")
    return pdf_path
