"""The demo workspace: the ecologist group of the Conseil départemental du Nord.

Fictional people, real territory. Idempotent: running it again updates nothing that
exists and recreates what is missing. Later modules add their demo data by adding a
call to ``demo_build``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.audit.context import acting_as

DEMO_PASSWORD = "demo-hemicycle-2026"

# (e-mail, full name, role, title) — invented people.
DEMO_USERS = [
    ("admin@demo.hemicycle.fr", "Camille Vasseur", Role.ADMIN, "Secrétaire générale"),
    ("equipe@demo.hemicycle.fr", "Yanis Delattre", Role.STAFF, "Collaborateur"),
    ("elue@demo.hemicycle.fr", "Maëlle Dufresne", Role.ELECTED, "Co-présidente du groupe"),
    ("observateur@demo.hemicycle.fr", "Hugo Lefebvre", Role.OBSERVER, "Stagiaire"),
]


@dataclass
class DemoResult:
    workspace: Workspace
    other_workspace: Workspace
    users: dict[str, User] = field(default_factory=dict)  # by role
    password: str = DEMO_PASSWORD
    counts: dict[str, int] = field(default_factory=dict)


def demo_build(
    *, territory: bool = True, progress: Callable[[str], None] | None = None
) -> DemoResult:
    say = progress or (lambda message: None)
    if territory:
        from hemicycle.territory.services import territory_load

        say("Territoire : chargement (Nord et Normandie)…")
        territory_load(progress=say)
    with acting_as(label="démo"), transaction.atomic():
        result = _workspaces(territory)
        _users(result)
        _modules(result, say)
    return result


def _assembly(kind: str, code: str, with_territory: bool):
    """The real assembly when the territory is loaded; a bare one otherwise (tests)."""
    from hemicycle.territory.models import Assembly, Departement, Region
    from hemicycle.territory.services import assembly_for

    if with_territory:
        return assembly_for(kind, code)
    region_code, region_name = BARE_REGIONS[code]
    region, _ = Region.objects.get_or_create(code=region_code, defaults={"name": region_name})
    extra = {"region": region}
    if kind == Assembly.Kind.DEPARTEMENT:
        extra["departement"], _ = Departement.objects.get_or_create(
            code=code, defaults={"name": "Nord", "region": region})
    name = "Conseil départemental du Nord" if code == "59" else "Conseil régional de Normandie"
    assembly, _ = Assembly.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, **extra})
    return assembly


# Without the territory (tests, --no-territory): just enough to hang the assemblies on.
BARE_REGIONS = {"59": ("32", "Hauts-de-France"), "28": ("28", "Normandie")}


def _workspaces(territory: bool) -> DemoResult:
    from hemicycle.territory.models import Assembly

    nord = _assembly(Assembly.Kind.DEPARTEMENT, "59", territory)
    normandie = _assembly(Assembly.Kind.REGION, "28", territory)
    workspace, _ = Workspace.objects.get_or_create(
        slug="ecologistes-nord",
        defaults={
            "assembly": nord,
            "name": "Groupe Écologiste et Citoyen du Nord",
            "short_name": "Écologistes Nord",
            "primary_color": "#1f6f43",
            "secondary_color": "#f2c14e",
        },
    )
    other, _ = Workspace.objects.get_or_create(
        slug="ecologistes-normandie",
        defaults={
            "assembly": normandie,
            "name": "Groupe Écologiste de Normandie",
            "short_name": "Écologistes Normandie",
            "primary_color": "#22577a",
            "secondary_color": "#80ed99",
        },
    )
    return DemoResult(workspace=workspace, other_workspace=other)


def _users(result: DemoResult) -> None:
    for email, name, role, title in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        Membership.objects.get_or_create(
            workspace=result.workspace, user=user, defaults={"role": role, "title": title}
        )
        result.users[role] = user
    # The admin also belongs to the sister group in Normandie: the switcher has a use.
    Membership.objects.get_or_create(
        workspace=result.other_workspace, user=result.users[Role.ADMIN],
        defaults={"role": Role.STAFF, "title": "Coordination inter-groupes"},
    )


# Each module's demo step, registered in its AppConfig.ready(): (order, key, label, step).
# A step takes the DemoResult and returns a count of what it made (or a dict of counts);
# it must be idempotent, like the rest of the demo.
DemoStep = Callable[[DemoResult], int | dict[str, int]]
DEMO_STEPS: list[tuple[int, str, str, DemoStep]] = []


def demo_step_register(key: str, label: str, step: DemoStep, order: int = 50) -> None:
    if all(existing[1] != key for existing in DEMO_STEPS):
        DEMO_STEPS.append((order, key, label, step))
        DEMO_STEPS.sort(key=lambda entry: (entry[0], entry[1]))


def _modules(result: DemoResult, say: Callable[[str], None]) -> None:
    """Each module's demo data: the elected members first, then the registered steps."""
    from hemicycle.elected.demo import demo_elected

    say("Élu·e·s du groupe…")
    result.counts["elected"] = demo_elected(result.workspace)
    for _order, key, label, step in DEMO_STEPS:
        say(f"{label}…")
        made = step(result)
        if isinstance(made, dict):
            result.counts.update({f"{key}.{name}": count for name, count in made.items()})
        else:
            result.counts[key] = made
