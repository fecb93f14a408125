"""Fixtures of the newsletters app: a real SMTP server on loopback, an audience source,
a list with subscribers."""

import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from hemicycle.core import audiences
from hemicycle.core.audiences import Audience, AudienceSource, Recipient
from hemicycle.newsletters import services
from hemicycle.newsletters.models import Subscriber


class Inbox:
    """An aiosmtpd handler that keeps every message it receives, and can refuse some."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.raw.append(envelope.content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, email: str) -> EmailMessage:
        found = [m for m in self.messages if email in str(m["To"])]
        assert len(found) == 1, f"{len(found)} messages to {email}"
        return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", text)


def path_of(url: str) -> str:
    return urlsplit(url).path


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture(autouse=True)
def journal_dir(settings, tmp_path):
    """The send worker's hand-over journals go to a directory of the test's own."""
    settings.NEWSLETTER_JOURNAL_DIR = str(tmp_path / "journal")
    return tmp_path / "journal"


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.NEWSLETTER_RATE_PER_HOUR = 0
    yield handler
    controller.stop()


# A directory of people, as the actors module would register it: a segment for the
# newsletter (consent applied by the source) and a press list.
PEOPLE = {
    "newsletter": [Recipient("lea.martin@example.org", "Léa Martin", "test.person:1"),
                   Recipient("Karim.Haddad@example.org", "Karim Haddad", "test.person:2")],
    "press": [Recipient("redaction@lavoixdunord.example", "Rédaction La Voix du Nord",
                        "test.person:3"),
              Recipient("julie.roussel@france3.example", "Julie Roussel", "test.person:4")],
}


@pytest.fixture
def audience_source(monkeypatch):
    def audience_list(workspace, purpose):
        label = "Habitant·e·s de Lille-3" if purpose == "newsletter" else "Fichier presse"
        return [Audience(purpose, label, len(PEOPLE[purpose]))]

    def recipients(workspace, code, purpose):
        return PEOPLE[purpose] if code == purpose else []

    source = AudienceSource("test.people", "Annuaire de test", audience_list, recipients)
    # Only this source, whatever other modules registered.
    monkeypatch.setattr(audiences, "AUDIENCE_SOURCES", {source.key: source})
    return source


@pytest.fixture
def mailing_list(workspace):
    return services.mailing_list_create(
        workspace=workspace, name="La lettre du groupe",
        consent_text="J'accepte de recevoir la lettre du groupe par e-mail.")


def add_subscribers(mailing_list, emails: list[str]) -> list[Subscriber]:
    return [Subscriber.objects.create(
        mailing_list=mailing_list, email=email, name=email.split("@")[0].title(),
        status=Subscriber.Status.SUBSCRIBED, consent=mailing_list.current_consent())
        for email in emails]
