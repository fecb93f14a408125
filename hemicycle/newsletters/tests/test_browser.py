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


def test_staff_turns_on_open_and_click_measurement_for_one_campaign_in_its_form(
        page, live_server, inbox, mailing_list, sam, workspace):  # noqa: F811
    import re

    from playwright.sync_api import expect

    from hemicycle.newsletters.tests.conftest import add_subscribers, html_part

    add_subscribers(mailing_list, ["nadia.benali@example.org"])
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.goto(reverse("newsletters:campaign-create", args=[workspace.slug]))
    page.fill("input[name=email]", sam.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")

    # Off by default, with the notice and the CNIL's expectation beside the boxes.
    opens, clicks = page.get_by_label("mesurer les ouvertures"), page.get_by_label(
        "mesurer les clics")
    expect(opens).not_to_be_checked()
    expect(clicks).not_to_be_checked()
    expect(page.get_by_test_id("tracking-notice")).to_contain_text("CNIL")
    page.fill("input[name=subject]", "La lettre de janvier")
    page.fill("textarea[name=body]", "Le budget en détail : https://example.org/budget-2027")
    page.select_option("select[name=mailing_list]", str(mailing_list.pk))
    opens.check()
    clicks.check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("main h1")).to_have_text("La lettre de janvier")
    campaign = Campaign.objects.get(subject="La lettre de janvier")
    assert campaign.track_opens and campaign.track_clicks

    # Sent: the message carries the pixel and a counted link; both are measured.
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("campaign-status")).to_have_text("envoyée")
    (letter,) = inbox.messages
    html = html_part(letter)
    (opened,) = re.findall(r'<img src="[^"]*(/lettres/o/[^"]+)"', html)
    (counted,) = re.findall(r'href="[^"]*(/lettres/c/[^"]+)"', html)
    assert page.request.get(opened).headers["content-type"] == "image/gif"
    redirect = page.request.get(counted, max_redirects=0)
    assert redirect.status == 302
    assert redirect.headers["location"] == "https://example.org/budget-2027"
    page.reload()
    expect(page.get_by_test_id("count-opens")).to_have_text("1")
    expect(page.get_by_test_id("link-clicks")).to_contain_text("example.org/budget-2027")
    expect(page.get_by_test_id("link-clicks").locator("tbody td").nth(1)).to_have_text("1")

    # The register of processing now names it.
    page.goto(reverse("actors:privacy", args=[workspace.slug]))
    expect(page.locator("#registre")).to_contain_text(
        "Activée pour 1 campagne : « La lettre de janvier ».")
    assert not problems, problems
