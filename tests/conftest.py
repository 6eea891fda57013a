"""Shared fixtures: the embedded default config and small frameworks built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from aandacht.config import Framework, Method, load_config
from aandacht.resources import default_config_path, embedded_root

FIXTURES = Path(__file__).parent / "fixtures"
# the keys of an input that name a file, relative to the config
INPUT_PATH_KEYS = ("path", "locations", "schools", "ovt_locations", "aliases", "pc4_allocation", "pupil_origin", "crosswalk")


def absolute_input_paths(raw: dict, base: Path) -> dict:
    """``raw`` (a config as parsed YAML) with every input's file names made absolute from ``base``."""
    for spec in raw["inputs"].values():
        for key in INPUT_PATH_KEYS:
            if spec.get(key):
                spec[key] = str((base / spec[key]).resolve())
    return raw


@pytest.fixture(scope="session")
def default_config():
    return load_config(default_config_path())


@pytest.fixture(scope="session")
def embedded():
    return embedded_root()


def make_framework(tree: dict[str, list[str]], indicators: dict[str, tuple[str, float, int]], weights: dict[str, float] | None = None,
                   extra: dict[str, dict] | None = None) -> Framework:
    """Build a Framework from {group: [child groups]} (first key is the index) and
    {indicator: (parent, weight, direction)}; ``extra`` adds keys per indicator (goalposts, target)."""
    weights = weights or {}
    extra = extra or {}
    index_id = next(iter(tree))
    nodes = [
        {"id": child, "label": child, "parent": parent, "weight": weights.get(child, 1.0)}
        for parent, children in tree.items() for child in children
    ]
    leaves = [
        {"id": name, "label": name, "parent": parent, "weight": weight, "direction": direction,
         "input": "x", "variable": name, "per": "inwoner", **extra.get(name, {})}
        for name, (parent, weight, direction) in indicators.items()
    ]
    return Framework.model_validate({"index": {"id": index_id, "label": index_id}, "nodes": nodes, "indicators": leaves})


def method(**overrides) -> Method:
    """A Method with treatment off unless asked, and the given overrides (nested dicts)."""
    base = {"treatment": {"enabled": False}}
    base.update(overrides)
    return Method.model_validate(base)
