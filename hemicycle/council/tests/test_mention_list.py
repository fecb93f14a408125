""""Mes mentions": the comments that mention the current member, newest first, paginated,
read or unread, and never another workspace's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.accounts.models import Membership
from hemicycle.accounts.roles import Role
from hemicycle.council.mentions import excerpt
from hemicycle.council.models import Comment, InboxItem, Report
from hemicycle.council.services.followup import comment_create

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(workspace, sitting):
    return make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")


def mentions_url(workspace, page=None):
    url = reverse("council:mention-list", args=[workspace.slug])
    return f"{url}?page={page}" if page else url


def test_a_member_sees_the_comments_that_mention_them_newest_first(
        sam_client, sam, elodie, alice, workspace, report):
    older = comment_create(report=report, author=elodie, notify=False,
                           body="@sam peux-tu vérifier le montant de Fourmies ?")
    Comment.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2))
    newer = comment_create(report=report, author=alice, notify=False,
                           body="Merci @sam, et voir la convention <b>jointe</b>.")
    comment_create(report=report, author=elodie, notify=False, body="Sans mention.")
    comment_create(report=report, author=sam, notify=False, body="Note pour moi, @sam.")
    page = sam_client.get(mentions_url(workspace))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="mention"') == 2
    assert html.index(f"#commentaire-{newer.code}") < html.index(f"#commentaire-{older.code}")
    assert "Alice Admin" in html and "Élodie Élue" in html and "Aide aux villages" in html
    assert '<strong class="mention">@sam</strong>' in html
    assert "&lt;b&gt;jointe&lt;/b&gt;" in html  # escaped
    assert "Sans mention" not in html and "Note pour moi" not in html
    assert reverse("council:mention-list", args=[workspace.slug]) in sam_client.get(
        reverse("council:inbox", args=[workspace.slug])).content.decode()  # in the nav


def test_a_mention_is_unread_until_marked_read(sam_client, sam, elodie, workspace, report):
    comment = comment_create(report=report, author=elodie, notify=False,
                             body="@sam à relire avant jeudi")
    html = sam_client.get(mentions_url(workspace)).content.decode()
    assert 'class="unread"' in html and "1 non lue" in html
    response = sam_client.post(mentions_url(workspace), {"comment": str(comment.code)})
    assert response.status_code == 302
    assert InboxItem.objects.get(user=sam, report=report).done_at is not None
    html = sam_client.get(mentions_url(workspace)).content.decode()
    assert 'class="unread"' not in html and "non lue" not in html


def test_all_mentions_are_marked_read_at_once(sam_client, sam, elodie, workspace, report,
                                              sitting):
    other = make_report(workspace, sitting, "DVD/2026/131", "Véloroute", "Texte.")
    comment_create(report=report, author=elodie, notify=False, body="@sam un")
    comment_create(report=other, author=elodie, notify=False, body="@sam deux")
    assert "2 non lues" in sam_client.get(mentions_url(workspace)).content.decode()
    sam_client.post(mentions_url(workspace), {"all": "1"})
    assert not InboxItem.objects.filter(user=sam, done_at__isnull=True).exists()


def test_mentions_are_paginated(sam_client, sam, elodie, workspace, report):
    for number in range(27):
        comment_create(report=report, author=elodie, notify=False, body=f"@sam point {number}")
    first = sam_client.get(mentions_url(workspace)).content.decode()
    second = sam_client.get(mentions_url(workspace, 2)).content.decode()
    assert first.count('data-testid="mention"') == 25
    assert second.count('data-testid="mention"') == 2
    assert "Page 2 sur 2" in second and "point 0" in second and "point 26" in first


def test_another_workspaces_mentions_never_show(sam_client, sam, elodie, workspace, report,
                                                other_workspace, charlie, charlie_client):
    Membership.objects.create(workspace=other_workspace, user=sam, role=Role.STAFF)
    theirs = Report.objects.create(workspace=other_workspace, title="Rapport normand")
    elsewhere = comment_create(report=theirs, author=charlie, notify=False,
                               body="@sam secret de l'autre groupe")
    here = comment_create(report=report, author=elodie, notify=False, body="@sam ici")
    html = sam_client.get(mentions_url(workspace)).content.decode()
    assert str(here.code) in html and "secret de l" not in html
    # Marking it read from this workspace does nothing; from its own, it works.
    assert sam_client.post(mentions_url(workspace),
                           {"comment": str(elsewhere.code)}).status_code == 404
    html = sam_client.get(mentions_url(other_workspace)).content.decode()
    assert "secret de l" in html and str(here.code) not in html
    assert charlie_client.get(mentions_url(workspace)).status_code == 404
    assert "Personne ne vous a encore" in charlie_client.get(
        mentions_url(other_workspace)).content.decode()


def test_an_observer_sees_their_mentions(bob_client, bob, elodie, workspace, report):
    comment_create(report=report, author=elodie, notify=False, body="@bob pour info")
    html = bob_client.get(mentions_url(workspace)).content.decode()
    assert 'data-testid="mention"' in html and "pour info" in html


def test_an_excerpt_is_cut_around_the_first_mention():
    long = ("Contexte. " * 40) + "Peux-tu @sam vérifier le tableau ? " + ("Suite. " * 40)
    cut = excerpt(long, width=120)
    assert "@sam vérifier" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut) <= 122
    assert excerpt("  court\n\ttexte @sam ") == "court texte @sam"
