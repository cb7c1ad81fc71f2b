"""Validation: each bad input gives a Dutch message naming file, row and column, and the good rows are kept.

One input folder holds one region per bad input, all validated in one run, as the real job does. Row numbers
are those the user sees in Excel: the header is row 1, so respondent i of the hand-count file is row i + 1.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.ingest.validation import validate
from monitor_aoj.ingest.validation.catalogue import ERROR, WARNING

from conftest import DATA, QUESTIONNAIRES, ROOT

HAND = DATA / "handtelling" / "handtelling.csv"
OTHER_REGION = "Kemplanden"


def _complete_2021() -> pd.DataFrame:
    """The hand-count file with every other 2021 column added (first answer category, or blank for open
    questions), so that the base export is complete and validates clean."""
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaire

    q = load_questionnaire(QUESTIONNAIRES / "aoj_2021.yaml")
    frame = pd.read_csv(HAND, sep=";", dtype=str, keep_default_na=False)
    frame["functie_anders"] = ""
    for item in q.items_for(()):
        if item.column not in frame:
            frame[item.column] = "" if item.is_open else item.scale.label(item.scale.codes[0])
    return frame


BASE = _complete_2021()


def hand() -> pd.DataFrame:
    return BASE.copy()


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode(encoding)


def xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def rows_of(frame: pd.DataFrame) -> list[list]:
    return [list(frame.columns)] + [[int(v) if v.isdigit() else (v or None) for v in r]
                                    for r in frame.itertuples(index=False)]


def build(folder: Path) -> dict[str, dict]:
    """Write one export per bad input; returns region id -> extra regios.yaml fields."""
    s: dict[str, dict] = {}

    def put(region: str, name: str, data: bytes | None = None, **fields) -> None:
        if data is not None:
            (folder / name).write_bytes(data)
        s[region] = {"bestand": name, **fields}

    put("goed", "goed.csv", csv_bytes(hand()))
    put("kolom-weg", "kolom_weg.csv", csv_bytes(hand().drop(columns=["T2_4"])))
    f = hand()
    f.loc[2, "T1_1"] = "Misschien"
    put("onbekende-code", "onbekende_code.csv", csv_bytes(f))
    f = hand()
    f.loc[4, "T3_1"] = "zeven"
    put("tekst-in-cijfer", "tekst_in_cijfer.csv", csv_bytes(f))
    f = hand()
    f.loc[0, "T3_1"], f.loc[1, "T3_1"], f.loc[2, "T3_1"] = "0", "11", "6,5"
    put("cijfers", "cijfers.csv", csv_bytes(f))
    f = hand()
    f = pd.concat([f, f.iloc[[3]]], ignore_index=True)
    put("dubbel-id", "dubbel_id.csv", csv_bytes(f))
    put("leeg-bestand", "leeg.csv", b"")
    put("alleen-kop", "alleen_kop.csv", csv_bytes(hand().iloc[:0]))
    # A 2016 export (its own column names) configured as 2021.
    old = pd.DataFrame({"volgnummer": ["1", "2", "3"], "V1": ["1", "2", "1"], "V2": ["1", "11", "3"],
                        "V3": ["3", "3", "1"], **{f"V{i}": ["1", "0", "1"] for i in range(4, 12)},
                        "V15": ["7", "6", "8"]})
    put("andere-meting", "andere_meting.csv", csv_bytes(old))
    f = hand()
    f["startdatum"] = ["12-03-2021 10:00"] * 8 + ["14-03-2018 09:30", "15-03-2018 11:00"]
    put("datum-verkeerd", "datum_verkeerd.csv", csv_bytes(f), datum_kolom="startdatum")
    # Mixed encodings: one row pasted in from a Windows-1252 file.
    f = hand()
    f.loc[0, "T3_2"] = "Samenwerking met de coördinator"
    f.loc[4, "T3_2"] = "Overleg met de coördinator"
    lines = csv_bytes(f).split(b"\r\n")
    lines[5] = lines[5].decode("utf-8").encode("cp1252")
    put("codering", "codering.csv", b"\r\n".join(lines))
    put("codering-opgegeven", "codering_opgegeven.csv", csv_bytes(f, "cp1252"), codering="utf-8")
    f = hand()
    f["regio"] = ["Regiotest"] * 8 + ["Zeeland-Oost", OTHER_REGION]
    put("regiotest", "regio_kolom.csv", csv_bytes(f), regio_kolom="regio", naam="Regiotest")
    # A configured region, for the region check above (its own file: one file in two regions counts twice).
    put("kemplanden", "kemplanden.csv", csv_bytes(hand()), naam=OTHER_REGION)
    f = hand()
    f.loc[2, ["sector", "functie"]] = ["", "20"]  # no sector, functie "anders": cannot be placed
    f.loc[6, "sector"] = ""  # no sector, but a leerplichtambtenaar: jeugdhulp
    put("sector-weg", "sector_weg.csv", csv_bytes(f))
    f = hand()
    empty = pd.DataFrame([[""] * len(f.columns)], columns=f.columns)
    background_only = pd.DataFrame([["77", "Onderwijs", "1", "3"] + [""] * (len(f.columns) - 4)], columns=f.columns)
    f = pd.concat([f.iloc[:3], empty, f.iloc[3:], background_only], ignore_index=True)
    put("lege-rij", "lege_rij.csv", csv_bytes(f))
    xlsx(folder / "extra_werkblad.xlsx", {"Toelichting": [["Export van de enquête, maart 2021"], ["Vragen: 12"]],
                                          "Antwoorden": rows_of(hand())})
    put("extra-werkblad", "extra_werkblad.xlsx")
    texts = ["Respondentnummer", "Sector", "Functie", "Schooltype", "Er is een multidisciplinair overleg",
             "Er is een vast contactpersoon", "De samenwerking leidt tot snellere inzet", "Rapportcijfer",
             "Gezamenlijke aandacht voor preventie", "Afstemming over preventieactiviteiten",
             "Er is een gezamenlijke evaluatie", "Hoe kan de samenwerking verbeterd worden?"]
    book_rows = rows_of(hand())
    xlsx(folder / "tweede_kopregel.xlsx", {"Blad1": [book_rows[0], texts] + book_rows[1:]})
    put("tweede-kopregel", "tweede_kopregel.xlsx")
    f = hand()
    f.loc[2, "T4_2"] = "Ja"  # respondent 3 said "Nee" to T4_1, so T4_2 was not for them
    f.loc[[0, 1, 4], "T5_1"] = ""  # 3 of 10 skip T5_1: 30% non-response
    put("filter", "filter.csv", csv_bytes(f))
    _sav_with_user_missing(folder / "spss_missing.sav")
    put("spss-missing", "spss_missing.sav")
    (folder / "vergeten.csv").write_bytes(csv_bytes(hand()))  # in the folder, not in regios.yaml
    return s


def _sav_with_user_missing(path: Path) -> None:
    import pyreadstat

    f = hand()
    f["sector"] = f["sector"].map({"Onderwijs": "1", "Jeugdhulp": "2"})
    labels = {"Ja": 1, "Nee": 2, "Weet ik niet": 3, "Overal": 1, "Bij de meerderheid": 2, "Bij een deel": 3,
              "Nergens": 4, "Helemaal eens": 1, "Eens": 2, "Neutraal": 3, "Oneens": 4, "Helemaal oneens": 5}
    for col in f.columns:
        if col != "T3_2":
            f[col] = pd.to_numeric(f[col].map(lambda v: labels.get(v, v)).replace("", None), errors="coerce")
    f.loc[[1, 6], "T2_1"] = -1.0  # "Weigert": a user-missing code the questionnaire does not know
    pyreadstat.write_sav(f, str(path), variable_value_labels={"T2_1": {-1.0: "Weigert", 99.0: "Geen antwoord"}},
                         missing_ranges={"T2_1": [-1.0, 99.0]})


def write_config(folder: Path, scenarios: dict[str, dict]) -> None:
    lines = ["instellingen:", "  minimum_basis: 1", "  waarschuwing_non_respons: 0.25", "regios:"]
    for region, fields in scenarios.items():
        lines += [f"  - id: {region}", f"    naam: {fields.get('naam', region)}", "    metingen:",
                  "      - jaar: 2021", f"        bestand: {fields['bestand']}"]
        # The hand-counted data writes functie and schooltype as the questionnaire's codes; the user says so.
        lines += [f"        {k}: {v}" for k, v in ({"codes": "vragenlijst"} | fields).items()
                  if k not in ("bestand", "naam")]
    (folder / "regios.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("invoer")
    write_config(folder, build(folder))
    return folder


@pytest.fixture(scope="module")
def result(folder, questionnaires):
    config = load_config(folder, questionnaires)
    return validate(config, questionnaires)


def file_result(result, region):
    return next(f for f in result.files if f.export.region == region)


def only(problems, check):
    found = [p for p in problems if p.check == check]
    assert found, f"no {check} among {[p.check for p in problems]}"
    return found


def test_clean_file_is_clean(result):
    f = file_result(result, "goed")
    assert f.problems == () and (f.rows_read, f.rows_used, f.rows_quarantined) == (10, 10, 0)


def test_every_file_accounts_for_every_row(result):
    for f in result.files:
        assert f.rows_read == f.rows_used + f.rows_quarantined, f.name
        assert len(f.quarantine) == f.rows_quarantined
        if f.clean is not None:
            assert len(f.clean.frame) == f.rows_used


def test_missing_column(result):
    f = file_result(result, "kolom-weg")
    (p,) = only(f.problems, "kolom_ontbreekt")
    assert (p.severity, p.file, p.column, p.row) == (ERROR, "kolom_weg.csv", "T2_4", None)
    assert "Vroegtijdiger en snellere inzet" in p.expected and "regios.yaml" in p.action
    assert f.rows_used == 10  # every row goes on; the item counts as not asked


def test_unknown_code(result):
    f = file_result(result, "onbekende-code")
    (p,) = only(f.problems, "onbekende_code")
    assert (p.row, p.respondent, p.column, p.value) == (4, "3", "T1_1", "Misschien")
    assert "1 (Ja), 2 (Nee)" in p.expected and "99 (Geen antwoord)" in p.expected
    # A bad value sets that one answer aside; the respondent counts in every other figure.
    assert (f.rows_used, f.rows_quarantined, f.cells_set_aside) == (10, 0, 1)
    assert "antwoorden" in p.action and "apart gezet" in p.action and p.severity == ERROR


def test_text_in_a_numeric_field(result):
    f = file_result(result, "tekst-in-cijfer")
    (p,) = only(f.problems, "ongeldig_cijfer")
    assert (p.row, p.column, p.value) == (6, "T3_1", "zeven")
    assert "tekst in een veld voor een cijfer" in p.action and "heel cijfer van 1 tot en met 10" in p.expected


@pytest.mark.parametrize("row, value, hint", [(2, "0", "buiten de schaal"), (3, "11", "buiten de schaal"),
                                              (4, "6,5", "heel getal")])
def test_mark_out_of_range_or_not_whole(result, row, value, hint):
    f = file_result(result, "cijfers")
    p = next(p for p in only(f.problems, "ongeldig_cijfer") if p.row == row)
    assert (p.value, p.column) == (value, "T3_1") and hint in p.action
    assert (f.rows_quarantined, f.rows_used, f.cells_set_aside) == (0, 10, 3)


def test_duplicate_respondent_id(result):
    f = file_result(result, "dubbel-id")
    (p,) = only(f.problems, "dubbele_id")
    assert (p.row, p.respondent, p.column) == (12, "4", "respondent_id")
    assert "rij 5" in p.action
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (11, 10, 1)


def test_empty_file(result):
    f = file_result(result, "leeg-bestand")
    (p,) = only(f.problems, "bestand_onleesbaar")
    assert p.severity == ERROR and p.file == "leeg.csv" and "leeg (0 bytes)" in p.action
    assert (f.rows_read, f.rows_used) == (0, 0) and f.clean is None


def test_header_only_file(result):
    f = file_result(result, "alleen-kop")
    (p,) = only(f.problems, "geen_rijen")
    assert p.file == "alleen_kop.csv" and "alleen kolomnamen" in p.action
    assert f.rows_read == 0


def test_file_of_another_wave(result):
    f = file_result(result, "andere-meting")
    (p,) = only(f.problems, "andere_meting")
    assert p.row is None and "2016" in p.value and "regios.yaml" in p.action
    assert len(f.problems) == 1  # one clear message, not one per missing column
    assert (f.rows_read, f.rows_quarantined) == (3, 3)


def test_rows_dated_in_another_wave(result):
    f = file_result(result, "datum-verkeerd")
    found = only(f.problems, "andere_meting_rij")
    assert [(p.row, p.column, p.value) for p in found] == [(10, "startdatum", "14-03-2018 09:30"),
                                                            (11, "startdatum", "15-03-2018 11:00")]
    assert f.rows_used == 8


def test_mixed_encoding_row_is_read_and_named(result):
    f = file_result(result, "codering")
    (p,) = only(f.problems, "leesprobleem")
    assert p.severity == WARNING and p.row == 6 and "Windows-1252" in p.action
    texts = dict(zip(f.clean.frame["respondent"], f.clean.frame["verbetering_open"]))
    assert texts["1"] == "Samenwerking met de coördinator" and texts["5"] == "Overleg met de coördinator"
    assert f.rows_used == 10


def test_configured_encoding_that_is_wrong(result):
    f = file_result(result, "codering-opgegeven")
    (p,) = only(f.problems, "leesprobleem")
    assert "codering" in p.action and "'utf-8'" in p.action
    assert f.clean.frame["verbetering_open"].iloc[0] == "Samenwerking met de coördinator"


def test_rows_of_another_region(result):
    f = file_result(result, "regiotest")
    found = only(f.problems, "andere_regio")
    assert [(p.row, p.column, p.value) for p in found] == [(10, "regio", "Zeeland-Oost"), (11, "regio", OTHER_REGION)]
    assert "staat niet in regios.yaml" in found[0].action
    assert "eigen bestand" in found[1].action
    assert f.rows_used == 8


def test_region_not_configured_on_the_command_line(folder):
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "valideer", "--invoer", str(folder), "--uitvoer",
                           str(folder / "uit"), "--vragenlijsten", str(QUESTIONNAIRES), "--regio", "atlantis"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "Regio 'atlantis' staat niet in regios.yaml" in proc.stderr and "goed" in proc.stderr


def test_missing_sector(result):
    f = file_result(result, "sector-weg")
    (p,) = only(f.problems, "sector_ontbreekt")
    assert (p.row, p.respondent, p.column) == (4, "3", "sector")
    assert "functie 20" in p.value
    assert f.rows_used == 9  # respondent 7, a leerplichtambtenaar, is placed by functie
    assert "7" in set(f.clean.frame["respondent"])


def test_all_empty_row_and_background_only_row(result):
    f = file_result(result, "lege-rij")
    found = only(f.problems, "lege_rij")
    assert [(p.row, p.value) for p in found] == [(5, "rij is helemaal leeg"), (13, "alleen achtergrondgegevens")]
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (12, 10, 2)


def test_xlsx_with_an_extra_sheet(result):
    f = file_result(result, "extra-werkblad")
    (p,) = only(f.problems, "leesprobleem")
    assert p.severity == WARNING and "'Toelichting'" in p.action and "'Antwoorden'" in p.action
    assert f.rows_used == 10 and list(f.clean.frame["_rij"])[:2] == [2, 3]


def test_xlsx_with_a_second_header_row(result):
    f = file_result(result, "tweede-kopregel")
    (p,) = only(f.problems, "leesprobleem")
    assert p.row == 2 and "tweede kopregel" in p.action
    assert f.rows_used == 10 and list(f.clean.frame["_rij"])[:2] == [3, 4]  # Excel rows


def test_answer_outside_filter_and_high_nonresponse_warn(result):
    f = file_result(result, "filter")
    (p,) = only(f.problems, "buiten_filter")
    assert (p.severity, p.row, p.column) == (WARNING, 4, "T4_2")
    assert "Gezamenlijke aandacht voor preventie" in p.expected and "'Ja'" in p.expected
    (nr,) = only(f.problems, "veel_non_respons")
    assert (nr.severity, nr.column, nr.value) == (WARNING, "T5_1", "30% zonder antwoord")
    assert f.rows_used == 10 and not f.errors


def test_sav_with_user_missing_codes(result, questionnaires):
    f = file_result(result, "spss-missing")
    (p,) = only(f.problems, "spss_ontbrekend")
    assert p.severity == WARNING and p.column == "T2_1" and "-1 ('Weigert')" in p.value
    assert "2, 7" in p.action  # SPSS case numbers
    assert f.rows_used == 10 and not f.errors
    from monitor_aoj.ingest.responses import build_responses

    answers = build_responses([f.clean], questionnaires).answers
    vast = answers[answers["item"] == "vast_contactpersoon"].set_index("respondent")
    assert vast.loc["2", "status"] == "geen_antwoord" and vast.loc["7", "status"] == "geen_antwoord"


def test_file_in_folder_but_not_configured(result):
    (p,) = only(result.general, "niet_in_config")
    assert p.file == "vergeten.csv" and p.severity == WARNING


def test_blocking_overall(result):
    assert result.blocking


def test_real_spss_file_with_user_missing_ranges(tmp_path):
    """pyreadstat's own sample: user-missing codes stay values and their ranges are kept for validation."""
    from monitor_aoj.definitions.regions import ExportFile
    from monitor_aoj.ingest.formats import _read_spss

    from conftest import EXTERNAL

    path = EXTERNAL / "spss" / "pyreadstat_sample_missing.sav"
    if not path.exists():
        pytest.skip("external fixtures not present")
    read = _read_spss(ExportFile("x", 2021, path, "spss"))
    pos = read.header.names.index("mylabl")
    assert [r[pos] for r in read.body][:6] == [1.0, 2.0, 1.0, 2.0, 1.0, -1.0]
    assert read.user_missing[pos] == ((-1.0, -1.0),)
    assert read.labels[pos][-1.0] == "undetermined"


def test_no_network_no_files_outside_output_no_progress_bars(folder, questionnaires, tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    from monitor_aoj.ingest.validation.report import write_validation

    out = tmp_path / "output"
    result = validate(load_config(folder, questionnaires), questionnaires)
    write_validation(result, out)
    assert {p.name for p in tmp_path.iterdir()} == {"output"}
    captured = capfd.readouterr()
    assert "Calculating Metrics" not in captured.err and "%|" not in captured.err


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_cli_exit_code_and_reports_follow_the_setting(folder, tmp_path):
    def run(extra_setting: str):
        inp = tmp_path / f"in{len(extra_setting)}"
        inp.mkdir()
        (inp / "data.csv").write_bytes((folder / "onbekende_code.csv").read_bytes())
        (inp / "regios.yaml").write_text(
            f"instellingen:\n  minimum_basis: 1\n{extra_setting}regios:\n  - id: proef\n    metingen:\n"
            "      - jaar: 2021\n        bestand: data.csv\n        codes: vragenlijst\n", encoding="utf-8")
        out = inp / "uit"
        proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                               str(out), "--vragenlijsten", str(QUESTIONNAIRES)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        return proc, out

    proc, out = run("")
    assert proc.returncode == 4
    assert "data.csv: 10 gelezen = 10 gebruikt + 0 in quarantaine" in proc.stdout
    assert "1 antwoord apart gezet" in proc.stdout
    assert "blokkerende problemen" in proc.stderr and "1 antwoord is apart gezet als ongeldig" in proc.stderr
    assert (out / "proef" / "2021" / "monitor-aoj_proef_2021.html").exists()
    html = (out / "proef" / "2021" / "monitor-aoj_proef_2021.html").read_text(encoding="utf-8")
    assert "Antwoorden apart gezet (ongeldig)</th><td>1</td>" in html
    assert "Daarnaast is 1\nantwoord met een ongeldige waarde apart gezet" in html

    proc, out = run("  rapport_bij_quarantaine: nee\n")
    assert proc.returncode == 4
    assert "geen rapporten gemaakt" in proc.stdout
    assert not (out / "proef" / "2021" / "monitor-aoj_proef_2021.html").exists()
    assert (out / "proef" / "2021" / "validatie_proef_2021.html").exists()


def test_renamed_columns_count_for_the_wave_they_are_mapped_to(tmp_path, questionnaires):
    """A 2021 export whose tool kept 2018-style names (Q04, ...), mapped in regios.yaml: not another wave."""
    frame = hand()
    q2021, q2018 = questionnaires[2021], questionnaires[2018]
    renames = {}
    for item in q2021.items:
        if q2018.has_item(item.id) and item.column in frame:
            renames[item.column] = q2018.item(item.id).column
    frame = frame.rename(columns=renames)
    (tmp_path / "oud.csv").write_bytes(csv_bytes(frame))
    mapping = "".join(f"          {old}: {new}\n" for new, old in renames.items())
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: oud\n    metingen:\n      - jaar: 2021\n        bestand: oud.csv\n"
        f"        kolommen:\n{mapping}", encoding="utf-8")
    result = validate(load_config(tmp_path, questionnaires), questionnaires)
    f = result.files[0]
    assert not [p for p in f.problems if p.check == "andere_meting"]
    assert f.rows_used == 10


def test_only_unreadable_exports_give_dutch_messages_not_a_traceback(tmp_path):
    (tmp_path / "regios.yaml").write_text("regios:\n  - id: weg\n    metingen:\n      - {jaar: 2021, bestand: "
                                          "bestaat_niet.csv}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(tmp_path), "--uitvoer",
                           str(tmp_path / "uit"), "--vragenlijsten", str(QUESTIONNAIRES)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert "Bestand niet gevonden" in (tmp_path / "uit" / "validatie.csv").read_text(encoding="utf-8-sig")


def test_missing_filter_question_is_reported_and_the_run_goes_on(tmp_path, questionnaires):
    from monitor_aoj.ingest.responses import build_responses

    (tmp_path / "zonder_filter.csv").write_bytes(csv_bytes(hand().drop(columns=["T4_1"])))
    (tmp_path / "regios.yaml").write_text("regios:\n  - id: z\n    metingen:\n      - {jaar: 2021, bestand: "
                                          "zonder_filter.csv}\n", encoding="utf-8")
    result = validate(load_config(tmp_path, questionnaires), questionnaires)
    assert any(p.check == "kolom_ontbreekt" and p.column == "T4_1" for p in result.files[0].problems)
    answers = build_responses(result.clean_exports(), questionnaires).answers
    assert (answers["item"] == "preventie_afstemming").sum() == 10


def test_excel_with_a_header_used_twice(tmp_path, questionnaires):
    rows = rows_of(hand())
    rows[0] = [("T1_1" if c == "T1_2" else c) for c in rows[0]]  # T1_2 mistyped as a second T1_1
    xlsx(tmp_path / "dubbel.xlsx", {"Antwoorden": rows})
    (tmp_path / "regios.yaml").write_text("regios:\n  - id: d\n    metingen:\n      - {jaar: 2021, bestand: "
                                          "dubbel.xlsx}\n", encoding="utf-8")
    result = validate(load_config(tmp_path, questionnaires), questionnaires)
    f = result.files[0]
    # Which of the two is T1_1 is not guessed: the file is refused with both columns named.
    assert f.clean is None and "'T1_1' staat er 2 keer in (kolommen E, N)" in f.errors[0].action


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_a_report_that_cannot_be_renewed_is_removed_and_the_exit_code_is_about_what_was_asked(tmp_path):
    shutil.copy(DATA / "handtelling" / "handtelling.csv", tmp_path / "goed.csv")
    shutil.copy(DATA / "handtelling" / "handtelling.csv", tmp_path / "later_leeg.csv")
    (tmp_path / "regios.yaml").write_text(
        "instellingen:\n  minimum_basis: 1\nregios:\n"
        "  - id: goed\n    metingen:\n      - {jaar: 2021, bestand: goed.csv, codes: vragenlijst}\n"
        "  - id: later-leeg\n    metingen:\n      - {jaar: 2021, bestand: later_leeg.csv, codes: vragenlijst}\n",
        encoding="utf-8")
    out = tmp_path / "uit"

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(tmp_path),
                               "--uitvoer", str(out), "--vragenlijsten", str(QUESTIONNAIRES), *extra], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    run()
    stale = out / "later-leeg" / "2021" / "monitor-aoj_later-leeg_2021.html"
    assert stale.exists()
    (tmp_path / "later_leeg.csv").write_bytes(b"")  # the export is replaced by an empty file
    proc = run()
    assert proc.returncode == 4
    assert not stale.exists()  # the previous report would pass for a new one
    assert (out / "goed" / "2021" / "monitor-aoj_goed_2021.html").exists()
    # The hand-count file misses columns (errors); but asked for alone, a region is judged on its own file.
    (tmp_path / "goed.csv").write_bytes(csv_bytes(hand()))
    assert run("--regio", "goed").returncode == 0


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_checking_in_parts_finds_exactly_what_one_batch_finds(folder, questionnaires, result, monkeypatch):
    """A large export is checked in parts (ROWS_PER_BATCH); parts of 3 rows, cut through files and mixing
    them, find the very same problems, duplicate ids across parts included."""
    from monitor_aoj.ingest.validation import stage

    monkeypatch.setattr(stage, "ROWS_PER_BATCH", 3)
    parts = validate(load_config(folder, questionnaires), questionnaires)

    def found(v):
        return sorted((p.file, p.row or 0, p.column, p.check, p.value) for f in v.files for p in f.problems)

    assert found(parts) == found(result)
    assert any(p.check == "dubbele_id" for f in parts.files for p in f.problems)
    assert [(f.rows_used, f.rows_quarantined) for f in parts.files] == \
        [(f.rows_used, f.rows_quarantined) for f in result.files]


# --- the catalogue is the one place of every check -------------------------------------------------------------

VALIDATION = ROOT / "monitor_aoj" / "ingest" / "validation"


def _users(folder: Path) -> list[Path]:
    """The modules under `folder` that are the validation package or use it."""
    return [p for p in sorted(folder.rglob("*.py")) if p.parent == VALIDATION or "ingest.validation" in p.read_text()]


def _calls(name: str, folder: Path = VALIDATION):
    """Every call of a function or method called `name` in the modules under `folder` that use validation."""
    import ast

    for path in _users(folder):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called == name:
                    yield path.name, node


def test_every_check_the_code_names_is_in_the_catalogue():
    """Anywhere in the product, a check named (a problem made, CHECKS["x"], p.check == "x") is in the catalogue."""
    import ast

    from monitor_aoj.ingest.validation.catalogue import CHECKS

    product = ROOT / "monitor_aoj"
    named = {(where, node.args[0].value) for where, node in _calls("problem", product)
             if node.args and isinstance(node.args[0], ast.Constant)}
    for path in _users(product):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # CHECKS["x"] and p.check == "x"
            if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "CHECKS" \
                    and isinstance(node.slice, ast.Constant):
                named.add((path.name, node.slice.value))
            if isinstance(node, ast.Compare) and getattr(node.left, "attr", "") == "check":
                named |= {(path.name, c.value) for c in node.comparators if isinstance(c, ast.Constant)}
    assert len({check for _, check in named}) >= 5  # the walk did find the places that name checks
    assert {(where, check) for where, check in named if check not in CHECKS} == set()


def test_every_catalogue_entry_is_complete_and_in_dutch():
    import ast
    import string

    import great_expectations as gx

    from monitor_aoj.ingest.validation.catalogue import CHECKS, Expect

    english = {"the", "and", "please", "should", "missing", "file", "row", "value", "column", "expected", "found"}
    # The facts a template may use: those of an item (the keys Describe.facts sets) and those the finders pass.
    facts = {kw.arg for _, node in _calls("problem") for kw in node.keywords}
    tree = ast.parse((VALIDATION / "translate.py").read_text(encoding="utf-8"))
    method = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "facts")
    for node in ast.walk(method):
        if isinstance(node, ast.Dict):
            facts |= {k.value for k in node.keys if isinstance(k, ast.Constant)}
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "facts":
            facts.add(node.slice.value)
    assert {"column", "short", "allowed", "reason", "first", "percent"} <= facts
    for check, spec in CHECKS.items():
        assert spec.severity in (ERROR, WARNING), check
        assert spec.title and spec.expected and spec.action, check
        assert not (spec.cell and spec.quarantine), check  # a cell is set aside, or the row: not both
        assert spec.checked_for or not (spec.quarantine or spec.cell), check  # the report's Verantwoording lists it
        texts = [spec.title, spec.expected, spec.action, spec.note, spec.reason, spec.checked_for] + (
            [spec.value] if isinstance(spec.value, str) else [])
        for text in texts:
            words = {w.strip(".,:;'()").lower() for w in text.split()}
            assert not words & english, (check, text)
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert used <= facts, (check, used - facts)
        if isinstance(spec.found_by, Expect):
            assert hasattr(gx.expectations, spec.found_by.expectation), check
            assert spec.found_by.columns, check
        else:
            assert spec.found_by.startswith("stage: "), check  # where the stage finds it, said once


def test_a_new_check_is_one_catalogue_entry(tmp_path, questionnaires, monkeypatch):
    """An entry added to the catalogue alone is checked by GX, reported in Dutch from its templates, and named
    by its title in the validation report's CSV and HTML."""
    import dataclasses

    from monitor_aoj.ingest.validation.catalogue import CHECKS, Check, Expect
    from monitor_aoj.ingest.validation.report import write_validation

    monkeypatch.setitem(CHECKS, "proef_leeg", Check(
        "proefcontrole zonder antwoord", WARNING, False, "geen antwoord bij '{short}'", "Laat {column} leeg.",
        Expect("ExpectColumnValuesToBeNull", ("{item}",), applies=lambda item: item.column == "T1_1")))
    monkeypatch.setitem(CHECKS, "dubbele_id", dataclasses.replace(CHECKS["dubbele_id"], title="proefnaam"))
    frame = hand()
    frame = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)  # one duplicate id, for the renamed title
    (tmp_path / "data.csv").write_bytes(csv_bytes(frame))
    write_config(tmp_path, {"proef": {"bestand": "data.csv"}})
    result = validate(load_config(tmp_path, questionnaires), questionnaires)
    found = only(result.files[0].problems, "proef_leeg")
    answered = frame.index[frame["T1_1"] != ""]
    assert [p.row for p in found] == [int(i) + 2 for i in answered]  # rows as the user sees them: header is 1
    short = next(item.short for item in questionnaires[2021].items if item.column == "T1_1")
    assert {(p.severity, p.column, p.expected, p.action) for p in found} == {
        (WARNING, "T1_1", f"geen antwoord bij '{short}'", "Laat T1_1 leeg.")}
    assert {p.value for p in found} == set(frame.loc[answered, "T1_1"])
    write_validation(result, tmp_path / "uit")
    csv_text = (tmp_path / "uit" / "proef" / "2021" / "validatie_proef_2021.csv").read_text(encoding="utf-8-sig")
    kinds = [line.rsplit(";", 1)[1] for line in csv_text.splitlines()[1:]]
    assert kinds.count("proefcontrole zonder antwoord") == len(found) and kinds.count("proefnaam") == 1
    html = (tmp_path / "uit" / "proef" / "2021" / "validatie_proef_2021.html").read_text(encoding="utf-8")
    assert "proefcontrole zonder antwoord" in html and "proefnaam" in html
    assert "dubbel respondentnummer" not in csv_text + html  # the old title: no copy of it is left anywhere


def test_every_problem_made_outside_gx_fills_its_templates():
    """Each place that makes a problem by its check id gives every fact that check's Dutch texts name: the texts
    are filled, per call, with dummy values of exactly the keywords that call passes (a fact missing at one call
    is a KeyError there, in the middle of a user's run)."""
    import ast

    from monitor_aoj.ingest.validation.results import problem

    # results.problem itself, not Describe.problem (which adds the facts of an item and wave to what it is given)
    sites = [(where, node) for where, node in _calls("problem", ROOT / "monitor_aoj")
             if isinstance(node.func, ast.Name) and node.args and isinstance(node.args[0], ast.Constant)]
    assert len(sites) >= 5  # the walk found the finders
    for where, node in sites:
        if any(kw.arg is None for kw in node.keywords):  # **facts passed on: checked where they are made
            continue
        given = {kw.arg: (3 if kw.arg == "row" else "x") for kw in node.keywords}
        made = problem(node.args[0].value, "export.csv", **given)
        assert made.expected and made.action, (where, node.lineno, node.args[0].value)


@pytest.mark.parametrize("read, noun", [(1, "rij"), (0, "rijen"), (2, "rijen")])
def test_the_closing_accounting_counts_rows_in_dutch(read, noun):
    """The total under the files: '1 rij gelezen', never '1 rijen gelezen' (a fresh tester met it)."""
    from monitor_aoj.definitions.regions import ExportFile
    from monitor_aoj.ingest.validation.report import accounting_lines
    from monitor_aoj.ingest.validation.results import FileResult, ValidationResult

    export = ExportFile("regio", 2021, Path("export.csv"), "csv")
    result = ValidationResult((FileResult(export, read, (), None, pd.DataFrame()),))
    assert accounting_lines(result)[-1] == f"Totaal: {read} {noun} gelezen = {read} gebruikt + 0 in quarantaine"
