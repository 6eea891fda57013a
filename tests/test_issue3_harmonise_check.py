"""Harmonisation (names, PC4, vintages, precedence), aandacht check, and a round trip."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.config import InputSpec, TableLayout, load_config, parse_config
from aandacht.inputs.check import check_data
from aandacht.inputs.harmonise import (
    AreaMatcher,
    convert_vintage,
    normalise_name,
    read_aliases,
    redistribute,
)
from aandacht.inputs.load import load_input
from aandacht.inputs.tidy import coerce_tidy
from aandacht.scoring.run import run_score
from conftest import absolute_input_paths
from sources_helpers import FIXTURES, ROOT, SHARED_RAW, kinderen_in_tel_xlsx, registry  # noqa: F401 (fixtures)

CROSSWALK = SHARED_RAW / "grenswijzigingen_wijk_reidhin" / "grenswijzigingen_wijk_2016_2024_long.csv"


@pytest.mark.parametrize("raw, expected", [
    ("Heechterp & Schieringen", "heechterp en schieringen"),
    ("Sonnenborgh e.o.", "sonnenborgh"),
    ("Huizum-West", "huizum west"),
    ("Nijlân  &  De Zwette", "nijlan en de zwette"),
    ("Hempens/Teerns & Zuiderburen", "hempens teerns en zuiderburen"),
])
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_matcher_methods(registry):
    aliases = read_aliases(ROOT / "configs" / "aliases_leeuwarden.csv", set(registry.table.index))
    matcher = AreaMatcher(registry, aliases, threshold=90)
    found = matcher.match(["WK008050  ", "Vrijheidswijk", "Frijheidswyk", "Skepenbuert", "Wielenpôle",
                           "Camminghaburen", "Oud Oost", "Zuidlanden de", "Nergenshuizen"]).set_index("label")
    assert found.loc["WK008050  ", "method"] == "code"
    assert found.loc["Vrijheidswijk", "area_code"] == found.loc["Frijheidswyk", "area_code"] == "WK008061"
    assert found.loc["Skepenbuert", "area_code"] == "BU00801104"
    assert found.loc["Wielenpôle", "area_code"] == "BU00801105"
    assert found.loc["Camminghaburen", "area_code"] == "WK008051"
    assert found.loc["Oud Oost", "area_code"] == "WK008020"
    assert found.loc["Zuidlanden de", "method"] == "ambiguous"  # a wijk and a buurt are both called De Zuidlanden
    assert matcher.match(["Zuidlanden de"], "wijk")["method"].iloc[0] == "fuzzy"  # token order differs
    assert found.loc["Nergenshuizen", "method"] == "unmatched"
    same = matcher.match(["Grou e.o.", "Grou", "Goutum"]).set_index("label")
    assert same.loc["Grou e.o.", "area_code"] == "WK008082"  # exact name, although "grou" also names a buurt
    assert same.loc["Grou", "area_code"] == "BU00808206"
    assert same.loc["Goutum", "method"] == "ambiguous"  # wijk and buurt are both called Goutum
    assert matcher.match(["Goutum"], "wijk")["area_code"].iloc[0] == "WK008071"


def test_alias_to_unknown_code_is_error(registry, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,area_code,note\nErgens,WK999999,x\n", encoding="utf-8")
    with pytest.raises(Exception, match="WK999999"):
        read_aliases(path, set(registry.table.index))


def _tidy(rows):
    return coerce_tidy(pd.DataFrame(rows, columns=["area_code", "level", "period", "source", "indicator", "value",
                                                   "numerator", "denominator", "unit", "flag"]))


def test_redistribute_counts_and_rates_from_numerators():
    tidy = _tidy([("A", "wijk", "2019", "s", "n", 100, None, None, "aantal", ""),
                  ("B", "wijk", "2019", "s", "n", 50, None, None, "aantal", ""),
                  ("A", "wijk", "2019", "s", "p", 10, 10, 100, "%", ""),
                  ("B", "wijk", "2019", "s", "p", 40, 20, 50, "%", "")])
    links = pd.DataFrame({"from_code": ["A", "A", "B"], "to_code": ["X", "Y", "Y"], "weight": [0.5, 0.5, 1.0]})
    out, notes = redistribute(tidy, links, {}, "test")
    get = out.set_index(["area_code", "indicator"])
    assert get.loc[("X", "n"), "value"] == 50 and get.loc[("Y", "n"), "value"] == 100
    # Y: numerator 5 + 20 = 25, denominator 50 + 50 = 100 -> 25 %
    assert get.loc[("Y", "p"), "value"] == pytest.approx(25.0)
    assert get.loc[("Y", "p"), "denominator"] == pytest.approx(100)
    assert notes == []


@pytest.mark.skipif(not CROSSWALK.is_file(), reason="../shared reidhin crosswalk (CC BY-NC-SA, test use only) absent")
def test_convert_vintage_with_reidhin_crosswalk(registry):
    raw = pd.read_csv(CROSSWALK, dtype=str)
    raw = raw[(raw["variant"] == "wijk") & raw["van_wijk"].str.startswith("WK0080")]
    crosswalk = pd.DataFrame({"from_year": raw["van_jaar"], "to_year": raw["naar_jaar"], "from_code": raw["van_wijk"],
                              "to_code": raw["naar_wijk"], "weight": raw["aantal_adressen"].astype(float)})
    kwb = [("WK008032", 1000, 100, 400), ("WK008041", 2000, 300, 600), ("WK008074", 50, 0, 10), ("WK008073", 3000, 900, 1000)]
    tidy = _tidy([(c, "wijk", "2019", "kwb", "a_inw", inw, None, None, "aantal", "") for c, inw, _, _ in kwb]
                 + [(c, "wijk", "2019", "kwb", "p_x", 100 * n / d, n, d, "%", "") for c, _, n, d in kwb])
    out, notes = convert_vintage(tidy, crosswalk, "2019", "2024")
    before = tidy[tidy["indicator"] == "a_inw"]["value"].sum()
    after = out[out["indicator"] == "a_inw"]["value"].sum()
    assert after == pytest.approx(before)  # counts are conserved
    rates = out[out["indicator"] == "p_x"].set_index("area_code")
    assert (rates["value"] - 100 * rates["numerator"] / rates["denominator"]).abs().max() < 1e-9


def _mixed_config(tmp_path, kit_path):
    raw = yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    raw["areas"] = {"registry": str(ROOT / "data/leeuwarden/areas.csv"), "geometry": str(ROOT / "data/leeuwarden/wijken.geojson")}
    absolute_input_paths(raw, ROOT / "configs")
    raw["inputs"]["monitor"] = {"loader": "jeugdmonitor", "path": str(FIXTURES / "jeugdmonitor" / "swing_export.csv"),
                                "period": "2023", "aliases": str(ROOT / "configs" / "aliases_leeuwarden.csv")}
    raw["inputs"]["kit"] = {"loader": "kinderen_in_tel", "path": str(kit_path), "period": "2015", "other_areas": "ignore",
                            "aliases": str(ROOT / "configs" / "aliases_leeuwarden.csv")}
    raw["framework"]["nodes"].append({"id": "welzijn", "label": "Welzijn (DEMONSTRATIEDATA)", "parent": "kansenindex"})
    raw["framework"]["indicators"].append({"id": "gepest", "label": "Gepest (demo)", "parent": "welzijn", "direction": 1,
                                           "input": "monitor", "variable": "% leerlingen dat gepest wordt", "unit": "%",
                                           "per": "leerling"})
    raw["framework"]["indicators"].append({"id": "uitkering", "label": "Uitkeringsgezinnen (demo)", "parent": "welzijn",
                                           "direction": 1, "input": "kit", "variable": "Kinderen in uitkeringsgezinnen",
                                           "unit": "%", "per": "kind"})
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_config(path, allow_outside=True)


def test_round_trip_three_source_families(tmp_path, kinderen_in_tel_xlsx):
    config = _mixed_config(tmp_path, kinderen_in_tel_xlsx)
    run = run_score(config)
    assert run.result.index.notna().sum() >= 15
    assert run.matrix.values.loc["WK008050", "gepest"] == pytest.approx(15.1)
    assert run.matrix.values.loc["WK008061", "uitkering"] == pytest.approx(18.0)


def test_precedence_reported(tmp_path):
    raw = yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    raw["precedence"] = {"inwoners": {"variable": "a_inw", "inputs": ["kwb2023", "kwb2022"]}}
    raw["population"] = {"input": "inwoners", "variable": "a_inw", "minimum": 100, "label": "inwoners"}
    config = parse_config(raw, ROOT / "configs" / "leeuwarden.yaml")
    run = run_score(config)
    assert any(n.startswith("precedence inwoners") and "kwb2023:" in n for n in run.notes)


def test_check_default_config_usable_with_warnings(tmp_path):
    report = check_data(load_config(ROOT / "configs" / "leeuwarden.yaml"))
    assert report.status == "warnings" and report.exit_code(False) == 0 and report.exit_code(True) == 1
    coverage = report.coverage.set_index(["source", "indicator"])
    assert coverage.loc[("kwb2023", "p_hh_li"), "areas_with_value"] == 21
    assert ("scholen", "scholen") in set(zip(report.stale["source"], report.stale["indicator"]))
    assert (report.missing["flag"] == "suppressed").any()
    small = report.out_of_range[report.out_of_range["indicator"] == "bijstand"]
    assert list(small["area_code"]) == ["WK008074"]  # Middelsee: 55 inwoners, below min_denominator 200
    assert small["problem"].iloc[0] == "noemer onder min_denominator 200"
    assert "teller groter dan noemer" not in set(report.out_of_range["problem"])  # scores per 100 pupils are no shares


def test_check_finds_out_of_range_fuzzy_and_unusable(tmp_path, kinderen_in_tel_xlsx):
    bad = tmp_path / "monitor.csv"
    bad.write_text("Geo;Perioden;% leerlingen dat gepest wordt\nBinnenstad;2023;130\nVossepark en Helikon;2023;5\n",
                   encoding="utf-8")
    config = _mixed_config(tmp_path, kinderen_in_tel_xlsx)
    spec = config.inputs["monitor"].model_copy(update={"path": bad})
    config = config.model_copy(update={"inputs": {**config.inputs, "monitor": spec}})
    report = check_data(config)
    assert "percentage boven 100" in set(report.out_of_range["problem"])
    assert "fuzzy" in set(report.matches["method"])
    bad.write_text("Geo;Perioden;% gepest\nBinnenstad;2023;13\n", encoding="utf-8")
    report = check_data(config)
    assert report.status == "unusable"  # the framework's 'gepest' variable is not in this file
    broken = config.inputs["kit"].model_copy(update={"path": tmp_path / "absent.xlsx"})
    report = check_data(config.model_copy(update={"inputs": {**config.inputs, "kit": broken}}))
    assert any("niet te lezen" in m and "file not found" in m for m in report.problems["message"])


def test_check_cli_writes_report_and_exit_codes(tmp_path):
    runner = CliRunner()
    out = tmp_path / "check"
    result = runner.invoke(main, ["check", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {"check.xlsx", "coverage.csv", "problems.csv", "manifest.json"} <= {p.name for p in out.iterdir()}
    strict = runner.invoke(main, ["check", "--strict", "--out", str(tmp_path / "strict")])
    assert strict.exit_code == 1


@pytest.mark.parametrize("name, count", [("leiden", 10), ("leidschendam-voorburg", 13)])
def test_other_gemeenten_score(name, count):
    run = run_score(load_config(ROOT / "configs" / f"{name}.yaml"))
    assert len(run.matrix.areas) == count and run.result.index.notna().sum() >= count - 2


def _leeuwarden_raw():
    return yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))


def test_config_precedence_unknown_input_is_one_line_error():
    from aandacht.errors import ConfigError

    raw = _leeuwarden_raw()
    raw["precedence"] = {"inwoners": {"variable": "a_inw", "inputs": ["kwb2023", "kwb2099"]}}
    with pytest.raises(ConfigError, match=r"precedence.inwoners.inputs: unknown input\(s\) \['kwb2099'\]"):
        parse_config(raw, ROOT / "configs" / "leeuwarden.yaml")


def test_config_table_layout_conflict_is_error():
    from aandacht.errors import ConfigError

    raw = _leeuwarden_raw()
    raw["inputs"]["monitor"] = {"loader": "generic", "path": "x.csv", "period": "2023",
                                "table": {"area_column": "Wijk", "period_column": "Jaar", "wide_periods": True}}
    with pytest.raises(ConfigError, match="inputs.monitor.table"):
        parse_config(raw, ROOT / "configs" / "leeuwarden.yaml")


def test_check_cli_unusable_exit_2(tmp_path):
    raw = _leeuwarden_raw()
    raw["inputs"]["kwb2022"]["path"] = "../data/leeuwarden/kwb-2099-absent.csv"
    path = ROOT / "configs" / "leeuwarden.yaml"
    config_file = tmp_path / "broken.yaml"
    absolute_input_paths(raw, path.parent)
    raw["areas"] = {"registry": str(ROOT / "data/leeuwarden/areas.csv"), "geometry": str(ROOT / "data/leeuwarden/wijken.geojson")}
    config_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["--allow-outside-paths", "check", "--config", str(config_file), "--out", str(out)])
    assert result.exit_code == 2
    problems = pd.read_csv(out / "problems.csv", sep=";", encoding="utf-8-sig")
    assert list(problems.columns) == ["ernst", "bron", "bevinding"] and "onbruikbaar" in set(problems["ernst"])
    assert problems["bevinding"].str.contains("kwb-2099-absent.csv: file not found").any()


def test_input_crosswalk_from_config(registry, tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("wijk;kinderen;aandeel\nWK008032;1000;10,0\nWK008041;500;20,0\nWK008010;50;5,0\n", encoding="utf-8")
    layout = TableLayout(area_column="wijk", area_kind="code", units={"kinderen": "aantal"}, unit="%")
    spec = InputSpec(loader="generic", path=path, period="2019", source="demo", table=layout,
                     crosswalk=FIXTURES / "harmonise" / "crosswalk_demo.csv", vintage="2019")
    loaded = load_input(spec, registry, "wijk")  # the registry's wijken are on 2024 boundaries
    table = loaded.table.set_index(["area_code", "indicator"])
    assert table.loc[("WK008041", "kinderen"), "value"] == pytest.approx(504)  # 500 + 0.4 % of 1000
    assert table.loc[("WK008032", "kinderen"), "value"] == pytest.approx(996)
    assert table.loc[("WK008010", "kinderen"), "value"] == 50  # not in the crosswalk: unchanged, reported
    assert any("omgerekend van de grenzen van 2019 naar die van 2024" in n for n in loaded.notes)
    assert any("bij benadering" in n for n in loaded.notes)  # 'aandeel' has no numerator/denominator


@pytest.mark.parametrize("module", ["aandacht.inputs.harmonise", "aandacht.inputs.check", "aandacht.inputs.sources.generic",
                                    "aandacht.inputs.sources.duo", "aandacht.inputs.sources.oab", "aandacht.inputs.sources.kwb_odata"])
def test_modules_import_first_in_a_fresh_interpreter(module):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr.splitlines()[-1:]


@pytest.mark.parametrize("only_text", [True, False])
def test_coerce_tidy_makes_text_of_a_column_of_numbers_on_either_pandas(monkeypatch, only_text):
    """A text column that holds numbers (a period read as 2023) becomes text, whether ``astype(str)`` gives a
    string dtype (pandas 3) or object, which may hold anything (pandas 2: nothing may be skipped then)."""
    from aandacht.inputs import tidy

    monkeypatch.setattr(tidy, "TEXT_HOLDS_ONLY_TEXT", only_text)
    frame = pd.DataFrame({"area_code": ["WK1"], "area_name": ["A"], "level": ["wijk"], "period": pd.Series([2023], dtype=object),
                          "source": ["kwb"], "indicator": ["x"], "value": [1.0]})
    assert coerce_tidy(frame)["period"].tolist() == ["2023"]
