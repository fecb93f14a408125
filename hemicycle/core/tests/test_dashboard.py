def test_alice_sees_her_dashboard(alice_client, workspace):
    response = alice_client.get(f"/w/{workspace.slug}/")
    assert response.status_code == 200
    assert "Groupe écologiste du Nord" in response.content.decode()


def test_outsider_gets_404_on_the_dashboard(charlie_client, workspace):
    assert charlie_client.get(f"/w/{workspace.slug}/").status_code == 404


def test_anonymous_is_sent_to_login(client, workspace):
    response = client.get(f"/w/{workspace.slug}/")
    assert response.status_code == 302
    assert response.url.startswith("/compte/connexion/")


def test_home_goes_to_the_only_workspace(alice_client, workspace):
    response = alice_client.get("/")
    assert response.status_code == 302
    assert response.url == f"/w/{workspace.slug}/"


def test_the_dashboard_shows_the_team_and_the_recent_activity(alice_client, workspace, bob):
    body = alice_client.get(f"/w/{workspace.slug}/").content.decode()
    assert "Bob Observer" in body  # team panel
    assert "Création" in body  # recent activity: the memberships were created


def test_a_member_without_read_sees_only_the_panels_meant_for_their_role(
        client, workspace, monkeypatch):
    from hemicycle.accounts.models import Membership, User
    from hemicycle.accounts.roles import CAPABILITIES, Role
    from hemicycle.core import modules

    seen = []
    # Context functions that record their call and hide their panel (None).
    panel = modules.DashboardPanel("test-score", "core/dashboard.html",
                                   lambda request: seen.append("score"), capability="score")
    reader = modules.DashboardPanel("test-read", "core/dashboard.html",
                                    lambda request: seen.append("read"))
    monkeypatch.setattr(modules, "DASHBOARD_PANELS", [panel, reader, *modules.DASHBOARD_PANELS])
    monkeypatch.setattr("hemicycle.core.views.DASHBOARD_PANELS", modules.DASHBOARD_PANELS)
    juror = User.objects.create_user("jure@example.org", "x" * 12, full_name="Jo Juré")
    Membership.objects.create(workspace=workspace, user=juror, role=Role.JUROR)
    assert "read" not in CAPABILITIES[Role.JUROR]
    client.force_login(juror)
    response = client.get(f"/w/{workspace.slug}/")
    assert response.status_code == 200 and seen == ["score"]
