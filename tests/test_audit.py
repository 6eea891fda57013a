"""The statistical audit: Cronbach's alpha, correlations, the rank shift of every area when an
indicator or a domain is left out, strengths and weaknesses, on a hand-computed case and on the
embedded Leeuwarden data (scores.xlsx sheets and the Dutch paragraph)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from aandacht.present.phrases import audit_paragraph
from aandacht.present.tables import write_workbook
from aandacht.scoring.audit import audit
from aandacht.scoring.composite import index_without, score
from aandacht.scoring.run import run_score
from conftest import make_framework, method


@pytest.fixture(scope="module")
def small():
    # index = mean of D1 (a, b) and D2 (c). Min-max: a = b = 0, 33.3, 66.7, 100; c = 0, 100, 33.3, 66.7;
    # index = 0, 66.7, 50, 83.3: ranks w4 1, w2 2, w3 3, w1 4.
    raw = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [0.0, 1.0, 2.0, 3.0], "c": [0.0, 3.0, 1.0, 2.0]},
                       index=["w1", "w2", "w3", "w4"])
    framework = make_framework({"idx": ["D1", "D2"]}, {"a": ("D1", 1, 1), "b": ("D1", 1, 1), "c": ("D2", 1, 1)})
    m = method()
    result = score(raw, framework, m)
    areas = pd.DataFrame({"area_name": ["Een", "Twee", "Drie", "Vier"]}, index=raw.index)
    config = SimpleNamespace(framework=framework, method=m, designation=SimpleNamespace(top_k=2))
    return SimpleNamespace(config=config, result=result, matrix=SimpleNamespace(values=raw, areas=areas), derived={})


def test_hand_computed_audit(small):
    assert list(small.result.rank) == [4, 2, 3, 1]
    found = audit(small)
    domains = found.domains.set_index("domain")
    # a and b are identical: alpha = 2 / 1 x (1 - 2 var / 4 var) = 1; D2 has one indicator: undefined
    assert domains.at["D1", "cronbach_alpha"] == pytest.approx(1.0) and np.isnan(domains.at["D2", "cronbach_alpha"])
    indicators = found.indicators.set_index("indicator")
    # r(a, index) = r((0, 1, 2, 3), (0, 4, 3, 5)) = 7 / sqrt(5 x 14)
    assert indicators.at["a", "r_index"] == pytest.approx(7 / np.sqrt(70))
    assert indicators.at["a", "r_domain"] == pytest.approx(1.0) and indicators.at["c", "r_domain"] == pytest.approx(1.0)
    summary = found.summary.set_index("item")
    # without a: D1 = b = a, nothing moves; a domain of one indicator (D2) is listed as its indicator only
    assert summary.at["a", "max_abs_shift"] == 0 and "D2" not in summary.index
    # without c the index is a: ranks w4 1, w3 2, w2 3, w1 4: w2 +1, w3 -1; the top 2 gains Drie, loses Twee
    assert summary.at["c", "mean_abs_shift"] == pytest.approx(0.5) and summary.at["c", "max_abs_shift"] == 1
    assert (summary.at["c", "entered"], summary.at["c", "left"]) == ("Drie", "Twee")
    # without D1 the index is c: ranks w2 1, w4 2, w3 3, w1 4: w2 -1, w4 +1; the top 2 stays
    assert summary.at["D1", "kind"] == "domein" and summary.at["D1", "mean_abs_shift"] == pytest.approx(0.5)
    assert summary.at["D1", "entered"] == "" and summary.at["D1", "left"] == ""
    shifts = found.shifts.set_index("area_code")
    assert list(shifts["zonder c"]) == [0, 1, -1, 0] and list(shifts.index) == ["w4", "w2", "w3", "w1"]
    np.testing.assert_allclose(index_without(small.result, small.config.framework, small.config.method, {"a", "b"}),
                               small.result.normalised["c"])


def test_strengths_and_weaknesses_by_hand(small):
    table = audit(small).strengths.set_index("area_code")
    # Twee: c = 3 is the highest (1e of 4); a and b = 1 are 3rd; with 3 indicators one of each is shown
    assert table.at["w2", "hoogste_risico"] == "c (1e van 4)" and table.at["w2", "laagste_risico"] == "b (3e van 4)"
    assert table.at["w4", "hoogste_risico"] == "a (1e van 4)" and table.at["w4", "laagste_risico"] == "c (2e van 4)"


@pytest.fixture(scope="module")
def run(default_config):
    return run_score(default_config)


def test_leeuwarden_audit_sheets_and_paragraph(run, tmp_path):
    path = tmp_path / "scores.xlsx"
    write_workbook(run, path)
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    # the analyst's workbook is Dutch (present/tables.py SHEETS_NL, COLUMNS_NL)
    assert {"toets domeinen", "toets indicatoren", "weglaten", "rangverschuivingen", "sterk en zwak"} <= set(sheets)
    assert len(sheets["rangverschuivingen"]) == 21 and len(sheets["sterk en zwak"]) == 21
    summary = sheets["weglaten"].set_index("onderdeel_code")
    assert set(summary.index) == {*run.result.tree.leaves, "onderwijs", "armoede", "gezin"}  # jeugdhulp = jeugdzorg
    text = audit_paragraph(audit(run))
    assert text.startswith("De rangorde hangt het meest af van ")
    assert "Cronbachs alfa" in text and "." not in text.split("alfa ")[1][:4]  # decimal comma


def test_leaving_out_a_domain_of_a_deeper_tree_drops_its_empty_nodes():
    # idx -> S1 (P1 (a, b)), S2 (P2 (c)): without S1's indicators, P1 and S1 have none left and drop out
    # (they used to stay as nodes without children, which could not be aggregated)
    raw = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [2.0, 1.0, 0.0], "c": [0.0, 2.0, 1.0]}, index=["x", "y", "z"])
    framework = make_framework({"idx": ["S1", "S2"], "S1": ["P1"], "S2": ["P2"]},
                               {"a": ("P1", 1, 1), "b": ("P1", 1, 1), "c": ("P2", 1, 1)})
    m = method()
    result = score(raw, framework, m)
    np.testing.assert_allclose(index_without(result, framework, m, {"a", "b"}), result.normalised["c"])
