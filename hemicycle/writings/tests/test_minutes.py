"""Minutes of the group's meeting: date, attendees, agenda items linked to reports,
decisions; shown on the page and exported to Word and PDF."""

import datetime

import pytest
from django.urls import reverse

from hemicycle.elected.models import ElectedMember
from hemicycle.writings import services
from hemicycle.writings.models import MinutesItem, Writing, WritingVersion
from hemicycle.writings.tests.test_exports import docx_text, pdf_text


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


def create_url(workspace):
    return reverse("writings:writing-create", args=[workspace.slug])


def form_data(**fields) -> dict:
    data = {"kind": "minutes", "title": "Réunion de groupe du 7 octobre",
            "meeting_date": "2024-10-07", "body": "Prochaine réunion le 4 novembre.",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    data.update(fields)
    return data


def test_the_kinds_are_those_of_the_issue():
    assert Writing.Kind.values == ["speech", "oral_question", "amendment", "motion",
                                   "analysis_note", "press_release", "minutes"]


def test_a_staff_member_writes_the_minutes_with_attendees_and_agenda_items(
        sam_client, sam, alice, report, member):
    response = sam_client.post(create_url(report.workspace), form_data(**{
        "attendee_members": [member.pk], "attendee_staff": [sam.pk, alice.pk],
        "items-0-report": report.pk, "items-0-discussion": "Enveloppe en baisse de 4 %.",
        "items-0-decision": "Vote contre ; Nora Benaïssa intervient.",
        "items-1-title": "Préparation du vœu sur les collèges",
        "items-1-decision": "Rédaction confiée à Sam.",
    }))
    assert response.status_code == 302, response.content.decode()[:3000]
    minutes = Writing.objects.get(kind="minutes")
    assert minutes.meeting_date == datetime.date(2024, 10, 7)
    assert list(minutes.attendee_members.all()) == [member]
    assert set(minutes.attendee_staff.all()) == {sam, alice}
    items = list(minutes.items.all())
    assert [i.rank for i in items] == [1, 2]
    assert items[0].report == report and items[0].decision.startswith("Vote contre")
    assert items[1].report is None and items[1].title == "Préparation du vœu sur les collèges"
    page = sam_client.get(url("writing-detail", minutes)).content.decode()
    assert "Enveloppe en baisse de 4 %." in page and "Rédaction confiée à Sam." in page
    assert reverse("writings:report-work", args=[report.workspace.slug, report.code]) in page
    assert WritingVersion.objects.filter(writing=minutes).count() == 1


def test_editing_the_minutes_replaces_the_agenda_and_can_remove_an_item(
        sam_client, sam, report, member):
    minutes = services.writing_create(
        workspace=report.workspace, by=sam, kind="minutes", title="Réunion",
        meeting_date=datetime.date(2024, 10, 7), attendee_members=[member],
        items=[{"report": report, "decision": "Pour"}, {"title": "Divers"}])
    response = sam_client.post(url("writing-edit", minutes), form_data(**{
        "title": "Réunion", "items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "2",
        "attendee_members": [member.pk],
        "items-0-report": report.pk, "items-0-decision": "Abstention finalement",
        "items-1-title": "Divers", "items-1-DELETE": "on",
    }))
    assert response.status_code == 302
    assert [(i.report, i.decision) for i in minutes.items.all()] == [
        (report, "Abstention finalement")]
    assert MinutesItem.objects.count() == 1


def test_minutes_need_a_date_and_an_item_with_a_decision_needs_a_subject(sam_client, workspace):
    response = sam_client.post(create_url(workspace), form_data(**{
        "meeting_date": "", "items-0-decision": "Une décision sans objet"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez la date de la réunion." in page
    response = sam_client.post(create_url(workspace), form_data(**{
        "items-0-decision": "Une décision sans objet"}))
    assert "Indiquez le point ou le rapport discuté." in response.content.decode()
    assert not Writing.objects.exists()


def test_a_report_or_a_person_of_another_workspace_is_refused(
        sam_client, workspace, other_workspace, charlie):
    from hemicycle.writings.tests.conftest import make_report, make_sitting

    foreign = make_report(make_sitting(other_workspace))
    stranger = ElectedMember.objects.create(workspace=other_workspace, first_name="Paul",
                                            last_name="Autre", in_group=True)
    for field, value in (("items-0-report", foreign.pk), ("attendee_members", stranger.pk),
                         ("attendee_staff", charlie.pk)):
        response = sam_client.post(create_url(workspace), form_data(**{field: value}))
        assert response.status_code == 200
    assert not Writing.objects.exists()


def test_the_service_refuses_foreign_attendees(sam, workspace, charlie):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.writing_create(workspace=workspace, by=sam, kind="minutes", title="R",
                                meeting_date=datetime.date(2024, 10, 7),
                                attendee_staff=[charlie])
    assert not Writing.objects.exists()  # nothing half-written


def test_another_kind_keeps_no_attendees_nor_items(sam_client, sam, workspace, member):
    response = sam_client.post(create_url(workspace), form_data(**{
        "kind": "motion", "title": "Vœu", "attendee_members": [member.pk],
        "items-0-title": "Point"}))
    assert response.status_code == 302
    motion = Writing.objects.get()
    assert motion.meeting_date is None
    assert not motion.attendee_members.exists() and not motion.items.exists()


def test_the_minutes_export_to_word_and_pdf(sam_client, sam, report, member):
    minutes = services.writing_create(
        workspace=report.workspace, by=sam, kind="minutes", title="Réunion de groupe",
        meeting_date=datetime.date(2024, 10, 7), attendee_members=[member],
        attendee_staff=[sam], body="Prochaine réunion le 4 novembre.",
        items=[{"report": report, "discussion": "Enveloppe en baisse.",
                "decision": "Vote contre."}])
    text = docx_text(sam_client.get(url("writing-docx", minutes)).content)
    for expected in ("Compte rendu de réunion de groupe", "lundi 7 octobre 2024",
                     "Nora Benaïssa", "Sam Staff", f"1. {report.number} — {report.title}",
                     "Enveloppe en baisse.", "Décision :", "Vote contre.",
                     "Prochaine réunion le 4 novembre."):
        assert expected in text, expected
    pdf = "".join(pdf_text(sam_client.get(url("writing-pdf", minutes)).content).split())
    assert "Votecontre." in pdf
    assert "NoraBenaïssa" in pdf


def test_an_observer_cannot_create_minutes_and_an_outsider_gets_404(
        bob_client, charlie_client, sam, workspace):
    assert bob_client.post(create_url(workspace), form_data()).status_code == 403
    minutes = services.writing_create(workspace=workspace, by=sam, kind="minutes",
                                      title="R", meeting_date=datetime.date(2024, 10, 7))
    assert charlie_client.get(url("writing-detail", minutes)).status_code == 404
