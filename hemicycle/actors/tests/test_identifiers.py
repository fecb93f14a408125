from hemicycle.actors import identifiers


def test_an_rna_number_is_a_w_and_nine_digits():
    assert identifiers.is_rna("W595012345")
    assert identifiers.is_rna("w59 501 2345")
    assert not identifiers.is_rna("W59501234")
    assert not identifiers.is_rna("595012345X")


def test_siren_and_siret_are_checked_with_luhn():
    assert identifiers.is_siren("732 829 320")  # a real SIREN (Luhn-valid)
    assert not identifiers.is_siren("732829321")
    siret = identifiers.luhn_complete("7328293200001")
    assert identifiers.is_siret(siret)
    assert not identifiers.is_siret(siret[:-1] + str((int(siret[-1]) + 1) % 10))


def test_la_poste_sirets_follow_their_own_rule():
    assert identifiers.is_siret("35600000000051")  # digits add up to a multiple of 5
    assert not identifiers.is_siret("35600000000052")
