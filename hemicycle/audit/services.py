"""Recording the audit trail.

Every concrete subclass of ``WorkspaceModel`` (and ``Workspace`` itself) is tracked
automatically through model signals (connected in ``apps.py``): creations, updates with
the fields that changed (old → new), deletions. Bulk operations (``bulk_create``,
``QuerySet.update``) bypass signals: the service that uses them records one summary
event with ``audit_record`` instead (an import, say).
"""

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from hemicycle.audit.context import current_actor
from hemicycle.audit.models import AuditEvent

MAX_TEXT = 2000  # long texts are cut in the trail; the object keeps them whole


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    workspace=None,
    verb: str = "",
    changes: dict[str, list[Any]] | None = None,
    message: str = "",
    actor=None,
) -> AuditEvent:
    """Add one event to the trail. ``actor`` defaults to whoever is acting now."""
    user, label = current_actor()
    if actor is not None:
        user, label = actor, str(actor)
    if workspace is None and obj is not None:
        workspace_id = getattr(obj, "workspace_id", None)
    else:
        workspace_id = getattr(workspace, "pk", None)
    return AuditEvent.objects.create(
        workspace_id=workspace_id,
        actor=user if getattr(user, "pk", None) else None,
        actor_label=label[:200] if label else "système",
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
        message=message,
    )


def audit_history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    exclude = getattr(model, "audit_exclude", set())
    return [
        f for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in exclude
    ]


def _plain(value: Any) -> Any:
    """A JSON-safe, readable form of a field value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {f.attname: _plain(getattr(instance, f.attname)) for f in tracked_fields(type(instance))}


def _label(instance: models.Model, attname: str, value: Any) -> Any:
    """FK ids become the related object's name; choices their label."""
    field = next(f for f in tracked_fields(type(instance)) if f.attname == attname)
    if value is None:
        return None
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value


def diff(instance: models.Model, old: dict[str, Any] | None) -> dict[str, list[Any]]:
    new = snapshot(instance)
    changes = {}
    for attname, value in new.items():
        before = old.get(attname) if old else None
        if old is None and value in (None, "", [], {}, False):
            continue  # a creation lists the fields that were filled in
        if old is not None and before == value:
            continue
        field_name = attname[:-3] if attname.endswith("_id") else attname
        changes[field_name] = [
            _label(instance, attname, before) if old is not None else None,
            _label(instance, attname, value),
        ]
    return changes
