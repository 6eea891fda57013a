"""Hand-computed expectations for the aggregation methods and missing-data handling."""

import numpy as np
import pytest

from aandacht.errors import AandachtError
from aandacht.scoring.aggregate import aggregate

V = np.array([[10.0, 40.0, 80.0], [20.0, np.nan, 50.0], [np.nan, np.nan, 30.0]])
W = np.array([1.0, 2.0, 1.0])


def test_arithmetic_with_renormalised_weights():
    out = aggregate(V, W, "arithmetic", min_share=0.0)
    np.testing.assert_allclose(out, [(10 + 80 + 80) / 4, (20 + 50) / 2, 30])


def test_min_share_leaves_sparse_areas_unscored():
    out = aggregate(V, W, "arithmetic", min_share=0.5)
    assert np.isnan(out[2])  # 1 of 3 present
    assert not np.isnan(out[1])  # 2 of 3 present


def test_geometric():
    out = aggregate(V, W, "geometric", min_share=0.0)
    np.testing.assert_allclose(out[0], (10 * 40**2 * 80) ** (1 / 4))
    np.testing.assert_allclose(out[1], np.sqrt(20 * 50))


def test_harmonic():
    out = aggregate(V, W, "harmonic", min_share=0.0)
    np.testing.assert_allclose(out[0], 4 / (1 / 10 + 2 / 40 + 1 / 80))


def test_geometric_refuses_zero():
    with pytest.raises(AandachtError, match="above 0"):
        aggregate(np.array([[0.0, 1.0]]), np.array([1.0, 1.0]), "geometric", 0.0, "armoede")


def test_zero_weight_child_does_not_count_for_share():
    out = aggregate(np.array([[np.nan, 5.0]]), np.array([0.0, 1.0]), "arithmetic", min_share=1.0)
    np.testing.assert_allclose(out, [5.0])


def test_broadcasts_weights_per_draw():
    values = np.broadcast_to(V[:2, :], (2, 2, 3))
    weights = np.array([[1.0, 2.0, 1.0], [1.0, 0.0, 1.0]])[:, None, :]
    out = aggregate(values, weights, "arithmetic", 0.0)
    np.testing.assert_allclose(out[0, 0], 42.5)
    np.testing.assert_allclose(out[1, 0], 45.0)


@pytest.mark.parametrize("method, expected", [("arithmetic", 5.0), ("geometric", 5.0), ("harmonic", 5.0)])
def test_switched_off_child_counts_for_nothing_whatever_its_value(method, expected):
    # weight 0 switches an indicator off; its value 0 (log 0 = -inf, 1 / 0) must not turn the mean into NaN
    values = np.array([[0.0, 5.0], [np.nan, 5.0], [0.0, np.nan]])
    out = aggregate(values, np.array([0.0, 1.0]), method, min_share=0.0)
    np.testing.assert_allclose(out[:2], [expected, expected])
    assert np.isnan(out[2])  # only the switched-off child is present: no score
