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


def test_the_fast_normalisation_gives_the_same_keys_as_normalize_name():
    import random

    from hemicycle.actors.matching import fast_normalize
    from hemicycle.lib.text import normalize_name

    rng = random.Random(3)
    samples = ["L'Haÿ-les-Roses", "Mons-en-Barœul", "Cœur d'Æsop Straße", "İstanbul ΣΟΦΙΑΣ",
               "ﬁnale ½", "École  Saint-Exupéry – Fives", "", "   "]
    samples += ["".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 20)))
                for _ in range(3000)]
    assert [fast_normalize(s) for s in samples] == [normalize_name(s) for s in samples]
