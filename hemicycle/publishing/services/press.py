"""The press page of the website: a WordPress *page* "Communiqués de presse" listing the
group's press releases that went out (sent to the press list, or published), newest
first, each with its date and its PDF uploaded to the site's media library.

The page is created once and then updated (its remote id is kept; a lost id is found
again by the page's slug), so it is never duplicated. It is refreshed when a press
release is sent (a signal on the newsletters' campaigns, see apps.py) and on demand.
One refresh runs at a time per site: a conditional UPDATE takes the row; a request that
comes meanwhile marks it stale and the running refresh goes round once more.
"""

import datetime
import html

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.publishing.clients.base import PublishError
from hemicycle.publishing.models import Channel, PressPage
from hemicycle.publishing.services.channels import channel_client, error_message

PAGE_SLUG = "communiques-de-presse"
STALE_LOCK = datetime.timedelta(minutes=10)
MAX_ROUNDS = 3


def press_page_channel(workspace: Workspace) -> Channel | None:
    """The website the press page goes to: the workspace's first active WordPress
    channel with real credentials."""
    return Channel.objects.filter(workspace=workspace, kind=Channel.Kind.WORDPRESS,
                                  is_active=True, is_placeholder=False).first()


def press_page_releases(workspace: Workspace) -> list:
    """The releases that went out, newest first, each with ``.went_out`` (its date):
    sent to the press list (a press campaign sending or sent) or published from the
    calendar; none still under embargo."""
    from hemicycle.newsletters.models import Campaign, PressRelease

    sent = Q(campaigns__kind=Campaign.Kind.PRESS,
             campaigns__status__in=[Campaign.Status.SENDING, Campaign.Status.SENT])
    now = timezone.now()
    return list(
        PressRelease.objects.filter(workspace=workspace)
        .filter(sent | ~Q(published_url=""))
        .exclude(embargo_until__gt=now)
        .annotate(went_out=Coalesce(Max("campaigns__started_at", filter=sent),
                                    Max("campaigns__sent_at", filter=sent), "updated_at"))
        .order_by("-went_out", "-created_at")
    )


def press_page_html(workspace: Workspace, releases: list, media: dict) -> str:
    """The page's content: a short introduction and the list of releases."""
    lines = [
        "<!-- wp:paragraph --><p>"
        + html.escape(_("Les communiqués de presse de %(ws)s, du plus récent au plus ancien.")
                      % {"ws": workspace.name})
        + "</p><!-- /wp:paragraph -->",
    ]
    if not releases:
        lines.append("<p>" + html.escape(_("Aucun communiqué pour l’instant.")) + "</p>")
        return "\n".join(lines)
    lines.append('<!-- wp:list --><ul class="hemicycle-communiques">')
    for release in releases:
        day = timezone.localtime(release.went_out).date()
        pdf = media.get(str(release.code), {}).get("url", "")
        item = (f'<li><time datetime="{day.isoformat()}">'
                f'{html.escape(date_format(day, "j F Y"))}</time> — '
                f"<strong>{html.escape(release.title)}</strong>")
        if pdf:
            item += (f' — <a href="{html.escape(pdf)}">'
                     f'{html.escape(_("le communiqué en PDF"))}</a>')
        lines.append(item + "</li>")
    lines.append("</ul><!-- /wp:list -->")
    return "\n".join(lines)


def _claim(page: PressPage) -> bool:
    now = timezone.now()
    claimed = PressPage.objects.filter(
        Q(locked_at__isnull=True) | Q(locked_at__lt=now - STALE_LOCK), pk=page.pk,
    ).update(locked_at=now, stale=False)
    if not claimed:
        PressPage.objects.filter(pk=page.pk).update(stale=True)
    return bool(claimed)


def press_page_refresh(*, workspace: Workspace, http=None) -> PressPage | None:
    """Bring the website's press page up to date. None without a WordPress channel.
    Errors are stored on the page (``last_error``, in French) and raised again as
    ``PublishError`` for the caller that wants to show them."""
    channel = press_page_channel(workspace)
    if channel is None:
        return None
    page, _created = PressPage.objects.get_or_create(
        channel=channel, defaults={"workspace": workspace})
    if not _claim(page):
        return page  # the refresh under way goes round once more
    try:
        for _round in range(MAX_ROUNDS):
            page.refresh_from_db()
            _refresh_once(page, channel, http)
            if not PressPage.objects.filter(pk=page.pk, stale=True).update(stale=False):
                break
    except PublishError as error:
        page.last_error = error_message(error)
        page.save(update_fields=["last_error", "updated_at"])
        raise
    finally:
        PressPage.objects.filter(pk=page.pk).update(locked_at=None)
    page.refresh_from_db()
    return page


def _refresh_once(page: PressPage, channel: Channel, http) -> None:
    from hemicycle.newsletters.press import press_release_pdf, press_release_pdf_name

    client = channel_client(channel, http=http)
    releases = press_page_releases(page.workspace)
    media = dict(page.media)
    for release in releases:
        key, version = str(release.code), release.updated_at.isoformat()
        known = media.get(key)
        if known and known.get("version") == version:
            continue
        uploaded = client.upload_file(press_release_pdf_name(release),
                                      press_release_pdf(release), "application/pdf",
                                      title=release.title)
        media[key] = {**uploaded, "version": version}
        # Kept at once: a failure further on does not upload this PDF again.
        PressPage.objects.filter(pk=page.pk).update(media=media)
        if known:
            client.media_delete(known["id"])  # the older version of this release
    result = client.page_save(
        remote_id=page.remote_id, slug=PAGE_SLUG, title=_("Communiqués de presse"),
        content=press_page_html(page.workspace, releases, media))
    page.remote_id, page.remote_url = result.remote_id, result.remote_url
    page.media, page.release_count = media, len(releases)
    page.refreshed_at, page.last_error = timezone.now(), ""
    page.save(update_fields=["remote_id", "remote_url", "media", "release_count",
                             "refreshed_at", "last_error", "updated_at"])


def press_page_request(*, workspace: Workspace) -> bool:
    """Refresh the page in the background once the current transaction commits (when a
    release was sent). False when the workspace has no website to update."""
    if press_page_channel(workspace) is None:
        return False
    from hemicycle.publishing.tasks import press_page_refresh_task

    workspace_id = workspace.pk
    transaction.on_commit(lambda: press_page_refresh_task.enqueue(workspace_id=workspace_id))
    return True
