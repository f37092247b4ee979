"""What notebooks call to put findings on the page (`show_*`), and the HTML they emit.

Each `show_*` function displays one output whose MIME bundle and metadata the `brief` template
understands: figures are SVG and carry their alt text in `metadata["image/svg+xml"]["alt"]` (the
place nbconvert's own template ignores) and their title/subtitle/source under `metadata["cip"]`, so the template can
build `<figure><figcaption>`; tables carry the disclosure rule so the end matter can state it;
method notes are tagged so the end matter can collect them.
Text-only outputs are deliberately not produced: the exporter drops them, so stray reprs
(`PosixPath(...)`, `<Figure ...>`) never reach a brief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from IPython.display import display

from analysis.disclosure import ProtectedTable, require_protected
from analysis.findings import Figure, Findings
from analysis.publish.html import META, esc
from analysis.reference import region_names


def _display(data: dict, metadata: dict | None = None) -> None:
    """Display a raw MIME bundle in the notebook (with the metadata the brief template reads)."""
    display(data, raw=True, metadata=metadata or {})


# --- markdown and key messages ---------------------------------------------------------------


def show_markdown(text: str) -> None:
    """Templated markdown (numbers come from code, never typed by hand)."""
    _display({"text/markdown": text})


def key_messages_html(
    messages: Sequence[str], heading: str = "Key messages", level: int = 2, label: str | None = None
) -> str:
    """A boxed list with a visible heading, named for assistive technology ('Key messages', or
    `label` when several boxes share a page, so each region has a distinct name)."""
    items = "\n".join(f"<li>{esc(m)}</li>" for m in messages)
    return (
        f'<section class="key-messages" aria-label="{esc(label or heading)}">\n'
        f"<h{level}>{esc(heading)}</h{level}>\n<ul>\n{items}\n</ul>\n</section>"
    )


def show_key_messages(
    messages: Sequence[str], heading: str = "Key messages", level: int = 2, label: str | None = None
) -> None:
    """The key-messages box: 3-5 full sentences, each with its number."""
    _display(
        {"text/html": key_messages_html(list(messages), heading, level, label)},
        {META: {"role": "key-messages"}},
    )


def asks_html(asks: Sequence, heading: str = "What we ask") -> str:
    """The asks box on page 1: each ask names who, what, the scale and its evidence sentence."""
    items = "\n".join(
        f"<li><p><strong>{esc(a.who)}:</strong> {esc(a.what)}</p>\n"
        f'<p class="ask-detail"><strong>Scale:</strong> {esc(a.scale)}. '
        f"<strong>Evidence:</strong> {esc(a.evidence)}</p></li>"
        for a in asks
    )
    return f'<section class="asks" aria-label="{esc(heading)}">\n<h2>{esc(heading)}</h2>\n<ol>\n{items}\n</ol>\n</section>'


def show_asks(asks: Sequence, heading: str = "What we ask") -> None:
    """The asks box (nothing when no ask has its evidence)."""
    if asks:
        _display({"text/html": asks_html(list(asks), heading)}, {META: {"role": "asks"}})


# --- tables ----------------------------------------------------------------------------------


def _label(value) -> str:
    if isinstance(value, tuple):
        return " – ".join(str(v) for v in value if str(v) != "")
    return str(value)


def _header(value) -> str:
    """Column headers for readers: `per_million` -> `Per million`, `kind` -> `Kind`."""
    text = _label(value)
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", text):
        text = text.replace("_", " ")
        text = text[0].upper() + text[1:]
    return text


def _is_numeric_text(text: str) -> bool:
    t = text.strip().replace(",", "").replace("£", "").replace("%", "")
    if t.startswith("[") and t.endswith("]"):
        return True
    try:
        float(t)
        return True
    except ValueError:
        return False


def _readable_index(df):
    """Readers see region names, not ONS codes (map tables are indexed by RGN23CD)."""
    names = region_names()
    if (
        df.index.nlevels == 1
        and len(df.index)
        and all(str(i) in names or str(i).lower() == "total" for i in df.index)
    ):
        df = df.rename(index=lambda i: names.get(str(i), i))
        df.index.name = "Region or nation"
    return df


def table_html(table: ProtectedTable, caption: str | None = None, layout: str = "") -> str:
    """An accessible table: `<caption>`, a named row-header column, `<th scope>` everywhere.

    Built by hand rather than with DataFrame.to_html, whose empty corner `<th>` and unscoped
    headers fail axe. Cells are the published (display) strings, symbols included.
    """
    pt = require_protected(table)
    df = _readable_index(pt.display)
    index_name = (
        _label(df.index.name if df.index.name else (df.index.names if df.index.nlevels > 1 else ""))
        or "Category"
    )
    head = "".join(f'<th scope="col" class="num">{esc(_header(c))}</th>' for c in df.columns)
    rows = []
    for idx, row in df.iterrows():
        cls = ' class="total"' if str(_label(idx)).strip().lower() in {"total", "all"} else ""
        cells = "".join(
            f'<td class="num">{esc(v)}</td>' if _is_numeric_text(str(v)) else f"<td>{esc(v)}</td>"
            for v in row.astype(str)
        )
        rows.append(f'<tr{cls}><th scope="row">{esc(_label(idx))}</th>{cells}</tr>')
    notes = "".join(f"<p>{esc(n)}</p>" for n in pt.notes)
    notes_html = f'\n<div class="table-notes">{notes}</div>' if notes else ""
    return (
        f'<div class="{" ".join(["table-block", *layout.split()])}">\n<table>\n'
        f"<caption>{esc(caption or pt.caption)}</caption>\n"
        f'<thead><tr><th scope="col">{esc(_header(index_name))}</th>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>" + notes_html + "\n</div>"
    )


def show_table(table: ProtectedTable, caption: str | None = None) -> None:
    """A protected table, captioned; its disclosure rule is collected for the end matter."""
    pt = require_protected(table)
    _display({"text/html": table_html(pt, caption)}, {META: {"role": "table", "rule": pt.rule}})


# --- figures ---------------------------------------------------------------------------------


def show_figure(figure: Figure, table: bool = True, beside: ProtectedTable | None = None) -> None:
    """A chart as `<figure>` with its alt text, caption and source, then its data table.

    `table=False` leaves the data table out (e.g. in the brief when the appendix has it);
    maps and complex charts should keep it. A `beside` table is shown next to the chart, the two
    kept together in one block (the template wraps them), instead of the figure's table below.
    """
    if not figure.alt or not figure.alt.strip():
        raise ValueError(f"figure {figure.key!r} has no alt text")
    source = figure.source.strip()
    if source and not source.lower().startswith("source"):
        source = f"Source: {source}"
    _display(
        {"image/svg+xml": figure.svg, "text/plain": figure.alt},
        {
            "image/svg+xml": {"alt": figure.alt},
            META: {
                "role": "figure",
                "key": figure.key,
                "title": figure.title,
                "subtitle": figure.subtitle,
                "source": source,
                "rule": figure.table.rule,
                **({"beside_table": table_html(beside, layout="beside")} if beside is not None else {}),
            },
        },
    )
    if table and beside is None:
        show_table(figure.table)


def show_figure_beside(figure: Figure, table: ProtectedTable | None = None) -> None:
    """A chart with its data table beside it (on a page or a wide screen; below it on a phone).

    `table` is a compact version of the figure's own table (e.g. some of its columns); by default
    the figure's table itself. The brief uses this so a chart and its table share one page.
    """
    show_figure(figure, beside=require_protected(figure.table if table is None else table))


# --- method notes and findings ---------------------------------------------------------------


def show_method_notes(text: str, heading: str | None = None) -> None:
    """Method notes: moved to the end matter when the document has one, else shown here."""
    if not text or not text.strip():
        return
    _display({"text/markdown": text}, {META: {"role": "method-notes", "heading": heading}})


def show_policy_asks(
    asks: Iterable[str], heading: str = "What government and funders could do", level: int = 3
) -> None:
    asks = list(asks)
    if asks:
        show_markdown(f"{'#' * level} {heading}\n\n" + "\n".join(f"- {a}" for a in asks))


def without_key_messages(text: str, messages: list[str]) -> str:
    """The area's text less the sentences its key-message box has just shown (readers saw each
    finding twice in a row); paragraphs left empty are dropped."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        for message in messages:
            paragraph = paragraph.replace(message, "")
        if paragraph.strip():
            paragraphs.append(re.sub(r"(?<=\S) {2,}", " ", paragraph).strip())
    return "\n\n".join(paragraphs)


def show_findings(findings: Findings, level: int = 2, tables: bool = True) -> None:
    """One area's findings: heading, key messages, text, figures, tables, policy asks, method.

    This is the body of a technical appendix; the brief notebook can use it per section too.
    """
    show_markdown(f"{'#' * level} {findings.heading}")
    if findings.key_messages:
        show_key_messages(findings.key_messages, level=level + 1, label=f"Key messages: {findings.heading}")
    text = without_key_messages(findings.brief_text, findings.key_messages)
    if text:
        show_markdown(text)
    figures = findings.figures
    for i, fig in enumerate(figures):
        # Figures that share one data table (a map and its dot plot) show it once, after the last.
        shared = i + 1 < len(figures) and figures[i + 1].table.equals(fig.table)
        show_figure(fig, table=tables and not shared)
    for pt in findings.tables.values():
        show_table(pt)
    show_policy_asks(findings.policy_asks, level=level + 1)
    show_method_notes(findings.method_notes, heading=findings.heading)
