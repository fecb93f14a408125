"""Colleges, volunteers and the draw (the engine is ``sortition.py``).

The draw freezes its inputs on the Draw row (ordered pool of pseudonyms with their
features and household keys, quotas, size), so that the published report holds all
anyone needs to recompute the pool digest, the lottery and, from the public seed, the
panel. Names never leave the database.
"""

import hashlib
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.juries import sortition
from hemicycle.juries.models import Campaign, College, Draw, Juror, Volunteer
from hemicycle.juries.services.trail import trail

# Pools up to this size are drawn during the request (well under a second); larger ones
# by the task worker, the page polling the draw's status.
INLINE_POOL = 150

# Suggested features of a citizen college (the volunteer form asks them).
DEFAULT_QUOTAS = (
    "genre,Femme,1,2\ngenre,Homme,1,2\n"
    "âge,18-34 ans,1,1\nâge,35-59 ans,1,1\nâge,60 ans et plus,1,1"
)


def quotas_parse(text: str) -> list[list]:
    """"feature,value,min,max" lines (Panelot's categories.csv) → [[f, v, min, max]]."""
    rows, errors, seen = [], [], set()
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lower().startswith(("category,", "feature,")):
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) != 4 or not all(parts[:2]) or not (parts[2].isdigit() and
                                                           parts[3].isdigit()):
            errors.append(_("ligne %(n)d : « caractéristique,valeur,min,max » attendu")
                          % {"n": n})
            continue
        lo, hi = int(parts[2]), int(parts[3])
        if lo > hi:
            errors.append(_("ligne %(n)d : le minimum dépasse le maximum") % {"n": n})
        if (parts[0], parts[1]) in seen:
            errors.append(_("ligne %(n)d : valeur en double") % {"n": n})
        seen.add((parts[0], parts[1]))
        rows.append([parts[0][:60], parts[1][:80], lo, hi])
    if errors:
        raise ValidationError(errors)
    return rows


def quotas_text(college: College) -> str:
    return "\n".join(f"{f},{v},{lo},{hi}" for f, v, lo, hi in college.quotas)


@transaction.atomic
def college_save(*, campaign: Campaign, college: College | None = None, quotas: list,
                 **fields) -> College:
    if college is None:
        college = College(workspace=campaign.workspace, campaign=campaign)
    for name, value in fields.items():
        setattr(college, name, value)
    college.quotas = quotas if college.method == College.Method.DRAWN else []
    college.full_clean()
    college.save()
    return college


# --- volunteers ------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, college: College, features: dict[str, str], **fields) -> Volunteer:
    """A public registration, with explicit consent (the form requires it)."""
    if not college.volunteers_open or college.method != College.Method.DRAWN:
        raise ValidationError(_("Les inscriptions ne sont pas ouvertes."))
    expected = college.features()
    if set(features) != set(expected) or any(features[f] not in expected[f] for f in expected):
        raise ValidationError(_("Réponses incomplètes."))
    email = fields["email"].strip().lower()
    volunteers = college.volunteers.filter(workspace=college.workspace_id)
    if volunteers.filter(email__iexact=email, purged_at=None).exists():
        raise ValidationError(_("Cette adresse e-mail est déjà inscrite."))
    College.objects.select_for_update().filter(pk=college.pk).first()
    pseudonym = f"V-{volunteers.count() + 1:04d}"
    volunteer = Volunteer(workspace=college.workspace, college=college, pseudonym=pseudonym,
                          features=features,
                          consent_at=timezone.now(), **{**fields, "email": email})
    volunteer.full_clean()
    volunteer.save()
    return volunteer


def volunteers_purge(*, campaign: Campaign) -> int:
    """Erase the volunteers' personal data once the campaign is over (GDPR retention):
    name, e-mail, phone and address go; the pseudonym, features and status stay for the
    published draw report. Returns how many were purged."""
    count = Volunteer.objects.filter(
        workspace=campaign.workspace_id, college__campaign=campaign, purged_at=None).update(
        first_name="", last_name="", email="", phone="", address="", postal_code="",
        purged_at=timezone.now())
    if count:
        trail("volunteers_purge", obj=campaign,
                     message=_("%(n)d volontaires : données personnelles effacées.") % {
                         "n": count})
    return count


# --- the draw --------------------------------------------------------------------------


def _frozen_pool(college: College) -> list[list]:
    features = list(college.features())
    people = college.volunteers.filter(workspace=college.workspace_id).exclude(
        status=Volunteer.Status.DECLINED).order_by("id")
    return [[v.pseudonym, {f: v.features.get(f, "") for f in features},
             v.household if college.one_per_household else None] for v in people]


def _instance(draw: Draw) -> sortition.Instance:
    return sortition.Instance(
        people=[sortition.Person(pid, dict(features), household)
                for pid, features, household in draw.pool],
        quotas={(f, v): (lo, hi) for f, v, lo, hi in draw.quotas},
        k=draw.size,
    )


@transaction.atomic
def draw_create(*, college: College, seed: str, algorithm: str, by) -> Draw:
    """Freeze the pool and run the draw (inline for small pools, else as a task)."""
    if college.method != College.Method.DRAWN:
        raise ValidationError(_("Ce collège n'est pas tiré au sort."))
    if algorithm not in sortition.ALGORITHMS:
        raise ValidationError(_("Algorithme inconnu."))
    if not seed.strip():
        raise ValidationError(_("Indiquez la graine publique."))
    draw = Draw(workspace=college.workspace, college=college, algorithm=algorithm,
                seed=seed.strip(), pool=_frozen_pool(college), quotas=college.quotas,
                size=college.seats, drawn_by=by)
    draw.pool_digest = sortition.pool_digest(_instance(draw))
    draw.save()
    trail("draw", obj=draw, by=by,
                 message=f"{algorithm} · {draw.seed} · {len(draw.pool)}")
    if len(draw.pool) <= INLINE_POOL:
        draw_run(draw=draw)
    else:
        from hemicycle.juries.tasks import draw_run_task

        transaction.on_commit(lambda: draw_run_task.enqueue(draw_id=draw.pk))
    return draw


def reserve_order(draw: Draw, panel: list[str]) -> list[str]:
    """The others, in the order of sha256(seed, digest, pseudonym): as verifiable as the
    panel itself."""
    chosen = set(panel)
    key = {pid: hashlib.sha256(f"{draw.seed}\n{draw.pool_digest}\n{pid}".encode()).hexdigest()
           for pid, _f, _h in draw.pool}
    return sorted((pid for pid, _f, _h in draw.pool if pid not in chosen), key=key.__getitem__)


def draw_run(*, draw: Draw) -> Draw:
    """Compute the lottery and pick the panel; infeasible quotas end the draw with the
    engine's explanation and its suggested relaxation."""
    Draw.objects.filter(pk=draw.pk).update(status=Draw.Status.RUNNING)
    started = time.perf_counter()
    instance = _instance(draw)
    def progress(fixed: int, total: int) -> None:
        Draw.objects.filter(pk=draw.pk).update(progress=round(100 * fixed / max(total, 1)))

    try:
        distribution = sortition.probabilities(instance, draw.algorithm, progress=progress)
    except sortition.InfeasibleQuotas as error:
        problem = error.infeasibility
        draw.status = Draw.Status.FAILED
        draw.infeasibility = {
            "explanation": problem.explanation, "changes": problem.changes,
            "relaxed": [[f, v, lo, hi] for (f, v), (lo, hi) in sorted(
                (problem.relaxed_quotas or {}).items())] if problem.relaxed_quotas else None}
        draw.save()
        return draw
    draw.panel = sortition.draw(distribution, draw.seed)
    draw.reserve = reserve_order(draw, draw.panel)
    draw.probabilities = distribution.probabilities
    draw.version = distribution.version
    draw.seconds = round(time.perf_counter() - started, 3)
    draw.status, draw.progress = Draw.Status.DONE, 100
    with transaction.atomic():
        draw.save()
        _statuses(draw)
    return draw


def _statuses(draw: Draw) -> None:
    volunteers = draw.college.volunteers.filter(workspace=draw.workspace_id).exclude(
        status=Volunteer.Status.DECLINED)
    volunteers.update(status=Volunteer.Status.POOL)
    volunteers.filter(pseudonym__in=draw.panel).update(status=Volunteer.Status.SELECTED)
    volunteers.filter(pseudonym__in=draw.reserve).update(status=Volunteer.Status.RESERVE)


def latest_draw(college: College) -> Draw | None:
    return college.draws.filter(status=Draw.Status.DONE).first()


def _fits(draw: Draw, panel: list[str]) -> bool:
    features = {pid: f for pid, f, _h in draw.pool}
    for feature, value, lo, hi in draw.quotas:
        n = sum(features[pid].get(feature) == value for pid in panel)
        if not lo <= n <= hi:
            return False
    return True


@transaction.atomic
def draw_replace(*, draw: Draw, pseudonym: str, by) -> str:
    """A drawn person withdraws: the first of the reserve list who keeps every quota
    takes the seat (or, failing that, the first with the same features). Returns the
    replacement's pseudonym."""
    if pseudonym not in draw.panel:
        raise ValidationError(_("Cette personne ne fait pas partie du panel."))
    rest = [p for p in draw.panel if p != pseudonym]
    features = {pid: f for pid, f, _h in draw.pool}
    chosen = next((c for c in draw.reserve if _fits(draw, [*rest, c])), None) or next(
        (c for c in draw.reserve if features[c] == features[pseudonym]), None)
    if chosen is None:
        raise ValidationError(_("Personne sur la liste complémentaire ne peut la remplacer "
                                "en respectant les quotas."))
    draw.panel = [chosen if p == pseudonym else p for p in draw.panel]
    draw.reserve = [p for p in draw.reserve if p != chosen]
    draw.replacements = [*draw.replacements, [pseudonym, chosen, timezone.now().isoformat()]]
    draw.save(update_fields=["panel", "reserve", "replacements", "updated_at"])
    volunteers = draw.college.volunteers.filter(workspace=draw.workspace_id)
    volunteers.filter(pseudonym=pseudonym).update(status=Volunteer.Status.DECLINED)
    volunteers.filter(pseudonym=chosen).update(status=Volunteer.Status.SELECTED)
    from hemicycle.juries.services.scoring import juror_deactivate

    for juror in Juror.objects.filter(
            workspace=draw.workspace_id, campaign=draw.college.campaign, college=draw.college,
            active=True, email__in=volunteers.filter(pseudonym=pseudonym).values("email")):
        juror_deactivate(juror=juror)
    trail("draw_replace", obj=draw, by=by,
                 message=f"{pseudonym} → {chosen}")
    return chosen


def draw_report(draw: Draw) -> dict:
    """What the public report shows and what anyone needs to re-run the draw."""
    return {
        "college": draw.college.name, "seats": draw.size, "algorithm": draw.algorithm,
        "version": draw.version, "seed": draw.seed, "pool_digest": draw.pool_digest,
        "pool_size": len(draw.pool),
        "quotas": [{"feature": f, "value": v, "min": lo, "max": hi}
                   for f, v, lo, hi in draw.quotas],
        "pool": [{"id": pid, "features": f, "household": h} for pid, f, h in draw.pool],
        "probabilities": draw.probabilities,
        "min_probability": min(draw.probabilities.values(), default=0),
        "panel": draw.panel, "reserve": draw.reserve, "replacements": draw.replacements,
        "drawn_at": draw.created_at.isoformat(),
    }


def draw_verify(draw: Draw) -> bool:
    """Re-run the draw from its frozen inputs: same lottery, same panel."""
    instance = _instance(draw)
    if sortition.pool_digest(instance) != draw.pool_digest:
        return False
    distribution = sortition.probabilities(instance, draw.algorithm)
    original = [p for p in draw.panel]
    for out, chosen, _at in reversed(draw.replacements):
        original = [out if p == chosen else p for p in original]
    return sortition.draw(distribution, draw.seed) == original


@transaction.atomic
def draw_jurors_create(*, draw: Draw, by) -> int:
    """The drawn people become jurors of the college (then invited by e-mail)."""
    from hemicycle.juries.services.scoring import juror_create

    made = 0
    campaign = draw.college.campaign
    for volunteer in draw.college.volunteers.filter(
            workspace=draw.workspace_id, pseudonym__in=draw.panel, purged_at=None):
        if campaign.jurors.filter(email__iexact=volunteer.email).exists():
            continue
        juror_create(campaign=campaign, college=draw.college, by=by,
                     name=f"{volunteer.first_name} {volunteer.last_name}",
                     email=volunteer.email)
        made += 1
    return made
