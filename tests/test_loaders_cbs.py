"""CBS sources: the KWB download in the real layout written the Dutch way, CBS signs, StatLine CSV,
OData caches (typed and untyped, real 85984NED metadata and figures), dimension filters, the
recorded downloads of ``aandacht fetch``, and the size guard and column selection of large inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.config import InputSpec, TableLayout
from aandacht.errors import AandachtError, DataError
from aandacht.inputs.load import check_size, load_input
from aandacht.inputs.reading import read_table as generic_read
from aandacht.inputs.sources import LOADERS
from sources_helpers import FIXTURES, ROOT, registry  # noqa: F401 (registry is a pytest fixture)

KWB = ROOT / "data" / "leeuwarden" / "kwb-2023.csv"
ODATA = FIXTURES / "cbs_odata"


def spec(path, period="2023", **extra) -> InputSpec:
    return InputSpec(loader="kwb", path=Path(path), period=period, source="kwb", **extra)


def values(table: pd.DataFrame) -> pd.Series:
    return table.set_index(["area_code", "indicator"])["value"].sort_index()


def dutch_style(frame: pd.DataFrame, space: str = ".") -> pd.DataFrame:
    """The real kwb-2023 columns written as a Dutch spreadsheet writes them: counts grouped by
    thousands (6.220 or 6 220), decimals with a comma (77,3)."""
    def cell(column, text):
        if text in (".", "") or column in ("gwb_code_10", "gm_naam"):
            return text
        number = float(text)
        if column.startswith("a_"):
            return f"{int(number):,}".replace(",", space)
        return text.replace(".", ",")
    return frame.apply(lambda column: column.map(lambda text: cell(column.name, text)))


@pytest.mark.parametrize("space", [".", "\u00a0"])
def test_kwb_written_the_dutch_way_reads_the_same_numbers(registry, tmp_path, space):
    """6.220 inwoners is 6220 (not 6.22), 1.234,5 is 1234.5, 6 220 with a no-break space is 6220."""
    frame = pd.read_csv(KWB, dtype=str, keep_default_na=False)
    dutch = dutch_style(frame, space)
    assert dutch.loc[dutch["gwb_code_10"] == "GM0080", "a_inw"].item() == f"127{space}073"
    path = tmp_path / "kwb-2023.csv"
    dutch.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    clean = LOADERS["kwb"](spec(KWB), registry).table
    messy = LOADERS["kwb"](spec(path), registry).table
    pd.testing.assert_series_equal(values(clean), values(messy))
    assert values(messy)[("WK008010", "a_inw")] == 6220  # the wijk of the issue: not 6.22


def test_kwb_grouped_decimal_in_semicolon_file(registry, tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10;a_inw;g_wozbag\nWK008010;6.220;1.234,5\nWK008050;3.675;159\n", encoding="utf-8")
    table = values(LOADERS["kwb"](spec(path), registry).table)
    assert table[("WK008010", "g_wozbag")] == 1234.5 and table[("WK008050", "a_inw")] == 3675


def test_kwb_fractional_count_is_refused(registry, tmp_path):
    frame = pd.read_csv(KWB, dtype=str, keep_default_na=False)
    frame.loc[frame["gwb_code_10"] == "WK008074", "a_hh_m_k"] = "49.9999"
    path = tmp_path / "kwb.csv"
    frame.to_csv(path, index=False)
    row = int(frame.index[frame["gwb_code_10"] == "WK008074"][0]) + 2
    with pytest.raises(DataError, match=rf"row {row}, column a_hh_m_k: '49.9999' is not a whole number, but a_hh_m_k is a count"):
        LOADERS["kwb"](spec(path), registry)


def test_kwb_out_of_range_is_refused_or_left_to_the_matrix(registry, tmp_path):
    """A percentage over 100 stops the kwb loader naming row and column; with ``out_of_range: missing`` the
    loader reads it and the matrix leaves it out with a note (inputs.matrix._plausible), as for every input."""
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw,p_hh_li\nWK008010,6220,120\nWK008050,3675,12\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, column p_hh_li: 120 is out of range \(a percentage must lie between 0 and 100\)"):
        LOADERS["kwb"](spec(path), registry)
    lenient = spec(path).model_copy(update={"out_of_range": "missing"})
    table = values(LOADERS["kwb"](lenient, registry).table)
    assert table[("WK008010", "p_hh_li")] == 120 and table[("WK008050", "p_hh_li")] == 12


def test_kwb_reads_only_the_needed_columns_and_rows(registry, tmp_path):
    frame = pd.read_csv(KWB, dtype=str, keep_default_na=False)
    other = frame.assign(gwb_code_10=frame["gwb_code_10"].str.replace("0080", "9999"))
    path = tmp_path / "national.csv"
    pd.concat([frame, other]).to_csv(path, index=False)
    loaded = load_input(spec(path, other_areas="ignore"), registry, "wijk", frozenset({"p_hh_li", "a_inw"}))
    assert set(loaded.table["indicator"]) == {"p_hh_li", "a_inw", "a_hh"}  # a_hh: the base of p_hh_li
    assert not loaded.table["area_code"].str.contains("9999").any()
    assert any("alleen de rijen van gebieden in het gebiedenregister" in n for n in loaded.notes)
    assert loaded.table.set_index(["area_code", "indicator"]).loc[("WK008050", "p_hh_li"), "denominator"] == 2230  # a_hh


def test_size_guard(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw\n" + "WK008010,100\n" * 2000, encoding="utf-8")
    check_size(spec(path, max_file_mb=1))
    with pytest.raises(DataError, match=r"kwb\.csv: the file is 0 MB, more than this input's size guard max_file_mb: 0\.01"):
        check_size(spec(path, max_file_mb=0.01))


def test_statline_csv_with_symbols_through_the_generic_loader(registry, tmp_path):
    """'CSV met statistische symbolen': ';', every field quoted, BOM, codes padded to 10, CBS signs."""
    path = tmp_path / "statline.csv"
    path.write_text('\ufeff"WijkenEnBuurten";"Perioden";"JongerenMetJeugdzorg_1";"Aandeel_2"\n'
                    '"WK008010  ";"2023";"85";"4,1"\n"WK008050  ";"2023";"-";"0"\n"WK008074  ";"2023";".";"."\n'
                    '"WK008061  ";"2023";"160*";"17,4"\n', encoding="utf-8")
    layout = TableLayout(area_column="WijkenEnBuurten", period_column="Perioden", area_kind="code",
                         units={"JongerenMetJeugdzorg_1": "aantal"})
    loaded = LOADERS["generic"](InputSpec(loader="generic", path=path, period="2023", source="s", table=layout), registry)
    table = loaded.table.set_index(["area_code", "indicator"])
    assert table.loc[("WK008050", "JongerenMetJeugdzorg_1"), "value"] == 0  # '-' is nihil
    assert table.loc[("WK008074", "JongerenMetJeugdzorg_1"), "flag"] == "suppressed"
    assert table.loc[("WK008010", "Aandeel_2"), "value"] == pytest.approx(4.1)
    assert table.loc[("WK008061", "JongerenMetJeugdzorg_1"), "value"] == 160
    assert any("voorlopige cijfer(s)" in note for note in loaded.notes)


def test_generic_drops_other_gemeenten_while_reading(registry, tmp_path, monkeypatch):
    """other_areas: ignore in the generic loader: rows of CBS codes the registry does not hold never
    reach the frame read (2,500 rows, two chunks of the streaming reader made small for time); names
    are kept; 'error' keeps every row."""
    from aandacht.inputs import reading
    from aandacht.inputs.sources import generic

    monkeypatch.setattr(reading, "CSV_CHUNK_ROWS", 2_000)
    path = tmp_path / "national.csv"
    others = "".join(f"WK{1000 + i // 100:04d}{i % 100:02d};{i % 90}\n" for i in range(2_500))
    path.write_text("gebied;aandeel\nWK008010;4,5\n" + others + "wk008050 ;7\nHuizum-West;8\n", encoding="utf-8")
    read = []
    monkeypatch.setattr(generic, "read_table", lambda *a, **k: read.append(generic_read(*a, **k)) or read[-1])
    layout = TableLayout(area_column="gebied", area_kind="auto", unit="%")
    loaded = LOADERS["generic"](InputSpec(loader="generic", path=path, period="2023", source="s", table=layout,
                                          other_areas="ignore"), registry)
    assert list(read[0]["gebied"].str.strip()) == ["WK008010", "wk008050", "Huizum-West"]
    values = loaded.table.set_index("area_code")["value"]
    assert values["WK008010"] == 4.5 and values["WK008050"] == 7
    assert any("bij het lezen weggelaten (other_areas: ignore)" in note for note in loaded.notes)
    read.clear()
    loaded = LOADERS["generic"](InputSpec(loader="generic", path=path, period="2023", source="s", table=layout), registry)
    assert len(read[0]) == 2_503  # other_areas: error reads every row; build_matrix refuses the codes


# --- OData caches -----------------------------------------------------------------------------------

def test_odata_untyped_real_85984ned(registry):
    """The recorded 85984NED download: real DataProperties and TableInfos, the real 2024 figures of
    the eight variables the source holds, as cbsodata writes them (UntypedDataSet.json)."""
    loaded = LOADERS["kwb"](spec(ODATA / "85984NED" / "GM0080", "2024"), registry)
    table = loaded.table.set_index(["area_code", "indicator"])
    assert table.loc[("GM0080", "AantalInwoners"), "value"] == 128810
    assert table.loc[("WK008010", "AantalInwoners"), "value"] == 6710
    assert table.loc[("WK008010", "AantalInwoners"), "area_name"] == "Binnenstad"
    assert table.loc[("WK008074", "Woningvoorraad"), "unit"] == "aantal"
    assert any("niet in de data" in n for n in loaded.notes)  # 120 of the 128 variables were not downloaded


def test_odata_dimension_needs_a_filter(registry):
    folder = ODATA / "83563NED" / "GM0080"
    with pytest.raises(DataError, match=r"each region has a row per value of \['VormenVanJeugdzorg'\].*filter: "
                                        r"\{VormenVanJeugdzorg: A027918\}"):
        LOADERS["kwb"](spec(folder, "2016"), registry)
    total = LOADERS["kwb"](spec(folder, "2016", filter={"VormenVanJeugdzorg": "T001203"}), registry).table
    protection = LOADERS["kwb"](spec(folder, "2016", filter={"VormenVanJeugdzorg": "A027919"}), registry).table
    total, protection = (t.set_index(["area_code", "indicator"])["value"] for t in (total, protection))
    assert total[("WK008050", "TotaalJongerenMetJeugdzorg")] == 180
    assert protection[("WK008050", "TotaalJongerenMetJeugdzorg")] == 15
    assert pd.isna(total[("WK008074", "TotaalJongerenMetJeugdzorg")])
    with pytest.raises(DataError, match=r"filter VormenVanJeugdzorg: value\(s\) \['T999999'\] do not occur"):
        LOADERS["kwb"](spec(folder, "2016", filter={"VormenVanJeugdzorg": "T999999"}), registry)


def test_odata_one_table_feeds_several_indicators(tmp_path):
    """Two inputs on the same cache folder, each with its own filter, give two indicators."""
    import yaml

    from aandacht.config import load_config
    from aandacht.scoring.run import run_score
    from conftest import absolute_input_paths

    raw = yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    raw["areas"] = {k: str((ROOT / "configs" / v).resolve()) for k, v in raw["areas"].items()}
    absolute_input_paths(raw, ROOT / "configs")
    folder = str(ODATA / "83563NED" / "GM0080")
    for name, form in (("jz_totaal", "T001203"), ("jz_bescherming", "A027919")):
        raw["inputs"][name] = {"loader": "kwb", "path": folder, "period": "2016", "filter": {"VormenVanJeugdzorg": form},
                               "other_areas": "ignore"}
        raw["framework"]["indicators"].append({"id": name, "label": name, "parent": "jeugdhulp", "direction": 1,
                                               "input": name, "variable": "TotaalJongerenMetJeugdzorg", "per": "jongere"})
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    run = run_score(load_config(path, allow_outside=True))
    assert run.matrix.values.loc["WK008050", "jz_totaal"] == 180 and run.matrix.values.loc["WK008050", "jz_bescherming"] == 15


def test_odata_text_that_is_not_a_number_is_one_line_error(registry, tmp_path):
    import json

    folder = tmp_path / "85984NED"
    shutil.copytree(ODATA / "85984NED" / "GM0080", folder)
    rows = json.loads((folder / "UntypedDataSet.json").read_text(encoding="utf-8"))
    rows[1]["AantalInwoners_5"] = "veel"
    (folder / "UntypedDataSet.json").write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(DataError, match=r"UntypedDataSet\.json: row 2, column AantalInwoners_5: 'veel' is not a number"):
        LOADERS["kwb"](spec(folder, "2024"), registry)


# --- aandacht fetch, against recorded responses ----------------------------------------------------

def recorded_download(calls):
    """A stand-in for cbsodata.download_data that writes the recorded responses of the table."""
    def download(table, dir, typed, filters, **kwargs):
        calls.append((table, typed, filters))
        shutil.copytree(ODATA / table / "GM0080", dir, dirs_exist_ok=True)
    return download


@pytest.mark.parametrize("kind, year, table, region", [("kwb", 2024, "85984NED", "WijkenEnBuurten"),
                                                       ("jeugdzorg", 2016, "83563NED", "Wijken")])
def test_fetch_writes_the_cache_and_reuses_it(tmp_path, monkeypatch, kind, year, table, region):
    import cbsodata

    calls = []
    monkeypatch.setattr(cbsodata, "download_data", recorded_download(calls))
    result = CliRunner().invoke(main, ["fetch", kind, "--gemeente", "GM0080", "--year", str(year), "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / table / "GM0080"
    assert f"in de cache: {folder}" in result.output
    assert calls == [(table, True, f"startswith({region},'GM0080') or startswith({region},'WK0080') "
                                    f"or startswith({region},'BU0080')")]
    assert (folder / "UntypedDataSet.json").is_file() and [p.name for p in tmp_path.iterdir()] == [table]
    again = CliRunner().invoke(main, ["fetch", kind, "--gemeente", "GM0080", "--year", str(year), "--cache", str(tmp_path)])
    assert again.exit_code == 0 and len(calls) == 1  # served from the cache


def test_fetch_offline_is_one_line_and_caches_nothing(tmp_path, monkeypatch):
    import cbsodata
    import requests

    def offline(*args, **kwargs):
        raise requests.ConnectionError("no route to host")

    monkeypatch.setattr(cbsodata, "download_data", offline)
    result = CliRunner().invoke(main, ["fetch", "jeugdzorg", "--gemeente", "GM0080", "--year", "2023", "--cache", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "cannot download CBS table 85685NED" in result.output
    assert list(tmp_path.iterdir()) == []


def test_fetch_unknown_year(tmp_path):
    from aandacht.inputs.sources.kwb_odata import fetch_table

    with pytest.raises(AandachtError, match=r"no jeugdzorg table known for 2019; known years: \[2016, 2017, 2021, 2023\]"):
        fetch_table("jeugdzorg", "GM0080", 2019, tmp_path)
