"""Posts: their text per channel, the validation workflow, scheduling, duplicate
warnings, images, and the "Share" handler that makes a draft from another module."""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.publishing import limits
from hemicycle.publishing.models import Channel, Post, PostImage, Publication, QuoteCard
from hemicycle.publishing.services.cards import quote_card_create
from hemicycle.publishing.services.sending import enqueue

DUPLICATE_DAYS = 30
logger = logging.getLogger(__name__)


@dataclass
class ChannelText:
    channel: Channel
    text: str


@transaction.atomic
def post_save(*, workspace: Workspace, by, post: Post | None = None, title: str,
              body: str = "", link: str = "", html: str = "", texts: list[ChannelText],
              scheduled_at: datetime.datetime | None = None, source: str = "",
              can_publish: bool = False) -> Post:
    """Create or update a post and its text per channel. Changing a validated post
    sends it back to validation, unless its author may publish. A published post can be
    edited too: its website article is updated when it is published again (same remote
    post), while what already went out on social networks stays as it is."""
    creating = post is None
    post = post or Post(workspace=workspace, author=by, source=source)
    post.title, post.body, post.link, post.html = title, body, link, html
    post.scheduled_at = scheduled_at
    reviewed = (Post.Status.VALIDATED, Post.Status.SCHEDULED, Post.Status.PUBLISHED)
    if not creating and post.status in reviewed:
        if not can_publish:
            post.status, post.validated_by, post.validated_at = Post.Status.DRAFT, None, None
        elif post.status == Post.Status.PUBLISHED:
            post.status = Post.Status.VALIDATED
    post.save()
    keep = set()
    for item in texts:
        if item.channel.workspace_id != workspace.id:
            raise ValidationError(_("Canal inconnu."))
        publication, _created = Publication.objects.get_or_create(
            post=post, channel=item.channel, defaults={"workspace": workspace})
        published = publication.status == Publication.Status.PUBLISHED
        if not published or item.channel.kind == Channel.Kind.WORDPRESS:
            publication.set_text(item.text)
            if published:  # to be sent again: an update of the same article
                publication.status = Publication.Status.PENDING
            publication.save()
        keep.add(publication.pk)
    post.publications.exclude(pk__in=keep).exclude(
        status=Publication.Status.PUBLISHED).delete()
    if post.status == Post.Status.SCHEDULED:
        _queue(post)
    return post


def post_transition(*, post: Post, action: str, by) -> Post:
    """draft → to_validate (``submit``) → validated (``validate``) or back to draft
    (``reject``); ``unschedule`` takes a scheduled post back to validated."""
    allowed = {
        "submit": ({Post.Status.DRAFT, Post.Status.FAILED}, Post.Status.TO_VALIDATE),
        "validate": ({Post.Status.DRAFT, Post.Status.TO_VALIDATE, Post.Status.FAILED},
                     Post.Status.VALIDATED),
        "reject": ({Post.Status.TO_VALIDATE, Post.Status.VALIDATED}, Post.Status.DRAFT),
        "unschedule": ({Post.Status.SCHEDULED}, Post.Status.VALIDATED),
    }
    sources, target = allowed[action]
    if post.status not in sources:
        raise ValidationError(_("Cette action n’est pas possible dans l’état « %(state)s ».")
                              % {"state": post.get_status_display()})
    if action == "validate":
        post_check(post)
        post.validated_by, post.validated_at = by, timezone.now()
    if action in ("reject",):
        post.validated_by, post.validated_at = None, None
    with transaction.atomic():
        post.status = target
        post.save()
        if action == "unschedule":
            post.publications.filter(status=Publication.Status.QUEUED).update(
                status=Publication.Status.PENDING, next_attempt_at=None)
    return post


def post_check(post: Post) -> None:
    """Refuse a post that cannot go out: no channel, a text too long, an empty text."""
    publications = list(post.publications.select_related("channel"))
    if not publications:
        raise ValidationError(_("Choisissez au moins un canal."))
    for publication in publications:
        if publication.over_limit:
            raise ValidationError(
                _("Le texte pour %(channel)s dépasse la limite (%(length)s / %(limit)s).")
                % {"channel": publication.channel.name, "length": publication.length,
                   "limit": publication.channel.limit})
        if not publication.text.strip() and publication.channel.kind != Channel.Kind.WORDPRESS:
            raise ValidationError(_("Le texte pour %(channel)s est vide.")
                                  % {"channel": publication.channel.name})
        if publication.channel.kind == Channel.Kind.INSTAGRAM and not post.images.exists():
            raise ValidationError(_("Instagram demande une image."))


@transaction.atomic
def post_schedule(*, post: Post, at: datetime.datetime, by) -> Post:
    """Put a validated post in the calendar at ``at``; its channels go out then."""
    if post.status not in (Post.Status.VALIDATED, Post.Status.SCHEDULED, Post.Status.FAILED):
        raise ValidationError(_("Seule une publication validée peut être programmée."))
    post_check(post)
    post.scheduled_at, post.status, post.failure_reason = at, Post.Status.SCHEDULED, ""
    post.save()
    _queue(post)
    return post


def _queue(post: Post) -> None:
    post.publications.exclude(status__in=[Publication.Status.PUBLISHED,
                                          Publication.Status.RUNNING]).update(
        status=Publication.Status.QUEUED, next_attempt_at=post.scheduled_at, last_error="",
        attempts=0)


def post_publish_now(*, post: Post, by) -> Post:
    """Validate if needed, schedule at once, and send each channel as its own task."""
    if post.status in (Post.Status.DRAFT, Post.Status.TO_VALIDATE):
        post_transition(post=post, action="validate", by=by)
    with transaction.atomic():
        post_schedule(post=post, at=timezone.now(), by=by)
        ids = list(post.publications.filter(status=Publication.Status.QUEUED)
                   .values_list("id", flat=True))
        transaction.on_commit(lambda: [enqueue(pid) for pid in ids])
    post.refresh_from_db()
    return post


def post_duplicates(post: Post, days: int = DUPLICATE_DAYS) -> list[Publication]:
    """Other posts' publications with the same text on the same channel, scheduled or
    published in the last ``days`` days (or later): probably a double."""
    since = timezone.now() - datetime.timedelta(days=days)
    found = []
    for publication in post.publications.exclude(text_hash=""):
        found += list(Publication.objects.filter(
            workspace=post.workspace, channel=publication.channel,
            text_hash=publication.text_hash,
            post__status__in=[Post.Status.SCHEDULED, Post.Status.PUBLISHED],
            post__scheduled_at__gte=since,
        ).exclude(post=post).select_related("post", "channel"))
    return found


def post_image_add(*, post: Post, image, alt_text: str,
                   quote_card: QuoteCard | None = None) -> PostImage:
    if not alt_text.strip():
        raise ValidationError(_("Décrivez l’image (texte alternatif)."))
    position = post.images.count()
    return PostImage.objects.create(workspace=post.workspace, post=post, image=image,
                                    alt_text=alt_text.strip(), quote_card=quote_card,
                                    position=position)


def post_quote_card_attach(*, post: Post, card: QuoteCard) -> PostImage:
    """The card's picture as an image of the post, its quote as the alt text."""
    alt = _("Citation de %(speaker)s : « %(quote)s »") % {
        "speaker": card.speaker_name, "quote": card.quote}
    return post_image_add(post=post, image=card.image.name, alt_text=alt[:1000], quote_card=card)


def post_from_share(request) -> str:
    """The handler of hemicycle.core.sharing: a draft with the shared text on every
    active channel (the rich body on the website). Returns the draft's edit URL."""
    workspace = request.workspace
    channels = Channel.objects.filter(workspace=workspace, is_active=True)
    texts = []
    for channel in channels:
        text = request.body
        if request.link and channel.kind in (Channel.Kind.MASTODON, Channel.Kind.BLUESKY):
            text = f"{text}\n\n{request.link}".strip()
        if channel.limit and limits.measure(channel.kind, text) > channel.limit:
            text = text[: max(0, channel.limit - 30)].rstrip() + "…"
        texts.append(ChannelText(channel, text))
    with transaction.atomic():
        post = post_save(workspace=workspace, by=request.by, title=request.title[:200],
                         body=request.body, link=request.link, html=request.html,
                         texts=texts, source=request.source[:200])
        if request.image_path:
            with open(request.image_path, "rb") as handle:
                name = request.image_path.rsplit("/", 1)[-1]
                post_image_add(post=post, image=ContentFile(handle.read(), name=name),
                               alt_text=request.title)
    if request.quote.strip():
        _share_quote_card(post, request)
    return reverse("publishing:post-edit", args=[workspace.slug, post.code])


CARD_QUOTE_LIMIT = 400  # QuoteCard.quote's length: longer excerpts are cut on a word


def _share_quote_card(post: Post, request) -> None:
    """A quote card of the shared quote, in the workspace's colours and logo and the
    default format, attached to the draft. A failure leaves the draft without a card: the
    share itself is never lost (and the log says which post, not what was quoted)."""
    quote = " ".join(request.quote.split())
    if len(quote) > CARD_QUOTE_LIMIT:
        quote = quote[: CARD_QUOTE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    speaker = (request.speaker.strip() or post.workspace.name)[:120]
    try:
        with transaction.atomic():
            card = quote_card_create(
                workspace=post.workspace, by=request.by, quote=quote, speaker_name=speaker,
                speaker_title=post.workspace.name[:160] if request.speaker.strip() else "",
                format=QuoteCard.Format.SQUARE)
            post_quote_card_attach(post=post, card=card)
    except Exception as error:  # noqa: BLE001 - any failure of drawing must not lose the share
        logger.warning("No quote card for shared post %s: %s", post.code,
                       type(error).__name__)
