"""The attacker: link everything a year publishes (and the years before) and try to recover
every hidden cell by linear programming, as an outside reader could.

Independent of the package's disclosure code (used only by the property tests at the end,
which protect random linked tables and attack their HTML): the published HTML documents, CSV downloads and
spreadsheet are read as text (`attacker_read`), turned into one linear system by what a reader knows
(`attacker_model`: totals, region → nation → UK, the same labelled cell across tables,
documents and years, shares with their bases, counts stated in sentences; `attacker_charts`: chart
values as their tables' cells; `attacker_facts`: populations in sentences, the selection pack, the
landing pages; `attacker_stats`: mean changes, intervals and sign tests over few members;
`attacker_money`: £ tables), and each hidden cell's feasible interval is computed (`attacker_lp`,
judged by `attacker_judge`). The run fails naming every cell given away, and every statistic over
a hidden or small base, chart value its table hides or £ figure over too few members.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.config import load_config
from analysis.disclosure import DisclosureError, DisclosureRules, protect_counts, protect_linked
from analysis.publish.downloads import Download, write_csv, write_spreadsheet
from attacker_charts import chart_facts
from attacker_facts import landing_texts, population_facts, population_relations, selection_pack_facts
from attacker_judge import judge
from attacker_lp import intervals, weakness
from attacker_model import Link, Model, add_table, callout_year, equations, mean_facts, sentence_facts
from attacker_money import money_facts, money_relations
from attacker_read import csv_table, published_files, read_year, tables_in_html, xlsx_tables
from attacker_stats import (
    base_flags,
    change_facts,
    sentence_base_flags,
    sentence_stat_flags,
    share_facts,
    share_flags,
)
from conftest import YEARS


def attack(reports_root, years) -> list[str]:
    """Every hidden cell of the given years (read together) that the attacker pins down, and every
    statistic, chart value or £ figure that gives something away by itself."""
    rules = load_config(max(years)).section("disclosure")
    min_count, percent = int(rules["min_count"]), float(rules.get("protection_percent", 100.0))
    model = Model()
    for year in years:
        year_dir = reports_root / str(year)
        tables, texts = read_year(year_dir)
        if year == max(years):
            texts.update(landing_texts(reports_root))
        callout = callout_year(texts) or year
        for table in tables:
            add_table(model, table, year, callout=callout)
            money_facts(model, table, rules)
            share_flags(model, table, min_count)
        mean_facts(model, tables, year)
        change_facts(model, tables, texts, year)
        share_facts(model, tables, year, callout)
        base_flags(model, tables, texts, min_count)
        sentence_stat_flags(model, texts)
        sentence_base_flags(model, texts, min_count)
        for path in published_files(year_dir):
            if path.suffix == ".html":
                chart_facts(model, path.read_text(encoding="utf-8"), path.name, year, callout)
        for document, prose in texts.items():
            sentence_facts(model, prose, document, year, callout)
            population_facts(model, prose, document, callout)
        population_relations(model, callout)
        selection_pack_facts(model, year_dir / "selection", callout)
    money_relations(model)
    return judge(model, min_count, percent)


@pytest.mark.slow
def test_no_hidden_cell_can_be_recovered_from_everything_published(runs):
    root, _ = runs
    problems = attack(root / "reports", YEARS)
    assert not problems, f"{len(problems)} hidden cells given away:\n" + "\n".join(problems)


def test_the_spreadsheet_reads_as_its_csv_twin(tmp_path):
    """The attacker reads each table sheet of the workbook with the same caption and cells as its CSV."""
    counts = pd.DataFrame(
        {"x": [1, 12, 30], "y": [9, 2, 14]}, index=pd.Index(["Wales", "Scotland", "England"], name="Nation")
    )
    table = protect_counts(counts, RULES, caption="Applicants by nation and band")
    item = Download("readiness", "profile_nation", table)
    csv_path = write_csv(table, tmp_path / item.filename)
    book = write_spreadsheet(
        [item],
        tmp_path / "t.xlsx",
        year=2024,
        title="T",
        release_date=date(2024, 6, 1),
        contact="T: t@x.org",
        synthetic=True,
    )
    (sheet,) = xlsx_tables(book)
    twin = csv_table(csv_path)
    assert sheet.caption == "Applicants by nation and band"
    assert (sheet.header, sheet.rows) == (twin.header, twin.rows)
    assert any("[c]" in row for row in sheet.rows)


# --------------------------------------------------------------------------------------------
# Property tests: random linked tables protected by the package, attacked from their HTML.

RULES = DisclosureRules()
CELL = st.integers(min_value=0, max_value=14)


def _attack_html(tables: dict, links: dict, extra_published: dict | None = None) -> list[str]:
    """Attack protected tables from their rendered HTML only, linked as `links` says."""
    model = Model()
    for name, pt in tables.items():
        for table in tables_in_html(pt.to_html(), name):
            add_table(model, table, 2024, links[name])
    for key, value in (extra_published or {}).items():
        model.see(key, str(int(value)), "printed elsewhere")
    published = {k: v for k, (v, _) in model.published.items()}
    unknown = {k for k in model.hidden if k not in published}
    bounds = intervals(published, unknown, equations(model), model.inequalities)
    out = []
    for key, places in model.hidden.items():
        why = (
            "printed elsewhere"
            if key in published
            else weakness(*bounds[key], RULES.min_count, RULES.protection_percent)
        )
        out.extend(f"{where}: {why}" for where in places if why)
    return out


@st.composite
def linked_pair(draw):
    """Two tables of the same organisations by the same rows (row totals shared)."""
    n_rows = draw(st.integers(2, 4))
    a = [[draw(CELL) for _ in range(draw(st.just(3)))] for _ in range(n_rows)]
    b = []
    for row in a:
        k = draw(st.integers(0, sum(row)))
        b.append([k, sum(row) - k])
    rows = pd.Index([f"R{i}" for i in range(n_rows)], name="Row")
    return pd.DataFrame(a, index=rows, columns=["x", "y", "z"]), pd.DataFrame(
        b, index=rows, columns=["p", "q"]
    )


_LINKS = {
    "type": Link("orgs", "row", {"total": {}}, col_dim="type"),
    "size": Link("orgs", "row", {"total": {}}, col_dim="size"),
}


def _pair(type_rows: list, size_rows: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.Index([f"R{i}" for i in range(len(type_rows))], name="Row")
    return pd.DataFrame(type_rows, index=rows, columns=["x", "y", "z"]), pd.DataFrame(
        size_rows, index=rows, columns=["p", "q"]
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_pair())
# A complementary 5 once stayed bounded to 4..6: read as "maybe 4", narrower than its level.
@example(_pair([[0, 0, 1], [0, 5, 5]], [[0, 1], [1, 9]]))
def test_linked_tables_survive_the_attacker(pair):
    by_type, by_size = pair
    out = protect_linked(
        {"type": by_type, "size": by_size},
        RULES,
        captions={"type": "By type", "size": "By size"},
        share="rows",
    )
    assert not _attack_html(out, _LINKS)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_pair())
def test_totals_printed_elsewhere_stay_printed_and_protected(pair):
    """Row totals another table prints are never hidden here, and the hidden cells hold."""
    by_type, _ = pair
    totals = by_type.sum(axis=1)
    assume(all(not RULES.is_unsafe_count(v) for v in totals))
    keep = [(r, "Total") for r in by_type.index]
    try:
        pt = protect_counts(by_type, RULES, caption="By type", keep_published=keep)
    except DisclosureError:
        return  # refused, with a message: never a silent clash
    assert not pt.suppressed["Total"].loc[list(by_type.index)].any()
    printed = {(2024, "orgs", frozenset({"row": r.lower()}.items())): v for r, v in totals.items()}
    assert not _attack_html({"type": pt}, {"type": _LINKS["type"]}, printed)
