"""Text that staff open in spreadsheets and Markdown viewers, made inert.

A cell such as `=HYPERLINK(...)` or `+cmd|...` in a CSV runs as a formula when the file is
opened in Excel or LibreOffice; the OWASP guidance is to prefix a single quote to every text
cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return. Only text cells are
touched: numbers, and text that is just a number such as "-3.5", stay as they are. Every CSV
written under restricted/ and reports/ goes through `neutralise_frame`.
"""

from __future__ import annotations

import html
import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_MARKDOWN = re.compile(r"([\\`*_\[\]!|~])")  # emphasis, links, images, tables, code
_BLOCK_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)")  # headings, quotes, list items


def neutralise_cell(value):
    """`'` + the text when a spreadsheet would read it as a formula; anything else unchanged.

    A carriage return inside text becomes a line feed: CSV written with '\\n' line ends would
    otherwise leave it unquoted and break the row for every reader."""
    if not isinstance(value, str):
        return value
    if value.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised; numeric, boolean and date columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell, na_action="ignore").astype(out[column].dtype)
    return out


def markdown_text(text: str) -> str:
    """Text for a Markdown file: HTML escaped (no live tags) and Markdown syntax made literal."""
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(str(text), quote=True))
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
