"""The IKC registry: board names, special education, placement checks and pupil origin."""

from pathlib import Path

import pandas as pd
import pytest

from aandacht.config import SelectionRules, load_config
from aandacht.decide.ikc import ikc_gebied, load_ikcs, pupil_share, read_pupil_origin
from aandacht.decide.select import select_plus
from aandacht.errors import DataError
from aandacht.inputs.areas import load_registry
from aandacht.resources import default_config_path

HEADER = "brin_vestiging,name,bevoegd_gezag_nummer,leerlingen,achterstandsscore,achterstandsscore_zonder_drempel,wijk_code,buurt_code,speciaal_onderwijs"
ROWS = [
    "01AA00,IKC Een,100,200,50,150,WK008011,BU00801104,nee",
    "02BB00,IKC Twee,200,100,10,40,WK008011,,nee",
    "03CC00,IKC Drie,100,100,0,90,WK008071,,ja",
]


def setup(tmp_path: Path, rows=ROWS, boards="bevoegd_gezag_nummer,naam\n100,Stichting Voorbeeld (test)\n"):
    default = load_config(default_config_path())
    (tmp_path / "ikcs.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (tmp_path / "boards.csv").write_text(boards, encoding="utf-8")
    config = default.model_copy(update={"ikc": default.ikc.model_copy(update={
        "table": tmp_path / "ikcs.csv", "boards": tmp_path / "boards.csv"})})
    registry = load_registry(config.areas.registry, config.areas.geometry)
    return config, registry


def test_board_names_come_only_from_the_analysts_table(tmp_path):
    config, registry = setup(tmp_path)
    table = load_ikcs(config, registry).table
    assert table.at["01AA00", "bevoegd_gezag"] == "Stichting Voorbeeld (test)"
    assert table.at["02BB00", "bevoegd_gezag"] == "bevoegd gezag 200"
    assert table["speciaal_onderwijs"].tolist() == [False, False, True]


def test_embedded_registry_of_2026_is_the_duo_list_of_2026_with_sbo_flags():
    config = load_config(default_config_path())
    registry = load_registry(config.areas.registry, config.areas.geometry)
    ikcs = load_ikcs(config, registry)  # the newest list: DUO 2026 (45 basisscholen), its 2 SBAO from the 2024 list
    assert ikcs.school_list.label == "DUO-vestigingen 2026" and len(ikcs.table) == 47
    assert set(ikcs.table.index[ikcs.table["speciaal_onderwijs"]]) == {"02BJ00", "19TP00"}
    assert ikcs.figures.label == "Schoolweging Inspectie 2023-2024"
    sheet = pd.read_csv(config.inputs["schoolweging"].path)
    aventurijn = sheet[sheet["OVT"].str.startswith("16HJ|")]  # C1 and its teaching locations C4 (Plataan), C5 (Potmarge)
    assert len(aventurijn) == 3 and ikcs.table.at["16HJ00", "leerlingen"] == aventurijn["aantal_leerlingen"].sum()
    expected = (aventurijn["schoolweging"] * aventurijn["aantal_leerlingen"]).sum() / aventurijn["aantal_leerlingen"].sum()
    assert ikcs.table.at["16HJ00", "schoolweging"] == pytest.approx(expected)
    assert (ikcs.table["wijk_code"] != "").all()
    assert ikcs.without_figures == ["02BJ00", "19TP00"]  # the SBAO have no schoolweging of their own


def test_embedded_2019_table_has_every_school_and_sbo_flag():
    config = load_config(default_config_path())
    config = config.model_copy(update={"ikc": config.ikc.model_copy(update={"table": config.inputs["scholen"].path})})
    registry = load_registry(config.areas.registry, config.areas.geometry)
    ikcs = load_ikcs(config, registry)
    assert len(ikcs.table) == 50
    # configs/school_boards.csv names the boards of the DUO besturenlijst, then DUO's list itself (ikc.board_names);
    # only 42604 (in the eindtoets list 2018-2019, not in DUO's list of 2026) keeps its number
    assert ikcs.table.at["16NS00", "bevoegd_gezag"] == "Stichting Proloog Primair Openbaar Onderwijs Leeuwarden"
    assert ikcs.table.at["15WI00", "bevoegd_gezag"] == "Stichting Proloog Primair Openbaar Onderwijs Leeuwarden"
    unnamed = ikcs.table.loc[ikcs.table["bevoegd_gezag"].str.startswith("bevoegd gezag "), "bevoegd_gezag"]
    assert list(unnamed) == ["bevoegd gezag 42604"]
    assert (ikcs.table["wijk_code"] != "").all()  # 15WI00 and 16ET00 placed with the public evidence


def test_buurt_of_another_wijk_is_an_error(tmp_path):
    config, registry = setup(tmp_path, [ROWS[0].replace("WK008011", "WK008020")])
    with pytest.raises(DataError, match="buurt_code BU00801104 is not a buurt of wijk WK008020"):
        load_ikcs(config, registry)


def test_gebied_of_buurten_contains_only_ikcs_in_those_buurten(tmp_path):
    config, registry = setup(tmp_path)
    ikcs = load_ikcs(config, registry)
    gebied = ikc_gebied(ikcs, {"Schepenbuurt": ["BU00801104"], "Goutum": ["WK008071"]}, registry)
    assert gebied.to_dict() == {"01AA00": "Schepenbuurt", "02BB00": "", "03CC00": "Goutum"}


def test_pupil_origin_share_makes_an_ikc_eligible(tmp_path):
    config, registry = setup(tmp_path)
    ikcs = load_ikcs(config, registry)
    (tmp_path / "origin.csv").write_text(
        "brin_vestiging,area_code,leerlingen\n02BB00,BU00801104,60\n02BB00,WK008010,40\n01AA00,WK008071,10\n",
        encoding="utf-8")
    origin = read_pupil_origin(tmp_path / "origin.csv", ikcs, registry)
    gebieden = {"Schepenbuurt": ["BU00801104"]}
    share = pupil_share(origin, ikcs, gebieden, registry)
    assert share["02BB00"] == pytest.approx(0.6) and share["01AA00"] == 0 and pd.isna(share["03CC00"])
    rules = SelectionRules(count=2, eligible_pupil_share=0.5, special_education="exclude",
                           need={"score_per_pupil": 1, "score_total": 0, "wijk_score": 0, "pupil_share": 1})
    result = select_plus(ikcs, rules, gebieden, registry, pd.Series(dtype=float), 2026, None, origin)
    table = result.ikcs.set_index("brin_vestiging")
    assert table.loc[["01AA00", "02BB00"], "plus_ikc"].all()  # 02BB00 by its pupils, 01AA00 by location
    assert table.at["03CC00", "reden_niet_verkiesbaar"] == "niet in een aandachtsgebied"


def test_unknown_ikc_in_pupil_origin_is_an_error(tmp_path):
    config, registry = setup(tmp_path)
    ikcs = load_ikcs(config, registry)
    (tmp_path / "origin.csv").write_text("brin_vestiging,area_code,leerlingen\n99ZZ00,WK008010,4\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2: brin_vestiging '99ZZ00' is not in the IKC registry"):
        read_pupil_origin(tmp_path / "origin.csv", ikcs, registry)


def test_board_limits_and_budget_shape_the_choice(tmp_path):
    config, registry = setup(tmp_path)
    ikcs = load_ikcs(config, registry)
    gebieden = {"Potmargezone": ["WK008011"], "Goutum": ["WK008071"]}
    rules = SelectionRules(budget={"total": 35, "per_ikc": 16, "unit": "uur"}, cover_every_gebied=False,
                           board_limits={"Stichting Voorbeeld (test)": {"max": 1}},
                           need={"score_per_pupil": 1, "score_total": 0, "wijk_score": 0})
    assert rules.n_plus == 2
    result = select_plus(ikcs, rules, gebieden, registry, pd.Series(dtype=float), 2026)
    chosen = result.ikcs.loc[result.ikcs["plus_ikc"], "brin_vestiging"].tolist()
    # per pupil: 03CC00 90, 01AA00 75, 02BB00 40; board 100 (AA, CC) may have only one
    assert sorted(chosen) == ["02BB00", "03CC00"]
    binding = result.constraints.set_index("constraint")
    assert binding.at["maximum Stichting Voorbeeld (test)", "binding"]
