"""The report as an editable Word document (.docx), made from the rendered HTML.

The HTML is the one source of the report's text: this module only carries it over into Word's own structures,
so the two never tell different stories. Headings become Word headings (navigable, in the TOC), tables real
tables (header row repeated on each page, numbers right-aligned), charts their PNG with the caption and the text
alternative; links become plain text. Same HTML and charts give the same bytes (fixed dates inside and in the
zip entries).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence

from monitor_aoj.report.html_table import (
    WHITE_SPACE,
    Element,
    cell_grid,
    is_number,
    numeric_columns,
    span_of,
    table_rows,
    text_of,
)
from monitor_aoj.report.word_document import (
    field,
    new_document,
    package,
    remove_paragraph,
    repeat_as_header,
    update_fields_on_open,
)

if TYPE_CHECKING:  # python-docx is imported when a document is made
    from docx.document import Document
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    Container = Document | _Cell  # where blocks go: the document, or a table cell

IMAGE_WIDTH_CM = 16.0  # A4 text width with 2 cm margins is 17 cm
# The sections that start a new page when the report is printed (rapport.css): the same in Word.
PAGE_STARTS = frozenset({"samenvatting", "bijlage", "verantwoording"})
TOC_LEVELS = "1-2"  # chapters and themes (h2, h3); the appendix's statements (h4) would fill pages
TOC_NOTE = ("Inhoudsopgave: Word vult die in bij het openen (kies 'Ja' als Word vraagt om velden bij te werken). "
            "Gebeurt dat niet, klik dan met de rechtermuisknop hier en kies 'Veld bijwerken'.")
SKIPPED = {"script", "style", "template", "noscript", "svg", "img", "button", "input", "select", "meta", "link"}
INLINE = {"a", "abbr", "b", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
          "span", "strong", "sub", "sup", "time", "u", "var", "br", "bdi", "bdo", "wbr"}


class Chart(Protocol):
    """What this module needs of monitor_aoj.report.chart_drawing.Chart (read only: a Chart is frozen)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def alt(self) -> str: ...
    @property
    def png(self) -> bytes: ...


def render_docx(html: str, charts: Sequence[Chart], report_date: dt.date | None = None) -> bytes:
    """The report as an editable Word document.

    Args:
        html: the rendered report (html.render); its <main> is carried over, else its <body>. The heading h1
            becomes Title, h2-h6 Heading 1-4, lists List Bullet / List Number, the <nav class="inhoud"> a Word TOC
            field, tables Word tables (header rows repeated, numbers right-aligned).
        charts: the charts whose `<figure class="grafiek" id=…>` appear in html, as html.render returns them:
            each PNG placed IMAGE_WIDTH_CM wide with its `alt` as the image's description.
        report_date: the date in the document's properties (2000-01-01 without it).

    Returns:
        The .docx file as bytes, A4 with 2 cm margins, in Dutch. The same html, charts and date give the same
        bytes (fixed dates inside and in the zip entries).

    Raises:
        ValueError: html has no <main> and no <body>.
    """
    import lxml.html

    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True, remove_comments=True))
    body = root.find(".//main")
    if body is None:
        body = root.find("body")
    if body is None:
        raise ValueError("Het HTML-rapport heeft geen <body>; er is geen Word-document van te maken.")

    title = (root.findtext(".//title") or "").strip() or text_of(body.find(".//h1"))
    document = new_document(title, report_date)
    writer = _Writer(document, {c.id: c for c in charts})
    writer.blocks(body, document)
    return package(document)


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


class _Writer:
    """Walks the HTML tree and adds paragraphs, tables and pictures to a container (the document or a cell)."""

    def __init__(self, document: Document, charts: dict[str, Chart]):
        self.document = document
        self.charts = charts
        # Style objects, not names: python-docx looks a name up by scanning every style, for each paragraph.
        self.styles = {s.name: s for s in document.styles}

    # blocks

    def blocks(self, element: Element, container: Container, list_level: int = 0) -> None:
        """Each block child of `element` in order; loose text and inline children between them become paragraphs."""
        pending: list = []  # text and inline elements waiting for a paragraph
        if element.text and element.text.strip():
            pending.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                pass  # a comment or processing instruction
            elif child.tag in INLINE:
                pending.append(child)
            else:
                self._flush(pending, container)
                pending = []
                self.block(child, container, list_level)
            if child.tail and child.tail.strip():
                pending.append(child.tail)
            elif child.tail and pending:
                pending.append(" ")
        self._flush(pending, container)

    def _flush(self, pending: list, container: Container) -> None:
        if any(isinstance(p, str) and p.strip() or not isinstance(p, str) for p in pending):
            paragraph = container.add_paragraph()
            _Inline(paragraph).add_all(pending)
            if not paragraph.text.strip():
                remove_paragraph(paragraph)

    def block(self, el: Element, container: Container, list_level: int = 0) -> None:
        tag = el.tag
        if tag in SKIPPED:
            return
        if el.get("id") in PAGE_STARTS:
            from docx.enum.text import WD_BREAK

            container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if tag == "h1":  # the report's title: Word's Title, so the chapters (h2) are Heading 1 in the TOC
            self.paragraph(el, container, "Title")
        elif tag in ("h2", "h3", "h4", "h5", "h6"):
            self.paragraph(el, container, f"Heading {min(int(tag[1]) - 1, 4)}")
        elif tag == "nav" and "inhoud" in _classes(el):
            self.table_of_contents(el, container)
        elif tag == "p":
            style = "Quote" if "stelling" in _classes(el) else None
            self.paragraph(el, container, style)
        elif tag in ("ul", "ol"):
            self.list(el, container, tag, list_level + 1)
        elif tag == "table":
            self.table(el, container)
        elif tag == "figure":
            self.figure(el, container)
        elif tag in ("figcaption", "caption"):
            self.paragraph(el, container, "Caption")
        elif tag == "blockquote":
            self.paragraph(el, container, "Quote")
        elif tag == "pre":
            self.paragraph(el, container, None)
        elif tag == "hr":
            return
        else:  # section, div, header, footer, article, aside, details, dl, li outside a list, ...
            self.blocks(el, container, list_level)

    def add(self, container: Container, style: str | None = None, text: str = "") -> Paragraph:
        """A new paragraph; its style set by id (python-docx's own setter scans all styles, per paragraph)."""
        paragraph = container.add_paragraph(text)
        if style in self.styles:
            paragraph._p.style = self.styles[style].style_id
        return paragraph

    def paragraph(self, el: Element, container: Container, style: str | None) -> Paragraph:
        paragraph = self.add(container, style)
        _Inline(paragraph).add_all(_content(el))
        return paragraph

    def list(self, el: Element, container: Container, tag: str, level: int) -> None:
        kind = "List Number" if tag == "ol" else "List Bullet"
        style = kind if level == 1 else f"{kind} {min(level, 3)}"
        for item in el:
            if not isinstance(item.tag, str) or item.tag in SKIPPED:
                continue
            if item.tag != "li":
                self.block(item, container, level)
                continue
            inline: list = []  # the item's own line
            nested: list = []  # then what follows a nested block (lists, paragraphs)
            for part in _content(item):
                if isinstance(part, str) or part.tag in INLINE:
                    (nested if nested else inline).append(part)
                elif isinstance(part.tag, str):
                    nested.append(part)
            paragraph = self.add(container, style)
            _Inline(paragraph).add_all(inline)
            for child in nested:
                if isinstance(child, str):
                    if child.strip():
                        _Inline(container.add_paragraph()).add_all([child])
                elif child.tag in ("ul", "ol"):
                    self.list(child, container, child.tag, level + 1)
                elif child.tag == "p" and not paragraph.text.strip():
                    _Inline(paragraph).add_all(_content(child))
                elif child.tag in INLINE:
                    _Inline(container.add_paragraph()).add_all([child])
                else:
                    self.block(child, container, level)

    def table_of_contents(self, el: Element, container: Container) -> None:
        heading = el.find(".//h1") if el.find(".//h2") is None else el.find(".//h2")
        if heading is not None:
            self.paragraph(heading, container, "TOC Heading")
        paragraph = container.add_paragraph()
        field(paragraph, f'TOC \\o "{TOC_LEVELS}" \\h \\z \\u', TOC_NOTE)
        update_fields_on_open(self.document)

    def figure(self, el: Element, container: Container) -> None:
        chart = self.charts.get(el.get("id") or "") if "grafiek" in _classes(el) else None
        if chart is None:  # no chart image for it: keep its caption and any text, drop what only a browser draws
            self.blocks(el, container)
            return
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        paragraph = container.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        picture = paragraph.add_run().add_picture(io.BytesIO(chart.png), width=Cm(IMAGE_WIDTH_CM))
        doc_pr = picture._inline.docPr
        doc_pr.set("name", chart.id)
        doc_pr.set("descr", chart.alt)  # the text alternative, read out by screen readers
        caption = el.find("figcaption")
        if caption is not None and text_of(caption):
            self.paragraph(caption, container, "Caption")
        else:
            self.add(container, "Caption", chart.title)

    def table(self, el: Element, container: Container) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT

        caption = el.find("caption")
        if caption is not None and text_of(caption):
            self.paragraph(caption, container, "Caption").paragraph_format.keep_with_next = True
        rows, header_rows = table_rows(el)
        grid = cell_grid(rows)
        if not grid:
            return
        width = max(len(r) for r in grid)
        table = container.add_table(rows=len(grid), cols=width)
        if "Table Grid" in self.styles:
            table.style = self.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        numeric = numeric_columns(grid, header_rows)
        done: set[int] = set()
        slots = table._cells  # every slot, row by row: table.cell() would rebuild this list on each call
        for r, row in enumerate(grid):
            if r < header_rows:
                repeat_as_header(table.rows[r])
            for c in range(width):
                cell_el = row[c] if c < len(row) else None
                if cell_el is None or id(cell_el) in done:
                    continue
                done.add(id(cell_el))
                span = span_of(grid, r, c, cell_el)
                cell = slots[r * width + c]
                if span != (r, c):
                    cell = cell.merge(table.cell(*span))
                    slots = table._cells
                self.cell(cell_el, cell, bold=cell_el.tag == "th",
                          right=c > 0 and (c in numeric if r < header_rows else is_number(cell_el)))

    def cell(self, el: Element, cell: _Cell, bold: bool, right: bool) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        first = cell.paragraphs[0]
        blocks = [child for child in el if isinstance(child.tag, str) and child.tag not in INLINE
                  and child.tag not in SKIPPED]
        if blocks:
            self.blocks(el, cell)
            if not first.text and len(cell.paragraphs) > 1:
                remove_paragraph(first)
        else:
            _Inline(first, bold=bold).add_all(_content(el))
        for paragraph in cell.paragraphs:
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if bold:
                for run in paragraph.runs:
                    run.bold = True


def _content(el: Element) -> list:
    """An element's text and children, as the inline writer takes them."""
    parts: list = [el.text] if el.text else []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    return parts


class _Inline:
    """Adds inline HTML to one Word paragraph as runs, with HTML's white-space collapsing."""

    def __init__(self, paragraph: Paragraph, bold: bool = False):
        self.paragraph = paragraph
        self.space_before = True  # at the start of a paragraph, leading white space is dropped
        self.bold = bold

    def add_all(self, parts: Iterable, fmt: dict | None = None) -> None:
        for part in parts:
            if isinstance(part, str):
                self.text(part, fmt or {})
            elif isinstance(part.tag, str):
                self.element(part, fmt or {})
            elif part.tail:
                self.text(part.tail, fmt or {})  # a comment's tail
        self._trim_end()

    def element(self, el: Element, fmt: dict) -> None:
        tag = el.tag
        if tag in SKIPPED:
            return
        if tag == "br":
            self.paragraph.add_run().add_break()
            self.space_before = True
            return
        fmt = dict(fmt)
        if tag in ("strong", "b"):
            fmt["bold"] = True
        elif tag in ("em", "i", "cite", "dfn", "var"):
            fmt["italic"] = True
        elif tag == "sub":
            fmt["subscript"] = True
        elif tag == "sup":
            fmt["superscript"] = True
        elif tag == "u":
            fmt["underline"] = True
        if tag == "q":
            self.text("“", fmt)
        if el.text:
            self.text(el.text, fmt)
        for child in el:
            if isinstance(child.tag, str):
                if child.tag in INLINE:
                    self.element(child, fmt)
                else:  # a block inside inline content: its text, on the same line
                    self.text(" " + child.text_content() + " ", fmt)
            if child.tail:
                self.text(child.tail, fmt)
        if tag == "q":
            self.text("”", fmt)

    def text(self, text: str, fmt: dict) -> None:
        text = WHITE_SPACE.sub(" ", text)
        if self.space_before:
            text = text.lstrip(" ")
        if not text:
            return
        self.space_before = text.endswith(" ")
        run = self.paragraph.add_run(text)
        if self.bold or fmt.get("bold"):
            run.bold = True
        if fmt.get("italic"):
            run.italic = True
        if fmt.get("underline"):
            run.underline = True
        if fmt.get("subscript"):
            run.font.subscript = True
        if fmt.get("superscript"):
            run.font.superscript = True

    def _trim_end(self) -> None:
        runs = self.paragraph.runs
        if runs and runs[-1].text.endswith(" "):
            runs[-1].text = runs[-1].text.rstrip(" ")

