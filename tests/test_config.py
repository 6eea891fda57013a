"""Config validation: errors name the file, the key path and what is allowed."""

import copy

import pytest
import yaml

from aandacht.config import load_config
from aandacht.errors import ConfigError


@pytest.fixture
def raw_config(default_config):
    """The default config as a YAML-ready dict with absolute paths."""
    data = default_config.model_dump(mode="json", exclude={"source_file"})
    return copy.deepcopy(data)


def write(tmp_path, data, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_default_config_is_valid(default_config):
    assert default_config.gemeente.code == "GM0080"
    assert len(default_config.framework.indicators) >= 6
    assert default_config.areas.registry.is_file()


def test_negative_weight_names_key(tmp_path, raw_config):
    raw_config["framework"]["indicators"][2]["weight"] = -1
    with pytest.raises(ConfigError, match=r"bad\.yaml: framework\.indicators\[2\]\.weight: a weight must be 0 \(switched off\) or between 1e-09 and 1e\+06 \(got -1\)"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_unknown_key_names_key(tmp_path, raw_config):
    raw_config["method"]["normalisation"]["methode"] = "minmax"
    with pytest.raises(ConfigError, match=r"method\.normalisation\.methode: unknown key"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_unknown_normalisation_lists_allowed(tmp_path, raw_config):
    raw_config["method"]["normalisation"]["method"] = "robust"
    with pytest.raises(ConfigError, match=r"method\.normalisation\.method: .*'minmax'.*'goalposts'"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_cycle_in_hierarchy(tmp_path, raw_config):
    nodes = raw_config["framework"]["nodes"]
    nodes.append({"id": "x", "label": "X", "parent": "y", "weight": 1})
    nodes.append({"id": "y", "label": "Y", "parent": "x", "weight": 1})
    with pytest.raises(ConfigError, match=r"cycle: x -> y -> x"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_missing_parent(tmp_path, raw_config):
    raw_config["framework"]["indicators"][0]["parent"] = "nergens"
    with pytest.raises(ConfigError, match=r"'schoolweging' has parent 'nergens', which is not a node"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_all_weights_zero(tmp_path, raw_config):
    for indicator in raw_config["framework"]["indicators"]:
        indicator["weight"] = 0
    with pytest.raises(ConfigError, match="all indicator weights are zero"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_undefined_input(tmp_path, raw_config):
    raw_config["framework"]["indicators"][1]["input"] = "kwb2099"
    with pytest.raises(ConfigError, match=r"input 'kwb2099' is not defined"):
        load_config(write(tmp_path, raw_config), allow_outside=True)


def test_yaml_with_tabs(tmp_path):
    path = tmp_path / "tabs.yaml"
    path.write_text("name: x\ngemeente:\n\tcode: GM0080\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tabs\.yaml: line 3.*invalid YAML.*tabs"):
        load_config(path)


def test_paths_resolve_relative_to_config(tmp_path, raw_config):
    raw_config["areas"]["registry"] = "areas.csv"
    config = load_config(write(tmp_path, raw_config), allow_outside=True)
    assert config.areas.registry == (tmp_path / "areas.csv").resolve()


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_paths_must_stay_in_the_project(tmp_path, raw_config):
    (tmp_path / "configs").mkdir()
    raw_config["areas"]["registry"] = "../data/areas.csv"  # inside: the project is the folder holding configs/
    raw_config["areas"]["geometry"] = None
    raw_config["ikc"]["boards"] = raw_config["ikc"]["board_names"] = raw_config["ikc"]["changes"] = None
    raw_config["ikc"]["lists"] = []
    for spec in raw_config["inputs"].values():
        spec.update({key: None for key in ("locations", "schools", "ovt_locations") if key in spec}, path="../data/x.csv")
        spec.pop("vintages", None)
        spec.setdefault("period", "2023")
    config = load_config(write(tmp_path / "configs", raw_config))
    assert config.areas.registry == (tmp_path / "data" / "areas.csv").resolve()
    raw_config["inputs"]["kwb2023"]["path"] = "../../elders/kwb.csv"
    with pytest.raises(ConfigError, match=r"bad\.yaml: path .*elders/kwb\.csv lies outside the project directory"):
        load_config(write(tmp_path / "configs", raw_config))
    assert load_config(write(tmp_path / "configs", raw_config), allow_outside=True)
