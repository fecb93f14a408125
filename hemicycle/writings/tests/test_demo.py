from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DEMO_STEPS, DemoResult, demo_build
from hemicycle.council.models import Body, Report, Sitting
from hemicycle.writings.demo import demo_writings
from hemicycle.writings.models import Letterhead, Note, Position, Recap, Writing
from hemicycle.writings.tests.conftest import AIL_TEXT, make_body, make_report, make_sitting


def demo_result(workspace, other_workspace, alice, sam, elodie, bob) -> DemoResult:
    """The demo's result on the test personas, without the other modules' steps."""
    return DemoResult(workspace=workspace, other_workspace=other_workspace, users={
        Role.ADMIN: alice, Role.STAFF: sam, Role.ELECTED: elodie, Role.OBSERVER: bob})


def test_the_step_runs_after_the_council_step():
    orders = {key: order for order, key, _label, _step in DEMO_STEPS}
    assert orders["writings"] == 40
    if "council" in orders:
        assert orders["council"] < orders["writings"]


def test_without_reports_the_demo_makes_nothing(workspace, other_workspace, alice, sam,
                                                elodie, bob):
    result = demo_result(workspace, other_workspace, alice, sam, elodie, bob)
    assert demo_writings(result) == {"positions": 0, "notes": 0, "writings": 0}
    assert not Writing.objects.exists() and not Recap.objects.exists()


def test_the_demo_works_on_the_reports_and_is_idempotent(workspace, other_workspace, alice,
                                                          sam, elodie, bob, member):
    held = make_sitting(workspace, days=-20, status=Sitting.Status.HELD,
                        body=make_body(workspace, "Séance plénière", Body.Kind.PLENARY))
    upcoming = make_sitting(workspace, days=10)
    for rank in range(1, 5):
        make_report(held, rank=rank, number=f"DAT/2024/{rank}", text=AIL_TEXT)
        make_report(upcoming, rank=rank, number=f"DAT/2025/{rank}", text=AIL_TEXT)
    result = demo_result(workspace, other_workspace, alice, sam, elodie, bob)
    assert demo_writings(result) == {"positions": 8, "notes": 4, "writings": 7}
    assert Position.objects.filter(report__sitting=held).exclude(vote="").count() == 4
    amendment = Writing.objects.get(kind=Writing.Kind.AMENDMENT)
    assert "100 577 €" in amendment.proposed_text  # 87 458 € + 15 %
    assert amendment.report.sitting == upcoming
    assert amendment.status == Writing.Status.FILED and amendment.filed_at is not None
    minutes = Writing.objects.get(kind=Writing.Kind.MINUTES)
    assert minutes.items.count() == 4 and list(minutes.attendee_members.all()) == [member]
    assert list(Position.objects.filter(report__sitting=held).first().speakers.all()) == [member]
    assert Letterhead.objects.get(workspace=workspace).address.startswith("Hôtel du Département")
    recap = Recap.objects.get()
    assert recap.sitting == held and not recap.is_published
    assert "Vote du groupe" in recap.body
    counts = (Position.objects.count(), Note.objects.count(), Writing.objects.count())
    assert demo_writings(result) == {"positions": 0, "notes": 0, "writings": 0}
    assert (Position.objects.count(), Note.objects.count(), Writing.objects.count()) == counts


def test_the_whole_demo_builds_without_the_territory(db):
    result = demo_build(territory=False)
    workspace = result.workspace
    if Report.objects.filter(workspace=workspace).exists():  # the council's demo step ran
        assert Position.objects.filter(workspace=workspace).exists()
        assert Writing.objects.filter(workspace=workspace).count() == 7
    else:
        assert not Writing.objects.filter(workspace=workspace).exists()
