from hemicycle.writings.textdiff import DELETE, EQUAL, INSERT, diff_html, diff_stats, diff_words


def joined(chunks, keep):
    return "".join(c.text for c in chunks if c.op in keep)


def test_joining_chunks_gives_back_both_texts():
    old = "Le Département attribue une subvention de 80 000 € à l'association."
    new = "Le Département attribue une subvention de 95 000 € à l'association Habitat."
    chunks = diff_words(old, new)
    assert joined(chunks, {EQUAL, DELETE}) == old
    assert joined(chunks, {EQUAL, INSERT}) == new


def test_a_changed_number_is_one_deletion_and_one_insertion():
    chunks = diff_words("une subvention de 80 000 €", "une subvention de 95 000 €")
    assert [c for c in chunks if c.op != EQUAL] == [
        type(chunks[0])(DELETE, "80"), type(chunks[0])(INSERT, "95")]


def test_neighbouring_changes_are_grouped_into_one_deletion_and_one_insertion():
    chunks = diff_words("de verser aux communes", "d'attribuer aux associations")
    changed = [(c.op, c.text) for c in chunks if c.op != EQUAL]
    assert changed[0] == (DELETE, "de verser")
    assert changed[1] == (INSERT, "d'attribuer")


def test_identical_texts_have_no_change():
    assert [c.op for c in diff_words("Même texte.", "Même texte.")] == [EQUAL]


def test_html_escapes_the_text_and_marks_changes():
    html = diff_html("a <b> & c", "a <i> & c\nd")
    assert "<del>b</del>" in html and "<ins>i</ins>" in html
    assert "&lt;" in html and "&amp;" in html and "<br>" in html
    assert "<b>" not in html


def test_stats_count_words_removed_and_added():
    assert diff_stats("un deux trois", "un quatre cinq trois six") == (1, 3)


def test_empty_texts_are_fine():
    assert diff_words("", "") == []
    assert diff_html("", "nouveau") == "<ins>nouveau</ins>"
