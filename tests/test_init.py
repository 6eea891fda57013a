"""`aandacht init`: a project for any gemeente from the national embedded data, and the shipped configs
by gemeente."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht import default_config_path, load_config
from aandacht.archive.project import config_text, describe, plan_project
from aandacht.cli import main
from aandacht.errors import ConfigError
from aandacht.inputs.areas import code_named_note, load_registry
from aandacht.inputs.national import find_gemeente, gemeente_data, gemeenten, national_dir, read_national


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_the_national_data_holds_every_gemeente_wijk_and_buurt_of_2023():
    kwb = read_national("kwb-2023.csv.gz")
    levels = kwb["gwb_code_10"].str[:2].value_counts().to_dict()
    assert levels == {"NL": 1, "GM": 342, "WK": 3352, "BU": 14421}
    assert len(gemeenten()) == 342
    nl = kwb.set_index("gwb_code_10").loc["NL00"]
    assert (nl["a_inw"], nl["a_hh_m_k"], nl["p_hh_li"]) == ("17811291", "2645269", "40")  # KWB 2023 as published
    registry = read_national("gebieden.csv.gz")
    assert set(registry["area_code"]) == set(kwb["gwb_code_10"]) - {"NL00"}


def test_every_wijk_and_buurt_carries_its_published_name():
    registry = read_national("gebieden.csv.gz").set_index("area_code")
    published = ["BU01840000", "BU01840008", "BU01840011", "WK0363AD", "WK0363TD", "BU0363AD03", "BU0363TD01", "WK199230"]
    # Urk's buurten, Amsterdam's and Voorne aan Zee's new wijken of 2023, as the CBS wijk- en buurtkaart 2024 names them
    assert registry.loc[published, "area_name"].tolist() == [
        "Urk-Kom", "De Top", "Urkerland", "Burgwallen-Nieuwe Zijde", "H-buurt", "Nieuwendijk-Noord", "Hoptille", "Brielle"]
    assert set(registry.loc[published, "name_source"]) == {"CBS wijk- en buurtkaart 2024"}
    assert set(registry.loc[published, "vintage"]) == {"2024"}
    assert registry.at["WK008041", "area_name"] == "Nijlân & De Zwette"  # the shipped registries come first
    made = registry["name_source"].str.startswith("geen publieke naam")
    assert not made[registry["level"] != "buurt"].any()  # every wijk has a published name
    assert made.sum() == 385 and set(registry.loc[made, "name_source"]) == {"geen publieke naam: wijknaam en code"}
    # Druten reused WK022501 (Puiflijk until 2023) for Druten itself in 2024: the code keeps its 2022 name
    assert registry.at["WK022501", "area_name"] == "Puiflijk"
    assert registry.loc["BU02250101", ["area_name", "name_source"]].tolist() == [
        "Puiflijk, buurt 01", "geen publieke naam: wijknaam en code"]


def test_a_gemeente_takes_exactly_its_wijk_polygons_from_the_national_file():
    import geopandas as gpd

    # the polygons are read once per process and cut by code prefix: the same rows, order and shapes as
    # GDAL's own filter on the file gives (Leeuwarden: 22 wijken with a 2022 polygon; Amsterdam: none)
    for code, count in (("GM0080", 22), ("GM0363", 0)):
        cut = gemeente_data(code).wijken
        read = gpd.read_file(f"/vsigzip/{national_dir() / 'wijken-2022.geojson.gz'}", where=f"area_code LIKE 'WK{code[2:]}%'")
        assert len(cut) == len(read) == count
        assert cut["area_code"].tolist() == read["area_code"].tolist() and cut.index.equals(read.index)
        assert cut.geometry.to_wkb().tolist() == read.geometry.to_wkb().tolist() and cut.crs == read.crs
        assert cut.columns.tolist() == ["area_code", "area_name", "geometry"]


def test_init_says_once_which_names_are_made_from_a_code(tmp_path):
    druten = plan_project(gemeente_data("GM0225"), "buurt")
    note = ('namen: 14 van de 17 buurten hebben geen gepubliceerde naam en heten naar hun code (bijvoorbeeld '
            '"Druten, buurt 01"; zie name_source); een grenzenbestand met hun namen (de CBS wijk- en buurtkaart: '
            '`aandacht fetch boundaries`, dan `aandacht init --boundaries`) geeft ze')
    assert [line for line in describe(druten) if "gepubliceerde naam" in line] == [note]
    assert config_text(druten).count("geen gepubliceerde naam") == 1
    urk = plan_project(gemeente_data("GM0184"))
    assert not [line for line in [*describe(urk), *config_text(urk).splitlines()] if "gepubliceerde naam" in line]
    # the registry file keeps name_source, and every run reads it (one note, as init's)
    rows = pd.DataFrame({"area_code": ["GM0225", "WK022503", "BU02250301", "BU02250302"],
                         "area_name": ["Druten", "Deest", "Deest, buurt 01", "Deest"], "level": ["gemeente", "wijk", "buurt", "buurt"],
                         "parent_code": ["", "GM0225", "WK022503", "WK022503"], "vintage": ["2023", "2024", "2023", "2024"],
                         "name_source": ["KWB 2023", "CBS wijk- en buurtkaart 2024", "geen publieke naam: wijknaam en code",
                                         "CBS wijk- en buurtkaart 2024"]})
    rows.to_csv(tmp_path / "areas.csv", index=False)
    registry = load_registry(tmp_path / "areas.csv")
    assert registry.table["name_source"].tolist() == rows["name_source"].tolist()
    assert code_named_note(registry.table, "buurt", "areas.csv").startswith(
        'areas.csv: 1 van de 2 buurten hebben geen gepubliceerde naam en heten naar hun code (bijvoorbeeld "Deest, buurt 01"')
    assert code_named_note(registry.table, "wijk", "areas.csv") == ""
    assert code_named_note(rows.drop(columns="name_source"), "buurt", "areas.csv") == ""  # a registry without the column


def test_every_school_of_the_shipped_gemeenten_is_placed_in_the_national_data():
    schools = read_national("scholen-2019.csv.gz")
    leeuwarden = schools[schools["gemeente_code"] == "GM0080"].set_index("brin_vestiging")
    assert (leeuwarden["placement"] != "unplaced").all()
    assert leeuwarden.at["15WI00", "wijk_code"] == "WK008050"  # De Plataanschool, Heechterp & Schieringen
    assert leeuwarden.at["16ET00", "wijk_code"] == "WK008011"  # OBS Potmarge, Potmargezone
    boards = read_national("besturen.csv.gz").set_index("bevoegd_gezag_nummer")["naam"]
    assert boards["41850"] == "Stichting Proloog Primair Openbaar Onderwijs Leeuwarden"


@pytest.mark.parametrize("label, code", [("GM0014", "GM0014"), ("gm14", "GM0014"), ("Groningen", "GM0014"),
                                         ("Ljouwert", "GM0080"), ("súdwest fryslan", "GM1900"), ("Den Haag", "GM0518"),
                                         ("Tietjerksteradeel", "GM0737"), ("Leidschendam Voorburg", "GM1916"),
                                         ("80", "GM0080"), ("0363", "GM0363"), ("'s-Hertogenbosch", "GM0796")])
def test_a_gemeente_by_code_or_name_in_dutch_or_frisian(label, code):
    assert find_gemeente(label)[0] == code


@pytest.mark.parametrize("label, message", [
    ("Bergen", "matches several gemeenten: Bergen (NH.) (GM0373), Bergen op Zoom (GM0748), Bergen (L.) (GM0893)"),
    ("Xyzzyville", "matches no gemeente; closest: "),
    ("GM9999", "is not a gemeente of 2023"),
    ("9999", "is not a gemeente of 2023"),
    ("  ", "no gemeente given: name one"),
])
def test_a_name_that_matches_nothing_or_several_names_the_candidates(label, message):
    with pytest.raises(ConfigError, match="gemeente") as error:
        find_gemeente(label)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_defaults_scale_with_the_gemeente():
    groningen = plan_project(gemeente_data("GM0014"))
    # the gate scales with the gemeente: max(50, floor(0.2 x the median wijk's households with children)) = 238;
    # 18 of Groningen's wijken pass it (20 pass 50 alone)
    assert groningen.gates["wijk"] == 238 and groningen.gates["buurt"] == 50
    assert (groningen.level, groningen.n, groningen.top_k, groningen.n_plus) == ("wijk", 18, 6, 8)
    assert "  relative_to_median: 0.2" in config_text(groningen) and "max(50, 0.2 x median) = 238" in config_text(groningen)
    ameland = plan_project(gemeente_data("GM0060"))  # 1 wijk with children: buurten
    assert (ameland.level, ameland.n, ameland.top_k) == ("buurt", 3, 1)
    assert not any(i.source == "schools" for i in ameland.chosen)  # no buurt boundaries to place schools
    text = config_text(ameland)
    assert "level: buurt" in text and "No buurt polygons" in text and load_geometry_key(text) is None
    yaml.safe_load(text)  # valid YAML


def test_large_cities_rank_buurten_because_their_wijken_are_districts():
    data = gemeente_data("GM0599")
    rotterdam = plan_project(data)
    # 14 rankable wijken with a median of 48,830 inhabitants are districts; 66 buurten with 8,275 are not
    assert (rotterdam.level, rotterdam.rule_level, rotterdam.n) == ("buurt", "buurt", 66)
    assert rotterdam.inhabitants == {"wijk": 48830, "buurt": 8275}
    text = config_text(rotterdam)
    config = yaml.safe_load(text)
    # no buurt polygons shipped: which buurten touch is not known, every designated buurt is its own gebied
    assert config["level"] == "buurt" and "combine" not in config["designation"]
    assert ("niveau: buurten, want de 14 rangschikbare wijken zijn stadsdelen (mediaan 48830 inwoners, meer dan 15000); "
            "de 66 rangschikbare buurten hebben een mediaan van 8275.") in comments(text)
    # Leeuwarden's 21 wijken (median 5,870) are neighbourhoods; Urk has one wijk: buurten, as before
    leeuwarden = plan_project(gemeente_data("GM0080"))
    assert (leeuwarden.level, leeuwarden.inhabitants["wijk"]) == ("wijk", 5870)
    assert "# niveau: wijken, want de 21 rangschikbare wijken zijn geen stadsdelen (mediaan 5870 inwoners, hoogstens 15000)." in (
        config_text(leeuwarden))
    assert "combine" not in yaml.safe_load(config_text(leeuwarden))["designation"]
    urk = plan_project(gemeente_data("GM0184"))
    assert (urk.level, urk.rankable["wijk"]) == ("buurt", 1)
    assert "# niveau: buurten, want er is maar 1 rangschikbare wijk (minstens 5 nodig).\n" in config_text(urk)
    # --level overrides the rule, and the config says so in the sentence init prints (one source)
    forced = plan_project(data, "wijk")
    assert (forced.level, forced.rule_level, forced.n) == ("wijk", "buurt", 14)
    assert forced.level_note().startswith("niveau: wijken, zoals gevraagd (--level of --boundaries); de regel geeft buurten, want")
    assert describe(forced)[1] == forced.level_note() and f"{forced.level_note()}." in comments(config_text(forced))


def comments(text: str) -> str:
    """The comment lines of a config, joined as one text (a wrapped sentence reads whole)."""
    return " ".join(line.strip()[2:] for line in text.splitlines() if line.strip().startswith("# "))


def test_no_indicator_gains_weight_because_others_of_its_domain_are_missing():
    # Ameland ranks 3 buurten: of armoede only laag_inkomen has data (bijstand and inkomen are the same
    # everywhere), of gezin only herkomst (koopwoningen is per wijk only), no school indicators.
    ameland = plan_project(gemeente_data("GM0060"))
    assert [i.id for i in ameland.chosen] == ["laag_inkomen", "jeugdzorg", "herkomst_buiten_europa"]
    assert (ameland.domain_weight("armoede"), ameland.domain_weight("jeugdhulp"), ameland.domain_weight("gezin")) == (
        pytest.approx(1 / 3), 1.0, 0.5)
    # weights 1/3, 1, 1/2 (total 11/6): laag_inkomen 2/11, jeugdzorg 6/11, herkomst 3/11: the framework's
    # 1/12 : 1/4 : 1/8 kept; herkomst no longer weighs a whole domain (1/3 before)
    shares = ameland.shares()
    assert shares == pytest.approx({"laag_inkomen": 2 / 11, "jeugdzorg": 6 / 11, "herkomst_buiten_europa": 3 / 11})
    text = config_text(ameland)
    assert "weight: 0.333333}  # 1 of its 3 indicators used" in text and "weight: 0.5}  # 1 of its 2 indicators used" in text
    assert "#   jeugdzorg: 54.5% (framework 25.0%)" in text
    assert "Weighs more than twice its framework share because whole domains have no data here: laag_inkomen" in text
    config = yaml.safe_load(text)
    assert [n["weight"] for n in config["framework"]["nodes"]] == [0.333333, 1, 0.5]
    # a gemeente with every indicator keeps equal domains
    groningen = plan_project(gemeente_data("GM0014"))
    assert {groningen.domain_weight(d) for d in ("onderwijs", "armoede", "jeugdhulp", "gezin")} == {1.0}
    assert "weight: 1}" in config_text(groningen) and "Weighs more than twice" not in config_text(groningen)


def test_too_few_areas_to_rank_is_one_clear_line(runner, tmp_path):
    result = runner.invoke(main, ["init", "Schiermonnikoog"])
    assert result.exit_code == 2
    assert result.output.startswith("error: Schiermonnikoog (GM0088): too few areas to rank: 1 of 1 wijken")
    assert not (tmp_path / "schiermonnikoog").exists() and not list(tmp_path.iterdir())


def test_init_then_check_and_herijking_work_without_edits(runner, tmp_path, monkeypatch):
    result = runner.invoke(main, ["init", "groningen"])
    assert result.exit_code == 0, result.output
    project = tmp_path / "groningen"
    assert sorted(p.name for p in (project / "configs").iterdir()) == [
        "groningen.yaml", "ovt_locations.csv", "school_boards.csv", "school_changes.csv", "school_locations.csv"]
    assert pd.read_csv(project / "configs" / "school_locations.csv").empty
    boards = pd.read_csv(project / "configs" / "school_boards.csv", dtype=str)
    assert list(boards.columns) == ["bevoegd_gezag_nummer", "naam"] and boards["naam"].isna().all() and len(boards)
    config = load_config(project / "configs" / "groningen.yaml")
    assert config.designation.top_k == 6 and config.selection.count == 8 and config.consensus.top_k == 6
    shipped = load_config(default_config_path())
    assert config.framework.index.label == shipped.framework.index.label == "Aandachtsscore"  # 100 = most attention
    monkeypatch.chdir(project)
    check = runner.invoke(main, ["check"])
    assert check.exit_code == 0, check.output
    round_run = runner.invoke(main, ["herijking", "--round", "2026", "--no-maps"])
    assert round_run.exit_code == 0, round_run.output
    ikcs = pd.read_csv(project / "rounds" / "2026" / "ikcs.csv", sep=";", dtype=str)
    assert ikcs["plus_ikc"].eq("ja").sum() == 8 and set(ikcs["plus_ikc"]) == {"ja", "nee"}  # Dutch yes/no
    numbered = ikcs.loc[ikcs["bevoegd_gezag"].str.startswith("bevoegd gezag"), "brin_vestiging"]
    assert not ikcs["bevoegd_gezag"].str.match(r"bevoegd gezag \d").any()  # DUO names, not numbers
    # only SBAO schools lack a board: DUO's 2026 list of basisonderwijs (the only list with boards) has no SBO
    vestigingen = pd.read_csv(project / "data" / "groningen" / "vestigingen.csv", dtype=str).set_index("brin_vestiging")
    assert set(vestigingen.loc[numbered, "soort"]) <= {"SBAO"}


def test_init_never_overwrites_a_folder(runner, tmp_path):
    (tmp_path / "groningen").mkdir()
    (tmp_path / "groningen" / "notes.txt").write_text("mine")
    result = runner.invoke(main, ["init", "groningen"])
    assert result.exit_code == 2 and "exists and is not empty" in result.output
    assert [p.name for p in (tmp_path / "groningen").iterdir()] == ["notes.txt"]


def test_a_buurt_project_runs_without_polygons_and_says_so(runner, tmp_path, monkeypatch):
    made = runner.invoke(main, ["init", "GM0060", "ameland"])
    assert made.exit_code == 0, made.output
    # init says, in Dutch, what it chose, what is missing and the commands that add it (issue 23 item 5)
    lines = made.output.splitlines()
    assert lines[0].startswith("Ameland (GM0060): rangschikt 3 van de ") and " Plus-IKCs" in lines[0]
    assert lines[1].endswith("; geen buurtgrenzen: elke aangewezen buurt is een eigen aandachtsgebied")
    assert any(line.startswith("aandacht levert geen buurtgrenzen mee: geen kaarten") and
               "`aandacht fetch boundaries GM0060 --level buurt`" in line and
               "`aandacht init GM0060 --level buurt --boundaries BESTAND`" in line for line in lines)
    assert lines[-2:] == ["geschreven: ameland/ (config ameland/configs/ameland.yaml)",
                          "volgende stap: cd ameland && aandacht check && aandacht herijking --round 2026"]
    monkeypatch.chdir(tmp_path / "ameland")
    check = runner.invoke(main, ["check", "--strict"])
    assert check.exit_code == 1 and "niet geplaatst in een buurt" in check.output  # its schools cannot be placed
    result = runner.invoke(main, ["herijking", "--round", "2026"])
    assert result.exit_code == 0, result.output
    if sys.platform == "linux":  # the maps' process, started before the config was read, is stopped and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)
    # a report without maps, and one Dutch line saying why and which command adds them (issue 21 item 3)
    assert "Rapport zonder kaarten. Er is geen bestand met de grenzen van de buurten van Ameland" in result.output
    assert "`aandacht fetch boundaries GM0060 --level buurt`" in result.output
    written = {p.name for p in (tmp_path / "ameland" / "rounds" / "2026").iterdir()}
    assert "rapport.html" in written and not any(name.endswith(".png") for name in written)
    drawn = runner.invoke(main, ["map", "--out", "kaarten"])
    assert drawn.exit_code == 2 and "ameland.yaml: Er is geen bestand met de grenzen" in drawn.output
    assert drawn.output.count("\n") == 1 and not (tmp_path / "ameland" / "kaarten").exists()


def test_init_of_a_shipped_gemeente_copies_its_config_and_data(runner, tmp_path, monkeypatch):
    result = runner.invoke(main, ["init", "leeuwarden", "lw"])
    assert result.exit_code == 0, result.output
    project = tmp_path / "lw"
    assert (project / "configs" / "leeuwarden.yaml").is_file()
    assert (project / "configs" / "school_locations.csv").is_file() and (project / "data" / "leeuwarden" / "areas.csv").is_file()
    monkeypatch.chdir(project)
    check = runner.invoke(main, ["check"])
    assert check.exit_code == 0, check.output
    assert "15WI00" not in check.output  # placed with the public evidence


def test_a_shipped_config_is_named_by_gemeente(runner):
    result = runner.invoke(main, ["score", "--gemeente", "leiden", "--top", "3", "--out", "s"])
    assert result.exit_code == 0, result.output
    assert "Leiden" in result.output
    other = runner.invoke(main, ["score", "--gemeente", "groningen"])
    assert other.exit_code == 2 and "aandacht init GM0014" in other.output


def test_a_folder_with_two_configs_asks_for_one(runner, tmp_path):
    (tmp_path / "configs").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "configs" / name).write_text("name: x\n")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2 and "holds several configs (a.yaml, b.yaml)" in result.output


def test_aandachts_own_checkout_is_not_a_project(runner, tmp_path):
    """In a checkout of aandacht's source (installed with `pip install .`, not editable) the shipped
    configs/ is not the project's: the commands run the embedded default, as the README promises."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "aandacht"\n')
    (tmp_path / "configs").mkdir()
    for name in ("leeuwarden.yaml", "leiden.yaml"):
        (tmp_path / "configs" / name).write_text("name: x\n")
    result = runner.invoke(main, ["score", "--top", "3", "--out", "s"])
    assert result.exit_code == 0, result.output
    assert "Leeuwarden" in result.output
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "iets-anders"\n')
    other = runner.invoke(main, ["check"])
    assert other.exit_code == 2 and "holds several configs" in other.output


def load_geometry_key(text: str):
    return yaml.safe_load(text)["areas"].get("geometry")
