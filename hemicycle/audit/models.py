"""The audit trail: every change of domain data, who made it, when, old → new.

It is the group's accountability record: rows are only ever added (no update or
delete view exists, and the admin is read-only).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("création")
        UPDATE = "update", _("modification")
        DELETE = "delete", _("suppression")
        OTHER = "other", _("action")

    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, in words, kept even if the user is later erased ("commande import_elected"…).
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    # For Action.OTHER: a dotted verb such as "elected.import" or "jury.draw".
    verb = models.CharField(max_length=60, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    # {"field": [old, new]} for updates, {"field": [null, new]} for creations.
    changes = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("événement d'historique")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def model_name(self) -> str:
        return str(self.content_type.model_class()._meta.verbose_name) if self.content_type_id \
            and self.content_type.model_class() else ""
