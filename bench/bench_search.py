"""Search figures: a corpus of generated, realistic reports of the Conseil départemental du
Nord (bench_ingest's generator: numbered reports, directions, amounts, Nord communes,
years 2019–2026), then 100 varied French queries (words, accents, plurals, phrases,
prefixes, OR, exclusions, numbers, filters) through ``report_search`` — ranking, count,
snippets and all, as the search page runs it: median and p95 latency.

SQLite (FTS5) in a fresh temporary database; PostgreSQL (GIN) as well when DATABASE_URL
is set (a workspace of its own, deleted at the end). Prints one JSON object.

    python bench/bench_search.py [--reports 10000] [--queries 100]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WORDS = ["association", "associations", "collège", "colleges", "énergie", "energie",
         "véloroute", "convention", "subvention", "subventions", "financement",
         "financements", "travaux", "insertion", "RSA", "allocataires", "évaluation",
         "médiathèque", "rénovation", "sécurité", "département", "pilotage", "enveloppe",
         "dotation", "mobilité", "habitants", "route", "communes", "territoire", "budget"]
COMMUNES = ["Lille", "Roubaix", "Tourcoing", "Dunkerque", "Douai", "Cambrai", "Maubeuge",
            "Mons-en-Barœul", "mons en baroeul", "Villeneuve-d'Ascq", "Hazebrouck",
            "Fourmies", "Bailleul", "Le Quesnoy", "Seclin", "Gravelines", "Avesnes-sur-Helpe"]
PHRASES = ['"reste à charge"', '"comité de pilotage"', '"avis favorable"',
           '"budget primitif"', '"salle polyvalente"', '"maison de santé"',
           '"programme départemental d\'insertion"', '"école maternelle"',
           '"complexe sportif"', '"centre social"']
PREFIXES = ["mobil*", "subvent*", "rénov*", "financ*", "collèg*", "associ*", "équip*",
            "aménag*"]


def queries(n: int, rng: random.Random, numbers: list[str]) -> list[tuple[str, dict]]:
    """(text, filters) pairs: a realistic mix of what people type."""
    makers = [
        lambda: (rng.choice(WORDS), {}),
        lambda: (f"{rng.choice(WORDS)} {rng.choice(COMMUNES)}", {}),
        lambda: (rng.choice(PHRASES), {}),
        lambda: (rng.choice(PREFIXES), {}),
        lambda: (f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}", {}),
        lambda: (f"{rng.choice(WORDS)} -{rng.choice(COMMUNES).split()[0]}", {}),
        lambda: (rng.choice(numbers), {}),
        lambda: (f"{rng.choice(COMMUNES)} {rng.choice(PHRASES)}", {}),
        lambda: (rng.choice(WORDS), {"year": rng.randint(2019, 2026)}),
        lambda: (f"{rng.choice(PREFIXES)} {rng.choice(COMMUNES)}", {"body": True}),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def run(backend: str, reports: int, n_queries: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemicycle.settings")
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="hemicycle-bench-search-")
    import django

    django.setup()
    import datetime

    from bench_ingest import _report
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from hemicycle.accounts.models import Workspace
    from hemicycle.council import searchsyntax
    from hemicycle.council.models import Body, Report, SearchEntry, Sitting
    from hemicycle.council.search import Filters, report_search
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
        rng = random.Random("bench-search")
        start = time.perf_counter()
        with transaction.atomic():
            bodies = [Body.objects.create(workspace=workspace, name=name, kind=kind)
                      for name, kind in (("Séance plénière", "plenary"),
                                         ("Commission permanente", "standing_committee"))]
            sittings = []
            for year in range(2019, 2027):
                for month in (2, 4, 6, 7, 10, 12):
                    sittings.append(Sitting.objects.create(
                        workspace=workspace, body=bodies[month % 2],
                        starts_at=timezone.make_aware(datetime.datetime(year, month, 15, 10))))
            numbers, batch = [], []
            codes = ["DAT", "DVD", "DEF", "DPAPH", "DCOL", "DCULT", "DENV", "DIE", "DFIN"]
            for index in range(reports):
                sitting = sittings[index * len(sittings) // reports]
                code = rng.choice(codes)
                data = _report(rng, code, index)
                number = f"{code}/{sitting.starts_at.year}/{index}"
                numbers.append(number)
                batch.append(Report(workspace=workspace, sitting=sitting, rank=index,
                                    number=number, title=data["title"],
                                    policy_area=data["commission"],
                                    text="\n".join(data["lines"])))
                if len(batch) == 1000:
                    _store(batch, searchsyntax, Report, SearchEntry)
                    batch = []
            if batch:
                _store(batch, searchsyntax, Report, SearchEntry)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO council_search_fts(council_search_fts) "
                               "VALUES ('optimize')")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE council_searchentry")
        build_s = time.perf_counter() - start
        print(f"{reports} reports indexed in {build_s:.0f} s", file=sys.stderr)

        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for text, _extra in queries(20, random.Random("profile"), numbers):
                report_search(workspace, text, Filters(), limit=20)
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        timings, totals = [], []
        for text, extra in queries(n_queries, random.Random("queries"), numbers):
            filters = Filters()
            if "year" in extra:
                filters.date_from = datetime.date(extra["year"], 1, 1)
                filters.date_to = datetime.date(extra["year"], 12, 31)
            if extra.get("body"):
                filters.body = str(bodies[1].code)
            began = time.perf_counter()
            results = report_search(workspace, text, filters, limit=20)
            timings.append((time.perf_counter() - began) * 1000)
            totals.append(results.total)
        timings.sort()
        return {
            "reports": reports,
            "index_build_s": round(build_s, 1),
            "queries": n_queries,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "median_results": statistics.median(totals),
            "queries_without_results": sum(1 for t in totals if t == 0),
        }
    finally:
        if connection.vendor != "sqlite":  # the SQLite database is a temporary file
            _cleanup(workspace, Report, Sitting)


def _cleanup(workspace, Report, Sitting) -> None:
    """Remove the bench's workspace from a shared PostgreSQL database."""
    try:
        Report.objects.filter(workspace=workspace).delete()
        Sitting.objects.filter(workspace=workspace).delete()  # they protect their body
        workspace.delete()
    except Exception as error:  # noqa: BLE001 — figures matter more than the clean-up
        print(f"clean-up of {workspace.slug} failed: {error}", file=sys.stderr)


def _store(batch, searchsyntax, Report, SearchEntry) -> None:
    created = Report.objects.bulk_create(batch)
    SearchEntry.objects.bulk_create([SearchEntry(
        workspace_id=r.workspace_id, report_id=r.pk,
        scope=f"w{r.workspace_id}r s{r.sitting.pk} b{r.sitting.body_id} "
              f"y{r.sitting.starts_at.year}",
        title=searchsyntax.prepare(f"{r.number} {r.title}"),
        body=searchsyntax.prepare(f"{r.text}\n{r.policy_area}")) for r in created])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:  # one backend, in its own process (settings are read once)
        print(json.dumps(run(args.backend, args.reports, args.queries)))
        return
    figures = {"target_p95_ms_sqlite": 50}
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    for backend in backends:
        out = subprocess.run(
            [sys.executable, __file__, "--backend", backend, "--reports", str(args.reports),
             "--queries", str(args.queries)], capture_output=True, text=True, check=True)
        figures[backend] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
