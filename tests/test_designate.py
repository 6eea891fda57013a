"""Designation rules, named groups and adjoining-group suggestions on constructed inputs."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from aandacht.config import DesignationRules
from aandacht.decide.designate import adjoining_components, apply_rules, form_gebieden
from aandacht.errors import ConfigError
from aandacht.inputs.areas import AreaRegistry

CODES = ["W1", "W2", "W3", "W4", "W5"]
SCORES = pd.Series([90.0, 70.0, 50.0, 30.0, np.nan], index=CODES)
POPULATION = pd.Series([500, 40, 300, 300, 5], index=CODES)
PROBABILITY = pd.Series([0.95, 0.6, 0.3, 0.55, np.nan], index=CODES)
HARD_CORE = pd.Series([True, False, False, True, False], index=CODES)


def registry() -> AreaRegistry:
    rows = [("G", "Gemeente", "gemeente", ""), *[(c, f"Wijk {c}", "wijk", "G") for c in CODES],
            ("B11", "Buurt 11", "buurt", "W1"), ("B12", "Buurt 12", "buurt", "W1")]
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "level", "parent_code"]).assign(vintage="2024")
    return AreaRegistry(table.set_index("area_code", drop=False), "test")


def designated(**rules) -> list[str]:
    table = apply_rules(SCORES, POPULATION, DesignationRules(**rules), PROBABILITY, HARD_CORE)
    return table.index[table["designated"]].tolist()


def test_top_k_score_population_and_probability_rules():
    assert designated(top_k=3) == ["W1", "W2", "W3"]
    assert designated(top_k=3, min_population=50) == ["W1", "W3"]
    assert designated(min_score=60) == ["W1", "W2"]
    assert designated(top_k=4, min_probability=0.5) == ["W1", "W2", "W4"]


def test_consensus_required_and_sufficient():
    assert designated(top_k=3, consensus="required") == ["W1"]
    assert designated(top_k=2, consensus="sufficient") == ["W1", "W2", "W4"]
    assert designated(consensus="sufficient") == ["W1", "W4"]


def test_unscored_area_is_never_designated():
    table = apply_rules(SCORES, POPULATION, DesignationRules(top_k=5))
    assert not table.at["W5", "designated"]


def test_rule_without_its_figures_is_an_error():
    with pytest.raises(ConfigError, match="min_probability is set, but no probability"):
        apply_rules(SCORES, POPULATION, DesignationRules(min_probability=0.5))
    with pytest.raises(ConfigError, match="no hard core"):
        apply_rules(SCORES, POPULATION, DesignationRules(consensus="required", top_k=2))


def test_config_needs_some_rule_and_unique_groups():
    with pytest.raises(ValueError, match="at least one of"):
        DesignationRules()
    with pytest.raises(ValueError, match="more than one group"):
        DesignationRules(top_k=2, groups=[{"name": "a", "areas": ["W1"]}, {"name": "b", "areas": ["W1", "W2"]}])


def test_groups_replace_their_members():
    names = pd.Series({c: f"Wijk {c}" for c in CODES})
    rules = DesignationRules(top_k=3, groups=[
        {"name": "Noord", "areas": ["W2", "W4"]},  # any: W2 is designated, W4 comes along
        {"name": "Zuid", "areas": ["W3", "W5"], "designate_when": "all"},  # W5 is not designated
        {"name": "Kern", "areas": ["B11"]},  # a buurt of the designated W1
    ])
    table = form_gebieden(["W1", "W2", "W3"], rules, registry(), "wijk", names)
    assert table["gebied"].tolist() == ["Noord", "Kern", "Wijk W3"]
    assert table.set_index("gebied").loc["Noord", "areas"] == "W2;W4"
    assert table.set_index("gebied").loc["Kern", "designated_members"] == "W1"


def test_group_with_unknown_area_is_an_error():
    rules = DesignationRules(top_k=1, groups=[{"name": "X", "areas": ["NOPE"]}])
    with pytest.raises(ConfigError, match="NOPE"):
        form_gebieden(["W1"], rules, registry(), "wijk", pd.Series(dtype=str))


def test_adjoining_components_use_touching_polygons():
    # A-B share an edge, B-C share a corner, D stands apart, E touches D but is not designated.
    shapes = {"A": box(0, 0, 1, 1), "B": box(1, 0, 2, 1), "C": box(2, 1, 3, 2), "D": box(10, 10, 11, 11),
              "E": box(11, 10, 12, 11)}
    frame = gpd.GeoDataFrame({"area_code": list(shapes)}, geometry=list(shapes.values()), crs="EPSG:28992")
    frame = frame.set_index("area_code", drop=False)
    assert adjoining_components(["A", "B", "C", "D"], frame) == [["A", "B", "C"]]
    assert adjoining_components(["D", "E"], frame) == [["D", "E"]]


def test_probability_and_hard_core_plug_into_a_real_run():
    from aandacht.config import load_config
    from aandacht.decide.designate import designate
    from aandacht.resources import default_config_path
    from aandacht.scoring.run import run_score

    run = run_score(load_config(default_config_path()))
    codes = run.matrix.areas.index
    probability = pd.Series(0.1, index=codes)
    probability[["WK008050", "WK008040", "WK008071"]] = [0.9, 0.6, 0.55]
    hard_core = pd.Series(codes.isin(["WK008050", "WK008061"]), index=codes)
    result = designate(run, DesignationRules(min_probability=0.5, consensus="sufficient", min_population=50),
                       probability, hard_core)
    chosen = set(result.areas.index[result.areas["designated"]])
    assert chosen == {"WK008050", "WK008040", "WK008071", "WK008061"}
    assert result.areas.loc["WK008040", "probability"] == 0.6 and result.areas.loc["WK008061", "hard_core"]
    reasons = result.reasons[result.reasons["area_code"] == "WK008050"]
    assert len(reasons) == 3 and (reasons["contribution"].diff().dropna() <= 0).all()
    jeugdzorg = reasons.set_index("indicator").loc["jeugdzorg"]
    assert jeugdzorg["value"] == 18.5 and jeugdzorg["gemeente"] == 13.2  # KWB 2023, Heechterp vs Leeuwarden
