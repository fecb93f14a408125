"""Duplicates: finding candidate pairs, merging field by field, undoing a merge.

A merge never deletes: the merged actor stays, hidden (``merged_into``), and everything
attached to it (relations, interactions, consent records, themes, tags) moves to the
kept actor; the ``Merge`` row remembers what moved and the kept actor's values before,
so that ``merge_undo`` puts everything back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.actors import matching
from hemicycle.actors.models import (
    Actor,
    ConsentRecord,
    DuplicateCandidate,
    Interaction,
    Merge,
    Relation,
)
from hemicycle.actors.services.interactions import actor_refresh_contacts
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record

__all__ = ["MERGE_FIELDS", "duplicate_find", "duplicate_dismiss", "actor_merge", "merge_undo"]

# The fields the merge screen offers to take from either actor.
MERGE_FIELDS = ("name", "first_name", "last_name", "kind", "description", "street",
                "postal_code", "city", "commune", "latitude", "longitude", "email",
                "email2", "phone", "website", "social", "rna_id", "siren", "siret",
                "created_on", "dissolved_on", "notes", "follower", "lawful_basis",
                "data_source")


def _pair(workspace, a: int, b: int, score: int, reason: str, found: list) -> None:
    first, second = sorted((a, b))
    found.append(DuplicateCandidate(workspace=workspace, first_id=first, second_id=second,
                                    score=score, reason=reason))


@transaction.atomic
def duplicate_find(*, workspace) -> int:
    """Look for candidate pairs over the whole directory; returns how many are new."""
    actors = Actor.objects.filter(workspace=workspace, merged_into=None)
    found: list[DuplicateCandidate] = []
    for key, reason in (("rna_id", _("Même numéro RNA")), ("siren", _("Même SIREN")),
                        ("email", _("Même e-mail"))):
        values = actors.exclude(**{key: ""}).values(key).annotate(n=Count("id")).filter(
            n__gt=1).values_list(key, flat=True)
        for value in values:
            ids = sorted(actors.filter(**{key: value}).values_list("pk", flat=True))
            for other in ids[1:]:
                _pair(workspace, ids[0], other, 100, reason, found)
    index = matching.NameIndex()
    for pk, name, commune in actors.exclude(commune=None).order_by("pk").values_list(
            "pk", "name", "commune_id").iterator(10000):
        similar = index.find(commune, name)
        if similar:
            _pair(workspace, similar[0], pk, similar[1], _("Nom proche, même commune"), found)
        index.add(commune, name, pk)
    before = DuplicateCandidate.objects.filter(workspace=workspace).count()
    DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True, batch_size=1000)
    return DuplicateCandidate.objects.filter(workspace=workspace).count() - before


def duplicate_dismiss(*, candidate: DuplicateCandidate) -> None:
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.save(update_fields=["status", "updated_at"])


def _moves(merged: Actor, kept: Actor) -> dict:
    """Re-point everything of ``merged`` to ``kept``; return the ids, for undo."""
    moved = {
        "relations_out": list(Relation.objects.filter(source=merged).values_list("pk", flat=True)),
        "relations_in": list(Relation.objects.filter(target=merged).values_list("pk", flat=True)),
        "consents": list(ConsentRecord.objects.filter(actor=merged).values_list("pk", flat=True)),
    }
    Relation.objects.filter(pk__in=moved["relations_out"]).update(source=kept)
    Relation.objects.filter(pk__in=moved["relations_in"]).update(target=kept)
    ConsentRecord.objects.filter(pk__in=moved["consents"]).update(actor=kept)
    through = Interaction.actors.through
    shared = set(through.objects.filter(actor=kept).values_list("interaction_id", flat=True))
    mine = list(through.objects.filter(actor=merged).values_list("interaction_id", flat=True))
    moved["interactions"] = [i for i in mine if i not in shared]
    moved["interactions_shared"] = [i for i in mine if i in shared]
    through.objects.filter(actor=merged, interaction_id__in=moved["interactions"]).update(
        actor=kept)
    through.objects.filter(actor=merged, interaction_id__in=moved["interactions_shared"]
                           ).delete()
    for name in ("themes", "tags"):
        have = set(getattr(kept, name).values_list("pk", flat=True))
        added = [pk for pk in getattr(merged, name).values_list("pk", flat=True)
                 if pk not in have]
        getattr(kept, name).add(*added)
        moved[name] = added
    return moved


@transaction.atomic
def actor_merge(*, kept: Actor, merged: Actor, take: set[str], by=None) -> Merge:
    """Merge ``merged`` into ``kept``; ``take`` names the fields copied from ``merged``."""
    if kept.pk == merged.pk or kept.workspace_id != merged.workspace_id:
        raise ValidationError(_("On ne fusionne pas un acteur avec lui-même."))
    if merged.merged_into_id or kept.merged_into_id:
        raise ValidationError(_("L'un des deux acteurs est déjà fusionné."))
    if kept.type != merged.type:
        raise ValidationError(_("Une structure et une personne ne se fusionnent pas."))
    before = {}
    for name in set(take) & set(MERGE_FIELDS):
        attname = Actor._meta.get_field(name).attname  # commune → commune_id
        before[attname] = _plain(getattr(kept, attname))
        setattr(kept, attname, getattr(merged, attname))
    # The kept actor takes the other's identifiers if it has none (no unique clash).
    kept.no_email = kept.no_email or merged.no_email
    kept.no_phone = kept.no_phone or merged.no_phone
    kept.no_post = kept.no_post or merged.no_post
    before.update(no_email=kept.no_email, no_phone=kept.no_phone, no_post=kept.no_post)
    kept.save()
    moved = _moves(merged, kept)
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(first__in=[kept, merged], second__in=[kept, merged]
                                      ).update(status=DuplicateCandidate.Status.MERGED)
    actor_refresh_contacts([kept.pk, merged.pk])
    merge = Merge.objects.create(workspace=kept.workspace, kept=kept, merged=merged,
                                 before=before, moved=moved, by=by)
    audit_record(action=AuditEvent.Action.OTHER, obj=kept, verb="actors.merge",
                 message=_("%(merged)s fusionné dans %(kept)s") % {"merged": merged,
                                                                  "kept": kept})
    return merge


def _plain(value):
    import datetime

    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def merge_undo(*, merge: Merge, by=None) -> None:
    import datetime

    if merge.undone_at:
        raise ValidationError(_("Cette fusion est déjà annulée."))
    kept, merged = merge.kept, merge.merged
    for name, value in merge.before.items():
        if value and name in ("created_on", "dissolved_on"):
            value = datetime.date.fromisoformat(value)
        setattr(kept, name, value)
    kept.save()
    moved = merge.moved
    Relation.objects.filter(pk__in=moved.get("relations_out", [])).update(source=merged)
    Relation.objects.filter(pk__in=moved.get("relations_in", [])).update(target=merged)
    ConsentRecord.objects.filter(pk__in=moved.get("consents", [])).update(actor=merged)
    through = Interaction.actors.through
    through.objects.filter(actor=kept, interaction_id__in=moved.get("interactions", [])
                           ).update(actor=merged)
    through.objects.bulk_create([through(actor=merged, interaction_id=i)
                                 for i in moved.get("interactions_shared", [])],
                                ignore_conflicts=True)
    kept.themes.remove(*moved.get("themes", []))
    kept.tags.remove(*moved.get("tags", []))
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(first__in=[kept, merged], second__in=[kept, merged]
                                      ).update(status=DuplicateCandidate.Status.PENDING)
    actor_refresh_contacts([kept.pk, merged.pk])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at", "updated_at"])
    audit_record(action=AuditEvent.Action.OTHER, obj=kept, verb="actors.merge_undo",
                 message=_("Fusion annulée : %(merged)s séparé de %(kept)s")
                 % {"merged": merged, "kept": kept}, actor=by)
