"""The tidy table, the area registry, and the KWB and school loaders on real and messy files."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aandacht.config import InputSpec, TableLayout
from aandacht.errors import DataError
from aandacht.inputs.areas import load_registry
from aandacht.inputs.sources import LOADERS
from aandacht.inputs.sources.kwb import load_kwb
from aandacht.inputs.sources.schools import load_school_scores
from aandacht.inputs.tidy import TIDY_COLUMNS, validate_tidy
from sources_helpers import registry  # noqa: F401 (a pytest fixture)


def tidy_row(**overrides):
    row = {"area_code": "A", "period": "2023", "source": "s", "indicator": "i", "value": 1.0}
    row.update(overrides)
    return row


def test_tidy_rejects_duplicate_keys():
    frame = pd.DataFrame([tidy_row(), tidy_row(value=2.0)])
    with pytest.raises(DataError, match="f.csv: duplicate row for area A, period 2023, source s, indicator i"):
        validate_tidy(frame, "f.csv")


def test_tidy_requires_a_reason_for_missing_values():
    with pytest.raises(DataError, match="missing value without a reason"):
        validate_tidy(pd.DataFrame([tidy_row(value=np.nan)]), "f.csv")
    ok = validate_tidy(pd.DataFrame([tidy_row(value=np.nan, flag="suppressed")]), "f.csv")
    assert list(ok.columns) == list(TIDY_COLUMNS)


def test_registry_of_embedded_data(embedded):
    registry = load_registry(embedded / "data/leeuwarden/areas.csv")
    wijken = registry.children_of("GM0080", "wijk")
    assert len(wijken) == 22
    assert registry.name("WK008041") == "Nijlân & De Zwette"
    assert registry.ancestors("BU00805001") == ["WK008050", "GM0080"]


@pytest.mark.parametrize("rows, message", [
    ("A,a,wijk,B,2022\nB,b,gemeente,A,2022\n", "cycle"),
    ("A,a,wijk,Z,2022\n", "parent Z, which is not in the registry"),
    ("A,a,wijk,,2022\nA,b,wijk,,2022\n", "row 3: duplicate area_code A"),
])
def test_registry_errors(tmp_path, rows, message):
    path = tmp_path / "areas.csv"
    path.write_text("area_code,area_name,level,parent_code,vintage\n" + rows, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_registry(path)


def kwb_spec(path: Path) -> InputSpec:
    return InputSpec(loader="kwb", path=path, period="2023", source="kwb")


def test_kwb_embedded_file(embedded):
    loaded = load_kwb(kwb_spec(embedded / "data/leeuwarden/kwb-2023.csv"))
    table = loaded.table.set_index(["area_code", "indicator"])
    assert table.loc[("WK008050", "p_hh_li"), "value"] == 77.3
    assert table.loc[("WK008050", "a_hh_m_k"), "value"] == 530
    assert table.loc[("WK008050", "a_hh_m_k"), "level"] == "wijk"
    # '.' = geheim: NaN with a reason, never a zero
    assert np.isnan(table.loc[("WK008074", "g_ink_pi"), "value"])
    assert table.loc[("WK008074", "g_ink_pi"), "flag"] == "suppressed"
    # jeugdzorg: numerator a_jz_tn, estimated number of jongeren as denominator
    row = table.loc[("WK008050", "p_jz_tn")]
    assert row["numerator"] == 180 and row["denominator"] == round(180 * 100 / 18.5)


def test_kwb_semicolon_decimal_comma_latin1(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_bytes("gwb_code_10;regio;a_inw;g_afs_sc\nWK000101;Bûtenpost;1.234;0,4\nWK000102;Noord;.;1,5\n".encode("latin-1"))
    table = load_kwb(kwb_spec(path)).table.set_index(["area_code", "indicator"])
    assert table.loc[("WK000101", "g_afs_sc"), "value"] == 0.4
    assert table.loc[("WK000101", "a_inw"), "value"] == 1234  # a count: the point groups thousands
    assert table.loc[("WK000101", "a_inw"), "area_name"] == "Bûtenpost"
    assert table.loc[("WK000102", "a_inw"), "flag"] == "suppressed"


def test_kwb_text_in_numeric_column_names_row_and_column(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw\nWK000101,100\nWK000102,veel\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"kwb\.csv: row 3, column a_inw: 'veel' is not a number"):
        load_kwb(kwb_spec(path))


def test_kwb_utf16_and_empty_files(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw\nWK000101,100\n", encoding="utf-16")
    with pytest.raises(DataError, match="UTF-16"):
        load_kwb(kwb_spec(path))
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="file is empty"):
        load_kwb(kwb_spec(path))


def test_school_scores_pupil_weighted_per_wijk(tmp_path):
    registry_path = tmp_path / "areas.csv"
    registry_path.write_text(
        "area_code,area_name,level,parent_code,vintage\nG,g,gemeente,,2022\nW1,een,wijk,G,2022\nW2,twee,wijk,G,2022\n",
        encoding="utf-8")
    schools = tmp_path / "schools.csv"
    schools.write_text(
        "brin_vestiging,name,leerlingen,achterstandsscore,achterstandsscore_zonder_drempel,wijk_code\n"
        "00AA00,A,100,10,30,W1\n00BB00,B,300,0,50,W1\n00CC00,C,50,,5,\n", encoding="utf-8")
    locations = tmp_path / "locations.csv"
    locations.write_text("brin_vestiging,wijk_code,reason\n", encoding="utf-8")
    spec = InputSpec(loader="school_scores", path=schools, period="2019", source="scholen", locations=locations)
    loaded = load_school_scores(spec, load_registry(registry_path))
    table = loaded.table.set_index(["area_code", "indicator"])
    # W1: 100 * (30 + 50) / (100 + 300) = 20
    assert table.loc[("W1", "achterstandsscore_zonder_drempel_per_100_leerlingen"), "value"] == pytest.approx(20.0)
    assert table.loc[("W1", "achterstandsscore_per_100_leerlingen"), "value"] == pytest.approx(2.5)
    assert table.loc[("W1", "achterstandsscore_per_100_leerlingen"), "denominator"] == 400
    # W2 has no placed school while school C, with a score, has no place: it may stand in W2 (issue 21)
    assert table.loc[("W2", "achterstandsscore_per_100_leerlingen"), "flag"] == "schools_unplaced"
    # school C has no wijk and no coordinates: reported, not silently dropped
    assert any("00CC00 C" in note for note in loaded.notes)
    locations.write_text("brin_vestiging,wijk_code,reason\n00CC00,W2,adres bekend\n", encoding="utf-8")
    placed = load_school_scores(spec, load_registry(registry_path)).table.set_index(["area_code", "indicator"])
    assert placed.loc[("W2", "achterstandsscore_zonder_drempel_per_100_leerlingen"), "value"] == pytest.approx(10.0)
    assert placed.loc[("W2", "achterstandsscore_per_100_leerlingen"), "flag"] == "not_applicable"  # every school placed


def test_school_table_duplicate_brin(tmp_path, embedded):
    schools = tmp_path / "schools.csv"
    schools.write_text("brin_vestiging,name,leerlingen,achterstandsscore,achterstandsscore_zonder_drempel\n"
                       "00AA00,A,1,1,1\n00aa00,B,1,1,1\n", encoding="utf-8")
    spec = InputSpec(loader="school_scores", path=schools, period="2019", source="s")
    with pytest.raises(DataError, match="row 3: duplicate brin_vestiging 00AA00"):
        load_school_scores(spec, load_registry(embedded / "data/leeuwarden/areas.csv"))


def test_embedded_schools_placed_by_point_in_polygon(embedded, default_config):
    registry = load_registry(default_config.areas.registry, default_config.areas.geometry)
    spec = default_config.inputs["scholen"]
    loaded = load_school_scores(spec, registry)
    counts = loaded.table[loaded.table["indicator"] == "scholen"].set_index("area_code")["value"]
    assert counts.sum() == 50  # every school with a 2019 score placed (5 by the location table, with evidence)
    assert not any("niet in een gebied te plaatsen" in note for note in loaded.notes) and loaded.unplaced.empty


@pytest.mark.parametrize("marker, flag", [(".", "suppressed"), ("x", "suppressed"), ("?", "suppressed"),
                                          ("<5", "suppressed"), ("< 10", "suppressed"), ("-99999999", "suppressed"),
                                          ("-99999997", "suppressed"), ("-99997", "suppressed"), ("-99995", "suppressed"),
                                          ("", "suppressed")])
def test_every_missing_marker_is_missing_with_its_reason(tmp_path, marker, flag):
    """CBS verklaring van tekens: '.'/'x' secret or unknown; the Wijk- en Buurtkaart's codes (-99999999 in
    the 2021 Toelichting, -99997 and -99995 in the PDOK services 2023-2024); an empty cell, which the KWB
    download does not have, is read like '.' (derived extracts write NA so); never a zero."""
    path = tmp_path / "kwb.csv"
    path.write_text(f"gwb_code_10,a_inw,a_hh_m_k\nWK000101,100,{marker}\nWK000102,200,30\n", encoding="utf-8")
    table = load_kwb(kwb_spec(path)).table.set_index(["area_code", "indicator"])
    assert np.isnan(table.loc[("WK000101", "a_hh_m_k"), "value"])
    assert table.loc[("WK000101", "a_hh_m_k"), "flag"] == flag
    assert table.loc[("WK000102", "a_hh_m_k"), "value"] == 30


def test_cbs_nihil_is_zero_and_star_is_provisional(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw,a_soz_wb\nWK000101,100,-\nWK000102,200,35*\n", encoding="utf-8")
    loaded = load_kwb(kwb_spec(path))
    table = loaded.table.set_index(["area_code", "indicator"])
    assert table.loc[("WK000101", "a_soz_wb"), "value"] == 0 and table.loc[("WK000101", "a_soz_wb"), "flag"] == ""
    assert table.loc[("WK000102", "a_soz_wb"), "value"] == 35
    assert any("voorlopige cijfers" in note and "a_soz_wb (1)" in note for note in loaded.notes)


def test_sentinels_are_known_where_their_layout_is_read(tmp_path, registry):
    """-99997 is a PDOK code in a KWB/Wijk- en Buurtkaart table (above) but an undocumented Swing code in a
    Swing export or a table of no known publisher: refused there, naming the row and column; Swing's -99996
    is no KWB code (a count of -99996 is out of range)."""
    path = tmp_path / "kwb.csv"
    path.write_text("gwb_code_10,a_inw\nWK000101,-99996\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"a_inw.*-99996.*(out of range|not negative)"):
        load_kwb(kwb_spec(path))
    path = tmp_path / "tabel.csv"
    path.write_text("gebied;aandeel\nWK008010;-99997\n", encoding="utf-8")
    spec = InputSpec(loader="generic", path=path, period="2023", source="s", table=TableLayout(area_column="gebied"))
    with pytest.raises(DataError, match=r"row 2, column aandeel: -99997 is a Swing special value whose meaning is not documented"):
        LOADERS["generic"](spec, registry)
    swing = tmp_path / "swing.csv"
    swing.write_text("Geo;Perioden;% overgewicht\nBinnenstad;2023;-99995\n", encoding="utf-8")
    spec = InputSpec(loader="jeugdmonitor", path=swing, period="2023", source="s")
    with pytest.raises(DataError, match=r"-99995 is a Swing special value whose meaning is not documented"):
        LOADERS["jeugdmonitor"](spec, registry)
