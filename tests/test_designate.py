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
    with pytest.raises(ConfigError, match=r"designation.groups 'X': area code\(s\) \['NOPE'\] are not in the area registry"):
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


# --- every threshold at equality, missing figures, and both kinds of group ---

def test_each_threshold_holds_at_equality():
    assert designated(top_k=4, min_population=300) == ["W1", "W3", "W4"]  # W3 and W4 have exactly 300
    assert designated(min_score=70) == ["W1", "W2"]  # W2 scores exactly 70
    assert designated(top_k=5, min_probability=0.55) == ["W1", "W2", "W4"]  # W4 has exactly 0.55


def test_areas_tied_at_the_last_place_are_both_in_the_top_k():
    scores = pd.Series([90.0, 70.0, 70.0, 30.0], index=CODES[:4])
    table = apply_rules(scores, POPULATION, DesignationRules(top_k=2))
    assert table.index[table["designated"]].tolist() == ["W1", "W2", "W3"]
    assert table["rank"].tolist() == [1, 2, 2, 4]


def test_unknown_population_or_probability_never_passes_a_gate():
    population = POPULATION.copy().astype(float)
    population["W1"] = np.nan
    table = apply_rules(SCORES, population, DesignationRules(top_k=3, min_population=0))
    assert table.index[table["designated"]].tolist() == ["W2", "W3"]
    assert apply_rules(SCORES, population, DesignationRules(top_k=3)).at["W1", "designated"]  # no gate: no matter
    probability = PROBABILITY.copy()
    probability["W3"] = np.nan
    table = apply_rules(SCORES, POPULATION, DesignationRules(top_k=5, min_probability=0.0), probability)
    assert table.index[table["designated"]].tolist() == ["W1", "W2", "W4"]


def test_hard_core_of_an_unscored_or_unlisted_area():
    hard_core = pd.Series([True, False, False, True, True], index=CODES)  # W5 is not scored
    assert apply_rules(SCORES, POPULATION, DesignationRules(consensus="sufficient"), hard_core=hard_core).query(
        "designated").index.tolist() == ["W1", "W4"]
    partial = pd.Series([True], index=["W2"])  # the others are not in the hard core
    table = apply_rules(SCORES, POPULATION, DesignationRules(top_k=3, consensus="required"), hard_core=partial)
    assert table.index[table["designated"]].tolist() == ["W2"] and not table.at["W1", "hard_core"]


def test_consensus_sufficient_with_only_a_score_rule():
    # min_score 60: W1 and W2 by their score; W4 (30) by the hard core
    assert designated(min_score=60, consensus="sufficient") == ["W1", "W2", "W4"]
    assert designated(min_probability=0.9, consensus="sufficient") == ["W1", "W4"]


def test_rule_table_columns():
    table = apply_rules(SCORES, POPULATION, DesignationRules(top_k=2, min_score=60), PROBABILITY, HARD_CORE)
    assert list(table.index) == CODES
    assert table["rank"].tolist()[:4] == [1, 2, 3, 4] and pd.isna(table.at["W5", "rank"])
    assert table["rule_top_k"].tolist() == [True, True, False, False, False]
    assert table["rule_min_score"].tolist() == [True, True, False, False, False]
    assert table["probability"].tolist()[:4] == [0.95, 0.6, 0.3, 0.55]
    without = apply_rules(SCORES, POPULATION, DesignationRules(top_k=2))
    assert not without["hard_core"].any() and without["probability"].isna().all()


def test_no_gebied_when_nothing_is_designated():
    table = form_gebieden([], DesignationRules(top_k=1), registry(), "wijk", pd.Series(dtype=str))
    assert table.empty and list(table.columns) == ["gebied", "areas", "area_names", "designated_members"]


def test_group_designated_when_all_its_areas_are():
    names = pd.Series({c: f"Wijk {c}" for c in CODES})
    rules = DesignationRules(top_k=3, groups=[
        {"name": "Midden", "areas": ["W1", "W2"], "designate_when": "all"},  # both designated: formed
        {"name": "Zuid", "areas": ["W3", "W4"], "designate_when": "all"},  # W4 is not: not formed
    ])
    table = form_gebieden(["W1", "W2", "W3"], rules, registry(), "wijk", names).set_index("gebied")
    assert list(table.index) == ["Midden", "Wijk W3"]
    assert table.at["Midden", "areas"] == "W1;W2" and table.at["Midden", "designated_members"] == "W1;W2"
    assert table.at["Midden", "area_names"] == "Wijk W1; Wijk W2"


def test_group_of_buurten_of_one_wijk_counts_that_wijk_once():
    names = pd.Series({c: f"Wijk {c}" for c in CODES})
    for when in ("any", "all"):
        rules = DesignationRules(top_k=1, groups=[{"name": "Kern", "areas": ["B11", "B12"], "designate_when": when}])
        assert form_gebieden(["W1"], rules, registry(), "wijk", names).to_dict("records") == [
            {"gebied": "Kern", "areas": "B11;B12", "area_names": "Buurt 11; Buurt 12", "designated_members": "W1"}]
        assert form_gebieden(["W2"], rules, registry(), "wijk", names)["gebied"].tolist() == ["Wijk W2"]


def test_group_above_the_scored_level_is_an_error():
    rules = DesignationRules(top_k=1, groups=[{"name": "Alles", "areas": ["G"]}])
    with pytest.raises(ConfigError, match="designation.groups 'Alles': area G is not at or below level 'wijk'"):
        form_gebieden(["W1"], rules, registry(), "wijk", pd.Series(dtype=str))


def test_scored_area_of_a_code():
    from aandacht.decide.designate import scored_area_of

    assert scored_area_of("B12", registry(), "wijk") == "W1"
    assert scored_area_of("W3", registry(), "wijk") == "W3"
    assert scored_area_of("NOPE", registry(), "wijk") == ""
    assert scored_area_of("G", registry(), "wijk") == ""


def test_adjoining_pairs_are_the_touching_ones_only():
    from aandacht.decide.designate import adjoining_components_pairs

    shapes = {"A": box(0, 0, 1, 1), "B": box(1, 0, 2, 1), "C": box(2, 0, 3, 1), "D": box(10, 10, 11, 11)}
    frame = gpd.GeoDataFrame({"area_code": list(shapes)}, geometry=list(shapes.values()), crs="EPSG:28992")
    frame = frame.set_index("area_code", drop=False)
    assert adjoining_components_pairs(["C", "A", "B", "D", "X"], frame) == [["A", "B"], ["B", "C"]]
    assert adjoining_components(["C", "A", "B", "X"], frame) == [["A", "B", "C"]]
    assert adjoining_components(["A", "C", "D"], frame) == []


def test_reason_text_in_dutch():
    from aandacht.decide.designate import reason_text

    rows = pd.DataFrame([{"label": "Jongeren met jeugdzorg", "value": 21.34, "shown": "21,3", "unit": "%", "gemeente": 12.0,
                          "median": 11.5},
                         {"label": "Score", "value": 3.0, "shown": "3", "unit": "", "gemeente": np.nan, "median": 2.5}])
    assert reason_text(rows) == ("Jongeren met jeugdzorg 21,3 % (gemeente 12; mediaan wijken 11,5); "
                                 "Score 3 (mediaan wijken 2,5)")
    assert reason_text(rows.head(1), "buurt") == "Jongeren met jeugdzorg 21,3 % (gemeente 12; mediaan buurten 11,5)"
    rows["nederland"] = [10.9, np.nan]
    assert reason_text(rows) == ("Jongeren met jeugdzorg 21,3 % (gemeente 12; Nederland 10,9; mediaan wijken 11,5); "
                                 "Score 3 (mediaan wijken 2,5)")
    # a count of people under report.suppress_below: its class, as area_reasons shows it (value left empty)
    hidden = pd.DataFrame([{"label": "Kinderen in armoede", "value": np.nan, "shown": "<10", "unit": "aantal",
                            "gemeente": 410.0, "nederland": np.nan, "median": 12.0}])
    assert reason_text(hidden) == "Kinderen in armoede <10 aantal (gemeente 410; mediaan wijken 12)"


@pytest.fixture(scope="module")
def default_run():
    from aandacht.config import load_config
    from aandacht.resources import default_config_path
    from aandacht.scoring.run import run_score

    return run_score(load_config(default_config_path()))


# the four highest scores of the default data (KWB 2023): Heechterp & Schieringen, Vrijheidswijk,
# Bilgaard & Havankpark e.o., Potmargezone
TOP4 = ["WK008050", "WK008061", "WK008060", "WK008011"]


def test_designate_suggests_adjoining_groups_and_pairs(default_run, monkeypatch):
    from aandacht.decide.designate import designate

    # 050 touches 061, 061 touches 060, 050 and 060 do not touch; 011 has no geometry
    shapes = {"WK008050": box(0, 0, 1, 1), "WK008061": box(1, 0, 2, 1), "WK008060": box(2, 0, 3, 1)}
    frame = gpd.GeoDataFrame({"area_code": list(shapes)}, geometry=list(shapes.values()), crs="EPSG:28992")
    monkeypatch.setattr(default_run.registry, "geometry", lambda: frame.set_index("area_code", drop=False))
    result = designate(default_run, DesignationRules(top_k=4, min_population=50, groups=[
        {"name": "Bilgaard", "areas": ["BU00806001"]}]))
    assert sorted(result.areas.index[result.areas["designated"]]) == sorted(TOP4)
    assert result.suggestions.to_dict("records") == [
        {"kind": "samenhangend gebied", "areas": "WK008050;WK008060;WK008061",
         "area_names": "Heechterp & Schieringen + Bilgaard & Havankpark e.o. + Vrijheidswijk"},
        {"kind": "aangrenzend paar", "areas": "WK008050;WK008061", "area_names": "Heechterp & Schieringen + Vrijheidswijk"},
        {"kind": "aangrenzend paar", "areas": "WK008060;WK008061",
         "area_names": "Bilgaard & Havankpark e.o. + Vrijheidswijk"},
    ]
    assert result.notes == ["geen polygoon voor WK008011: niet meegenomen in de suggesties voor aangrenzende groepen"]
    # the buurt group replaces its wijk, which is marked as partly in it
    assert result.gebied_members()["Bilgaard"] == ["BU00806001"]
    assert result.areas.at["WK008060", "gebied"] == "Bilgaard (deels)"
    assert result.areas.at["WK008050", "gebied"] == "Heechterp & Schieringen"
    assert result.areas.columns[0] == "area_name"
    bilgaard = result.gebieden.set_index("gebied").loc["Bilgaard", "redenen"]
    assert bilgaard.startswith("Bilgaard & Havankpark e.o.: ")
    # two adjoining designated areas are one group and one pair
    two = designate(default_run, DesignationRules(top_k=2))
    assert two.suggestions["kind"].tolist() == ["samenhangend gebied", "aangrenzend paar"]
    # without the suggestions, or with one designated area, nothing is suggested (and no geometry is needed)
    assert designate(default_run, DesignationRules(top_k=4, suggest_adjoining=False)).suggestions.empty
    without_050 = frame[frame["area_code"] != "WK008050"].set_index("area_code", drop=False)
    monkeypatch.setattr(default_run.registry, "geometry", lambda: without_050)
    single = designate(default_run, DesignationRules(top_k=1))
    assert single.areas.index[single.areas["designated"]].tolist() == ["WK008050"]
    assert single.suggestions.empty and list(single.suggestions.columns) == ["kind", "areas", "area_names"]
    assert single.notes == []


def test_designate_with_nothing_designated(default_run):
    from aandacht.decide.designate import designate

    result = designate(default_run, DesignationRules(min_score=1000))
    assert not result.areas["designated"].any() and result.gebieden.empty and result.reasons.empty
    assert "contribution" in result.reasons.columns and (result.areas["redenen"] == "").all()


def test_reasons_are_the_largest_weighted_contributions(default_run):
    from aandacht.decide.designate import area_reasons

    reasons = area_reasons(default_run, ["WK008050"], 2)
    assert reasons["order"].tolist() == [1, 2]
    weights = default_run.result.tree.nominal_effective_weights()
    normalised = default_run.result.normalised.loc["WK008050"]
    parts = pd.Series({i: weights[i] * normalised[i] for i in normalised.index}).sort_values(ascending=False)
    assert reasons["indicator"].tolist() == parts.index[:2].tolist()
    np.testing.assert_allclose(reasons["contribution"], parts.iloc[:2])


def buurt_registry() -> AreaRegistry:
    """Two wijken of a gemeente with four and two buurten."""
    rows = [("G", "Gemeente", "gemeente", ""), ("WA", "Noord", "wijk", "G"), ("WB", "Zuid", "wijk", "G"),
            *[(f"A{n}", f"Buurt A{n}", "buurt", "WA") for n in range(1, 5)], ("B1", "Buurt B1", "buurt", "WB"),
            ("B2", "Buurt B2", "buurt", "WB")]
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "level", "parent_code"]).assign(vintage="2023")
    return AreaRegistry(table.set_index("area_code", drop=False), "test")


# A row of cells A1 | A2 | A3 | B1 | B2 (wijk A: A1-A4, wijk B: B1, B2), and A4 apart.
BUURT_SHAPES = {"A1": box(0, 0, 1, 1), "A2": box(1, 0, 2, 1), "A3": box(2, 0, 3, 1), "B1": box(3, 0, 4, 1),
                "B2": box(4, 0, 5, 1), "A4": box(10, 0, 11, 1)}


def buurt_geometry(codes=BUURT_SHAPES):
    frame = gpd.GeoDataFrame({"area_code": list(codes)}, geometry=[BUURT_SHAPES[c] for c in codes], crs="EPSG:28992")
    return frame.set_index("area_code", drop=False)


def test_touching_designated_buurten_of_one_wijk_form_one_gebied():
    registry = buurt_registry()
    names = registry.table["area_name"]
    rules = DesignationRules(top_k=6, combine="adjoining")
    # rank order B2, A1, A4, B1, A3: B2-B1 touch in wijk B; A3 touches B1 but lies in wijk A; A1 and A3 do not
    # touch without A2; A4 touches nothing
    table = form_gebieden(["B2", "A1", "A4", "B1", "A3"], rules, registry, "buurt", names, buurt_geometry())
    assert table.to_dict("records") == [
        {"gebied": "Buurt B2 en Buurt B1", "areas": "B2;B1", "area_names": "Buurt B2; Buurt B1",
         "designated_members": "B2;B1"},
        {"gebied": "Buurt A1", "areas": "A1", "area_names": "Buurt A1", "designated_members": "A1"},
        {"gebied": "Buurt A4", "areas": "A4", "area_names": "Buurt A4", "designated_members": "A4"},
        {"gebied": "Buurt A3", "areas": "A3", "area_names": "Buurt A3", "designated_members": "A3"}]
    # with A2 the row A1-A2-A3 is one gebied, its areas in rank order
    row = form_gebieden(["A2", "A4", "A1", "A3"], rules, registry, "buurt", names, buurt_geometry())
    assert row[["gebied", "areas"]].to_dict("records") == [
        {"gebied": "Buurt A2, Buurt A1 en Buurt A3", "areas": "A2;A1;A3"}, {"gebied": "Buurt A4", "areas": "A4"}]
    # a buurt without polygon is a gebied of its own; without combine each buurt is one
    lacking = form_gebieden(["A1", "A2"], rules, registry, "buurt", names, buurt_geometry(["A1", "B1"]))
    assert lacking["gebied"].tolist() == ["Buurt A1", "Buurt A2"]
    alone = form_gebieden(["B1", "B2"], DesignationRules(top_k=2), registry, "buurt", names)
    assert alone["gebied"].tolist() == ["Buurt B1", "Buurt B2"]


def test_without_polygons_designated_buurten_are_gathered_by_their_wijk():
    registry = buurt_registry()
    names = registry.table["area_name"]
    rules = DesignationRules(top_k=6, combine="parent")
    table = form_gebieden(["A4", "B2", "A1", "A2", "A3", "B1"], rules, registry, "buurt", names)
    assert table[["gebied", "areas"]].to_dict("records") == [
        {"gebied": "Noord (4 buurten)", "areas": "A4;A1;A2;A3"},
        {"gebied": "Buurt B2 en Buurt B1", "areas": "B2;B1"}]
    # names that only repeat their wijk's (made from the code) name the gebied after the wijk
    coded = names.copy()
    coded[["B1", "B2"]] = ["Zuid, buurt 1", "Zuid, buurt 2"]
    assert form_gebieden(["B2", "B1"], rules, registry, "buurt", coded)["gebied"].tolist() == ["Zuid (2 buurten)"]
    assert form_gebieden(["B2"], rules, registry, "buurt", coded)["gebied"].tolist() == ["Zuid, buurt 2"]  # alone: its name
    # a name already taken (here by a configured group) is numbered
    taken = DesignationRules(top_k=6, combine="parent", groups=[{"name": "Noord (4 buurten)", "areas": ["B2"]}])
    table = form_gebieden(["B2", "A4", "A1", "A2", "A3"], taken, registry, "buurt", names)
    assert table["gebied"].tolist() == ["Noord (4 buurten)", "Noord (4 buurten) (2)"]


def test_combine_is_a_rule_of_its_own_and_needs_what_it_joins_on(default_run, monkeypatch):
    from aandacht.decide.designate import designate

    with pytest.raises(ValueError, match="combine"):
        DesignationRules(top_k=2, combine="touching")
    for how in ("adjoining", "parent"):  # Leeuwarden's wijken: their parent is the gemeente
        with pytest.raises(ConfigError, match="the parent of the scored wijk areas is the gemeente GM0080: all would be"):
            designate(default_run, DesignationRules(top_k=3, combine=how))
    # as if Leeuwarden's wijken were buurten of two wijken P1 (050, 061, 060) and P2 (the others)
    table = default_run.registry.table.copy()
    wijken = table["level"] == "wijk"
    table.loc[wijken, "parent_code"] = ["P1" if c in TOP4[:3] else "P2" for c in table.index[wijken]]
    monkeypatch.setattr(default_run.registry, "table", table)
    result = designate(default_run, DesignationRules(top_k=4, combine="adjoining"))
    assert result.gebied_members() == {
        "Heechterp & Schieringen, Vrijheidswijk en Bilgaard & Havankpark e.o.": TOP4[:3], "Potmargezone": ["WK008011"]}
    assert result.areas.at["WK008060", "gebied"] == "Heechterp & Schieringen, Vrijheidswijk en Bilgaard & Havankpark e.o."
    assert result.notes == []
    parent = designate(default_run, DesignationRules(top_k=4, combine="parent"))
    assert parent.gebied_members() == result.gebied_members()
    assert parent.notes[0].startswith("designation.combine: parent: de aangewezen wijken van één bovenliggend gebied vormen")
    monkeypatch.setattr(default_run.registry, "geometry_path", None)
    with pytest.raises(ConfigError, match="combine is 'adjoining', but the config has no polygons"):
        designate(default_run, DesignationRules(top_k=4, combine="adjoining"))
