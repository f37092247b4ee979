"""Publishing: notebook outputs (`show_*`), the `brief` nbconvert exporter, HTML -> tagged PDF,
and HTML building blocks (`analysis.publish.html`). The checks the tests run on the results are
in `tests/publish_checks.py`."""

import importlib

from analysis.publish.display import (
    key_messages_html,
    show_figure,
    show_findings,
    show_key_messages,
    show_markdown,
    show_method_notes,
    show_policy_asks,
    show_table,
    table_html,
)
from analysis.publish.html import BANNER_TEXT

# The exporter, PDF and build modules pull in nbconvert and WeasyPrint (about a second of imports);
# notebooks only need the show_* functions, so those modules load on first use.
_LAZY = {
    "attribution_statements": "analysis.publish.endmatter",
    "end_matter_html": "analysis.publish.endmatter",
    "BriefExporter": "analysis.publish.exporter",
    "MissingAltTextError": "analysis.publish.exporter",
    "html_to_pdf": "analysis.publish.pdf",
    "export_html": "analysis.publish.build",
    "publish_notebook": "analysis.publish.build",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'analysis.publish' has no attribute {name!r}")


__all__ = [
    "BANNER_TEXT",
    "BriefExporter",
    "MissingAltTextError",
    "attribution_statements",
    "end_matter_html",
    "export_html",
    "html_to_pdf",
    "key_messages_html",
    "publish_notebook",
    "show_figure",
    "show_findings",
    "show_key_messages",
    "show_markdown",
    "show_method_notes",
    "show_policy_asks",
    "show_table",
    "table_html",
]
