"""Publishing: notebook outputs (`show_*`), the `brief` nbconvert exporter, HTML -> tagged PDF,
and checks a test can run on the results (`analysis.publish.checks`)."""

from analysis.publish.display import (
    BANNER_TEXT,
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
from analysis.publish.endmatter import attribution_statements, end_matter_html
from analysis.publish.exporter import BriefExporter, MissingAltTextError
from analysis.publish.pdf import html_to_pdf
from analysis.publish.build import export_html, publish_notebook

__all__ = [
    "BANNER_TEXT", "BriefExporter", "MissingAltTextError", "attribution_statements",
    "end_matter_html", "export_html", "html_to_pdf", "key_messages_html", "publish_notebook",
    "show_figure", "show_findings", "show_key_messages", "show_markdown", "show_method_notes",
    "show_policy_asks", "show_table", "table_html",
]
