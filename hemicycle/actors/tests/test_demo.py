import pytest

from hemicycle.actors.models import Actor, DuplicateCandidate, Interaction, Segment
from hemicycle.core.demo import demo_build
from hemicycle.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_plausible_directory_once():
    result = demo_build(territory=False)
    workspace = result.workspace
    actors = Actor.objects.filter(workspace=workspace)
    assert 200 <= actors.count() <= 400
    assert actors.filter(type="person").exists() and actors.filter(kind="media").exists()
    lille3 = actors.filter(cantons__code="59025").count()
    assert lille3 > 20  # the group's cantons come first
    assert Interaction.objects.filter(workspace=workspace, follow_up_done=False).exclude(
        follow_up_on=None).exists()
    assert Segment.objects.filter(workspace=workspace).exists()
    assert DuplicateCandidate.objects.filter(workspace=workspace).count() == 1
    again = demo_build(territory=False)
    assert again.counts["actors.actors"] == 0
    assert Actor.objects.filter(workspace=workspace).count() == actors.count()


def test_the_demo_works_without_any_commune(monkeypatch):
    from hemicycle.actors import demo

    # As with demo_build(territory=False) on an empty territory: no commune is found.
    monkeypatch.setattr(demo, "_communes", lambda codes: Commune.objects.none())
    result = demo_build(territory=False)
    actors = Actor.objects.filter(workspace=result.workspace)
    assert actors.count() > 200 and not actors.exclude(commune=None).exists()
    assert actors.filter(city="Lille").exists()
