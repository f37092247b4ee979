"""publish_notebook: one executed notebook -> `<stem>.html` + `<stem>.pdf`."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import nbformat

from analysis.publish.exporter import BriefExporter
from analysis.publish.html import META
from analysis.publish.pdf import html_to_pdf

_EXPORTING = threading.Lock()  # an exporter registers per-notebook filters on its shared Jinja environment


@lru_cache(maxsize=4)
def _exporter(settings: tuple) -> BriefExporter:
    return BriefExporter(**dict(settings))


def export_html(nb, **settings) -> str:
    """Run the `brief` exporter on a notebook node (settings: BriefExporter traits).

    One exporter per settings serves every document a process publishes (each of a run's two kernels publishes two or three of the five),
    so its Jinja templates are compiled once rather than once per document; unhashable settings
    (a manifest dict) get an exporter of their own. The exporter keeps no state between notebooks.
    """
    try:
        exporter = _exporter(tuple(sorted(settings.items())))
    except TypeError:
        exporter = BriefExporter(**settings)
    with _EXPORTING:
        html, _ = exporter.from_notebook_node(nb)
    return html


def publish_notebook(
    executed_ipynb: Path,
    out_stem: Path,
    *,
    title: str,
    synthetic: bool,
    manifest: dict,
    end_matter: bool = True,
    byline: str = "",
    contact: str | None = None,
    nav_html: str = "",
    details_in: tuple[str, str] | None = None,
) -> tuple[Path, Path]:
    """Publish an executed notebook as accessible HTML and a tagged PDF beside it.

    The title, banner flag, manifest, byline, the links to the year's other documents
    (`nav_html`, from `analysis.publish.navigation`) and, for a document that leaves its sources
    and manifest to an appendix, that appendix (`details_in`: stem and title) go into the notebook's metadata (block `cip`)
    in memory before export: the exporter reads them from there, exactly as
    `jupyter nbconvert --to brief` does for a notebook saved with that metadata.
    """
    executed_ipynb, out_stem = Path(executed_ipynb), Path(out_stem)
    nb = nbformat.read(executed_ipynb, as_version=4)
    nb.metadata["title"] = title
    cip = dict(nb.metadata.get(META, {}))
    cip.update(
        {
            "synthetic": bool(synthetic),
            "manifest": manifest or {},
            "end_matter": end_matter,
            "byline": byline,
            "nav_html": nav_html,
        }
    )
    if contact:
        cip["contact"] = contact
    if details_in:
        cip["details_in"] = list(details_in)
    nb.metadata[META] = cip
    html = export_html(nb, synthetic=bool(synthetic))
    out_stem.parent.mkdir(parents=True, exist_ok=True)
    html_path = out_stem.with_suffix(".html")
    pdf_path = out_stem.with_suffix(".pdf")
    html_path.write_text(html, encoding="utf-8")
    html_to_pdf(html, pdf_path)  # no base: links between the documents stay relative
    return html_path, pdf_path
