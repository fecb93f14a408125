"""The pages: channels (admins), compose, workflow, calendar, quote cards, sharing,
dashboard; each one for alice (admin), sam (staff), bob (observer) and charlie (outsider)."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hemicycle.core.sharing import ShareRequest, share_draft, sharing_available
from hemicycle.publishing import services
from hemicycle.publishing.models import Channel, Post, PostImage, QuoteCard
from hemicycle.publishing.tests.conftest import make_channel, mastodon_ok

pytestmark = pytest.mark.django_db


def url(name: str, workspace, *args) -> str:
    return reverse(f"publishing:{name}", args=[workspace.slug, *args])


@pytest.fixture
def channels(workspace):
    return (make_channel(workspace, Channel.Kind.MASTODON, "https://m.example", name="Mastodon"),
            make_channel(workspace, Channel.Kind.BLUESKY, "", account="g.bsky.social",
                         name="Bluesky"))


def compose_data(channels, **extra) -> dict:
    mastodon, bluesky = channels
    data = {"title": "Vœu cantines", "body": "Notre vœu est adopté !", "link": "",
            "scheduled_at": "", f"use_{mastodon.code}": "on", f"text_{mastodon.code}": "",
            f"use_{bluesky.code}": "on", f"text_{bluesky.code}": "Version courte pour Bluesky"}
    data.update(extra)
    return data


def png_upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    output = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


# --- channels -------------------------------------------------------------------------


def test_an_admin_adds_a_channel_and_its_secret_is_never_shown_back(alice_client, workspace):
    response = alice_client.post(url("channel-create", workspace), {
        "name": "Mastodon du groupe", "kind": "mastodon", "base_url": "https://mastodon.example",
        "account": "", "secret": "jeton-secret-123", "is_active": "on", "visibility": "unlisted",
        "wp_status": "publish"})
    assert response.status_code == 302
    channel = Channel.objects.get(workspace=workspace)
    assert channel.secrets() == {"secret": "jeton-secret-123"}
    assert channel.options["visibility"] == "unlisted"
    page = alice_client.get(url("channel-edit", workspace, channel.code)).content.decode()
    assert "jeton-secret-123" not in page and channel.credentials not in page
    # Saving without a new secret keeps the stored one.
    alice_client.post(url("channel-edit", workspace, channel.code), {
        "name": "Mastodon", "kind": "mastodon", "base_url": "https://mastodon.example",
        "secret": "", "is_active": "on", "visibility": "public", "wp_status": "publish"})
    channel.refresh_from_db()
    assert channel.name == "Mastodon" and channel.secrets() == {"secret": "jeton-secret-123"}


def test_the_team_is_warned_that_instagram_cannot_fetch_images_from_a_local_site(
        alice_client, workspace, settings):
    instagram = make_channel(workspace, Channel.Kind.INSTAGRAM, "", account="17841",
                             name="Instagram")
    settings.SITE_URL = "http://127.0.0.1:8000"
    page = alice_client.get(url("channel-list", workspace)).content.decode()
    assert 'data-testid="instagram-not-public"' in page and "127.0.0.1:8000" in page
    post = services.post_save(workspace=workspace, by=None, title="Photo", body="Légende",
                              texts=[services.ChannelText(instagram, "Légende")])
    page = alice_client.get(url("post-detail", workspace, post.code)).content.decode()
    assert "n’est pas joignable depuis Internet" in page
    settings.SITE_URL = "https://hemicycle.ecologistes-nord.fr"
    assert "instagram-not-public" not in alice_client.get(
        url("channel-list", workspace)).content.decode()
    assert "instagram-not-public" not in alice_client.get(
        url("post-detail", workspace, post.code)).content.decode()


def test_a_channel_form_explains_what_is_missing_in_french(alice_client, workspace):
    response = alice_client.post(url("channel-create", workspace), {
        "name": "Site", "kind": "wordpress", "base_url": "", "account": "", "secret": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez l’adresse du site" in page and "Indiquez le compte" in page
    assert "Indiquez le mot de passe" in page
    assert not Channel.objects.exists()


def test_only_admins_manage_channels(sam_client, bob_client, charlie_client, workspace, channels):
    assert sam_client.get(url("channel-list", workspace)).status_code == 200
    assert sam_client.get(url("channel-create", workspace)).status_code == 403
    assert sam_client.post(url("channel-test", workspace, channels[0].code)).status_code == 403
    assert bob_client.get(url("channel-edit", workspace, channels[0].code)).status_code == 403
    assert charlie_client.get(url("channel-list", workspace)).status_code == 404


def test_the_test_button_reports_the_connection(alice_client, workspace, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    response = alice_client.post(url("channel-test", workspace, channel.code), follow=True)
    assert "Connexion réussie : @ecolonord." in response.content.decode()


# --- compose and workflow --------------------------------------------------------------


def test_a_staff_member_composes_a_post_with_a_text_per_channel(sam_client, workspace, channels):
    response = sam_client.get(url("post-create", workspace))
    page = response.content.decode()
    assert 'data-counter="bluesky"' in page and 'data-limit="300"' in page
    assert "publishing/compose.js" in page
    response = sam_client.post(url("post-create", workspace), compose_data(channels))
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == url("post-detail", workspace, post.code)
    texts = {p.channel.kind: p.text for p in post.publications.select_related("channel")}
    assert texts == {"mastodon": "Notre vœu est adopté !", "bluesky": "Version courte pour Bluesky"}
    assert post.author.email == "sam@example.org" and post.status == Post.Status.DRAFT


def test_a_text_over_the_network_limit_is_refused_with_its_count(sam_client, workspace, channels):
    data = compose_data(channels, **{f"text_{channels[1].code}": "🌱" * 301})
    page = sam_client.post(url("post-create", workspace), data).content.decode()
    assert "Trop long pour Bluesky : 301 sur 300." in page
    assert not Post.objects.exists()


def test_staff_submit_but_only_publishers_validate_and_schedule(
        sam_client, alice_client, workspace, channels, alice, sam):
    post = services.post_save(workspace=workspace, by=sam, title="T", body="Texte",
                              texts=[services.ChannelText(c, "Texte") for c in channels])
    action = url("post-action", workspace, post.code)
    assert sam_client.post(action, {"action": "submit"}).status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.TO_VALIDATE
    assert sam_client.post(action, {"action": "validate"}).status_code == 403
    assert sam_client.post(action, {"action": "schedule",
                                    "scheduled_at": "2030-01-01T10:00"}).status_code == 403
    alice_client.post(action, {"action": "validate"})
    post.refresh_from_db()
    assert post.status == Post.Status.VALIDATED and post.validated_by == alice
    alice_client.post(action, {"action": "schedule", "scheduled_at": "2030-01-07T10:30"})
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert timezone.localtime(post.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2030-01-07 10:30"
    assert set(post.publications.values_list("status", flat=True)) == {"queued"}


def test_an_observer_reads_but_cannot_write_and_an_outsider_gets_404(
        bob_client, charlie_client, workspace, channels, alice):
    post = services.post_save(workspace=workspace, by=alice, title="T", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    assert bob_client.get(url("post-detail", workspace, post.code)).status_code == 200
    assert bob_client.get(url("post-create", workspace)).status_code == 403
    assert bob_client.post(url("post-action", workspace, post.code),
                           {"action": "submit"}).status_code == 403
    assert charlie_client.get(url("post-detail", workspace, post.code)).status_code == 404
    assert charlie_client.get(
        reverse("publishing:post-detail", args=["autre-groupe", post.code])).status_code == 404


def test_an_elected_member_edits_her_own_posts_only(elodie_client, elodie, alice, workspace,
                                                     channels):
    response = elodie_client.post(url("post-create", workspace), compose_data(channels))
    mine = Post.objects.get(author=elodie)
    assert response.status_code == 302
    theirs = services.post_save(workspace=workspace, by=alice, title="T", body="x",
                                texts=[services.ChannelText(channels[0], "x")])
    assert elodie_client.get(url("post-edit", workspace, mine.code)).status_code == 200
    assert elodie_client.get(url("post-edit", workspace, theirs.code)).status_code == 403


def test_publish_now_from_the_page_sends_to_the_channel(alice_client, workspace, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = services.post_save(workspace=workspace, by=None, title="T", body="Bonjour le Nord",
                              texts=[services.ChannelText(channel, "Bonjour le Nord")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = alice_client.post(url("post-action", workspace, post.code),
                                     {"action": "publish_now"})
    page = alice_client.get(response.url).content.decode()
    assert "Publication lancée" in page and "https://mastodon.example/@ecolonord/1001" in page
    assert fake.calls("POST", "/api/v1/statuses")[0].json()["status"] == "Bonjour le Nord"


def test_the_page_warns_of_a_probable_duplicate(alice_client, alice, workspace, channels):
    texts = [services.ChannelText(channels[0], "Même texte")]
    first = services.post_save(workspace=workspace, by=alice, title="A", body="", texts=texts)
    services.post_transition(post=first, action="validate", by=alice)
    services.post_schedule(post=first, at=timezone.now() + datetime.timedelta(days=1), by=alice)
    second = services.post_save(workspace=workspace, by=alice, title="B", body="", texts=texts)
    page = alice_client.get(url("post-detail", workspace, second.code)).content.decode()
    assert "Doublon probable" in page and "« A »" in page


def test_images_need_an_alt_text_and_are_served_to_members_only(
        alice_client, charlie_client, workspace, channels, alice):
    post = services.post_save(workspace=workspace, by=alice, title="T", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    add = url("post-image-add", workspace, post.code)
    response = alice_client.post(add, {"image": png_upload(), "alt_text": ""}, follow=True)
    assert not PostImage.objects.exists() and "obligatoire" in response.content.decode()
    alice_client.post(add, {"image": png_upload(), "alt_text": "Des élu·e·s devant le collège"})
    image = PostImage.objects.get()
    response = alice_client.get(url("image", workspace, image.code))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert charlie_client.get(url("image", workspace, image.code)).status_code == 404
    # The signed public address (for Instagram) works without a login; a forged one does not.
    from django.test import Client

    public = services.public_image_url(image).split("127.0.0.1:8000", 1)[-1]
    assert Client().get(public).status_code == 200
    assert Client().get(public[:-3] + "xx/").status_code == 404


# --- calendar ------------------------------------------------------------------------------


def test_the_month_and_week_views_place_posts_on_their_day(alice_client, alice, workspace,
                                                          channels):
    post = services.post_save(workspace=workspace, by=alice, title="Vœu cantines", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    services.post_transition(post=post, action="validate", by=alice)
    when = timezone.make_aware(datetime.datetime(2030, 3, 14, 9, 30))
    services.post_schedule(post=post, at=when, by=alice)
    month = alice_client.get(url("calendar", workspace) + "?vue=mois&date=2030-03-01")
    page = month.content.decode()
    cell = page.split('data-date="2030-03-14"', 1)[1].split("</td>", 1)[0]
    assert "Vœu cantines" in cell and "09:30" in cell and "Mastodon" in cell
    assert "Mars 2030" in page or "mars 2030" in page.lower()
    week = alice_client.get(url("calendar", workspace) + "?vue=semaine&date=2030-03-12")
    assert 'data-date="2030-03-10"' not in week.content.decode()
    assert "Vœu cantines" in week.content.decode()
    other_week = alice_client.get(url("calendar", workspace) + "?vue=semaine&date=2030-03-20")
    assert "Vœu cantines" not in other_week.content.decode().split('id="calendar"')[1]


def test_htmx_navigation_gets_only_the_calendar(alice_client, workspace):
    response = alice_client.get(url("calendar", workspace) + "?vue=mois&date=2030-04-01",
                                headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card calendar" id="calendar"')
    assert "<html" not in page and "date=2030-05-01" in page and "date=2030-03-01" in page


def test_a_validated_post_is_scheduled_from_the_calendar_backlog(alice_client, alice, workspace,
                                                                channels):
    post = services.post_save(workspace=workspace, by=alice, title="À programmer", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    calendar_url = url("calendar", workspace) + "?vue=mois&date=2030-05-01"
    page = alice_client.get(calendar_url).content.decode()
    assert "À programmer" in page.split('data-testid="backlog"')[1]
    response = alice_client.post(url("post-action", workspace, post.code), {
        "action": "schedule", "scheduled_at": "2030-05-20T18:00", "next": calendar_url})
    assert response.status_code == 302 and response.url == calendar_url
    page = alice_client.get(calendar_url).content.decode()
    assert "À programmer" in page.split('data-date="2030-05-20"')[1].split("</td>")[0]


# --- quote cards ----------------------------------------------------------------------------


def test_a_quote_card_is_previewed_created_and_attached_to_a_post(
        alice_client, alice, workspace, channels):
    post = services.post_save(workspace=workspace, by=alice, title="T", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    data = {"quote": "Un repas bio et local pour chaque collégien.",
            "speaker_name": "Maëlle Dufresne", "speaker_title": "Co-présidente",
            "format": "1200x675"}
    preview = alice_client.post(url("card-preview", workspace), data,
                                headers={"HX-Request": "true"}).content.decode()
    assert 'src="data:image/png;base64,' in preview and not QuoteCard.objects.exists()
    response = alice_client.post(url("card-list", workspace),
                                 {**data, "photo": png_upload(), "post": str(post.code)})
    card = QuoteCard.objects.get()
    assert response.url == url("post-detail", workspace, post.code)
    with Image.open(card.image.path) as image:
        assert image.size == (1200, 675)
    attached = post.images.get()
    assert attached.quote_card == card and "Maëlle Dufresne" in attached.alt_text
    page = alice_client.get(url("post-detail", workspace, post.code)).content.decode()
    assert url("image", workspace, attached.code) in page


def test_an_observer_cannot_create_quote_cards(bob_client, workspace):
    assert bob_client.get(url("card-list", workspace)).status_code == 200
    response = bob_client.post(url("card-list", workspace), {
        "quote": "x", "speaker_name": "y", "format": "1080x1080"})
    assert response.status_code == 403 and not QuoteCard.objects.exists()


# --- sharing and the dashboard ---------------------------------------------------------------


def test_share_from_another_module_makes_a_draft_and_returns_its_edit_url(workspace, sam,
                                                                           channels):
    assert sharing_available()
    edit_url = share_draft(ShareRequest(
        workspace=workspace, by=sam, title="Séance du 12 novembre",
        body="Compte rendu de la séance plénière : " + "budget " * 80,
        link="https://ecologistes-nord.fr/seance", html="<p>Compte rendu</p>",
        source="council.sitting:1234"))
    post = Post.objects.get()
    assert edit_url == url("post-edit", workspace, post.code)
    assert post.status == Post.Status.DRAFT and post.source == "council.sitting:1234"
    assert post.html == "<p>Compte rendu</p>" and post.author == sam
    bluesky = post.publications.get(channel__kind="bluesky")
    assert bluesky.length <= 300 and bluesky.text.endswith("…")


def test_the_dashboard_shows_upcoming_posts_and_failures(alice_client, alice, workspace,
                                                         channels):
    post = services.post_save(workspace=workspace, by=alice, title="Prochain post", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    services.post_transition(post=post, action="validate", by=alice)
    services.post_schedule(post=post, at=timezone.now() + datetime.timedelta(hours=3), by=alice)
    failed = post.publications.get()
    page = alice_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert 'data-testid="panel-publishing"' in page and "Prochain post" in page
    failed.status, failed.last_error = "failed", "Le service a refusé la publication."
    failed.save()
    page = alice_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert "Échecs de publication" in page and "refusé la publication" in page


def test_scheduling_a_duplicate_warns_but_does_not_block(alice_client, alice, workspace,
                                                        channels):
    texts = [services.ChannelText(channels[0], "Même texte")]
    first = services.post_save(workspace=workspace, by=alice, title="A", body="", texts=texts)
    services.post_transition(post=first, action="validate", by=alice)
    services.post_schedule(post=first, at=timezone.now() + datetime.timedelta(days=1), by=alice)
    second = services.post_save(workspace=workspace, by=alice, title="B", body="", texts=texts)
    response = alice_client.post(url("post-action", workspace, second.code), {
        "action": "schedule", "scheduled_at": "2030-01-01T10:00"}, follow=True)
    page = response.content.decode()
    assert "Programmée le 01/01/2030 10:00." in page and "Doublon probable" in page
    second.refresh_from_db()
    assert second.status == Post.Status.SCHEDULED


def test_the_channels_panel_refreshes_itself_while_a_post_is_being_sent(
        alice_client, alice, workspace, channels):
    post = services.post_save(workspace=workspace, by=alice, title="T", body="x",
                              texts=[services.ChannelText(channels[0], "x")])
    services.post_transition(post=post, action="validate", by=alice)
    detail = url("post-detail", workspace, post.code)
    assert 'hx-trigger="every 2s"' not in alice_client.get(detail).content.decode()
    services.post_schedule(post=post, at=timezone.now(), by=alice)  # due: the worker's turn
    assert 'hx-trigger="every 2s"' in alice_client.get(detail).content.decode()
    fragment = alice_client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="post-channels"')
    post.publications.update(status="published")
    fragment = alice_client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' not in fragment and "Publiée" in fragment
