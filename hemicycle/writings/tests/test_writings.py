from django.urls import reverse

from hemicycle.writings import services
from hemicycle.writings.models import Writing, WritingVersion


def url(name, obj=None, slug="ecolo-nord"):
    return reverse(f"writings:{name}", args=[slug, obj.code] if obj else [slug])


def amendment_data(report, **extra):
    return {
        "kind": "amendment", "title": "Amendement n° 1 au rapport DAT/2024/112",
        "report": report.pk, "original_text": "l'enveloppe s'élève à 87 458 € en 2024",
        "proposed_text": "l'enveloppe s'élève à 95 000 € en 2024, attribuée par un jury citoyen",
        "body": "Les associations du canton ont besoin de **plus de moyens**.",
        **extra}


def test_a_staff_member_files_an_amendment_and_sees_its_word_diff(sam_client, report):
    response = sam_client.post(url("writing-create"), amendment_data(report))
    assert response.status_code == 302
    writing = Writing.objects.get()
    assert writing.sitting == report.sitting  # taken from the report
    assert writing.versions.count() == 1
    page = sam_client.get(url("writing-detail", writing)).content.decode()
    assert "<del>87 458</del><ins>95 000</ins>" in page
    assert "<ins>, attribuée par un jury citoyen</ins>" in page
    assert "<strong>plus de moyens</strong>" in page


def test_an_amendment_names_the_paragraph_it_aims_at_and_other_kinds_do_not_keep_one(
        sam_client, report):
    sam_client.post(url("writing-create"), amendment_data(report, paragraph="Article 2, alinéa 3"))
    amendment = Writing.objects.get()
    assert amendment.paragraph == "Article 2, alinéa 3"
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert 'data-testid="paragraph">Article 2, alinéa 3<' in page
    sam_client.post(url("writing-create"), {"kind": "speech", "title": "Intervention",
                                            "report": report.pk, "paragraph": "Article 9"})
    assert Writing.objects.get(kind="speech").paragraph == ""


def test_changing_only_the_paragraph_of_an_amendment_makes_a_version_with_its_diff(
        sam_client, report):
    sam_client.post(url("writing-create"), amendment_data(report, paragraph="Article 2, alinéa 3"))
    amendment = Writing.objects.get()
    sam_client.post(url("writing-edit", amendment),
                    amendment_data(report, paragraph="Article 2, alinéa 4"))
    versions = list(amendment.versions.order_by("number"))
    assert [(v.number, v.paragraph) for v in versions] == [(1, "Article 2, alinéa 3"),
                                                         (2, "Article 2, alinéa 4")]
    page = sam_client.get(url("version-detail", versions[1])).content.decode()
    assert "<del>3</del>" in page and "<ins>4</ins>" in page


def test_an_amendment_needs_a_report_and_a_proposed_text(sam_client):
    response = sam_client.post(url("writing-create"), {
        "kind": "amendment", "title": "Sans rapport", "body": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Un amendement porte sur un rapport." in body
    assert "Indiquez le texte proposé." in body
    assert not Writing.objects.exists()


def test_each_save_keeps_a_version_and_versions_show_their_diff(sam_client, sam, report):
    writing = services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                                      title="Intervention AIL", body="Chers collègues, merci.",
                                      report=report)
    data = {"kind": "speech", "title": "Intervention AIL", "report": report.pk,
            "body": "Chers collègues, nous voterons pour."}
    assert sam_client.post(url("writing-edit", writing), data).status_code == 302
    # saving the same text again makes no new version
    sam_client.post(url("writing-edit", writing), data)
    versions = list(writing.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    page = sam_client.get(url("version-detail", versions[1])).content.decode()
    assert "<del>merci</del>" in page and "<ins>nous voterons pour</ins>" in page


def test_a_speech_shows_its_word_count_and_speaking_time(sam_client, sam, workspace, member):
    writing = services.writing_create(workspace=workspace, by=sam, kind="speech",
                                      title="Long discours", body=" ".join(["mot"] * 325),
                                      speaker=member)
    assert writing.word_count == 325 and writing.speaking_seconds == 150
    page = sam_client.get(url("writing-detail", writing)).content.decode()
    assert "2 min 30 s" in page


def test_the_workflow_goes_from_draft_to_review_to_final(sam_client, sam, workspace):
    writing = services.writing_create(workspace=workspace, by=sam, kind="motion",
                                      title="Vœu budget participatif", body="Texte")
    sam_client.post(url("writing-status", writing), {"status": "review"})
    writing.refresh_from_db()
    assert writing.status == "review"
    sam_client.post(url("writing-status", writing), {"status": "final"})
    writing.refresh_from_db()
    assert writing.status == "final"
    assert list(writing.versions.values_list("status", flat=True).order_by("number")) == [
        "draft", "review", "final"]
    sam_client.post(url("writing-status", writing), {"status": "published"})
    writing.refresh_from_db()
    assert writing.status == "final"


def test_an_elected_member_edits_only_their_own_writings(elodie_client, elodie, sam, workspace):
    theirs = services.writing_create(workspace=workspace, by=elodie, kind="oral_question",
                                     title="Ma question", body="?")
    staffs = services.writing_create(workspace=workspace, by=sam, kind="press_release",
                                     title="Communiqué", body="!")
    assert elodie_client.get(url("writing-edit", theirs)).status_code == 200
    assert elodie_client.get(url("writing-edit", staffs)).status_code == 403
    assert elodie_client.post(url("writing-status", staffs), {"status": "final"}).status_code == 403


def test_an_observer_reads_but_cannot_create(bob_client, sam, workspace):
    writing = services.writing_create(workspace=workspace, by=sam, kind="speech",
                                      title="Lecture seule", body="x")
    assert bob_client.get(url("writing-detail", writing)).status_code == 200
    assert bob_client.get(url("writing-index")).status_code == 200
    assert bob_client.get(url("writing-create")).status_code == 403


def test_an_outsider_gets_404(charlie_client, sam, workspace):
    writing = services.writing_create(workspace=workspace, by=sam, kind="speech",
                                      title="Secret", body="x")
    assert charlie_client.get(url("writing-detail", writing)).status_code == 404
    version = WritingVersion.objects.get()
    assert charlie_client.get(url("version-detail", version, slug="autre-groupe")
                              ).status_code == 404


def test_a_report_of_another_workspace_cannot_be_linked(sam_client, other_workspace):
    from hemicycle.writings.tests.conftest import make_report, make_sitting

    foreign = make_report(make_sitting(other_workspace))
    response = sam_client.post(url("writing-create"), amendment_data(foreign))
    assert response.status_code == 200
    assert not Writing.objects.exists()


def test_the_create_form_is_prefilled_from_a_report(sam_client, report):
    page = sam_client.get(url("writing-create") + f"?type=amendment&rapport={report.code}")
    body = page.content.decode()
    assert "Amendement au rapport DAT/2024/112" in body
    assert f'<option value="{report.pk}" selected>' in body


def test_the_index_filters_by_kind(sam_client, sam, workspace):
    services.writing_create(workspace=workspace, by=sam, kind="speech", title="Discours A")
    services.writing_create(workspace=workspace, by=sam, kind="motion", title="Vœu B")
    body = sam_client.get(url("writing-index") + "?type=motion").content.decode()
    assert "Vœu B" in body and "Discours A" not in body
