import io

import pytest
from PIL import Image

from hemicycle.writings.logos import LogoError, logo_check


def image_bytes(fmt: str, size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f6f43").save(buffer, fmt)
    return buffer.getvalue()


def test_a_png_and_a_jpeg_are_accepted_with_their_type():
    assert logo_check(image_bytes("PNG")) == "image/png"
    assert logo_check(image_bytes("JPEG")) == "image/jpeg"


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "unreadable"),
    (b"%PDF-1.7 not an image", "unreadable"),
    (image_bytes("PNG")[:60], "unreadable"),  # truncated
    (image_bytes("GIF"), "format"),
    (b"\x89PNG" + b"0" * (1024 * 1024 + 1), "too_heavy"),
])
def test_what_is_not_a_small_png_or_jpeg_is_refused(data, message):
    with pytest.raises(LogoError, match=message):
        logo_check(data)


def test_a_huge_image_is_refused():
    with pytest.raises(LogoError, match="too_large"):
        logo_check(image_bytes("PNG", size=(4001, 10)))
