"""The Inspectie's schoolweging and leerresultaten, read from the real workbooks as published
(../shared/data/raw/inspectie_schoolweging) and from the per-school extracts shipped in data/;
placing objecten van toezicht; and what is refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aandacht.config import InputSpec
from aandacht.errors import DataError
from aandacht.inputs.load import load_input
from sources_helpers import ROOT, SHARED_RAW, registry, write_workbook  # noqa: F401 (registry is a pytest fixture)

RAW = SHARED_RAW / "inspectie_schoolweging"
DATA = ROOT / "data" / "leeuwarden"
OVT_LOCATIONS = ROOT / "configs" / "ovt_locations.csv"
real = pytest.mark.skipif(not RAW.is_dir(), reason="../shared Inspectie workbooks absent")


def spec(path, layout="schoolweging", period="2023-2024", **extra) -> InputSpec:
    options = {"schools": DATA / "vestigingen.csv", "ovt_locations": OVT_LOCATIONS} | extra
    return InputSpec(loader="oab", layout=layout, path=Path(path), period=period, source=layout, **options)


def by_area(table: pd.DataFrame, indicator: str) -> pd.Series:
    return table[table["indicator"] == indicator].set_index("area_code")["value"]


@real
def test_schoolweging_real_workbook_newest_year_sheet(registry):
    loaded = load_input(spec(RAW / "schoolweging.ods"), registry, "wijk")
    weging, pupils = by_area(loaded.table, "schoolweging"), by_area(loaded.table, "leerlingen")
    # Oud-Oost by hand from sheet 2023-2024: 15AH|C1 34.56 (174), 15SW|C1 33.61 (196), 16HJ|C1 33.86 (107), 31AG|C1 35.23 (294)
    expected = (34.56 * 174 + 33.61 * 196 + 33.86 * 107 + 35.23 * 294) / (174 + 196 + 107 + 294)
    assert weging["WK008020"] == pytest.approx(expected) and pupils["WK008020"] == 771
    row = loaded.table.set_index(["area_code", "indicator"]).loc[("WK008020", "schoolweging")]
    assert row["denominator"] == 771 and row["numerator"] == pytest.approx(expected * 771)
    assert weging["WK008050"] == pytest.approx(36.57)  # Plataanschool, placed by configs/ovt_locations.csv
    assert pd.isna(weging["WK008031"])  # Westeinde e.o. has no primary school
    notes = " ".join(loaded.notes)
    assert "gelezen (zichtbaar blad" not in notes  # the sheet was chosen by the loader: the newest school year
    assert "blad '2023-2024': 6410 objecten van toezicht" in notes
    assert "48 van 52 objecten van toezicht van de gemeente geplaatst (45 via instellingscode, 3 via ovt_locations)" in notes
    # a teaching location of a single vestiging is not placed, and not called ambiguous: its address is unknown
    assert "4 object(en) van toezicht zonder gebied, niet meegeteld" in notes and "niet eenduidig" not in notes
    assert ("16NS|C2 Montessori Kindcentrum Leeuwarden (C2 is een nevenlocatie van vestiging 16NS00, waarvan het "
            "adres niet gepubliceerd is") in notes
    assert set(loaded.matches["method"]) == {"unmatched"} and len(loaded.matches) == 4
    assert "reason" not in loaded.matches.columns
    reasons = set(loaded.unplaced["reason"])
    assert all(r.startswith("object van toezicht zonder gebied: C") and "nevenlocatie" in r for r in reasons)


@real
def test_schoolweging_sheet_by_config_and_three_year_average(registry):
    older = load_input(spec(RAW / "schoolweging.ods", sheet="2021-2022", period="2021-2022"), registry, "wijk")
    assert by_area(older.table, "leerlingen")["WK008020"] != 771
    average = load_input(spec(RAW / "schoolweging.ods", sheet="Driejaarsgemiddelde", period="2021-2024"), registry, "wijk")
    assert any("heeft geen leerlingaantallen: gewogen met die van blad '2023-2024'" in n for n in average.notes)
    values = by_area(average.table, "schoolweging").dropna()
    assert values.between(20, 40).all()  # the Inspectie clamps the three-year average to [20, 40]


@real
def test_shipped_extract_gives_the_workbook_figures(registry):
    """data/leeuwarden/schoolweging-2023-2024.csv (rows of the gemeente, columns as published) is the workbook."""
    from_workbook = load_input(spec(RAW / "schoolweging.ods"), registry, "wijk").table
    from_extract = load_input(spec(DATA / "schoolweging-2023-2024.csv"), registry, "wijk").table
    pd.testing.assert_frame_equal(from_workbook.drop(columns="source"), from_extract.drop(columns="source"))


@real
def test_leerresultaten_real_workbook(registry):
    loaded = load_input(spec(RAW / "leerresultaten.ods", layout="leerresultaten", period="2023-2025"), registry, "wijk")
    table = loaded.table.set_index(["area_code", "indicator"])
    # Vrijheidswijk: only 16NS|C1, weighted three-year 1S/2F 35,29 % of 51 pupils (text with a decimal comma)
    assert table.loc[("WK008061", "pct_1s2f"), "value"] == pytest.approx(35.29)
    assert table.loc[("WK008061", "pct_1s2f"), "denominator"] == 51
    assert table.loc[("WK008061", "pct_1f"), "value"] == pytest.approx(86.93)
    assert (by_area(loaded.table, "pct_1f").dropna().between(0, 100)).all()
    from_extract = load_input(spec(DATA / "leerresultaten.csv", layout="leerresultaten", period="2023-2025"), registry, "wijk")
    pd.testing.assert_frame_equal(loaded.table.drop(columns="source"), from_extract.table.drop(columns="source"))


@real
def test_star_means_fewer_than_five_pupils(registry, tmp_path):
    frame = pd.read_csv(DATA / "leerresultaten.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["ovt"] == "16NS|C1", ["Gewogen driejaarsgemiddelde %1F", "Gewogen driejaarsgemiddelde %1S/2F",
                                          "Totaal aantal leerlingen 3 jaar"]] = "*"
    path = tmp_path / "leerresultaten.csv"
    frame.to_csv(path, index=False)
    table = load_input(spec(path, layout="leerresultaten", period="2023-2025"), registry, "wijk").table
    row = table.set_index(["area_code", "indicator"]).loc[("WK008061", "pct_1s2f")]
    # no school left in the wijk, while some teaching locations of the gemeente with a figure have no place
    assert pd.isna(row["value"]) and row["flag"] == "schools_unplaced"


def test_no_object_van_toezicht_placed_is_an_error(registry, tmp_path):
    path = tmp_path / "schoolweging.csv"
    path.write_text("OVT,Naam,BGNR,schoolweging,aantal_leerlingen,spreiding\n16NS|C2,Montessori,41850,36.92,33,5.68\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"none of the 1 objecten van toezicht of the gemeente could be placed"):
        load_input(spec(path, ovt_locations=None), registry, "wijk")
    path.write_text("OVT,Naam,BGNR,schoolweging,aantal_leerlingen,spreiding\n99ZZ|C1,Elders,1,30,100,5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no object van toezicht of the schools in .*vestigingen\.csv"):
        load_input(spec(path), registry, "wijk")


@pytest.mark.parametrize("rows, message", [
    ("ovt,wijk_code\n16NS|C2,WK008099\n", r"row 2, column wijk_code: wijk_code WK008099 is not in the area registry"),
    ("ovt,brin_vestiging\n16NS|C2,99ZZ00\n", r"row 2, column brin_vestiging: brin_vestiging 99ZZ00 is not in"),
    ("ovt,wijk_code\n16NS-C2,WK008061\n", r"'16NS-C2' is not an object van toezicht code \(two digits and two letters or digits, like 03VL\|C1\)"),
    ("ovt,wijk_code\n16NS|C2,WK008061\n16NS|C2,WK008061\n", r"row 3, column ovt: ovt 16NS\|C2 appears twice"),
    ("ovt,naam\n16NS|C2,x\n", r"needs a column brin_vestiging or wijk_code besides ovt"),
])
def test_ovt_location_table_errors(registry, tmp_path, rows, message):
    table = tmp_path / "ovt.csv"
    table.write_text(rows, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_input(spec(DATA / "schoolweging-2023-2024.csv", ovt_locations=table), registry, "wijk")


def test_bad_ovt_code_and_duplicate_in_the_file(registry, tmp_path):
    path = tmp_path / "schoolweging.csv"
    path.write_text("OVT,Naam,BGNR,schoolweging,aantal_leerlingen,spreiding\n16NS00,x,1,30,10,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, column OVT: '16NS00' is not an object van toezicht code"):
        load_input(spec(path), registry, "wijk")
    path.write_text("OVT,Naam,BGNR,schoolweging,aantal_leerlingen,spreiding\n16NS|C1,x,1,30,10,1\n16NS|C1,x,1,30,10,1\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3, column OVT: object van toezicht 16NS\|C1 appears twice"):
        load_input(spec(path), registry, "wijk")


def test_fractional_pupil_count_is_refused(registry, tmp_path):
    path = tmp_path / "schoolweging.csv"
    path.write_text("OVT,Naam,BGNR,schoolweging,aantal_leerlingen,spreiding\n16NS|C1,x,1,30,49.9999,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"column aantal_leerlingen: '49.9999' is not a whole number"):
        load_input(spec(path), registry, "wijk")


def test_workbook_without_school_year_sheet(registry, tmp_path):
    path = write_workbook(tmp_path / "schoolweging.xlsx", {"Toelichting": [["tekst"]], "Blad1": [["OVT"], ["16NS|C1"]]})
    with pytest.raises(DataError, match=r"no school-year sheet \(like '2023-2024'\)"):
        load_input(spec(path), registry, "wijk")


class _CountedWorkbook:
    """python_calamine.CalamineWorkbook with every opening counted."""

    opened: list[str] = []

    @classmethod
    def from_path(cls, path, *args, **kwargs):
        cls.opened.append(path)
        return _REAL_WORKBOOK.from_path(path, *args, **kwargs)


_REAL_WORKBOOK = pytest.importorskip("python_calamine").CalamineWorkbook


@real
def test_a_workbook_is_opened_once_per_input(registry, monkeypatch):
    import python_calamine

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", _CountedWorkbook)
    monkeypatch.setattr(_CountedWorkbook, "opened", [])
    # the three-year sheet, its pupil numbers from sheet 2023-2024 and the sheet list: one opening
    load_input(spec(RAW / "schoolweging.ods", sheet="Driejaarsgemiddelde", period="2021-2024"), registry, "wijk")
    assert len(_CountedWorkbook.opened) == 1
    load_input(spec(RAW / "schoolweging.ods"), registry, "wijk")
    assert len(_CountedWorkbook.opened) == 2  # nothing is kept from one input to the next


def test_a_workbook_changed_while_it_is_read_is_opened_again(tmp_path):
    from aandacht.inputs.reading import files_read_once, read_table

    path = write_workbook(tmp_path / "t.xlsx", {"Blad1": [["code", "waarde"], ["WK1", 1]]})
    with files_read_once():
        assert read_table(path)["waarde"].tolist() == ["1"]
        write_workbook(path, {"Blad1": [["code", "waarde"], ["WK1", 2], ["WK2", 3]]})
        assert read_table(path)["waarde"].tolist() == ["2", "3"]


def test_an_ovt_whose_vestigingen_all_stand_in_one_wijk_is_placed_there(tmp_path, monkeypatch):
    """Utrecht (aandacht init, shipped national data): 04IM has two vestigingen, both in WK034410, so its
    objecten van toezicht are placed there; 16BL's vestigingen stand in two wijken: the OVT whose name names one is
    placed there, the other is ambiguous (issue 21 item 4)."""
    from click.testing import CliRunner

    from aandacht import load_config
    from aandacht.cli import main
    from aandacht.inputs.areas import load_registry
    from aandacht.inputs.sources.inspectie import place_ovts, read_schoolweging

    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init", "GM0344", "utrecht", "--level", "wijk"]).exit_code == 0  # its wijken
    config = load_config(next((tmp_path / "utrecht" / "configs").glob("*.yaml")))
    registry = load_registry(config.areas.registry, config.areas.geometry)
    spec = config.inputs["schoolweging"]
    placed, _, matches = place_ovts(read_schoolweging(spec)[0], spec, registry)
    where = placed.set_index("ovt")
    assert where.at["04IM|C1", "area_code"] == where.at["04IM|C2", "area_code"] == "WK034410"
    assert "de 2 vestigingen alle in WK034410" in where.at["04IM|C2", "placement"]
    # 16BL's vestigingen stand in two wijken: C1 "obs De Cirkel" names one of them (16BL00 Openbare Basisschool de
    # Cirkel), so it stands there; C2 "obs De Cirkel, locatie Maasplein" names both, and stays ambiguous, saying where
    assert where.at["16BL|C1", "area_code"] == "WK034402" and where.at["16BL|C1", "placement"].startswith(
        "naam (vestiging 16BL00")
    left = matches.set_index("label")
    assert left.at["16BL|C2 obs De Cirkel, locatie Maasplein", "method"] == "ambiguous"
    assert left.at["16BL|C2 obs De Cirkel, locatie Maasplein", "reason"] == (
        "ambiguous: de 2 vestigingen van instellingscode 16BL staan in 2 gebieden (16BL00 in WK034402; 16BL01 in "
        "WK034408) en de naam noemt er niet één")


def test_an_ovt_is_ambiguous_only_when_its_school_is_split_over_areas():
    """Issue 21 item 4, the rules of place_ovts for an instellingscode with several vestigingen: all in one area,
    placed; in several, placed by its name when that names one of them; else ambiguous, naming the areas; a
    vestiging without an area makes it unplaced, not ambiguous."""
    from collections import namedtuple

    from aandacht.inputs.sources.inspectie import _place_by_vestigingen, named_vestiging

    names = {"04KI00": "Gereformeerde Basisschool De Regenboog", "04KI01": "Evangelische Basisschool De Parel"}
    assert named_vestiging("EBS De Parel", names) == "04KI01"
    assert named_vestiging("Gereformeerde Basisschool De Regenboog", names) == "04KI00"
    assert named_vestiging("Basisschool", names) == ""  # no distinctive word
    assert named_vestiging("De Parel en De Regenboog", names) == ""  # names both
    row = namedtuple("Row", "ovt naam instelling")
    one = pd.Series({"04KI00": "WK1", "04KI01": "WK1"})
    assert _place_by_vestigingen(row("04KI|C3", "Anders", "04KI"), list(names), one, names) == (
        "WK1", "instellingscode (de 2 vestigingen alle in WK1)")
    split = pd.Series({"04KI00": "WK1", "04KI01": "WK2"})
    assert _place_by_vestigingen(row("04KI|C2", "EBS De Parel", "04KI"), list(names), split, names) == (
        "WK2", "naam (vestiging 04KI01 Evangelische Basisschool De Parel)")
    assert _place_by_vestigingen(row("04KI|C3", "Nieuwkomersklas", "04KI"), list(names), split, names) == (
        "", "ambiguous: de 2 vestigingen van instellingscode 04KI staan in 2 gebieden (04KI00 in WK1; 04KI01 in WK2) "
            "en de naam noemt er niet één")
    # the IKC's need: the OVT's figures go to the vestiging its name names, else to none
    from aandacht.inputs.sources.inspectie import ovt_vestiging

    assert ovt_vestiging("04KI|C2", list(names), {}, "EBS De Parel", names) == (
        "04KI01", "naam (vestiging 04KI01 Evangelische Basisschool De Parel)")
    assert ovt_vestiging("04KI|C3", list(names), {}, "Nieuwkomersklas", names)[0] == ""
    half = pd.Series({"04KI00": "WK1", "04KI01": ""})
    assert _place_by_vestigingen(row("04KI|C3", "Nieuwkomersklas", "04KI"), list(names), half, names) == (
        "", "unplaced: vestiging(en) 04KI01 van instellingscode 04KI zonder gebied")
