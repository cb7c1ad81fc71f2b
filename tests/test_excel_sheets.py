"""Files that cannot be opened at all: a Dutch message that says what is wrong, without a library's English
text."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.read import RawExport, read_export

from test_ingest_rules import folder_with
from test_validate import csv_bytes, hand, rows_of


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


# --- files that cannot be opened: Dutch, without the library's English -------------------------------------------


def _valid_xlsx(tmp_path: Path) -> bytes:
    return workbook(tmp_path / "v.xlsx", [("Antwoorden", rows_of(hand()))]).read_bytes()


def _zip_without_workbook(_: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notities.txt", "geen werkmap")
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, said", [
    ("x.xlsx", lambda _: b"geen Excel", "is geen Excel-werkmap, maar een tekstbestand"),
    ("x.xlsx", lambda _: bytes(range(256)) * 4, "is geen Excel-werkmap, maar een ander soort bestand"),
    ("x.xlsx", lambda p: _valid_xlsx(p)[:3000], "is onvolledig: het bestand houdt halverwege op"),
    ("x.xlsx", _zip_without_workbook, "is wel een gecomprimeerd bestand, maar geen Excel-werkmap"),
    ("x.sav", lambda _: b"geen SPSS", "het is geen SPSS-bestand: alleen de naam eindigt op .sav"),
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
