"""Charts as SVG: well-formed, proportional, band edges from the scoring core, escaped, translated."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from skm.results import charts
from skm.scoring.bands import BANDS

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & \'Dinas\' "A&B" </svg>'


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def samples() -> list[charts.Chart]:
    return [
        charts.unsur_bars(["U1", "U2", "U3"], [Decimal("3.46"), 2.9, Fraction(7, 2)], scale="nrr"),
        charts.unsur_bars(["U1", "U2"], [88.31, 64]),
        charts.category_counts({"A": 3, "B": 10, "D": 1}),
        charts.answers_over_time([("Jan", 10), ("Feb", 0), ("Mar", 25)]),
        charts.trend([("2023", 80), ("2024", None), ("2025", Decimal("88.4")), ("2026", 87)]),
        charts.trend([]),
    ]


@pytest.mark.parametrize("chart", samples(), ids=lambda chart: chart.title)
def test_every_chart_is_an_image_with_a_title_and_a_description_that_scales(chart):
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    assert root.get("width") is None and root.get("height") is None  # the page decides the size
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == chart.desc


nrr_values = st.one_of(
    st.decimals(min_value=1, max_value=4, places=4),
    st.fractions(min_value=1, max_value=4, max_denominator=1000),
    st.floats(min_value=1, max_value=4).map(lambda x: round(x, 3)),
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(nrr_values, min_size=1, max_size=12), converted=st.booleans())
def test_one_bar_per_unsur_and_its_length_proportional_to_its_value(values, converted):
    top = 100 if converted else 4
    values = [Fraction(str(v)) * (25 if converted else 1) for v in values] + [top]  # last: the scale's top
    chart = charts.unsur_bars(
        [f"U{i}" for i in range(len(values))], values, scale="converted" if converted else "nrr"
    )
    found = bars(parse(chart))
    assert len(found) == len(values) == len(chart.rows)
    full = float(found[-1].get("width"))
    for rect, value in zip(found, values, strict=True):
        assert float(rect.get("width")) == pytest.approx(full * float(value) / top, abs=0.011)
    assert len({rect.get("x") for rect in found}) == 1  # every bar starts at the axis' 0


@pytest.mark.parametrize("scale", ["nrr", "converted"])
def test_band_lines_stand_at_the_scoring_cores_edges(scale):
    top = 4 if scale == "nrr" else 100
    root = parse(charts.unsur_bars(["full", "half"], [top, top / 2], scale=scale))
    full = bars(root)[0]
    zero, length = float(full.get("x")), float(full.get("width"))
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "band"]
    at = [(float(line.get("x1")) - zero) / length * top for line in lines]
    edges = [float(band.lower) / (25 if scale == "nrr" else 1) for band in BANDS[:-1]]
    assert at == pytest.approx(edges, abs=0.001)


def test_the_trend_draws_the_band_edges_within_its_range():
    root = parse(charts.trend([("2025", 80), ("2026", 90)]))
    y80, y90 = (float(point.get("cy")) for point in root.iter(f"{SVG}circle"))
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "band"]
    at = [80 + (float(line.get("y1")) - y80) / (y90 - y80) * 10 for line in lines]
    assert at == pytest.approx([float(band.lower) for band in BANDS[:2]], abs=0.001)  # 65 is below
    root = parse(charts.trend([("2025", 30), ("2026", 90)]))
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "band"]) == 3


def test_bars_are_coloured_and_listed_by_their_mutu():
    chart = charts.unsur_bars(["a", "b"], [Decimal("88.305"), Decimal("88.3049")])
    assert [row[2] for row in chart.rows] == ["A (Sangat Baik)", "B (Baik)"]
    assert [rect.get("fill") for rect in bars(parse(chart))] == [
        charts.MUTU_COLOUR["A"],
        charts.MUTU_COLOUR["B"],
    ]


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=60))
def test_answers_over_time_has_a_column_per_period_proportional_to_its_count(counts):
    chart = charts.answers_over_time([(f"P{i}", n) for i, n in enumerate(counts)])
    if not sum(counts):
        assert "Belum ada data" in texts(parse(chart))
        return
    found = bars(parse(chart))
    assert len(found) == len(counts)
    biggest = max(counts)
    tallest = float(found[counts.index(biggest)].get("height"))
    for rect, n in zip(found, counts, strict=True):
        assert float(rect.get("height")) == pytest.approx(tallest * n / biggest, abs=0.01)


def test_category_distribution_shows_all_four_mutu_in_order():
    chart = charts.category_counts({"B": 40, "A": 10})
    found = bars(parse(chart))
    assert len(found) == 4
    assert [float(rect.get("height")) for rect in found][2:] == [0, 0]
    assert float(found[1].get("height")) == pytest.approx(4 * float(found[0].get("height")))
    assert chart.rows == (
        ("A (Sangat Baik)", "10"),
        ("B (Baik)", "40"),
        ("C (Kurang Baik)", "0"),
        ("D (Tidak Baik)", "0"),
    )


def test_trend_breaks_its_line_where_a_period_has_no_figure():
    points = [("2020", 80), ("2021", 82), ("2022", None), ("2023", 85), ("2024", 86), ("2025", 87)]
    chart = charts.trend(points)
    root = parse(chart)
    assert len(list(root.iter(f"{SVG}circle"))) == 5
    lines = [line.get("points").split() for line in root.iter(f"{SVG}polyline")]
    assert [len(line) for line in lines] == [2, 3]
    assert chart.rows[2] == ("2022", "–", "–")
    assert "Tanpa data: 2022." in chart.desc
    lowest = charts.trend([("2026", Decimal("24.975"))])  # all answers 1 with the weight 0.111
    assert lowest.rows == (("2026", "24,98", "D (Tidak Baik)"),)


def test_hostile_labels_are_escaped_in_the_svg_and_the_table():
    cases = [
        charts.unsur_bars([HOSTILE], [3], scale="nrr"),
        charts.answers_over_time([(HOSTILE, 5)]),
        charts.trend([(HOSTILE, 80)]),
        charts.unsur_bars(["a"], [3], scale="nrr", title=HOSTILE),
    ]
    for chart in cases:
        root = parse(chart)  # well-formed: nothing broke out of its element
        assert "<script>" not in chart.svg
        assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
        everything = texts(root) + [t.text or "" for t in root.iter(f"{SVG}title")] + [chart.desc]
        assert any(HOSTILE in text for text in everything)
        html = render_to_string("results/_chart.html", {"chart": chart})
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "chart",
    [
        charts.unsur_bars([], []),
        charts.category_counts({}),
        charts.category_counts({"A": 0}),
        charts.answers_over_time([]),
        charts.answers_over_time([("Jan", 0)]),
        charts.trend([("2025", None)]),
    ],
)
def test_no_data_gives_a_chart_that_says_so(chart):
    root = parse(chart)
    assert texts(root) == ["Belum ada data"]
    assert chart.rows == ()
    html = render_to_string("results/_chart.html", {"chart": chart})
    assert f"<caption>{chart.title}</caption>" in html
    assert "Belum ada data</td>" in html


def test_the_table_partial_carries_every_figure():
    chart = charts.unsur_bars(["Persyaratan", "Biaya/tarif"], [Decimal("3.456"), 4], scale="nrr")
    html = render_to_string("results/_chart.html", {"chart": chart})
    assert str(chart.svg) in html
    assert '<th scope="row">Persyaratan</th><td>3,46</td><td>B (Baik)</td>' in html
    assert '<th scope="col">NRR</th>' in html


def test_fixed_texts_and_numbers_follow_the_active_language():
    with translation.override("en"):
        chart = charts.unsur_bars(["Requirements"], [Decimal("3.456")], scale="nrr")
        empty = charts.trend([])
        counts = charts.answers_over_time([("Jan", 1234)])
        distribution = charts.category_counts({"A": 1})
        html = render_to_string("results/_chart.html", {"chart": empty})
    assert chart.title == "Score per element"
    assert chart.headers == ("Element", "NRR", "Quality")
    assert chart.rows == (("Requirements", "3.46", "B (Good)"),)
    assert "A ≥ 3.5324, B ≥ 3.0644, C ≥ 2.60" in chart.desc
    assert "3.46" in texts(parse(chart))
    assert texts(parse(empty)) == ["No data yet"] and "No data yet</td>" in html
    assert counts.title == "Answers per period" and counts.rows == (("Jan", "1,234"),)
    assert distribution.rows[0] == ("A (Very good)", "1")
    indonesian = charts.unsur_bars(["Persyaratan"], [Decimal("3.456")], scale="nrr")
    assert "A ≥ 3,5324, B ≥ 3,0644, C ≥ 2,60" in indonesian.desc


@pytest.mark.parametrize("scale", [1, 2])
def test_a_chart_becomes_a_png_of_its_size(scale):
    chart = charts.unsur_bars(["U1", "U2", "U3"], [4, 3, 2], scale="nrr")
    image = Image.open(io.BytesIO(charts.to_png(chart, scale=scale)))
    assert image.format == "PNG"
    assert image.size == (chart.width * scale, chart.height * scale)
    colours = {colour for _count, colour in image.convert("RGB").getcolors(1_000_000)}
    assert (0x1B, 0x6E, 0x37) in colours  # the A bar's green was drawn
