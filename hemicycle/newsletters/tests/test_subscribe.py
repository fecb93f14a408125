"""The public form and the double opt-in, over a real SMTP server."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from hemicycle.newsletters import conf, services
from hemicycle.newsletters.models import Subscriber, Suppression
from hemicycle.newsletters.tests.conftest import links, path_of, text_part

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def form_post(client, mailing_list, **data):
    url = reverse("newsletters:subscribe", args=[mailing_list.code])
    page = client.get(url)
    version = page.context["form"].initial["consent_version"]
    payload = {"email": "nadia@example.org", "name": "Nadia", "consent": "on",
               "consent_version": version, "website": "", **data}
    return client.post(url, payload, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.10")


def test_a_visitor_subscribes_confirms_by_the_mailed_link_and_the_proof_is_kept(
        inbox, mailing_list, django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=False)
    page = client.get(reverse("newsletters:subscribe", args=[mailing_list.code]))
    assert page.status_code == 200
    assert escape(mailing_list.consent_text) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = form_post(client, mailing_list)
    assert response.status_code == 200 and response.context["done"]
    subscriber = Subscriber.objects.get(email="nadia@example.org")
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.requested_ip == "192.0.2.10"

    # One mail, one link; the database holds only its hash.
    assert [env[1] for env in inbox.envelopes] == [["nadia@example.org"]]
    body = text_part(inbox.messages[0])
    (link,) = links(body)
    token = path_of(link).rstrip("/").rsplit("/", 1)[1]
    subscriber.refresh_from_db()
    assert subscriber.confirm_token_hash and token not in subscriber.confirm_token_hash

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert client.get(path_of(link)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    confirmed = client.post(path_of(link), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.11")
    assert confirmed.status_code == 200
    assert "Inscription confirmée" in confirmed.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUBSCRIBED
    assert subscriber.confirmed_ip == "192.0.2.11"
    assert subscriber.confirmed_user_agent == BROWSER
    assert subscriber.requested_user_agent == BROWSER
    assert subscriber.consent.text == mailing_list.consent_text
    assert subscriber.consent.version == 1
    # The link is spent.
    assert client.post(path_of(link)).status_code == 404


def test_the_proof_names_the_consent_text_version_the_visitor_saw(
        mailing_list, django_capture_on_commit_callbacks):
    client = Client()
    url = reverse("newsletters:subscribe", args=[mailing_list.code])
    old_version = client.get(url).context["form"].initial["consent_version"]
    services.mailing_list_update(mailing_list=mailing_list,
                                 consent_text="Nouveau texte : une lettre par mois.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "ines@example.org", "consent": "on",
                          "consent_version": old_version}, REMOTE_ADDR="192.0.2.12")
    subscriber = Subscriber.objects.get(email="ines@example.org")
    assert subscriber.consent.version == 1
    assert subscriber.consent.text == "J'accepte de recevoir la lettre du groupe par e-mail."
    assert mailing_list.current_consent().version == 2


def test_the_form_requires_the_consent_box_and_says_so_in_french(mailing_list):
    response = form_post(Client(), mailing_list, consent="")
    assert response.status_code == 200
    assert "Cochez la case pour donner votre accord." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_ignored(mailing_list, mailoutbox):
    response = form_post(Client(), mailing_list, website="http://spam.example")
    assert response.context["done"]
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_the_form_is_rate_limited_per_ip(mailing_list, monkeypatch):
    monkeypatch.setattr(conf, "SUBSCRIBE_MAX_PER_IP", 2)
    client = Client()
    for n in range(2):
        assert form_post(client, mailing_list, email=f"p{n}@example.org").context["done"]
    blocked = form_post(client, mailing_list, email="p9@example.org")
    assert not blocked.context["done"]
    assert "Trop de demandes" in blocked.content.decode()
    assert not Subscriber.objects.filter(email="p9@example.org").exists()


def test_the_form_refuses_a_post_without_csrf_token(mailing_list):
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletters:subscribe", args=[mailing_list.code])
    response = client.post(url, {"email": "x@example.org", "consent": "on"})
    assert response.status_code == 403


def test_a_blocklisted_address_gets_no_mail_and_the_same_answer(
        mailing_list, workspace, mailoutbox, django_capture_on_commit_callbacks):
    services.blocklist_add(workspace=workspace, emails=["nadia@example.org"])
    with django_capture_on_commit_callbacks(execute=True):
        response = form_post(Client(), mailing_list)
    assert response.context["done"]
    assert mailoutbox == []
    assert Suppression.objects.filter(email="nadia@example.org").exists()


def test_a_closed_list_has_no_public_form(mailing_list):
    services.mailing_list_update(mailing_list=mailing_list, is_open=False)
    url = reverse("newsletters:subscribe", args=[mailing_list.code])
    assert Client().get(url).status_code == 404
