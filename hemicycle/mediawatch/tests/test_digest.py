"""The daily digest goes out through a real SMTP server (aiosmtpd on loopback), once a day."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hemicycle.mediawatch import services
from hemicycle.mediawatch.models import Clipping, Digest, DigestSubscription, KeywordRule
from hemicycle.mediawatch.tasks import mediawatch_digest_task
from hemicycle.mediawatch.tests.conftest import BUS, COLLEGES

pytestmark = pytest.mark.django_db


def subscribe(client, workspace, on: bool = True):
    return client.post(reverse("mediawatch:digest-subscription", args=[workspace.slug]),
                       {"abonner": "1" if on else "0"})


def test_subscribers_get_one_digest_with_both_parts_and_working_links(
        inbox, workspace, alice, sam, bob_client, bob, sam_client, clippings):
    KeywordRule.objects.create(workspace=workspace, name="Collèges", query="collège")
    services.rule_apply(rule=KeywordRule.objects.get())
    subscribe(sam_client, workspace)
    subscribe(bob_client, workspace)
    call_command("send_mediawatch_digest", "--workspace", workspace.slug)
    assert sorted(r[0] for r in inbox.recipients) == ["bob@example.org", "sam@example.org"]
    message = inbox.messages[0]
    assert "Revue de presse du" in message["Subject"] and "2 article(s)" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    # Alerts first, then the rest; both parts carry the same clippings.
    assert text.index(COLLEGES.title) < text.index(BUS.title)
    assert "[Collèges]" in text
    assert "Une ligne de bus prolongée jusqu&#x27;à Bailleul" in html
    link = next(line.strip() for line in text.splitlines() if "/veille/articles/" in line)
    page = bob_client.get(urlsplit(link).path)
    assert page.status_code == 200

    # The same day again: nothing more, whatever runs it.
    call_command("send_mediawatch_digest")
    mediawatch_digest_task.enqueue()
    assert len(inbox.messages) == 2
    digest = Digest.objects.get()
    assert (digest.clipping_count, digest.recipient_count) == (2, 2)


def test_an_unsubscribed_or_departed_member_gets_nothing(inbox, workspace, sam, sam_client,
                                                          bob, bob_client, clippings):
    subscribe(sam_client, workspace)
    subscribe(bob_client, workspace)
    subscribe(sam_client, workspace, on=False)
    bob.memberships.all().delete()
    assert services.digests_send() == 1
    assert inbox.messages == []
    assert DigestSubscription.objects.count() == 1


def test_the_next_digest_covers_only_what_came_after_the_previous_one(
        inbox, workspace, sam, sam_client, clippings):
    subscribe(sam_client, workspace)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Digest.objects.create(workspace=workspace, day=yesterday,
                          sent_at=timezone.now() - datetime.timedelta(hours=1))
    Clipping.objects.filter(url=BUS.url).update(
        created_at=timezone.now() - datetime.timedelta(hours=2))
    services.digest_send(workspace=workspace)
    text = inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert COLLEGES.title in text and "Bailleul" not in text  # filed before the last one
    assert Digest.objects.get(day=timezone.localdate()).clipping_count == 1


def test_a_mail_server_failure_leaves_the_digest_to_be_sent_again(
        settings, workspace, sam, sam_client, clippings):
    from hemicycle.accounts.tests.test_mail_smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    subscribe(sam_client, workspace)
    assert services.digests_send() == 0
    assert Digest.objects.get().sent_at is None


def test_a_subscription_is_in_the_member_s_personal_data(workspace, sam, sam_client):
    from hemicycle.core.privacy import personal_data_export

    subscribe(sam_client, workspace)
    exported = personal_data_export(sam)
    assert exported["mediawatch_digest"] == [
        {"workspace": workspace.name,
         "since": DigestSubscription.objects.get().created_at.isoformat()}]
