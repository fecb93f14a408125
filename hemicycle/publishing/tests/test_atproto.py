"""Bluesky facets on UTF-8 byte offsets, and record keys (pure module)."""

import re

from hemicycle.publishing import atproto

DIDS = {"maelle.bsky.social": "did:plc:maelle"}


def _slice(text: str, facet: dict) -> str:
    data = text.encode()
    return data[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode()


def test_link_facets_count_bytes_not_characters():
    text = "Vœu adopté à l’unanimité ! https://ecologistes-nord.fr/voeu"
    [facet] = atproto.facets(text, DIDS.get)
    assert facet["features"][0] == {"$type": "app.bsky.richtext.facet#link",
                                    "uri": "https://ecologistes-nord.fr/voeu"}
    assert _slice(text, facet) == "https://ecologistes-nord.fr/voeu"
    # "œ", "é", "à", "’" take more than one byte: character offsets would be wrong.
    assert facet["index"]["byteStart"] > text.index("https")


def test_mentions_are_resolved_to_dids_and_unknown_handles_stay_plain():
    text = "Merci @maelle.bsky.social et @inconnue.example.org !"
    facets = atproto.facets(text, DIDS.get)
    assert len(facets) == 1
    assert facets[0]["features"][0] == {"$type": "app.bsky.richtext.facet#mention",
                                        "did": "did:plc:maelle"}
    assert _slice(text, facets[0]) == "@maelle.bsky.social"


def test_a_link_at_the_very_start_and_hashtags_are_found_in_order():
    text = "https://exemple.fr début #Cantines #Nord."
    facets = atproto.facets(text, DIDS.get)
    assert [_slice(text, f) for f in facets] == ["https://exemple.fr", "#Cantines", "#Nord"]
    assert facets[1]["features"][0] == {"$type": "app.bsky.richtext.facet#tag", "tag": "Cantines"}


def test_record_keys_are_sortable_13_character_tids():
    first, second = atproto.tid(1_700_000_000_000_000), atproto.tid(1_700_000_000_000_001)
    assert re.fullmatch(r"[234567a-z]{13}", first)
    assert first < second
    assert atproto.post_url("groupe.bsky.social", "at://did:plc:x/app.bsky.feed.post/3kabc") == \
        "https://bsky.app/profile/groupe.bsky.social/post/3kabc"
