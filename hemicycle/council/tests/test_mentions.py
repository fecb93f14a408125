"""The pure @mention rules (hemicycle/council/mentions.py)."""

from hemicycle.council.mentions import Directory, fold, handle_of, names_of

TEAM = Directory([
    (1, "sam@example.org", "Sam Staff"),
    (2, "elodie.martin@groupe.fr", "Élodie Martin"),
    (3, "marie.dupont@groupe.fr", "Marie Dupont"),
    (4, "marie.durand@groupe.fr", "Marie Durand"),
])


def test_a_member_is_named_by_their_handle_or_first_name_whatever_the_accents():
    assert TEAM.find("Merci @sam et @elodie, puis @Élodie.martin.") == [1, 2]
    assert TEAM.find("@ELODIE.MARTIN voit ça") == [2]


def test_a_shared_first_name_names_nobody_but_the_handle_does():
    assert TEAM.find("@Marie peux-tu relire ?") == []
    assert TEAM.find("@marie.durand peux-tu relire ?") == [4]


def test_an_email_address_or_an_unknown_name_is_not_a_mention():
    assert TEAM.find("écrire à sam@example.org ou à @inconnu") == []


def test_mentions_are_marked_in_escaped_html_and_unknown_ones_left_alone():
    html = "<p>Vu avec @sam, pas @inconnu &amp; co.</p>"
    assert TEAM.mark(html) == ('<p>Vu avec <strong class="mention">@sam</strong>, pas '
                               "@inconnu &amp; co.</p>")


def test_handles_come_from_the_local_part_of_the_email():
    assert handle_of("Jean-Luc+council@x.fr") == "jean-luccouncil"
    assert names_of("a.b@x.fr", "Anne Bé") == ["a.b", "Anne"]
    assert fold("Maëlle") == "maelle"
