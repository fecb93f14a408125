"""Fixtures of the juries app: a campaign on canton Lille-3 (from the session's real
territory), applications, a drawn college with volunteers, jurors with their links."""

import datetime
import re
import socket
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from hemicycle.juries.models import Application, Campaign, College, Volunteer
from hemicycle.juries.services import campaigns
from hemicycle.territory.models import Canton

CRITERIA = [("Transition écologique", 2), ("Justice sociale", 2), ("Vie démocratique", 1)]


def make_campaign(workspace, *, slug="ail-lille-3-test", open_=True, **extra) -> Campaign:
    today = timezone.localdate()
    opens, closes = (today - datetime.timedelta(days=5), today + datetime.timedelta(days=20)) \
        if open_ else (today - datetime.timedelta(days=60), today - datetime.timedelta(days=1))
    canton = Canton.objects.filter(code="59025").first()
    fields = dict(title="AIL Lille-3 test", public_slug=slug, kind=Campaign.Kind.LOCAL_GRANTS,
                  year=today.year, envelope=87458, opens_on=opens, closes_on=closes,
                  min_amount=1000, max_amount=15000, require_identifier=True,
                  seat_in_territory=True, one_per_structure=True, score_scale=5,
                  rule=Campaign.Rule.GREEDY_SCORE, published=False, description="",
                  decision_body="Commission permanente")
    fields.update(extra)
    return campaigns.campaign_save(workspace=workspace, criteria=CRITERIA,
                                   cantons=[canton] if canton else [], **fields)


@pytest.fixture
def campaign(workspace) -> Campaign:
    return make_campaign(workspace)


APPLICATION = {
    "structure_name": "Les Jardins de Moulins", "legal_form": "Association loi 1901",
    "identifier": "W595012301", "address": "12 rue d'Arras", "postal_code": "59000",
    "commune_name": "Lille", "contact_name": "Inès Haddad",
    "contact_email": "ines@jardins-moulins.example.org", "contact_phone": "",
    "title": "Jardin partagé", "description": "Un jardin ouvert à tout le quartier.",
    "category": "Environnement", "place": "Moulins", "people_reached": "300",
    "total_budget": "14200", "amount_requested": "8500", "other_funding": "",
}


def make_application(campaign, number: int, amount: int, *, status="eligible",
                     **extra) -> Application:
    fields = dict(workspace=campaign.workspace, campaign=campaign, number=number,
                  structure_name=f"Association {number}", identifier=f"W5950123{number:02d}",
                  contact_name="Contact", contact_email=f"c{number}@example.org",
                  title=f"Projet {number}", description="…", total_budget=amount * 2,
                  amount_requested=amount, status=status)
    fields.update(extra)
    return Application.objects.create(**fields)


def make_drawn_college(campaign, volunteers: int = 30, seats: int = 3) -> College:
    college = College.objects.create(
        workspace=campaign.workspace, campaign=campaign, name="Citoyen·ne·s", seats=seats,
        method=College.Method.DRAWN, volunteers_open=True, one_per_household=True,
        quotas=[["genre", "Femme", 1, 2], ["genre", "Homme", 1, 2],
                ["âge", "jeune", 1, 2], ["âge", "senior", 1, 2]])
    for n in range(1, volunteers + 1):
        Volunteer.objects.create(
            workspace=campaign.workspace, college=college, pseudonym=f"V-{n:04d}",
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}", email=f"v{n}@example.org", address=f"{n} rue des Postes",
            postal_code="59000", consent_at=timezone.now(),
            features={"genre": "Femme" if n % 3 else "Homme",
                      "âge": "jeune" if n % 4 else "senior"})
    return college


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def links(self) -> list[str]:
        found = []
        for message in self.messages:
            body = message.get_body(preferencelist=("plain",)).get_content()
            found += [urlsplit(link).path for link in re.findall(r"https?://\S+", body)]
        return found


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


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded attachments land in a temporary directory, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
