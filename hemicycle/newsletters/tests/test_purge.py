"""Unconfirmed double opt-in requests are forgotten after CONFIRM_DAYS: the service, the
self-renewing task, the command, the subscribers page."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from hemicycle.audit.models import AuditEvent
from hemicycle.newsletters import conf, services
from hemicycle.newsletters.models import Subscriber, Suppression
from hemicycle.newsletters.tasks import next_purge_time, subscription_purge_task
from hemicycle.newsletters.tests.conftest import links, path_of, text_part
from hemicycle.newsletters.tests.test_subscribe import BROWSER, form_post

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def request_from_form(mailing_list, email: str, days_ago: float = 0) -> Subscriber:
    """A pending request as the public form records it, made ``days_ago`` days ago."""
    subscriber = services.subscription_request(
        mailing_list=mailing_list, email=email, name="Nadia Benali",
        consent=mailing_list.current_consent(), ip="192.0.2.10", user_agent=BROWSER)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        requested_at=timezone.now() - days_ago * DAY)
    subscriber.refresh_from_db()
    return subscriber


def old_row(mailing_list, email: str, status: str, **fields) -> Subscriber:
    """A row of any state, requested long ago."""
    long_ago = timezone.now() - 90 * DAY
    return Subscriber.objects.create(
        mailing_list=mailing_list, email=email, status=status,
        consent=mailing_list.current_consent(), requested_at=long_ago, **fields)


def test_an_unconfirmed_request_older_than_the_confirmation_window_is_purged(
        mailing_list, workspace):
    old = request_from_form(mailing_list, "nadia@example.org", days_ago=conf.CONFIRM_DAYS + 1)
    report = services.subscription_purge_unconfirmed(workspace)
    assert report == {"purged": 1, "lists": 1, "workspaces": 1}
    assert not Subscriber.objects.filter(pk=old.pk).exists()
    # The trail says how many, never who.
    event = AuditEvent.objects.get(verb="newsletters.purge")
    assert event.workspace == workspace
    assert "1 demande" in event.message
    assert "nadia" not in f"{event.message} {event.object_repr} {event.changes}"
    # Nothing left to do: a second run deletes nothing and records nothing.
    assert services.subscription_purge_unconfirmed(workspace)["purged"] == 0
    assert AuditEvent.objects.filter(verb="newsletters.purge").count() == 1


def test_a_recent_unconfirmed_request_is_kept_until_its_link_expires(mailing_list):
    recent = request_from_form(mailing_list, "nadia@example.org",
                               days_ago=conf.CONFIRM_DAYS - 1)
    assert services.subscription_purge_unconfirmed()["purged"] == 0
    assert Subscriber.objects.filter(pk=recent.pk).exists()
    # Two days later it has lapsed, and goes.
    later = timezone.now() + 2 * DAY
    assert services.subscription_purge_unconfirmed(now=later)["purged"] == 1
    assert not Subscriber.objects.filter(pk=recent.pk).exists()


def test_a_pending_row_without_request_date_is_aged_by_its_creation(mailing_list):
    row = Subscriber.objects.create(mailing_list=mailing_list, email="sans.date@example.org")
    assert services.subscription_purge_unconfirmed()["purged"] == 0
    assert services.subscription_purge_unconfirmed(
        now=timezone.now() + (conf.CONFIRM_DAYS + 1) * DAY)["purged"] == 1
    assert not Subscriber.objects.filter(pk=row.pk).exists()


def test_confirmed_unsubscribed_bounced_and_blocklisted_rows_are_kept_however_old(
        mailing_list, workspace):
    now = timezone.now()
    kept = [
        old_row(mailing_list, "inscrite@example.org", Subscriber.Status.SUBSCRIBED,
                confirmed_at=now - 89 * DAY),
        old_row(mailing_list, "partie@example.org", Subscriber.Status.UNSUBSCRIBED,
                confirmed_at=now - 89 * DAY, unsubscribed_at=now - 30 * DAY),
        old_row(mailing_list, "erreur@example.org", Subscriber.Status.BOUNCED,
                bounced_at=now - 30 * DAY),
        old_row(mailing_list, "bloquee@example.org", Subscriber.Status.BLOCKLISTED),
    ]
    services.blocklist_add(workspace=workspace, emails=["bloquee@example.org"])
    # Someone who unsubscribed then asked again, and never confirmed: still unsubscribed,
    # so the unsubscribe (and its proof) stays.
    Subscriber.objects.filter(pk=kept[1].pk).update(requested_at=now - 30 * DAY)
    purged = old_row(mailing_list, "jamais@example.org", Subscriber.Status.PENDING)

    report = services.subscription_purge_unconfirmed(workspace)

    assert report["purged"] == 1
    assert set(Subscriber.objects.values_list("email", "status")) == {
        (row.email, row.status) for row in kept}
    assert not Subscriber.objects.filter(pk=purged.pk).exists()
    assert Suppression.objects.filter(email="bloquee@example.org",
                                      reason=Suppression.Reason.BLOCKLISTED).exists()


def test_the_same_address_on_another_list_keeps_its_subscription(mailing_list, workspace):
    other_list = services.mailing_list_create(
        workspace=workspace, name="Lettre du canton de Lille-3",
        consent_text="J'accepte de recevoir la lettre du canton.")
    subscribed = old_row(other_list, "nadia@example.org", Subscriber.Status.SUBSCRIBED,
                         confirmed_at=timezone.now() - 80 * DAY)
    request_from_form(mailing_list, "nadia@example.org", days_ago=conf.CONFIRM_DAYS + 3)
    assert services.subscription_purge_unconfirmed(workspace)["purged"] == 1
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [subscribed.pk]


def test_a_workspace_purge_leaves_the_other_workspaces_alone(
        mailing_list, workspace, other_workspace):
    theirs = services.mailing_list_create(
        workspace=other_workspace, name="Lettre normande",
        consent_text="J'accepte de recevoir la lettre normande.")
    request_from_form(mailing_list, "nadia@example.org", days_ago=10)
    elsewhere = request_from_form(theirs, "nadia@example.org", days_ago=10)
    assert services.subscription_purge_unconfirmed(workspace)["purged"] == 1
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    # Without a workspace, every workspace is purged (the daily task).
    assert services.subscription_purge_unconfirmed() == {
        "purged": 1, "lists": 1, "workspaces": 1}
    assert not Subscriber.objects.exists()


def test_the_command_dry_run_counts_and_deletes_nothing(mailing_list, workspace, capsys):
    request_from_form(mailing_list, "nadia@example.org", days_ago=10)
    request_from_form(mailing_list, "karim@example.org", days_ago=9)
    request_from_form(mailing_list, "lea@example.org", days_ago=1)

    call_command("newsletters_purge", "--workspace", workspace.slug, "--dry-run")
    out = capsys.readouterr().out
    assert "2 demande(s) non confirmée(s) à supprimer" in out and "simulation" in out
    assert Subscriber.objects.count() == 3
    assert not AuditEvent.objects.filter(verb="newsletters.purge").exists()

    call_command("newsletters_purge", "--workspace", workspace.slug)
    assert "2 demande(s) non confirmée(s) supprimée(s) (1 liste(s), 1 espace(s))." in (
        capsys.readouterr().out)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["lea@example.org"]
    assert AuditEvent.objects.get(verb="newsletters.purge").actor_label == (
        "commande newsletters_purge")


def test_the_command_refuses_an_unknown_workspace():
    with pytest.raises(CommandError, match="Espace inconnu"):
        call_command("newsletters_purge", "--workspace", "nulle-part")


def test_a_purged_address_can_subscribe_again_and_gets_a_fresh_confirmation_mail(
        inbox, mailing_list, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        form_post(client, mailing_list)
    (first_link,) = links(text_part(inbox.messages[0]))
    Subscriber.objects.filter(email="nadia@example.org").update(
        requested_at=timezone.now() - (conf.CONFIRM_DAYS + 1) * DAY)
    assert services.subscription_purge_unconfirmed()["purged"] == 1
    # The old link leads nowhere.
    assert client.post(path_of(first_link)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = form_post(client, mailing_list)
    assert response.status_code == 200 and response.context["done"]
    assert [env[1] for env in inbox.envelopes] == [["nadia@example.org"]] * 2
    (second_link,) = links(text_part(inbox.messages[1]))
    assert second_link != first_link
    subscriber = Subscriber.objects.get(email="nadia@example.org")
    assert subscriber.status == Subscriber.Status.PENDING
    assert timezone.now() - subscriber.requested_at < DAY

    confirmed = client.post(path_of(second_link), HTTP_USER_AGENT=BROWSER,
                            REMOTE_ADDR="192.0.2.11")
    assert confirmed.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUBSCRIBED


def test_the_subscribers_page_shows_the_pending_requests_and_when_they_expire(
        sam_client, mailing_list, workspace):
    oldest = request_from_form(mailing_list, "nadia@example.org", days_ago=5)
    request_from_form(mailing_list, "karim@example.org", days_ago=2)
    old_row(mailing_list, "inscrite@example.org", Subscriber.Status.SUBSCRIBED,
            confirmed_at=timezone.now() - 80 * DAY)
    url = reverse("newsletters:list-detail", args=[workspace.slug, mailing_list.code])

    page = sam_client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    expires = date_format(localtime(oldest.requested_at + conf.CONFIRM_DAYS * DAY),
                          "SHORT_DATETIME_FORMAT")
    assert oldest.confirm_expires_at == oldest.requested_at + conf.CONFIRM_DAYS * DAY
    assert f"la plus ancienne expire le {expires}" in html
    assert f"non confirmé, expire le {expires}" in html
    assert html.count("non confirmé, expire le") == 2
    assert f"non confirmée sous {conf.CONFIRM_DAYS} jours est supprimée automatiquement" in html
    pending = html.split('data-testid="pending">', 1)[1]
    assert pending.startswith("2 ")


def test_the_subscribers_page_shows_no_expiry_without_pending_requests(
        bob_client, mailing_list, workspace):
    page = bob_client.get(reverse("newsletters:list-detail",
                                  args=[workspace.slug, mailing_list.code]))
    assert page.status_code == 200
    assert "expire le" not in page.content.decode()


def test_the_purge_task_deletes_the_expired_requests_of_every_workspace(
        mailing_list, other_workspace):
    theirs = services.mailing_list_create(
        workspace=other_workspace, name="Lettre normande",
        consent_text="J'accepte de recevoir la lettre normande.")
    request_from_form(mailing_list, "nadia@example.org", days_ago=10)
    request_from_form(theirs, "karim@example.org", days_ago=10)
    kept = request_from_form(theirs, "lea@example.org", days_ago=1)
    result = subscription_purge_task.enqueue()  # immediate backend in tests
    assert result.return_value == {"purged": 2, "lists": 2, "workspaces": 2}
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [kept.pk]
    assert set(AuditEvent.objects.filter(verb="newsletters.purge").values_list(
        "actor_label", flat=True)) == {"tâche de purge des demandes non confirmées"}


def test_the_next_purge_comes_just_after_the_oldest_request_lapses_and_within_a_day(
        mailing_list):
    now = timezone.now()
    assert next_purge_time(now) == now + DAY  # nothing pending: tomorrow
    request = request_from_form(mailing_list, "nadia@example.org", days_ago=6.5)
    lapse = request.requested_at + conf.CONFIRM_DAYS * DAY
    assert lapse < next_purge_time(now) < lapse + datetime.timedelta(minutes=5)
    # Already lapsed (the worker was down): in an hour, not in a tight loop.
    assert next_purge_time(now + 3 * DAY) == now + 3 * DAY + datetime.timedelta(hours=1)
    # Lapsing in a week: still checked tomorrow.
    request_from_form(mailing_list, "karim@example.org")
    Subscriber.objects.filter(email="nadia@example.org").delete()
    assert next_purge_time(now) == now + DAY


def test_a_request_from_the_form_enqueues_one_purge_task_with_run_after(
        settings, mailing_list, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        request_from_form(mailing_list, "nadia@example.org")
        request_from_form(mailing_list, "karim@example.org")
    waiting = DBTaskResult.objects.filter(task_path__endswith="subscription_purge_task")
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + datetime.timedelta(hours=23)
    # The confirmation mails wait for the worker too, one per request.
    assert DBTaskResult.objects.filter(
        task_path__endswith="subscription_confirmation_send_task").count() == 2
