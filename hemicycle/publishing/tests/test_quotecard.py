"""Quote cards drawn with Pillow (pure module)."""

import io

import pytest
from PIL import Image

from hemicycle.publishing import quotecard


def _png(color, size=(300, 300)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


@pytest.mark.parametrize("name", list(quotecard.FORMATS))
def test_a_card_is_drawn_in_each_format(name):
    card = quotecard.Card(quote="Le Nord mérite des transports publics dignes de ce nom.",
                          speaker="Maëlle Dufresne", title="Co-présidente du groupe",
                          photo=_png("blue"), logo=_png("red", (400, 200)),
                          size=quotecard.FORMATS[name])
    with Image.open(io.BytesIO(quotecard.render(card))) as image:
        assert image.size == quotecard.FORMATS[name]
        assert image.format == "PNG"
        # The group's colour fills the background, the secondary colour the bottom band.
        assert image.getpixel((image.width // 2, image.height // 2 - 10))[:3] in (
            quotecard.rgb(card.primary), (255, 255, 255))
        assert image.getpixel((image.width - 5, image.height - 5))[:3] == quotecard.rgb(
            card.secondary)


def test_a_card_is_still_drawn_without_any_system_font(monkeypatch):
    monkeypatch.setattr(quotecard, "FONT_DIRS", [])
    assert quotecard.font_path("regular") is None
    data = quotecard.render(quotecard.Card(quote="Sans police installée.", speaker="Nora"))
    assert data.startswith(b"\x89PNG")


def test_a_very_long_quote_is_shrunk_then_cut_with_an_ellipsis():
    from PIL import ImageDraw

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font, lines, line_height = quotecard.fit_quote(draw, "mot " * 400, (900, 300))
    assert line_height * len(lines) <= 300 + line_height
    assert lines[-1].endswith("…")


def test_dark_text_on_light_colours_and_light_text_on_dark_ones():
    assert quotecard.text_color_on((31, 111, 67)) == (255, 255, 255)
    assert quotecard.text_color_on((242, 193, 78)) == (20, 20, 20)


def test_a_big_image_is_made_a_jpeg_under_the_size_limit():
    import os

    noisy = Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3))
    output = io.BytesIO()
    noisy.save(output, format="PNG")
    data, mime = quotecard.as_jpeg(output.getvalue(), 950_000)
    assert mime == "image/jpeg" and len(data) <= 950_000
    small = _png("green")
    assert quotecard.as_jpeg(small, 950_000) == (small, "")
