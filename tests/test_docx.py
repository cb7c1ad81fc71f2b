"""The Word document, read back with python-docx: real headings in the report's order, the report's tables cell for
cell, the charts as pictures that decode, a table of contents field, Dutch properties, and the same bytes twice."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from monitor_aoj import pipeline, placement
from monitor_aoj.report.docx import IMAGE_WIDTH_CM, render_docx
from monitor_aoj.report.word_document import AUTHOR, LANGUAGE

from conftest import QUESTIONNAIRES, SAMPLES
from contract_chart import pillow_chart
from htmltables import tables

DATE = dt.date(2021, 5, 25)
CHARTS = [pillow_chart("grafiek-thema-1", "teal"), pillow_chart("grafiek-thema-2", "orange")]
HTML = """<!DOCTYPE html><html lang="nl"><head><title>Monitor AOJ Proefregio 2021</title>
<style>body { color: red }</style></head><body><main>
<header><h1>Onderzoeksresultaten</h1><p class="ondertitel">Regio Proef, meting 2021</p></header>
<nav class="inhoud"><h2>Inhoud</h2><ul><li><a href="#een">Een</a></li></ul></nav>
<section id="een"><h2>1. Vormen van samenwerking</h2>
<p>Tekst met <strong>nadruk</strong>, <em>cursief</em> en een <a href="#bijlage">link naar de bijlage</a>.</p>
<figure class="grafiek" id="grafiek-thema-1"><svg viewBox="0 0 1 1"><text>in svg</text></svg>
<figcaption>Alle stellingen van thema 1</figcaption></figure>
<h3>Overleg</h3><ul><li>eerste punt</li><li>tweede punt<ul><li>dieper</li></ul></li></ul>
<ol><li>stap</li></ol>
<h4>Details</h4>
<table id="t1"><caption>Antwoorden per sector</caption>
<thead><tr><th scope="col">Antwoord</th><th scope="col">Onderwijs <span class="aantal">(n = 25)</span></th>
<th scope="col">Jeugdhulp</th></tr></thead>
<tbody><tr><th scope="row">Ja</th><td>28% <span class="aantal">(7)</span><br><span class="bi">14–48%</span></td>
<td>–</td></tr>
<tr><th scope="row">Nee</th><td>72%</td><td>6,8</td></tr>
<tr><td colspan="2">samen</td><td>100%</td></tr></tbody></table>
<figure class="grafiek" id="grafiek-thema-2"><svg></svg><figcaption>Thema 2</figcaption></figure>
<figure class="grafiek" id="zonder-plaatje"><div></div><figcaption>Alleen het onderschrift</figcaption></figure>
</section>
<script>var geheim = "script hoort er niet in";</script>
<footer>Voet</footer></main></body></html>"""


@pytest.fixture(scope="module")
def document():
    import docx

    data = render_docx(HTML, CHARTS, DATE)
    return data, docx.Document(io.BytesIO(data))


def headings(doc) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs if p.style.name.startswith("Heading ")]


def test_headings_become_word_headings_in_order(document):
    _, doc = document
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["Onderzoeksresultaten"]
    assert headings(doc) == [(1, "1. Vormen van samenwerking"), (2, "Overleg"), (3, "Details")]


def test_text_keeps_bold_and_italic_and_links_become_plain_text(document):
    _, doc = document
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Tekst met"))
    assert paragraph.text == "Tekst met nadruk, cursief en een link naar de bijlage."
    assert [r.text for r in paragraph.runs if r.bold] == ["nadruk"]
    assert [r.text for r in paragraph.runs if r.italic] == ["cursief"]
    assert "hyperlink" not in paragraph._p.xml


def test_lists_use_list_styles(document):
    _, doc = document
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("List")]
    assert styled == [("List Bullet", "eerste punt"), ("List Bullet", "tweede punt"), ("List Bullet 2", "dieper"),
                      ("List Number", "stap")]


def test_tables_match_the_html_cell_for_cell_with_a_repeated_bold_header(document):
    _, doc = document
    (table,) = doc.tables
    cells = [[" ".join(c.text.split()) for c in row.cells] for row in table.rows]
    assert cells == tables(HTML)["t1"][:3] + [["samen", "samen", "100%"]]  # a merged cell reads on both slots
    header = table.rows[0]
    assert 'w:tblHeader' in header._tr.xml
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)
    right = {(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells)
             if cell.paragraphs[0].alignment is not None and cell.paragraphs[0].alignment == 2}
    assert {(1, 1), (1, 2), (2, 1), (2, 2), (3, 2)} <= right and (1, 0) not in right
    caption = doc.paragraphs[[p.text for p in doc.paragraphs].index("Antwoorden per sector")]
    assert caption.style.name == "Caption"


def test_charts_are_pictures_with_caption_and_text_alternative(document):
    from PIL import Image

    data, doc = document
    assert len(doc.inline_shapes) == 2
    for shape, expected in zip(doc.inline_shapes, CHARTS):
        assert abs(shape.width.cm - IMAGE_WIDTH_CM) < 0.01
        assert shape._inline.docPr.get("descr") == expected.alt
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        assert len(media) == 2
        for name in media:
            Image.open(io.BytesIO(package.read(name))).verify()
    texts = [p.text for p in doc.paragraphs]
    assert "Alle stellingen van thema 1" in texts and "Alleen het onderschrift" in texts
    assert "in svg" not in "\n".join(texts)


def test_contents_is_a_word_field_with_a_note(document):
    _, doc = document
    body = doc.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert any("Word vult die in bij het openen" in p.text for p in doc.paragraphs)
    assert "w:updateFields" in doc.settings.element.xml
    assert "Een" not in [p.text for p in doc.paragraphs]  # the HTML's link list is replaced by the field


def test_no_script_or_style_and_dutch_properties(document):
    _, doc = document
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "geheim" not in text and "color: red" not in text
    props = doc.core_properties
    assert (props.title, props.language, props.author) == ("Monitor AOJ Proefregio 2021", LANGUAGE, AUTHOR)
    assert props.created.date() == DATE
    assert f'w:val="{LANGUAGE}"' in doc.styles.element.xml
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_same_input_same_bytes(document):
    data, _ = document
    assert render_docx(HTML, CHARTS, DATE) == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- the sample report -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    import docx

    out = tmp_path_factory.mktemp("docx")
    result = pipeline.run(pipeline.Paths(SAMPLES, QUESTIONNAIRES, out), "lindewaard", 2021, DATE)
    (path,) = result.documents
    html = result.reports[0].read_text(encoding="utf-8")
    return html, path, docx.Document(path)


def html_headings(html: str) -> list[tuple[int, str]]:
    import lxml.html

    root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    found = []
    for el in root.iter("h2", "h3", "h4"):
        if any(a.tag == "nav" for a in el.iterancestors()):
            continue
        found.append((int(el.tag[1]) - 1, " ".join(el.text_content().split())))  # h2 is Word's Heading 1
    return found


@pytest.mark.slow
def test_sample_document_has_the_reports_headings_and_tables(sample):
    html, path, doc = sample
    assert path.name == "monitor-aoj_lindewaard_2021.docx" and path.parent == placement.report_files(
        path.parents[2], "lindewaard", 2021).html.parent
    assert [h for h in headings(doc) if h[0] <= 3] == html_headings(html)
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Onderzoeksresultaten Monitor Aansluiting Onderwijs Jeugd"]
    # Where the printed report starts a page (summary, appendix, Verantwoording), so does the Word document.
    starts = [i for i, p in enumerate(doc.paragraphs) if p.style.name == "Heading 1" and p.text in (
        "Bestuurlijke samenvatting", "Bijlage: Tabellen per vraag", "Verantwoording")]
    assert len(starts) == 3
    assert all('w:type="page"' in doc.paragraphs[i - 1]._p.xml for i in starts)
    expected = list(tables(html).values())
    found = [[[" ".join(c.text.split()) for c in row.cells] for row in t.rows] for t in doc.tables]
    assert len(found) == len(expected) > 5
    for number, (mine, theirs) in enumerate(zip(found, expected), 1):
        assert mine == theirs, f"tabel {number}"


@pytest.mark.slow
def test_sample_document_pictures_decode(sample):
    from PIL import Image

    _, path, doc = sample
    with zipfile.ZipFile(path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        for name in media:
            Image.open(io.BytesIO(package.read(name))).verify()
    assert len(media) == len({s._inline.docPr.get("name") for s in doc.inline_shapes})
