from hemicycle.accounts.models import Membership
from hemicycle.audit.context import acting_as
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_history, audit_record


def test_a_creation_is_recorded_with_its_filled_fields(workspace, alice):
    membership = Membership.objects.get(user=alice)
    event = audit_history(membership).get()
    assert event.action == "create"
    assert event.workspace == workspace
    assert event.changes["role"] == [None, "Administrateur·rice"]
    assert "code" not in event.changes  # bookkeeping fields are left out


def test_an_update_records_old_and_new_values_and_who(workspace, alice, bob):
    membership = Membership.objects.get(user=bob)
    with acting_as(alice):
        membership.title = "Stagiaire"
        membership.save()
    event = audit_history(membership).first()
    assert event.action == "update"
    assert event.changes == {"title": ["", "Stagiaire"]}
    assert event.actor == alice
    assert event.actor_label == "Alice Admin"


def test_a_save_without_change_records_nothing(workspace, bob):
    membership = Membership.objects.get(user=bob)
    before = AuditEvent.objects.count()
    membership.save()
    assert AuditEvent.objects.count() == before


def test_a_deletion_is_recorded_and_kept(workspace, bob):
    membership = Membership.objects.get(user=bob)
    pk = membership.pk
    membership.delete()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()


def test_changes_to_the_workspace_itself_are_filed_under_it(workspace):
    workspace.short_name = "Nouveau"
    workspace.save()
    event = AuditEvent.objects.filter(workspace=workspace, action="update").get()
    assert event.changes == {"short_name": ["Écolos Nord", "Nouveau"]}


def test_commands_are_named_in_the_trail(workspace):
    with acting_as(label="commande import_elected"):
        audit_record(action="other", verb="elected.import", workspace=workspace,
                     message="82 créés")
    event = AuditEvent.objects.get(verb="elected.import")
    assert event.actor is None
    assert event.actor_label == "commande import_elected"


def test_requests_are_attributed_to_the_logged_in_user(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    alice_client.post(f"/w/{workspace.slug}/membres/{membership.code}/",
                      {"role": "observer", "title": "Stagiaire"})
    assert audit_history(membership).first().actor_label == "Alice Admin"


def test_the_history_page_lists_and_filters_events(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    membership.title = "Stagiaire"
    membership.save()
    page = alice_client.get(f"/w/{workspace.slug}/historique/?action=update")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Stagiaire" in body
    assert "<td>Création" not in body
    assert "<td>Modification" in body


def test_the_history_page_shows_nothing_of_other_workspaces(
    charlie_client, other_workspace, workspace, bob
):
    page = charlie_client.get(f"/w/{other_workspace.slug}/historique/")
    assert "Bob Observer" not in page.content.decode()
    assert charlie_client.get(f"/w/{workspace.slug}/historique/").status_code == 404


def test_an_observer_reads_the_history_but_there_is_no_way_to_edit_it(bob_client, workspace):
    assert bob_client.get(f"/w/{workspace.slug}/historique/").status_code == 200
    assert bob_client.post(f"/w/{workspace.slug}/historique/").status_code in (200, 405)
    from django.urls import get_resolver

    names = [p.name for p in get_resolver().url_patterns if getattr(p, "name", None)]
    assert not any("event-edit" in (n or "") or "event-delete" in (n or "") for n in names)
