"""The excerpt of a speech shared as a social post (pure functions, no database)."""

from hemicycle.writings.excerpts import LIMIT, sentences, speech_excerpt

SPEECH = """# Intervention sur le RSA jeunes

Monsieur le Président, mes chers collègues,

la revalorisation du RSA jeunes est attendue par 12 000 jeunes du Nord. M. Lefebvre l'a
rappelé en commission. Elle coûte 3,5 M€ par an, soit 0,2 % du budget départemental.

Nous voterons pour, sans réserve, parce que la précarité des 18-25 ans dans les cantons
de Lille et de Roubaix n'attend pas une année de plus.
"""


def test_the_excerpt_skips_the_heading_and_the_forms_of_address():
    excerpt = speech_excerpt(SPEECH)
    assert excerpt.startswith("La revalorisation du RSA jeunes est attendue par 12 000 jeunes")
    assert "Monsieur le Président" not in excerpt and "Intervention sur" not in excerpt


def test_the_excerpt_ends_on_a_sentence_boundary_within_the_limit():
    excerpt = speech_excerpt(SPEECH)
    assert len(excerpt) <= LIMIT
    assert excerpt.endswith("soit 0,2 % du budget départemental.")
    assert "Nous voterons pour" not in excerpt  # the next sentence would not fit


def test_a_dot_after_an_abbreviation_does_not_end_the_sentence():
    assert sentences("M. Lefebvre l'a dit. Art. 3 : le montant. Voilà !") == [
        "M. Lefebvre l'a dit.", "Art. 3 : le montant.", "Voilà !"]


def test_a_closing_guillemet_stays_with_its_sentence():
    assert sentences("Elle a dit « non ! » Nous aussi.") == ["Elle a dit « non ! »", "Nous aussi."]


def test_thanks_are_not_informative():
    assert speech_excerpt("Merci Madame la Présidente. Le plan vélo est en retard.") == \
        "Le plan vélo est en retard."


def test_a_first_sentence_longer_than_the_limit_is_cut_on_a_word_with_an_ellipsis():
    excerpt = speech_excerpt("Ce plan " + "très " * 100 + "ambitieux.", limit=60)
    assert len(excerpt) <= 60 and excerpt.endswith("très…")


def test_an_empty_speech_or_one_made_only_of_greetings_gives_what_there_is():
    assert speech_excerpt("") == ""
    assert speech_excerpt("# Titre seul") == ""
    assert speech_excerpt("Monsieur le Président,") == "Monsieur le Président,"
