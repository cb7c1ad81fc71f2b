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
import re
import zipfile
from typing import Iterable, Protocol, Sequence

AUTHOR = "monitor_aoj"
LANGUAGE = "nl-NL"
IMAGE_WIDTH_CM = 16.0  # A4 text width with 2 cm margins is 17 cm
PAGE_CM = (21.0, 29.7)  # A4
MARGIN_CM = 2.0
# The sections that start a new page when the report is printed (rapport.css): the same in Word.
PAGE_STARTS = frozenset({"samenvatting", "bijlage", "verantwoording"})
TOC_LEVELS = "1-2"  # chapters and themes (h2, h3); the appendix's statements (h4) would fill pages
TOC_NOTE = ("Inhoudsopgave: Word vult die in bij het openen (kies 'Ja' als Word vraagt om velden bij te werken). "
            "Gebeurt dat niet, klik dan met de rechtermuisknop hier en kies 'Veld bijwerken'.")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can say: a fixed time, so same input, same bytes
SKIPPED = {"script", "style", "template", "noscript", "svg", "img", "button", "input", "select", "meta", "link"}
INLINE = {"a", "abbr", "b", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
          "span", "strong", "sub", "sup", "time", "u", "var", "br", "bdi", "bdo", "wbr"}
# A cell is a number when nothing but digits, signs, units and "n =" is in it (e.g. "28% (7) 14–48%", "6,8", "–").
_NUMBER_CELL = re.compile(r"^[\d\s.,%‰()\[\]+\-–—−±=<>≤≥/n]*$")
_SPACE = re.compile(r"\s+")


class Chart(Protocol):
    """What this module needs of monitor_aoj.report.charts.Chart."""

    id: str
    title: str
    alt: str
    png: bytes


def render_docx(html: str, charts: Sequence[Chart], report_date: dt.date | None = None) -> bytes:
    """The report as .docx bytes.

    html: the rendered report (its <main>, else its <body>); charts: the charts whose `<figure class="grafiek"
    id=…>` appear in it (PNG placed 16 cm wide, `alt` as the image's description). report_date: the date in the
    document's properties (fixed 2000-01-01 without it). Headings h1-h4 -> Heading 1-4, lists -> List Bullet /
    List Number, the <nav class="inhoud"> -> a Word TOC field. Raises ValueError on HTML without a body."""
    import docx
    import lxml.html
    from docx.shared import Cm

    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True, remove_comments=True))
    body = root.find(".//main")
    if body is None:
        body = root.find("body")
    if body is None:
        raise ValueError("Het HTML-rapport heeft geen <body>; er is geen Word-document van te maken.")

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _page_number_footer(section)
    _dutch(document)
    title = (root.findtext(".//title") or "").strip() or _text(body.find(".//h1"))
    _properties(document, title, report_date)

    writer = _Writer(document, {c.id: c for c in charts})
    writer.blocks(body, document)
    return _fixed_zip(_save(document))


# --- the document: properties, language, footer --------------------------------------------------------------

def _properties(document, title: str, report_date: dt.date | None) -> None:
    when = dt.datetime.combine(report_date or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = props.modified = props.last_printed = when
    props.revision = 1


def _dutch(document) -> None:
    """Spelling and hyphenation in Dutch: the language of the default run properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (begin, instruction, separate, shown result, end) at the end of `paragraph`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str, dirty: bool = False):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if dirty:
            element.set(qn("w:dirty"), "true")  # Word recomputes the field when it opens the file
        run._r.append(element)

    char("begin", dirty=True)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _update_fields_on_open(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    # Word checks the order of the settings (CT_Settings is a sequence): before the first that must follow it.
    later = next((child for child in settings if _local(child.tag) in _AFTER_UPDATE_FIELDS), None)
    if later is None:
        settings.append(element)
    else:
        later.addprevious(element)


# The elements of w:settings that come after w:updateFields in the schema's sequence.
_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator", "docId", "chartTrackingRefBased", "defaultImageDpi", "discardImageEditingData",
    "conflictMode"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated ZIP_TIME (python-docx stamps them with the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


# --- HTML -> Word ----------------------------------------------------------------------------------------------

def _text(element) -> str:
    return "" if element is None else _SPACE.sub(" ", element.text_content()).strip()


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


class _Writer:
    """Walks the HTML tree and adds paragraphs, tables and pictures to a container (the document or a cell)."""

    def __init__(self, document, charts: dict[str, Chart]):
        self.document = document
        self.charts = charts
        # Style objects, not names: python-docx looks a name up by scanning every style, for each paragraph.
        self.styles = {s.name: s for s in document.styles}

    # blocks

    def blocks(self, element, container, list_level: int = 0) -> None:
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

    def _flush(self, pending: list, container) -> None:
        if any(isinstance(p, str) and p.strip() or not isinstance(p, str) for p in pending):
            paragraph = container.add_paragraph()
            _Inline(paragraph).add_all(pending)
            if not paragraph.text.strip():
                _remove(paragraph)

    def block(self, el, container, list_level: int = 0) -> None:
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

    def add(self, container, style: str | None = None, text: str = ""):
        """A new paragraph; its style set by id (python-docx's own setter scans all styles, per paragraph)."""
        paragraph = container.add_paragraph(text)
        if style in self.styles:
            paragraph._p.style = self.styles[style].style_id
        return paragraph

    def paragraph(self, el, container, style: str | None):
        paragraph = self.add(container, style)
        _Inline(paragraph).add_all(_content(el))
        return paragraph

    def list(self, el, container, tag: str, level: int) -> None:
        kind = "List Number" if tag == "ol" else "List Bullet"
        style = kind if level == 1 else f"{kind} {min(level, 3)}"
        for item in el:
            if not isinstance(item.tag, str) or item.tag in SKIPPED:
                continue
            if item.tag != "li":
                self.block(item, container, level)
                continue
            inline, nested = [], []  # the item's own line, then what follows a nested block (lists, paragraphs)
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

    def table_of_contents(self, el, container) -> None:
        heading = el.find(".//h1") if el.find(".//h2") is None else el.find(".//h2")
        if heading is not None:
            self.paragraph(heading, container, "TOC Heading")
        paragraph = container.add_paragraph()
        _field(paragraph, f'TOC \\o "{TOC_LEVELS}" \\h \\z \\u', TOC_NOTE)
        _update_fields_on_open(self.document)

    def figure(self, el, container) -> None:
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
        if caption is not None and _text(caption):
            self.paragraph(caption, container, "Caption")
        else:
            self.add(container, "Caption", chart.title)

    def table(self, el, container) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT

        caption = el.find("caption")
        if caption is not None and _text(caption):
            self.paragraph(caption, container, "Caption").paragraph_format.keep_with_next = True
        rows, header_rows = _rows(el)
        grid = _grid(rows)
        if not grid:
            return
        width = max(len(r) for r in grid)
        table = container.add_table(rows=len(grid), cols=width)
        if "Table Grid" in self.styles:
            table.style = self.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        numeric = _numeric_columns(grid, header_rows)
        done: set[int] = set()
        slots = table._cells  # every slot, row by row: table.cell() would rebuild this list on each call
        for r, row in enumerate(grid):
            if r < header_rows:
                _repeat_as_header(table.rows[r])
            for c in range(width):
                cell_el = row[c] if c < len(row) else None
                if cell_el is None or id(cell_el) in done:
                    continue
                done.add(id(cell_el))
                span = _span_of(grid, r, c, cell_el)
                cell = slots[r * width + c]
                if span != (r, c):
                    cell = cell.merge(table.cell(*span))
                    slots = table._cells
                self.cell(cell_el, cell, bold=cell_el.tag == "th",
                          right=c > 0 and (c in numeric if r < header_rows else _is_number(cell_el)))

    def cell(self, el, cell, bold: bool, right: bool) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        first = cell.paragraphs[0]
        blocks = [child for child in el if isinstance(child.tag, str) and child.tag not in INLINE
                  and child.tag not in SKIPPED]
        if blocks:
            self.blocks(el, cell)
            if not first.text and len(cell.paragraphs) > 1:
                _remove(first)
        else:
            _Inline(first, bold=bold).add_all(_content(el))
        for paragraph in cell.paragraphs:
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if bold:
                for run in paragraph.runs:
                    run.bold = True


def _content(el) -> list:
    """An element's text and children, as the inline writer takes them."""
    parts: list = [el.text] if el.text else []
    for child in el:
        parts.append(child)
        if child.tail:
            parts.append(child.tail)
    return parts


def _remove(paragraph) -> None:
    element = paragraph._element
    element.getparent().remove(element)


class _Inline:
    """Adds inline HTML to one Word paragraph as runs, with HTML's white-space collapsing."""

    def __init__(self, paragraph, bold: bool = False):
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

    def element(self, el, fmt: dict) -> None:
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
        text = _SPACE.sub(" ", text)
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


# --- tables ------------------------------------------------------------------------------------------------------

def _rows(table) -> tuple[list, int]:
    """The table's rows in display order (thead, tbody, tfoot) and how many of them are header rows."""
    head, body, foot = [], [], []
    for child in table:
        if child.tag == "thead":
            head += [r for r in child if r.tag == "tr"]
        elif child.tag == "tfoot":
            foot += [r for r in child if r.tag == "tr"]
        elif child.tag == "tbody":
            body += [r for r in child if r.tag == "tr"]
        elif child.tag == "tr":
            body.append(child)
    return head + body + foot, len(head)


def _grid(rows) -> list[list]:
    """Rows of cells on a rectangular grid: a cell spanning columns or rows fills every slot it covers."""
    grid: list[list] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            colspan, rowspan = _int(cell.get("colspan")), _int(cell.get("rowspan"))
            for dr in range(rowspan if r + rowspan <= len(rows) else len(rows) - r):
                while len(grid) <= r + dr:
                    grid.append([])
                line = grid[r + dr]
                while len(line) < c + colspan:
                    line.append(None)
                for dc in range(colspan):
                    line[c + dc] = cell
            c += colspan
    return grid


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _span_of(grid, r: int, c: int, cell) -> tuple[int, int]:
    """The bottom-right slot that `cell` (starting at r, c) covers."""
    end_c = c
    while end_c + 1 < len(grid[r]) and grid[r][end_c + 1] is cell:
        end_c += 1
    end_r = r
    while end_r + 1 < len(grid) and c < len(grid[end_r + 1]) and grid[end_r + 1][c] is cell:
        end_r += 1
    return end_r, end_c


def _is_number(cell) -> bool:
    text = _text(cell)
    return bool(text) and _NUMBER_CELL.match(text) is not None


def _numeric_columns(grid, header_rows: int) -> set[int]:
    """Columns whose body cells are all numbers (their header is right-aligned with them)."""
    body = grid[header_rows:]
    width = max((len(r) for r in grid), default=0)
    return {c for c in range(width)
            if body and all(c < len(r) and r[c] is not None and _is_number(r[c]) for r in body)}


def _repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
