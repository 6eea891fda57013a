"""Every school with a score is placed, or the round says so loudly: Leeuwarden's two schools that
merged into IKC Aventurijn, placed from public evidence; what leaving them unplaced costs; boards by name.

These run on the analyst's own IKC table (``ikc.table``: the CBS 2019 school table, which still holds the two
merged schools); the school lists of a round's time (``ikc.lists``) are tested in test_round_facts.py."""

from __future__ import annotations

import pandas as pd
import pytest

from aandacht import load_config
from aandacht.dutch import published_columns
from aandacht.present.placement import placement_summary, unplaced_table
from aandacht.resources import embedded_root
from aandacht.rounds.herijking import run_herijking


def with_2019_table(config):
    """The config with the CBS 2019 school table as its IKC table (``ikc.table``)."""
    return config.model_copy(update={"ikc": config.ikc.model_copy(update={"table": config.inputs["scholen"].path})})


@pytest.fixture(scope="module")
def leeuwarden_round():
    return run_herijking(with_2019_table(load_config(embedded_root() / "configs" / "leeuwarden.yaml")), 2026)


@pytest.fixture(scope="module")
def unplaced_round(tmp_path_factory):
    """The shipped Leeuwarden project with 15WI00 and 16ET00 unplaced again (no wijk, no location row)."""
    import shutil

    project = tmp_path_factory.mktemp("lw")
    shutil.copytree(embedded_root() / "configs", project / "configs")
    shutil.copytree(embedded_root() / "data" / "leeuwarden", project / "data" / "leeuwarden")
    schools = pd.read_csv(project / "data/leeuwarden/schools.csv", dtype=str, keep_default_na=False)
    schools.loc[schools["brin_vestiging"].isin(["15WI00", "16ET00"]), ["wijk_code", "placement"]] = ["", "unplaced"]
    schools.to_csv(project / "data/leeuwarden/schools.csv", index=False)
    locations = pd.read_csv(project / "configs/school_locations.csv", dtype=str)
    locations[~locations["brin_vestiging"].isin(["15WI00", "16ET00"])].to_csv(project / "configs/school_locations.csv",
                                                                               index=False)
    return run_herijking(with_2019_table(load_config(project / "configs" / "leeuwarden.yaml")), 2026)


def test_the_two_merged_schools_are_placed_with_their_evidence(leeuwarden_round):
    table = leeuwarden_round.ikc_registry.table
    assert table.at["15WI00", "wijk_code"] == "WK008050"  # Plataanstraat, Heechterp & Schieringen
    assert table.at["16ET00", "wijk_code"] == "WK008011"  # Achter de Hoven 304, Potmargezone
    reasons = pd.read_csv(embedded_root() / "configs" / "school_locations.csv").set_index("brin_vestiging")["reason"]
    assert "ikc-plataan.nl/IKC-Plataan/Historie" in reasons["15WI00"] and "8933" in reasons["16ET00"]
    assert leeuwarden_round.unplaced.empty and leeuwarden_round.uncovered == []
    assert placement_summary(leeuwarden_round) is None


def test_unplaced_schools_and_their_cost_are_named(unplaced_round):
    lost = unplaced_round.unplaced.set_index("brin_vestiging")
    assert list(lost.index) == ["15WI00", "16ET00"]
    assert lost["boven_laagste_plus"].all()  # each would compete for a Plus place if it were placed
    assert "Heechterp-Skieringen" in unplaced_round.uncovered  # the highest-ranked wijk gets no Plus-IKC
    summary = placement_summary(unplaced_round)
    assert [s["code"] for s in summary["schools"]] == ["15WI00", "16ET00"]
    assert list(published_columns(unplaced_table(unplaced_round)).columns)[:3] == ["brin_vestiging", "naam",
                                                                                   "bevoegd_gezag"]
    assert any("die geen Plus-IKC kunnen worden" in note for note in unplaced_round.notes)
    assert summary["figure"] == "achterstandsscore"  # the CBS 2019 table
    # with the Inspectie's schoolweging as the IKCs' figures the page says so (issue 21)
    import dataclasses

    registry = unplaced_round.ikc_registry
    weighed = dataclasses.replace(registry, table=registry.table.assign(schoolweging=30.0))
    assert placement_summary(dataclasses.replace(unplaced_round, ikc_registry=weighed))["figure"] == "schoolweging"
    # page 1 names the first 8 by need; the rest are counted (a gemeente without polygons has all its schools here)
    many = placement_summary(dataclasses.replace(unplaced_round, unplaced=pd.concat([unplaced_round.unplaced] * 6)))
    assert (many["count"], len(many["schools"]), many["more"]) == (12, 8, 4)


def test_boards_show_by_name(leeuwarden_round):
    boards = leeuwarden_round.selection.ikcs.set_index("brin_vestiging")["bevoegd_gezag"]
    assert boards["15WI00"] == "Stichting Proloog Primair Openbaar Onderwijs Leeuwarden"
    # only a board that no longer exists (42604, in the eindtoets list 2018-2019, not in DUO's list of 2026) shows its number
    assert list(boards[boards.str.startswith("bevoegd gezag")]) == ["bevoegd gezag 42604"]


def test_reasons_show_the_gemeente_and_nederland(leeuwarden_round):
    reasons = leeuwarden_round.designation.reasons.set_index(["area_code", "indicator"])
    row = reasons.loc[("WK008050", "jeugdzorg")]
    assert (row["gemeente"], row["nederland"]) == (13.2, 10.9)  # KWB 2023 GM0080 and NL00, as published
    assert "Nederland 10,9" in leeuwarden_round.designation.areas.at["WK008050", "redenen"]


@pytest.mark.parametrize("name", ["leiden", "leidschendam-voorburg"])
def test_the_other_shipped_configs_run_a_herijking(name):
    result = run_herijking(load_config(embedded_root() / "configs" / f"{name}.yaml"), 2026)
    assert result.designation.areas["designated"].sum() == result.run.config.designation.top_k
    chosen = int(result.selection.ikcs["plus_ikc"].sum())
    assert 1 <= chosen <= result.run.config.selection.count  # fewer when fewer IKCs are eligible


def test_the_report_names_them_on_its_first_page(unplaced_round):
    from aandacht.present.maps import map_frame
    from aandacht.present.report import ReportData, render_html
    from aandacht.present.round_folder import round_overlays

    html = render_html(ReportData(unplaced_round.run, map_frame(unplaced_round.run, round_overlays(unplaced_round)), {},
                                  unplaced_round.selection.constraints, placement_summary(unplaced_round)))
    first_page = html.split('<section id="kaart">')[0]
    assert "Let op: 2 scholen met een achterstandsscore hebben geen wijk" in first_page and "en nog" not in first_page
    assert "De Plataanschool (15WI00" in first_page and "Aandachtsgebied(en) zonder Plus-IKC: " in first_page
    assert "Heechterp-Skieringen" in first_page.split("zonder Plus-IKC: ")[1]
    assert '<th scope="col" class="num">Nederland</th>' in html  # the profiles show the national value beside the gemeente
