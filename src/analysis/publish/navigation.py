"""The links that join a year's documents into one publication.

Every document opens with the same short list: the year's landing page (release date, data
downloads, contact), the brief and each appendix, the current one marked rather than linked.
Links are relative file names, so the folder reads the same served or opened from disk. On screen
they go to the HTML documents; in print (the PDF) to the PDFs beside them, so a reader of a PDF
stays in PDFs. Layer: assemble; imports `analysis.publish.html` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.publish.html import esc

LANDING_PAGE = "index.html"


@dataclass(frozen=True)
class Document:
    """One document of the year: its reader-facing title and its file stem (no suffix)."""

    title: str
    stem: str


def _link(doc: Document) -> str:
    """A link to the HTML on screen and to the PDF in print."""
    title = esc(doc.title)
    return (
        f'<a class="screen-only" href="{esc(doc.stem)}.html">{title}</a>'
        f'<a class="print-only" href="{esc(doc.stem)}.pdf">{title} (PDF)</a>'
    )


def publication_nav(documents: list[Document], current: str, year: int) -> str:
    """The navigation block for the document whose stem is `current`."""
    if not any(d.stem == current for d in documents):
        raise ValueError(f"{current!r} is not one of this year's documents: {[d.stem for d in documents]}")
    items = []
    for doc in documents:
        if doc.stem == current:
            items.append(f'<li><span aria-current="page">{esc(doc.title)} (this document)</span></li>')
        else:
            items.append(f"<li>{_link(doc)}</li>")
    return (
        '<nav class="publication-nav" aria-label="This publication">\n'
        f'<p>Part of the {year} publication: <a href="{LANDING_PAGE}">release dates, data downloads, '
        f"all documents and contact</a>.</p>\n"
        "<ul>\n" + "\n".join(items) + "\n</ul>\n</nav>"
    )
