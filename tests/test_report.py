"""The Dutch report: HTML structure, embedded images, optional blocks, small-count
suppression, and the PDF (page count, one-page summary)."""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import re
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
from aandacht.present.maps import map_frame
from aandacht.present.overlays import make_overlays
from aandacht.present.report import SECTIONS, ReportData, drivers, render_html, suppress
from aandacht.resources import default_config_path
from aandacht.scoring.run import run_score

GEBIEDEN = pd.DataFrame({
    "gebied": ["Heechterp-Skieringen", "Vrijheidswijk en Bilgaard", "Vrijheidswijk en Bilgaard"],
    "area_code": ["WK008050", "WK008061", "WK008060"],
})
IKCS = pd.DataFrame({
    "name": ["IKC Noord", "IKC Oost", "IKC West"], "x_rd": [184100.0, 183300.0, 182000.0],
    "y_rd": [580300.0, 581900.0, 580000.0], "status": ["plus-ikc", "candidate", "other"],
    "area_code": ["WK008050", "WK008061", "WK008030"], "need": ["3,2", "1,5", ""],
    "reason": ["hoogste behoefte", "net onder de drempel", ""],
})


class Parsed(HTMLParser):
    """Collect section ids, headings, image sources, links, profile names and count cells."""

    def __init__(self, html: str):
        super().__init__()
        self.sections, self.images, self.links, self.profiles, self.counts = [], [], [], [], []
        self._in_count = False
        self._text = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
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

    def handle_endtag(self, tag):
        if self._in_count and tag in ("td", "span"):
            self.counts.append("".join(self._text).strip())
            self._in_count = False


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
                             demonstration=["gebieden"])
    return render_html(_data(run, overlays, suppress_below=600))


@pytest.fixture(scope="module")
def plain_html(run):
    return render_html(_data(run))


def test_report_has_every_section_and_every_designated_area(full_html):
    parsed = Parsed(full_html)
    assert parsed.sections == [key for key, _ in SECTIONS]
    text = html.unescape(full_html)
    for _, heading in SECTIONS:
        assert heading in text
    assert parsed.profiles == ["Heechterp-Skieringen", "Vrijheidswijk en Bilgaard"]
    assert "DEMONSTRATIEGEGEVENS" in full_html
    assert "IKC Noord" in full_html and "hoogste behoefte" in full_html  # Plus-IKC proposal
    assert "nieuw aandachtsgebied" in full_html and "niet langer aandachtsgebied" in full_html
    assert "(vorige ronde: rang 2, score 80,5)" in full_html  # trend in the profile of Heechterp
    assert "nog niet beschikbaar" not in full_html.lower()  # every optional block is filled


def test_report_embeds_its_images_and_needs_no_network(full_html):
    parsed = Parsed(full_html)
    assert len(parsed.images) == 4  # score, domains, probability, change
    for source in parsed.images:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [link for link in parsed.links if re.match(r"(https?:)?//", link)]


def test_small_counts_are_suppressed(full_html):
    counts = Parsed(full_html).counts
    assert counts, "the report shows counts"
    shown = [c for c in counts if c]
    assert "<600" in shown
    for cell in shown:
        if cell != "<600":
            assert int(cell.replace(".", "")) >= 600, cell
    assert suppress(9, 10) == "<10" and suppress(10, 10) == "10" and suppress(12345, 10) == "12.345"
    assert suppress(float("nan"), 10) == ""


def test_without_results_the_optional_blocks_say_so(plain_html, run):
    assert plain_html.lower().count("nog niet beschikbaar") >= 5
    profiles = Parsed(plain_html).profiles
    top = run.result.rank.dropna().sort_values().head(run.config.report.profile_top).index
    assert profiles == [run.matrix.areas.at[c, "area_name"] for c in top]
    assert "DEMONSTRATIEGEGEVENS" not in plain_html


def test_drivers_are_above_median_weighted_indicators(run):
    found = drivers(run, "WK008050")
    assert 0 < len(found) <= 3 and all(d["value"] > 0 for d in found)
    assert [d["value"] for d in found] == sorted((d["value"] for d in found), reverse=True)
    assert drivers(run, "WK008074") == []  # not scored


@pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")
def test_pdf_pages_and_one_page_summary(plain_html, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from aandacht.errors import AandachtError
    from aandacht.present.report import write_pdf

    path = tmp_path / "rapport.pdf"
    try:
        pages = write_pdf(plain_html, path)
    except AandachtError as error:
        pytest.skip(f"WeasyPrint not usable here: {error}")
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == pages >= len(SECTIONS)
    texts = [page.extract_text() for page in reader.pages]
    assert "1. Samenvatting" in texts[0]
    assert texts[1].lstrip().startswith("2. Kaart en ranglijst")  # the summary fits on one page
    starts = [next(i for i, t in enumerate(texts) if heading in t) for _, heading in SECTIONS]
    assert starts == sorted(starts)


def test_report_command_writes_html(tmp_path):
    out = tmp_path / "rapport"
    result = CliRunner().invoke(main, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"rapport.html", "manifest.json"}
    assert Parsed((out / "rapport.html").read_text(encoding="utf-8")).sections == [key for key, _ in SECTIONS]


def test_pdf_without_weasyprint_is_one_line_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes 'import weasyprint' fail
    out = tmp_path / "rapport"
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--pdf"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "pip install 'aandacht[pdf]'" in result.output
    assert not out.exists()


def test_rates_on_small_denominators_are_marked_indicatief_in_the_report():
    """Privacy and reliability on the output itself: with a minimum denominator no wijk reaches, every
    jeugdzorg value is marked I in the report's ranking and profiles, and the ranking CSV says so too."""
    import re

    from aandacht.config import parse_config
    from aandacht.present.tables import ranking

    raw = load_config(default_config_path()).model_dump(mode="json", exclude={"source_file"})
    for indicator in raw["framework"]["indicators"]:
        if indicator["id"] == "jeugdzorg":
            indicator["min_denominator"] = 100_000
    strict_run = run_score(parse_config(raw, default_config_path()))
    html = render_html(_data(strict_run))
    marks = re.findall(r"<td[^>]*>\s*(B|I)\s*</td>", html)
    assert marks.count("I") >= 5 and "B" not in set(marks[:21])  # ranking: all 21 scored wijken indicatief
    assert set(ranking(strict_run).dropna(subset=["score"])["betrouwbaarheid"]) == {"I"}
