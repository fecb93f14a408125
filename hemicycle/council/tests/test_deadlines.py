"""Filing deadlines per body: the deadline of a writing, the report page and the
dashboard's "Échéances", and the J-3 / J-1 reminders e-mailed once each through a real
SMTP server (aiosmtpd on loopback)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hemicycle.accounts.tests.test_mail_smtp import inbox  # noqa: F401 (fixture)
from hemicycle.council.models import DeadlineReminder, Sitting
from hemicycle.council.services.deadlines import (
    deadline_reminders_send,
    upcoming_deadlines,
    writing_deadline,
)
from hemicycle.council.services.followup import report_assign
from hemicycle.writings.models import Writing

from .conftest import make_report

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def plenary_sitting(workspace, plenary, today):
    plenary.amendment_deadline_days = 7
    plenary.oral_question_deadline_days = 5
    plenary.deadline_time = datetime.time(12)
    plenary.save()
    return Sitting.objects.create(workspace=workspace, body=plenary, title="Plénière",
                                  starts_at=at(today + datetime.timedelta(days=10), 10))


@pytest.fixture
def amendment(workspace, plenary_sitting, sam, elodie):
    report = make_report(workspace, plenary_sitting, "DAT/2026/81", "Aide aux villages",
                         "Texte.")
    report_assign(report=report, users=[elodie], notify=False)
    return Writing.objects.create(workspace=workspace, kind="amendment", author=sam,
                                  title="Amendement vélo", report=report)


def test_a_writings_deadline_follows_its_kind_and_its_sitting_body(
        workspace, plenary_sitting, amendment, today):
    assert writing_deadline(amendment) == at(today + datetime.timedelta(days=3), 12)
    question = Writing.objects.create(workspace=workspace, kind="oral_question", title="Q",
                                      sitting=plenary_sitting)
    assert writing_deadline(question) == at(today + datetime.timedelta(days=5), 12)
    speech = Writing.objects.create(workspace=workspace, kind="speech", title="S",
                                    sitting=plenary_sitting)
    motion = Writing.objects.create(workspace=workspace, kind="motion", title="V",
                                    sitting=plenary_sitting)
    loose = Writing.objects.create(workspace=workspace, kind="amendment", title="A")
    assert [writing_deadline(w) for w in (speech, motion, loose)] == [None, None, None]


def test_reminders_go_at_j3_then_j1_to_the_author_and_followers_once_each(
        inbox, amendment, today, capsys):  # noqa: F811
    sent = deadline_reminders_send(now=at(today, 8))
    assert sent == {"writings": 1, "emails": 2}
    assert sorted(inbox.recipients) == [["elodie@example.org"], ["sam@example.org"]]
    message = inbox.messages[0]
    assert "J-3 : « Amendement vélo » à déposer avant le" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Il reste 3 jours." in text and "Plénière" in text
    assert reverse("writings:writing-detail", args=["ecolo-nord", amendment.code]) in text
    assert deadline_reminders_send(now=at(today, 18)) == {"writings": 0, "emails": 0}

    call_command("send_deadline_reminders")  # the same day, from cron: nothing new
    assert "0 rappel(s) envoyé(s)" in capsys.readouterr().out
    sent = deadline_reminders_send(now=at(today + datetime.timedelta(days=2), 8))
    assert sent["emails"] == 2 and "J-1" in inbox.messages[-1]["Subject"]
    assert deadline_reminders_send(now=at(today + datetime.timedelta(days=2), 9))["emails"] == 0
    assert DeadlineReminder.objects.count() == 4
    # Past the deadline, nothing more.
    assert deadline_reminders_send(now=at(today + datetime.timedelta(days=4), 8))["emails"] == 0


def test_a_filed_or_late_started_writing_gets_only_what_it_needs(
        inbox, amendment, plenary_sitting, today):  # noqa: F811
    # First run only one day before: J-1 only, no late J-3.
    deadline_reminders_send(now=at(today + datetime.timedelta(days=2), 8))
    assert set(DeadlineReminder.objects.values_list("days_before", flat=True)) == {1}
    # Once filed, no reminder at all, even when the sitting moves.
    Writing.objects.filter(pk=amendment.pk).update(status="filed")
    plenary_sitting.starts_at += datetime.timedelta(days=1)
    plenary_sitting.save()
    assert deadline_reminders_send(now=at(today + datetime.timedelta(days=3), 8))["emails"] == 0


def test_a_moved_sitting_gets_new_reminders_and_a_failed_send_is_retried(
        amendment, plenary_sitting, today, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    assert deadline_reminders_send(now=at(today, 8))["emails"] == 0
    assert not DeadlineReminder.objects.exists()  # the claim was given back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deadline_reminders_send(now=at(today, 9))["emails"] == 2
    plenary_sitting.starts_at -= datetime.timedelta(days=2)  # deadline now tomorrow
    plenary_sitting.save()
    assert deadline_reminders_send(now=at(today, 10))["emails"] == 2
    assert "J-1" in mailoutbox[-1].subject


def test_the_body_form_sets_the_deadlines_and_the_list_shows_them(
        sam_client, workspace, plenary):
    url = reverse("council:body-edit", args=[workspace.slug, plenary.code])
    response = sam_client.post(url, {"name": plenary.name, "kind": "plenary",
                                     "amendment_deadline_days": "7",
                                     "oral_question_deadline_days": "",
                                     "motion_deadline_days": "10",
                                     "deadline_time": "17:30"})
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert (plenary.amendment_deadline_days, plenary.oral_question_deadline_days,
            plenary.motion_deadline_days, plenary.deadline_time) == (
        7, None, 10, datetime.time(17, 30))
    page = sam_client.get(reverse("council:body-list", args=[workspace.slug])).content.decode()
    assert "Amendements : 7 jours avant la séance" in page and "17:30" in page
    bad = sam_client.post(url, {"name": plenary.name, "kind": "plenary",
                                "amendment_deadline_days": "-2", "deadline_time": "12:00"})
    assert bad.status_code == 200 and "supérieure ou égale à 0" in bad.content.decode()


def test_the_report_page_and_the_dashboard_show_the_deadlines(
        sam_client, bob_client, workspace, amendment, charlie_client, charlie):
    report = amendment.report
    page = sam_client.get(reverse("council:report-detail",
                                  args=[workspace.slug, report.code])).content.decode()
    assert "Échéances de dépôt" in page and "Amendement vélo" in page
    assert "Questions orales" in page  # the sitting's other deadline, no writing yet
    dashboard = bob_client.get(reverse("core:dashboard", args=[workspace.slug]))
    html = dashboard.content.decode()
    assert 'data-testid="panel-deadlines"' in html and "Amendement vélo" in html
    assert "J-3" in html
    # Another workspace sees none of it.
    other = charlie_client.get(reverse("core:dashboard", args=["autre-groupe"]))
    assert 'data-testid="panel-deadlines"' not in other.content.decode()


def test_upcoming_deadlines_leave_out_past_ones_and_other_workspaces(
        workspace, amendment, plenary_sitting, other_workspace):
    found = upcoming_deadlines(workspace)
    assert [(d.kind, [w.title for w in d.writings]) for d in found] == [
        ("amendment", ["Amendement vélo"]), ("oral_question", [])]
    assert upcoming_deadlines(other_workspace) == []
    plenary_sitting.starts_at = timezone.now() + datetime.timedelta(days=6)
    plenary_sitting.save()
    assert [d.kind for d in upcoming_deadlines(workspace)] == ["oral_question"]


def test_the_sitting_page_shows_the_group_meeting_and_the_deadlines(
        sam_client, workspace, amendment, plenary_sitting):
    plenary_sitting.group_meeting_at = plenary_sitting.starts_at - datetime.timedelta(days=4)
    plenary_sitting.save()
    page = sam_client.get(reverse("council:sitting-detail",
                                  args=[workspace.slug, plenary_sitting.code]))
    html = page.content.decode()
    assert 'data-testid="sitting-deadlines"' in html and "Réunion de groupe" in html
    assert "Amendement vélo" in html and "Questions orales" in html
