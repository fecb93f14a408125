"""Ingestion fills each report's direction and examining commission from its first lines,
matched to the assembly's thematic commissions, and never overwrites what a user set."""

import pytest
from django.urls import reverse

from hemicycle.council.models import Body, Document, Report, SplitDraft
from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run
from hemicycle.council.services.splits import split_draft_save
from hemicycle.council.services.structure import report_save

pytestmark = pytest.mark.django_db

BUNDLE = """\
DÉPARTEMENT DU NORD
Commission permanente du 14 décembre 2026
SOMMAIRE
DAT/2026/97 – Programmation complémentaire des aides aux villages et bourgs
DAT/2026/98 – Rénovation de la salle polyvalente de Bavay
DEF/2026/71 – Accueil des mineurs non accompagnés
\f
RAPPORT N° DAT/2026/97
DIRECTION DE L'AMÉNAGEMENT DU TERRITOIRE
Commission : Aménagement du territoire et ruralité
OBJET : Programmation complémentaire des aides aux villages et bourgs
La commune de Lille reçoit une aide de 352 800 €.
\f
RAPPORT N° DAT/2026/98
OBJET : Rénovation de la salle polyvalente de Bavay
Examiné en commission Aménagement du territoire le 6 décembre 2026.
La commune de Bavay reçoit une aide de 120 000 €.
\f
RAPPORT N° DEF/2026/71
DIRECTION GÉNÉRALE ADJOINTE CHARGÉE DE LA SOLIDARITÉ
Direction Enfance famille
VU l'avis favorable de la commission Solidarites, sante du 2 décembre 2026,
OBJET : Accueil des mineurs non accompagnés
Une subvention de 4 780 000 € est attribuée à La Sauvegarde du Nord.
"""


@pytest.fixture
def commissions(workspace):
    return {
        "territory": Body.objects.create(
            workspace=workspace, name="Commission Aménagement du territoire, ruralité",
            kind=Body.Kind.COMMISSION, policy_area="Aménagement du territoire"),
        "solidarity": Body.objects.create(
            workspace=workspace, name="Commission Solidarités, santé et autonomie",
            kind=Body.Kind.COMMISSION, policy_area="Solidarités"),
        "finance": Body.objects.create(
            workspace=workspace, name="Commission Finances et ressources",
            kind=Body.Kind.COMMISSION),
    }


def ingest(workspace, sitting, name, data, role=""):
    batch = ingestion_batch_create(workspace=workspace, sitting=sitting, role=role,
                                   files=[(name, data)])
    ingestion_batch_run(batch)
    return {report.number: report for report in Report.objects.filter(workspace=workspace)
            .select_related("commission")}


def test_a_bundles_reports_get_their_direction_and_commission(workspace, sitting,
                                                               commissions):
    reports = ingest(workspace, sitting, "cp_decembre.txt", BUNDLE.encode(),
                     role=Document.Role.BUNDLE)
    assert set(reports) == {"DAT/2026/97", "DAT/2026/98", "DEF/2026/71"}
    first, second, third = (reports[n] for n in ("DAT/2026/97", "DAT/2026/98",
                                                 "DEF/2026/71"))
    assert first.direction == "Direction de l'aménagement du territoire"
    assert first.commission == commissions["territory"]
    assert first.policy_area == "Aménagement du territoire"  # the commission's
    # No direction line: the code of its number, DAT, stands for its neighbour's.
    assert second.direction == "Direction de l'aménagement du territoire"
    assert second.commission == commissions["territory"]
    # The direction under its DGA; the commission cited without accents, in part.
    assert third.direction == "Direction Enfance famille"
    assert third.commission == commissions["solidarity"]
    assert third.policy_area == "Solidarités"


def test_what_a_user_set_is_kept_when_the_split_is_saved_again(workspace, sitting,
                                                                 commissions, sam_client):
    reports = ingest(workspace, sitting, "cp_decembre.txt", BUNDLE.encode(),
                     role=Document.Role.BUNDLE)
    first = reports["DAT/2026/97"]
    report_save(workspace=workspace, report=first, direction="Pôle Aménagement",
                commission=commissions["finance"], policy_area="Ruralité")
    third = reports["DEF/2026/71"]
    report_save(workspace=workspace, report=third, direction="", commission=None)
    split_draft_save(draft=SplitDraft.objects.get(document=first.source_document))
    first.refresh_from_db()
    assert (first.direction, first.commission, first.policy_area) == (
        "Pôle Aménagement", commissions["finance"], "Ruralité")
    third.refresh_from_db()  # emptied fields are read again from the text
    assert (third.direction, third.commission) == ("Direction Enfance famille",
                                                   commissions["solidarity"])
    page = sam_client.get(reverse("council:report-detail", args=[workspace.slug, first.code]))
    assert "Pôle Aménagement" in page.content.decode()


def test_a_report_alone_gets_the_known_spelling_of_its_direction(workspace, sitting,
                                                                  commissions):
    Report.objects.create(workspace=workspace, title="Ancien rapport", number="DVD/2025/3",
                          direction="Direction de la Voirie départementale")
    data = ("RAPPORT N° DVD/2026/131\nDIRECTION DE LA VOIRIE DÉPARTEMENTALE\n"
            "Commission thématique : Finances et ressources\n"
            "OBJET : Véloroute de la Deûle entre Haubourdin et Lille\n\n"
            "La véloroute coûtera 2 150 000 €.\n").encode()
    report = ingest(workspace, sitting, "velo.txt", data)["DVD/2026/131"]
    assert report.direction == "Direction de la Voirie départementale"
    assert report.commission == commissions["finance"]
    assert report.policy_area == ""  # that commission has none


def test_a_commission_of_another_workspace_is_never_matched_its_name_gives_the_area(
        workspace, sitting, other_workspace):
    Body.objects.create(workspace=other_workspace, kind=Body.Kind.COMMISSION,
                        name="Commission Aménagement du territoire, ruralité")
    reports = ingest(workspace, sitting, "cp_decembre.txt", BUNDLE.encode(),
                     role=Document.Role.BUNDLE)
    assert all(report.commission is None for report in reports.values())
    assert reports["DAT/2026/97"].direction  # the direction needs no body
    # nor does the policy area: the commission's name, as the report gives it
    assert reports["DAT/2026/97"].policy_area == "Aménagement du territoire et ruralité"
