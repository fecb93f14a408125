"""Demo data: the Conseil départemental du Nord's bodies, four sittings (two held, two
coming) and their reports, for `hemicycle demo`.

The reports are invented but written like the real ones (numbers such as DAT/2026/81,
directions, amounts, communes of the Nord). Idempotent: bodies, sittings and reports are
found again by their names and numbers; sittings are dated from the day of the first run.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DemoResult
from hemicycle.council.models import Body, FollowStatus, Report, Sitting, Watchlist
from hemicycle.council.search import search_index_report
from hemicycle.council.services.ingestion import (
    entities_as_json,
    entities_of_many,
    summary_of,
)
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
    ("plenary-next", "DFIN/2027/1", "Budget primitif 2027", "Direction des Finances",
     "Finances, administration générale", FINANCE, "Lille", "Dunkerque",
     Decimal("3912000000"), "", None),
    ("plenary-next", "DIE/2027/2", "Revenu de solidarité active – Orientations 2027 et "
     "accompagnement renforcé des allocataires", "Direction de l'Insertion et de l'emploi",
     "Insertion, emploi, RSA", SOLIDARITY, "Maubeuge", "Fourmies", Decimal("612000000"), "",
     None),
    ("plenary-next", "DENV/2027/3", "Plan climat du Département 2027-2032",
     "Direction de l'Environnement", "Environnement, transition écologique", MOBILITY,
     "Dunkerque", "Gravelines", Decimal("48000000"), "", None),
    ("plenary-next", "DVD/2027/4", "Programme d'entretien des routes départementales 2027",
     "Direction de la Voirie départementale", "Infrastructures, mobilités", MOBILITY,
     "Cambrai", "Le Cateau-Cambrésis", Decimal("86500000"), "", None),
]


def _euros(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", "\u00a0") + "\u00a0€"


def _text(number: str, title: str, direction: str, commune: str, other: str,
          amount: Decimal) -> str:
    share = _euros((amount * Decimal("0.3")).quantize(Decimal(1)))
    return "\n\n".join([
        f"RAPPORT N° {number}\n{direction.upper()}\nOBJET : {title}",
        f"Le Département du Nord accompagne les communes et les associations du territoire "
        f"dans leurs projets. La commune de {commune} a sollicité son soutien, ainsi que "
        f"celle de {other}, pour des opérations engagées en 2026.",
        f"Le montant proposé s'élève à {_euros(amount)}, dont {share} au titre de la "
        f"première tranche. Le comité de pilotage, réuni le 12 septembre 2026, a émis un "
        f"avis favorable.",
        f"Les crédits correspondants sont inscrits au budget départemental. Une convention "
        f"précisera les modalités de versement de l'aide à {commune}.",
        "Il est proposé au Conseil départemental :\n"
        f"- d'approuver les dispositions du présent rapport n° {number} ;\n"
        "- d'autoriser Monsieur le Président à signer les actes correspondants.",
    ])


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
    created = _reports(result, bodies, sittings, staff)
    if staff is not None:
        Watchlist.objects.get_or_create(
            workspace=workspace, user=staff, name="Mobilités douces", defaults={
                "query": "vélo* OR véloroute OR \"transports scolaires\""})
        Watchlist.objects.get_or_create(
            workspace=workspace, user=staff, name="Gros montants solidarités", defaults={
                "policy_area": "Solidarités", "min_amount": Decimal("100000")})
    return {"bodies": len(bodies), "sittings": len(sittings), "reports": created}


def _reports(result, bodies, sittings, staff) -> int:
    workspace = result.workspace
    todo = []
    for rank, row in enumerate(REPORTS, start=1):
        key, number, title, direction, area, commission, commune, other, amount, decision, \
            votes = row
        if Report.objects.filter(workspace=workspace, number=number).exists():
            continue
        report = Report(
            workspace=workspace, sitting=sittings[key], rank=rank, number=number,
            title=title, direction=direction, policy_area=area,
            commission=bodies[commission], decision=decision,
            rapporteur="Rapporteur·e de la commission",
            text=_text(number, title, direction, commune, other, amount))
        if votes:
            report.votes_for, report.votes_against, report.votes_abstain = votes
            report.other_groups_votes = {"Union pour le Nord": "for",
                                         "Groupe Socialiste": "for" if votes[1] < 20
                                         else "against"}
        if key == "cp-next" and staff is not None:
            report.assigned_to, report.follow_status = staff, FollowStatus.IN_PROGRESS
            report.due_date = sittings[key].starts_at.date() - datetime.timedelta(days=2)
        todo.append(report)
    # Rules only for organisations: spaCy's model would make the demo slow to build.
    found = entities_of_many([r.text for r in todo], workspace, ner=False)
    for report, entities in zip(todo, found, strict=True):
        report.entities = entities_as_json(entities)
        report.summary = summary_of(report.text)
        report.save()
        search_index_report(report)
    return len(todo)
