"""The `brief` nbconvert exporter: an executed notebook -> accessible, code-free HTML.

Registered under the `nbconvert.exporters` entry point, so `jupyter nbconvert --to brief nb.ipynb`
works as well as `publish_notebook`. Why each setting:
- template `brief` extends `lab` but replaces its head: no require.js/MathJax/mermaid from a CDN,
  no 300 KB JupyterLab CSS, `lang="en-GB"` (nbconvert's `language_code` only takes ISO 639-1);
- no input, no prompts, no anchor links; cells tagged `remove-cell`, `parameters`,
  `injected-parameters` removed, `hide-input` cells keep only their outputs;
- outputs without a rich representation (streams, errors, bare reprs) are dropped;
- alt text comes from output metadata; the export fails rather than publish nbconvert's
  placeholder "No description has been provided for this image" (axe does not flag it);
- end matter (method notes, disclosure rule, sources, manifest) is assembled here from the
  notebook and its metadata `cip` block (set by `publish_notebook`).
"""

from __future__ import annotations

import base64
import copy
import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from traitlets import Bool, Dict, Unicode, default
from traitlets.config import Config

from analysis.disclosure.policy import symbols_in
from analysis.publish.endmatter import end_matter_html
from analysis.publish.html import BANNER_TEXT, META
from analysis.publish.markdown import accessible_tables

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
CSS_PATH = PACKAGE / "static" / "brief.css"
PLACEHOLDER_ALT = "No description has been provided for this image"
REMOVE_CELL_TAGS = ("remove-cell", "parameters", "injected-parameters", "remove_cell")
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output")
RICH_MIMETYPES = ("text/html", "text/markdown", "image/svg+xml", "image/png")
BANNER_EXPLANATION = (
    "This document was built from the bundled synthetic sample. Its numbers "
    "do not describe real organisations."
)


class MissingAltTextError(ValueError):
    """An image would be published without real alt text."""


class BriefExporter(HTMLExporter):
    """HTML for officials: no code, house CSS, real title and alt text, end matter."""

    export_from_notebook = "Brief (accessible HTML)"

    end_matter = Bool(True, help="Append method notes, disclosure rule, sources and manifest.").tag(
        config=True
    )
    synthetic = Bool(
        None, allow_none=True, help="Show the synthetic-data banner; None: read notebook metadata."
    ).tag(config=True)
    manifest = Dict(help="Run manifest to print; empty: read notebook metadata cip.manifest.").tag(
        config=True
    )
    byline = Unicode("", help="Line under the title (who, when).").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "brief"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    def default_filters(self):
        yield from super().default_filters()
        yield ("svg_data_uri", svg_data_uri)

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self):
        return True

    @property
    def default_config(self):
        c = Config(
            {
                "TagRemovePreprocessor": {
                    "enabled": True,
                    "remove_cell_tags": list(REMOVE_CELL_TAGS),
                    "remove_all_outputs_tags": list(REMOVE_OUTPUT_TAGS),
                    "remove_input_tags": ["hide-input", "hide_input"],
                },
                "CSSHTMLHeaderPreprocessor": {"enabled": False},
            }
        )
        base = super().default_config.copy()
        base.merge(c)
        return base

    # -- the conversion -------------------------------------------------------------------

    def from_notebook_node(self, nb, resources=None, **kw):
        nb = copy.deepcopy(nb)
        meta = dict(nb.metadata.get(META, {}))
        synthetic = _synthetic(nb, self.synthetic)
        _drop_removed_cells(nb)
        _keep_rich_outputs(nb)
        with_end = bool(meta.get("end_matter", self.end_matter))
        notes, rules = _collect_end_matter(nb, remove_notes=with_end)
        symbols = _symbols_used(nb, notes, rules)
        title = _title(nb, resources)
        details_in = tuple(meta["details_in"]) if meta.get("details_in") else None
        resources = dict(resources or {})
        resources[META] = {
            "title": title,
            "title_block": not _has_h1(nb),
            "byline": meta.get("byline", self.byline),
            "nav_html": meta.get("nav_html", ""),
            "synthetic": synthetic,
            # A document that leaves its sources and manifest to an appendix is the short brief,
            # laid out a little tighter in print (brief.css: body.policy-brief).
            "body_class": "policy-brief" if details_in else "",
            "banner_text": BANNER_TEXT,
            "banner_explanation": BANNER_EXPLANATION,
            "css": CSS_PATH.read_text(encoding="utf-8"),
            "end_matter_html": end_matter_html(
                notes=notes,
                rules=rules,
                manifest=self.manifest or meta.get("manifest", {}),
                synthetic=synthetic,
                contact=meta.get("contact"),
                symbols=symbols,
                details_in=details_in,
            )
            if with_end
            else "",
        }
        html, resources = super().from_notebook_node(nb, resources, **kw)
        html = accessible_tables(html)
        if PLACEHOLDER_ALT in html:
            raise MissingAltTextError(
                "an image has no alt text: display charts with analysis.publish.show_figure "
                "(which sets the image's alt metadata) instead of plt.show() or a bare figure"
            )
        return html, resources


# --- helpers (module level so they can be tested alone) ---------------------------------------


def svg_data_uri(svg) -> str:
    """An SVG chart as a `data:` URI for `<img src>` (the HTML stays one self-contained file)."""
    text = "".join(svg) if isinstance(svg, list) else str(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _drop_removed_cells(nb) -> None:
    """Remove tagged cells before anything is collected from them."""
    nb.cells = [c for c in nb.cells if not (_tags(c) & set(REMOVE_CELL_TAGS))]
    for cell in nb.cells:
        if cell.cell_type == "code" and _tags(cell) & set(REMOVE_OUTPUT_TAGS):
            cell.outputs = []


def _keep_rich_outputs(nb) -> None:
    """Drop streams, errors and outputs with only a text/plain repr: they read as code."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            o
            for o in cell.get("outputs", [])
            if o.get("output_type") in ("display_data", "execute_result")
            and any(m in o.get("data", {}) for m in RICH_MIMETYPES)
        ]


def _symbols_used(nb, notes: list[tuple[str | None, str]], rules: list[str]) -> list[str]:
    """Every symbol the published document will print: its cells' sources and outputs, the notes
    and the rules ([c] is always explained where a rule is stated)."""
    parts = [cell.get("source", "") for cell in nb.cells]
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts += [str(v) for v in out.get("data", {}).values()]
            parts += [str(v) for v in out.get("metadata", {}).values()]
    parts += [text for _, text in notes] + list(rules)
    return symbols_in("\n".join(parts))


def _collect_end_matter(nb, *, remove_notes: bool) -> tuple[list[tuple[str | None, str]], list[str]]:
    """Method notes (outputs with role method-notes, markdown cells tagged method-notes) and the
    distinct disclosure rules of every published table and figure, in order of appearance."""
    notes: list[tuple[str | None, str]] = []
    rules: list[str] = []
    manifest_rule = nb.metadata.get(META, {}).get("manifest", {}).get("disclosure_rule")
    if manifest_rule:
        rules.append(manifest_rule)
    kept_cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "method-notes" in _tags(cell):
            notes.append((None, cell.source))
            if remove_notes:
                continue
        if cell.cell_type == "code":
            kept = []
            for out in cell.outputs:
                info = out.get("metadata", {}).get(META, {})
                if info.get("rule") and info["rule"] not in rules:
                    rules.append(info["rule"])
                if info.get("role") == "method-notes":
                    notes.append((info.get("heading"), out["data"].get("text/markdown", "")))
                    if remove_notes:
                        continue
                kept.append(out)
            cell.outputs = kept
        kept_cells.append(cell)
    nb.cells = kept_cells
    return notes, merge_rules(rules)


_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


def merge_rules(rules: list[str]) -> list[str]:
    """Each rule sentence once: a rule that repeats another and adds a sentence (money's rule, then
    activity totals, then three-year totals) extends that paragraph instead of restating it."""
    paragraphs: list[list[str]] = []
    for rule in rules:
        sentences = _SENTENCE.split(rule.strip())
        home = next((p for p in paragraphs if sentences[0] in p), None)
        new = [x for x in sentences if not any(x in p for p in paragraphs)]
        if home is not None:
            home.extend(new)
        elif new:
            paragraphs.append(new)
    return [" ".join(p) for p in paragraphs]


def _synthetic(nb, override: bool | None) -> bool:
    """Banner or not: explicit setting, else notebook metadata, else the papermill parameter."""
    if override is not None:
        return bool(override)
    meta = nb.metadata.get(META, {})
    if "synthetic" in meta:
        return bool(meta["synthetic"])
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    return bool(params.get("synthetic", False))


_H1 = re.compile(r"^#\s+\S|<h1[\s>]", re.M)


def _has_h1(nb) -> bool:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _H1.search(cell.source):
            return True
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if _H1.search(data.get("text/markdown", "")) or "<h1" in data.get("text/html", ""):
                return True
    return False


def _title(nb, resources) -> str:
    """Notebook metadata `title`; else the first level-1 heading; else the file name (flagged by
    the house checks in tests/publish_checks.py as not a real title)."""
    if nb.metadata.get("title"):
        return str(nb.metadata["title"])
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return str((resources or {}).get("metadata", {}).get("name", "Untitled"))
