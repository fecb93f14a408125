"""Interactions (meetings, field visits, calls…) and the contact dates they keep."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from hemicycle.actors.models import Actor, Interaction

__all__ = ["interaction_create", "interaction_update", "interaction_delete",
           "interaction_follow_up_done", "actor_refresh_contacts"]


def actor_refresh_contacts(actor_ids) -> None:
    """Recompute ``last_contact_on`` and ``next_follow_up_on`` from the interactions."""
    through = Interaction.actors.through
    for actor_id in set(actor_ids):
        links = through.objects.filter(actor_id=actor_id)
        last = links.aggregate(d=Max("interaction__date"))["d"]
        following = links.filter(interaction__follow_up_done=False).aggregate(
            d=Min("interaction__follow_up_on"))["d"]
        Actor.objects.filter(pk=actor_id).update(last_contact_on=last,
                                                 next_follow_up_on=following)


def _check(workspace, actors, elected, staff) -> None:
    if not actors:
        raise ValidationError(_("Choisissez au moins un acteur."))
    if any(a.workspace_id != workspace.pk for a in actors) or any(
            e.workspace_id != workspace.pk for e in elected):
        raise ValidationError(_("Acteur ou élu·e d'un autre espace."))
    if any(not u.memberships.filter(workspace=workspace).exists() for u in staff):
        raise ValidationError(_("Membre d'équipe d'un autre espace."))


@transaction.atomic
def interaction_create(*, workspace, kind: str, date: datetime.date, title: str,
                       actors, notes: str = "", elected=(), staff=(), follow_up_on=None,
                       by=None) -> Interaction:
    actors, elected, staff = list(actors), list(elected), list(staff)
    _check(workspace, actors, elected, staff)
    interaction = Interaction(workspace=workspace, kind=kind, date=date, title=title,
                              notes=notes, follow_up_on=follow_up_on, author=by)
    interaction.full_clean(exclude=["workspace", "code"])
    interaction.save()
    interaction.actors.set(actors)
    interaction.elected.set(elected)
    interaction.staff.set(staff)
    actor_refresh_contacts(a.pk for a in actors)
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, actors, elected=(), staff=(),
                       **fields) -> Interaction:
    actors, elected, staff = list(actors), list(elected), list(staff)
    _check(interaction.workspace, actors, elected, staff)
    before = set(interaction.actors.values_list("pk", flat=True))
    for key, value in fields.items():
        setattr(interaction, key, value)
    interaction.full_clean(exclude=["workspace", "code"])
    interaction.save()
    interaction.actors.set(actors)
    interaction.elected.set(elected)
    interaction.staff.set(staff)
    actor_refresh_contacts(before | {a.pk for a in actors})
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    ids = list(interaction.actors.values_list("pk", flat=True))
    interaction.delete()
    actor_refresh_contacts(ids)


@transaction.atomic
def interaction_follow_up_done(*, interaction: Interaction) -> Interaction:
    interaction.follow_up_done = True
    interaction.save(update_fields=["follow_up_done", "updated_at"])
    actor_refresh_contacts(interaction.actors.values_list("pk", flat=True))
    return interaction
