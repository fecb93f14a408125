"""Bodies, sittings and reports: pages, forms, the status workflow, the dashboard panel,
SCDL import and export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.council import scdl
from hemicycle.council.models import Body, FollowStatus, Report, Sitting
from hemicycle.council.services.followup import report_assign
from hemicycle.elected.models import ElectedMember

from .conftest import DATA, make_report

pytestmark = pytest.mark.django_db


def test_a_staff_member_creates_a_body_with_the_groups_members(sam_client, workspace):
    member = ElectedMember.objects.create(workspace=workspace, last_name="Dufresne",
                                          first_name="Maëlle", in_group=True)
    url = reverse("council:body-create", args=[workspace.slug])
    response = sam_client.post(url, {"name": "Commission Finances", "kind": "commission",
                                     "policy_area": "Finances", "members": [member.pk]})
    assert response.status_code == 302
    body = Body.objects.get(workspace=workspace, name="Commission Finances")
    assert list(body.members.all()) == [member]
    page = sam_client.get(reverse("council:body-list", args=[workspace.slug]))
    assert "Maëlle Dufresne" in page.content.decode()


def test_two_bodies_cannot_have_the_same_name(sam_client, workspace, plenary):
    url = reverse("council:body-create", args=[workspace.slug])
    response = sam_client.post(url, {"name": "Séance plénière", "kind": "plenary"})
    assert response.status_code == 200
    assert "Une instance porte déjà ce nom." in response.content.decode()


def test_a_staff_member_creates_a_sitting_and_moves_it_along_its_statuses(
        sam_client, workspace, standing):
    url = reverse("council:sitting-create", args=[workspace.slug])
    response = sam_client.post(url, {"body": standing.pk, "title": "CP de janvier",
                                     "starts_at": "2027-01-18T14:00", "place": "Lille",
                                     "status": "announced"})
    sitting = Sitting.objects.get(workspace=workspace, title="CP de janvier")
    assert response["Location"] == reverse("council:sitting-detail",
                                           args=[workspace.slug, sitting.code])
    status_url = reverse("council:sitting-status", args=[workspace.slug, sitting.code])
    sam_client.post(status_url, {"status": "held"})
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.HELD
    page = sam_client.post(status_url, {"status": "announced"}, follow=True)
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.HELD  # never back
    assert "sans revenir en arrière" in page.content.decode()


def test_a_sitting_form_with_a_bad_date_says_so(sam_client, workspace, standing):
    url = reverse("council:sitting-create", args=[workspace.slug])
    response = sam_client.post(url, {"body": standing.pk, "starts_at": "demain",
                                     "status": "announced"})
    assert response.status_code == 200
    assert not Sitting.objects.filter(workspace=workspace).exists()


def test_the_sitting_page_lists_its_agenda_in_rank_order(sam_client, workspace, sitting):
    make_report(workspace, sitting, "DAT/2026/2", "Second point", "Texte.", rank=2)
    make_report(workspace, sitting, "DAT/2026/1", "Premier point", "Texte.", rank=1)
    page = sam_client.get(reverse("council:sitting-detail",
                                  args=[workspace.slug, sitting.code])).content.decode()
    assert page.index("Premier point") < page.index("Second point")
    listing = sam_client.get(reverse("council:sitting-list", args=[workspace.slug]))
    assert sitting.title in listing.content.decode()


def test_a_report_created_by_hand_gets_its_entities_summary_and_next_rank(
        sam_client, workspace, sitting):
    make_report(workspace, sitting, "DAT/2026/1", "Premier point", "Texte.")
    url = reverse("council:report-create", args=[workspace.slug])
    response = sam_client.post(url, {
        "sitting": sitting.pk, "number": "DAT/2026/81", "title": "Aide aux villages",
        "text": "La commune de Fourmies reçoit 87 458 € pour sa salle. Le Département "
                "soutient ainsi les petites communes de l'Avesnois depuis 2010.",
        "decision": "", "votes_for": "", "votes_against": ""})
    report = Report.objects.get(workspace=workspace, number="DAT/2026/81")
    assert response["Location"] == reverse("council:report-detail",
                                           args=[workspace.slug, report.code])
    assert report.rank == 2
    assert report.entities["amounts"][0]["value"] == "87458"
    assert [p["name"] for p in report.entities["places"]] == ["Fourmies"]
    page = sam_client.get(response["Location"]).content.decode()
    assert "87 458 €" in page and "Fourmies" in page


def test_the_report_page_shows_the_decision_votes_and_other_groups(bob_client, workspace,
                                                                   past_sitting):
    report = make_report(workspace, past_sitting, "DFIN/2025/12", "Décision modificative",
                         "Texte.", decision=Report.Decision.ADOPTED, votes_for=52,
                         votes_against=26, votes_abstain=4,
                         other_groups_votes={"Union pour le Nord": "for"})
    page = bob_client.get(reverse("council:report-detail",
                                  args=[workspace.slug, report.code])).content.decode()
    assert "Adopté" in page and "52" in page and "26" in page
    assert "Union pour le Nord : Pour" in page
    assert "Enregistrer le suivi" not in page  # an observer cannot assign


def test_the_report_page_carries_the_groups_note_and_position(elodie_client, workspace,
                                                              sitting):
    from hemicycle.writings import services as writings

    report = make_report(workspace, sitting, "DAT/2026/7", "Voie verte", "Texte.")
    writings.position_propose(report=report, proposed_vote="for", by=None)
    page = elodie_client.get(reverse("council:report-detail",
                                     args=[workspace.slug, report.code])).content.decode()
    assert 'data-testid="writings-report-panel"' in page
    assert "Position du groupe" in page and "Pas encore de note." in page


def test_observers_cannot_write_and_outsiders_get_404(bob_client, charlie_client,
                                                      workspace, sitting):
    report = make_report(workspace, sitting, "DAT/2026/1", "Point", "Texte.")
    assert bob_client.get(reverse("council:sitting-create",
                                  args=[workspace.slug])).status_code == 403
    assert bob_client.post(reverse("council:report-edit", args=[workspace.slug, report.code]),
                           {"title": "x"}).status_code == 403
    for url in (reverse("council:sitting-detail", args=[workspace.slug, sitting.code]),
                reverse("council:report-detail", args=[workspace.slug, report.code]),
                reverse("council:report-detail", args=["autre-groupe", report.code])):
        assert charlie_client.get(url).status_code == 404


def test_the_dashboard_shows_next_sittings_and_my_reports(sam_client, sam, workspace,
                                                          sitting):
    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    report_assign(report=report, users=[sam], follow_status=FollowStatus.IN_PROGRESS)
    page = sam_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert "Prochaines séances" in page and sitting.title in page
    assert "DAT/2026/81" in page


def test_the_scdl_file_of_saint_etienne_imports_into_a_sitting_and_exports_again(
        sam_client, workspace, past_sitting):
    url = reverse("council:scdl-import", args=[workspace.slug])
    data = (DATA / "scdl_deliberations_saint_etienne_metropole_2022-03.csv").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = sam_client.post(url, {"sitting": past_sitting.pk,
                                     "file": SimpleUploadedFile("delib.csv", data)})
    assert response.status_code == 200
    assert past_sitting.reports.count() == 52
    assert "52 rapport(s) créé(s), 0 mis à jour" in response.content.decode()
    again = sam_client.post(url, {"sitting": past_sitting.pk,
                                  "file": SimpleUploadedFile("delib.csv", data)})
    assert "0 rapport(s) créé(s), 52 mis à jour" in again.content.decode()
    assert past_sitting.reports.count() == 52

    export = sam_client.get(reverse("council:sitting-scdl",
                                    args=[workspace.slug, past_sitting.code]))
    assert export["Content-Type"].startswith("text/csv")
    parsed = scdl.read_csv(export.content)
    assert len(parsed.rows) == 52
    # What the group does not know is left empty (the council's SIRET, subject codes).
    assert {p.column for p in parsed.problems} <= {"COLL_SIRET", "DELIB_MATIERE_CODE",
                                                   "DELIB_MATIERE_NOM"}
    original = scdl.read_csv(data)
    assert {r.delib_id for r in parsed.rows} == {r.delib_id for r in original.rows}
    assert parsed.rows[0].delib_date == timezone.localdate(past_sitting.starts_at)


def test_a_scdl_file_without_its_columns_writes_nothing(sam_client, workspace, sitting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("council:scdl-import", args=[workspace.slug])
    response = sam_client.post(url, {"sitting": sitting.pk, "file": SimpleUploadedFile(
        "x.csv", b"A;B\n1;2\n")})
    assert "colonne obligatoire absente" in response.content.decode()
    assert not sitting.reports.exists()


def test_a_report_due_date_defaults_to_two_days_before_its_sitting(workspace, sitting, sam):
    report = make_report(workspace, sitting, "DAT/2026/1", "Point", "Texte.")
    report_assign(report=report, users=[sam])
    assert report.due_date == timezone.localdate(sitting.starts_at) - datetime.timedelta(2)


def test_editing_a_reports_text_through_the_form_updates_its_entities_and_index(
        sam_client, workspace, sitting):
    from hemicycle.council.search import report_search

    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages",
                         "La commune de Fourmies reçoit 1 000 €.")
    url = reverse("council:report-edit", args=[workspace.slug, report.code])
    sam_client.post(url, {"sitting": sitting.pk, "number": "DAT/2026/81",
                          "title": "Aide aux villages", "decision": "",
                          "text": "La commune de Bavay reçoit 2 500 € pour son école."})
    report.refresh_from_db()
    assert [p["name"] for p in report.entities["places"]] == ["Bavay"]
    assert [h.object for h in report_search(workspace, "école bavay").hits] == [report]


def test_moving_a_sitting_to_another_year_moves_its_reports_in_the_year_filter(
        sam_client, workspace, sitting):
    from hemicycle.council.search import Filters, report_search

    report = make_report(workspace, sitting, "DAT/2026/81", "Aide aux villages", "Texte.")
    url = reverse("council:sitting-edit", args=[workspace.slug, sitting.code])
    sam_client.post(url, {"body": sitting.body.pk, "title": sitting.title,
                          "starts_at": "2031-03-02T14:00", "status": "announced"})
    in_2031 = Filters(date_from=datetime.date(2031, 1, 1), date_to=datetime.date(2031, 12, 31))
    assert [h.object for h in report_search(workspace, "villages", in_2031).hits] == [report]
