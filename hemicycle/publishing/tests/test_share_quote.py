"""The "Share" handler with a quote (a speech excerpt): a draft post and a quote card."""

import logging

from django.urls import reverse

from hemicycle.core.sharing import ShareRequest, share_draft
from hemicycle.publishing import quotecard
from hemicycle.publishing.models import Channel, Post, QuoteCard
from hemicycle.publishing.tests.conftest import make_channel

QUOTE = "La précarité des jeunes du Nord n'attend pas une année de plus."


def share(workspace, by, **fields):
    fields = {"title": "Extrait : Intervention RSA jeunes",
              "body": f"« {QUOTE} »\n— Nora Benaïssa", "source": "writings.writing:1",
              **fields}
    return share_draft(ShareRequest(workspace=workspace, by=by, **fields))


def test_a_shared_quote_becomes_a_quote_card_attached_to_the_draft(workspace, sam):
    make_channel(workspace, Channel.Kind.MASTODON, "https://mastodon.example")
    url = share(workspace, sam, quote=QUOTE, speaker="Nora Benaïssa")
    post = Post.objects.get(source="writings.writing:1")
    assert url == reverse("publishing:post-edit", args=[workspace.slug, post.code])
    image = post.images.get()
    card = image.quote_card
    assert (card.quote, card.speaker_name, card.speaker_title) == (
        QUOTE, "Nora Benaïssa", workspace.name)
    assert card.format == QuoteCard.Format.SQUARE and card.author == sam
    assert image.alt_text == f"Citation de Nora Benaïssa : « {QUOTE} »"
    with card.image.open("rb") as handle:
        assert handle.read(4) == b"\x89PNG"
    assert post.publications.get().text == f"« {QUOTE} »\n— Nora Benaïssa"


def test_a_share_without_a_quote_has_no_card(workspace, sam):
    share(workspace, sam)
    post = Post.objects.get(source="writings.writing:1")
    assert not post.images.exists() and not QuoteCard.objects.exists()


def test_a_quote_without_a_speaker_is_signed_by_the_group(workspace, sam):
    share(workspace, sam, quote=QUOTE)
    card = QuoteCard.objects.get()
    assert card.speaker_name == workspace.name[:120] and card.speaker_title == ""


def test_a_long_quote_is_cut_on_a_word_on_the_card_but_not_in_the_post(workspace, sam):
    quote = "Le plan vélo départemental " + "avance trop lentement " * 40
    share(workspace, sam, quote=quote, body=quote)
    card = QuoteCard.objects.get()
    assert len(card.quote) <= 400 and card.quote.endswith("…")
    kept = card.quote[:-1]
    assert quote.startswith(kept) and quote[len(kept)] == " "  # a whole word
    assert Post.objects.get().body == quote


def test_a_failing_card_still_creates_the_draft_and_logs_no_quote(
        workspace, sam, monkeypatch, caplog):
    def broken(card):
        raise OSError("no font")

    monkeypatch.setattr(quotecard, "render", broken)
    with caplog.at_level(logging.WARNING, logger="hemicycle.publishing.services.posts"):
        share(workspace, sam, quote=QUOTE, speaker="Nora Benaïssa")
    post = Post.objects.get(source="writings.writing:1")
    assert post.status == Post.Status.DRAFT and not post.images.exists()
    assert not QuoteCard.objects.exists()
    assert str(post.code) in caplog.text and "OSError" in caplog.text
    assert "précarité" not in caplog.text and "Benaïssa" not in caplog.text
