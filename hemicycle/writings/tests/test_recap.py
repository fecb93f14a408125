import pytest
from django.urls import reverse

from hemicycle.core import sharing
from hemicycle.council.models import Report, Vote
from hemicycle.writings import services
from hemicycle.writings.models import Recap
from hemicycle.writings.tests.conftest import make_report


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


@pytest.fixture
def voted(held_sitting, alice, sam, member) -> Report:
    report = make_report(held_sitting, number="DSOL/2024/7",
                         title="Revalorisation du RSA jeunes", text="",
                         decision=Report.Decision.ADOPTED, votes_for=52, votes_against=20,
                         votes_abstain=6)
    services.position_decide(report=report, by=alice, vote=Vote.FOR,
                             explanation="Une mesure juste pour les jeunes du Nord.")
    services.dissent_set(report=report, member=member, vote=Vote.ABSTAIN)
    services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                            title="Intervention RSA", report=report, speaker=member,
                            status="final", body="Chers collègues, cette mesure est attendue.")
    services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                            title="Brouillon", report=report, body="Texte non validé")
    return report


def test_the_draft_recap_gathers_decisions_positions_and_speeches(held_sitting, voted):
    text = services.recap_draft_text(held_sitting)
    assert "## DSOL/2024/7 — Revalorisation du RSA jeunes" in text
    assert "Décision du conseil : **Adopté** (52 pour, 20 contre, 6 abstention(s))" in text
    assert "Vote du groupe : **Pour**" in text
    assert "Nora Benaïssa : Abstention" in text
    assert "> Une mesure juste pour les jeunes du Nord." in text
    assert "**Nora Benaïssa** : « Chers collègues, cette mesure est attendue. »" in text
    assert "Texte non validé" not in text  # only final speeches


def test_staff_prepare_edit_and_publish_the_recap_which_then_is_public(
        sam_client, client, held_sitting, voted):
    edit = url("recap-edit", held_sitting)
    assert sam_client.post(edit).status_code == 302
    recap = Recap.objects.get()
    public = reverse("writings:recap-public", args=[recap.code])
    assert client.get(public).status_code == 404  # not published yet
    sam_client.post(edit, {"title": "Ce que nous avons voté", "body": recap.body + "\nMerci."})
    sam_client.post(url("recap-publish", held_sitting))
    recap.refresh_from_db()
    assert recap.is_published and recap.title == "Ce que nous avons voté"
    page = client.get(public)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ce que nous avons voté" in body and "Merci." in body
    assert "sam@example.org" not in body and "Sam Staff" not in body
    sam_client.post(url("recap-publish", held_sitting), {"action": "unpublish"})
    assert client.get(public).status_code == 404


def test_a_sitting_not_yet_held_cannot_be_published(sam_client, sitting, report):
    sam_client.post(url("recap-edit", sitting))
    sam_client.post(url("recap-publish", sitting))
    assert not Recap.objects.get().is_published


def test_an_observer_reads_the_recap_but_cannot_change_it(bob_client, sam, held_sitting, voted):
    services.recap_get_or_create(sitting=held_sitting, by=sam)
    assert bob_client.get(url("recap-edit", held_sitting)).status_code == 200
    assert bob_client.post(url("recap-edit", held_sitting),
                           {"title": "x", "body": "y"}).status_code == 403
    assert bob_client.post(url("recap-publish", held_sitting)).status_code == 403


def test_the_recap_exports_to_word_and_pdf(sam_client, sam, held_sitting, voted):
    from hemicycle.writings.tests.test_exports import docx_text, pdf_text

    services.recap_get_or_create(sitting=held_sitting, by=sam)
    word = sam_client.get(url("recap-docx", held_sitting))
    assert "Revalorisation du RSA jeunes" in docx_text(word.content)
    pdf = sam_client.get(url("recap-pdf", held_sitting))
    assert "Vote du groupe" in pdf_text(pdf.content)
    markdown = sam_client.get(url("recap-md", held_sitting))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert markdown["Content-Disposition"].endswith('.md"')
    text = markdown.content.decode()
    assert text.startswith("# Récap de la séance du ")
    assert "## DSOL/2024/7 — Revalorisation du RSA jeunes" in text


def test_the_share_button_is_hidden_without_a_publishing_module(
        sam_client, sam, held_sitting, voted, monkeypatch):
    monkeypatch.setattr(sharing, "_HANDLER", [])
    services.recap_get_or_create(sitting=held_sitting, by=sam)
    page = sam_client.get(url("recap-edit", held_sitting)).content.decode()
    assert 'data-testid="share"' not in page
    assert sam_client.post(url("recap-share", held_sitting)).status_code == 404


def test_share_creates_a_draft_through_the_publishing_hook(
        sam_client, sam, held_sitting, voted, monkeypatch):
    received = []

    def handler(request):
        received.append(request)
        return "/brouillon/42/"

    monkeypatch.setattr(sharing, "_HANDLER", [handler])
    recap = services.recap_get_or_create(sitting=held_sitting, by=sam)
    services.recap_publish(recap=recap, by=sam)
    assert 'data-testid="share"' in sam_client.get(url("recap-edit", held_sitting)).content.decode()
    response = sam_client.post(url("recap-share", held_sitting))
    assert response.status_code == 302 and response["Location"] == "/brouillon/42/"
    shared = received[0]
    assert shared.title == recap.title and shared.workspace == recap.workspace
    assert "<h3>DSOL/2024/7 — Revalorisation du RSA jeunes</h3>" in shared.html
    assert shared.link.endswith(f"/recap/{recap.code}/")
    assert shared.source == f"writings.recap:{recap.code}"


def test_an_outsider_gets_404(charlie_client, held_sitting):
    assert charlie_client.get(url("recap-edit", held_sitting)).status_code == 404


def test_the_draft_recap_says_which_of_the_group_s_elus_attended(held_sitting, voted, member):
    from hemicycle.council.services.attendance import AttendanceEntry, attendance_save
    from hemicycle.elected.models import ElectedMember

    other = ElectedMember.objects.create(workspace=held_sitting.workspace, first_name="Julien",
                                         last_name="Wattebled", in_group=True)
    attendance_save(sitting=held_sitting, entries=[
        AttendanceEntry(str(member), "present"),
        AttendanceEntry(str(other), "proxy", str(member)),
        AttendanceEntry("Jean Autre-Groupe", "absent")])

    text = services.recap_draft_text(held_sitting)

    assert (f"Présent·es pour le groupe : {member}. Représenté·es : Julien Wattebled "
            f"(procuration à {member}).") in text
    assert "Autre-Groupe" not in text  # only the group's élus
