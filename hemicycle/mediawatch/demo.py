"""Demo data for the media watch: a few sources and about thirty clippings about the Nord.

The outlets and articles are FICTIONAL (``.example`` addresses, invented titles and
quotes); the places are real. The demo sources are not polled automatically (``active``
is off): their addresses lead nowhere. The clippings go through the real filing code
(``items_ingest``), so the cross-posted copies are grouped exactly as live ones would be.
Idempotent: an item already seen in its source is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from hemicycle.core.demo import DemoResult
from hemicycle.mediawatch.fetching import Item
from hemicycle.mediawatch.models import Clipping, KeywordRule, Source
from hemicycle.mediawatch.services import (
    WorkspaceIndex,
    clipping_link_add,
    clipping_mark,
    clipping_tag,
    items_ingest,
    rule_create,
    rule_presets_create,
)

# key, name, kind, url
SOURCES = [
    ("courrier", "Le Courrier du Nord (démo)", Source.Kind.FEED,
     "https://courrier-du-nord.example/rss/metropole.xml"),
    ("echo", "L'Écho de la Métropole (démo)", Source.Kind.FEED,
     "https://echo-metropole.example/feed/"),
    ("flandres", "La Gazette des Flandres (démo)", Source.Kind.FEED,
     "https://gazette-flandres.example/actualites.rss"),
    ("radio", "Radio Val de Deûle (démo)", Source.Kind.FEED,
     "https://radio-valdedeule.example/infos/atom.xml"),
    ("ville", "Ville de Roubaix — actualités (démo)", Source.Kind.PAGE,
     "https://ville-roubaix.example/actualites/"),
]

# source, path, title, summary, hours ago
ARTICLES = [
    ("courrier", "/2026/budget-colleges",
     "Budget 2027 : le Département du Nord réduit l'enveloppe des collèges",
     "Réuni en séance plénière à Lille, le conseil départemental a adopté un budget en "
     "baisse pour l'entretien des collèges. Le groupe écologiste, par la voix de Maëlle "
     "Dufresne, dénonce un recul pour la rénovation thermique des établissements de "
     "Roubaix et de Tourcoing, où plusieurs bâtiments restent mal isolés.", 5),
    ("courrier", "/2026/rsa-controles",
     "RSA : le Département renforce les contrôles, les associations inquiètes",
     "La majorité départementale a voté un plan de contrôle renforcé des allocataires du "
     "revenu de solidarité active. Le Secours populaire du Nord et plusieurs associations "
     "d'insertion craignent des radiations massives ; Nora Benaïssa réclame un bilan "
     "public des sanctions prononcées l'an dernier dans les cantons de Lille.", 8),
    ("courrier", "/2026/velo-route-lys",
     "La véloroute de la Lys enfin achevée entre Armentières et Comines",
     "Le dernier tronçon de la véloroute de la vallée de la Lys a été inauguré samedi. "
     "Financé par le Département et la Métropole européenne de Lille, l'aménagement de "
     "neuf kilomètres longe la rivière et relie Armentières à Comines en toute sécurité "
     "pour les cyclistes du quotidien comme pour les touristes.", 30),
    ("courrier", "/2026/ehpad-tourcoing",
     "Ehpad de Tourcoing : les familles dénoncent le manque de personnel",
     "Une trentaine de familles de résidents se sont rassemblées devant l'Ehpad des "
     "Orions à Tourcoing pour dénoncer le manque de soignants la nuit. Le Département, "
     "qui cofinance l'établissement avec l'agence régionale de santé, promet une "
     "inspection avant la fin du mois et des recrutements au printemps.", 26),
    ("courrier", "/2026/canal-roubaix",
     "Le canal de Roubaix accueille une guinguette éphémère tout l'été",
     "Une association de quartier installera une guinguette sur les berges du canal de "
     "Roubaix de juin à septembre, avec concerts, location de barques et ateliers de "
     "réparation de vélos. Le projet a été retenu dans le cadre des actions d'intérêt "
     "local du canton et doit accueillir ses premiers visiteurs le 14 juin.", 50),
    ("echo", "/metropole/aide-sociale-enfance-foyers",
     "Aide sociale à l'enfance : deux foyers saturés dans la métropole",
     "Deux foyers de l'aide sociale à l'enfance de Lille et de Villeneuve-d'Ascq "
     "accueillent plus de jeunes que leur capacité, selon des éducateurs qui ont alerté "
     "l'inspection du travail. Le groupe écologiste demande la création de places "
     "supplémentaires et une commission d'enquête sur les conditions d'accueil.", 4),
    ("echo", "/metropole/julien-wattebled-mobilites",
     "Julien Wattebled veut des cars express entre Lille et le Pévèle",
     "Le conseiller départemental écologiste propose trois lignes de cars express entre "
     "Lille et les communes de la Pévèle, financées par une réorientation du budget "
     "routier. Il s'appuie sur une enquête menée auprès de huit cents habitants qui "
     "renoncent à prendre les transports en commun faute de desserte le soir.", 7),
    ("echo", "/metropole/jardins-partages-fives",
     "À Fives, les jardins partagés menacés par un projet immobilier",
     "Les jardiniers du quartier de Fives à Lille s'inquiètent d'un projet de "
     "résidences sur la friche qu'ils cultivent depuis dix ans. Une pétition a recueilli "
     "deux mille signatures et les élus écologistes du canton demandent que la parcelle "
     "soit classée en zone naturelle dans le prochain plan local d'urbanisme.", 20),
    ("echo", "/metropole/colleges-numerique",
     "Collèges : les tablettes numériques distribuées avec trois mois de retard",
     "Les élèves de sixième des collèges du Nord recevront finalement leurs tablettes "
     "en janvier, après un retard de livraison du fournisseur. Des enseignants "
     "regrettent l'absence de formation et l'opposition demande le coût total de "
     "l'opération, estimé à plus de quinze millions d'euros sur trois ans.", 33),
    ("echo", "/metropole/budget-participatif-lille",
     "Aurélie Morvan plaide pour un budget participatif départemental",
     "L'élue écologiste du canton de Lille-5 propose de remplacer les actions d'intérêt "
     "local, attribuées par les seuls conseillers départementaux, par un budget "
     "participatif ouvert aux habitants et aux associations. Elle cite les exemples de "
     "Paris et du Gers, où les citoyens votent pour les projets de leur territoire.", 46),
    ("flandres", "/nord/inondations-flandres",
     "Inondations dans les Flandres : les wateringues à bout de souffle",
     "Après les crues de l'hiver, les sections de wateringues réclament des moyens pour "
     "moderniser les pompes qui évacuent l'eau vers la mer. Le Département annonce une "
     "aide exceptionnelle mais les agriculteurs de Bergues et d'Hondschoote jugent le "
     "montant insuffisant face au dérèglement climatique.", 10),
    ("flandres", "/nord/ter-hazebrouck",
     "Ligne TER Hazebrouck-Dunkerque : des suppressions de trains tout le mois",
     "La région annonce une vingtaine de suppressions de trains sur la ligne entre "
     "Hazebrouck et Dunkerque en raison de travaux et d'un manque de conducteurs. Les "
     "usagers dénoncent une dégradation continue du service et réclament des cars de "
     "substitution aux heures de pointe pour rejoindre le littoral.", 28),
    ("flandres", "/nord/cassel-tourisme",
     "Cassel mise sur le tourisme à vélo pour la saison prochaine",
     "La petite cité perchée des Flandres prépare un réseau de boucles cyclables et des "
     "bornes de recharge pour vélos électriques. L'office de tourisme espère attirer les "
     "visiteurs belges et britanniques, nombreux depuis l'ouverture de la véloroute qui "
     "relie les monts des Flandres au littoral dunkerquois.", 52),
    ("flandres", "/nord/agriculture-bio",
     "Cantines des collèges : le bio progresse lentement dans le Nord",
     "Seuls dix-huit pour cent des produits servis dans les cantines des collèges du Nord "
     "sont issus de l'agriculture biologique, loin de l'objectif fixé par la loi. Mathis "
     "Delcourt demande un plan d'approvisionnement auprès des producteurs locaux des "
     "Flandres et du Cambrésis, avec un accompagnement des cuisiniers.", 15),
    ("radio", "/infos/plan-pauvrete",
     "Pauvreté : un habitant sur cinq concerné à Roubaix selon l'Insee",
     "D'après les derniers chiffres de l'Insee, le taux de pauvreté atteint plus de "
     "quarante pour cent à Roubaix, le plus élevé des grandes villes de France. Les "
     "associations appellent le Département à revaloriser les aides aux familles et à "
     "ouvrir davantage de permanences sociales dans les quartiers.", 3),
    ("radio", "/infos/pont-ecluse-marquette",
     "Marquette-lez-Lille : le pont de l'écluse fermé pour six mois",
     "Le pont qui enjambe la Deûle près de l'écluse de Marquette-lez-Lille sera fermé "
     "à la circulation à partir de lundi pour des travaux de renforcement. Des "
     "déviations sont mises en place par Wambrechies et Saint-André ; les bus de la "
     "ligne 50 changent d'itinéraire pendant toute la durée du chantier.", 12),
    ("radio", "/infos/antoine-verhaeghe-dette",
     "Antoine Verhaeghe interroge la dette du Département",
     "En commission des finances, l'élu écologiste Antoine Verhaeghe a demandé le détail "
     "des emprunts contractés pour les grands projets routiers. Il estime que la charge "
     "de la dette pèsera sur les politiques sociales dans les prochaines années et "
     "propose un audit indépendant des investissements.", 24),
    ("radio", "/infos/festival-lille3000",
     "Lille3000 dévoile le thème de sa prochaine édition",
     "L'association lilloise a présenté le programme de sa prochaine saison culturelle, "
     "consacrée aux utopies urbaines, avec des expositions à la gare Saint-Sauveur et "
     "des parades dans plusieurs communes de la métropole. Le Département participe au "
     "financement à hauteur de deux cent mille euros.", 60),
    ("ville", "/actualites/renovation-ecole-anatole-france",
     "Roubaix : la rénovation de l'école Anatole-France commence",
     "Les travaux de rénovation énergétique de l'école Anatole-France débutent pendant "
     "les vacances. Isolation des murs, remplacement des fenêtres et installation de "
     "panneaux solaires doivent diviser par deux la facture de chauffage ; les élèves "
     "seront accueillis dans des modulaires installés dans la cour.", 6),
    ("ville", "/actualites/marche-noel",
     "Le marché de Noël s'installe sur la Grand-Place de Roubaix",
     "Une quarantaine de chalets d'artisans et de producteurs locaux s'installent sur la "
     "Grand-Place jusqu'au 24 décembre. La ville propose aussi une patinoire gratuite et "
     "des animations pour les enfants chaque mercredi après-midi, avec une navette "
     "gratuite depuis les quartiers Nord.", 36),
    ("courrier", "/2026/college-wattrelos-amiante",
     "Collège de Wattrelos : de l'amiante découverte, les cours déplacés",
     "Des traces d'amiante ont été découvertes dans les faux plafonds d'un bâtiment du "
     "collège Émile-Zola de Wattrelos lors de travaux d'entretien. Le Département a fait "
     "évacuer les salles concernées et promet un désamiantage pendant les vacances ; les "
     "parents d'élèves demandent la publication du diagnostic complet.", 2),
    ("echo", "/metropole/mediatheque-hellemmes",
     "Hellemmes : la médiathèque rouvre après deux ans de travaux",
     "Agrandie et rénovée, la médiathèque d'Hellemmes rouvre ses portes samedi avec un "
     "espace pour les adolescents, un atelier de fabrication numérique et des horaires "
     "élargis le dimanche matin. Le chantier a coûté un peu plus de quatre millions "
     "d'euros, dont une partie financée par le Département au titre de la lecture publique.", 18),
    ("flandres", "/nord/dunkerque-port-emplois",
     "Port de Dunkerque : mille emplois attendus avec la nouvelle gigafactory",
     "L'implantation d'une usine de batteries sur la zone industrielle du port doit créer "
     "un millier d'emplois d'ici trois ans. Les acteurs de la formation professionnelle "
     "du littoral se mobilisent pour préparer les demandeurs d'emploi, tandis que des "
     "associations environnementales s'inquiètent de la consommation d'eau du site.", 40),
    ("radio", "/infos/maison-sante-fourmies",
     "Fourmies : une maison de santé pour lutter contre le désert médical",
     "Trois médecins généralistes, deux infirmières et une kinésithérapeute s'installeront "
     "au printemps dans la nouvelle maison de santé pluriprofessionnelle de Fourmies. Le "
     "projet, soutenu par le Département et la communauté de communes, doit permettre à "
     "deux mille habitants de l'Avesnois de retrouver un médecin traitant.", 22),
    ("radio", "/infos/collecte-banque-alimentaire",
     "Banque alimentaire du Nord : une collecte record ce week-end",
     "Les bénévoles de la Banque alimentaire du Nord ont récolté cent quatre-vingts tonnes "
     "de denrées dans les supermarchés du département, un record. L'association alerte "
     "pourtant sur la hausse du nombre de familles accueillies, en particulier des "
     "étudiants et des retraités, dans ses points de distribution de la métropole.", 11),
    ("ville", "/actualites/conseil-citoyen-alma",
     "Quartier de l'Alma : le conseil citoyen présente ses propositions",
     "Le conseil citoyen du quartier de l'Alma a remis à la mairie une quinzaine de "
     "propositions pour améliorer le cadre de vie : éclairage des passages, jardins au pied "
     "des immeubles, navette vers le centre commercial et horaires élargis pour le centre "
     "social. Une réponse écrite est promise avant l'été.", 29),
]

# Cross-posted copies: source, path, title, summary, hours ago, original (source, path),
# and how the copy differs.
COPIES = [
    # the same address with tracking parameters
    ("echo", "/2026/budget-colleges?utm_source=echo&utm_medium=partage", None, None, 4,
     ("courrier", "/2026/budget-colleges")),
    ("radio", "/2026/rsa-controles?fbclid=IwAR2demo", None, None, 6,
     ("courrier", "/2026/rsa-controles")),
    # the same text, a retouched title
    ("flandres", "/nord/budget-colleges-departement",
     "Budget 2027 — le Département du Nord réduit l'enveloppe des collèges !", "", 4,
     ("courrier", "/2026/budget-colleges")),
    ("radio", "/infos/aide-sociale-enfance",
     "Aide sociale à l'enfance : deux foyers saturés dans la métropole (vidéo)", "", 3,
     ("echo", "/metropole/aide-sociale-enfance-foyers")),
    # light edits of the text
    ("courrier", "/2026/wattebled-cars-express",
     "Des cars express entre Lille et la Pévèle ? La proposition de Julien Wattebled",
     "edit", 6, ("echo", "/metropole/julien-wattebled-mobilites")),
    ("echo", "/metropole/pauvrete-roubaix-insee",
     "Pauvreté : un habitant sur cinq concerné à Roubaix selon l'Insee", "edit", 2,
     ("radio", "/infos/plan-pauvrete")),
    ("courrier", "/2026/wateringues",
     "Flandres : les wateringues à bout de souffle après les inondations", "edit", 9,
     ("flandres", "/nord/inondations-flandres")),
    ("echo", "/metropole/bio-cantines-colleges",
     "Cantines des collèges : le bio progresse lentement dans le Nord", "edit", 14,
     ("flandres", "/nord/agriculture-bio")),
]

# Tone and topics on a few, as the staff would have set them.
TAGS = {
    ("courrier", "/2026/budget-colleges"): ("negative", ["Collèges", "Budget"]),
    ("courrier", "/2026/rsa-controles"): ("negative", ["Solidarités"]),
    ("echo", "/metropole/julien-wattebled-mobilites"): ("positive", ["Mobilités"]),
    ("echo", "/metropole/budget-participatif-lille"): ("positive", ["Démocratie locale"]),
    ("courrier", "/2026/velo-route-lys"): ("neutral", ["Mobilités"]),
    ("flandres", "/nord/inondations-flandres"): ("neutral", ["Environnement"]),
}
READ = {("courrier", "/2026/velo-route-lys"), ("radio", "/infos/festival-lille3000"),
        ("ville", "/actualites/marche-noel"), ("flandres", "/nord/cassel-tourisme")}

RULES = [
    ("Collèges", 'collège* OU "rénovation thermique"'),
    ("RSA et insertion", 'RSA OU "revenu de solidarité active" OU insertion'),
    ("Aide sociale à l'enfance", '"aide sociale à l\'enfance" OU ASE OU foyer*'),
]


def _edited(summary: str) -> str:
    """A light edit, as a second outlet would make: a word or two, a closing credit."""
    return (summary.replace(" le ", " ce ", 1).replace("plusieurs", "de nombreux")
            .replace("demande", "réclame", 1) + " (avec AFP)")


def _items(sources: dict[str, Source], now: datetime.datetime
           ) -> list[dict[str, list[Item]]]:
    """The originals by source, then the copies by source: filed in that order, the
    originals are the clippings and the copies their sightings."""
    texts = {(key, path): (title, summary) for key, path, title, summary, _h in ARTICLES}
    originals: dict[str, list[Item]] = {key: [] for key in sources}
    for key, path, title, summary, hours in ARTICLES:
        base = sources[key].url.split("/", 3)[:3]
        originals[key].append(Item(url="/".join(base) + path, title=title, summary=summary,
                                   published_at=now - datetime.timedelta(hours=hours)))
    by_source: dict[str, list[Item]] = {key: [] for key in sources}
    for key, path, title, how, hours, (orig_key, orig_path) in COPIES:
        orig_title, orig_summary = texts[(orig_key, orig_path)]
        host = "/".join(sources[orig_key if title is None else key].url.split("/", 3)[:3])
        summary = _edited(orig_summary) if how == "edit" else orig_summary
        by_source[key].append(Item(url=host + path, title=title or orig_title,
                                   summary=summary,
                                   published_at=now - datetime.timedelta(hours=hours)))
    return [originals, by_source]


@transaction.atomic
def demo_mediawatch(result: DemoResult) -> dict[str, int]:
    workspace = result.workspace
    sources = {}
    for key, name, kind, url in SOURCES:
        sources[key], _created = Source.objects.get_or_create(
            workspace=workspace, url=url,
            defaults={"name": name, "kind": kind, "active": False, "is_demo": True,
                      "link_pattern": "/actualites/" if kind == Source.Kind.PAGE else "",
                      "last_status": "Source de démonstration : relevé désactivé."})
    for name, text in RULES:
        if not KeywordRule.objects.filter(workspace=workspace, name=name).exists():
            rule_create(workspace=workspace, name=name, query=text)
    rule_presets_create(workspace=workspace)
    now = timezone.now()
    index = WorkspaceIndex(workspace)
    new = 0
    for batch in _items(sources, now):
        for key, items in batch.items():
            new += items_ingest(source=sources[key], items=items, index=index).new
    if new:
        _tag(workspace, sources)
    return {"sources": len(sources), "clippings": new}


def _tag(workspace, sources: dict[str, Source]) -> None:
    def clipping_at(key: str, path: str) -> Clipping | None:
        base = "/".join(sources[key].url.split("/", 3)[:3])
        return Clipping.objects.filter(workspace=workspace, url=base + path).first()

    for (key, path), (tone, topics) in TAGS.items():
        if clipping := clipping_at(key, path):
            clipping_tag(clipping=clipping, tone=tone, topics=topics)
    for key, path in READ:
        if clipping := clipping_at(key, path):
            clipping_mark(clipping=clipping, read=True)
    _link(workspace, clipping_at("courrier", "/2026/budget-colleges"))


def _link(workspace, clipping: Clipping | None) -> None:
    """The collèges article linked to a collège of the directory and to the council's
    collèges report, when the actors and council demos made them."""
    from hemicycle.actors.models import Actor
    from hemicycle.council.models import Report

    if clipping is None:
        return
    actor = Actor.objects.filter(workspace=workspace, name__startswith="Collège").order_by(
        "pk").first()
    report = Report.objects.filter(workspace=workspace, title__icontains="collèges").order_by(
        "pk").first()
    if actor is not None:
        clipping_link_add(clipping=clipping, kind="actor", target=actor)
    if report is not None:
        clipping_link_add(clipping=clipping, kind="report", target=report)
