"""Actor filter figures: the list and the map over 200,000 actors, p95 of 100 varied
filter queries each (search words, kind, canton, commune, theme, tag, follower, contact
dates, e-mail, consent, and combinations), on a fresh SQLite database (or the one the
environment configures).

The list query is what the page runs (``queries.actor_page``): the count and the first
page of 50 by name. The map query is what its data feed runs (``queries.map_data``): one
grouped query for the counts per commune and canton, then the markers (or the circles per
commune past 5,000) and the canton choropleth; the outlines feed has no filters (cached
by the browser) and is not timed. The slowest kinds of filter set are listed too.

    python bench/bench_actor_filters.py [--rows 200000]   # prints one JSON object

Target (issue 5): p95 < 200 ms on SQLite.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemicycle.settings")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="hemicycle-bench-"))
os.environ.setdefault("DEBUG", "True")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def fill(workspace, rows: int, path: Path) -> None:
    """200,000 actors through the real import, then themes, tags, followers, contacts."""
    from hemicycle.accounts.models import User
    from hemicycle.actors.models import Actor, Tag, Theme
    from hemicycle.actors.services import actors_import_file
    from hemicycle.actors.tests.rna_files import generated_rows, write_rna

    write_rna(path, generated_rows(rows), encoding="utf-8")
    actors_import_file(workspace=workspace, path=str(path), fmt="rna")
    rng = random.Random(5)
    ecology = Theme.objects.create(workspace=workspace, name="Écologie")
    themes = [ecology] + [Theme.objects.create(workspace=workspace, name=name, parent=ecology)
                          for name in ("Mobilité", "Alimentation", "Déchets")]
    themes += [Theme.objects.create(workspace=workspace, name=n) for n in ("Sport", "Culture")]
    tags = [Tag.objects.create(workspace=workspace, name=n) for n in ("AIL 2024", "Partenaire")]
    users = [User.objects.create_user(f"bench{i}@example.org", None, full_name=f"Bench {i}")
             for i in range(3)]
    ids = list(Actor.objects.filter(workspace=workspace).values_list("pk", flat=True))
    today = datetime.date.today()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE actors_actor SET last_contact_on = %s, follower_id = %s, email = %s "
            "WHERE id = %s",
            [(today - datetime.timedelta(days=rng.randint(1, 1500)) if rng.random() < 0.3
              else None, rng.choice(users).pk if rng.random() < 0.2 else None,
              f"contact{pk}@example.org" if rng.random() < 0.4 else "", pk) for pk in ids])
        Actor.themes.through.objects.bulk_create(
            [Actor.themes.through(actor_id=pk, theme_id=rng.choice(themes).pk)
             for pk in ids if rng.random() < 0.3], batch_size=5000)
        Actor.tags.through.objects.bulk_create(
            [Actor.tags.through(actor_id=pk, tag_id=rng.choice(tags).pk)
             for pk in ids if rng.random() < 0.1], batch_size=5000)
    return themes, tags, users


def filter_sets(themes, tags, users, cantons, communes) -> list[dict]:
    rng = random.Random(9)
    words = ["velo", "amicale", "jardins", "petanque", "theatre", "fives", "jean jaures",
             "solidarite", "musique", "secours", "danse", "anciens", "wazemmes", "club judo"]
    today = datetime.date.today()
    makers = [
        lambda: {"q": rng.choice(words)},
        lambda: {"canton": rng.choice(cantons)},
        lambda: {"commune": rng.choice(communes)},
        lambda: {"theme": str(rng.choice(themes).code)},
        lambda: {"etiquette": rng.choice(tags).name},
        lambda: {"suivi": str(rng.choice(users).pk)},
        lambda: {"contact_apres": (today - datetime.timedelta(days=180)).isoformat()},
        lambda: {"contact_avant": (today - datetime.timedelta(days=365)).isoformat()},
        lambda: {"email": "1", "canton": rng.choice(cantons)},
        lambda: {"consentement": "given"},
        lambda: {"categorie": "association", "q": rng.choice(words)},
        lambda: {"canton": rng.choice(cantons), "theme": str(themes[0].code)},
        lambda: {"q": rng.choice(words), "commune": rng.choice(communes)},
        lambda: {},
    ]
    return [rng.choice(makers)() for _ in range(100)]


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[-1] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the actors of a previous run in VAR_DIR (no refill)")
    args = parser.parse_args()

    from hemicycle.accounts.models import Workspace
    from hemicycle.actors.models import Actor
    from hemicycle.actors.queries import actor_page, map_data
    from hemicycle.territory.services import assembly_for, territory_load

    call_command("migrate", verbosity=0)
    territory_load(departements=["59"])
    workspace, _ = Workspace.objects.get_or_create(
        slug="bench-filters", defaults={"assembly": assembly_for("departement", "59"),
                                        "name": "Bench", "short_name": "Bench"})
    fill_start = time.perf_counter()
    if args.reuse and Actor.objects.filter(workspace=workspace).count() >= args.rows:
        from hemicycle.accounts.models import User
        from hemicycle.actors.models import Tag, Theme

        themes = list(Theme.objects.filter(workspace=workspace).order_by("pk"))
        tags = list(Tag.objects.filter(workspace=workspace))
        users = list(User.objects.filter(email__startswith="bench"))
    else:
        Actor.objects.filter(workspace=workspace).delete()
        themes, tags, users = fill(workspace, args.rows, Path(os.environ["VAR_DIR"]) / "f.csv")
    fill_s = time.perf_counter() - fill_start
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
    cantons = ["59025", "59026", "59027", "59028", "59015", "59032", "59039", "59016"]
    communes = ["59350", "59512", "59599", "59009", "59183", "59410", "59507"]
    sets = filter_sets(themes, tags, users, cantons, communes)

    list_times, map_times = [], []
    since = datetime.date.today() - datetime.timedelta(days=180)
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for filters in sets:
        start = time.perf_counter()
        page = actor_page(workspace, filters, 1)
        page.paginator.count, list(page)  # noqa: B018 - what the template reads
        list_times.append(time.perf_counter() - start)

        start = time.perf_counter()
        json.dumps(map_data(workspace, filters, since))
        map_times.append(time.perf_counter() - start)
    # CPU seconds of this process (SQLite runs in it): the fair figure on a loaded machine.
    queries_cpu, queries_wall = time.process_time() - cpu_start, time.perf_counter() - wall_start

    slowest = {}
    for label, times in (("list", list_times), ("map", map_times)):
        # The slowest filter set of each kind ("canton+theme"…), slowest kinds first.
        worst: dict[str, float] = {}
        for seconds, filters in zip(times, sets, strict=True):
            kind = "+".join(sorted(filters)) or "(none)"
            worst[kind] = max(worst.get(kind, 0), seconds)
        slowest[f"{label}_slowest_ms"] = {
            kind: round(seconds * 1000, 1)
            for kind, seconds in sorted(worst.items(), key=lambda item: -item[1])[:5]}
    print(json.dumps({
        "database": connection.vendor,
        "actors": Actor.objects.filter(workspace=workspace).count(),
        "fill_s": round(fill_s, 1),
        "queries": len(sets),
        "list_p50_ms": round(statistics.median(list_times) * 1000, 1),
        "list_p95_ms": p95(list_times),
        "map_p50_ms": round(statistics.median(map_times) * 1000, 1),
        "map_p95_ms": p95(map_times),
        "queries_wall_s": round(queries_wall, 2),
        "queries_cpu_s": round(queries_cpu, 2),
        "target_p95_ms": 200,
        **slowest,
    }))


if __name__ == "__main__":
    main()
