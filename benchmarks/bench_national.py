"""Benchmark at national scale on real data: CBS Kerncijfers Wijken en Buurten 2023, whole NL.

Times the steps of a scoring run (and `aandacht check`) on all ~14,400 buurten (and ~3,350 wijken) of the
Netherlands, and a 1,000-draw uncertainty analysis (weights +-25%, the config defaults), and
records peak memory. Targets (issue 7, 2-core machine): scoring all buurten under 1 second,
the uncertainty analysis under 30 seconds. Needs the raw file ``kwb-2023-transformed.xlsx`` (CBS KWB 2023,
43 columns, all regions; see data/README.md for its origin), passed as an argument:

    python benchmarks/bench_national.py PATH/TO/kwb-2023-transformed.xlsx

The area registry is derived from the codes (BU -> WK -> GM -> NL00); the framework is the
KWB part of the Leeuwarden default (income, bijstand, jeugdzorg, herkomst).
"""

from __future__ import annotations

import resource
import sys
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from _timing import timed

from aandacht.config import load_config
from aandacht.inputs.check import check_data
from aandacht.inputs.load import load_indicators
from aandacht.inputs.matrix import build_matrix
from aandacht.scoring import score
from aandacht.scoring.robustness import uncertainty
from aandacht.scoring.run import ScoreRun

INDICATORS = [
    {"id": "laag_inkomen", "label": "Huishoudens laagste 40%", "parent": "armoede", "direction": 1,
     "variable": "p_hh_li", "per": "huishouden", "min_denominator": 50},
    {"id": "bijstand", "label": "Bijstand per 1.000", "parent": "armoede", "direction": 1, "numerator": "a_soz_wb",
     "denominator": "a_inw", "scale": 1000, "per": "inwoner", "min_denominator": 100},
    {"id": "inkomen", "label": "Gemiddeld inkomen", "parent": "armoede", "direction": -1, "variable": "g_ink_pi",
     "per": "inwoner"},
    {"id": "jeugdzorg", "label": "Jeugdzorg", "parent": "jeugd", "direction": 1, "variable": "p_jz_tn", "per": "jongere"},
    {"id": "herkomst", "label": "Herkomst buiten Europa", "parent": "jeugd", "direction": 1, "numerator": "a_neu_al",
     "denominator": "a_inw", "scale": 100, "per": "inwoner"},
]


def national_registry(kwb: Path, folder: Path) -> Path:
    """Write an area registry derived from the region codes (parents follow from the code structure)."""
    codes = pd.read_excel(kwb, usecols=["gwb_code_10", "gm_naam"], dtype=str, engine="calamine")
    code = codes["gwb_code_10"].str.strip()
    level = code.str[:2].map({"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"})
    parent = pd.Series("", index=code.index)
    parent[level == "gemeente"] = "NL00"
    parent[level == "wijk"] = "GM" + code[level == "wijk"].str[2:6]
    parent[level == "buurt"] = "WK" + code[level == "buurt"].str[2:8]
    names = codes["gm_naam"].where(level.isin(["gemeente", "land"]), "")
    registry = pd.DataFrame({"area_code": code, "area_name": names, "level": level, "parent_code": parent, "vintage": "2023"})
    path = folder / "areas.csv"
    registry.to_csv(path, index=False)
    return path


def national_config(kwb: Path, registry: Path, level: str, folder: Path) -> Path:
    for indicator in INDICATORS:
        indicator.update({"input": "kwb", "weight": 1})
    config = {
        "name": f"Nederland, alle {level}en", "gemeente": {"code": "NL00", "name": "Nederland"}, "level": level,
        "period": "2023", "areas": {"registry": str(registry)},
        "inputs": {"kwb": {"loader": "kwb", "path": str(kwb), "period": "2023"}},
        "population": {"input": "kwb", "variable": "a_hh_m_k", "minimum": 20, "label": "huishoudens met kinderen"},
        "framework": {"index": {"id": "index", "label": "Index"}, "nodes": [
            {"id": "armoede", "label": "Armoede", "parent": "index"}, {"id": "jeugd", "label": "Jeugd", "parent": "index"}],
            "indicators": INDICATORS},
    }
    path = folder / f"national-{level}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path



def main(kwb: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        registry_path = timed("derive registry from codes", national_registry, kwb, folder)
        for level in ("wijk", "buurt"):
            config = load_config(national_config(kwb, registry_path, level, folder), allow_outside=True)
            registry, tidy, _ = timed(f"load KWB 2023 xlsx -> tidy ({level})", load_indicators, config)
            timed(f"aandacht check ({level})", check_data, config)
            matrix = timed(f"build matrix ({level})", build_matrix, tidy, config, registry)
            result = timed(f"score {int(matrix.areas['scored'].sum())} {level}en", score, matrix.scored_values,
                           config.framework, config.method)
            print(f"{'':<42} ranked {int(result.rank.notna().sum())} of {len(matrix.areas)}")
            run = ScoreRun(config, registry, tidy, matrix, result)
            timed(f"uncertainty, 1,000 draws ({level}en)", lambda: uncertainty(run, draws=1000, sobol=False))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<42} {peak:7.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
