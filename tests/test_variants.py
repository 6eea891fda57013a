"""aandacht compare A.yaml B.yaml: two method variants on the same data, side by side."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.config import load_config
from aandacht.decide.variants import compare_variants, same_data
from aandacht.errors import ConfigError
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score
from conftest import absolute_input_paths


def variant(tmp_path, embedded, change, name="variant.yaml"):
    """The embedded Leeuwarden config with absolute paths, changed by ``change(raw)``, written to ``name``."""
    base = embedded / "configs"
    raw = yaml.safe_load((base / "leeuwarden.yaml").read_text(encoding="utf-8"))
    for key in ("registry", "geometry"):
        raw["areas"][key] = str(base / raw["areas"][key])
    absolute_input_paths(raw, base)
    for key in ("boards", "board_names"):
        raw["ikc"][key] = str((base / raw["ikc"][key]).resolve())
    change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base_run():
    return run_score(load_config(default_config_path()))


def test_a_smaller_designation_loses_the_seventh_wijk(tmp_path, embedded, base_run):
    path = variant(tmp_path, embedded, lambda raw: raw["designation"].update(top_k=6))
    other = load_config(path, allow_outside=True)
    same_data(base_run.config, other)
    result = compare_variants(base_run, run_score(other))
    table = result.table.set_index("area_code")
    # the same scores, so every rank stays; rank 7 (Nijlân & De Zwette) is no longer designated
    assert result.spearman == pytest.approx(1.0) and result.mean_abs_shift == 0 and result.designated
    assert (table["verschuiving"].dropna() == 0).all()
    assert list(table.index[table["wijziging"] == "eraf"]) == ["WK008041"]
    assert (table["wijziging"] == "gebleven").sum() == 6 and (table["wijziging"] == "erbij").sum() == 0


def test_other_weights_move_ranks_as_scoring_them_does(tmp_path, embedded, base_run):
    def no_jeugdhulp(raw):
        for node in raw["framework"]["nodes"]:
            if node["id"] == "jeugdhulp":
                node["weight"] = 0.001
    other = run_score(load_config(variant(tmp_path, embedded, no_jeugdhulp), allow_outside=True))
    result = compare_variants(base_run, other)
    table = result.table.set_index("area_code")
    scored = other.result.rank.dropna()
    assert (table.loc[scored.index, "rang_b"] == scored).all()
    assert (table.loc[scored.index, "verschuiving"] == scored - base_run.result.rank[scored.index]).all()
    ranks = pd.DataFrame({"a": base_run.result.rank[scored.index], "b": scored}).astype(float)
    assert result.spearman == pytest.approx(ranks["a"].corr(ranks["b"], method="spearman"))
    assert result.mean_abs_shift == pytest.approx((ranks["b"] - ranks["a"]).abs().mean()) and result.mean_abs_shift > 0
    entered, left = set(table.index[table["wijziging"] == "erbij"]), set(table.index[table["wijziging"] == "eraf"])
    top_b = set(scored.index[scored <= 7])
    top_a = set(base_run.result.rank.dropna().index[base_run.result.rank.dropna() <= 7])
    assert entered == top_b - top_a and left == top_a - top_b


def test_variants_must_use_the_same_data(tmp_path, embedded, base_run):
    other_kwb = tmp_path / "kwb.csv"
    text = (embedded / "data" / "leeuwarden" / "kwb-2023.csv").read_text(encoding="utf-8")
    other_kwb.write_text(text + "\n", encoding="utf-8")
    path = variant(tmp_path, embedded, lambda raw: raw["inputs"]["kwb2023"].update(path=str(other_kwb)))
    with pytest.raises(ConfigError, match=r"inputs\.kwb2023\.path .* is not the same file"):
        same_data(base_run.config, load_config(path, allow_outside=True))
    path = variant(tmp_path, embedded, lambda raw: raw.update(level="buurt"), "buurt.yaml")
    with pytest.raises(ConfigError, match="level is buurt"):
        same_data(base_run.config, load_config(path, allow_outside=True))


def test_compare_command_takes_two_configs(tmp_path, embedded):
    a = variant(tmp_path, embedded, lambda raw: None, "a.yaml")
    b = variant(tmp_path, embedded, lambda raw: raw["method"]["normalisation"].update(method="percentile_rank"), "b.yaml")
    result = CliRunner().invoke(main, ["--allow-outside-paths", "compare", str(a), str(b)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Varianten: a.yaml -> b.yaml" in text and "Met de tweede variant schuiven de wijken gemiddeld" in text
    assert "rangcorrelatie van Spearman 0,9" in text
