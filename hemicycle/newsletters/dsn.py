"""Bounce reports: RFC 3464 delivery status notifications (``multipart/report;
report-type=delivery-status``) read into plain records. Pure Python, no Django.

A DSN carries one ``message/delivery-status`` part: a block of per-message fields, then
one block per recipient (``Final-Recipient``, ``Action``, ``Status``,
``Diagnostic-Code``). The original message (or its headers) usually follows, and its
``Message-ID`` tells which of our messages bounced.
"""

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.utils import parseaddr


@dataclass(frozen=True)
class Bounce:
    recipient: str
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # "5.1.1"
    diagnostic: str = ""
    message_id: str = ""  # of the original message, when the report includes it

    @property
    def is_permanent(self) -> bool:
        """A hard bounce: the address will not work (RFC 3463 class 5)."""
        return self.action == "failed" and self.status.startswith("5")


def _address(value: str) -> str:
    # "rfc822; jean@example.org" -> "jean@example.org"
    value = value.split(";", 1)[1] if ";" in value else value
    return (parseaddr(value.strip())[1] or value.strip().strip("<>")).lower()


def _field_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    # Some parsers leave the body as text: split the blocks by blank lines ourselves.
    text = payload if isinstance(payload, str) else part.get_payload(decode=True).decode()
    return [message_from_bytes(chunk.strip().encode() + b"\n", policy=policy.compat32)
            for chunk in re.split(r"\r?\n\s*\r?\n", text) if chunk.strip()]


def _original_message_id(report: Message) -> str:
    for part in report.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return str(inner["Message-ID"]).strip()
        elif ctype == "text/rfc822-headers":
            headers = message_from_bytes(part.get_payload(decode=True) or b"",
                                         policy=policy.compat32)
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    return ""


def dsn_parse(raw: bytes) -> list[Bounce]:
    """The recipients a DSN reports on; [] when the message is not a DSN."""
    report = message_from_bytes(raw, policy=policy.compat32)
    status_part = next((part for part in report.walk()
                        if part.get_content_type() == "message/delivery-status"), None)
    if status_part is None:
        return []
    message_id = _original_message_id(report)
    bounces = []
    for block in _field_blocks(status_part)[1:]:  # the first block is per-message
        recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
        if not recipient:
            continue
        bounces.append(Bounce(
            recipient=_address(str(recipient)),
            action=str(block.get("Action", "")).strip().lower(),
            status=str(block.get("Status", "")).strip(),
            diagnostic=" ".join(str(block.get("Diagnostic-Code", "")).split())[:300],
            message_id=message_id,
        ))
    return bounces
