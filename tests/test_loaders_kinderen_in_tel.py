"""The kinderen_in_tel preset: tables typed over from the Kinderen in Tel databoek (published as
PDF only), rows = gemeenten or wijken, columns = indicators, one sheet or one file per year
(demonstration data, see tests/fixtures/README.md); gemeente rows serve as reference values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from aandacht.config import InputSpec, load_config
from aandacht.errors import ConfigError, DataError
from aandacht.inputs.load import load_input
from aandacht.inputs.matrix import reference_values
from aandacht.scoring.run import run_score
from conftest import absolute_input_paths
from sources_helpers import ROOT, kinderen_in_tel_xlsx, registry, write_variant  # noqa: F401 (pytest fixtures)

ALIASES = ROOT / "configs" / "aliases_leeuwarden.csv"


def spec(path, period="2015", **extra) -> InputSpec:
    return InputSpec(loader="kinderen_in_tel", path=Path(path), period=period, source="kit", aliases=ALIASES, **extra)


def value(table, code, indicator, period):
    rows = table[(table["area_code"] == code) & (table["indicator"] == indicator) & (table["period"] == period)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_one_sheet_per_year(registry, kinderen_in_tel_xlsx):
    loaded = load_input(spec(kinderen_in_tel_xlsx), registry, "wijk")
    table = loaded.table
    assert set(table["period"]) == {"2014", "2015"}  # the sheet names
    assert set(table["indicator"]) == {"Kinderen in uitkeringsgezinnen", "Tienermoeders", "Werkloze jongeren"}
    assert value(table, "WK008050", "Kinderen in uitkeringsgezinnen", "2015").value == pytest.approx(21.0)  # Frisian name
    assert value(table, "WK008061", "Tienermoeders", "2014").value == pytest.approx(2.4)
    assert value(table, "WK008050", "Werkloze jongeren", "2015").flag == "suppressed"  # x
    assert value(table, "GM0080", "Kinderen in uitkeringsgezinnen", "2015").value == pytest.approx(9.1)
    assert any("Groningen" in n and "niet gekoppeld" in n for n in loaded.notes)  # other gemeenten are reported, not used


@pytest.mark.parametrize("variant", ["comma_utf8", "semicolon_decimal_comma_latin1", "utf8_bom"])
def test_one_file_per_year(registry, tmp_path, variant):
    frame = pd.DataFrame({"Wijk": ["Leeuwarden", "Heechterp-Skieringen", "Nijlân & De Zwette"],
                          "Kinderen in armoede": ["8.8", "20.5", "x"], "Tienermoeders": ["1.1", "2.0", "0.9"]})
    path = write_variant(frame, tmp_path, "kit-2015", variant)
    table = load_input(spec(path), registry, "wijk").table
    assert value(table, "WK008050", "Kinderen in armoede", "2015").value == pytest.approx(20.5)
    assert value(table, "WK008041", "Kinderen in armoede", "2015").flag == "suppressed"


def test_gemeente_row_is_the_reference_value(tmp_path, kinderen_in_tel_xlsx):
    """The gemeente's own KiT row is the gemeente value the report and the reasons show."""
    raw = yaml.safe_load((ROOT / "configs" / "leeuwarden.yaml").read_text(encoding="utf-8"))
    raw["areas"] = {k: str((ROOT / "configs" / v).resolve()) for k, v in raw["areas"].items()}
    absolute_input_paths(raw, ROOT / "configs")
    raw["inputs"]["kit"] = {"loader": "kinderen_in_tel", "path": str(kinderen_in_tel_xlsx), "period": "2015",
                            "aliases": str(ALIASES), "other_areas": "ignore"}
    raw["framework"]["indicators"].append({"id": "uitkering", "label": "Kinderen in uitkeringsgezinnen", "parent": "armoede",
                                           "direction": 1, "input": "kit", "variable": "Kinderen in uitkeringsgezinnen",
                                           "unit": "%", "per": "kind"})
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    config = load_config(path, allow_outside=True)
    run = run_score(config)
    assert run.matrix.values.loc["WK008061", "uitkering"] == pytest.approx(18.0)
    assert reference_values(run.tidy, config, ["GM0080"])["GM0080"].loc["uitkering", "value"] == pytest.approx(9.1)


def test_pc4_rows_need_an_allocation(registry, tmp_path):
    frame = pd.DataFrame({"Gebied": ["Leeuwarden", "8924"], "Jeugdwerkloosheid": ["8.5", "16.0"]})
    path = write_variant(frame, tmp_path, "kit-2015", "comma_utf8")
    with pytest.raises(ConfigError, match="pc4_allocation"):
        load_input(spec(path), registry, "wijk")


def test_no_area_column(registry, tmp_path):
    path = tmp_path / "kit.csv"
    path.write_text("Plaats,Tienermoeders\nLeeuwarden,1.2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no header line with any of the columns \['Gebied', 'Gemeente', 'Regio', 'Wijk'\]"):
        load_input(spec(path), registry, "wijk")
