"""Which sheet of a workbook holds the answers, judged by its real header (title rows skipped), and the honest
accounting of what was not read: other sheets, empty lines at the end of a CSV or sheet. And files that cannot be
opened at all: a Dutch message that says what is wrong, without a library's English text."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.read import RawExport, read_export

from test_ingest_rules import folder_with
from test_validate import csv_bytes, hand, rows_of

TITLES: list[list] = [["Export Monitor AOJ 2021"], ["gemaakt op 1 april 2021"], []]
EXPLANATION = [["Dit werkblad is een toelichting"], ["sector", "functie", "x"], ["a", "b", "c"]]
CODEBOOK = [["Kolom", "Vraag"], ["respondent_id", "Respondentnummer"], ["sector", "Sector"], ["functie", "Functie"],
            ["T1_1", "Multidisciplinair overleg aanwezig"], ["T3_1", "Rapportcijfer samenwerking"]]
PIVOT = [["sector", "T1_1", "Aantal"], ["Onderwijs", "Ja", 4], ["Onderwijs", "Nee", 1], ["Jeugdhulp", "Ja", 5]]
TALLY = [["sector", "aantal"], ["Onderwijs", 6], ["Jeugdhulp", 4]]  # one known name: not an answer sheet
CHOICES = [["sector", "functie", "schooltype"], ["Onderwijs", "Leerkracht", "Primair onderwijs (po)"],
           ["Jeugdhulp", "Jeugdhulpverlener", "Speciaal onderwijs (so/vso)"]]


def workbook(path: Path, sheets: list[tuple[str, list[list]]], hidden: tuple[str, ...] = ()) -> Path:
    """A workbook as a user makes it in Excel: sheets in this order, some hidden."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def read(folder: Path, questionnaires, extra: str = "codes: vragenlijst") -> RawExport:
    config = load_config(folder_with(folder, next(p.name for p in folder.iterdir() if p.name != "regios.yaml"),
                                     extra=extra), questionnaires)
    return read_export(config.exports[0], questionnaires[2021])


def answers_with_titles() -> list[list]:
    return TITLES + rows_of(hand())


# --- which sheet -------------------------------------------------------------------------------------------------


def test_a_small_table_with_two_known_names_in_front_is_refused_with_how_to_choose(tmp_path, questionnaires):
    """The tester's workbook: a first sheet with a title and a small table naming 'sector' and 'functie' above one
    row, the answers on 'Data' below three title rows. Either may hold respondents: refused, saying which to name."""
    workbook(tmp_path / "proef.xlsx", [("Toelichting", EXPLANATION), ("Data", answers_with_titles())])
    with pytest.raises(ReadError) as caught:
        read(tmp_path, questionnaires)
    assert str(caught.value) == (
        "proef.xlsx: meer dan één werkblad kan antwoorden bevatten: werkblad 'Toelichting' (1 rij onder de "
        "kolomkoppen, 2 kolommen van de vragenlijst), werkblad 'Data' (10 rijen onder de kolomkoppen, 28 kolommen "
        "van de vragenlijst). Het programma kiest niet zelf, want dan zouden respondenten ongemerkt wegvallen. Zet "
        "alle antwoorden op één werkblad, of geef in regios.yaml bij deze meting op welk werkblad gelezen wordt, "
        "bijvoorbeeld 'werkblad: Data'.")
    raw = read(tmp_path, questionnaires, "codes: vragenlijst\nwerkblad: Data")
    assert len(raw.frame) == 10 and raw.frame["_rij"].tolist()[:2] == [5, 6]
    assert raw.skipped == ("werkblad 'Toelichting' (3 gevulde rijen) is niet gelezen: in regios.yaml is 'werkblad' "
                           "een ander werkblad",)


def test_late_respondents_on_a_second_sheet_with_fewer_columns_are_not_dropped(tmp_path, questionnaires):
    """'Nagekomen': other respondents, under a header with a third of the columns. Reading only the first sheet
    would leave them out of every figure without a word."""
    rows = rows_of(hand())
    late = [[row[i] for i in range(8)] for row in rows]
    late[1:] = [[1000 + n] + row[1:] for n, row in enumerate(late[1:])]
    workbook(tmp_path / "a.xlsx", [("Data", rows), ("Nagekomen", late)])
    with pytest.raises(ReadError, match=r"werkblad 'Data' \(10 rijen onder de kolomkoppen, 28 kolommen van de "
                       r"vragenlijst\), werkblad 'Nagekomen' \(10 rijen onder de kolomkoppen, 8 kolommen .*"
                       r"'werkblad: Data'"):
        read(tmp_path, questionnaires)


@pytest.mark.parametrize("name, rows, why", [
    ("Telling", TALLY, "het heeft maar 1 kolom van de vragenlijst ('Antwoorden' heeft er 28)"),
    ("Variabelen", CODEBOOK, "geen kolommen van de vragenlijst"),
    ("Sjabloon", [rows_of(hand())[0]], "alleen kolomkoppen, geen antwoorden"),
])
def test_a_tally_a_codebook_or_a_template_sheet_is_named_not_read(tmp_path, questionnaires, name, rows, why):
    workbook(tmp_path / "a.xlsx", [(name, rows), ("Antwoorden", rows_of(hand()))])
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 10 and raw.part == "werkblad 'Antwoorden'"
    filled = "1 gevulde rij" if len(rows) == 1 else f"{len(rows)} gevulde rijen"
    assert raw.skipped == (f"werkblad '{name}' ({filled}) is niet gelezen: {why}",)


@pytest.mark.parametrize("name, rows", [("Samenvatting", PIVOT), ("Lijsten", CHOICES)])
def test_a_pivot_or_hidden_list_with_two_known_names_and_values_is_refused(tmp_path, questionnaires, name, rows):
    """Column headers the questionnaire knows above values: the program cannot tell them from respondents."""
    workbook(tmp_path / "invoer.xlsx", [(name, rows), ("Invoer", rows_of(hand()))], hidden=("Lijsten",))
    label = "verborgen werkblad" if name == "Lijsten" else "werkblad"
    with pytest.raises(ReadError, match=rf"bevatten: {label} '{name}' \({len(rows) - 1} rijen onder de "
                       r".*werkblad 'Invoer' \(10 rijen .*'werkblad: Invoer'\.$"):
        read(tmp_path, questionnaires)


def test_a_hidden_backup_copy_is_called_hidden_in_the_refusal(tmp_path, questionnaires):
    rows = rows_of(hand())
    workbook(tmp_path / "a.xlsx", [("Data", rows), ("Data_backup", rows)], hidden=("Data_backup",))
    with pytest.raises(ReadError, match=r"werkblad 'Data' \(10 rijen .*\), verborgen werkblad 'Data_backup' "
                       r"\(10 rijen"):
        read(tmp_path, questionnaires)


def test_a_chart_sheet_holds_no_cells_and_is_passed_over(tmp_path, questionnaires):
    """A chart on a sheet of its own (Excel's 'Grafiekblad'): no cells, no answers; the answer sheet is read."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    path = workbook(tmp_path / "a.xlsx", [("Data", rows_of(hand())), ("Telling", TALLY)])
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Telling"], min_col=2, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("Grafiek").add_chart(chart)
    book.save(path)
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 10 and raw.part == "werkblad 'Data'"
    assert raw.skipped == ("werkblad 'Telling' (3 gevulde rijen) is niet gelezen: het heeft maar 1 kolom van de "
                           "vragenlijst ('Data' heeft er 28)", "grafiekblad 'Grafiek' (geen cellen) is niet gelezen")
    with pytest.raises(ReadError, match=r"^a\.xlsx: 'Grafiek' is een grafiekblad \(geen cellen"):
        read(tmp_path, questionnaires, "codes: vragenlijst\nwerkblad: Grafiek")


def test_the_answer_sheet_last_of_five_behind_an_empty_one(tmp_path, questionnaires):
    workbook(tmp_path / "vijf.xlsx", [("Blad1", []), ("Toelichting", [["Lees dit eerst"], ["Vul alles in"]]),
                                      ("Variabelen", CODEBOOK), ("Telling", TALLY),
                                      ("Antwoorden", answers_with_titles())])
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 10 and raw.part == "werkblad 'Antwoorden'"
    # The empty sheet holds nothing to lose; every sheet with content is named.
    assert [s.split(" (")[0] for s in raw.skipped] == ["werkblad 'Toelichting'", "werkblad 'Variabelen'",
                                                       "werkblad 'Telling'"]


def test_answers_on_two_sheets_one_below_a_title_are_refused_not_half_read(tmp_path, questionnaires):
    rows = rows_of(hand())
    workbook(tmp_path / "twee.xlsx", [("Onderwijs", TITLES + rows[:6]), ("Jeugdhulp", [rows[0]] + rows[6:])])
    with pytest.raises(ReadError, match=r"werkblad 'Onderwijs' \(5 rijen .*\), werkblad 'Jeugdhulp' \(5 rijen"):
        read(tmp_path, questionnaires)


def test_a_named_sheet_is_read_and_the_others_still_named(tmp_path, questionnaires):
    rows = rows_of(hand())
    workbook(tmp_path / "twee.xlsx", [("Onderwijs", TITLES + rows[:6]), ("Jeugdhulp", [rows[0]] + rows[6:])])
    raw = read(tmp_path, questionnaires, "codes: vragenlijst\nwerkblad: Onderwijs")
    assert len(raw.frame) == 5 and raw.part == "werkblad 'Onderwijs'"
    assert raw.skipped == ("werkblad 'Jeugdhulp' (6 gevulde rijen) is niet gelezen: in regios.yaml is 'werkblad' "
                           "een ander werkblad",)


def test_without_known_columns_the_sheet_with_the_data_is_read_not_the_first(tmp_path, questionnaires):
    """Column names the questionnaire does not know (before a koppeling exists, as `koppel` reads a file): the
    sheet with the answers is still the one read, not an explanation in front of it."""
    from monitor_aoj.ingest.formats import read_table

    frame = hand()
    frame.columns = [f"Vraag {i}" for i in range(1, len(frame.columns) + 1)]
    workbook(tmp_path / "a.xlsx", [("Uitleg", [["Lees dit eerst"], ["Vul alles in"]]), ("Gegevens", rows_of(frame))])
    config = load_config(folder_with(tmp_path, "a.xlsx"), questionnaires)
    table = read_table(config.exports[0], {"respondent_id", "sector", "t1_1"})
    assert len(table.body) == 10 and table.header.names[0] == "Vraag 1" and table.part == "werkblad 'Gegevens'"
    assert table.skipped == ["werkblad 'Uitleg' (2 gevulde rijen) is niet gelezen: geen werkblad heeft de kolommen "
                             "van de vragenlijst, en 'Gegevens' heeft de meeste gegevens"]


@pytest.mark.parametrize("layout", ["forms", "surveymonkey-xlsx"])
def test_a_survey_tool_workbook_with_sheets_added_in_front(tmp_path, questionnaires, layout):
    """A Forms or SurveyMonkey export in which the coordinator put an explanation first and hid a list of choices:
    the tool's sheet is read through its koppeling, every respondent."""
    import openpyxl

    from monitor_aoj.demo.samples import REGIONS, generate_wave
    from monitor_aoj.demo.tool_exports import koppeling_yaml, write_tool_export

    region = next(r for r in REGIONS if r.id == "beekdal-noord")
    extras = region.waves[2021].extras
    frame = generate_wave(questionnaires[2021], region, 2021, np.random.default_rng(7))
    written = write_tool_export(frame, questionnaires[2021], layout, tmp_path, "export", extras=extras, seed=3)
    path = written.files[0]
    book = openpyxl.load_workbook(path)
    tool_sheet = book.sheetnames[0]
    for index, (name, rows) in enumerate([("Telling", TALLY), ("Variabelen", CODEBOOK)]):
        sheet = book.create_sheet(name, index)
        for row in rows:
            sheet.append(row)
    book["Variabelen"].sheet_state = "hidden"
    book.save(path)
    (tmp_path / "koppeling.yaml").write_text(koppeling_yaml(written.koppeling), encoding="utf-8")
    raw = read(tmp_path, questionnaires, f"koppeling: koppeling.yaml\nextra_vragen: [{', '.join(extras)}]")
    assert len(raw.frame) == len(frame) and raw.layout == layout.removesuffix("-xlsx")
    assert raw.part == f"werkblad '{tool_sheet}'"
    assert [s.split(" (")[0] for s in raw.skipped] == ["werkblad 'Telling'", "verborgen werkblad 'Variabelen'"]


# --- empty lines at the end --------------------------------------------------------------------------------------


def test_a_last_line_of_only_separators_is_skipped_and_counted(tmp_path, questionnaires):
    width = len(hand().columns)
    (tmp_path / "a.csv").write_bytes(csv_bytes(hand()) + (";" * (width - 1) + "\r\n").encode())
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 10 and raw.skipped == ("1 lege regel aan het eind overgeslagen",)


def test_empty_lines_in_the_middle_stay_rows_those_at_the_end_are_counted(tmp_path, questionnaires):
    lines = csv_bytes(hand()).split(b"\r\n")
    empty = b";" * (len(hand().columns) - 1)
    data = b"\r\n".join(lines[:4] + [empty] + lines[4:-1] + [empty, b""]) + b"\r\n"
    (tmp_path / "a.csv").write_bytes(data)
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 11 and 5 in raw.frame["_rij"].tolist()  # the middle one: validation quarantines it
    assert raw.skipped == ("2 lege regels aan het eind overgeslagen",)


def test_empty_rows_below_the_answers_in_a_sheet_are_counted(tmp_path, questionnaires):
    workbook(tmp_path / "a.xlsx", [("Antwoorden", rows_of(hand()) + [[" ", None, " "], [None, "  "]])])
    raw = read(tmp_path, questionnaires)
    assert len(raw.frame) == 10 and raw.skipped == ("2 lege rijen aan het eind overgeslagen",)


# --- the accounting says what was read and what was not ----------------------------------------------------------


def test_the_accounting_and_the_pages_name_the_sheet_and_what_was_not_read(tmp_path, questionnaires):
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.ingest.validation.report import accounting_lines, write_validation

    workbook(tmp_path / "proef.xlsx", [("Telling", TALLY), ("Data", answers_with_titles())])
    result = validate(load_config(folder_with(tmp_path, "proef.xlsx"), questionnaires), questionnaires)
    assert accounting_lines(result)[0] == (
        "proef.xlsx, werkblad 'Data': 10 gelezen = 10 gebruikt + 0 in quarantaine (0 fouten, 1 waarschuwing); "
        "werkblad 'Telling' (3 gevulde rijen) is niet gelezen: het heeft maar 1 kolom van de vragenlijst ('Data' "
        "heeft er 28)")
    pages = write_validation(result, tmp_path / "uit")
    overview = pages["overzicht"].read_text(encoding="utf-8").replace("&#39;", "'")
    assert "Geen rij is verloren" not in overview
    promise = " ".join(overview.split())  # the sentence as a browser shows it
    assert "Van de gelezen rijen is er geen verloren: gelezen = gebruikt + quarantaine. Wat niet gelezen is" in promise
    assert "<li>proef.xlsx: werkblad 'Telling' (3 gevulde rijen) is niet gelezen:" in overview
    assert "<span class=\"werkblad\">werkblad 'Data'</span>" in overview
    page = pages["proef.xlsx"].read_text(encoding="utf-8").replace("&#39;", "'")
    assert "rijen op werkblad 'Data' zijn er <strong>10</strong> gebruikt" in page
    assert "Werkblad 'Telling' (3 gevulde rijen) is niet gelezen" in page


# --- files that cannot be opened: Dutch, without the library's English -------------------------------------------


def test_the_overview_names_a_file_that_could_not_be_read_with_why(tmp_path, questionnaires):
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.ingest.validation.report import write_validation

    (tmp_path / "x.xlsx").write_bytes(b"geen Excel")
    result = validate(load_config(folder_with(tmp_path, "x.xlsx"), questionnaires), questionnaires)
    overview = write_validation(result, tmp_path / "uit")["overzicht"].read_text(encoding="utf-8")
    shown = " ".join(overview.split())
    assert "Wat niet gelezen is, staat hieronder." in shown
    assert "<li>x.xlsx kon niet worden gelezen; er is niets van gebruikt. x.xlsx is geen Excel-werkmap, maar een " \
           "tekstbestand" in shown


def _valid_xlsx(tmp_path: Path) -> bytes:
    return workbook(tmp_path / "v.xlsx", [("Antwoorden", rows_of(hand()))]).read_bytes()


def _csv_text(cut: bool = False) -> str:
    """A CSV export with Dutch accents; cut: an 'é' (two bytes in UTF-8) split by the end of the 4096 bytes read."""
    head = "respondent_id;sector;toelichting\r\n"
    body = "".join(f"{i};Onderwijs;café één coördinatie\r\n" for i in range(300))
    if not cut:
        return head + body
    first = "0;Onderwijs;"
    return head + first + "a" * (4095 - len(head) - len(first)) + "é\r\n" + body


def _zip_without_workbook(_: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notities.txt", "geen werkmap")
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, said", [
    ("x.xlsx", lambda _: b"geen Excel", "is geen Excel-werkmap, maar een tekstbestand"),
    ("x.xlsx", lambda _: bytes(range(256)) * 4, "is geen Excel-werkmap, maar een ander soort bestand"),
    ("x.xlsx", lambda _: _csv_text().encode("cp1252"), "is geen Excel-werkmap, maar een tekstbestand"),
    ("x.xlsx", lambda _: _csv_text(cut=True).encode("utf-8"), "is geen Excel-werkmap, maar een tekstbestand"),
    ("x.xlsx", lambda _: _csv_text().encode("utf-16"), "is geen Excel-werkmap, maar een tekstbestand"),
    ("x.xlsx", lambda p: _valid_xlsx(p)[:3000], "is onvolledig: het bestand houdt halverwege op"),
    ("x.xlsx", _zip_without_workbook, "is wel een gecomprimeerd bestand, maar geen Excel-werkmap"),
    ("x.sav", lambda _: b"geen SPSS", "x.sav is geen SPSS-bestand, maar een tekstbestand (misschien een CSV-export "
     "met de naam .sav): alleen de naam eindigt op .sav. Exporteer de antwoorden opnieuw als SPSS-bestand (.sav)"),
    ("x.sav", lambda _: bytes(range(256)) * 4, "x.sav is geen SPSS-bestand, maar een ander soort bestand"),
    ("x.sav", lambda _: (Path(__file__).parent.parent / "sample_responses" / "lindewaard_2021.sav").read_bytes()[:900],
     "het bestand is onvolledig of beschadigd"),
])
def test_a_file_that_cannot_be_opened_is_said_in_dutch(tmp_path, questionnaires, name, make, said):
    data = make(tmp_path)
    folder = tmp_path / "invoer"
    folder.mkdir()
    (folder / name).write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read(folder, questionnaires)
    message = str(caught.value)
    assert said in message and message.startswith(name)
    cause = str(caught.value.__cause__)
    assert "technische melding" not in message and cause and cause not in message


def test_a_line_that_csv_cannot_split_is_said_in_dutch(tmp_path, questionnaires):
    (tmp_path / "a.csv").write_bytes(csv_bytes(hand()))
    limit = csv.field_size_limit(10)  # a field over the limit: the csv module's English "field larger than ..."
    try:
        with pytest.raises(ReadError) as caught:
            read(tmp_path, questionnaires)
    finally:
        csv.field_size_limit(limit)
    message = str(caught.value)
    assert message.startswith("a.csv, regel ") and "een veld is langer dan" in message
    assert str(caught.value.__cause__) not in message
