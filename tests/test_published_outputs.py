"""What aandacht writes is safe to open and to share: no cell of any CSV or workbook is a
formula (OWASP CSV injection), and no count of people under report.suppress_below appears in
an output meant for the bestuurlijk overleg, only in the internal workbook the config asks for.

The project is the embedded Leeuwarden data with hostile names: wijken, schools, an indicator
label, a domain label and a gebied starting with =, +, -, @ or a tab (and a control
character), and suppress_below raised to 500 so that many wijken have a count to hide. Every
writing command runs on it, and every file it writes is opened."""

import ast
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from aandacht.cli import main
from aandacht.present.tables import COUNT_COLUMNS, FORMULA_STARTS, INTERNAL_WORKBOOK, neutralise, suppress_counts
from conftest import english_words

SOURCE = Path(__file__).resolve().parent.parent / "src" / "aandacht"
THRESHOLD = 500
COUNTED = "koopwoningen"
HOSTILE_WIJKEN = ['=HYPERLINK("http://example.org","klik")', "+31 wijk", "-3+4", "@SUM(A1)", "\tTab-wijk", "Bel\x07wijk",
                  "[/bold] wijk", "Esc\x1b[2Jwijk"]
HOSTILE_SCHOOLS = ["=cmd|' /C calc'!A0", "+school", "-school", "@school"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, embedded):
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(embedded / "data" / "leeuwarden", project / "data" / "leeuwarden")
    shutil.copytree(embedded / "configs", project / "configs")
    areas = pd.read_csv(project / "data" / "leeuwarden" / "areas.csv", dtype=str, keep_default_na=False)
    wijken = areas.index[areas["level"] == "wijk"][:len(HOSTILE_WIJKEN)]
    areas.loc[wijken, "area_name"] = HOSTILE_WIJKEN
    areas.to_csv(project / "data" / "leeuwarden" / "areas.csv", index=False)
    schools = pd.read_csv(project / "data" / "leeuwarden" / "schools.csv", dtype=str, keep_default_na=False)
    schools.loc[:len(HOSTILE_SCHOOLS) - 1, "name"] = HOSTILE_SCHOOLS
    schools.to_csv(project / "data" / "leeuwarden" / "schools.csv", index=False)
    listed = pd.read_csv(project / "data" / "leeuwarden" / "vestigingen.csv", dtype=str, keep_default_na=False)
    current = listed.index[listed["in_duo_2026"] == "true"][:len(HOSTILE_SCHOOLS)]  # the IKCs of a 2026 round
    listed.loc[current, "name"] = HOSTILE_SCHOOLS
    listed.to_csv(project / "data" / "leeuwarden" / "vestigingen.csv", index=False)
    path = project / "configs" / "leeuwarden.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["framework"]["nodes"][0]["label"] = "=Onderwijs"
    config["framework"]["indicators"][0]["label"] = "@Achterstand"
    config["designation"]["groups"][0]["name"] = "-gebied"
    # an indicator that counts people (people on bijstand, 0 to 820 per wijk: those under the threshold are never
    # shown in the overleg's files, nor can be recomputed from them)
    counted = next(i for i in config["framework"]["indicators"] if i["id"] == COUNTED)
    counted.update(input="kwb2023", variable="a_soz_wb", unit="aantal")
    config["report"].update(suppress_below=THRESHOLD, internal_workbook=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = project / "out"
    runs = {
        "score": ["score", "--uncertainty", "20", "--out", out / "score"],
        "herijking": ["herijking", "--round", "2026", "--rounds-dir", out / "rounds"],
        "check": ["check", "--out", out / "check"],
        "sensitivity": ["sensitivity", "--draws", "20", "--out", out / "sensitivity"],
    }
    (project / "bekend.csv").write_text("area\nWK008050\nWK008063\n", encoding="utf-8")
    runs["validate"] = ["validate", "--known", project / "bekend.csv", "--draws", "20", "--out", out / "validate"]
    printed = {}
    for name, args in runs.items():
        result = CliRunner().invoke(main, [*map(str, args), "--config", str(path)])
        assert result.exit_code in (0, 1), (name, result.output)
        printed[name] = result.output
    # the commands without a config: the project of a gemeente aandacht ships (init's planned projects are read by
    # test_first_run, which writes them anyway), and the comparison of two rounds (the round with itself: the lines,
    # not the changes, are tested)
    for name, args in {"init": ["init", "leeuwarden", project / "init-leeuwarden"],
                       "compare": ["compare", out / "rounds" / "2026", out / "rounds" / "2026"]}.items():
        result = CliRunner().invoke(main, list(map(str, args)))
        assert result.exit_code == 0, (name, result.output)
        printed[name] = result.output
    files = sorted(p for p in out.rglob("*") if p.suffix in (".csv", ".xlsx"))
    return out, files, printed


def cells(path: Path):
    """Every cell of a written CSV or workbook: (sheet, column name, value, is_formula)."""
    if path.suffix == ".csv":
        table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for column in table.columns:
            yield "", column, column, False
            for value in table[column]:
                yield "", column, value, False
        return
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows():
            for cell, column in zip(row, header):
                yield sheet.title, column, cell.value, cell.data_type == "f"


def shared_cells(files):
    """(path, sheet, column, value) of every cell of the files meant for others (all but the internal workbook)."""
    for path in files:
        if path.name != INTERNAL_WORKBOOK:
            for sheet, column, value, _ in cells(path):
                yield path, sheet, column, value


def is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(,\d+)?(e[-+]\d+)?", text))


def test_every_writing_command_wrote_tables(outputs):
    out, files, _ = outputs
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"score/ranking.csv", "score/scores.xlsx", f"score/{INTERNAL_WORKBOOK}", "rounds/2026/wijken.csv",
            "rounds/2026/ikcs.csv", "rounds/2026/scores.xlsx", f"rounds/2026/{INTERNAL_WORKBOOK}", "check/check.xlsx",
            "check/coverage.csv", "sensitivity/sensitivity.xlsx", "sensitivity/uncertainty.csv"} <= names


def test_no_cell_of_any_written_file_is_a_formula(outputs):
    _, files, _ = outputs
    for path in files:
        for sheet, column, value, formula in cells(path):
            assert not formula, (path, sheet, column, value)
            if isinstance(value, str) and not is_number(value):
                assert not value.startswith(FORMULA_STARTS), (path, sheet, column, value)


def test_the_hostile_names_are_kept_readable_behind_a_quote(outputs):
    out, _, _ = outputs
    ranking = pd.read_csv(out / "rounds" / "2026" / "ranking.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert {"'" + HOSTILE_WIJKEN[0], "'+31 wijk", "'-3+4", "'@SUM(A1)", "'\tTab-wijk"} <= set(ranking["gebiedsnaam"])
    ikcs = pd.read_csv(out / "rounds" / "2026" / "ikcs.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert {"'" + s for s in HOSTILE_SCHOOLS} <= set(ikcs["naam"])
    book = openpyxl.load_workbook(out / "score" / "scores.xlsx")
    names = [c.value for c in book["ranglijst"]["C"]]
    assert "'" + HOSTILE_WIJKEN[0] in names and "Bel\ufffdwijk" in names  # a control character xlsx cannot hold
    assert "Esc\ufffd[2Jwijk" in set(ranking["gebiedsnaam"])  # no escape sequence in a CSV either


def test_the_terminal_shows_names_as_text_and_no_escape_sequence(outputs):
    _, _, printed = outputs
    for command, text in printed.items():
        assert "\x1b" not in text and "\x07" not in text, command
    assert "[/bold] wijk" in printed["score"] and "Esc\ufffd[2Jwijk" in printed["herijking"]


def test_no_small_count_in_any_output_for_the_overleg(outputs):
    _, files, _ = outputs
    checked = 0
    for path, sheet, column, value in shared_cells(files):
        if column in COUNT_COLUMNS and value not in (None, "", column):
            number = float(str(value).replace(",", ".")) if is_number(str(value)) or isinstance(value, (int, float)) else None
            assert number is None or number >= THRESHOLD, (path, sheet, column, value)
            assert number is not None or value == f"<{THRESHOLD}", (path, sheet, column, value)
            checked += 1
        if isinstance(value, str):
            assert not re.search(r"\d\s*<\s*\d", value), (path, sheet, column, value)  # no "(4 < 50)" in a remark
    assert checked > 100


def test_the_report_shows_no_small_count(outputs):
    out, _, _ = outputs
    html = (out / "rounds" / "2026" / "rapport.html").read_text(encoding="utf-8")
    assert f"&lt;{THRESHOLD}" in html
    assert "te weinig huishoudens met kinderen: minder dan 146" in html and not re.search(r"\(\d+ &lt; \d+\)", html)


def test_the_internal_workbook_keeps_the_counts_and_says_so(outputs):
    out, _, _ = outputs
    for folder in (out / "score", out / "rounds" / "2026"):
        book = pd.read_excel(folder / INTERNAL_WORKBOOK, sheet_name=None, engine="openpyxl")
        assert list(book)[0] == "niet delen" and "niet delen" in book["niet delen"].iloc[0, 0]
        assert (pd.to_numeric(book["ranking"]["populatie"]) < THRESHOLD).any()
    rounds = pd.read_excel(out / "rounds" / "2026" / INTERNAL_WORKBOOK, sheet_name=None, engine="openpyxl")
    assert {"ranking", "wijken", "ikcs"} <= set(rounds) and (rounds["ikcs"]["leerlingen"] < THRESHOLD).any()


def test_no_internal_workbook_unless_the_config_asks(tmp_path):
    result = CliRunner().invoke(main, ["score", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and not (tmp_path / "o" / INTERNAL_WORKBOOK).exists()


def test_every_table_writer_goes_through_present_tables():
    """The only place that calls to_csv, to_excel, ExcelWriter or an openpyxl Workbook is
    aandacht/present/tables.py, whose write_csv and write_sheets neutralise every cell."""
    writers = {"to_csv", "to_excel", "ExcelWriter", "Workbook", "save"}
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if name in writers and path.name != "tables.py":
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {name}")
    assert not found, found


def test_neutralise_and_suppress_on_a_small_table():
    table = pd.DataFrame({"naam": ["=1+1", "-a", "ok", None], "score": [-1.5, 2.0, 3.0, 4.0],
                          "populatie": [4, 50, float("nan"), 9.5], "=kop": [1, 2, 3, 4]})
    safe = neutralise(table)
    assert list(safe["naam"][:3]) == ["'=1+1", "'-a", "ok"] and pd.isna(safe["naam"][3])
    assert list(safe["score"]) == [-1.5, 2.0, 3.0, 4.0] and list(safe.columns)[-1] == "'=kop"
    shown = suppress_counts(table, 10)
    assert list(shown["populatie"][[0, 1, 3]]) == ["<10", 50, "<10"] and pd.isna(shown["populatie"][2])
    assert suppress_counts(table, 0) is table


def test_workbook_text_is_never_a_link_and_is_kept_whole_or_refused(tmp_path):
    """XlsxWriter turns https:, mailto: and \\\\host\\share text into live hyperlinks by default (a UNC
    path as a file:/// link), and a URL over 2,079 characters into an empty cell."""
    from aandacht.errors import DataError
    from aandacht.present.tables import EXCEL_CELL_CHARACTERS, write_sheets

    long_url = "https://example.org/" + "a" * 3000
    names = ["https://example.org/wijk", "mailto:wethouder@example.org", r"\\host\share\wijk", "ftp://x.nl", long_url]
    path = tmp_path / "scores.xlsx"
    write_sheets({"ranking": pd.DataFrame({"naam": names, "score": [1.0, 2.0, 3.0, 4.0, 5.0]})}, path)
    sheet = openpyxl.load_workbook(path)["ranking"]
    assert not sheet._hyperlinks and all(cell.hyperlink is None for row in sheet.iter_rows() for cell in row)
    assert [sheet.cell(row, 1).value for row in range(2, 7)] == names  # the long one whole, not empty
    assert all(sheet.cell(row, 1).data_type == "s" for row in range(2, 7))
    too_long = pd.DataFrame({"naam": ["kort", "x" * (EXCEL_CELL_CHARACTERS + 1)]})
    with pytest.raises(DataError, match=r"intern.xlsx: sheet 'ranking', row 3, column 'naam': a text of 32,768 characters"):
        write_sheets({"ranking": too_long}, tmp_path / "intern.xlsx")


def test_an_indicator_that_counts_people_is_suppressed_in_every_table(outputs):
    """Suppression is decided by what a number is: a count indicator (unit aantal) with value 4 was printed
    as 4 in indicatoren.csv, scores.xlsx and the report's profile."""
    out, files, _ = outputs
    seen = 0
    for path, sheet, column, value in shared_cells(files):
        if column == COUNTED and value not in (None, "", column) and sheet in ("", "indicatoren", "ranglijst"):
            assert value == f"<{THRESHOLD}" or float(str(value).replace(",", ".")) >= THRESHOLD, (path, sheet, value)
            seen += 1
    long = pd.read_csv(out / "rounds" / "2026" / "indicatoren.csv", sep=";", dtype=str, encoding="utf-8-sig")
    rows = long[long["indicator"] == COUNTED]
    assert len(rows) and set(rows["waarde"].dropna()) == {f"<{THRESHOLD}", "590", "770", "820"}
    assert (long.loc[long["indicator"] != COUNTED, "waarde"].dropna() != f"<{THRESHOLD}").all()
    reference = pd.read_excel(out / "score" / "scores.xlsx", sheet_name="referentiewaarden", engine="openpyxl")
    assert reference.set_index("indicator").at[COUNTED, "mediaan"] == f"<{THRESHOLD}"
    assert seen > 20


def test_a_suppressed_numerator_cannot_be_recomputed_in_the_profile(outputs):
    """"teller <10, noemer 25, 36,0%" gives the 9 away: where the numerator is suppressed, the denominator
    is left out ("x"), as CBS does (secondary suppression)."""
    out, _, _ = outputs
    html = (out / "rounds" / "2026" / "rapport.html").read_text(encoding="utf-8")
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S) if 'class="num count"' in row]
    profile_rows = [found for row in rows if len(found := re.findall(r'<td class="num count">(.*?)</td>', row, flags=re.S)) == 2]
    assert profile_rows
    for numerator, denominator in profile_rows:
        if numerator.strip() == f"&lt;{THRESHOLD}":
            assert denominator.strip() == "x", (numerator, denominator)
    assert any(numerator.strip() == f"&lt;{THRESHOLD}" for numerator, _ in profile_rows)


def test_no_shown_figure_gives_a_suppressed_count_back(outputs):
    """CBS's rule: no published figure may allow a suppressed cell to be recomputed. The attack on
    indicatoren.csv and wijken.csv: the index is the weighted sum of the normalised values, so an area's
    score less its other indicators' weighted values gives the count's normalised value, which is affine
    in the count (minmax: two shown wijken or the shown extremes give the map; tests/test_normalise.py).
    Scored as the class it is published as, every wijk under the threshold gives back one and the same
    value, the class's, never its count (the counts were 420, 480, 330, ...: before, each came back)."""
    out, _, _ = outputs
    folder = out / "rounds" / "2026"
    long = pd.read_csv(folder / "indicatoren.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    wijken = pd.read_csv(folder / "wijken.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)

    def number(column: pd.Series) -> pd.Series:
        return pd.to_numeric(column.str.replace(",", "."), errors="coerce")

    normalised = long.pivot(index="gebiedscode", columns="indicator", values="genormaliseerd").apply(number)
    weights = number(long.groupby("indicator")["gewicht"].first())
    score = number(wijken.set_index("gebiedscode")["score"])
    others = normalised.drop(columns=COUNTED)
    complete = others.notna().all(axis=1) & score.notna()
    from_index = (score - (others * weights.drop(COUNTED)).sum(axis=1))[complete] / weights[COUNTED]
    assert from_index.sub(normalised.loc[complete.index[complete], COUNTED]).abs().max() < 1e-3  # the attack works
    counted = long[long["indicator"] == COUNTED].set_index("gebiedscode")["waarde"]
    hidden = from_index[[code for code in from_index.index if counted[code] == f"<{THRESHOLD}"]]
    assert len(hidden) > 15 and hidden.max() - hidden.min() < 1e-3, hidden
    assert (number(counted).dropna() >= THRESHOLD).all() and len(number(counted).dropna()) == 3


def test_a_count_has_no_total_as_reference_and_a_reason_shows_its_class(outputs):
    """A count of people has no gemeente or Nederland reference (a total is not comparable with one area's
    count, and the total less the shown counts gives a '<N' count back): indicatoren.csv leaves both empty.
    A count under the threshold is never shown as the class middle it is scored as: a reason (redenen.csv)
    shows '<N' with its value empty, and no reasons text carries the middle."""
    out, _, _ = outputs
    folder = out / "rounds" / "2026"
    long = pd.read_csv(folder / "indicatoren.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    counted = long[long["indicator"] == COUNTED]
    assert len(counted) > 15 and (counted["gemeente"] == "").all() and (counted["nederland"] == "").all()
    assert (long.loc[long["indicator"] != COUNTED, "gemeente"] != "").any()  # the rates keep theirs
    reasons = pd.read_csv(folder / "redenen.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    mine = reasons[reasons["indicator"] == COUNTED]
    hidden = mine["getoond"] == f"<{THRESHOLD}"
    assert (mine.loc[hidden, "waarde"] == "").all() and (mine.loc[~hidden, "waarde"] != "").all()
    scored_as = f"{(THRESHOLD - 1) / 2:g}".replace(".", ",")
    label = counted["omschrijving"].iloc[0]
    for name in ("wijken.csv", "aandachtsgebieden.csv", "redenen.csv"):
        assert f"{label} {scored_as}" not in (folder / name).read_text(encoding="utf-8-sig")


def test_the_notes_and_terminal_lines_an_analyst_reads_are_dutch(outputs):
    """Issue 23: everything an analyst opens is Dutch. The notes of the loaders, the scoring and the
    selection (the methode sheet of scores.xlsx, samenhang toelichting) and every line the commands
    print outside their tables (score, herijking, check, sensitivity, validate, init, compare) hold no English word."""
    out, _, printed = outputs
    lines = []
    for folder in ("score", "rounds/2026"):
        method = pd.read_excel(out / folder / "scores.xlsx", sheet_name="methode", engine="openpyxl")
        lines += method.loc[method["onderdeel"] == "toelichting", "waarde"].tolist()
    assert len(lines) > 20 and any("empirisch-Bayes-krimp" in line for line in lines)
    check = pd.read_excel(out / "check" / "check.xlsx", sheet_name=None, engine="openpyxl")
    lines += [str(v) for sheet in check.values() for column in ("bevinding", "toelichting") if column in sheet
              for v in sheet[column].dropna()]
    boxes = set("│┃┏┡└├┗━─")
    for text in printed.values():
        lines += [line for line in text.splitlines() if not boxes & set(line) and not any(n in line for n in HOSTILE_WIJKEN)]
    assert {"init", "compare", "validate"} <= set(printed)
    assert "Wijken: 2026 -> 2026" in printed["compare"]  # the round's level names its areas (Buurten: at buurt level)
    assert any(line.startswith("volgende stap: cd ") for line in lines)
    found = {line: english_words(line) for line in lines}
    assert not {line: words for line, words in found.items() if words}


# Words of an English column name (split at "_"): none is Dutch. An indicator's id and config keys stay as the config
# names them (regel_top_k, regel_min_score), so "top" and "min" are left out, as are words both languages share
# (indicator, score, status, plus, per, significant).
ENGLISH_COLUMN_WORDS = {
    "area", "areas", "name", "names", "label", "value", "values", "unit", "order", "median", "normalised",
    "contribution", "need", "pupil", "pupils", "share", "total", "rule", "population", "probability", "designated",
    "members", "kind", "reason", "note", "constraint", "lhs", "sense", "bound", "tight", "gain", "binding", "rank",
    "low", "high", "source", "period", "periods", "count", "method", "problem", "figure", "flag", "severity", "message",
    "weight", "nominal", "coverage", "newest", "with", "before", "after", "passes", "action", "key", "relation",
    "shared", "parent", "domain", "neighbours", "quadrant", "output", "factor", "hard", "core", "change", "previous",
    "mean", "max", "shift", "local", "permutation", "year", "event", "successor", "school", "schools", "children",
    "the", "and", "not", "first", "last", "new", "old", "eligible", "chosen", "item", "entered", "left", "stayed",
}


def english_columns(names) -> list[str]:
    """The column names among ``names`` with a word of :data:`ENGLISH_COLUMN_WORDS`."""
    return [str(name) for name in names if set(re.split(r"[_\W]+", str(name).lower())) & ENGLISH_COLUMN_WORDS]


def test_every_column_an_analyst_opens_is_dutch(outputs):
    """Issue 23: every CSV header and every workbook column of score, herijking, check and sensitivity is Dutch
    (aandacht.dutch.COLUMNS_NL); an indicator's id and the codes stay as the config and the sources name them."""
    out, files, _ = outputs
    found = {}
    for path in files:
        if path.suffix == ".csv":
            sheets = {"": pd.read_csv(path, sep=";", nrows=0, encoding="utf-8-sig")}
        else:
            sheets = pd.read_excel(path, sheet_name=None, nrows=0, engine="openpyxl")
        for sheet, table in sheets.items():
            english = english_columns(table.columns)
            if english:
                found[f"{path.relative_to(out)} {sheet}".strip()] = english
    assert len(files) > 25 and not found, found


def test_neutralise_changes_only_what_a_spreadsheet_would_misread():
    """Formulas get a quote and control characters U+FFFD in text and mixed columns alike; a text column with
    nothing to neutralise, numbers and booleans come back as they were (dtype included)."""
    import pandas as pd

    from aandacht.present.tables import neutralise

    table = pd.DataFrame({"=naam": pd.Series(["=1+1", "bel\x07", "gewoon"], dtype="str"),
                          "rustig": pd.Series(["a", None, "b"], dtype="str"),
                          "gemengd": pd.Series(["+31", 2.5, None], dtype=object), "getal": [-1.0, 2.0, 3.0],
                          "vlag": [True, False, True]})
    out = neutralise(table)
    assert list(out.columns) == ["'=naam", "rustig", "gemengd", "getal", "vlag"]
    assert out["'=naam"].tolist() == ["'=1+1", "bel\ufffd", "gewoon"]
    assert out["gemengd"].tolist()[:2] == ["'+31", 2.5]
    for column in ("rustig", "getal", "vlag"):
        assert out[column].equals(table[column]) and out[column].dtype == table[column].dtype
    assert neutralise(table[["rustig", "getal"]]).equals(table[["rustig", "getal"]])
