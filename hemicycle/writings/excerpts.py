"""The excerpt of a speech to share as a social post: its first informative sentences.

Pure Python, no Django. A speech in a council opens with forms of address ("Monsieur le
Président, mes chers collègues,") and thanks; these are dropped, as are headings and
tables. Whole sentences are then taken while they fit in ``limit`` characters; a first
sentence longer than that is cut on a word boundary and ends with "…".
"""

from __future__ import annotations

import re

from hemicycle.writings import markup

# With the attribution line (« — speaker, sur le rapport … », about 80 characters) the
# post stays within X's 280 and Bluesky's 300 characters, so no network cuts it.
LIMIT = 200

# A form of address or a thanks at the start of a speech, up to its comma / full stop:
# "Monsieur le Président,", "Mesdames et Messieurs les conseillers,", "Chers collègues,",
# "Merci Madame la Présidente.", "Bonjour à toutes et à tous."
_ADDRESS = re.compile(
    r"^\s*(?:(?:mes|nos)\s+)?(?:monsieur|madame|mesdames|messieurs|mesdemoiselles|cher|chère|"
    r"chers|chères|merci|bonjour|bonsoir)\b[^,.;:!?\n]{0,70}[,.;:!?]+\s*",
    re.IGNORECASE,
)
# Abbreviations whose dot does not end a sentence ("M. Dupont", "art. 3").
_ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "art", "cf", "p", "st",
                  "ste", "no", "n°", "env", "av", "bd"}
_SENTENCE_END = re.compile(r"[.!?…]+(?:[\s\u00a0\u202f]?[»”\"')\]])*(?=\s|$)")


def sentences(text: str) -> list[str]:
    """Split running text into sentences (a dot after a known abbreviation or before a
    lower-case word does not end one)."""
    text = re.sub(r"\s+", " ", text).strip()
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        word = re.findall(r"[^\s(«“\"']+$", text[start:match.start()])
        following = text[end:].lstrip()[:1]
        if match.group().startswith(".") and word and word[0].lower() in _ABBREVIATIONS:
            continue
        if following and following.islower():
            continue
        found.append(text[start:end].strip())
        start = end
    rest = text[start:].strip()
    if rest:
        found.append(rest)
    return [sentence for sentence in found if sentence]


def _running_text(body: str) -> str:
    """The speech's paragraphs, lists and quotes as one text; headings and tables left out."""
    parts = []
    for block in markup.parse(body):
        if block.kind in ("p", "quote"):
            parts += ["".join(t for _s, t in spans) for spans in block.lines]
        elif block.kind in ("ul", "ol"):
            parts += ["".join(t for _s, t in spans) for spans in block.items]
    # A line ending in a letter or digit (no punctuation) still ends its sentence.
    return " ".join(p.strip() + "." if re.search(r"\w$", p.strip()) else p.strip()
                    for p in parts if p.strip())


def _strip_address(text: str) -> str:
    while True:
        match = _ADDRESS.match(text)
        if not match or not text[match.end():].strip():
            break
        text = text[match.end():]
    text = text.lstrip(" ,;:—–-")
    return text[:1].upper() + text[1:]


def speech_excerpt(body: str, limit: int = LIMIT) -> str:
    """The first informative sentences of a speech (its markup text), at most ``limit``
    characters, cut on a sentence boundary."""
    text = _strip_address(_running_text(body))
    chosen: list[str] = []
    length = 0
    for sentence in sentences(text):
        added = len(sentence) + (1 if chosen else 0)
        if length + added > limit:
            break
        chosen.append(sentence)
        length += added
    if chosen:
        return " ".join(chosen)
    if not text:
        return ""
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-") + "…"
