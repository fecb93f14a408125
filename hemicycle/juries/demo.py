"""Demo data: the Actions d'Intérêt Local of canton Lille-3, for `hemicycle demo`.

Two calls: AIL 2025, complete (15 applications from invented associations, a jury of
three colleges whose citizens were drawn among 60 invented volunteers, scores, an
adopted allocation, results published), and AIL 2026, open for applications. Every
person and association is FICTIONAL. Idempotent: an existing call is left as it is.
Without the territory (tests), the calls have no canton and addresses no commune.
"""

import datetime
import random

from django.utils import timezone

from hemicycle.accounts.models import Membership, User
from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DEMO_PASSWORD
from hemicycle.juries.models import Application, Campaign, College, Juror, Review, Volunteer
from hemicycle.juries.services import allocation, campaigns, draws
from hemicycle.juries.services.applications import _place, _refresh
from hemicycle.territory.models import Canton

LILLE_3 = "59025"
CRITERIA = [("Transition écologique", 2), ("Justice sociale", 2), ("Vie démocratique", 1),
            ("Ancrage local", 1)]

# structure, RNA, postal code, project, theme, amount requested, total budget
APPLICATIONS = [
    ("Les Jardins de Moulins", "W595012301", "59000", "Jardin partagé de la rue d'Arras",
     "Environnement", 11500, 18200),
    ("Vélo Solidaire Wazemmes", "W595012302", "59000", "Atelier de réparation de vélos",
     "Mobilités", 9200, 13800),
    ("Repair Café Lille-Sud", "W595012303", "59000", "Repair café mensuel",
     "Environnement", 3400, 5100),
    ("Épicerie solidaire La Passerelle", "W595012304", "59000", "Paniers frais pour étudiants",
     "Solidarité", 15000, 31000),
    ("Compagnie du Faubourg", "W595012305", "59000", "Théâtre forum dans les quartiers",
     "Culture", 11800, 19400),
    ("Les Petits Débrouillards du Nord", "W595012306", "59000", "Sciences en bas des tours",
     "Éducation", 12500, 21000),
    ("AMAP des Bois-Blancs", "W595012307", "59000", "Point de distribution à vélo",
     "Alimentation", 4300, 6000),
    ("Boxing Club de Lomme", "W595012308", "59160", "Boxe éducative pour les 11-15 ans",
     "Sport", 8600, 12800),
    ("Collectif Habitants Vauban", "W595012309", "59000", "Conseil de quartier ouvert",
     "Démocratie", 2500, 3200),
    ("Lire et Faire Lire Lille", "W595012310", "59000", "Lectures en crèches et EHPAD",
     "Culture", 3900, 5400),
    ("Toit Partagé", "W595012311", "59000", "Accueil de jour pour femmes sans abri",
     "Solidarité", 15000, 62000),
    ("Radio Campus Quartiers", "W595012312", "59000", "Émission des habitant·e·s",
     "Démocratie", 4800, 9900),
    # Ineligible: a mistyped RNA; an amount above the ceiling; a second request.
    ("Association Zéro Déchet Lille", "W59501230", "59000", "Défi familles zéro déchet",
     "Environnement", 5200, 7400),
    ("Fête des Voisins Esquermes", "W595012314", "59000", "Grande tablée de quartier",
     "Culture", 18000, 24000),
    ("Vélo Solidaire Wazemmes", "W595012302", "59000", "Atelier de réparation vélo",
     "Mobilités", 9200, 13800),
]
FIRST = ["Camille", "Lucas", "Inès", "Hugo", "Léa", "Karim", "Manon", "Théo", "Sarah",
         "Nathan", "Yasmine", "Louis", "Chloé", "Mehdi", "Jade", "Arthur", "Fatou", "Paul"]
LAST = ["Lemaire", "Dubois", "Haddad", "Vandenbussche", "Leroy", "Benali", "Desmet",
        "Caron", "Mabille", "Nowak", "Delannoy", "Sow", "Lefort", "Duhamel", "Vermeulen"]
STREETS = ["rue d'Arras", "rue des Postes", "rue Gantois", "boulevard Victor-Hugo",
           "rue Solférino", "rue de Wazemmes", "avenue de Dunkerque", "rue Pierre-Legrand"]
QUOTAS = [["genre", "Femme", 1, 2], ["genre", "Homme", 1, 2],
          ["âge", "18-34 ans", 1, 1], ["âge", "35-59 ans", 1, 1],
          ["âge", "60 ans et plus", 1, 1],
          ["quartier", "Moulins", 0, 1], ["quartier", "Wazemmes", 0, 1],
          ["quartier", "Vauban-Esquermes", 0, 1], ["quartier", "Lomme", 0, 1]]
ELECTED_JURORS = ["Maëlle Dufresne", "Antoine Verhaeghe", "Nora Benaïssa", "Julien Wattebled"]
ASSOCIATION_JURORS = ["Odile Carpentier (Maison des associations)",
                      "Rachid Menouar (Centre social Lazare-Garreau)",
                      "Sylvie Deroo (Ligue de l'enseignement)"]
SEED = "Euromillions 2025-04-15 : 7 19 23 41 48 — étoiles 2 9"


def demo_juries(result) -> dict[str, int]:
    workspace = result.workspace
    canton = Canton.objects.filter(code=LILLE_3).first()
    made = {"campaigns": 0, "applications": 0}
    past = Campaign.objects.filter(workspace=workspace, public_slug="ail-lille-3-2025").first()
    if past is None:
        past = _campaign(workspace, canton, 2025, datetime.date(2025, 1, 6),
                         datetime.date(2025, 3, 14), published=True)
        made["campaigns"] += 1
        made["applications"] += _applications(past, APPLICATIONS)
        _jury(past, result.users.get(Role.ADMIN))
    current = Campaign.objects.filter(workspace=workspace, public_slug="ail-lille-3-2026").first()
    if current is None:
        today = timezone.localdate()
        current = _campaign(workspace, canton, 2026, today - datetime.timedelta(days=20),
                            today + datetime.timedelta(days=40), published=False)
        made["campaigns"] += 1
        made["applications"] += _applications(current, APPLICATIONS[:3])
    return made


def _campaign(workspace, canton, year: int, opens, closes, published: bool) -> Campaign:
    return campaigns.campaign_save(
        workspace=workspace, criteria=CRITERIA, cantons=[canton] if canton else [],
        title=f"Actions d'Intérêt Local — Lille-3 {year}", public_slug=f"ail-lille-3-{year}",
        kind=Campaign.Kind.LOCAL_GRANTS, year=year, envelope=87458,
        description="L'enveloppe AIL du canton Lille-3 attribuée par un jury citoyen de dix "
                    "membres en trois collèges (élu·e·s, associations, citoyen·ne·s tiré·e·s "
                    "au sort), sur des critères de transition écologique, sociale et "
                    "démocratique.",
        opens_on=opens, closes_on=closes, jury_on=closes + datetime.timedelta(days=30),
        decision_on=closes + datetime.timedelta(days=75), decision_body="Commission permanente",
        require_identifier=True, seat_in_territory=True, min_amount=1000, max_amount=15000,
        one_per_structure=True, recent_funding_months=None, score_scale=5,
        rule=Campaign.Rule.GREEDY_SCORE, partial_min_share=None, anonymous_review=False,
        published=published)


def _applications(campaign: Campaign, rows) -> int:
    rng = random.Random(f"{campaign.public_slug}-applications")
    for number, (name, rna, postal, title, theme, asked, total) in enumerate(rows, start=1):
        contact = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        application = Application(
            workspace=campaign.workspace, campaign=campaign, number=number,
            structure_name=name, legal_form="Association loi 1901", identifier=rna,
            address=f"{rng.randint(2, 180)} {rng.choice(STREETS)}", postal_code=postal,
            contact_name=contact,
            contact_email=f"contact{number}@{campaign.public_slug}.demo.hemicycle.fr",
            title=title, description=f"{title} : un projet porté par {name}, ouvert à toutes "
            "et tous, avec les habitant·e·s du quartier. (Association fictive.)",
            category=theme, place="Lille", people_reached=rng.randint(40, 900),
            total_budget=total, amount_requested=asked,
            other_funding="Ville de Lille, fonds propres")
        _place(application, "Lille")
        _refresh(application)
        application.status = Application.Status.ELIGIBLE if all(
            c["ok"] for c in application.checks) and application.duplicate_of is None \
            else Application.Status.INELIGIBLE
        if campaign.is_open():
            application.status = Application.Status.SUBMITTED
        elif application.duplicate_of is not None:
            application.status = Application.Status.WITHDRAWN
            application.decision_reason = "Doublon d'une candidature déjà déposée."
        elif application.status == Application.Status.INELIGIBLE:
            application.decision_reason = "; ".join(
                c["message"] for c in application.checks if not c["ok"])
        application.save()
    return len(rows)


def _jury(campaign: Campaign, admin) -> None:
    elected = College.objects.create(workspace=campaign.workspace, campaign=campaign,
                                     name="Élu·e·s", seats=4)
    associations = College.objects.create(workspace=campaign.workspace, campaign=campaign,
                                          name="Associations", seats=3)
    citizens = College.objects.create(workspace=campaign.workspace, campaign=campaign,
                                      name="Citoyen·ne·s", seats=3,
                                      method=College.Method.DRAWN, quotas=QUOTAS)
    for college, names in ((elected, ELECTED_JURORS), (associations, ASSOCIATION_JURORS)):
        for name in names:
            _juror(campaign, college, name)
    _volunteers(citizens)
    draw = draws.draw_create(college=citizens, seed=SEED, algorithm="leximin", by=admin)
    if draw.status == draw.Status.DONE:
        for volunteer in citizens.volunteers.filter(workspace=campaign.workspace,
                                                    pseudonym__in=draw.panel):
            _juror(campaign, citizens, f"{volunteer.first_name} {volunteer.last_name}",
                   volunteer.email)
    _reviews(campaign)
    run = allocation.allocation_run(campaign=campaign, rule=campaign.rule, by=admin)
    allocation.allocation_adopt(allocation=run, by=admin)


def _juror(campaign, college, name: str, email: str = "") -> Juror:
    """A juror with an account (the demo password) and the ``juror`` role scoped to the
    campaign, so that e.g. maelle.dufresne@demo.hemicycle.fr can log in and score."""
    slug = name.split(" (")[0].lower().replace(" ", ".").replace("ë", "e").replace("ï", "i")
    email = email or f"{slug}@demo.hemicycle.fr"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name.split(" (")[0])
    Membership.objects.get_or_create(workspace=campaign.workspace, user=user, defaults={
        "role": Role.JUROR, "scope": {"campaign": str(campaign.code)}})
    # No mail in the demo: the staff sends the invitations from the jury page.
    return Juror.objects.create(workspace=campaign.workspace, campaign=campaign, college=college,
                                name=name, email=email, user=user)


def _volunteers(college: College) -> None:
    rng = random.Random("lille-3-volunteers")
    ages = ["18-34 ans", "35-59 ans", "60 ans et plus"]
    quarters = ["Moulins", "Wazemmes", "Vauban-Esquermes", "Lomme"]
    address = ""
    for n in range(1, 61):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # One in ten shares the previous volunteer's home (one person per household).
        if n % 10 or not address:
            address = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        Volunteer.objects.create(
            workspace=college.workspace, college=college, pseudonym=f"V-{n:04d}",
            first_name=first, last_name=last,
            email=f"volontaire{n}@demo.hemicycle.fr", address=address,
            postal_code="59160" if n % 7 == 0 else "59000",
            features={"genre": rng.choice(["Femme", "Homme"]),
                      "âge": rng.choices(ages, weights=[3, 4, 2])[0],
                      "quartier": rng.choice(quarters)},
            consent_at=timezone.now())


def _reviews(campaign: Campaign) -> None:
    rng = random.Random(f"{campaign.public_slug}-reviews")
    criteria = list(campaigns.campaign_criteria(campaign))
    eligible = list(campaign.applications.filter(status=Application.Status.ELIGIBLE))
    quality = {a.pk: rng.uniform(1.5, 4.5) for a in eligible}
    for j, juror in enumerate(campaign.jurors.all()):
        for i, application in enumerate(eligible):
            if (i + 2 * j) % 23 == 0:  # a few declared conflicts of interest
                Review.objects.create(workspace=campaign.workspace, juror=juror,
                                      application=application, conflict=True)
                continue
            scores = {str(c.pk): max(0, min(5, round(quality[application.pk] + rng.uniform(
                -1.2, 1.2)))) for c in criteria}
            Review.objects.create(workspace=campaign.workspace, juror=juror,
                                  application=application, scores=scores,
                                  approved=quality[application.pk] + rng.uniform(-1, 1) > 3.2)
