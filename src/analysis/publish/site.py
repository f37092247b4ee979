"""The landing pages that make each year one connected publication.

`reports/<year>/index.html` (GOV.UK style): title, release date and next update, a summary, links
to the brief and every appendix (HTML and PDF), the data downloads, methods and the contact.
`reports/index.html` lists every year present. Dates come from settings and links are relative,
so the folder can be served or opened from disk and reads the same on any day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import jinja2
from bs4 import BeautifulSoup
from markupsafe import Markup

from analysis.brief import release_line
from analysis.config import Config
from analysis.publish.downloads import (
    DATA_DIR,
    SYMBOLS,
    build_downloads,
    load_findings,
    published_tables,
    spreadsheet_name,
    symbols_used,
)
from analysis.publish.endmatter import contact_link
from analysis.publish.exporter import BANNER_EXPLANATION, CSS_PATH
from analysis.publish.html import BANNER_TEXT
from analysis.text import list_in_sentence

INDEX = "index.html"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_META = re.compile(r'<meta name="([\w.]+)" content="([^"]*)">')
_APPENDIX = re.compile(r"^appendix-(\d+)-.*\.html$")


class SiteError(ValueError):
    """A landing page cannot be built: a document or setting it needs is missing."""


@dataclass(frozen=True)
class Document:
    title: str
    html: str  # file names relative to the year folder
    pdf: str | None


_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

_HEAD = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page_title }}</title>
{% for name, content in meta %}
<meta name="{{ name }}" content="{{ content }}">
{% endfor %}
<style>
{{ css }}
.document-list li, .download-list li { margin: 0.4rem 0; }
.file-type { color: var(--secondary-text); }
</style>
</head>
<body class="landing{% if synthetic %} synthetic{% endif %}">
<header class="document-header">
{% if synthetic %}
<div class="synthetic-banner" role="note">
<p><strong class="banner-text">{{ banner_text }}</strong></p>
<p class="banner-explanation">{{ banner_explanation }}</p>
</div>
{% endif %}
"""

YEAR_PAGE = _ENV.from_string(
    _HEAD
    + """<h1>{{ title }}: {{ year }}</h1>
<p class="byline">{{ organisation }} · {{ release }}</p>
</header>
<main>
<h2 id="summary">Summary</h2>
<div class="key-messages">
<ul>
{% for message in summary %}
<li>{{ message }}</li>
{% endfor %}
</ul>
</div>
<h2 id="documents">Documents</h2>
<ul class="document-list">
{% for doc in documents %}
<li><a href="{{ doc.html }}">{{ doc.title }}</a>{% if doc.pdf %} (also as <a href="{{ doc.pdf }}">PDF<span class="visually-hidden"> of {{ doc.title }}</span></a>){% endif %}</li>
{% endfor %}
</ul>
<h2 id="data">Data downloads</h2>
<p>Every table in the brief and its appendices, as published. Cells shown as
{{ symbols_phrase }} are explained below and in the spreadsheet's notes.</p>
<ul class="download-list">
<li><a href="{{ spreadsheet.href }}">All tables in one spreadsheet</a> <span class="file-type">(XLSX, {{ spreadsheet.size }}: a cover sheet, contents, notes and one table per sheet)</span></li>
</ul>
<h3>Each table as CSV</h3>
<ul class="download-list">
{% for csv in csvs %}
<li><a href="{{ csv.href }}">{{ csv.caption }}</a> <span class="file-type">(CSV)</span></li>
{% endfor %}
</ul>
{% if symbols %}
<h3>Symbols</h3>
<dl>
{% for symbol in symbols %}
<dt>{{ symbol }}</dt><dd>{{ symbol_text[symbol] }}</dd>
{% endfor %}
</dl>
{% endif %}
<h2 id="methods">Methods</h2>
<p>How each figure was produced, the disclosure control applied and the data sources are set out in the technical appendices:</p>
<ul>
{% for doc in appendices %}
<li><a href="{{ doc.html }}">{{ doc.title }}</a></li>
{% endfor %}
</ul>
<h2 id="contact">Contact</h2>
<p class="contact">{{ contact }}{{ contact_link }}</p>
</main>
<footer>
<p><a href="../{{ index }}">All years of this publication</a></p>
</footer>
</body>
</html>
"""
)

ROOT_PAGE = _ENV.from_string(
    _HEAD
    + """<h1>{{ title }}</h1>
{% if organisation %}
<p class="byline">{{ organisation }}</p>
{% endif %}
</header>
<main>
<h2 id="years">Publications by year</h2>
<ul class="document-list">
{% for entry in years %}
<li><a href="{{ entry.href }}">{{ title }}: {{ entry.year }}</a>{% if entry.released %} <span class="file-type">(published {{ entry.released }})</span>{% endif %}</li>
{% endfor %}
</ul>
</main>
</body>
</html>
"""
)


def _css() -> Markup:
    """The house CSS, marked safe: autoescaping would turn its quotes into &#34; inside <style>, and
    the browser would drop every rule with a quoted font name (the landing pages printed in serif)."""
    return Markup(
        CSS_PATH.read_text(encoding="utf-8")
        + ".visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }\n"
    )


def _html_title(path: Path, year: int) -> str:
    match = _TITLE.search(path.read_text(encoding="utf-8"))
    title = unescape(match.group(1)).strip() if match else path.stem.replace("-", " ")
    return re.sub(rf"\s*[–-]\s*{year}$", "", title)


def documents(reports_dir: Path, year: int) -> tuple[Document, list[Document]]:
    """The year's brief and its appendices (in number order), as published in `reports_dir`."""

    def doc(html: Path) -> Document:
        pdf = html.with_suffix(".pdf")
        return Document(_html_title(html, year), html.name, pdf.name if pdf.exists() else None)

    brief = reports_dir / f"policy-brief-{year}.html"
    if not brief.exists():
        raise SiteError(f"the landing page links to the brief, but {brief} does not exist: publish it first")
    appendices = sorted(
        (p for p in reports_dir.glob("appendix-*.html") if _APPENDIX.match(p.name)),
        key=lambda p: int(_APPENDIX.match(p.name).group(1)),
    )
    return doc(brief), [doc(p) for p in appendices]


def brief_summary(brief_html: Path) -> list[str]:
    """The brief's page-1 findings, as published: the landing page summarises what the brief leads
    with (in 2026 the three-year summary), never the callout's messages by default."""
    soup = BeautifulSoup(brief_html.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("section.key-messages")
    return [li.get_text(" ", strip=True) for li in box.find_all("li")] if box else []


def _size(path: Path) -> str:
    kb = path.stat().st_size / 1024
    return f"{kb:,.0f} KB" if kb >= 1 else "under 1 KB"


def _release_date(config: Config) -> date:
    released = config.section("publication").get("release_date")
    if not isinstance(released, date):
        raise SiteError(
            "[publication] release_date must be a date such as 2024-12-05 in the year's settings file"
        )
    return released


def build_year_site(
    reports_dir: Path, year: int, config: Config, findings_dir: Path, synthetic: bool
) -> list[Path]:
    """The year's data downloads (`data/`) and its landing page (`index.html`), in `reports_dir`.

    Call after the brief and appendices are published there; returns every file written.
    """
    findings = load_findings(findings_dir)
    written = build_year_downloads(reports_dir, year, config, findings, synthetic)
    return [*written, build_year_page(reports_dir, year, config, findings, synthetic)]


def _title(config: Config) -> str:
    return config.section("brief").get("title", "Policy brief")


def build_year_downloads(
    reports_dir: Path, year: int, config: Config, findings: list, synthetic: bool
) -> list[Path]:
    """The year's CSVs and spreadsheet (`data/`): they need the findings, not the documents, so a
    run writes them while the documents are still being typeset."""
    return build_downloads(
        None,
        Path(reports_dir) / DATA_DIR,
        year=year,
        title=f"{_title(config)}: data tables {year}",
        release_date=_release_date(config),
        contact=config.section("brief").get("contact", ""),
        synthetic=synthetic,
        findings=findings,
    )


def build_year_page(reports_dir: Path, year: int, config: Config, findings: list, synthetic: bool) -> Path:
    """The year's landing page (`index.html`): call after the documents and downloads are written
    (it leads with the brief's key messages and gives the spreadsheet's size)."""
    reports_dir = Path(reports_dir)
    settings = config.section("brief")
    title = _title(config)
    released = _release_date(config)
    contact = settings.get("contact", "")
    brief, appendices = documents(reports_dir, year)
    items = published_tables(findings)
    xlsx = reports_dir / DATA_DIR / spreadsheet_name(year)
    symbols = symbols_used([i.table for i in items])
    page = YEAR_PAGE.render(
        page_title=f"{title}: {year}",
        meta=[
            ("dcterms.title", title),
            ("dcterms.publisher", settings.get("organisation", "")),
            ("dcterms.issued", released.isoformat()),
        ]
        + ([("cip.synthetic", "true")] if synthetic else []),
        css=_css(),
        synthetic=synthetic,
        banner_text=BANNER_TEXT,
        banner_explanation=BANNER_EXPLANATION,
        title=title,
        year=year,
        organisation=settings.get("organisation", ""),
        release=release_line(config.section("publication")),
        summary=brief_summary(reports_dir / brief.html)
        or [f.key_messages[0] for f in findings if f.key_messages],
        documents=[brief, *appendices],
        appendices=appendices,
        spreadsheet={"href": f"{DATA_DIR}/{xlsx.name}", "size": _size(xlsx)},
        csvs=[{"href": f"{DATA_DIR}/{i.filename}", "caption": i.table.caption} for i in items],
        symbols=symbols,
        symbols_phrase=list_in_sentence(symbols, "or") if symbols else "symbols",
        symbol_text=SYMBOLS,
        contact=contact,
        contact_link=Markup(contact_link(settings.get("contact_address", ""))),
        index=INDEX,
    )
    page_path = reports_dir / INDEX
    page_path.write_text(page, encoding="utf-8")
    return page_path


def build_index(reports_root: Path) -> Path:
    """`reports/index.html`: every year folder with a landing page, newest first."""
    reports_root = Path(reports_root)
    years, title, organisation, synthetic = [], "", "", False
    folders = sorted((p for p in reports_root.iterdir() if p.is_dir() and p.name.isdigit()), reverse=True)
    for folder in folders:
        page = folder / INDEX
        if not page.exists():
            continue
        meta = dict(_META.findall(page.read_text(encoding="utf-8")))
        title = title or unescape(meta.get("dcterms.title", ""))
        organisation = organisation or unescape(meta.get("dcterms.publisher", ""))
        synthetic = synthetic or meta.get("cip.synthetic") == "true"
        issued = meta.get("dcterms.issued")
        released = date.fromisoformat(issued) if issued else None
        years.append(
            {
                "year": folder.name,
                "href": f"{folder.name}/{INDEX}",
                "released": f"{released.day} {released:%B %Y}" if released else "",
            }
        )
    if not years:
        raise SiteError(f"no year folder in {reports_root} has a landing page ({INDEX}): run a year first")
    page = ROOT_PAGE.render(
        page_title=f"{title}: all years",
        meta=[("dcterms.title", title), ("dcterms.publisher", organisation)],
        css=_css(),
        synthetic=synthetic,
        banner_text=BANNER_TEXT,
        banner_explanation=BANNER_EXPLANATION,
        title=title,
        organisation=organisation,
        years=years,
    )
    path = reports_root / INDEX
    path.write_text(page, encoding="utf-8")
    return path
