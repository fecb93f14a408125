"""The printable map: same filters as the map, the filters in its title, the legend."""

from pathlib import Path

import pytest

from hemicycle.actors import services
from hemicycle.actors.tests.conftest import url
from hemicycle.actors.views.map import PALETTE, choropleth_legend

pytestmark = pytest.mark.django_db


def test_the_map_page_links_to_its_printable_version_with_the_same_filters(bob_client,
                                                                           workspace):
    body = bob_client.get(url("map", workspace), {"canton": "59025"}).content.decode()
    assert f'{url("map-print", workspace)}?canton=59025' in body


def test_the_printable_map_names_its_filters_and_counts_actors_per_canton(
        bob_client, workspace, make_actor):
    theme = services.theme_create(workspace=workspace, name="Mobilité")
    make_actor("Jardins de Mons", postal_code="59370", city="Mons-en-Barœul", themes=[theme])
    make_actor("Club de Mons", postal_code="59370", city="Mons-en-Barœul", themes=[theme])
    make_actor("Théâtre", postal_code="59370", city="Mons-en-Barœul")  # not in the theme
    response = bob_client.get(url("map-print", workspace),
                              {"canton": "59025", "theme": str(theme.code), "bidon": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Canton : Lille-3" in body and "Thème : Mobilité" in body
    # The map draws from the same feeds, with the same filters (unknown keys dropped).
    assert f'{url("map-points", workspace)}?theme={theme.code}&amp;canton=59025' in body
    assert "bidon" not in response.context["query"]
    rows = response.context["rows"]
    assert [(row["name"], row["n"]) for row in rows] == [("Lille-3", 2)]
    assert 'data-testid="map-print-legend"' in body and PALETTE[-1] in body


def test_the_printable_map_has_print_styles():
    css = (Path(__file__).parents[1] / "static/actors/actors.css").read_text()
    assert "@media print" in css and ".map-print" in css.split("@media print")[1]


def test_the_legend_classes_follow_the_map_colours_and_cover_every_count():
    legend = choropleth_legend(8)
    assert [step["color"] for step in legend] == list(PALETTE)
    covered = [n for step in legend for n in range(step["low"], step["high"] + 1)]
    assert covered == list(range(0, 9))
    assert choropleth_legend(0) == [{"color": PALETTE[0], "low": 0, "high": 0}]


def test_an_outsider_cannot_print_another_workspace_map(charlie_client, workspace):
    assert charlie_client.get(url("map-print", workspace)).status_code in (403, 404)
