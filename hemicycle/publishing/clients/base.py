"""What every client shares: the item to publish, the result, the error, the HTTP checks."""

import email.utils
import time
from dataclasses import dataclass, field
from datetime import datetime

import httpx

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = "Hemicycle/1.0 (+https://hemicycle.fr)"


@dataclass
class Image:
    data: bytes
    filename: str
    mime: str
    alt: str = ""
    public_url: str = ""  # Instagram fetches images itself
    key: str = ""  # our id of the image, to reuse what was uploaded before


@dataclass
class Outgoing:
    text: str
    title: str = ""
    html: str = ""
    link: str = ""
    images: list[Image] = field(default_factory=list)
    remote_id: str = ""  # set when already published: update it (WordPress) or skip
    key: str = ""  # idempotency key of this publication
    attempt: int = 1
    options: dict = field(default_factory=dict)


@dataclass
class Result:
    remote_id: str
    remote_url: str = ""
    data: dict = field(default_factory=dict)  # kept for the next publication (WordPress media)


class PublishError(Exception):
    """A failure, with a kind the services translate for the page:

    ``auth`` (credentials refused), ``rejected`` (the content was refused, e.g. 422),
    ``rate_limited`` (429), ``server`` (5xx), ``network``, ``not_found``, ``config``.
    ``transient`` errors are worth retrying, after ``retry_after`` seconds if given.
    """

    def __init__(self, kind: str, detail: str = "", *, transient: bool = False,
                 retry_after: float | None = None, status: int | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail[:500]
        self.transient = transient
        self.retry_after = retry_after
        self.status = status
        self.data: dict = {}  # what the next attempt must know (e.g. a container created)


def new_http(http: httpx.Client | None = None) -> httpx.Client:
    return http or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT},
                                follow_redirects=False)


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or a date), or the rate-limit reset
    headers (Mastodon: ISO date; Bluesky and X: epoch seconds)."""
    now = time.time() if now is None else now
    value = response.headers.get("retry-after", "").strip()
    if value:
        if value.isdigit():
            return float(value)
        parsed = email.utils.parsedate_to_datetime(value) if "," in value else None
        if parsed is not None:
            return max(0.0, parsed.timestamp() - now)
    for name in ("x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"):
        value = response.headers.get(name, "").strip()
        if not value:
            continue
        if value.replace(".", "", 1).isdigit():
            number = float(value)
            # An epoch timestamp, or (IETF draft) a number of seconds.
            return max(0.0, number - now) if number > 1e9 else number
        try:
            return max(0.0, datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now)
        except ValueError:
            continue
    return None


def error_detail(response: httpx.Response) -> str:
    """The service's own message, whatever its JSON shape."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):  # Graph API: the message meant for users first
            return str(error.get("error_user_msg") or error.get("message", ""))
        parts = [data.get(k) for k in ("message", "detail", "error_description")]
        if isinstance(error, str):
            parts.insert(0, error)
        if isinstance(data.get("errors"), list):  # X
            parts += [e.get("message", "") for e in data["errors"] if isinstance(e, dict)]
        return " — ".join(str(p) for p in parts if p)[:500]
    return str(data)[:300]


def check(response: httpx.Response) -> httpx.Response:
    """Raise a PublishError unless the response is a success."""
    status = response.status_code
    if 200 <= status < 300:
        return response
    detail = error_detail(response)
    if status in (401, 403):
        raise PublishError("auth", detail, status=status)
    if status == 429:
        raise PublishError("rate_limited", detail, transient=True,
                           retry_after=retry_after_seconds(response), status=status)
    if status == 408 or status >= 500:
        raise PublishError("server", detail, transient=True,
                           retry_after=retry_after_seconds(response), status=status)
    if status == 404:
        raise PublishError("not_found", detail, status=status)
    raise PublishError("rejected", detail, status=status)


def send(http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    """One request; network failures become transient errors."""
    try:
        response = http.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise PublishError("network", f"timeout: {exc}", transient=True) from exc
    except httpx.TransportError as exc:
        raise PublishError("network", str(exc), transient=True) from exc
    return check(response)


def json_of(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError as exc:
        raise PublishError("server", "not JSON", transient=True) from exc
    if not isinstance(data, dict):
        raise PublishError("server", "unexpected answer", transient=True)
    return data
