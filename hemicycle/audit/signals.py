"""Model signals that feed the audit trail for every tracked model (see services.py)."""

from django.db import models

from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record, diff, snapshot


def before_save(sender: type[models.Model], instance: models.Model, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_old = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_old = snapshot(old) if old else None


def after_save(sender, instance, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    changes = diff(instance, None if created else getattr(instance, "_audit_old", None))
    if not created and not changes:
        return  # saved without any change worth a line
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    audit_record(action=action, obj=instance, changes=changes)


def after_delete(sender, instance, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.DELETE, obj=instance)


def connect(model: type[models.Model]) -> None:
    uid = f"audit-{model._meta.label}"
    models.signals.pre_save.connect(before_save, sender=model, dispatch_uid=uid)
    models.signals.post_save.connect(after_save, sender=model, dispatch_uid=uid)
    models.signals.post_delete.connect(after_delete, sender=model, dispatch_uid=uid)
