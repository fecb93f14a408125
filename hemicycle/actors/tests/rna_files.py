"""Generated RNA files ("rna_waldec" exports) for tests and bench/bench_rna_import.py.

The columns are those of the real monthly export; titles, objects and addresses are
invented from French association vocabulary, INSEE codes are real Nord communes.
"""

import random

HEADER = ("id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;"
          "groupement;titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;"
          "adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;"
          "adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;"
          "adrg_complemgeo;adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;"
          "dir_civilite;siteweb;publiweb;observation;position;maj_time").split(";")

# (INSEE, postal code, name as the RNA writes it)
NORD = [("59350", "59000", "LILLE"), ("59512", "59100", "ROUBAIX"),
        ("59599", "59200", "TOURCOING"), ("59009", "59650", "VILLENEUVE D ASCQ"),
        ("59183", "59140", "DUNKERQUE"), ("59606", "59300", "VALENCIENNES"),
        ("59178", "59500", "DOUAI"), ("59122", "59400", "CAMBRAI"),
        ("59392", "59600", "MAUBEUGE"), ("59410", "59370", "MONS EN BAROEUL"),
        ("59507", "59790", "RONCHIN"), ("59343", "59260", "LEZENNES"),
        ("59017", "59280", "ARMENTIERES"), ("59328", "59130", "LAMBERSART"),
        ("59220", "59155", "FACHES THUMESNIL"), ("59360", "59120", "LOOS"),
        ("59650", "59150", "WATTRELOS"), ("59163", "59170", "CROIX")]
ACTIVITIES = ["AMICALE", "ASSOCIATION SPORTIVE", "COMITE DES FETES", "CLUB", "UNION",
              "ASSOCIATION CULTURELLE", "FOYER RURAL", "COLLECTIF", "ATELIER", "CHORALE",
              "ECOLE DE MUSIQUE", "JARDINS", "LES AMIS", "ASSOCIATION DES PARENTS",
              "RESTOS", "SECOURS", "MAISON", "CERCLE", "CONFRERIE", "OFFICE"]
SUBJECTS = ["DU VELO", "DE LA PETANQUE", "DES ANCIENS", "DU QUARTIER", "DE BADMINTON",
            "DES LOCATAIRES", "DE JUDO", "DU PATRIMOINE", "DES JARDINIERS", "DE THEATRE",
            "DE DANSE", "DES AIDANTS", "DU COLLEGE", "DE RANDONNEE", "DES COMMERCANTS",
            "DE LA SOLIDARITE", "DE L ECOLE", "DES PECHEURS", "DU CINEMA", "DES ARTS"]
PLACES = ["FIVES", "WAZEMMES", "MOULINS", "DU CENTRE", "DE LA GARE", "SAINT MAURICE",
          "DU VIEUX LILLE", "DU BOIS BLANC", "DES TROIS PONTS", "DU PONT DE BOIS",
          "DE L EPEULE", "DU BOURG", "DES HAUTS CHAMPS", "DE LA MAIRIE", "NORD"]
STREETS = [("RUE", "DES POSTES"), ("RUE", "PIERRE LEGRAND"), ("AV", "DU PEUPLE BELGE"),
           ("BD", "DE LA LIBERTE"), ("PL", "DU GENERAL DE GAULLE"), ("RUE", "GAMBETTA"),
           ("RUE", "DE LANNOY"), ("CHE", "DES BOIS"), ("IMP", "DES FLEURS")]


def rna_id(number: int) -> str:
    return f"W59{number:07d}"


NAMES = ["JEAN JAURES", "LOUISE MICHEL", "VICTOR HUGO", "PASTEUR", "JULES FERRY",
         "SAINT EXUPERY", "MARIE CURIE", "ANNE FRANK", "DESROUSSEAUX", "PIERRE DE GEYTER",
         "ROGER SALENGRO", "GEORGES BRASSENS", "JACQUES BREL", "SIMONE VEIL", "DIDEROT",
         "LAMARTINE", "BUISSON", "LEO LAGRANGE", "AIME CESAIRE", "OLYMPE DE GOUGES",
         "ROSA PARKS", "JEAN MOULIN", "LUCIE AUBRAC", "CAMILLE CLAUDEL", "NELSON MANDELA"]


def title(rng: random.Random) -> str:
    words = [rng.choice(ACTIVITIES), rng.choice(SUBJECTS), rng.choice(NAMES),
             rng.choice(PLACES)]
    return " ".join(words)


def near_duplicate(title_text: str, rng: random.Random) -> str:
    """What a second declaration of the same association looks like."""
    variants = [lambda t: "ASSOCIATION " + t, lambda t: t.replace(" DU ", " DE "),
                lambda t: t + " (ASSO)", lambda t: t.replace("LES ", "")]
    return rng.choice(variants)(title_text)


def row(number: int, rng: random.Random, *, name: str | None = None,
        place: tuple | None = None, dissolved: bool = False) -> list[str]:
    insee, postal, town = place or rng.choice(NORD)
    street_type, street = rng.choice(STREETS)
    values = dict.fromkeys(HEADER, "")
    values.update({
        "id": rna_id(number), "id_ex": f"0594{number:09d}"[-13:], "siret": "",
        "gestion": "593P", "date_creat": f"{rng.randint(1950, 2024)}-0{rng.randint(1, 9)}-1"
        f"{rng.randint(0, 9)}", "date_decla": "2024-01-15", "date_publi": "2024-02-01",
        "date_disso": "2023-06-30" if dissolved else "0001-01-01", "nature": "D",
        "groupement": "S", "titre": name or title(rng), "titre_court": "",
        "objet": "favoriser les rencontres et les activités de loisirs entre les habitants",
        "objet_social1": "024000", "adrs_numvoie": str(rng.randint(1, 250)),
        "adrs_typevoie": street_type, "adrs_libvoie": street, "adrs_codeinsee": insee,
        "adrs_codepostal": postal, "adrs_libcommune": town, "adrg_pays": "FRANCE",
        "dir_civilite": "PM", "publiweb": "0", "position": "D" if dissolved else "A",
        "maj_time": "2024-02-01 10:00:00",
    })
    return [values[column] for column in HEADER]


def write_rna(path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as out:
        out.write(";".join(HEADER) + "\r\n")
        for values in rows:
            out.write(";".join(values) + "\r\n")


def generated_rows(count: int, seed: int = 59, duplicate_share: float = 0.02):
    """``count`` rows; ``duplicate_share`` of them re-declare an earlier association of
    the same commune under a slightly different title (another RNA number)."""
    rng = random.Random(seed)
    earlier: list[tuple[str, tuple]] = []
    for number in range(1, count + 1):
        if earlier and rng.random() < duplicate_share:
            name, place = rng.choice(earlier)
            yield row(number, rng, name=near_duplicate(name, rng), place=place)
            continue
        values = row(number, rng)
        if len(earlier) < 5000:
            earlier.append((values[HEADER.index("titre")], next(
                p for p in NORD if p[0] == values[HEADER.index("adrs_codeinsee")])))
        yield values
