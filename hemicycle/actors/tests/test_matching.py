from hemicycle.actors import matching


def test_the_name_key_drops_articles_and_accents():
    assert matching.name_key("L'Association des Amis du Vélo") == "amis velo"


def test_a_similar_name_in_the_same_commune_is_found():
    index = matching.NameIndex()
    index.add(1, "Amicale du vélo de Fives", 10)
    index.add(1, "Théâtre des Quartiers", 11)
    found = index.find(1, "ASSOCIATION AMICALE DU VELO FIVES")
    assert found is not None and found[0] == 10 and found[1] >= matching.THRESHOLD


def test_the_same_name_in_another_commune_is_not_a_duplicate():
    index = matching.NameIndex()
    index.add(1, "Amicale du vélo de Fives", 10)
    assert index.find(2, "Amicale du vélo de Fives") is None


def test_different_names_are_not_paired():
    index = matching.NameIndex()
    index.add(1, "Jardins partagés de Moulins", 10)
    assert index.find(1, "Jardins ouvriers de Wazemmes") is None
