"""The "Dans la presse" section of an actor's page and of a council report's page
(``{% clippings_for %}``, loaded by the actors and council templates)."""

import datetime
from html import escape

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from hemicycle.accounts.models import Membership
from hemicycle.accounts.roles import Role
from hemicycle.actors.models import Actor
from hemicycle.council.models import Report
from hemicycle.mediawatch import services
from hemicycle.mediawatch.models import Clipping, Sighting, Source
from hemicycle.mediawatch.templatetags.mediawatch_tags import SHOWN

pytestmark = pytest.mark.django_db


def clipping_on(workspace, title: str, days_ago: int, tone: str = "",
                source_name: str = "La Voix du Nord") -> Clipping:
    source, _created = Source.objects.get_or_create(
        workspace=workspace, name=source_name, defaults={"url": "https://presse.example/rss"})
    url = f"https://presse.example/{workspace.slug}/{title.replace(' ', '-')}"
    clipping = Clipping.objects.create(
        workspace=workspace, url=url, url_key=url, title=title, tone=tone,
        published_at=timezone.now() - datetime.timedelta(days=days_ago))
    Sighting.objects.create(workspace=workspace, clipping=clipping, source=source, url=url,
                            url_key=url, title=title, match=Sighting.Match.FIRST)
    return clipping


@pytest.fixture
def fcpe(workspace):
    return Actor.objects.create(workspace=workspace, name="FCPE du Nord")


@pytest.fixture
def report(workspace):
    return Report.objects.create(workspace=workspace, number="DAT/2026/81",
                                 title="Programme de rénovation des collèges")


def actor_page(client, actor) -> str:
    response = client.get(reverse("actors:actor-detail", args=[actor.workspace.slug,
                                                              actor.code]))
    assert response.status_code == 200
    return response.content.decode()


def report_page(client, report) -> str:
    response = client.get(reverse("council:report-detail", args=[report.workspace.slug,
                                                                report.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_observer_sees_the_clippings_linked_to_an_actor_newest_first(
        bob_client, workspace, fcpe):
    older = clipping_on(workspace, "La FCPE réclame des travaux", days_ago=9, tone="neutral")
    newer = clipping_on(workspace, "Collèges : la FCPE salue le plan", days_ago=1,
                        tone="positive", source_name="Nord Éclair")
    unlinked = clipping_on(workspace, "Une ligne de bus prolongée", days_ago=0)
    for clipping in (older, newer):
        services.clipping_link_add(clipping=clipping, kind="actor", target=fcpe)

    body = actor_page(bob_client, fcpe)
    assert "Dans la presse" in body and 'data-testid="press-clippings"' in body
    assert body.index(escape(newer.title)) < body.index(escape(older.title))
    assert escape(unlinked.title) not in body
    detail = reverse("mediawatch:clipping-detail", args=[workspace.slug, newer.code])
    assert f'href="{detail}"' in body
    assert "Nord Éclair" in body and "La Voix du Nord" in body
    assert "Favorable" in body and "Neutre" in body
    assert newer.published_at.astimezone(timezone.get_current_timezone()).strftime(
        "%d/%m/%Y") in body
    assert "(2)" in body
    assert "?acteur=" not in body  # everything is shown: no link to the rest


def test_a_report_page_lists_its_clippings_limited_with_a_count_and_a_link_to_the_rest(
        elodie_client, workspace, report):
    clippings = [clipping_on(workspace, f"Collèges, épisode {n}", days_ago=n)
                 for n in range(SHOWN + 2)]
    for clipping in clippings:
        services.clipping_link_add(clipping=clipping, kind="report", target=report)

    body = report_page(elodie_client, report)
    assert body.count('data-testid="press-clipping"') == SHOWN
    assert "épisode 0" in body and f"épisode {SHOWN - 1}" in body
    assert f"épisode {SHOWN}" not in body
    assert f"({SHOWN + 2})" in body
    rest = reverse("mediawatch:clipping-list", args=[workspace.slug])
    assert f'href="{rest}?rapport={report.code}"' in body
    assert f"Voir les {SHOWN + 2} articles dans la veille" in body


def test_a_page_without_clippings_says_so(bob_client, fcpe, report):
    assert "Aucun article lié dans la veille médiatique" in actor_page(bob_client, fcpe)
    assert "Aucun article lié dans la veille médiatique" in report_page(bob_client, report)


def test_another_workspace_s_clippings_never_show_and_an_outsider_sees_nothing(
        bob_client, charlie_client, workspace, other_workspace, fcpe, report):
    ours = clipping_on(workspace, "Notre article", days_ago=1)
    services.clipping_link_add(clipping=ours, kind="actor", target=fcpe)
    services.clipping_link_add(clipping=ours, kind="report", target=report)
    # A clipping of another workspace forced onto our actor and report, bypassing the
    # service's check (as a bad import would): the section still ignores it.
    theirs = clipping_on(other_workspace, "Article d'un autre groupe", days_ago=0)
    theirs.actors.add(fcpe)
    theirs.reports.add(report)

    for body in (actor_page(bob_client, fcpe), report_page(bob_client, report)):
        assert "Notre article" in body
        assert "Article d&#x27;un autre groupe" not in body
        assert "(1)" in body
    for url in (reverse("actors:actor-detail", args=[workspace.slug, fcpe.code]),
                reverse("council:report-detail", args=[workspace.slug, report.code])):
        assert charlie_client.get(url).status_code == 404


def test_the_section_is_hidden_from_a_member_who_may_not_read_the_media_watch(
        workspace, fcpe, alice):
    clipping = clipping_on(workspace, "Article réservé", days_ago=1)
    services.clipping_link_add(clipping=clipping, kind="actor", target=fcpe)
    template = Template("{% load mediawatch_tags %}{% clippings_for actor %}")
    request = RequestFactory().get("/")
    request.workspace = workspace
    request.membership = Membership(workspace=workspace, user=alice, role=Role.JUROR)
    assert "Article réservé" not in template.render(Context({"request": request,
                                                              "actor": fcpe}))
    request.membership = Membership(workspace=workspace, user=alice, role=Role.OBSERVER)
    assert "Article réservé" in template.render(Context({"request": request, "actor": fcpe}))
