"""Fixtures of the publishing app: fake remote services on loopback, channels, media."""

import pytest

from hemicycle.publishing import services
from hemicycle.publishing.models import Channel
from hemicycle.publishing.tests.fakeserver import FakeService, running

try:  # the real WordPress harness (Debian's wordpress + MariaDB), when present
    from hemicycle.publishing.tests.wordpress_server import wordpress_site  # noqa: F401
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fake():
    with running(FakeService()) as service:
        yield service


@pytest.fixture
def fake2():
    with running(FakeService()) as service:
        yield service


def make_channel(workspace, kind: str, url: str, account: str = "", secret: str = "s3cret",
                 name: str = "", **options) -> Channel:
    return services.channel_save(workspace=workspace, name=name or f"Canal {kind}", kind=kind,
                                 base_url=url, account=account, secret=secret,
                                 options=options or None)


MASTODON_ACCOUNT = {"id": "1", "username": "ecolonord", "acct": "ecolonord"}


def mastodon_ok(service: FakeService) -> None:
    service.on("GET", "/api/v1/accounts/verify_credentials", (200, MASTODON_ACCOUNT))
    service.on("POST", "/api/v2/media", (200, {"id": "m1", "url": "http://x/m1.png"}))
    service.on("POST", "/api/v1/statuses",
               (200, {"id": "1001", "url": "https://mastodon.example/@ecolonord/1001"}))


SESSION = {"accessJwt": "acc-1", "refreshJwt": "ref-1", "did": "did:plc:groupe",
           "handle": "groupe.bsky.social"}


def bluesky_ok(service: FakeService) -> None:
    service.on("POST", "/xrpc/com.atproto.server.createSession", (200, SESSION))
    service.on("GET", "/xrpc/com.atproto.server.getSession", (200, SESSION))
    service.on("GET", "/xrpc/com.atproto.identity.resolveHandle",
               lambda r: (200, {"did": "did:plc:maelle"}) if r.query.get("handle") ==
               "maelle.bsky.social" else (400, {"error": "InvalidRequest",
                                                "message": "Unable to resolve handle"}))
    service.on("POST", "/xrpc/com.atproto.repo.uploadBlob", (200, {"blob": {
        "$type": "blob", "ref": {"$link": "bafkrei"}, "mimeType": "image/png", "size": 10}}))
    service.on("POST", "/xrpc/com.atproto.repo.createRecord",
               lambda r: (200, {"uri": f"at://did:plc:groupe/app.bsky.feed.post/"
                                       f"{r.json()['rkey']}", "cid": "bafyrei"}))
