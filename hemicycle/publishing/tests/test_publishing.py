"""Publishing a post to several channels: results per channel, retries with backoff,
nothing published twice, scheduled posts picked up by ``publish_due``."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from hemicycle.publishing import services
from hemicycle.publishing.models import Channel, Post, Publication
from hemicycle.publishing.tests.conftest import bluesky_ok, make_channel, mastodon_ok

pytestmark = pytest.mark.django_db


def make_post(workspace, author, channels, text="Notre vœu sur les cantines est adopté !",
              **fields) -> Post:
    return services.post_save(workspace=workspace, by=author, title="Vœu cantines", body=text,
                              texts=[services.ChannelText(c, text) for c in channels], **fields)


def publish_now(post, by) -> Post:
    """Tasks are enqueued on commit; tests run in a transaction that never commits, so
    the callbacks are run by hand (the immediate task backend then runs the tasks)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        post = services.post_publish_now(post=post, by=by)
    post.refresh_from_db()
    return post


def validated(post, by) -> Post:
    return services.post_transition(post=post, action="validate", by=by)


def later(seconds: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_channel_secrets_are_encrypted_in_the_database(workspace):
    channel = make_channel(workspace, Channel.Kind.MASTODON, "https://m.example",
                           secret="jeton-tres-secret")
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM publishing_channel WHERE id = %s", [channel.id])
        raw = cursor.fetchone()[0]
    assert "jeton-tres-secret" not in raw and raw.startswith("gAAAAA")  # a Fernet token
    assert Channel.objects.get(pk=channel.pk).secrets() == {"secret": "jeton-tres-secret"}


def test_the_credentials_key_takes_over_and_old_secrets_stay_readable(workspace, settings):
    channel = make_channel(workspace, Channel.Kind.X, "", secret="avant")
    settings.HEMICYCLE_CREDENTIALS_KEY = "une-cle-longue-et-aleatoire"
    assert channel.secrets() == {"secret": "avant"}
    channel.set_secrets({"secret": "apres"})
    settings.HEMICYCLE_CREDENTIALS_KEY = ""
    assert channel.secrets() == {}  # written with the new key: unreadable without it


def test_a_post_goes_out_on_every_channel_and_records_each_result(workspace, alice, fake, fake2):
    mastodon_ok(fake)
    bluesky_ok(fake2)
    mastodon = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    bluesky = make_channel(workspace, Channel.Kind.BLUESKY, fake2.url, account="groupe.bsky.social")
    post = make_post(workspace, alice, [mastodon, bluesky])
    post = publish_now(validated(post, alice), alice)
    assert post.status == Post.Status.PUBLISHED
    by_kind = {p.channel.kind: p for p in post.publications.select_related("channel")}
    assert by_kind["mastodon"].remote_id == "1001"
    assert by_kind["mastodon"].remote_url.endswith("/1001")
    assert by_kind["bluesky"].remote_url.startswith("https://bsky.app/profile/groupe.bsky.social/")
    assert all(p.attempts == 1 and p.status == "published" for p in by_kind.values())
    # The Mastodon key is the publication's own: a retry would send the same one.
    key = fake.calls("POST", "/api/v1/statuses")[0].headers["idempotency-key"]
    assert key == str(by_kind["mastodon"].code)
    # Bluesky's session is kept, encrypted, for the next post.
    bluesky.refresh_from_db()
    assert services.channel_session(bluesky)["accessJwt"] == "acc-1"
    assert "acc-1" not in bluesky.session


def test_publishing_again_never_posts_twice(workspace, alice, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = publish_now(make_post(workspace, alice, [channel]), alice)
    publication = post.publications.get()
    assert services.publication_publish(publication.pk) is None  # not due: nothing done
    Publication.objects.filter(pk=publication.pk).update(status="queued",
                                                         next_attempt_at=timezone.now())
    services.publication_publish(publication.pk)  # even if queued again by mistake
    assert len(fake.calls("POST", "/api/v1/statuses")) == 1


def test_a_failing_channel_never_blocks_the_others_and_is_retried_later(
        workspace, alice, fake, fake2):
    mastodon_ok(fake)
    bluesky_ok(fake2)
    fake2.on("POST", "/xrpc/com.atproto.repo.createRecord",
             (502, b"<html>Bad gateway</html>"),
             lambda r: (200, {"uri": f"at://did:plc:groupe/app.bsky.feed.post/{r.json()['rkey']}"}))
    mastodon = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    bluesky = make_channel(workspace, Channel.Kind.BLUESKY, fake2.url, account="groupe.bsky.social")
    post = publish_now(make_post(workspace, alice, [mastodon, bluesky]),
                                     by=alice)
    assert post.status == Post.Status.SCHEDULED  # not finished: one channel retries
    sky = post.publications.get(channel=bluesky)
    assert post.publications.get(channel=mastodon).status == "published"
    assert sky.status == "retrying" and sky.attempts == 1
    assert "momentanément indisponible" in sky.last_error
    assert sky.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=55)  # backoff
    # Not due yet: publish_due leaves it; once due, it goes out with the same record key.
    assert services.publish_due() == {"published": 0, "retrying": 0, "failed": 0}
    call_command("publish_due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert post.publications.get(channel=bluesky).status == "retrying"
    assert services.publish_due(now=later(120)) == {"published": 1, "retrying": 0, "failed": 0}
    rkeys = {r.json()["rkey"] for r in fake2.calls("POST", "/xrpc/com.atproto.repo.createRecord")}
    assert len(rkeys) == 1
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert len(fake.calls("POST", "/api/v1/statuses")) == 1


def test_a_rate_limit_waits_as_long_as_the_server_asks(workspace, alice, fake):
    mastodon_ok(fake)
    fake.on("POST", "/api/v1/statuses", (429, {"error": "Too many requests"},
                                         {"Retry-After": "600"}))
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = publish_now(make_post(workspace, alice, [channel]), alice)
    publication = post.publications.get()
    assert publication.status == "retrying"
    assert publication.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=590)
    assert "limite le nombre de publications" in publication.last_error


def test_a_permanent_error_fails_the_post_with_the_reason_in_french(workspace, alice, fake, fake2):
    mastodon_ok(fake)
    fake2.on("POST", "/2/tweets", (401, {"title": "Unauthorized", "detail": "Unauthorized"}))
    mastodon = make_channel(workspace, Channel.Kind.MASTODON, fake.url, name="Mastodon")
    x = make_channel(workspace, Channel.Kind.X, fake2.url, name="X du groupe")
    post = publish_now(make_post(workspace, alice, [mastodon, x]), alice)
    assert post.status == Post.Status.FAILED
    assert "X du groupe : Le service a refusé les identifiants" in post.failure_reason
    assert post.publications.get(channel=mastodon).status == "published"
    assert len(fake2.calls("POST", "/2/tweets")) == 1  # no retry of a refusal


def test_transient_errors_give_up_after_five_attempts(workspace, alice, fake):
    fake.on("POST", "/api/v1/statuses", (503, {"error": "Service Unavailable"}))
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = publish_now(make_post(workspace, alice, [channel]), alice)
    for hours in range(1, 6):
        services.publish_due(now=later(hours * 7200))
    publication = post.publications.get()
    assert publication.status == "failed" and publication.attempts == services.MAX_ATTEMPTS
    assert len(fake.calls("POST", "/api/v1/statuses")) == services.MAX_ATTEMPTS


def test_a_scheduled_post_goes_out_when_due(workspace, alice, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = validated(make_post(workspace, alice, [channel]), alice)
    services.post_schedule(post=post, at=later(3600), by=alice)
    assert services.publish_due() == {"published": 0, "retrying": 0, "failed": 0}
    assert services.publish_due(now=later(3601))["published"] == 1
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_a_demo_channel_is_never_contacted(workspace, alice, fake):
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    channel.is_placeholder = True
    channel.save()
    post = publish_now(make_post(workspace, alice, [channel]), alice)
    assert fake.requests == []
    assert post.status == Post.Status.FAILED and "démonstration" in post.failure_reason
    ok, message = services.channel_test(channel=channel)
    assert not ok and fake.requests == []


def test_the_connection_test_says_who_we_are_or_why_not(workspace, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    assert services.channel_test(channel=channel) == (True, "Connexion réussie : @ecolonord.")
    fake.on("GET", "/api/v1/accounts/verify_credentials",
            (401, {"error": "The access token is invalid"}))
    ok, message = services.channel_test(channel=channel)
    assert not ok and "refusé les identifiants" in message and "access token" in message
    channel.refresh_from_db()
    assert channel.last_check_error == message


def test_a_too_long_text_cannot_be_validated(workspace, alice):
    channel = make_channel(workspace, Channel.Kind.BLUESKY, "", account="g.bsky.social")
    post = make_post(workspace, alice, [channel], text="é" * 301)
    with pytest.raises(Exception, match="dépasse la limite"):
        validated(post, alice)


def test_duplicates_are_flagged_across_posts_of_the_last_days(workspace, alice):
    channel = make_channel(workspace, Channel.Kind.MASTODON, "https://m.example")
    first = validated(make_post(workspace, alice, [channel], text="Même TEXTE !"), alice)
    services.post_schedule(post=first, at=later(86400), by=alice)
    second = make_post(workspace, alice, [channel], text="même texte")
    [duplicate] = services.post_duplicates(second)
    assert duplicate.post == first
    assert services.post_duplicates(make_post(workspace, alice, [channel], text="Autre")) == []


def test_editing_a_validated_post_sends_it_back_to_validation_unless_by_a_publisher(
        workspace, alice, sam):
    channel = make_channel(workspace, Channel.Kind.MASTODON, "https://m.example")
    post = validated(make_post(workspace, sam, [channel]), alice)
    services.post_save(workspace=workspace, by=alice, post=post, title="T", body="b",
                       texts=[services.ChannelText(channel, "b")], can_publish=True)
    assert post.status == Post.Status.VALIDATED
    services.post_save(workspace=workspace, by=sam, post=post, title="T", body="c",
                       texts=[services.ChannelText(channel, "c")])
    assert post.status == Post.Status.DRAFT and post.validated_by is None


def test_editing_a_published_post_updates_the_site_but_never_reposts_on_networks(
        workspace, alice, fake, fake2):
    mastodon_ok(fake)
    fake2.on("GET", "/", lambda r: (200, {"id": 1, "name": "Équipe"}))
    fake2.on("POST", "/", lambda r: (
        (201, {"id": 7, "source_url": "u"}) if r.query["rest_route"] == "/wp/v2/media"
        else (200, {"id": 42, "link": "https://site.example/?p=42"})))
    mastodon = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    site = make_channel(workspace, Channel.Kind.WORDPRESS, fake2.url, account="equipe")
    post = publish_now(make_post(workspace, alice, [mastodon, site]), alice)
    assert post.status == Post.Status.PUBLISHED
    post = services.post_save(workspace=workspace, by=alice, post=post, title="Corrigé",
                              body="Texte corrigé", can_publish=True,
                              texts=[services.ChannelText(mastodon, "Texte corrigé"),
                                     services.ChannelText(site, "Texte corrigé")])
    assert post.status == Post.Status.VALIDATED
    post = publish_now(post, alice)
    assert post.status == Post.Status.PUBLISHED
    routes = [r.query["rest_route"] for r in fake2.requests if r.method == "POST"]
    assert routes == ["/wp/v2/posts", "/wp/v2/posts/42"]
    assert len(fake.calls("POST", "/api/v1/statuses")) == 1
    assert post.publications.get(channel=mastodon).text == "Notre vœu sur les cantines est adopté !"


def test_a_rate_limit_holds_back_the_other_posts_of_the_same_account(workspace, alice, fake):
    mastodon_ok(fake)
    fake.on("POST", "/api/v1/statuses", (429, {"error": "Too many requests"},
                                         {"Retry-After": "900"}))
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    waiting = validated(make_post(workspace, alice, [channel], text="Deuxième"), alice)
    services.post_schedule(post=waiting, at=later(60), by=alice)
    publish_now(make_post(workspace, alice, [channel]), alice)
    held = waiting.publications.get()
    assert held.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=890)
    assert services.publish_due(now=later(120))["published"] == 0
    assert len(fake.calls("POST", "/api/v1/statuses")) == 1


def test_only_one_worker_claims_a_publication(workspace, alice):
    channel = make_channel(workspace, Channel.Kind.MASTODON, "https://m.example")
    post = validated(make_post(workspace, alice, [channel]), alice)
    services.post_schedule(post=post, at=timezone.now(), by=alice)
    publication = post.publications.get()
    assert services.publication_claim(publication.pk)
    assert not services.publication_claim(publication.pk)


def test_a_publication_left_running_by_a_dead_worker_is_taken_up_again(workspace, alice, fake):
    mastodon_ok(fake)
    channel = make_channel(workspace, Channel.Kind.MASTODON, fake.url)
    post = validated(make_post(workspace, alice, [channel]), alice)
    services.post_schedule(post=post, at=timezone.now(), by=alice)
    publication = post.publications.get()
    assert services.publication_claim(publication.pk)  # ...and the worker dies here
    assert services.publish_due(now=later(60))["published"] == 0  # maybe still working
    assert services.publish_due(now=later(20 * 60))["published"] == 1
    status = fake.calls("POST", "/api/v1/statuses")[0]
    assert status.headers["idempotency-key"] == str(publication.code)


def test_a_shared_image_is_attached_to_the_draft(workspace, sam, tmp_path):
    from PIL import Image

    from hemicycle.core.sharing import ShareRequest, share_draft

    path = tmp_path / "resultats.png"
    Image.new("RGB", (50, 50), "orange").save(path)
    make_channel(workspace, Channel.Kind.WORDPRESS, "https://site.example", account="equipe")
    share_draft(ShareRequest(workspace=workspace, by=sam, title="Résultats du jury citoyen",
                             body="Les résultats.", image_path=str(path),
                             source="juries.campaign:42"))
    post = Post.objects.get(source="juries.campaign:42")
    image = post.images.get()
    assert image.alt_text == "Résultats du jury citoyen" and image.image.read().startswith(
        b"\x89PNG")


def _png(name="carte.png", size=(60, 40)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_post_with_an_image_goes_to_x_with_alt_text_and_to_instagram_as_a_public_jpeg(
        workspace, alice, fake, fake2, client, settings):
    settings.SITE_URL = "https://groupe.example"
    fake.on("POST", "/2/media/upload", (200, {"data": {"id": "77", "media_key": "3_77"}}))
    fake.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))
    fake.on("POST", "/2/tweets", (201, {"data": {"id": "1900"}}))
    fake2.on("POST", "/17841/media", (200, {"id": "cont"}))
    fake2.on("GET", "/cont", (200, {"status_code": "FINISHED"}))
    fake2.on("POST", "/17841/media_publish", (200, {"id": "ig-1"}))
    fake2.on("GET", "/ig-1", (200, {"permalink": "https://www.instagram.com/p/x/"}))
    x = make_channel(workspace, Channel.Kind.X, fake.url, account="ecolonord")
    instagram = make_channel(workspace, Channel.Kind.INSTAGRAM, fake2.url, account="17841")
    post = make_post(workspace, alice, [x, instagram])
    services.post_image_add(post=post, image=_png(), alt_text="Maëlle au conseil")
    post = publish_now(post, alice)
    assert post.status == Post.Status.PUBLISHED
    assert fake.calls("POST", "/2/media/metadata")[0].json()["metadata"] == {
        "alt_text": {"text": "Maëlle au conseil"}}
    assert fake.calls("POST", "/2/tweets")[0].json()["media"] == {"media_ids": ["77"]}
    assert post.publications.get(channel=x).remote_data == {"media_ids": ["77"]}
    container = fake2.calls("POST", "/17841/media")[0].form()
    assert container["alt_text"] == "Maëlle au conseil"
    url = container["image_url"]
    assert url.startswith("https://groupe.example/p/publications/image/")
    # Instagram fetches it without logging in, and gets a JPEG.
    response = client.get(url.removeprefix("https://groupe.example"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:3] == b"\xff\xd8\xff"


def test_instagram_cannot_reach_a_site_on_localhost_or_a_private_network():
    assert not services.site_is_public("http://127.0.0.1:8000")
    assert not services.site_is_public("http://localhost:8000")
    assert not services.site_is_public("http://192.168.1.20")
    assert not services.site_is_public("https://hemicycle.local")
    assert not services.site_is_public("http://intranet")
    assert services.site_is_public("https://hemicycle.ecologistes-nord.fr")
    assert services.site_is_public("http://8.8.8.8")


def test_an_instagram_retry_after_a_lost_answer_reuses_its_container_and_never_posts_twice(
        workspace, alice, fake, settings):
    settings.SITE_URL = "https://groupe.example"
    fake.on("POST", "/17841/media", (200, {"id": "cont-7"}))
    # The first check finds the image ready; once media_publish went through, the
    # container says PUBLISHED.
    fake.on("GET", "/cont-7", lambda r: (200, {"id": "cont-7", "status_code": (
        "PUBLISHED" if fake.calls("POST", "/17841/media_publish") else "FINISHED")}))
    # Instagram published the image but the answer was lost on the way (a 502 here).
    fake.on("POST", "/17841/media_publish", (502, b"<html>Bad gateway</html>"))
    instagram = make_channel(workspace, Channel.Kind.INSTAGRAM, fake.url, account="17841")
    post = make_post(workspace, alice, [instagram])
    services.post_image_add(post=post, image=_png(), alt_text="Le jury citoyen")
    publish_now(post, alice)
    publication = post.publications.get()
    assert publication.status == Publication.Status.RETRYING
    assert publication.remote_data == {"ig_container": "cont-7"}
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=timezone.now())
    services.publication_publish(publication.pk)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    assert len(fake.calls("POST", "/17841/media")) == 1  # the same container, not a new one
    assert len(fake.calls("POST", "/17841/media_publish")) == 1  # published once
