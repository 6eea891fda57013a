"""Build a temporary aandacht project for any gemeente from the public raw files, to try the
herijking, the maps and the report on a gemeente that aandacht does not ship (for example
Groningen, GM0014, whose city wijken are small beside its villages). Not a shipped feature:
national embedded data and ``aandacht init`` are a separate piece of work.

Reads (in the raw folder described by its PROVENANCE.md): KWB 2023 (whole NL, gemeente and wijk
rows), KWB 2022 wijk figures and polygons (tmap), the DUO schools with BAG coordinates (2024),
the DUO list of 2026 (board numbers), the DUO besturenlijst (board names) and the CBS
achterstandsscores 2019. Writes ``OUT/data/<slug>/`` in the layout of ``data/leeuwarden`` and
``OUT/configs/<slug>.yaml``: the Leeuwarden config with this gemeente's paths (onderwijs scored on
the CBS achterstandsscores 2019: the schoolweging needs schools placed by hand), about a third of
the scored wijken designated and two Plus-IKC places more than designated wijken. Run by hand::

    python benchmarks/make_project.py GM0014 --raw PATH/TO/raw --out /tmp/groningen
    cd /tmp/groningen && aandacht herijking --round 2026 --config configs/groningen.yaml --pdf
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml
from pyproj import Transformer

REPO = Path(__file__).resolve().parent.parent


def build(code: str, raw: Path, out: Path) -> Path:
    number = code[2:]
    kwb = pd.read_csv(raw / "cbs_kwb_2023_inmindaen/kwb2023_nl_gm_wk_43cols.csv", dtype=str, keep_default_na=False)
    rows = kwb[(kwb["gwb_code_10"] == code) | kwb["gwb_code_10"].str.startswith(f"WK{number}")]
    if rows.empty:
        sys.exit(f"error: {code} not in the KWB 2023 file")
    name = rows.loc[rows["gwb_code_10"] == code, "gm_naam"].item()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    data = out / "data" / slug
    data.mkdir(parents=True, exist_ok=True)
    (out / "configs").mkdir(parents=True, exist_ok=True)
    columns = ["gwb_code_10", "gm_naam", "a_inw", "a_hh", "a_hh_m_k", "a_nl_all", "a_eur_al", "a_neu_al", "g_wozbag",
               "g_ink_pi", "p_ink_li", "p_hh_li", "a_soz_wb", "a_jz_tn", "p_jz_tn", "a_wmo_t"]
    rows[columns].to_csv(data / "kwb-2023.csv", index=False)
    tmap = gpd.read_file(raw / "cbs_kwb_2022_tmap/tmap_NLD_dist_2022_rd.geojson")
    wijken = tmap[tmap["code"].str.startswith(f"WK{number}")].rename(columns={"code": "area_code", "name": "area_name"})
    wijken[["area_code", "area_name", "geometry"]].to_file(data / "wijken.geojson", driver="GeoJSON")
    pd.DataFrame({"gwb_code": wijken["area_code"], "regio_naam": wijken["area_name"], "a_inw": wijken["population"],
                  "p_00_14_jr": wijken["pop_0_14"], "p_koopw": wijken["dwelling_ownership"],
                  "p_ink_laag": wijken["income_low"], "g_wozbag": wijken["dwelling_value"]}).to_csv(
        data / "kwb-2022-wijk.csv", index=False)
    registry = pd.concat([
        pd.DataFrame([{"area_code": code, "area_name": name, "level": "gemeente", "parent_code": "", "vintage": "2023"}]),
        pd.DataFrame({"area_code": wijken["area_code"], "area_name": wijken["area_name"], "level": "wijk",
                      "parent_code": code, "vintage": "2022"}),
    ])
    registry.to_csv(data / "areas.csv", index=False)
    schools(code, raw, data, wijken)
    return config(code, name, slug, out, raw, len(wijken))


def schools(code: str, raw: Path, data: Path, wijken) -> None:
    """schools.csv in the layout of data/leeuwarden: DUO 2026 vestigingen of the gemeente with BAG
    coordinates and the CBS achterstandsscores 2019, placed in a wijk by point in polygon."""
    duo = pd.read_csv(raw / "duo_po_vestigingen/02.-alle-schoolvestigingen-basisonderwijs_2026.csv", sep=";",
                      encoding="cp1252", dtype=str)
    duo = duo[duo["GEMEENTENUMMER"].str.strip().str.zfill(4) == code[2:]]
    with zipfile.ZipFile(raw / "duo_scholen_2024_bag/scholen20241122.geo.zip") as archive:
        features = json.loads(archive.read("scholen.geo.json"))["features"]
    where = {f["properties"]["vestigingscode"]: f["geometry"]["coordinates"] for f in features if f.get("geometry")}
    scores = pd.read_csv(raw / "cbs_achterstandsscores_basisscholen_2019/achterstandsscores-scholen-2019_tabel1_tabel2.csv",
                         dtype=str).set_index("brin_vestiging")
    to_rd = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
    rows = []
    for school in duo.itertuples():
        brin = school.VESTIGINGSCODE
        if brin not in scores.index:
            continue
        lon, lat = where.get(brin, (None, None))
        x, y = to_rd.transform(lon, lat) if lon is not None else ("", "")
        wijk = ""
        if lon is not None:
            hits = wijken.loc[wijken.geometry.covers(gpd.points_from_xy([x], [y])[0]), "area_code"]
            wijk = hits.iloc[0] if len(hits) else ""
        s = scores.loc[brin]
        rows.append({"brin_vestiging": brin, "brin": brin[:4], "vestigingsnummer": brin[4:], "name": school.VESTIGINGSNAAM,
                     "bevoegd_gezag_nummer": school._2, "denominatie": school.DENOMINATIE, "soort_po": "bo",
                     "street": "", "house_number": "", "postcode": school.POSTCODE, "plaats": school.PLAATSNAAM,
                     "in_duo_2020": "true", "source_list": "duo_2026", "lat": lat or "", "lon": lon or "",
                     "x_rd": f"{x:.1f}" if x != "" else "", "y_rd": f"{y:.1f}" if y != "" else "",
                     "leerlingen": s["aantal_bekostigde_leerlingen"], "achterstandsscore": s["achterstandsscore"],
                     "voetnoot": s["voetnoot"], "achterstandsscore_zonder_drempel": s["achterstandsscore_zonder_drempel"],
                     "achterstandsscore_zonder_drempel_onderbouw": s["achterstandsscore_zonder_drempel_onderbouw"],
                     "achterstandsscore_zonder_drempel_bovenbouw": s["achterstandsscore_zonder_drempel_bovenbouw"],
                     "voetnoot_t2": s["voetnoot_t2"], "wijk_code": wijk,
                     "placement": "point_in_polygon" if wijk else "unplaced"})
    pd.DataFrame(rows).fillna("").to_csv(data / "schools.csv", index=False)
    boards = pd.read_csv(raw / "duo_besturen/duo_besturen_bo_besturenlijst_excerpt.csv", dtype=str)
    boards = boards[boards["bevoegd_gezag"].isin(set(duo["BEVOEGD GEZAG NUMMER"]))]
    boards.rename(columns={"bevoegd_gezag": "bevoegd_gezag_nummer"})[["bevoegd_gezag_nummer", "naam"]].to_csv(
        data.parent.parent / "configs" / "school_boards.csv", index=False)


def config(code: str, name: str, slug: str, out: Path, raw: Path, n_wijken: int) -> Path:
    (out / "configs").mkdir(parents=True, exist_ok=True)
    raw_config = yaml.safe_load((REPO / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    raw_config["name"] = f"{name} - proefproject (niet meegeleverd)"
    raw_config["gemeente"] = {"code": code, "name": name}
    raw_config["areas"] = {"registry": f"../data/{slug}/areas.csv", "geometry": f"../data/{slug}/wijken.geojson"}
    raw_config["inputs"]["kwb2023"]["path"] = f"../data/{slug}/kwb-2023.csv"
    raw_config["inputs"]["kwb2022"]["path"] = f"../data/{slug}/kwb-2022-wijk.csv"
    raw_config["inputs"]["scholen"]["path"] = f"../data/{slug}/schools.csv"
    raw_config["inputs"]["scholen"].pop("locations", None)
    # The schoolweging and leerresultaten need the gemeente's objects van toezicht placed by hand; this
    # project scores onderwijs on the CBS achterstandsscores 2019 of the schools in the wijk instead.
    for name in ("schoolweging", "leerresultaten"):
        raw_config["inputs"].pop(name, None)
    indicators = [i for i in raw_config["framework"]["indicators"] if i["input"] in raw_config["inputs"]]
    raw_config["framework"]["indicators"] = [
        {"id": "oab_score", "label": "Achterstandsscore per 100 leerlingen (scholen in de wijk)", "parent": "onderwijs",
         "direction": 1, "input": "scholen", "variable": "achterstandsscore_zonder_drempel_per_100_leerlingen",
         "unit": "per 100 leerlingen", "per": "leerling", "min_denominator": 100}, *indicators]
    designated = max(2, round(n_wijken / 3))
    raw_config["designation"]["top_k"] = designated
    raw_config["designation"].pop("groups", None)
    raw_config["selection"]["count"] = designated + 2
    raw_config["uncertainty"].pop("designation", None)
    raw_config["consensus"]["top_k"] = designated
    path = out / "configs" / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(raw_config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code", help="CBS gemeente code, e.g. GM0014")
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    print(build(options.code, options.raw, options.out))


if __name__ == "__main__":
    main()
