from django.urls import reverse

from hemicycle.writings import services
from hemicycle.writings.models import Note
from hemicycle.writings.tests.conftest import make_report, make_sitting


def note_url(report):
    return reverse("writings:note-edit", args=[report.workspace.slug, report.code])


def work_url(report):
    return reverse("writings:report-work", args=[report.workspace.slug, report.code])


def test_the_prefill_holds_the_synthesis_and_the_key_figures(report):
    text = services.note_prefill(report)
    assert "## Synthèse automatique" in text
    assert "## Chiffres clés" in text
    assert "87\u202f458 €" in text  # the envelope, with its context
    assert "Collectif Vélo Lille" in text  # a beneficiary from the table
    assert "| Commune | Lille | 2 mentions |" in text  # found by the Nord gazetteer
    assert "| Canton | Lille-3 |" in text


def test_a_report_without_text_gets_a_short_prefill(sitting):
    report = make_report(sitting, number="DEF/2024/1", title="Rapport sans texte", text="")
    text = services.note_prefill(report)
    assert "Rapport sans texte" in text and "pas encore disponible" in text


def test_a_staff_member_opens_a_prefilled_note_and_saves_it(sam_client, report):
    page = sam_client.get(note_url(report))
    assert page.status_code == 200
    assert "Synthèse automatique" in page.content.decode()
    response = sam_client.post(note_url(report), {"body": "## Avis\n\nVoter **pour**.",
                                                  "status": "ready"})
    assert response.status_code == 302
    note = Note.objects.get(report=report)
    assert note.status == "ready" and note.author.email == "sam@example.org"
    shown = sam_client.get(work_url(report)).content.decode()
    assert "Voter <strong>pour</strong>." in shown


def test_an_elected_member_writes_a_note_but_cannot_edit_a_staff_note(elodie_client, sam, report):
    services.note_save(report=report, by=sam, body="Note de l'équipe", status="draft")
    assert elodie_client.get(note_url(report)).status_code == 403
    other = make_report(report.sitting, rank=2, number="DAT/2024/113", title="Autre")
    assert elodie_client.post(note_url(other), {"body": "Mon avis", "status": "draft"}
                              ).status_code == 302
    assert Note.objects.get(report=other).body == "Mon avis"


def test_an_observer_cannot_write_a_note(bob_client, report):
    assert bob_client.get(note_url(report)).status_code == 403
    assert bob_client.get(work_url(report)).status_code == 200


def test_an_outsider_gets_404(charlie_client, report):
    assert charlie_client.get(work_url(report)).status_code == 404
    assert charlie_client.get(note_url(report)).status_code == 404


def test_an_invalid_status_saves_nothing(sam_client, report):
    response = sam_client.post(note_url(report), {"body": "x", "status": "published"})
    assert response.status_code == 200
    assert not Note.objects.filter(report=report).exists()


def test_earlier_similar_reports_are_listed(workspace, report, sam_client):
    earlier_sitting = make_sitting(workspace, days=-365, title="Commission permanente 2023")
    earlier = make_report(
        earlier_sitting, number="DAT/2023/95",
        title="Actions d'Intérêt Local – programmation 2023 du canton de Lille-3",
        text=report.text.replace("2024", "2023").replace("87 458", "85 120"))
    make_report(earlier_sitting, rank=2, number="DVD/2023/4", title="Entretien des routes",
                text="Travaux de voirie sur la RD 917 entre Seclin et Templemars.")
    later = make_report(make_sitting(workspace, days=60), number="DAT/2025/3",
                        title=report.title, text=report.text)
    body = sam_client.get(work_url(report)).content.decode()
    assert "DAT/2023/95" in body
    assert "DVD/2023/4" not in body
    assert later.number not in body  # later sittings are not "earlier reports"
    assert "montant principal 85" in body and "écart 2" in body  # 87 458 − 85 120 = 2 338
    assert earlier.code
