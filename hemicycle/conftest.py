"""Shared fixtures: the personas every view is tested with (as healthchecks' BaseTestCase).

- alice: admin of the workspace ``ecolo-nord`` (group at the Conseil départemental du Nord)
- sam: staff of it; elodie: élue of it; bob: observer of it (read-only)
- charlie: an outsider, admin of another workspace (``autre-groupe``) only
"""

import os

import pytest
from django.test import Client

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.territory.models import Assembly, Departement, Region

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    """DATABASE_TESTS_ONLY=1 (the PostgreSQL run of ``make test``) keeps the tests that use a
    database. The others (engines, parsers, algorithms) cannot touch one (pytest-django
    blocks it), so they gave their answer in the SQLite run already."""
    if os.environ.get("DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        names = getattr(item, "fixturenames", ())
        uses_db = item.get_closest_marker("django_db") is not None or any(
            name in names for name in ("_django_db_helper", "django_db_setup", "live_server"))
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The processes forked (``hemicycle.lib.forked``) while the test runs."""
    pids, fork = [], os.fork

    def recording_fork():
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    return pids


@pytest.fixture
def assembly_nord(db) -> Assembly:
    region, _ = Region.objects.get_or_create(code="32", defaults={"name": "Hauts-de-France"})
    departement, _ = Departement.objects.get_or_create(
        code="59", defaults={"name": "Nord", "region": region}
    )
    assembly, _ = Assembly.objects.get_or_create(
        kind=Assembly.Kind.DEPARTEMENT, code="59",
        defaults={"name": "Conseil départemental du Nord", "departement": departement,
                  "region": region},
    )
    return assembly


@pytest.fixture
def assembly_normandie(db) -> Assembly:
    region, _ = Region.objects.get_or_create(code="28", defaults={"name": "Normandie"})
    assembly, _ = Assembly.objects.get_or_create(
        kind=Assembly.Kind.REGION, code="28",
        defaults={"name": "Conseil régional de Normandie", "region": region},
    )
    return assembly


@pytest.fixture
def workspace(assembly_nord) -> Workspace:
    return Workspace.objects.create(
        assembly=assembly_nord, name="Groupe écologiste du Nord", short_name="Écolos Nord",
        slug="ecolo-nord",
    )


@pytest.fixture
def other_workspace(assembly_normandie) -> Workspace:
    return Workspace.objects.create(
        assembly=assembly_normandie, name="Autre groupe", short_name="Autre", slug="autre-groupe"
    )


def make_member(workspace: Workspace, email: str, name: str, role: str) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def alice(workspace) -> User:
    return make_member(workspace, "alice@example.org", "Alice Admin", Role.ADMIN)


@pytest.fixture
def sam(workspace) -> User:
    return make_member(workspace, "sam@example.org", "Sam Staff", Role.STAFF)


@pytest.fixture
def elodie(workspace) -> User:
    return make_member(workspace, "elodie@example.org", "Élodie Élue", Role.ELECTED)


@pytest.fixture
def bob(workspace) -> User:
    return make_member(workspace, "bob@example.org", "Bob Observer", Role.OBSERVER)


@pytest.fixture
def charlie(other_workspace) -> User:
    return make_member(other_workspace, "charlie@example.org", "Charlie Outsider", Role.ADMIN)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return logged_in(alice)


@pytest.fixture
def sam_client(sam) -> Client:
    return logged_in(sam)


@pytest.fixture
def elodie_client(elodie) -> Client:
    return logged_in(elodie)


@pytest.fixture
def bob_client(bob) -> Client:
    return logged_in(bob)


@pytest.fixture
def charlie_client(charlie) -> Client:
    return logged_in(charlie)


# --- territory: the Nord's real territory, loaded once per test session --------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with France's communes and the Nord's cantons (about 3 s).

    Tests that need real territory find it; ``assembly_nord`` gets the loaded Région 32
    and Département 59 through its get_or_create. Transactional tests flush it: they
    run last (pytest-django orders them so).
    """
    from hemicycle.territory.services import territory_load

    with django_db_blocker.unblock():
        territory_load(departements=["59"])
