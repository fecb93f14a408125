"""Speakers of the group's position: who speaks for the group on a report."""

import io

import docx
import pytest
from django.urls import reverse

from hemicycle.audit.models import AuditEvent
from hemicycle.council.models import Report, Vote
from hemicycle.elected.models import ElectedMember
from hemicycle.writings import services
from hemicycle.writings.models import Position
from hemicycle.writings.tests.conftest import make_report


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


@pytest.fixture
def second_member(workspace) -> ElectedMember:
    return ElectedMember.objects.create(workspace=workspace, first_name="Julien",
                                        last_name="Vandamme", in_group=True)


def test_a_staff_member_names_the_speakers_shown_on_the_report_panel(
        sam_client, report, member, second_member):
    response = sam_client.post(url("position-speakers", report),
                               {"speakers": [member.pk, second_member.pk]})
    assert response.status_code == 302
    position = Position.objects.get(report=report)
    assert set(position.speakers.all()) == {member, second_member}
    page = sam_client.get(url("report-work", report)).content.decode()
    assert "Nora Benaïssa, Julien Vandamme" in page
    council_page = sam_client.get(
        reverse("council:report-detail", args=[report.workspace.slug, report.code]))
    assert "Julien Vandamme" in council_page.content.decode()


def test_changing_the_speakers_is_written_to_the_audit_trail(
        elodie_client, report, member, second_member):
    elodie_client.post(url("position-speakers", report), {"speakers": [member.pk]})
    elodie_client.post(url("position-speakers", report), {"speakers": [second_member.pk]})
    position = Position.objects.get(report=report)
    assert list(position.speakers.all()) == [second_member]
    changes = [e.changes["speakers"] for e in AuditEvent.objects.filter(
        object_id=str(position.pk)).order_by("pk") if "speakers" in e.changes]
    assert changes == [["", "Nora Benaïssa"], ["Nora Benaïssa", "Julien Vandamme"]]


def test_an_empty_list_clears_the_speakers(sam_client, report, member):
    sam_client.post(url("position-speakers", report), {"speakers": [member.pk]})
    sam_client.post(url("position-speakers", report), {})
    assert not Position.objects.get(report=report).speakers.exists()


def test_an_elected_member_of_another_workspace_cannot_be_a_speaker(
        alice_client, report, member, other_workspace):
    stranger = ElectedMember.objects.create(workspace=other_workspace, first_name="Paul",
                                            last_name="Autre", in_group=True)
    response = alice_client.post(url("position-speakers", report),
                                 {"speakers": [member.pk, stranger.pk]}, follow=True)
    assert "Élu·e inconnu·e." in response.content.decode()
    assert not Position.objects.filter(report=report, speakers__isnull=False).exists()


def test_the_service_refuses_a_speaker_of_another_workspace(report, other_workspace):
    from django.core.exceptions import ValidationError

    stranger = ElectedMember.objects.create(workspace=other_workspace, first_name="Paul",
                                            last_name="Autre", in_group=True)
    with pytest.raises(ValidationError):
        services.position_set_speakers(report=report, speakers=[stranger])


def test_an_observer_cannot_name_speakers_and_an_outsider_gets_404(
        bob_client, charlie_client, report, member):
    assert bob_client.post(url("position-speakers", report),
                           {"speakers": [member.pk]}).status_code == 403
    assert charlie_client.post(url("position-speakers", report),
                               {"speakers": [member.pk]}).status_code == 404
    assert not Position.objects.exists()


def test_the_speakers_appear_in_the_vote_sheet_and_the_recap_in_html_markdown_and_word(
        sam_client, alice, held_sitting, member, second_member):
    report = make_report(held_sitting, number="DSOL/2024/7", title="RSA jeunes", text="",
                         decision=Report.Decision.ADOPTED)
    services.position_decide(report=report, by=alice, vote=Vote.FOR)
    services.position_set_speakers(report=report, speakers=[member, second_member])
    sheet = sam_client.get(url("vote-sheet", held_sitting)).content.decode()
    assert "Nora Benaïssa, Julien Vandamme" in sheet
    sam_client.post(url("recap-edit", held_sitting))
    line = "Orateur·rice·s du groupe : Nora Benaïssa, Julien Vandamme"
    assert line in sam_client.get(url("recap-edit", held_sitting)).content.decode()
    assert line in sam_client.get(url("recap-md", held_sitting)).content.decode()
    document = docx.Document(io.BytesIO(sam_client.get(url("recap-docx", held_sitting)).content))
    assert any(line in p.text for p in document.paragraphs)
