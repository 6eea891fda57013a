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


# Draws on a leading axis: each draw aggregated along its own children (2-D results pinned above)
DRAWS = np.stack([V, V[::-1] * 2.0, np.array([[5.0, 1.0, 2.0], [np.nan, 4.0, 8.0], [1.0, 1.0, np.nan]])])


@pytest.mark.parametrize("method", ["arithmetic", "geometric", "harmonic"])
@pytest.mark.parametrize("values", [DRAWS, np.nan_to_num(DRAWS, nan=3.0)], ids=["missing", "complete"])
def test_every_formula_aggregates_each_draw_on_its_own(method, values):
    out = aggregate(values, W, method, min_share=0.5)
    assert out.shape == values.shape[:2]
    for draw in range(len(values)):
        np.testing.assert_allclose(out[draw], aggregate(values[draw], W, method, min_share=0.5), equal_nan=True)


def test_geometric_and_harmonic_by_hand_on_a_draw():
    values = np.stack([np.array([[2.0, 8.0, 4.0]]), np.array([[1.0, 4.0, 2.0]])])
    np.testing.assert_allclose(aggregate(values, W, "geometric", 0.0)[:, 0], [(2 * 8 ** 2 * 4) ** 0.25, (1 * 4 ** 2 * 2) ** 0.25])
    np.testing.assert_allclose(aggregate(values, W, "harmonic", 0.0)[:, 0], [4 / (1 / 2 + 2 / 8 + 1 / 4), 4 / (1 + 2 / 4 + 1 / 2)])


@pytest.mark.parametrize("method", ["geometric", "harmonic"])
def test_values_at_or_below_zero_are_refused_unless_checked_by_the_caller(method):
    for bad in (0.0, -1.0):
        with pytest.raises(AandachtError, match=rf"{method} aggregation of 'armoede' needs values above 0"):
            aggregate(np.array([[bad, 1.0], [2.0, np.nan]]), np.array([1.0, 1.0]), method, 0.0, "armoede")
    # the uncertainty model checks its normalised matrices once and says so
    out = aggregate(np.array([[4.0, 1.0]]), np.array([1.0, 1.0]), method, 0.0, positive_checked=True)
    np.testing.assert_allclose(out, [2.0 if method == "geometric" else 2 / (1 / 4 + 1)])


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown aggregation method 'median'"):
        aggregate(V, W, "median", 0.0)


def test_zero_weight_child_with_every_child_present():
    out = aggregate(np.array([[7.0, 5.0], [1.0, 3.0]]), np.array([0.0, 1.0]), "arithmetic", min_share=1.0)
    np.testing.assert_allclose(out, [5.0, 3.0])


def test_min_share_at_its_boundary():
    # W1 has 2 of 3 children: share 2/3 equals min_share 2/3 and is scored
    out = aggregate(V, W, "arithmetic", min_share=2 / 3)
    assert not np.isnan(out[1]) and np.isnan(out[2])


def test_area_without_children_is_nan_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in ("arithmetic", "geometric", "harmonic"):
            out = aggregate(np.array([[np.nan, np.nan], [1.0, 2.0]]), np.array([1.0, 1.0]), method, 0.0)
            assert np.isnan(out[0]) and not np.isnan(out[1])


@pytest.mark.parametrize("method", ["geometric", "harmonic"])
def test_switched_off_child_at_zero_with_every_child_present(method):
    out = aggregate(np.array([[0.0, 5.0], [2.0, 4.0]]), np.array([0.0, 1.0]), method, min_share=1.0)
    np.testing.assert_allclose(out, [5.0, 4.0])


def test_positive_checked_skips_the_check():
    # the caller promises values above 0; a 0 then gives the geometric mean 0 instead of an error
    with np.errstate(divide="ignore"):
        out = aggregate(np.array([[0.0, 4.0]]), np.array([1.0, 1.0]), "geometric", 0.0, positive_checked=True)
    np.testing.assert_allclose(out, [0.0])
