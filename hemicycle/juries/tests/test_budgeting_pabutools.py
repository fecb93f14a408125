"""Cross-check of the Method of Equal Shares with pabutools 1.2.3 (a test-only tool).

pabutools stops Add1 as soon as the outcome is exhaustive: we compare it with our
`exhaustive=True`. Our default keeps raising the budget while the outcome fits, as the
official runs did (see test_budgeting.py for Wieliczka, where the two rules differ)."""

from pathlib import Path

import pytest

from hemicycle.juries import budgeting, pabulib

pabutools = pytest.importorskip("pabutools")
from pabutools.election import (  # noqa: E402
    Additive_Cardinal_Sat,
    Cardinality_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.rules import method_of_equal_shares  # noqa: E402

DATA = Path(__file__).parent / "data" / "pb"
CASES = [
    # file, pabutools satisfaction, our utility for approvals, Add1 or not
    ("Netherlands_Assen_2024.pb", Cost_Sat, "cost", True),
    ("US_Stanford_Dataset_PB_Chicago_47th_Ward_2020_vote_knapsacks.pb", Cost_Sat, "cost", True),
    ("Worldwide_Mechanical_Turk_k_approval_3.pb", Cardinality_Sat, "cardinality", True),
    ("Worldwide_Mechanical_Turk_Utilities_3.pb", Additive_Cardinal_Sat, "cost", True),
    ("Poland_Swiecie_2023.pb", Cost_Sat, "cost", False),
    ("France_Toulouse_2019.pb", Additive_Cardinal_Sat, "cost", False),
]


@pytest.mark.parametrize(("name", "sat", "utility", "add1"), CASES,
                         ids=[c[0][:30] for c in CASES])
def test_mes_agrees_with_pabutools(name, sat, utility, add1):
    instance, profile = parse_pabulib(str(DATA / name))
    theirs = method_of_equal_shares(instance, profile, sat_class=sat,
                                    voter_budget_increment=1 if add1 else None)
    election = pabulib.election_from_pb(pabulib.read(DATA / name))
    ours = budgeting.equal_shares(election, completion="add1" if add1 else "none",
                                  exhaustive=True, utility=utility)
    assert sorted(ours.selected) == sorted(p.name for p in theirs)
