import datetime

import pytest
from django.utils import timezone

from hemicycle.actors import services
from hemicycle.actors.models import Actor
from hemicycle.actors.tests.conftest import url
from hemicycle.territory.models import Canton

pytestmark = pytest.mark.django_db


def test_the_map_page_loads_the_vendored_leaflet(bob_client, workspace):
    body = bob_client.get(url("map", workspace), {"canton": "59025"}).content.decode()
    assert "actors/vendor/leaflet-1.9.4/leaflet.js" in body
    assert "leaflet.markercluster-1.5.3/leaflet.markercluster.js" in body
    assert "canton=59025" in body  # the feeds get the same filters


def test_canton_areas_carry_counts_and_the_share_contacted(alice_client, alice, workspace,
                                                          make_actor):
    contacted = make_actor("Jardins de Mons", postal_code="59370", city="Mons-en-Barœul")
    make_actor("Club de Mons", postal_code="59370", city="Mons-en-Barœul")
    services.interaction_create(workspace=workspace, kind="call", title="Appel",
                                date=timezone.localdate() - datetime.timedelta(days=10),
                                actors=[contacted], by=alice)
    outlines = alice_client.get(url("map-areas", workspace)).json()
    assert outlines["type"] == "FeatureCollection" and len(outlines["features"]) == 41
    lille3 = next(f["properties"] for f in outlines["features"]
                  if f["properties"]["code"] == "59025")
    assert lille3 == {"code": "59025", "name": "Lille-3"}
    assert outlines["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    data = alice_client.get(url("map-points", workspace)).json()
    assert data["cantons"] == {"59025": [2, 1]}


def test_points_follow_the_list_filters(alice_client, workspace, make_actor):
    make_actor("Jardins de Mons", postal_code="59370", city="Mons-en-Barœul")
    make_actor("Club de Douai", postal_code="59500", city="Douai")
    data = alice_client.get(url("map-points", workspace), {"canton": "59025"}).json()
    assert data["count"] == 1 and data["points"][0][3] == "Jardins de Mons"
    card = alice_client.get(url("actor-detail", workspace, data["points"][0][2]),
                            {"fiche": "1"}).content.decode()
    assert "Jardins de Mons" in card and "<html" not in card


def test_commune_outlines_are_served(bob_client, workspace):
    data = bob_client.get(url("map-areas", workspace), {"couche": "communes"}).json()
    assert len(data["features"]) > 600  # the Nord's 648 communes


def test_tiles_are_used_only_when_a_server_is_configured(bob_client, workspace, settings):
    settings.MAP_TILE_URL = ""
    assert "tiles.example.org" not in bob_client.get(url("map", workspace)).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© contributeurs OpenStreetMap"
    body = bob_client.get(url("map", workspace)).content.decode()
    assert "tiles.example.org" in body and "OpenStreetMap" in body


def test_an_actor_of_a_split_commune_counts_in_each_of_its_cantons(alice_client, workspace,
                                                                  make_actor):
    lille = make_actor("Maison du Vélo de Lille", postal_code="59000", city="Lille")
    mons = make_actor("Jardins de Mons", postal_code="59370", city="Mons-en-Barœul")
    assert lille.cantons.count() > 1 and Actor.objects.get(pk=lille.pk).canton_id is None
    assert Actor.objects.get(pk=mons.pk).canton.code == "59025"
    counts = {code: n for code, (n, _) in alice_client.get(
        url("map-points", workspace)).json()["cantons"].items()}
    assert sum(counts.values()) == 1 + lille.cantons.count()
    assert all(counts[c.code] >= 1 for c in lille.cantons.all())


def test_the_single_canton_follows_the_links(make_actor):
    actor = make_actor("Jardins de Mons", postal_code="59370", city="Mons-en-Barœul")
    mons = actor.cantons.get()
    other = Canton.objects.exclude(pk=mons.pk).filter(departement_id=mons.departement_id)[0]
    actor.cantons.add(other)
    assert Actor.objects.get(pk=actor.pk).canton_id is None
    actor.cantons.remove(mons)
    assert Actor.objects.get(pk=actor.pk).canton_id == other.pk
    actor.cantons.clear()
    assert Actor.objects.get(pk=actor.pk).canton_id is None


def test_past_five_thousand_points_the_map_gets_one_circle_per_commune(
        alice_client, workspace, make_actor, monkeypatch):
    from hemicycle.actors import queries

    monkeypatch.setattr(queries, "MAX_POINTS", 2)
    for name in ("Jardins de Mons", "Club de Mons"):
        make_actor(name, postal_code="59370", city="Mons-en-Barœul")
    make_actor("Club de Douai", postal_code="59500", city="Douai")
    data = alice_client.get(url("map-points", workspace)).json()
    assert data["count"] == 3 and data["points"] == []
    assert sorted((g[2], g[4]) for g in data["groups"]) == [("Douai", 1), ("Mons-en-Barœul", 2)]


def test_an_actor_whose_cantons_were_chosen_counts_only_in_those(alice_client, workspace,
                                                                make_actor, alice):
    placed = make_actor("Maison du Vélo de Lille", postal_code="59000", city="Lille")
    chosen = make_actor("Jardin de Wazemmes", postal_code="59000", city="Lille")
    lille = sorted(placed.cantons.all(), key=lambda c: c.code)
    services.actor_update(actor=chosen, data={"cantons": lille[:2]})
    chosen = Actor.objects.get(pk=chosen.pk)
    assert chosen.canton_id is None and chosen.cantons_chosen
    assert not Actor.objects.get(pk=placed.pk).cantons_chosen
    services.interaction_create(workspace=workspace, kind="call", title="Appel",
                                date=timezone.localdate(), actors=[chosen], by=alice)
    cantons = alice_client.get(url("map-points", workspace)).json()["cantons"]
    assert cantons[lille[0].code] == [2, 1] and cantons[lille[1].code] == [2, 1]
    assert all(cantons[c.code] == [1, 0] for c in lille[2:])
    # Back to a single canton: an ordinary actor again.
    services.actor_update(actor=chosen, data={"cantons": lille[:1]})
    chosen = Actor.objects.get(pk=chosen.pk)
    assert chosen.canton_id == lille[0].pk and not chosen.cantons_chosen
