"""COINr's tools as config options, each against a hand computation: group-mean imputation,
screening of units by data availability, a method per node, PCA weights used as weights,
weight sets and the number of winsorised points in the uncertainty analysis, and the
correlation flags (collinear and negative pairs, weak and strong indicators)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aandacht.config import CorrelationFlags, Method, Screening, Uncertainty
from aandacht.errors import AandachtError, DataError
from aandacht.scoring.coherence import coherence
from aandacht.scoring.composite import impute, score
from aandacht.scoring.screen import screening_table
from aandacht.scoring.uncertainty import Model, analyse, evaluate, treatment_alternative
from aandacht.scoring.weights import pca_weights, read_weight_sets
from coinr_asem import REFERENCE, build_project, needs_reference
from conftest import make_framework, method

TWO_DOMAINS = make_framework({"idx": ["d1", "d2"]}, {"a": ("d1", 1.0, 1), "b": ("d1", 1.0, 1), "c": ("d2", 1.0, 1)})


# --- group imputation (COINr i_mean_grp / i_median_grp) ----------------------------------------

def test_group_mean_and_median_fill_from_the_same_group():
    raw = pd.DataFrame({"a": [1.0, 2.0, 9.0, np.nan, 10.0, np.nan, np.nan], "b": [1.0, 2, 3, 4, 5, 6, 7]},
                       index=list("PQRSTUV"))
    groups = pd.Series(["g1", "g1", "g1", "g1", "g2", "g2", None], index=raw.index)
    mean = impute(raw, "group_mean", 3, groups)
    # S is in g1 (1, 2, 9): mean 4, median 2; U is in g2 (10); V has no group and stays missing
    assert mean.at["S", "a"] == 4.0 and mean.at["U", "a"] == 10.0 and np.isnan(mean.at["V", "a"])
    assert mean["b"].equals(raw["b"])
    assert impute(raw, "group_median", 3, groups).at["S", "a"] == 2.0
    with pytest.raises(AandachtError, match="needs the groups"):
        impute(raw, "group_mean", 3, None)


@needs_reference
def test_group_imputation_in_a_scoring_run_uses_a_group_table(tmp_path):
    from aandacht.config import load_config
    from aandacht.scoring.run import run_score

    groups = tmp_path / "groups.csv"
    data = pd.read_csv(REFERENCE / "asem_idata.csv")
    data.rename(columns={"uCode": "area_code", "EurAsia_group": "group"})[["area_code", "group"]].to_csv(groups, index=False)
    config = build_project(tmp_path, method={"treatment": {"enabled": False}, "missing": {
        "min_share": 0.0, "imputation": "group_mean", "groups": "groups.csv"}})
    run = run_score(load_config(config))
    raw = data.set_index("uCode")
    missing = raw["Pat"].isna()
    # every missing Pat becomes the mean of Pat over the countries of its continent (COINr i_mean_grp)
    expected = raw.groupby("EurAsia_group")["Pat"].transform("mean")
    np.testing.assert_allclose(run.result.raw.loc[missing[missing].index, "Pat"], expected[missing], rtol=1e-12)
    assert run.groups is not None and run.result.raw.notna().all().all()


# --- screening (COINr Screen) -------------------------------------------------------------------

def test_screening_by_availability_and_zeros_with_forced_units():
    values = pd.DataFrame({"a": [1.0, np.nan, 0.0, np.nan], "b": [2.0, np.nan, 0.0, 5.0], "c": [3.0, 4.0, 0.0, np.nan]},
                          index=list("PQRS"))
    table = screening_table(values, Screening(rule="missing"))
    # availability: P 3/3, Q 1/3, R 3/3, S 1/3; the default minimum is 2/3
    np.testing.assert_allclose(table["availability"], [1, 1 / 3, 1, 1 / 3])
    assert list(table["included"]) == [True, False, True, False]
    zeros = screening_table(values, Screening(rule="zeros", min_nonzero=0.5))
    # non-zero share: R has 0 of 3 values non-zero
    np.testing.assert_allclose(zeros["nonzero_share"], [1, 1, 0, 1])
    assert list(zeros["included"]) == [True, True, False, True]
    both = screening_table(values, Screening(rule="missing_or_zeros", include=["Q"], exclude=["P"]))
    assert list(both["included"]) == [False, True, False, False]
    assert "te weinig gegevens (1 van 3" in both.at["S", "reason"]


def test_screened_areas_are_listed_but_not_ranked(tmp_path):
    import yaml

    from aandacht.config import load_config
    from aandacht.present.tables import ranking
    from aandacht.resources import default_config_path
    from aandacht.scoring.run import run_score
    from conftest import absolute_input_paths

    raw = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    raw["method"]["screening"] = {"rule": "missing", "min_availability": 0.99, "exclude": ["WK008010"]}
    folder = tmp_path / "configs"
    folder.mkdir()
    path = folder / "x.yaml"
    embedded = default_config_path().parent
    for key in ("registry", "geometry"):
        raw["areas"][key] = str((embedded / raw["areas"][key]).resolve())
    absolute_input_paths(raw, embedded)
    raw["ikc"]["boards"] = str((embedded / raw["ikc"]["boards"]).resolve())
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    run = run_score(load_config(path, allow_outside=True))
    table = ranking(run).set_index("area_code")
    # Westeinde has no primary school: both school indicators missing (availability 6/8 < 0.99)
    assert pd.isna(table.at["WK008031", "rang"]) and "te weinig gegevens" in table.at["WK008031", "opmerking"]
    assert pd.isna(table.at["WK008010", "rang"]) and "uitgesloten" in table.at["WK008010", "opmerking"]
    assert set(run.screening.loc[~run.screening["included"], "area_code"]) >= {"WK008031", "WK008010"}


# --- a method per node ----------------------------------------------------------------------------

def test_aggregation_method_per_node():
    raw = pd.DataFrame({"a": [0.0, 10.0, 5.0], "b": [10.0, 0.0, 5.0], "c": [0.0, 10.0, 5.0]}, index=list("PQR"))
    result = score(raw, TWO_DOMAINS, method(normalisation={"method": "minmax", "range": [1, 100]},
                                            aggregation={"method": "arithmetic", "by_node": {"d1": "geometric"}}))
    # normalised a = (1, 100, 50.5), b = (100, 1, 50.5), c = a; d1 geometric: sqrt(a b); idx arithmetic of d1 and c
    d1 = np.sqrt(np.array([1.0, 100.0, 50.5]) * np.array([100.0, 1.0, 50.5]))
    np.testing.assert_allclose(result.nodes["d1"], d1)
    np.testing.assert_allclose(result.index, (d1 + np.array([1.0, 100.0, 50.5])) / 2)


# --- PCA weights used as weights ----------------------------------------------------------------

def test_pca_weights_are_the_squared_first_eigenvector_per_node():
    rng = np.random.default_rng(5)
    common = rng.normal(size=40)
    raw = pd.DataFrame({"a": common + rng.normal(scale=0.3, size=40), "b": common + rng.normal(scale=1.0, size=40),
                        "c": rng.normal(size=40)}, index=[f"A{k}" for k in range(40)])
    framework = make_framework({"idx": ["d1", "d2"]}, {"a": ("d1", 1.0, 1), "b": ("d1", 1.0, 1), "c": ("d2", 1.0, 1)})
    base = score(raw, framework, method())
    weights, notes = pca_weights(base.normalised, base.tree)
    # two indicators: the correlation matrix [[1, r], [r, 1]] has first eigenvector (1, 1) / sqrt(2) -> 1/2 each
    assert weights["a"] == pytest.approx(0.5) and weights["b"] == pytest.approx(0.5) and weights["c"] == 1.0
    three = make_framework({"idx": []}, {"a": ("idx", 1.0, 1), "b": ("idx", 1.0, 1), "c": ("idx", 1.0, 1)})
    result = score(raw, three, method(weights="pca"))
    corr = np.corrcoef(raw.to_numpy().T)
    values, vectors = np.linalg.eigh(corr)
    expected = vectors[:, np.argmax(values)] ** 2
    applied = dict(zip(result.tree.groups[-1].children, result.tree.groups[-1].weights))
    np.testing.assert_allclose([applied[k] for k in "abc"], expected, rtol=1e-10)
    assert expected.sum() == pytest.approx(1.0)
    manual = (result.normalised * expected).sum(axis=1) / expected.sum()
    np.testing.assert_allclose(result.index, manual, rtol=1e-12)
    assert any("PCA-gewichten toegepast" in note for note in result.notes)


# --- uncertainty: winsorised points and weight sets ----------------------------------------------

def test_treatment_alternatives_on_off_and_points():
    base = Method().treatment
    assert treatment_alternative(base, True) == base
    assert not treatment_alternative(base, False).enabled
    assert treatment_alternative(base, 2).max_winsorised == 2 and treatment_alternative(base, 2).enabled
    spec = Uncertainty(treatment=[1, 3, False])
    assert spec.treatment == [1, 3, False]


def test_uncertainty_over_the_number_of_winsorised_points():
    # one indicator that needs 2 points: with at most 1 it is logged, with 2 winsorised; the model's
    # variants are exactly the scalar scorer's with that max_winsorised
    values = np.array([*range(1, 21), 60.0, 80.0, 100.0])
    raw = pd.DataFrame({"a": values, "b": values[::-1].copy(), "c": np.linspace(0, 1, 23)},
                       index=[f"A{k:02d}" for k in range(23)])
    nominal = Method.model_validate({"treatment": {"enabled": True}})
    spec = Uncertainty(draws=30, weight_noise={}, treatment=[1, 2], designation={"top_k": 3})
    model = Model(raw, TWO_DOMAINS, nominal, spec)
    assert [f.name for f in model.factors] == ["treatment"]
    for k, points in enumerate((1, 2)):
        varied = nominal.model_copy(update={"treatment": nominal.treatment.model_copy(update={"max_winsorised": points})})
        np.testing.assert_allclose(model.variants[k], score(raw, TWO_DOMAINS, varied).normalised.to_numpy())
    result = analyse(raw, TWO_DOMAINS, nominal, spec)
    assert result.factors == ["treatment"]


def test_weight_sets_table_drawn_one_per_draw(tmp_path):
    table = tmp_path / "sets.csv"
    table.write_text("id,equal,only_a\na,1,1\nb,1,0\nd1,1,3\n", encoding="utf-8")
    framework = TWO_DOMAINS
    base = score(pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": [2.0, 3, 1]}, index=list("PQR")),
                 framework, method())
    sets = read_weight_sets(table, base.tree)
    assert sets["only_a"] == {"a": 1.0, "b": 0.0, "d1": 3.0}
    raw = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": [2.0, 3, 1]}, index=list("PQR"))
    spec = Uncertainty(draws=10, weight_noise={}, weight_sets=table, designation={"top_k": 1})
    model = Model(raw, framework, method(), spec)
    assert [f.name for f in model.factors] == ["weight sets"]
    u = np.array([[0.2], [0.7]])  # first set, second set
    ranks, _ = evaluate(model, u)
    # set "only_a": d1 = a's normalised value (0, 50, 100), weight 3 against c's (50, 100, 0) weight 1
    only_a = (3 * np.array([0, 50, 100]) + np.array([50, 100, 0])) / 4
    np.testing.assert_allclose(model.scores(u[1:])[0], only_a)
    assert list(ranks[1]) == [3, 2, 1]


def test_bad_weight_set_tables(tmp_path):
    tree = score(pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": [2.0, 3, 1]}), TWO_DOMAINS, method()).tree
    bad = tmp_path / "bad.csv"
    bad.write_text("id,s1\nzz,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="not indicators or nodes"):
        read_weight_sets(bad, tree)
    bad.write_text("id,s1\na,-1\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a number >= 0"):
        read_weight_sets(bad, tree)
    bad.write_text("id,s1\na,0\nb,0\n", encoding="utf-8")
    with pytest.raises(DataError, match="weight 0"):
        read_weight_sets(bad, tree)


# --- correlation flags (COINr get_corr_flags, plot_corr flag colours) ----------------------------

def test_correlation_flags_hand_case():
    # under d1: a and b identical (r = 1: collinear), c = -a (r = -1 with both: negative pairs);
    # under d2: e and e2 alternate 100, 0, ... and f rises 0, 20, ..., 100
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    alternating = np.array([1.0, 0, 1, 0, 1, 0])
    raw = pd.DataFrame({"a": x, "b": x, "c": -x, "e": alternating, "e2": alternating, "f": x}, index=list("PQRSTU"))
    framework = make_framework({"idx": ["d1", "d2"]}, {"a": ("d1", 1.0, 1), "b": ("d1", 1.0, 1), "c": ("d1", 1.0, 1),
                                                        "e": ("d2", 1.0, 1), "e2": ("d2", 1.0, 1), "f": ("d2", 1.0, 1)})
    checks = coherence(score(raw, framework, method()), CorrelationFlags())
    pairs = checks.pairs.set_index(["indicator_a", "indicator_b"])
    assert pairs.loc[("a", "b"), "collinear"] and pairs.loc[("a", "b"), "shared_parent"] == "d1"
    assert pairs.loc[("a", "c"), "negative"] and pairs.loc[("b", "c"), "negative"]
    assert not pairs.loc[("a", "f"), "collinear"] and pairs.loc[("a", "f"), "shared_parent"] == ""  # different parents
    assert pairs.loc[("a", "f"), "near_duplicate"]  # r = 1 across domains
    flags = checks.indicator_flags.set_index("indicator")
    # d1 = (a + a + (100 - a)) / 3 after min-max: r(a, d1) = 1 (strong), r(c, d1) = -1 (negative)
    assert flags.at["a", "flag"] == "strong" and flags.at["c", "flag"] == "negative"
    # d2 = (2 e + f) / 3 with e = 100 * alternating, f = 20 (x - 1): r(f, d2) = 0.051 (weak), r(e, d2) = 0.940 (strong)
    e, f = 100 * alternating, 20 * (x - 1)
    assert flags.at["f", "r_with_parent"] == pytest.approx(np.corrcoef(f, (2 * e + f) / 3)[0, 1]) == pytest.approx(0.0510, abs=1e-4)
    assert flags.at["f", "flag"] == "weak" and flags.at["e", "flag"] == "strong"


def test_check_command_reports_correlation_flags(tmp_path):
    from click.testing import CliRunner

    from aandacht.cli import main

    out = tmp_path / "check"
    result = CliRunner().invoke(main, ["check", "--out", str(out)])
    assert result.exit_code == 0, result.output
    flags = pd.read_csv(out / "correlation_flags.csv", sep=";", decimal=",", encoding="utf-8-sig")
    # in Leeuwarden bijstand and inkomen (both under armoede) correlate above 0.9 after directions
    pair = flags[(flags["indicator_a"] == "bijstand") & (flags["indicator_b"] == "inkomen")]
    assert len(pair) == 1 and pair["samenhangend"].iloc[0] == "ja"  # the check's tables in Dutch
    problems = pd.read_csv(out / "problems.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert (problems["bron"] == "coherence").any()
    assert set(problems.loc[problems["bron"] == "coherence", "ernst"]) <= {"waarschuwing", "ter informatie"}


# --- config errors of the new keys: one line naming the key ----------------------------------------

@pytest.mark.parametrize("change, message", [
    ({"method": {"normalisation": {"method": "distance_to_target"}}},
     "normalisation 'distance_to_target' needs target on every indicator"),
    ({"method": {"normalisation": {"method": "distance_to_reference"}}}, "needs method.normalisation.reference"),
    ({"uncertainty": {"normalisation": ["minmax", "distance_to_target"]}}, "lists 'distance_to_target', which needs target"),
    ({"uncertainty": {"treatment": [True, True]}}, "list the alternatives once each"),
    ({"coherence": {"weak": 0.95}}, "need negative < weak < high"),
    ({"method": {"screening": {"rule": "sometimes"}}}, "method.screening.rule"),
    ({"method": {"treatment": {"log_transform": "log10"}}}, "method.treatment.log_transform"),
    ({"method": {"weights": "equal"}}, "method.weights"),
])
def test_bad_method_keys_give_one_line_errors(tmp_path, change, message):
    import yaml

    from aandacht.config import parse_config
    from aandacht.errors import ConfigError
    from aandacht.resources import default_config_path

    raw = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    for section, values in change.items():
        target = raw.setdefault(section, {})
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        parse_config(raw, tmp_path / "x.yaml")
    assert "\n" not in str(error.value)
