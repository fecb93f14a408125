"""The pages: list, detail, forms, import. Alice (admin) and Sam (staff) write, Élodie
(élue) edits the notes of her own record, Bob (observer) reads, Charlie gets 404s."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemicycle.audit.models import AuditEvent
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.tests.conftest import NORD, NORMANDIE, SQUARE, make_canton

pytestmark = pytest.mark.django_db


@pytest.fixture
def lille3(assembly_nord):
    canton = make_canton(assembly_nord, "59025", "Lille-3")
    canton.geometry = SQUARE
    canton.save()
    return canton


@pytest.fixture
def member(workspace, lille3):
    return ElectedMember.objects.create(
        workspace=workspace, last_name="Vandamme", first_name="Clémence", canton=lille3,
        in_group=True, functions="Présidente du groupe")


@pytest.fixture
def other(workspace):
    return ElectedMember.objects.create(workspace=workspace, last_name="Autre", first_name="Élu")


def url(workspace, suffix: str = "") -> str:
    return f"/w/{workspace.slug}/elus/{suffix}"


def form_data(**changes) -> dict:
    data = {"last_name": "Morvan", "first_name": "Aurélie", "gender": "F",
            "mandate_start": "2021-07-01", "in_group": "on", "functions": "", "notes": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- list ------------------------------------------------------------------------------


def test_alice_sees_the_list_with_the_group_highlighted_and_the_map(
        alice_client, workspace, member, other):
    response = alice_client.get(url(workspace))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vandamme" in html and "Autre" in html
    assert 'class="badge group"' in html
    assert '<svg class="svgmap"' in html and 'class="hl"' in html
    assert "?circonscription=59025" in html


def test_the_list_filters_by_group_canton_status_and_name(alice_client, workspace, member,
                                                          other):
    def names(**params) -> list[str]:
        response = alice_client.get(url(workspace), params)
        return [m.last_name for m in response.context["members"]]

    assert names(groupe="1") == ["Vandamme"]
    assert names(circonscription="59025") == ["Vandamme"]
    assert names(q="vand") == ["Vandamme"]
    assert names() == ["Autre", "Vandamme"]
    other.mandate_end = "2024-01-01"
    other.save()
    assert names() == ["Vandamme"]
    assert names(statut="ended") == ["Autre"]
    assert names(statut="all") == ["Autre", "Vandamme"]


def test_there_is_no_map_without_outlines(alice_client, workspace, member, assembly_nord):
    from hemicycle.territory.models import Canton

    Canton.objects.filter(departement=assembly_nord.departement).update(geometry="")
    response = alice_client.get(url(workspace))
    assert "<svg class=\"svgmap\"" not in response.content.decode()


def test_bob_reads_the_list_and_the_detail(bob_client, workspace, member):
    assert bob_client.get(url(workspace)).status_code == 200
    assert bob_client.get(url(workspace, f"{member.code}/")).status_code == 200


def test_outsider_gets_404_on_list_and_detail(charlie_client, workspace, member):
    assert charlie_client.get(url(workspace)).status_code == 404
    assert charlie_client.get(url(workspace, f"{member.code}/")).status_code == 404


def test_a_member_of_another_workspace_is_a_404(charlie_client, other_workspace, member):
    # Charlie is admin of his own workspace, and asks for Alice's member through it.
    assert charlie_client.get(url(other_workspace, f"{member.code}/")).status_code == 404
    assert charlie_client.get(url(other_workspace, f"{member.code}/modifier/")).status_code == 404


def test_anonymous_is_sent_to_login(client, workspace):
    response = client.get(url(workspace))
    assert response.status_code == 302 and "/compte/connexion/" in response.url


# --- detail ----------------------------------------------------------------------------


def test_the_detail_page_shows_the_mandate_and_the_history(alice_client, workspace, member):
    response = alice_client.get(url(workspace, f"{member.code}/"))
    html = response.content.decode()
    assert "Présidente du groupe" in html and "Lille-3" in html
    assert "Historique" in html and 'data-testid="history"' in html


# --- create and edit -------------------------------------------------------------------


def test_alice_creates_a_member(alice_client, workspace, lille3, elodie):
    response = alice_client.post(url(workspace, "nouveau/"), form_data(
        canton=lille3.pk, user=elodie.pk))
    created = ElectedMember.objects.get(workspace=workspace, last_name="Morvan")
    assert response.status_code == 302 and response.url == url(workspace, f"{created.code}/")
    assert created.in_group and created.canton == lille3 and created.user == elodie


def test_the_form_offers_only_the_workspaces_accounts(alice_client, workspace, charlie):
    response = alice_client.get(url(workspace, "nouveau/"))
    assert charlie not in response.context["form"].fields["user"].queryset
    response = alice_client.post(url(workspace, "nouveau/"), form_data(user=charlie.pk))
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not ElectedMember.objects.exists()


def test_a_mandate_cannot_end_before_it_starts(alice_client, workspace):
    response = alice_client.post(url(workspace, "nouveau/"), form_data(mandate_end="2020-01-01"))
    assert response.status_code == 200
    assert "précède son début" in str(response.context["form"].errors["mandate_end"])
    assert not ElectedMember.objects.exists()


def test_sam_edits_a_member_and_the_trail_records_old_and_new(sam_client, workspace, member,
                                                              lille3):
    response = sam_client.post(url(workspace, f"{member.code}/modifier/"), form_data(
        last_name="Vandamme", first_name="Clémence", canton=lille3.pk,
        functions="Co-présidente du groupe"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.functions == "Co-présidente du groupe"
    event = AuditEvent.objects.filter(object_id=str(member.pk), action="update").get()
    assert event.changes["functions"] == ["Présidente du groupe", "Co-présidente du groupe"]
    assert event.actor.full_name == "Sam Staff"
    page = sam_client.get(url(workspace, f"{member.code}/")).content.decode()
    assert "<del>Présidente du groupe</del>" in page


def test_bob_gets_403_on_writes(bob_client, workspace, member):
    assert bob_client.get(url(workspace, "nouveau/")).status_code == 403
    assert bob_client.post(url(workspace, "nouveau/"), form_data()).status_code == 403
    assert bob_client.get(url(workspace, f"{member.code}/modifier/")).status_code == 403
    assert bob_client.post(url(workspace, f"{member.code}/modifier/"),
                           {"notes": "x"}).status_code == 403
    assert bob_client.get(url(workspace, "import/")).status_code == 403
    assert not ElectedMember.objects.filter(last_name="Morvan").exists()


def test_elodie_edits_only_the_notes_of_her_own_record(elodie_client, elodie, workspace,
                                                       member):
    member.user = elodie
    member.save()
    response = elodie_client.get(url(workspace, f"{member.code}/modifier/"))
    assert list(response.context["form"].fields) == ["notes"]
    response = elodie_client.post(url(workspace, f"{member.code}/modifier/"), {
        "notes": "Préparer la séance", "last_name": "Piraté", "in_group": ""})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.notes == "Préparer la séance"
    assert member.last_name == "Vandamme" and member.in_group


def test_elodie_cannot_edit_someone_elses_record(elodie_client, workspace, other):
    assert elodie_client.get(url(workspace, f"{other.code}/modifier/")).status_code == 403
    assert elodie_client.post(url(workspace, f"{other.code}/modifier/"),
                              {"notes": "x"}).status_code == 403
    assert elodie_client.get(url(workspace, "nouveau/")).status_code == 403


def test_the_edit_link_shows_only_to_those_who_may_edit(elodie_client, elodie, workspace,
                                                        member, other):
    edit = "/modifier/"
    assert edit not in elodie_client.get(url(workspace, f"{other.code}/")).content.decode()
    member.user = elodie
    member.save()
    page = elodie_client.get(url(workspace, f"{member.code}/")).content.decode()
    assert "Modifier mes notes" in page


# --- import ----------------------------------------------------------------------------


def upload(path=NORD, content: bytes | None = None):
    return SimpleUploadedFile("rne.csv", path.read_bytes() if content is None else content,
                              content_type="text/csv")


def test_alice_simulates_then_imports(alice_client, workspace):
    response = alice_client.post(url(workspace, "import/"),
                                 {"file": upload(), "action": "simulate"})
    assert response.status_code == 200
    assert "Simulation : rien n’a été enregistré" in response.content.decode()
    assert response.context["report"].dry_run and len(response.context["report"].created) == 82
    assert not ElectedMember.objects.exists()

    # "Import this file" sends the simulated file back: no need to choose it again.
    content = response.context["content"]
    assert content and 'data-testid="confirm"' in response.content.decode()
    response = alice_client.post(url(workspace, "import/"), {"content": content,
                                                             "action": "import"})
    assert "Import terminé" in response.content.decode()
    assert ElectedMember.objects.filter(workspace=workspace).count() == 82
    event = AuditEvent.objects.get(verb="elected.import")
    assert event.actor.full_name == "Alice Admin" and event.workspace == workspace


def test_the_import_page_shows_updates_with_their_changes(alice_client, workspace):
    alice_client.post(url(workspace, "import/"), {"file": upload(), "action": "import"})
    changed = NORD.read_bytes().replace(b"Professeur, profession scientifique\",01/07/2021,"
                                        b"5\xc3\xa8me", b"Ancien cadre\",01/07/2021,5\xc3\xa8me")
    changed = changed.replace(b'"Ancien cadre"', b"Ancien cadre")
    response = alice_client.post(url(workspace, "import/"),
                                 {"file": upload(content=changed), "action": "import"})
    html = response.content.decode()
    assert "Nicolas Siegler" in html
    assert "<del>Professeur, profession scientifique</del> → <ins>Ancien cadre</ins>" in html


def test_a_broken_file_shows_the_error_and_imports_nothing(alice_client, workspace):
    broken = NORD.read_bytes().replace(b"05/04/1956", b"5 avril")
    response = alice_client.post(url(workspace, "import/"),
                                 {"file": upload(content=broken), "action": "import"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fichier refusé" in html and "Ligne 2 :" in html and "5 avril" in html
    assert not ElectedMember.objects.exists()


def test_a_file_of_another_assembly_is_refused_on_the_page(alice_client, workspace):
    response = alice_client.post(url(workspace, "import/"),
                                 {"file": upload(NORMANDIE), "action": "import"})
    assert "régionaux·ales" in response.content.decode()
    assert not ElectedMember.objects.exists()


def test_an_empty_or_too_big_upload_is_refused(alice_client, workspace, monkeypatch):
    response = alice_client.post(url(workspace, "import/"),
                                 {"file": upload(content=b""), "action": "import"})
    assert "file" in response.context["form"].errors
    monkeypatch.setattr("hemicycle.elected.forms.MAX_FILE_BYTES", 100)
    response = alice_client.post(url(workspace, "import/"), {"file": upload(), "action": "import"})
    assert "dépasse 5 Mo" in str(response.context["form"].errors["file"])
    assert not ElectedMember.objects.exists()


def test_a_tampered_confirmation_is_refused(alice_client, workspace):
    response = alice_client.post(url(workspace, "import/"), {"content": "%%%", "action": "import"})
    assert "abîmé" in str(response.context["form"].errors)
    response = alice_client.post(url(workspace, "import/"), {"action": "import"})
    assert "Choisissez un fichier" in str(response.context["form"].errors)
    assert not ElectedMember.objects.exists()


def test_elodie_and_charlie_cannot_import(elodie_client, charlie_client, workspace):
    assert elodie_client.post(url(workspace, "import/"),
                              {"file": upload(), "action": "import"}).status_code == 403
    assert charlie_client.get(url(workspace, "import/")).status_code == 404
    assert not ElectedMember.objects.exists()


# --- navigation and dashboard ----------------------------------------------------------


def test_the_module_is_in_the_menu_and_the_panel_on_the_dashboard(alice_client, workspace,
                                                                 member):
    html = alice_client.get(f"/w/{workspace.slug}/").content.decode()
    assert f'href="{url(workspace)}"' in html
    assert 'data-testid="panel-elected"' in html
    assert "Clémence Vandamme" in html and "Lille-3" in html and 'class="hl"' in html
