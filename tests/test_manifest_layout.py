"""The run manifest's table is laid out by rule (30/70), not measured: its sha256 fingerprints
break after any character, and measuring every such break cost about 1 s of CPU for each
appendix. The fingerprints must still wrap inside the page, in print and on a phone."""

from __future__ import annotations

import hashlib

import pytest
from weasyprint.formatting_structure import boxes
from weasyprint.layout import table as weasy_table

import publish_helpers as h
from analysis.publish import pdf
from analysis.publish.endmatter import end_matter_html
from analysis.publish.exporter import CSS_PATH

# Fingerprints as a real run lists them: the config, every input and every published file.
FINGERPRINTS = {f"file-{i}.csv": hashlib.sha256(str(i).encode()).hexdigest() for i in range(12)}
MANIFEST = {**h.MANIFEST, "inputs_sha256": FINGERPRINTS}


def _html(page_css: str = "") -> str:
    css = CSS_PATH.read_text(encoding="utf-8") + page_css
    body = end_matter_html(notes=[], rules=[h.RULE], manifest=MANIFEST, synthetic=True)
    return (
        f'<html lang="en-GB"><head><title>Manifest</title><style>\n{css}\n</style></head>'
        f'<body class="brief">{body}</body></html>'
    )


def _typeset(html: str, monkeypatch) -> tuple[object, list]:
    """The rendered document and the tables WeasyPrint measured cell by cell (auto layout)."""
    measured = []
    original = weasy_table.table_and_columns_preferred_widths

    def recording(context, box, outer=True):
        measured.append(box)
        return original(context, box, outer)

    monkeypatch.setattr(weasy_table, "table_and_columns_preferred_widths", recording)
    body, css = pdf._without_head_style(html)
    return pdf._render(body, None, [pdf._stylesheet(css)]), measured


def _is_manifest(box) -> bool:
    return "manifest" in (box.element.get("class") or "").split() if box.element is not None else False


@pytest.mark.parametrize(
    "page_css", ["", "@page { size: 390px 844px; margin: 12px; }"], ids=["A4 print", "phone-sized page"]
)
def test_the_manifest_is_not_measured_and_its_fingerprints_stay_on_the_page(page_css, monkeypatch):
    doc, measured = _typeset(_html(page_css), monkeypatch)
    assert not [box for box in measured if _is_manifest(box)], "the manifest table was auto-laid out"
    fragments = []  # the fingerprints' pieces in reading order (a fingerprint wraps over lines)
    for page in doc.pages:
        content = page._page_box.children[0]
        right = content.content_box_x() + content.width
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox) and set(box.text) <= set("0123456789abcdef"):
                fragments.append(box.text)
                assert box.position_x + box.width <= right + 0.5, f"{box.text} runs off the page"
    assert all(fingerprint in "".join(fragments) for fingerprint in FINGERPRINTS.values())


def test_the_manifest_columns_follow_the_rule(monkeypatch):
    doc, _ = _typeset(_html(), monkeypatch)
    tables = [b for p in doc.pages for b in p._page_box.descendants() if isinstance(b, boxes.TableBox)]
    manifest = next(t for t in tables if _is_manifest(t))
    assert manifest.style["table_layout"] == "fixed"
    widths = manifest.column_widths
    assert len(widths) == 2 and widths[0] / sum(widths) == pytest.approx(0.30, abs=0.03)  # 30 % plus padding
