"""Regional application rates with 95% intervals: the dot plot's numbers, and who may be singled out."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import charts, reference, stats
from analysis import geography as g
from analysis.asks import region_gaps
from analysis.findings import Findings
from analysis.geography import intervals as iv
from analysis.geography import text as words

NAMES = reference.region_lookup()["region_name"]


def _rates(counts: dict[str, float], scale: float = 300.0) -> tuple[pd.DataFrame, float]:
    """Every region in proportion to its population (about `scale` applicants), except `counts`."""
    population = reference.population_by_region()
    even = (population / population.sum() * scale).round()
    series = pd.Series({c: counts.get(c, even[c]) for c in reference.REGION_ORDER}, dtype="float64")
    total = float(series.sum())
    return g.region_rates(series, reference.population_by_region(), total=total), total


def test_a_rate_interval_is_the_wilson_interval_of_the_share_scaled_by_population():
    rates, total = _rates({"E12000007": 60.0})  # London: 60 of 280
    out = iv.rate_intervals(rates, total)
    pop = float(reference.population_by_region()["E12000007"])
    low, high = stats.wilson(60, total)
    assert out.loc["E12000007", "per_million"] == pytest.approx(60 / pop * 1e6)
    assert out.loc["E12000007", "low"] == pytest.approx(low * total / pop * 1e6)
    assert out.loc["E12000007", "high"] == pytest.approx(high * total / pop * 1e6)
    # 60 of 280 (21%) against London's 13% of the UK population: clearly above.
    assert out.loc["E12000007", "against"] == "above"


def test_an_interval_excludes_the_uk_rate_exactly_when_the_share_excludes_the_population_share():
    rng = np.random.default_rng(3)
    for _ in range(20):
        counts = {c: float(rng.integers(0, 40)) for c in reference.REGION_ORDER}
        rates, total = _rates(counts)
        out = iv.rate_intervals(rates, total)
        uk = iv.uk_rate(rates, total)
        for code, r in out.iterrows():
            gap = stats.gap(counts[code], total, rates.loc[code, "population_share"])
            assert (r["low"] > uk) == gap.above and (r["high"] < uk) == gap.below
            assert r["against"] == ("above" if gap.above else "below" if gap.below else "")


def test_a_hidden_count_has_no_rate_and_no_interval():
    rates, total = _rates({"E12000001": math.nan})
    out = iv.rate_intervals(rates, 240.0)
    assert out.loc["E12000001", ["per_million", "low", "high"]].isna().all()
    status = pd.Series("safe", index=list(NAMES))
    status["North East"] = "primary"
    table = iv.interval_table(out, NAMES, status, 240.0, iv.uk_rate(rates, 240.0), rule="r", year=2024)
    assert (table.display.loc["North East"] == "[c]").all()
    assert table.status.loc["North East", iv.RATE] == "primary"
    assert table.display.loc["United Kingdom", "Applicants"] == "240"
    assert table.display.loc["United Kingdom", iv.LOW] == "[z]"


def test_the_appendix_ask_names_a_region_only_when_its_interval_lies_below_the_uk_rate():
    # Northern Ireland (under 3% of people) with none of about 100 applicants: its interval still
    # reaches the UK rate, so it is not singled out, though no applicant came from it.
    rates, total = _rates({"N92000002": 0.0}, scale=100)
    out = iv.rate_intervals(rates, total)
    assert out.loc["N92000002", "against"] == ""
    assert words.policy_asks(rates, NAMES, out) == []
    assert words.coverage_gap_sentences(rates, NAMES)[0].startswith(
        "No applicants came from Northern Ireland"
    )
    # The North East (4%) with none of about 300 is clearly below, and named.
    rates, total = _rates({"E12000001": 0.0})
    out = iv.rate_intervals(rates, total)
    (ask,) = words.policy_asks(rates, NAMES, out)
    assert "the North East" in ask and "Northern Ireland" not in ask


def test_dot_plot_title_says_which_regions_differ_clearly_or_that_none_does():
    rates, total = _rates({})
    out = iv.rate_intervals(rates, total)
    assert words.interval_title(out, NAMES).startswith("No region or nation had clearly more or fewer")
    rates, total = _rates({"E12000007": 60.0, "E12000001": 0.0})
    out = iv.rate_intervals(rates, total)
    assert words.interval_title(out, NAMES) == (
        "London had clearly more applicants per million people than the UK as a whole, "
        "the North East clearly fewer"
    )


def test_heading_says_few_only_where_the_interval_lies_below_the_uk_rate():
    # Northern Ireland with 1 of about 100: a representation index under 0.5, but its interval
    # reaches the UK rate, so the heading does not single it out.
    rates, total = _rates({"N92000002": 1.0}, scale=100)
    out = iv.rate_intervals(rates, total)
    assert words.headline(rates, NAMES).endswith("but few from Northern Ireland")
    assert words.headline(rates, NAMES, intervals=out) == (
        "Applicants came from every UK nation and every English region"
    )


def test_fewest_message_carries_its_interval_and_says_it_includes_the_uk_rate():
    rates, total = _rates({"E12000004": 15.0})
    out = iv.rate_intervals(rates, total)
    (sentence,) = words.fewest_sentence(rates, NAMES, out, iv.uk_rate(rates, total))
    assert sentence.startswith("The East Midlands had the fewest applicants for its population")
    assert "; its 95% interval " in sentence and "per million includes the UK rate of " in sentence


def _dots(counts: dict[str, float]):
    rates, total = _rates(counts)
    out = iv.rate_intervals(rates, total)
    uk = iv.uk_rate(rates, total)
    status = pd.Series("safe", index=list(NAMES))
    table = iv.interval_table(out, NAMES, status, total, uk, rule="r", year=2024)
    return charts.interval_dots(
        table,
        iv.RATE,
        iv.LOW,
        iv.HIGH,
        reference=uk,
        reference_label="UK rate",
        title=words.interval_title(out, NAMES),
        subtitle="s",
        source="Source: test",
    )


def test_dot_plot_labels_every_region_and_the_uk_rate_and_names_clear_ones_in_its_alt_text():
    result = _dots({"E12000007": 60.0})
    ax = result.figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 12 and "London" in labels and "United Kingdom" not in labels
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("UK rate ") for t in texts)
    assert "Intervals wholly above it: London." in result.alt
    svg = result.to_figure("dots").svg
    assert svg.startswith("<svg") and "London" in svg


def test_reach_ask_and_dot_plot_single_out_the_same_regions():
    counts = {"E12000007": 60.0, "E12000001": 0.0}
    rates, total = _rates(counts)
    out = iv.rate_intervals(rates, total)
    facts = {
        "applicants_by_region": {NAMES[c]: v for c, v in rates["applicants"].items()},
        "uk_applicants": total,
    }
    gaps = region_gaps({"geography": Findings("geography", "G", facts=facts)})
    assert {r for r, gp in gaps.items() if gp.below} == {NAMES[c] for c in iv.clearly(out, "below")}
    assert {r for r, gp in gaps.items() if gp.above} == {NAMES[c] for c in iv.clearly(out, "above")}


@pytest.mark.slow
def test_published_asks_single_out_only_regions_whose_interval_excludes_the_uk_rate(runs):
    """Every year's reach ask names exactly the regions the appendix's dot plot shows as clearly lower."""
    from analysis.asks import reach_evidence
    from analysis.paths import internal_dir

    root, summaries = runs
    for year, summary in summaries.items():
        geo = Findings.load(internal_dir(summary.reports_dir) / "findings", "geography")
        dots = next(f for f in geo.figures if f.key == "applicants_per_million_intervals")
        lower = set(dots.table.values.index[dots.table.display[iv.AGAINST].eq(iv.BELOW)])
        evidence = reach_evidence({"geography": geo})
        named = {r for r in NAMES if reference.region_in_sentence(r) + " had " in (evidence or "")}
        assert named == lower, year
        if not lower:
            assert "no region had clearly fewer" in evidence
