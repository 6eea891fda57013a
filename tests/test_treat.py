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


def test_forcing_leaves_an_indicator_that_passes_the_rule_alone():
    # COINr's Treat checks the rule before it winsorises: 1..10 passes, so it stays 1..10 even forced
    # (aandacht used to give 2, 2, 3, ..., 9, 9 here)
    x = np.arange(1.0, 11.0)
    out, record = treat_indicator("a", x, Treatment(force_winsorise=True, max_winsorised=2))
    np.testing.assert_array_equal(out, x)
    assert record.action == "none" and record.points_winsorised == 0 and record.passes_before


def test_forcing_winsorises_a_failing_indicator_to_max_winsorised_points():
    # 1, 2, 2, 3, 3, 3, 4, 4, 5, 100 fails. Unforced: 100 -> 5 and the rule passes (1 point).
    # Forced to 3 points: then the sum of cubed deviations of (1, 2, 2, 3, 3, 3, 4, 4, 5, 5) is -1.44
    # (mean 3.2), skew < 0: 1 -> 2 (1 + 1 points); then (2, 2, 2, 3, 3, 3, 4, 4, 5, 5) has +3.84
    # (mean 3.3): both 5s -> 4, 2 high + 1 low = 3 points, the limit.
    x = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    assert treat_indicator("a", x, Treatment(max_winsorised=3)).record.points_winsorised == 1
    out, record = treat_indicator("a", x, Treatment(force_winsorise=True, max_winsorised=3), list("abcdefghij"))
    np.testing.assert_array_equal(out, [2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 4.0, 4.0])
    assert record.action == "winsorised" and record.points_winsorised == 3
    assert record.winsorised_high == "i, j" and record.winsorised_low == "a" and record.passes_after


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


# --- each side of the rule, its boundaries, and the paths with missing values and small spreads ---

def test_symmetric_heavy_tailed_indicator_is_left_alone():
    # skew 0 (symmetric) and excess kurtosis 4.65 (pandas, Excel's KURT): the rule needs skew AND kurtosis
    x = np.array([-10.0, -1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 10.0])
    assert pd.Series(x).skew() == pytest.approx(0.0, abs=1e-12) and pd.Series(x).kurt() > 3.5
    assert not needs_treatment(x, 2.0, 3.5)
    out, record = treat_indicator("a", x, DEFAULT)
    np.testing.assert_array_equal(out, x)
    assert record.action == "none" and record.passes_before and record.passes_after


def test_skewed_but_light_tailed_indicator_is_left_alone():
    # 17 zeros and 3 ones: skew 2.12 >= 2 but kurtosis 2.78 < 3.5 (pandas)
    x = np.array([0.0] * 17 + [1.0] * 3)
    assert pd.Series(x).skew() > 2.0 and pd.Series(x).kurt() < 3.5
    out, record = treat_indicator("a", x, DEFAULT)
    assert record.action == "none" and record.points_winsorised == 0
    np.testing.assert_array_equal(out, x)


def test_moments_of_four_values_by_hand():
    # 0, 0, 0, 1: mean 1/4, s = 1/2, z = (-1/2, -1/2, -1/2, 3/2); sum z^3 = 3, sum z^4 = 21/4
    # G1 = 4 / (3 * 2) * 3 = 2; G2 = 4 * 5 / (3 * 2 * 1) * 21/4 - 3 * 9 / (2 * 1) = 17.5 - 13.5 = 4
    assert skewness(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(2.0)
    assert excess_kurtosis(np.array([0.0, 0.0, 0.0, 1.0, np.nan])) == pytest.approx(4.0)
    # three values: skewness only (G1 of 0, 0, 1 = 3 / (2 * 1) * (2 * (-1/sqrt(3))^3 + (2/sqrt(3))^3) = 1.732)
    assert skewness(np.array([0.0, 0.0, 1.0])) == pytest.approx(np.sqrt(3.0))
    assert np.isnan(excess_kurtosis(np.array([0.0, 0.0, 1.0])))
    assert np.isnan(skewness(np.array([0.0, 1.0, np.nan])))
    # a constant indicator: no skew, no excess kurtosis (with four values), kurtosis undefined with three
    assert skewness(np.full(4, 7.0)) == 0.0 and excess_kurtosis(np.full(4, 7.0)) == 0.0
    assert np.isnan(excess_kurtosis(np.full(3, 7.0)))


def test_four_values_are_enough_for_treatment():
    # 0, 0, 0, 1 meets the rule (G1 = 2, G2 = 4, above): the 1 becomes 0
    x = np.array([0.0, 0.0, 0.0, 1.0, np.nan])
    out, record = treat_indicator("a", x, Treatment(skew=1.9))
    assert record.action == "winsorised" and record.points_winsorised == 1 and record.winsorised_high == "3"
    np.testing.assert_array_equal(out[:4], [0.0, 0.0, 0.0, 0.0])
    assert np.isnan(out[4])


def test_rule_at_its_thresholds_through_treat_indicator():
    x = np.array([0.0, 0.0, 0.0, 1.0])  # G1 = 2 and G2 = 4 exactly (by hand, above)
    assert treat_indicator("a", x, Treatment(skew=2.0 - 1e-12, kurtosis=4.0 - 1e-12)).record.action == "winsorised"
    assert treat_indicator("a", x, Treatment(skew=2.0 + 1e-9, kurtosis=3.5)).record.action == "none"
    assert treat_indicator("a", x, Treatment(skew=1.9, kurtosis=4.0 + 1e-9)).record.action == "none"


def test_indicator_with_a_small_spread_is_treated_like_its_scaled_copy():
    # shares and rates often have sd < 1: the rule and the winsorisation do not depend on the scale
    x = TWO_STEPS / 1000.0
    assert x.std(ddof=1) < 1
    assert skewness(x) == pytest.approx(pd.Series(x).skew()) and excess_kurtosis(x) == pytest.approx(pd.Series(x).kurt())
    out, record = treat_indicator("a", x, DEFAULT)
    assert record.action == "winsorised" and record.points_winsorised == 2
    np.testing.assert_allclose(out, [*(np.arange(1, 21) / 1000.0), 0.06, 0.06, 0.06])


def test_winsorising_keeps_a_missing_value_missing():
    x = np.array([1.0, 2.0, np.nan, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 100.0])
    out, record = treat_indicator("a", x, DEFAULT, list("abcdefghijk"))
    assert np.isnan(out[2])
    np.testing.assert_array_equal(np.delete(out, 2), [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 5.0])
    assert record.winsorised_high == "k" and record.points_winsorised == 1
    # and on the low side (negative skew): the minimum moves up, the missing value stays
    out, record = treat_indicator("a", -x, DEFAULT, list("abcdefghijk"))
    assert np.isnan(out[2]) and out[10] == -5.0 and record.winsorised_low == "k" and record.winsorised_high == ""


def test_winsorising_stops_at_max_winsorised_points():
    # TWO_STEPS needs 2 points (100 -> 80, then both 80s -> 60); with at most 2 it is winsorised,
    # with at most 1 the first step is all it may do and the rule still holds: log instead
    assert treat_indicator("a", TWO_STEPS, Treatment(max_winsorised=2)).record.action == "winsorised"
    out, record = treat_indicator("a", TWO_STEPS, Treatment(max_winsorised=1, log_if_still_skewed=False))
    expected = TWO_STEPS.copy()
    expected[-1] = 80.0
    np.testing.assert_array_equal(out, expected)
    assert record.action == "winsorised" and record.points_winsorised == 1 and not record.passes_after


def test_forced_winsorisation_stops_when_every_value_is_at_the_extreme():
    # 0 x 9 and 1 fails the rule (skew 3.16, kurtosis 10); forced with up to 5 points: 1 -> 0, then
    # every value is 0 and nothing is left to move to
    x = np.array([0.0] * 9 + [1.0])
    assert needs_treatment(x, 2.0, 3.5)
    out, record = treat_indicator("a", x, Treatment(force_winsorise=True, max_winsorised=5, log_if_still_skewed=False))
    np.testing.assert_array_equal(out, np.zeros(10))
    assert record.points_winsorised == 1 and record.winsorised_high == "9"


def test_negative_skew_falls_back_to_the_mirrored_log():
    # -TWO_STEPS is skewed to the left; at most 1 point is not enough, so log_ct_plus mirrors the log:
    # -ln(max + 0.01 (max - min) - x) with max -1, min -100
    x = -TWO_STEPS
    out, record = treat_indicator("a", x, Treatment(max_winsorised=1, log_transform="log_ct_plus"))
    assert record.action == "log"
    np.testing.assert_allclose(out, -np.log(-1.0 + 0.99 - x))
    assert out[0] == pytest.approx(-np.log(0.99)) and record.skew_after == pytest.approx(pd.Series(out).skew())
    # the default log_ct on a negative skew: ln(x - min + 0.01 (max - min)), the order kept
    out, _ = treat_indicator("a", x, Treatment(max_winsorised=1))
    np.testing.assert_allclose(out, np.log(x + 100.0 + 0.99))


def test_log_transform_keeps_missing_values_and_refuses_unknown_methods():
    x = np.array([2.0, np.nan, 5.0, 12.0])
    np.testing.assert_allclose(log_transform(x, "log_ct"), [np.log(0.1), np.nan, np.log(3.1), np.log(10.1)])
    with pytest.raises(ValueError, match="unknown log transform"):
        log_transform(x, "log10")


def test_treatment_log_records_moments_before_and_after():
    raw = pd.DataFrame({"a": TWO_STEPS, "b": np.arange(23.0)}, index=[f"Z{i:02d}" for i in range(23)])
    treated, log = treat_matrix(raw, DEFAULT)
    log = log.set_index("indicator")
    assert list(log.columns) == ["skew_before", "kurtosis_before", "passes_before", "action", "points_winsorised",
                                 "winsorised_high", "winsorised_low", "skew_after", "kurtosis_after", "passes_after"]
    after = pd.Series([*range(1, 21), 60.0, 60.0, 60.0])
    assert log.at["a", "skew_before"] == pytest.approx(pd.Series(TWO_STEPS).skew())
    assert log.at["a", "kurtosis_before"] == pytest.approx(pd.Series(TWO_STEPS).kurt())
    assert log.at["a", "skew_after"] == pytest.approx(after.skew())
    assert log.at["a", "kurtosis_after"] == pytest.approx(after.kurt())
    assert log.at["a", "winsorised_high"] == "Z21, Z22"
    assert not log.at["a", "passes_before"] and log.at["a", "passes_after"]
    assert log.at["b", "action"] == "none" and log.at["b", "skew_after"] == log.at["b", "skew_before"] == pytest.approx(0)
    assert list(treated.index) == list(raw.index)


def test_log_ct_plus_mirrors_only_a_negative_or_zero_skew():
    # skew 0.38 (> 0, below 1): the plain log_ct
    x = np.array([1.0, 2.0, 3.0, 5.0])
    assert 0 < pd.Series(x).skew() < 1
    np.testing.assert_allclose(log_transform(x, "log_ct_plus"), np.log(x - 1.0 + 0.04))
    # skew exactly 0: mirrored, -ln(max + 0.01 (max - min) - x)
    symmetric = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(log_transform(symmetric, "log_ct_plus"), -np.log(3.0 + 0.02 - symmetric))


def test_empty_table_gives_an_empty_log_with_its_columns():
    treated, log = treat_matrix(pd.DataFrame(index=["a", "b"]), DEFAULT)
    assert treated.empty and log.empty
    assert list(log.columns)[:4] == ["indicator", "skew_before", "kurtosis_before", "passes_before"]
