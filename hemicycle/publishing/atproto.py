"""AT Protocol helpers for Bluesky, pure Python: rich-text facets and record keys.

Facets mark links, mentions and hashtags in a post by their position in the text's
UTF-8 bytes (not characters: "é" is two bytes), as the Bluesky docs explain
(docs.bsky.app, "Links, mentions, and rich text").
"""

import re
import time
from collections.abc import Callable

# From the Bluesky documentation, applied to bytes; "(?:^|\W)" lets a match open the text.
MENTION_RE = re.compile(
    rb"(?:^|\W)(@([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    rb"[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
URL_RE = re.compile(
    rb"(?:^|\W)(https?://(www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b"
    rb"([-a-zA-Z0-9()@:%_+.~#?&/=]*[-a-zA-Z0-9@%_+~#/=])?)"
)
TAG_RE = re.compile(r"(?:^|\s)(#[^\d\s#][^\s#]*)")
_TRAILING = ".,;:!?…)»\"'"
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict]:
    """The facets of ``text``; ``resolve_handle("alice.bsky.social")`` gives a DID, or
    None for an unknown handle (which then stays plain text)."""
    data = text.encode("utf-8")
    found: list[dict] = []
    for match in MENTION_RE.finditer(data):
        handle = match.group(1)[1:].decode()
        did = resolve_handle(handle)
        if did:
            found.append(_facet(match.start(1), match.end(1),
                                {"$type": "app.bsky.richtext.facet#mention", "did": did}))
    for match in URL_RE.finditer(data):
        found.append(_facet(match.start(1), match.end(1),
                            {"$type": "app.bsky.richtext.facet#link",
                             "uri": match.group(1).decode()}))
    for match in TAG_RE.finditer(text):
        tag = match.group(1).rstrip(_TRAILING)
        if len(tag) < 2:
            continue
        start = len(text[:match.start(1)].encode())
        found.append(_facet(start, start + len(tag.encode()),
                            {"$type": "app.bsky.richtext.facet#tag", "tag": tag[1:]}))
    return sorted(found, key=lambda f: f["index"]["byteStart"])


def _facet(start: int, end: int, feature: dict) -> dict:
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}


def tid(micros: int | None = None, clock_id: int = 0) -> str:
    """A record key in the TID format: 13 sortable base32 characters of
    (microseconds since 1970 << 10 | clock id)."""
    micros = time.time_ns() // 1000 if micros is None else micros
    value = (micros << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def post_url(handle: str, uri: str) -> str:
    """https://bsky.app/profile/<handle>/post/<rkey> for at://<did>/app.bsky.feed.post/<rkey>."""
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"
