"""Roles in a workspace and what each may do. A plain registry, no framework.

Capabilities:
- ``read``: see all of the workspace's data;
- ``write``: all daily work (create, edit, archive);
- ``write_own``: write one's own notes and positions only (objects whose ``author`` is you);
- ``manage``: members, invitations and the workspace's settings;
- ``publish``: validate posts and publish them to the website and social networks;
- ``score``: open the scoring pages of a jury one sits on (juries checks the seat).

A later module adds an external role (e.g. a juror limited to one jury) by adding a
value to ``Role`` and a line to ``CAPABILITIES`` with none of the above, and reading
``Membership.scope`` in its own views: the generic workspace views then refuse it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur·rice")
    STAFF = "staff", _("Équipe")
    ELECTED = "elected", _("Élu·e")
    OBSERVER = "observer", _("Observateur·rice")
    JUROR = "juror", _("Juré·e")


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"read", "write", "write_own", "manage", "publish", "score"}),
    Role.STAFF: frozenset({"read", "write", "write_own", "score"}),
    Role.ELECTED: frozenset({"read", "write_own", "score"}),
    Role.OBSERVER: frozenset({"read", "score"}),
    # Scope: {"campaign": "<campaign code>"}, read by hemicycle.juries.
    Role.JUROR: frozenset({"score"}),
}

ROLE_HELP = {
    Role.ADMIN: _("Co-président·e·s, secrétaire général·e : membres et paramètres."),
    Role.STAFF: _("Collaborateur·rice·s, stagiaires : tout le travail quotidien."),
    Role.ELECTED: _("Élu·e·s : lisent tout, écrivent leurs notes et positions."),
    Role.OBSERVER: _("Lecture seule."),
    Role.JUROR: _("Juré·e·s : notent les dossiers de leur appel, rien d'autre."),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
