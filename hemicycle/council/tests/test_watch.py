"""Watch rules → the "À traiter" inbox after an ingestion, one digest e-mail per user and
batch, the daily digest, and the e-mail of an assignment, through a real SMTP server
(aiosmtpd on loopback)."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from hemicycle.accounts.tests.test_mail_smtp import inbox  # noqa: F401 (fixture)
from hemicycle.council.models import FollowStatus, InboxItem, Report, Watchlist
from hemicycle.council.services.followup import report_assign
from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run

from .conftest import make_report
from .test_ingest import OTHER_TXT, REPORT_TXT

pytestmark = pytest.mark.django_db


def ingest(workspace, sitting, files, capture):
    batch = ingestion_batch_create(workspace=workspace, sitting=sitting, files=files)
    with capture(execute=True):
        ingestion_batch_run(batch)
    return batch


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_staff_member_saves_a_watch_rule_from_the_page(sam_client, sam, workspace):
    url = reverse("council:watchlist-list", args=[workspace.slug])
    page = sam_client.get(url, {"q": "véloroute"})
    assert 'value="véloroute"' in page.content.decode()
    response = sam_client.post(url, {"name": "Vélo", "query": "véloroute OR vélo*",
                                     "active": "on"})
    assert response.status_code == 302
    assert Watchlist.objects.get(workspace=workspace, user=sam).query == "véloroute OR vélo*"


def test_a_watch_rule_needs_a_criterion(sam_client, workspace):
    url = reverse("council:watchlist-list", args=[workspace.slug])
    response = sam_client.post(url, {"name": "Vide", "query": "-lille", "active": "on"})
    assert "au moins un mot" in response.content.decode()
    response = sam_client.post(url, {"name": "Vide", "active": "on"})
    assert "Donnez au moins un critère" in response.content.decode()
    assert not Watchlist.objects.exists()


def test_new_reports_matching_a_rule_land_in_the_inbox_and_one_digest_leaves(
        inbox, workspace, sitting, sam, alice, django_capture_on_commit_callbacks):  # noqa: F811
    Watchlist.objects.create(workspace=workspace, user=sam, name="Vélo", query="veloroute")
    Watchlist.objects.create(workspace=workspace, user=sam, name="Gros montants",
                             min_amount=Decimal("1000000"))
    Watchlist.objects.create(workspace=workspace, user=alice, name="Villeneuve",
                             place="Villeneuve-d'Ascq")
    ingest(workspace, sitting, [("velo.txt", REPORT_TXT), ("mna.txt", OTHER_TXT)],
           django_capture_on_commit_callbacks)
    sam_items = InboxItem.objects.filter(user=sam).order_by("report__number")
    assert [i.report.number for i in sam_items] == ["DEF/2026/71", "DVD/2026/131"]
    assert [i.report.number for i in InboxItem.objects.filter(user=alice)] == ["DEF/2026/71"]
    # one digest per user for the batch
    assert sorted(r[0] for r in inbox.recipients) == ["alice@example.org", "sam@example.org"]
    sam_mail = next(m for m, r in zip(inbox.messages, inbox.recipients, strict=True)
                    if r == ["sam@example.org"])
    assert "2 rapport(s) à traiter" in sam_mail["Subject"]
    text = body(sam_mail)
    assert "DVD/2026/131" in text and "Veille « Gros montants »" in text
    report = Report.objects.get(number="DVD/2026/131")
    assert f"/w/{workspace.slug}/seances/rapports/{report.code}/" in text
    assert all(i.notified_at for i in InboxItem.objects.all())


def test_the_inbox_page_lists_my_items_and_marks_them_done(sam_client, sam, bob_client,
                                                           workspace, sitting):
    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    item = InboxItem.objects.create(workspace=workspace, user=sam, report=report,
                                    reason="Veille « Villages »")
    url = reverse("council:inbox", args=[workspace.slug])
    assert "DAT/2026/81" in sam_client.get(url).content.decode()
    assert "DAT/2026/81" not in bob_client.get(url).content.decode()  # someone else's
    done = reverse("council:inbox-done", args=[workspace.slug, item.code])
    assert bob_client.post(done).status_code == 404
    sam_client.post(done)
    item.refresh_from_db()
    assert item.done_at is not None
    assert "DAT/2026/81" not in sam_client.get(url).content.decode()


def test_the_daily_digest_command_sends_what_was_not_sent(inbox, workspace, sitting, sam,  # noqa: F811
                                                          capsys):
    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    InboxItem.objects.create(workspace=workspace, user=sam, report=report, reason="Veille")
    call_command("send_council_digest")
    assert inbox.recipients == [["sam@example.org"]]
    assert "DAT/2026/81" in body(inbox.messages[0])
    assert "1 courriel(s) envoyé(s), 1 rapport(s)" in capsys.readouterr().out
    call_command("send_council_digest")
    assert len(inbox.messages) == 1  # nothing new: nothing sent


def test_assigning_a_report_mails_the_person_and_fills_their_inbox(
        inbox, sam_client, workspace, sitting, elodie, django_capture_on_commit_callbacks):  # noqa: F811
    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    url = reverse("council:report-assign", args=[workspace.slug, report.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(url, {"assignees": [elodie.pk], "due_date": "2027-01-05",
                                         "follow_status": "in_progress"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.assigned_to, str(report.due_date), report.follow_status) == (
        elodie, "2027-01-05", FollowStatus.IN_PROGRESS)
    assert inbox.recipients == [["elodie@example.org"]]
    assert "Rapport confié" in inbox.messages[0]["Subject"]
    text = body(inbox.messages[0])
    assert "Sam Staff vous a confié le suivi" in text and "05/01/2027" in text
    assert InboxItem.objects.get(user=elodie, report=report).notified_at is not None


def test_a_report_cannot_be_assigned_to_an_outsider(workspace, sitting, charlie):
    from django.core.exceptions import ValidationError

    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    with pytest.raises(ValidationError):
        report_assign(report=report, users=[charlie])


def test_a_users_watch_rules_and_inbox_are_in_their_personal_data(workspace, sitting, sam):
    from hemicycle.core.privacy import personal_data_export

    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    Watchlist.objects.create(workspace=workspace, user=sam, name="Villages", query="village")
    InboxItem.objects.create(workspace=workspace, user=sam, report=report, reason="Veille")
    data = personal_data_export(sam)["council"]
    assert data["watchlists"][0]["query"] == "village"
    assert data["inbox"][0]["report"].startswith("DAT/2026/81")
