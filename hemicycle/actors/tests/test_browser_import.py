"""Imports, duplicates and GDPR rights in a real browser (headless Chromium, as
core/tests/test_browser.py): upload an RNA file and choose a canton; merge a duplicate pair
field by field, see it in the audit trail and undo it; export then erase a person."""

import csv
import datetime
import io
import json
import random
import re

import pytest
from django.urls import reverse

from hemicycle.actors import services
from hemicycle.actors.models import (
    Actor,
    DuplicateCandidate,
    ImportBatch,
    Interaction,
    Merge,
    Relation,
)
from hemicycle.actors.tests.rna_files import row, write_rna
from hemicycle.actors.tests.test_browser import ensure_territory
from hemicycle.audit.models import AuditEvent
from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures
from hemicycle.territory.models import CommuneCanton

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LILLE = ("59350", "59000", "LILLE")
MONS = ("59410", "59370", "MONS EN BAROEUL")  # one canton
LEZENNES = ("59343", "59260", "LEZENNES")
ORIGINAL = "CHORALE DES AIDANTS DU PONT DE BOIS"
SECOND_DECLARATION = "ASSOCIATION CHORALE DES AIDANTS DU PONT DE BOIS"
SPLIT = "JARDINS DES POSTES DE WAZEMMES"


def rna_file(tmp_path, name="rna_waldec_59.csv"):
    """A small RNA export: 24 ordinary associations of single-canton communes, a pair
    declared twice in Mons-en-Barœul, one in Lille (split across cantons), one dissolved,
    one with a malformed RNA number."""
    rng = random.Random(59)
    places = [MONS, LEZENNES, ("59507", "59790", "RONCHIN"),
              ("59220", "59155", "FACHES THUMESNIL")]
    rows = [row(n, rng, name=f"AMICALE NUMERO {n} DES {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[n]}",
                place=places[n % len(places)]) for n in range(1, 25)]
    rows.append(row(101, rng, name=ORIGINAL, place=MONS))
    rows.append(row(102, rng, name=SECOND_DECLARATION, place=MONS))
    rows.append(row(103, rng, name=SPLIT, place=LILLE))
    rows.append(row(104, rng, name="FOYER RURAL DISSOUS DE LEZENNES", place=LEZENNES,
                    dissolved=True))
    broken = row(105, rng, name="CLUB AU NUMERO ILLISIBLE", place=MONS)
    broken[0] = "X59-12"
    rows.append(broken)
    path = tmp_path / name
    write_rna(path, rows, encoding="latin-1")
    return path


@pytest.fixture
def sam_in_nord(transactional_db, request):
    """Sam, staff of the workspace ``ecolo-nord`` (the Nord loaded again first: the
    transactional tests flush it). Lighter than the whole demo: the files are small."""
    ensure_territory()
    return request.getfixturevalue("sam")


def staff_logs_in(tab, user, path: str) -> list[str]:
    """``user`` logged in on ``path``; returns every HTTP and JavaScript error seen."""
    problems: list[str] = []
    tab.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
           and problems.append(f"{r.status} {r.request.method} {r.url}"))
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.goto(path)
    tab.fill("input[name=email]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("main form button[type=submit]")
    return problems


def count_of(tab, label: str):
    """The value shown after ``label`` in the import's counts."""
    return tab.locator("[data-testid=import-counts] dt", has_text=label).locator(
        "xpath=following-sibling::dd[1]")


def test_a_staff_member_imports_an_rna_file_sees_progress_and_counts_then_chooses_a_canton(
        page, live_server, tmp_path, sam_in_nord, workspace):  # noqa: F811
    from playwright.sync_api import expect

    problems = staff_logs_in(page, sam_in_nord,
                             reverse("actors:import-list", args=[workspace.slug]))
    expect(page.locator("main h1")).to_have_text("Imports d’acteurs")
    before = Actor.objects.filter(workspace=workspace).count()

    # A file of another kind is refused, in French, and nothing is created.
    wrong = tmp_path / "annuaire.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    page.select_option("select[name=format]", "rna")
    page.set_input_files("input[name=file]", str(wrong))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("main form")).to_contain_text("Un fichier .csv ou .xlsx")
    assert not ImportBatch.objects.filter(workspace=workspace).exists()

    # The RNA file (Latin-1, as the older exports are): uploaded, run, reported.
    page.select_option("select[name=format]", "rna")
    page.set_input_files("input[name=file]", str(rna_file(tmp_path)))
    page.get_by_role("button", name="Envoyer").click()
    batch = ImportBatch.objects.get(workspace=workspace)
    expect(page).to_have_url(re.compile(re.escape(str(batch.code))))
    expect(page.locator("main h1")).to_have_text("Import : rna_waldec_59.csv")
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("Terminé")
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and not batch.dry_run
    counts = batch.counts
    assert counts["rows"] == 29
    assert counts["created"] == 27  # 24 + the pair + the Lille one
    assert counts["skipped"] == 1 and counts["errors"] == 1
    assert counts["duplicates"] == 1 and counts["undecided"] == 1
    for label, key in (("Lignes lues", "rows"), ("Créés", "created"),
                       ("Doublons possibles", "duplicates"),
                       ("Ignorés (dissoutes)", "skipped"), ("Erreurs", "errors")):
        expect(count_of(page, label)).to_contain_text(str(counts[key]))
    expect(page.locator("main")).to_contain_text("numéro RNA invalide")
    assert Actor.objects.filter(workspace=workspace).count() == before + 27
    assert not Actor.objects.filter(workspace=workspace, name__icontains="DISSOUS").exists()
    first = Actor.objects.get(workspace=workspace, rna_id="W590000101")
    second = Actor.objects.get(workspace=workspace, rna_id="W590000102")
    assert first.name.upper() == ORIGINAL and first.commune.insee_code == "59410"
    assert "activités de loisirs" in first.description  # Latin-1 recognised
    assert DuplicateCandidate.objects.filter(
        workspace=workspace, first=first, second=second).exists()

    # The association of Lille waits for its canton; the staff member chooses one.
    split = Actor.objects.get(workspace=workspace, rna_id="W590000103")
    lille_cantons = CommuneCanton.objects.filter(commune__insee_code="59350").select_related(
        "canton").order_by("canton__name")
    assert lille_cantons.count() > 1 and split.canton_id is None
    choice = lille_cantons[1].canton
    cantons = page.get_by_test_id("import-cantons")
    expect(cantons).to_contain_text(split.name)
    cantons.get_by_label(f"Canton de {split.name}").select_option(str(choice.pk))
    cantons.get_by_role("button", name="Enregistrer les cantons choisis").click()
    expect(page.locator(".messages")).to_contain_text("Canton précisé pour 1 acteur.")
    expect(page.get_by_test_id("import-cantons")).to_have_count(0)
    split.refresh_from_db()
    assert split.canton_id == choice.pk
    assert list(split.cantons.values_list("pk", flat=True)) == [choice.pk]

    # The report links to the pairs to review; the import is listed, not undone.
    count_of(page, "Doublons possibles").get_by_role("link", name="les examiner").click()
    expect(page.get_by_test_id("duplicates")).to_contain_text(second.name)
    page.goto(reverse("actors:import-list", args=[workspace.slug]))
    expect(page.locator("main")).to_contain_text("rna_waldec_59.csv — Terminé")
    assert Actor.objects.filter(workspace=workspace, import_batch=batch).count() == 27
    assert not problems, problems


def test_a_staff_member_merges_a_duplicate_pair_field_by_field_and_undoes_the_merge(
        page, live_server, tmp_path, sam_in_nord, workspace):  # noqa: F811
    from playwright.sync_api import expect

    problems = staff_logs_in(page, sam_in_nord,
                             reverse("actors:duplicate-list", args=[workspace.slug]))
    services.actors_import_file(workspace=workspace, path=str(rna_file(tmp_path)), fmt="rna")
    first = Actor.objects.get(workspace=workspace, rna_id="W590000101")
    second = Actor.objects.get(workspace=workspace, rna_id="W590000102")
    original, declaration = first.name, second.name  # as shown
    pair = DuplicateCandidate.objects.get(workspace=workspace, first=first, second=second)
    # The second declaration has its own life: a contact, a meeting, an e-mail address.
    services.actor_update(actor=second, data={"email": "chorale.pontdebois@example.org"})
    contact = services.actor_create(workspace=workspace, data={
        "type": Actor.Type.PERSON, "first_name": "Nadia", "last_name": "Vandamme"})
    relation = services.relation_add(source=contact, target=second,
                                     kind=Relation.Kind.PRESIDENT)
    meeting = services.interaction_create(
        workspace=workspace, kind=Interaction.Kind.MEETING, date=datetime.date.today(),
        title="Répétition ouverte au public", actors=[second])
    kept_interactions = set(first.interactions.values_list("pk", flat=True))

    # The list of pairs, then the merge screen of ours.
    page.reload()
    expect(page.locator("main h1")).to_have_text("Doublons possibles")
    line = page.get_by_test_id("duplicates").locator("tr").filter(has_text=declaration)
    expect(line).to_contain_text("Nom proche, même commune")
    line.get_by_role("link", name="Comparer").click()
    expect(page).to_have_url(re.compile(re.escape(str(pair.code))))
    form = page.get_by_test_id("merge-form")
    expect(form).to_contain_text(original)
    expect(form).to_contain_text(declaration)

    # Keep the first record, its name, and take the e-mail (offered by default) and the
    # street of the second one.
    form.get_by_role("group", name="Fiche conservée").get_by_label(original, exact=True).check()
    email_row = form.locator("tr").filter(has_text="chorale.pontdebois@example.org")
    expect(email_row.locator("input[value=second]")).to_be_checked()
    street_row = form.locator("tr").filter(has_text=second.street)
    street_row.locator("input[value=second]").check()
    name_row = form.locator("tr").filter(has_text=declaration).filter(
        has=page.locator("input[name=field_name]"))
    expect(name_row.locator("input[value=first]")).to_be_checked()
    form.get_by_role("button", name="Fusionner").click()
    expect(page.locator(".messages")).to_contain_text(
        f"{declaration} fusionné dans {original}")
    expect(page).to_have_url(re.compile(re.escape(str(first.code))))

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert first.name == original and first.email == "chorale.pontdebois@example.org"
    assert first.street == second.street and first.rna_id == "W590000101"
    assert Relation.objects.get(pk=relation.pk).target_id == first.pk
    assert set(first.interactions.values_list("pk", flat=True)) == kept_interactions | {
        meeting.pk}
    expect(page.locator("[data-testid=timeline]")).to_contain_text(
        "Répétition ouverte au public")
    expect(page.locator("main")).to_contain_text("Nadia Vandamme")
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.MERGED

    # The audit trail shows the merge, by whom.
    page.goto(reverse("audit:event-list", args=[workspace.slug]))
    merge_line = page.locator("main tr, main li").filter(
        has_text=f"{declaration} fusionné dans {original}")
    expect(merge_line.first).to_be_visible()
    assert AuditEvent.objects.filter(workspace=workspace, verb="actors.merge",
                                     actor=sam_in_nord).exists()

    # Undone from the pair's page: the two records, each with its own again.
    page.goto(reverse("actors:duplicate-detail", args=[workspace.slug, pair.code]))
    expect(page.locator("main")).to_contain_text(
        f"{declaration} a été fusionné dans {original}.")
    page.get_by_role("button", name="Annuler la fusion").click()
    expect(page.locator(".messages")).to_contain_text("Fusion annulée.")
    expect(page.get_by_test_id("merge-form")).to_be_visible()
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into_id is None and first.email == ""
    assert Relation.objects.get(pk=relation.pk).target_id == second.pk
    assert set(second.interactions.values_list("pk", flat=True)) == {meeting.pk}
    assert Merge.objects.get(kept=first, merged=second).undone_at is not None
    page.goto(reverse("audit:event-list", args=[workspace.slug]))
    expect(page.locator("main")).to_contain_text(
        f"Fusion annulée : {declaration} séparé de {original}")
    assert not problems, problems


def test_a_staff_member_exports_a_persons_data_then_erases_it_keeping_the_interaction(
        page, live_server, sam_in_nord, workspace):  # noqa: F811
    from playwright.sync_api import expect

    problems = staff_logs_in(page, sam_in_nord,
                             reverse("actors:actor-list", args=[workspace.slug]))
    person = services.actor_create(workspace=workspace, data={
        "type": Actor.Type.PERSON, "first_name": "Hortense", "last_name": "Delcourt",
        "email": "hortense.delcourt@example.org", "phone": "03 20 00 11 22",
        "notes": "Habite près du parc Barbieux."})
    visit = services.interaction_create(
        workspace=workspace, kind=Interaction.Kind.FIELD_VISIT, date=datetime.date.today(),
        title="Visite du jardin avec Hortense Delcourt", notes="Hortense Delcourt demande "
        "un composteur collectif.", actors=[person])
    page.goto(reverse("actors:actor-detail", args=[workspace.slug, person.code]))
    expect(page.locator("main h1")).to_contain_text("Hortense Delcourt")

    # Right of access: the JSON, then the CSV, both about her, with the visit.
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Exporter ses données (JSON)").click()
    download = downloading.value
    assert download.suggested_filename == f"donnees-{person.code}.json"
    with open(download.path(), encoding="utf-8") as exported:
        data = json.load(exported)
    text = json.dumps(data, ensure_ascii=False)
    assert "Hortense" in text and "Delcourt" in text
    assert "hortense.delcourt@example.org" in text
    assert "Visite du jardin avec Hortense Delcourt" in text
    with page.expect_download() as downloading:
        page.get_by_role("link", name="(CSV)").click()
    download = downloading.value
    assert download.suggested_filename == f"donnees-{person.code}.csv"
    with open(download.path(), encoding="utf-8-sig") as exported:
        lines = list(csv.reader(io.StringIO(exported.read())))
    flat = " ".join(" ".join(line) for line in lines)
    assert len(lines) > 3 and "Delcourt" in flat and "Visite du jardin" in flat

    # Erasure: an explanation and a confirmation first, then the page says it is done.
    page.get_by_role("link", name="Effacer ses données").click()
    expect(page.locator("main h1")).to_have_text("Effacer les données de Hortense Delcourt")
    expect(page.locator("main")).to_contain_text("Les échanges restent")
    assert Actor.objects.get(pk=person.pk).erased_at is None
    page.get_by_test_id("erase").click()
    expect(page.locator(".messages")).to_contain_text(
        "Les données de la personne ont été effacées.")
    expect(page).to_have_url(re.compile(re.escape(str(person.code)) + r"/$"))
    expect(page.locator("main h1")).to_contain_text("Personne anonymisée")
    expect(page.locator("main")).not_to_contain_text("Delcourt")
    expect(page.locator("[data-testid=timeline]")).to_contain_text(
        "Visite du jardin avec Personne anonymisée")

    person.refresh_from_db()
    assert person.erased_at is not None and person.name == "Personne anonymisée"
    assert person.email == "" and person.phone == "" and person.notes == ""
    assert person.last_name == "" and person.first_name == ""
    visit.refresh_from_db()
    assert list(visit.actors.all()) == [person]
    assert visit.title == "Visite du jardin avec Personne anonymisée"
    assert "Delcourt" not in visit.notes and "composteur" in visit.notes
    # The erase page now says so, and offers nothing more.
    page.goto(reverse("actors:person-erase", args=[workspace.slug, person.code]))
    expect(page.locator("main")).to_contain_text("Ces données ont déjà été effacées.")
    expect(page.get_by_test_id("erase")).to_have_count(0)
    assert not problems, problems
