"""Property checks of the allocation rules on small random elections (hypothesis).

The engine's MES takes shortcuts (voter classes shared between runs, float runs checked
against exact ones, certified jumps over Add1 steps), so it is compared with a plain,
exact, voter-by-voter implementation written here from the definition."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from hemicycle.juries import budgeting
from hemicycle.juries.budgeting import Election, Project

NAMES = [f"p{i}" for i in range(6)]


@st.composite
def elections(draw, kinds=("approval", "cumulative")) -> Election:
    kind = draw(st.sampled_from(kinds))
    names = NAMES[:draw(st.integers(1, len(NAMES)))]
    halves = draw(st.booleans())  # some amounts in half units: scaled money
    costs = {p: Fraction(draw(st.integers(1, 40)), 2 if halves else 1) for p in names}
    budget = Fraction(draw(st.integers(1, 100)), 2 if halves else 1)
    ballots = []
    for _ in range(draw(st.integers(1, 7))):
        chosen = draw(st.sets(st.sampled_from(names), max_size=len(names)))
        if kind == "approval":
            ballots.append(dict.fromkeys(sorted(chosen), 1))
        else:
            ballots.append({p: draw(st.integers(1, 3)) for p in sorted(chosen)})
    return Election(budget, {p: Project(p, c) for p, c in costs.items()}, ballots, kind)


def plain_mes(e: Election, t: Fraction, utility: str = "cost") -> list[str]:
    """MES from the definition: each voter starts with t; the project with the least
    price rho (supporters pay min(budget, rho * utility)) is funded, ties to the most
    supported, then the cheapest, then the first in the file."""
    support = e.support()
    order = {p: i for i, p in enumerate(e.projects)}

    def u(voter: int, p: str) -> Fraction:
        value = e.ballots[voter].get(p, 0)
        if value and e.kind == "approval":
            return Fraction(e.projects[p].cost if utility == "cost" else 1)
        return Fraction(value)

    budget = [Fraction(t)] * len(e.ballots)
    left = [p for p in e.projects if support[p] and e.projects[p].cost > 0]
    winners = []
    while True:
        best = None
        for p in left:
            cost = e.projects[p].cost
            payers = sorted(((budget[i], u(i, p)) for i in range(len(budget)) if u(i, p)),
                            key=lambda x: x[0] / x[1])
            if sum(b for b, _ in payers) < cost:
                continue
            paid, rest = 0, sum(x for _, x in payers)
            for b, x in payers:
                rho = (cost - paid) / rest
                if b >= rho * x:
                    break
                paid, rest = paid + b, rest - x
            key = (rho, -support[p], cost, order[p])
            if best is None or key < best[0]:
                best = (key, p, rho)
        if best is None:
            return winners
        _, p, rho = best
        winners.append(p)
        left.remove(p)
        for i in range(len(budget)):
            budget[i] -= min(budget[i], rho * u(i, p))


def plain_add1(e: Election, exhaustive: bool) -> tuple[list[str], Fraction]:
    t = Fraction(e.budget, len(e.ballots))
    support = e.support()
    supported = [p for p in e.projects if support[p]]

    def spent(winners):
        return sum(e.projects[p].cost for p in winners)

    winners = plain_mes(e, t)
    if spent(supported) <= e.budget:
        return winners, t
    while not (exhaustive and all(e.projects[p].cost > e.budget - spent(winners)
                                  for p in supported if p not in winners)):
        trial = plain_mes(e, t + 1)
        if spent(trial) > e.budget:
            break
        winners, t = trial, t + 1
    return winners, t


@settings(max_examples=300, deadline=None)
@given(elections(), st.booleans())
def test_mes_with_add1_matches_the_plain_definition(e, exhaustive):
    winners, t = plain_add1(e, exhaustive)
    outcome = budgeting.equal_shares(e, exhaustive=exhaustive)
    assert outcome.selected == winners
    assert outcome.voter_budget == t


@settings(max_examples=150, deadline=None)
@given(elections(kinds=("approval",)), st.sampled_from(["cost", "cardinality"]))
def test_mes_without_completion_matches_the_plain_definition(e, utility):
    outcome = budgeting.equal_shares(e, completion="none", utility=utility)
    assert outcome.selected == plain_mes(e, Fraction(e.budget, len(e.ballots)), utility)


@st.composite
def overrides(draw, e: Election) -> tuple[list[str], list[str]]:
    names = list(e.projects)
    excluded = draw(st.sets(st.sampled_from(names), max_size=2))
    forced, spent = [], 0
    for p in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
        if p not in excluded and spent + e.projects[p].cost <= e.budget:
            forced.append(p)
            spent += e.projects[p].cost
    return forced, sorted(excluded)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_no_rule_ever_spends_more_than_the_envelope(data):
    e = data.draw(elections())
    include, exclude = data.draw(overrides(e))
    outcomes = [
        budgeting.greedy(e, include=include, exclude=exclude),
        budgeting.greedy(e, skip=False, include=include, exclude=exclude),
        budgeting.greedy(e, partial_min_share=Fraction(1, 2), include=include,
                         exclude=exclude),
        *(budgeting.equal_shares(e, completion=c, include=include, exclude=exclude)
          for c in ("none", "add1", "add1-greedy")),
    ]
    for outcome in outcomes:
        assert outcome.cost(e) <= e.budget
        assert set(include) <= set(outcome.selected)
        assert not set(exclude) & (set(outcome.selected) | set(outcome.partial))
        assert set(outcome.reasons) == set(e.projects)
        for pid in e.projects:  # every project has a sentence
            assert budgeting.explain(e, outcome, pid)


@settings(max_examples=200, deadline=None)
@given(elections())
def test_greedy_funds_in_rank_order_and_leaves_nothing_that_fits(e):
    outcome = budgeting.greedy(e)
    left = e.budget - outcome.cost(e)
    rank = {p: i for i, p in enumerate(budgeting.ranking(e))}
    assert outcome.selected == sorted(outcome.selected, key=rank.__getitem__)
    for pid, reason in outcome.reasons.items():
        cost = e.projects[pid].cost
        if reason.code == "greedy":
            assert cost <= reason.remaining
        elif reason.code == "too_expensive":
            assert cost > reason.remaining >= left
        else:
            assert reason.code == "no_support" and e.support()[pid] == 0


def replay(e: Election, outcome: budgeting.Outcome) -> list[Fraction]:
    """Voters' budgets after paying, round by round, what the outcome's reasons say
    (approvals, cost utilities: each supporter pays min(budget, largest payment))."""
    budget = [outcome.voter_budget] * len(e.ballots)
    for pid in outcome.selected:
        reason = outcome.reasons[pid]
        payments = [min(budget[i], reason.amount) if pid in ballot else 0
                    for i, ballot in enumerate(e.ballots)]
        assert sum(payments) == e.projects[pid].cost  # the cost is exactly covered
        assert sum(1 for x in payments if x) == reason.supporters
        budget = [b - x for b, x in zip(budget, payments, strict=True)]
    return budget


@settings(max_examples=200, deadline=None)
@given(elections(kinds=("approval",)), st.sampled_from(["none", "add1"]))
def test_mes_payments_cover_each_cost_within_each_voters_budget(e, completion):
    outcome = budgeting.equal_shares(e, completion=completion)
    budget = replay(e, outcome)
    assert min(budget) >= 0
    for pid in e.projects:  # MES stops only when no supporters can pay for anything
        if pid not in outcome.selected:
            money = sum(b for b, ballot in zip(budget, e.ballots, strict=True)
                        if pid in ballot)
            assert money < e.projects[pid].cost


@settings(max_examples=200, deadline=None)
@given(elections(), st.sampled_from(["none", "add1", "add1-greedy"]))
def test_voters_who_could_fund_a_project_alone_always_get_something(e, completion):
    # the proportionality MES is for: if a project's supporters hold its cost with their
    # shares, at least one of them gets a funded project they voted for
    outcome = budgeting.equal_shares(e, completion=completion)
    funded = set(outcome.selected)
    for pid, count in e.support().items():
        if count and count * outcome.voter_budget >= e.projects[pid].cost:
            assert any(funded & set(b) for b in e.ballots if pid in b)


@settings(max_examples=100, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_the_order_of_ballots_does_not_matter(e, rnd):
    ballots = list(e.ballots)
    rnd.shuffle(ballots)
    shuffled = Election(e.budget, e.projects, ballots, e.kind)
    for rule in ("greedy", "mes"):
        assert budgeting.allocate(e, rule).selected == \
            budgeting.allocate(shuffled, rule).selected
