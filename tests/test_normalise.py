"""Hand-computed expectations for every normalisation method."""

import numpy as np
import pytest

from aandacht.scoring import normalise as norm

X = np.array([[2.0, 10.0], [4.0, 30.0], [8.0, 20.0], [np.nan, 10.0]])
D = np.array([1.0, -1.0])


def test_minmax_applies_direction_and_range():
    out = norm.minmax(X, D, 0, 100)
    # column 0: (x - 2) / 6 * 100; column 1 reversed: (30 - x) / 20 * 100
    np.testing.assert_allclose(out[:3, 0], [0, 100 / 3, 100])
    assert np.isnan(out[3, 0])
    np.testing.assert_allclose(out[:, 1], [100, 0, 50, 100])
    np.testing.assert_allclose(norm.minmax(X, D, 1, 10)[:3, 0], [1, 4, 10])


def test_minmax_constant_column_is_nan():
    assert np.isnan(norm.minmax(np.array([[1.0], [1.0]]), np.array([1.0]))).all()


def test_zscore_uses_sample_sd():
    out = norm.zscore(X, D)
    # column 0: mean 14/3, sd (n-1) = sqrt(((2-14/3)^2 + (4-14/3)^2 + (8-14/3)^2) / 2)
    mean = 14 / 3
    sd = np.sqrt(((2 - mean) ** 2 + (4 - mean) ** 2 + (8 - mean) ** 2) / 2)
    np.testing.assert_allclose(out[:3, 0], (np.array([2, 4, 8]) - mean) / sd)
    # column 1 reversed: y = -x, mean -17.5, sd of [10,30,20,10] = sqrt(275/3)
    np.testing.assert_allclose(out[:, 1], (-np.array([10, 30, 20, 10]) + 17.5) / np.sqrt(275 / 3))
    np.testing.assert_allclose(norm.zscore(X, D, 10, 2)[:3, 0], 10 + 2 * (np.array([2, 4, 8]) - mean) / sd)


def test_rank_average_ties_and_direction():
    out = norm.rank(X, D)
    np.testing.assert_allclose(out[:3, 0], [1, 2, 3])
    assert np.isnan(out[3, 0])
    # -x = [-10, -30, -20, -10]: -30 lowest (1), -20 (2), the two -10 share (3 + 4) / 2
    np.testing.assert_allclose(out[:, 1], [3.5, 1, 2, 3.5])


def test_percentile_rank_uses_min_rank():
    out = norm.percentile_rank(X, D)
    np.testing.assert_allclose(out[:3, 0], [0, 50, 100])
    # min ranks of -x: [3, 1, 2, 3] -> (r - 1) / 3 * 100
    np.testing.assert_allclose(out[:, 1], [200 / 3, 0, 100 / 3, 200 / 3])


def test_goalposts_cap_and_reverse():
    x = np.array([[0.0, 0.0], [5.0, 5.0], [12.0, 12.0]])
    out = norm.goalposts(x, np.array([1.0, -1.0]), np.array([2.0, 2.0]), np.array([10.0, 10.0]), 0, 100)
    np.testing.assert_allclose(out[:, 0], [0, 37.5, 100])
    np.testing.assert_allclose(out[:, 1], [100, 62.5, 0])


def test_broadcasts_over_leading_draw_axis():
    draws = np.stack([X, X * 2])
    out = norm.minmax(draws, D)
    np.testing.assert_allclose(out[0], out[1], equal_nan=True)
    assert out.shape == (2, 4, 2)


@pytest.mark.parametrize("function", [norm.rank, norm.percentile_rank])
def test_rank_methods_higher_means_more_risk(function):
    out = function(np.array([[1.0], [5.0], [3.0]]), np.array([1.0]))
    assert out[1, 0] > out[2, 0] > out[0, 0]
