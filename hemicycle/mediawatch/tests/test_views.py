"""The inbox, a clipping's page, sources and rules, for each persona."""

import datetime
from html import escape

import pytest
from django.urls import reverse

from hemicycle.mediawatch.models import Alert, Clipping, KeywordRule, Source, Topic
from hemicycle.mediawatch.services import WorkspaceIndex, items_ingest
from hemicycle.mediawatch.tests.conftest import BUS, COLLEGES, rss

pytestmark = pytest.mark.django_db

def inbox(workspace, **params) -> str:
    url = reverse("mediawatch:clipping-list", args=[workspace.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_a_member_reads_today_s_inbox_and_searches_it(bob_client, workspace, clippings):
    page = bob_client.get(inbox(workspace, periode="aujourdhui"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Le Département réduit l&#x27;aide aux collèges" in body
    assert "Marquer lu" not in body  # an observer reads, does not change
    found = bob_client.get(inbox(workspace, q="college -Bailleul"))
    assert [c.url for c in found.context["page"]] == [COLLEGES.url]
    found = bob_client.get(inbox(workspace, q='"ligne de bus" OU rénovation'))
    assert found.context["page"].paginator.count == 2


def test_a_bad_search_shows_a_french_message(bob_client, workspace, clippings):
    page = bob_client.get(inbox(workspace, q='"aide sociale'))
    assert page.status_code == 200
    assert "Guillemet non fermé" in page.content.decode()
    assert page.context["page"].paginator.count == 0


def test_staff_marks_a_clipping_read_and_unread_from_the_inbox_with_htmx(
        sam_client, workspace, clippings):
    clipping = clippings[COLLEGES.url]
    url = reverse("mediawatch:clipping-read", args=[workspace.slug, clipping.code])
    row = sam_client.post(url, {"lu": "1"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    assert f'id="clipping-{clipping.code}"' in row.content.decode()
    assert "Marquer non lu" in row.content.decode()
    clipping.refresh_from_db()
    assert clipping.read_at is not None
    assert sam_client.get(inbox(workspace, etat="nonlus")).context["page"].paginator.count == 1
    sam_client.post(url, {"lu": "0"})
    clipping.refresh_from_db()
    assert clipping.read_at is None


def test_staff_tags_a_clipping_with_a_tone_and_topics(sam_client, workspace, clippings):
    clipping = clippings[COLLEGES.url]
    url = reverse("mediawatch:clipping-tag", args=[workspace.slug, clipping.code])
    row = sam_client.post(url, {"tone": "negative", "topics": "Collèges, budget , Collèges"},
                          HTTP_HX_REQUEST="true")
    body = row.content.decode()
    assert "Défavorable" in body and "Collèges" in body and "budget" in body
    clipping.refresh_from_db()
    assert clipping.tone == "negative"
    assert sorted(t.name for t in clipping.topics.all()) == ["Collèges", "budget"]
    # Filtering by the topic finds it.
    topic = Topic.objects.get(name="Collèges")
    page = sam_client.get(inbox(workspace, theme=topic.code, ton="negative"))
    assert [c.pk for c in page.context["page"]] == [clipping.pk]
    # A topic too long is refused, with the row still there.
    row = sam_client.post(url, {"tone": "", "topics": "x" * 61}, HTTP_HX_REQUEST="true")
    assert "60 caractères" in row.content.decode()
    assert clipping.topics.count() == 2


def test_an_observer_cannot_tag_or_mark_and_an_outsider_gets_404(
        bob_client, charlie_client, workspace, clippings):
    clipping = clippings[BUS.url]
    for name in ("clipping-tag", "clipping-read", "clipping-link"):
        url = reverse(f"mediawatch:{name}", args=[workspace.slug, clipping.code])
        assert bob_client.post(url, {"tone": "positive", "lu": "1"}).status_code == 403
    detail = reverse("mediawatch:clipping-detail", args=[workspace.slug, clipping.code])
    assert bob_client.get(detail).status_code == 200
    clipping.refresh_from_db()
    assert clipping.read_at is None and clipping.tone == ""
    assert charlie_client.get(detail).status_code == 404


def test_opening_a_clipping_marks_it_read_and_shows_its_sources(sam_client, workspace,
                                                                clippings):
    clipping = clippings[COLLEGES.url]
    page = sam_client.get(reverse("mediawatch:clipping-detail",
                                  args=[workspace.slug, clipping.code]))
    assert "Le Courrier (test)" in page.content.decode()
    clipping.refresh_from_db()
    assert clipping.read_at is not None


def test_staff_links_a_clipping_to_an_actor_and_a_report_of_the_workspace(
        sam_client, workspace, other_workspace, clippings):
    from hemicycle.actors.models import Actor
    from hemicycle.council.models import Report

    fcpe = Actor.objects.create(workspace=workspace, name="FCPE du Nord")
    Actor.objects.create(workspace=workspace, name="FCPE de Roubaix")
    Actor.objects.create(workspace=other_workspace, name="Comité des fêtes d'ailleurs")
    report = Report.objects.create(workspace=workspace, number="DAT/2026/81",
                                   title="Programme de rénovation des collèges")
    clipping = clippings[COLLEGES.url]
    url = reverse("mediawatch:clipping-link", args=[workspace.slug, clipping.code])
    ambiguous = sam_client.post(url, {"kind": "actor", "label": "FCPE"})
    assert "Plusieurs fiches correspondent" in ambiguous.content.decode()
    elsewhere = sam_client.post(url, {"kind": "actor", "label": "Comité des fêtes"})
    assert "Aucune fiche ne correspond" in elsewhere.content.decode()
    assert not clipping.actors.exists()

    sam_client.post(url, {"kind": "actor", "label": "fcpe du nord"})
    sam_client.post(url, {"kind": "report", "label": "DAT/2026/81"})
    assert list(clipping.actors.all()) == [fcpe] and list(clipping.reports.all()) == [report]
    # Both ways: the actor's and the report's clippings.
    assert list(fcpe.clippings.all()) == [clipping] and list(report.clippings.all()) == [clipping]
    page = sam_client.get(reverse("mediawatch:clipping-detail",
                                  args=[workspace.slug, clipping.code])).content.decode()
    assert f'href="/w/{workspace.slug}/acteurs/{fcpe.code}/"' in page
    assert f"?rapport={report.code}" in page
    inbox = sam_client.get(reverse("mediawatch:clipping-list", args=[workspace.slug]),
                           {"acteur": str(fcpe.code)}).content.decode()
    assert "Articles liés à FCPE du Nord" in inbox and escape(COLLEGES.title) in inbox
    assert escape(BUS.title) not in inbox
    sam_client.post(url, {"retirer": f"actor:{fcpe.code}"})
    assert not clipping.actors.exists() and clipping.reports.count() == 1


def test_a_clipping_is_never_linked_to_another_workspace_s_actor(workspace, other_workspace,
                                                                  clippings):
    from django.core.exceptions import ValidationError

    from hemicycle.actors.models import Actor
    from hemicycle.mediawatch import services

    foreign = Actor.objects.create(workspace=other_workspace, name="Comité des fêtes")
    with pytest.raises(ValidationError):
        services.clipping_link_add(clipping=clippings[COLLEGES.url], kind="actor",
                                   target=foreign)
    assert not foreign.clippings.exists()


def test_mark_all_read_follows_the_filters(sam_client, workspace, clippings):
    sam_client.post(reverse("mediawatch:clipping-read-all", args=[workspace.slug]),
                    {"q": "bus"})
    read = Clipping.objects.filter(read_at__isnull=False)
    assert [c.url for c in read] == [BUS.url]


def test_staff_adds_a_source_with_errors_first_then_polls_it(
        sam_client, workspace, site, django_capture_on_commit_callbacks):
    url = reverse("mediawatch:source-list", args=[workspace.slug])
    bad = sam_client.post(url, {"name": "", "kind": "feed", "url": "pas une adresse",
                                "interval_minutes": 1})
    body = bad.content.decode()
    assert bad.status_code == 200 and "Pas plus d&#x27;un relevé toutes les 5 minutes" in body
    assert not Source.objects.exists()
    feed = site.serve("/rss.xml", rss([{"title": BUS.title, "description": BUS.summary,
                                        "link": BUS.url}]))
    made = sam_client.post(url, {"name": "L'Écho (test)", "kind": "feed", "url": feed,
                                 "interval_minutes": 30, "active": "on"})
    source = Source.objects.get()
    assert made.status_code == 302 and made.url.endswith(f"{source.code}/")
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(reverse("mediawatch:source-poll", args=[workspace.slug, source.code]))
    source.refresh_from_db()
    assert source.last_status.startswith("1 nouveau")
    assert Clipping.objects.get().title == BUS.title


def test_an_observer_cannot_add_a_source(bob_client, workspace):
    url = reverse("mediawatch:source-list", args=[workspace.slug])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {"name": "X", "kind": "feed", "url": "https://x.example/",
                                     "interval_minutes": 30})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_a_rule_with_a_bad_syntax_is_refused_and_a_good_one_raises_alerts(
        sam_client, workspace, clippings):
    url = reverse("mediawatch:rule-list", args=[workspace.slug])
    bad = sam_client.post(url, {"name": "Collèges", "query": '"aide sociale OU lycée',
                                "active": "on"})
    assert "Guillemet non fermé" in bad.content.decode()
    only_not = sam_client.post(url, {"name": "Collèges", "query": "-lycée", "active": "on"})
    assert "que des exclusions" in only_not.content.decode()
    assert not KeywordRule.objects.exists()
    sam_client.post(url, {"name": "Collèges", "query": "COLLEGE* -lycée", "active": "on"})
    rule = KeywordRule.objects.get()
    assert [a.clipping.url for a in rule.alerts.all()] == [COLLEGES.url]
    page = sam_client.get(inbox(workspace, alerte="1"))
    assert [c.url for c in page.context["page"]] == [COLLEGES.url]
    assert "Alerte : Collèges" in page.content.decode()


def test_new_clippings_matching_a_rule_raise_an_alert(workspace):
    KeywordRule.objects.create(workspace=workspace, name="Bailleul", query="bailleul")
    source = Source.objects.create(workspace=workspace, name="S", url="https://s.example/")
    report = items_ingest(source=source, items=[BUS, COLLEGES],
                          index=WorkspaceIndex(workspace))
    assert report.alerts == 1
    assert Alert.objects.get().clipping.url == BUS.url


def test_presets_come_from_the_group_s_elected_members_and_the_communes(
        sam_client, workspace, clippings):
    from hemicycle.elected.models import ElectedMember

    ElectedMember.objects.create(workspace=workspace, first_name="Maëlle",
                                 last_name="Dufresne", in_group=True,
                                 mandate_start=datetime.date(2021, 7, 1))
    ElectedMember.objects.create(workspace=workspace, first_name="Paul", last_name="Autre",
                                 in_group=False)
    sam_client.post(reverse("mediawatch:rule-presets", args=[workspace.slug]))
    elected = KeywordRule.objects.get(preset="elected")
    assert elected.query == '"Maëlle Dufresne"'
    communes = KeywordRule.objects.get(preset="communes")  # the Nord is loaded in tests
    assert '"Bailleul"' in communes.query and '"Roubaix"' in communes.query
    assert communes.alerts.filter(clipping__url=BUS.url).exists()
    # Again: the same two rules, refreshed.
    sam_client.post(reverse("mediawatch:rule-presets", args=[workspace.slug]))
    assert KeywordRule.objects.count() == 2


def test_a_rule_is_edited_and_deleted(sam_client, workspace, clippings):
    rule = KeywordRule.objects.create(workspace=workspace, name="Bus", query="tramway")
    url = reverse("mediawatch:rule-detail", args=[workspace.slug, rule.code])
    sam_client.post(url, {"name": "Bus", "query": "bus", "active": "on"})
    assert rule.alerts.count() == 1
    sam_client.post(url, {"supprimer": "1"})
    assert not KeywordRule.objects.exists() and not Alert.objects.exists()


def test_the_dashboard_shows_today_s_clippings(alice_client, workspace, clippings):
    page = alice_client.get(reverse("core:dashboard", args=[workspace.slug]))
    body = page.content.decode()
    assert 'data-testid="panel-mediawatch"' in body
    assert "2 articles aujourd’hui" in body
