"""Text keys for searching names: pure Python, no Django."""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_name(text: str) -> str:
    """The search key of a place name: "L'Haÿ-les-Roses" → "l hay les roses".

    Lower case, no accents, œ → oe, æ → ae; hyphens, apostrophes and any other
    punctuation become one space. The same function must build the stored key and
    the query, so that "mons en baroeul" finds Mons-en-Barœul.
    """
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NOT_ALNUM.sub(" ", text).strip()
