"""Shared fixtures: the embedded default config and small frameworks built in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aandacht.config import Framework, Method, load_config
from aandacht.resources import default_config_path, embedded_root

FIXTURES = Path(__file__).parent / "fixtures"
# Words that show an English note or line reached the analyst's files or terminal (none is Dutch; "of"
# and "was" are, and config keys such as other_areas and out_of_range split into words that are left out; so
# are file names, commands in backticks and options).
ENGLISH = {"the", "and", "with", "not", "were", "are", "read", "rows", "regions", "variables", "schools", "placed",
           "ambiguous", "matched", "fuzzily", "toward", "shrinkage", "gate", "written", "cells", "without", "which",
           "from", "used", "counted", "only", "have", "has", "their", "its", "area", "areas", "could", "cannot", "none",
           "ranks", "designates", "chooses", "rule", "gives", "indicators", "values", "every", "reasons", "next",
           "ship", "give", "file", "maps", "downloads", "shipped", "editable", "files", "households", "children",
           "needed", "least", "polygons", "own", "level", "left", "too", "few", "same", "asked"}
KEPT_AS_WRITTEN = re.compile(r"\S+\.(csv|xlsx|yaml|json)\b|`[^`]*`|--[a-z-]+")  # file names, commands, options
# the keys of an input that name a file, relative to the config
INPUT_PATH_KEYS = ("path", "locations", "schools", "ovt_locations", "aliases", "pc4_allocation", "pupil_origin", "crosswalk")


def english_words(line: str) -> list[str]:
    """The words of :data:`ENGLISH` in a line an analyst reads (README: every line a command prints is Dutch, but
    for errors, help and verify); a library's warning, relayed as the errors are, has none."""
    if line.startswith("warning: "):
        return []
    return sorted(ENGLISH & set(re.findall(r"[a-z]+", KEPT_AS_WRITTEN.sub("", line.lower()))))


def absolute_input_paths(raw: dict, base: Path) -> dict:
    """``raw`` (a config as parsed YAML) with every input's file names (and vintages') and the IKC tables made
    absolute from ``base``."""
    for spec in raw["inputs"].values():
        for key in INPUT_PATH_KEYS:
            if spec.get(key):
                spec[key] = str((base / spec[key]).resolve())
        for vintage in spec.get("vintages", []):
            vintage["path"] = str((base / vintage["path"]).resolve())
    ikc = raw.get("ikc", {})
    for vintage in ikc.get("lists", []):
        vintage["path"] = str((base / vintage["path"]).resolve())
    for key in ("changes", "table", "boards", "board_names", "pupil_origin"):
        if ikc.get(key):
            ikc[key] = str((base / ikc[key]).resolve())
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


@pytest.fixture(scope="session")
def round_folders(tmp_path_factory):
    """Two herijking rounds of the embedded Leeuwarden data, written exactly as ``aandacht herijking``
    writes them (tables, maps, report): 2024 with a different policy (6 aandachtsgebieden, 8 Plus-IKC's),
    2026 with the shipped config continuing from 2024. Returns the rounds folder."""
    from aandacht.archive.manifest import build_manifest
    from aandacht.archive.output import write_folder
    from aandacht.present.round_folder import earlier_rounds, round_maps, round_writers, visual_writers
    from aandacht.rounds.herijking import run_herijking

    rounds = tmp_path_factory.mktemp("rounds")
    config = load_config(default_config_path())
    old = config.model_copy(update={"designation": config.designation.model_copy(update={"top_k": 6}),
                                    "selection": config.selection.model_copy(update={"count": 8})})
    for year, cfg, previous in ((2024, old, None), (2026, config, rounds / "2024")):
        result = run_herijking(cfg, year, previous)
        manifest = build_manifest(cfg, "herijking", {"round": year, "previous": str(previous) if previous else None})
        maps = round_maps(result, history=earlier_rounds(rounds, year, cfg.gemeente.code))
        write_folder(rounds / str(year), round_writers(result) | visual_writers(maps, manifest), manifest, force=False)
    return rounds


def pdf_structure(root) -> dict[str, list]:
    """A PDF's structure elements (its tags) by type (/H1, /Table, /TD, /Figure, ...), from the catalogue ``root``
    (pypdf's ``reader.trailer["/Root"]``)."""
    found: dict[str, list] = {}

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) and "/S" in node:
            found.setdefault(str(node["/S"]), []).append(node)
        kids = node.get("/K") if isinstance(node, dict) else None
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if not isinstance(kid, int):
                walk(kid)

    walk(root["/StructTreeRoot"])
    return found


def outline_items(outline) -> list:
    """A PDF's bookmarks (pypdf's nested ``reader.outline``) in order, flattened."""
    return [leaf for item in outline for leaf in (outline_items(item) if isinstance(item, list) else [item])]
