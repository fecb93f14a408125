"""X (API v2): post a text with its link. POST /2/tweets, GET /2/users/me.

Auth: an OAuth 2.0 user-context access token (scopes tweet.write, users.read) as a
Bearer token. Images would need the separate media upload endpoint: not sent here.
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

    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:
            return Result(item.remote_id, item.options.get("remote_url", ""))
        text = item.text
        if item.link and item.link not in text:
            text = f"{text}\n{item.link}".strip()
        data = json_of(send(self.http, "POST", f"{self.base}/2/tweets", headers=self.headers,
                            json={"text": text}))
        tweet_id = str(data.get("data", {}).get("id", ""))
        if not tweet_id:
            raise PublishError("server", "no post id in the answer", transient=True)
        account = item.options.get("account", "") or "i"
        return Result(tweet_id, f"https://x.com/{account.lstrip('@')}/status/{tweet_id}")
