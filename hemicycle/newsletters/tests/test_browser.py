"""In a real browser (headless Chromium, Playwright): a visitor subscribes from the public
form and confirms by the mailed link; a staff member writes and sends a campaign; the
message arrives over SMTP and its unsubscribe link works. Tasks run at once in tests."""

import pytest
from django.urls import reverse

from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures
from hemicycle.newsletters.models import Campaign, Subscriber
from hemicycle.newsletters.tests.conftest import links, path_of, text_part

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_a_visitor_subscribes_and_confirms_then_staff_sends_a_campaign_that_arrives(
        page, live_server, inbox, mailing_list, sam, workspace):  # noqa: F811
    from playwright.sync_api import expect

    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    # The visitor: the public form, the consent text, the box, the button.
    page.goto(reverse("newsletters:subscribe", args=[mailing_list.code]))
    expect(page.get_by_test_id("consent-text")).to_have_text(mailing_list.consent_text)
    page.fill("input[name=email]", "nadia.benali@example.org")
    page.fill("input[name=name]", "Nadia Benali")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Je m'inscris").click()
    expect(page.get_by_test_id("subscribe-done")).to_be_visible()

    # The mailed link, then the confirmation button.
    (confirmation,) = inbox.messages
    (link,) = links(text_part(confirmation))
    page.goto(path_of(link))
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("public-message")).to_contain_text("Inscription confirmée")
    subscriber = Subscriber.objects.get(email="nadia.benali@example.org")
    assert subscriber.status == "subscribed" and subscriber.confirmed_user_agent

    # The staff member writes the campaign and sends it.
    page.goto(reverse("newsletters:campaign-create", args=[workspace.slug]))
    page.fill("input[name=email]", sam.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.fill("input[name=subject]", "La lettre de décembre")
    page.fill("textarea[name=body]", "## Budget\n\nNos **amendements** pour les collèges.")
    page.select_option("select[name=mailing_list]", str(mailing_list.pk))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main h1")).to_have_text("La lettre de décembre")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("campaign-status")).to_have_text("envoyée")
    expect(page.get_by_test_id("count-delivered")).to_have_text("1")
    assert Campaign.objects.get().status == Campaign.Status.SENT

    # It arrived; its unsubscribe link works in the browser.
    confirmation, letter = inbox.messages
    assert letter["To"].addresses[0].addr_spec == "nadia.benali@example.org"
    assert letter["Subject"] == "La lettre de décembre"
    unsubscribe = letter["List-Unsubscribe"].strip().strip("<>")
    page.goto(path_of(unsubscribe))
    page.get_by_test_id("unsubscribe").click()
    expect(page.get_by_test_id("public-message")).to_contain_text("désinscrit")
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert not problems, problems
