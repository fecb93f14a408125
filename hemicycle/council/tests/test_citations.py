"""Reports linked to the organisations of the actors directory that they name."""

import pytest
from django.urls import reverse

from hemicycle.actors import services as actor_services
from hemicycle.actors.models import Actor
from hemicycle.council.citations import CitationFinder, name_variants
from hemicycle.council.models import Citation
from hemicycle.council.services import citations
from hemicycle.council.tests.conftest import make_report

TEXT = ("Le Département attribue 12 000 € à l'association Habitat Jeunes en Trégor et "
        "5 000 € à Nord Nature Environnement. NORD NATURE ENVIRONNEMENT animera aussi "
        "le Comité des fêtes de Lille. Emmaüs et les amis de la terre sont cités en passant.")


def test_known_names_are_found_in_sentence_case_and_without_their_generic_lead():
    finder = CitationFinder([
        ("ASSOCIATION HABITAT JEUNES EN TREGOR", "a:1"), ("Nord Nature Environnement", "a:2"),
        ("COMITE DES FETES DE LILLE", "a:3"), ("Emmaüs", "a:4"),
        ("Les Amis de la Terre", "a:5")])

    found = {citation.reference: citation.count for citation in finder.find(TEXT)}

    # One-word names are too vague to link; "les amis de la terre" has no capital.
    assert found == {"a:1": 1, "a:2": 2, "a:3": 1}


def test_vague_names_give_no_variant():
    assert name_variants("Emmaüs") == []
    assert name_variants("AS Lys") == []  # too short to be told from ordinary words
    assert name_variants("Association des Parents d'Élèves") == [
        "Association des parents d'élèves", "Parents d'élèves"]


def _organisation(workspace, name, **data):
    return actor_services.actor_create(workspace=workspace, data={
        "type": Actor.Type.ORGANISATION, "kind": Actor.Kind.ASSOCIATION, "name": name, **data})


@pytest.mark.django_db
def test_reports_are_linked_to_the_organisations_they_name_and_both_pages_show_it(
        workspace, other_workspace, sitting, bob_client):
    nature = _organisation(workspace, "Nord Nature Environnement")
    _organisation(workspace, "Comité des fêtes de Lille", dissolved_on="2020-01-01")
    _organisation(other_workspace, "Habitat Jeunes en Trégor")
    report = make_report(workspace, sitting, "DEV/2025/12", "Subventions environnement", TEXT)

    assert citations.citations_rebuild(workspace) == 1

    citation = Citation.objects.get(report=report)
    assert (citation.reference, citation.count) == (f"actors.actor:{nature.code}", 2)
    report_page = bob_client.get(reverse("council:report-detail",
                                         args=[workspace.slug, report.code])).content.decode()
    actor_url = reverse("actors:actor-detail", args=[workspace.slug, nature.code])
    assert f'href="{actor_url}"' in report_page
    actor_page = bob_client.get(actor_url).content.decode()
    assert 'data-testid="reports-citing"' in actor_page
    assert "Subventions environnement" in actor_page


@pytest.mark.django_db
def test_a_merged_or_erased_organisation_is_no_longer_linked(workspace, sitting):
    nature = _organisation(workspace, "Nord Nature Environnement")
    report = make_report(workspace, sitting, "1", "Subventions", TEXT)
    citations.citations_rebuild(workspace)
    assert report.citations.count() == 1

    Actor.objects.filter(pk=nature.pk).update(dissolved_on="2024-01-01")
    citations.citations_rebuild(workspace)

    assert report.citations.count() == 0


@pytest.mark.django_db
def test_the_command_links_a_whole_workspace(workspace, sitting, capsys):
    from django.core.management import call_command

    _organisation(workspace, "Nord Nature Environnement")
    make_report(workspace, sitting, "1", "Subventions", TEXT)
    call_command("council_citations", "--workspace", workspace.slug)
    assert "1 citation(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_ingested_reports_are_linked_and_ingested_minutes_give_the_attendance(
        workspace, past_sitting, sam):
    from hemicycle.council.models import Report
    from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run
    from hemicycle.council.tests.conftest import DATA

    sauvegarde = _organisation(workspace, "La Sauvegarde du Nord")
    report_txt = ("RAPPORT N° DEF/2026/71\nOBJET : Accueil des mineurs non accompagnés\n\n"
                  "Une subvention de 4 780 000 € est attribuée à l'association La Sauvegarde "
                  "du Nord pour l'accueil à Villeneuve-d'Ascq.\n").encode()
    batch = ingestion_batch_create(workspace=workspace, by=sam, sitting=past_sitting,
                                   files=[("mna.txt", report_txt)])
    ingestion_batch_run(batch)
    report = Report.objects.get(workspace=workspace, number="DEF/2026/71")
    assert [c.reference for c in report.citations.all()] == [
        f"actors.actor:{sauvegarde.code}"]

    minutes = (DATA / "pv_cm_lannion_2021-07-05.pdf").read_bytes()
    batch = ingestion_batch_create(workspace=workspace, by=sam, sitting=past_sitting,
                                   role="minutes", files=[("pv.pdf", minutes)])
    ingestion_batch_run(batch)
    assert past_sitting.attendances.count() == 33
