"""The attendance of a sitting: read from its minutes, corrected by hand, matched to the
group's élus, shown on the sitting page."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemicycle.council import text as text_engine
from hemicycle.council.models import Attendance, Document, Sitting
from hemicycle.council.services import attendance
from hemicycle.council.services.attendance import AttendanceEntry
from hemicycle.council.tests.conftest import DATA
from hemicycle.elected.models import ElectedMember

pytestmark = pytest.mark.django_db

ROLL_CALL = (
    "Département du Nord — Séance plénière du 23 juin 2025\n"
    "Étaient présents :\nMaëlle DUFRESNE - Karim BENALI - Jean DUPONT\n"
    "Étaient excusés : Sophie LEROY (procuration à Maëlle DUFRESNE) - Paul MARTIN\n"
    "Était absent : Luc PETIT\n"
    "Ordre du jour :\n1 Budget primitif\n")


def _minutes(workspace, sitting, text, name="pv.pdf"):
    return Document.objects.create(
        workspace=workspace, sitting=sitting, sha256=hashlib.sha256(text.encode()).hexdigest(),
        filename=name, role=Document.Role.MINUTES, status=Document.Status.EXTRACTED,
        text=text)


@pytest.fixture
def members(workspace, past_sitting):
    maelle = ElectedMember.objects.create(workspace=workspace, first_name="Maëlle",
                                          last_name="Dufresne", in_group=True)
    karim = ElectedMember.objects.create(workspace=workspace, first_name="Karim",
                                         last_name="Benali", in_group=True)
    absent = ElectedMember.objects.create(workspace=workspace, first_name="Luc",
                                          last_name="Petit", in_group=True)
    other_group = ElectedMember.objects.create(workspace=workspace, first_name="Jean",
                                               last_name="Dupont", in_group=False)
    past_sitting.body.members.set([maelle, karim])
    return maelle, karim, absent, other_group


def test_the_roll_call_of_the_minutes_is_recorded_and_matched_to_the_elus(
        workspace, past_sitting, members):
    maelle, karim, absent, other_group = members
    _minutes(workspace, past_sitting, ROLL_CALL)

    assert attendance.attendance_from_documents(sitting=past_sitting) == 6

    lines = {line.name: line for line in past_sitting.attendances.all()}
    assert lines["Maëlle DUFRESNE"].state == Attendance.State.PRESENT
    assert lines["Maëlle DUFRESNE"].member == maelle
    assert lines["Jean DUPONT"].member == other_group
    assert lines["Sophie LEROY"].state == Attendance.State.PROXY
    assert lines["Sophie LEROY"].proxy_holder == "Maëlle DUFRESNE"
    assert lines["Paul MARTIN"].state == Attendance.State.EXCUSED
    assert lines["Luc PETIT"].member == absent
    summary = attendance.attendance_summary(past_sitting)
    assert summary.voters == 4
    # The body's élus of the group first, then the group's others found in the roll call.
    assert [(member, line.state) for member, line in summary.members] == [
        (karim, "present"), (maelle, "present"), (absent, "absent")]


def test_reading_the_minutes_again_replaces_its_own_lines_but_never_a_hand_set_one(
        workspace, past_sitting, members):
    _minutes(workspace, past_sitting, ROLL_CALL)
    attendance.attendance_from_documents(sitting=past_sitting)
    entries = [AttendanceEntry(line.name, line.state, line.proxy_holder)
               for line in past_sitting.attendances.all()]
    entries[-1] = AttendanceEntry("Luc PETIT", "present")  # he came after the roll call
    attendance.attendance_save(sitting=past_sitting, entries=entries)

    attendance.attendance_from_documents(sitting=past_sitting)

    lines = {line.name: line for line in past_sitting.attendances.all()}
    assert lines["Luc PETIT"].state == "present"
    assert lines["Luc PETIT"].source == Attendance.Source.MANUAL
    assert lines["Karim BENALI"].source == Attendance.Source.MINUTES
    assert len(lines) == 6


def test_minutes_without_a_roll_call_change_nothing(workspace, past_sitting, members):
    attendance.attendance_save(sitting=past_sitting,
                               entries=[AttendanceEntry("Karim BENALI", "present")])
    _minutes(workspace, past_sitting, "Procès-verbal\nLe conseil adopte le budget.\n")

    assert attendance.attendance_from_documents(sitting=past_sitting) == 0
    assert past_sitting.attendances.count() == 1


def test_a_bad_attendance_list_is_refused_whole_with_its_reasons(workspace, past_sitting):
    attendance.attendance_save(sitting=past_sitting,
                               entries=[AttendanceEntry("Karim BENALI", "present")])
    with pytest.raises(ValidationError) as error:
        attendance.attendance_save(sitting=past_sitting, entries=[
            AttendanceEntry("Anne LEROY", "present"), AttendanceEntry("anne leroy", "absent"),
            AttendanceEntry("Paul MARTIN", "proxy"), AttendanceEntry("Zoé", "asleep")])
    text = " ".join(error.value.messages)
    assert "figure deux fois" in text
    assert "qui porte la procuration" in text
    assert "inconnu" in text
    assert [line.name for line in past_sitting.attendances.all()] == ["Karim BENALI"]


def test_the_real_lannion_minutes_give_their_roll_call(workspace, past_sitting):
    document = text_engine.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")
    _minutes(workspace, past_sitting, document.text)

    assert attendance.attendance_from_documents(sitting=past_sitting) == 33
    counts = attendance.attendance_summary(past_sitting).counts
    assert counts == {"present": 29, "absent": 1, "proxy": 3}


def test_the_sitting_page_shows_the_attendance_and_the_group_s_elus(
        workspace, past_sitting, members, bob_client):
    _minutes(workspace, past_sitting, ROLL_CALL)
    attendance.attendance_from_documents(sitting=past_sitting)

    page = bob_client.get(reverse("council:sitting-detail",
                                  args=[workspace.slug, past_sitting.code])).content.decode()

    assert 'data-testid="sitting-attendance"' in page
    assert "4 votants" in page
    assert "Maëlle Dufresne" in page and "Luc Petit" in page
    # An observer reads but does not correct.
    assert reverse("council:attendance-edit", args=[workspace.slug, past_sitting.code]) \
        not in page


def test_a_staff_member_corrects_the_attendance_by_hand(workspace, past_sitting, members,
                                                        sam_client):
    url = reverse("council:attendance-edit", args=[workspace.slug, past_sitting.code])
    form = sam_client.get(url).content.decode()
    assert 'value="Karim Benali"' in form  # prefilled with the body's élus of the group

    response = sam_client.post(url, {"name": ["Karim Benali", "Maëlle Dufresne", ""],
                                     "state": ["present", "proxy", "present"],
                                     "proxy_holder": ["", "Karim Benali", ""]})

    assert response.status_code == 302
    assert [(line.name, line.state, line.proxy_holder, line.source)
            for line in past_sitting.attendances.all()] == [
        ("Karim Benali", "present", "", "manual"),
        ("Maëlle Dufresne", "proxy", "Karim Benali", "manual")]


def test_a_hostile_or_wrong_post_is_answered_with_the_form_and_saves_nothing(
        workspace, past_sitting, sam_client):
    url = reverse("council:attendance-edit", args=[workspace.slug, past_sitting.code])
    response = sam_client.post(url, {"name": ["<script>x</script>", "Anne"],
                                     "state": ["present", "nope"], "proxy_holder": ["", ""]})
    assert response.status_code == 400
    assert "<script>x</script>" not in response.content.decode()
    assert not Attendance.objects.exists()


def test_observers_and_outsiders_cannot_touch_the_attendance(
        workspace, past_sitting, bob_client, charlie_client):
    edit = reverse("council:attendance-edit", args=[workspace.slug, past_sitting.code])
    extract = reverse("council:attendance-extract", args=[workspace.slug, past_sitting.code])
    assert bob_client.post(edit, {"name": ["X"], "state": ["present"],
                                  "proxy_holder": [""]}).status_code == 403
    assert bob_client.post(extract).status_code == 403
    assert charlie_client.get(edit).status_code == 404
    assert not Attendance.objects.exists()


def test_the_extract_button_reads_the_minutes_of_the_sitting(workspace, past_sitting,
                                                             sam_client):
    _minutes(workspace, past_sitting, ROLL_CALL)
    other = Sitting.objects.create(workspace=workspace, body=past_sitting.body,
                                   starts_at=past_sitting.starts_at)
    url = reverse("council:attendance-extract", args=[workspace.slug, other.code])
    sam_client.post(url)
    assert not other.attendances.exists()  # the minutes belong to the other sitting

    sam_client.post(reverse("council:attendance-extract",
                            args=[workspace.slug, past_sitting.code]))
    assert past_sitting.attendances.count() == 6


def test_the_statistics_give_each_elu_s_attendance_rate(workspace, past_sitting, members,
                                                        bob_client):
    maelle, karim, absent, other_group = members
    second = Sitting.objects.create(workspace=workspace, body=past_sitting.body,
                                    starts_at=past_sitting.starts_at.replace(month=9))
    attendance.attendance_save(sitting=past_sitting, entries=[
        AttendanceEntry("Maëlle Dufresne", "present"), AttendanceEntry("Karim Benali", "absent"),
        AttendanceEntry("Jean Dupont", "present")])
    attendance.attendance_save(sitting=second, entries=[
        AttendanceEntry("Maëlle Dufresne", "present"),
        AttendanceEntry("Karim Benali", "proxy", "Maëlle Dufresne")])

    rows = attendance.attendance_by_member(workspace)

    # The least present first; an élu of another group is not counted.
    assert [(row.member, row.sittings, row.rate) for row in rows] == [
        (karim, 2, 0), (maelle, 2, 100)]
    assert rows[0].counts == {"present": 0, "proxy": 1, "excused": 0, "absent": 1}
    page = bob_client.get(reverse("council:stats", args=[workspace.slug])).content.decode()
    assert 'id="chart-attendance"' in page
    assert 'data-testid="table-attendance"' in page
    assert "Jean Dupont" not in page
    assert attendance.attendance_by_member(workspace, year=2024) == []
