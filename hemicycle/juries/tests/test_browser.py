"""In a real browser on a phone-sized screen: an association applies to the demo's open
AIL call, then a juror scores it. Headless Debian Chromium driven by Playwright."""

import re

import pytest
from django.core import mail

from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser  # noqa: F401 - fixture
from hemicycle.juries.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels


def labelled(text: str) -> re.Pattern:
    """A field's whole label, with or without Django's " :" suffix."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


@pytest.fixture
def phone(browser, live_server):  # noqa: F811 - the imported fixture
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_an_association_applies_from_a_phone(phone, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    demo_build(territory=False)
    problems: list[str] = []
    phone.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
             and problems.append(f"{r.status} {r.url}"))
    phone.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    phone.goto("/appels/ail-lille-3-2026/")
    phone.get_by_role("link", name="Déposer une candidature").click()
    expect(phone.locator("h1")).to_contain_text("Candidater")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide"

    fields = {
        "Nom de la structure": "Les Ateliers du Faubourg",
        "Numéro RNA, SIREN ou SIRET": "W595014321",
        "Adresse du siège": "41 rue Pierre-Legrand",
        "Code postal": "59000",
        "Commune du siège": "Lille",
        "Personne à contacter": "Fatou Sow",
        "E-mail": "fatou@ateliers-faubourg.example.org",
        "Titre du projet": "Atelier couture solidaire",
        "Description": "Des ateliers de couture et de réparation ouverts à toutes et tous.",
        "Budget total (€)": "7400",
        "Montant demandé (€)": "5200",
    }
    for label, value in fields.items():
        phone.get_by_label(labelled(label)).fill(value)
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=screenshots / "juries-apply-phone.png", full_page=True)
    phone.get_by_label("Pièces jointes").set_input_files(files=[{
        "name": "statuts.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n%%EOF\n"}])
    phone.get_by_role("button", name="Envoyer ma candidature").click()
    expect(phone.locator("h1")).to_have_text("Candidature envoyée")

    application = Application.objects.get(structure_name="Les Ateliers du Faubourg")
    assert application.attachments.count() == 1
    # The confirmation mail carries the private link, which opens the file for editing.
    [message] = [m for m in mail.outbox if m.to == ["fatou@ateliers-faubourg.example.org"]]
    link = re.search(r"https?://\S+", message.body).group(0)
    phone.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(phone.locator("h1")).to_contain_text(application.reference)
    expect(phone.get_by_label(labelled("Titre du projet"))).to_have_value(
        "Atelier couture solidaire")
    assert not problems, problems
