"""GDPR for the people of the directory: consent records, export, anonymisation,
retention. Political opinions are sensitive data: what the group keeps about a person
must be justified (lawful basis, source), exportable and erasable on request.
"""

import csv
import datetime
import io

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.actors.models import Actor, ConsentRecord, Interaction, Relation
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record

__all__ = ["ANONYMOUS", "retention_years", "consent_record", "person_export",
           "person_export_csv", "person_anonymise", "retention_due", "retention_warn",
           "retention_purge"]

ANONYMOUS = "Personne anonymisée"
WARN_DAYS = 30  # between the warning and the purge
PERSONAL_FIELDS = ("first_name", "last_name", "description", "street", "email", "email2",
                   "phone", "website", "social", "notes", "data_source")


def retention_years() -> int:
    """People with no interaction for this many years are listed, warned, then purged."""
    return max(1, settings.ACTORS_RETENTION_YEARS)


@transaction.atomic
def consent_record(*, actor: Actor, given: bool, purpose: str = "newsletter",
                   at: datetime.datetime | None = None, ip: str | None = None,
                   text_version: str = "", source: str = "") -> ConsentRecord:
    """Keep the proof, and the actor's current status (the latest record wins)."""
    record = ConsentRecord.objects.create(
        workspace=actor.workspace, actor=actor, purpose=purpose, given=given,
        at=at or timezone.now(), ip=ip or None, text_version=text_version, source=source)
    latest = actor.consents.order_by("-at", "-pk").first()
    actor.consent_status = Actor.Consent.GIVEN if latest.given else Actor.Consent.WITHDRAWN
    if given and not actor.lawful_basis:
        actor.lawful_basis = Actor.LawfulBasis.CONSENT
    actor.save(update_fields=["consent_status", "lawful_basis", "updated_at"])
    return record


def person_export(actor: Actor) -> dict:
    """Everything the workspace holds about this actor, JSON-ready."""
    fields = {f.name: _plain(getattr(actor, f.attname)) for f in Actor._meta.concrete_fields
              if f.name not in ("id", "workspace", "search_text", "import_batch", "merged_into")}
    fields["commune"] = actor.commune.name if actor.commune_id else None
    fields["follower"] = str(actor.follower) if actor.follower_id else None
    return {
        "actor": fields,
        "themes": [str(t) for t in actor.themes.all()],
        "tags": [t.name for t in actor.tags.all()],
        "cantons": [c.name for c in actor.cantons.all()],
        "relations": [
            {"kind": r.get_kind_display(), "with": str(r.target if r.source_id == actor.pk
                                                       else r.source),
             "title": r.title, "start": _plain(r.start_on), "end": _plain(r.end_on)}
            for r in [*actor.relations_out.all(), *actor.relations_in.all()]],
        "interactions": [
            {"kind": i.get_kind_display(), "date": _plain(i.date), "title": i.title,
             "notes": i.notes, "follow_up_on": _plain(i.follow_up_on)}
            for i in actor.interactions.all()],
        "consents": [
            {"purpose": c.purpose, "given": c.given, "at": _plain(c.at), "ip": c.ip,
             "text_version": c.text_version, "source": c.source}
            for c in actor.consents.all()],
    }


def person_export_csv(actor: Actor) -> str:
    """The same export as one CSV of (section, field, value) lines."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("section"), _("champ"), _("valeur")])
    data = person_export(actor)
    for key, value in data["actor"].items():
        writer.writerow(["acteur", key, "" if value is None else value])
    for section in ("themes", "tags", "cantons"):
        for value in data[section]:
            writer.writerow([section, "", value])
    for section in ("relations", "interactions", "consents"):
        for number, item in enumerate(data[section], start=1):
            for key, value in item.items():
                writer.writerow([f"{section}[{number}]", key, "" if value is None else value])
    return out.getvalue()


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if hasattr(value, "hex"):
        return str(value)
    return value


@transaction.atomic
def person_anonymise(*, actor: Actor, by=None) -> Actor:
    """Erase a person on request: identity, contacts, notes and consent proofs go;
    interactions stay (the group's own record) with the name replaced in them."""
    names = sorted((n for n in {actor.name, actor.last_name, actor.first_name}
                    if n and len(n) > 2), key=len, reverse=True)  # full name first
    for interaction in Interaction.objects.filter(actors=actor):
        for name in names:
            interaction.title = interaction.title.replace(name, ANONYMOUS)
            interaction.notes = interaction.notes.replace(name, ANONYMOUS)
        interaction.save(update_fields=["title", "notes", "updated_at"])
    for name in PERSONAL_FIELDS:
        setattr(actor, name, "")
    actor.name = ANONYMOUS
    actor.latitude = actor.longitude = None
    actor.no_email = actor.no_phone = actor.no_post = True
    actor.consent_status = Actor.Consent.NONE
    actor.erased_at = timezone.now()
    actor.save()
    consent_ids = list(actor.consents.values_list("pk", flat=True))
    actor.consents.all().delete()
    actor.tags.clear()
    # The trail keeps that something was erased, not what: old values and names go.
    relation_ids = [*actor.relations_out.values_list("pk", flat=True),
                    *actor.relations_in.values_list("pk", flat=True)]
    interaction_ids = list(actor.interactions.values_list("pk", flat=True))
    for model, ids in ((Actor, [actor.pk]), (ConsentRecord, consent_ids),
                       (Relation, relation_ids), (Interaction, interaction_ids)):
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                  object_id__in=[str(i) for i in ids]).update(
            changes={}, object_repr=ANONYMOUS)
    audit_record(action=AuditEvent.Action.OTHER, obj=actor, verb="actors.anonymise",
                 message=_("Personne anonymisée à sa demande ou par la règle de conservation"),
                 actor=by)
    return actor


def retention_due(workspace, today: datetime.date | None = None):
    """People not contacted for ``retention_years()`` years (nor created since)."""
    today = today or timezone.localdate()
    cutoff = today.replace(year=today.year - retention_years())
    from django.db.models import Q

    return Actor.objects.filter(
        workspace=workspace, type=Actor.Type.PERSON, erased_at=None, merged_into=None,
        created_at__date__lt=cutoff,
    ).filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on=None)).order_by("name")


def retention_warn(workspace, today: datetime.date | None = None) -> int:
    return retention_due(workspace, today).filter(retention_warned_at=None).update(
        retention_warned_at=timezone.now())


def retention_purge(workspace, today: datetime.date | None = None, by=None) -> int:
    """Anonymise the people warned at least WARN_DAYS ago and still due."""
    limit = timezone.now() - datetime.timedelta(days=WARN_DAYS)
    due = retention_due(workspace, today).filter(retention_warned_at__lte=limit)
    count = 0
    for actor in due:
        person_anonymise(actor=actor, by=by)
        count += 1
    return count
