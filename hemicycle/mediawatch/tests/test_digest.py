"""The daily digest goes out through a real SMTP server (aiosmtpd on loopback), once a day."""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

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
    assert services.digests_send(everyone=True) == 0
    assert inbox.messages == []
    assert DigestSubscription.objects.count() == 1


def test_the_next_digest_covers_only_what_came_after_the_previous_one(
        inbox, workspace, sam, sam_client, clippings):
    subscribe(sam_client, workspace)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DigestSubscription.objects.update(last_sent_on=yesterday,
                                      last_sent_at=timezone.now() - datetime.timedelta(hours=1))
    Clipping.objects.filter(url=BUS.url).update(
        created_at=timezone.now() - datetime.timedelta(hours=2))
    services.digest_send(workspace=workspace, everyone=True)
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
    assert services.digests_send(everyone=True) == 0
    assert DigestSubscription.objects.get().last_sent_on is None  # to be sent again
    assert not Digest.objects.exists()


def test_a_subscription_is_in_the_member_s_personal_data(workspace, sam, sam_client):
    from hemicycle.core.privacy import personal_data_export

    subscribe(sam_client, workspace)
    exported = personal_data_export(sam)
    assert exported["mediawatch_digest"] == [
        {"workspace": workspace.name,
         "since": DigestSubscription.objects.get().created_at.isoformat(),
         "time": "07:00", "time_zone": "Europe/Paris"}]


PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, minute: int = 0, zone=PARIS, days: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def test_each_subscriber_gets_the_digest_at_the_time_they_chose(
        inbox, workspace, sam, sam_client, bob, bob_client, clippings):
    subscribe(sam_client, workspace)  # 07:00 in Paris by default
    response = bob_client.post(reverse("mediawatch:digest-subscription", args=[workspace.slug]),
                               {"abonner": "1", "send_at": "18:30",
                                "time_zone": "Indian/Reunion"}, follow=True)
    assert "chaque jour à 18:30" in response.content.decode()
    bob_sub = DigestSubscription.objects.get(user=bob)
    assert (bob_sub.send_at, bob_sub.time_zone) == (datetime.time(18, 30), "Indian/Reunion")
    Clipping.objects.update(created_at=at(6, 0) - datetime.timedelta(hours=1))

    assert services.digests_send(now=at(6, 59)) == 0  # nobody's time yet
    assert services.digests_send(now=at(7, 0)) == 1
    assert [m["To"] for m in inbox.messages] == ["sam@example.org"]
    assert services.digests_send(now=at(9, 0)) == 0  # sam served today; bob later
    # 18:30 in La Réunion is 15:30 in Paris (UTC+4 against UTC+1 in winter).
    reunion = ZoneInfo("Indian/Reunion")
    assert services.digests_send(now=at(18, 29, zone=reunion)) == 0
    assert services.digests_send(now=at(18, 30, zone=reunion)) == 1
    assert [m["To"] for m in inbox.messages] == ["sam@example.org", "bob@example.org"]
    assert "2 article(s)" in inbox.messages[1]["Subject"]
    digest = Digest.objects.get()
    assert digest.recipient_count == 2 and digest.clipping_count == 2
    # The next morning sam gets what came since, and only that.
    assert services.digests_send(now=at(7, 0, days=1)) == 1
    assert len(inbox.messages) == 2  # nothing new: no mail, but sam is served


def test_the_next_wake_up_is_the_earliest_time_due(workspace, sam, sam_client, bob,
                                                   bob_client):
    from hemicycle.mediawatch.tasks import next_digest_time

    subscribe(sam_client, workspace)
    bob_client.post(reverse("mediawatch:digest-subscription", args=[workspace.slug]),
                    {"abonner": "1", "send_at": "06:50", "time_zone": "Europe/Paris"})
    assert next_digest_time(at(6, 45)) == at(6, 50)
    assert next_digest_time(at(6, 0)) == at(6, 15)  # at most fifteen minutes away
    assert next_digest_time(at(6, 55)) == at(6, 56)  # due: a minute later
    DigestSubscription.objects.update(last_sent_on=timezone.localdate())
    assert next_digest_time(at(23, 0)) == at(23, 15)


def test_a_bad_time_or_zone_is_refused_in_french(workspace, sam, sam_client):
    response = sam_client.post(reverse("mediawatch:digest-subscription", args=[workspace.slug]),
                               {"abonner": "1", "send_at": "25:99", "time_zone": "Mars/Olympus"},
                               follow=True)
    text = response.content.decode()
    assert "Indiquez une heure" in text and not DigestSubscription.objects.exists()
