"""From the tidy table to the indicator matrix: ratios, reliability marks, population gate, imputation."""

import re

import numpy as np
import pandas as pd
import pytest

from aandacht.config import parse_config
from aandacht.errors import DataError
from aandacht.inputs.areas import load_registry
from aandacht.inputs.matrix import build_matrix
from aandacht.inputs.tidy import validate_tidy
from aandacht.scoring.composite import impute


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("area_code,area_name,level,parent_code,vintage\nG1,Gem,gemeente,,2024\n"
                    "U1,een,wijk,G1,2024\nU2,twee,wijk,G1,2024\nU3,drie,wijk,G1,2024\n", encoding="utf-8")
    return load_registry(path)


def config_for(tmp_path, **method):
    raw = {
        "name": "t", "gemeente": {"code": "GM0001", "name": "Test"}, "level": "wijk", "period": "2024",
        "areas": {"registry": "areas.csv"},
        "inputs": {"src": {"loader": "kwb", "path": "x.csv", "period": "2024"}},
        "population": {"input": "src", "variable": "kids", "minimum": 20, "label": "kinderen"},
        "framework": {"index": {"id": "i", "label": "Index"}, "indicators": [
            {"id": "rate", "label": "Rate", "parent": "i", "direction": 1, "input": "src", "numerator": "cases",
             "denominator": "kids", "scale": 100, "per": "kind", "min_denominator": 50},
        ]},
        "method": method,
    }
    return parse_config(raw, tmp_path / "c.yaml")


def tidy(rows):
    frame = pd.DataFrame(rows, columns=["area_code", "indicator", "value", "flag"])
    frame["level"], frame["period"], frame["source"] = "wijk", "2024", "src"
    return validate_tidy(frame, "x.csv")


ROWS = [("U1", "cases", 10, ""), ("U1", "kids", 200, ""), ("U2", "cases", 3, ""), ("U2", "kids", 30, ""),
        ("U3", "cases", np.nan, "suppressed"), ("U3", "kids", 10, "")]


def test_ratio_reliability_and_gate(tmp_path, registry):
    config = config_for(tmp_path)
    config = config.model_copy(update={"gemeente": config.gemeente.model_copy(update={"code": "G1"})})
    matrix = build_matrix(tidy(ROWS), config, registry)
    np.testing.assert_allclose(matrix.values.loc[["U1", "U2"], "rate"], [5.0, 10.0])
    assert list(matrix.reliability["rate"]) == ["B", "I", ""]
    assert matrix.missing_reason.loc["U3", "rate"] == "suppressed"
    assert list(matrix.areas["scored"]) == [True, True, False]
    assert matrix.areas.loc["U3", "reason"] == "te weinig kinderen: minder dan 20"


def test_unreliable_values_can_be_excluded(tmp_path, registry):
    config = config_for(tmp_path, unreliable="exclude")
    config = config.model_copy(update={"gemeente": config.gemeente.model_copy(update={"code": "G1"})})
    matrix = build_matrix(tidy(ROWS), config, registry)
    assert np.isnan(matrix.values.loc["U2", "rate"])
    assert matrix.missing_reason.loc["U2", "rate"] == "indicatief (excluded)"


def test_variable_missing_from_input_is_named(tmp_path, registry):
    config = config_for(tmp_path)
    config = config.model_copy(update={"gemeente": config.gemeente.model_copy(update={"code": "G1"})})
    with pytest.raises(DataError, match=r"variable\(s\) \['cases'\] needed by indicator 'rate'"):
        build_matrix(tidy([r for r in ROWS if r[1] != "cases"]), config, registry)


def test_imputation_methods():
    raw = pd.DataFrame({"a": [1.0, 2.0, np.nan, 5.0], "b": [1.0, 2.0, 3.0, 3.5]})
    assert impute(raw, "mean", 2).loc[2, "a"] == pytest.approx(8 / 3)
    assert impute(raw, "median", 2).loc[2, "a"] == pytest.approx(2.0)
    # the two nearest neighbours on b (= 3) are the rows with b = 3.5 and b = 2 (distance 0.5 and 1)
    assert impute(raw, "knn", 2).loc[2, "a"] == pytest.approx((2.0 + 5.0) / 2)
    pd.testing.assert_frame_equal(impute(raw, "none", 2), raw)


def test_gate_never_rounds_a_population_up_to_the_minimum(tmp_path, registry):
    """19.9999 is not 20: the area is not scored, and the reason names the rule, not the count."""
    config = config_for(tmp_path)
    config = config.model_copy(update={"gemeente": config.gemeente.model_copy(update={"code": "G1"})})
    rows = [r if r[:2] != ("U3", "kids") else ("U3", "kids", 19.9999, "") for r in ROWS]
    matrix = build_matrix(tidy(rows), config, registry)
    assert not matrix.areas.loc["U3", "scored"]
    assert matrix.areas.loc["U3", "reason"] == "te weinig kinderen: minder dan 20"


def test_population_gate_scales_with_the_median_area():
    import numpy as np
    import pandas as pd

    from aandacht.config.inputs import PopulationGate
    from aandacht.inputs.matrix import gate_minimum

    population = pd.Series([100.0, 400.0, 1000.0, 2000.0, np.nan])
    gate = PopulationGate(input="x", variable="a_hh_m_k", minimum=50, label="huishoudens met kinderen")
    assert gate_minimum(gate, population) == 50  # fixed
    # median of the areas with a figure (400 + 1000) / 2 = 700; 0.2 x 700 = 140 > 50
    assert gate_minimum(gate.model_copy(update={"relative_to_median": 0.2}), population) == 140
    # never below the minimum: 0.05 x 700 = 35 -> 50
    assert gate_minimum(gate.model_copy(update={"relative_to_median": 0.05}), population) == 50


def test_leeuwarden_gate_is_a_fifth_of_the_median_wijk(default_config):
    from aandacht.scoring.run import run_score

    run = run_score(default_config)
    assert "populatiedrempel: max(50; 0,2 x de mediaan 730) = 146 huishoudens met kinderen" in run.notes
    middelsee = run.matrix.areas.loc["WK008074"]
    assert not middelsee["scored"] and middelsee["reason"] == "te weinig huishoudens met kinderen: minder dan 146"


@pytest.mark.parametrize("unit, values, bad", [
    ("%", [12.0, 0.785 * 100, 101.0], "U3: 101 is out of range for its unit '%' (a percentage lies between 0 and 100)"),
    ("% van jongeren", [-1.0, 5.0, 6.0], "U1: -1 is out of range for its unit '% van jongeren'"),
    ("schoolweging", [26.28, 2628.0, 31.0], "U2: 2628 is out of range for its unit 'schoolweging' (the Inspectie's schoolweging lies between 10 and 50)"),
    ("per 1.000 inwoners", [3.0, -2.0, 1.0], "U2: -2 is out of range for its unit 'per 1.000 inwoners' (a rate is not negative nor beyond 10^15)"),
    ("aantal", [-99995.0, 20.0, 1.0], "U1: -99995 is out of range for its unit 'aantal' (a count is not negative nor beyond 10^15)"),
    ("x 1.000 euro", [21.5, 1e308, 30.0], "U2: 1e+308 is out of range for its unit 'x 1.000 euro' (no figure of an area lies beyond +-10^15)"),
    ("index", [-1.7e308, 2.0, 3.0], "U1: -1.7e+308 is out of range for its unit 'index' (no figure of an area lies beyond +-10^15)"),
])
def test_a_value_outside_its_units_range_is_refused_or_left_out(tmp_path, registry, unit, values, bad):
    """Plausibility is part of an indicator: its unit gives the valid range (aandacht.inputs.plausible)."""
    raw = config_for(tmp_path).model_dump(mode="json", exclude={"source_file"})
    raw["gemeente"]["code"] = "G1"
    raw["framework"]["indicators"] = [{"id": "v", "label": "V", "parent": "i", "direction": 1, "input": "src",
                                       "variable": "v", "unit": unit}]
    rows = [(code, "v", value, "") for code, value in zip(["U1", "U2", "U3"], values)]
    rows += [(code, "kids", 100, "") for code in ["U1", "U2", "U3"]]
    code, message = bad.split(": ", 1)
    with pytest.raises(DataError, match=rf"x\.csv.*: area {code} \(\w+\), indicator v: {re.escape(message)}"):
        build_matrix(tidy(rows), parse_config(raw, tmp_path / "c.yaml"), registry)
    raw["inputs"]["src"]["out_of_range"] = "missing"
    matrix = build_matrix(tidy(rows), parse_config(raw, tmp_path / "c.yaml"), registry)
    assert np.isnan(matrix.values.loc[code, "v"]) and matrix.missing_reason.loc[code, "v"] == "out of range"
    assert matrix.values["v"].notna().sum() == 2
    assert any("buiten het geldige bereik van de eenheid" in note and "out_of_range: missing" in note for note in matrix.notes)


def test_a_count_under_the_threshold_is_scored_as_the_class_it_is_published_as(tmp_path, registry):
    """A count of people under report.suppress_below enters the scoring as the middle of its class '<N'
    (aandacht.inputs.plausible.published_class), with a note; a count under it in every area is refused."""
    raw = config_for(tmp_path).model_dump(mode="json", exclude={"source_file"})
    raw["gemeente"]["code"] = "G1"
    raw["framework"]["indicators"] = [{"id": "v", "label": "V", "parent": "i", "direction": 1, "input": "src",
                                       "variable": "v", "unit": "aantal"}]
    kids = [(code, "kids", 100, "") for code in ["U1", "U2", "U3"]]
    rows = [("U1", "v", 3, ""), ("U2", "v", 8, ""), ("U3", "v", 40, "")]
    matrix = build_matrix(tidy(rows + kids), parse_config(raw, tmp_path / "c.yaml"), registry)
    assert matrix.values["v"].tolist() == [4.5, 4.5, 40.0]
    assert "v: 2 gebied(en) met minder dan 10 (aantal) gerekend als 4,5, het midden van de klasse <10" in matrix.notes[-1]
    raw["report"] = {"suppress_below": 0}
    assert build_matrix(tidy(rows + kids), parse_config(raw, tmp_path / "c.yaml"), registry).values["v"].tolist() == [3, 8, 40]
    raw["report"] = {"suppress_below": 50}
    with pytest.raises(DataError, match=r"indicator v \(aantal\) is under report.suppress_below \(50\) in every area"):
        build_matrix(tidy(rows + kids), parse_config(raw, tmp_path / "c.yaml"), registry)


def test_the_documented_ranges_of_the_units():
    from aandacht.inputs.plausible import valid_range

    assert valid_range("x 1.000 euro")[:2] == (-1e15, 1e15) and valid_range("index")[:2] == (-1e15, 1e15)
    assert valid_range(" Procent ")[:2] == (0.0, 100.0) and valid_range("leerlingen")[:2] == (0.0, 1e15)
