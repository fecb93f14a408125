"""Ingestion figures, engine part: extract, split and extract entities, in pages per second,
against raw pypdfium2 text extraction of the same files in the same run (target: ≥ 0.5).

Files: the real PDFs of ../shared/data/deliberations/pdf plus a generated 1,000-page bundle
of a département's reports (Nord, "RAPPORT N° DAT/2024/…", Helvetica, written by
hemicycle/council/pdfwriter.py, as the demo's bundles are).
Indexing is timed as the preparation of each report's text for the full-text index
(searchsyntax.prepare: folding and stemming, the Python part of council/search.py); the
database insert itself is left out (it depends on the database, see bench_search.py).

    python bench/bench_ingest.py                      # prints one JSON object
    python bench/bench_ingest.py --write-fixture DIR  # the small bundle used by the tests

The pipeline is the product's: a PDF of 40 pages or more, and a bundle's reports, are
read by two processes (two cores); the raw figure is one process reading the pages, as
pypdfium2 does. "ratio" compares wall-clock times (what a user waits for); "ratio_cpu"
compares the CPU seconds of all processes (how much work each does).

OCR is timed apart (pages/s of Tesseract are not comparable to a text layer): the
throughput runs use ocr="never" and count the scanned pages they flag.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED_PDFS = ROOT.parent / "shared" / "data" / "deliberations" / "pdf"
TERRITORY = ROOT / "hemicycle" / "territory" / "data"

from hemicycle.council.pdfwriter import LINES_PER_PAGE, write_pdf  # noqa: E402

# --- a département's bundle ------------------------------------------------------------------

SITTING = "16 décembre 2024"
DIRECTIONS = {
    "DAT": ("DIRECTION DE L'AMÉNAGEMENT DU TERRITOIRE", "Aménagement du territoire, ruralité"),
    "DVD": ("DIRECTION DE LA VOIRIE DÉPARTEMENTALE", "Infrastructures, mobilités"),
    "DEF": ("DIRECTION ENFANCE FAMILLE", "Enfance, famille, jeunesse"),
    "DPAPH": ("DIRECTION PERSONNES ÂGÉES PERSONNES HANDICAPÉES", "Solidarités, autonomie"),
    "DCOL": ("DIRECTION DES COLLÈGES", "Éducation, collèges"),
    "DCULT": ("DIRECTION DE LA CULTURE", "Culture, sport, vie associative"),
    "DENV": ("DIRECTION DE L'ENVIRONNEMENT", "Environnement, transition écologique"),
    "DIE": ("DIRECTION DE L'INSERTION ET DE L'EMPLOI", "Insertion, emploi, RSA"),
    "DFIN": ("DIRECTION DES FINANCES", "Finances, administration générale"),
}
KINDS = {"DAT": ["subsidies", "works"], "DVD": ["works"], "DEF": ["subsidies", "convention"],
         "DPAPH": ["convention", "subsidies"], "DCOL": ["colleges"], "DCULT": ["subsidies"],
         "DENV": ["subsidies", "works"], "DIE": ["convention"], "DFIN": ["budget"]}
COMMUNES = [
    "Lille", "Roubaix", "Tourcoing", "Dunkerque", "Villeneuve-d'Ascq", "Valenciennes", "Douai",
    "Wattrelos", "Marcq-en-Barœul", "Cambrai", "Maubeuge", "Lambersart", "Armentières",
    "Grande-Synthe", "Hazebrouck", "Mons-en-Barœul", "Loos", "Halluin", "Croix", "Wasquehal",
    "Hem", "Denain", "Saint-Amand-les-Eaux", "Caudry", "Le Cateau-Cambrésis",
    "Avesnes-sur-Helpe", "Fourmies", "Bailleul", "Comines", "Seclin", "Bergues", "Gravelines",
    "Sin-le-Noble", "Anzin", "Aulnoye-Aymeries", "Jeumont", "Haubourdin", "Orchies",
    "Le Quesnoy", "Solesmes", "Steenvoorde", "Cassel", "Wormhout", "Estaires", "Merville",
    "Landrecies", "Trélon", "Bavay", "Condé-sur-l'Escaut", "Coudekerque-Branche",
]
ASSOCIATIONS = [
    "Association Les Papillons Blancs du Nord", "Secours populaire français – Fédération du Nord",
    "Les Restos du Cœur du Nord", "Nord Nature Environnement",
    "Comité départemental olympique et sportif du Nord", "Association Habitat et Humanisme",
    "Fédération des centres sociaux du Nord", "Maison de l'Emploi du Cambrésis",
    "Conservatoire botanique national de Bailleul", "Association Entreprendre Ensemble",
    "Union départementale des associations familiales du Nord", "Ligue de l'enseignement du Nord",
    "Association Vivre en Flandre", "Office de tourisme de Bergues", "Club Avesnois de cyclisme",
]
PARTNERS = [
    "la Caisse d'allocations familiales du Nord", "l'Agence régionale de santé Hauts-de-France",
    "la Région Hauts-de-France", "la Métropole européenne de Lille", "SNCF Réseau",
    "l'Agence de l'eau Artois-Picardie", "France Travail", "l'Université de Lille",
    "la Banque des Territoires", "l'Établissement public foncier Hauts-de-France",
]
COLLEGES = ["Jean Jaurès", "Albert Camus", "Jules Ferry", "Victor Hugo", "Pasteur",
            "Anne Frank", "Jean Moulin", "Paul Éluard", "Jean Zay", "Marie Curie"]


EQUIPMENTS = ["la salle polyvalente", "l'école maternelle", "la mairie", "l'église",
              "le complexe sportif", "la médiathèque", "les vestiaires du stade",
              "la place du marché", "le centre social", "la maison de santé"]
FIRMS = ["la SAS Eiffage Route Nord-Est", "la société Colas France", "le cabinet Espelia",
         "la SARL Verdi Ingénierie", "la coopérative Enercoop Hauts-de-France"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre",
          "octobre", "novembre"]


class _Writer:
    """Writes one report's prose and tables, keeping what it names (the ground truth)."""

    def __init__(self, rng: random.Random, code: str):
        self.rng, self.code = rng, code
        self.amounts: list[Decimal] = []
        self.communes: list[str] = []
        self.lines: list[str] = []

    def euros(self, low: int, high: int, step: int = 50) -> str:
        rng = self.rng
        value = Decimal(rng.randrange(low, high, step))
        if rng.random() < 0.15:
            value += Decimal(rng.randint(1, 99)) / 100
        self.amounts.append(value)
        # no-break spaces, as French typesetting has them: a line never ends inside
        whole = f"{int(value):,}".replace(",", rng.choice(["\u00a0", "\u00a0", "."]))
        if value != int(value):
            whole += "," + f"{value - int(value):.2f}"[2:]
        return whole + rng.choice(["\u00a0€", "\u00a0€", "\u00a0euros", "€"])

    def millions(self) -> str:
        written = self.rng.choice(["1,2", "1,5", "2,4", "0,8", "3,1"])
        self.amounts.append(Decimal(written.replace(",", ".")) * 1_000_000)
        words = "\u00a0million d'euros" if written < "2" else "\u00a0millions d'euros"
        return written + self.rng.choice(["\u00a0M€", words])  # "1,5" < "2" above

    def commune(self) -> str:
        name = self.rng.choice(COMMUNES)
        self.communes.append(name)
        if "œ" in name and self.rng.random() < 0.5:
            name = name.replace("œ", "oe")  # as often typed
        return name

    def date(self, year: int = 2024) -> str:
        return f"{self.rng.randint(1, 28)} {self.rng.choice(MONTHS)} {year}"

    def sentence(self) -> str:
        rng = self.rng
        return rng.choice([
            lambda: f"Le Département du Nord accompagne depuis {rng.randint(2005, 2019)} les "
                    f"communes de moins de 5 000 habitants dans leurs projets d'investissement.",
            lambda: f"Cette politique a permis de soutenir {rng.randint(12, 90)} projets sur le "
                    f"territoire, dont celui de {self.commune()}, pour un montant global de "
                    f"{self.euros(200000, 3000000, 1000)}.",
            lambda: f"Les dossiers ont été instruits par les services départementaux au regard "
                    f"des critères adoptés par l'Assemblée départementale le {self.date(2023)}.",
            lambda: f"La commune de {self.commune()} a sollicité l'aide du Département pour la "
                    f"rénovation de {rng.choice(EQUIPMENTS)}.",
            lambda: f"Le plan de financement prévisionnel fait apparaître un reste à charge de "
                    f"{self.euros(10000, 400000, 100)} pour le maître d'ouvrage.",
            lambda: f"Une convention précisera les modalités de versement de l'aide, dont un "
                    f"acompte de {rng.choice([30, 40, 50])} % à la notification.",
            lambda: f"Le comité de pilotage, réuni le {self.date()} en présence de "
                    f"{rng.choice(PARTNERS)}, a émis un avis favorable.",
            lambda: f"Les crédits correspondants sont inscrits au budget départemental, chapitre "
                    f"{rng.choice(['65', '204', '23', '011'])}, article {rng.randint(6500, 6599)}.",
            lambda: f"Les communes de {self.commune()} et de {self.commune()} ont fait part de "
                    f"leur intérêt pour ce dispositif.",
            lambda: f"L'évaluation conduite en 2023 par {rng.choice(FIRMS)} a confirmé "
                    f"l'efficacité du dispositif pour les habitants du territoire.",
            lambda: f"Le nombre de personnes accompagnées s'élève à {rng.randint(120, 9000)} au "
                    f"{self.date()}, en hausse de {rng.randint(2, 19)} % sur un an.",
            lambda: f"Pour mémoire, l'enveloppe votée au budget primitif 2024 s'élève à "
                    f"{self.millions()}.",
            lambda: f"{rng.choice(ASSOCIATIONS)} a présenté un bilan faisant état de "
                    f"{rng.randint(20, 400)} actions conduites en 2023 à {self.commune()}.",
            lambda: f"Les travaux réalisés par {rng.choice(FIRMS)} se sont achevés le "
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024.",
        ])()

    def paragraphs(self, low: int, high: int) -> None:
        for _ in range(self.rng.randint(low, high)):
            text = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            self.lines += textwrap.wrap(text, 92, break_on_hyphens=False)

    def table(self, header: str, rows: list[str]) -> None:
        self.lines += [f"**{header}", *rows]


def _report(rng: random.Random, code: str, number: int) -> dict:
    """One report: number, title, body lines, and what it names (the ground truth)."""
    w = _Writer(rng, code)
    kind = rng.choice(KINDS[code])
    w.paragraphs(3, 9)
    if kind == "subsidies":
        title = (f"Soutien aux associations – Attribution de subventions de fonctionnement "
                 f"au titre de l'année 2025 ({DIRECTIONS[code][1].split(',')[0].lower()})")
        w.paragraphs(1, 2)
        rows = [f"{name} {w.commune()} {w.euros(1000, 60000, 500)}"
                for name in rng.sample(ASSOCIATIONS, rng.randint(4, 12))]
        w.table("Bénéficiaire Commune Montant", rows)
    elif kind == "works":
        first = w.commune()
        title = (f"Route départementale RD {rng.randint(1, 960)} – Aménagement de sécurité "
                 f"de la traversée de {first} – Convention de financement avec la commune")
        w.lines += textwrap.wrap(
            f"La traversée de {first} par la route départementale connaît un trafic de "
            f"{rng.randint(4, 18)} 000 véhicules par jour. Les travaux, d'un coût total estimé "
            f"à {w.euros(200000, 2000000, 1000)} HT, débuteront le {rng.randint(1, 28)}/"
            f"{rng.randint(1, 9):02d}/2025 pour une durée de {rng.randint(3, 14)} mois. La "
            f"participation de la commune s'élève à {w.euros(20000, 300000, 100)}, celle de "
            f"{rng.choice(PARTNERS)} à {w.millions()}.", 92, break_on_hyphens=False)
        w.paragraphs(1, 3)
        rows = [f"Tranche {k} {w.commune()} {w.euros(50000, 900000, 1000)}"
                for k in range(1, rng.randint(3, 8))]
        w.table("Opération Commune Coût HT", rows)
    elif kind == "convention":
        partner = rng.choice(PARTNERS)
        title = (f"Convention pluriannuelle d'objectifs 2025-2027 avec {partner} – "
                 f"Programme départemental d'insertion")
        w.lines += textwrap.wrap(
            f"Depuis le {w.date(2021)}, le Département et {partner} conduisent un programme "
            f"commun en faveur des allocataires du RSA résidant à {w.commune()}, "
            f"{w.commune()} et dans les communes voisines. La convention prévoit une "
            f"participation annuelle de {w.euros(50000, 900000, 1000)}.", 92,
            break_on_hyphens=False)
        w.paragraphs(2, 5)
    elif kind == "colleges":
        title = "Dotations complémentaires de fonctionnement des collèges publics pour 2025"
        w.lines += textwrap.wrap(
            f"La dotation globale de fonctionnement votée le {w.date()} ne couvre pas la "
            f"hausse du coût de l'énergie. Il est proposé d'attribuer une dotation "
            f"complémentaire aux collèges suivants :", 92, break_on_hyphens=False)
        rows = [f"Collège {college} {w.commune()} {w.euros(3000, 45000, 10)}"
                for college in rng.sample(COLLEGES, rng.randint(4, 10))]
        w.table("Collège Commune Dotation", rows)
    else:
        title = f"Décision modificative n° {rng.randint(1, 3)} du budget départemental 2024"
        w.lines += textwrap.wrap(
            f"La présente décision modificative s'équilibre en dépenses et en recettes à "
            f"{w.euros(1000000, 9000000, 1000)}. Elle inscrit notamment "
            f"{w.euros(100000, 900000, 500)} pour les travaux d'urgence des collèges de "
            f"{w.commune()} et de {w.commune()}.", 92, break_on_hyphens=False)
        w.paragraphs(2, 5)
    w.paragraphs(1, 5)
    w.lines += textwrap.wrap(rng.choice([
        "Vu le Code général des collectivités territoriales, vu le budget départemental, vu "
        "l'avis de la commission compétente, il est proposé au Conseil départemental :",
        "Il est proposé au Conseil départemental, après avis de la commission :",
    ]), 92)
    w.lines += [f"- d'approuver les dispositions du présent rapport n° {code}/2024/{number} ;",
                "- d'autoriser Monsieur le Président à signer les actes correspondants ;",
                "- d'imputer les dépenses sur les crédits inscrits au budget départemental."]
    return {"number": f"{code}/2024/{number}", "title": title, "lines": w.lines,
            "direction": DIRECTIONS[code][0], "commission": DIRECTIONS[code][1],
            "amounts": [str(a) for a in w.amounts], "communes": sorted(set(w.communes))}


def departement_bundle(pages_wanted: int, seed: str = "nord-2024") -> tuple[list[list[str]],
                                                                             list[dict]]:
    """Pages of text (lines) of a sitting's bundle, and its reports with their first page."""
    rng = random.Random(seed)
    reports, counters = [], dict.fromkeys(DIRECTIONS, 40)
    body: list[list[str]] = [[]]
    room = LINES_PER_PAGE - 3  # header, blank line and footer are added below
    while True:
        code = rng.choice(list(DIRECTIONS))
        counters[code] += 1
        report = _report(rng, code, counters[code])
        block = [f"**RAPPORT N° {report['number']}", f"**{report['direction']}",
                 f"Commission : {report['commission']}"]
        block += textwrap.wrap(f"OBJET : {report['title']}", 92, break_on_hyphens=False)
        block += ["", "**EXPOSÉ DES MOTIFS"] + report.pop("lines")
        if body[-1] and (rng.random() < 0.75 or len(body[-1]) + 10 > room):
            body.append([])  # most reports start on a new page
        elif body[-1]:
            body[-1].append("")
        report["page"] = len(body)  # within the body; the front matter is added below
        for line in block:
            if len(body[-1]) >= room:
                body.append([])
            body[-1].append(line)
        reports.append(report)
        toc_pages = 1 + (len(reports) + 1) // room + 1
        if len(body) + toc_pages >= pages_wanted:
            break
    front = [["**DÉPARTEMENT DU NORD", "**CONSEIL DÉPARTEMENTAL", "",
              f"Séance plénière du {SITTING}", "", "Recueil des rapports"]]
    toc = ["**SOMMAIRE"] + [f"{r['number']} – {r['title']}"[:110] for r in reports]
    for start in range(0, len(toc), room):
        front.append(toc[start:start + room])
    pages = []
    for number, lines in enumerate(front + body, start=1):
        header = f"Département du Nord – Conseil départemental – Séance du {SITTING}"
        pages.append([header, "", *lines, *[""] * (room - len(lines)), f"Page {number}"])
    for report in reports:
        report["page"] += len(front)
    return pages, reports


def write_fixture(directory: Path) -> None:
    """The small bundle the tests split exactly, and its ground truth."""
    pages, reports = departement_bundle(24, seed="fixture")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "departement_nord_bundle.pdf").write_bytes(write_pdf(pages))
    (directory / "departement_nord_bundle.json").write_text(
        json.dumps({"pages": len(pages), "reports": reports}, ensure_ascii=False, indent=1)
        + "\n", encoding="utf-8")
    print(f"{len(pages)} pages, {len(reports)} reports → {directory}")


# --- the benchmark ----------------------------------------------------------------------------


def nord_gazetteer():
    from hemicycle.council.entities import Gazetteer, Place

    with gzip.open(TERRITORY / "cog" / "communes.json.gz") as handle:
        communes = [c for c in json.load(handle) if c["departement"] == "59"]
    path = TERRITORY / "geo" / "departements" / "59-nord" / "cantons-59-nord.geojson.gz"
    with gzip.open(path) as handle:
        cantons = [f["properties"] for f in json.load(handle)["features"]]
    return Gazetteer([Place(c["nom"], "commune", c["code"]) for c in communes]
                     + [Place(c["nom"], "canton", c["code"]) for c in cantons])


def raw_extract(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pages = len(pdf)
    for index in range(pages):
        pdf[index].get_textpage().get_text_range()
    pdf.close()
    return pages


def ingest(data: bytes, name: str, gazetteer, finder, timings: dict) -> dict:
    from hemicycle.council import entities, searchsyntax, splitting, text

    start = time.perf_counter()
    document = text.extract(data, filename=name, ocr="never")
    split_start = time.perf_counter()
    split = splitting.split_bundle(document.text)
    texts = [split.text_of(index) for index in range(len(split.reports))]
    entities_start = time.perf_counter()
    found = entities.extract_entities_many(texts, gazetteer=gazetteer, organisations=finder)
    index_start = time.perf_counter()
    for report_text in texts:
        searchsyntax.prepare(report_text)
    end = time.perf_counter()
    for key, seconds in (("extract", split_start - start),
                         ("split", entities_start - split_start),
                         ("entities", index_start - entities_start),
                         ("index", end - index_start)):
        timings[key] = timings.get(key, 0.0) + seconds
    return {"pages": document.page_count, "reports": len(split.reports),
            "amounts": sum(len(e.amounts) for e in found),
            "places": sum(len(e.places) for e in found),
            "organisations": sum(len(e.organisations) for e in found),
            "textless_pages": len(document.textless_pages)}


def time_ocr(data: bytes) -> float | None:
    """Seconds per page to OCR one page rendered as an image-only PDF."""
    import io

    import pypdfium2 as pdfium

    from hemicycle.council import text

    if not text.ocr_available():
        return None
    image = pdfium.PdfDocument(data)[0].render(scale=200 / 72).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, format="PDF", resolution=200)
    start = time.perf_counter()
    document = text.extract(scan.getvalue(), filename="scan.pdf")
    return round(time.perf_counter() - start, 2) if document.ocr_pages else None


ROUNDS = 5


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the second process that
    reads half of a long PDF, half of a bundle's reports)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _best(times: int, run) -> tuple[float, float]:
    """The shortest wall-clock and CPU seconds of ``times`` runs."""
    walls, cpus = [], []
    for _ in range(times):
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write-fixture", type=Path, help="write the test bundle there")
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated bundle")
    args = parser.parse_args()
    if args.write_fixture:
        write_fixture(args.write_fixture)
        return

    from hemicycle.council import entities

    generated_start = time.perf_counter()
    pages, truth = departement_bundle(args.pages)
    bundle = write_pdf(pages)
    generate_s = time.perf_counter() - generated_start
    files = [(path.name, path.read_bytes()) for path in sorted(SHARED_PDFS.glob("*.pdf"))]
    files.append(("departement_nord_bundle_1000.pdf", bundle))

    load_start = time.perf_counter()
    finder = entities.OrganisationFinder()
    assert finder.nlp is not None  # loaded once per worker process, not per file
    gazetteer = nord_gazetteer()
    load_s = time.perf_counter() - load_start

    # Wall clock is what a user waits for: the ratio. A long PDF and a bundle's reports
    # are read by two processes (two cores), so the CPU seconds (this process and its
    # children) say how much work was done, not how long it took. The raw reading and the
    # pipeline take turns, round after round, so that both meet the same moments of a
    # shared machine; each figure is the best of its rounds, and each round's own ratio
    # is reported too. Every end-to-end run starts with an empty NER cache.
    raw_pages = sum(raw_extract(data) for _, data in files)  # also warms the file cache
    raw_runs, runs = [], []
    for _ in range(ROUNDS):
        raw_runs.append(_best(1, lambda: sum(raw_extract(data) for _, data in files)))
        timings: dict[str, float] = {}
        run_finder = entities.OrganisationFinder(nlp=finder.nlp)
        wall, cpu = time.perf_counter(), cpu_seconds()
        results = {name: ingest(data, name, gazetteer, run_finder, timings)
                   for name, data in files}
        runs.append((time.perf_counter() - wall, cpu_seconds() - cpu, timings,
                     run_finder, results))
    raw_s, raw_cpu = min(wall for wall, _ in raw_runs), min(cpu for _, cpu in raw_runs)
    e2e_s, _, timings, finder, results = min(runs, key=lambda run: run[0])
    e2e_cpu = min(run[1] for run in runs)
    round_ratios = sorted(round(raw[0] / run[0], 3) for raw, run in zip(raw_runs, runs,
                                                                          strict=True))

    rules_only = entities.OrganisationFinder(use_spacy=False)
    _, rules_cpu = _best(2, lambda: [ingest(data, name, gazetteer, rules_only, {})
                                     for name, data in files])

    generated = results["departement_nord_bundle_1000.pdf"]
    real = [r for name, r in results.items() if name != "departement_nord_bundle_1000.pdf"]
    print(json.dumps({
        "files": len(files),
        "pages": raw_pages,
        "raw_pypdfium2_pages_per_s": round(raw_pages / raw_s, 1),
        "end_to_end_pages_per_s": round(raw_pages / e2e_s, 1),
        "ratio": round(raw_s / e2e_s, 3),
        "ratio_of_each_round": round_ratios,
        "ratio_cpu": round(raw_cpu / e2e_cpu, 3),
        "target_ratio": 0.5,
        "ratio_cpu_organisations_by_rules_only": round(raw_cpu / rules_cpu, 3),
        "stages_s": {key: round(value, 3) for key, value in timings.items()},
        # what the review screen waits for; entities can follow as a background task
        "ratio_extract_and_split": round(raw_s / (timings["extract"] + timings["split"]), 3),
        "ner_share_of_text": round(finder.stats["ner_chars"]
                                   / max(1, finder.stats["texts_chars"]), 3),
        "ner_s": round(finder.stats["ner_seconds"], 3),
        "generated_bundle": {"pages": generated["pages"], "reports_found": generated["reports"],
                             "reports_expected": len(truth), "generate_s": round(generate_s, 2),
                             "amounts": generated["amounts"], "places": generated["places"],
                             "organisations": generated["organisations"]},
        "real_pdfs": {"pages": sum(r["pages"] for r in real),
                      "reports_found": sum(r["reports"] for r in real),
                      "scanned_pages_flagged": sum(r["textless_pages"] for r in real)},
        "spacy_and_gazetteer_load_s": round(load_s, 2),
        "gazetteer_names": len(gazetteer),
        "ocr_s_per_page": time_ocr(files[0][1]),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
