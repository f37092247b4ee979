"""Publishing chain: papermill -> `brief` exporter -> HTML + tagged PDF, and what they contain."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import publish_helpers as h
from analysis import paths
from analysis.disclosure import DisclosureError
from analysis.publish import (
    BANNER_TEXT,
    BriefExporter,
    MissingAltTextError,
    attribution_statements,
    export_html,
    key_messages_html,
    table_html,
)
from publish_checks import check_html, check_pdf

TESTS = Path(__file__).resolve().parent
JUPYTER = Path(sys.executable).with_name("jupyter")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return h.published_demo(tmp_path_factory.getbasetemp() / "publish-demo", TESTS)


def _html(paths) -> str:
    return Path(paths[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize("variant,synthetic", [("synthetic", True), ("real", False)])
def test_html_passes_own_checks(demo, variant, synthetic):
    html_path, _ = demo[variant]
    assert check_html(html_path, synthetic=synthetic) == []


@pytest.mark.parametrize("variant", ["synthetic", "real"])
def test_pdf_is_tagged_titled_and_embedded(demo, variant):
    _, pdf_path = demo[variant]
    assert check_pdf(pdf_path, title=h.TITLE, min_pages=2, max_pages=8) == []


def test_html_has_no_code_prompts_scripts_or_cdn(demo):
    html = _html(demo["synthetic"])
    lowered = re.sub(r"data:image/[\w+]+;base64,[^\"]+", "", html).lower()  # base64 can spell 'cdn'
    for marker in ("cdn", "require.js", "mathjax", "<script", "jp-inputarea", "in&nbsp;["):
        assert marker not in lowered, marker
    assert "debug output that must not be published" not in html  # stdout dropped
    assert "show_findings" not in html and "import " not in html
    assert "¶" not in html  # no anchor links
    assert '<html lang="en-GB">' in html
    assert f"<title>{h.TITLE}</title>" in html


def test_banner_only_when_synthetic(demo):
    assert BANNER_TEXT in _html(demo["synthetic"])
    assert BANNER_TEXT not in _html(demo["real"])
    assert "string-set: banner" in _html(demo["real"])  # margin box is driven by the banner text


def test_figures_have_captions_alt_and_data_tables(demo):
    html = _html(demo["synthetic"])
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert len(figures) == 2
    for fig in figures:
        assert "<figcaption>" in fig and 'class="figure-source"' in fig
        alt = re.search(r'alt="([^"]+)"', fig).group(1)
        assert len(alt) > 30 and "No description" not in alt
    assert "Most applicants came from London" in figures[0]
    assert all('src="data:image/svg+xml;base64,' in fig for fig in figures)  # charts are SVG
    # the map's data table uses region names, not ONS codes
    assert '<th scope="row">North East</th><td class="num">[c]</td>' in html
    assert "E12000001" not in re.sub(r"data:image/[\w+]+;base64,[^\"]+", "", html)


def test_end_matter(demo):
    html = _html(demo["synthetic"])
    end = html[html.index('class="end-matter"') :]
    assert "Method and data notes" in end and "postcode district" in end
    assert h.RULE in end  # disclosure rule sentence
    statements, links = attribution_statements()
    assert len(statements) >= 4 and links
    for statement in statements:
        assert statement.rstrip(".") in end

    assert "Open Government Licence" in end and "CC BY 4.0" in end
    for value in (
        h.MANIFEST["code_version"],
        h.MANIFEST["config_sha256"],
        "cd" * 32,
        "synthetic sample (not real findings)",
        "Config sha256",
        "Inputs sha256",
    ):
        assert value in end
    # The run's clock time stays in run-manifest.json: the same inputs give the same documents any day.
    assert h.MANIFEST["created_utc"] not in end
    assert "research@example.org" in end
    # method notes moved to the end matter, not repeated in the body
    assert html.count("postcode district") == 1


def test_key_messages_box_is_labelled(demo):
    html = _html(demo["synthetic"])
    assert '<section aria-label="Key messages" class="key-messages">' in html
    box = key_messages_html(["One.", "Two."])
    assert "<h2>Key messages</h2>" in box and box.count("<li>") == 2


def test_cli_nbconvert_to_brief(demo, tmp_path):
    executed = demo["executed"]
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = h.TITLE
    nb.metadata["cip"] = {"synthetic": True, "manifest": h.MANIFEST}
    saved = tmp_path / "appendix.ipynb"
    nbformat.write(nb, saved)
    run = subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "brief", str(saved), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = tmp_path / "appendix.html"
    assert check_html(out, synthetic=True) == []
    assert h.MANIFEST["code_version"] in out.read_text(encoding="utf-8")


def test_banner_follows_papermill_parameter_without_metadata(demo):
    nb = nbformat.read(demo["executed"], as_version=4)  # papermill recorded synthetic=True
    assert BANNER_TEXT in export_html(nb)
    nb.metadata["papermill"]["parameters"]["synthetic"] = False
    assert BANNER_TEXT not in export_html(nb)


def _notebook_with_image(metadata: dict):
    out = new_output("display_data", data={"image/png": "iVBORw0KGgo="}, metadata=metadata)
    nb = new_notebook(cells=[new_markdown_cell("# A test"), new_code_cell("x", outputs=[out])])
    nb.metadata["title"] = "A test document"
    return nb


def test_image_without_alt_fails_the_export():
    with pytest.raises(MissingAltTextError):
        export_html(_notebook_with_image({}))


def test_image_alt_is_read_from_output_metadata():
    html = export_html(_notebook_with_image({"image/png": {"alt": "A chart of things."}}))
    assert 'alt="A chart of things."' in html


def test_tagged_cells_and_text_only_outputs_are_removed():
    cells = [
        new_markdown_cell("# Title here"),
        new_code_cell(
            "secret = 1",
            metadata={"tags": ["remove-cell"]},
            outputs=[new_output("display_data", data={"text/markdown": "HIDDEN-CELL"})],
        ),
        new_code_cell(
            "p",
            outputs=[new_output("execute_result", data={"text/plain": "PosixPath('x')"}, execution_count=1)],
        ),
        new_code_cell(
            "q",
            metadata={"tags": ["hide-input"]},
            outputs=[new_output("display_data", data={"text/markdown": "SHOWN-OUTPUT"})],
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["title"] = "Removal test"
    html = export_html(nb)
    assert "HIDDEN-CELL" not in html and "PosixPath" not in html and "SHOWN-OUTPUT" in html
    assert "<h1" in html and html.count("<h1") == 1  # the notebook's own h1, no second one


def test_table_html_is_accessible():
    out = table_html(h.stacked())
    assert "<caption>Can commit for 3 years, by nation</caption>" in out
    assert '<th scope="col">Nation</th>' in out and '<th scope="row">Scotland</th>' in out
    assert len(re.findall(r"<th[\s>]", out)) == out.count("scope=")


def test_show_table_refuses_a_dataframe():
    from analysis.publish import show_table

    with pytest.raises(DisclosureError):
        show_table(pd.DataFrame({"a": [1]}))


def test_exporter_is_registered_for_nbconvert():
    from nbconvert.exporters import get_exporter

    assert get_exporter("brief") is BriefExporter


def test_markdown_tables_get_caption_and_scope():
    from analysis.publish.markdown import markdown_to_html

    out = markdown_to_html("Table: Ambition bands\n\n| Band | Rule |\n| --- | --- |\n| High | x |\n")
    assert "<caption>Ambition bands</caption>" in out and '<th scope="col">Band</th>' in out
    assert "Table:" not in out


def test_table_headers_are_readable():
    pt = h.protected(
        pd.DataFrame({"per_million": [1.5]}, index=pd.Index(["Wales"], name="kind")), caption="Rates"
    )
    out = table_html(pt)
    assert '<th scope="col">Kind</th>' in out and ">Per million</th>" in out


def test_end_matter_without_notes_has_no_empty_notes_section():
    from analysis.publish import end_matter_html

    html = end_matter_html(notes=[], rules=[h.RULE], manifest={}, synthetic=False)
    assert "Method and data notes" not in html and "Disclosure control" in html
    assert "Real data" in html


def test_attribution_statements_are_quoted_from_provenance():
    provenance = (paths.REFERENCE_DIR / "PROVENANCE.md").read_text()
    statements, links = attribution_statements()
    for statement in statements:
        assert statement in provenance, f"not word for word from PROVENANCE.md: {statement}"
    for _, url in links:
        assert url in provenance


def test_every_symbol_a_table_prints_is_explained():
    table = '<table><caption>T</caption><tr><th scope="row">A</th><td>[z]</td><td>[c]</td></tr></table>'
    out = new_output("display_data", data={"text/html": table})
    nb = new_notebook(cells=[new_markdown_cell("# A test"), new_code_cell("x", outputs=[out])])
    nb.metadata["title"] = "A test document"
    html = export_html(nb)
    end = html[html.index('id="symbols"') :]
    assert "Not applicable:" in end and "Confidential:" in end and "Not available:" not in end


def test_a_table_beside_its_chart_is_inside_the_figure_between_image_and_source():
    table = table_html(h.stacked(), layout="beside")
    nb = _notebook_with_image({"image/png": {"alt": "A chart of things."}})
    out = nb.cells[-1].outputs[0]
    out.metadata["cip"] = {
        "role": "figure",
        "key": "k",
        "title": "T",
        "source": "Source: S",
        "beside_table": table,
    }
    html = export_html(nb)
    figure = re.search(r"<figure.*?</figure>", html, re.S).group(0)
    assert figure.index('alt="A chart of things."') < figure.index("<table>") < figure.index("Source: S")
    assert '<div class="chart-and-table">' in figure and 'class="table-block beside"' in figure
    assert html.count("<table>") == 1, "the table is shown once, beside the chart"


def test_the_brief_end_matter_leaves_the_source_list_and_manifest_to_an_appendix():
    from analysis.publish import end_matter_html

    stem, title = "appendix-1-applicant-geography", "Technical appendix 1: applicant geography"
    html = end_matter_html(
        notes=[], rules=[h.RULE], manifest=h.MANIFEST, synthetic=True, details_in=(stem, title)
    )
    statements, links = attribution_statements()
    flat = " ".join(html.split())
    for statement in statements:  # the licences require their statements wherever the data are shown
        assert " ".join(statement.rstrip(".").split()) in flat
    for _, url in links:
        assert f'href="{url}"' in html
    assert f'href="{stem}.html#sources"' in html and f'href="{stem}.pdf"' in html
    assert "Run manifest" not in html and h.MANIFEST["code_version"] not in html and "<ul>" not in html
    full = end_matter_html(notes=[], rules=[h.RULE], manifest=h.MANIFEST, synthetic=True)
    assert "Run manifest" in full and h.MANIFEST["code_version"] in full  # the appendices keep both
