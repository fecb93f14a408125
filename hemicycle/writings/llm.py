"""A client for any OpenAI-compatible chat endpoint (``POST {url}/chat/completions``),
for the optional drafting help. Plain httpx, no Django: the caller passes the settings,
and turns the error codes into French messages.

The request is the documented shape::

    {"model": "...", "messages": [{"role": "system", "content": "..."},
                                  {"role": "user", "content": "..."}], "temperature": 0.3}

and the answer's text is ``choices[0].message.content``.
"""

from dataclasses import dataclass

import httpx


class LLMError(Exception):
    """``code``: unauthorized, rate_limited, server, http, timeout, connection,
    bad_response; ``detail``: what the server said (for the logs)."""

    def __init__(self, code: str, detail: str = "", status: int | None = None):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail, self.status = code, detail, status


@dataclass
class Endpoint:
    url: str  # the API base, e.g. http://127.0.0.1:8080/v1
    model: str
    api_key: str = ""
    timeout: float = 60.0


def chat_complete(endpoint: Endpoint, messages: list[dict], *,
                  temperature: float = 0.3) -> str:
    """The assistant's answer to the messages; raises LLMError."""
    headers = {"Content-Type": "application/json"}
    if endpoint.api_key:
        headers["Authorization"] = f"Bearer {endpoint.api_key}"
    payload = {"model": endpoint.model, "messages": messages, "temperature": temperature}
    try:
        response = httpx.post(f"{endpoint.url.rstrip('/')}/chat/completions", json=payload,
                              headers=headers, timeout=endpoint.timeout)
    except httpx.TimeoutException as error:
        raise LLMError("timeout", str(error)) from error
    except httpx.HTTPError as error:  # refused, DNS, TLS…
        raise LLMError("connection", str(error)) from error
    if response.status_code != 200:
        code = {401: "unauthorized", 403: "unauthorized", 429: "rate_limited"}.get(
            response.status_code, "server" if response.status_code >= 500 else "http")
        raise LLMError(code, response.text[:500], response.status_code)
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise LLMError("bad_response", response.text[:500]) from error
    if not isinstance(content, str) or not content.strip():
        raise LLMError("bad_response", "empty content")
    return content.strip()
