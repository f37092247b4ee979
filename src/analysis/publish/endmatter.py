"""The end matter every published document closes with.

Method and data notes (collected from the notebook), the disclosure rule applied with the
membership policy and the meaning of every symbol the document uses (`analysis.disclosure.policy`),
data sources
with their licence attributions (data/reference/attributions.toml, each statement quoted word for
word from PROVENANCE.md), the run manifest (code version, fingerprints, time, synthetic or real) and a contact.
A document whose details live elsewhere (the brief: `details_in` names the appendix) keeps only the
attribution statements the licences require wherever their data are shown, and a link to that
appendix's full list of sources and its manifest, so the list is printed in one place.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.disclosure.policy import membership_policy, symbol_line
from analysis.publish.html import esc
from analysis.publish.markdown import markdown_to_html

PROVENANCE = paths.REFERENCE_DIR / "PROVENANCE.md"
ATTRIBUTIONS = paths.REFERENCE_DIR / "attributions.toml"
SURVEY_SOURCE = (
    "Citizens In Power network: call-out for applicants and annual member returns "
    "(pseudonymised; no organisation is named)."
)

# Kept in run-manifest.json but not printed: the contact and rule appear elsewhere, and the run's
# clock time would make the same inputs give different documents on different days.
UNPUBLISHED_MANIFEST_KEYS = {"contact", "contact_address", "disclosure_rule", "byline", "created_utc"}

# Row labels for the keys of `analysis.manifest.base_manifest`, in words a reader understands.
MANIFEST_LABELS = {
    "year": "Year",
    "data": "Data",
    "synthetic": "Data",
    "created_utc": "Created (UTC)",
    "code_version": "Code version",
    "config_files": "Config files",
    "config_sha256": "Config sha256",
    "inputs_sha256": "Inputs sha256",
    "packages": "Packages",
}


@lru_cache(maxsize=4)
def attribution_sources(path: Path = ATTRIBUTIONS) -> tuple[dict, ...]:
    """Which statements apply to which data the briefs use (data/reference/attributions.toml)."""
    with path.open("rb") as fh:
        return tuple(tomllib.load(fh)["source"])


@lru_cache(maxsize=4)
def attribution_statements(path: Path = ATTRIBUTIONS) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Every distinct statement, and the licence links, in the order the file gives them."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    statements = tuple(dict.fromkeys(s for src in data["source"] for s in src["statements"]))
    return statements, tuple(data["licences"].items())


def _manifest_value(key: str, value) -> str:
    if key == "synthetic" and isinstance(value, bool):
        return "Synthetic sample data (not real findings)" if value else "Real data"
    if isinstance(value, dict):
        items = "".join(f"<li>{esc(k)}: {_manifest_value(k, v)}</li>" for k, v in value.items())
        return f"<ul>{items}</ul>"
    if isinstance(value, (list, tuple)):
        return ", ".join(_manifest_value(key, v) for v in value)
    text = esc(value)
    if re.fullmatch(r"[0-9a-f]{12,}|sha256:[0-9a-f]+", str(value)):
        return f'<span class="fingerprint">{text}</span>'
    return text


def manifest_html(manifest: dict, synthetic: bool) -> str:
    """The run manifest as a two-column table with row headers."""
    items = dict(manifest or {})
    if "data" in items:  # the pipeline's manifest says it in words; one row is enough
        items.pop("synthetic", None)
    else:
        items.setdefault("synthetic", synthetic)
    rows = "\n".join(
        f'<tr><th scope="row">{esc(MANIFEST_LABELS.get(k, k.replace("_", " ").capitalize()))}</th>'
        f"<td>{_manifest_value(k, v)}</td></tr>"
        for k, v in items.items()
        if k not in UNPUBLISHED_MANIFEST_KEYS
    )
    return (
        '<table class="manifest">\n<caption>Run manifest: how this document was produced</caption>\n'
        '<thead><tr><th scope="col">Item</th><th scope="col">Value</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )


def _sources_html() -> str:
    _, links = attribution_statements()
    items = [f"<li>{esc(SURVEY_SOURCE)}</li>"]
    for src in attribution_sources():
        note = f" {esc(src['note'])}" if src.get("note") else ""
        items.append(
            f"<li><strong>{esc(src['data'])}.</strong> "
            + " ".join(f"{esc(s.rstrip('.'))}." for s in src["statements"])
            + note
            + "</li>"
        )
    link_items = "; ".join(f'{esc(name)}: <a href="{esc(url)}">{esc(url)}</a>' for name, url in links)
    licences = f"<p>Licences: {link_items}.</p>" if link_items else ""
    return "<ul>\n" + "\n".join(items) + "\n</ul>\n" + licences


def _short_sources_html(details_in: tuple[str, str]) -> str:
    """The licences' required statements in one paragraph, and where the full list and manifest are."""
    statements, links = attribution_statements()
    said = " ".join(f"{esc(s.rstrip('.'))}." for s in statements)
    licences = ", ".join(f'<a href="{esc(url)}">{esc(name)}</a>' for name, url in links)
    stem, title = (esc(part) for part in details_in)
    where = (
        f'<a class="screen-only" href="{stem}.html#sources">{title}</a>'
        f'<a class="print-only" href="{stem}.pdf">{title} (PDF)</a>'
    )
    return (
        f'<p class="attribution">{esc(SURVEY_SOURCE)} {said} Licences: {licences}. Every data source '
        f"with its licence, the code version and the run manifest are listed at the end of {where} "
        "and of each technical appendix.</p>"
    )


def _notes_html(notes: list[tuple[str | None, str]]) -> str:
    """Collected notes; omitted entirely when there are none (a notebook may write its own)."""
    parts = []
    for heading, text in notes:
        if heading:
            parts.append(f"<h3>{esc(heading)}</h3>")
        parts.append(markdown_to_html(text))
    return "\n".join(parts)


def _rules_html(rules: list[str], symbols: list[str] = ()) -> str:
    """The rules applied, the membership policy, and what each symbol used in the document means."""
    parts = [f"<p>{esc(r)}</p>" for r in rules] or ["<p>No statistical tables appear in this document.</p>"]
    if rules:
        parts.append(f"<p>{esc(membership_policy())}</p>")
    if symbols:
        lines = " ".join(esc(symbol_line(s)) for s in symbols)
        parts.append(f'<p class="symbols" id="symbols">Symbols used in this document: {lines}</p>')
    return "\n".join(parts)


def contact_link(address: str) -> str:
    """' Write to: <address>' as a link (mailto: for an email address), or nothing."""
    if not address:
        return ""
    href = address if address.startswith("https://") else f"mailto:{address}"
    return f' Write to: <a href="{esc(href)}">{esc(address)}</a>.'


def end_matter_html(
    *,
    notes: list[tuple[str | None, str]],
    rules: list[str],
    manifest: dict,
    synthetic: bool,
    contact: str | None = None,
    symbols: list[str] = (),
    details_in: tuple[str, str] | None = None,
) -> str:
    """The closing sections, as HTML for the `brief` template; `symbols` are those the document uses.

    With `details_in` (stem and title of the appendix that lists them) the sources shrink to the required
    attribution statements and a link, and the manifest is left to the appendices.
    """
    contact = contact or (manifest or {}).get("contact")
    address = (manifest or {}).get("contact_address", "")
    contact_html = (
        f'<h2 id="contact">Contact</h2>\n<p class="contact">{esc(contact)}{contact_link(address)}</p>'
        if contact
        else ""
    )
    notes_part = ['<h2 id="method-notes">Method and data notes</h2>', _notes_html(notes)] if notes else []
    return "\n".join(
        [
            '<section class="end-matter" aria-label="Method, sources and run details">',
            *notes_part,
            '<h2 id="disclosure">Disclosure control</h2>',
            _rules_html(rules, symbols),
            '<h2 id="sources">Data sources and licences</h2>',
            _short_sources_html(details_in) if details_in else _sources_html(),
            *(
                []
                if details_in
                else [
                    '<h2 id="manifest">Code version and run manifest</h2>',
                    manifest_html(manifest, synthetic),
                ]
            ),
            contact_html,
            "</section>",
        ]
    )
