"""Press: releases (with their PDF), their mailing to the press list, conferences."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hemicycle.newsletters import markup
from hemicycle.newsletters.models import Campaign, PressConference, PressRelease


def press_audience(workspace) -> str:
    """The first press audience registered (the actors' press list), or ""."""
    from hemicycle.newsletters.services import audience_choices

    for _label, options in audience_choices(workspace, "press"):
        if options:
            return options[0][0]
    return ""


@transaction.atomic
def press_release_create(*, workspace, by=None, **fields) -> PressRelease:
    return PressRelease.objects.create(workspace=workspace, author=by, **fields)


@transaction.atomic
def press_release_update(*, release: PressRelease, **fields) -> PressRelease:
    for name, value in fields.items():
        setattr(release, name, value)
    release.save()
    return release


def press_release_pdf_name(release: PressRelease) -> str:
    return f"communique-{slugify(release.title)[:60] or 'presse'}.pdf"


def press_release_pdf(release: PressRelease) -> bytes:
    """The release as a one-page PDF with the workspace's colours (WeasyPrint)."""
    from weasyprint import HTML

    workspace = release.workspace
    html = render_to_string("newsletters/press_release_pdf.html", {
        "release": release, "workspace": workspace,
        "body_html": markup.to_html(release.body, color=workspace.primary_color),
        "logo_path": workspace.logo.path if workspace.logo else "",
        "today": timezone.localdate(),
    })
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _embargo_line(release: PressRelease) -> str:
    if release.embargo_until and release.embargo_until > timezone.now():
        return _("SOUS EMBARGO jusqu'au %(when)s") % {
            "when": date_format(timezone.localtime(release.embargo_until), "DATETIME_FORMAT")}
    return ""


@transaction.atomic
def press_release_mailing(*, release: PressRelease, by=None) -> Campaign:
    """The draft campaign that sends the release (PDF attached) to the press list; the
    staff checks it, adds addresses and sends it like any campaign."""
    existing = release.campaigns.filter(status=Campaign.Status.DRAFT).first()
    if existing:
        return existing
    embargo = _embargo_line(release)
    subject = _("Communiqué de presse : %(title)s") % {"title": release.title}
    body = release.body
    if embargo:
        subject = f"[{embargo}] {subject}"
        body = f"**{embargo}**\n\n{body}"
    if release.contact:
        body += "\n\n" + _("Contact presse : %(contact)s") % {"contact": release.contact}
    return Campaign.objects.create(
        workspace=release.workspace, author=by, kind=Campaign.Kind.PRESS,
        subject=subject[:200], body=body, press_release=release,
        audience=press_audience(release.workspace), layout=Campaign.Layout.SOBER,
        in_archive=False)


def press_release_publish(*, release: PressRelease, by) -> str:
    """"Publish on the website": a draft in the editorial calendar (core/sharing.py)."""
    from hemicycle.core.sharing import ShareRequest, share_draft

    if release.embargo_until and release.embargo_until > timezone.now():
        raise ValidationError(_("Ce communiqué est sous embargo : publiez-le après la levée."))
    url = share_draft(ShareRequest(
        workspace=release.workspace, by=by, title=release.title,
        body=markup.to_text(release.body), html=markup.to_html(release.body),
        source=f"newsletters.pressrelease:{release.code}"))
    release.published_url = url[:300]
    release.save(update_fields=["published_url"])
    return url


@transaction.atomic
def press_conference_save(*, workspace, conference: PressConference | None = None,
                          **fields) -> PressConference:
    conference = conference or PressConference(workspace=workspace)
    for name, value in fields.items():
        setattr(conference, name, value)
    conference.save()
    return conference


@transaction.atomic
def press_conference_invitation(*, conference: PressConference, by=None) -> Campaign:
    """The draft campaign inviting the press list to the conference."""
    if conference.invitation_id:
        return conference.invitation
    when = date_format(timezone.localtime(conference.starts_at), "DATETIME_FORMAT")
    body = _("## Invitation presse\n\n%(ws)s vous invite à une conférence de presse : "
             "**%(title)s**.\n\n- Date : %(when)s\n- Lieu : %(place)s") % {
        "ws": conference.workspace.name, "title": conference.title, "when": when,
        "place": conference.place}
    if conference.description:
        body += "\n\n" + conference.description
    campaign = Campaign.objects.create(
        workspace=conference.workspace, author=by, kind=Campaign.Kind.INVITATION,
        subject=(_("Invitation presse : %(title)s, %(when)s") % {
            "title": conference.title, "when": when})[:200],
        body=body, audience=press_audience(conference.workspace),
        layout=Campaign.Layout.SOBER, in_archive=False)
    conference.invitation = campaign
    conference.save(update_fields=["invitation"])
    return campaign

