"""The allocation rules on real Pabulib files and on hand-made cases (pure: no database)."""

from fractions import Fraction
from pathlib import Path

import pytest

from hemicycle.juries import budgeting, pabulib
from hemicycle.juries.budgeting import Election, Project

DATA = Path(__file__).parent / "data" / "pb"

# Every test file whose META rule is one we implement and that carries the official
# winners (`selected`). Other rules met in Pabulib: `unknown` (Budapest, Zurich…: no
# official rule to reproduce), greedy-exclusive and greedy-custom (none in our set).
OFFICIAL = [
    ("Poland_Warszawa_2019_Sielce.pb", "greedy"),
    ("Poland_Warszawa_2018_Stare_Wlochy.pb", "greedy-threshold"),
    ("Poland_Czestochowa_2024_Bleszno.pb", "greedy"),  # cumulative: ranked by points
    ("Poland_Krakow_2025_Stare_Miasto.pb", "greedy"),  # ordinal: ranked by Borda points
    ("Poland_Wieliczka_2023_Green_Budget.pb", "equalshares/add1-comparison"),
    ("Poland_Swiecie_2023.pb", "equalshares/add1"),
    ("Netherlands_Assen_2024.pb", "equalshares/add1"),
]


def load(name: str) -> tuple[pabulib.PbFile, Election]:
    pb = pabulib.read(DATA / name)
    return pb, pabulib.election_from_pb(pb)


@pytest.mark.parametrize(("name", "rule"), OFFICIAL)
def test_it_reproduces_the_official_winners(name, rule):
    pb, election = load(name)
    assert pb.rule == rule
    engine_rule, options = pabulib.official_rule(pb)
    outcome = budgeting.allocate(election, engine_rule, **options)
    assert sorted(outcome.selected) == sorted(pb.selected())
    assert outcome.cost(election) <= election.budget


def test_wieliczka_needs_the_stopping_rule_that_keeps_the_last_outcome_within_budget():
    # stopping as soon as the outcome is exhaustive (pabutools, equalshares.net's option)
    # stops 14 steps early and misses three official winners
    pb, election = load("Poland_Wieliczka_2023_Green_Budget.pb")
    official = set(pb.selected())
    keep_last = budgeting.equal_shares(election)
    exhaustive = budgeting.equal_shares(election, exhaustive=True)
    assert set(keep_last.selected) == official
    assert official - set(exhaustive.selected) == {"46"}
    assert set(exhaustive.selected) - official == {"66", "67"}
    assert keep_last.voter_budget > exhaustive.voter_budget
    assert "1615 électeurs préfèrent ce résultat, 873" in budgeting.equal_shares(
        election, comparison=True).note


def test_add1_raises_the_share_by_one_unit_per_voter_from_the_equal_split():
    _, election = load("Netherlands_Assen_2024.pb")
    outcome = budgeting.equal_shares(election)
    start = Fraction(election.budget, len(election.ballots))
    assert (outcome.voter_budget - start).denominator == 1  # whole steps of 1 €
    assert outcome.voter_budget == start + 843
    plain = budgeting.equal_shares(election, completion="none")
    assert plain.voter_budget == start
    assert set(plain.selected) < set(outcome.selected)


def test_add1_greedy_completes_with_the_most_voted_projects_that_still_fit():
    _, election = load("Netherlands_Assen_2024.pb")
    add1 = budgeting.equal_shares(election)
    completed = budgeting.equal_shares(election, completion="add1-greedy")
    extra = [p for p in completed.selected if p not in add1.selected]
    assert extra and all(completed.reasons[p].code == "completion" for p in extra)
    assert add1.cost(election) < completed.cost(election) <= election.budget


def test_mes_works_on_points_and_rankings():
    for name in ("France_Toulouse_2019.pb", "Switzerland_Zurich_S5R.pb"):
        _, election = load(name)
        outcome = budgeting.equal_shares(election)
        assert outcome.selected and outcome.cost(election) <= election.budget


def election(costs: dict[str, int], ballots: list[str], budget: int = 100) -> Election:
    """Approval election from compact ballots: "ab" approves a and b."""
    return Election(budget=budget, currency="EUR",
                    projects={p: Project(p, c, f"Projet {p}") for p, c in costs.items()},
                    ballots=[dict.fromkeys(b, 1) for b in ballots])


def test_greedy_skips_what_does_not_fit_and_says_so():
    e = election({"a": 60, "b": 50, "c": 30, "d": 5}, ["ab", "ab", "abc", "ac", "d"])
    outcome = budgeting.greedy(e)
    assert outcome.selected == ["a", "c", "d"]
    assert outcome.reasons["b"].code == "too_expensive"
    assert budgeting.explain(e, outcome, "b") == (
        "Non financé : il coûte 50\u00a0€ et il ne restait que 40\u00a0€ quand son tour est "
        "venu (2e du classement).")
    assert budgeting.explain(e, outcome, "a") == (
        "Financé : 1er du classement avec 4 voix, il tenait dans ce qui restait de "
        "l'enveloppe (100\u00a0€).")


def test_greedy_without_skipping_stops_at_the_first_project_that_does_not_fit():
    e = election({"a": 60, "b": 50, "c": 30, "d": 5}, ["ab", "ab", "abc", "ac", "d"])
    outcome = budgeting.greedy(e, skip=False)
    assert outcome.selected == ["a"]
    assert outcome.reasons["c"].code == "stopped"


def test_greedy_threshold_never_funds_a_project_under_the_minimum_score():
    e = election({"a": 10, "b": 10}, ["ab", "a", "a"])
    outcome = budgeting.greedy(e, threshold=2)
    assert outcome.selected == ["a"]
    assert "sous le seuil de 2 voix" in budgeting.explain(e, outcome, "b")


def test_partial_funding_gives_the_leftover_to_the_next_project_down_to_a_minimum_share():
    e = election({"a": 60, "b": 50, "c": 30}, ["ab", "ab", "b", "c"])
    outcome = budgeting.greedy(e, partial_min_share=Fraction(3, 4))
    assert outcome.selected == ["b"] and outcome.partial == {"a": 50}
    assert outcome.cost(e) == 100
    assert budgeting.explain(e, outcome, "a").startswith("Financé en partie : 50\u00a0€ sur 60")
    too_small = budgeting.greedy(e, partial_min_share=Fraction(9, 10))
    assert too_small.partial == {} and too_small.selected == ["b", "c"]


def test_forced_and_excluded_projects_are_honoured_by_every_rule():
    e = election({"a": 60, "b": 50, "c": 30, "d": 5}, ["ab", "ab", "abc", "ac", "d"])
    for rule in ("greedy", "mes"):
        outcome = budgeting.allocate(e, rule, include=["d"], exclude=["a"])
        assert "d" in outcome.selected and "a" not in outcome.selected
        assert outcome.reasons["a"].code == "excluded"
        assert outcome.cost(e) <= e.budget
        assert "décision motivée" in budgeting.explain(e, outcome, "d")
    with pytest.raises(ValueError, match="imposé et écarté"):
        budgeting.greedy(e, include=["a"], exclude=["a"])
    with pytest.raises(ValueError, match="dépassent l'enveloppe"):
        budgeting.equal_shares(e, include=["a", "b"])
    with pytest.raises(ValueError, match="projet inconnu"):
        budgeting.greedy(e, exclude=["z"])


def test_mes_shares_the_envelope_so_a_minority_gets_its_project():
    # 3 voters want a and b, 1 voter wants c: greedy gives everything to the majority
    e = election({"a": 50, "b": 50, "c": 25}, ["ab", "ab", "ab", "c"])
    assert budgeting.greedy(e).selected == ["a", "b"]
    outcome = budgeting.equal_shares(e, completion="none")
    assert outcome.selected == ["a", "c"]
    assert budgeting.explain(e, outcome, "a") == (
        "Financé au tour 1 : son coût (50\u00a0€) est partagé entre 3 de ses soutiens, "
        "dont aucun ne paie plus de 16,67\u00a0€ sur sa part.")
    assert budgeting.explain(e, outcome, "c") == (
        "Financé au tour 2 : un seul de ses soutiens en paie tout le coût (25\u00a0€) sur "
        "sa part.")
    assert budgeting.explain(e, outcome, "b") == (
        "Non financé : au tour 2, après avoir payé leur part des projets financés avant, "
        "ses 3 soutiens n'avaient plus que 25\u00a0€, moins que son coût (50\u00a0€).")


def test_an_unaffordable_project_says_what_its_supporters_could_gather():
    e = election({"a": 90, "b": 10, "c": 80}, ["a", "b", "bc", "bc"])
    outcome = budgeting.equal_shares(e, completion="none")
    assert outcome.selected == ["b"]
    assert budgeting.explain(e, outcome, "a") == (
        "Non financé : sa part (25\u00a0€ par électeur) ne suffisait pas à son seul soutien "
        "pour payer son coût (90\u00a0€).")
    assert budgeting.explain(e, outcome, "c") == (
        "Non financé : même en y mettant toute leur part (25\u00a0€ par électeur), ses 2 "
        "soutiens ne réunissaient que 50\u00a0€, moins que son coût (80\u00a0€).")


def test_the_comparison_shows_funded_money_and_who_is_served():
    e = election({"a": 50, "b": 50, "c": 25}, ["ab", "ab", "ab", "c"])
    rows = budgeting.compare(e, [budgeting.greedy(e),
                                 budgeting.equal_shares(e, completion="none")])
    greedy_row, mes_row = rows
    assert (greedy_row["funded"], greedy_row["cost"], greedy_row["left"]) == (2, 100, 0)
    assert greedy_row["served_share"] == Fraction(3, 4)
    assert mes_row["served_share"] == 1
    assert greedy_row["average_utility"] == Fraction(6, 4)
    assert greedy_row["only_here"] == ["b"] and mes_row["only_here"] == ["c"]


def test_money_is_written_the_french_way():
    assert budgeting.money(1234567) == "1\u202f234\u202f567\u00a0€"
    assert budgeting.money(Fraction(25, 2), "PLN") == "12,50\u00a0zł"
    assert budgeting.money(5, "") == "5"


def test_an_allocation_is_reproducible_and_ignores_the_order_of_ballots():
    _, e = load("Poland_Swiecie_2023.pb")
    first = budgeting.equal_shares(e)
    shuffled = Election(e.budget, e.projects, list(reversed(e.ballots)), e.kind, e.currency)
    again = budgeting.equal_shares(shuffled)
    assert first.selected == again.selected and first.voter_budget == again.voter_budget
    assert [budgeting.explain(e, first, p) for p in e.projects] == [
        budgeting.explain(e, again, p) for p in e.projects]
