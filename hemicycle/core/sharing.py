"""“Share” from any module: a sitting recap, a speech excerpt, a campaign's results
become a draft in the editorial calendar.

The publishing module registers the handler in its AppConfig.ready(); the others call
`share_draft` and follow the URL it returns (or hide their button when
`sharing_available()` is false). No module imports the publishing module directly.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ShareRequest:
    workspace: object
    by: object  # the User sharing
    title: str
    body: str  # plain text; the draft's default text for every channel
    link: str = ""  # absolute URL of the public page, if any
    html: str = ""  # rich body for the website (WordPress), if any
    source: str = ""  # e.g. "council.sitting:<uuid>", shown on the draft and kept
    image_path: str = ""  # a file to attach, if any
    quote: str = ""  # a quote (e.g. a speech excerpt): the publisher may draw a quote card
    speaker: str = ""  # who said the quote, as printed on the card


# Takes the request, creates a draft, returns the URL where the user edits it.
ShareHandler = Callable[[ShareRequest], str]
_HANDLER: list[ShareHandler] = []


def share_handler_register(handler: ShareHandler) -> None:
    _HANDLER[:] = [handler]


def sharing_available() -> bool:
    return bool(_HANDLER)


def share_draft(request: ShareRequest) -> str:
    if not _HANDLER:
        raise LookupError("no publishing module is installed")
    return _HANDLER[0](request)
