"""Territory figures: loading France's territory, name look-ups, point-in-polygon.

Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set).
Prints one JSON object.
"""

import json
import os
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

from hemicycle.territory import queries  # noqa: E402
from hemicycle.territory.services import territory_load  # noqa: E402


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    call_command("migrate", verbosity=0)
    first, counts = timed(territory_load)
    again, _ = timed(territory_load)
    searches = ["lille", "mons en baroeul", "villeneuve", "59000", "saint", "caen", "rouen",
                "évreux", "cherbourg", "alençon"]
    search_total, _ = timed(lambda: [queries.commune_search(q) for q in searches * 10])
    points = [(50.6366, 3.0635), (49.1829, -0.3707), (49.4431, 1.0993), (50.3570, 3.5230),
              (49.0241, 1.1508)]
    queries.canton_for_point(*points[0])  # builds the per-process index
    point_total, _ = timed(lambda: [queries.canton_for_point(*p) for p in points * 100])
    print(json.dumps({
        "territory_load_first_s": round(first, 2),
        "territory_load_rerun_s": round(again, 2),
        "communes": counts.get("communes") if isinstance(counts, dict) else None,
        "commune_search_ms": round(search_total / (len(searches) * 10) * 1000, 2),
        "canton_for_point_ms": round(point_total / (len(points) * 100) * 1000, 3),
        "database": django.db.connection.vendor,
    }))


if __name__ == "__main__":
    main()
