"""Charts drawn on the server as inline SVG: no JavaScript, no chart library, readable in
print and by screen readers (a title and description, a tooltip per segment; the page
shows the same figures in a table next to it).

Pure Python, no Django.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

ROW_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
BAR_WIDTH = 420
TOTAL_WIDTH = 60


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    values: list[int]


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def stacked_bars(*, chart_id: str, title: str, categories: list[str], series: list[Series],
                 percent: bool = False, description: str = "") -> str:
    """Horizontal stacked bars, one per category. ``percent``: each bar fills the width
    and shows the share of each series (the total printed at its end stays the count)."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    scale = max(totals, default=0) or 1
    height = len(categories) * (ROW_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + TOTAL_WIDTH
    esc = html.escape
    parts = [
        f'<svg class="chart" id="{esc(chart_id)}" role="img" '
        f'aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(description)}</desc>',
    ]
    for row, (category, total) in enumerate(zip(categories, totals, strict=True)):
        y = GAP + row * (ROW_HEIGHT + GAP)
        middle = y + ROW_HEIGHT / 2 + 4
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end">'
                     f'<title>{esc(category)}</title>{esc(_short(category))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" '
                     f'height="{ROW_HEIGHT}" fill="#f0f2f4"/>')
        x = float(LABEL_WIDTH)
        for item in series:
            value = item.values[row]
            if not value:
                continue
            share = value / total if total else 0
            w = BAR_WIDTH * (share if percent else value / scale)
            tip = f"{category} — {item.label} : {value}"
            if percent:
                tip += f" ({round(100 * share)} %)"
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_HEIGHT}" '
                         f'fill="{esc(item.color)}"><title>{esc(tip)}</title></rect>')
            x += w
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{middle:.1f}">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)
