"""Participatory-budget allocation rules, pure Python (no Django).

The rules, with exact results (float shortcuts are checked, see `_mes_run`):

* `greedy`: rank projects by score (approvals, points or Borda points) and fund them in
  that order, skipping what no longer fits; variants: no skipping, a minimum score, and
  partial funding of the first project that does not fit, down to a minimum share.
* `equal_shares`: the Method of Equal Shares (Peters, Pierczyński, Skowron) with the
  equalshares.net conventions (cost utilities for approvals; ties to the most voted,
  then the cheapest), completed by "Add1": the per-voter budget is raised by one
  currency unit at a time while the outcome stays within the envelope, and the last
  outcome that fits is kept. This stopping rule reproduces the official results of
  Wieliczka 2023, Świecie 2023 and Assen 2024. pabutools' rule (also stop as soon as no
  project fits the leftover) is `exhaustive=True`: it differs on Wieliczka. Optionally
  followed by greedy on the remainder ("add1-greedy").
* forced inclusions and exclusions (manual overrides) for every rule.

Every outcome has a `Reason` per project; `explain` says it in plain French and
`compare` puts outcomes side by side (funded, money used, voters served).

Add1 may run MES thousands of times (Budapest 2024: 22,000 steps), so `_mes_run` is
built for it: voters are grouped in classes of equal budget, class structures are shared
between runs, runs use floats unless a near tie asks for exact fractions, and a run
several steps ahead can vouch for all the steps in between (see `_add1`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from operator import mul

Number = int | Fraction
VERSION = "budgeting-1"


@dataclass(frozen=True)
class Project:
    id: str
    cost: Number
    name: str = ""


@dataclass
class Election:
    """A budget, its projects (in file order) and one utility map per ballot:
    1 per approval, points for cumulative or scoring ballots, Borda points for rankings."""

    budget: Number
    projects: dict[str, Project]
    ballots: list[dict[str, Number]]
    kind: str = "approval"  # approval | cumulative | scoring | ordinal
    currency: str = ""

    def support(self) -> dict[str, int]:
        """Number of voters who gave each project something (a positive utility)."""
        counts = dict.fromkeys(self.projects, 0)
        for ballot in self.ballots:
            for pid, value in ballot.items():
                counts[pid] += value > 0
        return counts

    def score(self) -> dict[str, Number]:
        """Sum of utilities: approvals, points or Borda points."""
        totals: dict[str, Number] = dict.fromkeys(self.projects, 0)
        for ballot in self.ballots:
            for pid, value in ballot.items():
                totals[pid] += value
        return totals


@dataclass(frozen=True)
class Reason:
    """Why a project was or was not funded; `explain` turns it into French.

    code: forced, excluded, greedy, mes, completion, partial, free, comparison
    (funded); no_support, too_expensive, below_threshold, stopped, not_enough_support."""

    code: str
    round: int | None = None  # MES round, or rank in the greedy order
    supporters: int | None = None  # voters who approved (or paid, for MES)
    score: Number | None = None
    remaining: Number | None = None  # money left (envelope or supporters' money)
    amount: Number | None = None  # MES: largest payment; partial: money granted
    threshold: Number | None = None


@dataclass
class Outcome:
    rule: str
    budget: Number
    selected: list[str]  # in the order they were funded
    reasons: dict[str, Reason]
    partial: dict[str, Number] = field(default_factory=dict)  # project -> amount granted
    voter_budget: Number | None = None  # MES: the per-voter budget finally used
    runs: int = 0  # MES: fixed-budget runs computed (for the benchmark)
    note: str = ""

    def cost(self, election: Election) -> Number:
        full = sum((election.projects[p].cost for p in self.selected), 0)
        return full + sum(self.partial.values(), 0)


def _check_overrides(election: Election, include: Iterable[str], exclude: Iterable[str]):
    include, exclude = list(dict.fromkeys(include)), set(exclude)
    unknown = [p for p in [*include, *exclude] if p not in election.projects]
    if unknown:
        raise ValueError(f"projet inconnu : {', '.join(unknown)}")
    if both := exclude.intersection(include):
        raise ValueError(f"projet à la fois imposé et écarté : {', '.join(sorted(both))}")
    forced = sum((election.projects[p].cost for p in include), 0)
    if forced > election.budget:
        raise ValueError("les projets imposés dépassent l'enveloppe")
    reasons = {p: Reason("forced") for p in include} | {p: Reason("excluded") for p in exclude}
    return include, exclude, election.budget - forced, reasons


# --- greedy -------------------------------------------------------------------------------


def ranking(election: Election) -> list[str]:
    """Projects by score, most first; ties go to more voters, then the cheaper project,
    then file order (Pabulib defines no tie rule; no official file we know needs one)."""
    score, support = election.score(), election.support()
    order = {pid: i for i, pid in enumerate(election.projects)}
    return sorted(election.projects, key=lambda p: (-score[p], -support[p],
                                                    election.projects[p].cost, order[p]))


def greedy(election: Election, *, skip: bool = True, threshold: Number = 0,
           partial_min_share: Number | None = None, include: Iterable[str] = (),
           exclude: Iterable[str] = ()) -> Outcome:
    """Fund projects in `ranking` order while they fit (Pabulib `greedy`); `skip=False`
    stops at the first one that does not fit (`greedy-no-skip`); projects scoring under
    `threshold` are never funded (`greedy-threshold`). With `partial_min_share` (say
    1/2), the first project that does not fit gets what is left of the envelope if that
    covers at least this share of its cost (then nothing is left for the others)."""
    include, exclude, left, reasons = _check_overrides(election, include, exclude)
    score, support = election.score(), election.support()
    outcome = Outcome("greedy", election.budget, list(include), reasons)
    stopped = missed = False
    for rank, pid in enumerate(ranking(election), start=1):
        if pid in reasons:
            continue
        cost = election.projects[pid].cost
        common = dict(round=rank, supporters=support[pid], score=score[pid], remaining=left)
        if support[pid] == 0:
            reasons[pid] = Reason("no_support")
        elif score[pid] < threshold:
            reasons[pid] = Reason("below_threshold", threshold=threshold, **common)
        elif stopped:
            reasons[pid] = Reason("stopped", **common)
        elif cost <= left:
            outcome.selected.append(pid)
            reasons[pid] = Reason("greedy", **common)
            left -= cost
        elif (not missed and partial_min_share is not None and left > 0
              and left >= Fraction(partial_min_share) * cost):
            outcome.partial[pid] = left
            reasons[pid] = Reason("partial", amount=left, **common)
            left, missed = 0, True
        else:
            reasons[pid] = Reason("too_expensive", **common)
            missed, stopped = True, not skip
    return outcome


def _greedy_fill(election: Election, outcome: Outcome, left: Number, code: str) -> None:
    """Add projects in ranking order while they fit (the "add1-greedy" completion)."""
    for rank, pid in enumerate(ranking(election), start=1):
        reason = outcome.reasons.get(pid)
        if reason and reason.code in ("forced", "excluded", "mes", "free", "no_support"):
            continue
        if election.projects[pid].cost <= left:
            outcome.selected.append(pid)
            outcome.reasons[pid] = Reason(code, round=rank, remaining=left)
            left -= election.projects[pid].cost


# --- Method of Equal Shares ---------------------------------------------------------------


class _Prepared:
    """What every MES run needs, computed once. Money is scaled to integers (`scale`
    units per currency unit) and utilities are integers. Each voter's utilities are
    packed in an int, `bits` bits per project (`field[d]` masks project d), so that a
    voter's class (what it gave the funded projects) is one `&` away. For approvals,
    payments use utility 1 and prices compare per unit of `worth` (the cost with cost
    utilities, as equalshares.net does; else 1)."""

    def __init__(self, election: Election, candidates: list[str], utility: str,
                 money: Iterable[Number]):
        self.ids = candidates
        index = {pid: i for i, pid in enumerate(candidates)}
        costs = [Fraction(election.projects[p].cost) for p in candidates]
        self.scale = math.lcm(*(Fraction(x).denominator for x in [*costs, *money]))
        self.cost = [int(c * self.scale) for c in costs]
        approval = election.kind == "approval"
        ballots = [[(index[p], 1 if approval else Fraction(v)) for p, v in ballot.items()
                    if p in index and v > 0] for ballot in election.ballots]
        # fractional points: scale every utility alike (prices scale, choices do not)
        den = math.lcm(1, *(v.denominator for b in ballots for _, v in b if not approval))
        ballots = [[(d, int(v * den)) for d, v in b] for b in ballots]
        self.bits = max([1] + [v.bit_length() for b in ballots for _, v in b])
        self.field = [((1 << self.bits) - 1) << (self.bits * d) for d in range(len(costs))]
        self.codes: list[list[int]] = [[] for _ in candidates]
        self.utils: list[list[int]] | None = None if approval else [[] for _ in candidates]
        for ballot in ballots:
            code = sum(v << (self.bits * d) for d, v in ballot)
            for d, v in ballot:
                self.codes[d].append(code)
                if self.utils is not None:
                    self.utils[d].append(v)
        self.count = [len(codes) for codes in self.codes]
        self.total = self.count if approval else [sum(u) for u in self.utils]
        # to sort classes by budget per utility with integers: budget * (lcm // u)
        self.lcm = [1] * len(candidates) if approval else \
            [math.lcm(*set(u)) if u else 1 for u in self.utils]
        self.worth = [c if approval and utility == "cost" else 1 for c in self.cost]
        self.voters = len(election.ballots)
        support, order = election.support(), {pid: i for i, pid in enumerate(election.projects)}
        # ties: most voters, then cheapest, then file order (equalshares.net's "maxVotes,
        # minCost"; its tool gives up on a tie left after that)
        self.tie = [(-support[p], self.cost[i], order[p]) for i, p in enumerate(candidates)]


class _Node:
    """Voter classes once a set of projects is funded. A voter's class is its pattern:
    the utilities it gave the funded projects, packed in an int (`_Prepared.code`
    masked by the funded fields, which is also the node's key). Voters with one
    pattern paid for the same projects, so they hold the same budget, whatever the
    initial one. The node keeps, for each project priced there, its supporters grouped
    by class: runs of Add1 that fund the same set, in any order, share the work."""

    __slots__ = ("key", "columns", "children")

    def __init__(self, key: int):
        self.key = key
        self.columns: dict[int, tuple] = {}  # project -> (patterns, utilities, weights)
        self.children: dict[int, _Node] = {}


class _Tree:
    """The nodes met so far; past `LIMIT` stored classes it starts afresh."""

    LIMIT = 5_000_000

    def __init__(self, prep: _Prepared):
        self.prep = prep
        self.root = _Node(0)
        self._reset()

    def _reset(self) -> None:
        self.nodes, self.stored = {0: self.root}, 0
        self.root.children, self.root.columns = {}, {}

    def child(self, node: _Node, c: int) -> _Node:
        found = node.children.get(c)
        if found is None:
            key = node.key | self.prep.field[c]
            found = self.nodes.get(key)
            if found is None:
                if self.stored > self.LIMIT:
                    self._reset()
                found = self.nodes[key] = _Node(key)
            node.children[c] = found
        return found

    def columns(self, node: _Node, d: int) -> tuple:
        """d's supporters at `node` grouped by class: (patterns, utilities, weights)."""
        found = node.columns.get(d)
        if found is None:
            prep, mask = self.prep, node.key
            if prep.utils is None:  # approvals: utility 1
                counts = Counter(map(mask.__and__, prep.codes[d]))
                found = (tuple(counts), repeat(1), tuple(counts.values()))
            else:
                counts = Counter(zip(map(mask.__and__, prep.codes[d]), prep.utils[d], strict=True))
                found = (tuple(k for k, _ in counts), tuple(u for _, u in counts),
                         tuple(counts.values()))
            node.columns[d] = found
            self.stored += len(counts)
        return found


@dataclass
class _Run:
    t: Number | float  # every voter's initial budget
    winners: list[int] = field(default_factory=list)
    eff: list[Number | float] = field(default_factory=list)  # winners' worth / price
    sure: list[bool] = field(default_factory=list)  # ... computed without rounding
    payment: list[Number | float] = field(default_factory=list)  # largest payment
    payers: list[int] = field(default_factory=list)  # supporters who paid something
    removed: dict[int, tuple[int, Number | float]] = field(default_factory=dict)  # round,
    #   money its supporters still had when it stopped being affordable
    certified: bool = False  # see _mes_run's `reference`


class _Unsure(Exception):
    """A float run met a near tie: the caller redoes it with exact arithmetic."""


TOLERANCE = 1e-9  # relative; float runs drift by far less (~1e-13) over hundreds of rounds


def _mes_run(prep: _Prepared, tree: _Tree, t: Fraction | float,
             reference: _Run | None = None) -> _Run:
    """One Method of Equal Shares run where every voter starts with t (scaled money).

    With a Fraction t the run is exact. With a float t it is fast and raises _Unsure
    when a decision (who is affordable, who wins a round) rests on values closer than
    TOLERANCE, which never happens by accident of rounding, only near real ties.

    A project is affordable if its supporters hold its cost; its price rho is the least
    with sum(min(b_k, rho*u) * w) = cost; the best "effective vote count" worth/rho wins
    the round. As on equalshares.net, a project's last count bounds its next one
    (budgets only shrink), so most projects are not priced again.

    With a `reference` run at t0 < t, `certified` tells whether every t' in [t0, t]
    gives the same winners. For the same winners so far, budgets grow with t, so
    prices shrink: on [t0, t] the round's winner c costs at most its price at t0 and a
    rival d at least its price at t. If no rival reaches c's count at t0 with its count
    at t, c wins the round all along the interval."""
    exact = isinstance(t, Fraction)
    tol = 0 if exact else TOLERANCE
    value = {0: t}  # budget of each class (pattern); a class not there is penniless
    node, run = tree.root, _Run(t=t, certified=reference is not None)
    # Projects the reference found unaffordable: while our winners are its winners,
    # budgets at t exceed those at t0 by n*(t - t0) in all, so its supporters' money
    # then plus that bounds theirs now: no need to price them to know they still fail.
    memo = {}
    if reference is not None:
        grown = prep.voters * (t - reference.t)
        memo = {d: (rnd, money + grown) for d, (rnd, money) in reference.removed.items()}
    prev = {}
    for d in range(len(prep.ids)):
        if not prep.count[d]:
            continue
        if t * prep.count[d] < prep.cost[d] * (1 - tol):  # never affordable at this t
            run.removed[d] = (1, t * prep.count[d])
        else:
            prev[d] = _eff(prep, d, 0, prep.total[d], exact)
    while prev:
        rnd = len(run.winners)
        floor = None
        if run.certified:
            floor = reference.eff[rnd] if rnd < len(reference.eff) else 0
        best, priced = _price_round(prep, tree, node, value, prev, floor, run, exact, memo)
        if not best:
            break
        c = min(best, key=prep.tie.__getitem__)
        if memo and (rnd >= len(reference.winners) or c != reference.winners[rnd]):
            memo = {}  # our winners part from the reference's: its bounds are void
        paid, rich, cut, items, eff, sure = priced[c]
        if run.certified:
            run.certified = (rnd < len(reference.winners) and c == reference.winners[rnd]
                             and all(_below(prep, priced, d, c, floor, reference.sure[rnd])
                                     for d in priced if d != c))
        # the rich pay share * u each (int / int would give a float: keep it exact)
        share = (Fraction(prep.cost[c] - paid) if exact else prep.cost[c] - paid) / rich
        run.winners.append(c)
        run.eff.append(eff)
        run.sure.append(sure)
        run.payment.append(max(x[2] for x in items) * share)
        run.payers.append(sum(x[3] for x in items))
        shift = prep.bits * c
        for v, k, u, _ in items[cut:]:  # the poor pay all: their new classes stay at 0
            value[k | u << shift] = max(v - u * share, 0)
        node = tree.child(node, c)
        del prev[c]
    if reference is not None:
        run.certified = run.certified and len(run.winners) == len(reference.winners)
    return run


def _below(prep, priced, d, c, floor, floor_sure) -> bool:
    """Whether rival d's count now is under c's count at the reference's t (`floor`),
    or equal to it with c winning the tie-break, both counts free of rounding. A rival
    within a hair of the floor voids the certificate."""
    eff, sure = priced[d][4], priced[d][5]
    if eff < floor * (1 - TOLERANCE):
        return True
    return eff == floor and floor_sure and sure and prep.tie[c] < prep.tie[d]


def _eff(prep: _Prepared, d: int, paid: Number | float, rich: int, exact: bool):
    """worth / rho for rho = (cost - paid) / rich. When nobody is short (paid = 0) the
    float is exact too (an integer, or a correctly rounded quotient of integers), so
    true ties stay ties."""
    cost = prep.cost[d]
    if prep.worth[d] == 1:
        return Fraction(rich, cost - paid) if exact else rich / (cost - paid)
    if exact:
        return Fraction(prep.worth[d] * rich) / (cost - paid)
    return rich * (cost / (cost - paid)) if paid else float(rich)


def _price_round(prep, tree, node, value, prev, floor, run, exact, memo) -> tuple[list, dict]:
    """Price the projects that may win this round (and, with a `floor`, all whose bound
    reaches it); drop the unaffordable ones. Returns the best ones (tied) and every
    price computed: (paid by the poor, utility of the rich, how many poor, supporters,
    effective vote count, whether that count is free of rounding)."""
    tol = 0 if exact else TOLERANCE
    rnd, best, best_eff, priced = len(run.winners), [], None, {}
    get = value.get
    for d in sorted(prev, key=prev.__getitem__, reverse=True):
        # the floor may come from a float run: keep a margin even in an exact run
        cut = best_eff * (1 - tol) if best_eff is not None else None
        if floor is not None and (cut is None or floor * (1 - TOLERANCE) < cut):
            cut = floor * (1 - TOLERANCE)
        if cut is not None and prev[d] < cut:
            break  # sorted by the bound: no one further on can win this round
        known = memo.get(d)
        if known and known[0] <= rnd + 1 and known[1] < prep.cost[d] * (1 - TOLERANCE):
            del prev[d]
            run.removed[d] = (rnd + 1, known[1])
            continue
        ks, us, ws = tree.columns(node, d)
        values = [get(k, 0) for k in ks]
        money = sum(map(mul, values, ws))
        cost = prep.cost[d]
        if money < cost * (1 + tol):
            if money > cost * (1 - tol) and not exact:
                raise _Unsure
            if money < cost:  # unaffordable now, so for good: budgets only shrink
                del prev[d]
                run.removed[d] = (rnd + 1, money)
                continue
        # (us is repeat(1) for approvals, hence strict=False)
        items = [x for x in zip(values, ks, us, ws, strict=False) if x[0]]
        paid, rich, cut_at, clear = _price(items, cost, prep.lcm[d], tol)
        eff = prev[d] = _eff(prep, d, paid, rich, exact)
        priced[d] = (paid, rich, cut_at, items, eff, exact or (clear and not paid))
        if best_eff is None or eff > best_eff * (1 + tol):
            best, best_eff = [d], eff
        elif eff >= best_eff * (1 - tol):
            best.append(d)
    if not exact and len(best) > 1:
        # a near tie is a real one only when the counts are equal and were computed
        # exactly (nobody short of money); otherwise let exact arithmetic decide
        if any(priced[d][4] != best_eff or not priced[d][5] for d in best):
            raise _Unsure
    return best, priced


def _price(items: list, cost: Number, lcm: int, tol: float) -> tuple:
    """Sort supporters (budget, class, utility, weight) by budget per utility and find
    who pays all they have (the first `cut`, paying `paid` in all) and the utility of
    the others (`rich`), who pay rho * utility, as equalshares.net computes it. `clear`
    says the first rich class is not within `tol` of paying all (a float run can then
    trust that nobody was short when `paid` is 0)."""
    if lcm == 1:
        items.sort()
    else:
        items.sort(key=lambda x: x[0] * (lcm // x[2]))
    rich = sum(w * u for _, _, u, w in items)
    paid = 0
    for i, (v, _, u, w) in enumerate(items):
        if v * rich < u * (cost - paid):  # b < rho * u: pays all
            paid += v * w
            rich -= w * u
        else:
            return paid, rich, i, v * rich >= u * (cost - paid) * (1 + tol)
    raise AssertionError("an affordable project always has a supporter paying rho * u")


def equal_shares(election: Election, *, completion: str = "add1", utility: str = "cost",
                 increment: Number = 1, exhaustive: bool = False, comparison: bool = False,
                 include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Outcome:
    """The Method of Equal Shares.

    completion: "none", "add1" (raise the per-voter budget by `increment` while the
    outcome fits the envelope; keep the last one that fits) or "add1-greedy" (then
    greedy on what is left). `exhaustive=True` also stops Add1 once no project fits the
    leftover (pabutools' and equalshares.net's "exhaustive" option). `utility` for
    approvals: "cost" (equalshares.net, official runs) or "cardinality" (1 per project).
    `comparison` (Wieliczka): keep the greedy outcome instead if more voters prefer it.
    Forced projects are paid first; the rest of the envelope is shared equally."""
    if completion not in ("none", "add1", "add1-greedy"):
        raise ValueError(f"complétion inconnue : {completion}")
    if utility not in ("cost", "cardinality"):
        raise ValueError(f"utilité inconnue : {utility}")
    include, exclude, envelope, reasons = _check_overrides(election, include, exclude)
    support = election.support()
    for pid in election.projects:
        if support[pid] == 0 and pid not in reasons:
            reasons[pid] = Reason("no_support")
    candidates = [p for p in election.projects if p not in reasons]
    free = [p for p in candidates if election.projects[p].cost == 0]
    candidates = [p for p in candidates if p not in free]
    prep = _Prepared(election, candidates, utility, [envelope, increment])
    label = "mes" if completion == "none" else f"mes+{completion}"
    outcome = Outcome(label + ("/exhaustive" if exhaustive and completion != "none" else ""),
                      election.budget, list(include), reasons)
    if prep.voters == 0:
        return outcome
    run, outcome.voter_budget, outcome.runs = _add1(prep, envelope, increment, exhaustive,
                                                     completion != "none")
    _record(prep, run, outcome, election)
    for pid in free:
        outcome.selected.append(pid)
        reasons[pid] = Reason("free", supporters=support[pid])
    if completion == "add1-greedy":
        _greedy_fill(election, outcome, election.budget - outcome.cost(election), "completion")
    if comparison:
        _comparison_step(election, outcome, include, exclude)
    return outcome


def _add1(prep: _Prepared, envelope: Number, increment: Number, exhaustive: bool,
          complete: bool) -> tuple[_Run, Fraction, int]:
    """Run MES with the envelope shared equally, then (if `complete`) with each voter's
    share raised by `increment`, again and again, until the outcome costs more than the
    envelope: the last outcome that fitted is kept. Returns it (recomputed exactly),
    the per-voter budget it used and the number of runs.

    Most steps do not change the outcome, so we gallop: a run m steps ahead, certified
    against the current one (see _mes_run), vouches for every step in between. After
    three steady steps m starts doubling at each success; it halves at each failure.
    (Tuned on Warszawa, Toulouse and Budapest: the steps a certificate can span range
    from one or two, where the funding order keeps changing, to dozens.)"""
    tree, n, scale = _Tree(prep), prep.voters, prep.scale
    env, step = int(envelope * scale), int(increment * scale) * n
    runs = 0

    def run_at(k: int, reference: _Run | None = None) -> _Run:
        nonlocal runs
        runs += 1
        try:
            return _mes_run(prep, tree, (env + k * step) / n, reference)
        except _Unsure:
            return _mes_run(prep, tree, Fraction(env + k * step, n), reference)

    def exact(k: int) -> _Run:
        return _mes_run(prep, tree, Fraction(env + k * step, n))

    def spent(run: _Run) -> int:
        return sum(prep.cost[d] for d in run.winners)

    supported = [d for d, count in enumerate(prep.count) if count]
    run, k, m, steady = run_at(0), 0, 1, 0
    if complete and sum(prep.cost[d] for d in supported) > env:  # else nothing to add
        while not (exhaustive and all(prep.cost[d] > env - spent(run)
                                      for d in supported if d not in run.winners)):
            trial = run_at(k + m, run)
            if trial.certified:  # same winners all the way: jump, then try further
                run, k, steady = trial, k + m, steady + m
                m = m * 2 if m > 1 or steady >= 3 else 1
            elif m > 1:  # too far to vouch for: try nearer
                m, steady = m // 2, 0
            else:
                if spent(trial) > env:  # the stop is checked with exact arithmetic
                    trial = exact(k + 1)
                    if spent(trial) > env:
                        break
                run, k, steady = trial, k + 1, 0
    final = exact(k)
    if final.winners != run.winners:  # cannot happen unless TOLERANCE is far too small
        raise RuntimeError("MES : les calculs approché et exact divergent")
    return final, Fraction(env + k * step, n * scale), runs


def _record(prep: _Prepared, run: _Run, outcome: Outcome, election: Election) -> None:
    """Winners and reasons from the final (exact) run, money back in currency units."""
    support, scale = election.support(), prep.scale
    for rnd, (d, pay, payers) in enumerate(zip(run.winners, run.payment, run.payers,
                                               strict=True), start=1):
        pid = prep.ids[d]
        outcome.selected.append(pid)
        outcome.reasons[pid] = Reason("mes", round=rnd, supporters=payers, amount=pay / scale)
    last = len(run.winners) + 1
    for d, pid in enumerate(prep.ids):
        if pid not in outcome.reasons:
            rnd, money = run.removed.get(d, (last, None))
            outcome.reasons[pid] = Reason(
                "not_enough_support", round=rnd, supporters=support[pid],
                remaining=None if money is None else money / scale)


def _comparison_step(election, outcome, include, exclude) -> None:
    """Wieliczka's last step: if strictly more voters prefer the greedy outcome (more
    utility from funded projects), it replaces the MES one."""
    alternative = greedy(election, include=include, exclude=exclude)
    mine, theirs = set(outcome.selected), set(alternative.selected)
    prefer_mes = prefer_greedy = 0
    for ballot in election.ballots:
        a = sum((v for p, v in ballot.items() if p in mine), 0)
        b = sum((v for p, v in ballot.items() if p in theirs), 0)
        prefer_mes += a > b
        prefer_greedy += b > a
    outcome.note = (f"comparaison : {prefer_mes} électeurs préfèrent ce résultat, "
                    f"{prefer_greedy} celui de la règle gloutonne")
    if prefer_greedy > prefer_mes:
        outcome.selected = alternative.selected
        outcome.reasons = {p: (Reason("comparison", round=r.round, score=r.score)
                               if r.code == "greedy" else r)
                           for p, r in alternative.reasons.items()}


# --- explanations and comparison ----------------------------------------------------------

SYMBOLS = {"EUR": "€", "PLN": "zł", "CHF": "CHF", "USD": "$", "HUF": "Ft", "CAD": "$ CA"}


def money(value: Number, currency: str = "EUR") -> str:
    """French money: 1 234 567 € or 12,50 € (narrow no-break spaces)."""
    cents = round(Fraction(value) * 100)
    units, rest = divmod(abs(cents), 100)
    text = f"{units:,}".replace(",", "\u202f") + (f",{rest:02d}" if rest else "")
    symbol = SYMBOLS.get(currency, currency)
    return f"{'-' if cents < 0 else ''}{text}\u00a0{symbol}".rstrip("\u00a0")


def _nth(rank: int) -> str:
    return "1er" if rank == 1 else f"{rank}e"


def explain(election: Election, outcome: Outcome, pid: str) -> str:
    """Why project `pid` was or was not funded, in one or two plain French sentences."""
    r = outcome.reasons[pid]
    cost = money(election.projects[pid].cost, election.currency)
    cur = election.currency

    def m(value: Number | None) -> str:
        return money(value or 0, cur)

    unit = "voix" if election.kind == "approval" else "points"
    texts = {
        "forced": "Retenu d'office, par une décision motivée, hors règle de calcul.",
        "excluded": "Écarté par une décision motivée, hors règle de calcul.",
        "no_support": "Non financé : personne n'a voté pour lui.",
        "free": "Financé : il ne coûte rien.",
        "greedy": f"Financé : {_nth(r.round or 0)} du classement avec {r.score} {unit}, il "
                  f"tenait dans ce qui restait de l'enveloppe ({m(r.remaining)}).",
        "comparison": "Financé : plus d'électeurs préfèrent le résultat de la règle du "
                      "classement, retenu à l'étape de comparaison, où il figure.",
        "completion": f"Financé en complément : il tenait dans le reste de l'enveloppe "
                      f"({m(r.remaining)}) après la répartition à parts égales.",
        "mes": (f"Financé au tour {r.round} : son coût ({cost}) est partagé entre "
                f"{r.supporters} de ses soutiens, dont aucun ne paie plus de {m(r.amount)} "
                f"sur sa part.") if r.supporters != 1 else
               (f"Financé au tour {r.round} : un seul de ses soutiens en paie tout le coût "
                f"({cost}) sur sa part."),
        "partial": f"Financé en partie : {m(r.amount)} sur {cost}, ce qui restait de "
                   f"l'enveloppe quand son tour est venu ({_nth(r.round or 0)} du classement).",
        "too_expensive": f"Non financé : il coûte {cost} et il ne restait que "
                         f"{m(r.remaining)} quand son tour est venu "
                         f"({_nth(r.round or 0)} du classement).",
        "below_threshold": f"Non financé : {r.score} {unit}, sous le seuil de {r.threshold} "
                           f"{unit} exigé pour être retenu.",
        "stopped": f"Non financé : la règle s'arrête au premier projet qui ne tient pas dans "
                   f"l'enveloppe, placé avant lui ; il était {_nth(r.round or 0)}.",
    }
    if r.code == "not_enough_support":
        if r.remaining is None:
            return "Non financé : ses soutiens n'avaient plus assez d'argent sur leurs parts."
        share = "" if outcome.voter_budget is None else \
            f" ({m(outcome.voter_budget)} par électeur)"
        if r.supporters == 1:
            if r.round == 1:
                return (f"Non financé : sa part{share} ne suffisait pas à son seul soutien "
                        f"pour payer son coût ({cost}).")
            return (f"Non financé : au tour {r.round}, son seul soutien n'avait plus que "
                    f"{m(r.remaining)} sur sa part, moins que son coût ({cost}).")
        if r.round == 1:
            return (f"Non financé : même en y mettant toute leur part{share}, ses "
                    f"{r.supporters} soutiens ne réunissaient que {m(r.remaining)}, moins "
                    f"que son coût ({cost}).")
        return (f"Non financé : au tour {r.round}, après avoir payé leur part des projets "
                f"financés avant, ses {r.supporters} soutiens n'avaient plus que "
                f"{m(r.remaining)}, moins que son coût ({cost}).")
    return texts[r.code]


def compare(election: Election, outcomes: Iterable[Outcome]) -> list[dict]:
    """Outcomes side by side: projects funded, money used, share of voters with at least
    one funded project among theirs, their average utility (approved projects funded,
    or points on funded projects), and what only this outcome funds."""
    outcomes = list(outcomes)
    funded = [set(o.selected) | set(o.partial) for o in outcomes]
    rows = []
    for outcome, mine in zip(outcomes, funded, strict=True):
        served = utility = 0
        for ballot in election.ballots:
            gain = sum((v for p, v in ballot.items() if p in mine), 0)
            served += gain > 0
            utility += gain
        voters = len(election.ballots) or 1
        others = set().union(*(f for f in funded if f is not mine))
        rows.append({
            "rule": outcome.rule,
            "funded": len(mine),
            "cost": outcome.cost(election),
            "left": election.budget - outcome.cost(election),
            "served_share": Fraction(served, voters),
            "average_utility": Fraction(utility) / voters,
            "only_here": [p for p in election.projects if p in mine and p not in others],
        })
    return rows


def allocate(election: Election, rule: str = "greedy", **options) -> Outcome:
    """Run a rule by name: "greedy" or "mes" (options as in `greedy`/`equal_shares`)."""
    if rule not in RULES:
        raise ValueError(f"règle inconnue : {rule} (connues : {', '.join(RULES)})")
    return RULES[rule](election, **options)


RULES = {"greedy": greedy, "mes": equal_shares}
