"""Property checks of the draw engine on small random pools (hypothesis).

The engine works on types of interchangeable people, by column generation and local
search; here it is compared with leximin computed from its definition, over *every*
valid panel (few enough on these pools), one LP per question."""

import itertools
import math

import highspy
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hemicycle.juries import sortition
from hemicycle.juries.sortition import Instance, Person

VALUES = {"genre": ["f", "h"], "age": ["jeune", "mûr", "âgé"], "lieu": ["ville", "champs"]}


@st.composite
def instances(draw) -> Instance:
    features = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=3,
                             unique=True))
    n = draw(st.integers(2, 8))
    with_homes = draw(st.booleans())
    people = [Person(f"v{i}", {f: draw(st.sampled_from(VALUES[f])) for f in features},
                     draw(st.sampled_from(["A", "B", None, None])) if with_homes else None)
              for i in range(n)]
    k = draw(st.integers(1, n))
    quotas = {}
    for f in features:
        for v in VALUES[f]:
            lo = draw(st.integers(0, 2))
            quotas[(f, v)] = (lo, lo + draw(st.integers(0, k)))
    return Instance(people, quotas, k)


def valid_panels(instance: Instance) -> list[tuple[int, ...]]:
    people = instance.people
    panels = []
    for panel in itertools.combinations(range(len(people)), instance.k):
        homes = [people[i].household for i in panel if people[i].household]
        if len(homes) != len(set(homes)):
            continue
        if all(lo <= sum(people[i].features.get(f) == v for i in panel) <= hi
               for (f, v), (lo, hi) in instance.quotas.items()):
            panels.append(panel)
    return panels


def best_min(panels, n, fixed: dict[int, float], maximise: int | None = None,
             floor: float = 0.0) -> float:
    """max z (or max p_maximise with the others ≥ floor) over lotteries of the panels."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    x = [h.addVariable(lb=0, ub=1) for _ in panels]
    z = h.addVariable(lb=0, ub=1)
    h.addConstr(sum(x) == 1)
    for i in range(n):
        p = sum((x[j] for j, panel in enumerate(panels) if i in panel), start=0 * z)
        if i in fixed:
            h.addConstr(p >= fixed[i] - 1e-9)
        elif maximise is None:
            h.addConstr(p - z >= 0)
        elif i == maximise:
            h.addConstr(p - z == 0)
        else:
            h.addConstr(p >= floor - 1e-9)
    h.maximize(z)
    return h.getInfo().objective_function_value


def leximin_by_definition(instance: Instance) -> list[float]:
    panels, n = valid_panels(instance), len(instance.people)
    fixed: dict[int, float] = {}
    while len(fixed) < n:
        z = best_min(panels, n, fixed)
        stuck = [i for i in range(n) if i not in fixed
                 and best_min(panels, n, fixed, maximise=i, floor=z) <= z + 1e-7]
        for i in stuck or [min(set(range(n)) - set(fixed))]:
            fixed[i] = z
    return sorted(fixed.values())


@settings(max_examples=40, deadline=None)
@given(instances())
def test_leximin_is_exact_and_every_panel_is_valid(instance):
    problem = sortition.check_feasibility(instance)
    if not valid_panels(instance):
        assert problem is not None
        if problem.relaxed_quotas is not None:
            relaxed = Instance(instance.people, problem.relaxed_quotas, instance.k)
            assert sortition.check_feasibility(relaxed) is None
        return
    assert problem is None
    d = sortition.probabilities(instance)
    p = list(d.probabilities.values())
    assert all(-1e-9 <= q <= 1 + 1e-9 for q in p)
    assert math.isclose(sum(p), instance.k, abs_tol=1e-6)
    allowed = {frozenset(f"v{i}" for i in panel) for panel in valid_panels(instance)}
    assert set(d.panels) <= allowed
    assert np.allclose(sorted(p), leximin_by_definition(instance), atol=1e-6)
    maximin = sortition.probabilities(instance, "maximin")
    assert set(maximin.panels) <= allowed
    assert d.min_probability >= maximin.min_probability - 1e-6
    assert maximin.min_probability >= d.min_probability - 1e-6  # both are the optimum


@settings(max_examples=25, deadline=None)
@given(instances(), st.text(max_size=20))
def test_the_same_seed_always_draws_the_same_valid_panel(instance, seed):
    if sortition.check_feasibility(instance) is not None:
        return
    for algorithm in ("leximin", "nash", "legacy"):
        d = sortition.probabilities(instance, algorithm, legacy_runs=50)
        panel = sortition.draw(d, seed)
        assert panel == sortition.draw(d, seed)
        assert frozenset(panel) in set(d.panels)
        assert math.isclose(sum(d.probabilities.values()), instance.k, abs_tol=1e-6)
