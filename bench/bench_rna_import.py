"""RNA import figures: a generated RNA file of 200,000 rows (real Nord INSEE codes,
realistic association titles, 2 % near-duplicates re-declared under another number),
imported end to end (reading, encoding detection, geocoding, deduplication, writes) into
a fresh SQLite database (or DATABASE settings from the environment), then imported again
(every row matched, nothing to change).

    python bench/bench_rna_import.py [--rows 200000]     # prints one JSON object

A file this large is read, checked and prepared in a forked child process while the
main one matches and writes (actors/services/imports.py): CPU seconds count both.

Targets (issue 5): ≥ 5,000 rows/s on SQLite; peak RSS < 500 MB.
"""

import argparse
import json
import os
import resource
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


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_s() -> float:
    """CPU seconds of this process and of its finished children (a large RNA file is
    read in a forked child: hemicycle/lib/forked.py)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def reader_peak_rss_mb() -> float:
    """Peak resident memory of the largest finished child (the reading process)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()

    from django.db import connection

    from hemicycle.accounts.models import Workspace
    from hemicycle.actors.models import Actor, DuplicateCandidate
    from hemicycle.actors.services import actors_import_file
    from hemicycle.actors.tests.rna_files import generated_rows, write_rna
    from hemicycle.territory.services import assembly_for, territory_load

    call_command("migrate", verbosity=0)
    territory_load(departements=["59"])
    workspace, _ = Workspace.objects.get_or_create(
        slug="bench-rna", defaults={"assembly": assembly_for("departement", "59"),
                                    "name": "Bench", "short_name": "Bench"})
    Actor.objects.filter(workspace=workspace).delete()
    path = Path(os.environ["VAR_DIR"]) / "rna_waldec_bench_dpt_59.csv"
    write_rna(path, generated_rows(args.rows), encoding="cp1252")  # streamed, not a list
    rss_before = peak_rss_mb()

    cpu, start = cpu_s(), time.perf_counter()
    _batch, report = actors_import_file(workspace=workspace, path=str(path), fmt="rna")
    first, first_cpu = time.perf_counter() - start, cpu_s() - cpu
    cpu, start = cpu_s(), time.perf_counter()
    _batch, again = actors_import_file(workspace=workspace, path=str(path), fmt="rna")
    second, second_cpu = time.perf_counter() - start, cpu_s() - cpu
    print(json.dumps({
        "database": connection.vendor,
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "import_s": round(first, 2),
        "import_rows_per_s": round(args.rows / first),
        # CPU seconds of this process: the fair figure on a shared, loaded machine.
        "import_cpu_s": round(first_cpu, 2),
        "import_rows_per_cpu_s": round(args.rows / first_cpu),
        "reimport_s": round(second, 2),
        "reimport_rows_per_cpu_s": round(args.rows / second_cpu),
        "reimport_rows_per_s": round(args.rows / second),
        "created": report.created,
        "duplicate_candidates": DuplicateCandidate.objects.filter(workspace=workspace).count(),
        "reimport_updated": again.updated, "reimport_unchanged": again.unchanged,
        "errors": len(report.errors),
        "peak_rss_mb_before_import": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        # its pages are shared with the parent until written (fork): not to be added up
        "peak_rss_mb_reading_process": reader_peak_rss_mb(),
        "targets": {"rows_per_s": 5000, "peak_rss_mb": 500},
    }))


if __name__ == "__main__":
    main()
