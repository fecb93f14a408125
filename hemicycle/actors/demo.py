"""Demo data: a couple of hundred FICTIONAL local actors in the Nord, most of them in the
group's cantons (Lille-3, Lille-4, Lille-5), with relations, interactions, follow-ups,
consents, themes, a segment and a pair of duplicates to review.

Names are invented (no real association, no real person); RNA numbers are in the Nord's
W59 range but made up. Everything is written with bulk queries (the URL-walking test
builds the demo for every page it checks) and drawn from a seeded generator, so a run
gives the same directory. Idempotent: once the demo actors exist, nothing is added.
Without the territory (``demo_build(territory=False)``) actors keep their town name and
have no commune, canton or point.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from hemicycle.actors.geocode import Gazetteer
from hemicycle.actors.models import (
    Actor,
    ConsentRecord,
    DuplicateCandidate,
    Interaction,
    Relation,
    Segment,
    Tag,
    Theme,
    actor_canton_sync,
)
from hemicycle.elected.models import ElectedMember

DEMO_SOURCE = "Démonstration (données fictives)"
SEED = 5959

# (town, INSEE code, postal code, weight): the group's cantons first.
TOWNS = [
    ("Lille", "59350", "59000", 30), ("Mons-en-Barœul", "59410", "59370", 6),
    ("Ronchin", "59507", "59790", 5), ("Lezennes", "59343", "59260", 2),
    ("Roubaix", "59512", "59100", 4), ("Tourcoing", "59599", "59200", 3),
    ("Villeneuve-d'Ascq", "59009", "59650", 4), ("Dunkerque", "59183", "59140", 2),
    ("Valenciennes", "59606", "59300", 2), ("Douai", "59178", "59500", 2),
    ("Armentières", "59017", "59280", 1), ("Faches-Thumesnil", "59220", "59155", 2),
]
LILLE_CENTRES = [(50.6292, 3.0573), (50.6180, 3.0450), (50.6350, 3.0800),
                 (50.6260, 3.0900), (50.6110, 3.0680)]

ORGANISATIONS = [
    ("association", "Jardins partagés {place}"), ("association", "AMAP {place}"),
    ("association", "Repair Café {place}"), ("association", "Vélo en ville {place}"),
    ("association", "Amicale des locataires {place}"), ("association", "Zéro Déchet {place}"),
    ("association", "Théâtre des Quartiers {place}"), ("association", "Épicerie solidaire {place}"),
    ("association", "Maison des jeux {place}"), ("association", "Parents d'élèves {place}"),
    ("association", "Club de foot féminin {place}"), ("association", "Accueil des exilés {place}"),
    ("collective", "Collectif Air pur {place}"),
    ("collective", "Collectif Nature en ville {place}"),
    ("collective", "Collectif Logement digne {place}"), ("business", "Recyclerie {place}"),
    ("business", "SCOP Les Maraîchers {place}"), ("public_service", "Centre social {place}"),
    ("public_service", "Médiathèque {place}"), ("school", "Collège {person} ({place})"),
    ("institution", "Mairie de quartier {place}"), ("union", "Union locale syndicale {place}"),
    ("party", "Groupe local écologiste {place}"), ("media", "La Gazette {place}"),
]
QUARTERS = ["Fives", "Moulins", "Wazemmes", "Lille-Sud", "Bois-Blancs", "Vauban",
            "Saint-Maurice", "Hellemmes", "Vieux-Lille", "Centre", "Faubourg de Béthune"]
FIRST_NAMES = ["Camille", "Inès", "Théo", "Louise", "Karim", "Manon", "Hugo", "Fatou",
               "Julien", "Léa", "Mehdi", "Chloé", "Bastien", "Amandine", "Yasmina",
               "Quentin", "Sofiane", "Pauline", "Romain", "Élise"]
LAST_NAMES = ["Vandewalle", "Delannoy", "Lefebvre", "Descamps", "Ben Saïd", "Vanhoutte",
              "Duhamel", "Wattel", "Lemaire", "Caron", "Declercq", "Haddad", "Dumortier",
              "Vermeersch", "Nguyen", "Deroo", "Lambin", "Boulanger", "Diallo", "Hennebelle"]
COLLEGE_NAMES = ["Rosa-Parks", "Simone-Veil", "Jean-Zay", "Lucie-Aubrac", "Germaine-Tillion"]
THEMES = {"Écologie": ["Mobilité", "Alimentation", "Déchets", "Biodiversité"],
          "Solidarités": ["Logement", "Accueil des exilés", "Aide alimentaire"],
          "Culture et sport": ["Théâtre", "Sport"], "Éducation": ["Collèges"]}
THEME_OF = {"Jardins": "Biodiversité", "AMAP": "Alimentation", "Repair": "Déchets",
            "Vélo": "Mobilité", "Amicale": "Logement", "Zéro": "Déchets",
            "Théâtre": "Théâtre", "Épicerie": "Aide alimentaire", "Parents": "Collèges",
            "Club": "Sport", "Accueil": "Accueil des exilés", "Collectif Air": "Mobilité",
            "Collectif Nature": "Biodiversité", "Collectif Logement": "Logement",
            "Recyclerie": "Déchets", "SCOP": "Alimentation", "Collège": "Collèges"}
STREETS = ["des Postes", "Pierre-Legrand", "Gambetta", "de Lannoy", "Jean-Jaurès",
           "du Marché"]
TAGS = ["AIL 2024", "Jury citoyen", "Appel à projets", "Partenaire", "À rencontrer"]
ORGANISATION_COUNT = 170
PERSON_COUNT = 60


def _pick_town(rng: random.Random) -> tuple:
    return rng.choices(TOWNS, weights=[t[3] for t in TOWNS])[0]


def _rna(index: int) -> str:
    return f"W59{index * 7919 % 10**7:07d}"


def _organisations(rng: random.Random, workspace) -> list[Actor]:
    actors, seen = [], set()
    while len(actors) < ORGANISATION_COUNT:
        kind, pattern = rng.choice(ORGANISATIONS)
        town = _pick_town(rng)
        place = rng.choice(QUARTERS) if town[0] == "Lille" else town[0]
        name = pattern.format(place=place, person=rng.choice(COLLEGE_NAMES))
        if name in seen:
            continue
        seen.add(name)
        index = len(actors) + 1
        actors.append(Actor(
            workspace=workspace, type=Actor.Type.ORGANISATION, kind=kind, name=name,
            city=town[0], postal_code=town[2],
            street=f"{rng.randint(1, 180)} rue {rng.choice(STREETS)}",
            rna_id=_rna(index) if kind in ("association", "collective") else "",
            email=f"contact@{_slug(name)}.example.org" if rng.random() < 0.7 else "",
            phone=f"03 20 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            created_on=datetime.date(rng.randint(1975, 2023), rng.randint(1, 12), 1),
            description="", data_source=DEMO_SOURCE, notes="Structure fictive (démonstration).",
        ))
        actors[-1]._insee = town[1]
    return actors


def _slug(name: str) -> str:
    from hemicycle.lib.text import normalize_name

    return normalize_name(name).replace(" ", "-")[:40]


def _people(rng: random.Random, workspace) -> list[Actor]:
    people, seen = [], set()
    while len(people) < PERSON_COUNT:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        town = _pick_town(rng)
        people.append(Actor(
            workspace=workspace, type=Actor.Type.PERSON, first_name=first, last_name=last,
            city=town[0], postal_code=town[2],
            email=f"{_slug(first)}.{_slug(last)}@example.org".replace("-", ""),
            lawful_basis=Actor.LawfulBasis.LEGITIMATE, data_source=DEMO_SOURCE,
            notes="Personne fictive (démonstration)."))
        people[-1]._insee = town[1]
    return people


def _place(actors: list[Actor], rng: random.Random) -> None:
    """Commune, a point near it (jittered: fictional addresses) and the canton(s)."""
    gazetteer = Gazetteer(_communes({a._insee for a in actors}))
    for actor in actors:
        actor._cantons = []
        if actor._insee not in gazetteer.by_insee:
            continue  # no territory loaded
        _cid, lat, lon = gazetteer.by_insee[actor._insee]
        if actor.city == "Lille":
            lat, lon = rng.choice(LILLE_CENTRES)
        if lat is None:
            continue
        lat, lon = lat + rng.uniform(-0.006, 0.006), lon + rng.uniform(-0.009, 0.009)
        place = gazetteer.locate(actor._insee, latitude=lat, longitude=lon)
        actor.commune_id, actor._cantons = place.commune_id, place.canton_ids
        actor.latitude, actor.longitude = lat, lon
        actor.approximate_position = False


def _communes(codes: set[str]):
    from hemicycle.territory.models import Commune

    return Commune.objects.filter(insee_code__in=codes)


def _themes(workspace) -> dict[str, Theme]:
    themes = {}
    for parent_name, children in THEMES.items():
        parent, _ = Theme.objects.get_or_create(workspace=workspace, parent=None,
                                                name=parent_name)
        themes[parent_name] = parent
        for name in children:
            themes[name], _ = Theme.objects.get_or_create(workspace=workspace, parent=parent,
                                                          name=name)
    return themes


@transaction.atomic
def demo_actors(result) -> dict[str, int]:
    workspace = result.workspace
    if Actor.objects.filter(workspace=workspace, data_source=DEMO_SOURCE).exists():
        return {"actors": 0}
    rng = random.Random(SEED)
    today = timezone.localdate()
    organisations, people = _organisations(rng, workspace), _people(rng, workspace)
    actors = organisations + people
    _place(actors, rng)
    users = list(result.users.values())
    for actor in actors:
        actor.follower = rng.choice(users) if rng.random() < 0.4 else None
        actor.fill_derived()
    # A near-duplicate, as the RNA and a municipal directory would both give it.
    twin = organisations[0]
    copy = Actor(**{f.attname: getattr(twin, f.attname) for f in Actor._meta.concrete_fields
                    if f.attname not in ("id", "code", "rna_id", "email", "name")},
                 name=twin.name.replace("partagés", "partages") + " (asso)", rna_id="")
    copy._cantons = twin._cantons
    copy.fill_derived()
    actors.append(copy)

    interactions = _plan_interactions(rng, organisations, people, today)
    for actor in actors:
        mine = [i for i in interactions if actor in i._actors]
        actor.last_contact_on = max((i.date for i in mine), default=None)
        actor.next_follow_up_on = min((i.follow_up_on for i in mine if i.follow_up_on
                                       and not i.follow_up_done), default=None)
    Actor.objects.bulk_create(actors)
    Actor.cantons.through.objects.bulk_create([
        Actor.cantons.through(actor_id=a.pk, canton_id=c) for a in actors for c in a._cantons])
    actor_canton_sync([a.pk for a in actors])
    themes = _themes(workspace)
    tags = [Tag.objects.get_or_create(workspace=workspace, name=name)[0] for name in TAGS]
    _link_themes_and_tags(rng, organisations, themes, tags)
    relations = _relations(rng, workspace, organisations, people)
    _save_interactions(rng, workspace, interactions, result)
    consents = _consents(rng, people)
    Segment.objects.get_or_create(
        workspace=workspace, name="Lettre d’information – Lille-3",
        defaults={"filters": {"canton": "59025", "consentement": "given"}})
    Segment.objects.get_or_create(
        workspace=workspace, name="Associations écologistes sans contact depuis un an",
        defaults={"filters": {"theme": str(themes["Écologie"].code),
                              "contact_avant": (today - datetime.timedelta(days=365)).isoformat()}})
    DuplicateCandidate.objects.get_or_create(
        workspace=workspace, first=twin, second=copy,
        defaults={"score": 93, "reason": "Nom proche, même commune"})
    return {"actors": len(actors), "relations": relations, "interactions": len(interactions),
            "consents": consents}


def _plan_interactions(rng, organisations, people, today) -> list[Interaction]:
    kinds = [("field_visit", "Visite de {name}"), ("meeting", "Rendez-vous avec {name}"),
             ("call", "Appel : projet de {name}"), ("event", "Assemblée générale de {name}"),
             ("email", "Réponse à {name} sur l'AIL"), ("letter", "Courrier de soutien à {name}")]
    planned = []
    for index in range(70):
        actor = rng.choice(organisations[:120])
        kind, title = rng.choice(kinds)
        date = today - datetime.timedelta(days=rng.randint(1, 700))
        follow_up = date + datetime.timedelta(days=rng.choice([14, 30, 60])) \
            if index % 3 == 0 else None
        interaction = Interaction(
            kind=kind, date=date, title=title.format(name=actor.name), follow_up_on=follow_up,
            follow_up_done=bool(follow_up and follow_up < today and index % 2),
            notes="Échange fictif (démonstration) : besoins de locaux, subvention AIL, "
                  "prochaine sortie terrain.")
        interaction._actors = [actor] + ([rng.choice(people)] if index % 4 == 0 else [])
        planned.append(interaction)
    return planned


def _save_interactions(rng, workspace, interactions, result) -> None:
    elected = list(ElectedMember.objects.filter(workspace=workspace, in_group=True))
    staff = list(result.users.values())
    for interaction in interactions:
        interaction.workspace = workspace
        interaction.author = staff[0] if staff else None
    Interaction.objects.bulk_create(interactions)
    Interaction.actors.through.objects.bulk_create([
        Interaction.actors.through(interaction_id=i.pk, actor_id=a.pk)
        for i in interactions for a in i._actors])
    if elected:
        Interaction.elected.through.objects.bulk_create([
            Interaction.elected.through(interaction_id=i.pk,
                                        electedmember_id=rng.choice(elected).pk)
            for i in interactions if i.kind in ("field_visit", "meeting", "event")])
    if staff:
        Interaction.staff.through.objects.bulk_create([
            Interaction.staff.through(interaction_id=i.pk, user_id=rng.choice(staff).pk)
            for i in interactions])


def _link_themes_and_tags(rng, organisations, themes, tags) -> None:
    theme_links, tag_links = [], []
    for actor in organisations:
        for prefix, theme in THEME_OF.items():
            if actor.name.startswith(prefix):
                theme_links.append(Actor.themes.through(actor_id=actor.pk,
                                                        theme_id=themes[theme].pk))
                break
        if rng.random() < 0.3:
            tag_links.append(Actor.tags.through(actor_id=actor.pk, tag_id=rng.choice(tags).pk))
    Actor.themes.through.objects.bulk_create(theme_links, ignore_conflicts=True)
    Actor.tags.through.objects.bulk_create(tag_links, ignore_conflicts=True)


def _relations(rng, workspace, organisations, people) -> int:
    kinds = [Relation.Kind.PRESIDENT, Relation.Kind.BOARD, Relation.Kind.EMPLOYEE,
             Relation.Kind.VOLUNTEER, Relation.Kind.CONTACT]
    relations = [Relation(workspace=workspace, source=person, target=rng.choice(organisations),
                          kind=rng.choice(kinds),
                          start_on=datetime.date(rng.randint(2010, 2024), 9, 1))
                 for person in people]
    federations = [a for a in organisations if a.kind == "association"][:5]
    for actor in organisations[20:45]:
        relations.append(Relation(workspace=workspace, source=actor,
                                  target=rng.choice(federations), kind=Relation.Kind.MEMBER_OF))
    Relation.objects.bulk_create(relations)
    return len(relations)


def _consents(rng, people) -> int:
    records = []
    for index, person in enumerate(people[:25]):
        records.append(ConsentRecord(
            workspace=person.workspace, actor=person, purpose="newsletter", given=True,
            at=timezone.now() - datetime.timedelta(days=rng.randint(10, 400)),
            ip=f"192.0.2.{index + 10}", text_version="lettre-info-v2",
            source="Formulaire d’inscription du site"))
    ConsentRecord.objects.bulk_create(records)
    Actor.objects.filter(pk__in=[p.pk for p in people[:25]]).update(
        consent_status=Actor.Consent.GIVEN, lawful_basis=Actor.LawfulBasis.CONSENT)
    Actor.objects.filter(pk__in=[p.pk for p in people[25:30]]).update(no_email=True)
    return len(records)
