"""Charts: built only from protected tables, with alt text, data and a deterministic SVG."""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure as MplFigure

import publish_helpers as h
from analysis import charts
from analysis.disclosure import DisclosureError, ProtectedTable
from analysis.findings import Figure


def _or(given, default):
    """The table under test, or the default fixture (DataFrames have no truth value)."""
    return default() if given is None else given


def _rate_intervals() -> ProtectedTable:
    """Rates with intervals for twelve regions (the North East hidden), as the dot plot reads them."""
    rows = list(h.REGIONS.values())
    values = pd.DataFrame(
        {"Rate": [2.0 + 0.1 * i for i in range(12)], "Low": [1.0 + 0.1 * i for i in range(12)]},
        index=pd.Index(rows, name="Region"),
    )
    values["High"] = values["Rate"] + 1.0
    values.loc["London", ["Rate", "Low", "High"]] = [3.4, 2.6, 4.4]
    status = pd.DataFrame("safe", index=values.index, columns=values.columns)
    status.iloc[0, :] = "primary"
    values.iloc[0, :] = float("nan")
    return ProtectedTable.derive(values, status, caption="Rates", rule="r", kind="rate", decimals=1)


KW = {"subtitle": "Number of organisations, UK, 2024", "source": "Citizens In Power call-out 2024"}

BUILDERS = {
    "map": lambda t=None: charts.choropleth_itl1(
        _or(t, lambda: h.region_counts()),
        "Applicants",
        title="Most applicants came from London",
        legend_title="Applicants",
        **KW,
    ),
    "bars": lambda t=None: charts.bars(
        _or(t, lambda: h.named_region_counts()),
        "Applicants",
        title="London had the most applicants",
        highlight="London",
        **KW,
    ),
    "diverging": lambda t=None: charts.diverging_bars(
        _or(t, lambda: h.likert()), title="Applicants feel least ready on governance", **KW
    ),
    "dumbbell": lambda t=None: charts.dumbbell(
        _or(t, lambda: h.now_target()),
        "Now",
        "Target for 2026",
        title="Every type of organisation aims higher",
        **KW,
    ),
    "small_multiples": lambda t=None: charts.small_multiples(
        _or(t, lambda: {2024: h.named_region_counts(), 2025: h.named_region_counts()}),
        "Applicants",
        title="The pattern held from 2024 to 2025",
        **KW,
    ),
    "stacked": lambda t=None: charts.stacked_bars(
        _or(t, lambda: h.stacked()), title="Most applicants can commit for 3 years", **KW
    ),
    "dots": lambda t=None: charts.interval_dots(
        _or(t, _rate_intervals),
        "Rate",
        "Low",
        "High",
        reference=2.2,
        reference_label="UK rate",
        title="Only London had clearly more applicants per million people",
        **KW,
    ),
}
TITLES = {
    "map": "Most applicants came from London",
    "bars": "London had the most applicants",
    "diverging": "Applicants feel least ready on governance",
    "dumbbell": "Every type of organisation aims higher",
    "small_multiples": "The pattern held from 2024 to 2025",
    "stacked": "Most applicants can commit for 3 years",
    "dots": "Only London had clearly more applicants per million people",
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_chart_returns_figure_alt_and_protected_table(name):
    result = BUILDERS[name]()
    assert isinstance(result, charts.ChartResult)
    assert isinstance(result.figure, MplFigure)
    assert isinstance(result.table, ProtectedTable)
    assert result.title == TITLES[name]
    assert TITLES[name] in result.alt  # the message
    assert len(result.alt) < 400  # short alt; the data table carries the detail
    fig = result.to_figure(name, in_brief=True)
    assert isinstance(fig, Figure) and fig.in_brief and fig.key == name
    assert fig.svg.startswith("<svg") and 'viewBox="' in fig.svg
    assert fig.alt == result.alt and fig.table is result.table
    assert result.to_figure(name).svg == fig.svg  # rendered once, figure cleared, text kept


@pytest.mark.parametrize("name", list(BUILDERS))
def test_unprotected_dataframe_is_refused(name):
    raw = pd.DataFrame(
        {"Applicants": [3, 40], "Now": [1, 2], "Target for 2026": [3, 4]}, index=["E12000001", "E12000007"]
    )
    bad = {2024: raw} if name == "small_multiples" else raw
    with pytest.raises(DisclosureError):
        BUILDERS[name](bad)


def test_alt_text_names_extremes_and_suppressed_cells():
    alt = BUILDERS["bars"]().alt
    assert alt.startswith("Horizontal bar chart. London had the most applicants.")
    assert "Highest: London (38)" in alt and "lowest: Northern Ireland (6)" in alt
    assert "[c]" in alt and "North East" in alt


def test_given_alt_text_is_kept():
    result = charts.bars(h.named_region_counts(), "Applicants", title="T", alt="My own alt.", **KW)
    assert result.alt == "My own alt."


def test_map_names_all_12_regions_with_their_values():
    assert len(charts.itl1_regions()) == 12
    assert set(charts.itl1_regions().index) == set(h.REGIONS)
    result = BUILDERS["map"]()
    ax = result.figure.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.texts]
    assert len(labels) == 12
    for name in charts.itl1_regions()["RGNNM"]:
        assert any(label.startswith(name) for label in labels), name
    assert "North East: [c]" in labels and "London: 38" in labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "[c] suppressed" in legend
    assert legend[:4] == ["6 to 14", "15 to 22", "23 to 30", "31 to 38"]  # four whole-number classes


def test_map_boundaries_are_simplified_as_one_coverage_without_moving_the_regions():
    """Half the vertices (a lighter SVG in every document with the map), the same regions: areas
    within 1 % and shared borders still shared (no slivers between neighbours)."""
    import geopandas as gpd
    import shapely

    drawn = charts.itl1_regions()
    read = gpd.read_file(charts.ITL1_GEOJSON).to_crs(27700).set_index("RGNCD").sort_index()
    vertices = lambda frame: int(shapely.get_num_coordinates(frame.geometry.values).sum())  # noqa: E731
    assert vertices(drawn) <= 0.6 * vertices(read)
    assert ((drawn.area - read.area).abs() / read.area).max() < 0.01
    whole_read, whole_drawn = read.union_all(), drawn.union_all()
    assert abs(whole_drawn.area - whole_read.area) / whole_read.area < 0.01
    overlaps = drawn.area.sum() - whole_drawn.area
    assert overlaps < 1e6, "neighbouring regions overlap after simplifying"
    holes = lambda shape: sum(len(p.interiors) for p in getattr(shape, "geoms", [shape]))  # noqa: E731
    assert holes(whole_drawn) <= holes(whole_read), "simplifying opened gaps between neighbours"


def test_suppressed_bar_is_text_not_a_zero_bar():
    result = BUILDERS["bars"]()
    ax = result.figure.axes[0]
    assert len(ax.patches) == 11  # 12 regions, North East suppressed
    assert "[c]" in [t.get_text() for t in ax.texts]


def test_totals_are_not_drawn_as_bars():
    pt = h.named_region_counts()
    vals = pd.concat([pt.values, pd.DataFrame({"Applicants": [180.0]}, index=["Total"])])
    result = charts.bars(h.protected(vals, caption="x"), "Applicants", title="T", **KW)
    assert len(result.figure.axes[0].patches) == 11


def test_svg_is_deterministic_and_has_no_date():
    a = BUILDERS["stacked"]().to_figure("a").svg
    b = BUILDERS["stacked"]().to_figure("b").svg
    assert a == b
    assert "<dc:date>" not in a and "<!DOCTYPE" not in a


# A 390 px phone: the brief's column is 390 px less 1.25rem padding each side.
PHONE_COLUMN_PX = 390 - 2 * 20
MIN_READABLE_PX = 9


@pytest.mark.parametrize("name", list(BUILDERS))
def test_svg_keeps_text_as_text_readable_on_a_phone(name):
    svg = BUILDERS[name]().to_figure(name).svg
    assert "<text" in svg and "Liberation Sans" in svg  # real text in the house font stack
    assert '<use xlink:href="#DejaVu' not in svg  # not glyph outlines
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(x) for x in re.findall(r"font-size: ([\d.]+)px", svg)]
    scale = min(1.0, PHONE_COLUMN_PX / view_width)
    assert sizes and min(sizes) * scale >= MIN_READABLE_PX, (name, min(sizes), view_width)


def test_house_style_fonts_and_palettes():
    with charts.style_context():
        assert matplotlib.rcParams["font.sans-serif"][:3] == ["Arial", "Liberation Sans", "DejaVu Sans"]
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [c.upper() for c in colours] == list(charts.CATEGORICAL)
    assert charts.SEQUENTIAL == ("#092135", "#12436D", "#2073BC", "#6BACE6", "#ADD1F1")
    assert charts.MISSING == "#F2F2F2" and (charts.FOCUS, charts.CONTEXT) == ("#12436D", "#BFBFBF")


def test_small_multiples_table_has_a_column_per_year():
    result = BUILDERS["small_multiples"]()
    assert list(result.table.values.columns) == ["2024", "2025"]
    assert result.table.display.loc["North East", "2024"] == "[c]"
    assert len(result.figure.axes) == 2


def test_text_colour_contrast():
    assert charts.text_colour("#092135") == "white"
    assert charts.text_colour("#ADD1F1") != "white"


def test_diverging_bars_take_three_bands():
    df = pd.DataFrame(
        [[30, 30, 40], [10, 40, 50]],
        columns=["Disagree (1-2)", "Neither (3)", "Agree (4-5)"],
        index=pd.Index(["Leadership", "Budget"], name="Statement"),
    )
    result = charts.diverging_bars(h.protected(df, caption="Three bands", kind="share"), title="T", **KW)
    assert "Highest share answering agree (4-5)" in result.alt and "Budget" in result.alt


def test_says_something_rejects_single_bars_zeros_and_mostly_hidden():
    import numpy as np

    one = h.protected(pd.DataFrame({"v": [5.0]}, index=pd.Index(["2024"], name="Year")), caption="one")
    zeros = h.protected(
        pd.DataFrame({"v": [0.0, 0.0, 6.0]}, index=pd.Index(list("abc"), name="k")), caption="z"
    )
    hidden = h.protected(
        pd.DataFrame({"v": [np.nan, np.nan, 6.0, 7.0, np.nan]}, index=pd.Index(list("abcde"), name="k")),
        caption="h",
    )
    fine = h.protected(
        pd.DataFrame({"v": [8.0, 15.0, 8.0]}, index=pd.Index(list("abc"), name="k")), caption="f"
    )
    assert not charts.says_something(one)
    assert not charts.says_something(zeros)
    assert not charts.says_something(hidden)
    assert charts.says_something(fine)
    fig = charts.bars(one, "v", title="T", **KW).to_figure("one")
    kept, tables = charts.split_informative([fig, charts.bars(fine, "v", title="T", **KW).to_figure("fine")])
    assert [f.key for f in kept] == ["fine"] and tables["one"].notes[-1].startswith("Not charted")


def test_combined_caption_names_the_span_once():
    t = {
        y: h.protected(
            pd.DataFrame({"n": [6.0, 7.0]}, index=pd.Index(["a", "b"], name="k")),
            caption=f"Members by kind, {y}",
        )
        for y in (2024, 2025)
    }
    assert charts.combine_years(t, "n").caption == "Members by kind, 2024 to 2025"
    assert charts.combine_years({2024: t[2024]}, "n").caption == "Members by kind, 2024"
