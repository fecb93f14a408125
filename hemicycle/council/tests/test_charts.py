"""The inline SVG charts (hemicycle/council/charts.py)."""

import xml.etree.ElementTree as ET

from hemicycle.council.charts import Series, stacked_bars

NS = "{http://www.w3.org/2000/svg}"


def chart(**kwargs) -> ET.Element:
    svg = stacked_bars(chart_id="c", title="Votes <du groupe>", categories=["2025", "2026"],
                       series=[Series("Pour", "#2e7d4f", [3, 1]),
                               Series("Contre", "#c0392b", [1, 0])], **kwargs)
    return ET.fromstring(svg)


def test_a_chart_is_valid_svg_with_a_title_and_a_tooltip_per_segment():
    root = chart()
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Votes <du groupe>"
    tips = [t.text for t in root.iter(f"{NS}title")]
    assert "2025 — Pour : 3" in tips and "2025 — Contre : 1" in tips
    assert not any("2026 — Contre" in t for t in tips)  # nothing drawn for a zero


def test_bars_are_scaled_to_the_largest_total_or_fill_the_width_in_percent():
    def widths(root):
        return [float(r.get("width")) for r in root.iter(f"{NS}rect")
                if r.get("fill") != "#f0f2f4"]

    assert widths(chart()) == [315.0, 105.0, 105.0]  # 3/4, 1/4 of 420; 1/4
    assert widths(chart(percent=True)) == [315.0, 105.0, 420.0]


def test_an_empty_chart_still_draws():
    svg = stacked_bars(chart_id="e", title="Rien", categories=[], series=[])
    assert ET.fromstring(svg).get("height") == "8"
