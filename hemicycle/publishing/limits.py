"""How long a text is for each network, and its limit. Pure Python, no Django.

The same rules run in the browser (static/publishing/compose.js) for the live counters:
- Mastodon: 500 characters, every link counts as 23;
- Bluesky: 300 graphemes (what a reader sees as one character: "é", "👍🏽", a flag);
- X: 280 "weighted" characters: Latin and common punctuation count 1, other scripts and
  emoji count 2, every link counts 23 (twitter-text's default configuration);
- Facebook 63,206 characters, an Instagram caption 2,200; WordPress has no limit.
"""

import re
import unicodedata

try:  # the `regex` module knows extended grapheme clusters (\X)
    import regex as _regex
except ImportError:  # pragma: no cover - it ships with our dependencies
    _regex = None

LIMITS: dict[str, int | None] = {
    "wordpress": None,
    "mastodon": 500,
    "bluesky": 300,
    "x": 280,
    "facebook": 63206,
    "instagram": 2200,
}
URL_WEIGHT = 23
URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'»]")
# twitter-text v3: code points in these ranges weigh 1, all others 2.
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def graphemes(text: str) -> int:
    if _regex is not None:
        return len(_regex.findall(r"\X", text))
    return sum(1 for ch in text if not unicodedata.combining(ch))  # pragma: no cover


def _x_weight(text: str) -> int:
    total = 0
    for cluster in (_regex.findall(r"\X", text) if _regex else list(text)):
        code = ord(cluster[0])
        light = len(cluster) == 1 and any(lo <= code <= hi for lo, hi in _X_LIGHT)
        total += 1 if light else 2
    return total


def measure(kind: str, text: str) -> int:
    """The length of ``text`` as the network ``kind`` counts it."""
    if kind == "bluesky":
        return graphemes(text)
    if kind in ("mastodon", "x"):
        urls = URL_RE.findall(text)
        rest = URL_RE.sub("", text)
        if kind == "mastodon":
            return len(rest) + URL_WEIGHT * len(urls)
        return _x_weight(rest) + URL_WEIGHT * len(urls)
    return len(text)


def over_limit(kind: str, text: str) -> bool:
    limit = LIMITS.get(kind)
    return limit is not None and measure(kind, text) > limit


def normalize_for_duplicates(text: str) -> str:
    """The key two texts share when they say the same thing: case, accents, spacing and
    punctuation ignored."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))
