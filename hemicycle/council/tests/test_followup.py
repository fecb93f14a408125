"""A report's follow-up: several people assigned (each told by inbox and e-mail), the due
date from the group's meeting, and the discussion thread with @mentions, through a real
SMTP server (aiosmtpd on loopback)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.accounts.tests.test_mail_smtp import inbox  # noqa: F401 (fixture)
from hemicycle.audit.models import AuditEvent
from hemicycle.council.models import Comment, FollowStatus, InboxItem
from hemicycle.council.services.followup import (
    comment_create,
    report_assign,
    report_default_due_date,
)

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(workspace, sitting):
    return make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_staff_member_assigns_a_report_to_an_elue_and_a_colleague_who_are_both_told(
        inbox, sam_client, sam, alice, elodie, workspace, report,  # noqa: F811
        django_capture_on_commit_callbacks):
    url = reverse("council:report-assign", args=[workspace.slug, report.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url, {"assignees": [elodie.pk, alice.pk],
                                         "lead": elodie.pk, "due_date": "2027-01-05",
                                         "follow_status": "in_progress"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert set(report.assignees.all()) == {elodie, alice}
    assert report.assigned_to == elodie
    assert (str(report.due_date), report.follow_status) == ("2027-01-05", "in_progress")
    assert sorted(inbox.recipients) == [["alice@example.org"], ["elodie@example.org"]]
    assert all("Sam Staff vous a confié le suivi" in text_of(m) for m in inbox.messages)
    assert set(InboxItem.objects.filter(report=report).values_list("user__email", flat=True)) \
        == {"alice@example.org", "elodie@example.org"}
    event = AuditEvent.objects.get(verb="council.assign")
    assert event.changes["assignees"][1] == ["Alice Admin", "Élodie Élue"]

    page = sam_client.get(reverse("council:report-detail", args=[workspace.slug, report.code]))
    followup = page.content.decode()
    assert "Élodie Élue</strong> <small>(référent·e)" in followup and "Alice Admin" in followup

    # Adding a third person tells only her; the others are not told again.
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url, {"assignees": [elodie.pk, alice.pk, sam.pk],
                              "follow_status": "ready"})
    assert len(inbox.messages) == 2  # sam assigned himself: no mail to himself
    report.refresh_from_db()
    assert report.assigned_to == elodie and report.assignees.count() == 3


def test_removing_the_lead_makes_the_first_remaining_person_lead(report, alice, elodie, sam):
    report_assign(report=report, users=[elodie, sam], lead=elodie)
    report_assign(report=report, users=[sam, alice])
    report.refresh_from_db()
    assert report.assigned_to == alice  # first by name among those left
    report_assign(report=report, users=[])
    report.refresh_from_db()
    assert report.assigned_to is None and not report.assignees.exists()


def test_an_observer_or_an_outsider_cannot_be_assigned(report, bob, charlie, sam):
    from django.core.exceptions import ValidationError

    for user in (bob, charlie):
        with pytest.raises(ValidationError):
            report_assign(report=report, users=[sam, user])
    assert not report.assignees.exists()


def test_the_due_date_defaults_to_the_group_meeting_before_the_sitting(report, sitting, sam):
    meeting = sitting.starts_at - datetime.timedelta(days=4)
    sitting.group_meeting_at = meeting
    sitting.save()
    assert report_default_due_date(report) == timezone.localdate(meeting)
    report_assign(report=report, users=[sam])
    assert report.due_date == timezone.localdate(meeting)


def test_the_group_meeting_is_set_on_the_sitting_form_and_cannot_follow_the_sitting(
        sam_client, workspace, sitting):
    url = reverse("council:sitting-edit", args=[workspace.slug, sitting.code])
    data = {"body": sitting.body.pk, "title": sitting.title, "status": "announced",
            "starts_at": "2031-03-02T14:00"}
    response = sam_client.post(url, {**data, "group_meeting_at": "2031-03-05T18:00"})
    assert "avant la séance" in response.content.decode()
    response = sam_client.post(url, {**data, "group_meeting_at": "2031-02-27T18:00"})
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert timezone.localdate(sitting.group_meeting_at) == datetime.date(2031, 2, 27)


def test_a_mention_in_a_comment_fills_the_inbox_and_mails_the_member(
        inbox, elodie_client, elodie, sam, sam_client, workspace, report,  # noqa: F811
        django_capture_on_commit_callbacks):
    url = reverse("council:comment-create", args=[workspace.slug, report.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = elodie_client.post(url, {"body": "@sam peux-tu vérifier le **montant** ?"})
    assert response.status_code == 302 and response.url.endswith("#commentaires")
    comment = Comment.objects.get(report=report)
    assert (comment.author, list(comment.mentions.all())) == (elodie, [sam])
    item = InboxItem.objects.get(user=sam, report=report)
    assert item.comment == comment and "Élodie Élue vous a mentionné·e" in item.reason
    assert item.notified_at is not None
    listed = sam_client.get(reverse("council:inbox", args=[workspace.slug]))
    assert f"#commentaire-{comment.code}" in listed.content.decode()
    assert inbox.recipients == [["sam@example.org"]]
    assert "Élodie Élue vous a mentionné·e" in inbox.messages[0]["Subject"]
    assert "peux-tu vérifier" in text_of(inbox.messages[0])
    assert inbox.only_link().endswith(
        reverse("council:report-detail", args=[workspace.slug, report.code]))
    assert f"#commentaire-{comment.code}" in text_of(inbox.messages[0])
    assert AuditEvent.objects.filter(action="create", object_id=str(comment.pk)).exists()

    page = elodie_client.get(reverse("council:report-detail",
                                     args=[workspace.slug, report.code])).content.decode()
    assert '<strong class="mention">@sam</strong> peux-tu vérifier le <strong>montant</strong>' \
        in page


def test_comments_are_escaped_and_an_htmx_post_gets_the_thread_back(
        sam_client, workspace, report):
    url = reverse("council:comment-create", args=[workspace.slug, report.code])
    response = sam_client.post(url, {"body": "<script>alert(1)</script> @Élodie"},
                               HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="commentaires"' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<html" not in html  # the fragment only


def test_an_empty_comment_is_refused_with_a_message(sam_client, workspace, report):
    url = reverse("council:comment-create", args=[workspace.slug, report.code])
    response = sam_client.post(url, {"body": "   "}, HTTP_HX_REQUEST="true")
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_observer_reads_the_thread_but_cannot_comment(bob_client, workspace, report, sam):
    comment_create(report=report, author=sam, body="Analyse en cours.")
    page = bob_client.get(reverse("council:report-detail", args=[workspace.slug, report.code]))
    assert "Analyse en cours." in page.content.decode()
    assert "sans y écrire" in page.content.decode()
    url = reverse("council:comment-create", args=[workspace.slug, report.code])
    assert bob_client.post(url, {"body": "Moi aussi"}).status_code == 403
    assert bob_client.get(reverse("council:mention-suggest",
                                  args=[workspace.slug])).status_code == 403
    assert Comment.objects.count() == 1


def test_an_author_edits_their_comment_and_only_new_mentions_are_told(
        inbox, sam_client, elodie_client, sam, elodie, alice, workspace, report,  # noqa: F811
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(report=report, author=sam, body="Avis de @elodie ?")
    assert inbox.recipients == [["elodie@example.org"]]
    url = reverse("council:comment-edit", args=[workspace.slug, comment.code])
    assert elodie_client.get(url).status_code == 403  # not hers
    assert elodie_client.post(url, {"body": "piraté"}).status_code == 403
    assert sam_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url, {"body": "Avis de @elodie et @alice ?"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.edited_at is not None and comment.body == "Avis de @elodie et @alice ?"
    assert inbox.recipients == [["elodie@example.org"], ["alice@example.org"]]
    assert AuditEvent.objects.filter(action="update", object_id=str(comment.pk)).exists()


def test_an_author_deletes_their_comment_and_the_trail_keeps_it(
        sam_client, elodie_client, sam, workspace, report):
    comment = comment_create(report=report, author=sam, body="À supprimer")
    url = reverse("council:comment-delete", args=[workspace.slug, comment.code])
    assert elodie_client.post(url).status_code == 403
    assert sam_client.post(url, HTTP_HX_REQUEST="true").status_code == 200
    assert not Comment.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(comment.pk)).exists()


def test_the_mention_autocomplete_offers_members_by_prefix(sam_client, workspace, elodie,
                                                          bob, charlie):
    url = reverse("council:mention-suggest", args=[workspace.slug])
    html = sam_client.get(url, {"q": "elo"}).content.decode()
    assert 'data-handle="elodie"' in html and "Élodie Élue" in html
    assert "bob" not in html
    everyone = sam_client.get(url).content.decode()
    assert 'data-handle="bob"' in everyone and "charlie" not in everyone


def test_outsiders_get_404_on_comments(charlie_client, workspace, report, sam):
    comment = comment_create(report=report, author=sam, body="Interne")
    for url in (reverse("council:comment-edit", args=["autre-groupe", comment.code]),
                reverse("council:comment-edit", args=[workspace.slug, comment.code])):
        assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(reverse("council:comment-create",
                                       args=["autre-groupe", report.code]),
                               {"body": "x"}).status_code == 404


def test_my_comments_are_in_my_personal_data(report, sam):
    from hemicycle.core.privacy import personal_data_export

    comment_create(report=report, author=sam, body="Mon avis")
    report_assign(report=report, users=[sam], follow_status=FollowStatus.READY)
    data = personal_data_export(sam)["council"]
    assert data["comments"][0]["body"] == "Mon avis"
    assert data["assigned_reports"][0]["follow_status"] == "ready"


def test_the_demo_has_reports_followed_by_two_people_and_a_discussion(mailoutbox):
    from hemicycle.accounts.roles import Role
    from hemicycle.core.demo import demo_build

    demo = demo_build(territory=False)
    elected = demo.users[Role.ELECTED]
    followed = demo.workspace.council_report_set.filter(assignees=elected)
    assert followed.exists()
    assert all(r.assignees.count() == 2 and r.assigned_to_id for r in followed)
    comments = Comment.objects.filter(workspace=demo.workspace)
    assert comments.count() == 2 and comments.first().mentions.exists()
    assert InboxItem.objects.filter(comment__isnull=False).exists()
    assert mailoutbox == []  # the demo tells nobody by e-mail
    plenary = demo.workspace.council_body_set.get(kind="plenary")
    assert (plenary.amendment_deadline_days, plenary.oral_question_deadline_days) == (7, 5)
    assert demo.workspace.council_sitting_set.exclude(group_meeting_at=None).exists()
    demo_build(territory=False)
    assert Comment.objects.filter(workspace=demo.workspace).count() == 2
