"""Jurors (accounts with a seat), reviews (scores, support, conflicts) and the aggregate."""

import statistics
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User
from hemicycle.accounts.roles import Role
from hemicycle.juries.models import Application, Campaign, College, Juror, Review
from hemicycle.juries.services.campaigns import campaign_criteria, criteria_weights


def _scope_campaigns(membership: Membership) -> list[str]:
    scope = membership.scope or {}
    return [c for c in [scope.get("campaign"), *scope.get("campaigns", [])] if c]


@transaction.atomic
def juror_create(*, campaign: Campaign, name: str, email: str, college: College | None = None,
                 by=None) -> Juror:
    """Add a juror with an account: the user with this address, or a new one; a member of
    the workspace keeps their role, anyone else gets the ``juror`` role scoped to the
    campaign. The invitation (set a password, then score) leaves in the background."""
    if college is not None and college.campaign_id != campaign.pk:
        raise ValidationError(_("Ce collège n'appartient pas à l'appel."))
    email = email.strip().lower()
    if campaign.jurors.filter(email__iexact=email, active=True).exists():
        raise ValidationError(_("Cette personne est déjà juré·e de l'appel."))
    juror = Juror(workspace=campaign.workspace, campaign=campaign, college=college,
                  name=name.strip(), email=email)
    juror.full_clean()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=juror.name)
    membership = Membership.objects.filter(workspace=campaign.workspace, user=user).first()
    code = str(campaign.code)
    if membership is None:
        Membership.objects.create(workspace=campaign.workspace, user=user, role=Role.JUROR,
                                  scope={"campaign": code})
    elif membership.role == Role.JUROR and code not in _scope_campaigns(membership):
        others = [c for c in _scope_campaigns(membership)[1:] if c != code]
        membership.scope = {**membership.scope, "campaigns": [*others, code]}
        membership.save(update_fields=["scope", "updated_at"])
    juror.user = user
    juror.save()
    juror_link_enqueue(juror=juror)
    return juror


def juror_link_enqueue(*, juror: Juror) -> None:
    from hemicycle.juries.tasks import juror_link_send_task

    transaction.on_commit(lambda: juror_link_send_task.enqueue(juror_id=juror.pk))


def juror_url(juror: Juror) -> str:
    return settings.SITE_URL + reverse("juries:juror-home",
                                       args=[juror.workspace.slug, juror.campaign.code])


def juror_link_send(*, juror: Juror) -> bool:
    """Mail the juror their scoring page; someone without a password yet also gets a link
    to set one (the accounts' password page, valid until used)."""
    from hemicycle.juries.services.applications import mail

    password_url = ""
    if juror.user is not None and not juror.user.has_usable_password():
        password_url = settings.SITE_URL + reverse("accounts:password-reset-confirm", args=[
            urlsafe_base64_encode(force_bytes(juror.user.pk)),
            default_token_generator.make_token(juror.user)])
    if not mail(to=juror.email, subject=_("Votre accès de juré·e — %(c)s") % {
            "c": juror.campaign.title}, template="juries/email/juror_link.txt",
            context={"juror": juror, "url": juror_url(juror), "password_url": password_url}):
        return False
    Juror.objects.filter(pk=juror.pk).update(link_sent_at=timezone.now())
    return True


def juror_for_user(request, code) -> Juror:
    """The current user's active seat on the campaign with this code, in the current
    workspace, or 404. A ``juror`` membership must also be scoped to that campaign."""
    juror = Juror.objects.select_related("campaign", "college").filter(
        workspace=request.workspace, campaign__code=code, user=request.user,
        active=True).first()
    if juror is None:
        raise Http404
    membership = request.membership
    if membership.role == Role.JUROR and str(code) not in _scope_campaigns(membership):
        raise Http404
    return juror


def juror_campaigns(request) -> list[Campaign]:
    """The campaigns the current user sits on as an active juror in this workspace."""
    return [j.campaign for j in Juror.objects.filter(
        workspace=request.workspace, user=request.user, active=True).select_related("campaign")]


@transaction.atomic
def juror_deactivate(*, juror: Juror) -> None:
    """Take the juror off the jury; someone who was only a juror here loses the account's
    access to the workspace once they sit on no other active jury."""
    juror.active = False
    juror.save(update_fields=["active", "updated_at"])
    if juror.user_id is None:
        return
    still = Juror.objects.filter(workspace=juror.workspace_id, user=juror.user_id,
                                 active=True).exists()
    if not still:
        Membership.objects.filter(workspace=juror.workspace_id, user=juror.user_id,
                                  role=Role.JUROR).delete()


def reviewable(campaign: Campaign):
    """The applications the jury scores: those found eligible (and, later, decided)."""
    return campaign.applications.filter(status__in=[
        Application.Status.ELIGIBLE, Application.Status.GRANTED, Application.Status.REFUSED,
    ]).select_related("commune")


@transaction.atomic
def review_save(*, juror: Juror, application: Application, scores: dict[str, int],
                approved: bool, conflict: bool, comment: str = "") -> Review:
    """Save a juror's review. A declared conflict of interest clears scores and support:
    the juror is kept out of that application."""
    campaign = juror.campaign
    if application.campaign_id != campaign.pk or not application.is_open_to_jury:
        raise ValidationError(_("Ce dossier n'est pas soumis au jury."))
    criteria = {str(c.pk) for c in campaign_criteria(campaign)}
    if conflict:
        scores, approved = {}, False
    else:
        scores = {k: v for k, v in scores.items() if v is not None}
        if set(scores) - criteria:
            raise ValidationError(_("Critère inconnu."))
        if any(not 0 <= v <= campaign.score_scale for v in scores.values()):
            raise ValidationError(_("Les notes vont de 0 à %(n)d.") % {
                "n": campaign.score_scale})
    review, _created = Review.objects.update_or_create(
        workspace=juror.workspace, juror=juror, application=application,
        defaults={"scores": scores, "approved": approved, "conflict": conflict,
                  "comment": comment.strip()})
    return review


def review_total(review: Review, weights: dict[str, int]) -> Fraction | None:
    """A complete review's weighted mean score (None if some criterion is missing)."""
    if review.conflict or set(weights) - set(review.scores):
        return None
    total = sum(weights.values())
    return Fraction(sum(weights[c] * review.scores[c] for c in weights), total)


def juror_progress(campaign: Campaign) -> list[dict]:
    applications = list(reviewable(campaign).values_list("pk", flat=True))
    weights = criteria_weights(campaign)
    rows = []
    jurors = campaign.jurors.filter(workspace=campaign.workspace_id, active=True)
    for juror in jurors.select_related("college").prefetch_related(
            Prefetch("reviews", Review.objects.filter(workspace=campaign.workspace_id))):
        reviews = [r for r in juror.reviews.all() if r.application_id in applications]
        conflicts = sum(r.conflict for r in reviews)
        done = sum(review_total(r, weights) is not None for r in reviews)
        due = len(applications) - conflicts
        rows.append({"juror": juror, "done": done, "due": due, "conflicts": conflicts,
                     "percent": round(100 * done / due) if due else 100})
    return rows


def scores_table(campaign: Campaign) -> list[dict]:
    """Per application: weighted mean, median and spread (standard deviation) of the
    jurors' complete reviews, supports, conflicts; ranked best first."""
    criteria = list(campaign_criteria(campaign))
    weights = {str(c.pk): c.weight for c in criteria}
    rows = []
    scoped = Review.objects.filter(workspace=campaign.workspace_id).select_related("juror")
    for application in reviewable(campaign).prefetch_related(Prefetch("reviews", scoped)):
        reviews = [r for r in application.reviews.all() if r.juror.active]
        totals = [t for r in reviews if (t := review_total(r, weights)) is not None]
        per_criterion = []
        for criterion in criteria:
            values = [r.scores[str(criterion.pk)] for r in reviews
                      if not r.conflict and str(criterion.pk) in r.scores]
            per_criterion.append(round(statistics.fmean(values), 2) if values else None)
        rows.append({
            "application": application,
            "mean": float(sum(totals) / len(totals)) if totals else None,
            "exact_mean": sum(totals) / len(totals) if totals else None,
            "median": float(statistics.median(totals)) if totals else None,
            "spread": statistics.pstdev(float(t) for t in totals) if len(totals) > 1 else 0.0,
            "reviews": len(totals),
            "approvals": sum(r.approved for r in reviews),
            "conflicts": sum(r.conflict for r in reviews),
            "criteria": per_criterion,
        })
    rows.sort(key=lambda row: (row["mean"] is None, -(row["mean"] or 0), -row["approvals"],
                               row["application"].amount_requested))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["mean"] is not None else None
    return rows
