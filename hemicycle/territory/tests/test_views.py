import pytest

pytestmark = pytest.mark.django_db


def url(workspace, path: str = "") -> str:
    return f"/w/{workspace.slug}/territoire/{path}"


def test_alice_sees_the_cantons_of_the_nord(alice_client, workspace):
    response = alice_client.get(url(workspace))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="svgmap"' in html
    assert "Lille-3" in html and f"/w/{workspace.slug}/territoire/cantons/59025/" in html
    assert html.count("territoire/cantons/590") >= 2 * 41  # map link and table link


def test_the_territory_is_in_the_navigation(alice_client, workspace):
    html = alice_client.get(f"/w/{workspace.slug}/").content.decode()
    assert url(workspace) in html


def test_bob_the_observer_reads_the_pages(bob_client, workspace):
    for path in ("", "cantons/59025/", "communes/59350/", "communes/?q=lille",
                 "departements/59/", "communes.json?q=lille", "canton.json?lat=50.63&lon=3.06"):
        assert bob_client.get(url(workspace, path)).status_code == 200, path


def test_charlie_the_outsider_gets_404(charlie_client, workspace):
    for path in ("", "cantons/59025/", "communes/59350/", "communes/?q=lille",
                 "communes.json?q=lille", "canton.json?lat=50.63&lon=3.06"):
        assert charlie_client.get(url(workspace, path)).status_code == 404, path


def test_anonymous_visitors_are_sent_to_login(client, workspace):
    response = client.get(url(workspace))
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_a_canton_lists_its_communes_and_shared_ones(alice_client, workspace):
    html = alice_client.get(url(workspace, "cantons/59025/")).content.decode()  # Lille-3
    assert "Mons-en-Barœul" in html and "Lille" in html
    assert "partagée" in html
    assert '<svg class="svgmap"' in html


def test_a_commune_shows_its_codes_epci_and_cantons(alice_client, workspace):
    html = alice_client.get(url(workspace, "communes/59350/")).content.decode()
    assert "59350" in html and "59000" in html and "Métropole Européenne de Lille" in html
    assert "Lille-3" in html and "%" in html
    assert '<svg class="svgmap"' in html


def test_unknown_codes_are_404(alice_client, workspace):
    assert alice_client.get(url(workspace, "communes/00000/")).status_code == 404
    assert alice_client.get(url(workspace, "cantons/00000/")).status_code == 404


def test_the_search_page_and_its_htmx_fragment(alice_client, workspace):
    page = alice_client.get(url(workspace, "communes/?q=mons en baroeul")).content.decode()
    assert "<h1>" in page and "Mons-en-Barœul" in page and 'hx-get="' in page
    fragment = alice_client.get(url(workspace, "communes/?q=mons en baroeul"),
                                headers={"HX-Request": "true"}).content.decode()
    assert "Mons-en-Barœul" in fragment and "<h1>" not in fragment


def test_the_communes_json_gives_codes_and_cantons(alice_client, workspace):
    data = alice_client.get(url(workspace, "communes.json?q=roubaix")).json()
    roubaix = data[0]
    assert roubaix["insee_code"] == "59512" and roubaix["departement"] == "59"
    assert "59100" in roubaix["postal_codes"]
    assert {c["name"] for c in roubaix["cantons"]} == {"Roubaix-1", "Roubaix-2"}


def test_the_canton_json_finds_the_canton_of_a_point(alice_client, workspace):
    data = alice_client.get(url(workspace, "canton.json?lat=50.6366&lon=3.0635")).json()
    assert data["name"].startswith("Lille-") and data["departement"] == "59"
    assert alice_client.get(url(workspace, "canton.json?lat=48.85&lon=2.35")).json() is None
    assert alice_client.get(url(workspace, "canton.json?lat=x&lon=3")).status_code == 400


def test_a_region_workspace_shows_its_departements(charlie_client, other_workspace):
    html = charlie_client.get(url(other_workspace)).content.decode()
    assert "Normandie" in html and "Calvados" in html and "Manche" in html


def test_a_departement_without_cantons_lists_its_largest_communes(alice_client, workspace):
    html = alice_client.get(url(workspace, "departements/14/")).content.decode()
    assert "Calvados" in html and "Caen" in html
    assert '<svg class="svgmap"' in html  # the département's outline


def test_an_assembly_without_territory_says_how_to_load_it(alice_client, workspace):
    from hemicycle.territory.models import Assembly

    workspace.assembly = Assembly.objects.create(kind="commune", code="99999", name="Nulle part")
    workspace.save()
    html = alice_client.get(url(workspace)).content.decode()
    assert "load_territory" in html
