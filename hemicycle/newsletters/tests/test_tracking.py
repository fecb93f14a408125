"""Open and click measurement: off by default, per campaign, no open redirect, no IP."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hemicycle.newsletters.campaigns import campaign_test_send
from hemicycle.newsletters.models import Campaign, CampaignLink, Delivery, LinkClick
from hemicycle.newsletters.tests.conftest import add_subscribers, html_part, path_of, text_part
from hemicycle.newsletters.tests.test_campaign_send import create_and_send

pytestmark = pytest.mark.django_db

BUDGET = "https://example.org/budget?annee=2027&page=2"
BODY = (f"## Budget 2027\n\nLe détail : {BUDGET}\n\nEt la motion : "
        "https://example.org/motion-colleges")


def pixel(message) -> str:
    found = re.findall(r'<img src="([^"]+/lettres/o/[^"]+)"', html_part(message))
    assert len(found) <= 1
    return found[0] if found else ""


def tracked_links(message) -> list[str]:
    return re.findall(r'href="([^"]+/lettres/c/[^"]+)"', html_part(message))


def test_a_new_campaign_measures_nothing_and_its_messages_have_no_pixel_nor_tracked_link(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org"])
    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk, body=BODY)
    assert not campaign.track_opens and not campaign.track_clicks
    (message,) = inbox.messages
    assert pixel(message) == "" and tracked_links(message) == []
    assert 'href="https://example.org/budget?annee=2027&amp;page=2"' in html_part(message)
    assert not CampaignLink.objects.exists()
    page = sam_client.get(reverse("newsletters:campaign-detail",
                                  args=[workspace.slug, campaign.code]))
    assert "ouverture ni de clics pour cette campagne" in page.content.decode()


def test_the_campaign_form_explains_both_measures(sam_client, workspace, mailing_list):
    page = sam_client.get(reverse("newsletters:campaign-create", args=[workspace.slug]))
    text = page.content.decode()
    assert "un pixel invisible" in text and "les liens passent par le site" in text
    form = page.context["form"]
    assert form["track_opens"].initial is False and form["track_clicks"].initial is False


def test_with_measures_on_opens_and_unique_clicks_per_link_are_counted_and_shown(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org", "thomas@example.org"])
    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk, body=BODY,
                               track_opens="on", track_clicks="on")
    nadia, thomas = inbox.to("nadia@example.org"), inbox.to("thomas@example.org")
    # Each message has its own pixel and its own links; the text part keeps the real ones.
    assert pixel(nadia) and pixel(thomas) and pixel(nadia) != pixel(thomas)
    assert len(tracked_links(nadia)) == 2 and tracked_links(nadia) != tracked_links(thomas)
    assert BUDGET in text_part(nadia)
    assert "/desinscription/" in html_part(nadia)  # the unsubscribe link is not tracked

    anonymous = Client()
    response = anonymous.get(path_of(pixel(nadia)), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    anonymous.get(path_of(pixel(nadia)))  # displayed again: still one reader
    budget_link = path_of(tracked_links(nadia)[0].replace("&amp;", "&"))
    for _ in range(2):
        response = anonymous.get(budget_link, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302 and response["Location"] == BUDGET
    response = anonymous.get(path_of(tracked_links(thomas)[0]))
    assert response["Location"] == BUDGET

    assert Delivery.objects.get(email="nadia@example.org").opened_at is not None
    assert Delivery.objects.get(email="thomas@example.org").opened_at is None
    page = sam_client.get(reverse("newsletters:campaign-detail",
                                  args=[workspace.slug, campaign.code]))
    stats = page.context["tracking"]
    assert stats["opens"] == 1
    assert [(link.url, link.unique_clicks, link.total_clicks) for link in stats["links"]] == [
        (BUDGET, 2, 3), ("https://example.org/motion-colleges", 0, None)]
    assert 'data-testid="count-opens">1<' in page.content.decode()
    # Nothing about the reader is stored: no address, no browser.
    for model in (Delivery, LinkClick):
        assert not [f for f in model._meta.get_fields()
                    if "ip" in f.name.split("_") or "agent" in f.name]


def test_the_click_view_redirects_only_to_the_link_stored_for_that_campaign(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org"])
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    mailing_list=mailing_list.pk, body=BODY, track_clicks="on")
    link = path_of(tracked_links(inbox.messages[0])[0])
    token, link_id = link.split("/")[-3], link.split("/")[-2]
    anonymous = Client()
    # Extra parameters change nothing.
    response = anonymous.get(link, {"next": "https://evil.example", "url": "https://evil.example"})
    assert response["Location"] == BUDGET
    # A forged token still leads to the stored link but counts nothing.
    forged = reverse("newsletters:track-click", args=["1:forged", link_id])
    assert anonymous.get(forged)["Location"] == BUDGET
    assert LinkClick.objects.get().count == 1
    # A link id that does not exist: not found, no redirect.
    assert anonymous.get(reverse("newsletters:track-click", args=[token, 999_999])
                         ).status_code == 404
    # A valid token used with another campaign's link: redirected there, not counted.
    other = Campaign.objects.create(workspace=workspace, subject="Autre", body="x",
                                    mailing_list=mailing_list, track_clicks=True)
    elsewhere = CampaignLink.objects.create(campaign=other, url="https://example.org/autre")
    response = anonymous.get(reverse("newsletters:track-click", args=[token, elsewhere.pk]))
    assert response["Location"] == "https://example.org/autre"
    assert not LinkClick.objects.filter(link=elsewhere).exists()


def test_a_test_send_has_working_tracked_links_that_count_nothing(
        inbox, workspace, mailing_list):
    campaign = Campaign.objects.create(workspace=workspace, subject="Essai", body=BODY,
                                       mailing_list=mailing_list, track_opens=True,
                                       track_clicks=True)
    campaign_test_send(campaign=campaign, email="sam@example.org")
    (message,) = inbox.messages
    anonymous = Client()
    assert anonymous.get(path_of(pixel(message))).status_code == 200
    response = anonymous.get(path_of(tracked_links(message)[1]))
    assert response["Location"] == "https://example.org/motion-colleges"
    assert not LinkClick.objects.exists() and not Delivery.objects.exists()
