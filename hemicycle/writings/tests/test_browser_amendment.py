"""An amendment and a sitting recap in a real browser.

An élu·e writes an amendment from a report’s page (the paragraph aimed at, its text, the
proposed wording, the statement of reasons), sees the word-level differences,
validates and files it, then downloads it as Word and PDF. A staff member prepares the
recap of a held sitting, regenerates and edits it, publishes it (the public page works
without logging in), downloads it and shares it as a draft post.

Same set-up as hemicycle/core/tests/test_browser.py: Debian's Chromium, skipped when
there is none (failed under CI)."""

import io
import re

import docx
import pytest
from django.urls import reverse

from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 - fixtures
from hemicycle.council.models import Report, Vote
from hemicycle.publishing.models import Channel, Post
from hemicycle.publishing.tests.conftest import make_channel
from hemicycle.writings import services
from hemicycle.writings.models import Recap, Writing, WritingVersion
from hemicycle.writings.tests.conftest import make_report
from hemicycle.writings.tests.test_exports import docx_text, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL = "Pour le canton de Lille-3, l'enveloppe s'élève à 87 458 € en 2024."
PROPOSED = ("Pour le canton de Lille-3, l'enveloppe s'élève à 95 000 € en 2024, dont "
            "10 000 € réservés aux associations de quartier.")
REASONS = "Les associations de Moulins et de Wazemmes attendent un **rattrapage**."


def squeeze(text: str) -> str:
    """Text without any whitespace: PDF extraction spaces words its own way."""
    return "".join(text.split())


def watch(page) -> list[str]:  # noqa: F811 - the fixture's name
    """Every failed request and JavaScript error of the page, to assert there were none."""
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    return problems


def log_in(page, user) -> None:  # noqa: F811 - the fixture's name
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_an_elected_member_writes_files_and_exports_an_amendment(
        page, live_server, elodie, report, member):  # noqa: F811 - fixtures
    from playwright.sync_api import expect

    problems = watch(page)
    slug = report.workspace.slug
    page.goto(reverse("writings:report-work", args=[slug, report.code]))
    log_in(page, elodie)
    expect(page.locator("main h1")).to_have_text(report.title)

    # From the report's page: an amendment, its report and title already filled in.
    page.locator("[data-testid=writings-list]").get_by_role("link", name="Amendement").click()
    expect(page.locator("select[name=kind]")).to_have_value("amendment")
    expect(page.locator("select[name=report]")).to_have_value(str(report.pk))
    expect(page.locator("input[name=title]")).to_have_value(
        "Amendement au rapport DAT/2024/112")
    expect(page.locator("[data-testid=minutes-items]")).to_be_hidden()
    page.select_option("select[name=speaker]", str(member.pk))
    page.fill("input[name=paragraph]", "Article 1er, alinéa 2")
    page.fill("textarea[name=original_text]", ORIGINAL)
    page.fill("textarea[name=proposed_text]", PROPOSED)
    page.fill("textarea[name=body]", REASONS)
    page.get_by_role("button", name="Enregistrer").click()

    # The detail page: both texts, the word-level differences, the statement of reasons.
    expect(page.locator("main h1")).to_have_text("Amendement au rapport DAT/2024/112")
    expect(page.locator("[data-testid=status]")).to_have_text("Brouillon")
    expect(page.locator("[data-testid=paragraph]")).to_have_text("Article 1er, alinéa 2")
    diff = page.locator("[data-testid=amendment-diff]")
    expect(diff.locator("del")).to_have_text(["87 458"])
    expect(diff.locator("ins")).to_have_count(2)
    expect(diff.locator("ins").first).to_have_text("95 000")
    expect(diff.locator("ins").last).to_contain_text(
        "dont 10 000 € réservés aux associations de quartier")
    expect(diff).to_contain_text("Pour le canton de Lille-3")  # kept words, unmarked
    expect(diff.locator("del, ins").filter(has_text="canton")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("rattrapage")
    expect(page.locator("main strong", has_text="rattrapage")).to_be_visible()

    # draft → validated → filed: then the text is frozen.
    status_form = page.locator("[data-testid=status-form]")
    status_form.locator("select[name=status]").select_option("final")
    status_form.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("[data-testid=status]")).to_have_text("Validé")
    expect(page.get_by_text("Une fois déposé, l’écrit ne se modifie plus.")).to_be_visible()
    status_form.locator("select[name=status]").select_option("filed")
    status_form.get_by_role("button", name="Changer le statut").click()
    expect(page.locator("[data-testid=status]")).to_have_text(re.compile(r"^Déposé le \d\d/"))
    expect(page.locator("[data-testid=filed-at]")).to_contain_text("Élodie")
    expect(page.locator("[data-testid=status-form]")).to_have_count(0)
    expect(page.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)

    # What the council made of it.
    outcome = page.locator("form", has=page.locator("select[name=outcome]"))
    outcome.locator("select[name=outcome]").select_option("adopted")
    outcome.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".message, .messages").first).to_contain_text(
        "Sort de l’amendement enregistré.")

    # Word: python-docx reads it back, with the proposed text and the struck old amount.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word").click()
    download = download_info.value
    assert download.suggested_filename == "amendement-au-rapport-dat2024112.docx"
    content = open(download.path(), "rb").read()
    text = docx_text(content)
    assert PROPOSED in text
    assert "Texte proposé" in text and "Exposé des motifs" in text and "rattrapage" in text
    assert "Déposé" in text and "Adopté" in text
    assert "Article 1er, alinéa 2" in text
    struck = [run.text for p in docx.Document(io.BytesIO(content)).paragraphs
              for run in p.runs if run.font.strike]
    assert "87 458" in "".join(struck)

    # PDF: a real PDF, with the proposed text in it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == "amendement-au-rapport-dat2024112.pdf"
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF")
    text = squeeze(pdf_text(content))
    assert squeeze("réservés aux associations de quartier") in text
    assert squeeze("95 000") in text and "Nora" in text

    writing = Writing.objects.get(kind=Writing.Kind.AMENDMENT)
    assert writing.report == report and writing.sitting == report.sitting
    assert writing.speaker == member and writing.author == elodie
    assert writing.paragraph == "Article 1er, alinéa 2"
    assert (writing.original_text, writing.proposed_text) == (ORIGINAL, PROPOSED)
    assert writing.body == REASONS
    assert writing.status == Writing.Status.FILED and writing.filed_by == elodie
    assert writing.filed_at is not None and writing.amendment_status == "adopted"
    assert list(WritingVersion.objects.filter(writing=writing).order_by("number")
                .values_list("status", flat=True)) == ["draft", "final", "filed"]
    assert not problems, problems


@pytest.fixture
def voted(held_sitting, alice, sam, member) -> Report:
    """A report of the held sitting: the council's decision, the group's vote with its
    explanation, and a validated speech."""
    report = make_report(held_sitting, number="DSOL/2024/7",
                         title="Revalorisation du RSA jeunes", text="",
                         decision=Report.Decision.ADOPTED, votes_for=52, votes_against=20,
                         votes_abstain=6)
    services.position_decide(report=report, by=alice, vote=Vote.FOR,
                             explanation="Une mesure juste pour les jeunes du Nord.")
    services.writing_create(workspace=report.workspace, by=sam, kind="speech",
                            title="Intervention RSA", report=report, speaker=member,
                            status="final",
                            body="Chers collègues, cette mesure est attendue à Roubaix.")
    return report


def test_a_staff_member_prepares_publishes_exports_and_shares_the_sitting_recap(
        page, browser, live_server, sam, workspace, held_sitting, voted,  # noqa: F811
        member, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    make_channel(workspace, Channel.Kind.MASTODON, "https://mastodon.example")
    problems = watch(page)
    page.goto(reverse("writings:vote-sheet", args=[workspace.slug, held_sitting.code]))
    log_in(page, sam)

    # From the vote sheet: prepare the recap, drafted from the decisions and positions.
    page.get_by_role("link", name="Préparer le récapitulatif").click()
    expect(page.locator("main h1")).to_have_text("Récapitulatif de séance")
    page.get_by_role("button", name="Préparer le récapitulatif").click()
    preview = page.locator("section.rendered")
    expect(preview).to_contain_text("DSOL/2024/7 — Revalorisation du RSA jeunes")
    expect(preview).to_contain_text("Décision du conseil : Adopté (52 pour, 20 contre")
    expect(preview).to_contain_text("Vote du groupe : Pour")
    expect(preview).to_contain_text("Une mesure juste pour les jeunes du Nord.")
    expect(preview).to_contain_text("Nora Benaïssa : « Chers collègues, cette mesure")
    expect(preview).not_to_contain_text("Orateur·rice·s du groupe")
    expect(page.get_by_text("Non publié")).to_be_visible()

    # The group names its speaker afterwards: regenerating takes it in.
    services.position_set_speakers(report=voted, speakers=[member])
    page.get_by_role("button", name="Regénérer depuis les décisions").click()
    expect(page.locator(".message, .messages").first).to_contain_text("Texte regénéré")
    expect(preview).to_contain_text("Orateur·rice·s du groupe : Nora Benaïssa")

    # Edited by hand, then published.
    page.fill("input[name=title]", "Ce que le groupe a voté en septembre")
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\nMerci aux associations de Roubaix et de Tourcoing.\n")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(preview).to_contain_text("Merci aux associations de Roubaix et de Tourcoing.")
    expect(page.locator("input[name=title]")).to_have_value(
        "Ce que le groupe a voté en septembre")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Publié", exact=True)).to_be_visible()
    public_link = page.locator("[data-testid=public-link]")
    public_url = public_link.get_attribute("href")
    recap = Recap.objects.get(sitting=held_sitting)
    assert public_url == live_server.url + reverse("writings:recap-public", args=[recap.code])

    # The public page, for someone who is not logged in.
    anonymous = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        visitor = anonymous.new_page()
        response = visitor.goto(public_url)
        assert response.status == 200
        expect(visitor.locator("main h1")).to_have_text("Ce que le groupe a voté en septembre")
        article = visitor.locator("article")
        expect(article).to_contain_text("Vote du groupe : Pour")
        expect(article).to_contain_text("Merci aux associations de Roubaix et de Tourcoing.")
        expect(article).not_to_contain_text("Sam Staff")
        assert "/connexion" not in visitor.url and "login" not in visitor.url
    finally:
        anonymous.close()

    # Markdown and Word.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    markdown = open(download.path(), encoding="utf-8").read()
    assert "## DSOL/2024/7 — Revalorisation du RSA jeunes" in markdown
    assert "Merci aux associations de Roubaix et de Tourcoing." in markdown
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    text = docx_text(open(download.path(), "rb").read())
    assert "Ce que le groupe a voté en septembre" in text
    assert "Orateur·rice·s du groupe : Nora Benaïssa" in text

    # Shared as a draft post: the post editor, the public link in the Mastodon text.
    page.get_by_role("button", name="Partager").click()
    expect(page.locator("main h1")).to_have_text(
        "Modifier « Ce que le groupe a voté en septembre »")
    expect(page.locator("[data-testid=channel-row-mastodon] textarea")).to_have_value(
        re.compile(re.escape(public_url)))

    recap.refresh_from_db()
    assert recap.is_published and recap.published_by == sam
    assert recap.title == "Ce que le groupe a voté en septembre"
    assert "Orateur·rice·s du groupe : Nora Benaïssa" in recap.body
    post = Post.objects.get(workspace=workspace)
    assert post.source == f"writings.recap:{recap.code}"
    assert post.link == public_url and post.status == "draft"
    assert not problems, problems
