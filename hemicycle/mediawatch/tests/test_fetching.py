"""The fast feed reader (lxml) for RSS 2.0 and Atom 1.0, and feedparser for the rest:
both must give the same items."""

import datetime

import feedparser

from hemicycle.mediawatch.fetching import _feed_item, feed_parse_fast

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>La Voix</title>
<item><title>Collèges : l&#8217;aide réduite</title><link>/nord/colleges</link>
<description><![CDATA[<p>Le <b>Département</b> réduit l'aide.</p>]]></description>
<content:encoded><![CDATA[<p>Texte complet &amp; détaillé.</p>]]></content:encoded>
<dc:creator>Inès Caron</dc:creator><pubDate>Mon, 23 Nov 2026 07:00:00 +0100</pubDate></item>
<item><title>Sans lien</title></item>
<item><title>Par le guid</title><guid>https://lavoix.example/guid-1</guid>
<pubDate>pas une date</pubDate></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry><title type="html">Bus &lt;em&gt;prolongé&lt;/em&gt;</title>
<link rel="self" href="https://blog.example/self"/>
<link href="https://blog.example/bus"/><id>urn:1</id>
<summary>Jusqu'à Bailleul.</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>La ligne 2.</p></div></content>
<author><name>Hugo Dhainaut</name></author><updated>2026-11-22T18:30:00Z</updated></entry>
</feed>""".encode()


def test_rss_items_are_read_with_their_html_stripped_and_their_date():
    first, guid = feed_parse_fast(RSS, "https://lavoix.example/rss")
    assert first.url == "https://lavoix.example/nord/colleges"
    assert first.title == "Collèges : l’aide réduite"
    assert first.summary == "Le Département réduit l'aide."
    assert first.text == "Texte complet & détaillé." and first.author == "Inès Caron"
    assert first.published_at == datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC)
    assert guid.url == "https://lavoix.example/guid-1" and guid.published_at is None


def test_atom_entries_take_the_alternate_link_and_xhtml_content():
    [entry] = feed_parse_fast(ATOM, "https://blog.example/feed")
    assert entry.url == "https://blog.example/bus" and entry.title == "Bus prolongé"
    assert entry.text == "La ligne 2." and entry.author == "Hugo Dhainaut"
    assert entry.published_at == datetime.datetime(2026, 11, 22, 18, 30, tzinfo=datetime.UTC)


def test_the_fast_reader_agrees_with_feedparser():
    parsed = feedparser.parse(RSS, response_headers={
        "content-location": "https://lavoix.example/rss"})
    slow = [i for e in parsed.entries if (i := _feed_item(e, "https://lavoix.example/rss"))]
    fast = feed_parse_fast(RSS, "https://lavoix.example/rss")
    assert [(i.url, i.title, i.summary, i.text, i.author) for i in fast] == [
        (i.url, i.title, i.summary, i.text, i.author) for i in slow]
    assert fast[0].published_at == slow[0].published_at


def test_other_formats_and_broken_xml_are_left_to_feedparser():
    rdf = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
           b'syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>x</title></item>'
           b"</rdf:RDF>")
    assert feed_parse_fast(rdf, "https://x.example/") is None
    assert feed_parse_fast(b"<rss><channel><item><title>oups", "https://x.example/") is None
    entity = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b"<rss><channel><item><title>&x;</title><link>/a</link></item></channel></rss>")
    items = feed_parse_fast(entity, "https://x.example/") or []
    assert all("root:" not in i.title for i in items)  # no external entity read
