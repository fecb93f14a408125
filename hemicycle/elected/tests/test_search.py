from hemicycle.elected.models import ElectedMember


def test_the_list_finds_a_name_without_its_accents(alice_client, workspace):
    ElectedMember.objects.create(workspace=workspace, first_name="Maëlle", last_name="Dufresne")
    ElectedMember.objects.create(workspace=workspace, first_name="Michelle", last_name="Gréaume")
    body = alice_client.get(f"/w/{workspace.slug}/elus/?q=greaume").content.decode()
    assert "Gréaume" in body
    assert "Dufresne" not in body
    body = alice_client.get(f"/w/{workspace.slug}/elus/?q=MAELLE").content.decode()
    assert "Dufresne" in body


def test_the_search_key_follows_a_renaming(workspace):
    member = ElectedMember.objects.create(workspace=workspace, first_name="Zoé", last_name="Ancien")
    member.last_name = "Nouveau"
    member.save(update_fields=["last_name"])
    member.refresh_from_db()
    assert member.search_name == "zoe nouveau"
