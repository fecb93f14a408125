"""In a real browser (headless Chromium): read today's media-watch inbox of the demo, with
its cross-posted copies grouped, and tag a clipping without leaving the page (htmx)."""

import pytest
from django.conf import settings
from django.urls import reverse

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


def _log_in(page, workspace, user, password, path: str = "") -> list[str]:  # noqa: F811
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.goto(path or f"/w/{workspace.slug}/veille/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    return problems


def test_a_member_chooses_the_time_and_time_zone_of_the_daily_digest(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.mediawatch.models import DigestSubscription

    demo = demo_build(territory=False)
    elected, workspace = demo.users[Role.ELECTED], demo.workspace
    problems = _log_in(page, workspace, elected, demo.password)
    settings_box = page.get_by_test_id("digest-subscription")
    settings_box.locator("summary").click()
    settings_box.get_by_label("Heure d'envoi").fill("18:30")
    settings_box.get_by_label("Fuseau horaire").select_option(label="La Réunion")
    settings_box.get_by_role("button", name="M’abonner").click()
    expect(page.locator(".messages")).to_contain_text("chaque jour à 18:30")
    expect(page.get_by_test_id("digest-subscription").locator("summary")).to_have_text(
        "Revue quotidienne à 18:30")
    subscription = DigestSubscription.objects.get(workspace=workspace, user=elected)
    assert subscription.send_at.strftime("%H:%M") == "18:30"
    assert subscription.time_zone == "Indian/Reunion"

    # Changed later: the form shows the current choice, the new hour replaces it.
    settings_box = page.get_by_test_id("digest-subscription")
    settings_box.locator("summary").click()
    expect(settings_box.get_by_label("Fuseau horaire")).to_have_value("Indian/Reunion")
    settings_box.get_by_label("Heure d'envoi").fill("06:45")
    settings_box.get_by_role("button", name="Changer l’heure").click()
    expect(page.locator(".messages")).to_contain_text("chaque jour à 06:45")
    subscription.refresh_from_db()
    assert subscription.send_at.strftime("%H:%M") == "06:45"
    assert DigestSubscription.objects.filter(workspace=workspace).count() == 1
    assert not problems, problems


def test_staff_links_a_clipping_to_an_actor_and_a_report_then_sees_it_on_their_pages(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.actors.models import Actor
    from hemicycle.council.models import Report

    demo = demo_build(territory=False)
    staff, workspace = demo.users[Role.STAFF], demo.workspace
    actor = Actor.objects.create(workspace=workspace, name="Association Tourcoing Seniors")
    report = Report.objects.create(workspace=workspace, number="DSOL/2026/114",
                                   title="Plan départemental pour l’autonomie")
    clipping = Clipping.objects.get(workspace=workspace, title__startswith="Ehpad de Tourcoing")
    problems = _log_in(page, workspace, staff, demo.password)

    page.get_by_role("link", name=clipping.title).click()
    expect(page.locator("main h1")).to_have_text(clipping.title)
    links = page.get_by_test_id("links")
    expect(links).to_contain_text("Aucun lien vers un acteur ou un rapport.")
    page.get_by_text("Lier à un acteur ou un rapport").click()
    page.get_by_label("Lier à").select_option(label="Acteur·rice de l'annuaire")
    page.get_by_label("Nom ou numéro").fill("tourcoing seniors")
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(links).to_contain_text("Association Tourcoing Seniors")
    page.get_by_text("Lier à un acteur ou un rapport").click()
    page.get_by_label("Lier à").select_option(label="Rapport du conseil")
    page.get_by_label("Nom ou numéro").fill("DSOL/2026/114")
    page.get_by_role("button", name="Ajouter le lien").click()
    expect(links).to_contain_text("Plan départemental pour l’autonomie")

    # The actor's page: "Dans la presse", with the clipping, its source and tone.
    links.get_by_role("link", name="Association Tourcoing Seniors").click()
    expect(page.locator("main h1")).to_have_text("Association Tourcoing Seniors")
    section = page.get_by_test_id("press-clippings")
    expect(section.locator("h2")).to_contain_text("Dans la presse")
    expect(section.get_by_test_id("press-clipping")).to_have_count(1)
    expect(section).to_contain_text(clipping.title)
    source = clipping.sightings.select_related("source").first().source
    expect(section).to_contain_text(source.name)
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "mediawatch_actor_press.png", full_page=True)

    # The report's page too; its entry leads back to the clipping.
    page.goto(reverse("council:report-detail", args=[workspace.slug, report.code]))
    section = page.get_by_test_id("press-clippings")
    expect(section.get_by_test_id("press-clipping")).to_have_count(1)
    section.get_by_role("link", name=clipping.title).click()
    expect(page.locator("main h1")).to_have_text(clipping.title)
    assert list(actor.clippings.all()) == [clipping]
    assert list(report.clippings.all()) == [clipping]
    assert not problems, problems
