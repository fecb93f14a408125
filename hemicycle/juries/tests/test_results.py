"""Results: decision list (CSV, XLSX, DOCX), the public transparency page, open data,
notification e-mails, the history per canton; GDPR export and purge."""

import io

import pytest
from django.urls import reverse

from hemicycle.juries.models import Application
from hemicycle.juries.services import results
from hemicycle.juries.tests.conftest import make_application, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(campaign):
    make_application(campaign, 1, 9000, status="granted", granted_amount=9000,
                     structure_name="Toit Partagé", identifier="W595012311",
                     category="Solidarité")
    make_application(campaign, 2, 4000, status="refused",
                     decision_reason="Il ne restait que 1 000 €.")
    return campaign


def test_the_decision_list_exports_in_three_formats(sam_client, workspace, decided):
    args = [workspace.slug, decided.code]
    csv_text = sam_client.get(reverse("juries:decisions-csv", args=args)).content.decode()
    assert "Toit Partagé;W595012311;" in csv_text and "Association 2" not in csv_text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(sam_client.get(reverse("juries:decisions-xlsx",
                                                           args=args)).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "Toit Partagé" and rows[1][4] == 9000 and rows[-1][4] == 9000
    from docx import Document

    document = Document(io.BytesIO(sam_client.get(reverse("juries:decisions-docx",
                                                          args=args)).content))
    cells = [c.text for c in document.tables[0].rows[1].cells]
    assert cells[0] == "Toit Partagé" and cells[4].startswith("9")


def test_the_transparency_page_shows_results_once_published(client, decided):
    url = reverse("juries:campaign-public", args=[decided.public_slug])
    assert "Toit Partagé" not in client.get(url).content.decode()
    assert client.get(reverse("juries:open-data", args=[decided.public_slug])
                      ).status_code == 404
    decided.published = True
    decided.save()
    body = client.get(url).content.decode()
    assert "Toit Partagé" in body and "Transition écologique" in body
    data = client.get(reverse("juries:open-data", args=[decided.public_slug])).content.decode()
    assert "Toit Partagé" in data and "c1@example.org" not in data


def test_an_unknown_campaign_is_a_404(client):
    assert client.get(reverse("juries:campaign-public", args=["inconnu"])).status_code == 404


def test_applicants_are_notified_once(sam_client, workspace, decided, inbox,
                                      django_capture_on_commit_callbacks):
    url = reverse("juries:applications-notify", args=[workspace.slug, decided.code])
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url)
    bodies = {m["To"]: m.get_body(preferencelist=("plain",)).get_content()
              for m in inbox.messages}
    assert "9000 €" in bodies["c1@example.org"]
    assert "Il ne restait que 1 000 €." in bodies["c2@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url)
    assert len(inbox.messages) == 2


def test_the_history_per_canton_has_a_chart(sam_client, workspace, decided):
    older = make_campaign(workspace, slug="ail-2020", open_=False, year=2020)
    make_application(older, 1, 3000, status="granted", granted_amount=3000)
    response = sam_client.get(reverse("juries:history", args=[workspace.slug]),
                              {"canton": "59025"})
    body = response.content.decode()
    assert "<svg" in body and "2020" in body and "Solidarité" in body
    data = results.canton_history(workspace)
    assert sum(data["by_year"].values()) == 12000
    # One chart per view: by year, by theme, by commune.
    assert body.count('class="bar-chart"') == 3
    assert 'aria-label="Montants accordés par thème"' in body


def test_a_long_tail_of_communes_is_summed_in_one_last_bar():
    items = [(f"Commune {i}", 100 * (20 - i)) for i in range(20)]
    svg = results.hbar_chart(items, title="Par commune", limit=5)
    assert svg.count("<rect") == 5 and "Autres" in svg
    assert "Commune 5" not in svg  # folded into "Autres"
    assert results.hbar_chart([("Rien", 0)], title="Vide") == ""


def test_personal_data_of_an_applicant_is_in_the_gdpr_export(decided, alice):
    from hemicycle.core.privacy import personal_data_export

    Application.objects.filter(number=1).update(contact_email=alice.email)
    data = personal_data_export(alice)
    assert data["juries"]["applications"][0]["structure"] == "Toit Partagé"
