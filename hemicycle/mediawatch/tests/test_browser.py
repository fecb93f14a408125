"""In a real browser (headless Chromium): read today's media-watch inbox of the demo, with
its cross-posted copies grouped, and tag a clipping without leaving the page (htmx)."""

import pytest
from django.conf import settings

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 (fixtures)
from hemicycle.mediawatch.demo import ARTICLES
from hemicycle.mediawatch.models import Clipping

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("mediawatch_demo_only")]


def test_staff_reads_today_s_inbox_and_tags_a_clipping(page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo = demo_build(territory=False)
    staff, workspace = demo.users[Role.STAFF], demo.workspace
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(f"/w/{workspace.slug}/")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    panel = page.locator("[data-testid=panel-mediawatch]")
    expect(panel).to_contain_text(f"{len(ARTICLES)} articles aujourd’hui")
    panel.get_by_role("link", name="La boîte de réception du jour").click()

    # Today's inbox: one entry per article, the copies grouped under it.
    rows = page.locator("[data-testid=clipping]")
    expect(rows).to_have_count(len(ARTICLES))
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "mediawatch_inbox.png", full_page=True)
    budget = rows.filter(has_text="Budget 2027")
    expect(budget).to_have_count(1)
    expect(budget).to_contain_text("vu dans 3 sources")
    expect(budget.locator("[data-testid=alert]").filter(has_text="Collèges")).to_have_count(1)

    # Tag another one: the row is replaced in place, the page is not reloaded.
    row = rows.filter(has_text="Ehpad de Tourcoing")
    page.evaluate("window.notReloaded = true")
    row.get_by_text("Étiqueter").click()
    row.get_by_label("Tonalité").select_option(label="Défavorable")
    row.get_by_label("Thèmes (séparés par des virgules)").fill("Autonomie, Ehpad")
    row.get_by_role("button", name="Enregistrer").click()
    row = page.locator("[data-testid=clipping]").filter(has_text="Ehpad de Tourcoing")
    expect(row.locator("[data-testid=tone]")).to_have_text("Défavorable")
    expect(row.locator("[data-testid=topic]")).to_have_text(["Autonomie", "Ehpad"])
    assert page.evaluate("window.notReloaded") is True

    # Marked read from the list, then filtered by its new topic.
    row.get_by_role("button", name="Marquer lu").click()
    expect(page.locator("[data-testid=clipping]").filter(has_text="Ehpad de Tourcoing")
           .get_by_role("button", name="Marquer non lu")).to_be_visible()
    page.reload()  # the filter lists the new topic
    page.select_option("#f-theme", label="Ehpad")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("[data-testid=clipping]")).to_have_count(1)

    clipping = Clipping.objects.get(workspace=workspace, title__startswith="Ehpad de Tourcoing")
    assert clipping.tone == "negative" and clipping.read_at is not None
    assert sorted(t.name for t in clipping.topics.all()) == ["Autonomie", "Ehpad"]
    assert not problems, problems
