"""Sortition figures: minimum selection probabilities on the public instances, and the time
of our LEXIMIN against sortition-algorithms' maximin (HiGHS backend) on a generated pool of
300 volunteers, 45 seats and 6 features, in the same run. ``--their-leximin`` also times
sortition-algorithms' LEXIMIN (needs gurobipy; minutes).

Pure engine: no database, no Django. Prints one JSON object.
"""

import contextlib
import csv
import io
import json
import logging
import random
import sys
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hemicycle.juries import sortition  # noqa: E402
from hemicycle.juries.sortition import Instance, Person  # noqa: E402
from hemicycle.juries.sortition_io import read_instance  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "hemicycle/juries/tests/data/sortition"

# Feature: values, population shares (the quotas), volunteers' shares (the pool is skewed
# the usual way: older, more educated, more urban, more owners than the population).
FEATURES = {
    "genre": (["femme", "homme"], [0.52, 0.48], [0.58, 0.42]),
    "age": (["18-29", "30-44", "45-59", "60-74", "75+"],
            [0.18, 0.24, 0.25, 0.22, 0.11], [0.10, 0.18, 0.27, 0.33, 0.12]),
    "diplome": (["aucun", "bac", "bac+2", "bac+5"],
                [0.30, 0.30, 0.20, 0.20], [0.12, 0.23, 0.25, 0.40]),
    "territoire": (["ville-centre", "periurbain", "rural"], [0.35, 0.40, 0.25],
                   [0.50, 0.33, 0.17]),
    "activite": (["emploi", "chomage", "retraite", "etudes", "autre"],
                 [0.50, 0.07, 0.27, 0.08, 0.08], [0.45, 0.05, 0.38, 0.05, 0.07]),
    "logement": (["proprietaire", "locataire"], [0.58, 0.42], [0.70, 0.30]),
}


def generated_pool(n: int = 300, k: int = 45, seed: int = 2021) -> Instance:
    """A deterministic pool; activity and housing depend on age. Quotas: each value's
    population share of the k seats, rounded down less one, to rounded down plus two."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        f: dict[str, str] = {}
        for name, (values, _population, volunteers) in FEATURES.items():
            weights = list(volunteers)
            if name == "activite" and f["age"] in ("60-74", "75+"):
                weights = [0.1, 0.02, 0.8, 0.0, 0.08]
            elif name == "activite" and f["age"] == "18-29":
                weights = [0.45, 0.1, 0.0, 0.4, 0.05]
            elif name == "logement" and f["age"] == "18-29":
                weights = [0.2, 0.8]
            f[name] = rng.choices(values, weights)[0]
        people.append(Person(f"v{i + 1:03d}", f))
    quotas = {(name, v): (max(0, int(share * k) - 1), int(share * k) + 2)
              for name, (values, population, _) in FEATURES.items()
              for v, share in zip(values, population, strict=True)}
    return Instance(people, quotas, k)


def ours(instance: Instance, algorithm: str = "leximin") -> tuple[float, float]:
    start = time.perf_counter()
    distribution = sortition.probabilities(instance, algorithm)
    return time.perf_counter() - start, distribution.min_probability


def theirs(instance: Instance, algorithm: str = "maximin") -> tuple[float, float]:
    """sortition-algorithms' maximin with its HiGHS backend, or its LEXIMIN (Gurobi for
    the LP, HiGHS for the ILP); a benchmark tool only, never used by the engine."""
    from sortition_algorithms import CSVStringDataSource, SelectionData, Settings
    from sortition_algorithms.committee_generation import (
        find_distribution_leximin,
        find_distribution_maximin,
    )

    features = io.StringIO()
    writer = csv.writer(features)
    writer.writerow(["feature", "value", "min", "max"])
    writer.writerows([f, v, lo, hi] for (f, v), (lo, hi) in instance.quotas.items())
    names = sorted(instance.people[0].features)
    people = io.StringIO()
    writer = csv.writer(people)
    writer.writerow(["id", *names])
    writer.writerows([p.id, *(p.features[n] for n in names)] for p in instance.people)
    for name in ("sortition_algorithms", "sortition_algorithms_user"):  # progress to stdout
        logging.getLogger(name).setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        data = SelectionData(CSVStringDataSource(features.getvalue(), people.getvalue()))
        feature_collection, _ = data.load_features(instance.k)
        pool, _ = data.load_people(Settings(id_column="id", columns_to_keep=[]),
                                   feature_collection)
        start = time.perf_counter()
        find = find_distribution_leximin if algorithm == "leximin" else find_distribution_maximin
        committees, weights, _ = find(feature_collection, pool, instance.k, [],
                                      solver_backend="highspy")
        elapsed = time.perf_counter() - start
    probability = dict.fromkeys((p.id for p in instance.people), 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for pid in committee:
            probability[pid] += weight
    return elapsed, min(probability.values())


def published(name: str) -> dict:
    instance = read_instance(DATA / name / "categories.csv", DATA / name / "respondents.csv",
                             int(name.rsplit("_", 1)[1]))
    seconds, minimum = ours(instance)
    return {"leximin_min_probability": round(minimum, 6), "published": 0.10,
            "seconds": round(seconds, 2)}


def main() -> None:
    from sortition_algorithms.committee_generation import GUROBI_AVAILABLE

    # Their LEXIMIN takes minutes (649 s here, with gurobipy's size-limited licence), so
    # it is timed only on request.
    their_leximin = "--their-leximin" in sys.argv[1:]

    folder = DATA / "sortition_algorithms"
    fixture = read_instance(folder / "features.csv", folder / "candidates.csv", 22)
    fixture_seconds, fixture_min = ours(fixture)
    pool = generated_pool()
    leximin_seconds, leximin_min = ours(pool)
    maximin_seconds, maximin_min = ours(pool, "maximin")
    their_seconds, their_min = theirs(pool)
    if not GUROBI_AVAILABLE:
        their_leximin_result = ("needs Gurobi, not installed: find_random_sample silently "
                                "falls back to maximin")
    elif their_leximin:
        seconds, minimum = theirs(pool, "leximin")
        their_leximin_result = {"seconds": round(seconds, 2),
                                "min_probability": round(minimum, 6)}
    else:
        their_leximin_result = "gurobipy present; not timed (minutes): pass --their-leximin"
    large = published("example_large_200")
    large["reference_seconds_gurobi"] = 1161.8
    print(json.dumps({
        "example_small_20": published("example_small_20"),
        "example_large_200": large,
        "sortition_algorithms_fixture_150_22": {
            "leximin_min_probability": round(fixture_min, 6), "published": round(1 / 11, 6),
            "seconds": round(fixture_seconds, 2)},
        "generated_300_45_6": {
            "types": len({tuple(sorted(p.features.items())) for p in pool.people}),
            "ours_leximin_seconds": round(leximin_seconds, 2),
            "ours_leximin_min_probability": round(leximin_min, 6),
            "ours_maximin_seconds": round(maximin_seconds, 2),
            "ours_maximin_min_probability": round(maximin_min, 6),
            "theirs_maximin_highspy_seconds": round(their_seconds, 2),
            "theirs_maximin_min_probability": round(their_min, 6),
            "theirs_leximin": their_leximin_result,
            "leximin_faster_than_their_maximin": leximin_seconds < their_seconds,
            "speedup": round(their_seconds / leximin_seconds, 1),
        },
        "versions": {"engine": sortition.VERSION,
                     "sortition_algorithms": version("sortition-algorithms")},
    }, indent=1))


if __name__ == "__main__":
    main()
