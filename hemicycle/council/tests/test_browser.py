"""In a real browser (Playwright + Debian's Chromium): upload two files, watch the import
finish, find a report by a word of one of them. Fixtures as in core/tests/test_browser.py."""

import re

import pytest

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 (fixtures)

from .test_ingest import OTHER_TXT, REPORT_TXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_staff_member_uploads_two_files_watches_the_import_and_finds_a_report(
        page, live_server, tmp_path, settings):  # noqa: F811
    from playwright.sync_api import expect

    settings.COUNCIL_ORGANISATIONS_NER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    demo = demo_build(territory=False)
    staff, workspace = demo.users[Role.STAFF], demo.workspace
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(f"/w/{workspace.slug}/seances/import/")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Importer des documents")

    (tmp_path / "velo.txt").write_bytes(REPORT_TXT.replace(b"DVD/2026/131", b"DVD/2026/999"))
    (tmp_path / "mna.txt").write_bytes(OTHER_TXT.replace(b"DEF/2026/71", b"DEF/2026/998"))
    page.set_input_files("input[name=files]", [tmp_path / "velo.txt", tmp_path / "mna.txt"])
    expect(page.locator("[data-dropzone-list]")).to_have_text("velo.txt, mna.txt")
    sitting = demo.workspace.council_sitting_set.get(title="Commission permanente de décembre")
    page.select_option("select[name=sitting]", value=str(sitting.pk))
    page.click("main form button[type=submit]")

    progress = page.locator("[data-testid=batch-progress]")
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress).to_contain_text("2 fichier(s) sur 2")
    expect(progress.locator("[data-testid=item]")).to_have_count(2)
    expect(progress.locator(".progress-bar")).to_have_attribute("aria-valuenow", "100")

    page.goto(f"/w/{workspace.slug}/seances/recherche/")
    page.fill("input[name=q]", "mineurs accompagnes")  # no accents typed
    page.click("form[role=search] button[type=submit]")
    hits = page.locator("[data-testid=hit]")
    expect(hits.first).to_contain_text("DEF/2026/998")
    expect(hits.first.locator("mark").first).to_have_text(re.compile("mineurs", re.I))
    hits.first.locator("h2 a").click()
    expect(page.locator("h1")).to_contain_text("Accueil des mineurs non accompagnés")
    assert not problems, problems
