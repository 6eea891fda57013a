"""The Dutch report: page 1 is the bestuurlijke samenvatting and fits on page 1, everything meant for
the overleg is Dutch (no English words, no decimal points), profiles in rank order, the trend over the
rounds, small counts suppressed, words never broken mid-word in the PDF, and the report command (from a
round folder; alone it says in one line which command makes a report)."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import shutil
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from aandacht.archive.manifest import build_manifest
from aandacht.cli import main
from aandacht.config import ReportOptions, load_config
from aandacht.inputs.reading import read_csv_nl
from aandacht.present.maps import map_frame
from aandacht.present.overlays import make_overlays
from aandacht.present.report import ReportData, method_tables, render_html, suppress
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score
from conftest import outline_items, pdf_structure

GEBIEDEN = pd.DataFrame({
    "gebied": ["Vrijheidswijk en Bilgaard", "Vrijheidswijk en Bilgaard", "Heechterp-Skieringen"],
    "area_code": ["WK008061", "WK008060", "WK008050"],
})
IKCS = pd.DataFrame({
    "name": ["IKC Noord", "IKC Oost", "IKC West"], "x_rd": [184100.0, 183300.0, 182000.0],
    "y_rd": [580300.0, 581900.0, 580000.0], "status": ["plus-ikc", "candidate", "other"],
    "area_code": ["WK008061", "WK008060", "WK008030"], "bestuur": ["Stichting Noord", "Stichting Oost", ""],
    "need": ["3,2", "1,5", ""], "reason": ["", "net onder de drempel", ""],
})
# Words that show English crept into the Dutch report (wording of code, loaders or libraries).
ENGLISH = {"the", "and", "with", "none", "true", "false", "nan", "treatment", "weights", "weight", "nodes",
           "designation", "changes", "shrinkage", "toward", "action", "skew", "before", "after", "not", "rank",
           "candidate", "other", "entered", "left", "stayed", "empirical", "missing", "suppressed", "applicable",
           "collected", "unknown", "driver", "drivers", "drijvers", "kandidaat", "yes", "regions", "variables",
           "schools", "placed", "could", "note", "notes"}


class Parsed(HTMLParser):
    """Section ids, image sources, links, profile names, count cells, and the visible text outside
    <code> and before the record of files and versions (B.6)."""

    def __init__(self, text: str):
        super().__init__()
        self.sections, self.images, self.links, self.profiles, self.counts, self.words = [], [], [], [], [], []
        self._in_count, self._code, self._hidden, self._record, self._text = False, 0, 0, False, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        self._hidden += tag in ("style", "title")
        self._code += tag == "code"
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        for key in ("href", "src"):
            if key in attrs and tag != "img":
                self.links.append(attrs[key])
        if "data-gebied" in attrs:
            self.profiles.append(attrs["data-gebied"])
        if "count" in (attrs.get("class") or "").split():
            self._in_count, self._text = True, []

    def handle_data(self, data):
        if self._in_count:
            self._text.append(data)
        self._record = self._record or "B.6 Vastlegging" in data  # file names, versions and hashes from here on
        if not (self._code or self._hidden or self._record):
            self.words.append(data)

    def handle_endtag(self, tag):
        self._hidden -= tag in ("style", "title")
        self._code -= tag == "code"
        if self._in_count and tag in ("td", "span"):
            self.counts.append("".join(self._text).strip())
            self._in_count = False

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


@pytest.fixture(scope="module")
def run():
    return run_score(load_config(default_config_path()))


def _data(run, overlays=None, suppress_below=None):
    if suppress_below is not None:
        run = dataclasses.replace(run, config=run.config.model_copy(
            update={"report": ReportOptions(suppress_below=suppress_below)}))
    return ReportData(run, map_frame(run, overlays), build_manifest(run.config, "report"))


@pytest.fixture(scope="module")
def full_html(run):
    known = set(run.matrix.areas.index)
    robustness = pd.DataFrame({"area_code": sorted(known), "p_designated": np.linspace(0, 1, len(known)),
                               "rank_p05": 1, "rank_median": 5, "rank_p95": 12})
    changes = pd.DataFrame({"area_code": ["WK008050", "WK008060", "WK008011"], "change": ["stayed", "entered", "left"],
                            "previous_rank": ["2", "", "4"], "previous_score": ["80,5", "", "60"]})
    overlays = make_overlays(known, gebieden=GEBIEDEN, ikcs=IKCS, robustness=robustness, changes=changes,
                             demonstration=["gebieden"], round_year=2026, previous_year=2024)
    return render_html(_data(run, overlays, suppress_below=600))


@pytest.fixture(scope="module")
def round_html(round_folders):
    return (round_folders / "2026" / "rapport.html").read_text(encoding="utf-8")


def test_page_one_is_the_bestuurlijke_samenvatting(round_html):
    page_one = html.unescape(round_html.split('<section id="kaart">')[0])
    assert "<h1>Herijking 2026 aandachtsgebieden Leeuwarden</h1>" in page_one
    assert "ten opzichte van de herijking van 2024" in page_one
    assert "Bestuurlijke samenvatting" in page_one and "Aandachtsgebieden (7)" in page_one
    assert "Voorgestelde Plus-IKC's (9)" in page_one
    assert "Stichting Proloog Primair Openbaar Onderwijs Leeuwarden" in page_one  # school boards by name
    # IKC Aventurijn teaches in Heechterp & Schieringen and Potmargezone too (its locations Plataanschool and
    # o.b.s. Potmarge, configs/ovt_locations.csv): one place covers all three gebieden
    assert "Aandachtsgebieden zonder Plus-IKC:" not in page_one
    assert "IKC Aventurijn" in page_one and "(ook Heechterp-Skieringen, Potmargezone)" in page_one
    assert "Jeugdhulp telt zwaarder mee dan bedoeld (37,5% in plaats van 25%)" in page_one  # dominance, anchored
    assert "ligt Binnenstad met 2,9% ver onder de middelste wijk (11,6%)" in page_one
    assert "Wat veranderde sinds 2024" in page_one
    for code in ("16NS00", "WK008050", "\u03a3", "dekking"):  # no BRIN codes, area codes, formulas, solver rows
        assert code not in page_one


def test_report_sections_profiles_in_rank_order_and_trend(round_html, round_folders):
    parsed = Parsed(round_html)
    assert parsed.sections == ["samenvatting", "kaart", "ranglijst", "kaarten", "profielen", "ontwikkeling", "plus-ikc",
                               "bijlage-keuze", "verantwoording", "toets"]
    wijken = read_csv_nl(round_folders / "2026" / "wijken.csv")
    designated = wijken[wijken["aangewezen"]].sort_values("rang")
    assert parsed.profiles == list(designated["gebied"])  # rank order
    assert len(parsed.images) == 5  # score, domains, indicators, probability, change
    text = html.unescape(round_html)
    assert "rang 2024" in text and "rang 2026" in text and "score 2024" in text


def test_everything_for_the_overleg_is_dutch(round_html, full_html):
    for document in (round_html, full_html):
        text = Parsed(document).text.replace("CC BY 4.0", "CC BY")  # the licence's name
        words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}
        assert not words & ENGLISH, sorted(words & ENGLISH)
        assert not re.findall(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])", text)  # decimal points: only the comma
        assert not re.findall(r"\d %", text)  # Dutch percent: "12,5%"
        assert "Plus-IKCs" not in text  # Plus-IKC's


def test_report_embeds_its_images_and_needs_no_network(full_html):
    parsed = Parsed(full_html)
    assert len(parsed.images) == 5
    for source in parsed.images:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [link for link in parsed.links if re.match(r"(https?:)?//", link)]


def test_hand_tables_fill_the_report(full_html):
    text = html.unescape(full_html)
    assert "DEMONSTRATIEGEGEVENS" in full_html
    assert "IKC Noord" in text and "Stichting Noord" in text and "net onder de drempel" in text
    assert "Nieuw aandachtsgebied: Bilgaard & Havankpark e.o.; niet langer aandachtsgebied: Potmargezone." in text
    assert "(in 2024: rang 2, score 80,5)" in text  # the previous round in the profile of Heechterp
    assert "nog niet beschikbaar" not in text.lower() and "Niet in dit rapport" not in text


def test_small_counts_are_suppressed(full_html):
    counts = Parsed(full_html).counts
    assert counts, "the report shows counts"
    shown = [c for c in counts if c]
    assert "<600" in shown
    for cell in shown:
        if cell not in ("<600", "x"):  # x: a denominator left out beside a suppressed numerator
            assert int(cell.replace(".", "")) >= 600, cell
    assert "x" in shown
    assert suppress(9, 10) == "<10" and suppress(10, 10) == "10" and suppress(12345, 10) == "12.345"
    assert suppress(float("nan"), 10) == ""
    assert not re.findall(r"\(\d+ < \d+\)", html.unescape(full_html))  # no raw counts in free text


def test_ranking_report_without_a_round(run):
    text = html.unescape(render_html(_data(run)))
    parsed = Parsed(render_html(_data(run)))
    top = run.result.rank.dropna().sort_values().head(run.config.report.profile_top).index
    assert parsed.profiles == [run.matrix.areas.at[c, "area_name"] for c in top]
    assert "<h1>Aandachtsscore per wijk Leeuwarden</h1>" in text
    assert "Niet in dit rapport: de aanwijzing van aandachtsgebieden, het voorstel voor Plus-IKC's en de kans op aanwijzing." in text
    assert "nog niet beschikbaar" not in text.lower() and "DEMONSTRATIEGEGEVENS" not in text


def test_names_made_from_a_code_are_said_in_the_method_appendix(run):
    table = run.registry.table.assign(name_source="CBS wijken 2024 (cartomap)")
    table.loc[["WK008074", "WK008082"], "name_source"] = "geen publieke naam: code"
    named = dataclasses.replace(run, registry=dataclasses.replace(run.registry, table=table))
    tables = method_tables(_data(named))
    assert {"name": "Namen van de wijken (CBS wijk- en buurtkaart)", "years": "2024",
            "licence": "CBS/Kadaster, CC BY 4.0"} in tables["sources"]  # CC BY: the names' attribution
    assert dict(tables["plain"])["Namen"] == (
        "2 van de 22 wijken hebben in de gegevens van dit rapport geen gepubliceerde naam. Ze heten hier naar hun "
        "CBS-code (bijvoorbeeld \u201cMiddelsee\u201d en \u201cGrou e.o.\u201d). Met de wijk- en buurtkaart van het CBS "
        "als grensbestand krijgen ze hun eigen naam.")
    plain = method_tables(_data(run))
    assert "Namen" not in dict(plain["plain"])  # a registry without name_source: no paragraph, no row
    assert not [row for row in plain["sources"] if row["name"].startswith("Namen")]


def test_one_reason_rule_for_page_one_the_ranking_and_the_profiles(run):
    """"Vooral door" names the same indicator for the same wijk on page 1, in the ranking and first in the
    profile: the reasons of decide.designate.area_reasons, the one source (before, the ranking and the profiles
    took the largest w * (y - median) and named another indicator than page 1 for 8 of Leeuwarden's 21 wijken)."""
    from aandacht.decide.designate import area_reasons
    from aandacht.present.phrases import lower_first, short_label
    from aandacht.present.report import profiles, ranking_rows

    overlays = make_overlays(set(run.matrix.areas.index), gebieden=GEBIEDEN, round_year=2026)
    data = ReportData(run, map_frame(run, overlays), build_manifest(run.config, "report"))
    reasons = area_reasons(run, list(run.result.normalised.index), 3)
    first = reasons[reasons["order"] == 1].set_index("area_code")["label"]
    rows = {row["code"]: row["reason"] for row in ranking_rows(data)}
    assert sum(bool(r) for r in rows.values()) >= 15
    for code, reason in rows.items():
        expected = short_label(first[code]) if code in first.index else ""
        assert reason == expected and data.reason(code).split(":")[0] == expected
    assert rows["WK008050"] == "Jongeren met jeugdzorg" and rows["WK008074"] == ""  # Heechterp; Middelsee unscored
    for area in (a for p in profiles(data)[0] for a in p["areas"]):
        listed = reasons.loc[reasons["area_code"] == area["code"], "label"]
        assert area["drivers"] == [lower_first(label) for label in listed]


def test_report_command_from_a_round_and_alone(tmp_path, round_folders):
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--out", str(tmp_path / "a")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "aandacht herijking --round YEAR" in result.output and not (tmp_path / "a").exists()
    result = runner.invoke(main, ["report", "--round-dir", str(round_folders / "2026"), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    again = (tmp_path / "b" / "rapport.html").read_text(encoding="utf-8")
    assert Parsed(again).sections == Parsed((round_folders / "2026" / "rapport.html").read_text(encoding="utf-8")).sections
    # a config without designation (the shipped Leiden config up to its designation section): the report of the ranking
    shipped = default_config_path().parent
    shutil.copytree(shipped.parent / "data" / "leiden", tmp_path / "p" / "data" / "leiden")
    (tmp_path / "p" / "configs").mkdir()
    for name in ("school_locations_leiden.csv", "school_boards.csv"):
        shutil.copy(shipped / name, tmp_path / "p" / "configs" / name)
    text = (shipped / "leiden.yaml").read_text(encoding="utf-8").split("# --- Aandachtsgebieden")[0]
    leiden = tmp_path / "p" / "configs" / "leiden.yaml"
    leiden.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["report", "--config", str(leiden), "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "Aandachtsscore per wijk Leiden" in (tmp_path / "c" / "rapport.html").read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    """Words as a reader sees them; a line may break after a hyphen, a slash or an underscore."""
    return re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*", text)


@pytest.fixture(scope="module")
def round_pdf(round_html, tmp_path_factory):
    """rapport.pdf as write_pdf writes it (Typst, PDF/UA-1), written once for the tests that read it."""
    from aandacht.present.typeset import write_pdf

    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    write_pdf(round_html, path)
    return path


@pytest.fixture(scope="module")
def round_reader(round_pdf):
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(round_pdf)


def _word_boxes(pdf) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF with its page (1-based), the page's width and the word's right edge (pt),
    from poppler's ``pdftotext -bbox``."""
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the words' positions cannot be read")
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xhtml, flags=re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for right, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page):
            words.append((number, width, float(right), html.unescape(word)))
    return words


def test_every_table_fits_its_page(round_pdf, round_reader, round_html):
    """No column cut off at the page edge: every word of every page (tables included, portrait and landscape)
    ends inside the page's content box (the right margin is 14 mm, on a map page 5 mm), and the report's
    tables are all in the PDF."""
    from aandacht.present.report import MAP_MARGINS_MM

    maps = {number for number, page in enumerate(round_reader.pages, start=1)
            if (page.get("/Resources") or {}).get("/XObject")}
    margin = {number: (MAP_MARGINS_MM[1] if number in maps else 14) / 25.4 * 72
              for number in range(1, len(round_reader.pages) + 1)}
    words = _word_boxes(round_pdf)
    past = [f"page {page}: {word!r} ends {right - (width - margin[page]):.1f} pt past the margin"
            for page, width, right, word in words if right > width - margin[page] + 0.5]
    assert len(maps) >= 4
    assert len(words) > 3000 and not past, past[:5]
    texts = " ".join(w for *_, w in words)
    for caption in re.findall(r'<caption class="sr">(.*?)</caption>', round_html)[:12]:
        assert " ".join(html.unescape(caption).split()[:3]) in texts  # each table's (1 pt) caption is set too


def test_maps_print_at_a_readable_size(round_pdf):
    """The maps fill the map pages' content width, so that 7.5 pt on the A4 map is at least 7 pt on paper:
    each map image is placed (``cm``) MAP_SCALE x the A4 width wide."""
    pypdf = pytest.importorskip("pypdf")
    from aandacht.present.report import MAP_SCALE

    widths = []
    for page in pypdf.PdfReader(round_pdf).pages:
        images = set((page.get("/Resources") or {}).get("/XObject") or {})
        matrices = []

        def placed(operator, operands, cm, tm, matrices=matrices, images=images, widths=widths):
            if operator == b"cm":
                matrices.append(cm)
            if operator == b"Do" and operands and operands[0] in images:
                widths.append(cm[0])

        page.extract_text(visitor_operand_before=placed)
    a4_width_pt = 210 / 25.4 * 72
    assert len(widths) >= 4 and all(w == pytest.approx(MAP_SCALE * a4_width_pt, rel=0.002) for w in widths), widths
    assert 7.5 * MAP_SCALE >= 7 and 6.5 * MAP_SCALE >= 6


def test_pdf_summary_fits_page_one_and_no_word_is_broken(round_html, round_pdf, round_reader):
    """Page 1 holds the whole summary, page 2 the contents with page numbers, page 3 the score map; the ranking
    on one landscape page; no word broken over two lines (no hyphenation: every word of the PDF, as poppler
    reads it, is a word of the HTML)."""
    known = set(_words(html.unescape(re.sub(r"<[^>]+>", " ", round_html))))
    known |= {str(n) for n in range(1, len(round_reader.pages) + 1)}  # the page counter: "pagina 3 van 21"
    broken = set(_words(" ".join(word for *_, word in _word_boxes(round_pdf)))) - known
    texts = [page.extract_text() for page in round_reader.pages]
    assert not broken, sorted(broken)[:10]  # e.g. "Onderwijsacht" + "erstanden"
    assert "Bestuurlijke samenvatting" in texts[0] and "Wat u moet weten" in texts[0]
    assert "bijlage B" in texts[0]  # the last line of the summary is still on page 1
    assert texts[1].lstrip().startswith("Inhoud") and re.search(r"Kaart: Aandachtsscore per wijk \.+ 3\b", texts[1])
    pages = {item.title: round_reader.get_destination_page_number(item) + 1 for item in outline_items(round_reader.outline)}
    assert pages["Bestuurlijke samenvatting"] == 1 and pages["Inhoud"] == 2 and pages["Kaart: Aandachtsscore per wijk"] == 3
    landscape = [page for page in round_reader.pages if page.mediabox.width > page.mediabox.height]
    assert len(landscape) == 1 and pages["Ranglijst"] == round_reader.pages.index(landscape[0]) + 1


def test_appendix_c_audits_the_index_with_its_diagram(round_html):
    section = html.unescape(round_html.split('<section id="toets">')[1])
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert text.startswith("Bijlage C. Statistische toets van de index")
    # the diagram: the index, four domains of 25%, each indicator with its intended share and direction
    assert "C.0 Opbouw van de index" in text and "Onderwijsachterstanden 25%" in text
    assert "Jongeren met jeugdzorg 25%; hoger = meer aandacht" in text and "Koopwoningen 12,5%; lager = meer aandacht" in text
    assert "De rangorde hangt het meest af van" in text and "Cronbachs alfa" in text
    assert "C.3 Sterkste en zwakste punten per wijk" in text and "(1e van 21)" in text


def test_the_html_is_accessible(round_html, round_folders):
    """Every table has a caption and header cells with a scope; every map has an alt text that says
    which gebieden are outlined and which schools are marked; one main landmark and a table of contents."""
    tables = re.findall(r"<table[^>]*>(.*?)</table>", round_html, flags=re.S)
    assert len(tables) >= 10 and all(t.lstrip().startswith("<caption") for t in tables)
    # all but B.4's formulas (headers per row) and C.0's diagram of the index (a drawing made of cells)
    assert sum("<thead><tr>" in t for t in tables) == len(tables) - 2
    headers = re.findall(r"<th\b[^>]*>", round_html)
    assert headers and all(re.search(r'scope="(col|row)"', h) for h in headers)
    alts = [html.unescape(a) for a in re.findall(r'<img class="map" alt="([^"]*)"', round_html)]
    gebieden = pd.read_csv(round_folders / "2026" / "aandachtsgebieden.csv", sep=";", dtype=str)["gebied"]
    assert len(alts) >= 4 and all(len(a) > 80 for a in alts)
    assert all(name in alts[0] for name in gebieden)  # the score map: every outlined gebied by name
    assert "Plus-IKC's (1 " in alts[0] and "andere scholen" in alts[0]
    assert round_html.count("<main>") == 1 and '<nav id="inhoud"' in round_html
    assert '<a href="#verantwoording">Bijlage B. Verantwoording van de methode</a>' in round_html
    assert '<a href="#toets">Bijlage C. Statistische toets van de index</a>' in round_html  # every appendix listed


def test_the_pdf_is_tagged_with_bookmarks(round_reader):
    """rapport.pdf as written (PDF/UA-1, which Typst checks before it writes): marked and tagged, in Dutch,
    its title shown, the maps as figures with their alt text, tables with header cells that the data cells
    point to, lists, and bookmarks of the sections."""
    root = round_reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert round_reader.metadata.title == "Herijking 2026 aandachtsgebieden Leeuwarden"
    found = pdf_structure(root)
    assert {"/H1", "/H2", "/H3", "/Table", "/THead", "/TH", "/TD", "/Caption", "/Figure", "/L", "/LI"} <= set(found)
    figures = [str(f.get("/Alt", "")) for f in found["/Figure"]]
    assert len(figures) >= 4 and all("Kaart" in a or "kaartjes" in a for a in figures)

    def headers(td):
        attributes = td["/A"] if isinstance(td["/A"], list) else [td["/A"]]
        return any("/Headers" in a for a in attributes)

    assert all(headers(td) for td in found["/TD"][:50])  # data cells point to their header cells
    bookmarks = [item.title for item in outline_items(round_reader.outline)]
    assert {"Bestuurlijke samenvatting", "Inhoud", "Kaart: Aandachtsscore per wijk", "Ranglijst",
            "Bijlage B. Verantwoording van de methode", "B.3 Indicatoren, richting en gewicht"} <= set(bookmarks)


def test_page_one_says_what_is_decided_places_households_and_nederland(round_html):
    """Issue 23 item 4: the decision, the places, the households with children in the aandachtsgebieden and the
    gemeente beside Nederland. Hand-checked in data/leeuwarden/kwb-2023.csv: a_hh_m_k of the seven designated
    wijken 910 + 1345 + 855 + 400 + 530 + 895 + 470 = 5405 of GM0080's 17132 (31,5%); GM0080 against NL00:
    p_hh_li 50.7 and 40, p_jz_tn 13.2 and 10.9, a_soz_wb / a_inw x 1000 = 5360 / 127073 x 1000 = 42,2 and
    400280 / 17811291 x 1000 = 22,5."""
    page_one = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", round_html.split('<section id="kaart">')[0])).split())
    assert ("Het bestuurlijk overleg wordt gevraagd de aandachtsgebieden en de Plus-IKC's vast te stellen voor 2026 "
            "tot de volgende herijking in 2028.") in page_one
    assert "Er zijn 9 plaatsen voor een Plus-IKC; het voorstel vult er alle 9." in page_one
    assert ("In de aandachtsgebieden wonen 5.405 huishoudens met kinderen: 31,5% van de 17.132 in Leeuwarden (het aantal "
            "kinderen van 0 tot 12 jaar publiceert het CBS niet per wijk).") in page_one
    assert ("Leeuwarden naast Nederland: huishoudens met laagste 40% inkomens 50,7% (Nederland 40%); jongeren met "
            "jeugdzorg 13,2% (Nederland 10,9%); personen met bijstand per 1.000 inwoners 42,2 (Nederland 22,5).") in page_one
    # the round's facts stay on page 1
    assert "Peildatum 2026; cijfers: Kerncijfers Wijken en Buurten 2023" in page_one
    assert "It Tredde Ste (15JJ00) staat niet meer in DUO-vestigingen 2026" in page_one


def test_page_one_budget_suppression_and_headline_rules(run):
    from aandacht.config.presentation import ReportOptions as Options
    from aandacht.config.selection import Budget
    from aandacht.present.report import children_sentence, headline_figures, places_sentence

    overlays = make_overlays(set(run.matrix.areas.index), gebieden=GEBIEDEN, ikcs=IKCS, round_year=2026)
    budget = run.config.selection.model_copy(update={"count": None, "budget": Budget(total=144, per_ikc=16, unit="uur per week")})
    data = ReportData(dataclasses.replace(run, config=run.config.model_copy(update={"selection": budget})),
                      map_frame(run, overlays), {})
    # floor(144 / 16) = 9 places, and IKCS has one plus-ikc
    assert places_sentence(data) == ("Het budget van 144 uur per week geeft 9 plaatsen van 16 uur per week; "
                                     "het voorstel vult er 1.")
    # GEBIEDEN: WK008061, WK008060, WK008050 hold 470 + 895 + 530 = 1895 households with children; at a threshold
    # above that the count is "<N" and no share is given (it would give the count back)
    assert children_sentence(_data(run, overlays)).startswith(
        "In de aandachtsgebieden wonen 1.895 huishoudens met kinderen: 11,1% van de 17.132 in Leeuwarden")
    hidden = children_sentence(_data(run, overlays, suppress_below=2000))
    assert hidden.startswith("In de aandachtsgebieden wonen <2000 huishoudens met kinderen (") and "%" not in hidden
    # without report.headline: per domain the first indicator with a gemeente and a Nederland value
    plain = dataclasses.replace(run, config=run.config.model_copy(update={"report": Options()}))
    assert headline_figures(ReportData(plain, map_frame(plain, overlays), {})).startswith(
        "Leeuwarden naast Nederland: huishoudens met laagste 40% inkomens 50,7% (Nederland 40%); jongeren met jeugdzorg")
    # a headline indicator without both values is said, not dropped silently
    named = dataclasses.replace(run, config=run.config.model_copy(update={"report": Options(headline=["schoolweging", "jeugdzorg"])}))
    assert headline_figures(ReportData(named, map_frame(named, overlays), {})) == (
        "Leeuwarden naast Nederland: jongeren met jeugdzorg 13,2% (Nederland 10,9%). Geen waarde voor gemeente en "
        "Nederland: schoolweging van de scholen in de wijk.")


def test_an_unknown_headline_indicator_is_refused(tmp_path):
    text = default_config_path().read_text(encoding="utf-8").replace(
        "headline: [laag_inkomen, jeugdzorg, bijstand]", "headline: [laag_inkomen, armoedje]")
    path = tmp_path / "leeuwarden.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=r"report.headline: unknown indicator\(s\) \['armoedje'\]"):
        load_config(path)


def test_page_one_shows_at_most_ten_plus_ikcs_and_says_where_the_rest_are(run):
    """A large gemeente (Tilburg: 17 Plus-IKC's) keeps page 1 short: the first PAGE_ONE_PLUS in the table, a
    sentence pointing to "Voorstel Plus-IKC's" for the rest; gebieden without a Plus-IKC for the same reason
    are named together."""
    from aandacht.present.report import PAGE_ONE_PLUS, summary

    many = pd.DataFrame({"name": [f"IKC {n:02d}" for n in range(12)], "x_rd": 184100.0, "y_rd": 580300.0,
                         "status": "plus-ikc", "area_code": "WK008061", "bestuur": "Stichting Noord"})
    gebieden = pd.DataFrame({"gebied": ["Noord", "Oost", "Zuid"], "area_code": ["WK008061", "WK008060", "WK008050"]})
    overlays = make_overlays(set(run.matrix.areas.index), gebieden=gebieden, ikcs=many, round_year=2026)
    data = _data(run, overlays)
    page = summary(data)
    assert PAGE_ONE_PLUS == 10 and page["plus_count"] == 12 and len(page["plus"]) == 10 and page["plus_rest"] == 2
    assert page["without_plus"] == [{"gebied": "Zuid en Oost",  # in rank order (Heechterp first)
                                     "why": "er staat geen school met een bekende locatie in deze gebieden"}]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", render_html(data).split('<section id="kaart">')[0])).split())
    assert "Voorgestelde Plus-IKC's (12)" in text and "De andere 2 Plus-IKC's staan in Voorstel Plus-IKC's ." in text
    assert "IKC 09" in text and "IKC 10" not in text


@pytest.fixture(scope="module")
def without_polygons(run):
    """The Leeuwarden round's report as a project without polygons of its wijken (no areas.geometry) writes it:
    gebieden and IKCs given, none of the IKCs placed in a wijk."""
    from aandacht.present.report import report_data

    areas = run.config.areas.model_copy(update={"geometry": None})
    bare = dataclasses.replace(run, config=run.config.model_copy(update={"areas": areas}))
    unplaced = IKCS.assign(x_rd=np.nan, y_rd=np.nan, area_code="", status="other")  # as a round's ikcs.csv reads
    overlays = dataclasses.replace(make_overlays(set(run.matrix.areas.index), gebieden=GEBIEDEN, round_year=2026),
                                   ikcs=unplaced)
    data = report_data(bare, overlays, build_manifest(bare.config, "report"))
    assert data.frame is None
    return render_html(data)


def test_a_report_without_polygons_says_why_and_which_command_adds_the_maps(without_polygons):
    """Issue 21 item 3: page 1, the ranking, the profiles and the appendices without a map; page 1 says in Dutch
    why there are no maps and names the command that adds them; no Plus-IKC, and page 1 says why."""
    parsed = Parsed(without_polygons)
    assert parsed.images == [] and "kaart" not in parsed.sections and "kaarten" not in parsed.sections
    assert {"samenvatting", "ranglijst", "profielen", "verantwoording", "toets"} <= set(parsed.sections)
    first_page = html.unescape(without_polygons.split('<nav id="inhoud"')[0])
    assert ("Er is geen bestand met de grenzen van de wijken van Leeuwarden: daarom zijn er geen kaarten" in first_page
            and "<code>aandacht fetch boundaries GM0080 --level wijk</code> in de projectmap" in first_page)
    assert ("Er kon geen Plus-IKC worden voorgesteld: geen van de 3 scholen heeft een plaats in een wijk, dus ligt er "
            "geen in een aandachtsgebied (zie hierboven).") in first_page
    assert "Aandachtsgebieden zonder Plus-IKC" not in first_page  # said once for all gebieden
    assert "Kaart:" not in parsed.text and not set(_words(parsed.text.lower())) & ENGLISH


def test_the_pdf_without_polygons_is_tagged_and_page_one_fits(without_polygons, tmp_path):
    """Page 1 on one A4 page, the contents on page 2 and the ranking after it, tagged as rapport.pdf is."""
    pypdf = pytest.importorskip("pypdf")
    from aandacht.present.typeset import write_pdf

    write_pdf(without_polygons, tmp_path / "rapport.pdf")
    reader = pypdf.PdfReader(tmp_path / "rapport.pdf")
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "Er is geen bestand met de grenzen" in texts[0]
    assert "Niet in dit rapport: de kans op aanwijzing." in texts[0]  # the summary's last line still on page 1
    assert texts[1].startswith("Inhoud") and "Kaart" not in texts[1] and texts[2].startswith("Ranglijst")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "nl" and "/Figure" not in pdf_structure(root)


def test_page_one_budget_for_many_gebieden_points_to_the_ranking_and_the_plus_ikc_section(run):
    """Tilburg and Rotterdam keep page 1 on one A4 page: the two tables take at most PAGE_ONE_ROWS rows (the
    Plus-IKC table what the gebieden's lines leave, at least 3), more than PAGE_ONE_GEBIEDEN gebieden show the first
    15 and point to the ranking, and more than 5 gebieden without a Plus-IKC are counted there, their names
    and reasons given in "Voorstel Plus-IKC's"."""
    from aandacht.present.report import PAGE_ONE_GEBIEDEN, PAGE_ONE_ROWS, summary

    codes = sorted(run.result.rank.dropna().index)[:18]
    gebieden = pd.DataFrame({"gebied": [f"Gebied {c}" for c in codes], "area_code": codes})
    many = pd.DataFrame({"name": [f"IKC {n:02d}" for n in range(9)], "x_rd": 184100.0, "y_rd": 580300.0,
                         "status": "plus-ikc", "area_code": codes[:9], "bestuur": "Stichting Noord"})
    data = _data(run, make_overlays(set(run.matrix.areas.index), gebieden=gebieden, ikcs=many, round_year=2026))
    page = summary(data)
    assert (PAGE_ONE_GEBIEDEN, PAGE_ONE_ROWS) == (16, 18)
    assert len(page["gebieden"]) == 15 and page["gebieden_count"] == 18 and page["gebieden_rest"] == 3
    assert len(page["plus"]) == 3 and page["plus_rest"] == 6  # 18 - 15 lines leave 3
    assert page["without_plus_names"] == "9 van de 18"
    html_text = render_html(data)
    first = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text.split('<section id="kaart">')[0])).split())
    assert "Aandachtsgebieden (18)" in first and "De andere 3 aandachtsgebieden staan in de Ranglijst" in first
    assert "Aandachtsgebieden zonder Plus-IKC: 9 van de 18 (waarom: zie Voorstel Plus-IKC's )" in first
    rest = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text.split('<section id="plus-ikc">')[1])).split())
    assert "Aandachtsgebieden zonder Plus-IKC:" in rest and "er staat geen school met een bekende locatie" in rest
