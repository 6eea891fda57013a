"""Hand-computed expectations for every normalisation method."""

import warnings

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


# --- defaults, ranges that do not start at 0, the leading draws axis, and undefined cases ---

def test_default_range_is_0_to_100():
    np.testing.assert_allclose(norm.minmax(X, D)[:3, 0], [0, 100 / 3, 100])
    x = np.array([[0.0], [5.0], [12.0]])
    np.testing.assert_allclose(norm.goalposts(x, np.array([1.0]), np.array([2.0]), np.array([10.0]))[:, 0], [0, 37.5, 100])
    np.testing.assert_allclose(norm.distance_to_reference(X, D, 1)[:3, 0], [0, 100, 300])
    np.testing.assert_allclose(norm.distance_to_target(X, D, np.array([6.0, 15.0]))[:3, 0], [0, 50, 150])


def test_goalposts_with_a_range_that_does_not_start_at_zero():
    # lower 2, upper 10, range [1, 100]: 1 + share * 99
    x = np.array([[0.0, 0.0], [5.0, 5.0], [12.0, 12.0]])
    out = norm.goalposts(x, np.array([1.0, -1.0]), np.array([2.0, 2.0]), np.array([10.0, 10.0]), 1, 100)
    np.testing.assert_allclose(out[:, 0], [1, 1 + 0.375 * 99, 100])
    np.testing.assert_allclose(out[:, 1], [100, 1 + 0.625 * 99, 1])


def test_two_areas_get_percentile_ranks_0_and_100():
    np.testing.assert_allclose(norm.percentile_rank(np.array([[3.0], [7.0], [np.nan]]), np.array([1.0]))[:2, 0], [0, 100])
    # one area present: (1 - 1) / (1 - 1) is undefined
    assert np.isnan(norm.percentile_rank(np.array([[3.0], [np.nan]]), np.array([1.0]))[0, 0])


# Three draws with their own values and missing areas: each draw normalised along its own areas
# must equal that draw normalised on its own (the 2-D results are pinned by hand above).
DRAWS = np.stack([X, np.array([[1.0, 5.0], [np.nan, 7.0], [3.0, 1.0], [9.0, 2.0]]), X[::-1] * 3.0])
ALL_METHODS = {
    "minmax": lambda x: norm.minmax(x, D, 1, 10),
    "zscore": lambda x: norm.zscore(x, D, 50, 10),
    "rank": lambda x: norm.rank(x, D),
    "percentile_rank": lambda x: norm.percentile_rank(x, D),
    "borda": lambda x: norm.borda(x, D),
    "goalposts": lambda x: norm.goalposts(x, D, np.array([2.0, 1.0]), np.array([8.0, 30.0]), 1, 100),
    "distance_to_reference": lambda x: norm.distance_to_reference(x, D, 2, 0, 100),
    "distance_to_target": lambda x: norm.distance_to_target(x, D, np.array([6.0, 4.0]), 0, 100, cap=True),
}


@pytest.mark.parametrize("name", sorted(ALL_METHODS))
def test_every_method_normalises_each_draw_on_its_own(name):
    function = ALL_METHODS[name]
    out = function(DRAWS)
    assert out.shape == DRAWS.shape
    for draw in range(len(DRAWS)):
        np.testing.assert_allclose(out[draw], function(DRAWS[draw]), equal_nan=True)


def test_zscore_of_the_second_draw_by_hand():
    # draw 1, column 0: 1, NaN, 3, 9: mean 13/3, sd (n - 1) = sqrt(((1-13/3)^2 + (3-13/3)^2 + (9-13/3)^2) / 2)
    mean = 13 / 3
    sd = np.sqrt(((1 - mean) ** 2 + (3 - mean) ** 2 + (9 - mean) ** 2) / 2)
    out = norm.zscore(DRAWS, D)
    np.testing.assert_allclose(out[1, [0, 2, 3], 0], (np.array([1.0, 3.0, 9.0]) - mean) / sd)


def test_undefined_cases_give_nan_without_warnings():
    constant = np.array([[4.0], [4.0], [np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(norm.minmax(constant, np.array([1.0]))).all()
        assert np.isnan(norm.zscore(constant, np.array([1.0]))).all()
        assert np.isnan(norm.percentile_rank(np.array([[4.0], [np.nan]]), np.array([1.0]))[0, 0])
        # the reference area has the lowest risk: 0 / 0 for itself, x / 0 for the others
        out = norm.distance_to_reference(np.array([[1.0], [2.0]]), np.array([1.0]), 0)
        assert np.isnan(out[0, 0]) and np.isinf(out[1, 0])


def test_goalposts_distance_to_target_and_reference_through_the_config():
    import pandas as pd

    from aandacht.config import Method
    from aandacht.errors import AandachtError
    from aandacht.scoring.composite import normalise
    from conftest import make_framework

    raw = pd.DataFrame({"a": [2.0, 4.0, 8.0], "b": [10.0, 30.0, 20.0]}, index=["P", "Q", "R"])
    framework = make_framework({"index": []}, {"a": ("index", 1.0, 1), "b": ("index", 1.0, -1)}, extra={
        "a": {"goalposts": {"lower": 0, "upper": 10}, "target": 6}, "b": {"goalposts": {"lower": 10, "upper": 50},
                                                                        "target": 15}})

    def run(**settings):
        return normalise(raw, framework, Method.model_validate({"normalisation": settings}))

    # goalposts [1, 100]: a: 1 + x / 10 * 99; b (direction -1): 1 + (50 - x) / 40 * 99
    out = run(method="goalposts", range=[1, 100])
    np.testing.assert_allclose(out["a"], 1 + np.array([0.2, 0.4, 0.8]) * 99)
    np.testing.assert_allclose(out["b"], 1 + np.array([1.0, 0.5, 0.75]) * 99)
    # target: a: (x - 2) / (6 - 2); b: (30 - x) / (30 - 15)
    out = run(method="distance_to_target")
    np.testing.assert_allclose(out["a"], [0, 50, 150])
    np.testing.assert_allclose(out["b"], [20 / 15 * 100, 0, 10 / 15 * 100])
    with pytest.raises(AandachtError, match=r"\['a'\]: the target equals the value of least risk"):
        normalise(raw.assign(a=[6.0, 7.0, 8.0]), framework, Method.model_validate(
            {"normalisation": {"method": "distance_to_target"}}))
    # reference Q: a: (x - 2) / (4 - 2); b: y = -x, min -30 (Q itself): Q has the lowest risk on b
    with pytest.raises(AandachtError, match=r"area Q has the lowest risk on indicator\(s\) \['b'\]"):
        run(method="distance_to_reference", reference="Q")
    with pytest.raises(AandachtError, match=r"area P has the lowest risk on indicator\(s\) \['a'\]"):
        run(method="distance_to_reference", reference="P")
    with pytest.raises(AandachtError, match=r"area R has no value for indicator\(s\) \['a'\]"):
        normalise(raw.assign(a=[2.0, 4.0, np.nan]), framework, Method.model_validate(
            {"normalisation": {"method": "distance_to_reference", "reference": "R"}}))


def test_zscore_of_values_whose_spread_underflows_is_missing_not_infinite():
    """Values near 1e-200 differ, but their squared deviations underflow to 0, so the sd is 0: the
    indicator is treated as constant (NaN, as for a zero sd), never divided by the zero into +-inf.
    Probe for the equivalents entry `spread > 0` -> `spread >= 0`, which such values tell apart."""
    x = np.array([[1e-200], [3e-200], [2e-200]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = norm.zscore(x, np.array([1.0]))
    assert np.isnan(result).all()


def test_a_count_under_the_threshold_is_scored_as_its_published_class():
    """minmax is affine: two areas with shown raw and normalised values give the map, which returned a
    count shown as '<10' (4 and 7 here). Scored as the class '<10' (its middle, 4.5), every suppressed
    area gets the same normalised value and the map returns the class, never the count."""
    import pandas as pd

    from aandacht.inputs.plausible import published_class

    raw = pd.Series([4.0, 7.0, 30.0, 50.0, 90.0])
    true = norm.minmax(raw.to_numpy()[:, None], np.array([1.0]))[:, 0]
    slope = (true[3] - true[2]) / (50 - 30)  # from the two shown areas
    assert 30 + (true[:2] - true[2]) / slope == pytest.approx([4.0, 7.0])  # what the old scoring gave away
    scored, below = published_class(raw, 10)
    assert scored.tolist() == [4.5, 4.5, 30.0, 50.0, 90.0] and below.tolist() == [True, True, False, False, False]
    n = norm.minmax(scored.to_numpy()[:, None], np.array([1.0]))[:, 0]
    slope = (n[3] - n[2]) / (50 - 30)
    assert 30 + (n[:2] - n[2]) / slope == pytest.approx([4.5, 4.5])
    assert published_class(raw, 0)[0].equals(raw)


@pytest.mark.parametrize("method, values", [("minmax", [1e308, -1e308, 0.0]), ("zscore", [1e308, 1e308, 0.0])])
def test_probe_values_near_the_float_limit_warn_of_their_overflow_only(method, values):
    """Equivalents 'np.errstate(invalid="ignore") dropped' in minmax and zscore were not equivalent: values near
    the float limit (an indicator with no unit range may hold them) overflow the span or the mean, which numpy
    reports, and the division then meets inf / inf, which warned 'invalid value' on top. The errstate keeps
    the run's warnings to the overflow. (Its divide='ignore' is equivalent: the denominator is positive or
    NaN, never 0, so nothing divides by zero.)"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        getattr(norm, method)(np.array(values)[:, None], np.array([1.0]))
    messages = [str(w.message) for w in caught]
    assert any("overflow" in m for m in messages) and not any("invalid value" in m for m in messages), messages
