"""A round decides on the facts of its year: vintages per input, the school list of its time,
closures and mergers, and every change with its cause (issue 20). On the real shipped data of
Leeuwarden (data/leeuwarden, built from ../shared/data/raw by scripts/build_data.py)."""

import json

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

from aandacht.cli import main
from aandacht.config import InputSpec, Vintage, period_year
from aandacht.decide.select import PreviousPlus
from aandacht.inputs.reading import read_csv_nl
from aandacht.inputs.vintages import choose_vintage
from aandacht.resources import default_config_path, embedded_root
from aandacht.rounds.schools import carry_over


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "250"})


def meta_of(folder):
    return json.loads((folder / "ronde.json").read_text(encoding="utf-8"))


# --- the vintage rule ----------------------------------------------------------------------------

@pytest.mark.parametrize("period, year", [("2023", 2023), ("2023-2024", 2024), ("2023-2025", 2025),
                                          ("2026-08-01", 2026), ("schooljaar 2021/2022", 2022), ("geen", None)])
def test_the_year_of_a_period_is_the_last_year_it_names(period, year):
    assert period_year(period) == year


def spec(**extra):
    return InputSpec.model_validate({"loader": "kwb", "vintages": [
        {"period": "2021", "path": "a.csv"}, {"period": "2023", "path": "c.csv"}, {"period": "2022", "path": "b.csv"}],
        **extra})


def test_an_input_with_vintages_reads_the_newest_unless_a_round_says_otherwise():
    assert str(spec().path) == "c.csv" and spec().period == "2023"


@pytest.mark.parametrize("peildatum, path, of_time", [(2024, "c.csv", True), (2023, "c.csv", True),
                                                       (2022, "b.csv", True), (2021, "a.csv", True),
                                                       (2020, "a.csv", False)])
def test_a_round_takes_the_newest_vintage_not_after_its_peildatum_else_the_nearest(peildatum, path, of_time):
    choice = choose_vintage("kwb", spec(), peildatum)
    assert str(choice.path) == path and choice.of_round_time is of_time
    assert choice.periods == ("2021", "2022", "2023")
    assert choice.label.startswith("Kerncijfers Wijken en Buurten")


def test_available_moves_a_vintage_to_its_publication_year():
    late = InputSpec.model_validate({"loader": "kwb", "vintages": [
        {"period": "2022", "path": "a.csv"}, {"period": "2023", "path": "b.csv", "available": 2025}]})
    assert str(choose_vintage("kwb", late, 2024).path) == "a.csv"
    assert str(choose_vintage("kwb", late, 2025).path) == "b.csv"


@pytest.mark.parametrize("vintages, message", [
    ([{"period": "2023", "path": "a.csv"}, {"period": "2023", "path": "b.csv"}], "more than once"),
    ([{"period": "nieuw", "path": "a.csv"}], "names no year"),
])
def test_bad_vintages_are_refused(vintages, message):
    with pytest.raises(ValidationError, match=message):
        InputSpec.model_validate({"loader": "kwb", "vintages": vintages})


def test_a_vintage_needs_a_period():
    with pytest.raises(ValidationError):
        Vintage.model_validate({"path": "a.csv"})


# --- rounds on the shipped Leeuwarden data -------------------------------------------------------

@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rounds")
    results = {
        2024: invoke("herijking", "--round", 2024, "--rounds-dir", folder, "--no-maps"),
        2026: invoke("herijking", "--round", 2026, "--previous", folder / "2024", "--rounds-dir", folder, "--no-maps"),
        2028: invoke("herijking", "--round", 2028, "--previous", folder / "2026", "--rounds-dir", folder, "--no-maps"),
    }
    return folder, results


def test_three_rounds_in_a_row_work(rounds):
    folder, results = rounds
    for year, result in results.items():
        assert result.exit_code == 0, result.output
        assert meta_of(folder / str(year))["peildatum"] == year


def test_the_2024_and_2026_rounds_name_their_own_vintages(rounds):
    folder, results = rounds
    sources = {year: {s["invoer"]: s for s in meta_of(folder / str(year))["bronnen"]} for year in (2024, 2026)}
    assert sources[2024]["scholenlijst"]["bron"] == "DUO-vestigingen november 2024"
    assert sources[2026]["scholenlijst"]["bron"] == "DUO-vestigingen 2026"
    assert sources[2024]["schoolweging"]["periode"] == "2023-2024"
    assert sources[2024]["kwb2023"]["bron"] == "Kerncijfers Wijken en Buurten 2023"
    # the leerresultaten exist only for 2023-2025: the 2024 round says it took a later vintage, loudly
    assert sources[2024]["leerresultaten"]["van_de_peildatum"] is False
    assert sources[2026]["leerresultaten"]["van_de_peildatum"] is True
    facts = meta_of(folder / "2024")["toelichting"]
    assert any("Leerresultaten" in line and "2025" in line for line in facts["let_op"])
    assert "LET OP: Voor leerresultaten" in results[2024].output
    assert "Bronnen van deze ronde (peildatum 2026)" in results[2026].output
    manifest = json.loads((folder / "2026" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["peildatum"] == 2026
    assert manifest["config"]["inputs"]["schoolweging"]["path"].endswith("schoolweging-2023-2024.csv")


def test_a_round_proposes_only_schools_of_the_list_of_its_time(rounds):
    folder, _ = rounds
    listed = pd.read_csv(embedded_root() / "data" / "leeuwarden" / "vestigingen.csv", dtype=str)
    in_2026 = set(listed.loc[(listed["in_duo_2026"] == "true") | (listed["soort"] == "SBAO") & (listed["in_duo_2024"] == "true"),
                             "brin_vestiging"])
    ikcs = read_csv_nl(folder / "2026" / "ikcs.csv")
    assert set(ikcs["brin_vestiging"]) <= in_2026
    assert not {"15WI00", "16ET00"} & set(ikcs["brin_vestiging"])  # merged into IKC Aventurijn in 2019/20
    plus = ikcs[ikcs["plus_ikc"]]
    assert plus["brin_vestiging"].is_unique and len(plus) <= 9
    assert "32DX00" in set(ikcs["brin_vestiging"])  # Teresa (opened after 2019) competes
    assert ikcs["behoefte"].notna().sum() > 40  # need from the schoolweging of the round's time
    facts = meta_of(folder / "2026")["toelichting"]
    assert any("DUO-vestigingen 2026" in line and "Schoolweging" in line for line in facts["bronnen"])


def test_a_school_gone_since_the_previous_round_is_named_with_what_happened(rounds):
    folder, results = rounds
    gone = read_csv_nl(folder / "2026" / "wijzigingen_scholen.csv")
    row = gone.set_index("brin_vestiging").loc["15JJ00"]  # It Tredde Ste: in the list of 2024, not of 2026
    assert row["gebeurtenis"] == "niet meer in de lijst" and row["bron"] == "DUO-vestigingen 2026"
    assert "Scholen van ronde 2024 die er niet meer zijn" in results[2026].output
    assert any("It Tredde Ste (15JJ00)" in line for line in meta_of(folder / "2026")["toelichting"]["wijzigingen"])


def test_identical_inputs_are_said_first(rounds):
    folder, results = rounds
    facts = meta_of(folder / "2028")["toelichting"]["wijzigingen"]
    assert facts[0].startswith("Ronde 2026 en ronde 2028 rekenen met precies dezelfde bestanden")
    assert "precies dezelfde bestanden" in results[2028].output
    assert not any("precies dezelfde" in line for line in meta_of(folder / "2026")["toelichting"]["wijzigingen"])


def test_a_round_of_2021_decides_on_the_figures_of_that_time(tmp_path):
    result = invoke("herijking", "--round", 2021, "--rounds-dir", tmp_path, "--no-maps")
    assert result.exit_code == 0, result.output
    meta = meta_of(tmp_path / "2021")
    sources = {s["invoer"]: s for s in meta["bronnen"]}
    assert sources["scholenlijst"]["periode"] == "2020"
    assert not sources["schoolweging"]["van_de_peildatum"]  # no schoolweging before 2022: nearest, said
    line = next(line for line in meta["toelichting"]["bronnen"] if "IKC" in line)
    assert "DUO-vestigingen 2020" in line and "CBS-achterstandsscores basisscholen 2019" in line
    ikcs = read_csv_nl(tmp_path / "2021" / "ikcs.csv")
    assert "32DX00" not in set(ikcs["brin_vestiging"]) and "16HJ00" in set(ikcs["brin_vestiging"])


def changed_config(tmp_path, edit) -> object:
    config = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    base = default_config_path().parent
    for spec in config["inputs"].values():
        for vintage in spec.get("vintages", []):
            vintage["path"] = str((base / vintage["path"]).resolve())
        for key in ("schools", "ovt_locations", "locations"):
            if key in spec:
                spec[key] = str((base / spec[key]).resolve())
    for vintage in config["ikc"]["lists"]:
        vintage["path"] = str((base / vintage["path"]).resolve())
    for key in ("changes", "boards", "board_names"):
        config["ikc"][key] = str((base / config["ikc"][key]).resolve())
    config["areas"] = {k: str((base / v).resolve()) for k, v in config["areas"].items()}
    edit(config)
    path = tmp_path / "configs" / "changed.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_a_changed_rule_is_named_as_the_cause(rounds, tmp_path):
    folder, _ = rounds
    config = changed_config(tmp_path, lambda c: c["designation"].update(top_k=5))
    result = invoke("--allow-outside-paths", "herijking", "--config", config, "--round", 2028, "--previous",
                    folder / "2026", "--rounds-dir", tmp_path / "r", "--no-maps")
    assert result.exit_code == 0, result.output
    changes = read_csv_nl(tmp_path / "r" / "2028" / "wijzigingen_wijken.csv")
    left = changes[changes["wijziging"] == "eraf"]
    assert len(left) == 2
    assert left["oorzaak"].str.contains("regel gewijzigd: aantal aandachtsgebieden 7 -> 5", regex=False).all()
    facts = meta_of(tmp_path / "r" / "2028")["toelichting"]["wijzigingen"]
    assert any("aantal aandachtsgebieden 7 -> 5" in line for line in facts)


def round_with_changes(rounds, tmp_path, row: str):
    """The 2026 round after 2024 with a school change table holding ``row``."""
    folder, _ = rounds
    changes = tmp_path / "changes.csv"
    changes.write_text(f"old_code,new_code,year,source\n{row}\n", encoding="utf-8")
    config = changed_config(tmp_path, lambda c: c["ikc"].update(changes=str(changes)))
    return invoke("--allow-outside-paths", "herijking", "--config", config, "--round", 2026, "--previous",
                  folder / "2024", "--rounds-dir", tmp_path / "r", "--no-maps")


def test_a_merger_names_the_successor(rounds, tmp_path):
    result = round_with_changes(rounds, tmp_path, "15JJ00,15TG00,2025,test")
    assert result.exit_code == 0, result.output
    gone = read_csv_nl(tmp_path / "r" / "2026" / "wijzigingen_scholen.csv").set_index("brin_vestiging")
    assert gone.at["15JJ00", "gebeurtenis"] == "opgegaan in" and gone.at["15JJ00", "opvolger"] == "15TG00"


def test_a_merged_plus_ikc_passes_its_predicate_to_its_successor_once():
    events = pd.DataFrame({"brin_vestiging": ["AA0100", "BB0100", "CC0100"], "name": ["A", "B", "C"],
                           "was_plus": [True, True, True], "gebeurtenis": ["opgegaan in", "opgegaan in", "gesloten"],
                           "opvolger": ["DD0100", "DD0100", ""], "jaar": ["2025"] * 3, "bron": ["test"] * 3})
    previous = [PreviousPlus("AA0100", "A", 2024), PreviousPlus("BB0100", "B", 2022), PreviousPlus("CC0100", "C", 2024),
                PreviousPlus("EE0100", "E", 2024)]
    current = pd.Series({"DD0100": "D", "EE0100": "E"})
    carried, notes = carry_over(previous, events, current)
    assert [(p.brin_vestiging, p.name, p.start_year) for p in carried] == [("DD0100", "D", 2022), ("EE0100", "E", 2024)]
    assert len(notes) == 2 and "A (AA0100) is opgegaan in DD0100" in notes[0]


@pytest.mark.parametrize("row, message", [
    ("15JJ00,15TG00,twintig,bron", "year 'twintig' is not a year"),
    ("15JJ00,15JJ00,2025,bron", "cannot merge into itself"),
    ("15JJ00,99ZZ00,2025,bron", "99ZZ00, which is not in this round's school list"),
])
def test_a_bad_school_change_table_is_one_line(rounds, tmp_path, row, message):
    result = round_with_changes(rounds, tmp_path, row)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "r" / "2026").exists()


def test_every_reason_is_worse_than_the_gemeente(rounds):
    folder, _ = rounds
    reasons = read_csv_nl(folder / "2026" / "redenen.csv")
    config = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    direction = {i["id"]: i["direction"] for i in config["framework"]["indicators"]}
    reference = reasons["gemeente"].where(reasons["gemeente"].notna(), reasons["mediaan"])
    assert ((reasons["waarde"] - reference) * reasons["indicator"].map(direction) > 0).all()
    assert len(reasons) > 0


def test_check_lists_the_schools_of_the_previous_round_that_are_gone(rounds, tmp_path):
    folder, _ = rounds
    result = invoke("check", "--previous", folder / "2024", "--peildatum", 2026, "--out", tmp_path / "c")
    assert result.exit_code == 0, result.output
    assert "Scholen van ronde 2024 die er niet meer zijn" in result.output and "It Tredde Ste" in result.output
    gone = read_csv_nl(tmp_path / "c" / "scholen_verdwenen.csv")
    assert list(gone["brin_vestiging"]) == ["15JJ00"]


def test_a_peildatum_other_than_the_round_year_is_kept_and_verified(tmp_path):
    result = invoke("herijking", "--round", 2026, "--peildatum", 2024, "--rounds-dir", tmp_path, "--no-maps")
    assert result.exit_code == 0, result.output
    meta = meta_of(tmp_path / "2026")
    assert meta["peildatum"] == 2024
    assert {s["invoer"]: s["bron"] for s in meta["bronnen"]}["scholenlijst"] == "DUO-vestigingen november 2024"
    verified = invoke("verify", tmp_path / "2026")
    assert verified.exit_code == 0 and "identical to a recomputation" in verified.output


def test_compare_gives_the_same_causes_as_the_round(rounds):
    folder, _ = rounds
    result = invoke("compare", folder / "2024", folder / "2026")
    assert result.exit_code == 0, result.output
    assert "Scholen van ronde 2024 die er niet meer zijn" in result.output and "It Tredde Ste" in result.output
    same = invoke("compare", folder / "2026", folder / "2028")
    assert "Ronde 2026 en ronde 2028 rekenen met precies dezelfde bestanden" in same.output


def test_one_source_of_reasons_on_page_one_and_in_the_round_files(rounds):
    folder, _ = rounds
    from html import unescape

    from aandacht.config import load_config
    from aandacht.decide.designate import area_reasons
    from aandacht.present.maps import map_frame
    from aandacht.present.phrases import short_label
    from aandacht.present.report import ReportData
    from aandacht.present.round_folder import read_round_overlays
    from aandacht.scoring.run import run_score

    run = run_score(load_config(default_config_path()))
    overlays, _ = read_round_overlays(folder / "2026", set(run.matrix.areas.index))
    data = ReportData(run, map_frame(run, overlays), {})
    reasons = read_csv_nl(folder / "2026" / "redenen.csv")
    gebieden = read_csv_nl(folder / "2026" / "aandachtsgebieden.csv")
    for code, rows in reasons.groupby("gebiedscode"):
        first = rows.sort_values("volgorde").iloc[0]
        assert data.reason(code).startswith(short_label(first["omschrijving"]) + ":")
        assert area_reasons(run, [code], 1).iloc[0]["indicator"] == first["indicator"]
        text = unescape(" ".join(gebieden["redenen"].astype(str)))
        assert first["omschrijving"] in text


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["inputs"]["kwb2023"]["vintages"][0].pop("path"), "inputs.kwb2023: vintages[0].path: Field required"),
    (lambda c: c["ikc"]["lists"][2].update(member="in_duo_2030"), "lacks column(s) ['in_duo_2030']"),
    (lambda c: c["ikc"].update(changes="/nergens/school_changes.csv"), "school_changes.csv: file not found"),
])
def test_bad_vintages_lists_and_change_tables_are_one_line(tmp_path, edit, message):
    config = changed_config(tmp_path, edit)
    result = invoke("--allow-outside-paths", "herijking", "--config", config, "--round", 2026, "--rounds-dir",
                    tmp_path / "r", "--no-maps")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert message in result.output
    assert not (tmp_path / "r" / "2026").exists()
