"""Markdown rendered the way nbconvert renders it, with accessible tables (end matter, method
notes). Kept apart from `analysis.publish.html` because nbconvert's import costs about 3 s, which
every notebook kernel would otherwise pay."""

from __future__ import annotations

from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath


def markdown_to_html(text: str) -> str:
    """Markdown as nbconvert renders it, without heading anchor links (used for end matter)."""
    renderer = IPythonRenderer(escape=False, exclude_anchor_links=True, anchor_link_text="")
    return accessible_tables(MarkdownWithMath(renderer=renderer).render(text))


def accessible_tables(markup: str) -> str:
    """Fix the tables markdown produces (method notes): a paragraph "Table: ..." right before a
    table becomes its `<caption>`, and header cells get `scope`. Tables that still lack a caption
    are left for the house checks (tests/publish_checks.py) to report."""
    soup = BeautifulSoup(markup, "html.parser")
    changed = False
    for table in soup.find_all("table"):
        if table.find("caption") is None:
            prev = table.find_previous_sibling()
            text = prev.get_text(" ", strip=True) if prev is not None and prev.name == "p" else ""
            if text.lower().startswith("table:"):
                caption = soup.new_tag("caption")
                caption.string = text[len("table:") :].strip()
                table.insert(0, caption)
                prev.decompose()
                changed = True
        for th in table.find_all("th"):
            if not th.get("scope"):
                th["scope"] = "col" if th.find_parent("thead") is not None else "row"
                changed = True
    return str(soup) if changed else markup
