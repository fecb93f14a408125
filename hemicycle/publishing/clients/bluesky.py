"""Bluesky over plain HTTP (XRPC), with the session reused between publications.

createSession is rate-limited (30 per 5 minutes, 300 per day per account), so the
tokens are kept (the caller stores them, encrypted) and refreshed with refreshSession
when the access token expires; only when that fails is a new session created.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from hemicycle.publishing import atproto
from hemicycle.publishing.clients.base import (
    Outgoing,
    PublishError,
    Result,
    json_of,
    new_http,
    send,
)

DEFAULT_BASE = "https://bsky.social"
COLLECTION = "app.bsky.feed.post"


class BlueskyClient:
    def __init__(self, base_url: str, identifier: str, password: str,
                 session: dict | None = None, save_session: Callable[[dict], None] | None = None,
                 http: httpx.Client | None = None):
        if not identifier or not password:
            raise PublishError("config", "handle and app password are required")
        self.base = (base_url or DEFAULT_BASE).rstrip("/")
        self.identifier = identifier.lstrip("@")
        self.password = password
        self.session = dict(session or {})
        self.save_session = save_session or (lambda s: None)
        self.http = new_http(http)

    def _url(self, nsid: str) -> str:
        return f"{self.base}/xrpc/{nsid}"

    def login(self) -> None:
        data = json_of(send(self.http, "POST", self._url("com.atproto.server.createSession"),
                            json={"identifier": self.identifier, "password": self.password}))
        self._keep(data)

    def refresh(self) -> None:
        try:
            data = json_of(send(
                self.http, "POST", self._url("com.atproto.server.refreshSession"),
                headers={"Authorization": f"Bearer {self.session.get('refreshJwt', '')}"}))
        except PublishError as error:
            if error.transient:
                raise
            self.login()
        else:
            self._keep(data)

    def _keep(self, data: dict) -> None:
        self.session = {k: data.get(k, "") for k in ("accessJwt", "refreshJwt", "did", "handle")}
        self.save_session(self.session)

    def call(self, method: str, nsid: str, headers: dict | None = None,
             **kwargs) -> httpx.Response:
        """An authenticated call; an expired token is refreshed once."""
        if not self.session.get("accessJwt"):
            self.login()
        for attempt in (1, 2):
            auth = {**(headers or {}), "Authorization": f"Bearer {self.session['accessJwt']}"}
            try:
                return send(self.http, method, self._url(nsid), headers=auth, **kwargs)
            except PublishError as error:
                expired = error.status == 401 or "ExpiredToken" in error.detail
                if attempt == 2 or not expired:
                    raise
                self.refresh()
        raise AssertionError("unreachable")  # pragma: no cover

    def check(self) -> str:
        data = json_of(self.call("GET", "com.atproto.server.getSession"))
        return f"@{data.get('handle', self.identifier)}"

    def resolve_handle(self, handle: str) -> str | None:
        try:
            data = json_of(send(self.http, "GET", self._url("com.atproto.identity.resolveHandle"),
                                params={"handle": handle}))
        except PublishError as error:
            if error.transient:
                raise
            return None
        return data.get("did")

    def upload(self, image) -> dict:
        data = json_of(self.call("POST", "com.atproto.repo.uploadBlob", content=image.data,
                                 headers={"Content-Type": image.mime}))
        return data["blob"]

    def existing(self, rkey: str) -> dict | None:
        try:
            return json_of(self.call("GET", "com.atproto.repo.getRecord", params={
                "repo": self.session["did"], "collection": COLLECTION, "rkey": rkey}))
        except PublishError as error:
            if error.transient or error.kind == "auth":
                raise
            return None

    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:
            return Result(item.remote_id, item.options.get("remote_url", ""))
        if not self.session.get("accessJwt"):
            self.login()
        rkey = item.key or atproto.tid()
        if item.attempt > 1:  # a previous attempt may have gone through
            found = self.existing(rkey)
            if found and found.get("uri"):
                return Result(found["uri"], atproto.post_url(self.session["handle"], found["uri"]))
        record = {
            "$type": COLLECTION,
            "text": item.text,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "langs": [item.options.get("language", "fr")],
        }
        found_facets = atproto.facets(item.text, self.resolve_handle)
        if found_facets:
            record["facets"] = found_facets
        if item.images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": [
                {"alt": image.alt, "image": self.upload(image)} for image in item.images[:4]]}
        elif item.link:
            record["embed"] = {"$type": "app.bsky.embed.external", "external": {
                "uri": item.link, "title": item.title, "description": ""}}
        data = json_of(self.call("POST", "com.atproto.repo.createRecord", json={
            "repo": self.session["did"], "collection": COLLECTION, "rkey": rkey,
            "record": record}))
        uri = data.get("uri", "")
        if not uri:
            raise PublishError("server", "no record uri in the answer", transient=True)
        return Result(uri, atproto.post_url(self.session["handle"], uri))
