"""Sources polled over real HTTP (a local server): feeds, pages, validators, errors."""

import datetime
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone

from hemicycle.mediawatch import services
from hemicycle.mediawatch.models import Clipping, Sighting, Source
from hemicycle.mediawatch.tasks import mediawatch_poll_task
from hemicycle.mediawatch.tests.conftest import atom, rss

pytestmark = pytest.mark.django_db

BUDGET = {
    "title": "Budget 2027 : le Département du Nord réduit l'aide aux collèges",
    "description": "Réuni en séance plénière lundi à Lille, le conseil départemental a voté "
                   "un budget en baisse pour les collèges. Le groupe écologiste dénonce un "
                   "recul pour la rénovation thermique des établissements de Roubaix.",
}
BUS = {
    "title": "Une nouvelle ligne de bus entre Armentières et Bailleul",
    "description": "La Métropole européenne de Lille prolonge sa ligne de bus jusqu'à "
                   "Bailleul à la rentrée. Les associations d'usagers saluent une avancée "
                   "mais regrettent une fréquence jugée trop faible en heures creuses.",
}


def test_a_feed_is_read_then_asked_again_with_its_etag_and_a_304_changes_nothing(
        site, make_source):
    url = site.serve("/rss.xml", rss([{**BUDGET, "link": f"{site.url}/budget"},
                                      {**BUS, "link": f"{site.url}/bus"}]), etag='"v1"')
    source = make_source(url)
    report = services.source_poll(source=source)
    assert (report.status, report.new) == ("ok", 2)
    clipping = Clipping.objects.get(url=f"{site.url}/budget")
    assert clipping.title == BUDGET["title"] and "Roubaix" in clipping.summary
    assert clipping.published_at == datetime.datetime(2026, 11, 23, 6, tzinfo=datetime.UTC)
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.error_message == ""
    assert source.next_poll_at > timezone.now()

    again = services.source_poll(source=source)
    assert (again.status, again.new) == ("not_modified", 0)
    assert site.hits("/rss.xml")[-1]["if_none_match"] == '"v1"'
    assert Clipping.objects.count() == 2
    source.refresh_from_db()
    assert source.last_status == "Rien de nouveau"


def test_last_modified_is_sent_back_and_an_atom_feed_is_read(site, make_source):
    stamp = "Mon, 23 Nov 2026 06:00:00 GMT"
    url = site.serve("/atom", atom([{**BUS, "link": f"{site.url}/bus"}]),
                     content_type="application/atom+xml", last_modified=stamp)
    source = make_source(url)
    assert services.source_poll(source=source).new == 1
    assert services.source_poll(source=source).status == "not_modified"
    assert site.hits("/atom")[-1]["if_modified_since"] == stamp


def test_an_item_seen_again_in_the_same_feed_is_not_filed_twice(site, make_source):
    url = site.serve("/rss.xml", rss([{**BUS, "link": f"{site.url}/bus"}]))
    source = make_source(url)
    services.source_poll(source=source)
    site.serve("/rss.xml", rss([{**BUS, "link": f"{site.url}/bus?utm_source=rss"},
                                {**BUDGET, "link": f"{site.url}/budget"}]))
    report = services.source_poll(source=source)
    assert report.new == 1 and report.duplicates == 0
    assert Sighting.objects.count() == 2


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("path, serve, message", [
    ("/disparu", None, "Adresse introuvable (erreur 404)"),
    ("/panne", {"status": 500}, "Le site est en panne (erreur 500)"),
    ("/interdit", {"status": 403}, "Le site refuse l'accès (erreur 403)"),
    ("/page.html", {"body": "<html><body><p>Bonjour</p></body></html>",
                    "content_type": "text/html"}, "n'est pas un flux RSS ou Atom"),
])
def test_a_failing_source_records_a_french_message_and_backs_off(
        site, make_source, path, serve, message):
    if serve:
        site.serve(path, serve.get("body", "erreur"),
                   content_type=serve.get("content_type", "text/plain"),
                   status=serve.get("status", 200))
    source = make_source(site.url + path, interval_minutes=60)
    waits = []
    for _ in range(3):
        before = timezone.now()
        report = services.source_poll(source=source)
        assert report.status == "error"
        source.refresh_from_db()
        waits.append(source.next_poll_at - before)
    assert message in source.error_message
    assert source.error_count == 3
    # The wait doubles after each failure in a row: about 2 h, 4 h, 8 h.
    assert waits[0] < waits[1] < waits[2]
    assert waits[2] >= datetime.timedelta(hours=8)


def test_an_unreachable_site_is_an_error_and_a_success_clears_it(site, make_source):
    source = make_source(f"http://127.0.0.1:{closed_port()}/rss.xml")
    services.source_poll(source=source)
    source.refresh_from_db()
    assert "injoignable" in source.error_message and source.error_count == 1
    source.url = site.serve("/rss.xml", rss([{**BUS, "link": f"{site.url}/bus"}]))
    source.save()
    services.source_poll(source=source)
    source.refresh_from_db()
    assert (source.error_count, source.error_message) == (0, "")


def test_a_429_waits_at_least_as_long_as_the_site_asks(site, make_source):
    site.serve("/rss.xml", "trop", status=429, headers={"Retry-After": "86400"})
    source = make_source(f"{site.url}/rss.xml", interval_minutes=30)
    services.source_poll(source=source)
    source.refresh_from_db()
    assert "limite" in source.error_message
    assert source.next_poll_at - timezone.now() > datetime.timedelta(hours=23)


ARTICLE_HTML = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{title} | Mairie de Villeneuve-d'Ascq</title>
<meta property="og:title" content="{title}">
<meta name="date" content="2026-11-20"></head>
<body><nav><a href="/">Accueil</a></nav><article><h1>{title}</h1>
<p>{p1}</p><p>{p2}</p><p>Le dossier sera présenté au prochain conseil municipal, qui se
réunira en décembre à l'hôtel de ville. Les habitants peuvent consulter les documents en
ligne et poser leurs questions lors d'une réunion publique organisée dans le quartier.</p>
</article><footer>Mentions légales</footer></body></html>"""


def listing(links: list[str]) -> str:
    anchors = "".join(f'<li><a href="{link}">Lire</a></li>' for link in links)
    return (f'<html><body><a href="/">Accueil</a><a href="https://ailleurs.fr/x">Ailleurs</a>'
            f"<ul>{anchors}</ul></body></html>")


def test_a_page_without_a_feed_yields_its_articles_once(site, make_source):
    site.serve("/actualites/piste-cyclable", ARTICLE_HTML.format(
        title="Une piste cyclable le long de la Marque",
        p1="La commune aménage une piste cyclable de trois kilomètres le long de la Marque, "
           "entre le lac du Héron et le centre-ville, avec le soutien du Département.",
        p2="Les travaux commenceront en janvier et dureront six mois ; la circulation sera "
           "alternée sur la rue de la Station pendant toute la durée du chantier."),
        content_type="text/html")
    site.serve("/actualites/", listing(["/actualites/piste-cyclable"]),
               content_type="text/html")
    source = make_source(f"{site.url}/actualites/", name="Mairie de Villeneuve-d'Ascq",
                         kind=Source.Kind.PAGE)
    report = services.source_poll(source=source)
    assert (report.status, report.new) == ("ok", 1)
    clipping = Clipping.objects.get()
    assert clipping.title == "Une piste cyclable le long de la Marque"
    assert "lac du Héron" in clipping.text and "Mentions légales" not in clipping.text
    assert clipping.published_at.date() == datetime.date(2026, 11, 20)

    # Next poll: the known article is not fetched again.
    services.source_poll(source=source)
    assert len(site.hits("/actualites/piste-cyclable")) == 1
    assert Clipping.objects.count() == 1


def test_links_can_be_limited_by_a_pattern():
    from hemicycle.mediawatch.fetching import page_links

    html = ('<a href="/presse/communique-1">1</a><a href="/agenda/fete">2</a>'
            '<a href="http://www.ex.fr/presse/communique-2#x">3</a><a href="mailto:a@b.c">4</a>')
    assert page_links(html, "http://ex.fr/", "/presse/") == [
        "http://ex.fr/presse/communique-1", "http://www.ex.fr/presse/communique-2"]


def test_the_task_and_the_command_poll_only_due_active_sources(site, make_source, workspace):
    url = site.serve("/rss.xml", rss([{**BUS, "link": f"{site.url}/bus"}]))
    due = make_source(url)
    later = make_source(url + "?b", name="Plus tard",
                        next_poll_at=timezone.now() + datetime.timedelta(hours=1))
    off = make_source(url + "?c", name="Arrêtée", active=False)
    result = mediawatch_poll_task.enqueue()
    assert result.return_value["sources"] == 1
    due.refresh_from_db(), later.refresh_from_db(), off.refresh_from_db()
    assert due.last_polled_at and not later.last_polled_at and not off.last_polled_at

    call_command("poll_sources", "--workspace", workspace.slug, "--all")
    later.refresh_from_db(), off.refresh_from_db()
    assert later.last_polled_at and not off.last_polled_at


def test_the_periodic_task_is_enqueued_once_with_run_after(settings, make_source):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_source("http://127.0.0.1:9/rss.xml",
                next_poll_at=timezone.now() + datetime.timedelta(minutes=10))
    assert services.poll_schedule() is True
    assert services.poll_schedule() is False
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path.endswith("mediawatch_poll_task")
    assert waiting.run_after > timezone.now() + datetime.timedelta(minutes=9)


def test_an_unexpected_error_on_one_source_does_not_stop_the_round(
        site, make_source, monkeypatch):
    from hemicycle.mediawatch.services import polling

    a = make_source(site.serve("/a.xml", rss([{**BUDGET, "link": f"{site.url}/budget"}])),
                    name="A")
    b = make_source(site.serve("/b.xml", rss([{**BUS, "link": f"{site.url}/bus"}])), name="B")
    real = polling.alerts_raise

    def broken(*, clippings, rules):  # inside the transaction, after the inserts
        if clippings and clippings[0].title.startswith("Budget"):
            raise RuntimeError("boom")
        return real(clippings=clippings, rules=rules)

    monkeypatch.setattr(polling, "alerts_raise", broken)
    reports = services.sources_poll(sources=[a, b])
    assert [r.status for r in reports] == ["error", "ok"]
    a.refresh_from_db()
    assert "Erreur inattendue" in a.error_message and a.error_count == 1
    assert [c.title for c in Clipping.objects.all()] == [BUS["title"]]
    assert not Sighting.objects.filter(source=a).exists()
