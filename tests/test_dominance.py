"""Dominance: a domain or indicator whose real share of the score is off its weight, with the area
that anchors its scale; and the Dutch sentence that ``aandacht score`` and the report print."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.present.phrases import dominance_lines
from aandacht.scoring.composite import score
from aandacht.scoring.dominance import dominance, dominance_table
from conftest import make_framework, method


@pytest.fixture(scope="module")
def run():
    from aandacht.config import load_config
    from aandacht.resources import default_config_path
    from aandacht.scoring.run import run_score

    return run_score(load_config(default_config_path()))


def test_jeugdhulp_counts_far_more_than_its_weight_anchored_on_binnenstad(run):
    found = {d.node: d for d in dominance(run.result, 1.5)}
    assert "jeugdhulp" in found and "jeugdzorg" not in found  # jeugdzorg (the only child of jeugdhulp) not twice
    jeugd = found["jeugdhulp"]
    assert jeugd.nominal == pytest.approx(0.25) and jeugd.contribution == pytest.approx(0.375, abs=0.001)
    assert (jeugd.indicator, jeugd.anchor, jeugd.anchor_end) == ("jeugdzorg", "WK008010", "low")  # Binnenstad
    assert jeugd.anchor_value == pytest.approx(2.9) and jeugd.median_value == pytest.approx(11.6)
    bijstand = found["bijstand"]  # Heechterp & Schieringen's 160 per 1.000 stretches the scale upwards
    assert bijstand.ratio < 1 / 1.5 and (bijstand.anchor, bijstand.anchor_end) == ("WK008050", "high")
    assert set(dominance_table(run.result, 2.0)["node"]) == {"bijstand"}  # a larger factor flags less


def test_hand_computed_case():
    # Two indicators, equal weight. On "a" one area sits far below the others, so min-max puts
    # every other area near 100: "a" counts for more than half of every score.
    raw = pd.DataFrame({"a": [0.0, 90.0, 95.0, 100.0], "b": [0.0, 25.0, 50.0, 100.0]}, index=["w1", "w2", "w3", "w4"])
    framework = make_framework({"idx": []}, {"a": ("idx", 1, 1), "b": ("idx", 1, 1)})
    result = score(raw, framework, method())
    shares = result.effective_weights.set_index("indicator")["contribution"]
    # w1 scores 0 (its share 0/0 is undefined and left out); w2: 90/(90+25), w3: 95/(95+50), w4: 100/200
    expected = (90 / 115 + 95 / 145 + 0.5) / 3
    assert shares["a"] == pytest.approx(expected)
    found = dominance(result, 1.1)
    assert [(d.node, d.anchor, d.anchor_end) for d in found] == [("a", "w1", "low"), ("b", "w4", "high")]
    assert dominance(result, 3.0) == []
    with pytest.raises(ValueError, match="above 1"):
        dominance(result, 1.0)


def test_undefined_real_shares_give_no_dominance():
    raw = pd.DataFrame({"a": [1.0, 2.0, 30.0], "b": [3.0, 4.0, 5.0]}, index=["x", "y", "z"])
    framework = make_framework({"idx": []}, {"a": ("idx", 1, 1), "b": ("idx", 1, 1)})
    result = score(raw, framework, method(normalisation={"method": "minmax", "range": [1, 100]},
                                           aggregation={"method": "geometric"}))
    assert result.effective_weights["contribution"].isna().all() and dominance(result) == []


def test_score_command_says_so_in_dutch(tmp_path, run):
    result = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "s")], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert ("Let op: Jeugdhulp telt zwaarder mee dan bedoeld (37,5% in plaats van 25%): bij jongeren met jeugdzorg "
            "ligt Binnenstad met 2,9% ver onder de middelste wijk (11,6%)") in text
    assert dominance_lines(run)[0].startswith("Jeugdhulp telt zwaarder mee")  # domains first
    assert dominance_lines(run)[1].startswith("Personen met bijstand")  # then the largest difference


def test_the_sentence_names_the_level_of_the_areas(run):
    """At buurt level the sentence speaks of buurten, not wijken (Zeewolde, 14 buurten)."""
    from aandacht.present.phrases import dominance_sentence
    from aandacht.scoring.dominance import dominance

    found = dominance(run.result, run.config.report.dominance_factor)[0]
    indicator = next(i for i in run.config.framework.indicators if i.id == found.indicator)
    buurt = dominance_sentence(found, "Wijk 00, buurt 02", indicator.label, indicator.unit, "buurt")
    assert "de middelste buurt (" in buurt and "andere buurten " in buurt and "wijk (" not in buurt
    wijk = dominance_sentence(found, "Binnenstad", indicator.label, indicator.unit, "wijk")
    assert "de middelste wijk (" in wijk and "andere wijken " in wijk
    assert "ver boven het middelste gebied (" in dominance_sentence(found, "X", indicator.label, indicator.unit, "land") \
        or "ver onder het middelste gebied (" in dominance_sentence(found, "X", indicator.label, indicator.unit, "land")


def test_a_lone_indicator_that_goes_weakly_with_the_rest_is_named():
    # D1 = (a, b), D2 = (c) alone. r(c, a) = 3 / sqrt(10 x 10) = 0.3 (deviations -2..2 and 0, -2, 2, -1, 1);
    # the rest of the index is D1 = a. With the index itself: r(c, a + c) = (3 + 10) / sqrt(10 x 26) = 0.806.
    from aandacht.present.phrases import lone_sentence
    from aandacht.scoring.dominance import lone_indicators

    raw = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0], "b": [1.0, 2.0, 3.0, 4.0, 5.0], "c": [3.0, 1.0, 5.0, 2.0, 4.0]},
                       index=list("vwxyz"))
    framework = make_framework({"idx": ["D1", "D2"]}, {"a": ("D1", 1, 1), "b": ("D1", 1, 1), "c": ("D2", 1, 1)})
    m = method()
    result = score(raw, framework, m)
    [found] = lone_indicators(result, framework, m, weak=0.35)
    assert (found.node, found.indicator) == ("D2", "c") and found.nominal == pytest.approx(0.5)
    assert found.r_rest == pytest.approx(0.3) and found.r_index == pytest.approx(13 / np.sqrt(260))
    assert lone_indicators(result, framework, m, weak=0.25) == []  # correlates more than that: not named
    text = lone_sentence(found)
    assert text.startswith("D2 bestaat uit één indicator, c, en telt voor 50% mee") and "(r = 0,30)" in text


def test_leeuwarden_has_no_weak_lone_indicator_and_its_lines_are_unchanged(run):
    from aandacht.scoring.dominance import lone_indicators

    config = run.config
    assert lone_indicators(run.result, config.framework, config.method, config.coherence.weak) == []
    assert dominance_lines(run)[0].startswith("Jeugdhulp telt zwaarder mee dan bedoeld (37,5% in plaats van 25%)")


def test_check_and_terminal_name_a_weak_lone_indicator(run):
    # jeugdzorg goes with the rest of Leeuwarden's index at r = 0.57: named once coherence.weak is 0.6
    from aandacht.scoring.coherence import correlation_checks

    config = run.config.model_copy(update={"coherence": run.config.coherence.model_copy(update={"weak": 0.6})})
    _, problems = correlation_checks(config, run.registry, run.matrix)
    lone = [p for p in problems if "de enige indicator van domein jeugdhulp" in p[2]]
    assert len(lone) == 1 and lone[0][0] == "warning" and "(r = 0,57, niet boven de grens coherence.weak: 0.6)" in lone[0][2]
    lines = dominance_lines(dataclasses.replace(run, config=config))
    assert lines[0] == ("Jeugdhulp bestaat uit één indicator, jongeren met jeugdzorg, en telt voor 25% mee, werkelijk 37,5%, "
                        "maar die hangt weinig samen met de rest van de score (r = 0,57): één cijfer bepaalt zo een groot "
                        "deel van de rangorde.")
    assert lines[1].startswith("Jeugdhulp telt zwaarder mee dan bedoeld")
