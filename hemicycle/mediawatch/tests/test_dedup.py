"""The pure dedup engine: URL keys, content hashes, MinHash near duplicates."""

from hemicycle.mediawatch import dedup

ARTICLE = (
    "Le conseil départemental du Nord a voté lundi le budget des collèges pour l'année "
    "prochaine. Les élus de l'opposition écologiste ont demandé davantage de moyens pour "
    "la rénovation thermique des bâtiments scolaires de la métropole lilloise, en "
    "particulier à Roubaix et à Tourcoing où plusieurs établissements restent mal isolés."
)
OTHER = (
    "La ligne de bus entre Armentières et Lille sera prolongée jusqu'à Bailleul à la "
    "rentrée, a annoncé la Métropole européenne de Lille. Les associations d'usagers "
    "saluent une avancée mais regrettent la fréquence d'un bus toutes les quarante "
    "minutes en heures creuses, jugée trop faible pour les salariés du secteur."
)


def test_tracking_parameters_scheme_www_fragment_and_slash_do_not_change_the_key():
    key = dedup.url_normalize("https://www.lavoixdunord.fr/1234/article/budget-colleges/")
    for variant in (
        "http://lavoixdunord.fr/1234/article/budget-colleges",
        "https://WWW.LaVoixDuNord.fr/1234/article/budget-colleges/?utm_source=tw&utm_medium=s",
        "https://www.lavoixdunord.fr/1234/article/budget-colleges#commentaires",
        "https://www.lavoixdunord.fr/1234/article/budget-colleges?fbclid=IwAR0abc",
    ):
        assert dedup.url_normalize(variant) == key


def test_meaningful_query_parameters_are_kept_in_a_stable_order():
    a = dedup.url_normalize("https://ex.fr/article?id=3&page=2&utm_campaign=x")
    assert a == dedup.url_normalize("https://ex.fr/article?page=2&id=3")
    assert a != dedup.url_normalize("https://ex.fr/article?id=4&page=2")


def test_the_content_hash_ignores_case_accents_and_punctuation():
    assert dedup.content_hash("Budget : les collèges !", ARTICLE) == dedup.content_hash(
        "budget les colleges", ARTICLE.upper().replace(",", ""))
    assert dedup.content_hash("Budget", ARTICLE) != dedup.content_hash("Budget", OTHER)


def test_a_lightly_edited_copy_is_a_near_duplicate_and_another_article_is_not():
    index = dedup.LshIndex()
    index.add("original", dedup.signature(ARTICLE))
    index.add("other", dedup.signature(OTHER))
    edited = ARTICLE.replace("lundi", "ce lundi soir").replace("plusieurs", "de nombreux")
    found = index.query(dedup.signature(edited + " Avec AFP."))
    assert found is not None and found[0] == "original"
    assert index.query(dedup.signature(
        OTHER.replace("Bailleul", "Hazebrouck").replace("Armentières", "Lomme")))[0] == "other"
    unrelated = ("Le club de handball de Dunkerque a remporté samedi son match contre "
                 "Chambéry devant quatre mille spectateurs enthousiastes au Stade des Flandres.")
    assert index.query(dedup.signature(unrelated)) is None


def test_signatures_are_stable_and_survive_storage():
    sig = dedup.signature(ARTICLE)
    assert sig == dedup.signature(ARTICLE)
    assert dedup.signature_unpack(dedup.signature_pack(sig)) == sig
    assert dedup.similarity(sig, sig) == 1.0


def test_a_bare_title_has_no_signature():
    assert dedup.signature("Conseil départemental : séance lundi") is None


MOULD = ("Le conseil municipal de {commune} a voté {day} une subvention de {amount} euros au "
         "club de football de la commune pour la rénovation de ses vestiaires. {person} "
         "salue un soutien bienvenu aux bénévoles qui encadrent chaque semaine près de deux "
         "cents licenciés, dont de nombreux jeunes des quartiers.")


def test_dispatches_cast_in_one_mould_with_other_numbers_are_not_merged():
    a = MOULD.format(commune="Hem", day="lundi", amount="12 500", person="Inès Caron")
    b = MOULD.format(commune="Croix", day="mardi", amount="8 300", person="Hugo Dhainaut")
    index = dedup.LshIndex()
    index.add("a", dedup.signature(a), dedup.numbers(a))
    assert dedup.similarity(dedup.signature(a), dedup.signature(b)) > 0.4  # same wording
    assert index.query(dedup.signature(b), dedup.numbers(b)) is None
    # A copy keeps its numbers (or drops some): still the same story.
    copy = a.replace("bienvenu", "précieux") + " (avec AFP)"
    assert index.query(dedup.signature(copy), dedup.numbers(copy))[0] == "a"


def test_normalising_folds_accents_ligatures_and_rare_letters():
    assert dedup.text_normalize("Œuvre À L’ÉCOLE d'Hénin-Beaumont ; Łódź") == (
        "oeuvre a l ecole d henin beaumont lodz")
