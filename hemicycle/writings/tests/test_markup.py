from hemicycle.writings import markup


def test_headings_lists_tables_and_emphasis_become_html():
    html = markup.to_html(
        "# Titre\n\nUn **mot** et un *autre*.\nSuite.\n\n- un\n- deux\n\n1. premier\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n> citation")
    assert "<h2>Titre</h2>" in html
    assert "<p>Un <strong>mot</strong> et un <em>autre</em>.<br>Suite.</p>" in html
    assert "<ul><li>un</li><li>deux</li></ul>" in html
    assert "<ol><li>premier</li></ol>" in html
    assert "<thead><tr><th>A</th><th>B</th></tr></thead>" in html
    assert "<td>1</td><td>2</td>" in html and "---" not in html
    assert "<blockquote><p>citation</p></blockquote>" in html


def test_raw_html_is_escaped():
    html = markup.to_html("<script>alert(1)</script> **<img src=x onerror=y>**")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_plain_text_drops_the_marks():
    assert markup.plain("# Titre\n\n- **un** point") == "Titre\nun point"


def test_word_count_and_speaking_time():
    text = " ".join(["mot"] * 260)
    assert markup.word_count(text) == 260
    assert markup.speaking_seconds(260) == 120  # 130 words a minute
    assert markup.speaking_seconds(0) == 0


def test_table_cell_removes_pipes_and_line_breaks():
    assert markup.table_cell("a | b\nc") == "a / b c"


def test_a_lone_star_is_not_emphasis():
    assert markup.to_html("5 * 3 = 15") == "<p>5 * 3 = 15</p>"
