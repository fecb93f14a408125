"""Lengths as each network counts them (pure module)."""

from hemicycle.publishing import calendar_grid, limits


def test_mastodon_counts_every_link_as_23_characters():
    text = "Notre vœu adopté : https://ecologistes-nord.fr/actualites/2026/11/un-tres-long-chemin"
    assert limits.measure("mastodon", text) == len("Notre vœu adopté : ") + 23


def test_bluesky_counts_graphemes_not_code_points():
    # A flag, a thumbs up with a skin tone, an e with a combining accent: three graphemes.
    text = "🇫🇷👍🏽e\u0301"
    assert len(text) == 6
    assert limits.measure("bluesky", text) == 3


def test_x_weighs_latin_one_and_emoji_two_and_links_23():
    assert limits.measure("x", "Élu·e·s") == 7
    assert limits.measure("x", "🌱") == 2
    assert limits.measure("x", "Lire https://exemple.fr/a") == 5 + 23


def test_a_text_over_the_limit_is_flagged_per_network():
    text = "a" * 301
    assert limits.over_limit("bluesky", text)
    assert not limits.over_limit("mastodon", text)
    assert limits.over_limit("x", "a" * 281)
    assert not limits.over_limit("wordpress", "a" * 100_000)


def test_duplicates_ignore_case_accents_and_punctuation():
    assert limits.normalize_for_duplicates("Vœu ADOPTÉ !") == limits.normalize_for_duplicates(
        "vœu   adopte")


def test_the_month_grid_covers_whole_weeks_starting_on_monday():
    import datetime

    weeks = calendar_grid.month_weeks(datetime.date(2026, 11, 23))
    assert weeks[0][0] == datetime.date(2026, 10, 26) and weeks[0][0].weekday() == 0
    assert weeks[-1][-1] == datetime.date(2026, 12, 6)
    day = datetime.date
    assert calendar_grid.shift("month", day(2026, 1, 31), 1) == day(2026, 2, 28)
    assert calendar_grid.shift("week", day(2026, 11, 23), -1) == day(2026, 11, 16)
    assert calendar_grid.span("week", datetime.date(2026, 11, 25)) == (
        datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
