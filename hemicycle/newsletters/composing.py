"""A campaign as e-mail: the workspace's template (colours, logo), an HTML part, a
plain-text part generated from the same content, and the per-recipient headers
(Message-ID, List-Unsubscribe with one-click, RFC 8058).

The campaign is rendered once; each recipient only gets their own unsubscribe link and
Message-ID put in (the send loop must be cheap per message).
"""

import re
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from hemicycle.newsletters import markup
from hemicycle.newsletters.models import Campaign
from hemicycle.newsletters.tracking import (
    TRACK_PLACEHOLDER,
    links_track,
    pixel_url,
    tracking_token,
)

UNSUBSCRIBE_PLACEHOLDER = "__HEMICYCLE_UNSUBSCRIBE_URL__"
_SIGNER = signing.Signer(salt="newsletters.unsubscribe")


@dataclass
class Composed:
    subject: str
    from_email: str
    html: str
    text: str
    list_id: str
    # Whether the parts hold TRACK_PLACEHOLDER (open pixel, tracked links).
    tracked: bool = False
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_token(delivery_pk: int) -> str:
    return _SIGNER.sign(str(delivery_pk))


def unsubscribe_token_read(token: str) -> int | None:
    try:
        return int(_SIGNER.unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_url(delivery_pk: int | None) -> str:
    token = unsubscribe_token(delivery_pk) if delivery_pk else "essai"
    return settings.SITE_URL + reverse("newsletters:unsubscribe", args=[token])


def message_id(campaign: Campaign, delivery_pk: int, domain: str = "") -> str:
    return f"<{campaign.code.hex}.{delivery_pk}@{domain or mail_domain()}>"


def _reason(campaign: Campaign) -> str:
    workspace = campaign.workspace
    if campaign.mailing_list_id:
        return _("Vous recevez ce message car vous êtes inscrit·e à « %(list)s » de "
                 "%(ws)s.") % {"list": campaign.mailing_list.name, "ws": workspace.name}
    if campaign.kind != Campaign.Kind.NEWSLETTER:
        return _("Vous recevez ce message en tant que contact presse de %(ws)s.") % {
            "ws": workspace.name}
    return _("Vous recevez ce message en tant que contact de %(ws)s.") % {"ws": workspace.name}


def _list_id(campaign: Campaign) -> str:
    """RFC 2919 List-Id: a list's own id, or the workspace's for audience mailings."""
    key = campaign.mailing_list.code.hex if campaign.mailing_list_id else campaign.workspace.slug
    return f"{campaign.workspace.short_name} <{key}.{mail_domain()}>"


def campaign_compose(campaign: Campaign, *, tracking: bool = False) -> Composed:
    """The campaign rendered once. ``tracking``: for real messages (the send, a test),
    put in the open pixel and the tracked links when the campaign measures them; the
    preview and the public archive never have them."""
    workspace = campaign.workspace
    color = workspace.primary_color
    archive_url = ""
    if campaign.mailing_list_id and campaign.in_archive:
        archive_url = settings.SITE_URL + reverse(
            "newsletters:archive-detail", args=[campaign.code])
    logo_url = (settings.SITE_URL + reverse("newsletters:campaign-logo", args=[campaign.code])
                if workspace.logo else "")
    context = {
        "campaign": campaign, "workspace": workspace, "subject": campaign.subject,
        "preheader": campaign.preheader, "body_html": markup.to_html(campaign.body, color=color),
        "body_text": markup.to_text(campaign.body), "reason": _reason(campaign),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER, "archive_url": archive_url,
        "logo_url": logo_url, "primary": color, "secondary": workspace.secondary_color,
        "press_release": campaign.press_release, "pixel_url": "",
    }
    if tracking and campaign.track_clicks:
        context["body_html"] = links_track(campaign, context["body_html"])
    if tracking and campaign.track_opens:
        context["pixel_url"] = pixel_url()
    composed = Composed(
        subject=campaign.subject,
        from_email=formataddr((workspace.short_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        html=_short_lines(render_to_string("newsletters/email/campaign.html", context)),
        text=_short_lines(render_to_string("newsletters/email/campaign.txt", context)),
        list_id=_list_id(campaign),
    )
    composed.tracked = TRACK_PLACEHOLDER in composed.html
    if campaign.press_release_id:
        from hemicycle.newsletters.press import press_release_pdf, press_release_pdf_name

        composed.attachments.append((press_release_pdf_name(campaign.press_release),
                                     press_release_pdf(campaign.press_release),
                                     "application/pdf"))
    return composed


def message_build(composed: Composed, *, to_email: str, to_name: str = "",
                  delivery_pk: int | None = None, msgid: str = "",
                  link: str = "", track: str = "") -> EmailMultiAlternatives:
    link = link or unsubscribe_url(delivery_pk)
    html_part = composed.html.replace(UNSUBSCRIBE_PLACEHOLDER, link)
    if composed.tracked:
        html_part = html_part.replace(TRACK_PLACEHOLDER, track or tracking_token(delivery_pk))
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": composed.list_id,
    }
    if msgid:
        headers["Message-ID"] = msgid
    message = EmailMultiAlternatives(
        subject=composed.subject,
        body=composed.text.replace(UNSUBSCRIBE_PLACEHOLDER, link),
        from_email=composed.from_email,
        to=[formataddr((to_name, to_email)) if to_name else to_email],
        headers=headers,
    )
    message.attach_alternative(html_part, "text/html")
    for name, content, mimetype in composed.attachments:
        message.attach(name, content, mimetype)
    return message


class MessageTemplate:
    """The campaign's message as bytes, ready for SMTP, with marks where each recipient's
    To, Message-ID and unsubscribe link go: rendering and MIME encoding happen once per
    batch instead of once per message, and each message is one ``join`` of the pieces
    between the marks.

    The parts are 8bit (no line over 998 bytes, see ``_short_lines``), so the marks stay
    verbatim; if they do not (an unexpected encoding), ``usable`` is false and the caller
    builds each message in full.
    """

    TO = "recipient@hemicycle.invalid"
    MSGID = "<message-id@hemicycle.invalid>"
    LINK = "https://hemicycle.invalid/unsubscribe-link"
    TRACK = "hemicycle-track-mark"

    def __init__(self, composed: Composed) -> None:
        self.tracked = composed.tracked
        message = message_build(composed, to_email=self.TO, msgid=self.MSGID, link=self.LINK,
                                track=self.TRACK)
        raw = message.message().as_bytes(linesep="\r\n")
        self.data = smtp_quote(raw)
        to_mark = f"To: {self.TO}\r\n".encode()
        self.usable = (self.data.count(to_mark) == 1
                       and self.data.count(self.MSGID.encode()) == 1
                       and self.data.count(self.LINK.encode()) >= 3
                       and (self.data.count(self.TRACK.encode()) >= 1) == self.tracked)
        self.link_prefix = settings.SITE_URL + reverse("newsletters:unsubscribe", args=["T"])[:-2]
        # The pieces between the marks, and which value goes after each piece.
        self.pieces: list[bytes] = []
        # 0: the To line, 1: the Message-ID, 2: the unsubscribe link, 3: the tracking token
        self.slots: list[int] = []
        if self.usable:
            marks = re.compile(b"|".join(re.escape(m) for m in (
                to_mark, self.MSGID.encode(), self.LINK.encode(), self.TRACK.encode())))
            slot_of = {to_mark: 0, self.MSGID.encode(): 1, self.LINK.encode(): 2,
                       self.TRACK.encode(): 3}
            start = 0
            for match in marks.finditer(self.data):
                self.pieces.append(self.data[start:match.start()])
                self.slots.append(slot_of[match.group()])
                start = match.end()
            self.pieces.append(self.data[start:])

    def render(self, *, email: str, name: str, delivery_pk: int, msgid: str,
               link: str = "") -> bytes:
        to = formataddr((name, email), charset="utf-8") if name else email
        link = link or f"{self.link_prefix}{unsubscribe_token(delivery_pk)}/"
        track = tracking_token(delivery_pk).encode() if self.tracked else b""
        values = (f"To: {to}\r\n".encode(), msgid.encode(), link.encode(), track)
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return b"".join(out)


def smtp_quote(data: bytes) -> bytes:
    """CRLF line ends, leading dots doubled (RFC 5321 4.5.2), a final CRLF."""
    data = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", data))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _short_lines(html: str, limit: int = 600) -> str:
    """Break HTML lines longer than ``limit`` at spaces (a newline is a space in HTML), so
    that the part stays 8bit and under the 998-byte line limit of RFC 5322 (with room for
    the per-recipient links and tokens put in later)."""
    out = []
    for line in html.split("\n"):
        while len(line) > limit and " " in line[1:limit]:
            cut = line.rindex(" ", 1, limit)
            out.append(line[:cut])
            line = line[cut + 1:]
        out.append(line)
    return "\n".join(out)
