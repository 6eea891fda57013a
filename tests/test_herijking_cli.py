"""aandacht herijking / select / compare on the embedded Leeuwarden data, and bad IKC tables."""

import json
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.inputs.reading import read_csv_nl
from aandacht.resources import default_config_path
from conftest import absolute_input_paths


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory):
    rounds = tmp_path_factory.mktemp("rounds")
    first = invoke("herijking", "--round", 2024, "--rounds-dir", rounds)
    second = invoke("herijking", "--round", 2026, "--previous", rounds / "2024", "--rounds-dir", rounds)
    return rounds, first, second


def test_first_round_writes_a_complete_round_folder(two_rounds):
    rounds, first, _ = two_rounds
    assert first.exit_code == 0, first.output
    folder = rounds / "2024"
    for name in ("ranking.csv", "scores.xlsx", "wijken.csv", "indicatoren.csv", "aandachtsgebieden.csv", "suggesties_aangrenzend.csv",
                 "redenen.csv", "ikcs.csv", "beperkingen.csv", "ronde.json", "manifest.json"):
        assert (folder / name).is_file(), name
    meta = json.loads((folder / "ronde.json").read_text(encoding="utf-8"))
    assert meta["round"] == 2024 and meta["n_plus"] == 9
    assert len(meta["plus_ikcs"]) == 9 and {p["start_year"] for p in meta["plus_ikcs"]} == {2024}
    assert len(meta["aandachtsgebieden"]) == 7  # top_k 7 in configs/leeuwarden.yaml
    wijken = read_csv_nl(folder / "wijken.csv")
    assert wijken["aangewezen"].sum() == 7 and len(wijken) == 22
    assert wijken.loc[wijken["gebiedscode"] == "WK008050", "gebied"].item() == "Heechterp-Skieringen"
    ikcs = read_csv_nl(folder / "ikcs.csv")
    chosen = ikcs[ikcs["plus_ikc"]]
    assert (chosen["gebied"].fillna("") != "").all()  # every Plus-IKC lies in an aandachtsgebied
    assert set(chosen["status"]) == {"nieuw"}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "herijking" and "ikcs.csv" in manifest["outputs"]


def test_second_round_reads_the_first_and_continues(two_rounds):
    rounds, _, second = two_rounds
    assert second.exit_code == 0, second.output
    folder = rounds / "2026"
    meta = json.loads((folder / "ronde.json").read_text(encoding="utf-8"))
    assert {p["start_year"] for p in meta["plus_ikcs"]} == {2024}  # same data: all in term, all kept
    assert {p["status"] for p in meta["plus_ikcs"]} == {"voortgezet"}
    changes = read_csv_nl(folder / "wijzigingen_wijken.csv")
    assert set(changes["wijziging"]) == {"gebleven"} and len(changes) == 7
    assert set(changes["oorzaak"]) == {"geen indicator veranderd"}
    ikc_changes = read_csv_nl(folder / "wijzigingen_ikcs.csv")
    assert set(ikc_changes["status"]) == {"voortgezet"} and len(ikc_changes) == 9
    constraints = read_csv_nl(folder / "beperkingen.csv")
    assert list(constraints.columns) == ["beperking", "waarde", "teken", "grens", "krap", "winst_zonder", "bindend"]
    assert constraints["beperking"].str.startswith("continuering").sum() == 9
    written = pd.read_csv(folder / "beperkingen.csv", sep=";", dtype=str, encoding="utf-8-sig")  # the file's text
    assert set(written["krap"]) <= {"ja", "nee"} and set(written["bindend"]) <= {"ja", "nee"}
    assert constraints["krap"].dtype == bool and constraints["bindend"].dtype == bool  # read back as yes/no


def test_compare_prints_the_differences(two_rounds):
    rounds, _, _ = two_rounds
    result = invoke("compare", rounds / "2024", rounds / "2026")
    assert result.exit_code == 0, result.output
    assert "2024 -> 2026" in result.output and "gebleven" in result.output and "voortgezet" in result.output


def test_existing_round_is_refused_then_moved_aside_with_force(two_rounds):
    rounds, _, _ = two_rounds
    refused = invoke("herijking", "--round", 2024, "--rounds-dir", rounds)
    assert refused.exit_code == 2 and "already exists" in refused.output
    forced = invoke("herijking", "--round", 2024, "--rounds-dir", rounds, "--force")
    assert forced.exit_code == 0, forced.output
    assert list(rounds.glob("2024.replaced-*"))


def test_previous_round_must_be_earlier(two_rounds, tmp_path):
    rounds, _, _ = two_rounds
    result = invoke("herijking", "--round", 2024, "--previous", rounds / "2026", "--rounds-dir", tmp_path)
    assert result.exit_code == 2 and "is not before round 2024" in result.output
    assert not (tmp_path / "2024").exists()


def test_an_edited_round_is_not_read_back(two_rounds, tmp_path):
    """A round is a record: with a wijk code or a score edited by hand after it was written, it is
    refused as previous round and as --round-dir, naming the file; nothing is written."""
    import shutil

    rounds, _, _ = two_rounds
    edited = tmp_path / "2024"
    shutil.copytree(rounds / "2024", edited)
    wijken = edited / "wijken.csv"
    wijken.write_text(wijken.read_text(encoding="utf-8-sig").replace("WK008010", "WK009999"), encoding="utf-8-sig")
    result = invoke("--allow-outside-paths", "herijking", "--round", 2026, "--previous", edited,
                    "--rounds-dir", tmp_path / "new", "--no-maps")
    assert result.exit_code == 2
    assert result.output == (f"error: {edited}/wijken.csv: its SHA-256 differs from the one recorded in manifest.json "
                             "(the file or the manifest was edited); a round is read back only as it was recorded: "
                             f"restore the file (see 'aandacht verify {edited}')\n")
    assert not (tmp_path / "new" / "2026").exists()
    from aandacht.config import load_config
    from aandacht.errors import DataError
    from aandacht.rounds.herijking import run_herijking

    with pytest.raises(DataError, match="wijken.csv: its SHA-256 differs"):  # the notebook's way, too
        run_herijking(load_config(default_config_path()), 2026, edited)
    compared = invoke("--allow-outside-paths", "compare", edited, rounds / "2026")
    assert compared.exit_code == 2 and "wijken.csv: its SHA-256 differs" in compared.output
    (edited / "ikcs.csv").unlink()
    drawn = invoke("--allow-outside-paths", "map", "--round-dir", edited, "--out", tmp_path / "m")
    assert drawn.exit_code == 2 and "wijken.csv: its SHA-256 differs" in drawn.output
    assert not (tmp_path / "m").exists()


def test_a_broken_earlier_round_in_the_rounds_folder_is_named(tmp_path):
    broken = tmp_path / "2020"
    broken.mkdir()
    (broken / "ronde.json").write_text("{broken", encoding="utf-8")
    (broken / "wijken.csv").write_text("area_code;rang\n", encoding="utf-8")
    result = invoke("herijking", "--round", 2026, "--rounds-dir", tmp_path)
    assert result.exit_code == 2  # without a manifest nothing proves the round
    assert result.output.splitlines()[-1].startswith(f"error: {broken}: not a round folder (missing ['manifest.json'])")
    from aandacht.digest import sha256

    outputs = {name: sha256(broken / name) for name in ("ronde.json", "wijken.csv")}
    (broken / "manifest.json").write_text(json.dumps({"outputs": outputs}), encoding="utf-8")
    result = invoke("herijking", "--round", 2026, "--rounds-dir", tmp_path)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(f"error: {broken / 'ronde.json'}: unreadable round file (")
    assert not (tmp_path / "2026").exists()


def config_copy(tmp_path: Path, edit) -> Path:
    """A copy of the default config in ``tmp_path`` (paths made absolute), changed by ``edit(raw)``."""
    source = default_config_path()
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    base = source.parent
    raw["areas"] = {k: str((base / v).resolve()) for k, v in raw["areas"].items()}
    absolute_input_paths(raw, base)  # also the ikc tables and lists
    edit(raw)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def config_with_ikc_table(tmp_path: Path, lines: list[str]) -> Path:
    """A copy of the default config whose ikc.table is ``lines``."""
    table = tmp_path / "ikcs.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config_copy(tmp_path, lambda raw: raw["ikc"].update(table=str(table)))


def school_lines() -> list[str]:
    return (default_config_path().parent.parent / "data" / "leeuwarden" / "schools.csv").read_text(
        encoding="utf-8").splitlines()


def test_duplicate_brin_is_a_one_line_error(tmp_path):
    lines = school_lines()
    config = config_with_ikc_table(tmp_path, [*lines, lines[1]])
    result = invoke("--allow-outside-paths", "herijking", "--config", config, "--round", 2026, "--rounds-dir", tmp_path / "rounds")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "duplicate brin_vestiging 03VL00" in result.output
    assert not (tmp_path / "rounds").exists()


def test_unknown_wijk_code_is_a_one_line_error(tmp_path):
    lines = school_lines()
    lines[1] = lines[1].replace("WK008082", "WK009999")
    config = config_with_ikc_table(tmp_path, lines)
    result = invoke("--allow-outside-paths", "select", "--config", config, "--round", 2026)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "WK009999" in result.output and "not in the area registry" in result.output


def test_bad_selection_config_is_a_one_line_error(tmp_path):
    config = config_copy(tmp_path, lambda raw: raw["selection"]["continuity"].update(exit_need=40))  # > entry 15
    result = invoke("herijking", "--config", config, "--round", 2026, "--rounds-dir", tmp_path / "rounds")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "selection.continuity: exit_need (40.0) must not exceed entry_need (15.0)" in result.output
    assert not (tmp_path / "rounds").exists()


def test_verify_recomputes_a_round_with_its_previous(two_rounds):
    rounds, _, second = two_rounds
    assert second.exit_code == 0
    result = invoke("verify", rounds / "2026")
    assert result.exit_code == 0, result.output
    assert "identical to a recomputation" in result.output


def test_round_folder_holds_maps_and_report_with_the_real_results(two_rounds):
    rounds, _, second = two_rounds
    first_folder, second_folder = rounds / "2024", rounds / "2026"
    meta = json.loads((first_folder / "ronde.json").read_text(encoding="utf-8"))
    html = (first_folder / "rapport.html").read_text(encoding="utf-8")
    import html as html_text

    for gebied in meta["aandachtsgebieden"]:
        assert html_text.escape(gebied["gebied"]) in html
    for plus in meta["plus_ikcs"]:
        assert html_text.escape(plus["name"]) in html
    assert (first_folder / "kaart-score.png").stat().st_size > 100_000
    assert not (first_folder / "kaart-verandering.png").exists()  # no previous round
    assert (second_folder / "kaart-verandering.png").is_file()  # compared with 2024


def test_report_lists_the_constraints_of_the_choice(two_rounds):
    rounds, _, _ = two_rounds
    html = (rounds / "2024" / "rapport.html").read_text(encoding="utf-8")
    constraints = read_csv_nl(rounds / "2024" / "beperkingen.csv")
    text = unescape(html)
    assert "Bijlage A. Hoe de Plus-IKC's gekozen zijn" in text  # the solver's table is an appendix
    for name in constraints["beperking"]:
        assert name.replace("Plus-IKCs", "Plus-IKC's") in text
    assert "<td>True</td>" not in html and "<td>False</td>" not in html  # shown as ja / nee


def forged_copy(source: Path, target: Path, edits: dict) -> Path:
    """A copy of a round folder with ``edits`` (file name -> function of its text) applied and their
    SHA-256 rewritten in the manifest, as someone forging a round would."""
    import shutil

    from aandacht.digest import sha256

    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    for name, edit in edits.items():
        path = target / name
        encoding = "utf-8-sig" if name.endswith(".csv") else "utf-8"
        path.write_text(edit(path.read_text(encoding=encoding)), encoding=encoding)
        manifest["outputs"][name] = sha256(path)
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def test_an_edited_earlier_round_in_the_rounds_folder_is_not_in_the_trend(two_rounds, tmp_path):
    """The trend over --rounds-dir read earlier rounds without their hashes: a rank edited by hand
    (1 -> 21) appeared in the report's trend table."""
    import shutil

    rounds, _, _ = two_rounds
    shutil.copytree(rounds / "2024", tmp_path / "2024")
    wijken = tmp_path / "2024" / "wijken.csv"
    text = wijken.read_text(encoding="utf-8-sig")
    wijken.write_text(text.replace(";1;", ";21;", 1), encoding="utf-8-sig")
    result = invoke("herijking", "--round", 2026, "--rounds-dir", tmp_path)
    assert result.exit_code == 2
    last = result.output.splitlines()[-1]
    assert last.startswith(f"error: {tmp_path / '2024'}/wijken.csv: its SHA-256 differs") and "the trend reads every" in last
    assert not (tmp_path / "2026").exists()


def test_a_round_of_another_gemeente_relabelled_is_refused(two_rounds, tmp_path):
    """A Leiden round relabelled GM0080 with its hashes rewritten was accepted as --previous for
    Leeuwarden; its areas are not Leeuwarden's (WK0546.. is not a wijk of GM0080)."""
    rounds, _, _ = two_rounds
    leiden = {name: (lambda text: text.replace("WK0080", "WK0546")) for name in ("wijken.csv", "ronde.json")}
    forged = forged_copy(rounds / "2024", tmp_path / "2024", leiden)
    expected = f"{forged}/wijken.csv: area WK054610 is not a wijk of gemeente GM0080, which the round says it is of"
    result = invoke("--allow-outside-paths", "herijking", "--round", 2026, "--previous", forged,
                    "--rounds-dir", tmp_path / "new", "--no-maps")
    assert result.exit_code == 2 and expected in result.output and result.output.count("\n") == 1, result.output
    compared = invoke("compare", forged, rounds / "2026")
    assert compared.exit_code == 2 and expected in compared.output
    other = forged_copy(rounds / "2024", tmp_path / "other", {"ronde.json": lambda t: t.replace('"GM0080"', '"GM0546"')})
    result = invoke("--allow-outside-paths", "herijking", "--round", 2026, "--previous", other,
                    "--rounds-dir", tmp_path / "new", "--no-maps")
    assert result.exit_code == 2 and "is not a wijk of gemeente GM0546" in result.output  # codes and gemeente disagree


@pytest.mark.parametrize("change, message", [
    (lambda m: m.update(round="2024"), "round is '2024'; expected a year from 1990 to 2100 (a whole number)"),
    (lambda m: m.update(gemeente=["GM0080"]), "gemeente is ['GM0080']; expected"),
    (lambda m: m.update(n_plus=float("inf")), "n_plus is inf; expected a finite number"),
    (lambda m: m["plus_ikcs"][0].update(start_year=1e308), "plus_ikcs[0].start_year is 1e+308; expected a year"),
    (lambda m: m["plus_ikcs"][0]["figures"].update(need=float("inf")), "plus_ikcs[0].figures.need is inf; expected a finite"),
    (lambda m: m.update(round=True), "round is True; expected a year"),
])
def test_a_crafted_round_file_is_one_line_everywhere(two_rounds, tmp_path, change, message):
    """Crafted ronde.json values (hashes rewritten) gave five tracebacks across map, report, compare and
    herijking --previous; unknown extra keys are accepted."""
    rounds, _, _ = two_rounds

    def craft(text):
        meta = json.loads(text)
        change(meta)
        return json.dumps(meta).replace("Infinity", "1e999")  # how a hand-made file writes it

    forged = forged_copy(rounds / "2024", tmp_path / "2024", {"ronde.json": craft})
    expected = f"{forged}/ronde.json: {message}"
    runs = [("--allow-outside-paths", "herijking", "--round", 2026, "--previous", forged, "--rounds-dir", tmp_path / "n",
             "--no-maps"),
            ("compare", forged, rounds / "2026")]
    if "round is '2024'" in message:  # map --round-dir scores the round again first (3 s): once is enough
        runs.append(("--allow-outside-paths", "map", "--round-dir", forged, "--out", tmp_path / "m"))
    for args in runs:
        result = invoke(*args)
        assert result.exit_code == 2 and result.output.count("\n") == 1 and expected in result.output, (args, result.output)


def test_unknown_keys_in_a_round_file_are_accepted(two_rounds, tmp_path):
    rounds, _, _ = two_rounds
    added = lambda text: json.dumps({**json.loads(text), "vintage": {"areas": 2024, "later": [1, 2]}})  # noqa: E731
    forged = forged_copy(rounds / "2024", tmp_path / "2024", {"ronde.json": added})
    assert invoke("compare", forged, rounds / "2026").exit_code == 0


def test_a_round_reads_its_constraints_back_in_either_language(tmp_path):
    """beperkingen.csv is written with Dutch names and ja/nee; a round written before (English names,
    True/False) is read back as well (map and report --round-dir draw appendix A from it)."""
    from aandacht.present.round_folder import read_constraints
    from aandacht.present.tables import write_csv

    table = pd.DataFrame({"constraint": ["aantal Plus-IKCs"], "lhs": [9.0], "sense": ["<="], "bound": [9.0],
                          "tight": [True], "gain": [1.5], "binding": [True]})
    write_csv(table, tmp_path / "nieuw.csv")
    table.to_csv(tmp_path / "oud.csv", sep=";", decimal=",", index=False, encoding="utf-8-sig")  # as written before
    assert (tmp_path / "nieuw.csv").read_text(encoding="utf-8-sig").startswith("beperking;waarde;teken;grens;krap;")
    assert ";ja;" in (tmp_path / "nieuw.csv").read_text(encoding="utf-8-sig")
    assert ";True;" in (tmp_path / "oud.csv").read_text(encoding="utf-8-sig")
    new, old = read_constraints(tmp_path / "nieuw.csv"), read_constraints(tmp_path / "oud.csv")
    assert list(new.columns) == list(old.columns) == list(table.columns)
    assert new["tight"].dtype == old["tight"].dtype == bool and new.at[0, "tight"] and old.at[0, "binding"]


def test_round_files_say_ja_nee_and_rounds_written_with_true_false_still_read(two_rounds, tmp_path):
    """Issue 23: the round's CSV files say ja/nee; every reader takes ja/nee and the True/False of rounds written
    before through one parser (aandacht.inputs.reading.flag), never Python's truth (bool("nee") is True)."""
    import re

    from aandacht.rounds.compare import compare_ikcs, compare_wijken
    from aandacht.rounds.record import read_round

    rounds, _, _ = two_rounds
    for name in ("wijken.csv", "ikcs.csv"):
        text = (rounds / "2024" / name).read_text(encoding="utf-8-sig")
        assert ";nee" in text and ";ja" in text and "True" not in text and "False" not in text
    words = {"ja": "True", "nee": "False"}
    old_style = lambda text: re.sub(r"(?<=;)(ja|nee)(?=;|\r?$)", lambda m: words[m.group(1)], text, flags=re.M)  # noqa: E731
    old = forged_copy(rounds / "2024", tmp_path / "2024", {"wijken.csv": old_style, "ikcs.csv": old_style})
    assert ";True;" in (old / "wijken.csv").read_text(encoding="utf-8-sig")
    new_2024, old_2024, now = read_round(rounds / "2024"), read_round(old), read_round(rounds / "2026")
    assert new_2024.wijken["aangewezen"].dtype == old_2024.wijken["aangewezen"].dtype == bool
    assert new_2024.wijken["aangewezen"].sum() == old_2024.wijken["aangewezen"].sum() == 7  # 15 wijken say "nee"
    pd.testing.assert_frame_equal(compare_wijken(new_2024, now), compare_wijken(old_2024, now))
    pd.testing.assert_frame_equal(compare_ikcs(new_2024, now), compare_ikcs(old_2024, now))
    assert invoke("compare", old, rounds / "2026").exit_code == 0
    # a value that is neither: one line naming the file, the area and the column, exit 2
    def unsure(text):  # the aangewezen cell of the first wijk (Binnenstad, not designated) says "misschien"
        lines = text.splitlines(keepends=True)
        cells = lines[1].split(";")
        cells[lines[0].split(";").index("aangewezen")] = "misschien"
        return "".join([lines[0], ";".join(cells), *lines[2:]])

    odd = forged_copy(rounds / "2024", tmp_path / "odd", {"wijken.csv": unsure})
    result = invoke("compare", odd, rounds / "2026")
    assert result.exit_code == 2 and "wijken.csv: row 2, column aangewezen: 'misschien' is not ja/nee" in result.output


# The column names of the round files as aandacht wrote them before they were Dutch (issue 23), per file
ENGLISH_NAMES = {
    "wijken.csv": {"gebiedscode": "area_code", "gebiedsnaam": "area_name", "regel_populatie": "rule_population",
                   "regel_top_k": "rule_top_k", "regel_min_score": "rule_min_score", "regel_kans": "rule_probability"},
    "indicatoren.csv": {"gebiedscode": "area_code", "omschrijving": "label"},
    "ikcs.csv": {"naam": "name", "component_per_leerling": "score_per_pupil", "component_totaal": "score_total",
                 "component_wijk": "wijk_score", "component_leerlingaandeel": "pupil_share", "behoefte": "need"},
    "aandachtsgebieden.csv": {"gebieden": "areas", "gebiedsnamen": "area_names", "aangewezen_leden": "designated_members"},
    "robuustheid.csv": {"gebiedscode": "area_code"},
    "wijzigingen_wijken.csv": {"gebiedscode": "area_code", "gebiedsnaam": "area_name"},
    "beperkingen.csv": {"beperking": "constraint", "waarde": "lhs", "teken": "sense", "grens": "bound", "krap": "tight",
                        "winst_zonder": "gain", "bindend": "binding"},
}


def test_every_round_file_has_dutch_column_names(two_rounds):
    """Issue 23: every CSV of a round folder (the second round, with the changes against the first) has Dutch column
    names; the English ones of rounds written before are read back (next test)."""
    from test_published_outputs import english_columns

    rounds, _, _ = two_rounds
    files = sorted((rounds / "2026").glob("*.csv"))
    assert {"wijzigingen_wijken.csv", "wijzigingen_ikcs.csv", "redenen.csv", "niet_geplaatst.csv"} <= {p.name for p in files}
    headers = {path.name: path.read_text(encoding="utf-8-sig").splitlines()[0].split(";") for path in files}
    assert not {name: english_columns(header) for name, header in headers.items() if english_columns(header)}
    assert headers["redenen.csv"][:4] == ["gebiedscode", "volgorde", "indicator", "omschrijving"]
    for name, english in ENGLISH_NAMES.items():  # the names the next test writes back are the ones written now
        assert set(english) <= set(headers[name]), name


def test_a_round_written_with_english_column_names_still_reads(two_rounds, tmp_path):
    """A round folder written before the column names were Dutch (its manifest recording those files) is read back
    as today's: by the next round and compare (read_round), by map and report --round-dir (read_round_overlays)
    and as --gebieden/--ikcs tables of map (read_overlays)."""
    from aandacht.present.overlays import read_overlays
    from aandacht.present.round_folder import read_round_overlays
    from aandacht.rounds.record import read_round

    rounds, _, _ = two_rounds

    def english(names):
        def edit(text):
            header, rest = text.split("\n", 1)
            return ";".join(names.get(column, column) for column in header.split(";")) + "\n" + rest
        return edit

    old = forged_copy(rounds / "2026", tmp_path / "2026", {name: english(names) for name, names in ENGLISH_NAMES.items()})
    assert (old / "wijken.csv").read_text(encoding="utf-8-sig").startswith("area_code;area_name;rang;")
    assert (old / "ikcs.csv").read_text(encoding="utf-8-sig").startswith("brin_vestiging;name;")
    new_round, old_round = read_round(rounds / "2026"), read_round(old)
    for table in ("wijken", "indicatoren", "ikcs"):
        pd.testing.assert_frame_equal(getattr(old_round, table), getattr(new_round, table))
    known = set(new_round.wijken["area_code"])
    (new, new_constraints), (was, old_constraints) = read_round_overlays(rounds / "2026", known), read_round_overlays(old, known)
    for table in ("gebieden", "ikcs", "robustness", "changes"):
        pd.testing.assert_frame_equal(getattr(was, table), getattr(new, table))
    pd.testing.assert_frame_equal(old_constraints, new_constraints)
    given = {"gebieden": "aandachtsgebieden.csv", "ikcs": "ikcs.csv", "robustness": "robuustheid.csv",
             "changes": "wijzigingen_wijken.csv"}
    new, was = (read_overlays(known, **{k: folder / name for k, name in given.items()}) for folder in (rounds / "2026", old))
    pd.testing.assert_frame_equal(was.gebieden[["gebied", "area_code"]], new.gebieden[["gebied", "area_code"]])
    for table in ("ikcs", "robustness", "changes"):
        pd.testing.assert_frame_equal(getattr(was, table), getattr(new, table))
    assert invoke("compare", rounds / "2024", old).output == invoke("compare", rounds / "2024", rounds / "2026").output
