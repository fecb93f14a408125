from django.urls import reverse

from hemicycle.council.models import Vote
from hemicycle.writings import services
from hemicycle.writings.models import Dissent, Position
from hemicycle.writings.tests.conftest import make_report


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


def test_staff_propose_and_an_elected_member_decides_with_an_explanation(
        sam_client, elodie_client, elodie, report):
    assert sam_client.post(url("position-propose", report),
                           {"proposed_vote": "for", "rationale": "Bon rapport"}).status_code == 302
    response = elodie_client.post(url("position-decide", report), {
        "vote": "abstain", "explanation": "Nous nous abstiendrons faute de concertation."})
    assert response.status_code == 302
    position = Position.objects.get(report=report)
    assert position.proposed_vote == Vote.FOR and position.vote == Vote.ABSTAIN
    assert position.decided_by == elodie and position.decided_at is not None
    page = elodie_client.get(url("report-work", report)).content.decode()
    assert "Nous nous abstiendrons faute de concertation." in page


def test_staff_cannot_decide_the_vote(sam_client, report):
    assert sam_client.post(url("position-decide", report), {"vote": "for"}).status_code == 403
    assert not Position.objects.filter(report=report).exists()


def test_an_elected_member_cannot_propose(elodie_client, report):
    assert elodie_client.post(url("position-propose", report),
                              {"proposed_vote": "for"}).status_code == 403


def test_an_admin_decides_and_can_reset_the_vote(alice_client, report):
    alice_client.post(url("position-decide", report), {"vote": "for"})
    assert Position.objects.get(report=report).vote == "for"
    alice_client.post(url("position-decide", report), {"vote": ""})
    position = Position.objects.get(report=report)
    assert position.vote == "" and position.decided_at is None


def test_an_unknown_vote_changes_nothing(alice_client, report):
    alice_client.post(url("position-decide", report), {"vote": "maybe"})
    assert not Position.objects.filter(report=report).exists()


def test_an_elected_member_records_a_dissent(elodie_client, alice, report, member):
    services.position_decide(report=report, by=alice, vote=Vote.ABSTAIN)
    response = elodie_client.post(url("dissent-add", report), {
        "member": member.pk, "vote": "for", "reason": "Projet de son canton"})
    assert response.status_code == 302
    dissent = Dissent.objects.get()
    assert dissent.member == member and dissent.vote == "for"
    assert elodie_client.post(url("dissent-remove", dissent)).status_code == 302
    assert not Dissent.objects.exists()


def test_a_member_of_another_workspace_cannot_dissent(alice_client, report, other_workspace):
    from hemicycle.elected.models import ElectedMember

    stranger = ElectedMember.objects.create(workspace=other_workspace, first_name="Paul",
                                            last_name="Autre", in_group=True)
    alice_client.post(url("dissent-add", report), {"member": stranger.pk, "vote": "for"})
    assert not Dissent.objects.exists()


def test_the_vote_sheet_lists_the_sitting_and_edits_a_row_with_htmx(
        alice_client, sam, sitting, report):
    second = make_report(sitting, rank=2, number="DAT/2024/113", title="Collèges : dotations")
    services.position_propose(report=second, by=sam, proposed_vote=Vote.AGAINST)
    page = alice_client.get(url("vote-sheet", sitting)).content.decode()
    assert "DAT/2024/112" in page and "Collèges : dotations" in page
    response = alice_client.post(url("vote-sheet-row", report), {"vote": "for"},
                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.strip().startswith("<tr") and f"row-{report.code}" in row
    assert Position.objects.get(report=report).vote == "for"


def test_the_vote_sheet_row_refuses_what_the_role_may_not_do(sam_client, elodie_client, report):
    assert sam_client.post(url("vote-sheet-row", report), {"vote": "for"}).status_code == 403
    assert elodie_client.post(url("vote-sheet-row", report),
                              {"proposed_vote": "for"}).status_code == 403
    response = sam_client.post(url("vote-sheet-row", report), {"proposed_vote": "against"})
    assert response.status_code == 302  # without htmx: back to the sheet
    assert Position.objects.get(report=report).proposed_vote == "against"


def test_an_observer_sees_the_sheet_without_selects(bob_client, sitting, report):
    page = bob_client.get(url("vote-sheet", sitting)).content.decode()
    assert report.number in page
    assert "name=\"vote\"" not in page and "name=\"proposed_vote\"" not in page


def test_an_outsider_gets_404_on_the_sheet_and_positions(charlie_client, sitting, report):
    assert charlie_client.get(url("vote-sheet", sitting)).status_code == 404
    assert charlie_client.post(url("position-decide", report), {"vote": "for"}).status_code == 404
