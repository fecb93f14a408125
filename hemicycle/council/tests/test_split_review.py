"""The review of a split: real minutes of Couthenans are ingested, their proposed split
is corrected on the review screen (merge, rename, split, move) and saved into reports."""

import pytest
from django.urls import reverse

from hemicycle.council.models import Document, Report, SplitDraft
from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run

from .conftest import DATA
from .test_splitting import couthenans_ground_truth, found

pytestmark = pytest.mark.django_db

MINUTES = "couthenans_CR_reunion_20211126.pdf"


@pytest.fixture
def minutes(workspace, sitting) -> Document:
    batch = ingestion_batch_create(workspace=workspace, sitting=sitting, role="minutes",
                                   files=[(MINUTES, (DATA / MINUTES).read_bytes())])
    ingestion_batch_run(batch)
    return Document.objects.get(workspace=workspace)


def titles(document) -> list[str]:
    return list(Report.objects.filter(source_document=document).order_by("rank")
                .values_list("title", flat=True))


def test_minutes_are_split_into_the_agenda_items_of_the_session(minutes):
    items = couthenans_ground_truth()[MINUTES]
    found_titles = titles(minutes)
    assert all(found(item, found_titles) for item in items), (items, found_titles)
    assert SplitDraft.objects.get(document=minutes).reports


def test_the_review_screen_shows_the_proposed_split(sam_client, workspace, minutes):
    url = reverse("council:document-split", args=[workspace.slug, minutes.code])
    page = sam_client.get(url + "?ouvert=1")
    assert page.status_code == 200
    html = page.content.decode()
    for title in titles(minutes)[:3]:
        assert title.split()[0] in html
    assert 'name="offset"' in html  # the lines of the opened report


def test_a_staff_member_merges_renames_splits_moves_and_saves(sam_client, workspace,
                                                              minutes, sitting):
    url = reverse("council:document-split", args=[workspace.slug, minutes.code])
    draft = SplitDraft.objects.get(document=minutes)
    before = len(draft.reports)

    sam_client.post(url, {"operation": "merge", "index": "0"})
    draft.refresh_from_db()
    assert len(draft.reports) == before - 1

    sam_client.post(url, {"operation": "rename", "index": "0", "title": "Budget et tarifs",
                          "number": "2021-11-1"})
    draft.refresh_from_db()
    assert (draft.reports[0]["title"], draft.reports[0]["number"]) == ("Budget et tarifs",
                                                                        "2021-11-1")

    first = draft.reports[0]
    middle = minutes.text.index("\n", (first["start"] + first["end"]) // 2) + 1
    sam_client.post(url, {"operation": "split", "offset": str(middle), "index": "0"})
    draft.refresh_from_db()
    assert len(draft.reports) == before
    assert draft.reports[1]["start"] == middle and draft.reports[1]["method"] == "manual"

    later = minutes.text.index("\n", middle + 1) + 1
    sam_client.post(url, {"operation": "move", "index": "1", "offset": str(later)})
    draft.refresh_from_db()
    assert draft.reports[0]["end"] == draft.reports[1]["start"] == later

    response = sam_client.post(url, {"operation": "save"})
    assert response.status_code == 302
    reports = list(Report.objects.filter(source_document=minutes).order_by("rank"))
    assert len(reports) == before
    assert (reports[0].number, reports[0].title) == ("2021-11-1", "Budget et tarifs")
    assert reports[0].text.strip() == minutes.text[first["start"]:later].replace(
        "\f", "\n\n").strip("\n\f ")
    assert all(report.sitting == sitting for report in reports)


def test_a_bad_edit_changes_nothing_and_says_why(sam_client, workspace, minutes):
    url = reverse("council:document-split", args=[workspace.slug, minutes.code])
    draft = SplitDraft.objects.get(document=minutes)
    last = str(len(draft.reports) - 1)
    response = sam_client.post(url, {"operation": "merge", "index": last}, follow=True)
    assert "Le dernier rapport n&#x27;a pas de suivant." in response.content.decode()
    response = sam_client.post(url, {"operation": "move", "index": "0", "offset": "-5"},
                               follow=True)
    assert "Position inconnue" in response.content.decode()
    assert SplitDraft.objects.get(document=minutes).reports == draft.reports


def test_an_observer_sees_the_split_but_cannot_change_it(bob_client, charlie_client,
                                                         workspace, minutes):
    url = reverse("council:document-split", args=[workspace.slug, minutes.code])
    assert bob_client.get(url).status_code == 200
    assert bob_client.post(url, {"operation": "merge", "index": "0"}).status_code == 403
    assert charlie_client.get(url).status_code == 404
