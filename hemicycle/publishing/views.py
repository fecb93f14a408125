"""Channels, posts, the editorial calendar and quote cards."""

import base64
import datetime
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import can_write, get_object_for_user, public, workspace_view
from hemicycle.publishing import calendar_grid, quotecard, services
from hemicycle.publishing.clients.base import PublishError
from hemicycle.publishing.forms import (
    ChannelForm,
    PostForm,
    PostImageForm,
    QuoteCardForm,
    ScheduleForm,
)
from hemicycle.publishing.models import Channel, Post, PostImage, Publication, QuoteCard

# --- channels ---------------------------------------------------------------------------


@workspace_view("read")
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = Channel.objects.filter(workspace=request.workspace)
    return render(request, "publishing/channel_list.html", {
        "channels": channels, "can_manage": request.membership.can("manage"),
        "site_url": settings.SITE_URL, "site_is_public": services.site_is_public()})


@workspace_view("manage")
def channel_edit(request: HttpRequest, code=None) -> HttpResponse:
    channel = get_object_for_user(request, Channel, code) if code else None
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            channel = services.channel_save(
                workspace=request.workspace, channel=channel, name=data["name"],
                kind=data["kind"], base_url=data["base_url"], account=data["account"],
                secret=data["secret"], is_active=data["is_active"], options=form.options())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Canal enregistré."))
            return redirect("publishing:channel-list", request.workspace.slug)
    return render(request, "publishing/channel_form.html", {"form": form, "channel": channel})


@require_POST
@workspace_view("manage")
def channel_test(request: HttpRequest, code) -> HttpResponse:
    channel = get_object_for_user(request, Channel, code)
    ok, message = services.channel_test(channel=channel)
    (messages.success if ok else messages.error)(request, message)
    return redirect("publishing:channel-list", request.workspace.slug)


# --- the website's press page -------------------------------------------------------------


@workspace_view("read")
def press_page(request: HttpRequest) -> HttpResponse:
    channel = services.press_page_channel(request.workspace)
    return render(request, "publishing/press_page.html", {
        "channel": channel,
        "page": getattr(channel, "press_page", None) if channel else None,
        "releases": services.press_page_releases(request.workspace),
        "can_publish": request.membership.can("publish"),
    })


@require_POST
@workspace_view("publish")
def press_page_refresh(request: HttpRequest) -> HttpResponse:
    try:
        page = services.press_page_refresh(workspace=request.workspace)
    except PublishError as error:
        messages.error(request, _("La page presse n’a pas pu être mise à jour. %(error)s")
                       % {"error": services.error_message(error)})
    else:
        if page is None:
            messages.error(request, _("Aucun site WordPress n’est configuré."))
        else:
            messages.success(request, _("Page presse du site mise à jour."))
    return redirect("publishing:press-page", request.workspace.slug)


# --- posts ------------------------------------------------------------------------------


def get_post_for_user(request: HttpRequest, code, write: bool = False) -> Post:
    return get_object_for_user(request, Post.objects.select_related("author", "validated_by"),
                               code, write=write)


def _channels(request: HttpRequest):
    return Channel.objects.filter(workspace=request.workspace, is_active=True)


@workspace_view("write_own")
def post_edit(request: HttpRequest, code=None) -> HttpResponse:
    post = get_post_for_user(request, code, write=True) if code else None
    initial = {}
    if post is None and request.GET.get("date"):
        initial["scheduled_at"] = f"{request.GET['date']}T09:00"
    if post is not None:
        initial = {"title": post.title, "body": post.body, "link": post.link,
                   "scheduled_at": timezone.localtime(post.scheduled_at)
                   if post.scheduled_at else None}
    form = PostForm(request.POST or None, channels=_channels(request), post=post,
                    initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_save(
                workspace=request.workspace, by=request.user, post=post, title=data["title"],
                body=data["body"], link=data["link"], html=post.html if post else "",
                scheduled_at=data["scheduled_at"],
                texts=[services.ChannelText(c, t) for c, t in data["chosen"]],
                can_publish=request.membership.can("publish"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Publication enregistrée."))
            return redirect("publishing:post-detail", request.workspace.slug, post.code)
    return render(request, "publishing/post_form.html", {"form": form, "post": post})


@workspace_view("read")
def post_detail(request: HttpRequest, code) -> HttpResponse:
    post = get_post_for_user(request, code)
    publications = list(post.publications.select_related("channel"))
    # Being sent right now: the channels' panel refreshes itself (htmx) until done.
    in_progress = any(p.status == Publication.Status.RUNNING or (
        p.status == Publication.Status.QUEUED and p.next_attempt_at
        and p.next_attempt_at <= timezone.now()) for p in publications)
    if request.headers.get("HX-Request"):
        return render(request, "publishing/post_detail.html#channels", {
            "post": post, "publications": publications, "in_progress": in_progress})
    initial = timezone.localtime(post.scheduled_at) if post.scheduled_at else None
    return render(request, "publishing/post_detail.html", {
        "post": post,
        "publications": publications,
        "in_progress": in_progress,
        "images": post.images.all(),
        "duplicates": services.post_duplicates(post),
        "cards": QuoteCard.objects.filter(workspace=request.workspace).exclude(image=""),
        "image_form": PostImageForm(),
        "schedule_form": ScheduleForm(initial={"scheduled_at": initial}),
        "can_edit": can_write(request, post),
        "can_publish": request.membership.can("publish"),
        "instagram_unreachable": not services.site_is_public() and any(
            p.channel.kind == Channel.Kind.INSTAGRAM for p in publications),
        "site_url": settings.SITE_URL,
    })


ACTIONS = {"submit", "validate", "reject", "unschedule", "schedule", "publish_now"}
PUBLISH_ACTIONS = {"validate", "reject", "unschedule", "schedule", "publish_now"}


@require_POST
@workspace_view("write_own")
def post_action(request: HttpRequest, code) -> HttpResponse:
    """One step of the workflow. Validating, scheduling and publishing need ``publish``."""
    post = get_post_for_user(request, code, write=request.POST.get("action") == "submit")
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404("No such action")
    if action in PUBLISH_ACTIONS and not request.membership.can("publish"):
        raise PermissionDenied
    try:
        _run_action(request, post, action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("publishing:post-detail", request.workspace.slug, post.code)


def _run_action(request: HttpRequest, post: Post, action: str) -> None:
    if action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Indiquez une date et une heure valides."))
        if post.status in (Post.Status.DRAFT, Post.Status.TO_VALIDATE):
            services.post_transition(post=post, action="validate", by=request.user)
        services.post_schedule(post=post, at=form.cleaned_data["scheduled_at"], by=request.user)
        when = timezone.localtime(post.scheduled_at).strftime("%d/%m/%Y %H:%M")
        messages.success(request, _("Programmée le %(when)s.") % {"when": when})
        for other in services.post_duplicates(post):
            messages.warning(request, _(
                "Doublon probable : le même texte est déjà prévu ou publié sur %(channel)s "
                "(« %(title)s »).") % {"channel": other.channel.name, "title": other.post.title})
    elif action == "publish_now":
        post = services.post_publish_now(post=post, by=request.user)
        messages.success(request, _("Publication lancée sur chaque canal."))
    else:
        services.post_transition(post=post, action=action, by=request.user)
        messages.success(request, {
            "submit": _("Envoyée pour validation."), "validate": _("Publication validée."),
            "reject": _("Renvoyée en brouillon."), "unschedule": _("Retirée du calendrier."),
        }[action])


@require_POST
@workspace_view("write_own")
def post_image_add(request: HttpRequest, code) -> HttpResponse:
    post = get_post_for_user(request, code, write=True)
    card_code = request.POST.get("card")
    try:
        if card_code:
            card = get_object_for_user(request, QuoteCard, card_code)
            services.post_quote_card_attach(post=post, card=card)
        else:
            form = PostImageForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.post_image_add(post=post, image=form.cleaned_data["image"],
                                    alt_text=form.cleaned_data["alt_text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Image ajoutée."))
    return redirect("publishing:post-detail", request.workspace.slug, post.code)


@require_POST
@workspace_view("write_own")
def post_image_remove(request: HttpRequest, code) -> HttpResponse:
    image = get_object_for_user(request, PostImage.objects.select_related("post"), code)
    if not can_write(request, image.post):
        raise PermissionDenied
    image.delete()
    messages.success(request, _("Image retirée."))
    return redirect("publishing:post-detail", request.workspace.slug, image.post.code)


@workspace_view("read")
def image_file(request: HttpRequest, code) -> HttpResponse:
    """A post's image or a quote card, for members only."""
    for model, field in ((PostImage, "image"), (QuoteCard, "image")):
        obj = model.objects.filter(workspace=request.workspace, code=code).first()
        if obj is not None and getattr(obj, field):
            return _file(getattr(obj, field))
    raise Http404("No such image")


@public
def image_public(request: HttpRequest, token: str) -> HttpResponse:
    """A post's image behind a signed token, for Instagram to fetch (valid 7 days), as a
    JPEG: Instagram refuses other formats."""
    try:
        code = signing.loads(token, salt=services.PUBLIC_IMAGE_SALT, max_age=7 * 86400)
    except signing.BadSignature as error:
        raise Http404("Bad token") from error
    image = PostImage.objects.filter(code=code).first()
    if image is None:
        raise Http404("No such image")
    try:
        with image.image.open("rb") as handle:
            data = quotecard.to_jpeg(handle.read())
    except (OSError, ValueError) as error:
        raise Http404("Missing file") from error
    return HttpResponse(data, content_type="image/jpeg")


def _file(field) -> FileResponse:
    try:
        handle = field.open("rb")
    except (OSError, ValueError) as error:
        raise Http404("Missing file") from error
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)


# --- calendar ---------------------------------------------------------------------------


@workspace_view("read")
def calendar_view(request: HttpRequest) -> HttpResponse:
    view = "week" if request.GET.get("vue") == "semaine" else "month"
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    first, last = calendar_grid.span(view, day)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tz)
    posts = Post.objects.filter(workspace=request.workspace, scheduled_at__gte=start,
                                scheduled_at__lt=end).order_by("scheduled_at")
    by_day: dict[datetime.date, list[Post]] = {}
    for post in posts.prefetch_related("publications__channel"):
        by_day.setdefault(timezone.localtime(post.scheduled_at).date(), []).append(post)
    weeks = [calendar_grid.week_days(day)] if view == "week" else calendar_grid.month_weeks(day)
    context = {
        "view": view,
        "day": day,
        "today": timezone.localdate(),
        "weeks": [[(d, by_day.get(d, [])) for d in week] for week in weeks],
        "previous": calendar_grid.shift(view, day, -1),
        "next": calendar_grid.shift(view, day, 1),
        "backlog": Post.objects.filter(workspace=request.workspace).exclude(
            status__in=[Post.Status.SCHEDULED, Post.Status.PUBLISHED]).order_by("-updated_at"),
        "can_publish": request.membership.can("publish"),
        "can_write": request.membership.can("write_own"),
    }
    template = "publishing/post_calendar.html"
    if request.headers.get("HX-Request"):
        template += "#calendar"
    return render(request, template, context)


# --- quote cards --------------------------------------------------------------------------


@workspace_view("read")
def card_list(request: HttpRequest) -> HttpResponse:
    form = QuoteCardForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.membership.can("write_own"):
            raise PermissionDenied
        if form.is_valid():
            card = services.quote_card_create(
                workspace=request.workspace, by=request.user, **form.cleaned_data)
            messages.success(request, _("Visuel créé."))
            post_code = request.POST.get("post")
            if post_code:
                post = get_post_for_user(request, post_code, write=True)
                services.post_quote_card_attach(post=post, card=card)
                return redirect("publishing:post-detail", request.workspace.slug, post.code)
            return redirect("publishing:card-list", request.workspace.slug)
    return render(request, "publishing/card_list.html", {
        "form": form,
        "cards": QuoteCard.objects.filter(workspace=request.workspace).exclude(image=""),
        "post_code": request.GET.get("post", "") or request.POST.get("post", ""),
        "can_write": request.membership.can("write_own"),
    })


@require_POST
@workspace_view("write_own")
def card_preview(request: HttpRequest) -> HttpResponse:
    """The card drawn from the form as it stands, not saved (htmx)."""
    form = QuoteCardForm(request.POST, request.FILES)
    image = ""
    if form.is_valid():
        data = form.cleaned_data
        photo = data["photo"].read() if data.get("photo") else None
        workspace = request.workspace
        logo = None
        if workspace.logo:
            try:
                with workspace.logo.open("rb") as handle:
                    logo = handle.read()
            except OSError:
                logo = None
        png = quotecard.render(quotecard.Card(
            quote=data["quote"], speaker=data["speaker_name"], title=data["speaker_title"],
            photo=photo, logo=logo, primary=workspace.primary_color,
            secondary=workspace.secondary_color, size=quotecard.FORMATS[data["format"]]))
        image = "data:image/png;base64," + base64.b64encode(png).decode()
    return render(request, "publishing/card_list.html#preview", {"form": form, "image": image})

