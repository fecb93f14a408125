"""In a real browser: compose a post for the website and Mastodon with live counters,
make a quote card for it (with its preview), validate it, and schedule it from the
calendar. Headless Debian Chromium through Playwright, as in core/tests/test_browser.py."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401
from hemicycle.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_composes_a_post_with_a_quote_card_and_schedules_it_from_the_calendar(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo = demo_build(territory=False)
    admin, workspace = demo.users[Role.ADMIN], demo.workspace
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(f"/w/{workspace.slug}/publications/")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("Calendrier éditorial")

    # Compose: two channels, the live counter follows the text as Mastodon counts it.
    page.get_by_role("link", name="Nouvelle publication").first.click()
    page.fill("#id_title", "Transports à la demande dans l’Avesnois")
    page.fill("#id_body", "Réunion publique jeudi à Avesnes-sur-Helpe.")
    site = page.locator("[data-testid=channel-row-wordpress]")
    mastodon = page.locator("[data-testid=channel-row-mastodon]")
    site.locator("input[type=checkbox]").check()
    mastodon.locator("input[type=checkbox]").check()
    mastodon.locator("textarea").fill("Jeudi 18 h 30 : réunion publique https://exemple.fr/avesnois")
    expected = len("Jeudi 18 h 30 : réunion publique ") + 23  # a link counts 23
    expect(mastodon.locator(".counter .count")).to_have_text(str(expected))
    mastodon.locator("textarea").fill("é" * 501)
    expect(mastodon.locator(".counter")).to_have_class(re.compile("over"))
    mastodon.locator("textarea").fill("Jeudi 18 h 30 : réunion publique à Avesnes-sur-Helpe #Nord")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main h1")).to_have_text("Transports à la demande dans l’Avesnois")
    post = Post.objects.get(title="Transports à la demande dans l’Avesnois")

    # A quote card for it: the preview is drawn as the form is filled, then attached.
    page.get_by_role("link", name="Créer un visuel citation pour cette publication").click()
    page.fill("#id_quote", "Personne ne doit renoncer à un rendez-vous médical faute de bus.")
    page.fill("#id_speaker_name", "Maëlle Dufresne")
    page.select_option("#id_format", "1080x1350")
    expect(page.locator("#card-preview img")).to_have_attribute(
        "src", re.compile("^data:image/png"))
    page.get_by_role("button", name="Créer le visuel").click()
    expect(page.locator("main h1")).to_have_text("Transports à la demande dans l’Avesnois")
    image = page.locator(".post-images img")
    expect(image).to_have_count(1)
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1080

    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "publishing-post.png", full_page=True)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".post-status")).to_have_text("Validé")

    # The calendar: navigate with htmx, then schedule the post from the list beside it.
    page.get_by_role("link", name="Calendrier", exact=True).first.click()
    heading = page.locator("#calendar h2")
    before = heading.inner_text()
    page.locator("[data-testid=calendar-next]").click()
    expect(heading).not_to_have_text(before)
    expect(page).to_have_url(re.compile(r"vue=mois&date="))
    when = timezone.localtime() + datetime.timedelta(days=1)
    item = page.locator("[data-testid=backlog-post]", has_text="Transports à la demande")
    item.locator("input[type=datetime-local]").fill(when.strftime("%Y-%m-%dT10:15"))
    item.get_by_role("button", name="Programmer").click()
    expect(page.locator(".messages")).to_contain_text("Programmée le")
    page.goto(f"/w/{workspace.slug}/publications/?vue=semaine&date={when:%Y-%m-%d}")
    cell = page.locator(f'td[data-date="{when:%Y-%m-%d}"]')
    scheduled = cell.locator("[data-testid=cal-post]", has_text="Transports à la demande")
    expect(scheduled).to_contain_text("10:15")
    page.screenshot(path=screenshots / "publishing-calendar.png", full_page=True)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert {p.channel.kind for p in post.publications.select_related("channel")} == {
        "wordpress", "mastodon"}
    assert post.images.get().quote_card is not None
    assert not problems, problems


def test_an_admin_updates_the_website_s_press_page_with_its_button_on_the_real_wordpress(
        page, live_server, wordpress_site, workspace, alice):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.conftest import PASSWORD
    from hemicycle.publishing.models import Channel, PressPage
    from hemicycle.publishing.tests.conftest import make_channel
    from hemicycle.publishing.tests.test_press_page import send_release, wp_get

    # A release went out before the site was configured: the page does not exist yet.
    release = send_release(workspace, alice, "Mobilités rurales : nos propositions")
    make_channel(workspace, Channel.Kind.WORDPRESS, wordpress_site.url,
                 account=wordpress_site.username, secret=wordpress_site.app_password,
                 name="Site du groupe")
    assert not PressPage.objects.exists()
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(f"/w/{workspace.slug}/publications/page-presse/")
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("Page presse du site")
    expect(page.locator("main")).to_contain_text("La page n’a pas encore été créée sur le site.")
    expect(page.locator("main")).to_contain_text(release.title)
    page.get_by_test_id("press-page-refresh").click()
    expect(page.locator(".messages")).to_contain_text("Page presse du site mise à jour.")
    link = page.get_by_test_id("press-page-link").locator("a")
    expect(link).to_be_visible()
    expect(page.locator("main")).to_contain_text("1 communiqué")

    press_page = PressPage.objects.get()
    assert link.get_attribute("href") == press_page.remote_url
    remote = wp_get(wordpress_site, f"/wp/v2/pages/{press_page.remote_id}")
    assert remote["status"] == "publish" and release.title in remote["content"]["raw"]
    assert press_page.media[str(release.code)]["url"] in remote["content"]["raw"]
    assert not problems, problems
