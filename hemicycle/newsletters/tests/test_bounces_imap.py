"""Bounces read from a real IMAP mailbox (a private Dovecot on loopback)."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from hemicycle.newsletters.models import Delivery, Subscriber, Suppression
from hemicycle.newsletters.tests.conftest import add_subscribers
from hemicycle.newsletters.tests.imap_server import dovecot  # noqa: F401
from hemicycle.newsletters.tests.test_bounces_press import dsn_for
from hemicycle.newsletters.tests.test_campaign_send import create_and_send

pytestmark = pytest.mark.django_db

HUMAN_REPLY = (b"From: nadia@example.org\r\nTo: retours@example.org\r\n"
               b"Subject: Re: La lettre de novembre\r\n\r\nMerci pour la lettre !\r\n")


def delayed(report: bytes) -> bytes:
    """The same report, but a temporary failure (the server will try again)."""
    return report.replace(b"Action: failed", b"Action: delayed").replace(
        b"Status: 5.1.1", b"Status: 4.4.1")


@pytest.fixture
def mailbox(dovecot, settings):  # noqa: F811
    settings.NEWSLETTER_IMAP_HOST = dovecot.host
    settings.NEWSLETTER_IMAP_PORT = dovecot.port
    settings.NEWSLETTER_IMAP_USER = dovecot.user
    settings.NEWSLETTER_IMAP_PASSWORD = dovecot.password
    settings.NEWSLETTER_IMAP_FOLDER = "INBOX"
    settings.NEWSLETTER_IMAP_SSL = False
    return dovecot


def fetch(capsys) -> str:
    call_command("fetch_bounces")
    return capsys.readouterr().out.strip()


def test_reports_in_the_mailbox_are_applied_once_then_deleted_and_replies_left_read(
        inbox, mailbox, capsys, sam_client, workspace, mailing_list,
        django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org", "parti@example.org",
                                   "plein@example.org"])
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    mailing_list=mailing_list.pk)
    hard = dsn_for(inbox.to("parti@example.org"))
    mailbox.append(hard)
    mailbox.append(delayed(dsn_for(inbox.to("plein@example.org"))))
    mailbox.append(HUMAN_REPLY)

    assert fetch(capsys) == "3 messages read, 2 bounce reports, 1 addresses marked"
    # The hard bounce: address in error, suppressed, counted on the delivery.
    assert Subscriber.objects.get(email="parti@example.org").status == "bounced"
    assert Suppression.objects.filter(workspace=workspace, email="parti@example.org",
                                      reason=Suppression.Reason.BOUNCED).exists()
    assert Delivery.objects.get(email="parti@example.org").bounced_at is not None
    # The temporary failure changes nothing.
    assert Subscriber.objects.get(email="plein@example.org").status == "subscribed"
    assert not Suppression.objects.filter(email="plein@example.org").exists()
    # Reports are deleted from the mailbox; the reply stays, marked read.
    (left,) = mailbox.messages()
    assert left[0].startswith(b"From: nadia@example.org") and "\\Seen" in left[1]

    # A second run finds nothing new.
    assert fetch(capsys) == "0 messages read, 0 bounce reports, 0 addresses marked"
    # The same report delivered again (or a run that died before flagging it) is read but
    # applies nothing twice.
    bounced_at = Delivery.objects.get(email="parti@example.org").bounced_at
    mailbox.append(hard)
    assert fetch(capsys) == "1 messages read, 1 bounce reports, 0 addresses marked"
    assert Delivery.objects.get(email="parti@example.org").bounced_at == bounced_at
    assert Suppression.objects.filter(email="parti@example.org").count() == 1


def test_a_mailbox_that_refuses_the_login_is_a_clear_error(mailbox, settings):
    settings.NEWSLETTER_IMAP_PASSWORD = "pas-le-bon"
    with pytest.raises(CommandError, match="refuse la connexion de « retours »"):
        call_command("fetch_bounces")


def test_the_command_exits_non_zero_when_the_mailbox_refuses_the_login(mailbox):
    env = {**os.environ, "NEWSLETTER_IMAP_HOST": mailbox.host,
           "NEWSLETTER_IMAP_PORT": str(mailbox.port), "NEWSLETTER_IMAP_USER": mailbox.user,
           "NEWSLETTER_IMAP_PASSWORD": "pas-le-bon", "NEWSLETTER_IMAP_SSL": "0"}
    done = subprocess.run([sys.executable, "-m", "hemicycle", "fetch_bounces"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "refuse la connexion" in done.stderr and "Traceback" not in done.stderr


def test_an_unreachable_mailbox_is_a_clear_error(settings):
    from hemicycle.newsletters.tests.conftest import free_port

    settings.NEWSLETTER_IMAP_HOST = "127.0.0.1"
    settings.NEWSLETTER_IMAP_PORT = free_port()
    settings.NEWSLETTER_IMAP_SSL = False
    with pytest.raises(CommandError, match="Boîte des retours injoignable"):
        call_command("fetch_bounces")
