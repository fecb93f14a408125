"""Jurors, their private links, reviews (scores, support, conflicts) and the aggregate."""

import statistics
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.juries.models import Application, Campaign, College, Juror, Review, new_token
from hemicycle.juries.models import hash_token as _hash
from hemicycle.juries.services.campaigns import campaign_criteria, criteria_weights


@transaction.atomic
def juror_create(*, campaign: Campaign, name: str, email: str, college: College | None = None,
                 by=None) -> Juror:
    """Add a juror; their private link leaves by e-mail in the background."""
    if college is not None and college.campaign_id != campaign.pk:
        raise ValidationError(_("Ce collège n'appartient pas à l'appel."))
    email = email.strip().lower()
    if campaign.jurors.filter(email__iexact=email, active=True).exists():
        raise ValidationError(_("Cette personne est déjà juré·e de l'appel."))
    juror = Juror(workspace=campaign.workspace, campaign=campaign, college=college,
                  name=name.strip(), email=email)
    juror.full_clean()
    juror.save()
    juror_link_enqueue(juror=juror)
    return juror


def juror_link_enqueue(*, juror: Juror) -> None:
    from hemicycle.juries.tasks import juror_link_send_task

    transaction.on_commit(lambda: juror_link_send_task.enqueue(juror_id=juror.pk))


def juror_link_send(*, juror: Juror) -> str | None:
    from hemicycle.juries.services.applications import mail

    token, token_hash = new_token()
    url = settings.SITE_URL + reverse("juries:juror-home", args=[token])
    if not mail(to=juror.email, subject=_("Votre accès de juré·e — %(c)s") % {
            "c": juror.campaign.title}, template="juries/email/juror_link.txt",
            context={"juror": juror, "url": url}):
        return None
    Juror.objects.filter(pk=juror.pk).update(token_hash=token_hash, link_sent_at=timezone.now())
    return token


def juror_from_token(token: str) -> Juror | None:
    if not token:
        return None
    return Juror.objects.select_related("campaign", "college").filter(
        token_hash=_hash(token), active=True).first()


def juror_deactivate(*, juror: Juror) -> None:
    juror.active = False
    juror.save(update_fields=["active", "updated_at"])


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
