"""Crashes, restarts, limits: nobody gets a letter twice, nobody is skipped."""

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from hemicycle.newsletters.models import Campaign, Delivery
from hemicycle.newsletters.sending import campaign_launch, campaign_send, journal_path
from hemicycle.newsletters.tests.conftest import add_subscribers

pytestmark = pytest.mark.django_db

EMAILS = [f"abonne{n}@example.org" for n in range(6)]


@pytest.fixture
def campaign(workspace, mailing_list):
    add_subscribers(mailing_list, EMAILS)
    campaign = Campaign.objects.create(workspace=workspace, subject="Reprise", body="Texte",
                                       mailing_list=mailing_list)
    assert campaign_launch(campaign=campaign) == len(EMAILS)
    campaign.refresh_from_db()
    return campaign


def received(inbox) -> list[str]:
    return sorted(rcpt for _sender, rcpts in inbox.envelopes for rcpt in rcpts)


def test_a_send_stopped_half_way_resumes_where_it_stopped(inbox, campaign):
    first = campaign_send(campaign=campaign, max_messages=2)
    assert (first.sent, first.finished) == (2, False)
    second = campaign_send(campaign=campaign)
    assert (second.sent, second.finished) == (4, True)
    assert received(inbox) == sorted(EMAILS)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT and campaign.worker == ""


def crash_leftovers(campaign, *, claimed: int, handed: int, journal: bool) -> tuple:
    """The state a worker of this host leaves when killed mid-batch: ``claimed`` rows
    marked sending, the first ``handed`` of them written to its journal."""
    dead = f"{socket.gethostname()}:{dead_pid()}:abcd"
    rows = list(campaign.deliveries.order_by("pk")[:claimed])
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=Delivery.Status.SENDING, sent_at=timezone.now())
    Campaign.objects.filter(pk=campaign.pk).update(worker=dead, heartbeat_at=timezone.now())
    if journal:
        path = journal_path(campaign)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [dead] + [str(r.pk) for r in rows[:handed]]
        path.write_text("\n".join(lines) + "\n" + "12")  # and a line cut short
    return rows[:handed], rows[handed:]


def test_after_a_crash_rows_the_journal_shows_as_handed_over_are_not_sent_again(
        inbox, campaign):
    handed, not_handed = crash_leftovers(campaign, claimed=4, handed=1, journal=True)
    report = campaign_send(campaign=campaign)
    assert report.finished and report.sent == len(EMAILS) - 1
    assert received(inbox) == sorted(set(EMAILS) - {handed[0].email})
    handed[0].refresh_from_db()
    assert handed[0].status == Delivery.Status.SENT and handed[0].uncertain
    # The rows claimed but never handed over were sent, once, and are certain.
    assert not Delivery.objects.filter(pk__in=[r.pk for r in not_handed],
                                       uncertain=True).exists()
    assert not journal_path(campaign).exists()


def test_without_the_dead_workers_journal_its_claimed_rows_count_as_sent_never_twice(
        inbox, campaign):
    claimed, _rest = crash_leftovers(campaign, claimed=2, handed=2, journal=False)
    report = campaign_send(campaign=campaign)
    assert report.finished and report.sent == len(EMAILS) - 2
    assert not {r.email for r in claimed} & set(received(inbox))
    assert campaign.deliveries.filter(uncertain=True).count() == 2


def test_a_journal_written_by_another_worker_proves_nothing(inbox, campaign):
    crash_leftovers(campaign, claimed=3, handed=0, journal=False)
    path = journal_path(campaign)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("otherhost:1:ffff\n")
    assert campaign_send(campaign=campaign).sent == len(EMAILS) - 3
    assert campaign.deliveries.filter(uncertain=True).count() == 3


def test_every_message_of_a_batch_is_recorded_sent_without_a_commit_per_message(
        inbox, campaign, django_assert_max_num_queries):
    # Lease, recovery, claim, template, flushes: a fixed number of queries, not one or
    # more per message.
    add_subscribers(campaign.mailing_list, [f"autre{n}@example.org" for n in range(40)])
    other = Campaign.objects.create(workspace=campaign.workspace, subject="Lot",
                                    body="Texte", mailing_list=campaign.mailing_list)
    campaign_launch(campaign=other)
    with django_assert_max_num_queries(25):
        report = campaign_send(campaign=other)
    assert report.finished and report.sent == 46
    assert other.deliveries.filter(status=Delivery.Status.SENT, uncertain=False).count() == 46


def test_a_live_worker_keeps_its_campaign_until_its_lease_expires(inbox, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        worker=f"{socket.gethostname()}:{os.getpid()}:other", heartbeat_at=timezone.now())
    assert campaign_send(campaign=campaign).sent == 0
    assert inbox.messages == []
    Campaign.objects.filter(pk=campaign.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert campaign_send(campaign=campaign).sent == len(EMAILS)


def test_the_hourly_limit_stops_the_send_and_says_when_to_resume(inbox, campaign, settings):
    settings.NEWSLETTER_RATE_PER_HOUR = 4
    report = campaign_send(campaign=campaign)
    assert (report.sent, report.finished) == (4, False)
    assert report.retry_at > timezone.now() + timedelta(minutes=59)
    assert len(inbox.messages) == 4
    # An hour later the rest goes.
    Delivery.objects.filter(campaign=campaign).update(
        sent_at=timezone.now() - timedelta(hours=2))
    assert campaign_send(campaign=campaign).finished
    assert received(inbox) == sorted(EMAILS)


def test_a_mail_server_that_is_down_leaves_everyone_queued(campaign, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_USE_TLS = False
    report = campaign_send(campaign=campaign)
    assert report.sent == 0 and report.retry_at > timezone.now()
    assert campaign.deliveries.filter(status=Delivery.Status.QUEUED).count() == len(EMAILS)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING and campaign.worker == ""


def dead_pid() -> int:
    pid = 999_999
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        pid -= 1


def free_closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_long_paragraph_and_accented_names_survive_the_message_template(
        inbox, workspace, mailing_list):
    from hemicycle.newsletters.composing import MessageTemplate, campaign_compose
    from hemicycle.newsletters.tests.conftest import html_part, text_part

    mailing_list.subscribers.create(email="zoe@example.org", name="Zoé Dûpont-Lefèvre",
                                    status="subscribed")
    paragraph = "Une très longue phrase sur le budget départemental. " * 80
    campaign = Campaign.objects.create(workspace=workspace, subject="Longue", body=paragraph,
                                       mailing_list=mailing_list)
    assert MessageTemplate(campaign_compose(campaign)).usable
    campaign_launch(campaign=campaign)
    assert campaign_send(campaign=campaign).finished
    (message,) = inbox.messages
    assert message["To"].addresses[0].display_name == "Zoé Dûpont-Lefèvre"
    assert "budget départemental. Une très longue" in " ".join(text_part(message).split())
    assert paragraph.split()[-1] in html_part(message)
    assert all(len(line) <= 998 for line in inbox.raw[0].split(b"\r\n"))
