"""Checks a test can run on every published brief and appendix.

Each function returns a list of problems (plain-English strings; empty means it passed), so a
test can assert `== []` and print everything wrong at once.

- `check_html(path, synthetic=None)`: what axe cannot see: nbconvert's placeholder alt text, a
  real `<title>`, `lang="en-GB"`, no code or prompts, no scripts or CDN references, captions and
  scoped headers on every table, the synthetic banner exactly when synthetic, no personal data.
- `check_pdf(path, title=None, min_pages=1, max_pages=None)`: tagged PDF essentials (pikepdf).
- `axe_violations(path)` / `axe_violations_of(paths)`: axe-core's WCAG 2.0-2.2 A/AA violations, in Debian's chromium with
  every network request blocked. `axe_unavailable()` says why it cannot run (or None).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis import paths
from analysis.publish.exporter import PLACEHOLDER_ALT
from analysis.publish.html import BANNER_TEXT

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Personal data that must never reach a brief (checked on visible text, not on image data).
PERSONAL_PATTERNS = {
    "email address": re.compile(
        r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+\.[\w.-]+"
    ),  # linear: starts at a run start
    "UK phone number": re.compile(r"(?<![\w+])(?:\+44\s?|0)(?:\d\s?){9,10}(?!\w)"),
    "full postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "organisation pseudonym": re.compile(r"\bO[0-9a-f]{10}\b"),
}
CODE_MARKERS = (
    "jp-InputArea",
    "jp-InputPrompt",
    "jp-OutputPrompt",
    "In&nbsp;[",
    "Out[",
    'class="highlight',
    "cm-editor",
    "Traceback (most recent call last)",
)
NETWORK_MARKERS = ("cdn", "require.js", "requirejs", "mathjax", "unpkg", "jsdelivr", "googleapis")


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def _visible_text(soup) -> str:
    """Text a reader sees, minus the organisation's own contact line (an address on purpose)."""
    for tag in soup(["style", "script"]) + soup.select(".contact"):
        tag.decompose()
    return soup.get_text(" ", strip=True)


def _title_problems(soup, path: Path) -> list[str]:
    title = (soup.title.string or "").strip() if soup.title else ""
    if not title:
        return ["no <title>"]
    if (
        len(title) < 8
        or title.lower() in {path.stem.lower(), "notebook", "untitled"}
        or re.search(r"\.ipynb$|^\w+_\w+$", title)
    ):
        return [f"<title> looks like a file name, not a real title: {title!r}"]
    return []


def _table_problems(soup) -> list[str]:
    problems = []
    for i, table in enumerate(soup.find_all("table"), 1):
        caption = table.find("caption")
        if caption is None or not caption.get_text(strip=True):
            problems.append(f"table {i} has no caption")
        for th in table.find_all("th"):
            if not th.get("scope"):
                problems.append(f"table {i}: <th> without scope: {th.get_text(strip=True)!r}")
            if not th.get_text(strip=True):
                problems.append(f"table {i}: empty <th>")
    return problems


def check_html(path: Path, synthetic: bool | None = None) -> list[str]:
    """Problems axe-core cannot detect (see module docstring)."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    soup = _soup(path)
    problems: list[str] = []
    if PLACEHOLDER_ALT in raw:
        problems.append("nbconvert's placeholder alt text is present")
    for img in soup.find_all("img"):
        if not (img.get("alt") or "").strip():
            problems.append("an <img> has no alt text")
    problems += _title_problems(soup, path)
    html_tag = soup.find("html")
    if html_tag is None or html_tag.get("lang") != "en-GB":
        problems.append('<html> is not lang="en-GB"')
    problems += [f"code or prompt marker present: {m!r}" for m in CODE_MARKERS if m in raw]
    without_images = re.sub(r"data:image/[\w+]+;base64,[A-Za-z0-9+/=]+", "", raw).lower()
    problems += [f"network/CDN reference present: {m!r}" for m in NETWORK_MARKERS if m in without_images]
    if soup.find("script") is not None:
        problems.append("a <script> element is present")
    for tag in soup.find_all(["link", "iframe", "object", "embed"]):
        problems.append(f"external resource element <{tag.name}> present")
    problems += _table_problems(soup)
    text = _visible_text(soup)
    if synthetic is True and BANNER_TEXT not in text:
        problems.append("synthetic banner missing")
    if synthetic is False and BANNER_TEXT in text:
        problems.append("synthetic banner shown on a real-data document")
    for what, pattern in PERSONAL_PATTERNS.items():
        hits = pattern.findall(text)
        if hits:
            problems.append(f"possible {what}: {hits[:3]}")
    return problems


# --- PDF -------------------------------------------------------------------------------------


def _struct_figures(node, seen=None):
    """Yield every /Figure structure element below `node`."""
    import pikepdf

    seen = seen if seen is not None else set()
    if isinstance(node, pikepdf.Array):
        for item in node:
            yield from _struct_figures(item, seen)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    key = node.objgen if node.is_indirect else None
    if key is not None:
        if key in seen:
            return
        seen.add(key)
    if node.get("/S") == pikepdf.Name("/Figure"):
        yield node
    if "/K" in node:
        yield from _struct_figures(node["/K"], seen)


def _font_problems(pdf) -> list[str]:
    import pikepdf

    problems = set()

    def check_font(name, font):
        subtype = str(font.get("/Subtype"))
        if subtype == "/Type3":
            return
        if subtype == "/Type0":
            for sub in font.get("/DescendantFonts", []):
                check_font(name, sub)
            return
        desc = font.get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.add(f"font not embedded: {font.get('/BaseFont', name)}")

    def walk(resources, depth=0):
        if resources is None or depth > 5:
            return
        for name, font in resources.get("/Font", pikepdf.Dictionary()).items():
            check_font(name, font)
        for _, xobj in resources.get("/XObject", pikepdf.Dictionary()).items():
            if xobj.get("/Subtype") == pikepdf.Name("/Form"):
                walk(xobj.get("/Resources"), depth + 1)

    for page in pdf.pages:
        walk(page.obj.get("/Resources"))
    return sorted(problems)


def _pdf_title(pdf) -> str:
    title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
    if not title:
        with pdf.open_metadata() as meta:
            title = str(meta.get("dc:title", "") or "")
    return title.strip()


def check_pdf(
    path: Path, title: str | None = None, min_pages: int = 1, max_pages: int | None = None
) -> list[str]:
    """Tagged-PDF essentials: structure tree, marked, language, figure /Alt, title, fonts, pages."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            problems.append("no /StructTreeRoot (untagged PDF)")
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            problems.append("/MarkInfo /Marked is not true")
        if not str(root.get("/Lang", "")).strip():
            problems.append("no /Lang")
        elif not str(root.get("/Lang")).lower().startswith("en"):
            problems.append(f"/Lang is {root.get('/Lang')}")
        if "/StructTreeRoot" in root:
            for i, fig in enumerate(_struct_figures(root.StructTreeRoot), 1):
                if not str(fig.get("/Alt", "")).strip():
                    problems.append(f"/Figure {i} has no /Alt")
        doc_title = _pdf_title(pdf)
        if not doc_title:
            problems.append("no title in the PDF metadata")
        elif title is not None and doc_title != title:
            problems.append(f"PDF title {doc_title!r} is not {title!r}")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            problems.append("/ViewerPreferences /DisplayDocTitle is not true")
        problems += _font_problems(pdf)
        n = len(pdf.pages)
        if n < min_pages or (max_pages is not None and n > max_pages):
            problems.append(f"{n} pages, expected {min_pages} to {max_pages or 'any'}")
    return problems


# --- axe-core --------------------------------------------------------------------------------


def axe_unavailable() -> str | None:
    """Why axe cannot run here (None when it can): a test skips with this reason."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    if not AXE_JS.exists():
        return f"{AXE_JS} not found (run `npm ci` in {paths.ROOT})"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed"
    return None


def axe_violations(path: Path, tags: list[str] | None = None) -> list[dict]:
    """axe-core violations for one HTML file (WCAG 2.0-2.2 A/AA by default)."""
    return axe_violations_of([path], tags)[Path(path)]


def axe_violations_of(paths: list[Path], tags: list[str] | None = None) -> dict[Path, list[dict]]:
    """axe-core violations for each HTML file, in one browser (a launch per page would cost a
    second each).

    Every page is opened from file:// in headless chromium; every non-file request is aborted, so
    a passing page cannot depend on (or leak to) the network.
    """
    from playwright.sync_api import sync_playwright

    reason = axe_unavailable()
    if reason:
        raise RuntimeError(reason)
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for path in paths:
                context = browser.new_context(java_script_enabled=True)
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith("file://") else route.abort()
                    ),
                )
                page = context.new_page()
                page.goto(Path(path).resolve().as_uri(), wait_until="load")
                page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
                result = page.evaluate(
                    "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                    " resultTypes: ['violations']})",
                    tags or AXE_TAGS,
                )
                context.close()
                found[Path(path)] = [
                    {
                        "id": v["id"],
                        "impact": v.get("impact"),
                        "help": v["help"],
                        "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
                    }
                    for v in result["violations"]
                ]
        finally:
            browser.close()
    return found
