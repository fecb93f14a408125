"""Boundaries drawn as an inline SVG map: no tiles, no JavaScript, works offline and in print.

Pure Python (no Django). Coordinates are WGS84 longitude/latitude; the projection is
equirectangular corrected by the cosine of the mean latitude, which is faithful enough
at the scale of a département or a région.
"""

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Shape:
    geometry: dict  # GeoJSON geometry: Polygon or MultiPolygon
    label: str
    href: str = ""
    css_class: str = ""
    data: dict = field(default_factory=dict)


def _rings(geometry: dict) -> Iterable[list[list[float]]]:
    if not geometry:
        return
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def bounds(shapes: list[Shape]) -> tuple[float, float, float, float] | None:
    xs, ys = [], []
    for shape in shapes:
        for ring in _rings(shape.geometry):
            for x, y in ring:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def render(shapes: list[Shape], width: int = 800, title: str = "") -> str:
    """An <svg> with one <path> per shape (inside an <a> when it has an href)."""
    box = bounds(shapes)
    if box is None:
        return ""
    min_x, min_y, max_x, max_y = box
    kx = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * kx, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = width / span_x
    height = round(span_y * scale)

    def point(x: float, y: float) -> str:
        return f"{(x - min_x) * kx * scale:.1f},{(max_y - y) * scale:.1f}"

    def ring_path(ring: list[list[float]]) -> str:
        # Points that land on the same tenth of a pixel are drawn once: a commune
        # outline drawn 200 px wide needs far fewer points than the source has.
        points: list[str] = []
        for x, y in ring:
            p = point(x, y)
            if not points or p != points[-1]:
                points.append(p)
        return "M" + " L".join(points) + " Z" if len(points) > 2 else ""

    # role="img" would hide the links from screen readers: a map of links is a group.
    role = "group" if any(shape.href for shape in shapes) else "img"
    parts = [
        f'<svg class="svgmap" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    if title:
        parts.append(f"<title>{html.escape(title)}</title>")
    for shape in shapes:
        d = " ".join(filter(None, (ring_path(ring) for ring in _rings(shape.geometry))))
        if not d:
            continue
        attrs = "".join(
            f' data-{html.escape(k)}="{html.escape(str(v))}"' for k, v in shape.data.items()
        )
        path = (
            f'<path d="{d}" fill-rule="evenodd" class="{html.escape(shape.css_class)}"{attrs}>'
            f"<title>{html.escape(shape.label)}</title></path>"
        )
        if shape.href:
            href, label = html.escape(shape.href), html.escape(shape.label)
            path = f'<a href="{href}" aria-label="{label}">{path}</a>'
        parts.append(path)
    parts.append("</svg>")
    return "".join(parts)
