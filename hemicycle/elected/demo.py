"""Demo data: the group's élu·e·s, for `hemicycle demo`.

The people are FICTIONAL: invented names, no birth dates, nothing from the Répertoire
national des élus. A political affiliation is sensitive data, so the demo never pins
one on a real councillor (which importing the RNE and ticking "in group" would do).
"""

import datetime

from django.db import transaction

from hemicycle.accounts.models import Membership, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.elected.models import DEMO_KEY_PREFIX, ElectedMember
from hemicycle.territory.models import Canton

MANDATE_START = datetime.date(2021, 7, 1)
FICTIONAL = "Personne fictive (données de démonstration)."

# canton code, last name, first name, gender, functions, commissions
DEMO_MEMBERS = [
    ("59025", "Dufresne", "Maëlle", "F", "Co-présidente du groupe",
     "Commission Solidarités, santé et autonomie"),
    ("59025", "Verhaeghe", "Antoine", "M", "",
     "Commission Finances et ressources"),
    ("59026", "Benaïssa", "Nora", "F", "",
     "Commission Enfance, famille et jeunesse"),
    ("59026", "Wattebled", "Julien", "M", "",
     "Commission Infrastructures, mobilités et environnement"),
    ("59027", "Morvan", "Aurélie", "F", "",
     "Commission Éducation, collèges et sport"),
    ("59027", "Delcourt", "Mathis", "M", "",
     "Commission Culture, tourisme et vie associative"),
]


@transaction.atomic
def demo_elected(workspace: Workspace) -> int:
    """Create the demo group's six élu·e·s once (re-running adds nothing). Returns how
    many were created. Cantons not loaded yet stay empty and are filled on a later run."""
    cantons = {c.code: c for c in Canton.objects.filter(code__in={m[0] for m in DEMO_MEMBERS})}
    accounts = _elected_accounts(workspace)
    created = 0
    for code, last_name, first_name, gender, functions, commissions in DEMO_MEMBERS:
        key = f"{DEMO_KEY_PREFIX}{last_name.lower()}-{first_name.lower()}"
        member, was_created = ElectedMember.objects.get_or_create(
            workspace=workspace, rne_key=key,
            defaults={
                "last_name": last_name, "first_name": first_name, "gender": gender,
                "canton": cantons.get(code), "mandate_start": MANDATE_START,
                "functions": functions, "function_start": MANDATE_START if functions else None,
                "commissions": commissions, "in_group": True, "notes": FICTIONAL,
                "user": accounts.get(f"{first_name} {last_name}"),
            },
        )
        created += was_created
        if not was_created and member.canton_id is None and code in cantons:
            member.canton = cantons[code]
            member.save()
    return created


def _elected_accounts(workspace: Workspace) -> dict[str, object]:
    """The workspace's élu·e accounts by full name: the demo's élue (core/demo.py) gets
    her record linked, so that she can write her own notes."""
    memberships = Membership.objects.filter(workspace=workspace, role=Role.ELECTED)
    return {m.user.full_name: m.user for m in memberships.select_related("user")}
