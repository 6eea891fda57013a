"""Benchmark: a national wijk map (and its scoring run) on real data, whole NL 2022.

Uses the CBS Kerncijfers Wijken en Buurten 2022 attributes and precise wijk polygons of
all 3,340 Dutch wijken (tmap's NLD_dist, EPSG:28992; see data/README.md for its origin).
Times: building the inputs, a scoring run (load, matrix, score), and drawing and saving
the national score map as PNG (300 dpi, A4). Target (issue 7, 2-core machine): the national
map under 15 seconds. Run by hand:

    python benchmarks/bench_national_map.py PATH/TO/tmap_NLD_dist_2022_rd.geojson [copy.png]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml
from _timing import timed

from aandacht.config import load_config
from aandacht.present.maps import map_frame, save_figure, score_map
from aandacht.scoring.run import run_score


def national_inputs(source: Path, folder: Path) -> Path:
    """Registry, KWB-layout table and polygons for all wijken, and a config using them."""
    wijken = gpd.read_file(source)
    codes = wijken["code"].astype(str)
    gemeenten = sorted(set("GM" + codes.str[2:6]))
    registry = pd.concat([
        pd.DataFrame({"area_code": ["NL00"], "area_name": ["Nederland"], "level": "land", "parent_code": "", "vintage": "2022"}),
        pd.DataFrame({"area_code": gemeenten, "area_name": "", "level": "gemeente", "parent_code": "NL00", "vintage": "2022"}),
        pd.DataFrame({"area_code": codes, "area_name": wijken["name"], "level": "wijk",
                      "parent_code": "GM" + codes.str[2:6], "vintage": "2022"}),
    ])
    registry.to_csv(folder / "areas.csv", index=False)
    kwb = pd.DataFrame({"gwb_code": codes, "a_inw": wijken["population"], "p_00_14_jr": wijken["pop_0_14"],
                        "p_ink_laag": wijken["income_low"], "p_koopw": wijken["dwelling_ownership"]})
    kwb.to_csv(folder / "kwb-2022.csv", index=False)
    wijken[["code", "geometry"]].rename(columns={"code": "area_code"}).to_file(folder / "wijken.gpkg", driver="GPKG")
    indicators = [
        {"id": "laag_inkomen", "label": "Personen met laag inkomen", "parent": "index", "direction": 1,
         "input": "kwb", "variable": "p_ink_laag", "per": "inwoner"},
        {"id": "koopwoningen", "label": "Koopwoningen", "parent": "index", "direction": -1,
         "input": "kwb", "variable": "p_koopw", "per": "woning"},
        {"id": "kinderen", "label": "Kinderen 0-14", "parent": "index", "direction": 1,
         "input": "kwb", "variable": "p_00_14_jr", "per": "inwoner"},
    ]
    config = {
        "name": "Nederland, alle wijken 2022", "gemeente": {"code": "NL00", "name": "Nederland"}, "level": "wijk",
        "period": "2022", "areas": {"registry": "areas.csv", "geometry": "wijken.gpkg"},
        "inputs": {"kwb": {"loader": "kwb", "path": "kwb-2022.csv", "period": "2022"}},
        "framework": {"index": {"id": "index", "label": "Index (benchmark)"}, "indicators": indicators},
    }
    path = folder / "national.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path



def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        config = load_config(timed("build national inputs", national_inputs, source, folder))
        run = timed("scoring run (load, matrix, score)", run_score, config)
        print(f"{'':<40} ranked {int(run.result.rank.notna().sum())} of {len(run.matrix.areas)} wijken")
        start = time.perf_counter()
        figure = score_map(map_frame(run), "a4")
        save_figure(figure, folder / "kaart.png", 300)
        if len(sys.argv) > 2:
            save_figure(figure, Path(sys.argv[2]), 100)
        print(f"{'national wijk map (draw + PNG 300 dpi)':<40} {time.perf_counter() - start:7.3f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<40} {peak:7.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
