"""Mastodon: statuses with media (alt text), visibility and an ``Idempotency-Key``.

Docs: POST /api/v2/media (202 while processing: poll GET /api/v1/media/:id), POST
/api/v1/statuses, GET /api/v1/accounts/verify_credentials. Bearer token auth.
"""

import time

import httpx

from hemicycle.publishing.clients.base import (
    Outgoing,
    PublishError,
    Result,
    json_of,
    new_http,
    send,
)

VISIBILITIES = ("public", "unlisted", "private", "direct")
MEDIA_POLLS = 10


class MastodonClient:
    def __init__(self, base_url: str, token: str, http: httpx.Client | None = None,
                 sleep=time.sleep):
        if not base_url or not token:
            raise PublishError("config", "instance URL and access token are required")
        self.base = base_url.rstrip("/")
        self.http = new_http(http)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.sleep = sleep

    def check(self) -> str:
        data = json_of(send(self.http, "GET", f"{self.base}/api/v1/accounts/verify_credentials",
                            headers=self.headers))
        return f"@{data.get('acct', data.get('username', '?'))}"

    def upload(self, image) -> str:
        response = send(self.http, "POST", f"{self.base}/api/v2/media", headers=self.headers,
                        files={"file": (image.filename, image.data, image.mime)},
                        data={"description": image.alt})
        media = json_of(response)
        # 202 (upload) or 206 (GET): still processing; attach it only once it has a URL.
        polls = 0
        while response.status_code in (202, 206) and not media.get("url") and polls < MEDIA_POLLS:
            self.sleep(1)
            polls += 1
            response = send(self.http, "GET", f"{self.base}/api/v1/media/{media['id']}",
                            headers=self.headers)
            media = json_of(response)
        return str(media["id"])

    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:  # already out there: statuses are never posted twice
            return Result(item.remote_id, item.options.get("remote_url", ""))
        media_ids = [self.upload(image) for image in item.images[:4]]
        visibility = item.options.get("visibility", "public")
        payload = {"status": item.text, "visibility": visibility if visibility in VISIBILITIES
                   else "public", "language": item.options.get("language", "fr")}
        if media_ids:
            payload["media_ids"] = media_ids
        headers = dict(self.headers)
        if item.key:
            headers["Idempotency-Key"] = item.key
        data = json_of(send(self.http, "POST", f"{self.base}/api/v1/statuses",
                            headers=headers, json=payload))
        if "id" not in data:
            raise PublishError("server", "no status id in the answer", transient=True)
        return Result(str(data["id"]), data.get("url") or data.get("uri") or "")
