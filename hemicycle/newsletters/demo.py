"""Demo data: the group's letter with a few double-opt-in subscribers (with their proof),
a sent issue in the public archive, a draft to the list and a segment of the directory
(the Lille-3 letter, when the actors demo made it), a press release and a press
conference.
Idempotent; nothing is mailed."""

from datetime import timedelta

from django.utils import timezone

from hemicycle.newsletters import services
from hemicycle.newsletters.models import (
    Campaign,
    Delivery,
    MailingList,
    PressConference,
    PressRelease,
    Subscriber,
)

LIST_NAME = "La lettre des écologistes du Nord"
CONSENT = ("J'accepte de recevoir par e-mail la lettre d'information du Groupe Écologiste et "
           "Citoyen du Nord (une à deux fois par mois). Je peux me désinscrire à tout moment "
           "par le lien présent dans chaque lettre.")
# Invented people; addresses on reserved domains; IPs from the documentation ranges.
SUBSCRIBERS = [
    ("nadia.benali@example.org", "Nadia Benali", "192.0.2.14"),
    ("thomas.vandamme@example.org", "Thomas Vandamme", "192.0.2.27"),
    ("ines.dewaele@example.net", "Inès Dewaele", "198.51.100.8"),
    ("marc.lemaire@example.net", "Marc Lemaire", "198.51.100.42"),
    ("asso.jardins-fives@example.org", "Les Jardins partagés de Fives", "203.0.113.5"),
]
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

SENT_BODY = """## Budget 2027 : nos propositions pour les collèges

Le Département a présenté son budget primitif lors de la séance plénière. \
Nos élu·e·s ont défendu trois amendements :

- la rénovation thermique de cinq collèges de la métropole lilloise ;
- des repas bio et locaux à 50 % dans les cantines d'ici 2028 ;
- un fonds pour les associations d'éducation populaire.

**Deux amendements sur trois ont été adoptés.** Le détail des votes est en ligne : https://example.org/budget-2027

## Rencontre à Lille-Fives

Nous vous attendons samedi à la Maison de quartier de Fives pour échanger sur la mobilité."""

DRAFT_BODY = """## Jury citoyen : les projets retenus

Le jury citoyen du canton de Lille-3 a examiné 24 dossiers d'associations.

Les résultats détaillés seront publiés après la commission permanente."""

RELEASE_BODY = """Les élu·e·s du groupe Écologiste et Citoyen demandent que les Actions \
d'Intérêt Local soient attribuées par un jury citoyen dans chaque canton.

« L'argent public doit être attribué de façon transparente, avec les habitant·e·s », \
déclare la co-présidente du groupe.

Le groupe a expérimenté un jury de dix membres à Lille-3 : quatre élu·e·s, trois \
représentant·e·s d'associations et trois citoyen·ne·s tiré·e·s au sort."""


def demo_newsletters(result) -> dict[str, int]:
    workspace = result.workspace
    admin = next(iter(result.users.values()), None)
    made = {"lists": 0, "subscribers": 0, "campaigns": 0, "press": 0}
    mailing_list = MailingList.objects.filter(workspace=workspace, name=LIST_NAME).first()
    if mailing_list is None:
        mailing_list = services.mailing_list_create(
            workspace=workspace, name=LIST_NAME, consent_text=CONSENT,
            description="Les nouvelles du groupe au Conseil départemental du Nord.")
        made["lists"] += 1
    consent = mailing_list.current_consent()
    now = timezone.now()
    for days, (email, name, ip) in enumerate(SUBSCRIBERS, start=10):
        requested = now - timedelta(days=days, minutes=7)
        _sub, created = Subscriber.objects.get_or_create(
            mailing_list=mailing_list, email=email, defaults={
                "name": name, "status": Subscriber.Status.SUBSCRIBED,
                "source": Subscriber.Source.DEMO, "consent": consent,
                "requested_at": requested, "requested_ip": ip, "requested_user_agent": AGENT,
                "confirmed_at": requested + timedelta(minutes=4), "confirmed_ip": ip,
                "confirmed_user_agent": AGENT})
        made["subscribers"] += created
    sent, created = Campaign.objects.get_or_create(
        workspace=workspace, subject="Budget 2027 : ce que nous avons obtenu", defaults={
            "body": SENT_BODY, "mailing_list": mailing_list, "author": admin,
            "preheader": "Deux amendements adoptés sur trois", "status": Campaign.Status.SENT,
            "started_at": now - timedelta(days=3), "sent_at": now - timedelta(days=3)})
    if created:
        made["campaigns"] += 1
        Delivery.objects.bulk_create([
            Delivery(campaign=sent, email=s.email, name=s.name, subscriber=s,
                     origin=f"subscriber:{s.pk}", status=Delivery.Status.SENT,
                     sent_at=now - timedelta(days=3))
            for s in mailing_list.subscribers.filter(status=Subscriber.Status.SUBSCRIBED)])
    _draft, created = Campaign.objects.get_or_create(
        workspace=workspace, subject="Jury citoyen de Lille-3 : les projets retenus",
        defaults={"body": DRAFT_BODY, "mailing_list": mailing_list, "author": admin,
                  "audience": _segment(workspace, "Lille-3")})
    made["campaigns"] += created
    release, created = PressRelease.objects.get_or_create(
        workspace=workspace, title="Pour des jurys citoyens dans chaque canton du Nord",
        defaults={"body": RELEASE_BODY, "author": admin,
                  "contact": "Yanis Delattre, 03 20 00 00 00, presse@example.org"})
    made["press"] += created
    _conference, created = PressConference.objects.get_or_create(
        workspace=workspace, title="Bilan du jury citoyen de Lille-3", defaults={
            "starts_at": (now + timedelta(days=6)).replace(hour=10, minute=30, second=0,
                                                           microsecond=0),
            "place": "Hôtel du Département, 51 rue Gustave Delory, Lille",
            "press_release": release})
    made["press"] += created
    return made


def _segment(workspace, name_part: str) -> str:
    """The audience value of a newsletter segment of the directory whose name contains
    ``name_part`` (the actors demo makes one per canton), or "" without one."""
    from hemicycle.core.audiences import audience_list

    for source, audiences in audience_list(workspace, "newsletter"):
        for audience in audiences:
            if name_part in audience.label:
                return f"{source.key}|{audience.code}"
    return ""
