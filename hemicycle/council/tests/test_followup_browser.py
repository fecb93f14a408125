"""In a real browser (Playwright + Debian's Chromium): an élue mentions a colleague with
the "@" autocomplete in a report's discussion, then looks at the voting statistics."""

import pytest

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import demo_build
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_elue_mentions_a_colleague_by_autocomplete_and_reads_the_statistics(
        page, live_server, tmp_path, settings):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.council.models import Comment, InboxItem

    settings.COUNCIL_ORGANISATIONS_NER = False
    settings.MEDIA_ROOT = tmp_path / "media"
    demo = demo_build(territory=False)
    elected, staff = demo.users[Role.ELECTED], demo.users[Role.STAFF]
    report = demo.workspace.council_report_set.filter(assignees=elected).first()
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    page.goto(f"/w/{demo.workspace.slug}/seances/rapports/{report.code}/")
    page.fill("input[name=email]", elected.email)
    page.fill("input[name=password]", demo.password)
    page.click("main form button[type=submit]")
    thread = page.locator("[data-testid=comments]")
    expect(thread.locator("[data-testid=comment]")).to_have_count(2)

    box = thread.locator("textarea[name=body]")
    box.click()
    box.press_sequentially("Merci @Yan")
    option = thread.locator("[data-mention-list] [data-handle]")
    expect(option).to_have_count(1)
    expect(option).to_contain_text(staff.full_name)
    option.click()
    expect(box).to_have_value("Merci @equipe ")
    box.press_sequentially("pour le tableau !")
    thread.get_by_role("button", name="Commenter").click()

    # htmx swapped the thread in place: three comments, the mention marked.
    thread = page.locator("[data-testid=comments]")
    expect(thread.locator("[data-testid=comment]")).to_have_count(3)
    expect(thread.locator(".mention").last).to_have_text("@equipe")
    comment = Comment.objects.filter(report=report).order_by("-created_at").first()
    assert list(comment.mentions.all()) == [staff]
    assert InboxItem.objects.filter(user=staff, report=report, comment=comment).exists()

    page.goto(f"/w/{demo.workspace.slug}/seances/statistiques/")
    expect(page.locator("h1")).to_have_text("Comment le groupe a voté")
    expect(page.locator("svg.chart")).to_have_count(4)  # with the attendance
    assert not problems, problems
