"""In a real browser: the staff reads the roll call of the minutes, then corrects it."""

import hashlib

import pytest

from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_staff_reads_the_roll_call_from_the_minutes_then_corrects_one_line(
        page, workspace, past_sitting, sam):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.council.models import Attendance, Document
    from hemicycle.elected.models import ElectedMember

    member = ElectedMember.objects.create(workspace=workspace, first_name="Karim",
                                          last_name="Benali", in_group=True)
    past_sitting.body.members.set([member])
    text = ("Étaient présents : Anne LEROY - Paul MARTIN\n"
            "Était absent : Karim BENALI\nOrdre du jour :\n")
    Document.objects.create(workspace=workspace, sitting=past_sitting, filename="pv.pdf",
                            sha256=hashlib.sha256(text.encode()).hexdigest(), text=text,
                            role=Document.Role.MINUTES, status=Document.Status.EXTRACTED)
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.request.method} {r.url}"))

    page.goto(f"/w/{workspace.slug}/seances/{past_sitting.code}/")
    page.fill("input[name=email]", sam.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    section = page.locator("[data-testid=sitting-attendance]")
    expect(section).to_contain_text("Aucune présence relevée")
    section.get_by_role("button", name="Relire le procès-verbal").click()

    section = page.locator("[data-testid=sitting-attendance]")
    expect(section).to_contain_text("2 votants")
    expect(section.locator("[data-testid=attendance-members]")).to_contain_text("Absent·e")

    section.get_by_role("link", name="Saisir ou corriger les présences").click()
    rows = page.locator("[data-testid=attendance-form] tbody tr")
    karim = rows.filter(has=page.locator("input[value='Karim BENALI']"))
    karim.locator("select[name=state]").select_option("proxy")
    karim.locator("input[name=proxy_holder]").fill("Anne LEROY")
    page.get_by_role("button", name="Enregistrer les présences").click()

    section = page.locator("[data-testid=sitting-attendance]")
    expect(section).to_contain_text("3 votants")
    expect(section.locator("[data-testid=attendance-members]")).to_contain_text(
        "à Anne LEROY")
    line = Attendance.objects.get(sitting=past_sitting, member=member)
    assert (line.state, line.source) == ("proxy", "manual")
    assert not problems, problems
