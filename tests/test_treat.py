"""Outlier treatment with COINr's default semantics: the rule, tie-aware winsorisation, the log
fallbacks, forced winsorisation and per-indicator settings, each against a hand computation."""

import numpy as np
import pandas as pd
import pytest

from aandacht.config import Treatment
from aandacht.scoring.treat import (
    excess_kurtosis,
    log_transform,
    needs_treatment,
    skewness,
    treat_indicator,
    treat_matrix,
)

DEFAULT = Treatment()
# 1..20 and three outliers: one step (100 -> 80) leaves skew 2.18 / kurtosis 3.78, the second step
# moves *both* values at 80 (the tie made by the first step) to 60, and then the rule no longer holds.
TWO_STEPS = np.array([*range(1, 21), 60.0, 80.0, 100.0])


def test_skew_and_kurtosis_match_excel_formulas():
    x = np.array([1.0, 2.0, 2.0, 3.0, 9.0, 4.0, np.nan])
    series = pd.Series(x).dropna()
    # pandas' skew and kurt are Excel's SKEW (G1) and KURT (G2), and COINr's skew()/kurt() (e1071 type 2)
    assert np.isclose(skewness(x), series.skew())
    assert np.isclose(excess_kurtosis(x), series.kurt())


def test_rule_holds_at_the_thresholds_themselves():
    # COINr's check_SkewKurt passes when |skew| < 2 or kurtosis < 3.5: equality means treatment
    x = TWO_STEPS
    assert needs_treatment(x, skewness(x), excess_kurtosis(x))
    assert not needs_treatment(x, skewness(x) + 1e-9, excess_kurtosis(x))


def test_no_treatment_when_rule_does_not_hold():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    out, record = treat_indicator("a", x, DEFAULT)
    np.testing.assert_array_equal(out, x)
    assert record.action == "none" and record.points_winsorised == 0 and record.passes_before


def test_one_outlier_is_winsorised_to_next_value():
    x = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    assert skewness(x) > 2 and excess_kurtosis(x) > 3.5
    out, record = treat_indicator("a", x, DEFAULT, list("abcdefghij"))
    expected = x.copy()
    expected[-1] = 5.0  # the maximum becomes the next highest value
    np.testing.assert_array_equal(out, expected)
    assert record.action == "winsorised" and record.points_winsorised == 1 and record.winsorised_high == "j"
    assert not record.passes_before and record.passes_after


def test_tied_extremes_are_winsorised_together():
    # step 1: 100 -> 80 (skew 2.18, kurtosis 3.78: still failing); step 2: both 80s -> 60 (passes).
    # The old one-point-at-a-time loop copied 80 onto 80 and fell back to the log transform.
    first = TWO_STEPS.copy()
    first[-1] = 80.0
    assert needs_treatment(first, 2.0, 3.5)
    out, record = treat_indicator("a", TWO_STEPS, DEFAULT)
    np.testing.assert_array_equal(out, [*range(1, 21), 60.0, 60.0, 60.0])
    assert record.action == "winsorised" and record.points_winsorised == 2
    assert record.winsorised_high == "21, 22" and record.passes_after


def test_points_tied_at_the_start_count_as_winsorised_at_once():
    x = np.array([*range(1, 21), 100.0, 100.0])
    out, record = treat_indicator("a", x, DEFAULT)
    assert record.points_winsorised == 2 and out.max() == 20.0


def test_log_ct_when_winsorising_is_not_enough():
    # at most 1 point: after 100 -> 80 the rule still holds, so the original values are logged
    out, record = treat_indicator("a", TWO_STEPS, Treatment(max_winsorised=1))
    assert record.action == "log" and record.points_winsorised == 0
    np.testing.assert_allclose(out, np.log(TWO_STEPS - 1.0 + 0.01 * 99.0))  # ln(x - min + 0.01 (max - min))
    assert list(np.argsort(out, kind="stable")) == list(np.argsort(TWO_STEPS, kind="stable"))


def test_log_variants():
    x = np.array([2.0, 3.0, 5.0, 12.0])
    np.testing.assert_allclose(log_transform(x, "log_ct"), np.log(x - 2.0 + 0.1))
    np.testing.assert_allclose(log_transform(x, "log_ct_orig"), np.log(x - 2.0 + 1.0))
    np.testing.assert_allclose(log_transform(x, "log_ct_plus"), np.log(x - 2.0 + 0.1))  # skewness > 0
    mirrored = -x
    np.testing.assert_allclose(log_transform(mirrored, "log_ct_plus"), -np.log(-2.0 + 0.1 - mirrored))


def test_negative_skew_winsorises_the_minimum():
    x = -np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    out, record = treat_indicator("a", x, DEFAULT)
    assert out.min() == -5.0 and record.points_winsorised == 1 and record.winsorised_low != ""


def test_forced_winsorisation_of_an_indicator_that_passes():
    # 1..10 passes the rule. Forced, 2 points: skew 0 -> the maximum 10 becomes 9; then the skew of
    # (1, 2, ..., 9, 9) is negative -> the minimum 1 becomes 2; COINr counts 1 + 1 = 2 points.
    x = np.arange(1.0, 11.0)
    out, record = treat_indicator("a", x, Treatment(force_winsorise=True, max_winsorised=2))
    np.testing.assert_array_equal(out, [2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.0])
    assert record.points_winsorised == 2 and record.passes_before


def test_per_indicator_settings_replace_the_global_ones():
    raw = pd.DataFrame({"a": TWO_STEPS, "b": TWO_STEPS, "c": TWO_STEPS})
    treatment = Treatment(by_indicator={"b": {"max_winsorised": 1, "log_transform": "log_ct_orig"}, "c": {"enabled": False}})
    treated, log = treat_matrix(raw, treatment)
    log = log.set_index("indicator")
    assert log.at["a", "action"] == "winsorised" and treated["a"].max() == 60.0
    assert log.at["b", "action"] == "log"
    np.testing.assert_allclose(treated["b"], np.log(TWO_STEPS - 1.0 + 1.0))
    assert log.at["c", "action"] == "treatment off" and treated["c"].equals(raw["c"])
    # globally off, one indicator on
    treated, log = treat_matrix(raw, Treatment(enabled=False, by_indicator={"a": {"enabled": True}}))
    assert list(log["action"]) == ["winsorised", "treatment off", "treatment off"] and treated["a"].max() == 60.0


def test_too_few_values_are_left_alone():
    out, record = treat_indicator("a", np.array([1.0, 100.0, np.nan]), DEFAULT)
    assert record.action == "too few values"
    np.testing.assert_array_equal(out[:2], [1.0, 100.0])


def test_treat_matrix_logs_every_indicator():
    raw = pd.DataFrame({"a": [1.0, 2, 3, 4, 5], "b": [5.0, 4, 3, 2, 1]}, index=list("vwxyz"))
    treated, log = treat_matrix(raw, DEFAULT)
    pd.testing.assert_frame_equal(treated, raw)
    assert list(log["indicator"]) == ["a", "b"]


def test_unknown_indicator_in_by_indicator_is_a_config_error(tmp_path):
    import yaml

    from aandacht.config import parse_config
    from aandacht.errors import ConfigError
    from aandacht.resources import default_config_path

    raw = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    raw["method"]["treatment"]["by_indicator"] = {"nope": {"max_winsorised": 2}}
    with pytest.raises(ConfigError, match="by_indicator names unknown indicator"):
        parse_config(raw, tmp_path / "x.yaml")
