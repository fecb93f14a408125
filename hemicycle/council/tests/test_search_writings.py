"""The group's own writings and analysis notes in the same search box as the council's
reports: indexed on save, removed on delete, workspace-scoped, with the "type" facet (the
same tests run on SQLite's FTS5 and PostgreSQL's GIN index)."""

import pytest
from django.urls import reverse

from hemicycle.council.models import SearchEntry
from hemicycle.council.search import Filters, report_search
from hemicycle.writings.models import Writing
from hemicycle.writings.services import note_save, writing_create, writing_update

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def velo(workspace, sitting):
    return make_report(
        workspace, sitting, "DVD/2026/131", "Véloroute de la Deûle",
        "La mobilité douce progresse : une véloroute relie Haubourdin à Lille.",
        policy_area="Mobilités")


@pytest.fixture
def speech(workspace, alice, velo):
    return writing_create(
        workspace=workspace, by=alice, kind=Writing.Kind.SPEECH,
        title="Intervention sur la véloroute de la Deûle",
        body="Monsieur le Président, **nos** pistes cyclables relient enfin les quartiers "
             "populaires aux parcs de la Deûle.", report=velo)


def kinds_and_titles(results):
    return [(hit.kind, getattr(hit.object, "title", "")) for hit in results.hits]


def test_a_writing_is_found_with_its_kind_and_a_link_to_its_page(workspace, speech):
    results = report_search(workspace, "cyclables")
    assert results.total == 1
    hit = results.hits[0]
    assert hit.kind == "writing"
    assert hit.object.title == "Intervention sur la véloroute de la Deûle"
    assert hit.object.label == "Intervention"
    assert hit.object.url == reverse("writings:writing-detail",
                                     args=[workspace.slug, speech.code])
    assert "<mark>cyclables</mark>" in hit.snippet and "**" not in hit.snippet


def test_reports_and_writings_come_together_ranked(workspace, velo, speech):
    results = report_search(workspace, "véloroute", counts=True)
    assert {hit.kind for hit in results.hits} == {"report", "writing"}
    assert results.kind_counts == {"report": 1, "document": 0, "writing": 1}


def test_an_edited_writing_is_reindexed_and_a_deleted_one_leaves_the_index(
        workspace, alice, speech):
    writing_update(writing=speech, by=alice, body="Nous voterons pour ce budget cyclable.")
    assert report_search(workspace, "quartiers").total == 0
    assert report_search(workspace, "budget").total == 1
    speech.delete()
    assert report_search(workspace, "budget").total == 0
    assert not SearchEntry.objects.filter(source="writing").exists()


def test_a_note_is_found_and_links_to_the_work_on_its_report(workspace, alice, velo):
    note = note_save(report=velo, by=alice, status="draft",
                     body="## Points d'attention\nLe coût d'entretien des passerelles.")
    hit = report_search(workspace, "passerelles").hits[0]
    assert hit.kind == "writing" and hit.object.label == "Note d'analyse"
    assert hit.object.url == reverse("writings:report-work", args=[workspace.slug, velo.code])
    velo.delete()  # the note goes with its report, and out of the index
    assert not SearchEntry.objects.filter(source="note", source_id=note.pk).exists()


def test_another_workspace_never_sees_the_group_writings(other_workspace, speech):
    assert report_search(other_workspace, "cyclables").total == 0


def test_the_type_facet_narrows_to_one_kind(workspace, velo, speech):
    only = report_search(workspace, "véloroute", Filters(kind="writing"))
    assert kinds_and_titles(only) == [("writing", "Intervention sur la véloroute de la Deûle")]
    reports = report_search(workspace, "véloroute", Filters(kind="report"))
    assert [hit.kind for hit in reports.hits] == ["report"]


def test_the_writing_kind_facet(workspace, alice, speech):
    writing_create(workspace=workspace, by=alice, kind=Writing.Kind.PRESS_RELEASE,
                   title="Communiqué : la véloroute enfin ouverte", body="Les cyclables …")
    found = report_search(workspace, "véloroute", Filters(writing_kind="press_release"))
    assert [hit.object.label for hit in found.hits] == ["Communiqué de presse"]
    assert report_search(workspace, "véloroute", Filters(writing_kind="speech")).total == 1


def test_report_only_facets_leave_writings_out(workspace, velo, speech):
    found = report_search(workspace, "véloroute", Filters(policy_area="Mobilités"))
    assert [hit.kind for hit in found.hits] == ["report"]


def test_the_search_page_shows_writings_with_their_kind(alice_client, workspace, speech):
    page = alice_client.get(reverse("council:search", args=[workspace.slug]),
                            {"q": "cyclables"})
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("writings:writing-detail", args=[workspace.slug, speech.code]) in html
    assert "Intervention" in html and 'data-testid="kind-writing"' in html


def test_the_search_command_lists_writings_and_rebuilds_the_index(workspace, speech, capsys):
    import json

    from django.core.management import call_command

    SearchEntry.objects.filter(source="writing").delete()
    call_command("search", "cyclables", "--workspace", workspace.slug, "--json")
    assert json.loads(capsys.readouterr().out)["total"] == 0
    call_command("search", "cyclables", "--workspace", workspace.slug, "--json", "--rebuild")
    out = capsys.readouterr().out
    data = json.loads(out[out.index("{"):])
    assert data["total"] == 1 and data["counts"]["writing"] == 1
    assert data["hits"][0]["kind"] == "writing" and data["hits"][0]["label"] == "Intervention"
