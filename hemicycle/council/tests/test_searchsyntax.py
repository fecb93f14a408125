"""The search syntax and the text both databases index (pure, no database)."""

from hemicycle.council import searchsyntax as s


def test_folding_takes_accents_case_and_ligatures_off():
    assert s.fold("Mons-en-Barœul ÉCOLE Çà") == "mons-en-baroeul ecole ca"


def test_the_forms_of_a_word_meet_on_one_stem():
    for forms in (("association", "associations", "Associations"),
                  ("financement", "financements"),
                  ("communal", "communaux", "communale", "communales"),
                  ("mobilité", "mobilités", "MOBILITE"),
                  ("aménagée", "aménagées", "aménager"),
                  ("réseau", "réseaux"), ("bateau", "bateaux"),
                  ("élu", "élue", "élus", "élues")):
        stems = {s.stem(s.tokens(form)[0]) for form in forms}
        assert len(stems) == 1, (forms, stems)


def test_the_prepared_text_is_the_stems_of_the_tokens_whatever_the_spaces_and_marks():
    samples = ["L’association « Les Papillons Blancs » reçoit 12\u00a0000\u202f€ (œuvres).",
               "Mons-en-Barœul\tcollec-\ntivités\fpage\u00a02", "e\u0301le\u0300ve_de_l'ÉCOLE",
               "ﬁnancement m² N°12 Straße ø", "", "   ", "—…–«»"]
    for text in samples:
        assert s.prepare(text) == " ".join(s.stem(token) for token in s.tokens(text)), text


def test_numbers_and_short_words_stay_as_they_are():
    assert s.prepare("DAT/2026/81 – la RD 917") == "dat 2026 81 la rd 917"


def test_words_phrases_prefixes_exclusions_and_or_are_parsed():
    query = s.parse('collège "aide aux villages" mobil* -Lille vélo OR véloroute')
    assert [[t.words for t in clause] for clause in query.clauses] == [
        [("colleg",)], [("aide", "aux", "villag")], [("mobil",)],
        [("velo",), ("velorout",)]]
    assert query.clauses[2][0].prefix
    assert [t.words for t in query.excluded] == [("lill",)]


def test_a_number_as_the_council_writes_it_is_a_phrase():
    query = s.parse("DAT/2026/81")
    assert query.clauses == [[s.Term(("dat", "2026", "81"))]]


def test_queries_render_for_fts5_and_postgresql_without_injection():
    query = s.parse('énergie OR chauffage "plan climat" mobil* -Lille')
    assert s.to_fts5(query) == ('("energi" OR "chauffag") AND "plan climat" AND "mobil"* '
                                'NOT ("lill")')
    assert s.to_fts5_parts(query) == (
        '("energi" OR "chauffag") AND "plan climat" AND "mobil"*', '"lill"')
    assert s.to_tsquery(query) == ("(energi | chauffag) & ((plan <-> climat)) & (mobil:*) "
                                   "& !lill")
    # PostgreSQL: the words in the title (A) or the text (B), never in the facets' tokens
    assert s.to_tsquery(query, weights="AB") == (
        "(energi:AB | chauffag:AB) & ((plan:AB <-> climat:AB)) & (mobil:*AB) & !lill:AB")
    nasty = s.parse("NEAR(a b) col:x ' ; DROP")
    # punctuation never reaches FTS5: a word with some is the phrase of its parts
    assert s.to_fts5(nasty) == '"near a" AND "b" AND "col x" AND "drop"'


def test_only_exclusions_or_punctuation_make_an_empty_query():
    assert s.parse("-lille").is_empty
    assert s.parse(' " , ; ').is_empty
    assert s.parse("OR").is_empty


def test_the_snippet_marks_the_matched_words_whatever_their_accents():
    text = ("Préambule sans intérêt. " * 20 + "Le Département soutient les Associations "
            "de Mons-en-Barœul pour l'énergie. " + "Fin du texte. " * 20)
    snippet = s.highlight(text, s.parse("association energie baroeul"), width=120)
    assert "<mark>Associations</mark>" in snippet
    assert "<mark>énergie</mark>" in snippet
    assert "<mark>Barœul</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_the_snippet_escapes_html():
    snippet = s.highlight("<script>alert(1)</script> collège", s.parse("college"))
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>collège</mark>" in snippet


def test_a_quoted_phrase_is_highlighted_as_a_whole_and_only_where_it_stands():
    text = ("Le comité de pilotage a rendu un avis favorable. Plus loin, le comité se "
            "réunit et le pilotage continue.")
    snippet = s.highlight(text, s.parse('"comité de pilotage"'), width=400)
    assert "<mark>comité de pilotage</mark>" in snippet
    assert snippet.count("<mark>") == 1  # the lone "comité" and "pilotage" are not marked


def test_a_phrase_and_a_word_of_the_query_are_each_marked_once():
    text = "Programme départemental d'insertion pour Mons-en-Barœul : le programme."
    snippet = s.highlight(text, s.parse('programme "départemental d\'insertion" '
                                        "Mons-en-Barœul"), width=400)
    assert snippet == ("<mark>Programme</mark> <mark>départemental d&#x27;insertion</mark> "
                       "pour <mark>Mons-en-Barœul</mark> : le <mark>programme</mark>.")
