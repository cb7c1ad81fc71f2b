"""Word's own structures of the report's .docx: page and margins, Dutch as the language, document properties,
the page number in the footer, fields (TOC, PAGE) updated on opening, header rows repeated on every page, and the
package saved with fixed dates, so the same report gives the same bytes. The HTML is carried over in docx.py.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx is imported when a document is made
    from docx.document import Document
    from docx.section import Section
    from docx.table import _Row
    from docx.text.paragraph import Paragraph

AUTHOR = "monitor_aoj"
LANGUAGE = "nl-NL"
PAGE_CM = (21.0, 29.7)  # A4
MARGIN_CM = 2.0
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can say: a fixed time, so same input, same bytes


def new_document(title: str, report_date: dt.date | None) -> Document:
    """An empty A4 Word document in Dutch with a page number in its footer; report_date: the date in its
    properties (2000-01-01 without it)."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    _page_number_footer(section)
    _dutch(document)
    _properties(document, title, report_date)
    return document


def package(document: Document) -> bytes:
    """The document as .docx bytes, every zip entry dated ZIP_TIME."""
    return _fixed_zip(_save(document))


def _properties(document: Document, title: str, report_date: dt.date | None) -> None:
    when = dt.datetime.combine(report_date or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = props.modified = props.last_printed = when
    props.revision = 1


def _dutch(document: Document) -> None:
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


def _page_number_footer(section: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field(paragraph, "PAGE", "1")


def field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (begin, instruction, separate, shown result, end) at the end of `paragraph`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str, dirty: bool = False) -> None:
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


def update_fields_on_open(document: Document) -> None:
    """Word recomputes the document's fields (the TOC) when it opens the file."""
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


def _local(tag: object) -> str:  # lxml gives a comment or processing instruction a non-str tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _save(document: Document) -> bytes:
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


def remove_paragraph(paragraph: Paragraph) -> None:
    """Take paragraph out of its container (python-docx has no call for it)."""
    element = paragraph._element
    element.getparent().remove(element)


def repeat_as_header(row: _Row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
