"""Link checks for a published year: every link in every HTML page and PDF goes somewhere.

A relative link must name a file that exists beside the page (the folder is served or opened from
disk as it is); an absolute link must be one the project means to publish: the contact address
from settings or a licence named in data/reference/attributions.toml. Anything else (a `file://`
path of the build folder, a stray web address) is a problem. Each function returns a list of
problems; empty means it passed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pikepdf
from bs4 import BeautifulSoup

from analysis.publish.endmatter import attribution_statements


def allowed_external(config) -> set[str]:
    """The absolute addresses a published page may link to."""
    _, licences = attribution_statements()
    allowed = {url for _, url in licences}
    address = config.section("brief").get("contact_address", "")
    if address:
        allowed.add(address if address.startswith("https://") else f"mailto:{address}")
    return allowed


def _problem(base: Path, href: str, allowed: set[str]) -> str | None:
    parsed = urlparse(href)
    if href.startswith("#") or not href:
        return None
    if parsed.scheme or parsed.netloc or href.startswith("/"):
        return None if href in allowed else f"link to somewhere not allowed: {href}"
    target = base / unquote(parsed.path)
    return None if target.is_file() else f"link to a missing file: {href}"


def html_link_problems(page: Path, allowed: set[str] = frozenset()) -> list[str]:
    """Every `<a href>` on an HTML page, and every in-page `#id` it points to."""
    soup = BeautifulSoup(Path(page).read_text(encoding="utf-8"), "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    problems = []
    for a in soup.find_all("a"):
        href = a.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            problems.append(f"{page.name}: in-page link to a missing id: {href}")
        found = _problem(Path(page).parent, href, allowed)
        if found:
            problems.append(f"{page.name}: {found}")
    return problems


def pdf_links(pdf_path: Path) -> list[str]:
    """The URI of every link annotation in a PDF."""
    uris = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and action.get("/URI") is not None:
                    uris.append(str(action.get("/URI")))
    return uris


def pdf_link_problems(pdf_path: Path, allowed: set[str] = frozenset()) -> list[str]:
    """Every link in a PDF resolves beside it (relative) or is allowed."""
    problems = []
    for uri in pdf_links(pdf_path):
        found = _problem(Path(pdf_path).parent, uri, allowed)
        if found:
            problems.append(f"{Path(pdf_path).name}: {found}")
    return problems
