"""Each kind of fact the attacker reads beyond tables catches a planted leak: with the fact, the
hidden cell (or the statistic) is reported; without it, it is not.

The facts: totals of different populations in sentences, the public selection pack, chart values,
a mean change or sign test over few members, shares and means over a hidden or small base, and
money tables with their per-member figures. Small synthetic publications, no pipeline run.
"""

from __future__ import annotations

import base64

import pytest

from attacker_charts import chart_facts
from attacker_facts import population_facts, population_relations, selection_pack_facts
from attacker_judge import judge
from attacker_model import Model, add_table
from attacker_money import money_facts, money_relations
from attacker_read import Table
from attacker_stats import (
    base_flags,
    change_facts,
    sentence_base_flags,
    sentence_stat_flags,
    share_facts,
    share_flags,
    sign_test_splits,
)

MIN, PERCENT = 5, 100.0


def _table(caption: str, header: list[str], rows: list[list[str]], doc: str = "appendix.html") -> Table:
    return Table(doc, caption, header, rows)


def _model(*tables: Table, year: int = 2024) -> Model:
    model = Model()
    for t in tables:
        add_table(model, t, year, callout=year)
    return model


def _found(model: Model, what: str) -> bool:
    return any(what in p for p in judge(model, MIN, PERCENT))


# ---- populations stated in sentences ---------------------------------------------------------

CHECKS = _table(
    "How applicants' locations were found: exclusions and corrections",
    ["Check", "Organisations"],
    [
        ["Left out: did not agree to research use of their answers", "[c]"],
        ["Left out of UK figures: Channel Islands or Isle of Man postcode", "0"],
        ["Region taken from the form: postcode not in a UK format", "[c]"],
        ["Region taken from the form: no postcode given", "0"],
    ],
)
FLOW = "150 organisations applied; the 146 UK-based organisations that agreed to research use are analysed."


@pytest.mark.parametrize("text, leak", [(FLOW, True), ("the 146 UK-based organisations that agreed", False)])
def test_applied_minus_analysed_pins_the_left_out_rows(text, leak):
    model = _model(CHECKS)
    population_facts(model, text, "brief.html", 2024)
    population_relations(model, 2024)
    assert _found(model, "did not agree to research use of their answers | Organisations: recovered") is leak


@pytest.mark.parametrize(
    "text, leak",
    [
        ("3 postcodes could not be matched to a place, so the region the organisation chose", True),
        ("", False),
    ],
)
def test_the_postcodes_sentence_is_the_sum_of_the_form_rows(text, leak):
    model = _model(CHECKS)
    population_facts(model, text, "brief.html", 2024)
    population_relations(model, 2024)
    assert _found(model, "postcode not in a UK format | Organisations: recovered exactly: 3") is leak


OLD_FLOW = (
    "The callout export held 160 responses. 9 responses were earlier versions replaced by a later amendment "
    "from the same organisation, and fewer than 5 responses could not be used (for example, no organisation "
    "name){}."
)


@pytest.mark.parametrize("leaving, leak", [(", leaving 150 organisations", True), ("", False)])
def test_fewer_than_n_beside_numbers_that_give_it_away(leaving, leak):
    model = Model()
    population_facts(model, OLD_FLOW.format(leaving), "brief.html", 2024)
    population_relations(model, 2024)
    assert _found(model, "fewer than 5 responses could not be used: recovered exactly: 1") is leak


@pytest.mark.parametrize("applied, leak", [("150 organisations applied. ", True), ("", False)])
def test_applied_minus_consenting_is_the_consent_row(applied, leak):
    model = _model(CHECKS)
    text = applied + "131 of the 149 applicants who agreed to their answers being used for research (88%)"
    population_facts(model, text, "brief.html", 2024)
    population_relations(model, 2024)
    assert (
        _found(model, "did not agree to research use of their answers | Organisations: recovered exactly: 1")
        is leak
    )


# ---- the public selection pack -----------------------------------------------------------------

SELECTED = _table(
    "Organisations drawn by the lottery, by nation",
    ["Nation", "Drawn by the lottery"],
    [["England", "[c]"], ["Wales", "[c]"], ["Scotland", "[c]"], ["Northern Ireland", "[c]"], ["Total", "10"]],
)
ELIGIBLE = _table(
    "Eligible applicants by nation",
    ["Nation", "Eligible applicants"],
    [["England", "98"], ["Wales", "6"], ["Scotland", "8"], ["Northern Ireland", "6"], ["Total", "118"]],
)


def _pack(tmp_path, quotas: bool = True, bands: str | None = None):
    pack = tmp_path / "selection"
    pack.mkdir()
    (pack / "drawn-panel.csv").write_text(
        "drawn_panel,source,org_id\n" + "".join(f"7,seed,O{i}\n" for i in range(10)), encoding="utf-8"
    )
    if quotas:
        (pack / "quotas.csv").write_text(
            "rule,applies_to,min,max,met_by_drawn_panel\n"
            "min_per_nation,every nation with eligible applicants,1,,True\n"
            "max_per_region,every region,,2,True\n",
            encoding="utf-8",
        )
    if bands:
        (pack / "chances-banded.csv").write_text(
            "chance_from,chance_below,applicants\n" + bands, encoding="utf-8"
        )
    return pack


@pytest.mark.parametrize("quotas", [True, False])
def test_quotas_met_by_the_drawn_panel_bound_the_selected_members(tmp_path, quotas):
    model = _model(SELECTED, ELIGIBLE)
    selection_pack_facts(model, _pack(tmp_path, quotas), 2024)
    assert (
        _found(
            model,
            "Organisations drawn by the lottery, by nation | Wales | Drawn by the lottery: narrowed into 1..2",
        )
        is quotas
    )


@pytest.mark.parametrize("bands, leak", [("0.00,0.10,100\n0.10,1.00 (included),3\n", True), (None, False)])
def test_banded_chances_add_up_to_the_eligible_applicants(tmp_path, bands, leak):
    eligible = _table(
        "Eligible applicants by nation",
        ["Nation", "Eligible applicants"],
        [["England", "100"], ["Wales", "[c]"], ["Total", "[c]"]],
    )
    model = _model(eligible)
    selection_pack_facts(model, _pack(tmp_path, quotas=False, bands=bands), 2024)
    assert _found(model, "Wales | Eligible applicants: recovered exactly: 3") is leak


# ---- chart values ------------------------------------------------------------------------------


def _figure(wales: str, alt: str = "") -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        '<g id="ytick_1"><text x="10" y="50">Wales</text></g><g id="ytick_2"><text x="10" y="100">England</text></g>'
        f'<text x="120" y="51">{wales}</text><text x="300" y="101">40</text></svg>'
    )
    image = f'<img alt="{alt}" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    return (
        f"<figure>{image}<figcaption>Applicants by nation</figcaption></figure>"
        "<table><caption>Applicants by thing</caption><tr><th>Nation</th><th>Applicants</th></tr>"
        "<tr><td>England</td><td>40</td></tr><tr><td>Wales</td><td>[c]</td></tr>"
        "<tr><td>Scotland</td><td>[c]</td></tr><tr><td>Total</td><td>50</td></tr></table>"
    )


@pytest.mark.parametrize("wales, leak", [("3", True), ("[c]", False)])
def test_a_chart_value_is_the_cell_of_its_table(wales, leak):
    model = Model()
    chart_facts(model, _figure(wales), "appendix.html", 2024)
    assert _found(model, "Wales | Applicants: 3: printed where the table shows [c]") is leak
    assert _found(model, "Applicants by thing | Wales | Applicants: printed as 3") is leak


@pytest.mark.parametrize(
    "alt, leak", [("Highest: England (40); lowest: Wales (3).", True), ("Highest: England (40).", False)]
)
def test_a_charts_alt_text_may_not_print_a_hidden_value(alt, leak):
    model = Model()
    chart_facts(model, _figure("[c]", alt), "appendix.html", 2024)
    assert _found(model, "Wales 3 where the table hides a cell") is leak


# ---- a mean change, its interval and the sign test ------------------------------------------------

COUNTS = [
    ["Moved up", "[c]"],
    ["Stayed the same", "[c]"],
    ["Moved down", "0"],
    ["Not comparable (missing a year)", "0"],
]


def _change(total: str) -> Table:
    return _table(
        "Members by change on the participation spectrum, 2024 to 2025",
        ["Change since 2024", "Members"],
        [*COUNTS, ["Total", total]],
    )


def _mean(cells: dict) -> Table:
    return _table(
        "Mean change on the participation spectrum, 2024 to 2025",
        ["Category", *cells],
        [["All", *cells.values()]],
    )


@pytest.mark.parametrize(
    "mean, leak",
    [
        ({"Mean change (levels)": "+4.0"}, True),
        ({"95% interval": "+3.9 to +4.0"}, True),
        ({"Mean change (levels)": "[c]"}, False),
    ],
)
def test_a_mean_change_over_few_members_pins_the_moves(mean, leak):
    counts = _change("5")
    tables = [counts, _mean(mean)]
    model = _model(*tables, year=2025)
    change_facts(model, tables, {}, 2025)
    assert (
        _found(model, "Stayed the same | Members: interval") is leak
        or _found(model, "Stayed the same | Members: recovered") is leak
    )


@pytest.mark.parametrize("not_comparable, flagged", [("[c]", True), ("0", False)])
def test_a_mean_change_over_a_hidden_number_of_members_is_flagged(not_comparable, flagged):
    counts = _table(
        "Members by change on the participation spectrum, 2024 to 2025",
        ["Change since 2024", "Members"],
        [*COUNTS[:3], ["Not comparable (missing a year)", not_comparable], ["Total", "10"]],
    )
    tables = [counts, _mean({"Mean change (levels)": "+0.7"})]
    model = _model(*tables, year=2025)
    change_facts(model, tables, {}, 2025)
    assert any("a mean change printed where its base is hidden" in f for f in model.flags) is flagged


@pytest.mark.parametrize(
    "sentence, leak", [("On the participation spectrum, exact sign test p = 0.004.", True), ("", False)]
)
def test_the_sign_test_pins_the_moves(sentence, leak):
    counts = _change("10")
    model = _model(counts, year=2025)
    change_facts(model, [counts], {"appendix.html": sentence}, 2025)
    assert _found(model, "Stayed the same | Members: recovered exactly: 1") is leak


def test_sign_test_splits_are_the_exact_binomial_ones():
    assert sign_test_splits(10, "0.004", below=False) == [(0, 9), (9, 0)]
    assert (6, 0) in sign_test_splits(9, "0.05", below=True) and (5, 0) not in sign_test_splits(
        9, "0.05", below=True
    )


# ---- statistics over a hidden or small base ------------------------------------------------------


@pytest.mark.parametrize(
    "n, share, interval, leak",
    [
        ("4", "50%", "15% to 85%", "over 4 organisations"),
        ("[c]", "50%", "[c]", "its n is hidden"),
        ("40", "5%", "1% to 17%", "reveals a count of 2..2"),
        ("37", "30%", "17% to 46%", None),
    ],
)
def test_shares_and_intervals_over_too_few(n, share, interval, leak):
    table = _table(
        "Members and others",
        ["Measure", "Members: n", "Members: %", "Members: 95% interval"],
        [["Moved up", n, share, interval]],
    )
    model = Model()
    share_flags(model, table, MIN)
    assert model.flags == [] if leak is None else any(leak in f for f in model.flags)


@pytest.mark.parametrize(
    "base, leak", [("[c]", "base is hidden"), ("4", "over 4 organisations"), ("12", None)]
)
def test_a_mean_beside_a_hidden_or_small_base_is_flagged(base, leak):
    means = _table(
        "Mean readiness and participation level by nation",
        ["Nation", "Readiness index (0 to 100)"],
        [["Wales", "48.1"]],
    )
    counts = _table(
        "Applicants by nation and ambition band", ["Nation", "Low", "Total"], [["Wales", "[c]", base]]
    )
    model = Model()
    base_flags(model, [means, counts], {}, MIN)
    assert model.flags == [] if leak is None else any(leak in f for f in model.flags)


@pytest.mark.parametrize("n, flagged", [("3", True), ("9", False)])
def test_n_in_a_sentence_below_the_threshold_is_flagged(n, flagged):
    model = Model()
    base_flags(model, [], {"brief.html": f"£4,389 per member, n = {n} returning a survey"}, MIN)
    assert bool(model.flags) is flagged


ANSWERS = _table(
    "Applicants' answers to the five readiness statements, in three bands",
    ["Statement", "Disagree (1-2)", "Neither (3)", "Agree (4-5)", "Total"],
    [["Budget available", "[c]", "[c]", "24", "30"]],
)


@pytest.mark.parametrize("shares, leak", [(["10%", "10%", "80%"], True), (None, False)])
def test_a_share_of_a_printed_total_pins_the_count(shares, leak):
    tables = [ANSWERS]
    if shares:
        tables.append(
            _table(
                "Share of applicants giving each answer to the readiness statements",
                ["Statement", "Disagree (1-2)", "Neither (3)", "Agree (4-5)"],
                [["Budget available", *shares]],
            )
        )
    model = _model(*tables)
    share_facts(model, tables, 2024, 2024)
    assert _found(model, "Budget available | Disagree (1-2): narrowed into 3..3") is leak


@pytest.mark.parametrize("share, leak", [("3.0%", True), ("[c]", False)])
def test_a_share_column_beside_its_counts_pins_a_hidden_count(share, leak):
    table = _table(
        "Applicants by urban/rural type of their local authority",
        ["Type", "Applicants", "Applicant share"],
        [
            ["Urban", "75", "56.0%"],
            ["Rural", "[c]", share],
            ["Sparse", "[c]", "[c]"],
            ["All with a local authority", "134", "100.0%"],
        ],
    )
    model = _model(table)
    share_facts(model, [table], 2024, 2024)
    assert _found(model, "Rural | Applicants: interval 3.953..4.087") is leak


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        ("[c] organisations (3%) left.", True),
        ("[c] bids (0.3 per member, n = 10).", True),
        ("[c] organisations were outside the UK (Channel Islands or Isle of Man).", False),
    ],
)
def test_a_statistic_beside_a_hidden_count_in_a_sentence(sentence, flagged):
    model = Model()
    sentence_stat_flags(model, {"brief.html": sentence})
    assert bool(model.flags) is flagged


@pytest.mark.parametrize(
    "sentence, flagged",
    [
        ("The network ran 6 workshops, attended by 3 members, who rated them 4.6 out of 5 on average.", True),
        (
            "The network ran 6 workshops, attended by 9 members, who rated them 4.6 out of 5 on average.",
            False,
        ),
        ("Money is shown only where at least 3 organisations contribute; the average is not.", False),
    ],
)
def test_a_statistic_over_few_organisations_in_a_sentence(sentence, flagged):
    model = Model()
    sentence_base_flags(model, {"brief.html": sentence}, MIN)
    assert bool(model.flags) is flagged


# ---- money -------------------------------------------------------------------------------------

MONEY = "Budget devolved to citizens and funding secured, 2024 to 2025, from the members who answered"


@pytest.mark.parametrize("span, leak", [(True, True), (False, False)])
def test_a_money_total_over_the_years_pins_a_hidden_year(span, leak):
    header = ["Measure", "2024", "2025", *(["2024–2025"] if span else [])]
    row = ["Funding secured for citizen-led work", "£100,000", "[c]", *(["£150,000"] if span else [])]
    model = Model()
    money_facts(model, _table(MONEY, header, [row]), {})
    money_relations(model)
    assert _found(model, "2025: recovered exactly: £50,000") is leak


@pytest.mark.parametrize("n, leak", [("5", True), ("[c]", False)])
def test_a_per_member_figure_with_its_members_pins_the_total(n, leak):
    money = _table(
        MONEY, ["Measure", "2024", "2025"], [["Funding secured for citizen-led work", "£100,000", "[c]"]]
    )
    per_member = _table(
        "Headline measures per member who answered, 2024 to 2025",
        ["Year", "Funding secured per member", "Members who answered (funding)"],
        [["2025", "£10,000", n]],
    )
    model = Model()
    for t in (money, per_member):
        money_facts(model, t, {})
    money_relations(model)
    assert _found(model, "2025: narrowed to £49,998") is leak


@pytest.mark.parametrize("rate, leak", [("0.3", True), ("[c]", False)])
def test_a_count_per_member_with_its_members_pins_a_hidden_total(rate, leak):
    activity = _table(
        "Network activity totals, 2024 to 2025, from the members who answered",
        ["Measure", "2024", "2025"],
        [["New citizen-led ventures", "11", "[c]"], ["New partnerships", "6", "15"]],
    )
    per_member = _table(
        "Headline measures per member who answered, 2024 to 2025",
        ["Year", "Ventures started per member", "Members who answered (ventures)"],
        [["2025", rate, "10"]],
    )
    model = _model(activity, year=2025)
    money_facts(model, per_member, {})
    money_relations(model)
    assert _found(model, "New citizen-led ventures | 2025: narrowed into 3..3") is leak


def test_money_over_fewer_contributors_than_the_rule_is_flagged():
    per_member = _table(
        "Headline measures per member who answered, 2024 to 2025",
        ["Year", "Funding secured per member", "Members who answered (funding)"],
        [["2025", "£10,000", "2"]],
    )
    model = Model()
    money_facts(model, per_member, {"money_min_contributors": 3})
    assert any("fewer than the contributors needed" in f for f in model.flags)
