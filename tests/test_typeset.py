"""The report's HTML set in type by Typst (present/typeset.py), on small documents built for each rule:
text that looks like markup stays text, a block kept together that is taller than a page is not cut off, the
automatic column widths keep every word inside the page, links to a missing section are plain text, and a map
is a tagged figure with its alt text. The whole report's PDF is tested in tests/test_report.py."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess

import pytest

from aandacht.present.typeset import PdfLayout, pdf_bytes, text_width, typst_markup
from conftest import outline_items, pdf_structure

pypdf = pytest.importorskip("pypdf")

HOSTILE = 'Wijk "A" \\ #x $y$ <b> ] [ // */ @z = - + _u_ `c` ~ --- https://x.nl'


def _page(body: str, title: str = "Proef") -> str:
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><meta name="date" content="7 december 2026">'
            f"<title>{title}</title></head><body><main>{body}</main></body></html>")


def _text(pdf: bytes) -> str:
    """The PDF's text as poppler reads it (pypdf where poppler is absent)."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_text_that_looks_like_markup_stays_text():
    import html

    escaped = html.escape(HOSTILE)
    body = (f'<section id="samenvatting"><h1>{escaped}</h1><p>{escaped}</p>'
            f'<table><caption class="sr">{escaped}</caption><thead><tr><th scope="col">{escaped}</th></tr></thead>'
            f"<tbody><tr><td>{escaped}</td></tr></tbody></table></section>")
    pdf = pdf_bytes(_page(body, title=escaped))
    text = " ".join(_text(pdf).split())
    assert text.count("Wijk \"A\" \\ #x $y$ <b> ] [ // */ @z = - + _u_ `c` ~ --- https://x.nl") >= 3
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == HOSTILE
    assert '#"Wijk \\"A\\" \\\\ #x' in typst_markup(_page(body)).markup  # a string literal, escaped


def test_a_kept_block_taller_than_a_page_breaks_instead_of_being_cut_off():
    rows = "".join(f"<tr><td>indicator {n}<br><span class=\"small\">eenheid</span></td><td class=\"num\">{n},5</td></tr>"
                   for n in range(1, 91))
    short = '<div class="keep"><p>Kort blok</p><table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table></div>'
    body = (f'<section id="samenvatting"><h1>Lang</h1>{short}<div class="keep"><p>Begin van het blok</p>'
            f'<table><thead><tr><th scope="col">indicator</th><th scope="col" class="num">waarde</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></section>")
    pdf = pdf_bytes(_page(body))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = _text(pdf)
    assert len(reader.pages) >= 2 and all(f"indicator {n}\n" in text or f"indicator {n} " in text for n in range(1, 91))
    assert "Kort blok" in reader.pages[0].extract_text()  # the short block is kept, on page 1
    assert "indicator 1" in reader.pages[0].extract_text()  # the tall one starts on page 1 too, and breaks


def test_column_widths_keep_every_word_inside_the_page():
    """A table whose columns' contents cannot all fit on one line: the numbers and the header words keep their
    width (a number never wraps), the long text wraps, and no word ends past the right margin (14 mm)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the words' positions cannot be read")
    long = "een lange uitleg die over meerdere regels moet lopen " * 4
    header = "".join(f'<th scope="col" class="num">kolom{n}</th>' for n in range(8))
    cells = "".join(f'<td class="num">{123456.7 + n:.1f}</td>' for n in range(8))
    body = (f'<section id="samenvatting"><h1>Breed</h1><table><thead><tr><th scope="col">tekst</th>{header}</tr></thead>'
            f"<tbody><tr><td>{long}</td>{cells}</tr><tr><td>Onderwijsachterstandenindicator</td>{cells}</tr></tbody>"
            f"</table></section>")
    pdf = pdf_bytes(_page(body))
    xhtml = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    width = float(re.search(r'<page width="([\d.]+)"', xhtml).group(1))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', xhtml)
    limit = width - 14 / 25.4 * 72 + 0.5
    assert words and all(float(right) <= limit for _, right, _ in words), [w for w in words if float(w[1]) > limit]
    numbers = [w for w in words if re.fullmatch(r"\d+,\d", w[2]) or re.fullmatch(r"123\d{3}\.\d", w[2])]
    assert len(numbers) == 16  # each number whole on one line
    ordered = sorted(float(left) for left, _, word in words if word.startswith("kolom"))
    assert len(ordered) == 8 and all(b - a > 20 for a, b in zip(ordered, ordered[1:]))  # headers do not overlap


def test_a_link_to_a_missing_section_is_plain_text_and_the_contents_have_page_numbers():
    body = ('<section id="samenvatting"><h1>Titel</h1><p>Zie <a href="#nergens">nergens</a> en '
            '<a href="#bijlage">de bijlage</a>.</p></section>'
            '<nav id="inhoud"><h2>Inhoud</h2><ol class="toc"><li><a href="#bijlage">Bijlage</a></li></ol></nav>'
            '<section id="bijlage"><h2>Bijlage</h2><p>Tekst.</p></section>')
    markup = typst_markup(_page(body)).markup
    assert "<nergens>" not in markup and "#link(<bijlage>)" in markup
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(_page(body))))
    assert re.search(r"Bijlage \.+ 3", reader.pages[1].extract_text())
    assert [item.title for item in outline_items(reader.outline)] == ["Titel", "Inhoud", "Bijlage"]  # the bookmarks, Inhoud and Bijlage under Titel


def test_a_map_is_a_tagged_figure_with_its_alt_text_on_a_page_of_its_own():
    """Maps from a data URI or given as PNG bytes by the mark in their ``src``; each a figure with its alt text."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (420, 594), "#b2182b").save(buffer, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    body = ('<section id="samenvatting"><h1>Titel</h1><p>Tekst</p></section>'
            f'<section id="kaart"><h2>Kaart: score</h2><figure><img class="map" alt="Kaart van Proef: de score" src="{uri}">'
            f'</figure><figure><img class="map" alt="Tweede kaart van Proef" src="kaart-merk-2"></figure></section>')
    given = {"kaart-merk-2": buffer.getvalue()}  # an image given by the mark in its src (report.ReportHtml)
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(_page(body), given)))
    assert len(reader.pages) == 3  # page 1, and each map on a page of its own

    tags = pdf_structure(reader.trailer["/Root"])
    assert [str(f.get("/Alt")) for f in tags["/Figure"]] == ["Kaart van Proef: de score", "Tweede kaart van Proef"]
    assert len(tags["/H2"]) == 1  # the map page's heading, set in 1 pt white, is still a heading to a screen reader
    assert [item.title for item in outline_items(reader.outline)] == ["Titel", "Kaart: score"]  # the map page's hidden heading is a bookmark


def _png(colour: str, size: tuple[int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_pdf_laid_out_before_its_maps_are_drawn_is_the_pdf_of_one_compile():
    """PdfLayout with maps coming compiles first with blank stand-ins; with the maps in, the pages, their
    text and the images are those of a single compile (the stand-in's other shape changes nothing)."""
    body = ('<section id="samenvatting"><h1>Titel</h1><p>Tekst voor de kaarten</p></section>'
            '<section id="kaart"><h2>Kaart: score</h2><figure><img class="map" alt="Kaart een" src="merk-1"></figure>'
            '<figure><img class="map" alt="Kaart twee" src="merk-2"></figure></section>'
            '<section id="bijlage"><h2>Bijlage</h2><p>Na de kaarten</p></section>')
    maps = {"merk-1": _png("#b2182b", (420, 594)), "merk-2": _png("#2166ac", (594, 420))}
    layout = PdfLayout(_page(body), coming=maps)
    early = pypdf.PdfReader(io.BytesIO(layout.pdf(maps)))
    once = pypdf.PdfReader(io.BytesIO(pdf_bytes(_page(body), maps)))
    assert len(early.pages) == len(once.pages) == 4
    assert [p.extract_text() for p in early.pages] == [p.extract_text() for p in once.pages]
    def pictures(reader):
        return [[(i.image.size, i.image.getpixel((0, 0))) for i in page.images] for page in reader.pages]

    assert pictures(early) == pictures(once) == [[], [((420, 594), (178, 24, 43))], [((594, 420), (33, 102, 172))], []]

    with pytest.raises(ValueError, match="merk-2"):
        PdfLayout(_page(body), coming=maps).pdf({"merk-1": maps["merk-1"]})


def test_text_width_is_the_fonts_advance_width():
    assert text_width("") == 0
    assert text_width("iiii") < text_width("WWWW") and text_width("abc", bold=True) > text_width("abc")
    assert text_width("0") == pytest.approx(0.636, abs=0.01)  # DejaVu Sans's figures are 0.636 em wide


def test_the_shipped_advance_widths_are_the_fonts():
    """advances.json is current: read again from the installed fonts by scripts/build_advances.py, the same
    widths (else rerun the script), and text_width's em are those fontTools reads from the font file."""
    pytest.importorskip("fontTools")
    import importlib.util
    import json
    from pathlib import Path

    from fontTools.ttLib import TTFont

    from aandacht.present.typeset import font_folder

    script = Path(__file__).resolve().parent.parent / "scripts" / "build_advances.py"
    spec = importlib.util.spec_from_file_location("build_advances", script)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert json.loads(build.TARGET.read_text(encoding="utf-8")) == build.build()
    font = TTFont(font_folder() / "DejaVuSans-Bold.ttf", lazy=True)
    glyphs = font.getBestCmap()
    for character in "Wij ëé€–0":
        width = font["hmtx"].metrics[glyphs[ord(character)]][0] / font["head"].unitsPerEm
        assert text_width(character, bold=True) == width, character


def test_invisible_characters_are_left_out_and_a_character_without_a_glyph_is_one_line():
    """A DUO name's U+0092 (a Windows apostrophe read as Latin-1) is set as ’, control characters and the byte order
    mark, which a browser does not show either, are left out, a no-break space stays one; a character the font has no
    glyph for (PDF/UA allows none) stops the PDF with one line naming it and where it is."""
    from aandacht.errors import AandachtError

    body = ('<section id="samenvatting"><h1>Namen</h1><p>Dalton Kindcentrum \x92t Kompas, '
            'Wijk\x00\x07\x1b\ufeff\x7f Noord, 12\xa0345 huishoudens</p></section>')
    markup = typst_markup(_page(body)).markup
    assert "Dalton Kindcentrum \u2019t Kompas" in markup and "Wijk Noord" in markup and "12\xa0345" in markup
    assert "Dalton Kindcentrum \u2019t Kompas" in _text(pdf_bytes(_page(body)))
    with pytest.raises(AandachtError) as raised:
        pdf_bytes(_page('<section id="samenvatting"><h1>Namen</h1><p>Wijk Urk-Kom \U0001F3E0 en 北</p></section>'))
    message = str(raised.value)
    assert "\n" not in message and "U+1F3E0" in message and "U+5317" in message and "Urk-Kom" in message


def test_only_headings_and_sections_are_link_targets():
    """A link to an element the PDF has no label for (a paragraph's id) is plain text, not a compile error."""
    body = ('<section id="samenvatting"><h1>Titel</h1><p id="geen-kaarten">Geen kaarten.</p>'
            '<p>Zie <a href="#geen-kaarten">hierboven</a>.</p></section>')
    markup = typst_markup(_page(body)).markup
    assert "<geen-kaarten>" not in markup and "hierboven" in _text(pdf_bytes(_page(body)))
