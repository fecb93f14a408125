"""The group's work on a report in a real browser: write a note, decide the vote with an
explanation, change a vote on the sheet (htmx), export the sheet as PDF.

Same set-up as hemicycle/core/tests/test_browser.py: Debian's Chromium, skipped when
there is none (failed under CI)."""

import re

import pypdfium2
import pytest
from django.conf import settings
from django.urls import reverse

from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures
from hemicycle.writings.models import Note, Position, Writing
from hemicycle.writings.tests.conftest import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_writes_a_note_decides_the_vote_and_exports_the_vote_sheet(
        page, live_server, alice, sitting, report, member):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    second = make_report(sitting, rank=2, number="DSOL/2024/30",
                         title="Schéma départemental de l’autonomie", text="")
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    slug = report.workspace.slug

    page.goto(reverse("writings:report-work", args=[slug, report.code]))
    page.fill("input[name=email]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_have_text(report.title)

    # The note starts from the automatic synthesis; the member adds an opinion.
    page.get_by_role("link", name="Rédiger la note (pré-remplie par la synthèse)").click()
    body = page.locator("textarea[name=body]")
    expect(body).to_have_value(re.compile("Synthèse automatique"))
    body.fill(body.input_value() + "\nNous proposons de voter **contre** : enveloppe en baisse.")
    page.select_option("select[name=status]", "ready")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.locator("[data-testid=note-body]")).to_contain_text(
        "Nous proposons de voter contre")

    # The group's vote, with its explanation.
    form = page.locator("[data-testid=decide-form]")
    form.locator("select[name=vote]").select_option("against")
    form.locator("textarea[name=explanation]").fill("L’enveloppe AIL baisse encore cette année.")
    form.get_by_role("button", name="Enregistrer le vote du groupe").click()
    expect(page.locator("[data-testid=decided-vote]")).to_contain_text("Contre")
    expect(page.locator("[data-testid=explanation]")).to_contain_text("L’enveloppe AIL baisse")

    # Who speaks for the group on this report.
    speakers = page.locator("[data-testid=speakers-form]")
    speakers.get_by_label("Nora Benaïssa").check()
    speakers.get_by_role("button", name="Enregistrer les orateur·rice·s").click()
    expect(page.locator("[data-testid=speakers]")).to_have_text("Nora Benaïssa")
    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / "writings-report.png", full_page=True)

    # The vote sheet: one change saved in place (htmx), then the PDF.
    page.get_by_role("link", name="Feuille de vote de la séance").click()
    row = page.locator(f"#row-{second.code}")
    with page.expect_response(lambda r: "vote-ligne" in r.url):
        row.locator("select[name=vote]").select_option("for")
    expect(page.locator(f"#row-{second.code} select[name=vote]")).to_have_value("for")
    page.screenshot(path=screenshots / "writings-vote-sheet.png", full_page=True)
    with page.expect_download() as download_info:
        page.locator("[data-testid=vote-sheet-pdf]").click()
    download = download_info.value
    assert download.suggested_filename.startswith("feuille-de-vote-")
    assert download.suggested_filename.endswith(".pdf")
    pdf = pypdfium2.PdfDocument(download.path())
    text = "\n".join(p.get_textpage().get_text_range() for p in pdf)
    pdf.close()
    assert "Contre" in text and "Pour" in text
    assert "DSOL/2024/30" in "".join(text.split())

    assert Note.objects.get(report=report).status == "ready"
    assert Position.objects.get(report=second).vote == "for"
    assert [str(m) for m in Position.objects.get(report=report).speakers.all()] == [
        "Nora Benaïssa"]
    assert not problems, problems


def test_a_staff_member_writes_the_minutes_of_a_group_meeting_and_exports_them(
        page, live_server, sam, report, member):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    page.goto(reverse("writings:writing-create", args=[report.workspace.slug]))
    page.fill("input[name=email]", sam.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")

    # Only the fields of the chosen kind are shown.
    page.select_option("select[name=kind]", "minutes")
    expect(page.locator("textarea[name=proposed_text]")).to_be_hidden()
    expect(page.locator("[data-testid=minutes-items]")).to_be_visible()
    page.fill("input[name=title]", "Réunion de groupe du 7 octobre")
    page.fill("input[name=meeting_date]", "2024-10-07")
    page.get_by_label("Nora Benaïssa").check()
    page.get_by_label("Sam Staff").check()
    page.select_option("select[name=items-0-report]", str(report.pk))
    page.fill("textarea[name=items-0-decision]", "Vote contre, Nora Benaïssa intervient.")
    page.fill("input[name=items-1-title]", "Vœu sur les collèges")
    page.get_by_role("button", name="Enregistrer").click()

    minutes = page.locator("[data-testid=minutes]")
    expect(minutes).to_contain_text("Réunion du lundi 7 octobre 2024")
    expect(minutes.locator("[data-testid=minutes-item]")).to_have_count(2)
    expect(minutes).to_contain_text("Vote contre, Nora Benaïssa intervient.")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word").click()
    assert download_info.value.suggested_filename == "reunion-de-groupe-du-7-octobre.docx"
    writing = Writing.objects.get(kind="minutes")
    assert list(writing.attendee_members.all()) == [member]
