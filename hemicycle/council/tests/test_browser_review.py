"""In a real browser (Playwright + Debian's Chromium): a staff member corrects the split of
an uploaded bundle on the review screen; another sets watch rules, uploads a bundle, finds
its reports in "À traiter" with the rule that matched, assigns one to an élue and gets
the digest e-mail (through a loopback SMTP server). Fixtures as in test_browser.py."""

import datetime

import pytest

from hemicycle.accounts.tests.test_mail_smtp import inbox  # noqa: F401 (fixture)
from hemicycle.conftest import PASSWORD
from hemicycle.core.tests.test_browser import browser, page  # noqa: F401 (fixtures)
from hemicycle.council import pdfwriter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# number, title, direction, what it says
REPORTS = [
    ("DAT/2027/12", "Aide départementale aux villages et bourgs – Programmation 2027, "
     "canton de Cambrai", "Direction de l'Aménagement du territoire",
     "La commune de Caudry a sollicité le soutien du Département pour la rénovation de sa "
     "salle des fêtes. Le montant proposé s'élève à 352 800 €."),
    ("DVD/2027/40", "Véloroute de la Deûle – Section Haubourdin–Lille – Convention de "
     "financement", "Direction de la Voirie départementale",
     "La véloroute relie Haubourdin à Lille le long de la Deûle. Le montant proposé "
     "s'élève à 2 150 000 €, dont 645 000 € au titre de la première tranche."),
    ("DEF/2027/8", "Accueil des mineurs non accompagnés – Convention avec l'association "
     "La Sauvegarde du Nord", "Direction Enfance famille",
     "Le Département confie l'accueil de jeunes mineurs à l'association. Le montant "
     "proposé s'élève à 478 000 €."),
]


def bundle(*, misnumbered_annex: bool) -> bytes:
    """A commission permanente's bundle, one report per page. With
    ``misnumbered_annex``, the véloroute's financing plan follows it on its own page
    under a report heading of its own, as councils' typos do: the split takes it for a
    fourth report."""
    lines: list[pdfwriter.Line] = [
        "**DÉPARTEMENT DU NORD", "**CONSEIL DÉPARTEMENTAL", "",
        "Commission permanente de décembre", "", "**SOMMAIRE",
        *(f"{number} – {title}" for number, title, _, _ in REPORTS)]
    starts = set()
    for number, title, direction, body in REPORTS:
        starts.add(len(lines))
        lines += [f"**RAPPORT N° {number}", f"**{direction}", f"OBJET : {title}", "",
                  "**EXPOSÉ DES MOTIFS", body, "",
                  "Il est proposé à la Commission permanente :",
                  f"- d'approuver les dispositions du présent rapport n° {number} ;"]
        if misnumbered_annex and number == "DVD/2027/40":
            starts.add(len(lines))
            lines += ["**RAPPORT N° DVD/2027/41",
                      "**ANNEXE – Plan de financement de la véloroute",
                      "Département du Nord : 2 150 000 €",
                      "Métropole européenne de Lille : 1 200 000 €"]
    pages = pdfwriter.paginate(lines, header="Département du Nord – Commission permanente",
                               footer="Page {page}/{pages}", new_page_before=starts)
    return pdfwriter.write_pdf(pages, title="Commission permanente – rapports")


def watch_problems(tab) -> list[str]:
    problems: list[str] = []
    tab.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
           and problems.append(f"{r.status} {r.request.method} {r.url}"))
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    return problems


def log_in(tab, url: str, user) -> None:
    tab.goto(url)
    tab.fill("input[name=email]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("main form button[type=submit]")


def upload_bundle(tab, workspace, sitting, path) -> None:
    """Through the upload page, as a bundle to split; waits for the import to finish."""
    from playwright.sync_api import expect

    tab.goto(f"/w/{workspace.slug}/seances/import/")
    expect(tab.locator("h1")).to_have_text("Importer des documents")
    tab.set_input_files("input[name=files]", path)
    tab.select_option("select[name=sitting]", value=str(sitting.pk))
    tab.select_option("select[name=role]", value="bundle")
    tab.click("main form button[type=submit]")
    progress = tab.locator("[data-testid=batch-progress]")
    expect(progress).to_have_attribute("data-status", "done")
    expect(progress).to_contain_text("1 fichier(s) sur 1")


def upload_as(tab, user, workspace, sitting, tmp_path, *, misnumbered_annex: bool) -> list[str]:
    """Logged in as ``user``, the bundle uploaded; the problems the page will meet."""
    problems = watch_problems(tab)
    log_in(tab, f"/w/{workspace.slug}/seances/import/", user)
    path = tmp_path / "cp_decembre_rapports.pdf"
    path.write_bytes(bundle(misnumbered_annex=misnumbered_annex))
    upload_bundle(tab, workspace, sitting, path)
    return problems


def test_a_staff_member_merges_a_misread_annex_back_renames_a_report_and_saves_the_split(
        page, live_server, tmp_path, workspace, sam, sitting):  # noqa: F811
    from playwright.sync_api import expect

    from hemicycle.council.models import Report, SplitDraft

    problems = upload_as(page, sam, workspace, sitting, tmp_path, misnumbered_annex=True)
    progress = page.locator("[data-testid=batch-progress]")
    expect(progress).to_contain_text("4 rapport(s) créé(s)")  # the annex taken for one
    assert list(sitting.reports.order_by("rank").values_list("number", flat=True)) == [
        "DAT/2027/12", "DVD/2027/40", "DVD/2027/41", "DEF/2027/8"]

    progress.get_by_role("link", name="Revoir le découpage").click()
    expect(page.locator("h1")).to_have_text("Découpage en rapports")
    rows = page.locator("[data-testid=split-table] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(2).locator("input[name=title]")).to_have_value(
        "ANNEXE – Plan de financement de la véloroute")

    # The annex goes back into the véloroute's report.
    rows.nth(1).get_by_role("button", name="Fusionner avec le suivant").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator("input[name=number]")).to_have_value("DVD/2027/40")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("3–4")  # its pages

    # A shorter title for the first one, as the group calls it.
    rows.nth(0).locator("input[name=title]").fill("ADVB 2027 – canton de Cambrai")
    rows.nth(0).get_by_role("button", name="Renommer").click()
    expect(rows.nth(0).locator("input[name=title]")).to_have_value(
        "ADVB 2027 – canton de Cambrai")
    expect(rows).to_have_count(3)
    # Nothing is saved into the reports before the staff member says so.
    assert sitting.reports.count() == 4

    page.get_by_role("button", name="Enregistrer les rapports").click()
    expect(page.locator("h1")).to_contain_text("Commission permanente de décembre")
    expect(page.get_by_text("3 rapports enregistrés.")).to_be_visible()
    agenda = page.locator("table").filter(has_text="Objet").locator("tbody tr")
    expect(agenda).to_have_count(3)
    expect(agenda.nth(0)).to_contain_text("ADVB 2027 – canton de Cambrai")
    expect(agenda.nth(1)).to_contain_text("DVD/2027/40")
    expect(agenda.nth(2)).to_contain_text("DEF/2027/8")
    expect(page.get_by_text("DVD/2027/41")).to_have_count(0)

    reports = list(sitting.reports.order_by("rank"))
    assert [(r.number, r.title[:30]) for r in reports] == [
        ("DAT/2027/12", "ADVB 2027 – canton de Cambrai"),
        ("DVD/2027/40", "Véloroute de la Deûle – Sectio"),
        ("DEF/2027/8", "Accueil des mineurs non accomp")]
    velo = reports[1]
    assert "Métropole européenne de Lille : 1 200 000 €" in velo.text
    assert (velo.page_start, velo.page_end) == (3, 4)
    assert not Report.objects.filter(number="DVD/2027/41").exists()
    assert SplitDraft.objects.get(document=velo.source_document).saved_at is not None

    # The merged report's page shows the annex's text.
    agenda.nth(1).get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Véloroute de la Deûle")
    expect(page.locator("main")).to_contain_text("Métropole européenne de Lille")
    assert not problems, problems


def test_watch_rules_fill_the_inbox_after_an_upload_and_a_report_is_assigned(
        page, live_server, tmp_path, inbox, workspace, sam, elodie,  # noqa: F811
        sitting):
    from playwright.sync_api import expect

    from hemicycle.council.models import FollowStatus, InboxItem, Report, Watchlist

    problems = watch_problems(page)
    log_in(page, f"/w/{workspace.slug}/seances/veille/", sam)
    expect(page.locator("h1")).to_have_text("Ma veille")

    # A saved search, typed without accents, and an amount threshold on another one.
    form = page.locator("main form").filter(has=page.locator("input[name=name]"))
    form.locator("input[name=name]").fill("Véloroutes")
    form.locator("input[name=query]").fill("veloroute OR piste*")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Veille enregistrée")).to_be_visible()
    form = page.locator("main form").filter(has=page.locator("input[name=name]"))
    form.locator("input[name=name]").fill("Mineurs, gros montants")
    form.locator("input[name=query]").fill("mineurs")
    form.locator("input[name=min_amount]").fill("400000")
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert set(Watchlist.objects.filter(user=sam).values_list("name", "min_amount")) == {
        ("Véloroutes", None), ("Mineurs, gros montants", 400000)}

    path = tmp_path / "cp_decembre_rapports.pdf"
    path.write_bytes(bundle(misnumbered_annex=False))
    upload_bundle(page, workspace, sitting, path)

    page.goto(f"/w/{workspace.slug}/seances/a-traiter/")
    expect(page.locator("h1")).to_have_text("À traiter")
    items = page.locator("[data-testid=inbox-item]")
    expect(items).to_have_count(2)  # not the villages' report: no rule matches it
    velo = items.filter(has_text="DVD/2027/40")
    expect(velo).to_contain_text("Veille « Véloroutes »")
    expect(items.filter(has_text="DEF/2027/8")).to_contain_text(
        "Veille « Mineurs, gros montants »")
    assert sorted(InboxItem.objects.filter(user=sam).values_list(
        "report__number", "watchlist__name")) == [
        ("DEF/2027/8", "Mineurs, gros montants"), ("DVD/2027/40", "Véloroutes")]

    # One digest e-mail for the batch, with both reports.
    assert inbox.recipients == [[sam.email]]
    digest = inbox.messages[0]
    assert "2 rapport(s) à traiter" in digest["Subject"]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "DVD/2027/40" in text and "DEF/2027/8" in text and "DAT/2027/12" not in text

    # The véloroute goes to Élodie, for a date, in progress.
    velo.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Véloroute de la Deûle")
    followup = page.locator("[data-testid=followup]")
    followup.locator("summary").click()
    followup.get_by_label("Élodie Élue").check()
    due = datetime.date.today() + datetime.timedelta(days=20)
    followup.locator("input[name=due_date]").fill(due.isoformat())
    followup.locator("select[name=follow_status]").select_option(FollowStatus.IN_PROGRESS)
    followup.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.get_by_text("Suivi enregistré.")).to_be_visible()
    followup = page.locator("[data-testid=followup]")
    expect(followup).to_contain_text("Suivi par Élodie Élue")
    expect(followup.locator("[data-testid=follow-status]")).to_have_text("En cours")
    expect(followup).to_contain_text(f"à rendre pour le {due:%d/%m/%Y}")

    report = Report.objects.get(workspace=workspace, number="DVD/2027/40")
    assert (report.assigned_to, report.due_date, report.follow_status) == (
        elodie, due, FollowStatus.IN_PROGRESS)
    assert list(report.assignees.all()) == [elodie]
    # Élodie is told, by her inbox and by e-mail.
    assert InboxItem.objects.filter(user=elodie, report=report).exists()
    assert inbox.recipients[-1] == [elodie.email]
    assert "Rapport confié" in inbox.messages[-1]["Subject"]

    # Back in the inbox, the report is marked done.
    page.goto(f"/w/{workspace.slug}/seances/a-traiter/")
    items.filter(has_text="DVD/2027/40").get_by_role("button", name="Traité").click()
    expect(items).to_have_count(1)
    assert InboxItem.objects.get(user=sam, report=report).done_at is not None
    assert not problems, problems


def test_a_staff_member_starts_a_report_at_a_line_then_moves_its_start(
        page, live_server, tmp_path, workspace, sam, sitting):  # noqa: F811
    from playwright.sync_api import expect

    problems = upload_as(page, sam, workspace, sitting, tmp_path, misnumbered_annex=False)
    page.locator("[data-testid=batch-progress]").get_by_role(
        "link", name="Revoir le découpage").click()
    rows = page.locator("[data-testid=split-table] tbody tr")
    expect(rows).to_have_count(3)

    # The véloroute's statement of reasons becomes a report of its own.
    rows.nth(1).get_by_role("link", name="Ouvrir").click()
    expect(page.get_by_role("heading", name="Lignes du rapport 2")).to_be_visible()
    lines = page.locator(".split-lines li")
    lines.filter(has_text="EXPOSÉ DES MOTIFS").locator("input").check()
    page.get_by_role("button", name="Un nouveau rapport commence à cette ligne").click()
    expect(rows).to_have_count(4)
    expect(rows.nth(2).locator("input[name=title]")).to_have_value("EXPOSÉ DES MOTIFS")

    # Its start moves down one line: the heading goes back to the véloroute.
    rows.nth(2).get_by_role("link", name="Ouvrir").click()
    expect(page.get_by_role("heading", name="Lignes du rapport 3")).to_be_visible()
    expect(lines.first).to_contain_text("EXPOSÉ DES MOTIFS")
    lines.filter(has_text="La véloroute relie Haubourdin").locator("input").check()
    page.get_by_role("button", name="Ce rapport commence à cette ligne").click()
    expect(rows).to_have_count(4)
    rows.nth(2).get_by_role("link", name="Ouvrir").click()
    expect(lines.first).to_contain_text("La véloroute relie Haubourdin")
    rows.nth(1).get_by_role("link", name="Ouvrir").click()
    expect(lines.last).to_contain_text("EXPOSÉ DES MOTIFS")

    page.get_by_role("button", name="Enregistrer les rapports").click()
    expect(page.get_by_text("4 rapports enregistrés.")).to_be_visible()
    reports = list(sitting.reports.order_by("rank"))
    assert len(reports) == 4
    assert reports[1].number == "DVD/2027/40"
    assert reports[1].text.rstrip().endswith("EXPOSÉ DES MOTIFS")
    assert reports[2].text.startswith("La véloroute relie Haubourdin")
    assert not problems, problems
