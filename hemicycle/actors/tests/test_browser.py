"""The actors module in a real browser (headless Chromium, as core/tests/test_browser.py):
filter by canton on the list and on the map, then log a field visit with a follow-up."""

import datetime
import os
import re

import pytest
from django.urls import reverse

from hemicycle.accounts.roles import Role
from hemicycle.actors.models import Actor, Interaction
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ensure_territory() -> None:
    """Transactional tests flush the database: the Nord may be gone, load it again."""
    from hemicycle.territory.models import Canton
    from hemicycle.territory.services import territory_load

    if not Canton.objects.filter(code="59025").exists():
        territory_load(departements=["59"])


def test_a_staff_member_filters_by_canton_on_list_and_map_then_logs_a_field_visit(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_territory()
    demo = demo_build(territory=False)
    staff, workspace = demo.users[Role.STAFF], demo.workspace
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(reverse("actors:actor-list", args=[workspace.slug]))
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_have_text("Acteurs locaux")

    # The list, filtered by canton: the count is the directory's.
    in_lille3 = Actor.objects.filter(workspace=workspace, cantons__code="59025",
                                     merged_into=None).count()
    assert in_lille3 > 0
    page.select_option("#f-canton", "59025")
    page.locator("[data-testid=actor-filters] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"canton=59025"))
    expect(page.locator("[data-testid=count] .stat")).to_have_text(str(in_lille3))

    # The same filter on the map: cantons drawn (no tile server), the same count of points.
    page.get_by_role("link", name="Voir sur la carte").click()
    expect(page).to_have_url(re.compile(r"/carte/\?.*canton=59025"))
    located = Actor.objects.filter(workspace=workspace, cantons__code="59025",
                                   merged_into=None).exclude(latitude=None).count()
    expect(page.locator("#map-count")).to_have_text(re.compile(rf"^{located} "))
    expect(page.locator(".leaflet-overlay-pane path.leaflet-interactive").first).to_be_attached()
    assert page.locator(".leaflet-tile").count() == 0
    assert page.locator("#f-canton").input_value() == "59025"

    # A field visit, from an actor's page, with an élue and a follow-up in a month.
    actor = Actor.objects.filter(workspace=workspace, cantons__code="59025",
                                 type="organisation").order_by("name").first()
    page.goto(reverse("actors:actor-detail", args=[workspace.slug, actor.code]))
    page.get_by_role("link", name="Noter un échange").first.click()
    form = page.locator("[data-testid=interaction-form]")
    expect(form.locator("[data-testid=chosen-actors]")).to_contain_text(actor.name)
    expect(form.locator("#id_kind")).to_have_value("field_visit")
    form.locator("#id_title").fill("Sortie terrain : visite du local")
    form.locator("#id_elected").get_by_label("Maëlle Dufresne").check()
    follow_up = datetime.date.today() + datetime.timedelta(days=30)
    form.locator("#id_follow_up_on").fill(follow_up.isoformat())
    form.locator("#id_notes").fill("Besoin d'un local plus grand ; relancer la mairie.")
    form.locator("button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(str(actor.code))))
    expect(page.locator("[data-testid=timeline]")).to_contain_text("visite du local")
    interaction = Interaction.objects.get(title="Sortie terrain : visite du local")
    assert interaction.kind == "field_visit" and interaction.follow_up_on == follow_up
    assert Actor.objects.get(pk=actor.pk).next_follow_up_on == follow_up
    assert not problems, problems
