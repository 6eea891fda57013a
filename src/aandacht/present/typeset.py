"""The report as a tagged PDF: the report's own HTML set in type by Typst.

One source: :func:`aandacht.present.report.report_html` writes the report once, as HTML (with a mark
in place of each map, :class:`aandacht.present.report.ReportHtml`); this module reads that HTML (the
small set of elements and classes its template uses) and writes the same content as Typst markup
(:func:`typst_markup`), which the Typst compiler (the ``typst`` package: one self-contained wheel per
platform, no system libraries) lays out as an A4 PDF (:class:`PdfLayout`: Leeuwarden's 21 pages in
about 0.6 s, or 0.2 s once laid out with stand-ins for maps still being drawn). What the HTML's print
style sheet says, the markup says too:

* A4 portrait, margins 13/14/15/14 mm; the ranking (``section.liggend``) on landscape pages; the
  maps (``#kaart``, ``#kaarten``) one per page with margins of :data:`report.MAP_MARGINS_MM`, each
  map the full width between them; every other section on a new page;
* the page footer: the report's title and date left, "pagina N van M" right;
* DejaVu Sans (the maps' font, shipped with matplotlib, so every machine sets the same PDF), 9 pt,
  no hyphenation and no break inside a word (a line may break after ``_`` where the HTML has
  ``<wbr>``);
* headings (h1-h4) as PDF headings and bookmarks, a section's id as the label its links and the
  table of contents point to (with a dotted leader and the page number); the map pages' headings
  hidden (the map carries its title) but in the bookmarks;
* tables with their header row repeated on every page, column widths from ``<col>`` or ``<th>``
  widths (else sized to their content within the page width), a row never split over two pages,
  numbers right-aligned, the caption for screen readers (``caption.sr``) in 1 pt white as the
  HTML prints it; the index diagram (``table.schema``) with its coloured cells;
* every map a figure with the HTML's alt text.

The PDF is tagged to PDF/UA-1 (Typst's ``pdf_standards=["ua-1"]``; Typst refuses to write it when a
requirement is not met, such as a figure without alt text or a document without a title): a structure
tree of headings, paragraphs, lists, tables with header cells that data cells point to, captions and
figures with their alt text; language ``nl``; the title shown in the viewer's title bar; bookmarks.

Every text of the HTML goes into the markup as a Typst string literal (``#"..."``), never as
markup, so a wijk or school name cannot change the document's structure.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import json
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import AandachtError
from .drawing import png_bytes
from .report import MAP_MARGINS_MM

PDF_STANDARD = "ua-1"
BLANK_PNG = png_bytes(np.full((1, 1, 3), 255, np.uint8), 96)  # stands in for a map still being drawn
FONT = "DejaVu Sans"
ADVANCE_FONTS = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}  # the files of advances.json
MONO = "DejaVu Sans Mono"
VOID = {"br", "wbr", "img", "col", "meta", "link", "hr", "input", "source"}
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufdd0-\ufdef\ufffe\uffff]")
SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space (a no-break space is not: it keeps words together)
BLOCK_SPACING = {"p": ("1mm", "1.5mm"), "ul": ("1mm", "1.5mm"), "table": ("1.5mm", "2.5mm")}
TEXT_STYLE = {  # class -> Typst text settings (the HTML's style sheet)
    "small": 'size: 7.5pt, fill: rgb("#444444")', "lead": "size: 9.5pt", "sub": 'fill: rgb("#444444")',
}
HEADING_SIZES = {1: "17pt", 2: "13pt", 3: "10.5pt", 4: "9.5pt"}
HEADING_SPACING = {1: ("0mm", "1mm"), 2: ("0mm", "2mm"), 3: ("3.5mm", "1mm"), 4: ("3mm", "1mm")}
TABLE_FONT = {"compact": "7.3pt", "summary": "7.5pt", "small": "7.5pt", "default": "8pt"}
SCHEMA_CELLS = {  # table.schema (the index diagram): class -> fill and stroke
    "index": 'fill: rgb("#fdd49e")', "domein": 'fill: rgb("#fee8c8")', "indicator": 'stroke: 0.3mm + rgb("#fdbb84")',
}
MAP_SECTIONS = {"kaart", "kaarten"}
SUMMARY = "samenvatting"  # page 1
# a block the HTML keeps together (``.keep``: break-inside: avoid) moves whole to the next page when it fits on
# one (A4 portrait's content height is 269 mm); a taller one breaks, as a browser breaks it, so nothing is cut off
KEEP_HEIGHT = "260mm"
MONO_ADVANCE, CODE_SIZE = 0.602, 7.5  # DejaVu Sans Mono: every character 0.602 em wide; code is set at 7.5 pt
MM_PER_PT, CELL_PADDING_MM = 25.4 / 72, 2 * 1.4 + 0.4  # a cell's padding, and a little room for rounding
BREAKS = "[\u00ad\u200b]"  # soft hyphen and zero-width space: no width unless the line breaks there
PAGE_WIDTH_MM = {"portrait": 210 - 28, "landscape": 297 - 28}  # the content width between the margins


@dataclass(eq=False)
class Element:
    """One element of the report's HTML: tag, attributes and children (elements and text); two elements are
    the same only when they are one (rows with the same cells are two rows)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Element | None:
        """The first descendant with ``tag`` (depth first, :func:`_walk`)."""
        return next((e for e in _walk(self) if e is not self and e.tag == tag), None)

    def elements(self, tag: str | None = None) -> list[Element]:
        """The element children (with ``tag``, if given)."""
        return [c for c in self.children if isinstance(c, Element) and (tag is None or c.tag == tag)]

    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return SPACE.sub(" ", "".join(parts)).strip(" ")


class _TreeBuilder(HTMLParser):
    """The HTML as a tree of :class:`Element` (character references resolved)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document")
        self._open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self._open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for depth in range(len(self._open) - 1, 0, -1):  # close up to the matching open element
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data):
        self._open[-1].children.append(data)


def parse(html: str) -> Element:
    """The report's HTML as an element tree."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def printable(text: str) -> str:
    """``text`` as the PDF can set it, as a browser shows it: a C1 control character (U+0080-U+009F: a Windows
    character read as Latin-1 upstream, such as U+0092 in a DUO school name for the apostrophe ’) as the
    Windows-1252 character it stands for; other control characters, the byte order mark and the Unicode
    noncharacters, which show nothing, left out (PDF/UA allows no character without a glyph)."""
    return INVISIBLE.sub(lambda m: bytes([ord(m[0])]).decode("cp1252", errors="ignore")
                         if 0x80 <= ord(m[0]) < 0xA0 else "", text)


def string(text: str) -> str:
    """``text`` as a Typst string literal in markup (``#"..."``): shown as it is (:func:`printable`), never
    read as markup."""
    escaped = printable(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'#"{escaped}"'


@dataclass
class Typeset:
    """The report as Typst markup and the images it names (file name -> bytes)."""

    markup: str
    images: dict[str, bytes]
    sources: dict[str, str] = field(default_factory=dict)  # a given image's source -> its file name in ``images``


class _Writer:
    """Writes the Typst markup of one report (see the module's docstring for the rules)."""

    def __init__(self, root: Element, given: dict[str, bytes]):
        self.root = root
        self.given = given  # image source (a mark in the HTML) -> PNG bytes
        self.images: dict[str, bytes] = {}
        self.sources: dict[str, str] = {}  # a given image's source -> its file name
        self.labels = {label for heading, section in _headings(root) if (label := _label(heading, section))}

    # --- blocks -------------------------------------------------------------------------------
    def document(self) -> str:
        html = self.root.find("html") or self.root
        title = (html.find("title") or Element("title")).text()
        day = next((m.attrs.get("content", "") for m in _walk(html) if m.tag == "meta"
                    and m.attrs.get("name") == "date"), "")
        language = html.attrs.get("lang", "nl")
        footer = string(f"{title}, {day}" if day else title)
        preamble = f"""#set document(title: {string(title)[1:]})
#set text(lang: "{language}", font: "{FONT}", size: 9pt, fill: rgb("#1a1a1a"), hyphenate: false)
#set par(leading: 0.42em, spacing: 0.6em)
#set page(paper: "a4", margin: (top: 13mm, right: 14mm, bottom: 15mm, left: 14mm),
  footer: context [#set text(size: 7.5pt, fill: rgb("#555555")); {footer}#h(1fr)#"pagina "#counter(page).display()#" van "#counter(page).final().first()])
#set list(indent: 0mm, body-indent: 2.5mm, spacing: 0.8mm)
#set table(stroke: (x: none, top: none, bottom: 0.5pt + rgb("#dddddd")), inset: (x: 1.4mm, y: 0.8mm), align: left + top)
#set table.cell(breakable: false)
#show figure: set block(breakable: true)
#show figure.where(kind: table): set block(above: 1.5mm, below: 2.5mm)
#let keep(body) = layout(size => if measure(block(width: size.width, body)).height < {KEEP_HEIGHT} {{
  block(breakable: false, body) }} else {{ body }})
"""
        for level, size in HEADING_SIZES.items():
            above, below = HEADING_SPACING[level]
            rule = (f'block(width: 100%, sticky: true, stroke: (bottom: 1.5pt + rgb("#b2182b")), inset: (bottom: 1mm), '
                    f'above: {above}, below: {below}, it)') if level == 2 else f"block(sticky: true, above: {above}, below: {below}, it)"
            preamble += (f"#show heading.where(level: {level}): set text(size: {size}, weight: \"bold\")\n"
                         f"#show heading.where(level: {level}): it => {rule}\n")
        body = html.find("body") or html
        return preamble + "\n" + self.blocks(body.children, section=None)

    def blocks(self, children: list, section: Element | None) -> str:
        out, figures = [], 0
        for child in children:
            if isinstance(child, str):
                if child.strip():
                    out.append(self.paragraph(Element("p", children=[child])))
                continue
            if child.tag == "figure":
                figures += 1
                if figures > 1:  # figure + figure: each map on its own page
                    out.append("#pagebreak()")
            out.append(self.block(child, section))
        return "\n".join(part for part in out if part)

    def block(self, element: Element, section: Element | None) -> str:
        tag = element.tag
        if tag in ("head", "style", "script", "title", "meta", "caption", "colgroup"):
            return ""
        if tag in ("main", "body", "html", "div") and not ({"demo", "attention"} & element.classes):
            inner = self.blocks(element.children, section)
            return f"#keep[\n{inner}\n]" if "keep" in element.classes else inner
        if tag == "div":
            return self.paragraph(element)
        if tag in ("section", "nav"):
            return self.section(element)
        if tag in ("h1", "h2", "h3", "h4"):
            return self.heading(element, section)
        if tag == "p":
            return self.paragraph(element)
        if tag in ("ul", "ol"):
            return self.toc(element) if "toc" in element.classes else self.list(element)
        if tag == "table":
            return self.table(element, section)
        if tag == "figure":
            return "\n".join(self.image(img) for img in _walk(element) if img.tag == "img")
        if tag == "img":
            return self.image(element)
        return self.paragraph(element)

    def section(self, element: Element) -> str:
        ident = element.attrs.get("id", "")
        inner = self.blocks(element.children, element)
        if ident in MAP_SECTIONS:
            top, right, bottom, left = (f"{m:g}mm" for m in MAP_MARGINS_MM)
            return f"#page(margin: (top: {top}, right: {right}, bottom: {bottom}, left: {left}))[\n{inner}\n]"
        if "liggend" in element.classes:
            return f"#page(flipped: true, margin: (top: 10mm, right: 14mm, bottom: 13mm, left: 14mm))[\n{inner}\n]"
        if ident == SUMMARY:  # page 1 a little smaller (the HTML's #samenvatting), no page break before it
            return f"#[#set text(size: 8.3pt)\n{inner}\n]"
        return "#pagebreak(weak: true)\n" + inner

    def heading(self, element: Element, section: Element | None) -> str:
        level = int(element.tag[1])
        label = _label(element, section)
        markup = f"#heading(level: {level})[{self.inline(element.children)}]" + (f" <{label}>" if label else "")
        if section is not None and section.attrs.get("id") in MAP_SECTIONS:
            # the map carries its title: the heading is set in 1 pt white (as the HTML hides it), so that it is
            # still a heading to a screen reader (tagged H2) and a bookmark, and takes no room on the map's page
            return f"#[#show heading: it => place(text(size: 1pt, fill: white, it.body)); {markup}]"
        return markup

    def paragraph(self, element: Element) -> str:
        above, below = BLOCK_SPACING["p"]
        body = self.inline(element.children).strip()
        if not body:
            return ""
        settings = ", ".join(TEXT_STYLE[c] for c in sorted(element.classes) if c in TEXT_STYLE)
        if settings:
            body = f"#text({settings})[{body}]"
        if "sub" in element.classes:
            below = "3mm"
        if "attention" in element.classes:
            return (f'#block(above: {above}, below: {below}, stroke: (left: 2.2pt + rgb("#b2182b")), '
                    f"inset: (left: 3mm, y: 0.5mm))[{body}]")
        if "demo" in element.classes:
            return (f'#block(above: 2mm, below: 2mm, width: 100%, stroke: 1.5pt + rgb("#b00000"), '
                    f'inset: (x: 3mm, y: 2mm))[#text(fill: rgb("#b00000"), weight: "bold")[{body}]]')
        return f"#block(above: {above}, below: {below})[{body}]"

    def list(self, element: Element) -> str:
        items = ", ".join(f"[{self.inline(li.children).strip()}]" for li in element.elements("li"))
        above, below = BLOCK_SPACING["ul"]
        kind = "enum" if element.tag == "ol" else "list"
        return f"#block(above: {above}, below: {below})[#{kind}({items})]"

    def toc(self, element: Element) -> str:
        """The table of contents: each entry a link with a dotted leader and the page it points to."""
        rows = []
        for li in element.elements("li"):
            link = li.find("a")
            target = (link.attrs.get("href", "") if link is not None else "").lstrip("#")
            text = self.inline((link or li).children).strip()
            if target in self.labels:
                rows.append(f"#block(below: 2mm)[#link(<{target}>)[{text} #box(width: 1fr, repeat[.]) "
                            f"#context counter(page).at(<{target}>).first()]]")
            else:
                rows.append(f"#block(below: 2mm)[{text}]")
        return "#text(size: 10pt)[\n" + "\n".join(rows) + "\n]"

    def image(self, element: Element) -> str:
        """A figure of the image: its source a key of the given images (PNG), or a PNG or JPEG data URI."""
        source = element.attrs.get("src", "")
        match = re.match(r"data:image/(png|jpeg);base64,(.*)", source, flags=re.S)
        if source in self.given:
            name, data = f"afbeelding-{len(self.images) + 1}.png", self.given[source]
            self.sources[source] = name
        elif match:
            name = f"afbeelding-{len(self.images) + 1}.{'png' if match.group(1) == 'png' else 'jpg'}"
            data = base64.b64decode(match.group(2))
        else:
            return ""
        self.images[name] = data
        alt = string(element.attrs.get("alt", ""))[1:]
        return f'#figure(image("{name}", width: 100%, alt: {alt}))'

    # --- tables -------------------------------------------------------------------------------
    def table(self, element: Element, section: Element | None = None) -> str:
        rows = [tr for part in [element, *element.elements()] if part.tag in ("table", "thead", "tbody", "tfoot")
                for tr in part.elements("tr")]
        header = [tr for tr in (element.find("thead") or Element("thead")).elements("tr")]
        body = [tr for tr in rows if tr not in header]
        schema = "schema" in element.classes
        landscape = section is not None and "liggend" in section.classes
        summary = section is not None and section.attrs.get("id") == SUMMARY
        columns = self.columns(element, rows, schema, landscape, summary)
        cells = []
        if header:
            cells.append("table.header(" + ", ".join(self.cell(c, tr, schema) for tr in header for c in tr.elements()) + ")")
        cells += [self.cell(c, tr, schema) for tr in body for c in tr.elements() if c.tag in ("td", "th")]
        options = f"columns: {columns}"
        if schema:
            options += ", gutter: 1.5mm, stroke: none, inset: 1.2mm, align: center + top"
        size = self.table_size(element, summary)
        table = f"#table({options},\n  " + ",\n  ".join(cells) + ")"
        caption = element.find("caption")
        if caption is not None:  # the caption for screen readers: tagged, printed as a 1 pt white line
            label = string(caption.text())
            table = (f"#figure(kind: table, supplement: none, numbering: none, gap: 0pt, "
                     f"caption: figure.caption(position: top)[#text(size: 1pt, fill: white)[{label}]])[\n{table}\n]")
        else:
            above, below = BLOCK_SPACING["table"]
            table = f"#block(above: {above}, below: {below})[{table}]"
        return f"#[#set text(size: {size}); #set par(leading: 0.35em)\n{table}\n]"

    def columns(self, element: Element, rows: list[Element], schema: bool, landscape: bool, summary: bool) -> str:
        """Column widths as a browser's automatic table layout sets them (CSS 2.1, 17.5.2.2), for a table of
        ``width: 100%``. Each column's minimum is its widest word, its maximum its widest line (a number or a
        ``nowrap`` data cell never wraps), measured in the font's advance widths (bold for header cells and
        bold rows) plus the cell padding. A column with ``<col style="width: N%">`` (or a header cell's
        ``width: N%``) gets N% of the width, or its minimum if that is more; the others share what is left:
        each its maximum when the maxima fit (then all widened in proportion to fill the width), else its
        minimum plus a share of the rest in proportion to (maximum - minimum). When the minima do not fit
        beside the given percentages, the given columns give up width down to their own minimum first.
        The index diagram's columns are equal (its layout is fixed)."""
        count = max((sum(int(c.attrs.get("colspan", 1)) for c in tr.elements() if c.tag in ("td", "th")) for tr in rows),
                    default=1)
        if schema:
            return "(" + ", ".join(["1fr"] * count) + ",)"
        given: list[float | None] = [None] * count
        colgroup = element.find("colgroup")
        cols = colgroup.elements("col") if colgroup is not None else []
        header = element.find("thead")
        heads = header.elements("tr")[0].elements() if header is not None and header.elements("tr") else []
        for index, source in enumerate(cols or heads):
            width = re.search(r"width:\s*([\d.]+)%", source.attrs.get("style", ""))
            if width and index < count:
                given[index] = float(width.group(1))
        em = float(self.table_size(element, summary).rstrip("pt")) * MM_PER_PT  # 1 em in mm
        low, high = [CELL_PADDING_MM] * count, [CELL_PADDING_MM] * count
        for tr in rows:
            column = 0
            for cell in (c for c in tr.elements() if c.tag in ("td", "th")):
                span = int(cell.attrs.get("colspan", 1))
                if span == 1 and column < count:
                    bold = cell.tag == "th" or "gebied" in tr.classes or cell.find("strong") is not None
                    code = cell.find("code") is not None

                    def width(text: str) -> float:  # mm; code is set in DejaVu Sans Mono at CODE_SIZE
                        sans = text_width(re.sub(BREAKS, "", text), bold) * em
                        return max(sans, len(re.sub(BREAKS, "", text)) * MONO_ADVANCE * CODE_SIZE * MM_PER_PT) if code else sans

                    lines = [line for line in _lines(cell) if line]
                    longest = max((width(line) for line in lines), default=0) + CELL_PADDING_MM
                    words = [part + ("-" if hyphen else "") for line in lines for w in SPACE.split(line) if w
                             for part, hyphen in _pieces(w)]
                    keep = cell.tag == "td" and {"num", "nowrap"} & cell.classes
                    word = longest if keep else max((width(w) for w in words), default=0) + CELL_PADDING_MM
                    low[column], high[column] = max(low[column], word), max(high[column], longest)
                column += span
        total = PAGE_WIDTH_MM["landscape" if landscape else "portrait"]
        widths = [max(p * total / 100, low[i]) if p is not None else 0.0 for i, p in enumerate(given)]
        free = [i for i in range(count) if given[i] is None]
        left = total - sum(widths)
        low_sum, high_sum = sum(low[i] for i in free), sum(high[i] for i in free)
        for i in free:
            if high_sum <= left:
                widths[i] = high[i] * left / high_sum
            elif left > low_sum:
                widths[i] = low[i] + (high[i] - low[i]) * (left - low_sum) / (high_sum - low_sum)
            else:
                widths[i] = low[i]
        excess = sum(widths) - total
        slack = {i: widths[i] - low[i] for i in range(count) if given[i] is not None and widths[i] > low[i]}
        if excess > 0 and slack:
            share = min(1.0, excess / sum(slack.values()))
            for i, room in slack.items():
                widths[i] -= room * share
        return "(" + ", ".join(f"{w:.2f}fr" for w in widths) + ",)"

    @staticmethod
    def table_size(element: Element, summary: bool) -> str:
        """The font size of a table's text (the HTML's style sheet: on page 1 7.5 pt, else compact 7.3 pt,
        small 7.5 pt, other tables 8 pt)."""
        if summary:
            return TABLE_FONT["summary"]
        return TABLE_FONT[next((c for c in ("small", "compact") if c in element.classes), "default")]

    def cell(self, cell: Element, row: Element, schema: bool) -> str:
        body = self.inline(cell.children).strip()
        options = []
        if int(cell.attrs.get("colspan", 1)) > 1:
            options.append(f"colspan: {int(cell.attrs['colspan'])}")
        classes = cell.classes
        if "num" in classes:
            options.append("align: right + top")
        if schema:
            options += [SCHEMA_CELLS[c] for c in sorted(classes) if c in SCHEMA_CELLS]
            if {"index", "domein"} & classes:
                body = f"#strong[{body}]"
        elif cell.tag == "th":
            options.append('fill: rgb("#f2f2f2")')
            body = f"#strong[{body}]"
        if "gebied" in row.classes:
            body = f"#strong[{body}]"
        if "small" in classes:
            body = f"#text({TEXT_STYLE['small']})[{body}]"
        cell_body = f"[{body}]"
        return f"table.cell({', '.join(options)})[{body}]" if options else cell_body

    # --- inline -------------------------------------------------------------------------------
    def inline(self, children: list) -> str:
        out = []
        for child in children:
            if isinstance(child, str):
                text = SPACE.sub(" ", child)
                if text:
                    out.append(string(text))
                continue
            tag, inner = child.tag, (lambda c=child: self.inline(c.children))
            if tag == "br":
                out.append("#linebreak()")
            elif tag == "wbr":
                out.append('#"\u200b"')
            elif tag in ("strong", "b"):
                out.append(f"#strong[{inner()}]")
            elif tag in ("em", "i"):
                out.append(f"#emph[{inner()}]")
            elif tag == "code":
                out.append(f'#text(font: "{MONO}", size: {CODE_SIZE}pt)[{inner()}]')
            elif tag == "a":
                out.append(self.link(child, inner()))
            elif tag == "span" and "small" in child.classes:
                out.append(f"#text({TEXT_STYLE['small']})[{inner()}]")
            elif tag in ("p", "div", "ul", "ol", "table"):  # a block inside a cell or item
                out.append(self.block(child, None))
            else:
                out.append(inner())
        return "".join(out)

    def link(self, element: Element, body: str) -> str:
        href = element.attrs.get("href", "")
        if href.startswith("#"):
            return f"#link(<{href[1:]}>)[{body}]" if href[1:] in self.labels else body
        if href:
            return f"#link({string(href)[1:]})[{body}]"
        return body


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """DejaVu Sans's advance width of each character, in em, and the widest (for a character it lacks): from
    ``advances.json``, the fonts' widths as ``scripts/build_advances.py`` reads them (a test checks the file
    against the fonts of :func:`font_folder`), so that the fonts are not parsed on every run."""
    table = json.loads((Path(__file__).parent / "advances.json").read_text(encoding="utf-8"))
    units = table["units_per_em"]
    advances = {first + offset: width / units for first, widths in table["bold" if bold else "regular"]
                for offset, width in enumerate(widths)}
    return advances, max(advances.values())


def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` set in DejaVu Sans (bold or regular), in em (kerning left out)."""
    advances, widest = _advances(bold)
    return sum(advances.get(ord(c), widest) for c in text)


def _headings(root: Element, section: Element | None = None):
    """Every heading (h1-h4) with the section or nav it is in (None outside one)."""
    for child in root.children:
        if isinstance(child, Element):
            if child.tag in ("h1", "h2", "h3", "h4"):
                yield child, section
            yield from _headings(child, child if child.tag in ("section", "nav") else section)


def _label(heading: Element, section: Element | None) -> str | None:
    """The Typst label of a heading, which links and the contents point to: the section's id for the first
    heading of a section (the HTML's links point to sections), else the heading's own id, if any."""
    if section is not None and "id" in section.attrs and section.elements() and section.elements()[0] is heading:
        return section.attrs["id"]
    return heading.attrs.get("id")


def _pieces(word: str) -> list[tuple[str, bool]]:
    """The parts of ``word`` a line may break between: at a soft hyphen (the part before it then ends
    with a hyphen: True) and at a zero-width space (``<wbr>``)."""
    return [(piece, hyphen) for part in word.split("\u200b")
            for pieces in [part.split("\xad")]
            for piece, hyphen in zip(pieces, [True] * (len(pieces) - 1) + [False])]


def _lines(cell: Element) -> list[str]:
    """The lines of a cell's text as the HTML breaks them (at ``<br>``), whitespace collapsed."""
    lines, current = [], []

    def visit(node):
        for child in node.children:
            if isinstance(child, str):
                current.append(child)
            elif child.tag == "br":
                lines.append(SPACE.sub(" ", "".join(current)).strip(" "))
                current.clear()
            elif child.tag == "wbr":
                current.append("\u200b")
            else:
                visit(child)

    visit(cell)
    lines.append(SPACE.sub(" ", "".join(current)).strip(" "))
    return lines


def _walk(element: Element):
    """Every element under ``element`` (depth first), itself first."""
    yield element
    for child in element.children:
        if isinstance(child, Element):
            yield from _walk(child)


def typst_markup(html: str, images: dict[str, bytes] | None = None) -> Typeset:
    """The report's HTML as Typst markup and the images it names (see the module's docstring); ``images``:
    PNG bytes by the ``src`` an image has in the HTML (the report's marks, :class:`aandacht.present.report.ReportHtml`),
    else the images are read from their data URIs."""
    writer = _Writer(parse(html), images or {})
    markup = writer.document()
    covered = _advances(False)[0]
    missing = sorted(c for c in set(markup) if ord(c) > 0x7E and ord(c) not in covered and not re.match(BREAKS, c))
    if missing:
        where = html.find(missing[0])
        context = " ".join(re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", html[max(0, where - 60):where + 30]).split())
        characters = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:5])
        raise AandachtError(f"the report's PDF cannot show {characters} in '{context}': its font, DejaVu Sans, has no "
                            "glyph for it; change the name in the file it comes from, or write the report without --pdf")
    return Typeset(markup, writer.images, writer.sources)


def font_folder() -> Path:
    """matplotlib's font folder (DejaVu Sans, the maps' font), found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


class PdfLayout:
    """The report's PDF (PDF/UA-1), laid out by Typst with only the fonts of :func:`font_folder` and
    Typst's own (so the PDF is the same on every machine). ``images``: as for :func:`typst_markup`;
    ``coming``: the sources of maps still being drawn (by another process, :func:`aandacht.present.drawing.draw_all`).

    With maps coming, the document is compiled once now, with a blank one-pixel image in place of
    each, and :meth:`pdf` compiles it again with the maps. Typst compiles incrementally (its layout is
    memoised on what each step read, ``comemo``), so the second compile redoes only what the images
    change: their pages and the PDF's image streams (Leeuwarden's 21 pages: about 0.2 s instead of
    0.6 s once the maps are there). The PDF is the one a single compile with the maps gives."""

    def __init__(self, html: str, images: dict[str, bytes] | None = None, coming: Iterable[str] = ()):
        import typst

        coming = list(coming)
        typeset = typst_markup(html, (images or {}) | dict.fromkeys(coming, BLANK_PNG))
        self._names = {source: typeset.sources[source] for source in coming if source in typeset.sources}
        self._folder = tempfile.TemporaryDirectory(prefix="aandacht-pdf-")
        root = Path(self._folder.name)
        (root / "rapport.typ").write_text(typeset.markup, encoding="utf-8")
        for name, data in typeset.images.items():
            (root / name).write_bytes(data)
        self._compiler = typst.Compiler(str(root / "rapport.typ"), root=str(root), font_paths=[str(font_folder())],
                                        ignore_system_fonts=True)
        if self._names:
            self._compile()

    def _compile(self) -> bytes:
        return self._compiler.compile(pdf_standards=[PDF_STANDARD])

    def pdf(self, coming: dict[str, bytes] | None = None) -> bytes:
        """The PDF, with the PNG bytes of the maps that were coming (by source; each must be given); called once:
        the layout's temporary folder is removed after it."""
        coming = coming or {}
        missing = sorted(set(self._names) - set(coming))
        if missing:
            raise ValueError(f"maps not given to the PDF: {', '.join(missing)}")
        root = Path(self._folder.name)
        for source, name in self._names.items():
            (root / name).write_bytes(coming[source])
        try:
            return self._compile()
        finally:
            self._folder.cleanup()


def pdf_bytes(html: str, images: dict[str, bytes] | None = None) -> bytes:
    """The report as a tagged PDF (:class:`PdfLayout`, every image given)."""
    return PdfLayout(html, images).pdf()


def write_pdf(html: str, path: Path, images: dict[str, bytes] | None = None) -> None:
    """Write the report's PDF (:func:`pdf_bytes`) to ``path``."""
    Path(path).write_bytes(pdf_bytes(html, images))
