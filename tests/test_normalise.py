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


def test_borda_counts_the_areas_below():
    out = norm.borda(X, D)
    # column 0: 2, 4, 8 -> 0, 1, 2 areas below; column 1, -x = [-10, -30, -20, -10]: min ranks 3, 1, 2, 3 -> minus 1
    np.testing.assert_allclose(out[:3, 0], [0, 1, 2])
    assert np.isnan(out[3, 0])
    np.testing.assert_allclose(out[:, 1], [2, 0, 1, 2])


def test_distance_to_reference_area():
    # reference row 1. Column 0: y = x, min 2, y_ref 4: (y - 2) / (4 - 2); column 1: y = -x, min -30,
    # y_ref -30 would be undefined, so take row 2 there: y_ref -20, (y + 30) / 10
    out = norm.distance_to_reference(X, D, 1, 0, 100)
    np.testing.assert_allclose(out[:3, 0], [0, 100, 300])
    capped = norm.distance_to_reference(X, D, 1, 0, 100, cap=True)
    np.testing.assert_allclose(capped[:3, 0], [0, 100, 100])
    np.testing.assert_allclose(norm.distance_to_reference(X, D, 2, 0, 1)[:, 1], [2, 0, 1, 2])


def test_distance_to_target_multiplies_the_target_by_the_direction():
    # column 0: target 6, (x - 2) / (6 - 2); column 1 (direction -1): target 15, (30 - x) / (30 - 15)
    out = norm.distance_to_target(X, D, np.array([6.0, 15.0]), 0, 100)
    np.testing.assert_allclose(out[:3, 0], [0, 50, 150])
    np.testing.assert_allclose(out[:, 1], [20 / 15 * 100, 0, 10 / 15 * 100, 20 / 15 * 100])
    capped = norm.distance_to_target(X, D, np.array([6.0, 15.0]), 1, 100, cap=True)
    np.testing.assert_allclose(capped[:3, 0], [1, 50.5, 100])


def test_distance_to_reference_through_the_config(tmp_path):
    import pandas as pd

    from aandacht.config import Method
    from aandacht.errors import AandachtError
    from aandacht.scoring.composite import score
    from conftest import make_framework

    framework = make_framework({"index": []}, {"a": ("index", 1.0, 1), "b": ("index", 1.0, -1)})
    raw = pd.DataFrame({"a": [2.0, 4.0, 8.0], "b": [10.0, 30.0, 20.0]}, index=["P", "Q", "R"])
    method = Method.model_validate({"treatment": {"enabled": False},
                                    "normalisation": {"method": "distance_to_reference", "reference": "R"}})
    result = score(raw, framework, method)
    # a: (x - 2) / (8 - 2) * 100; b: y = -x, min -30, y_R = -20: (30 - x) / 10 * 100
    np.testing.assert_allclose(result.normalised["a"], [0, 100 / 3, 100])
    np.testing.assert_allclose(result.normalised["b"], [200, 0, 100])
    with pytest.raises(AandachtError, match="not among the scored areas"):
        score(raw, framework, method.model_copy(update={"normalisation": method.normalisation.model_copy(
            update={"reference": "Z"})}))
