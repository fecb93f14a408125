"""Demo data: the Conseil départemental du Nord's bodies, four sittings (two held, two
coming) and their reports, for `hemicycle demo`.

The reports come in the way real ones do: each sitting with its documents gets a bundle
of reports as a PDF (generated here, written like the real ones: numbers such as
DAT/2026/81, directions, examining commissions, amounts, communes of the Nord, tables of
beneficiaries), which goes through the ingestion (extraction, split, entities, direction
and commission, summary, search index); what a staff member records afterwards (policy
area, outcome and votes) is set on the reports found. The announced plenary has no
documents yet: a newcomer can upload some.

Idempotent: bodies and sittings are found again by their names; a sitting's bundle is
ingested once (the next runs find its reports); sittings are dated from the first run.
"""

import datetime
import random
import textwrap
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DemoResult
from hemicycle.council import pdfwriter
from hemicycle.council.models import Body, Document, FollowStatus, Report, Sitting, Watchlist
from hemicycle.council.services.ingestion import (
    ingestion_batch_create,
    ingestion_batch_run,
    organisations_by_rules_only,
)
from hemicycle.council.services.structure import report_save
from hemicycle.council.services.watch import watch_reports_match
from hemicycle.elected.models import ElectedMember

PLENARY = "Assemblée départementale (séance plénière)"
STANDING = "Commission permanente du Conseil départemental"
BODIES = [
    (PLENARY, Body.Kind.PLENARY, ""),
    (STANDING, Body.Kind.STANDING_COMMITTEE, ""),
    ("Commission Solidarités, santé et autonomie", Body.Kind.COMMISSION,
     "Solidarités, autonomie"),
    ("Commission Infrastructures, mobilités et environnement", Body.Kind.COMMISSION,
     "Infrastructures, mobilités, environnement"),
    ("Commission Finances et ressources", Body.Kind.COMMISSION, "Finances"),
]

# key, body, days from the first run, hour, title, status
SITTINGS = [
    ("cp-past", STANDING, -42, 14, "Commission permanente d'octobre",
     Sitting.Status.MINUTES_PUBLISHED),
    ("plenary-past", PLENARY, -21, 10, "Séance plénière — décision modificative",
     Sitting.Status.HELD),
    ("cp-next", STANDING, 14, 14, "Commission permanente de décembre",
     Sitting.Status.DOCUMENTS_RECEIVED),
    ("plenary-next", PLENARY, 28, 10, "Séance plénière — budget primitif 2027",
     Sitting.Status.ANNOUNCED),
]

SOLIDARITY = "Commission Solidarités, santé et autonomie"
MOBILITY = "Commission Infrastructures, mobilités et environnement"
FINANCE = "Commission Finances et ressources"

# sitting key, number, title, direction, policy area, commission, commune, other commune,
# amount, decision, (for, against, abstain)
REPORTS = [
    ("cp-past", "DAT/2026/81", "Aide départementale aux villages et bourgs (ADVB) – "
     "Programmation 2026, canton d'Avesnes-sur-Helpe", "Direction de l'Aménagement du "
     "territoire", "Aménagement du territoire", MOBILITY, "Fourmies", "Trélon",
     Decimal("487458"), "adopted", (78, 0, 4)),
    ("cp-past", "DAT/2026/82", "Aide départementale aux villages et bourgs – Rénovation "
     "thermique de l'école maternelle de Bavay", "Direction de l'Aménagement du territoire",
     "Aménagement du territoire", MOBILITY, "Bavay", "Le Quesnoy", Decimal("120000"),
     "adopted", (82, 0, 0)),
    ("cp-past", "DVD/2026/114", "Route départementale RD 917 – Aménagement de sécurité de "
     "la traversée de Seclin – Convention de financement", "Direction de la Voirie "
     "départementale", "Infrastructures, mobilités", MOBILITY, "Seclin", "Templemars",
     Decimal("1450000"), "adopted", (70, 8, 4)),
    ("cp-past", "DEF/2026/57", "Prévention spécialisée – Subventions aux associations pour "
     "2026", "Direction Enfance famille", "Enfance, famille, jeunesse", SOLIDARITY,
     "Roubaix", "Tourcoing", Decimal("2340500"), "adopted", (74, 0, 8)),
    ("cp-past", "DPAPH/2026/33", "Résidences autonomie – Forfait autonomie 2026",
     "Direction Personnes âgées personnes handicapées", "Solidarités, autonomie", SOLIDARITY,
     "Maubeuge", "Hautmont", Decimal("865300"), "adopted", (82, 0, 0)),
    ("cp-past", "DENV/2026/21", "Espaces naturels sensibles – Acquisition de parcelles "
     "dans la vallée de la Lys à Merville", "Direction de l'Environnement",
     "Environnement, transition écologique", MOBILITY, "Merville", "Estaires",
     Decimal("96400"), "adopted", (82, 0, 0)),
    ("plenary-past", "DFIN/2026/12", "Décision modificative n° 2 du budget départemental "
     "2026", "Direction des Finances", "Finances, administration générale", FINANCE, "Lille",
     "Douai", Decimal("18650000"), "adopted", (52, 26, 4)),
    ("plenary-past", "DCOL/2026/44", "Dotations complémentaires de fonctionnement des "
     "collèges publics – Hausse du coût de l'énergie", "Direction des Collèges",
     "Éducation, collèges", FINANCE, "Wattrelos", "Halluin", Decimal("1236000"), "adopted",
     (82, 0, 0)),
    ("plenary-past", "DIE/2026/19", "Programme départemental d'insertion – Convention avec "
     "France Travail", "Direction de l'Insertion et de l'emploi", "Insertion, emploi, RSA",
     SOLIDARITY, "Denain", "Valenciennes", Decimal("3200000"), "adopted", (56, 22, 4)),
    ("plenary-past", "DCULT/2026/28", "Vœu relatif à la tarification des transports "
     "scolaires", "Direction de la Culture", "Culture, sport, vie associative", FINANCE,
     "Cambrai", "Caudry", Decimal("0"), "rejected", (26, 52, 4)),
    ("cp-next", "DAT/2026/97", "Aide départementale aux villages et bourgs – Programmation "
     "complémentaire, canton de Lille-3", "Direction de l'Aménagement du territoire",
     "Aménagement du territoire", MOBILITY, "Lille", "Lezennes", Decimal("352800"), "", None),
    ("cp-next", "DVD/2026/131", "Véloroute de la Deûle – Section Haubourdin–Lille – "
     "Convention avec la Métropole européenne de Lille", "Direction de la Voirie "
     "départementale", "Infrastructures, mobilités", MOBILITY, "Haubourdin", "Lille",
     Decimal("2150000"), "", None),
    ("cp-next", "DEF/2026/71", "Accueil des mineurs non accompagnés – Convention avec "
     "l'association La Sauvegarde du Nord", "Direction Enfance famille",
     "Enfance, famille, jeunesse", SOLIDARITY, "Lille", "Villeneuve-d'Ascq",
     Decimal("4780000"), "", None),
    ("cp-next", "DPAPH/2026/48", "Plan départemental de l'habitat inclusif – Aide à la vie "
     "partagée à Mons-en-Barœul", "Direction Personnes âgées personnes handicapées",
     "Solidarités, autonomie", SOLIDARITY, "Mons-en-Barœul", "Lille", Decimal("186000"),
     "", None),
    ("cp-next", "DENV/2026/30", "Plan de gestion des haies bocagères de l'Avesnois – "
     "Subventions aux communes", "Direction de l'Environnement",
     "Environnement, transition écologique", MOBILITY, "Avesnes-sur-Helpe", "Landrecies",
     Decimal("74500"), "", None),
    ("cp-next", "DCOL/2026/52", "Collège Jean Jaurès de Lomme – Restructuration de la demi-"
     "pension – Marché de maîtrise d'œuvre", "Direction des Collèges", "Éducation, collèges",
     FINANCE, "Lille", "Lambersart", Decimal("940000"), "", None),
]


RAPPORTEURS = {SOLIDARITY: "Mme Nadia Ouali", MOBILITY: "M. Xavier Debruyne",
               FINANCE: "M. Olivier Castelain"}
ASSOCIATIONS = [
    "Association Les Papillons Blancs du Nord", "Secours populaire français du Nord",
    "Association Habitat et Humanisme Nord", "Fédération des centres sociaux du Nord",
    "Association Entreprendre Ensemble", "Ligue de l'enseignement du Nord",
    "Union départementale des associations familiales",
    "Association La Sauvegarde du Nord", "Maison de l'Emploi du Cambrésis",
]
PARTNERS = ["la Caisse d'allocations familiales du Nord", "la Région Hauts-de-France",
            "la Métropole européenne de Lille", "l'Agence de l'eau Artois-Picardie",
            "France Travail", "la Banque des Territoires"]
WORKS = ["École maternelle", "Place de la mairie", "Salle polyvalente", "Maison de santé",
         "Médiathèque", "Groupe scolaire"]
COLLEGES = ["Collège Jean Jaurès", "Collège Albert Camus", "Collège Pasteur",
            "Collège Anne Frank", "Collège Jean Zay"]
# What a report's table lists, by the direction of its number.
TABLES = {"DAT": "communes", "DENV": "communes", "DEF": "associations",
          "DPAPH": "associations", "DIE": "associations", "DCOL": "colleges", "DVD": "works"}
WIDTH = 92  # characters of a line of the bundle


def _euros(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", "\u00a0") + "\u00a0€"


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]


def _day(value: datetime.date) -> str:
    """"12 octobre 2026", whatever the language of the process."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _shares(total: Decimal, count: int, rng: random.Random) -> list[Decimal]:
    """``total`` split into ``count`` amounts rounded to 100 €, summing to it."""
    weights = [rng.randint(2, 9) for _ in range(count)]
    parts = [(total * w / sum(weights) / 100).quantize(Decimal(1)) * 100
             for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def _table(row, rng: random.Random) -> list[pdfwriter.Line]:
    _, number, _, _, _, _, commune, other, amount, _, _ = row
    kind = TABLES.get(number.split("/")[0])
    if not kind or not amount:
        return []
    count = rng.randint(3, 5)
    places = [commune, other, *rng.sample(["Bailleul", "Hazebrouck", "Cassel", "Bergues",
                                            "Orchies", "Seclin", "Fourmies", "Bavay"], 3)]
    shares = _shares(amount, count, rng)
    if kind == "communes":
        head = ("**Bénéficiaire", "Opération", "Montant")
        rows = [(f"Commune de {place}", rng.choice(WORKS), _euros(share))
                for place, share in zip(places, shares, strict=False)]
    elif kind == "associations":
        head = ("**Bénéficiaire", "Commune", "Montant")
        rows = [(name, place, _euros(share)) for name, place, share in
                zip(rng.sample(ASSOCIATIONS, count), places, shares, strict=False)]
    elif kind == "colleges":
        head = ("**Établissement", "Commune", "Dotation")
        rows = [(name, place, _euros(share)) for name, place, share in
                zip(rng.sample(COLLEGES, count), places, shares, strict=False)]
    else:
        head = ("**Opération", "Commune", "Coût HT")
        rows = [(f"Tranche {k}", place, _euros(share)) for k, (place, share) in
                enumerate(zip(places, shares, strict=False), start=1)]
    return ["", head, *rows, ("**Total", "", _euros(amount)), ""]


def _report_lines(row, sitting: Sitting) -> list[pdfwriter.Line]:
    """One report of a bundle, written as the Nord's are (invented content)."""
    _, number, title, direction, area, commission, commune, other, amount, _, _ = row
    rng = random.Random(number)
    day = timezone.localtime(sitting.starts_at).date()
    standing = sitting.body.kind == Body.Kind.STANDING_COMMITTEE
    paragraphs = [
        f"Le Département du Nord accompagne depuis {rng.randint(2008, 2019)} les communes et "
        f"les associations du territoire dans le domaine « {area.lower()} ». La commune de "
        f"{commune} a sollicité son soutien, ainsi que celle de {other}, pour des opérations "
        f"engagées en {day.year}.",
    ]
    if amount:
        share = (amount * Decimal("0.3")).quantize(Decimal(1))
        paragraphs.append(
            f"Le montant proposé s'élève à {_euros(amount)}, dont {_euros(share)} au titre "
            f"de la première tranche. Le comité de pilotage, réuni le "
            f"{_day(day - datetime.timedelta(days=rng.randint(30, 60)))} en présence de "
            f"{rng.choice(PARTNERS)}, a émis un avis favorable.")
        paragraphs.append(
            f"Les crédits correspondants sont inscrits au budget départemental, chapitre "
            f"{rng.choice(['65', '204', '23'])}, article {rng.randint(6500, 6599)}. Une "
            f"convention précisera les modalités de versement de l'aide, dont un acompte de "
            f"{rng.choice([30, 40, 50])} % à la notification.")
    else:
        paragraphs.append(
            f"Ce vœu fait suite aux demandes exprimées par les familles de {commune} et de "
            f"{other}, et par les associations de parents d'élèves du Cambrésis.")
    # Written as councils do, in several ways: the direction in full, or its code when
    # another report of the bundle gives it in full; the commission as a heading, or as
    # the examination's date (the ingestion reads both).
    first_of_code = next(r for r in REPORTS if r[0] == row[0]
                         and r[1].split("/")[0] == number.split("/")[0])[1] == number
    examined = day - datetime.timedelta(days=8)
    lines: list[pdfwriter.Line] = [
        f"**RAPPORT N° {number}",
        f"**{direction}" if first_of_code else f"Direction : {number.split('/')[0]}",
        f"Commission : {commission}" if int(number.rsplit("/", 1)[1]) % 2 else
        f"Examiné en commission {commission.removeprefix('Commission ')} le {_day(examined)}",
        f"Rapporteur : {RAPPORTEURS[commission]}",
        *textwrap.wrap(f"OBJET : {title}", WIDTH), "", "**EXPOSÉ DES MOTIFS"]
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, WIDTH, break_on_hyphens=False), ""]
    lines += _table(row, rng)
    lines += [
        "Il est proposé à la Commission permanente :" if standing
        else "Il est proposé au Conseil départemental :",
        f"- d'approuver les dispositions du présent rapport n° {number} ;",
        "- d'autoriser Monsieur le Président à signer les actes correspondants.",
    ]
    return lines


def sitting_bundle(sitting: Sitting, rows: list[tuple]) -> bytes:
    """The PDF a sitting's reports come in: a cover with its contents, then one report
    per page or more."""
    day = _day(timezone.localtime(sitting.starts_at).date())
    lines: list[pdfwriter.Line] = [
        "**DÉPARTEMENT DU NORD", "**CONSEIL DÉPARTEMENTAL", "", f"{sitting.title}",
        f"Séance du {day} – {sitting.place}", "", "**SOMMAIRE",
        *(f"{row[1]} – {row[2]}"[:110] for row in rows)]
    starts = set()
    for row in rows:
        starts.add(len(lines))
        lines += _report_lines(row, sitting)
    pages = pdfwriter.paginate(
        lines, header=f"Département du Nord – {sitting.body.name} – Séance du {day}",
        footer="Page {page}/{pages}", new_page_before=starts)
    return pdfwriter.write_pdf(pages, title=f"{sitting.title} – rapports")


def _ingest(result: DemoResult, sitting: Sitting, rows: list[tuple], staff) -> list[Report]:
    """A sitting's bundle through the ingestion, as an upload would go."""
    name = f"rapports_{timezone.localtime(sitting.starts_at):%Y-%m-%d}_{sitting.body.kind}.pdf"
    batch = ingestion_batch_create(workspace=result.workspace, sitting=sitting, by=staff,
                                   files=[(name, sitting_bundle(sitting, rows))],
                                   role=Document.Role.BUNDLE)
    # Organisations by rules only: spaCy's model would make the demo slow to build.
    with organisations_by_rules_only():
        ingestion_batch_run(batch)
    return list(Report.objects.filter(workspace=result.workspace, sitting=sitting))


@transaction.atomic
def demo_council(result: DemoResult) -> dict[str, int]:
    workspace = result.workspace
    bodies = {}
    for name, kind, area in BODIES:
        bodies[name], _ = Body.objects.get_or_create(
            workspace=workspace, name=name, defaults={"kind": kind, "policy_area": area})
        members = ElectedMember.objects.filter(workspace=workspace, in_group=True)
        if kind == Body.Kind.COMMISSION:
            members = members.filter(commissions__icontains=name)
        bodies[name].members.add(*members)
    today = timezone.localdate()
    sittings = {}
    for key, body, days, hour, title, status in SITTINGS:
        starts = timezone.make_aware(datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour)))
        sittings[key], _ = Sitting.objects.get_or_create(
            workspace=workspace, title=title, defaults={
                "body": bodies[body], "starts_at": starts, "status": status,
                "place": "Hôtel du Département, 51 rue Gustave-Delory, Lille"})
    staff = result.users.get(Role.STAFF)
    created = []
    for key, sitting in sittings.items():
        rows = [row for row in REPORTS if row[0] == key]
        if rows and not sitting.reports.exists():
            created += _record(_ingest(result, sitting, rows, staff), rows, staff)
    if staff is not None:
        Watchlist.objects.get_or_create(
            workspace=workspace, user=staff, name="Mobilités douces", defaults={
                "query": "vélo* OR véloroute OR \"transports scolaires\""})
        Watchlist.objects.get_or_create(
            workspace=workspace, user=staff, name="Gros montants solidarités", defaults={
                "policy_area": "Solidarités", "min_amount": Decimal("100000")})
        watch_reports_match(workspace, created)  # the "À traiter" inbox, without e-mails
    return {"bodies": len(bodies), "sittings": len(sittings), "reports": len(created)}


def _record(reports: list[Report], rows: list[tuple], staff) -> list[Report]:
    """What the staff records on the reports found (their direction and commission were
    read from the bundle): policy area, rapporteur; the outcome of a held sitting; who
    follows the reports of the next one."""
    by_number = {row[1]: row for row in rows}
    for report in reports:
        row = by_number.get(report.number)
        if row is None:
            continue
        key, _, _, _, area, commission, _, _, _, decision, votes = row
        fields = {"policy_area": area, "rapporteur": RAPPORTEURS[commission],
                  "decision": decision}
        if votes:
            fields.update(votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2],
                          other_groups_votes={"Union pour le Nord": "for",
                                              "Groupe Socialiste": "for" if votes[1] < 20
                                              else "against"})
        if key == "cp-next" and staff is not None:
            fields.update(assigned_to=staff, follow_status=FollowStatus.IN_PROGRESS,
                          due_date=report.sitting.starts_at.date() - datetime.timedelta(days=2))
        report_save(workspace=report.workspace, report=report, **fields)
    return reports
