"""The year's documents (the brief, then the appendices) and publishing each one.

A document is published as soon as its notebook has run, on a warm kernel that is free
(analysis.warm_kernels): the kernels have already imported nbconvert and WeasyPrint with the
package, so the five documents of a run are typeset on both cores while other notebooks run,
not one after another in the process that drives the run. `publish_document` is what a kernel
runs (through analysis.kernel_session); `Publishing` is the run's side: which documents can
reuse their HTML and PDF (from the last good run, or an earlier round of joint protection in
this one), what to send to a kernel, and the outputs in a fixed order.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from analysis import paths, publish
from analysis.notebook_steps import NOTEBOOKS, NotebookStep
from analysis.publish.navigation import Document, publication_nav

BRIEF = "05_policy_brief"
BRIEF_MANIFEST_KEYS = ("year", "data", "synthetic", "code_version", "contact", "contact_address")


def year_documents(year: int) -> list[Document]:
    """The brief first, then the appendices in number order, titled as their notebooks are."""
    docs = []
    for step in sorted(NOTEBOOKS, key=lambda s: (not s.output.startswith("policy-brief"), s.output)):
        source = nbformat.read(paths.NOTEBOOKS_DIR / f"{step.name}.ipynb", as_version=4)
        docs.append(Document(str(source.metadata.get("title", step.name)), step.output.format(year=year)))
    return docs


def publish_document(
    name: str, stem: str, executed: str, build: str, year: int, synthetic: bool, manifest: dict
) -> None:
    """Publish the executed notebook `name` as `<build>/<stem>.html` and `.pdf` (in a kernel)."""
    nb = nbformat.read(executed, as_version=4)
    title = f"{nb.metadata.get('title', name)} – {year}"
    documents = year_documents(year)
    details_in = None
    if name == BRIEF:  # officials' brief: no hashes; the appendices carry the full manifest
        manifest = {k: v for k, v in manifest.items() if k in BRIEF_MANIFEST_KEYS}
        details_in = (documents[1].stem, documents[1].title)  # sources and manifest: appendix 1 onwards
    publish.publish_notebook(
        Path(executed),
        Path(build) / stem,
        title=title,
        synthetic=synthetic,
        manifest=manifest,
        nav_html=publication_nav(documents, stem, year),
        details_in=details_in,
    )


class Publishing:
    """The run's side of publishing: a job for a kernel per document, or the last run's files."""

    def __init__(self, build: Path, year: int, synthetic: bool, manifest: dict, progress, store=None):
        self.build, self.year, self.synthetic, self.manifest = Path(build), year, synthetic, manifest
        self.progress, self.store = progress, store
        self.files: dict[str, tuple[Path, Path]] = {}

    def files_of(self, step: NotebookStep) -> tuple[Path, Path]:
        stem = step.output.format(year=self.year)
        return self.build / f"{stem}.html", self.build / f"{stem}.pdf"

    def job(self, step: NotebookStep, executed: Path) -> str | None:
        """The call a kernel runs to publish `step`, or None when its unchanged files are reused."""
        html, pdf = self.files_of(step)
        if self.store is not None and self.store.reuse_published(step):
            self.progress(f"  {html.stem}: unchanged, its HTML and PDF reused")
            self.files[step.name] = (html, pdf)
            return None
        arguments = {
            "name": step.name,
            "stem": html.stem,
            "executed": str(executed),
            "build": str(self.build),
            "year": self.year,
            "synthetic": bool(self.synthetic),
            "manifest": self.manifest,
        }
        return json.dumps(arguments)  # in order: the end matter prints the manifest as given

    def done(self, step: NotebookStep) -> None:
        html, pdf = self.files_of(step)
        self.progress(f"  published {html.name} and {pdf.name}")
        if self.store is not None:
            self.store.published(step, (html, pdf))
        self.files[step.name] = (html, pdf)

    def outputs(self) -> list[Path]:
        """Every document's HTML and PDF, in NOTEBOOKS order whatever order they finished in."""
        return [path for step in NOTEBOOKS for path in self.files[step.name]]
