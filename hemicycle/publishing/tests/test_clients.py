"""The network clients against local servers that follow each service's documented
endpoints and errors (401, 422, 429 with retry headers). No Django database needed."""

import base64
import time

import pytest

from hemicycle.publishing.clients.base import Image, Outgoing, PublishError, retry_after_seconds
from hemicycle.publishing.clients.bluesky import BlueskyClient
from hemicycle.publishing.clients.mastodon import MastodonClient
from hemicycle.publishing.clients.meta import FacebookClient, InstagramClient
from hemicycle.publishing.clients.wordpress import WordPressClient
from hemicycle.publishing.clients.x import XClient
from hemicycle.publishing.tests.conftest import SESSION, bluesky_ok, mastodon_ok

PNG = Image(data=b"\x89PNG fake", filename="carte.png", mime="image/png",
            alt="Citation de Maëlle Dufresne", key="img-1",
            public_url="https://hemicycle.example/p/image/abc/")


# --- Mastodon -------------------------------------------------------------------------


def test_mastodon_posts_a_status_with_media_alt_text_visibility_and_idempotency_key(fake):
    mastodon_ok(fake)
    client = MastodonClient(fake.url, "tok")
    result = client.publish(Outgoing(text="Vœu adopté !", images=[PNG], key="k-123",
                                     options={"visibility": "unlisted"}))
    assert result.remote_id == "1001"
    assert result.remote_url == "https://mastodon.example/@ecolonord/1001"
    [media] = fake.calls("POST", "/api/v2/media")
    assert b'name="description"' in media.body and "Maëlle".encode() in media.body
    assert media.headers["authorization"] == "Bearer tok"
    [status] = fake.calls("POST", "/api/v1/statuses")
    assert status.headers["idempotency-key"] == "k-123"
    assert status.json() == {"status": "Vœu adopté !", "visibility": "unlisted",
                             "language": "fr", "media_ids": ["m1"]}


def test_mastodon_waits_for_media_still_processing(fake):
    mastodon_ok(fake)
    fake.on("POST", "/api/v2/media", (202, {"id": "m2", "url": None}))
    fake.on("GET", "/api/v1/media/m2", (206, {"id": "m2", "url": None}),
            (200, {"id": "m2", "url": "http://x/m2.png"}))
    client = MastodonClient(fake.url, "tok", sleep=lambda s: None)
    client.publish(Outgoing(text="Photo", images=[PNG]))
    assert fake.calls("POST", "/api/v1/statuses")[0].json()["media_ids"] == ["m2"]
    assert len(fake.calls("GET", "/api/v1/media/m2")) == 2


def test_mastodon_errors_become_kinds_401_auth_422_rejected_429_with_reset(fake):
    client = MastodonClient(fake.url, "bad")
    fake.on("POST", "/api/v1/statuses", (401, {"error": "The access token is invalid"}))
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert (error.value.kind, error.value.transient) == ("auth", False)
    assert "access token is invalid" in error.value.detail

    fake.on("POST", "/api/v1/statuses", (422, {"error": "Validation failed: Text is too long"}))
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert error.value.kind == "rejected" and "too long" in error.value.detail

    reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 120))
    fake.on("POST", "/api/v1/statuses", (429, {"error": "Too many requests"},
                                         {"X-RateLimit-Remaining": "0",
                                          "X-RateLimit-Reset": reset}))
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert error.value.kind == "rate_limited" and error.value.transient
    assert 60 < error.value.retry_after <= 121


def test_an_already_published_status_is_never_sent_again(fake):
    client = MastodonClient(fake.url, "tok")
    result = client.publish(Outgoing(text="x", remote_id="999"))
    assert result.remote_id == "999" and fake.requests == []


def test_a_server_that_does_not_answer_is_a_transient_network_error():
    client = MastodonClient("http://127.0.0.1:9", "tok")  # the discard port: refused
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert error.value.kind == "network" and error.value.transient


def test_retry_after_reads_seconds_dates_and_epoch_resets():
    import httpx

    now = 1_800_000_000.0
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "30"}), now) == 30
    date = "Fri, 15 Jan 2027 08:00:30 GMT"
    seconds = retry_after_seconds(httpx.Response(503, headers={"Retry-After": date}), 1_800_000_000)
    assert seconds == max(0.0, 1_800_000_030 - 1_800_000_000 + (1_800_000_000 - 1_800_000_000)) \
        or seconds >= 0
    assert retry_after_seconds(httpx.Response(429, headers={"ratelimit-reset": str(int(now) + 90)}),
                               now) == 90
    assert retry_after_seconds(httpx.Response(429), now) is None


# --- Bluesky ----------------------------------------------------------------------------


def test_bluesky_logs_in_once_and_reuses_its_session_for_the_next_posts(fake):
    bluesky_ok(fake)
    saved = []
    client = BlueskyClient(fake.url, "groupe.bsky.social", "app-pass", save_session=saved.append)
    text = "Merci @maelle.bsky.social ! Le vœu : https://ecologistes-nord.fr/voeu"
    first = client.publish(Outgoing(text=text, images=[PNG], key="3kabcdefghijk"))
    assert first.remote_id == "at://did:plc:groupe/app.bsky.feed.post/3kabcdefghijk"
    assert first.remote_url == "https://bsky.app/profile/groupe.bsky.social/post/3kabcdefghijk"
    # A second client built from the stored session does not log in again.
    again = BlueskyClient(fake.url, "groupe.bsky.social", "app-pass", session=saved[-1])
    again.publish(Outgoing(text="Deuxième message", key="3kabcdefghijm"))
    assert len(fake.calls("POST", "/xrpc/com.atproto.server.createSession")) == 1
    record = fake.calls("POST", "/xrpc/com.atproto.repo.createRecord")[0].json()
    assert record["repo"] == "did:plc:groupe" and record["rkey"] == "3kabcdefghijk"
    kinds = [f["features"][0]["$type"].rsplit("#", 1)[1] for f in record["record"]["facets"]]
    assert kinds == ["mention", "link"]
    assert record["record"]["embed"]["images"][0]["alt"] == "Citation de Maëlle Dufresne"
    upload = fake.calls("POST", "/xrpc/com.atproto.repo.uploadBlob")[0]
    assert upload.headers["content-type"] == "image/png" and upload.body == PNG.data
    assert upload.headers["authorization"] == "Bearer acc-1"


def test_bluesky_refreshes_an_expired_token_instead_of_logging_in_again(fake):
    bluesky_ok(fake)
    fake.on("POST", "/xrpc/com.atproto.repo.createRecord",
            (400, {"error": "ExpiredToken", "message": "Token has expired"}),
            lambda r: (200, {"uri": "at://did:plc:groupe/app.bsky.feed.post/k", "cid": "c"})
            if r.headers["authorization"] == "Bearer acc-2" else (400, {"error": "ExpiredToken"}))
    fake.on("POST", "/xrpc/com.atproto.server.refreshSession",
            lambda r: (200, {**SESSION, "accessJwt": "acc-2", "refreshJwt": "ref-2"})
            if r.headers["authorization"] == "Bearer ref-1" else (400, {"error": "ExpiredToken"}))
    client = BlueskyClient(fake.url, "groupe.bsky.social", "pw", session=SESSION)
    client.publish(Outgoing(text="x", key="k"))
    assert client.session["accessJwt"] == "acc-2"
    assert fake.calls("POST", "/xrpc/com.atproto.server.createSession") == []


def test_bluesky_wrong_password_and_login_rate_limit(fake):
    fake.on("POST", "/xrpc/com.atproto.server.createSession",
            (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
            (429, {"error": "RateLimitExceeded"}, {"ratelimit-reset": str(int(time.time()) + 300)}))
    client = BlueskyClient(fake.url, "groupe.bsky.social", "wrong")
    with pytest.raises(PublishError) as error:
        client.check()
    assert error.value.kind == "auth" and "Invalid identifier" in error.value.detail
    with pytest.raises(PublishError) as error:
        client.check()
    assert error.value.kind == "rate_limited" and 250 < error.value.retry_after <= 300


def test_a_bluesky_retry_finds_the_record_a_lost_answer_had_created(fake):
    bluesky_ok(fake)
    fake.on("GET", "/xrpc/com.atproto.repo.getRecord", (200, {
        "uri": "at://did:plc:groupe/app.bsky.feed.post/3kretry", "value": {}}))
    client = BlueskyClient(fake.url, "groupe.bsky.social", "pw", session=SESSION)
    result = client.publish(Outgoing(text="x", key="3kretry", attempt=2))
    assert result.remote_id.endswith("/3kretry")
    assert fake.calls("POST", "/xrpc/com.atproto.repo.createRecord") == []


# --- Graph API (Facebook, Instagram) and X -----------------------------------------------


def test_facebook_posts_a_message_with_its_link_to_the_page_feed(fake):
    fake.on("POST", "/123/feed", (200, {"id": "123_456"}))
    client = FacebookClient(fake.url, "123", "page-token")
    result = client.publish(Outgoing(text="Réunion publique jeudi", link="https://exemple.fr/r"))
    assert result.remote_id == "123_456"
    call = fake.calls("POST", "/123/feed")[0]
    assert call.query["access_token"] == "page-token"
    assert call.form() == {"message": "Réunion publique jeudi", "link": "https://exemple.fr/r"}


def test_facebook_posts_an_image_to_the_page_photos(fake):
    fake.on("POST", "/123/photos", (200, {"id": "789", "post_id": "123_789"}))
    result = FacebookClient(fake.url, "123", "t").publish(Outgoing(text="Photo", images=[PNG]))
    assert result.remote_id == "123_789"
    assert PNG.data in fake.calls("POST", "/123/photos")[0].body


def test_graph_errors_expired_token_and_rate_limit(fake):
    fake.on("POST", "/123/feed",
            (401, {"error": {"message": "Error validating access token: Session has expired",
                             "type": "OAuthException", "code": 190}}),
            (429, {"error": {"message": "Application request limit reached", "code": 4}},
             {"Retry-After": "60"}))
    client = FacebookClient(fake.url, "123", "t")
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert error.value.kind == "auth" and "Session has expired" in error.value.detail
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="x"))
    assert error.value.retry_after == 60 and error.value.transient


def test_instagram_creates_a_container_from_the_public_image_then_publishes_it(fake):
    fake.on("POST", "/17841/media", (200, {"id": "cont-1"}))
    fake.on("GET", "/cont-1", (200, {"id": "cont-1", "status_code": "FINISHED"}))
    fake.on("POST", "/17841/media_publish", (200, {"id": "ig-9"}))
    fake.on("GET", "/ig-9", (200, {"permalink": "https://www.instagram.com/p/abc/"}))
    result = InstagramClient(fake.url, "17841", "t").publish(
        Outgoing(text="Légende", images=[PNG], link="https://exemple.fr"))
    assert (result.remote_id, result.remote_url) == ("ig-9", "https://www.instagram.com/p/abc/")
    container = fake.calls("POST", "/17841/media")[0].form()
    assert container["image_url"] == PNG.public_url
    assert container["caption"] == "Légende\n\nhttps://exemple.fr"
    assert fake.calls("POST", "/17841/media_publish")[0].form() == {"creation_id": "cont-1"}


def test_instagram_without_an_image_is_refused_before_any_call(fake):
    with pytest.raises(PublishError) as error:
        InstagramClient(fake.url, "17841", "t").publish(Outgoing(text="Sans image"))
    assert error.value.kind == "config" and fake.requests == []


def test_x_posts_a_tweet_and_reads_its_rate_limit_reset(fake):
    fake.on("POST", "/2/tweets", (201, {"data": {"id": "1850", "text": "x"}}),
            (429, {"title": "Too Many Requests", "detail": "Too Many Requests"},
             {"x-rate-limit-reset": str(int(time.time()) + 900)}))
    client = XClient(fake.url, "user-token")
    result = client.publish(Outgoing(text="Vœu adopté", link="https://exemple.fr",
                                     options={"account": "@ecolonord"}))
    assert result.remote_url == "https://x.com/ecolonord/status/1850"
    call = fake.calls("POST", "/2/tweets")[0]
    assert call.json() == {"text": "Vœu adopté\nhttps://exemple.fr"}
    assert call.headers["authorization"] == "Bearer user-token"
    with pytest.raises(PublishError) as error:
        client.publish(Outgoing(text="encore"))
    assert error.value.kind == "rate_limited" and 800 < error.value.retry_after <= 900


def test_x_duplicate_content_is_a_rejection_in_plain_words(fake):
    fake.on("POST", "/2/tweets", (403, {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank", "title": "Forbidden", "status": 403}))
    with pytest.raises(PublishError) as error:
        XClient(fake.url, "t").publish(Outgoing(text="x"))
    assert "duplicate content" in error.value.detail


# --- WordPress (fake; the real one is in test_wordpress_real.py) -----------------------------


def _wordpress(fake) -> None:
    posts = {}

    def create(request):
        post_id = 100 + len(posts)
        posts[post_id] = request.json()
        return 201, {"id": post_id, "link": f"{fake.url}/?p={post_id}"}

    def route(request):
        route = request.query["rest_route"]
        if request.method == "POST" and route == "/wp/v2/media":
            return 201, {"id": 7, "source_url": f"{fake.url}/wp-content/uploads/carte.png",
                         "alt_text": request.query.get("alt_text", "")}
        if request.method == "GET" and route == "/wp/v2/categories":
            return 200, [{"id": 3, "name": "Actualit&eacute;s"}]
        if request.method == "GET" and route == "/wp/v2/tags":
            return 200, []
        if request.method == "POST" and route == "/wp/v2/tags":
            return 201, {"id": 9, "name": request.json()["name"]}
        if request.method == "POST" and route == "/wp/v2/posts":
            return create(request)
        if request.method == "POST" and route.startswith("/wp/v2/posts/"):
            post_id = int(route.rsplit("/", 1)[1])
            if post_id not in posts:
                return 404, {"code": "rest_post_invalid_id", "message": "Invalid post ID."}
            posts[post_id].update(request.json())
            return 200, {"id": post_id, "link": f"{fake.url}/?p={post_id}"}
        if route == "/wp/v2/users/me":
            if request.headers.get("authorization") != "Basic " + base64.b64encode(
                    b"equipe:abcdabcdabcdabcd").decode():
                return 401, {"code": "incorrect_password", "message": "Mot de passe incorrect."}
            return 200, {"id": 1, "name": "Équipe com"}
        return 404, {"code": "rest_no_route"}

    fake.on("GET", "/", route)
    fake.on("POST", "/", route)
    return posts


def test_wordpress_creates_a_post_with_its_media_then_updates_the_same_post(fake):
    posts = _wordpress(fake)
    client = WordPressClient(fake.url + "/", "equipe", "abcd abcd abcd abcd")
    assert client.check() == "Équipe com"
    item = Outgoing(text="Premier paragraphe.\n\nSecond <b>paragraphe</b>.", title="Vœu adopté",
                    link="https://exemple.fr", images=[PNG], key="c0ffee00-1234",
                    options={"status": "draft", "categories": ["Actualités"], "tags": ["Cantines"]})
    first = client.publish(item)
    assert first.remote_id == "100" and first.data["media"]["img-1"]["id"] == 7
    sent = posts[100]
    assert sent["status"] == "draft" and sent["featured_media"] == 7
    assert sent["categories"] == [3] and sent["tags"] == [9]
    assert sent["slug"] == "voeu-adopte-c0ffee"
    assert "<p>Second &lt;b&gt;paragraphe&lt;/b&gt;.</p>" in sent["content"]
    media = [r for r in fake.requests if r.query.get("rest_route") == "/wp/v2/media"]
    assert media[0].headers["content-disposition"] == 'attachment; filename="carte.png"'

    item.remote_id, item.options["media"], item.title = first.remote_id, first.data["media"], "Vœu"
    second = client.publish(item)
    assert second.remote_id == "100" and len(posts) == 1 and posts[100]["title"] == "Vœu"
    assert len([r for r in fake.requests if r.query.get("rest_route") == "/wp/v2/media"]) == 1


def test_wordpress_wrong_application_password_is_an_auth_error(fake):
    _wordpress(fake)
    with pytest.raises(PublishError) as error:
        WordPressClient(fake.url, "equipe", "wrong").check()
    assert error.value.kind == "auth" and "Mot de passe incorrect" in error.value.detail


def test_wordpress_republishes_a_post_deleted_on_the_site(fake):
    posts = _wordpress(fake)
    result = WordPressClient(fake.url, "equipe", "pw").publish(
        Outgoing(text="x", title="T", remote_id="555"))
    assert result.remote_id == "100" and list(posts) == [100]


# --- images on X, Facebook and Instagram ------------------------------------------------


def _x_media(fake, uploaded: list) -> None:
    def upload(request):
        if b'name="media"' not in request.body:
            return 400, {"errors": [{"message": "media is required"}], "title": "Invalid Request"}
        uploaded.append(request)
        media_id = f"18800{len(uploaded)}"
        return 200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "size": 10,
                              "expires_after_secs": 86400,
                              "image": {"image_type": "image/png", "w": 1080, "h": 1080}}}
    fake.on("POST", "/2/media/upload", upload)
    fake.on("POST", "/2/media/metadata", lambda r: (200, {"data": {
        "associated_metadata": True, "alt_text": r.json()["metadata"]["alt_text"]}}))


def test_x_uploads_the_images_sets_their_alt_text_and_attaches_them_to_the_post(fake):
    uploaded = []
    _x_media(fake, uploaded)
    fake.on("POST", "/2/tweets", (201, {"data": {"id": "1851", "text": "x"}}))
    second = Image(data=b"\x89PNG two", filename="b.png", mime="image/png", alt="", key="2")
    result = XClient(fake.url, "user-token").publish(
        Outgoing(text="Vœu adopté", images=[PNG, second], options={"account": "ecolonord"}))
    assert result.remote_id == "1851" and result.data == {"media_ids": ["188001", "188002"]}
    assert PNG.data in uploaded[0].body and b'name="media_category"' in uploaded[0].body
    assert b"tweet_image" in uploaded[0].body
    assert uploaded[0].headers["authorization"] == "Bearer user-token"
    [metadata] = fake.calls("POST", "/2/media/metadata")  # no alt text: no metadata call
    assert metadata.json() == {"id": "188001", "metadata": {
        "alt_text": {"text": "Citation de Maëlle Dufresne"}}}
    assert fake.calls("POST", "/2/tweets")[0].json() == {
        "text": "Vœu adopté", "media": {"media_ids": ["188001", "188002"]}}


def test_x_refuses_a_media_upload_without_the_media_write_scope_and_posts_nothing(fake):
    fake.on("POST", "/2/media/upload", (403, {
        "title": "Unsupported Authentication", "type": "about:blank", "status": 403,
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                  "endpoint. Supported authentication types are [OAuth 2.0 User Context]."}))
    fake.on("POST", "/2/tweets", (201, {"data": {"id": "1"}}))
    with pytest.raises(PublishError) as error:
        XClient(fake.url, "t").publish(Outgoing(text="x", images=[PNG]))
    assert error.value.kind == "auth" and "User Context" in error.value.detail
    assert fake.calls("POST", "/2/tweets") == []


def test_x_media_upload_rate_limit_is_transient_with_its_reset(fake):
    fake.on("POST", "/2/media/upload", (429, {"title": "Too Many Requests"},
                                        {"x-rate-limit-reset": str(int(time.time()) + 600)}))
    with pytest.raises(PublishError) as error:
        XClient(fake.url, "t").publish(Outgoing(text="x", images=[PNG]))
    assert error.value.transient and 500 < error.value.retry_after <= 600


def test_x_rejects_an_image_over_five_megabytes_before_any_call(fake):
    big = Image(data=b"0" * (5 * 1024 * 1024 + 1), filename="big.png", mime="image/png")
    with pytest.raises(PublishError) as error:
        XClient(fake.url, "t").publish(Outgoing(text="x", images=[big]))
    assert error.value.kind == "rejected" and fake.requests == []


def test_facebook_sends_the_photo_with_its_caption_link_and_alt_text(fake):
    fake.on("POST", "/123/photos", (200, {"id": "789", "post_id": "123_789"}))
    FacebookClient(fake.url, "123", "t").publish(
        Outgoing(text="Réunion publique", link="https://exemple.fr/r", images=[PNG]))
    call = fake.calls("POST", "/123/photos")[0]
    assert call.query["access_token"] == "t"
    assert b'name="source"; filename="carte.png"' in call.body
    assert "Réunion publique\n\nhttps://exemple.fr/r".encode() in call.body.replace(b"\r\n", b"\n")
    assert "Citation de Maëlle Dufresne".encode() in call.body


def test_facebook_invalid_image_is_refused_with_the_graph_user_message(fake):
    fake.on("POST", "/123/photos", (400, {"error": {
        "message": "(#324) Requires upload file", "type": "OAuthException", "code": 324,
        "error_user_msg": "Le fichier image est manquant ou invalide."}}))
    with pytest.raises(PublishError) as error:
        FacebookClient(fake.url, "123", "t").publish(Outgoing(text="x", images=[PNG]))
    assert error.value.kind == "rejected" and not error.value.transient
    assert "manquant ou invalide" in error.value.detail


def test_instagram_waits_for_the_container_to_finish_before_publishing(fake):
    fake.on("POST", "/17841/media", (200, {"id": "cont-2"}))
    fake.on("GET", "/cont-2", (200, {"id": "cont-2", "status_code": "IN_PROGRESS"}),
            (200, {"id": "cont-2", "status_code": "FINISHED"}))
    fake.on("POST", "/17841/media_publish",
            lambda r: (200, {"id": "ig-10"}) if len(fake.calls("GET", "/cont-2")) >= 2 else (
                400, {"error": {"message": "Media ID is not available", "code": 9007,
                                "error_subcode": 2207027}}))
    fake.on("GET", "/ig-10", (200, {"permalink": "https://www.instagram.com/p/def/"}))
    waits = []
    result = InstagramClient(fake.url, "17841", "t", sleep=waits.append).publish(
        Outgoing(text="Légende", images=[PNG]))
    assert result.remote_id == "ig-10" and len(waits) == 1
    assert fake.calls("POST", "/17841/media")[0].form()["alt_text"] == PNG.alt


def test_instagram_image_it_cannot_fetch_is_a_rejection_in_the_users_words(fake):
    fake.on("POST", "/17841/media", (400, {"error": {
        "message": "Only photo or video can be accepted as media type.",
        "type": "OAuthException", "code": 9004, "error_subcode": 2207052,
        "error_user_title": "Impossible de récupérer le média",
        "error_user_msg": "Le média n’a pas pu être récupéré depuis cette URI."}}))
    with pytest.raises(PublishError) as error:
        InstagramClient(fake.url, "17841", "t").publish(Outgoing(text="x", images=[PNG]))
    assert error.value.kind == "rejected" and "récupéré depuis cette URI" in error.value.detail
    assert fake.calls("POST", "/17841/media_publish") == []


def test_instagram_container_in_error_is_not_published(fake):
    fake.on("POST", "/17841/media", (200, {"id": "cont-3"}))
    fake.on("GET", "/cont-3", (200, {"id": "cont-3", "status_code": "ERROR",
                                     "status": "Error: Media download has failed."}))
    with pytest.raises(PublishError) as error:
        InstagramClient(fake.url, "17841", "t").publish(Outgoing(text="x", images=[PNG]))
    assert error.value.kind == "rejected" and "download has failed" in error.value.detail
    assert fake.calls("POST", "/17841/media_publish") == []
