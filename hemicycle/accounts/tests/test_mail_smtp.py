"""E-mails go out through a real SMTP server (aiosmtpd on loopback), and their links work.

The rest of the suite uses the in-memory backend; here Django's SMTP backend talks to a
server, so the message is really encoded, sent and parsed back.
"""

import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from hemicycle.accounts import services
from hemicycle.accounts.models import Membership
from hemicycle.accounts.roles import Role
from hemicycle.conftest import PASSWORD

NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def only_link(self) -> str:
        """The path of the one link of the one message received."""
        assert len(self.messages) == 1, f"{len(self.messages)} messages received"
        body = self.messages[0].get_body(preferencelist=("plain",)).get_content()
        links = re.findall(r"https?://\S+", body)
        assert len(links) == 1, body
        return urlsplit(links[0]).path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    yield handler
    controller.stop()


def test_an_invitation_goes_out_by_smtp_and_its_link_makes_a_member(
    inbox, alice, workspace, client, django_capture_on_commit_callbacks
):
    # The e-mail leaves once the invitation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(workspace=workspace, email="Nina@Example.org",
                                   role=Role.STAFF, by=alice)
    assert inbox.recipients == [["nina@example.org"]]
    assert workspace.name in inbox.messages[0]["Subject"]
    link = inbox.only_link()

    page = client.get(link)
    assert page.status_code == 200
    assert workspace.name in page.content.decode()
    response = client.post(link, {
        "full_name": "Nina Nouvelle", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert response.url == f"/w/{workspace.slug}/"
    dashboard = client.get(response.url)
    assert dashboard.status_code == 200
    assert workspace.name in dashboard.content.decode()
    membership = Membership.objects.get(workspace=workspace, user__email="nina@example.org")
    assert membership.role == Role.STAFF
    # The link is spent.
    assert client.get(link).status_code == 404


def test_a_password_reset_goes_out_by_smtp_and_its_link_sets_the_password(inbox, alice, client):
    response = client.post("/compte/mot-de-passe/", {"email": "ALICE@example.org"})
    assert response.status_code == 302
    assert inbox.recipients == [["alice@example.org"]]
    link = inbox.only_link()

    # Django swaps the token in the URL for a session key, then shows the form.
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(set_password_url, {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert done.status_code == 302

    logged = client.post("/compte/connexion/", {"email": alice.email, "password": NEW_PASSWORD})
    assert logged.status_code == 302
    assert client.get("/compte/profil/").status_code == 200
    client.logout()
    old = client.post("/compte/connexion/", {"email": alice.email, "password": PASSWORD})
    assert old.status_code == 200  # the old password no longer works: the form again
