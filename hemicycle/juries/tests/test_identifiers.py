from hemicycle.juries import identifiers


def test_an_rna_number_is_w_and_nine_characters():
    assert identifiers.rna_valid("W595012345")
    assert identifiers.rna_valid("w59 501 2345")
    assert identifiers.rna_valid("W2A1001234")
    assert not identifiers.rna_valid("W59501234")
    assert not identifiers.rna_valid("X595012345")


def test_siren_and_siret_need_their_luhn_key():
    assert identifiers.siren_valid("732 829 320")  # a real SIREN
    assert not identifiers.siren_valid("732829321")
    assert identifiers.siret_valid("73282932000074")
    assert not identifiers.siret_valid("73282932000075")
    assert identifiers.kind_of("73282932000074") == "siret"
    assert identifiers.kind_of("W595012345") == "rna"
    assert identifiers.kind_of("123") is None


def test_la_poste_sirets_follow_their_own_rule():
    assert identifiers.siret_valid("35600000049837")
    assert not identifiers.siret_valid("35600000049838")


def test_attachments_are_recognised_by_their_first_bytes():
    assert identifiers.sniff(b"%PDF-1.7\n") == ("application/pdf", "pdf")
    assert identifiers.sniff(b"\x89PNG\r\n\x1a\n....") == ("image/png", "png")
    assert identifiers.sniff(b"\xff\xd8\xff\xe0") == ("image/jpeg", "jpg")
    assert identifiers.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", "webp")
    assert identifiers.sniff(b"<html><script>") is None
    assert identifiers.sniff(b"MZ\x90\x00") is None
