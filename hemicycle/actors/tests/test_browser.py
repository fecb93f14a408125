"""The actors module in a real browser (headless Chromium, as core/tests/test_browser.py):
filter by canton on the list and on the map, then log a field visit with a follow-up;
filter by canton and theme, save the filter as a segment and reopen it; end
and delete relations; rename and delete themes and segments; print the map."""

import datetime
import os
import re

import pytest
from django.urls import reverse

from hemicycle.accounts.roles import Role
from hemicycle.actors.models import Actor, Interaction, Relation, Segment, Theme
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ensure_territory() -> None:
    """Transactional tests flush the database: the Nord may be gone, load it again."""
    from hemicycle.territory.models import Canton
    from hemicycle.territory.services import territory_load

    if not Canton.objects.filter(code="59025").exists():
        territory_load(departements=["59"])


def staff_logs_in(tab, path):
    """The demo, and its staff member logged in on ``path(workspace)``; returns (demo,
    problems): every HTTP error and JavaScript error seen from then on."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ensure_territory()
    demo = demo_build(territory=False)
    problems: list[str] = []
    tab.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
           and problems.append(f"{r.status} {r.request.method} {r.url}"))
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.goto(path(demo.workspace))
    tab.fill("input[name=email]", demo.users[Role.STAFF].email)
    tab.fill("input[name=password]", demo.password)
    tab.click("main form button[type=submit]")
    return demo, problems


def test_a_staff_member_filters_by_canton_on_list_and_map_then_logs_a_field_visit(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo, problems = staff_logs_in(
        page, lambda workspace: reverse("actors:actor-list", args=[workspace.slug]))
    workspace = demo.workspace
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


def test_a_staff_member_filters_by_canton_and_theme_then_saves_and_reopens_a_segment(
        page, live_server):  # noqa: F811
    from django.db.models import Count
    from playwright.sync_api import expect

    from hemicycle.actors.queries import actor_filter

    demo, problems = staff_logs_in(
        page, lambda workspace: reverse("actors:actor-list", args=[workspace.slug]))
    workspace = demo.workspace
    ecology = Theme.objects.get(workspace=workspace, parent=None, name="Écologie")
    # The canton with the most actors under Écologie or one of its sub-themes.
    canton = (Actor.objects.filter(workspace=workspace, merged_into=None,
                                   themes__in=ecology.descendant_ids())
              .values("cantons__code").annotate(n=Count("id", distinct=True))
              .order_by("-n", "cantons__code").first()["cantons__code"])
    filters = {"canton": canton, "theme": str(ecology.code)}
    expected = actor_filter(workspace, filters).count()
    assert 0 < expected < actor_filter(workspace, {"canton": canton}).count()

    page.select_option("#f-canton", canton)
    page.select_option("#f-theme", str(ecology.code))
    page.locator("[data-testid=actor-filters] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"canton={canton}.*|theme=.*canton={canton}"))
    expect(page.locator("[data-testid=count] .stat")).to_have_text(str(expected))

    # The same two filters on the map.
    page.get_by_role("link", name="Voir sur la carte").click()
    located = actor_filter(workspace, filters).exclude(latitude=None).count()
    expect(page.locator("#map-count")).to_have_text(re.compile(rf"^{located} "))
    assert page.locator("#f-theme").input_value() == str(ecology.code)

    # Saved as a segment from the list, then reopened from the segments card.
    page.go_back()
    page.fill("#segment-name", "Écologie, canton choisi")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("main")).to_contain_text("Segment « Écologie, canton choisi » enregistré")
    segment = Segment.objects.get(workspace=workspace, name="Écologie, canton choisi")
    assert segment.filters == filters
    page.goto(reverse("actors:actor-list", args=[workspace.slug]))
    page.get_by_role("link", name="Écologie, canton choisi").click()
    expect(page.locator("[data-testid=count] .stat")).to_have_text(str(expected))
    assert page.locator("#f-canton").input_value() == canton
    assert not problems, problems


def _actions_of(tab, relation: Relation):
    """The "Modifier" box of one relation on the actor's page, opened."""
    box = tab.locator("details.relation-actions").filter(
        has=tab.locator(f"form[action*='{relation.code}']"))
    box.locator("summary").first.click()
    return box


def test_a_staff_member_ends_a_relation_then_deletes_another_from_the_actor_page(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo, problems = staff_logs_in(
        page, lambda workspace: reverse("actors:actor-list", args=[workspace.slug]))
    workspace = demo.workspace
    person = Actor.objects.filter(
        workspace=workspace, type="person", erased_at=None, relations_out__end_on=None,
        relations_out__start_on__isnull=False).order_by("name").first()
    relation = person.relations_out.filter(end_on=None, start_on__isnull=False).first()
    page.goto(reverse("actors:actor-detail", args=[workspace.slug, person.code]))

    # A date before the start is refused, in French, and nothing changes.
    box = _actions_of(page, relation)
    too_early = relation.start_on - datetime.timedelta(days=1)
    box.locator("input[name=end_on]").fill(too_early.isoformat())
    box.get_by_role("button", name="Terminer").click()
    expect(page.locator(".messages")).to_contain_text("La date de fin précède le début")
    assert Relation.objects.get(pk=relation.pk).end_on is None

    # Ended today: the page shows the years, the box no longer offers "Terminer".
    today = datetime.date.today()
    box = _actions_of(page, relation)
    box.locator("input[name=end_on]").fill(today.isoformat())
    box.get_by_role("button", name="Terminer").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Relation terminée le {today:%d/%m/%Y}.")
    expect(page).to_have_url(re.compile(re.escape(str(person.code))))
    assert Relation.objects.get(pk=relation.pk).end_on == today
    box = _actions_of(page, relation)
    expect(box.get_by_role("button", name="Terminer")).to_have_count(0)

    # Deleting asks for a confirmation, then the relation is gone from the page.
    box.locator("details summary", has_text="Supprimer").click()
    box.get_by_role("button", name="Confirmer la suppression").click()
    expect(page.locator(".messages")).to_contain_text("Relation supprimée.")
    assert not Relation.objects.filter(pk=relation.pk).exists()
    expect(page.locator(f"form[action*='{relation.code}']")).to_have_count(0)
    assert not problems, problems


def test_a_staff_member_renames_themes_and_segments_and_deletes_only_unused_ones(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo, problems = staff_logs_in(
        page, lambda workspace: reverse("actors:theme-list", args=[workspace.slug]))
    workspace = demo.workspace
    expect(page.locator("main h1")).to_have_text("Thèmes des acteurs")
    ecology = Theme.objects.get(workspace=workspace, name="Écologie", parent=None)
    used = ecology.children.filter(actors__isnull=False).distinct().first()
    in_use = used.actors.count()

    # Renamed: the list shows the new name.
    item = page.locator("li").filter(has=page.locator(f"#theme-{used.code}"))
    item.locator("summary").first.click()
    item.locator(f"#theme-{used.code}").fill("Mobilités douces")
    item.get_by_role("button", name="Renommer").click()
    expect(page.locator(".messages")).to_contain_text("Thème renommé.")
    expect(page.locator("main")).to_contain_text("Mobilités douces")
    assert Theme.objects.get(pk=used.pk).name == "Mobilités douces"

    # A theme given to actors is not deleted, and the message says why.
    item = page.locator("li").filter(has=page.locator(f"#theme-{used.code}"))
    item.locator("summary").first.click()
    item.get_by_role("button", name="Supprimer ce thème").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Le thème « Mobilités douces » est attribué à {in_use} acteur(s)")
    assert Theme.objects.filter(pk=used.pk).exists()

    # Segments, on the list: save the current filter, rename it, then delete it.
    page.goto(reverse("actors:actor-list", args=[workspace.slug]) + "?canton=59025&email=1")
    page.fill("#segment-name", "Lille-3 avec e-mail")
    page.locator("form[action$='/segments/']").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Segment « Lille-3 avec e-mail »")
    segment = Segment.objects.get(workspace=workspace, name="Lille-3 avec e-mail")
    assert segment.filters == {"canton": "59025", "email": "1"}
    item = page.locator("li").filter(has=page.locator(f"#segment-{segment.code}"))
    item.locator("summary").first.click()
    item.locator(f"#segment-{segment.code}").fill("Lille-3 joignables")
    item.get_by_role("button", name="Renommer").click()
    expect(page.locator(".messages")).to_contain_text("Segment renommé.")
    expect(page.get_by_role("link", name="Lille-3 joignables")).to_be_visible()
    item = page.locator("li").filter(has=page.locator(f"#segment-{segment.code}"))
    item.locator("summary").first.click()
    item.get_by_role("button", name="Supprimer ce segment").click()
    expect(page.locator(".messages")).to_contain_text("Segment supprimé.")
    expect(page.get_by_role("link", name="Lille-3 joignables")).to_have_count(0)
    assert not Segment.objects.filter(pk=segment.pk).exists()
    assert not problems, problems


def test_a_staff_member_prints_the_filtered_map_with_its_legend_and_canton_table(
        page, live_server):  # noqa: F811
    from playwright.sync_api import expect

    demo, problems = staff_logs_in(
        page, lambda workspace: reverse("actors:map", args=[workspace.slug]) + "?canton=59025")
    workspace = demo.workspace
    ecology = Theme.objects.get(workspace=workspace, name="Écologie", parent=None)
    expect(page.locator("#map-count")).to_have_text(re.compile(r"^\d+ "))
    # Add the theme to the canton in the filter form, then open the printable view.
    page.select_option("#f-theme", str(ecology.code))
    page.locator("[data-testid=actor-filters] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"theme="))
    page.get_by_test_id("map-print-link").click()
    expect(page).to_have_url(re.compile(r"/carte/imprimer/\?.*canton=59025"))

    title = page.get_by_test_id("map-print-title")
    expect(title).to_contain_text("Canton : Lille-3")
    expect(title).to_contain_text("Thème : Écologie")
    expect(page.get_by_test_id("map-print-legend").locator("li").first).to_be_visible()
    found = Actor.objects.filter(
        workspace=workspace, merged_into=None, cantons__code="59025",
        themes__in=[ecology, *ecology.children.all()]).distinct()
    assert found.count() > 0
    table = page.get_by_test_id("map-print-cantons")
    lille3 = table.locator("tr").filter(has_text="Lille-3")
    expect(lille3.locator("td").nth(1)).to_have_text(str(found.count()))
    # The map itself is drawn from the same feeds: the cantons and the markers.
    expect(page.locator(".leaflet-overlay-pane path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#map-count")).to_have_text(
        re.compile(rf"^{found.exclude(latitude=None).count()} "))
    assert not problems, problems
