"""The composite score step by step on a small hand-computed case: imputation, the checks before
scoring, effective weights (nominal, contribution, correlation), the top domain, PCA weights."""

import warnings

import numpy as np
import pandas as pd
import pytest

from aandacht.errors import AandachtError
from aandacht.scoring.composite import impute, prepare, score, top_domain
from conftest import make_framework, method

# index <- d1 (weight 1) <- a, b; index <- d2 (weight 2) <- c (direction -1)
FRAMEWORK = make_framework({"idx": ["d1", "d2"]}, {"a": ("d1", 1.0, 1), "b": ("d1", 1.0, 1), "c": ("d2", 1.0, -1)},
                           {"d1": 1.0, "d2": 2.0})
RAW = pd.DataFrame({"a": [0.0, 10.0, 20.0, 40.0], "b": [3.0, 1.0, 5.0, np.nan], "c": [10.0, 30.0, 50.0, 10.0]},
                   index=["P", "Q", "R", "S"])
# min-max 0-100: a -> 0, 25, 50, 100; b -> 50, 0, 100, -; c (y = -c) -> 100, 50, 0, 100
# d1 = mean(a, b) -> 25, 12.5, 75, 100 (S: a alone, 1 of 2 children = min_share 0.5)
# d2 = c; index = (d1 + 2 d2) / 3 -> 75, 37.5, 25, 100
NORMALISED = {"a": [0.0, 25.0, 50.0, 100.0], "b": [50.0, 0.0, 100.0, np.nan], "c": [100.0, 50.0, 0.0, 100.0]}
INDEX = np.array([75.0, 37.5, 25.0, 100.0])


def pearson(x, y) -> float:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    return float((dx * dy).sum() / np.sqrt((dx * dx).sum() * (dy * dy).sum()))


@pytest.fixture(scope="module")
def result():
    return score(RAW, FRAMEWORK, method())


def test_scores_by_hand(result):
    for leaf, expected in NORMALISED.items():
        np.testing.assert_allclose(result.normalised[leaf], expected)
    np.testing.assert_allclose(result.nodes["d1"], [25.0, 12.5, 75.0, 100.0])
    np.testing.assert_allclose(result.index, INDEX)
    assert result.rank.tolist() == [2, 3, 4, 1]


def test_effective_weights_by_hand(result):
    weights = result.effective_weights.set_index("indicator")
    np.testing.assert_allclose(weights["nominal"], [1 / 6, 1 / 6, 2 / 3])
    # contribution: mean over areas of w_eff * x / index; S lacks b, so a carries all of d1 there (w_eff 1/3)
    a = np.mean([0.0, 25 / 6 / 37.5, 50 / 6 / 25, 100 / 3 / 100])
    b = np.mean([50 / 6 / 75, 0.0, 100 / 6 / 25, 0.0])
    c = np.mean([200 / 3 / 75, 100 / 3 / 37.5, 0.0, 200 / 3 / 100])
    np.testing.assert_allclose(weights["contribution"], [a, b, c])
    assert weights["contribution"].sum() == pytest.approx(1.0)  # every area's shares add up to 1
    # correlation with the index over the areas with a value (b: three areas, the fewest that count)
    np.testing.assert_allclose(weights["correlation"], [pearson(NORMALISED["a"], INDEX),
                                                        pearson([50.0, 0.0, 100.0], INDEX[:3]),
                                                        pearson(NORMALISED["c"], INDEX)])
    assert weights.loc["b", "label"] == "b"


def test_correlation_needs_three_areas():
    two = score(RAW.assign(b=[3.0, 1.0, np.nan, np.nan]), FRAMEWORK, method(missing={"min_share": 0.0}))
    weights = two.effective_weights.set_index("indicator")
    assert np.isnan(weights.loc["b", "correlation"]) and not np.isnan(weights.loc["a", "correlation"])


def test_contribution_only_for_arithmetic_means_of_non_negative_values():
    def contributions(**overrides):
        return score(RAW, FRAMEWORK, method(**overrides)).effective_weights["contribution"]

    assert contributions(normalisation={"method": "zscore"}).isna().all()  # negative normalised values
    assert contributions(normalisation={"range": [1, 100]}, aggregation={"method": "geometric"}).isna().all()
    assert contributions(aggregation={"method": "arithmetic", "by_node": {"d1": "harmonic"}},
                         normalisation={"range": [1, 100]}).isna().all()
    assert contributions(aggregation={"by_node": {"d1": "arithmetic"}}).notna().all()


def test_contribution_with_an_unscored_area():
    # min_share 1: S (b missing) gets no d1 and no index; the contribution is the mean over P, Q, R
    # with d1 = 25, 12.5, 75 and index = 75, 37.5, 25 as before
    result = score(RAW, FRAMEWORK, method(missing={"min_share": 1.0}))
    assert np.isnan(result.index["S"]) and pd.isna(result.rank["S"])
    weights = result.effective_weights.set_index("indicator")
    np.testing.assert_allclose(weights.loc["a", "contribution"], np.mean([0.0, 25 / 6 / 37.5, 50 / 6 / 25]))


def test_no_contribution_without_scored_areas_and_none_from_an_area_scoring_0():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # min_share 1 and S lacking b: only P, Q, R are scored; Z (lowest everywhere) scores 0 and adds no share
        lowest = pd.DataFrame({"a": [-10.0], "b": [0.0], "c": [60.0]}, index=["Z"])
        result = score(pd.concat([RAW, lowest]), FRAMEWORK, method(missing={"min_share": 1.0}))
        assert result.index["Z"] == 0.0
        assert result.effective_weights["contribution"].notna().all()
        # no area scored at all: nothing to average
        nothing = score(RAW.assign(b=[np.nan, np.nan, 2.0, 1.0], a=[1.0, 2.0, np.nan, np.nan]), FRAMEWORK,
                        method(missing={"min_share": 1.0}))
    assert nothing.index.isna().all()
    assert nothing.effective_weights["contribution"].isna().all()
    assert nothing.effective_weights["correlation"].isna().all()


def test_top_domain_is_the_largest_weighted_domain_score(result):
    # w * s: P d1 25 vs d2 200; Q 12.5 vs 100; R 75 vs 0; S 100 vs 200 (unweighted S would be a tie)
    assert result.top_domain.tolist() == ["d2", "d2", "d1", "d2"]


def test_top_domain_skips_missing_domains_and_is_empty_without_any():
    tree = score(RAW, FRAMEWORK, method()).tree
    scores = pd.DataFrame({"d1": [np.nan, 10.0, np.nan], "d2": [5.0, np.nan, np.nan]}, index=["X", "Y", "Z"])
    assert top_domain(scores, tree).tolist() == ["d2", "d1", ""]


def test_missing_values_are_not_flagged_as_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = score(RAW.assign(a=[0.0, 10.0, 20.0, np.nan]), FRAMEWORK, method())
    # S has neither a nor b: no d1, so its index is d2 alone (1 of 2 domains = min_share 0.5)
    assert np.isnan(result.nodes.at["S", "d1"]) and result.index["S"] == 100.0
    # a is now 0, 50, 100, -: index P (25 + 200) / 3, Q (25 + 100) / 3, R (100 + 0) / 3, S 100 (c carries it all)
    weights = result.effective_weights.set_index("indicator")
    assert weights.loc["c", "contribution"] == pytest.approx(np.mean([200 / 3 / 75, 100 / 3 / (125 / 3), 0.0, 1.0]))


def test_pca_weights_replace_the_framework_weights_and_say_so():
    # two indicators under d1: the first eigenvector of [[1, r], [r, 1]] is (1, 1) / sqrt(2), weights 1/2 each;
    # d2 has one child (weight 1); d1 and d2 keep their weights 1 and 2
    framework = make_framework({"idx": ["d1", "d2"]}, {"a": ("d1", 1.0, 1), "b": ("d1", 3.0, 1), "c": ("d2", 1.0, -1)},
                               {"d1": 1.0, "d2": 2.0})
    result = score(RAW, framework, method(weights="pca"))
    assert any(note.startswith("PCA-gewichten toegepast: a 0,500, b 0,500") for note in result.notes)
    np.testing.assert_allclose(result.index, INDEX)  # the same as the framework with equal weights
    assert score(RAW, framework, method()).notes == ()


# --- imputation and the checks before scoring ---

def test_group_mean_and_median_fill_from_the_same_group_only():
    raw = pd.DataFrame({"x": [1.0, 2.0, 9.0, np.nan, 100.0, np.nan, np.nan, 7.0]}, index=list("ABCDEFGH"))
    groups = pd.Series({"A": "g", "B": "g", "C": "g", "D": "g", "E": "h", "F": "h"})  # G and H have no group
    np.testing.assert_allclose(impute(raw, "group_mean", 3, groups)["x"], [1, 2, 9, 4, 100, 100, np.nan, 7])
    np.testing.assert_allclose(impute(raw, "group_median", 3, groups)["x"], [1, 2, 9, 2, 100, 100, np.nan, 7])
    with pytest.raises(AandachtError, match="imputation 'group_mean' needs the groups of the areas"):
        impute(raw, "group_mean", 3, None)
    complete = raw.fillna(5.0)
    assert impute(complete, "group_mean", 3, None) is complete  # nothing missing: nothing to fill, no groups needed


def test_column_mean_and_median():
    raw = pd.DataFrame({"x": [1.0, 2.0, 9.0, np.nan]}, index=list("ABCD"))
    assert impute(raw, "mean", 3)["x"].tolist() == [1.0, 2.0, 9.0, 4.0]
    assert impute(raw, "median", 3)["x"].tolist() == [1.0, 2.0, 9.0, 2.0]
    assert impute(raw, "none", 3) is raw


def test_knn_keeps_the_areas_and_an_empty_indicator():
    # D is nearest to A and B on y (0 and 1 against 10): with 2 neighbours its x is the mean of A and B
    raw = pd.DataFrame({"x": [1.0, 3.0, 50.0, np.nan], "y": [0.0, 1.0, 10.0, 0.5], "z": np.nan},
                       index=list("ABCD"))
    filled = impute(raw, "knn", 2)
    assert list(filled.index) == list("ABCD") and list(filled.columns) == ["x", "y", "z"]
    assert filled.at["D", "x"] == pytest.approx(2.0) and filled["z"].isna().all()


def test_prepare_refuses_what_cannot_be_scored():
    with pytest.raises(AandachtError, match=r"indicator\(s\) \['c'\] are in the framework but not in the data"):
        prepare(RAW[["a", "b"]], FRAMEWORK, method())
    with pytest.raises(AandachtError, match="there are no areas to score"):
        prepare(RAW.iloc[:0], FRAMEWORK, method())
    with pytest.raises(AandachtError, match=r"indicator\(s\) \['b'\] have no value for any area"):
        prepare(RAW.assign(b=np.nan), FRAMEWORK, method())


def test_constant_indicator_cannot_be_min_max_normalised_but_can_be_ranked():
    constant = RAW.assign(a=5.0)
    with pytest.raises(AandachtError, match=r"indicator\(s\) \['a'\] have the same value in every area; min-max"):
        score(constant, FRAMEWORK, method())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the analyst's terminal
        ranked = score(constant, FRAMEWORK, method(normalisation={"method": "rank"}))
    assert ranked.normalised["a"].tolist() == [2.5, 2.5, 2.5, 2.5]
    correlation = ranked.effective_weights.set_index("indicator")["correlation"]
    assert np.isnan(correlation["a"]) and correlation.drop("a").notna().all()


def test_a_missing_domain_is_filled_with_the_mean_of_the_areas_and_marked():
    # index = (D1 + D2) / 2, D1 = a, D2 = c; area w3 has no c. Min-max: a = 0, 50, 100, 25 (0, 2, 4, 1);
    # c = 0, 100, -, 50 (0, 2, -, 1). reweight: w3 = D1 = 100 (rank 1); mean: D2 of w3 = mean(0, 100, 50) = 50,
    # w3 = (100 + 50) / 2 = 75, w2 = (50 + 100) / 2 = 75 too (ties share rank 1), w4 = 37.5, w1 = 0.
    from aandacht.scoring.aggregate import fill_missing_children

    raw = pd.DataFrame({"a": [0.0, 2.0, 4.0, 1.0], "c": [0.0, 2.0, np.nan, 1.0]}, index=["w1", "w2", "w3", "w4"])
    framework = make_framework({"idx": ["D1", "D2"]}, {"a": ("D1", 1, 1), "c": ("D2", 1, 1)})
    shared = score(raw, framework, method())
    assert shared.index["w3"] == pytest.approx(100.0) and shared.imputed_domains.empty and shared.rank_reweighted.empty
    filled = score(raw, framework, method(missing={"domain": "mean"}))
    np.testing.assert_allclose(filled.index, [0.0, 75.0, 75.0, 37.5])
    assert list(filled.rank) == [4, 1, 1, 3] and np.isnan(filled.nodes.at["w3", "D2"])  # the domain stays unmeasured
    assert filled.imputed_domains.to_dict("index") == {"w1": {"D1": False, "D2": False}, "w2": {"D1": False, "D2": False},
                                                       "w3": {"D1": False, "D2": True}, "w4": {"D1": False, "D2": False}}
    assert list(filled.rank_reweighted) == [4, 2, 1, 3]  # the ranks with D2's weight given to D1 instead
    # below min_share nothing is filled: one of two children present is 0.5; with min_share 0.6 w3 has no score
    strict = score(raw, framework, method(missing={"domain": "mean", "min_share": 0.6}))
    assert np.isnan(strict.index["w3"])
    # the helper on draws x areas x children, only the columns named
    values = np.array([[[1.0, np.nan], [3.0, 4.0], [5.0, 8.0]]])
    out, mask = fill_missing_children(values, np.array([1.0, 1.0]), 0.5, np.array([False, True]))
    np.testing.assert_allclose(out, [[[1.0, 6.0], [3.0, 4.0], [5.0, 8.0]]]) and mask.sum() == 1
    out, mask = fill_missing_children(values, np.array([1.0, 1.0]), 0.5, np.array([True, False]))
    assert not mask.any() and np.isnan(out[0, 0, 1])


def test_no_division_warning_when_an_area_scores_0_from_values_of_both_signs():
    """An index of 0 does not mean every value is 0 when normalised values can be negative
    (distance_to_target with a target beyond the values): a leaf that is non-negative everywhere then
    met x / 0 in the area scoring 0 (an infinite "share" and a division warning, which the entry of
    tools/mutation_equivalents.yaml for divide='ignore' assumed impossible). Contributions are now
    defined only when every normalised value is non-negative, which makes that entry hold."""
    from aandacht.scoring.composite import aggregate_tree, effective_weights, weighted_tree

    normalised = pd.DataFrame({"a": [-20.0, 10.0, 20.0, 40.0], "b": [30.0, 10.0, 20.0, 40.0], "c": [10.0, 10.0, 10.0, 10.0]},
                              index=["P", "Q", "R", "S"])
    chosen = method()
    tree, _ = weighted_tree(FRAMEWORK, chosen, normalised)
    # index of P: d1 = mean(-20, 30) = 5, d2 = c = 10 -> (5 + 20) / 3; make P score exactly 0 instead
    normalised.loc["P", "c"] = -2.5
    nodes, per_area = aggregate_tree(normalised, tree, chosen)
    index = nodes["idx"]
    assert index["P"] == pytest.approx(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the mutant without divide='ignore' warns here
        weights = effective_weights(tree, normalised, index, per_area, chosen).set_index("indicator")
    assert weights["contribution"].isna().all()  # values of both signs: no share is defined (b's was infinite)
    assert np.isfinite(weights["correlation"]).all()
