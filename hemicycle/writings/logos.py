"""Check an uploaded logo by its bytes, not by its name or declared type: only a PNG or
JPEG image that Pillow decodes, of a sensible size, goes into the documents' letterhead.
(An SVG could carry scripts; a renamed file is not an image.) No Django here."""

import io

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """Why the file is refused: a code (``empty``, ``too_heavy``, ``unreadable``,
    ``format``, ``too_large``) that the form turns into a French message."""


def logo_check(data: bytes) -> str:
    """The content type of a valid logo; raises LogoError otherwise."""
    if not data:
        raise LogoError("empty")
    if len(data) > MAX_BYTES:
        raise LogoError("too_heavy")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()  # reads the whole file: a truncated or forged one fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise LogoError("unreadable") from error
    if kind not in FORMATS:
        raise LogoError("format")
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise LogoError("too_large")
    return FORMATS[kind]
