"""From the tidy table to the indicator matrix: ratios, reliability marks, population gate, imputation."""

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
