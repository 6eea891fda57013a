"""Outlier treatment: skewness/kurtosis formulas, winsorisation, log fallback."""

import numpy as np
import pandas as pd

from aandacht.scoring.treat import (
    excess_kurtosis,
    skewness,
    treat_indicator,
    treat_matrix,
)


def test_skew_and_kurtosis_match_excel_formulas():
    x = np.array([1.0, 2.0, 2.0, 3.0, 9.0, 4.0, np.nan])
    series = pd.Series(x).dropna()
    # pandas' skew and kurt are Excel's SKEW (G1) and KURT (G2)
    assert np.isclose(skewness(x), series.skew())
    assert np.isclose(excess_kurtosis(x), series.kurt())


def test_no_treatment_when_rule_does_not_hold():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    out, record = treat_indicator("a", x, 2.0, 3.5, 5, True)
    np.testing.assert_array_equal(out, x)
    assert record.action == "none" and record.points_winsorised == 0


def test_one_outlier_is_winsorised_to_next_value():
    x = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    assert skewness(x) > 2 and excess_kurtosis(x) > 3.5
    out, record = treat_indicator("a", x, 2.0, 3.5, 5, True)
    expected = x.copy()
    expected[-1] = 5.0  # the maximum becomes the next highest value
    np.testing.assert_array_equal(out, expected)
    assert record.action == "winsorised" and record.points_winsorised == 1


def test_negative_skew_winsorises_the_minimum():
    x = -np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    out, record = treat_indicator("a", x, 2.0, 3.5, 5, True)
    assert out.min() == -5.0 and record.points_winsorised == 1


def test_log_when_winsorising_is_not_enough():
    x = np.array([1.0] * 10 + [50.0, 60.0, 1000.0, 5000.0])
    out, record = treat_indicator("a", x, 2.0, 3.5, 1, True)
    assert record.action == "log"
    np.testing.assert_allclose(out, np.log(x - x.min() + 1))
    # order preserved
    assert list(np.argsort(out, kind="stable")) == list(np.argsort(x, kind="stable"))


def test_too_few_values_are_left_alone():
    out, record = treat_indicator("a", np.array([1.0, 100.0, np.nan]), 2.0, 3.5, 5, True)
    assert record.action == "too few values"
    np.testing.assert_array_equal(out[:2], [1.0, 100.0])


def test_treat_matrix_logs_every_indicator():
    raw = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [5.0, 4, 3, 2, 1]}, index=list("vwxyz"))
    treated, log = treat_matrix(raw, 2.0, 3.5, 5, True)
    pd.testing.assert_frame_equal(treated, raw)
    assert list(log["indicator"]) == ["a", "b"]
