"""X (API v2): post a text with its link and up to four images.

    GET  /2/users/me            who we are (the connection test)
    POST /2/media/upload        one image, multipart (``media``, ``media_category``)
    POST /2/media/metadata      its alt text: {"id", "metadata": {"alt_text": {"text"}}}
    POST /2/tweets              {"text", "media": {"media_ids": [...]}}

Auth: an OAuth 2.0 user-context access token (scopes tweet.write, users.read and
media.write) as a Bearer token. Uploaded media ids are kept in ``Result.data`` only to
show what was sent: a retry uploads again (X keeps media 24 hours, the tweet was not
posted, nothing is published twice).
"""

import httpx

from hemicycle.publishing.clients.base import (
    Outgoing,
    PublishError,
    Result,
    json_of,
    new_http,
    send,
)

DEFAULT_BASE = "https://api.x.com"
MAX_IMAGES = 4
MAX_ALT = 1000  # characters of alt text X accepts
MAX_IMAGE_BYTES = 5 * 1024 * 1024


class XClient:
    def __init__(self, base_url: str, token: str, http: httpx.Client | None = None):
        if not token:
            raise PublishError("config", "access token is required")
        self.base = (base_url or DEFAULT_BASE).rstrip("/")
        self.http = new_http(http)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.username = ""

    def check(self) -> str:
        data = json_of(send(self.http, "GET", f"{self.base}/2/users/me", headers=self.headers))
        self.username = data.get("data", {}).get("username", "")
        return f"@{self.username}"

    def upload(self, image) -> str:
        """Upload one image and set its alt text; return X's media id."""
        if len(image.data) > MAX_IMAGE_BYTES:
            raise PublishError("rejected", f"{image.filename}: image over 5 MB")
        data = json_of(send(self.http, "POST", f"{self.base}/2/media/upload",
                            headers=self.headers,
                            data={"media_category": "tweet_image", "media_type": image.mime},
                            files={"media": (image.filename, image.data, image.mime)}))
        media_id = str((data.get("data") or {}).get("id") or "")
        if not media_id:
            raise PublishError("server", "no media id in the answer", transient=True)
        if image.alt:
            send(self.http, "POST", f"{self.base}/2/media/metadata", headers=self.headers,
                 json={"id": media_id, "metadata": {"alt_text": {"text": image.alt[:MAX_ALT]}}})
        return media_id

    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:
            return Result(item.remote_id, item.options.get("remote_url", ""))
        text = item.text
        if item.link and item.link not in text:
            text = f"{text}\n{item.link}".strip()
        payload: dict = {"text": text}
        media_ids = [self.upload(image) for image in item.images[:MAX_IMAGES]]
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        data = json_of(send(self.http, "POST", f"{self.base}/2/tweets", headers=self.headers,
                            json=payload))
        tweet_id = str(data.get("data", {}).get("id", ""))
        if not tweet_id:
            raise PublishError("server", "no post id in the answer", transient=True)
        account = item.options.get("account", "") or "i"
        return Result(tweet_id, f"https://x.com/{account.lstrip('@')}/status/{tweet_id}",
                      {"media_ids": media_ids} if media_ids else {})
