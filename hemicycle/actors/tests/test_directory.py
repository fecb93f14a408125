import io

import pytest
from openpyxl import load_workbook

from hemicycle.actors import services
from hemicycle.actors.models import Actor, Segment
from hemicycle.actors.queries import actor_filter
from hemicycle.actors.tests.conftest import url

pytestmark = pytest.mark.django_db


def test_a_staff_member_creates_an_organisation_located_by_its_commune(sam_client, workspace):
    response = sam_client.post(url("actor-create", workspace), {
        "kind": "association", "name": "Les Jardins de l'Europe", "commune_query": "Mons-en-Barœul",
        "email": "contact@jardins.example.org", "rna_id": "w59 501 2345",
        "tag_names": "AIL 2024, Partenaire", "lawful_basis": "", "no_email": "",
    })
    actor = Actor.objects.get(workspace=workspace)
    assert response.status_code == 302 and response["Location"].endswith(f"{actor.code}/")
    assert actor.commune.insee_code == "59410" and actor.rna_id == "W595012345"
    assert [c.name for c in actor.cantons.all()] == ["Lille-3"]
    assert actor.latitude is not None and actor.approximate_position
    assert sorted(t.name for t in actor.tags.all()) == ["AIL 2024", "Partenaire"]


def test_an_invalid_siret_is_refused_in_french_and_nothing_is_saved(alice_client, workspace):
    response = alice_client.post(url("actor-create", workspace), {
        "kind": "business", "name": "Recyclerie", "siret": "12345678901234"})
    assert response.status_code == 200
    assert "Numéro SIRET invalide" in response.content.decode()
    assert not Actor.objects.exists()


def test_a_second_actor_with_the_same_rna_number_is_refused(alice_client, workspace, make_actor):
    make_actor("Amicale Laïque", rna_id="W591111111")
    response = alice_client.post(url("actor-create", workspace), {
        "kind": "association", "name": "Amicale laique (bis)", "rna_id": "W591111111"})
    assert "Un acteur porte déjà ce numéro RNA" in response.content.decode()
    assert Actor.objects.count() == 1


def test_an_observer_cannot_create_and_an_outsider_sees_nothing(
        bob_client, charlie_client, workspace, make_actor):
    actor = make_actor()
    assert bob_client.get(url("actor-create", workspace)).status_code == 403
    assert bob_client.get(url("actor-detail", workspace, actor.code)).status_code == 200
    assert charlie_client.get(url("actor-detail", workspace, actor.code)).status_code == 404
    assert charlie_client.get(url("actor-list", workspace)).status_code == 404


def test_a_person_gets_a_name_from_first_and_last_names(alice_client, workspace):
    alice_client.post(url("actor-create", workspace) + "?type=person", {
        "first_name": "Inès", "last_name": "Vandewalle", "lawful_basis": "legitimate_interest",
        "data_source": "Rencontre au forum des associations"})
    person = Actor.objects.get(type=Actor.Type.PERSON)
    assert person.name == "Inès Vandewalle" and person.search_text == "ines vandewalle"


def test_search_ignores_accents_case_and_word_order(alice_client, workspace, make_actor):
    make_actor("Maison du Vélo", city="Lille")
    make_actor("Théâtre de l'Aventure")
    body = alice_client.get(url("actor-list", workspace), {"q": "VELO maison"}).content.decode()
    assert "Maison du Vélo" in body and "Théâtre" not in body
    assert actor_filter(workspace, {"q": "theatre aventure"}).count() == 1


def test_the_list_filters_by_canton_theme_tag_and_email(
        alice_client, workspace, make_actor, lille):
    mons = make_actor("Jardins de Mons", postal_code="59370",
                      city="Mons-en-Barœul", email="a@example.org", tag_names=["AIL 2024"])
    make_actor("Club de Douai", postal_code="59500", city="Douai")
    ecology = services.theme_create(workspace=workspace, name="Écologie")
    mobility = services.theme_create(workspace=workspace, name="Mobilité", parent=ecology)
    mons.themes.add(mobility)
    for filters in ({"canton": "59025"}, {"theme": str(ecology.code)}, {"etiquette": "AIL 2024"},
                    {"email": "1"}):
        body = alice_client.get(url("actor-list", workspace), filters).content.decode()
        assert "Jardins de Mons" in body and "Club de Douai" not in body, filters
    assert actor_filter(workspace, {"canton": "59015"}).get().name == "Club de Douai"


def test_a_saved_segment_reopens_the_same_filter(alice_client, workspace):
    response = alice_client.post(url("segment-create", workspace),
                                 {"name": "Lille-3 avec e-mail", "canton": "59025", "email": "1"})
    segment = Segment.objects.get()
    assert segment.filters == {"canton": "59025", "email": "1"}
    assert response.status_code == 302
    opened = alice_client.get(url("segment-open", workspace, segment.code))
    assert "canton=59025" in opened["Location"] and "email=1" in opened["Location"]


def test_exports_in_csv_xlsx_and_vcard(alice_client, workspace, make_actor):
    make_actor("Maison du Vélo", email="contact@mdv.example.org", city="Lille",
               postal_code="59000", phone="03 20 00 00 00")
    make_actor("Autre structure")
    query = {"q": "velo"}
    csv_text = b"".join(alice_client.get(url("export-csv", workspace), query)
                        .streaming_content).decode()
    assert "Maison du Vélo" in csv_text and "Autre structure" not in csv_text
    book = load_workbook(io.BytesIO(alice_client.get(url("export-xlsx", workspace), query)
                                    .content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][2] == "Nom" and rows[1][2] == "Maison du Vélo" and len(rows) == 2
    vcf = b"".join(alice_client.get(url("export-vcf", workspace), query)
                   .streaming_content).decode()
    assert vcf.startswith("BEGIN:VCARD") and "FN:Maison du Vélo" in vcf
    assert "EMAIL;TYPE=INTERNET:contact@mdv.example.org" in vcf


def test_a_relation_links_a_person_to_an_organisation(alice_client, workspace, make_actor):
    org = make_actor("Collectif Air pur")
    person = make_actor(type=Actor.Type.PERSON, first_name="Léa", last_name="Caron")
    alice_client.post(url("relation-add", workspace, person.code), {
        "target": str(org.code), "kind": "president", "title": "co-présidente",
        "start_on": "2022-09-01"})
    relation = person.relations_out.get()
    assert relation.target == org and relation.get_kind_display() == "Président·e"
    page = alice_client.get(url("actor-detail", workspace, org.code)).content.decode()
    assert "Léa Caron" in page


def test_themes_form_a_hierarchy(alice_client, workspace):
    alice_client.post(url("theme-list", workspace), {"name": "Écologie"})
    parent = workspace.actors_theme_set.get()
    alice_client.post(url("theme-list", workspace), {"name": "Mobilité", "parent": parent.pk})
    child = workspace.actors_theme_set.get(name="Mobilité")
    assert str(child) == "Écologie › Mobilité"
    assert parent.descendant_ids() == {parent.pk, child.pk}
