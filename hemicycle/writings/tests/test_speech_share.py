"""Share an excerpt of a speech as a social post: the form on the speech's page, the draft
post made by the publishing module (text on every active channel, a quote card)."""

import pytest
from django.urls import reverse

from hemicycle.core import sharing
from hemicycle.publishing.models import Channel, Post, QuoteCard
from hemicycle.publishing.tests.conftest import make_channel
from hemicycle.writings import services

SPEECH = """Monsieur le Président, mes chers collègues,

la revalorisation du RSA jeunes est attendue par 12 000 jeunes du Nord. Elle coûte 3,5 M€
par an, soit 0,2 % du budget départemental.

Nous voterons pour, sans réserve, parce que la précarité des 18-25 ans dans les cantons
de Lille et de Roubaix n'attend pas une année de plus.
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def speech(workspace, sam, report, member):
    return services.writing_create(workspace=workspace, by=sam, kind="speech",
                                   title="Intervention RSA jeunes", report=report,
                                   speaker=member, body=SPEECH)


def url(name, writing):
    return reverse(f"writings:{name}", args=[writing.workspace.slug, writing.code])


def test_the_speech_page_offers_an_excerpt_prefilled_with_its_first_sentences(
        sam_client, speech):
    page = sam_client.get(url("writing-detail", speech)).content.decode()
    assert 'data-testid="share-excerpt"' in page
    assert ("La revalorisation du RSA jeunes est attendue par 12 000 jeunes du Nord. Elle "
            "coûte 3,5 M€\npar an") not in page  # whitespace is normalised in the excerpt
    assert "La revalorisation du RSA jeunes est attendue par 12 000 jeunes du Nord." in page
    assert "Monsieur le Président" not in page.split('data-testid="share-excerpt"')[1].split(
        "</textarea>")[0]


def test_the_form_is_not_offered_for_other_writings_observers_or_without_publishing(
        sam_client, bob_client, speech, workspace, sam, monkeypatch):
    motion = services.writing_create(workspace=workspace, by=sam, kind="motion",
                                     title="Vœu vélo", body="Le Département doit agir.")
    assert 'data-testid="share-excerpt"' not in sam_client.get(
        url("writing-detail", motion)).content.decode()
    assert sam_client.post(url("writing-share", motion), {"excerpt": "x"}).status_code == 404
    assert 'data-testid="share-excerpt"' not in bob_client.get(
        url("writing-detail", speech)).content.decode()
    monkeypatch.setattr(sharing, "_HANDLER", [])
    assert 'data-testid="share-excerpt"' not in sam_client.get(
        url("writing-detail", speech)).content.decode()
    assert sam_client.post(url("writing-share", speech), {"excerpt": "x"}).status_code == 404


def test_a_staff_member_shares_a_speech_excerpt_and_gets_a_draft_post_with_a_quote_card(
        sam_client, speech, workspace, member, report):
    mastodon = make_channel(workspace, Channel.Kind.MASTODON, "https://mastodon.example")
    bluesky = make_channel(workspace, Channel.Kind.BLUESKY, "https://bsky.example",
                           account="groupe.bsky.social")
    site = make_channel(workspace, Channel.Kind.WORDPRESS, "https://site.example",
                        account="equipe")
    x = make_channel(workspace, Channel.Kind.X, "https://x.example")
    Channel.objects.filter(pk=x.pk).update(is_active=False)
    excerpt = "Nous voterons pour, sans réserve : la précarité des jeunes n'attend pas."

    response = sam_client.post(url("writing-share", speech), {"excerpt": f"  {excerpt}\n"})

    post = Post.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:post-edit",
                                           args=[workspace.slug, post.code])
    assert post.status == Post.Status.DRAFT and post.source == f"writings.writing:{speech.code}"
    assert post.title == "Extrait : Intervention RSA jeunes"
    assert post.body.startswith(f"« {excerpt} »\n— Nora Benaïssa, sur le rapport DAT/2024/112")
    texts = {p.channel_id: p.text for p in post.publications.all()}
    assert set(texts) == {mastodon.id, bluesky.id, site.id}  # the inactive X channel: none
    assert all(f"« {excerpt} »" in text for text in texts.values())
    image = post.images.get()
    assert image.quote_card.quote == excerpt
    assert image.quote_card.speaker_name == "Nora Benaïssa"
    assert image.alt_text == f"Citation de Nora Benaïssa : « {excerpt} »"
    with image.image.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert image.quote_card.size == (1080, 1080)


def test_an_outsider_gets_404_and_an_observer_or_an_elected_member_403(
        charlie_client, bob_client, elodie_client, speech):
    data = {"excerpt": "La revalorisation du RSA jeunes est attendue."}
    assert charlie_client.post(url("writing-share", speech), data).status_code == 404
    assert bob_client.post(url("writing-share", speech), data).status_code == 403
    assert elodie_client.post(url("writing-share", speech), data).status_code == 403
    assert not Post.objects.exists() and not QuoteCard.objects.exists()


def test_sharing_is_a_post_only(sam_client, speech):
    assert sam_client.get(url("writing-share", speech)).status_code == 405


def test_an_empty_excerpt_gives_a_french_error_and_creates_nothing(sam_client, speech):
    response = sam_client.post(url("writing-share", speech), {"excerpt": "   \n "})
    assert response.status_code == 200
    assert "L’extrait est vide" in response.content.decode()
    assert not Post.objects.exists() and not QuoteCard.objects.exists()


def test_an_excerpt_over_1000_characters_is_refused(sam_client, speech):
    response = sam_client.post(url("writing-share", speech), {"excerpt": "mot " * 300})
    assert "L’extrait est trop long" in response.content.decode()
    assert not Post.objects.exists()
