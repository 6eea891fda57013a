"""Continuity rules of the Plus predicate on constructed histories (select.select_plus)."""

import pandas as pd
import pytest

from aandacht.config import SelectionRules
from aandacht.decide.ikc import IkcRegistry
from aandacht.decide.optimise import Infeasible
from aandacht.decide.select import PreviousPlus, select_plus
from aandacht.inputs.areas import AreaRegistry

GEBIEDEN = {"Noord": ["W1"], "Oost": ["W2"]}
WIJK_SCORES = pd.Series({"W1": 80.0, "W2": 60.0, "W3": 10.0})


def registry() -> AreaRegistry:
    rows = [("G", "Gemeente", "gemeente", ""), ("W1", "Een", "wijk", "G"), ("W2", "Twee", "wijk", "G"),
            ("W3", "Drie", "wijk", "G")]
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "level", "parent_code"]).assign(vintage="2024")
    return AreaRegistry(table.set_index("area_code", drop=False), "test")


def ikcs(k3_score: float = 30.0) -> IkcRegistry:
    """Four IKCs of 100 pupils; with only the per-pupil weight their need is 100 * score / 100."""
    rows = [("K1", "W1", 100.0), ("K2", "W1", 40.0), ("K3", "W2", k3_score), ("K4", "W3", 90.0)]
    table = pd.DataFrame([{
        "brin_vestiging": brin, "name": f"IKC {brin}", "bevoegd_gezag_nummer": "1", "bevoegd_gezag": "bestuur 1",
        "kinderopvang_partner": "", "leerlingen": 100.0, "achterstandsscore": score,
        "achterstandsscore_zonder_drempel": score, "wijk_code": wijk, "buurt_code": "", "speciaal_onderwijs": False,
    } for brin, wijk, score in rows]).set_index("brin_vestiging", drop=False)
    return IkcRegistry(table, "test")


RULES = SelectionRules(
    count=2, cover_every_gebied=False,
    need={"score_per_pupil": 1, "score_total": 0, "wijk_score": 0},
    continuity={"term_years": 4, "entry_need": 35, "exit_need": 20, "watch_margin": 5},
)


def run(previous, round_year=2026, k3_score=30.0):
    result = select_plus(ikcs(k3_score), RULES, GEBIEDEN, registry(), WIJK_SCORES, round_year, previous)
    return result.ikcs.set_index("brin_vestiging")


def test_first_round_chooses_the_highest_eligible_need():
    table = run(None, 2024)
    assert table.index[table["plus_ikc"]].tolist() == ["K1", "K2"]  # K4 scores higher but lies outside the gebieden
    assert table.at["K4", "reden_niet_verkiesbaar"] == "niet in een aandachtsgebied"
    assert table.at["K3", "reden_niet_verkiesbaar"] == "behoefte onder de instapdrempel"
    assert table.loc[["K1", "K2"], "status"].tolist() == ["nieuw", "nieuw"]
    assert table.loc[["K1", "K2"], "startjaar"].tolist() == [2024, 2024]


def test_in_term_and_above_exit_keeps_the_predicate():
    # K3's need (30) is below the entry threshold (35) but above the exit threshold (20): hysteresis keeps it.
    table = run([PreviousPlus("K3", "IKC K3", 2024, {"need": 30.0})])
    assert table.at["K3", "status"] == "voortgezet" and table.at["K3", "startjaar"] == 2024
    assert table.index[table["plus_ikc"]].tolist() == ["K1", "K3"]  # K2 (40) would serve more need
    assert table.at["K2", "status"] == "kandidaat, niet gekozen"
    assert not table.at["K3", "monitoren"]


def test_in_term_near_exit_is_on_watch():
    table = run([PreviousPlus("K3", "IKC K3", 2024, {"need": 30.0})], k3_score=22.0)
    assert table.at["K3", "status"] == "voortgezet" and table.at["K3", "monitoren"]


def test_in_term_below_exit_ends_with_the_changed_figures():
    table = run([PreviousPlus("K3", "IKC K3", 2024, {"need": 30.0, "score_per_pupil": 30.0})], k3_score=10.0)
    assert table.at["K3", "status"] == "beëindigd: situatie veranderd"
    assert not table.at["K3", "plus_ikc"]
    assert "behoefte 30,0 -> 10,0" in table.at["K3", "toelichting"]
    assert "achterstandsscore per 100 leerlingen 30,0 -> 10,0" in table.at["K3", "toelichting"]


def test_term_over_recompetes():
    previous = [PreviousPlus("K1", "IKC K1", 2022, {"need": 100.0}), PreviousPlus("K3", "IKC K3", 2022, {"need": 30.0})]
    table = run(previous)
    # K1 competes again and wins a new term; K3 must now meet the entry threshold, and does not.
    assert table.at["K1", "status"] == "opnieuw aangewezen" and table.at["K1", "startjaar"] == 2026
    assert table.at["K3", "status"] == "beëindigd: termijn voorbij" and not table.at["K3", "plus_ikc"]
    assert table.at["K2", "status"] == "nieuw"


def test_continuing_beyond_the_places_is_an_error():
    previous = [PreviousPlus(b, b, 2024, {}) for b in ("K1", "K2", "K3")]
    with pytest.raises(Infeasible, match="keep their Plus predicate"):
        run(previous)


def test_exit_threshold_above_entry_is_rejected():
    with pytest.raises(ValueError, match="exit_need"):
        SelectionRules(count=1, continuity={"entry_need": 10, "exit_need": 20})
