"""The newsletter module's settings: read from Django settings when the project defines
them, else from the environment (so the module works before settings.py lists them).

- NEWSLETTER_RATE_PER_SECOND: messages per second at most (0: no limit). Default 10.
- NEWSLETTER_RATE_PER_HOUR: messages per hour at most, all campaigns together (0: none).
- NEWSLETTER_BOUNCE_ADDRESS: envelope sender (Return-Path) where DSNs arrive; default
  the From address.
- NEWSLETTER_JOURNAL_DIR: where the send worker keeps its hand-over journal (see
  sending.py); default VAR_DIR/newsletters. Local to the host, or shared by all workers.
- NEWSLETTER_IMAP_HOST / _PORT / _USER / _PASSWORD / _FOLDER / _SSL: the mailbox that
  receives bounces, read by `hemicycle fetch_bounces` (off while the host is empty).
"""

import os
from pathlib import Path

from django.conf import settings


def _get(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else os.getenv(name, default)


def rate_per_second() -> float:
    return float(_get("NEWSLETTER_RATE_PER_SECOND", "10"))


def rate_per_hour() -> int:
    return int(_get("NEWSLETTER_RATE_PER_HOUR", "0"))


def bounce_address() -> str:
    return _get("NEWSLETTER_BOUNCE_ADDRESS", "")


def journal_dir() -> Path:
    return Path(_get("NEWSLETTER_JOURNAL_DIR", str(Path(settings.VAR_DIR) / "newsletters")))


def imap() -> dict:
    return {
        "host": _get("NEWSLETTER_IMAP_HOST", ""),
        "port": int(_get("NEWSLETTER_IMAP_PORT", "993")),
        "user": _get("NEWSLETTER_IMAP_USER", ""),
        "password": _get("NEWSLETTER_IMAP_PASSWORD", ""),
        "folder": _get("NEWSLETTER_IMAP_FOLDER", "INBOX"),
        "ssl": _get("NEWSLETTER_IMAP_SSL", "1").lower() in ("1", "true", "yes", "on"),
    }


# How long a send worker's lease on a campaign lasts without a heartbeat (seconds).
LEASE_SECONDS = 60
# How long a confirmation link stays valid.
CONFIRM_DAYS = 7
# Public form: posts per IP per window.
SUBSCRIBE_MAX_PER_IP = 10
SUBSCRIBE_WINDOW_SECONDS = 3600
