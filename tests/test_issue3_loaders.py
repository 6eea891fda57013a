"""Loaders on clean files, each messy trait, and one-line errors on bad files (the KWB download,
the CBS school file, DUO lists, generic tables); the Inspectie, Jeugdmonitor, Kinderen in Tel and
CBS OData loaders have their own test modules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aandacht.config import InputSpec, TableLayout
from aandacht.errors import AandachtError, DataError
from aandacht.inputs.sources import LOADERS
from sources_helpers import (  # noqa: F401 (registry and kinderen_in_tel_xlsx are pytest fixtures)
    FIXTURES,
    ROOT,
    SHARED_RAW,
    VARIANTS,
    kinderen_in_tel_xlsx,
    registry,
    write_variant,
    write_workbook,
)

ALIASES = ROOT / "configs" / "aliases_leeuwarden.csv"


def spec(loader, path, period="2023", **extra):
    return InputSpec(loader=loader, path=Path(path), period=period, source=loader, **extra)


def value(table, code, indicator, period=None):
    rows = table[(table["area_code"] == code) & (table["indicator"] == indicator)]
    if period is not None:
        rows = rows[rows["period"] == period]
    assert len(rows) == 1, rows
    return rows.iloc[0]












def test_generic_pc4_allocation_counts_and_rates(registry):
    layout = TableLayout(area_column="Gebied", period_column="Jaar", area_kind="pc4",
                         units={"Kinderen in uitkeringsgezinnen (aantal)": "aantal"}, unit="%")
    result = LOADERS["generic"](spec("generic", FIXTURES / "harmonise" / "pc4_report.csv", table=layout,
                                     pc4_allocation=FIXTURES / "harmonise" / "pc4_allocation.csv"), registry)
    table = result.table
    count = "Kinderen in uitkeringsgezinnen (aantal)"
    assert value(table, "WK008050", count).value == pytest.approx(70)  # 0.7 x 100
    assert value(table, "WK008051", count).value == pytest.approx(30)
    assert value(table, "WK008061", count).value == pytest.approx(40)
    assert value(table, "WK008050", "Kinderen in armoede (%)").value == pytest.approx(20.0)
    assert value(table, "WK008010", "Kinderen in armoede (%)").flag == "suppressed"
    assert any("bij benadering" in n for n in result.notes)
    assert "9999" not in set(table["area_code"])  # a PC4 outside the allocation is reported, not kept
    assert result.matches.set_index("label").loc["9999", "method"] == "unmatched"


def test_generic_wide_periods_bom_and_decimal_comma(registry, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("\ufeffWijkcode;2021;2022\nWK008010;1,5;2,5\nWK008050;3,25;.\n", encoding="utf-8")
    layout = TableLayout(area_column="Wijkcode", wide_periods=True, indicator="voorbeeld", area_kind="code", decimal=",")
    table = LOADERS["generic"](spec("generic", path, table=layout), registry).table
    assert value(table, "WK008050", "voorbeeld", "2021").value == pytest.approx(3.25)
    assert value(table, "WK008050", "voorbeeld", "2022").flag == "suppressed"


def test_generic_needs_area_column(registry, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(AandachtError, match="area_column"):
        LOADERS["generic"](spec("generic", path), registry)


def test_kwb_odata_suffixes_padding_and_late_income(registry):
    period = {"85318NED": "2022", "85618NED": "2023"}
    tables = {t: LOADERS["kwb"](spec("kwb", FIXTURES / "cbs_odata" / t / "GM0080", p), registry) for t, p in period.items()}
    for result in tables.values():
        table = result.table
        assert {"HuishoudensMetKinderen", "PercentageJongerenMetJeugdzorg", "AantalInwoners"} <= set(table["indicator"])
        assert {"Bevolking.Herkomstland.Nederland", "Bevolking.GeborenInNederland.Nederland"} <= set(table["indicator"])
        assert value(table, "WK008050", "HuishoudensMetKinderen").value == 525  # codes were space-padded
        assert value(table, "WK008050", "AantalInwoners").area_name == "Heechterp & Schieringen"
        assert value(table, "WK008074", "PercentageJongerenMetJeugdzorg").flag == "suppressed"
        assert value(table, "WK008050", "PercentageJongerenMetJeugdzorg").unit == "%"
    late = tables["85618NED"]
    assert value(late.table, "WK008050", "HuishoudensMetEenLaagInkomen").flag == "not_collected"
    assert any("nog voor geen enkel gebied gepubliceerd" in n for n in late.notes)
    assert value(tables["85318NED"].table, "WK008050", "HuishoudensMetEenLaagInkomen").value == pytest.approx(61.0)


def test_kwb_odata_missing_file_error(registry, tmp_path):
    with pytest.raises(DataError, match="DataProperties.json"):
        LOADERS["kwb"](spec("kwb", tmp_path), registry)






def test_kwb_xlsx_with_title_rows_matches_csv(registry, tmp_path):
    csv = ROOT / "data" / "leeuwarden" / "kwb-2023.csv"
    frame = pd.read_csv(csv, dtype=str)
    rows = [["Kerncijfers wijken en buurten 2023"], ["Bron: CBS"], list(frame.columns), *frame.values.tolist()]
    xlsx = write_workbook(tmp_path / "kwb-2023.xlsx", {"kwb": rows})
    from_csv = LOADERS["kwb"](spec("kwb", csv), registry).table
    from_xlsx = LOADERS["kwb"](spec("kwb", xlsx), registry).table
    pd.testing.assert_frame_equal(from_csv.drop(columns="area_name"), from_xlsx.drop(columns="area_name"))


@pytest.mark.skipif(not (SHARED_RAW / "cbs_achterstandsscores_basisscholen_2019").is_dir(), reason="../shared CBS school file absent")
def test_oab_real_cbs_school_file_equals_school_registry(registry):
    real = SHARED_RAW / "cbs_achterstandsscores_basisscholen_2019" / "achterstandsscores-scholen-2019.xlsx"
    schools = ROOT / "data" / "leeuwarden" / "schools.csv"
    locations = ROOT / "configs" / "school_locations.csv"
    oab = LOADERS["oab"](spec("oab", real, "2019", schools=schools, locations=locations), registry)
    own = LOADERS["school_scores"](spec("school_scores", schools, "2019", locations=locations), registry)
    a = oab.table.set_index(["area_code", "indicator"])["value"]
    b = own.table.set_index(["area_code", "indicator"])["value"]
    assert np.allclose(a.sort_index().to_numpy(), b.sort_index().to_numpy(), equal_nan=True)
    assert any("voetnoot a" in n for n in oab.notes)


def _cbs_school_file(tmp_path):
    top = [["Tabel 1"], ["Achterstandsscore per basisschoolvestiging, 1 oktober 2019"], []]
    return write_workbook(tmp_path / "scores.xlsx", {
        "Voorblad": [["Achterstandsscores basisscholen (DEMONSTRATIEDATA)"]],
        "Tabel 1": [*top, ["School (BRIN vestiging)", "Aantal bekostigde leerlingen", "Achterstandsscore"], [],
                    ["00AP00", 100, 33.0], ["00AV00", 65, 0, "a"], ["00AZ00", 92, 57.5], [], ["Bron: CBS"]],
        "Tabel 2": [*top, ["School (BRIN vestiging)", "Achterstandsscore zonder drempel",
                           "Achterstandsscore zonder drempel \n(onderbouw)", "Achterstandsscore zonder drempel \n(bovenbouw)"], [],
                    ["00AP00", 100.0, 40.0, 60.0], ["00AV00", 30.0, 10.0, 20.0, "b, c"], ["00AZ00", 120.0, 50.0, 70.0]],
    })


def test_oab_school_file_layout_and_pupil_origin(registry, tmp_path):
    path = _cbs_school_file(tmp_path)
    places = FIXTURES / "harmonise" / "school_places.csv"
    by_school = LOADERS["oab"](spec("oab", path, "2019", schools=places), registry).table
    assert value(by_school, "WK008050", "achterstandsscore_zonder_drempel_per_100_leerlingen").value == pytest.approx(100.0)
    by_home = LOADERS["oab"](spec("oab", path, "2019", schools=places,
                                  pupil_origin=FIXTURES / "harmonise" / "pupil_origin.csv"), registry).table
    # WK008050: 60 pupils of 00AP00 (100/100 each) + 65 of 00AV00 (30/65 each) -> (60 + 30) / 125 x 100
    row = value(by_home, "WK008050", "achterstandsscore_zonder_drempel_per_100_leerlingen")
    assert row.value == pytest.approx(72.0) and row.denominator == 125
    assert value(by_home, "WK008061", "achterstandsscore_zonder_drempel_per_100_leerlingen").value == pytest.approx(100.0)




def test_oab_dashboard_export(registry, tmp_path):
    path = tmp_path / "dashboard.csv"
    path.write_text("Regio;Periode;Kinderen met verwachte onderwijsachterstand (%)\nBinnenstad;2022;10,5\n"
                    "Heechterp & Schieringen;2022;31,0\n", encoding="latin-1")
    table = LOADERS["oab"](spec("oab", path, "2022"), registry).table
    assert value(table, "WK008050", "Kinderen met verwachte onderwijsachterstand (%)").value == pytest.approx(31.0)


def test_duo_latin1_list_placed_by_locations_and_postcode(registry, tmp_path):
    locations = tmp_path / "locations.csv"
    locations.write_text("brin_vestiging,wijk_code,reason\n03VL00,WK008082,Jirnsum ligt in Grou e.o.\n", encoding="utf-8")
    result = LOADERS["duo"](spec("duo", FIXTURES / "duo" / "vestigingen_bo_leeuwarden.csv", "2020", locations=locations,
                                 pc4_allocation=FIXTURES / "harmonise" / "pc4_allocation.csv"), registry)
    table = result.table
    assert value(table, "WK008082", "vestigingen").value == 1
    assert value(table, "WK008030", "vestigingen").value == 1  # 8917 in the (invented) allocation
    assert table["value"].sum() == 3
    assert any("niet geplaatst" in n and "09KF00" in n for n in result.notes)


def test_duo_not_a_duo_file(registry):
    with pytest.raises(DataError, match="BRIN NUMMER"):
        LOADERS["duo"](spec("duo", FIXTURES / "harmonise" / "pc4_allocation.csv"), registry)



def _values(table):
    return table.set_index(["area_code", "period", "indicator"])[["value", "flag"]].sort_index()


@pytest.mark.parametrize("variant", VARIANTS)
def test_kwb_messy_variants(registry, tmp_path, variant):
    csv = ROOT / "data" / "leeuwarden" / "kwb-2023.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert (frame == ".").any().any()  # the real file has suppressed cells
    clean = LOADERS["kwb"](spec("kwb", csv), registry).table
    messy = LOADERS["kwb"](spec("kwb", write_variant(frame, tmp_path, "kwb-2023", variant)), registry).table
    pd.testing.assert_frame_equal(_values(clean), _values(messy))






@pytest.mark.parametrize("variant", VARIANTS)
def test_duo_variants(registry, tmp_path, variant):
    path = FIXTURES / "duo" / "vestigingen_bo_leeuwarden.csv"
    frame = pd.read_csv(path, dtype=str, sep=";", encoding="latin-1", keep_default_na=False)
    locations = tmp_path / "locations.csv"
    locations.write_text("brin_vestiging,wijk_code,reason\n03VL00,WK008082,Jirnsum\n09KF00,WK008061,test\n", encoding="utf-8")
    moved = write_variant(frame, tmp_path / "v", "duo", variant)
    table = LOADERS["duo"](spec("duo", moved, "2020", locations=locations), registry).table
    assert value(table, "WK008082", "vestigingen").value == 1 and table["value"].sum() == 2


def test_kinderen_in_tel_bad_workbook(registry, tmp_path):
    path = tmp_path / "kit.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(DataError) as error:
        LOADERS["kinderen_in_tel"](spec("kinderen_in_tel", path), registry)
    assert "kit.xlsx" in str(error.value) and "\n" not in str(error.value)


def test_kwb_bad_code_is_one_line_error(registry, tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10;a_inw\nXX0080;5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2: region code 'XX0080'"):
        LOADERS["kwb"](spec("kwb", path), registry)




@pytest.mark.skipif(not (SHARED_RAW / "duo_po_vestigingen").is_dir(), reason="../shared DUO lists absent")
@pytest.mark.parametrize("name, leeuwarden", [("03.-alle-vestigingen-basisonderwijs_2017.csv", 39),
                                              ("alle-vestigingen-bo_2020.csv", 46),
                                              ("02.-alle-schoolvestigingen-basisonderwijs_2026.csv", 45)])
def test_duo_real_lists(name, leeuwarden):
    from aandacht.inputs.sources.duo import read_duo

    schools = read_duo(SHARED_RAW / "duo_po_vestigingen" / name)
    assert (schools["gemeentenummer"] == "0080").sum() == leeuwarden
    assert schools["brin_vestiging"].str.fullmatch(r"[0-9A-Z]{4}\d{2}").all()
    if "2026" in name:  # cp1252, INSTELLINGSCODE / VESTIGINGSCODE headers
        assert "Regioskoalle de Greidefûgel" in set(schools["name"]) and "32DX00" in set(schools["brin_vestiging"])


@pytest.mark.skipif(not (SHARED_RAW / "duo_po_vestigingen").is_dir(), reason="../shared DUO lists absent")
def test_duo_2026_gemeentenummer_without_leading_zeros(registry, tmp_path):
    """The 2026 list as a spreadsheet program saves it: GEMEENTENUMMER 80, not 0080."""
    real = SHARED_RAW / "duo_po_vestigingen" / "02.-alle-schoolvestigingen-basisonderwijs_2026.csv"
    frame = pd.read_csv(real, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    frame["GEMEENTENUMMER"] = frame["GEMEENTENUMMER"].str.lstrip("0")
    stripped = tmp_path / "duo-2026.csv"
    frame.to_csv(stripped, sep=";", encoding="cp1252", index=False)
    locations = tmp_path / "locations.csv"
    locations.write_text("brin_vestiging,wijk_code,reason\n32DX00,WK008073,BAG 2024\n", encoding="utf-8")
    table = LOADERS["duo"](spec("duo", stripped, "2026", locations=locations), registry).table
    assert value(table, "WK008073", "vestigingen").value == 1


def test_errors_name_the_real_row_below_title_rows(registry, tmp_path):
    rows = [["Jeugdmonitor (DEMONSTRATIEDATA)"], [], ["Geo", "Perioden", "% gepest"],
            ["Binnenstad", "2023", "10"], [], ["Oud-Oost", "2023", "veel"]]
    path = write_workbook(tmp_path / "monitor.xlsx", {"Blad1": rows})
    with pytest.raises(DataError, match=r"row 6, column % gepest: 'veel'"):
        LOADERS["jeugdmonitor"](spec("jeugdmonitor", path), registry)
    text = tmp_path / "monitor.csv"
    text.write_text("Jeugdmonitor\n\nGeo;Perioden;% gepest\nBinnenstad;2023;10\n\nOud-Oost;2023;veel\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"row 6, column % gepest: 'veel'"):
        LOADERS["jeugdmonitor"](spec("jeugdmonitor", text), registry)


@pytest.mark.skipif(not (SHARED_RAW / "cbs_kwb_2023_inmindaen" / "kwb-2023-transformed.xlsx").is_file(),
                    reason="../shared real kwb-2023 xlsx absent")
def test_kwb_real_xlsx_read_with_calamine(registry):
    path = SHARED_RAW / "cbs_kwb_2023_inmindaen" / "kwb-2023-transformed.xlsx"
    table = LOADERS["kwb"](spec("kwb", path), registry).table
    heechterp = table[table["area_code"] == "WK008050"].set_index("indicator")["value"]
    assert list(heechterp[["a_inw", "a_hh_m_k", "g_ink_pi", "p_hh_li", "p_jz_tn"]]) == [3675, 530, 20.5, 77.3, 18.5]
    assert heechterp["g_pau_hh"] == pytest.approx(0.5)  # stored as text with a decimal comma in the real file



