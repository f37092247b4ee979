"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint.

Why WeasyPrint: ~1 s a brief, tagged output (structure tree, /Lang, figure /Alt, title) and the
house print CSS (A4, page numbers, banner in the page margin). nbconvert's `--to pdf` needs TeX Live
and gives untagged PDFs; `--to webpdf` downloads its own Chromium, impossible offline.
"""

from __future__ import annotations

import logging
from pathlib import Path

from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"


class _Collect(logging.Handler):
    """Keep WeasyPrint's errors (e.g. an image without alt) so they fail the build."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


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
        doc = HTML(string=html, base_url=str(base_url) if base_url else None).render()
        doc.write_pdf(pdf_path, pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(handler)
    if strict and handler.messages:
        raise RuntimeError(f"WeasyPrint reported problems for {pdf_path.name}: {handler.messages}")
    return pdf_path
