"""What the form exports look like: question and answer texts, timestamps, one table per export.

The texts are read from `config/defaults.toml` ([mapping.*], [options.*]), the single source
intake maps from, so the sample always matches the mapping. Imports paths only.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import datetime

import pandas as pd

from analysis import paths

TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"
DATE_FORMAT = "%d/%m/%Y"


@functools.cache
def form_settings() -> dict:
    """The shared settings file: the single source of the form's question and answer texts."""
    with (paths.CONFIG_DIR / "defaults.toml").open("rb") as fh:
        return tomllib.load(fh)


def _headers(table: str) -> list[str]:
    return list(form_settings()["mapping"][table])


def answer_texts(name: str) -> dict:
    """Answer code -> the form's answer text, e.g. 'arts_venue' -> 'Arts venue or theatre'."""
    return {code: text for text, code in form_settings()["options"][name].items()}


def _header_of(table: str) -> dict[str, str]:
    """Canonical field -> question text, so rows are built by field name."""
    return {fieldname: question for question, fieldname in form_settings()["mapping"][table].items()}


def timestamp_text(moment: datetime) -> str:
    """A form timestamp as exported: UK day-first, to the second."""
    return moment.strftime(TIMESTAMP_FORMAT)


def export_frame(rows: list[dict], table: str) -> pd.DataFrame:
    """Rows built by field name → the export's columns, question texts as headers, all strings."""
    header_of = _header_of(table)
    fields = list(form_settings()["mapping"][table].values())
    data = {header_of[f]: [r.get(f, "") for r in rows] for f in fields}
    return pd.DataFrame(data, columns=_headers(table), dtype="str")
