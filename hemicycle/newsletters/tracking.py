"""Open and click measurement, off unless a campaign asks for it.

- Opens: the HTML part carries a 1×1 transparent image whose address holds a signed
  token of the delivery; loading it sets ``Delivery.opened_at`` (first time only).
- Clicks: every link of the campaign's text is stored once as a ``CampaignLink``; the
  message points to ``/lettres/c/<token>/<link id>/`` and the site redirects to the
  stored address. The address never comes from the request, so the view cannot be used
  as an open redirect; a bad or missing token still redirects (a forwarded message's
  links keep working) but records nothing.
- Nothing else is stored: no IP address, no browser, one row per recipient and link with
  a count. The plain-text part keeps the real addresses.

The token is made once per message and put in by the send loop's template like the
unsubscribe link (``TRACK_PLACEHOLDER``).
"""

import html
import re

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone

from hemicycle.newsletters.models import Campaign, CampaignLink, Delivery, LinkClick

TRACK_PLACEHOLDER = "__HEMICYCLE_TRACK__"
_SIGNER = signing.Signer(salt="newsletters.track")
_HREF = re.compile(r'href="(https?://[^"]+)"')

# A transparent 1×1 GIF.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00"
         b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def tracking_token(delivery_pk: int | None) -> str:
    return _SIGNER.sign(str(delivery_pk)) if delivery_pk else "essai"


def tracking_token_read(token: str) -> int | None:
    try:
        return int(_SIGNER.unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def pixel_url() -> str:
    return settings.SITE_URL + reverse("newsletters:track-open", args=[TRACK_PLACEHOLDER])


def links_track(campaign: Campaign, body_html: str) -> str:
    """Store the campaign's links and point the HTML's ``href``s to the redirect view."""
    urls = list(dict.fromkeys(html.unescape(url) for url in _HREF.findall(body_html)))
    known = dict(campaign.links.values_list("url", "pk"))
    for position, url in enumerate(urls):
        if url not in known and len(url) <= 2000:
            link, _created = CampaignLink.objects.get_or_create(
                campaign=campaign, url=url, defaults={"position": position})
            known[url] = link.pk

    def rewrite(match: re.Match) -> str:
        pk = known.get(html.unescape(match.group(1)))
        if pk is None:
            return match.group(0)
        url = settings.SITE_URL + reverse("newsletters:track-click",
                                          args=[TRACK_PLACEHOLDER, pk])
        return f'href="{html.escape(url)}"'

    return _HREF.sub(rewrite, body_html)


def _delivery_of(token: str, campaign_id: int | None = None) -> int | None:
    pk = tracking_token_read(token)
    if pk is None:
        return None
    rows = Delivery.objects.filter(pk=pk)
    if campaign_id is not None:
        rows = rows.filter(campaign_id=campaign_id)
    return pk if rows.exists() else None


def open_record(*, token: str) -> bool:
    """The pixel was loaded: the first time, note when. True if it was the first."""
    pk = tracking_token_read(token)
    if pk is None:
        return False
    return bool(Delivery.objects.filter(pk=pk, opened_at=None, campaign__track_opens=True)
                .update(opened_at=timezone.now()))


def click_record(*, token: str, link: CampaignLink) -> None:
    """A recipient followed a link: one more on their row for this link."""
    if not link.campaign.track_clicks:
        return
    delivery_pk = _delivery_of(token, link.campaign_id)
    if delivery_pk is None:
        return
    if LinkClick.objects.filter(link=link, delivery_id=delivery_pk).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            LinkClick.objects.create(link=link, delivery_id=delivery_pk)
    except IntegrityError:  # two clicks at once: the other one created the row
        LinkClick.objects.filter(link=link, delivery_id=delivery_pk).update(
            count=F("count") + 1)


def campaign_tracking_stats(campaign: Campaign) -> dict:
    """Opens (recipients who displayed it) and, per link, recipients who clicked."""
    stats = {"opens": None, "links": None,
             "enabled": campaign.track_opens or campaign.track_clicks}
    if campaign.track_opens:
        stats["opens"] = campaign.deliveries.exclude(opened_at=None).count()
    if campaign.track_clicks:
        stats["links"] = list(campaign.links.annotate(
            unique_clicks=Count("clicks"), total_clicks=Sum("clicks__count"))
            .order_by("position", "pk"))
    return stats
