"""The scorer against an independent reference implementation.

No composite-indicator package exists for Python and R's COINr cannot be installed
here (CRAN is not reachable), so the reference below re-implements COINr's documented
semantics in plain, loop-based Python, independent of aandacht's vectorised code:

* ``Normalise(..., global_specs = list(f_n = "n_minmax", f_n_para = list(l_u = c(0, 100))))``
  with directions: y = d * x, then (y - min) / (max - min) * 100 over the units present;
* ``Aggregate(..., f_ag = "a_amean")``: at every level the weighted arithmetic mean of the
  children present, weights re-scaled over the children that are not NA.

It also pins one small case computed by hand.
"""

import math
import random

import numpy as np
import pandas as pd
import pytest

from aandacht.scoring import score
from conftest import make_framework, method


def reference_minmax(column: list[float], direction: int) -> list[float]:
    present = [direction * v for v in column if not math.isnan(v)]
    low, high = min(present), max(present)
    return [float("nan") if math.isnan(v) else (direction * v - low) / (high - low) * 100 for v in column]


def reference_mean(values: list[float], weights: list[float]) -> float:
    pairs = [(v, w) for v, w in zip(values, weights) if not math.isnan(v)]
    if not pairs:
        return float("nan")
    return sum(v * w for v, w in pairs) / sum(w for _, w in pairs)


def reference_index(raw: pd.DataFrame, tree: dict, indicators: dict, weights: dict) -> list[float]:
    normalised = {name: reference_minmax(list(raw[name]), direction) for name, (_, _, direction) in indicators.items()}
    children: dict[str, list[tuple[str, float]]] = {}
    for parent, kids in tree.items():
        for kid in kids:
            children.setdefault(parent, []).append((kid, weights.get(kid, 1.0)))
    for name, (parent, weight, _) in indicators.items():
        children.setdefault(parent, []).append((name, weight))

    def node_score(node: str, area: int) -> float:
        if node in normalised:
            return normalised[node][area]
        kids = children[node]
        return reference_mean([node_score(k, area) for k, _ in kids], [w for _, w in kids])

    index_id = next(iter(tree))
    return [node_score(index_id, a) for a in range(len(raw))]


def four_level_case(seed: int):
    rng = random.Random(seed)
    tree = {"index": ["d1", "d2"], "d1": ["s11", "s12"], "d2": ["s21", "s22", "s23"]}
    weights = {k: rng.choice([0.5, 1.0, 2.0, 3.0]) for k in ["d1", "d2", "s11", "s12", "s21", "s22", "s23"]}
    indicators = {}
    for sub in ["s11", "s12", "s21", "s22", "s23"]:
        for position in range(rng.randint(2, 3)):
            indicators[f"{sub}_i{position}"] = (sub, rng.choice([0.5, 1.0, 2.0]), rng.choice([1, -1]))
    n = 30
    raw = pd.DataFrame({name: [rng.gauss(50, 15) for _ in range(n)] for name in indicators},
                       index=[f"A{a:03d}" for a in range(n)])
    mask = np.array([[rng.random() < 0.1 for _ in indicators] for _ in range(n)])
    raw = raw.mask(mask)
    return tree, indicators, weights, raw


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_four_level_minmax_arithmetic_matches_reference(seed):
    tree, indicators, weights, raw = four_level_case(seed)
    framework = make_framework(tree, indicators, weights)
    result = score(raw, framework, method(missing={"min_share": 0.0}))
    expected = reference_index(raw, tree, indicators, weights)
    np.testing.assert_allclose(result.index.to_numpy(), expected, rtol=0, atol=1e-9)


def test_small_case_by_hand():
    # Two domains (weights 1 and 3); domain a has indicators p (w 1, +1) and q (w 1, -1).
    raw = pd.DataFrame({"p": [0.0, 5.0, 10.0], "q": [10.0, 0.0, 5.0], "r": [1.0, 3.0, 2.0]}, index=["x", "y", "z"])
    framework = make_framework({"idx": ["a", "b"]}, {"p": ("a", 1, 1), "q": ("a", 1, -1), "r": ("b", 1, 1)},
                               {"a": 1, "b": 3})
    result = score(raw, framework, method())
    # p -> [0, 50, 100]; q reversed -> [0, 100, 50]; r -> [0, 100, 50]
    # a = [0, 75, 75]; b = r; index = (a + 3 b) / 4 = [0, 93.75, 56.25]
    np.testing.assert_allclose(result.index.to_numpy(), [0, 93.75, 56.25])
    assert list(result.rank) == [3, 1, 2]
    weights = result.effective_weights.set_index("indicator")
    np.testing.assert_allclose(weights["nominal"], [0.125, 0.125, 0.75])
    # contributions per area: y: (0.125*50 + 0.125*100 + 0.75*100) / 93.75, z: (12.5 + 6.25 + 37.5) / 56.25
    contribution_p = np.mean([0.125 * 50 / 93.75, 0.125 * 100 / 56.25])
    assert np.isclose(weights.loc["p", "contribution"], contribution_p)
