"""COINr's ASEM example as an aandacht project, built from the reference files in
``../shared/reference/coinr-asem`` (COINr 1.1.14 outputs; see the README there).

The project is generic on purpose: 51 countries under one group ``ASEM`` in the area
registry, no gemeente code pattern, no ``per:`` on the indicators, the indicator table read
by the ``generic`` loader with ``area_kind: code``. Nothing of it is shipped; tests and the
COINr benchmark build it in a temporary folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "coinr-asem"
needs_reference = pytest.mark.skipif(not (REFERENCE / "asem_imeta.csv").is_file(),
                                     reason="COINr reference outputs (../shared/reference/coinr-asem) not present")
# COINr's level names for the ASEM example, used in the framework labels
GROUP = "ASEM"


def meta() -> pd.DataFrame:
    """COINr's ASEM_iMeta: Level, iCode, iName, Direction, Weight, Parent, Type."""
    return pd.read_csv(REFERENCE / "asem_imeta.csv")


def indicator_codes() -> list[str]:
    m = meta()
    return list(m.loc[m["Type"] == "Indicator", "iCode"])


def reference(name: str) -> pd.DataFrame:
    """A COINr output table (coinr_<name>.csv) indexed by uCode."""
    return pd.read_csv(REFERENCE / f"coinr_{name}.csv").set_index("uCode")


def raw_values() -> pd.DataFrame:
    """ASEM_iData's indicator columns, indexed by uCode (NaN = missing)."""
    data = pd.read_csv(REFERENCE / "asem_idata.csv").set_index("uCode")
    return data.loc[:, indicator_codes()].astype("float64")


def framework(uncertain: dict | None = None) -> dict:
    """The ASEM hierarchy (4 levels) as an aandacht framework section."""
    m = meta()
    aggregates = m[m["Type"] == "Aggregate"]
    index = aggregates[aggregates["Level"] == aggregates["Level"].max()].iloc[0]
    nodes = [{"id": r.iCode, "label": r.iName, "parent": r.Parent, "weight": float(r.Weight)}
             for r in aggregates.itertuples() if r.iCode != index.iCode]
    indicators = [{"id": r.iCode, "label": r.iName, "parent": r.Parent, "weight": float(r.Weight),
                   "direction": int(r.Direction), "input": "asem", "variable": r.iCode}
                  for r in m[m["Type"] == "Indicator"].itertuples()]
    return {"index": {"id": index.iCode, "label": index.iName}, "nodes": nodes, "indicators": indicators}


# COINr's nominal pipeline has no data threshold (dat_thresh NULL): every unit with any child gets a score.
PARITY_METHOD = {"treatment": {"enabled": False}, "missing": {"min_share": 0.0}}


def build_project(folder: Path, method: dict | None = None, uncertainty: dict | None = None,
                  names_equal_codes: tuple[str, ...] = (), extra: dict | None = None) -> Path:
    """Write registry, indicator table and config into ``folder``; return the config path.

    ``names_equal_codes``: countries whose registry name is their code (as some tables have).
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = pd.read_csv(REFERENCE / "asem_idata.csv", dtype=str, keep_default_na=False)
    codes = indicator_codes()
    with (folder / "areas.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["area_code", "area_name", "level", "parent_code", "vintage"])
        writer.writerow([GROUP, "ASEM members", "group", "", "2018"])
        for row in data.itertuples():
            name = row.uCode if row.uCode in names_equal_codes else row.uName
            writer.writerow([row.uCode, name, "country", GROUP, "2018"])
    data.loc[:, ["uCode", *codes]].to_csv(folder / "asem.csv", index=False)
    config = {
        "name": "ASEM sustainable connectivity (COINr example)",
        "gemeente": {"code": GROUP, "name": "ASEM"},
        "level": "country",
        "period": "2018",
        "areas": {"registry": "areas.csv"},
        "inputs": {"asem": {"loader": "generic", "path": "asem.csv", "period": "2018",
                            "table": {"area_column": "uCode", "area_kind": "code", "level": "country",
                                      "values": codes, "decimal": "."}}},
        "framework": framework(),
        "method": method if method is not None else PARITY_METHOD,
        **({"uncertainty": uncertainty} if uncertainty is not None else {}),
        **(extra or {}),
    }
    path = folder / "asem.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# The uncertain inputs of coinr_ua.R / coinr_sa.R: treatment (winsorise up to 5 points) on or off;
# min-max [1, 100] or z-score (mean 10, sd 2); noisy weights (factor 0.25) on levels 2 and 3 (the
# pillars and sub-indices: aandacht's "nodes"); arithmetic or geometric mean. Nominal: treated,
# min-max [1, 100], arithmetic.
UA_METHOD = {"treatment": {"enabled": True, "max_winsorised": 5},
             "normalisation": {"method": "minmax", "range": [1, 100], "zscore_mean": 10, "zscore_sd": 2},
             "aggregation": {"method": "arithmetic"}, "missing": {"min_share": 0.0}}
UA_SPEC = {"weight_noise": {"nodes": 0.25}, "treatment": [True, False], "normalisation": ["minmax", "zscore"],
           "aggregation": ["arithmetic", "geometric"], "designation": {"top_k": 10}}
