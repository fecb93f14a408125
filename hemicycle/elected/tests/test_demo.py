"""The demo's fictional group members."""

import pytest

from hemicycle.elected.demo import DEMO_MEMBERS, demo_elected
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.tests.conftest import NORD, make_canton

pytestmark = pytest.mark.django_db


def test_the_demo_creates_six_group_members_once(workspace):
    assert demo_elected(workspace) == 6
    assert demo_elected(workspace) == 0
    members = ElectedMember.objects.filter(workspace=workspace)
    assert members.count() == 6 and all(m.in_group for m in members)
    assert members.filter(functions__icontains="présidente du groupe").count() == 1


def test_the_demo_tolerates_cantons_not_loaded_and_fills_them_later(workspace, assembly_nord):
    from hemicycle.territory.models import Canton

    Canton.objects.filter(code__in=["59025", "59026", "59027"]).delete()
    demo_elected(workspace)
    assert ElectedMember.objects.filter(workspace=workspace, canton=None).count() == 6
    make_canton(assembly_nord, "59025", "Lille-3")
    demo_elected(workspace)
    assert ElectedMember.objects.filter(workspace=workspace, canton__code="59025").count() == 2


def test_the_demo_names_are_not_real_councillors():
    real = NORD.read_text(encoding="utf-8").upper()
    for _code, last_name, *_rest in DEMO_MEMBERS:
        assert f",{last_name.upper()}," not in real


def test_the_demos_elected_account_is_linked_to_her_record(workspace):
    from hemicycle.conftest import make_member

    maelle = make_member(workspace, "maelle@example.org", "Maëlle Dufresne", "elected")
    demo_elected(workspace)
    assert ElectedMember.objects.get(workspace=workspace, user=maelle).last_name == "Dufresne"
