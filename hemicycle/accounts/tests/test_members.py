from hemicycle.accounts.models import Membership
from hemicycle.audit.models import AuditEvent


def test_members_are_listed_for_every_member(bob_client, workspace, alice):
    response = bob_client.get(f"/w/{workspace.slug}/membres/")
    assert response.status_code == 200
    assert "Alice Admin" in response.content.decode()


def test_an_admin_changes_a_role_and_the_trail_shows_it(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = alice_client.post(f"/w/{workspace.slug}/membres/{membership.code}/",
                                 {"role": "staff", "title": "Stagiaire"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "staff"
    event = AuditEvent.objects.filter(action="update", object_id=str(membership.pk)).get()
    assert event.changes["role"] == ["Observateur·rice", "Équipe"]
    assert event.actor.email == "alice@example.org"


def test_the_last_admin_cannot_be_demoted_or_removed(alice_client, workspace, alice):
    membership = Membership.objects.get(user=alice)
    response = alice_client.post(f"/w/{workspace.slug}/membres/{membership.code}/",
                                 {"role": "staff", "title": ""})
    assert "au moins un·e administrateur·rice" in response.content.decode()
    alice_client.post(f"/w/{workspace.slug}/membres/{membership.code}/", {"action": "remove"})
    assert Membership.objects.filter(user=alice).exists()


def test_an_admin_removes_a_member(alice_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    alice_client.post(f"/w/{workspace.slug}/membres/{membership.code}/", {"action": "remove"})
    assert not Membership.objects.filter(user=bob).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(membership.pk)).exists()


def test_staff_cannot_manage_members(sam_client, workspace, bob):
    membership = Membership.objects.get(user=bob)
    response = sam_client.post(f"/w/{workspace.slug}/membres/{membership.code}/",
                               {"role": "admin", "title": ""})
    assert response.status_code == 403


def test_an_outsider_cannot_see_a_membership_even_from_their_own_workspace(
    charlie_client, other_workspace, bob
):
    membership = Membership.objects.get(user=bob)
    response = charlie_client.get(f"/w/{other_workspace.slug}/membres/{membership.code}/")
    assert response.status_code == 404
