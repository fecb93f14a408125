"""Facebook Page and Instagram professional account, through the Graph API.

Facebook: POST /{page-id}/feed (message, link) or /{page-id}/photos (an image, multipart
``source``, with a ``caption`` and ``alt_text_custom``).

Instagram (a single image): POST /{ig-user-id}/media (image_url, caption, alt_text) makes a
container, GET /{container-id}?fields=status_code until it is FINISHED (Instagram fetches
the image from the public URL, a JPEG), then POST /{ig-user-id}/media_publish
(creation_id). Errors come as {"error": {"message", "code", "error_subcode",
"error_user_msg"}}: the user message is the one shown.
Auth: a Page (or Instagram) access token, sent as ``access_token``.
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

DEFAULT_BASE = "https://graph.facebook.com/v21.0"
CONTAINER_CHECKS = 10  # status checks of an Instagram container, a few seconds apart


class _GraphClient:
    def __init__(self, base_url: str, account: str, token: str,
                 http: httpx.Client | None = None, sleep=time.sleep):
        if not account or not token:
            raise PublishError("config", "account id and access token are required")
        self.base = (base_url or DEFAULT_BASE).rstrip("/")
        self.account = account
        self.token = token
        self.http = new_http(http)
        self.sleep = sleep

    def _call(self, method: str, path: str, **data) -> dict:
        kwargs = {"params": {"access_token": self.token}}
        if method == "GET":
            kwargs["params"].update(data)
        else:
            kwargs["data"] = data
        return json_of(send(self.http, method, f"{self.base}/{path.lstrip('/')}", **kwargs))

    def check(self) -> str:
        data = self._call("GET", self.account, fields="name,username")
        return data.get("username") or data.get("name") or self.account


class FacebookClient(_GraphClient):
    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:
            return Result(item.remote_id, item.options.get("remote_url", ""))
        if item.images:
            image = item.images[0]
            response = send(self.http, "POST", f"{self.base}/{self.account}/photos",
                            params={"access_token": self.token},
                            data={"caption": _with_link(item), "alt_text_custom": image.alt},
                            files={"source": (image.filename, image.data, image.mime)})
            data = json_of(response)
            remote_id = str(data.get("post_id") or data.get("id") or "")
        else:
            payload = {"message": item.text}
            if item.link:
                payload["link"] = item.link
            remote_id = str(self._call("POST", f"{self.account}/feed", **payload).get("id", ""))
        if not remote_id:
            raise PublishError("server", "no post id in the answer", transient=True)
        return Result(remote_id, f"https://www.facebook.com/{remote_id}")


class InstagramClient(_GraphClient):
    def publish(self, item: Outgoing) -> Result:
        if item.remote_id:
            return Result(item.remote_id, item.options.get("remote_url", ""))
        if not item.images or not item.images[0].public_url:
            raise PublishError("config", "Instagram needs an image at a public address")
        image = item.images[0]
        creation_id = item.options.get("ig_container")
        if not creation_id:
            container = self._call("POST", f"{self.account}/media", image_url=image.public_url,
                                   caption=_with_link(item), alt_text=image.alt)
            creation_id = container.get("id")
            if not creation_id:
                raise PublishError("server", "no media container id", transient=True)
        try:
            # A retry reuses the container of the failed attempt: if that attempt's
            # media_publish went through but its answer was lost, the container says
            # PUBLISHED and nothing is published a second time.
            if self.wait_until_ready(creation_id) == "PUBLISHED":
                return Result(creation_id, "", {"ig_container": creation_id})
            media_id = str(self._call("POST", f"{self.account}/media_publish",
                                      creation_id=creation_id).get("id", ""))
        except PublishError as error:
            error.data = {"ig_container": creation_id}
            raise
        if not media_id:
            raise PublishError("server", "no media id in the answer", transient=True)
        url = self._call("GET", media_id, fields="permalink").get("permalink", "")
        return Result(media_id, url)


    def wait_until_ready(self, creation_id: str) -> str:
        """Instagram downloads the image in the background: publishing before the
        container is FINISHED fails (error 9007). Returns FINISHED or PUBLISHED."""
        for attempt in range(CONTAINER_CHECKS):
            status = self._call("GET", creation_id, fields="status_code,status")
            code = status.get("status_code", "FINISHED")
            if code in ("FINISHED", "PUBLISHED"):
                return code
            if code in ("ERROR", "EXPIRED"):
                raise PublishError("rejected", status.get("status") or
                                   f"Instagram could not process the image ({code})")
            self.sleep(min(2 ** attempt, 10))
        raise PublishError("server", "the image is still being processed", transient=True,
                           retry_after=60)


def _with_link(item: Outgoing) -> str:
    if item.link and item.link not in item.text:
        return f"{item.text}\n\n{item.link}".strip()
    return item.text
