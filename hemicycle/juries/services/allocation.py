"""Allocation: the rules of ``budgeting.py`` on a campaign's reviews, side-by-side
comparison, plain-French explanations, manual overrides with a justification, and the
votes as a Pabulib ``.pb`` file."""

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.juries import budgeting, pabulib
from hemicycle.juries.models import Allocation, Application, Campaign, Review
from hemicycle.juries.services.campaigns import criteria_weights
from hemicycle.juries.services.scoring import review_total, reviewable, scores_table
from hemicycle.juries.services.trail import trail

Rule = Campaign.Rule


def _projects(campaign: Campaign) -> dict[str, budgeting.Project]:
    return {str(a.number): budgeting.Project(str(a.number), a.amount_requested, a.title)
            for a in reviewable(campaign)}


def _reviews(campaign: Campaign) -> dict[int, list[Review]]:
    """Active jurors' reviews of the reviewable applications, by juror."""
    by_juror: dict[int, list[Review]] = {}
    reviews = Review.objects.filter(
        workspace=campaign.workspace_id, application__in=reviewable(campaign),
        juror__active=True, conflict=False,
    ).select_related("application").order_by("juror_id", "application__number")
    for review in reviews:
        by_juror.setdefault(review.juror_id, []).append(review)
    return by_juror


def election_for(campaign: Campaign, rule: str) -> budgeting.Election:
    """The election a rule runs on: approvals ("je soutiens") for the vote rules, each
    juror's weighted points for MES on scores, the jury's mean score for the ranking."""
    projects = _projects(campaign)
    weights = criteria_weights(campaign)
    by_juror = _reviews(campaign)
    if rule in (Rule.GREEDY_VOTES, Rule.MES_APPROVALS):
        ballots = [{str(r.application.number): 1 for r in reviews if r.approved}
                   for reviews in by_juror.values()]
        return budgeting.Election(campaign.envelope, projects, [b for b in ballots if b],
                                  kind="approval", currency="EUR")
    if rule == Rule.MES_SCORES:
        ballots = []
        for reviews in by_juror.values():
            ballot = {}
            for review in reviews:
                total = review_total(review, weights)
                if total:
                    ballot[str(review.application.number)] = total * sum(weights.values())
            if ballot:
                ballots.append(ballot)
        return budgeting.Election(campaign.envelope, projects, ballots, kind="scoring",
                                  currency="EUR")
    # The ranking by mean weighted score: one ballot holding the jury's means.
    means = {str(row["application"].number): row["exact_mean"]
             for row in scores_table(campaign) if row["exact_mean"]}
    return budgeting.Election(campaign.envelope, projects, [means] if means else [],
                              kind="scoring", currency="EUR")


def _run(campaign: Campaign, rule: str, *, partial_min_share: int | None = None,
         completion: str = "add1", forced=(), excluded=()
         ) -> tuple[budgeting.Election, budgeting.Outcome]:
    election = election_for(campaign, rule)
    overrides = {"include": [str(n) for n in forced], "exclude": [str(n) for n in excluded]}
    try:
        if rule in (Rule.GREEDY_SCORE, Rule.GREEDY_VOTES):
            share = Fraction(partial_min_share, 100) if partial_min_share else None
            outcome = budgeting.greedy(election, partial_min_share=share, **overrides)
        else:
            outcome = budgeting.equal_shares(election, completion=completion, **overrides)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return election, outcome


def explanation(election: budgeting.Election, outcome: budgeting.Outcome, pid: str,
                rule: str) -> str:
    """budgeting.explain, with the ranking by mean score said in marks out of the scale."""
    reason = outcome.reasons[pid]
    if rule == Rule.GREEDY_SCORE and reason.score is not None:
        mark = f"{float(reason.score):.2f}".replace(".", ",")
        text = budgeting.explain(election, outcome, pid)
        return text.replace(f"avec {reason.score} points", _("avec une note moyenne de %(m)s")
                            % {"m": mark})
    return budgeting.explain(election, outcome, pid)


def _result(election, outcome, rule: str) -> dict:
    cost = outcome.cost(election)
    return {
        "selected": outcome.selected,
        "partial": {pid: int(amount) for pid, amount in outcome.partial.items()},
        "cost": int(cost), "left": int(election.budget - cost),
        "voters": len(election.ballots),
        "explanations": {pid: explanation(election, outcome, pid, rule)
                         for pid in election.projects},
        "reasons": {pid: r.code for pid, r in outcome.reasons.items()},
    }


@transaction.atomic
def allocation_run(*, campaign: Campaign, rule: str, by, partial_min_share: int | None = None,
                   completion: str = "add1", forced=(), excluded=(),
                   justification: str = "") -> Allocation:
    """Run a rule and keep the run. Forcing or excluding projects by hand needs a
    written justification, recorded with the run and in the audit trail."""
    if rule not in Rule.values:
        raise ValidationError(_("Règle inconnue."))
    if completion not in ("add1", "add1-greedy"):
        raise ValidationError(_("Complétion inconnue."))
    if rule in (Rule.GREEDY_SCORE, Rule.GREEDY_VOTES):
        completion = ""
    else:
        partial_min_share = None
    forced, excluded = sorted(set(forced)), sorted(set(excluded))
    if (forced or excluded) and not justification.strip():
        raise ValidationError(_("Une décision manuelle doit être justifiée par écrit."))
    election, outcome = _run(campaign, rule, partial_min_share=partial_min_share,
                             completion=completion or "add1", forced=forced, excluded=excluded)
    allocation = Allocation.objects.create(
        workspace=campaign.workspace, campaign=campaign, rule=rule, completion=completion,
        partial_min_share=partial_min_share, forced=forced, excluded=excluded,
        justification=justification.strip(), result=_result(election, outcome, rule),
        version=budgeting.VERSION, by=by)
    if forced or excluded:
        trail("allocation_override", obj=allocation, by=by,
                     message=_("Imposés : %(f)s ; écartés : %(e)s — %(j)s") % {
                         "f": forced or "—", "e": excluded or "—", "j": justification.strip()})
    return allocation


def allocations_compare(campaign: Campaign) -> dict:
    """Every rule on the same reviews: one column per rule, one row per project."""
    runs = {rule: _run(campaign, rule, partial_min_share=campaign.partial_min_share
                       if rule in (Rule.GREEDY_SCORE, Rule.GREEDY_VOTES) else None)
            for rule in Rule.values}
    # Who is served is measured on the same ballots for every rule: the jurors' supports.
    approvals = election_for(campaign, Rule.MES_APPROVALS)
    summary = []
    for rule, (_election, outcome) in runs.items():
        row = budgeting.compare(approvals, [outcome])[0]
        summary.append({"rule": rule, "label": Rule(rule).label, "funded": row["funded"],
                        "cost": int(row["cost"]), "left": int(row["left"]),
                        "served": round(float(row["served_share"]) * 100),
                        "voters": len(approvals.ballots)})
    projects = []
    for application in reviewable(campaign):
        pid = str(application.number)
        cells = []
        for rule, (election, outcome) in runs.items():
            amount = (election.projects[pid].cost if pid in outcome.selected
                      else outcome.partial.get(pid, 0))
            cells.append({"amount": int(amount),
                          "text": explanation(election, outcome, pid, rule)})
        projects.append({"application": application, "cells": cells})
    return {"summary": summary, "projects": projects}


@transaction.atomic
def allocation_adopt(*, allocation: Allocation, by) -> None:
    """This run becomes the decision: funded applications get their amount, the others
    are refused with the run's explanation as the reason."""
    campaign = allocation.campaign
    campaign.allocations.exclude(pk=allocation.pk).update(adopted=False)
    allocation.adopted = True
    allocation.save(update_fields=["adopted", "updated_at"])
    result = allocation.result
    for application in reviewable(campaign):
        pid = str(application.number)
        if pid in result["selected"]:
            application.status, application.granted_amount = (
                Application.Status.GRANTED, application.amount_requested)
        elif pid in result["partial"]:
            application.status = Application.Status.GRANTED
            application.granted_amount = result["partial"][pid]
        else:
            application.status, application.granted_amount = Application.Status.REFUSED, None
        application.decision_reason = result["explanations"].get(pid, "")
        application.save()
    trail("allocation_adopt", obj=allocation, by=by,
                 message=allocation.get_rule_display())


def adopted(campaign: Campaign) -> Allocation | None:
    return campaign.allocations.filter(adopted=True).first()


def votes_pb(campaign: Campaign) -> str:
    """The jury's votes as a Pabulib file: approvals (or weighted points when the
    campaign decides on scores), pseudonymous voters."""
    rule = Rule.MES_SCORES if campaign.rule in (Rule.MES_SCORES, Rule.GREEDY_SCORE) \
        else Rule.MES_APPROVALS
    election = election_for(campaign, rule)
    meta = {"description": campaign.title, "instance": str(campaign.year),
            "unit": ", ".join(c.name for c in campaign.cantons.all()) or campaign.title,
            "date_begin": campaign.opens_on.strftime("%d.%m.%Y"),
            "date_end": (campaign.jury_on or campaign.closes_on).strftime("%d.%m.%Y"),
            "comment": f"Hémicycle, {timezone.now():%Y-%m-%d}"}
    if rule == Rule.MES_SCORES:
        # Pabulib's "scoring" ballots hold points; ours are weighted sums (integers).
        election.ballots = [{p: int(v) for p, v in b.items()} for b in election.ballots]
    return pabulib.dumps(pabulib.pb_from_election(election, meta))
