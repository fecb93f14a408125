"""Quote cards: a quote, the speaker's name, title and photo, the group's logo and
colours, drawn with Pillow. Pure Python (no Django); returns PNG bytes.

Fonts: DejaVu (Debian's fonts-dejavu-core) when present, else Liberation, else Pillow's
built-in font, so that a card is always drawn, if plainer.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

FORMATS = {"1080x1080": (1080, 1080), "1080x1350": (1080, 1350), "1200x675": (1200, 675)}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/truetype/liberation")]
FONT_FILES = {"regular": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
              "bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
              "serif": ("DejaVuSerif-Italic.ttf", "DejaVuSerif.ttf", "LiberationSerif-Italic.ttf")}


@dataclass
class Card:
    quote: str
    speaker: str
    title: str = ""
    photo: bytes | None = None
    logo: bytes | None = None
    primary: str = "#1f6f43"
    secondary: str = "#f2c14e"
    size: tuple[int, int] = (1080, 1080)


def font_path(style: str) -> Path | None:
    for directory in FONT_DIRS:
        for name in FONT_FILES[style]:
            if (directory / name).is_file():
                return directory / name
    return None


def load_font(style: str, size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = font_path(style)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.load_default(size=size)  # FreeType build of Pillow ≥ 10.1
    except TypeError:  # pragma: no cover - very old Pillow
        return ImageFont.load_default()


def rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def text_color_on(background: tuple[int, int, int]) -> tuple[int, int, int]:
    """White or near-black, whichever reads better (relative luminance)."""
    r, g, b = (c / 255 for c in background)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (255, 255, 255) if luminance < 0.55 else (20, 20, 20)


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=font) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def fit_quote(draw, text: str, box: tuple[int, int]) -> tuple[object, list[str], int]:
    """The largest font size (88 down to 24) at which the quote fits the box."""
    width, height = box
    for size in range(88, 22, -4):
        font = load_font("serif", size)
        lines = wrap(draw, text, font, width)
        line_height = int(size * 1.3)
        if line_height * len(lines) <= height:
            return font, lines, line_height
    font = load_font("serif", 24)
    lines = wrap(draw, text, font, width)
    keep = max(1, height // 31)
    if len(lines) > keep:
        lines = lines[:keep]
        lines[-1] = lines[-1].rstrip(" .,;") + "…"
    return font, lines, 31


def _paste_image(canvas: Image.Image, data: bytes, box: tuple[int, int, int, int],
                 circle: bool = False) -> None:
    left, top, right, bottom = box
    with Image.open(io.BytesIO(data)) as source:
        source = ImageOps.exif_transpose(source).convert("RGBA")
        if circle:
            picture = ImageOps.fit(source, (right - left, bottom - top))
            mask = Image.new("L", picture.size, 0)
            ImageDraw.Draw(mask).ellipse((0, 0, *picture.size), fill=255)
            canvas.paste(picture, (left, top), mask)
        else:
            source.thumbnail((right - left, bottom - top))
            canvas.paste(source, (right - source.width, top), source)


def render(card: Card) -> bytes:
    width, height = card.size
    primary, secondary = rgb(card.primary), rgb(card.secondary)
    ink = text_color_on(primary)
    canvas = Image.new("RGB", (width, height), primary)
    draw = ImageDraw.Draw(canvas)
    margin = width // 12
    band = max(90, height // 7)  # the speaker's band at the bottom
    draw.rectangle((0, height - band, width, height), fill=secondary)
    draw.rectangle((0, 0, width // 60, height - band), fill=secondary)
    if card.logo:
        _paste_image(canvas, card.logo, (width - margin - 200, margin // 2,
                                         width - margin, margin // 2 + 110))
    mark_font = load_font("serif", height // 5)
    draw.text((margin, margin // 2), "«", font=mark_font, fill=secondary)
    top = margin // 2 + height // 5
    font, lines, line_height = fit_quote(
        draw, card.quote.strip(), (width - 2 * margin, height - band - top - margin // 2))
    for index, line in enumerate(lines):
        draw.text((margin, top + index * line_height), line, font=font, fill=ink)
    name_left = margin
    if card.photo:
        diameter = band + band // 5
        photo_top = height - band - diameter // 4  # overlaps the band's top edge
        _paste_image(canvas, card.photo, (margin, photo_top, margin + diameter,
                                          photo_top + diameter), circle=True)
        name_left = margin + diameter + margin // 3
    band_ink = text_color_on(secondary)
    name_font = load_font("bold", max(22, band // 3))
    title_font = load_font("regular", max(16, band // 5))
    name_top = height - band + band // 6
    draw.text((name_left, name_top), card.speaker, font=name_font, fill=band_ink)
    if card.title:
        draw.text((name_left, name_top + int(band / 2.4)), card.title, font=title_font,
                  fill=band_ink)
    output = io.BytesIO()
    canvas.save(output, format="PNG", optimize=True)
    return output.getvalue()


def to_jpeg(data: bytes, quality: int = 90) -> bytes:
    """The image as a JPEG (Instagram accepts no other format); a JPEG stays as it is."""
    if data[:3] == b"\xff\xd8\xff":
        return data
    with Image.open(io.BytesIO(data)) as image:
        output = io.BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=quality)
    return output.getvalue()


def as_jpeg(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """The image as it is when small enough, otherwise as a JPEG under ``max_bytes``
    (Bluesky refuses images over 1 MB)."""
    if len(data) <= max_bytes:
        return data, ""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        for quality in (90, 80, 70, 60, 50):
            output = io.BytesIO()
            image.save(output, format="JPEG", quality=quality)
            if output.tell() <= max_bytes:
                return output.getvalue(), "image/jpeg"
            image.thumbnail((image.width * 3 // 4, image.height * 3 // 4))
    return output.getvalue(), "image/jpeg"
