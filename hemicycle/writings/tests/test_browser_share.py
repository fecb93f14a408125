"""Share a speech excerpt in a real browser: edit the prefilled excerpt, land on the draft
post, save it and see its quote card. Debian's Chromium, skipped when there is none."""

import re

import pytest
from django.urls import reverse

from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures
from hemicycle.publishing.models import Channel
from hemicycle.publishing.tests.conftest import make_channel
from hemicycle.writings import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_staff_member_shares_an_edited_excerpt_and_gets_a_draft_with_its_quote_card(
        page, live_server, sam, workspace, report, member):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    make_channel(workspace, Channel.Kind.MASTODON, "https://mastodon.example")
    speech = services.writing_create(
        workspace=workspace, by=sam, kind="speech", title="Intervention AIL Lille-3",
        report=report, speaker=member,
        body="Madame la Présidente, chers collègues,\n\nl’enveloppe des Actions d’Intérêt "
             "Local baisse encore. Les associations de Moulins et de Wazemmes en paient le "
             "prix.")
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))

    page.goto(reverse("writings:writing-detail", args=[workspace.slug, speech.code]))
    page.fill("input[name=email]", sam.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    excerpt = page.locator("[data-testid=share-excerpt] textarea[name=excerpt]")
    expect(excerpt).to_have_value(re.compile(r"^L’enveloppe des Actions d’Intérêt Local"))
    excerpt.fill("Les associations de Moulins et de Wazemmes en paient le prix.")
    page.get_by_role("button", name="Créer le brouillon").click()

    expect(page.locator("[data-testid=channel-row-mastodon] textarea")).to_have_value(
        re.compile("« Les associations de Moulins et de Wazemmes en paient le prix. »"))
    page.get_by_role("button", name="Enregistrer").click()
    card = page.get_by_alt_text(re.compile("^Citation de Nora Benaïssa"))
    expect(card).to_be_visible()
    assert card.evaluate("img => img.naturalWidth") > 0
    assert problems == []
