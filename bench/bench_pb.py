"""Method of Equal Shares + Add1: our engine against pabutools 1.2.3, same run.

For Warszawa 2019 Sielce, Toulouse 2022 and Budapest 2024 (../shared/data/pb), times:
- ours with the official stopping rule (raise the per-voter budget while the outcome
  fits the envelope, keep the last one that fits);
- ours with pabutools' stopping rule (`exhaustive=True`: also stop once nothing fits),
  the like-for-like comparison, whose outcome must equal pabutools';
- pabutools' `method_of_equal_shares(..., sat_class=Cost_Sat, voter_budget_increment=1)`.
When pabutools would run longer than --limit seconds (Budapest: one MES run takes about
10 s and Add1 needs ~22,000 of them), its time is estimated instead: its set-up (one
call with a zero budget) plus the Add1 runs (known from our run, identical rule) times
the mean of one pabutools run, less the set-up, at the first and the last per-voter
budget. The JSON says which figures are estimates.

These three files have no official MES outcome (their META rule is greedy or unknown), so
the official-outcome check runs on the MES files of the set (Wieliczka, Świecie, Assen).

Prints one JSON object.
"""

import argparse
import json
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hemicycle.juries import budgeting, pabulib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "pb"
FILES = ["Poland_Warszawa_2019_Sielce.pb", "France_Toulouse_2022.pb", "Hungary_Budapest_2024.pb"]
OFFICIAL_MES = ["Poland_Wieliczka_2023_Green_Budget.pb", "Poland_Swiecie_2023.pb",
                "Netherlands_Assen_2024.pb"]
TARGET = 10


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def pabutools_one_run(path: Path, voter_budget: Fraction | None = None) -> float:
    """Seconds for one fixed-budget MES call of pabutools (set-up included), with
    `voter_budget` per voter (default: the envelope shared equally)."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    instance, profile = parse_pabulib(str(path))
    if voter_budget is not None:
        instance.budget_limit = voter_budget * profile.num_ballots()
    return timed(method_of_equal_shares, instance, profile, sat_class=Cost_Sat)[0]


def pabutools_add1(path: Path) -> tuple[float, list[str]]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    instance, profile = parse_pabulib(str(path))
    seconds, outcome = timed(method_of_equal_shares, instance, profile, sat_class=Cost_Sat,
                             voter_budget_increment=1)
    return seconds, sorted(p.name for p in outcome)


def bench_file(path: Path, limit: float) -> dict:
    pb = pabulib.read(path)
    election = pabulib.election_from_pb(pb)
    ours_s, ours = timed(budgeting.equal_shares, election)
    like_s, like = timed(budgeting.equal_shares, election, exhaustive=True)
    start = Fraction(election.budget, len(election.ballots))
    steps = int(like.voter_budget - start)  # pabutools runs MES at steps 0..steps(+1)
    runs = steps + 1 + (not _exhausted(election, like))
    setup = pabutools_one_run(path, Fraction(0))  # nothing affordable: set-up only
    first = pabutools_one_run(path)
    last = pabutools_one_run(path, like.voter_budget)
    # On a busy machine the set-up can time longer than a whole run: never estimate a run
    # at less than half its measured time (a negative estimate once made Toulouse "cheap").
    per_run = max((first + last) / 2 - setup, (first + last) / 4)
    estimate = setup + runs * per_run
    row = {
        "voters": len(election.ballots), "projects": len(election.projects),
        "meta_rule": pb.rule, "add1_steps": steps,
        "ours_s": round(ours_s, 2), "ours_runs": ours.runs,
        "ours_pabutools_rule_s": round(like_s, 2), "ours_pabutools_rule_runs": like.runs,
        "pabutools_setup_s": round(setup, 2),
        "pabutools_one_run_s": [round(first, 2), round(last, 2)],
        "pabutools_estimated_s": round(estimate, 1),
    }
    if estimate <= limit:
        seconds, theirs = pabutools_add1(path)
        row |= {"pabutools_s": round(seconds, 2), "pabutools_measured": True,
                "same_outcome_as_pabutools": theirs == sorted(like.selected)}
    else:
        row |= {"pabutools_s": round(estimate, 1), "pabutools_measured": False,
                "same_outcome_as_pabutools": None}
    row["speedup"] = round(row["pabutools_s"] / like_s, 1)
    official = pb.selected()
    row["official_rule_is_mes"] = pb.rule.startswith("equalshares")
    row["official_selected_reproduced"] = (sorted(ours.selected) == sorted(official)
                                          if official and row["official_rule_is_mes"]
                                          else None)
    return row


def _exhausted(election, outcome) -> bool:
    left = election.budget - outcome.cost(election)
    support = election.support()
    return all(project.cost > left for pid, project in election.projects.items()
               if support[pid] and pid not in outcome.selected)


def bench_official(path: Path) -> dict:
    pb = pabulib.read(path)
    election = pabulib.election_from_pb(pb)
    rule, options = pabulib.official_rule(pb)
    seconds, outcome = timed(budgeting.allocate, election, rule, **options)
    pabutools_rule = budgeting.equal_shares(election, exhaustive=True)
    official = sorted(pb.selected())
    return {"meta_rule": pb.rule, "ours_s": round(seconds, 2),
            "official_selected_reproduced": sorted(outcome.selected) == official,
            "pabutools_stopping_rule_reproduces": sorted(pabutools_rule.selected) == official}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=float, default=1200,
                        help="run pabutools' Add1 only if estimated under this (s)")
    parser.add_argument("files", nargs="*", default=FILES)
    args = parser.parse_args()
    from importlib.metadata import version

    import pabutools  # noqa: F401  (a dev dependency: fail early if missing)

    rows = {name: bench_file(args.data / name, args.limit) for name in args.files}
    official = {name: bench_official(args.data / name) for name in OFFICIAL_MES
                if (args.data / name).exists()}
    print(json.dumps({
        "pabutools_version": version("pabutools"),
        "target_speedup": TARGET,
        "mes_add1": rows,
        "all_reach_target": all(r["speedup"] >= TARGET for r in rows.values()),
        "all_same_as_pabutools": all(r["same_outcome_as_pabutools"] is not False
                                     for r in rows.values()),
        "official_mes_files": official,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
