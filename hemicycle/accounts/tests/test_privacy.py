import json

from hemicycle.accounts.models import Membership, User
from hemicycle.audit.models import AuditEvent
from hemicycle.conftest import PASSWORD
from hemicycle.elected.models import ElectedMember


def test_a_user_downloads_everything_held_about_them(elodie_client, elodie, workspace):
    ElectedMember.objects.create(workspace=workspace, first_name="Élodie", last_name="Élue",
                                 user=elodie, notes="mes notes")
    response = elodie_client.get("/compte/mes-donnees/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "elodie@example.org"
    assert data["account"]["memberships"][0]["workspace"] == workspace.name
    assert data["elected_records"][0]["notes"] == "mes notes"


def test_the_export_holds_nothing_of_other_people(elodie_client, alice, bob):
    body = elodie_client.get("/compte/mes-donnees/").content.decode()
    assert "alice@example.org" not in body and "bob@example.org" not in body


def test_a_user_erases_their_account_with_their_password(bob_client, bob, workspace):
    assert bob_client.post("/compte/supprimer/", {"password": "wrong"}).status_code == 200
    assert User.objects.filter(pk=bob.pk).exists()
    response = bob_client.post("/compte/supprimer/", {"password": PASSWORD})
    assert response.url == "/compte/connexion/"
    assert not User.objects.filter(email="bob@example.org").exists()
    assert AuditEvent.objects.filter(workspace=workspace, verb="account.erase").exists()


def test_the_last_admin_cannot_erase_their_account(alice_client, alice, workspace):
    response = alice_client.post("/compte/supprimer/", {"password": PASSWORD})
    assert "seul·e administrateur·rice" in response.content.decode()
    assert Membership.objects.filter(user=alice).exists()
