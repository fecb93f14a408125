"""A member's journey in a real browser: headless Chromium driven by Playwright (sync API)
against pytest-django's live server.

The browser is Debian's Chromium (or CHROMIUM_PATH), never one downloaded by
`playwright install`. Without one the tests are skipped, except under CI (CI=true),
where a missing browser is a failure. Run only these: `make test-browser`.
"""

import os
import re
import shutil

import pytest
from django.conf import settings
from django.urls import reverse

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import demo_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAUNCH_ARGS = [
    "--no-sandbox",  # we run as root in CI containers
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        reason = "no Chromium: apt-get install chromium, or set CHROMIUM_PATH"
        if in_ci():
            pytest.fail(f"{reason} (a missing browser fails under CI)", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django's ORM
    # then refuses to run here (SynchronousOnlyOperation) unless told it is safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    # French, whatever the machine's locale: the interface follows Accept-Language.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_member_logs_in_switches_workspace_opens_every_module_and_logs_out(page, live_server):
    from playwright.sync_api import expect

    demo = demo_build(territory=False)
    admin, home, other = demo.users[Role.ADMIN], demo.workspace, demo.other_workspace
    problems: list[str] = []
    # Server errors, and any page, stylesheet or script that fails to load (Chromium asks
    # for /favicon.ico whatever the page says).
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    # A workspace page asks for a login, then comes back to it: the dashboard.
    page.goto(f"/w/{home.slug}/")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login")) + r"\?next="))
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/w/{home.slug}/")
    expect(page.locator("main h1")).to_have_text(home.name)
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "dashboard.png", full_page=True)

    # The switcher lists the admin's two workspaces: over to the other one, and back.
    switcher = page.locator("[data-testid=workspace-switcher]")
    for target in (other, home):
        switcher.locator("summary").click()
        switcher.get_by_role("link", name=target.name).click()
        expect(page).to_have_url(f"{live_server.url}/w/{target.slug}/")
        expect(switcher.locator("summary")).to_contain_text(target.short_name)

    # Every module of the side navigation opens a page with a title.
    hrefs = page.locator("nav.sidenav a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))")
    assert len(hrefs) >= 3, f"the side navigation lists only {hrefs}"
    for href in hrefs:
        with page.expect_navigation() as navigation:
            page.locator(f'nav.sidenav a[href="{href}"]').click()
        assert navigation.value.status == 200, f"{href}: {navigation.value.status}"
        expect(page.locator("h1").first).to_be_visible()

    # The button of the top bar logs out, back to the login form.
    page.locator(f'header.topbar form[action="{reverse("accounts:logout")}"] button').click()
    expect(page).to_have_url(live_server.url + reverse("accounts:login"))
    expect(page.locator("input[name=password]")).to_be_visible()
    assert not problems, problems
