"""Round comparison on constructed round records: entered/left/stayed with drivers; IKC statuses."""

import pandas as pd

from aandacht.rounds.compare import compare_ikcs, compare_wijken
from aandacht.rounds.record import RoundRecord


def record(year, designated, values, plus, ikc_status):
    wijken = pd.DataFrame({
        "area_code": ["W1", "W2", "W3"], "area_name": ["Een", "Twee", "Drie"], "rang": [1, 2, 3],
        "score": [80.0, 60.0, 40.0], "aangewezen": designated, "gebied": ["G1" if d else "" for d in designated],
    })
    rows = [(code, indicator, label, raw, normalised, 0.5)
            for code, per_indicator in values.items()
            for (indicator, label), (raw, normalised) in zip((("a", "Armoede"), ("j", "Jeugdzorg")), per_indicator)]
    indicatoren = pd.DataFrame(rows, columns=["area_code", "indicator", "label", "waarde", "genormaliseerd", "gewicht"])
    ikcs = pd.DataFrame({"brin_vestiging": list(ikc_status), "need": [50.0] * len(ikc_status),
                         "status": list(ikc_status.values()), "monitoren": [False] * len(ikc_status),
                         "toelichting": [""] * len(ikc_status)})
    meta = {"round": year, "plus_ikcs": [{"brin_vestiging": b, "name": b, "start_year": s, "status": st}
                                         for b, s, st in plus]}
    return RoundRecord(year, meta, wijken, indicatoren, ikcs)


def test_wijken_entered_left_stayed_with_drivers():
    old = record(2024, [True, True, False], {"W1": [(10, 50), (5, 50)], "W2": [(20, 80), (8, 60)],
                                             "W3": [(4, 10), (2, 20)]}, [], {})
    new = record(2026, [True, False, True], {"W1": [(10, 50), (5, 50)], "W2": [(12, 40), (8, 60)],
                                             "W3": [(9, 70), (3, 30)]}, [], {})
    table = compare_wijken(old, new).set_index("area_code")
    assert table["wijziging"].to_dict() == {"W3": "erbij", "W2": "eraf", "W1": "gebleven"}
    # W3 entered: armoede contributes 0.5 * (70 - 10) = +30, jeugdzorg 0.5 * (30 - 20) = +5
    assert table.at["W3", "oorzaak"] == "nieuwe cijfers: Armoede: 4 -> 9 (bijdrage +30,0); Jeugdzorg: 2 -> 3 (bijdrage +5,0)"
    assert table.at["W2", "oorzaak"] == "nieuwe cijfers: Armoede: 20 -> 12 (bijdrage -20,0)"
    assert table.at["W1", "oorzaak"] == "geen indicator veranderd"


def test_ikc_statuses_between_rounds():
    old = record(2024, [True, True, True], {}, [("K1", 2020, "nieuw"), ("K2", 2024, "nieuw"), ("K3", 2024, "nieuw")], {
        "K1": "nieuw", "K2": "nieuw", "K3": "nieuw"})
    new = record(2026, [True, True, True], {}, [("K2", 2024, "voortgezet"), ("K4", 2026, "nieuw")], {
        "K1": "beëindigd: termijn voorbij", "K2": "voortgezet", "K4": "nieuw"})
    table = compare_ikcs(old, new).set_index("brin_vestiging")
    assert table["status"].to_dict() == {"K2": "voortgezet", "K4": "nieuw", "K1": "beëindigd: termijn voorbij",
                                         "K3": "beëindigd: niet meer in het IKC-register"}
