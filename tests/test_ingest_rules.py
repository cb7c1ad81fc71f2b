"""Rules of reading and mapping, one kind each, on small exports made here from the complete 2021 hand-count
file (tests/test_validate.py): ids as text, separators, extra fields, sheets, Forms choices, and every mapping
mistake as a Dutch configuration error that names the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ConfigError
from monitor_aoj.ingest.validation import validate

from test_validate import csv_bytes, hand, rows_of, xlsx


def folder_with(tmp_path: Path, name: str, data: bytes | None = None, extra: str = "codes: vragenlijst") -> Path:
    if data is not None:
        (tmp_path / name).write_bytes(data)
    lines = ["regios:", "  - id: proef", "    metingen:", "      - jaar: 2021", f"        bestand: {name}"]
    lines += [f"        {line}" for line in extra.splitlines() if line]
    (tmp_path / "regios.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def checked(folder: Path, questionnaires):
    return validate(load_config(folder, questionnaires), questionnaires).files[0]


def test_ids_are_compared_as_written(tmp_path, questionnaires):
    frame = hand()
    frame.loc[0, "respondent_id"], frame.loc[1, "respondent_id"] = "007", "07"
    f = checked(folder_with(tmp_path, "ids.csv", csv_bytes(frame)), questionnaires)
    assert not [p for p in f.problems if p.check == "dubbele_id"]
    assert f.clean.frame["respondent"].tolist()[:2] == ["007", "07"]


@pytest.mark.parametrize("sep", ["\t", "|", ","])
def test_separator_is_what_splits_the_data_lines(tmp_path, questionnaires, sep):
    frame = hand()
    frame.loc[0, "T3_2"] = "Overleg; vaker, en korter | beter"
    data = frame.to_csv(sep=sep, index=False).encode("utf-8")
    f = checked(folder_with(tmp_path, "sep.csv", data), questionnaires)
    assert (f.rows_read, f.rows_used) == (10, 10) and not f.errors
    assert f.clean.frame["verbetering_open"].iloc[0] == "Overleg; vaker, en korter | beter"


def test_utf16_tab_export_of_excel(tmp_path, questionnaires):
    data = hand().to_csv(sep="\t", index=False).encode("utf-16")
    f = checked(folder_with(tmp_path, "unicode.txt", data), questionnaires)
    assert (f.rows_read, f.rows_used) == (10, 10) and any("UTF-16" in n for n in f.notes)


def test_a_row_with_more_fields_than_the_header_is_quarantined_with_its_row(tmp_path, questionnaires):
    lines = csv_bytes(hand()).decode().split("\r\n")
    lines[3] += ";overbodig"
    f = checked(folder_with(tmp_path, "extra.csv", "\r\n".join(lines).encode()), questionnaires)
    (p,) = [p for p in f.problems if p.check == "rij_onleesbaar"]
    assert p.row == 4 and (f.rows_read, f.rows_used, f.rows_quarantined) == (10, 9, 1)


def test_answers_on_two_sheets_are_refused_not_half_read(tmp_path, questionnaires):
    rows = rows_of(hand())
    xlsx(tmp_path / "twee.xlsx", {"Deel 1": rows[:6], "Deel 2": [rows[0]] + rows[6:]})
    f = checked(folder_with(tmp_path, "twee.xlsx"), questionnaires)
    said = "meer dan één werkblad kan antwoorden bevatten: werkblad 'Deel 1' (5 rijen"
    assert f.clean is None and said in f.errors[0].action
    # Naming the sheet is the user's choice: then that sheet is read.
    f = checked(folder_with(tmp_path, "twee.xlsx", extra="codes: vragenlijst\nwerkblad: Deel 2"), questionnaires)
    assert f.rows_read == 5


def test_forms_choices_end_with_a_semicolon(tmp_path, questionnaires):
    frame = hand()
    frame.insert(0, "Completion time", "2021-03-02 10:05")
    frame.insert(0, "Start time", "2021-03-02 10:00")
    frame.insert(0, "Email", "anonymous")
    frame.insert(0, "Name", "")
    frame.insert(0, "ID", [str(i) for i in range(1, 11)])
    frame["T1_1"] = frame["T1_1"] + ";"
    xlsx(tmp_path / "forms.xlsx", {"Sheet1": rows_of(frame)})
    f = checked(folder_with(tmp_path, "forms.xlsx"), questionnaires)
    assert (f.rows_used, f.cells_set_aside) == (10, 0) and any("Microsoft Forms" in n for n in f.notes)


@pytest.mark.parametrize("extra, message", [
    ("kolommen:\n  T1_1: mdo_aanwezig\n  T1_2: T1_1", "'T1_1' en 'T1_2' wijzen allebei naar 'T1_1'"),
    ("kolommen:\n  Vraag 1: T9_9", "'T9_9' is geen kolom of vraag"),
    ("schalen:\n  T1_4: ja_nee_misschien",
     "schaal 'ja_nee_misschien' staat niet in de vragenlijst. Bedoelt u 'ja_nee_weet' of 'ja_nee'"),
    ("schalen:\n  T1_4: eens5", "de vraag heeft een nominale schaal en 'eens5' is een ordinale schaal"),
    ("antwoorden:\n  T1_1: {Misschien: Soms}", "'Soms' is geen antwoord van deze vraag. Mogelijk: Ja (1), Nee (2)"),
    ("codes: soms", "'soms' is onbekend"),
    ("indeling: typeform", "'typeform' is onbekend. Kies uit: qualtrics"),
])
def test_mapping_mistakes_are_configuration_errors_that_name_the_entry(tmp_path, questionnaires, extra, message):
    folder_with(tmp_path, "data.csv", csv_bytes(hand()), extra)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, questionnaires)
    assert message in str(caught.value)


def test_a_source_not_in_the_file_is_named_with_a_suggestion(tmp_path, questionnaires):
    frame = hand().rename(columns={"T1_1": "Vraag 1"})
    folder_with(tmp_path, "data.csv", csv_bytes(frame), "codes: vragenlijst\nkolommen:\n  Vraag 11: T1_1")
    with pytest.raises(ConfigError, match=r"'Vraag 11' staat niet in data.csv.*Bedoelt u 'Vraag 1'"):
        checked(tmp_path, questionnaires)


def test_a_mapping_that_conflicts_with_a_same_named_column_is_refused(tmp_path, questionnaires):
    frame = hand()
    frame["Vraag 1"] = frame["T1_1"]
    folder_with(tmp_path, "data.csv", csv_bytes(frame), "codes: vragenlijst\nkolommen:\n  Vraag 1: T1_1")
    with pytest.raises(ConfigError, match=r"ook een eigen kolom 'T1_1'.*T1_1: negeren"):
        checked(tmp_path, questionnaires)
    # Saying which one is meant settles it.
    folder_with(tmp_path, "data.csv", None, "codes: vragenlijst\nkolommen:\n  Vraag 1: T1_1\n  T1_1: negeren")
    assert checked(tmp_path, questionnaires).rows_used == 10


def test_codes_said_to_be_ours_but_labelled_otherwise_by_the_file(tmp_path, questionnaires):
    import pyreadstat

    frame = hand()[["respondent_id", "sector", "T1_1"]].copy()
    frame["sector"] = frame["sector"].map({"Onderwijs": 2.0, "Jeugdhulp": 1.0})
    frame["T1_1"] = 1.0
    frame["respondent_id"] = frame["respondent_id"].astype(float)
    pyreadstat.write_sav(frame, str(tmp_path / "eigen.sav"),
                         variable_value_labels={"sector": {1.0: "Jeugdhulp", 2.0: "Onderwijs"}})
    folder_with(tmp_path, "eigen.sav")
    with pytest.raises(ConfigError, match=r"'codes: vragenlijst' klopt niet voor kolom 'sector': 1 = 'Jeugdhulp'"):
        checked(tmp_path, questionnaires)
    folder_with(tmp_path, "eigen.sav", extra="")  # by label: sector 1 is jeugdhulp, as the file says
    f = checked(tmp_path, questionnaires)
    from monitor_aoj.ingest.decode import derive_sector

    sector, _, _ = derive_sector(f.clean.frame, questionnaires[2021], f.clean.coding)
    expected = hand()["sector"].str.lower().tolist()
    assert sector.tolist() == expected


def test_a_layout_named_in_the_mapping_must_fit_the_file(tmp_path, questionnaires):
    f = checked(folder_with(tmp_path, "data.csv", csv_bytes(hand()), "codes: vragenlijst\nindeling: qualtrics"),
                questionnaires)
    assert f.clean is None and "indeling 'qualtrics'" in f.errors[0].action


def test_a_respondent_who_typed_the_same_text_everywhere_is_no_header_row(tmp_path, questionnaires):
    frame = hand()
    for column in ("T1_1", "T2_1", "T2_4", "T4_1", "T5_1", "T5_2", "T5_3"):
        frame.loc[0, column] = "x"
    f = checked(folder_with(tmp_path, "x.csv", csv_bytes(frame)), questionnaires)
    assert (f.rows_read, f.rows_used, f.cells_set_aside) == (10, 10, 7)
    assert not [p for p in f.problems if "kopregel" in p.action]


def test_a_row_with_fewer_fields_is_quarantined_not_shifted(tmp_path, questionnaires):
    lines = csv_bytes(hand()).decode().split("\r\n")
    fields = lines[2].split(";")
    del fields[6]  # one answer left out: everything after it would move one question to the left
    lines[2] = ";".join(fields)
    f = checked(folder_with(tmp_path, "kort.csv", "\r\n".join(lines).encode()), questionnaires)
    (p,) = [p for p in f.problems if p.check == "rij_onleesbaar"]
    assert p.row == 3 and (f.rows_used, f.rows_quarantined) == (9, 1)


def test_rows_are_numbered_as_excel_shows_them_also_after_a_multi_line_answer(tmp_path, questionnaires):
    frame = hand()
    frame.loc[0, "T3_2"] = "Eerste regel\nTweede regel\nDerde regel"
    frame.loc[4, "T1_1"] = "Jaa"
    f = checked(folder_with(tmp_path, "regels.csv", csv_bytes(frame)), questionnaires)
    (p,) = [p for p in f.problems if p.check == "onbekende_code"]
    assert (p.row, p.respondent) == (6, frame.loc[4, "respondent_id"])


def test_a_header_wider_than_its_rows_is_refused(tmp_path, questionnaires):
    lines = csv_bytes(hand()).decode().split("\r\n")
    lines[0] += ";extra_kolom"
    lines = [lines[0]] + [";".join(line.split(";")[:-1]) if line else line for line in lines[1:]]
    f = checked(folder_with(tmp_path, "breed.csv", "\r\n".join(lines).encode()), questionnaires)
    assert f.clean is None and "de kopregel heeft" in f.errors[0].action


def test_a_title_above_the_column_headers_in_excel_is_skipped(tmp_path, questionnaires):
    rows = rows_of(hand())
    xlsx(tmp_path / "titel.xlsx", {"Export": [["Monitor AOJ, export maart 2021"], []] + rows})
    f = checked(folder_with(tmp_path, "titel.xlsx"), questionnaires)
    assert (f.rows_read, f.rows_used) == (10, 10) and any("titel" in n for n in f.notes)
    assert f.clean.frame["_rij"].tolist()[0] == 4  # the row Excel shows


@pytest.mark.parametrize("entries, message", [
    ("  - id: a\n    metingen:\n      - {jaar: 2021, bestand: d.csv}\n"
     "  - id: b\n    metingen:\n      - {jaar: 2021, bestand: d.csv}\n", "regio_kolom"),
    ("  - id: a\n    metingen:\n      - {jaar: 2018, bestand: d.csv}\n      - {jaar: 2021, bestand: d.csv}\n",
     "datum_kolom"),
])
def test_one_file_under_two_entries_needs_a_column_that_tells_rows_apart(tmp_path, questionnaires, entries, message):
    (tmp_path / "d.csv").write_bytes(csv_bytes(hand()))
    (tmp_path / "regios.yaml").write_text("regios:\n" + entries, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"Dan telt elke rij in elke .*'{message}'"):
        load_config(tmp_path, questionnaires)


def test_a_compressed_spss_file_is_read(tmp_path, questionnaires):
    import pyreadstat

    frame = hand()[["respondent_id", "sector", "T1_1"]]
    pyreadstat.write_sav(frame, str(tmp_path / "z.zsav"), compress=True)
    f = checked(folder_with(tmp_path, "z.zsav", extra=""), questionnaires)
    assert f.rows_read == 10 and f.clean.frame["mdo_aanwezig"].tolist() == frame["T1_1"].tolist()
