"""Sortition: who sits on a citizens' jury, drawn fairly and verifiably.

Pure Python (no Django): numpy and the open-source HiGHS solver (highspy) only.

The draw has two steps. ``probabilities()`` computes a *lottery*, a probability
distribution over panels (sets of ``k`` volunteers) that all respect the quotas (and, if
households are given, hold at most one person per household). A volunteer's selection
probability is the total weight of the panels they sit on. ``draw()`` then picks one
panel of that lottery from a public seed, so that anyone holding the same inputs and seed
gets the same panel.

Algorithms (``ALGORITHMS``):

- ``leximin`` (the default): Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms
  for selecting citizens' assemblies", Nature 596 (2021). Maximise the lowest selection
  probability, then the second lowest, and so on. Column generation on HiGHS; see
  ``_Leximin``.
- ``maximin``: the first level of leximin only (maximise the lowest probability).
- ``nash``: maximise the sum of the logarithms of the probabilities (Nash welfare): column
  generation with the same pricing problem (Frank-Wolfe's linear step) and sequential
  quadratic programming over the panels found; see ``_nash``.
- ``legacy``: the Sortition Foundation's greedy (pick at random in the most needed
  category, start again on failure). Its lottery is the panels of ``LEGACY_RUNS`` runs with
  a generator seeded from the pool digest, each with weight 1/runs: the published
  probabilities are a Monte-Carlo estimate of the greedy's, and exact for that lottery.

Volunteers with the same values on every quota feature (and no housemate in the pool)
are interchangeable. The leximin and Nash optima give them the same probability (both are
unique and symmetric; for maximin we pick such a solution), so those algorithms work on
*types* and on panel *compositions* (how many of each type), and ``_expand`` turns each
composition into panels of named people with exactly equal odds within a type. Few types
(the published examples have 3) make it very fast; the legacy greedy works on people.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from importlib.metadata import version as package_version
from math import gcd

import highspy
import numpy as np

VERSION = f"hemicycle-sortition 1.0 (HiGHS {package_version('highspy')})"
ALGORITHMS = ("leximin", "maximin", "nash", "legacy")

EPS = 1e-7  # a panel improves the LP if it beats the dual bound by more than this
FIX_MARGIN = 1e-9  # fixed probabilities are set this much below the level, for rounding
STARTS, MANY, ROUNDS = 5, 3, 5  # pricing: local searches, panels kept, re-pricings
NASH_GAP = 1e-6  # Nash stops when the duality gap is below this × pool size
LEGACY_RUNS = 1000
LEGACY_ATTEMPTS = 100  # restarts of one greedy run before giving up

Quotas = dict[tuple[str, str], tuple[int, int]]


@dataclass
class Person:
    id: str
    features: dict[str, str]
    household: str | None = None


@dataclass
class Instance:
    """The frozen, ordered pool, the quotas per (feature, value) and the panel size."""

    people: list[Person]
    quotas: Quotas
    k: int


@dataclass
class Distribution:
    """A lottery over panels. ``probabilities`` follow the pool order."""

    panels: list[frozenset[str]]
    weights: list[float]
    probabilities: dict[str, float]
    algorithm: str
    digest: str
    version: str = VERSION

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values(), default=0.0)


@dataclass
class Infeasibility:
    """Why no panel respects the quotas (in French) and the smallest change that fixes it:
    ``relaxed_quotas`` is None when no change of quotas is enough."""

    explanation: str
    relaxed_quotas: Quotas | None = None
    changes: list[str] = field(default_factory=list)


class InfeasibleQuotas(ValueError):
    def __init__(self, infeasibility: Infeasibility) -> None:
        super().__init__(infeasibility.explanation)
        self.infeasibility = infeasibility


# ---------------------------------------------------------------------------------------
# Reproducibility


def pool_digest(instance: Instance) -> str:
    """sha256 (hex) of the canonical JSON of the pool, the quotas and the panel size.

    The JSON is ``{"k": k, "people": [[id, [[feature, value], …], household], …],
    "quotas": [[feature, value, min, max], …]}``: people in pool order, each person's
    features sorted by name, quotas sorted, no spaces (separators "," and ":"), non-ASCII
    characters as they are, encoded in UTF-8.
    """
    canonical = {
        "k": instance.k,
        "people": [
            [p.id, [[f, v] for f, v in sorted(p.features.items())], p.household]
            for p in instance.people
        ],
        "quotas": [[f, v, lo, hi] for (f, v), (lo, hi) in sorted(instance.quotas.items())],
    }
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw(distribution: Distribution, seed: str) -> list[str]:
    """Pick one panel of the lottery from a public seed; the same seed gives the same panel.

    The exact procedure, to re-implement it:

    1. ``h = sha256((seed + "\\n" + digest).encode("utf-8"))``, ``digest`` being the pool
       digest (hex) stored in the distribution;
    2. ``u = random.Random(int.from_bytes(h.digest(), "big")).random()`` (Python's
       Mersenne Twister seeded with that integer);
    3. list the panels in increasing order of the list of their members' positions in
       the pool (the order of ``distribution.probabilities``), compared lexicographically;
    4. add up their weights in that order (double precision, left to right) and return
       the first panel whose running total exceeds ``u * sum(weights)`` (the last one if
       rounding leaves none), its members in pool order.
    """
    position = {pid: i for i, pid in enumerate(distribution.probabilities)}
    lottery = sorted(
        (sorted(position[pid] for pid in panel), weight)
        for panel, weight in zip(distribution.panels, distribution.weights, strict=True)
    )
    h = hashlib.sha256(f"{seed}\n{distribution.digest}".encode())
    u = random.Random(int.from_bytes(h.digest(), "big")).random()
    target, running, picked = u * sum(distribution.weights), 0.0, lottery[-1][0]
    for members, weight in lottery:
        running += weight
        if running > target:
            picked = members
            break
    ids = list(distribution.probabilities)
    return [ids[i] for i in picked]


# ---------------------------------------------------------------------------------------
# The pool as matrices over types


@dataclass
class _Pool:
    ids: list[str]
    k: int
    quota_rows: list[tuple[tuple[str, str], np.ndarray, int, int]]  # key, people, min, max
    households: list[np.ndarray]  # people sharing an address, two or more
    type_of: np.ndarray  # person -> type
    members: list[np.ndarray]  # type -> its people
    sizes: np.ndarray  # type -> how many

    @property
    def n(self) -> int:
        return len(self.ids)


def _compile(instance: Instance) -> _Pool:
    people = instance.people
    if instance.k < 1:
        raise ValueError("La taille du panel doit être au moins 1.")
    if len({p.id for p in people}) != len(people):
        raise ValueError("Identifiants en double dans le vivier.")
    rows = []
    for (f, v), (lo, hi) in instance.quotas.items():
        members = np.array([i for i, p in enumerate(people) if p.features.get(f) == v], int)
        rows.append(((f, v), members, lo, hi))
    by_household: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        if p.household is not None:
            by_household.setdefault(p.household, []).append(i)
    households = [np.array(g, int) for g in by_household.values() if len(g) > 1]
    shared = {i for g in households for i in g}
    features = sorted({f for f, _ in instance.quotas})
    type_index: dict[tuple, int] = {}
    type_of = np.array([
        type_index.setdefault(
            ("#", i) if i in shared else tuple(p.features.get(f) for f in features),
            len(type_index))
        for i, p in enumerate(people)
    ], int)
    members = [np.flatnonzero(type_of == t) for t in range(len(type_index))]
    return _Pool([p.id for p in people], instance.k, rows, households, type_of, members,
                 np.array([len(m) for m in members]))


def _highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    return h


Row = tuple[np.ndarray, np.ndarray, float, float]  # column indices, values, lower, upper


def _model(cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, rows: list[Row],
           integer: bool = False, maximize: bool = False) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(rows)
    lp.col_cost_ = np.asarray(cost, float)
    lp.col_lower_ = np.asarray(lower, float)
    lp.col_upper_ = np.asarray(upper, float)
    lp.row_lower_ = np.array([r[2] for r in rows], float)
    lp.row_upper_ = np.array([r[3] for r in rows], float)
    lengths = [len(r[0]) for r in rows]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    lp.a_matrix_.index_ = np.concatenate([r[0] for r in rows] or [[]]).astype(np.int32)
    lp.a_matrix_.value_ = np.concatenate([r[1] for r in rows] or [[]]).astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(cost), len(rows)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cost)
    if maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    return lp


def _panel_rows(pool: _Pool) -> list[Row]:
    """Constraints on a composition (count per type): size k, quotas, households."""
    one = np.ones
    rows: list[Row] = [(np.arange(len(pool.members)), one(len(pool.members)), pool.k, pool.k)]
    for _, people, lo, hi in pool.quota_rows:
        types = np.unique(pool.type_of[people])
        rows.append((types, one(len(types)), lo, hi))
    for people in pool.households:
        rows.append((pool.type_of[people], one(len(people)), 0, 1))
    return rows


class _PanelFinder:
    """The pricing problem: the composition (count per type) of a valid panel that
    maximises the sum of given weights per person. An ILP on HiGHS, built once (only the
    objective changes), tried in order of cost: its LP relaxation (warm-started; often
    integral, and its bound alone may prove that no panel is good enough), a local search
    by swaps, then the exact ILP."""

    def __init__(self, pool: _Pool) -> None:
        self.t, self.sizes = len(pool.members), pool.sizes
        rows = _panel_rows(pool)
        zero = np.zeros(self.t)
        self.relaxation = _highs()
        self.relaxation.setOptionValue("presolve", "off")
        self.relaxation.setOptionValue("simplex_strategy", 4)  # costs change: primal
        self.relaxation.passModel(_model(zero, zero, self.sizes, rows, maximize=True))
        self.ilp = _highs()
        self.ilp.setOptionValue("mip_rel_gap", 0.0)
        self.ilp.setOptionValue("mip_abs_gap", EPS / 10)
        self.ilp.passModel(_model(zero, zero, self.sizes, rows, integer=True, maximize=True))
        self.all = np.arange(self.t, dtype=np.int32)
        # For the swaps: each type's quota row per feature (r: none) and household (h:
        # none), with one spare slot at the end of the count arrays for "none".
        features = sorted({key[0] for key, _, _, _ in pool.quota_rows})
        r = len(pool.quota_rows)
        self.row_of = np.full((len(features), self.t), r)
        for j, ((f, _), people, _, _) in enumerate(pool.quota_rows):
            self.row_of[features.index(f), pool.type_of[people]] = j
        self.lo = np.array([lo for _, _, lo, _ in pool.quota_rows] + [0])
        self.hi = np.array([hi for _, _, _, hi in pool.quota_rows] + [pool.n])
        self.homes = len(pool.households)
        self.home = np.full(self.t, self.homes)
        for j, people in enumerate(pool.households):
            self.home[pool.type_of[people]] = j

    def _solve(self, h: highspy.Highs, unit: np.ndarray) -> tuple[np.ndarray, float] | None:
        h.changeColsCost(self.t, self.all, unit)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(h.getSolution().col_value), h.getInfo().objective_function_value

    def best(self, unit: np.ndarray) -> tuple[np.ndarray, float] | None:
        """The best composition for weights per person of each type, and its worth; None
        if no panel is valid."""
        solved = self._solve(self.ilp, unit)
        if solved is None:
            return None
        counts = np.round(solved[0]).astype(int)
        return counts, float(unit @ counts)

    def find(self, unit: np.ndarray, threshold: float, starts: list[np.ndarray],
             many: int = 1) -> tuple[list[np.ndarray], float]:
        """Up to ``many`` compositions worth more than ``threshold`` (none if none is) and
        an upper bound on the worth of any. ``starts``: valid compositions for the local
        search."""
        solved = self._solve(self.relaxation, unit)
        if solved is None:
            return [], -np.inf
        if solved[1] <= threshold:
            return [], solved[1]
        (x, bound), found = solved, []
        if np.all(np.abs(x - np.round(x)) < 1e-9):
            found.append(np.round(x).astype(int))
        for start in starts:
            if len(found) >= many:
                break
            counts = self.improve(start, unit)
            if unit @ counts > threshold:
                found.append(counts)
        if not found:
            counts, bound = self.best(unit)  # the relaxation had one: a panel is valid
            if bound > threshold:
                found.append(counts)
        return found, bound

    def improve(self, counts: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """Local search: move one seat from one type to another, the best such move
        within the quotas and households, until no move gains."""
        c = counts.copy()
        r, h = len(self.lo) - 1, self.homes
        filled = np.bincount(self.row_of.ravel(), np.tile(c, len(self.row_of)), r + 1)
        at_home = np.bincount(self.home, c, h + 1)
        for _ in range(2 * int(c.sum())):
            ins, outs = np.flatnonzero(c > 0), np.flatnonzero(c < self.sizes)
            outs = outs[unit[outs] > unit[ins].min() + 1e-12]  # only moves that may gain
            if len(outs) == 0:
                break
            ins = ins[unit[ins] < unit[outs].max() - 1e-12]
            gain = unit[outs][None, :] - unit[ins][:, None]
            ok = gain > 1e-12
            for f in range(len(self.row_of)):
                a, b = self.row_of[f, ins][:, None], self.row_of[f, outs][None, :]
                ok &= (a == b) | (((filled[a] > self.lo[a]) | (a == r))
                                  & ((filled[b] < self.hi[b]) | (b == r)))
            if h:
                hb = self.home[outs][None, :]
                ok &= (hb == h) | (at_home[hb] - (hb == self.home[ins][:, None]) == 0)
            if not ok.any():
                break
            best = np.argmax(np.where(ok, gain, -np.inf))
            i, j = ins[best // len(outs)], outs[best % len(outs)]
            c[i] -= 1
            c[j] += 1
            np.subtract.at(filled, self.row_of[:, i], 1)
            np.add.at(filled, self.row_of[:, j], 1)
            at_home[self.home[i]] -= 1
            at_home[self.home[j]] += 1
        return c


# ---------------------------------------------------------------------------------------
# LEXIMIN by column generation


class _Leximin:
    """Flanigan et al. (2021), Appendix: leximin selection probabilities, by types.

    Outer loop, one *level* at a time: with the probabilities fixed so far (π_t for the
    types t in F), maximise the lowest probability z of the other types. The restricted
    LP has a weight x_c for each composition c found so far (n_t people of type t, c_t of
    whom sit on the panel, each with odds c_t / n_t):

        max z  s.t.  Σ_c x_c c_t / n_t ≥ z (t ∉ F),  … ≥ π_t (t ∈ F),  Σ_c x_c ≤ 1.

    Its dual is the paper's: a weight y_t per type and ŷ for the last row,

        min ŷ − Σ_{t ∈ F} π_t y_t  s.t.  Σ_t y_t c_t / n_t ≤ ŷ (every c),  Σ_{t ∉ F} y_t = 1.

    Pricing: find the composition with the largest Σ_t y_t c_t / n_t (``_PanelFinder``);
    when it beats ŷ by more than EPS it joins the LP, otherwise the restricted LP is
    optimal over all panels. HiGHS solves the primal side (compositions are columns; the
    basis stays the size of the pool and a new column warm-starts the primal simplex) and
    y, ŷ are its row duals. Each LP solve is priced up to ROUNDS times: after a hit the
    new composition's types get lower weights so that it is just tight (a guess of the
    next duals, as in the reference maximin heuristic), for a few columns per solve.

    Fixing: a type whose dual weight y_t is positive gets exactly z in every optimal
    lottery (complementary slackness), so its probability is fixed at z. The reference
    uses a barrier solve for a strictly complementary dual that fixes every such type at
    once; with the simplex's dual, types at z but with y_t = 0 are fixed by the next
    level(s), each one LP solve and one pricing proof, much cheaper here than a barrier
    solve per level. When pricing proves optimality only up to δ (the best composition
    is worth at most ŷ + δ), a type is fixed only if y_t ≥ δ·10⁶, which bounds any error
    in its probability by 10⁻⁶.
    """

    def __init__(self, pool: _Pool, finder: _PanelFinder) -> None:
        self.pool, self.finder = pool, finder
        self.t, self.sizes = len(pool.members), pool.sizes
        self.columns: list[np.ndarray] = []
        self.shares = np.zeros((0, self.t))  # c_t / n_t per column
        self.seen: set[bytes] = set()
        self.fixed = np.full(self.t, np.nan)
        inf = highspy.kHighsInf
        rows = [(np.zeros(1, int), -np.ones(1), 0.0, inf) for _ in range(self.t)]
        rows.append((np.zeros(0, int), np.zeros(0), -inf, 1.0))
        self.lp = _highs()
        self.lp.setOptionValue("presolve", "off")  # the warm start matters more
        self.lp.setOptionValue("simplex_strategy", 4)  # primal: new columns keep feasibility
        for option in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            self.lp.setOptionValue(option, 1e-9)
        self.lp.passModel(_model(np.ones(1), np.zeros(1), np.full(1, inf), rows, maximize=True))

    def add(self, counts: np.ndarray) -> bool:
        key = counts.astype(np.int64).tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        self.columns.append(counts)
        share = counts / self.sizes
        self.shares = np.vstack([self.shares, share])
        index = np.append(np.flatnonzero(counts), self.t).astype(np.int32)
        values = np.append(share[counts > 0], 1.0)
        self.lp.addCol(0.0, 0.0, highspy.kHighsInf, len(index), index, values)
        return True

    def cover(self) -> np.ndarray:
        """Initial compositions; returns the types that can sit at all."""
        columns, covered = _cover(self.finder, self.t)
        for counts in columns:
            self.add(counts)
        return covered

    def fix(self, types: np.ndarray, level: float) -> None:
        for t in np.flatnonzero(types):
            self.fixed[t] = level
            self.lp.changeCoeff(int(t), 0, 0.0)
            self.lp.changeRowBounds(int(t), level, highspy.kHighsInf)

    def price(self, y: np.ndarray, y_hat: float) -> tuple[bool, float]:
        """Add compositions that cut off (y, ŷ). Returns whether any was added and, if
        none was, an upper bound on the worth of every composition."""
        added, y = False, y.copy()
        for _ in range(ROUNDS):
            tight = np.argsort(-(self.shares @ y), kind="stable")[:STARTS]
            found, bound = self.finder.find(y / self.sizes, y_hat + EPS,
                                            [self.columns[j] for j in tight], MANY)
            new = [counts for counts in found if self.add(counts)]
            if not new:
                break
            added = True
            for counts in new:
                worth = float(y @ (counts / self.sizes))
                if worth > y_hat:
                    y[counts > 0] *= y_hat / worth
        return added, bound

    def level(self) -> tuple[float, np.ndarray, float]:
        retries = 0
        while True:
            self.lp.run()
            if self.lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                # Rounding made the fixed probabilities slightly out of reach: solve
                # from scratch, then lower them a hair (as the reference code does).
                retries += 1
                if retries > 20:
                    raise RuntimeError("LEXIMIN : difficultés numériques dans le LP")
                self.lp.clearSolver()
                if retries > 1:
                    for t in np.flatnonzero(~np.isnan(self.fixed)):
                        self.fixed[t] = max(self.fixed[t] - FIX_MARGIN, 0.0)
                        self.lp.changeRowBounds(int(t), self.fixed[t], highspy.kHighsInf)
                continue
            dual = np.abs(np.asarray(self.lp.getSolution().row_dual))
            y, y_hat = dual[:-1], float(dual[-1])
            added, bound = self.price(y, y_hat)
            if not added:
                z = self.lp.getInfo().objective_function_value
                return z, y, max(bound - y_hat, 0.0)

    def solve(self, levels: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """The fixed probability of each type; `progress(fixed, total)` after each level."""
        covered = self.cover()
        if not covered.all():
            self.fix(~covered, 0.0)
        done = 0
        while np.isnan(self.fixed).any():
            if progress is not None:
                progress(int((~np.isnan(self.fixed)).sum()), self.t)
            z, y, delta = self.level()
            free, level = np.isnan(self.fixed), max(z - FIX_MARGIN, 0.0)
            done += 1
            if levels is not None and done >= levels:
                self.fix(free, level)
                break
            new = free & (y > max(1e-9, delta * 1e6))
            if not new.any():
                new[np.argmax(np.where(free, y, -1.0))] = True
            self.fix(new, level)
        return self.fixed


def _lottery_for(pool: _Pool, columns: list[np.ndarray], targets: np.ndarray) -> np.ndarray:
    """Weights on compositions that give every type at least its target probability, less
    the smallest possible shortfall ε: a basic solution, so few compositions are used."""
    sizes, m = pool.sizes, len(columns)
    inf = highspy.kHighsInf
    shares = np.array(columns) / sizes  # m × types
    rows: list[Row] = [(np.arange(m), np.ones(m), 1.0, 1.0)]
    for t in np.flatnonzero(targets > 0):
        users = np.flatnonzero(shares[:, t] > 0)
        rows.append((np.append(users, m), np.append(shares[users, t], 1.0), targets[t], inf))
    cost = np.append(np.zeros(m), 1.0)  # minimise ε
    h = _highs()
    for option in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        h.setOptionValue(option, 1e-9)
    h.passModel(_model(cost, np.zeros(m + 1), np.append(np.ones(m), inf), rows))
    h.run()
    x = np.clip(np.asarray(h.getSolution().col_value)[:m], 0.0, None)
    x[x < 1e-12] = 0.0
    return x / x.sum()


def _expand(pool: _Pool, counts: np.ndarray, weight: float) -> list[tuple[np.ndarray, float]]:
    """Panels of named people for one composition, each person of type t sitting with
    probability exactly c_t / n_t.

    For a type, list its n people cyclically (in ``pool.members`` order) and let
    g = gcd(c, n): the L = n / g windows of c consecutive people starting at positions
    0, c, 2c, … (mod n) start at every multiple of g, so each person lies in exactly c / g
    of them. One
    uniform u in [0, 1) picks window ⌊u·L⌋ in every type at once; the panels are the
    intervals of u between the breakpoints j / L of all types, weighted by their length.
    """
    cycles = {}
    for t in np.flatnonzero((counts > 0) & (counts < pool.sizes)):
        cycles[t] = int(pool.sizes[t]) // gcd(int(counts[t]), int(pool.sizes[t]))
    cuts = sorted({Fraction(j, n) for n in cycles.values() for j in range(n)}
                  | {Fraction(0), Fraction(1)})
    always = np.concatenate([pool.members[t] for t in np.flatnonzero(counts == pool.sizes)]
                            + [np.zeros(0, int)])
    panels = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        middle = (start + end) / 2
        chosen = [always]
        for t, n in cycles.items():
            c, size = int(counts[t]), int(pool.sizes[t])
            first = int(middle * n) * c
            chosen.append(pool.members[t][(first + np.arange(c)) % size])
        panels.append((np.sort(np.concatenate(chosen)), weight * float(end - start)))
    return panels


# ---------------------------------------------------------------------------------------
# Nash welfare and the legacy greedy, for comparison


def _nash(pool: _Pool, finder: _PanelFinder) -> tuple[list[np.ndarray], np.ndarray]:
    """Maximise Σ_people log(probability) over lotteries of valid panels.

    Column generation again: the gradient gives each person of type t the weight 1/p_t
    and the pricing problem finds the composition that most improves the objective
    (Frank-Wolfe's linear step). Over the compositions known, the weights are optimised
    by sequential quadratic programming (``_nash_master``). It stops when the duality gap,
    max_c Σ_t c_t / p_t − (people who can sit), is below NASH_GAP times that number: the
    objective is then within that gap of the optimum. People who can sit on no valid
    panel get 0 and are left out of the objective.
    """
    columns, covered = _cover(finder, len(pool.members))
    people = np.where(covered, pool.sizes, 0)
    total = float(people.sum())
    x = np.full(len(columns), 1.0 / len(columns))
    seen = {c.tobytes() for c in columns}
    for _ in range(1000):
        x = _nash_master(np.array(columns) / pool.sizes, people, x)
        p = (np.array(columns) / pool.sizes).T @ x
        unit = np.where(covered, 1.0 / np.where(covered, p, 1.0), 0.0)
        tight = np.argsort(-(np.array(columns) @ unit), kind="stable")[:STARTS]
        found, _ = finder.find(unit, total * (1 + NASH_GAP), [columns[j] for j in tight], MANY)
        new = [c for c in found if c.tobytes() not in seen]
        if not new:
            break
        for c in new:
            seen.add(c.tobytes())
            columns.append(c)
        x = np.append(x, np.zeros(len(new)))
    return columns, x


def _nash_master(shares: np.ndarray, people: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Maximise f(x) = Σ_t people_t log p_t, p = shares.T @ x, over the simplex, from x.

    Each step solves, on HiGHS, the quadratic model of f around the current p (variables
    x and p, the Hessian diagonal in p), then searches the line towards its solution.
    """
    m, used = len(x), np.flatnonzero(people > 0)
    inf = highspy.kHighsInf
    rows: list[Row] = [(np.arange(m), np.ones(m), 1.0, 1.0)]
    for j, t in enumerate(used):
        users = np.flatnonzero(shares[:, t] > 0)
        rows.append((np.append(users, m + j), np.append(-shares[users, t], 1.0), 0.0, 0.0))
    n_t = people[used].astype(float)
    for _ in range(50):
        p = shares[:, used].T @ x
        cost = np.concatenate([np.zeros(m), -2 * n_t / p])  # minimise −(model of f)
        lower = np.zeros(m + len(used))
        upper = np.concatenate([np.ones(m), np.full(len(used), inf)])
        h = _highs()
        h.passModel(_model(cost, lower, upper, rows))
        hessian = highspy.HighsHessian()
        hessian.dim_ = m + len(used)
        hessian.format_ = highspy.HessianFormat.kTriangular
        hessian.start_ = np.concatenate([np.zeros(m + 1), np.arange(1, len(used) + 1)]).astype(
            np.int32)
        hessian.index_ = np.arange(m, m + len(used), dtype=np.int32)
        hessian.value_ = n_t / p**2
        h.passHessian(hessian)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        target = np.clip(np.asarray(h.getSolution().col_value)[:m], 0.0, None)
        d = shares[:, used].T @ (target / target.sum() - x) if target.sum() > 0 else 0 * p
        gain = float(n_t @ (d / p) - 0.5 * n_t @ (d / p) ** 2)
        if gain <= 1e-12 * n_t.sum():
            break
        step = _line_search(p, d, n_t)
        x = (1 - step) * x + step * target / target.sum()
    return x


def _line_search(p: np.ndarray, d: np.ndarray, n: np.ndarray) -> float:
    """The step in [0, 1] maximising Σ n log(p + step·d) (concave in the step)."""

    def slope(step: float) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum(n * d / (p + step * d)))

    if slope(1.0) >= 0:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if slope(middle) > 0 else (low, middle)
    return low


def _cover(finder: _PanelFinder, types: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Compositions, until none holds a new type; and the types that can sit at all."""
    columns, covered = [], np.zeros(types, bool)
    while True:
        found, _ = finder.find((~covered).astype(float), 0.5, [])
        if not found:
            return columns, covered
        columns.append(found[0])
        covered |= found[0] > 0


def _legacy(pool: _Pool, rng: random.Random, runs: int) -> tuple[list[np.ndarray], list[float]]:
    """The lottery of ``runs`` runs of the greedy, each panel weighted by its frequency."""
    rows_of: list[list[int]] = [[] for _ in range(pool.n)]
    for r, (_, people, _, _) in enumerate(pool.quota_rows):
        for i in people:
            rows_of[i].append(r)
    home = {int(i): g for g in pool.households for i in g}
    counts: dict[bytes, int] = {}
    for _ in range(runs):
        for _attempt in range(LEGACY_ATTEMPTS):
            panel = _greedy(pool, rows_of, home, rng)
            if panel is not None:
                break
        else:
            raise RuntimeError("L'algorithme historique échoue sur ce vivier.")
        key = panel.astype(np.int64).tobytes()
        counts[key] = counts.get(key, 0) + 1
    return ([np.frombuffer(key, np.int64) for key in counts],
            [c / runs for c in counts.values()])


def _greedy(pool: _Pool, rows_of: list[list[int]], home: dict[int, np.ndarray],
            rng: random.Random) -> np.ndarray | None:
    """One run of the Sortition Foundation's legacy algorithm, or None if it fails.

    k times: for each quota, the ratio (minimum − selected) / (people left in it); pick a
    person uniformly among those left in the quota with the highest ratio (the first one
    in quota order on ties); remove their housemates; when a quota reaches its maximum,
    remove everyone left in it. Fails when a minimum can no longer be met.
    """
    lows = np.array([lo for _, _, lo, _ in pool.quota_rows], int)
    highs = np.array([hi for _, _, _, hi in pool.quota_rows], int)
    left = np.ones(pool.n, bool)
    left_in = np.array([len(people) for _, people, _, _ in pool.quota_rows], int)
    chosen_in = np.zeros(len(lows), int)

    def drop(i: int) -> None:
        if left[i]:
            left[i] = False
            for r in rows_of[i]:
                left_in[r] -= 1

    for r in np.flatnonzero(highs == 0):
        for i in pool.quota_rows[r][1]:
            drop(int(i))
    chosen = []
    for _ in range(pool.k):
        if np.any(left_in < lows - chosen_in):
            return None
        open_rows = np.flatnonzero((left_in > 0) & (highs > 0))
        if len(open_rows):
            ratios = (lows[open_rows] - chosen_in[open_rows]) / left_in[open_rows]
            people = pool.quota_rows[open_rows[int(np.argmax(ratios))]][1]
            candidates = people[left[people]]
        else:
            candidates = np.flatnonzero(left)
        if len(candidates) == 0:
            return None
        i = int(candidates[rng.randrange(len(candidates))])
        chosen.append(i)
        drop(i)
        chosen_in[rows_of[i]] += 1
        for j in home.get(i, ()):
            drop(int(j))
        for r in rows_of[i]:
            if chosen_in[r] == highs[r]:
                for j in pool.quota_rows[r][1]:
                    drop(int(j))
    if np.any(chosen_in < lows) or np.any(chosen_in > highs):
        return None
    return np.sort(np.array(chosen, int))


# ---------------------------------------------------------------------------------------
# Infeasible quotas


def _label(key: tuple[str, str]) -> str:
    return f"« {key[1]} » ({key[0]})"


def check_feasibility(instance: Instance) -> Infeasibility | None:
    """None if some panel respects the quotas; otherwise why not, in French, and the
    smallest total change of the minimums and maximums that makes a panel possible."""
    pool = _compile(instance)
    if _PanelFinder(pool).best(np.zeros(len(pool.members))) is not None:
        return None
    reasons = _reasons(instance, pool)
    explanation = (f"Aucun panel de {instance.k} personnes ne respecte les quotas : "
                   + " ; ".join(reasons) + ".")
    relaxed = _relaxation(pool)
    if relaxed is None:
        return Infeasibility(explanation + " Aucun assouplissement des quotas ne suffit : il "
                             "faut agrandir le vivier ou réduire la taille du panel.")
    changes = []
    for key, (lo, hi) in instance.quotas.items():
        new_lo, new_hi = relaxed[key]
        if new_lo != lo:
            changes.append(f"{_label(key)} : minimum {lo} → {new_lo}")
        if new_hi != hi:
            changes.append(f"{_label(key)} : maximum {hi} → {new_hi}")
    return Infeasibility(explanation, relaxed, changes)


def _reasons(instance: Instance, pool: _Pool) -> list[str]:
    k, reasons = instance.k, []
    if pool.n < k:
        reasons.append(f"le vivier ne compte que {pool.n} personnes")
    homes = len({p.household or ("#", i) for i, p in enumerate(instance.people)})
    if homes < k <= pool.n:
        reasons.append(f"le vivier ne compte que {homes} foyers (une personne par foyer)")
    by_feature: dict[str, list[tuple[tuple[str, str], np.ndarray, int, int]]] = {}
    for key, people, lo, hi in pool.quota_rows:
        by_feature.setdefault(key[0], []).append((key, people, lo, hi))
        if lo > hi:
            reasons.append(f"le minimum de {_label(key)} ({lo}) dépasse son maximum ({hi})")
        elif len(people) < lo:
            reasons.append(f"il faudrait au moins {lo} personnes {_label(key)} mais le vivier "
                           f"n'en compte que {len(people)}")
    for feature, rows in by_feature.items():
        lows = sum(lo for _, _, lo, _ in rows)
        unlisted = pool.n - sum(len(people) for _, people, _, _ in rows)
        highs = sum(min(hi, len(people)) for _, people, _, hi in rows) + unlisted
        if lows > k:
            reasons.append(f"les minimums de « {feature} » totalisent {lows}, plus que les "
                           f"{k} places")
        elif highs < k:
            reasons.append(f"les maximums de « {feature} » (dans la limite des personnes du "
                           f"vivier) totalisent {highs}, moins que les {k} places")
    return reasons or ["les quotas sont incompatibles entre eux (aucune combinaison de "
                       "personnes du vivier ne les respecte tous à la fois)"]


def _relaxation(pool: _Pool) -> Quotas | None:
    """The ILP: a valid composition and, per quota, how much its minimum is lowered and
    its maximum raised, minimising the total of those changes."""
    t, q, inf = len(pool.members), len(pool.quota_rows), highspy.kHighsInf
    rows = _panel_rows(pool)
    size, households = rows[0], rows[1 + q:]
    relaxed_rows: list[Row] = [size, *households]
    for j, (row, (_, _, lo, hi)) in enumerate(zip(rows[1:1 + q], pool.quota_rows, strict=True)):
        relaxed_rows.append((np.append(row[0], t + j), np.append(row[1], 1.0), lo, inf))
        relaxed_rows.append((np.append(row[0], t + q + j), np.append(row[1], -1.0), -inf, hi))
    lows = [lo for _, _, lo, _ in pool.quota_rows]
    cost = np.concatenate([np.zeros(t), np.ones(2 * q)])
    upper = np.concatenate([pool.sizes, np.maximum(lows, 0), np.full(q, pool.n)])
    h = _highs()
    h.passModel(_model(cost, np.zeros(t + 2 * q), upper, relaxed_rows, integer=True))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    r = np.round(np.asarray(h.getSolution().col_value)).astype(int)
    return {key: (lo - int(r[t + j]), hi + int(r[t + q + j]))
            for j, (key, _, lo, hi) in enumerate(pool.quota_rows)}


# ---------------------------------------------------------------------------------------
# Public entry point


def probabilities(instance: Instance, algorithm: str = "leximin", *,
                  legacy_runs: int = LEGACY_RUNS,
                  progress: Callable[[int, int], None] | None = None) -> Distribution:
    """The lottery of the given algorithm. Raises InfeasibleQuotas when no panel exists.

    LEXIMIN fixes the probabilities of the pool's types (people with the same features)
    level by level: `progress(fixed types, all types)` is called as it goes."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Algorithme inconnu : {algorithm} (choix : {', '.join(ALGORITHMS)}).")
    problem = check_feasibility(instance)
    if problem is not None:
        raise InfeasibleQuotas(problem)
    pool, digest = _compile(instance), pool_digest(instance)
    # Within a type, people are taken in the order of sha256(digest, id) (see _expand),
    # not in file order: neighbours in the file are not drawn together more than others.
    for t, people in enumerate(pool.members):
        order = [hashlib.sha256(f"{digest}\n{pool.ids[i]}".encode()).hexdigest() for i in people]
        pool.members[t] = people[np.argsort(order, kind="stable")]
    if algorithm == "legacy":
        panels, weights = _legacy(pool, random.Random(digest), legacy_runs)
        return _distribution(pool, panels, weights, algorithm, digest)
    finder = _PanelFinder(pool)
    if algorithm == "nash":
        columns, x = _nash(pool, finder)
    else:
        leximin = _Leximin(pool, finder)
        fixed = leximin.solve(levels=1 if algorithm == "maximin" else None, progress=progress)
        if progress is not None:
            progress(leximin.t, leximin.t)
        levels = np.where(fixed > 0, fixed + FIX_MARGIN, 0.0)  # the shortfall ε absorbs it
        columns, x = leximin.columns, _lottery_for(pool, leximin.columns, levels)
    panels, weights = [], []
    for counts, w in zip(columns, x / x.sum(), strict=True):
        if w > 0:
            for members, share in _expand(pool, counts, float(w)):
                panels.append(members)
                weights.append(share)
    return _distribution(pool, panels, weights, algorithm, digest)


def _distribution(pool: _Pool, panels: list[np.ndarray], weights: list[float],
                  algorithm: str, digest: str) -> Distribution:
    total = sum(weights)
    p = np.zeros(pool.n)
    for members, w in zip(panels, weights, strict=True):
        p[members] += w / total
    return Distribution(
        panels=[frozenset(pool.ids[i] for i in members) for members in panels],
        weights=[w / total for w in weights],
        probabilities={pid: float(p[i]) for i, pid in enumerate(pool.ids)},
        algorithm=algorithm,
        digest=digest,
    )
