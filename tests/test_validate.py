"""aandacht validate: rank AUC, hit rate and percentiles by hand, the known list matched as inputs
match names, baselines on the same areas, seeded bootstrap intervals, and the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.errors import DataError
from aandacht.present.phrases import validation_paragraph
from aandacht.scoring.run import run_score
from aandacht.scoring.validate import in_top, percentiles, rank_auc, read_known, validate


def test_rank_auc_by_hand():
    # known 3 and 5 among 1..5: 3 beats 1 and 2 of the three others, 5 beats all three: (2 + 3) / 6
    scores = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert rank_auc(scores, np.array([False, False, True, False, True])) == pytest.approx(5 / 6)
    # a tie counts one half: known 2 against 1 (1), 2 (0.5) and 3 (0): 1.5 / 3
    assert rank_auc(np.array([1.0, 2.0, 2.0, 3.0]), np.array([False, True, False, False])) == pytest.approx(0.5)
    # a missing score is left out: known 4 against 1 and 2 only
    assert rank_auc(np.array([1.0, np.nan, 2.0, 4.0]), np.array([False, False, False, True])) == 1.0
    # every area known: undefined
    assert np.isnan(rank_auc(np.array([1.0, 2.0]), np.array([True, True])))


def test_percentiles_and_top_k_by_hand():
    # mid-ranks 1, 2.5, 2.5, 4 -> (r - 1) / 3 x 100
    np.testing.assert_allclose(percentiles(np.array([10.0, 20.0, 20.0, 40.0])), [0.0, 50.0, 50.0, 100.0])
    # ranks descending, ties share the lowest: 1, 3, 1, 4; a missing value is never in the top
    assert list(in_top(np.array([5.0, 3.0, 5.0, 1.0, np.nan]), 1)) == [True, False, True, False, False]


@pytest.fixture(scope="module")
def run(default_config):
    return run_score(default_config)


def known_file(tmp_path, labels, column="area"):
    path = tmp_path / "bekend.csv"
    pd.DataFrame({column: labels}).to_csv(path, index=False)
    return path


def test_known_areas_are_matched_by_code_name_and_normalised_name(run, tmp_path):
    known = read_known(known_file(tmp_path, ["WK008020", "Vrijheidswijk", "Huizum West", "vrijheidswijk"]), run)
    assert known.codes == ["WK008020", "WK008061", "WK008040"]
    assert any("meer dan eens" in note for note in known.notes)


@pytest.mark.parametrize(("labels", "column", "message"), [
    (["Vrijheidswijk", "Nergenshuizen"], "area", r"row 3, column area: 'Nergenshuizen' is unmatched among the wijken"),
    (["Vrijheidswijk"], "plaats", r"needs a column area or area_code"),
    ([], "area", r"header but no rows"),
])
def test_a_bad_known_list_names_file_and_row(run, tmp_path, labels, column, message):
    with pytest.raises(DataError, match=message):
        read_known(known_file(tmp_path, labels, column), run)


def test_an_empty_cell_in_the_known_list_is_an_error(run, tmp_path):
    path = tmp_path / "bekend.csv"
    path.write_text("area,bron\nVrijheidswijk,GGD\n,GGD\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3, column area: empty area"):
        read_known(path, run)


def test_a_list_made_from_one_indicator_is_found_by_that_indicator(run, tmp_path):
    # the three wijken with the highest share of low-income households (shipped KWB 2023)
    values = run.matrix.values.loc[run.result.index.dropna().index, "laag_inkomen"]
    top3 = list(values.sort_values(ascending=False).index[:3])
    result = validate(run, read_known(known_file(tmp_path, top3), run), draws=200, seed=7)
    table = result.table.set_index("maat")
    own = table.loc["Huishoudens met laagste 40% inkomens"]
    assert own["auc"] == 1.0 and own["gevonden"] == 3 and own["trefkans"] == 1.0 and own["mediaan_percentiel"] == 95.0
    # 21 scored wijken, k = 7 from designation.top_k: 3 of the 7 are known
    assert result.n_areas == 21 and result.top_k == 7 and own["precisie"] == pytest.approx(3 / 7)
    # the KWB p_hh_li baseline ranks exactly as this indicator: not listed twice
    assert "Huishoudens met laag inkomen (KWB p_hh_li)" not in table.index
    assert "Personen met bijstand per 1.000 inwoners (KWB a_soz_wb / a_inw)" in table.index
    # the score's AUC by hand from its ranks: (R1 - 3 x 4 / 2) / (3 x 18)
    index = run.result.index.dropna()
    r1 = index.rank().loc[top3].sum()
    assert table.loc["Aandachtsscore", "auc"] == pytest.approx((r1 - 6) / 54)
    chance = table.loc["Toeval (verwachting)"]
    assert chance["auc"] == 0.5 and chance["trefkans"] == pytest.approx(7 / 21) and chance["precisie"] == pytest.approx(3 / 21)
    # the interval holds the estimate; a perfect ranking has no spread; the difference is paired
    score = table.loc["Aandachtsscore"]
    assert score["auc_laag"] <= score["auc"] <= score["auc_hoog"]
    assert own["auc_laag"] == own["auc_hoog"] == 1.0
    assert own["verschil_auc"] == pytest.approx(score["auc"] - 1.0) and own["verschil_auc_hoog"] <= 0
    areas = result.areas.set_index("area_code")
    assert list(areas["in_top_k"]) == [run.result.rank[c] <= 7 for c in top3]
    assert score["gevonden"] == sum(run.result.rank[c] <= 7 for c in top3)


def test_bootstrap_is_reproducible_with_its_seed(run, tmp_path):
    known = read_known(known_file(tmp_path, ["Vrijheidswijk", "Oud-Oost", "Binnenstad", "Goutum"]), run)
    first = validate(run, known, draws=100, seed=1).table
    pd.testing.assert_frame_equal(first, validate(run, known, draws=100, seed=1).table)
    assert not first["auc_laag"].equals(validate(run, known, draws=100, seed=2).table["auc_laag"])
    # --top-k overrides designation.top_k
    assert validate(run, known, top_k=2, draws=10).k_rule == "--top-k"


def test_unscored_known_areas_are_named_and_left_out(run, tmp_path):
    # Middelsee is below the population gate
    result = validate(run, read_known(known_file(tmp_path, ["Middelsee", "Vrijheidswijk"]), run), draws=10)
    assert result.n_known == 1 and any("WK008074" in note for note in result.notes)
    row = result.areas.set_index("area_code").loc["WK008074"]
    assert pd.isna(row["rang"]) and "te weinig" in row["opmerking"]
    with pytest.raises(DataError, match="none of the 1 known area"):
        validate(run, read_known(known_file(tmp_path, ["Middelsee"]), run), draws=10)


def test_dutch_paragraph(run, tmp_path):
    result = validate(run, read_known(known_file(tmp_path, ["Vrijheidswijk", "Oud-Oost"]), run), draws=50)
    text = validation_paragraph(result)
    auc = f"{result.table.iloc[0]['auc']:.2f}".replace(".", ",")
    assert text.startswith("De lijst noemt 2 wijken die volgens professionals aandacht nodig hebben.")
    assert f"is {auc} (AUC; bij toeval 0,50" in text and "in de top 7" in text and "." not in auc


def test_validate_command_writes_dutch_csv_and_refuses_a_bad_list(tmp_path):
    good = known_file(tmp_path, ["Vrijheidswijk", "Heechterp & Schieringen"])
    out = tmp_path / "val"
    result = CliRunner().invoke(main, ["validate", "--known", str(good), "--draws", "50", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "De lijst noemt 2 wijken" in result.output
    text = (out / "validatie.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("maat;soort;gebieden;bekend;auc;") and "Toeval (verwachting);toeval" in text
    assert (out / "bekende_gebieden.csv").is_file() and (out / "manifest.json").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "validate" and manifest["inputs"]["known"]["path"] == str(good.resolve())
    # verify recomputes the folder from its manifest (the list lies outside the project: allowed explicitly)
    check = CliRunner().invoke(main, ["--allow-outside-paths", "verify", str(out)])
    assert check.exit_code == 0, check.output
    good.write_text("area\nVrijheidswijk\n", encoding="utf-8")  # the list changed since: verify names it
    check = CliRunner().invoke(main, ["--allow-outside-paths", "verify", str(out)])
    assert check.exit_code == 1 and "bekend.csv" in check.output
    bad = tmp_path / "fout.csv"
    bad.write_text("area\nNergenshuizen\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--known", str(bad), "--out", str(tmp_path / "no")])
    assert result.exit_code == 2 and "Nergenshuizen" in result.output and not (tmp_path / "no").exists()
