"""One line in the audit trail for the app's actions (draws, decisions, overrides…)."""

from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record


def trail(verb: str, *, obj, by=None, message: str = "") -> AuditEvent:
    """Record ``juries.<verb>`` on obj, by ``by`` (or whoever is acting now)."""
    return audit_record(action=AuditEvent.Action.OTHER, verb=f"juries.{verb}", obj=obj,
                        actor=by, message=message)
