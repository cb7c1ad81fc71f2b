"""Issue 13, points 4 and 5: a workbook a coordinator can filter, sort and pivot at once.

Fast, without LibreOffice: one region's workbook and the run-wide figure table rendered in-process from the
sample exports. Every sheet has unique Dutch headers shown whole, labels beside ids, numbers as numbers with no
more decimals than sheet_writer.ROUNDING allows, an Excel Table per data sheet, one native chart, the same bytes
for the same input, and text that looks like a formula stays text.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile

import openpyxl
import pytest

from monitor_aoj.figures import schema as F
from monitor_aoj.report.all_figures import FIGURE_HEADER, render_all_figures
from monitor_aoj.report.excel import render_workbook
from monitor_aoj.report.sheet_writer import FRACTION_DECIMALS, ROUNDING, header_layout

from test_method import report_input, sample  # noqa: F401 (sample: the sample's figures, a fixture)

NUMBER_TEXT = re.compile(r"\s*[-+]?\d+(?:[.,]\d+)?\s*%?\s*")
REGION, WAVE = "beekdal-noord", 2021


@pytest.fixture(scope="module")
def data(sample, questionnaires):
    config, figs = sample
    return report_input(config, figs, questionnaires, REGION, WAVE)


@pytest.fixture(scope="module")
def rendered(data) -> bytes:
    return render_workbook(data)


@pytest.fixture(scope="module")
def book(rendered):
    return openpyxl.load_workbook(io.BytesIO(rendered))


def _data_sheets(book):
    return [ws for ws in book.worksheets if ws.title != "Toelichting"]


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def _widths(ws, count: int) -> list[float]:
    """Column widths; a <col> element may span several equal columns."""
    found = {}
    for dim in ws.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            found[i] = dim.width
    return [found[i] for i in range(1, count + 1)]


def test_headers_are_unique_dutch_and_shown_whole(book):
    for ws in _data_sheets(book):
        header = _header(ws)
        assert len(header) == len(set(header)), (ws.title, header)
        assert all(isinstance(h, str) and h for h in header), ws.title
        assert "p" not in header and "p (gecorrigeerd)" not in header, ws.title
        # Each column as wide as its header's longest word; the row as tall as the longest wrapped header.
        widths = _widths(ws, len(header))
        fitted, height = header_layout(header, [int(w) for w in widths])
        assert [int(w) for w in widths] == fitted, ws.title
        assert ws.row_dimensions[1].height >= height, ws.title
        cell = ws.cell(row=1, column=1)
        assert cell.alignment.wrap_text and cell.font.b, ws.title
    assert "p-waarde (gecorrigeerd)" in _header(book["Verschillen sectoren"])


def test_every_data_sheet_is_a_named_excel_table_with_its_own_filter(book):
    names = set()
    for ws in _data_sheets(book):
        assert len(ws.tables) == 1, ws.title
        name = next(iter(ws.tables))
        table = ws.tables[name]
        assert re.fullmatch(r"tbl_[a-z0-9_]+", name), name
        assert table.headerRowCount in (None, 1) and table.autoFilter is not None, ws.title
        assert table.tableStyleInfo.showRowStripes, ws.title
        assert table.ref.startswith("A1:"), ws.title
        assert ws.auto_filter.ref is None, ws.title  # the Table's filter, not a second one on the sheet
        assert ws.freeze_panes == "A2", ws.title
        names.add(name)
    assert "tbl_alle_cijfers" in names and "tbl_vragen" in names


def test_one_native_chart_reads_the_mark_from_the_sheet(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode("utf-8")
    assert "<c:barChart>" in xml
    assert "'Rapportcijfer'!$C$2:$C$" in xml or "Rapportcijfer!$C$2:$C$" in xml


def test_labels_stand_beside_ids(book, data):
    ws = book["Alle cijfers"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    col = {h: i for i, h in enumerate(_header(ws))}
    assert _header(ws) == FIGURE_HEADER
    q = data.questionnaire
    seen_groups = set()
    for r in rows:
        assert r[col["Regio-id"]] == REGION and r[col["Regio"]] == data.region.name
        if r[col["Vraag-id"]] and q.has_item(r[col["Vraag-id"]]):
            assert r[col["Vraag"]] == q.item(r[col["Vraag-id"]]).short
        if r[col["Thema-id"]] == "achtergrond":
            assert r[col["Thema"]] == "Achtergrond" and r[col["Vraag"]] in ("Sector", "Functie", "Schooltype")
        elif r[col["Thema-id"]]:
            theme = q.theme(r[col["Thema-id"]])
            assert r[col["Thema"]] == f"{theme.number}. {theme.title}"
        if r[col["Soort groep"]] == "functie" and r[col["Groep-id"]].startswith("functie:"):
            code = r[col["Groep-id"]].split(":")[1]
            labels = {str(c.code): c.label for c in q.background.functie.choices}
            assert r[col["Groep"]] == labels.get(code, "Niet ingevuld")
            seen_groups.add(r[col["Groep"]])
    assert len(seen_groups) > 2  # real functie names, not 'functie:11'


def test_an_item_asked_only_in_an_earlier_wave_has_its_label_too(sample, questionnaires):
    # Duinhoven asked an extra question in 2016 and 2018 that the 2021 questionnaire does not hold: its trend
    # rows in the 2021 workbook are labelled from the wave that asked it, as in the run-wide table.
    config, figs = sample
    data = report_input(config, figs, questionnaires, "duinhoven", 2021)
    ws = openpyxl.load_workbook(io.BytesIO(render_workbook(data)))["Alle cijfers"]
    col = {h: i for i, h in enumerate(_header(ws))}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    foreign = {r[col["Vraag-id"]] for r in rows
               if r[col["Vraag-id"]] and not data.questionnaire.has_item(r[col["Vraag-id"]])
               and any(q.has_item(r[col["Vraag-id"]]) for q in questionnaires.values())}
    assert foreign, "the sample should hold an item of an earlier wave only"
    assert all(r[col["Vraag"]] for r in rows if r[col["Vraag-id"]]), "a question id without its label"


def test_numbers_are_numbers_with_no_more_decimals_than_the_rule(book):
    checked = 0
    for ws in _data_sheets(book):
        numeric_columns = set()
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
        for c in cells:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                numeric_columns.add(c.column)
                decimals = ROUNDING.get(c.number_format, FRACTION_DECIMALS)
                assert math.isclose(round(c.value, decimals), c.value, abs_tol=1e-12), (ws.title, c.coordinate,
                                                                                         c.value, c.number_format)
                assert c.value == 0 or abs(c.value) >= 10 ** -decimals, (ws.title, c.coordinate, c.value)
                checked += 1
        for c in cells:
            if c.column in numeric_columns and isinstance(c.value, str):
                assert not NUMBER_TEXT.fullmatch(c.value), (ws.title, c.coordinate, c.value)
    assert checked > 2000
    alle = book["Alle cijfers"]
    col = {h: i for i, h in enumerate(_header(alle))}
    rows = list(alle.iter_rows(min_row=2, values_only=True))
    marks = [r[col["Categorie"]] for r in rows if r[col["Vraag-id"]] == "rapportcijfer"
             and r[col["Statistiek"]] == "aandeel"]
    assert marks and all(isinstance(m, int) for m in marks)  # the mark "7" is the number 7
    assert all(isinstance(r[col["Meting"]], int) for r in rows)
    trends = [r[col["Vergeleken met"]] for r in rows if r[col["Statistiek"]] == "verandering"]
    assert trends and all(isinstance(w, int) for w in trends)  # the earlier wave, a year


def test_the_same_input_gives_the_same_bytes(data, rendered):
    assert render_workbook(data) == rendered


def test_text_that_looks_like_a_formula_stays_text(data):
    figs = data.figures.copy()
    share = figs.index[figs["statistic"] == F.SHARE][0]
    figs.loc[share, "label"] = "=HYPERLINK(\"http://x\";1)"
    figs.loc[figs.index[0], "note"] = "+31 6 12345678"
    changed = type(data)(**{**data.__dict__, "figures": figs})
    raw = render_workbook(changed)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in s for s in sheets)  # no formula anywhere
    ws = openpyxl.load_workbook(io.BytesIO(raw))["Alle cijfers"]
    values = [c for row in ws.iter_rows(min_row=2) for c in row]
    found = [c for c in values if c.value == "=HYPERLINK(\"http://x\";1)"]
    assert found and all(c.data_type == "s" for c in found)
    assert any(c.value == "+31 6 12345678" and c.data_type == "s" for c in values)


def test_run_wide_table_has_the_region_columns_and_opens_in_dutch_excel(sample, questionnaires):
    config, figs = sample
    regions = {r.id: r.name for r in config.regions}
    import datetime as dt

    xlsx, text = render_all_figures(figs, questionnaires, regions, dt.date(2021, 5, 25))
    assert render_all_figures(figs, questionnaires, regions, dt.date(2021, 5, 25)) == (xlsx, text)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Alle cijfers"]
    assert list(ws.tables) == ["tbl_alle_cijfers"]
    sheet_rows = list(ws.iter_rows(values_only=True))
    assert list(sheet_rows[0]) == FIGURE_HEADER and len(sheet_rows) - 1 == len(figs)
    assert {r[0] for r in sheet_rows[1:]} == set(figs["region"])
    assert text.startswith("\ufeff")  # UTF-8 with BOM: Excel reads ë and – right
    lines = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert lines[0] == FIGURE_HEADER and len(lines) == len(sheet_rows)
    numeric = [FIGURE_HEADER.index(h) for h in ("Aantal (k)", "Basis (n)", "Waarde", "95%-BI onder", "95%-BI boven",
                                                 "Verschil", "p-waarde", "p-waarde (gecorrigeerd)")]
    for cells in lines[1:]:
        # Plain decimal-comma numbers: no decimal point, no 1e-05 notation.
        assert all(re.fullmatch(r"(-?\d+(,\d+)?)?", cells[i]) for i in numeric), cells
    col = FIGURE_HEADER.index("Waarde")
    for row, cells in zip(sheet_rows[1:50], lines[1:50]):
        if row[col] is None:
            assert cells[col] == ""
        else:
            assert "." not in cells[col] and float(cells[col].replace(",", ".")) == pytest.approx(row[col])
