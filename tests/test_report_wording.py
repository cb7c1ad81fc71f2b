"""Words the report takes from one place: the Verantwoording's check list from the validation catalogue, and the
words for a hidden (suppressed) figure from dutch.py, in every output (HTML, charts, workbook, Word).

The small case is the hand-counted export with a minimum base of 5: onderwijs (4 respondents) is hidden, and
jeugdhulp (6) with it, or totaal minus jeugdhulp would give onderwijs away (see test_suppression.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil

import pytest

from monitor_aoj import pipeline
from monitor_aoj.dutch import HIDDEN, HIDDEN_LEGEND, HIDDEN_MARK

from conftest import DATA, ROOT
from htmltables import tables

CHECK_LIST = re.compile(r"<h3>Controle van de gegevens</h3>\s*<p>(.*?)</p>", re.S)


def report_input(folder, out):
    """The one report input of the export folder `folder` (regios.yaml with one region and wave)."""
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.report_workers import report_inputs

    paths = pipeline.Paths(folder, None, out)
    s = pipeline.setup(paths)
    validation = validate(s.config, s.questionnaires, list(s.config.exports))
    responses = build_responses(validation.clean_exports(), s.questionnaires)
    opens, _ = pipeline.open_answers_for(paths, s, responses)
    figures = pipeline.figures_for(responses, s.questionnaires, s.config.settings.minimum_base, opens.figures)
    (data,) = report_inputs(s, validation, figures, dt.date(2026, 1, 15), opens)
    return data


@pytest.fixture(scope="module")
def small_case(tmp_path_factory):
    """The report input of the hand-counted export with minimum base 5 (both sectors hidden, totaal shown)."""
    folder = tmp_path_factory.mktemp("klein")
    shutil.copy(DATA / "handtelling" / "handtelling.csv", folder)
    (folder / "regios.yaml").write_text(
        "instellingen:\n  minimum_basis: 5\nregios:\n  - id: klein\n    metingen:\n"
        "      - {jaar: 2021, bestand: handtelling.csv, codes: vragenlijst}\n", encoding="utf-8")
    return report_input(folder, tmp_path_factory.mktemp("uit"))


@pytest.fixture(scope="module")
def rendered(small_case):
    from monitor_aoj.report.html import render

    return render(small_case)


def _text(html: str) -> str:
    """The HTML's text, tags dropped and white space collapsed (entities as in the file)."""
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- the check list comes from the catalogue ---------------------------------------------------------------------


def test_the_check_list_is_the_catalogues(small_case, monkeypatch):
    """A quarantining check added to the catalogue, or one named differently there, changes the rendered
    sentence; the template holds no list of its own."""
    from monitor_aoj.ingest.validation.catalogue import CHECKS, ERROR, Check
    from monitor_aoj.report.html import render_report

    before = _text(CHECK_LIST.search(render_report(small_case)).group(1))
    assert "dubbele respondentnummers" in before and "lege rijen" in before
    monkeypatch.setitem(CHECKS, "proef", Check(
        "proefcontrole", ERROR, True, "iets", "Doe iets.", "stage: a test", checked_for="rijen met een proeffout"))
    monkeypatch.setitem(CHECKS, "dubbele_id", dataclasses.replace(CHECKS["dubbele_id"], checked_for="proefnummers"))
    monkeypatch.setitem(CHECKS, "ongeldig_cijfer", dataclasses.replace(CHECKS["ongeldig_cijfer"],
                                                                        checked_for="proefcijfers"))
    monkeypatch.setitem(CHECKS, "buiten_filter", dataclasses.replace(CHECKS["buiten_filter"],
                                                                      checked_for="geen cel en geen rij apart"))
    after = _text(CHECK_LIST.search(render_report(small_case)).group(1))
    assert after.startswith("Voordat er cijfers zijn gemaakt")
    assert "en rijen met een proeffout. Bij" in after  # the new one, last
    assert "proefnummers" in after and "dubbele respondentnummers" not in after  # no copy of the old words
    # A check that sets one answer aside is named where the sentence says only that answer does not count.
    assert re.search(r"Bij [^;]*proefcijfers[^;]* telt alleen dat antwoord niet mee;", after)
    assert "geen cel en geen rij apart" not in after  # a check that keeps the answer is not in these sentences
    assert after.endswith("met de reden erbij. Er is geen rij verloren gegaan.")
    # Two checks with the same words are named once.
    assert after.count("gegevens uit een andere meting") == 1


def test_the_template_keeps_no_copy_of_the_catalogues_words():
    from monitor_aoj.ingest.validation.catalogue import CHECKS

    template = (ROOT / "templates" / "rapport.html.j2").read_text(encoding="utf-8")
    for check in CHECKS.values():
        assert not check.checked_for or check.checked_for not in template, check.checked_for


def test_the_promise_names_the_sheet_read_and_what_was_not(tmp_path):
    """A workbook with an explanation sheet before the answers: the report says no row of the sheet it read was
    lost and names the sheet it did not read, instead of a bare 'geen rij verloren'."""
    import csv

    from openpyxl import Workbook

    from monitor_aoj.report.html import render_report

    book = Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Uitleg bij deze export: de kolommen sector en functie komen uit de vragenlijst."])
    sheet = book.create_sheet("Data")
    sheet.append(["Export Monitor AOJ"])  # a title row above the header
    with open(DATA / "handtelling" / "handtelling.csv", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=";"):
            sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(tmp_path / "klein.xlsx")
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: klein\n    metingen:\n      - {jaar: 2021, bestand: klein.xlsx, codes: vragenlijst}\n",
        encoding="utf-8")
    data = report_input(tmp_path, tmp_path / "uit")
    text = _text(CHECK_LIST.search(render_report(data)).group(1))
    assert text.endswith("Er is geen rij van werkblad 'Data' verloren gegaan; werkblad 'Toelichting' (1 gevulde "
                         "rij) is niet gelezen: geen kolommen van de vragenlijst."), text


# --- a hidden figure: one mark, one sentence form, everywhere ------------------------------------------------------


def test_html_tables_charts_and_legend_use_the_one_mark(rendered):
    html, charts = rendered
    table = tables(html)["tabel-mdo_aanwezig"]
    header = table[0]
    for row in (r for r in table if r[0] in ("Ja", "Nee")):
        assert row[header.index("Onderwijs")] == HIDDEN_MARK and row[header.index("Jeugdhulp")] == HIDDEN_MARK
        assert row[header.index("Totaal")].endswith("%")
    # Every mark in a table carries the sentence form as its explanation.
    marks = re.findall(r"<abbr title=\"([^\"]*)\">" + re.escape(HIDDEN_MARK) + "</abbr>", html)
    assert marks and set(marks) == {HIDDEN[0].upper() + HIDDEN[1:]}
    pages, drawings = re.sub(r"<svg.*?</svg>", "", html, flags=re.S), re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert pages.count(HIDDEN_MARK) == len(marks) + 2  # and the two legends (Leeswijzer, appendix)
    assert any(f"<!-- {HIDDEN_MARK} -->" in svg for svg in drawings)  # a hidden bar's label, drawn as paths
    text = _text(html)
    assert text.count(HIDDEN_LEGEND) == 2
    assert f"zijn {HIDDEN}." in text  # the sentence under a statement
    assert f"niet getoetst ({HIDDEN})" in text  # a test withdrawn by suppression: the note, same words
    overview = next(c for c in charts if "onderwijs " + HIDDEN in c.alt)
    assert f"jeugdhulp {HIDDEN}" in overview.alt
    assert HIDDEN_MARK in [t.get_text() for t in overview.draw().axes[0].texts]
    assert "te weinig antwoorden" not in text


def test_workbook_names_a_hidden_figure_in_the_same_words(small_case):
    import openpyxl

    from monitor_aoj.report.excel import render_workbook

    book = openpyxl.load_workbook(io.BytesIO(render_workbook(small_case)))
    tests = book["Verschillen sectoren"]
    head = [c.value for c in tests[1]]
    notes = {row[head.index("Vraag")]: row[head.index("Toelichting")] for row in tests.iter_rows(min_row=2,
                                                                                                    values_only=True)}
    assert HIDDEN in notes.values(), notes
    intro = " ".join(str(c.value) for row in book["Toelichting"].iter_rows() for c in row if c.value)
    assert f"'{HIDDEN}'" in intro


def test_word_document_shows_the_mark_and_its_legend(rendered):
    import docx

    from monitor_aoj.report.docx import render_docx

    html, charts = rendered
    document = docx.Document(io.BytesIO(render_docx(html, charts, dt.date(2026, 1, 15))))
    paragraphs = " ".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert HIDDEN_LEGEND in paragraphs and HIDDEN in paragraphs
    assert HIDDEN_MARK in cells


def test_no_other_spelling_of_a_hidden_figure_in_code_or_templates():
    """The mark and the words are written once, in dutch.py; no module or template spells them itself, nor an old
    form of them."""
    spellings = [HIDDEN_MARK, "niet getoond", "te weinig antwoorden"]
    files = [p for p in sorted((ROOT / "monitor_aoj").rglob("*.py")) if p.name != "dutch.py"]
    files += sorted((ROOT / "templates").glob("*.j2"))
    found = [(p.name, s) for p in files for s in spellings if s in p.read_text(encoding="utf-8")]
    assert found == []
