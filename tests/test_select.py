"""Plus-IKC selection on constructed IKCs: the need and its components by hand, every threshold
at equality, every constraint switched on and off with a case where it binds, the watch list,
and the notes (select.select_plus, select.need_table)."""

import numpy as np
import pandas as pd
import pytest

from aandacht.config import SelectionRules
from aandacht.decide.ikc import IkcRegistry
from aandacht.decide.select import PreviousPlus, changed_figures, need_table, scaled_to_max, select_plus
from aandacht.errors import ConfigError
from aandacht.inputs.areas import AreaRegistry

GEBIEDEN = {"Noord": ["W1"], "Oost": ["W2"]}


def registry() -> AreaRegistry:
    rows = [("G", "Gemeente", "gemeente", ""), *[(f"W{i}", f"Wijk {i}", "wijk", "G") for i in range(1, 5)]]
    table = pd.DataFrame(rows, columns=["area_code", "area_name", "level", "parent_code"]).assign(vintage="2024")
    return AreaRegistry(table.set_index("area_code", drop=False), "test")


def ikcs(rows: list[dict]) -> IkcRegistry:
    """IKCs from {brin, wijk, score[, pupils, board, special, plain]}; ``plain`` is the score with the threshold
    (achterstandsscore), ``score`` the one without (achterstandsscore_zonder_drempel, the default column)."""
    table = pd.DataFrame([{
        "brin_vestiging": row["brin"], "name": f"IKC {row['brin']}", "bevoegd_gezag_nummer": "",
        "bevoegd_gezag": row.get("board", "bestuur A"), "kinderopvang_partner": "", "leerlingen": row.get("pupils", 100.0),
        "achterstandsscore": row.get("plain", row["score"]), "achterstandsscore_zonder_drempel": row["score"],
        "wijk_code": row["wijk"], "buurt_code": "", "speciaal_onderwijs": row.get("special", False),
    } for row in rows]).set_index("brin_vestiging", drop=False)
    return IkcRegistry(table, "test")


# need = the score itself when every IKC has 100 pupils and the highest per-pupil score is 100
PER_PUPIL = {"score_per_pupil": 1, "score_total": 0, "wijk_score": 0}


def rules(**changes) -> SelectionRules:
    base = {"count": 2, "cover_every_gebied": False, "need": PER_PUPIL,
            "continuity": {"term_years": 4, "entry_need": 40, "exit_need": 30, "watch_margin": 5}}
    base.update(changes)
    return SelectionRules.model_validate(base)


def select(rows, round_year=2026, previous=None, origin=None, wijk_scores=None, gebieden=GEBIEDEN, **changes):
    scores = pd.Series({"W1": 80.0, "W2": 60.0, "W3": 20.0}) if wijk_scores is None else wijk_scores
    result = select_plus(ikcs(rows), rules(**changes), gebieden, registry(), scores, round_year, previous, origin)
    return result, result.ikcs.set_index("brin_vestiging")


def chosen(table: pd.DataFrame) -> list[str]:
    return sorted(table.index[table["plus_ikc"]])


# --- the need ------------------------------------------------------------------------------------

def test_need_and_its_components_by_hand():
    registry_ = ikcs([{"brin": "K1", "wijk": "W1", "pupils": 200.0, "score": 100.0},
                      {"brin": "K2", "wijk": "W1", "pupils": 100.0, "score": 80.0},
                      {"brin": "K3", "wijk": "W2", "pupils": 50.0, "score": 20.0},
                      {"brin": "K4", "wijk": "W3", "pupils": 0.0, "score": 10.0}])
    weights = {"score_per_pupil": 2, "score_total": 1, "wijk_score": 1, "pupil_share": 1}
    share = pd.Series({"K1": 0.2, "K2": 0.5, "K3": 1.0, "K4": np.nan})
    table = need_table(registry_, rules(need=weights), pd.Series({"W1": 80.0, "W2": 60.0, "W3": 20.0}), share)
    # per 100 pupils 50, 80, 40, - (no pupils) -> / 80 * 100; total 100, 80, 20, 10 -> / 100 * 100;
    # wijk min-max over the scored wijken (20..80); share * 100, missing = 0
    np.testing.assert_allclose(table["per_100_leerlingen"], [50.0, 80.0, 40.0, np.nan])
    np.testing.assert_allclose(table["score_per_pupil"], [62.5, 100.0, 50.0, np.nan])
    np.testing.assert_allclose(table["score_total"], [100.0, 80.0, 20.0, 10.0])
    np.testing.assert_allclose(table["wijk_score"], [100.0, 100.0, 200 / 3, 0.0])
    np.testing.assert_allclose(table["pupil_share"], [20.0, 50.0, 100.0, 0.0])
    np.testing.assert_allclose(table["wijkscore"], [80.0, 80.0, 60.0, 20.0])
    # need = (2 per_pupil + total + wijk + share) / 5
    np.testing.assert_allclose(table["need"], [(125 + 100 + 100 + 20) / 5, (200 + 80 + 100 + 50) / 5,
                                               (100 + 20 + 200 / 3 + 100) / 5, np.nan])


def test_need_uses_the_configured_score_column():
    registry_ = ikcs([{"brin": "K1", "wijk": "W1", "score": 50.0, "plain": 10.0},
                      {"brin": "K2", "wijk": "W1", "score": 25.0, "plain": 20.0}])
    default = need_table(registry_, rules(need=PER_PUPIL), pd.Series(dtype=float), pd.Series(np.nan, index=["K1", "K2"]))
    assert default["need"].tolist() == [100.0, 50.0]
    plain = need_table(registry_, rules(need={**PER_PUPIL, "score_column": "achterstandsscore"}), pd.Series(dtype=float),
                       pd.Series(np.nan, index=["K1", "K2"]))
    assert plain["need"].tolist() == [50.0, 100.0] and plain["achterstandsscore"].tolist() == [10.0, 20.0]


def test_wijk_component_without_spread_or_score():
    registry_ = ikcs([{"brin": "K1", "wijk": "W1", "score": 50.0}, {"brin": "K2", "wijk": "W4", "score": 50.0}])
    weights = {"score_per_pupil": 0, "score_total": 0, "wijk_score": 1}
    share = pd.Series(np.nan, index=["K1", "K2"])
    one_wijk = need_table(registry_, rules(need=weights), pd.Series({"W1": 70.0, "W4": np.nan}), share)
    assert one_wijk["wijk_score"].tolist() == [0.0, 0.0]  # one scored wijk: no spread, no component
    none = need_table(registry_, rules(need=weights), pd.Series(dtype=float), share)
    assert none["wijk_score"].tolist() == [0.0, 0.0]
    # two scored wijken 30 and 70 (an unscored one in between does not count)
    two = need_table(registry_, rules(need=weights), pd.Series({"W1": 70.0, "W2": np.nan, "W4": 30.0}), share)
    assert two["wijk_score"].tolist() == [100.0, 0.0]


def test_one_pupil_is_a_pupil():
    registry_ = ikcs([{"brin": "K1", "wijk": "W1", "score": 2.0, "pupils": 1.0},
                      {"brin": "K2", "wijk": "W1", "score": 100.0, "pupils": 100.0}])
    table = need_table(registry_, rules(), pd.Series(dtype=float), pd.Series(np.nan, index=["K1", "K2"]))
    assert table["per_100_leerlingen"].tolist() == [200.0, 100.0] and table["need"].tolist() == [100.0, 50.0]


def test_scaled_to_max():
    assert scaled_to_max(pd.Series([2.0, 4.0, np.nan])).tolist()[:2] == [50.0, 100.0]
    assert scaled_to_max(pd.Series([0.0, 0.0])).tolist() == [0.0, 0.0]
    assert scaled_to_max(pd.Series([np.nan, np.nan])).fillna(0).tolist() == [0.0, 0.0]
    assert scaled_to_max(pd.Series([3.0])).tolist() == [100.0]


def test_pupil_share_weight_without_an_origin_table_is_an_error():
    with pytest.raises(ConfigError, match="selection.need.pupil_share has a weight but no pupil-origin table"):
        select([{"brin": "K1", "wijk": "W1", "score": 50.0}], need={**PER_PUPIL, "pupil_share": 1})


# --- eligibility: every threshold at equality --------------------------------------------------------

ROWS = [{"brin": "K1", "wijk": "W1", "score": 100.0}, {"brin": "K2", "wijk": "W1", "score": 40.0},
        {"brin": "K3", "wijk": "W2", "score": 39.0}, {"brin": "K4", "wijk": "W3", "score": 90.0}]


def test_need_exactly_at_the_entry_threshold_is_eligible():
    _, table = select(ROWS)
    assert table["verkiesbaar"].tolist() == [True, True, False, False]  # sorted: K1, K2 (Plus), K4, K3
    assert table.loc[["K1", "K2", "K3", "K4"], "boven_instapdrempel"].tolist() == [True, True, False, True]
    assert table.at["K3", "reden_niet_verkiesbaar"] == "behoefte onder de instapdrempel"
    assert table.at["K4", "reden_niet_verkiesbaar"] == "niet in een aandachtsgebied"
    assert chosen(table) == ["K1", "K2"]


def origin(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["brin_vestiging", "area_code", "leerlingen"])


def test_pupil_share_exactly_at_the_eligible_share_makes_an_ikc_eligible():
    pupils = origin([("K4", "W1", 50.0), ("K4", "W3", 50.0), ("K5", "W2", 49.0), ("K5", "W4", 51.0)])
    rows = [*ROWS, {"brin": "K5", "wijk": "W4", "score": 95.0}]
    _, table = select(rows, origin=pupils, count=3)
    assert table.at["K4", "aandeel_uit_gebieden"] == 50.0 and table.at["K4", "in_gebied_of_leerlingen"]
    assert not table.at["K5", "in_gebied_of_leerlingen"]
    assert chosen(table) == ["K1", "K2", "K4"]


def test_without_origin_data_an_ikc_is_not_placed_by_its_pupils_even_at_share_0():
    pupils = origin([("K4", "W3", 10.0)])  # K4: 0% from the gebieden; K5: no rows
    rows = [*ROWS, {"brin": "K5", "wijk": "W4", "score": 95.0}]
    _, table = select(rows, origin=pupils, eligible_pupil_share=0.0, count=4)
    assert table.at["K4", "in_gebied_of_leerlingen"] and not table.at["K5", "in_gebied_of_leerlingen"]


def test_special_education_excluded_or_competing():
    rows = [*ROWS[:3], {"brin": "K5", "wijk": "W2", "score": 95.0, "special": True}]
    _, table = select(rows, special_education="exclude")
    assert chosen(table) == ["K1", "K2"] and not table.at["K5", "verkiesbaar"]
    assert table.at["K5", "reden_niet_verkiesbaar"] == "speciaal onderwijs uitgesloten"
    _, table = select(rows, special_education="compete")
    assert chosen(table) == ["K1", "K5"]


def test_ikc_without_need_cannot_be_chosen_and_is_noted():
    rows = [*ROWS[:2], {"brin": "K6", "wijk": "W1", "score": 100.0, "pupils": 0.0}]
    result, table = select(rows, count=3)
    assert chosen(table) == ["K1", "K2"] and table.at["K6", "reden_niet_verkiesbaar"] == "geen behoeftecijfer"
    assert "geen behoeftecijfer (geen score of geen leerlingen) voor K6; die kunnen niet gekozen worden" in result.notes
    assert "maar 2 van de 3 plaatsen voor een Plus-IKC gevuld: er zijn maar 2 kandidaten (verkiesbaar of voortgezet)" in result.notes


def test_all_places_filled_is_not_noted():
    result, _ = select(ROWS)
    assert not any(note.startswith("maar ") for note in result.notes)


# --- the constraints ---------------------------------------------------------------------------------

def test_every_gebied_covered_when_asked():
    # without coverage the two Noord IKCs (100, 45) are chosen; with it Oost's only candidate (41) takes a place
    rows = [{"brin": "K1", "wijk": "W1", "score": 100.0}, {"brin": "K2", "wijk": "W1", "score": 45.0},
            {"brin": "K3", "wijk": "W2", "score": 41.0}]
    result, table = select(rows, cover_every_gebied=False)
    assert chosen(table) == ["K1", "K2"] and not any(name.startswith("dekking") for name in result.constraints["constraint"])
    result, table = select(rows, cover_every_gebied=True)
    assert chosen(table) == ["K1", "K3"]
    constraints = result.constraints.set_index("constraint")
    assert constraints.at["dekking Oost", "binding"] and constraints.at["dekking Oost", "gain"] == pytest.approx(4.0)
    assert not constraints.at["dekking Noord", "binding"]


def test_gebied_without_a_candidate_is_noted_and_not_required():
    result, table = select(ROWS[:2], cover_every_gebied=True)  # Oost has no IKC at all
    assert chosen(table) == ["K1", "K2"]
    assert "1 aandachtsgebied(en) zonder verkiesbaar IKC, dus de dekking kan er niet voor gelden: Oost" in result.notes
    assert "dekking Noord" in set(result.constraints["constraint"])


def test_board_maximum_and_minimum_for_every_board_and_per_board():
    rows = [{"brin": "K1", "wijk": "W1", "score": 100.0, "board": "A"}, {"brin": "K2", "wijk": "W1", "score": 90.0, "board": "A"},
            {"brin": "K3", "wijk": "W2", "score": 50.0, "board": "B"}, {"brin": "K4", "wijk": "W2", "score": 45.0, "board": "C"}]
    assert chosen(select(rows)[1]) == ["K1", "K2"]
    assert chosen(select(rows, boards={"max": 1})[1]) == ["K1", "K3"]  # every board at most 1
    assert chosen(select(rows, board_limits={"A": {"max": 1}})[1]) == ["K1", "K3"]
    # a minimum for one board pulls its candidate in; the default for every board is overridden per board
    result, table = select(rows, board_limits={"C": {"min": 1}})
    assert chosen(table) == ["K1", "K4"] and not any("minimum" in note for note in result.notes)
    assert chosen(select(rows, boards={"max": 1}, board_limits={"A": {"max": 2}})[1]) == ["K1", "K2"]
    result, table = select(rows, board_limits={"A": {"min": 0, "max": 1}, "C": {"min": 1}})
    assert chosen(table) == ["K1", "K4"]
    names = set(result.constraints["constraint"])
    assert {"maximum A", "minimum C"} <= names and "minimum A" not in names and "maximum C" not in names
    assert not any(name.endswith(" B") for name in names)  # B has no limit: no constraint


def test_board_minimum_without_candidates_is_noted_and_unknown_boards_refused():
    rows = [{"brin": "K1", "wijk": "W1", "score": 100.0, "board": "A"}, {"brin": "K2", "wijk": "W1", "score": 90.0, "board": "A"},
            {"brin": "K4", "wijk": "W3", "score": 95.0, "board": "B"}]
    result, table = select(rows, board_limits={"B": {"min": 1}, "A": {"max": 2}})
    assert chosen(table) == ["K1", "K2"]
    assert "bestuur/besturen ['B'] met een minimum maar zonder kandidaat-IKC; hun minimum kan niet gelden" in result.notes
    result, _ = select(rows, board_limits={"B": {"max": 1}})
    assert not any("minimum" in note for note in result.notes)
    with pytest.raises(ConfigError, match=r"selection.board_limits names board\(s\) \['Z'\] that are not in the IKC registry"):
        select(rows, board_limits={"Z": {"max": 1}})


# --- continuity and the watch list ---------------------------------------------------------------------

def test_in_term_at_the_exit_threshold_keeps_the_predicate():
    rows = [*ROWS[:2], {"brin": "K3", "wijk": "W2", "score": 30.0}]
    _, table = select(rows, previous=[PreviousPlus("K3", "IKC K3", 2024, {"need": 35.0})])
    assert table.at["K3", "status"] == "voortgezet" and table.at["K3", "plus_ikc"]
    assert chosen(table) == ["K1", "K3"]  # fixed in: K2 (40) would serve more need


def test_in_term_below_exit_is_fixed_out_with_the_changed_figures():
    rows = [*ROWS[:2], {"brin": "K3", "wijk": "W2", "score": 29.0}]
    # the figures of the previous round; the wijk score (W2: (60 - 20) / (80 - 20)) and the share did not change
    previous = [PreviousPlus("K3", "IKC K3", 2024, {"need": 35.0, "score_per_pupil": 35.0, "score_total": 29.0,
                                                    "wijk_score": 200 / 3, "pupil_share": 0.0})]
    _, table = select(rows, previous=previous)
    assert table.at["K3", "status"] == "beëindigd: situatie veranderd" and not table.at["K3", "plus_ikc"]
    assert table.at["K3", "toelichting"] == ("behoefte onder de uitstapdrempel 30: behoefte 35,0 -> 29,0; "
                                             "achterstandsscore per 100 leerlingen 35,0 -> 29,0")
    assert pd.isna(table.at["K3", "startjaar"]) and table["startjaar"].dtype == "Int64"  # years, not 2026.0


def test_term_over_with_the_reason_it_was_not_chosen_again():
    previous = [PreviousPlus("K3", "IKC K3", 2022, {"need": 35.0})]
    _, table = select(ROWS, previous=previous)
    assert table.at["K3", "status"] == "beëindigd: termijn voorbij"
    assert table.at["K3", "toelichting"] == ("termijn 2022-2026 voorbij, niet opnieuw gekozen: "
                                             "behoefte onder de instapdrempel")
    # one year earlier the term still runs (2022 + 4 > 2025): K3 (39) is above the exit threshold and stays
    _, table = select(ROWS, round_year=2025, previous=previous)
    assert table.at["K3", "status"] == "voortgezet" and table.at["K3", "startjaar"] == 2022


def test_previous_plus_that_left_the_registry_is_noted():
    result, table = select(ROWS, previous=[PreviousPlus("K9", "IKC K9", 2024)])
    assert "Plus-IKC('s) ['K9'] van de vorige ronde staan niet meer in het IKC-register" in result.notes
    assert "K9" not in table.index and chosen(table) == ["K1", "K2"]


def test_statuses_and_order():
    result, table = select(ROWS, count=1)
    assert table.loc[["K1", "K2", "K3", "K4"], "status"].tolist() == [
        "nieuw", "kandidaat, niet gekozen", "geen Plus-IKC", "geen Plus-IKC"]
    assert result.ikcs["brin_vestiging"].tolist() == ["K1", "K4", "K2", "K3"]  # Plus first, then by need
    assert table.at["K1", "startjaar"] == 2026 and result.n_plus == 1 and result.objective == pytest.approx(100.0)
    # the marginal value: K1 forced out loses 100 - 40; K2 forced in changes the optimum by 40 - 100
    assert table.at["K1", "marginale_waarde"] == pytest.approx(60.0)
    assert table.at["K2", "marginale_waarde"] == pytest.approx(-60.0)
    assert pd.isna(table.at["K4", "marginale_waarde"])  # not a candidate
    assert result.constraints.to_dict("records") == [
        {"constraint": "aantal Plus-IKCs", "lhs": 1, "sense": "<=", "bound": 1, "tight": True, "gain": 40.0,
         "binding": True}]


def test_watch_list_near_the_exit_and_entry_thresholds():
    # exit 30 + margin 5: a Plus-IKC below 35 is watched, at 35 not; entry 40 - margin 5: an IKC in a gebied
    # that is not Plus with 35 <= need < 40 is watched, at 40 not (then it is a candidate)
    rows = [{"brin": "K1", "wijk": "W1", "score": 100.0}, {"brin": "P1", "wijk": "W1", "score": 34.9},
            {"brin": "P2", "wijk": "W2", "score": 35.0}, {"brin": "N1", "wijk": "W2", "score": 35.0},
            {"brin": "N2", "wijk": "W1", "score": 34.9}, {"brin": "N3", "wijk": "W2", "score": 40.0},
            {"brin": "N4", "wijk": "W3", "score": 37.0}]
    previous = [PreviousPlus("P1", "P1", 2024, {}), PreviousPlus("P2", "P2", 2024, {})]
    _, table = select(rows, previous=previous, count=3)
    assert chosen(table) == ["K1", "P1", "P2"]
    watched = table["monitoren"]
    assert watched["P1"] and not watched["P2"] and not watched["K1"]
    assert watched["N1"] and not watched["N2"] and not watched["N3"]
    assert not watched["N4"]  # not in an aandachtsgebied


def test_unscored_wijk_noted_only_when_the_wijk_score_counts():
    rows = [*ROWS, {"brin": "K7", "wijk": "W4", "score": 10.0}, {"brin": "K8", "wijk": "", "score": 10.0}]
    result, _ = select(rows, need={**PER_PUPIL, "wijk_score": 1})
    assert "wijk(en) W4 zonder score; het wijkdeel van de behoefte van hun IKC's is 0" in result.notes
    result, _ = select(rows)
    assert not any(note.startswith("wijk(en)") for note in result.notes)
    result, _ = select(ROWS, need={**PER_PUPIL, "wijk_score": 1})  # every wijk scored
    assert not any(note.startswith("wijk(en)") for note in result.notes)


def test_changed_figures_lists_only_what_changed():
    new = pd.Series({"need": 18.25, "score_per_pupil": 40.0, "score_total": 10.0, "wijk_score": 50.0, "pupil_share": np.nan})
    old = {"need": 42.1, "score_per_pupil": 40.0, "score_total": 10.0, "wijk_score": 80.0, "pupil_share": np.nan}
    assert changed_figures(old, new) == "behoefte 42,1 -> 18,2; score van de wijk 80,0 -> 50,0"


def test_missing_figures_are_onbekend_in_the_explanation():
    # a Plus-IKC in its term whose school now has no pupils: no need, so it loses the predicate, and the
    # explanation for the bestuurlijk overleg says the figures are unknown (not 'nan')
    rows = [*ROWS[:2], {"brin": "K3", "wijk": "W2", "score": 35.0, "pupils": 0.0}]
    previous = [PreviousPlus("K3", "IKC K3", 2024, {"need": 35.0, "score_per_pupil": 35.0, "score_total": 35.0,
                                                    "wijk_score": 200 / 3, "pupil_share": 0.0})]
    _, table = select(rows, previous=previous)
    assert table.at["K3", "status"] == "beëindigd: situatie veranderd"
    assert table.at["K3", "toelichting"] == ("geen behoeftecijfer: behoefte 35,0 -> onbekend; "
                                             "achterstandsscore per 100 leerlingen 35,0 -> onbekend")
    new = pd.Series({"need": 10.0, "score_per_pupil": np.nan})
    assert changed_figures({"need": None, "score_per_pupil": np.nan}, new) == "behoefte onbekend -> 10,0"
