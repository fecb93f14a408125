"""Duplicate articles across sources: pure Python, no Django.

Three levels, cheapest first:

1. the normalised URL (``url_normalize``): the same article reached through a tracking
   link, over http or https, with or without ``www.`` or a trailing slash;
2. the content hash (``content_hash``): the same title and text once case, accents,
   punctuation and spacing are set aside (a syndicated copy with a retouched title);
3. near duplicates (``signature`` + ``LshIndex``): MinHash over word 3-shingles, banded
   for locality-sensitive hashing, so that a lightly edited copy (a word changed, a
   sentence added) is found without comparing every pair. Candidates are confirmed by
   the estimated Jaccard similarity of their shingle sets.

Each word is hashed once (64-bit BLAKE2, cached: words repeat from text to text); a
shingle's hash is a mix of its three word hashes, computed for the whole text at once
with numpy, as is the MinHash family (multiply-shift hashing, 128 permutations). Some
tens of microseconds per article, and stable across runs and machines, so signatures can
be stored and compared later (``VERSION`` changes when they would not be comparable:
migration 0004 recomputes the stored ones).
"""

import hashlib
import operator
import random
import re
import struct
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

VERSION = "minhash-128x3-b32r4"
# 128 permutations: the estimated similarity of a light edit (true Jaccard ≈ 0.8) has a
# standard error of 0.035, so it falls under the threshold about once in 500.
PERMUTATIONS = 128
BANDS, ROWS = 32, 4  # 32 × 4 = 128; LSH threshold ≈ (1/32)^(1/4) ≈ 0.42
SHINGLE = 3
NEAR_THRESHOLD = 0.65  # estimated Jaccard to call two texts the same (a reworded title
# on a short summary with a word or two changed is about 0.68; different stories with the
# same wording are told apart by their numbers, see numbers_compatible)
MIN_SHINGLES = 8  # shorter texts (a bare title) are only compared exactly

# Query parameters that only say where a reader came from.
TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid",
                   "yclid", "_hsenc", "_hsmi", "xtor", "at_medium", "at_campaign", "ref_src"}

_rng = random.Random(20260601)  # fixed: stored signatures stay comparable
_COEFFS = [(_rng.getrandbits(64) | 1, _rng.getrandbits(64)) for _ in range(PERMUTATIONS)]
_A = np.array([a for a, _b in _COEFFS], dtype=np.uint64)[:, None]
_B = np.array([b for _a, b in _COEFFS], dtype=np.uint64)[:, None]
# Letters that Unicode does not decompose into a base letter and a mark.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss",
                            "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                            "’": "'", "‘": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics → their base letters, for str.translate (fast)."""
    table = {}
    for code in range(0x00C0, 0x0250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code))
                       if not unicodedata.combining(c))
        if base and base != chr(code):
            table[code] = base
    return table


_FOLD = _fold_table()


def url_normalize(url: str) -> str:
    """The key of a URL: no scheme, no ``www.``, no fragment, no tracking parameters,
    remaining parameters sorted, no trailing slash, host in lower case.

    >>> url_normalize("https://www.Lavoix.fr/article/?utm_source=x&id=3#top")
    'lavoix.fr/article?id=3'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    path = re.sub(r"/{2,}", "/", parts.path or "/").rstrip("/")
    return urlunsplit(("", host, path, urlencode(sorted(query)), "")).lstrip("/")


def text_normalize(text: str) -> str:
    """Lower case, no accents, ligatures expanded, punctuation and spacing to one space."""
    text = text.translate(_LIGATURES).translate(_FOLD)
    if not text.isascii():  # rarer characters: the slow, general way
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", text.lower()).strip()


def content_hash(title: str, text: str) -> str:
    """Equal for texts that differ only by case, accents, punctuation or spacing."""
    key = text_normalize(f"{title} {text}")
    return hashlib.sha256(key.encode()).hexdigest()


_WORD_HASHES: dict[str, int] = {}
_MAX_CACHED_WORDS = 500_000
_P1, _P2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        value = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        if len(_WORD_HASHES) < _MAX_CACHED_WORDS:
            _WORD_HASHES[word] = value
    return value


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the input moves every bit of the output."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str, size: int = SHINGLE) -> np.ndarray:
    """The distinct 64-bit hashes of the word ``size``-grams of the normalised text."""
    words = text_normalize(text).split()
    if not words:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < size:
        combined = hashes[:1]
        for value in hashes[1:]:
            combined = combined * _P1 + value
    else:
        n = len(words) - size + 1
        combined = hashes[:n].copy()
        for offset in range(1, size):  # order matters: a·P1² + b·P1 + c
            combined = combined * _P1 + hashes[offset:offset + n] * _P2
    return np.unique(_mix(combined))


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """The shingle hashes as a set of Python integers (for tests and inspection)."""
    return {int(v) for v in shingle_hashes(text, size)}


def signature(text: str) -> tuple[int, ...] | None:
    """The MinHash signature (128 values of 32 bits), or None when the text is too short
    to say anything beyond exact equality."""
    values = shingle_hashes(text)
    if len(values) < MIN_SHINGLES:
        return None
    # Multiply-shift: the top 32 bits of (a·h + b) mod 2^64 (numpy's uint64 arithmetic
    # wraps around), a universal family; one row per permutation.
    return tuple(((_A * values[None, :] + _B) >> np.uint64(32)).min(axis=1).tolist())


def numbers(text: str) -> frozenset[str]:
    """The numbers of a text (amounts, dates, scores), as strings."""
    return frozenset(re.findall(r"\d+", text))


def numbers_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """False when each side has a number the other lacks: two different stories."""
    return a <= b or b <= a


def signature_pack(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f">{PERMUTATIONS}I", *sig)


def signature_unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f">{PERMUTATIONS}I", bytes(data))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return sum(map(operator.eq, a, b)) / len(a)


def _band_keys(sig: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    return [(band, sig[band * ROWS:(band + 1) * ROWS]) for band in range(BANDS)]


class LshIndex:
    """Signatures by band: ``add`` them with a key (and the text's numbers), ``query``
    the best near duplicate."""

    def __init__(self, threshold: float = NEAR_THRESHOLD) -> None:
        self.threshold = threshold
        self.buckets: dict[tuple[int, tuple[int, ...]], list] = defaultdict(list)
        self.signatures: dict = {}
        self.numbers: dict = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key, sig: tuple[int, ...], nums: frozenset[str] = frozenset()) -> None:
        if key in self.signatures:
            return
        self.signatures[key] = sig
        self.numbers[key] = nums
        for band_key in _band_keys(sig):
            self.buckets[band_key].append(key)

    def candidates(self, sig: tuple[int, ...]) -> set:
        found: set = set()
        for band_key in _band_keys(sig):
            found.update(self.buckets.get(band_key, ()))
        return found

    def query(self, sig: tuple[int, ...], nums: frozenset[str] = frozenset()
              ) -> tuple[object, float] | None:
        """The most similar indexed key at or above the threshold whose numbers agree,
        with its similarity."""
        best = None
        for key in self.candidates(sig):
            if not numbers_compatible(nums, self.numbers[key]):
                continue
            score = similarity(sig, self.signatures[key])
            if score >= self.threshold and (best is None or score > best[1]):
                best = (key, score)
        return best

    def extend(self, items: Iterable[tuple[object, tuple[int, ...], frozenset[str]]]) -> None:
        for key, sig, nums in items:
            self.add(key, sig, nums)
