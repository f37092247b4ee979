"""The attacker: link everything a year publishes (and the years before) and try to recover
every hidden cell by linear programming, as an outside reader could.

Independent of the package's disclosure code: the published HTML documents and CSV downloads
are read as text (`attacker_read`), turned into one linear system by what a reader knows
(`attacker_model`: totals, region → nation → UK, the same labelled cell across tables,
documents and years, shares with their bases, counts stated in sentences), and each hidden
cell's feasible interval is computed (`attacker_lp`). The run fails naming every cell given away.
"""

from __future__ import annotations

import pytest

from analysis.config import load_config
from attacker_lp import intervals, weakness
from attacker_model import Model, add_table, equations, sentence_facts
from attacker_read import read_year
from conftest import YEARS


def attack(reports_root, years) -> list[str]:
    """Every hidden cell of the given years (read together) that the attacker pins down."""
    model = Model()
    for year in years:
        tables, texts = read_year(reports_root / str(year))
        for table in tables:
            add_table(model, table, year)
        for document, prose in texts.items():
            sentence_facts(model, prose, document, year)
    problems = [f"same cell printed with two values: {c}" for c in model.conflicts]
    published = {k: v for k, (v, _) in model.published.items()}
    unknown = {k for k in model.hidden if k not in published}
    bounds = intervals(published, unknown, equations(model), model.inequalities)
    rules = load_config(max(years)).section("disclosure")
    min_count, percent = int(rules["min_count"]), float(rules.get("protection_percent", 100.0))
    for key, places in sorted(model.hidden.items(), key=repr):
        if key in published:
            why = f"printed as {published[key]:g} in {model.published[key][1]}"
        else:
            why = weakness(*bounds[key], min_count, percent)
        if why:
            problems.extend(f"{where}: {why}" for where in places)
    return problems


@pytest.mark.slow
def test_no_hidden_cell_can_be_recovered_from_everything_published(runs):
    root, _ = runs
    problems = attack(root / "reports", YEARS)
    assert not problems, f"{len(problems)} hidden cells given away:\n" + "\n".join(problems)
