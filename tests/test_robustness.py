"""Known-answer tests for the robustness checks: uncertainty, Sobol, shrinkage, coherence, consensus, spatial."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from aandacht.config import Framework, Method, Uncertainty, parse_config
from aandacht.errors import ConfigError, DataError
from aandacht.inputs.shrinkage import marshall
from aandacht.resources import default_config_path
from aandacht.scoring.coherence import cronbach_alpha
from aandacht.scoring.composite import score
from aandacht.scoring.consensus import kendall_w
from aandacht.scoring.sobol import bootstrap_counts, jansen
from aandacht.scoring.spatial import benjamini_hochberg
from aandacht.scoring.uncertainty import Model, analyse, evaluate


def _framework(weights=(1.0, 1.0, 1.0)) -> Framework:
    indicators = [
        {"id": f"x{k}", "label": f"x{k}", "parent": "d1" if k < 2 else "d2", "weight": w, "direction": 1,
         "input": "i", "variable": f"x{k}", "per": "inwoner"}
        for k, w in enumerate(weights)
    ]
    return Framework.model_validate({
        "index": {"id": "idx", "label": "index"},
        "nodes": [{"id": "d1", "label": "d1", "parent": "idx"}, {"id": "d2", "label": "d2", "parent": "idx"}],
        "indicators": indicators,
    })


def _raw(areas: int = 30, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(areas, 3)), columns=["x0", "x1", "x2"], index=[f"A{k:02d}" for k in range(areas)])


# --- uncertainty ------------------------------------------------------------------------------

@pytest.mark.parametrize("noise", [{}, {"indicators": 0.0, "nodes": 0.0}])
def test_zero_noise_every_draw_is_the_nominal_ranking(noise):
    raw, framework, method = _raw(), _framework(), Method()
    spec = Uncertainty(draws=40, weight_noise=noise, designation={"top_k": 5})
    model = Model(raw, framework, method, spec)
    ranks, chosen = evaluate(model, np.random.default_rng(0).random((40, model.dimensions)))
    nominal = score(raw, framework, method).rank.to_numpy()
    assert (ranks == nominal[None, :]).all()
    result = analyse(raw, framework, method, spec)
    table = result.areas
    assert (table["median_rank"] == table["nominal_rank"]).all()
    assert (table["rank_p05"] == table["nominal_rank"]).all() and (table["rank_p95"] == table["nominal_rank"]).all()
    assert (table["p_designated"] == table["nominal_designated"].astype(float)).all()
    assert table["nominal_designated"].sum() == 5


def test_draws_match_the_scalar_scorer_for_the_same_choices():
    """A draw's scores equal score() run with that draw's weights and methods (here: a left-out indicator)."""
    raw, framework, method = _raw(), _framework(), Method()
    spec = Uncertainty(draws=10, weight_noise={}, leave_one_out=True, normalisation=["minmax", "zscore"])
    model = Model(raw, framework, method, spec)
    u = np.array([[0.1, 0.9], [0.7, 0.4]])  # (normalisation, leave-one-out) columns
    got = model.scores(u)
    # row 0: minmax (0.1 * 2 -> 0), leave out x2 (0.9 * 4 -> 3 of [none, x0, x1, x2]);
    # row 1: zscore (0.7 * 2 -> 1), leave out x0 (0.4 * 4 -> 1)
    drop_x2 = framework.model_copy(update={"indicators": [i.model_copy(update={"weight": 0.0}) if i.id == "x2" else i for i in framework.indicators]})
    drop_x0 = framework.model_copy(update={"indicators": [i.model_copy(update={"weight": 0.0}) if i.id == "x0" else i for i in framework.indicators]})
    zscore = method.model_copy(update={"normalisation": method.normalisation.model_copy(update={"method": "zscore"})})
    np.testing.assert_allclose(got[0], score(raw, drop_x2, method).index.to_numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(got[1], score(raw, drop_x0, zscore).index.to_numpy(), rtol=1e-12)


def test_only_uncertain_input_has_total_index_one():
    raw, framework, method = _raw(), _framework(), Method()
    spec = Uncertainty(draws=2000, weight_noise={"indicators": 0.0}, leave_one_out=True, bootstrap=50)
    result = analyse(raw, framework, method, spec)
    summary = result.sobol_summary.set_index(["output", "factor"])
    # f(AB_i) = f(B) when i is the only input that varies: S1 = 1 exactly, ST = 1 up to sampling error
    assert summary.loc[("mean absolute rank shift", "leave one out"), "S1"] == pytest.approx(1.0)
    assert summary.loc[("mean absolute rank shift", "leave one out"), "ST"] == pytest.approx(1.0, abs=0.1)
    assert summary.loc[("mean absolute rank shift", "weights: indicators"), "ST"] == pytest.approx(0.0)
    assert set(result.sobol_areas["factor"]) == {"weights: indicators", "leave one out"}


def test_seed_makes_the_run_reproducible():
    raw, framework, method = _raw(), _framework(), Method()
    spec = Uncertainty(draws=64, seed=7, normalisation=["minmax", "rank"], bootstrap=20)
    first, second = analyse(raw, framework, method, spec), analyse(raw, framework, method, spec)
    pd.testing.assert_frame_equal(first.areas, second.areas)
    pd.testing.assert_frame_equal(first.sobol_summary, second.sobol_summary)


def test_geometric_with_zero_values_is_a_config_error():
    spec = Uncertainty(draws=4, aggregation=["arithmetic", "geometric"])
    with pytest.raises(ConfigError, match="above 0"):
        Model(_raw(), _framework(), Method(), spec)


# --- Sobol estimators -------------------------------------------------------------------------

def test_jansen_on_a_linear_model_with_known_indices():
    """Y = X1 + 2 X2 with X uniform: S_i = ST_i = a_i^2 / sum(a^2) = 0.2 and 0.8; X3 has no effect."""
    rng = np.random.default_rng(11)
    n = 20000
    a, b = rng.random((n, 3)), rng.random((n, 3))
    f = lambda x: x[:, 0] + 2 * x[:, 1]  # noqa: E731
    counts = bootstrap_counts(n, 30, rng)
    expected = [0.2, 0.8, 0.0]
    for i in range(3):
        ab = a.copy()
        ab[:, i] = b[:, i]
        s = jansen(f(a), f(b), f(ab), counts, 0.95)
        assert s.total[0] == pytest.approx(expected[i], abs=0.02)
        assert s.first[0] == pytest.approx(expected[i], abs=0.03)
        assert s.total_low[0] <= s.total[0] <= s.total_high[0]


def test_dominant_input_has_total_index_near_one():
    rng = np.random.default_rng(5)
    n = 4000
    a, b = rng.random((n, 2)), rng.random((n, 2))
    f = lambda x: 10 * x[:, 0] + 0.1 * x[:, 1]  # noqa: E731
    ab = a.copy()
    ab[:, 0] = b[:, 0]
    assert jansen(f(a), f(b), f(ab), np.empty((0, n)), 0.95).total[0] == pytest.approx(1.0, abs=0.02)


# --- shrinkage --------------------------------------------------------------------------------

def test_marshall_hand_computed():
    x, n = np.array([40.0, 12.0, 3.0]), np.array([1000.0, 400.0, 20.0])
    # m = 55 / 1420; r = (0.04, 0.03, 0.15)
    # s2 = (1000 (0.04 - m)^2 + 400 (0.03 - m)^2 + 20 (0.15 - m)^2) / 1420 = 1.9698472525e-4
    # A = s2 - m / (1420 / 3) = 1.1515572307e-4; C_i = A / (A + m / n_i)
    result = marshall(x, n)
    assert result.prior == pytest.approx(55 / 1420)
    assert result.prior_variance == pytest.approx(1.1515572307e-4, rel=1e-9)
    np.testing.assert_allclose(result.own_weight, [0.74830809, 0.54322143, 0.05612492], rtol=1e-7)
    np.testing.assert_allclose(result.rates, [0.03968095, 0.03398877, 0.04497728], rtol=1e-6)


def test_shrinkage_keeps_large_and_pulls_small_denominators():
    x = np.array([500.0, 2000.0, 9000.0, 1.0])
    n = np.array([10000.0, 20000.0, 100000.0, 3.0])
    result = marshall(x, n)
    raw = x / n
    assert abs(result.rates[2] - raw[2]) < 0.01 * raw[2]  # large denominator: almost unchanged
    assert abs(result.rates[3] - result.prior) < 0.1 * abs(raw[3] - result.prior)  # tiny one: near the prior


def test_shrinkage_toward_a_national_rate_and_no_between_area_variance():
    result = marshall(np.array([10.0, 20.0]), np.array([100.0, 200.0]), prior=0.1)
    np.testing.assert_allclose(result.rates, [0.1, 0.1])  # all rates equal the prior: A = 0, C = 0


def test_shrinkage_applied_in_the_default_config():
    from aandacht.config import load_config
    from aandacht.scoring.run import run_score

    run = run_score(load_config(default_config_path()))
    assert any(note.startswith("bijstand: empirisch-Bayes-krimp") for note in run.notes)
    raw = run.matrix.numerators["bijstand"] / run.matrix.denominators["bijstand"] * 1000
    assert (run.matrix.values["bijstand"] - raw).abs().max() < 10
    # method.shrinkage: gemeente reaches every rate given as numerator / denominator (herkomst too)
    herkomst = run.matrix.numerators["herkomst_buiten_europa"] / run.matrix.denominators["herkomst_buiten_europa"]
    expected = marshall(herkomst.mul(run.matrix.denominators["herkomst_buiten_europa"]).to_numpy(),
                        run.matrix.denominators["herkomst_buiten_europa"].to_numpy()).rates * 100
    np.testing.assert_allclose(run.matrix.values["herkomst_buiten_europa"], expected)
    assert any(note.startswith("herkomst_buiten_europa: empirisch-Bayes-krimp") for note in run.notes)


def test_a_published_percentage_is_shrunk_through_its_numerator_and_denominator():
    # jeugdzorg is KWB's p_jz_tn (%); the input holds the young people with jeugdzorg and all young people
    from aandacht.config import load_config
    from aandacht.inputs.matrix import shrink
    from aandacht.scoring.run import run_score

    config = load_config(default_config_path())
    run = run_score(config)
    spec = next(i for i in config.framework.indicators if i.id == "jeugdzorg")
    value, num, den = (t["jeugdzorg"] for t in (run.matrix.values, run.matrix.numerators, run.matrix.denominators))
    shrunk, note = shrink(spec, "gemeente", value, num, den)
    keep = value.notna()
    expected = marshall(num[keep].to_numpy(), den[keep].to_numpy()).rates * 100  # the scale of a percentage
    np.testing.assert_allclose(shrunk[keep], expected, rtol=1e-3)
    assert note.startswith("jeugdzorg: empirisch-Bayes-krimp naar het cijfer van de gemeente")
    # a value that is not numerator / denominator x one scale is refused
    with pytest.raises(DataError, match="is not numerator / denominator x one scale"):
        shrink(spec, "gemeente", value.mask(value.index == "WK008010", 50.0), num, den)
    with pytest.raises(DataError, match="gives none"):
        shrink(spec, "gemeente", value, num * np.nan, den)


def test_method_shrinkage_is_the_default_of_every_rate_and_an_indicator_overrides_it():
    from aandacht.config import load_config

    config = load_config(default_config_path())
    spec = {i.id: i for i in config.framework.indicators}
    assert config.method.shrinkage == "gemeente"
    assert config.shrinkage_of(spec["herkomst_buiten_europa"]) == "gemeente"  # a rate without its own setting
    assert config.shrinkage_of(spec["laag_inkomen"]) == "none"  # a published percentage: no numerator to shrink
    off = config.model_copy(update={"method": config.method.model_copy(update={"shrinkage": "none"})})
    assert off.shrinkage_of(spec["herkomst_buiten_europa"]) == "none"
    assert off.shrinkage_of(spec["bijstand"]) == "gemeente"  # its own shrinkage: gemeente
    own_none = spec["herkomst_buiten_europa"].model_copy(update={"shrinkage": "none"})
    assert config.shrinkage_of(own_none) == "none"


# --- coherence, consensus, spatial ------------------------------------------------------------

def test_cronbach_alpha_hand_computed():
    # var(item1) = 1, var(item2) = 7/3, var(sum) = 19/3: alpha = 2 (1 - (10/3) / (19/3)) = 18/19
    assert cronbach_alpha(np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]])) == pytest.approx(18 / 19)


def test_kendall_w_hand_cases():
    # ranks (1,2,3,4) and (2,1,4,3): R = (3,3,7,7), S = 16, W = 12 * 16 / (2^2 (4^3 - 4)) = 0.8
    assert kendall_w(np.array([[1, 2], [2, 1], [3, 4], [4, 3]], dtype=float)) == pytest.approx(0.8)
    assert kendall_w(np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3]], dtype=float)) == pytest.approx(1.0)


def test_coherence_and_consensus_on_the_default_config():
    from aandacht.config import load_config
    from aandacht.present.tables import check_sheets
    from aandacht.scoring.run import run_score

    run = run_score(load_config(default_config_path()))
    sheets = check_sheets(run)
    alpha = sheets["cronbach alpha"].set_index("domain")["cronbach_alpha"]
    armoede = run.result.normalised.loc[run.result.index.notna(), ["laag_inkomen", "bijstand", "inkomen"]].dropna()
    assert alpha["armoede"] == pytest.approx(cronbach_alpha(armoede.to_numpy()))
    assert np.isnan(alpha["jeugdhulp"])  # one indicator
    summary = sheets["consensus summary"].set_index("key")["value"]
    assert 0 <= summary["kendall_w"] <= 1
    core = sheets["consensus"]
    in_top = (core[["rang_CBS", "rang_OAB"]].astype(float).fillna(99) <= 6).all(axis=1)  # 2 families, min_sources 2
    assert set(core.loc[core["hard_core"], "area_code"]) == set(core.loc[in_top, "area_code"]) == {"WK008011", "WK008020", "WK008050", "WK008060", "WK008061"}
    pca = sheets["pca"].set_index("row").astype(float)
    n = len(run.result.normalised.columns)
    assert np.allclose(pca.loc["explained_share"], pca.loc["eigenvalue"] / n)  # eigenvalues of a correlation matrix sum to n
    assert np.allclose(pca.loc["cumulative_share"], pca.loc["explained_share"].cumsum())
    assert (pca.loc["eigenvalue"].iloc[2:] >= 1).all()


def test_benjamini_hochberg_hand_case():
    # m = 4, alpha 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05; sorted p 0.01, 0.02, 0.04, 0.2 -> k = 2
    np.testing.assert_array_equal(benjamini_hochberg(np.array([0.04, 0.01, 0.2, 0.02]), 0.05), [False, True, False, True])


def test_local_moran_finds_a_cluster():
    pytest.importorskip("esda", reason="optional extra 'spatial' (esda) is not installed")
    pytest.importorskip("libpysal", reason="optional extra 'spatial' (libpysal) is not installed")
    import geopandas as gpd
    from shapely.geometry import box

    from aandacht.config import Spatial
    from aandacht.scoring.spatial import local_moran

    codes = [f"C{r}{c}" for r in range(5) for c in range(5)]
    frame = gpd.GeoDataFrame({"area_code": codes}, geometry=[box(c, r, c + 1, r + 1) for r in range(5) for c in range(5)],
                             crs="EPSG:28992").set_index("area_code", drop=False)
    values = pd.Series([10.0 if (r < 2 and c < 2) else float((r * 7 + c * 3) % 5) for r in range(5) for c in range(5)], index=codes)
    table = local_moran(values, frame, Spatial(permutations=999)).set_index("area_code")
    assert table.loc["C00", "quadrant"] == "HH" and table.loc["C00", "local_moran_i"] > 0
    assert table.loc["C00", "neighbours"] == 3 and table.loc["C22", "neighbours"] == 8


# --- config errors ----------------------------------------------------------------------------

def _default_raw() -> dict:
    return yaml.safe_load(default_config_path().read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, message", [
    (lambda c: c["uncertainty"].update(weight_noise={"nonsense": 0.1}), "is not 'indicators', 'nodes' or a node id"),
    (lambda c: c["uncertainty"].update(weight_noise={"indicators": 0.1, "armoede": 0.2}), "covered by both"),
    (lambda c: c["uncertainty"].update(weight_noise={"indicators": 1.5}), "less than or equal to 1"),
    (lambda c: c["uncertainty"].update(designation={"top_k": 3, "threshold": 50}), "exactly one of"),
    (lambda c: c["uncertainty"].update(normalisation=["minmax", "minmax"]), "once each"),
    (lambda c: c["framework"]["indicators"][3].update(shrinkage="national"), "national_rate"),
    (lambda c: c["consensus"].update(top_k=0), "greater than or equal to 1"),
])
def test_bad_robustness_config_gives_one_line_error(change, message, tmp_path):
    raw = _default_raw()
    change(raw)
    with pytest.raises(ConfigError, match=message) as error:
        parse_config(raw, default_config_path())
    assert "\n" not in str(error.value)


def test_config_without_robustness_sections_stays_valid():
    raw = _default_raw()
    for key in ("uncertainty", "consensus"):
        raw.pop(key)
    config = parse_config(raw, default_config_path())
    # without its own rule, the uncertainty analysis counts designation with the config's designation rule
    assert config.uncertainty.draws == 1000 and config.uncertainty.designation.top_k == config.designation.top_k


def test_explicit_uncertainty_rule_is_kept():
    raw = _default_raw()
    raw["uncertainty"]["designation"] = {"threshold": 60}
    config = parse_config(raw, default_config_path())
    assert config.uncertainty.designation.threshold == 60 and config.uncertainty.designation.top_k is None


def test_threshold_designation():
    raw, framework, method = _raw(), _framework(), Method()
    result = analyse(raw, framework, method, Uncertainty(draws=8, weight_noise={}, designation={"threshold": 60.0}))
    nominal = score(raw, framework, method).index
    assert (result.areas["nominal_designated"] == (nominal >= 60)).all()
    assert (result.areas["p_designated"] == (nominal >= 60).astype(float)).all()


def test_spatial_without_the_extra_gives_the_install_hint(monkeypatch):
    import sys

    from aandacht.config import Spatial
    from aandacht.errors import AandachtError
    from aandacht.scoring.spatial import local_moran

    monkeypatch.setitem(sys.modules, "esda", None)  # import esda now raises ImportError
    with pytest.raises(AandachtError, match=r"pip install 'aandacht\[spatial\]'"):
        local_moran(pd.Series([1.0, 2.0]), None, Spatial())
