"""Sending: one publication to one channel, retries, and ``publish_due``.

Step by step: scheduling a validated post puts each of its publications in
the queue (``queued``, ``next_attempt_at`` = the post's time). ``publication_publish``
claims one row with a conditional UPDATE (so two workers never send the same row), calls
the channel's client, and records the result. A transient failure (network, 5xx, 429)
sets ``retrying`` with a later ``next_attempt_at`` (the server's Retry-After, or an
exponential backoff) and re-enqueues the task with ``run_after`` when the task backend
supports it; ``publish_due`` (cron or ``--loop``) picks up whatever is due in any case.
A failing channel never stops the others: each publication is its own task.
"""

import datetime
import ipaddress
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hemicycle.publishing import atproto, quotecard
from hemicycle.publishing.clients.base import Image, Outgoing, PublishError
from hemicycle.publishing.models import Channel, Post, PostImage, Publication
from hemicycle.publishing.services.channels import channel_client, error_message

MAX_ATTEMPTS = 5
MAX_BACKOFF = 3600  # seconds
STALE_RUNNING = datetime.timedelta(minutes=15)  # a worker that died mid-call
BLUESKY_MAX_IMAGE = 950_000
PUBLIC_IMAGE_SALT = "publishing.image"


def enqueue(publication_id: int, run_after: datetime.datetime | None = None) -> bool:
    from hemicycle.publishing.tasks import publication_publish_task

    task = publication_publish_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return False  # publish_due will pick it up when it is due
        task = task.using(run_after=run_after)
    task.enqueue(publication_id=publication_id)
    return True


def publication_claim(publication_id: int, now: datetime.datetime | None = None) -> bool:
    """Take the row for this worker: one conditional UPDATE, so only one worker wins."""
    now = now or timezone.now()
    due = Q(status__in=[Publication.Status.QUEUED, Publication.Status.RETRYING],
            next_attempt_at__lte=now) | Q(status=Publication.Status.RUNNING,
                                          updated_at__lt=now - STALE_RUNNING)
    return bool(Publication.objects.filter(due, pk=publication_id).update(
        status=Publication.Status.RUNNING, updated_at=now))


def publication_publish(publication_id: int, now: datetime.datetime | None = None,
                        http=None) -> Publication | None:
    """Send one publication if it is due and not taken; record the result."""
    if not publication_claim(publication_id, now):
        return None
    publication = Publication.objects.select_related("post", "channel").get(pk=publication_id)
    publication.attempts += 1
    if not publication.idempotency_key:
        publication.idempotency_key = _new_key(publication)
    publication.save(update_fields=["attempts", "idempotency_key"])
    try:
        client = channel_client(publication.channel, http=http)
        result = client.publish(_outgoing(publication))
    except PublishError as error:
        _record_failure(publication, error, now or timezone.now())
    else:
        publication.status = Publication.Status.PUBLISHED
        publication.remote_id, publication.remote_url = result.remote_id, result.remote_url
        publication.remote_data = result.data
        publication.published_at, publication.last_error = timezone.now(), ""
        publication.next_attempt_at = None
        publication.save()
    post_refresh_status(publication.post)
    return publication


def _new_key(publication: Publication) -> str:
    if publication.channel.kind == Channel.Kind.BLUESKY:
        return atproto.tid()  # Bluesky's record key: the post keeps it across retries
    return str(publication.code)


def _record_failure(publication: Publication, error: PublishError,
                    now: datetime.datetime) -> None:
    publication.last_error = error_message(error)
    publication.remote_data = {**publication.remote_data, **error.data}
    if error.transient and publication.attempts < MAX_ATTEMPTS:
        backoff = min(MAX_BACKOFF, 60 * 2 ** (publication.attempts - 1))
        wait = max(error.retry_after or 0, backoff if error.retry_after is None else 5)
        publication.status = Publication.Status.RETRYING
        publication.next_attempt_at = now + datetime.timedelta(seconds=wait)
        publication.save()
        when = publication.next_attempt_at
        if error.kind == "rate_limited":  # the whole account waits, not just this post
            Publication.objects.filter(
                channel=publication.channel, next_attempt_at__lt=when,
                status__in=[Publication.Status.QUEUED, Publication.Status.RETRYING],
            ).exclude(pk=publication.pk).update(next_attempt_at=when)
        transaction.on_commit(lambda: enqueue(publication.pk, run_after=when))
    else:
        publication.status = Publication.Status.FAILED
        publication.next_attempt_at = None
        publication.save()


def _outgoing(publication: Publication) -> Outgoing:
    post, channel = publication.post, publication.channel
    images = []
    for image in post.images.all():
        with image.image.open("rb") as handle:
            data = handle.read()
        mime = mimetypes.guess_type(image.image.name)[0] or "image/png"
        if channel.kind == Channel.Kind.BLUESKY:
            data, converted = quotecard.as_jpeg(data, BLUESKY_MAX_IMAGE)
            mime = converted or mime
        images.append(Image(data=data, filename=image.image.name.rsplit("/", 1)[-1], mime=mime,
                            alt=image.alt_text, key=str(image.code),
                            public_url=public_image_url(image)))
    options = {**channel.options, "account": channel.account,
               "remote_url": publication.remote_url, **publication.remote_data}
    text = publication.text
    return Outgoing(text=text, title=post.title, html=post.html if channel.kind ==
                    Channel.Kind.WORDPRESS else "", link=post.link, images=images,
                    remote_id=publication.remote_id, key=publication.idempotency_key,
                    attempt=publication.attempts, options=options)


def public_image_url(image: PostImage) -> str:
    """A signed address Instagram can fetch the image from (no login)."""
    token = signing.dumps(str(image.code), salt=PUBLIC_IMAGE_SALT)
    return settings.SITE_URL + reverse("publishing:image-public", args=[token])


def site_is_public(site_url: str | None = None) -> bool:
    """Can Instagram fetch images from this site? Not from localhost, a private address
    or a local-only name (.local, .test, .internal…)."""
    host = (urlsplit(site_url if site_url is not None else settings.SITE_URL).hostname
            or "").lower()
    if not host or host == "localhost" or "." not in host and not host.count(":"):
        return False
    if host.rsplit(".", 1)[-1] in {"local", "localhost", "test", "internal", "lan", "home"}:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


def post_refresh_status(post: Post) -> Post:
    """A scheduled post becomes published when every channel is, failed when one
    failed for good (the others still go out)."""
    statuses = list(post.publications.values_list("status", flat=True))
    if post.status != Post.Status.SCHEDULED and post.status != Post.Status.FAILED:
        return post
    if statuses and all(s == Publication.Status.PUBLISHED for s in statuses):
        post.status, post.failure_reason = Post.Status.PUBLISHED, ""
    elif Publication.Status.FAILED in statuses and not any(
            s in (Publication.Status.QUEUED, Publication.Status.RUNNING,
                  Publication.Status.RETRYING) for s in statuses):
        failed = post.publications.filter(status=Publication.Status.FAILED).select_related(
            "channel")
        post.status = Post.Status.FAILED
        post.failure_reason = "\n".join(f"{p.channel.name} : {p.last_error}" for p in failed)
    post.save(update_fields=["status", "failure_reason", "updated_at"])
    return post


def publications_due(now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(Publication.objects.filter(
        Q(status__in=[Publication.Status.QUEUED, Publication.Status.RETRYING],
          next_attempt_at__lte=now)
        | Q(status=Publication.Status.RUNNING, updated_at__lt=now - STALE_RUNNING),
        channel__is_active=True,
    ).order_by("next_attempt_at").values_list("id", flat=True))


def publish_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Send everything that is due (scheduled posts, retries). Used by ``publish_due``."""
    counts = {"published": 0, "retrying": 0, "failed": 0}
    for publication_id in publications_due(now):
        publication = publication_publish(publication_id, now)
        if publication is not None and publication.status in counts:
            counts[publication.status] += 1
    return counts
