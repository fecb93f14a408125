"""One article cross-posted in several sources is one clipping with several sightings."""

import pytest

from hemicycle.mediawatch import services
from hemicycle.mediawatch.models import Clipping, Sighting
from hemicycle.mediawatch.tests.conftest import rss

pytestmark = pytest.mark.django_db

TEXT = ("Réuni en séance plénière lundi à Lille, le conseil départemental du Nord a voté "
        "un budget en baisse pour les collèges. Le groupe écologiste dénonce un recul pour "
        "la rénovation thermique des établissements de Roubaix et de Tourcoing, où "
        "plusieurs bâtiments restent mal isolés selon les parents d'élèves.")
TITLE = "Budget 2027 : le Département du Nord réduit l'aide aux collèges"
OTHER = ("La Métropole européenne de Lille prolonge sa ligne de bus jusqu'à Bailleul à la "
         "rentrée. Les associations d'usagers saluent une avancée mais regrettent une "
         "fréquence jugée trop faible en heures creuses pour les salariés du secteur.")


def poll_both(site, make_source, first: list[dict], second: list[dict]):
    a = make_source(site.serve("/a.xml", rss(first)), name="La Gazette du Nord")
    b = make_source(site.serve("/b.xml", rss(second)), name="Nord Éclair Hebdo")
    services.sources_poll(sources=[a, b])
    return a, b


def test_the_same_address_with_tracking_parameters_is_one_clipping(site, make_source):
    poll_both(site, make_source,
              [{"title": TITLE, "description": TEXT, "link": "https://www.lagazette.fr/budget"}],
              [{"title": "Autre titre", "description": "Autre chapô.",
                "link": "http://lagazette.fr/budget/?utm_source=nl&amp;fbclid=abc#haut"}])
    clipping = Clipping.objects.get()
    assert [s.match for s in clipping.sightings.all()] == ["first", "url"]


def test_the_same_text_with_a_retouched_title_is_one_clipping(site, make_source):
    poll_both(site, make_source,
              [{"title": TITLE, "description": TEXT, "link": "https://a.fr/1"}],
              [{"title": TITLE.replace(" : ", " – ").replace("'", "’") + ".",
                "description": TEXT, "link": "https://b.fr/2"}])
    clipping = Clipping.objects.get()
    assert [s.match for s in clipping.sightings.order_by("pk")] == ["first", "content"]
    assert {s.source.name for s in clipping.sightings.all()} == {
        "La Gazette du Nord", "Nord Éclair Hebdo"}


def test_a_lightly_edited_copy_is_one_clipping_and_another_article_is_not(site, make_source):
    edited = TEXT.replace("lundi", "ce lundi").replace("plusieurs", "de nombreux") + " (AFP)"
    poll_both(site, make_source,
              [{"title": TITLE, "description": TEXT, "link": "https://a.fr/1"},
               {"title": "Bus : la ligne prolongée", "description": OTHER,
                "link": "https://a.fr/bus"}],
              [{"title": TITLE, "description": edited, "link": "https://b.fr/2"}])
    assert Clipping.objects.count() == 2
    near = Sighting.objects.get(match="near")
    assert near.clipping.url == "https://a.fr/1" and near.similarity >= 0.6


def test_near_duplicates_are_found_across_polling_rounds(site, make_source):
    a = make_source(site.serve("/a.xml", rss([{"title": TITLE, "description": TEXT,
                                               "link": "https://a.fr/1"}])))
    services.source_poll(source=a)
    b = make_source(site.serve("/b.xml", rss([{"title": TITLE + " (vidéo)",
                                               "description": TEXT + " Reportage.",
                                               "link": "https://b.fr/9"}])), name="B")
    services.source_poll(source=b)
    assert Clipping.objects.count() == 1
    assert Clipping.objects.get().sightings.count() == 2


def test_clippings_of_two_workspaces_never_merge(site, make_source, other_workspace):
    from hemicycle.mediawatch.models import Source

    item = [{"title": TITLE, "description": TEXT, "link": "https://a.fr/1"}]
    mine = make_source(site.serve("/a.xml", rss(item)))
    theirs = Source.objects.create(workspace=other_workspace, name="Leur source",
                                   url=site.serve("/b.xml", rss(item)))
    services.sources_poll(sources=[mine, theirs])
    assert Clipping.objects.filter(workspace=mine.workspace).count() == 1
    assert Clipping.objects.filter(workspace=other_workspace).count() == 1
