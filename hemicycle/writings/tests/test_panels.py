from django.urls import reverse

from hemicycle.core.privacy import personal_data_export
from hemicycle.council.models import Vote
from hemicycle.writings import services
from hemicycle.writings.panels import report_panel
from hemicycle.writings.tests.conftest import make_report


def test_the_dashboard_lists_writings_to_review_and_undecided_reports(
        sam_client, sam, alice, workspace, sitting, report):
    decided = make_report(sitting, rank=2, number="DAT/2024/113", title="Dotations collèges")
    services.position_decide(report=decided, by=alice, vote=Vote.FOR)
    services.writing_create(workspace=workspace, by=sam, kind="speech", title="À relire vite",
                            status="review")
    services.writing_create(workspace=workspace, by=sam, kind="speech", title="Brouillon caché")
    page = sam_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert 'data-testid="panel-writings"' in page
    page = page.split('data-testid="panel-writings"')[1].split("</section>")[0]
    assert "À relire vite" in page and "Brouillon caché" not in page
    assert "DAT/2024/112" in page and "DAT/2024/113" not in page


def test_the_nav_has_an_ecrits_entry(sam_client, workspace):
    page = sam_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert reverse("writings:writing-index", args=[workspace.slug]) in page
    assert "Écrits" in page


def test_the_report_panel_renders_for_the_council_page(rf, sam, report, workspace):
    from django.template.loader import render_to_string

    from hemicycle.accounts.models import Membership

    services.note_save(report=report, by=sam, body="**Avis** favorable", status="ready")
    request = rf.get("/")
    request.user, request.workspace = sam, workspace
    request.membership = Membership.objects.get(user=sam)
    panel = report_panel(request, report)
    html = render_to_string("writings/_report_panel.html",
                            {"panel": panel, "workspace": workspace}, request=request)
    assert "<strong>Avis</strong> favorable" in html
    assert panel["can_propose"] and not panel["can_decide"]


def test_the_gdpr_export_lists_what_a_user_wrote(sam, alice, elodie, workspace, report):
    services.writing_create(workspace=workspace, by=sam, kind="motion", title="Vœu de Sam",
                            body="Texte du vœu")
    services.note_save(report=report, by=sam, body="Note de Sam", status="draft")
    services.position_decide(report=report, by=elodie, vote=Vote.AGAINST, explanation="Non.")
    data = personal_data_export(sam)["writings"]
    assert data["writings"][0]["title"] == "Vœu de Sam"
    assert data["writings"][0]["versions"][0]["number"] == 1
    assert data["notes"][0]["body"] == "Note de Sam"
    assert personal_data_export(elodie)["writings"]["decided_votes"][0]["vote"] == "against"
    assert "writings" not in personal_data_export(alice)
    from hemicycle.writings.drafting import draft_request

    draft_request(by=alice, messages=[{"role": "user", "content": "Rédige"}], report=report)
    drafts = personal_data_export(alice)["writings"]["draft_proposals"]
    assert drafts[0]["messages"][0]["content"] == "Rédige"
