"""Who is acting right now: set by the middleware for requests, by commands for the CLI."""

import contextlib
import contextvars
from collections.abc import Iterator

_actor: contextvars.ContextVar[tuple[object | None, str]] = contextvars.ContextVar(
    "audit_actor", default=(None, "")
)


def current_actor() -> tuple[object | None, str]:
    """(user or None, label)."""
    return _actor.get()


@contextlib.contextmanager
def acting_as(user=None, label: str = "") -> Iterator[None]:
    token = _actor.set((user, label or (str(user) if user else "")))
    try:
        yield
    finally:
        _actor.reset(token)
