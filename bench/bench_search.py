"""Search figures: a corpus of 100,000 reports of the Conseil départemental du Nord built
from real texts — sentences of the real minutes in ../shared/data/deliberations/pdf, real
report titles of the Saint-Étienne SCDL file, bench_ingest's generated reports (directions,
tables, amounts) — with varied numbers, Nord communes, years (2019–2026), commissions and
amounts; then 200 varied French queries (words, accents, plurals, phrases, prefixes, OR,
exclusions, numbers, with and without facets) through ``report_search`` as the search page
runs it (ranking, total, counts per type, snippets and all): median and p95 latency.

Generation is fast: each fragment of text is prepared for the index once (prepared text is
the concatenation of its fragments' prepared texts), rows go in by bulk inserts, and the
full-text index is built in one pass at the end (SQLite: FTS5 'rebuild' with the triggers
off; PostgreSQL: the GIN index created after the load).

SQLite (FTS5) in a fresh temporary database; PostgreSQL (GIN) in the database of
DATABASE_URL when set, else in a throw-away server started by scripts/with-postgres
(skipped, with a note, when none can be started). Prints one JSON object.

    python bench/bench_search.py [--reports 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SHARED = ROOT.parent / "shared" / "data" / "deliberations"
COMMUNES_FILE = ROOT / "hemicycle" / "territory" / "data" / "cog" / "communes.json.gz"
BASE_REPORTS = 1500  # generated reports the corpus varies on

WORDS = ["association", "associations", "collège", "colleges", "énergie", "energie",
         "véloroute", "convention", "subvention", "subventions", "financement",
         "financements", "travaux", "insertion", "RSA", "allocataires", "évaluation",
         "médiathèque", "rénovation", "sécurité", "département", "pilotage", "enveloppe",
         "dotation", "mobilité", "habitants", "route", "communes", "territoire", "budget",
         "déneigement", "cantine", "assainissement", "conseillers", "délibération",
         "intergénérationnel", "fonds de concours", "voirie"]
COMMUNES = ["Lille", "Roubaix", "Tourcoing", "Dunkerque", "Douai", "Cambrai", "Maubeuge",
            "Mons-en-Barœul", "mons en baroeul", "Villeneuve-d'Ascq", "Hazebrouck",
            "Fourmies", "Bailleul", "Le Quesnoy", "Seclin", "Gravelines", "Avesnes-sur-Helpe",
            "Wattrelos", "Steenvoorde", "Bavay"]
PHRASES = ['"reste à charge"', '"comité de pilotage"', '"avis favorable"',
           '"budget primitif"', '"salle polyvalente"', '"maison de santé"',
           '"programme départemental d\'insertion"', '"école maternelle"',
           '"complexe sportif"', '"centre social"', '"fonds de concours"',
           '"conseil municipal"', '"route départementale"']
PREFIXES = ["mobil*", "subvent*", "rénov*", "financ*", "collèg*", "associ*", "équip*",
            "aménag*", "intercommun*", "déneig*"]


# --- the corpus ------------------------------------------------------------------------------


def real_texts() -> tuple[list[str], list[str]]:
    """Sentences of the real minutes, and real report titles (SCDL objects)."""
    from hemicycle.council import text as textlib

    sentences = []
    for pdf in sorted((SHARED / "pdf").glob("*.pdf")):
        full = " ".join(textlib.extract(pdf, ocr="never").text.split())
        for sentence in re.split(r"(?<=[.;!?])\s+", full):
            letters = sum(c.isalpha() for c in sentence)
            if 60 <= len(sentence) <= 400 and letters > 0.7 * len(sentence):
                sentences.append(sentence)
    titles = []
    for path in sorted((SHARED / "scdl").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                title = " ".join((row.get("DELIB_OBJET") or row.get("OBJET") or "").split())
                if len(title) > 20:
                    titles.append(title[0] + title[1:].lower())
    return sentences, titles


def nord_communes() -> list[tuple[str, str]]:
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        return [(c["code"], c["nom"]) for c in json.load(handle)
                if c.get("departement") == "59"]


def euros(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0€"


class Corpus:
    """Reports made of fragments, each fragment prepared for the index once."""

    def __init__(self, rng: random.Random):
        from bench_ingest import DIRECTIONS, _report

        from hemicycle.council import searchsyntax

        self.rng, self.prepare = rng, searchsyntax.prepare
        self.sentences, self.titles = real_texts()
        self.sentences_prepared = [self.prepare(s) for s in self.sentences]
        self.words = {w for s in self.sentences_prepared for w in s.split()}  # SearchTerm
        self.communes = nord_communes()
        by_name = {searchsyntax.fold(name): code for code, name in self.communes}
        self.directions = DIRECTIONS
        self.bases = []
        codes = list(DIRECTIONS)
        for index in range(BASE_REPORTS):
            code = codes[index % len(codes)]
            data = _report(rng, code, index)
            text = "\n".join(data["lines"])
            self.words.update(self.prepare(text + "\n" + data["commission"]).split())
            self.bases.append({
                "code": code, "title": data["title"], "text": text,
                "prepared": self.prepare(text), "commission": data["commission"],
                "commission_prepared": self.prepare(data["commission"]),
                "direction": data["direction"],
                "amounts": [float(a) for a in data["amounts"]],
                "places": [by_name[searchsyntax.fold(name)] for name in data["communes"]
                           if searchsyntax.fold(name) in by_name]})

    def report(self, index: int, year: int) -> dict:
        rng = self.rng
        base = self.bases[rng.randrange(len(self.bases))]
        commune_code, commune = rng.choice(self.communes)
        amount = int(round(10 ** rng.uniform(3, 6.8), -2))
        intro = (f"La commune de {commune} sollicite le concours du Département pour un "
                 f"montant de {euros(amount)} au titre de l'année {year}.")
        picked = rng.sample(range(len(self.sentences)), 2)
        if rng.random() < 0.25:
            title = f"{rng.choice(self.titles)} – {commune}"
        else:
            title = re.sub(r"20\d\d", str(year), base["title"])
        number = f"{base['code']}/{year}/{index}"
        intro_prepared, title_prepared = self.prepare(intro), self.prepare(f"{number} {title}")
        self.words.update(intro_prepared.split())
        self.words.update(title_prepared.split())
        text = "\n".join([intro, base["text"], " ".join(self.sentences[i] for i in picked)])
        body = " ".join([intro_prepared, base["prepared"],
                         *(self.sentences_prepared[i] for i in picked),
                         base["commission_prepared"]])
        return {"number": number, "title": title, "text": text, "code": base["code"],
                "policy_area": base["commission"], "direction": base["direction"],
                "title_prepared": title_prepared, "body_prepared": body,
                "places": [commune_code, *base["places"]],
                "commune": (commune_code, commune),
                "max_amount": max([amount, *base["amounts"]])}


def queries(n: int, rng: random.Random, numbers: list[str], facets: dict) -> list[tuple]:
    """(text, filters) pairs: a realistic mix of what people type, a third with facets."""
    makers = [
        lambda: (rng.choice(WORDS), {}),
        lambda: (f"{rng.choice(WORDS)} {rng.choice(COMMUNES)}", {}),
        lambda: (rng.choice(PHRASES), {}),
        lambda: (rng.choice(PREFIXES), {}),
        lambda: (f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}", {}),
        lambda: (f"{rng.choice(WORDS)} -{rng.choice(COMMUNES).split()[0]}", {}),
        lambda: (rng.choice(numbers), {}),
        lambda: (f"{rng.choice(COMMUNES)} {rng.choice(PHRASES)}", {}),
        lambda: (f"{rng.choice(WORDS)} {rng.choice(WORDS)}", {}),
        lambda: (f'{rng.choice(PREFIXES)} -"{rng.choice(WORDS)}"', {}),
        # with facets
        lambda: (rng.choice(WORDS), {"year": rng.randint(2019, 2026)}),
        lambda: (f"{rng.choice(PREFIXES)} {rng.choice(COMMUNES)}", {"body": True}),
        lambda: (rng.choice(WORDS), {"commission": rng.choice(facets["commissions"])}),
        lambda: (rng.choice(PHRASES), {"amount": rng.choice("1234")}),
        lambda: (rng.choice(WORDS), {"place": rng.choice(facets["places"])}),
        lambda: (rng.choice(PREFIXES), {"policy_area": rng.choice(facets["areas"]),
                                        "year": rng.randint(2019, 2026)}),
        lambda: (f"{rng.choice(WORDS)} {rng.choice(COMMUNES)}",
                 {"date_from": datetime.date(rng.randint(2019, 2025), 3, 1)}),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


# --- one backend -------------------------------------------------------------------------------


def run(backend: str, reports: int, n_queries: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemicycle.settings")
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="hemicycle-bench-search-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hemicycle.accounts.models import Workspace
    from hemicycle.council.models import Body, Report, Sitting
    from hemicycle.territory.models import Assembly, Departement, Region

    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="32", defaults={"name": "Hauts-de-France"})
    departement, _ = Departement.objects.get_or_create(
        code="59", defaults={"name": "Nord", "region": region})
    assembly, _ = Assembly.objects.get_or_create(
        kind="departement", code="59", defaults={"name": "Conseil départemental du Nord",
                                                 "departement": departement})
    slug = f"bench-search-{os.getpid()}"
    workspace = Workspace.objects.create(assembly=assembly, name="Bench", short_name="Bench",
                                         slug=slug)
    try:
        start = time.perf_counter()
        corpus = Corpus(random.Random("bench-search"))
        generated_s = time.perf_counter() - start
        numbers, facets, bodies = _load(workspace, corpus, reports)
        build_s = time.perf_counter() - start
        print(f"{reports} reports generated and indexed in {build_s:.0f} s "
              f"(corpus fragments {generated_s:.0f} s)", file=sys.stderr)
        if os.environ.get("BENCH_PROFILE"):
            _profile(workspace, numbers, facets, bodies)
        return _measure(workspace, n_queries, numbers, facets, bodies) | {
            "reports": reports, "index_build_s": round(build_s, 1),
            "database": connection.vendor}
    finally:
        if connection.vendor != "sqlite":  # the SQLite database is a temporary file
            _cleanup(workspace, Report, Sitting, Body)


def _load(workspace, corpus: Corpus, reports: int):
    """Bodies, sittings, then the reports and their index entries in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from hemicycle.council.models import Body, Report, SearchEntry, Sitting
    from hemicycle.council.search import scope_tokens, search_terms_add

    with transaction.atomic():
        plenary = Body.objects.create(workspace=workspace, name="Séance plénière",
                                      kind="plenary")
        standing = Body.objects.create(workspace=workspace, name="Commission permanente",
                                       kind="standing_committee")
        commissions = {code: Body.objects.create(workspace=workspace, name=area,
                                                 kind="commission", policy_area=area)
                       for code, (_direction, area) in corpus.directions.items()}
        sittings = []
        for year in range(2019, 2027):
            for month in range(1, 13):
                body = plenary if month in (3, 6, 10, 12) else standing
                sittings.append(Sitting.objects.create(
                    workspace=workspace, body=body,
                    starts_at=timezone.make_aware(datetime.datetime(year, month, 15, 10))))
    numbers = []
    now = timezone.now()
    report_id = (Report.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    entry_id = (SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
                or 0) + 1
    _bulk_index(connection, "off")
    try:
        batch_size = 2000
        for first in range(0, reports, batch_size):
            rows, entries = [], []
            for index in range(first, min(reports, first + batch_size)):
                sitting = sittings[index * len(sittings) // reports]
                data = corpus.report(index, sitting.starts_at.year)
                numbers.append(data["number"])
                code, name = data["commune"]
                commission = commissions[data["code"]]
                rows.append({
                    "id": report_id, "workspace_id": workspace.id, "sitting_id": sitting.pk,
                    "rank": index, "number": data["number"], "title": data["title"],
                    "policy_area": data["policy_area"], "direction": data["direction"],
                    "commission_id": commission.pk, "text": data["text"],
                    "code": uuid.uuid4(), "created_at": now, "updated_at": now,
                    "entities": {"places": [{"name": name, "kind": "commune", "code": code,
                                             "count": 1}],
                                 "place_index": f" {code} ",
                                 "max_amount": str(data["max_amount"])}})
                entries.append({
                    "id": entry_id, "workspace_id": workspace.id, "report_id": report_id,
                    "day": sitting.starts_at.date(), "title": data["title_prepared"],
                    "body": data["body_prepared"], "scope": scope_tokens(
                        workspace_id=workspace.id, kind="report", sitting_id=sitting.pk,
                        body_id=sitting.body_id, year=sitting.starts_at.year,
                        month=sitting.starts_at.month,
                        commission_id=commission.pk, policy_area=data["policy_area"],
                        places=data["places"], max_amount=data["max_amount"])})
                report_id += 1
                entry_id += 1
            with transaction.atomic():
                _insert(connection, Report, rows)
                _insert(connection, SearchEntry, entries)
    finally:
        _bulk_index(connection, "on")
    search_terms_add([" ".join(corpus.words)])
    facets = {"commissions": [str(body.code) for body in commissions.values()],
              "places": sorted({code for code, _name in corpus.communes})[:200],
              "areas": [area for _direction, area in corpus.directions.values()]}
    return numbers, facets, {"standing": standing}


def _insert(connection, model, rows: list[dict]) -> None:
    """Rows in one executemany: the given values, the fields' defaults for the others."""
    fields = [f for f in model._meta.concrete_fields
              if not getattr(f, "generated", False)]
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields
                if f.attname not in rows[0]}
    prepared = [f for f in fields if f.attname in rows[0] and f.get_internal_type() in (
        "JSONField", "UUIDField", "DateTimeField", "DateField")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = []
    for row in rows:
        for f in prepared:
            row[f.attname] = f.get_db_prep_save(row[f.attname], connection)
        values.append([row[f.attname] if f.attname in row else defaults[f.attname]
                       for f in fields])
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES "
                           f"({', '.join(['%s'] * len(fields))})", values)


def _bulk_index(connection, state: str) -> None:
    """Full-text index maintenance off during the load, then built in one pass."""
    import importlib

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            triggers = importlib.import_module(
                "hemicycle.council.migrations.0003_search_scope").SQLITE_CREATE[1:4]
            if state == "off":
                for name in ("council_search_ai", "council_search_ad", "council_search_au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                for sql in triggers:
                    cursor.execute(sql)
                cursor.execute("INSERT INTO council_search_fts(council_search_fts) "
                               "VALUES ('rebuild')")
                cursor.execute("INSERT INTO council_search_fts(council_search_fts) "
                               "VALUES ('optimize')")
                cursor.execute("ANALYZE")
        elif state == "off":
            cursor.execute("DROP INDEX IF EXISTS council_search_vector_gin")
        else:
            for table in ("council_report", "council_searchentry"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT MAX(id) FROM {table}))")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("CREATE INDEX council_search_vector_gin ON council_searchentry "
                           "USING gin (search_vector)")
            cursor.execute("VACUUM ANALYZE council_searchentry")


def _filters_of(extra: dict, bodies: dict):
    from hemicycle.council.search import Filters

    filters = Filters()
    if "year" in extra:
        filters.year = extra["year"]
    if extra.get("body"):
        filters.body = str(bodies["standing"].code)
    for name in ("commission", "amount", "place", "policy_area", "date_from"):
        if name in extra:
            setattr(filters, name, extra[name])
    return filters


def _measure(workspace, n_queries, numbers, facets, bodies) -> dict:
    from django.db import connection

    from hemicycle.council.search import report_search

    timings, cpu, totals = [], [], []
    for text, extra in queries(n_queries, random.Random("queries"), numbers, facets):
        filters = _filters_of(extra, bodies)
        began, began_cpu = time.perf_counter(), time.process_time()
        results = report_search(workspace, text, filters, limit=20, counts=True)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        totals.append(results.total)
    timings.sort()
    cpu.sort()
    figures = {
        "queries": n_queries,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "median_results": statistics.median(totals),
        "queries_without_results": sum(1 for t in totals if t == 0),
    }
    if connection.vendor == "sqlite":
        # In-process: the CPU time is the work itself, what a loaded machine leaves out.
        figures |= {"median_cpu_ms": round(statistics.median(cpu), 1),
                    "p95_cpu_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1)}
    return figures


def _profile(workspace, numbers, facets, bodies) -> None:
    import cProfile
    import pstats

    from hemicycle.council.search import report_search

    profile = cProfile.Profile()
    profile.enable()
    for text, extra in queries(40, random.Random("profile"), numbers, facets):
        report_search(workspace, text, _filters_of(extra, bodies), limit=20, counts=True)
    profile.disable()
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


def _cleanup(workspace, Report, Sitting, Body) -> None:
    """Remove the bench's workspace from a PostgreSQL database that may be shared."""
    from hemicycle.audit.models import AuditEvent

    try:
        AuditEvent.objects.filter(workspace=workspace).delete()
        Report.objects.filter(workspace=workspace).delete()
        Sitting.objects.filter(workspace=workspace).delete()  # they protect their body
        Body.objects.filter(workspace=workspace).delete()
        workspace.delete()
    except Exception as error:  # noqa: BLE001 — figures matter more than the clean-up
        print(f"clean-up of {workspace.slug} failed: {error}", file=sys.stderr)


# --- both ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:  # one backend, in its own process (settings are read once)
        print(json.dumps(run(args.backend, args.reports, args.queries)))
        return
    figures: dict = {"target_p95_ms_sqlite": 50}
    for backend in [args.only] if args.only else ["sqlite", "postgresql"]:
        command = [sys.executable, __file__, "--backend", backend,
                   "--reports", str(args.reports), "--queries", str(args.queries)]
        if backend == "postgresql" and not os.environ.get("DATABASE_URL"):
            command = [str(ROOT / "scripts" / "with-postgres"), *command]
        out = subprocess.run(command, capture_output=True, text=True)
        sys.stderr.write(out.stderr[-3000:])
        if out.returncode != 0:
            figures[backend] = {"skipped": "no PostgreSQL server could be started"
                                if backend == "postgresql" else "failed",
                                "error": out.stderr.strip().splitlines()[-1:]}
            continue
        figures[backend] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
