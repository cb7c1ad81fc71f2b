"""Readers: the same ten respondents as SPSS, Dutch-Excel CSV, UTF-8 CSV and .xlsx give the same Responses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import ExportFile, load_config
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.mapping import ExportMapping
from monitor_aoj.ingest.read import ROW, read_export
from monitor_aoj.ingest.responses import build_responses

from conftest import DATA, SAMPLES

HAND = DATA / "handtelling" / "handtelling.csv"


def hand_frame() -> pd.DataFrame:
    return pd.read_csv(HAND, sep=";", dtype=str, keep_default_na=False)


def export(path: Path, fmt: str, columns=(), **kw) -> ExportFile:
    # The hand-counted file writes functie and schooltype as the questionnaire's codes; the user says so.
    mapping = ExportMapping(numbers_are_codes=True, columns=tuple(columns))
    return ExportFile(region="proefregio", wave=2021, path=path, format=fmt, mapping=mapping, **kw)


def tidy(exp: ExportFile, questionnaires):
    raw = read_export(exp, questionnaires[2021])
    resp = build_responses([raw], questionnaires)
    answers = resp.answers.drop(columns=[]).sort_values(["item", "respondent"]).reset_index(drop=True)
    return raw, resp, answers


@pytest.fixture(scope="module")
def reference(questionnaires):
    return tidy(export(HAND, "csv"), questionnaires)


def as_codes(q, frame: pd.DataFrame) -> pd.DataFrame:
    """The hand data with every label replaced by its code (what SPSS users export)."""
    out = frame.copy()
    for col in out.columns:
        for it in q.items:
            if it.column == col and not it.is_open and it.scale.kind != "cijfer":
                labels = {it.scale.label(c): c for c in it.scale.codes}
                out[col] = out[col].map(lambda v: labels.get(v, v))
    out["sector"] = out["sector"].map({"Onderwijs": 1, "Jeugdhulp": 2})
    for col in out.columns:
        if col != "T3_2":
            out[col] = pd.to_numeric(out[col].replace("", None), errors="coerce")
    return out


def test_spss_with_value_labels_and_user_missing(tmp_path, questionnaires, reference):
    import pyreadstat

    q = questionnaires[2021]
    frame = as_codes(q, hand_frame())
    path = tmp_path / "proef.sav"
    labels = {"T1_1": {1.0: "Ja", 2.0: "Nee", 99.0: "Geen antwoord"},
              "T2_1": {1.0: "Overal", 2.0: "Bij de meerderheid", 3.0: "Bij een deel", 4.0: "Nergens",
                       99.0: "Geen antwoord"},
              "sector": {1.0: "Onderwijs", 2.0: "Jeugdhulp"}}
    pyreadstat.write_sav(frame, str(path), column_labels=list(frame.columns), variable_value_labels=labels,
                         missing_ranges={"T2_1": [99.0], "T4_2": [99.0]})
    raw, resp, answers = tidy(export(path, "spss"), questionnaires)
    assert raw.header_rows == 0 and list(raw.frame[ROW])[:2] == [1, 2]
    assert raw.value_labels["vast_contactpersoon"][4.0] == "Nergens"
    # User-missing 99 stays a value (not a blank), and the questionnaire says it means "geen antwoord".
    assert raw.frame.loc[9, "vast_contactpersoon"] == 99.0
    pd.testing.assert_frame_equal(answers, reference[2])
    pd.testing.assert_frame_equal(resp.respondents.drop(columns=["file", "row"]),
                                  reference[1].respondents.drop(columns=["file", "row"]))


def test_dutch_excel_csv_cp1252_semicolon(tmp_path, questionnaires, reference):
    frame = hand_frame()
    frame.loc[0, "T3_2"] = "Vaker samen om tafel"
    frame["functie_anders"] = ["", "", "", "Coördinator zorg", "", "", "", "", "", ""]
    frame["T3_1"] = frame["T3_1"].map(lambda v: f"{v},0")  # Dutch Excel writes 7,0
    path = tmp_path / "proef.csv"
    path.write_bytes(frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252"))
    raw, resp, answers = tidy(export(path, "csv"), questionnaires)
    info = " ".join(n.text for n in raw.notes)
    assert "Windows-1252" in info and "puntkomma" in info and not any(n.warning for n in raw.notes)
    assert resp.respondents["functie_other"].iloc[3] == "Coördinator zorg"
    pd.testing.assert_frame_equal(answers, reference[2])


def test_utf8_bom_comma_csv_with_codes(tmp_path, questionnaires, reference):
    frame = as_codes(questionnaires[2021], hand_frame())
    path = tmp_path / "proef.csv"
    path.write_text(frame.to_csv(index=False), encoding="utf-8-sig")
    raw, _, answers = tidy(export(path, "csv"), questionnaires)
    info = " ".join(n.text for n in raw.notes)
    assert "UTF-8" in info and "scheidingsteken komma" in info
    pd.testing.assert_frame_equal(answers, reference[2])


def test_xlsx_with_labels_and_numbers(tmp_path, questionnaires, reference):
    import openpyxl

    frame = hand_frame()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"  {c} " if c == "T1_1" else c for c in frame.columns])  # stray spaces around a name
    for row in frame.itertuples(index=False):
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    path = tmp_path / "proef.xlsx"
    book.save(path)
    raw, _, answers = tidy(export(path, "excel"), questionnaires)
    assert raw.header_rows == 1 and list(raw.frame[ROW])[:2] == [2, 3]  # Excel row numbers
    pd.testing.assert_frame_equal(answers, reference[2])


def test_column_names_from_region_config(tmp_path, questionnaires, reference):
    frame = hand_frame().rename(columns={"T1_1": "Vraag 1", "respondent_id": "ResponseId"})
    path = tmp_path / "proef.csv"
    path.write_text(frame.to_csv(sep=";", index=False), encoding="utf-8")
    exp = export(path, "csv", columns=(("Vraag 1", "T1_1"), ("ResponseId", "respondent_id")))
    raw, _, answers = tidy(exp, questionnaires)
    assert raw.source_columns["mdo_aanwezig"] == "Vraag 1"
    pd.testing.assert_frame_equal(answers, reference[2])


def test_unknown_columns_are_listed_missing_columns_named(tmp_path, questionnaires):
    frame = hand_frame().drop(columns=["T2_4"])
    frame["duur"] = "5"
    path = tmp_path / "proef.csv"
    path.write_text(frame.to_csv(sep=";", index=False), encoding="utf-8")
    raw = read_export(export(path, "csv"), questionnaires[2021])
    assert "duur" in raw.extra_columns
    assert "snellere_inzet" in raw.missing_columns
    assert raw.source_columns["snellere_inzet"] == "T2_4"  # the name the user will look for


def test_empty_file_is_refused_in_dutch(tmp_path, questionnaires):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="leeg"):
        read_export(export(path, "csv"), questionnaires[2021])


def test_every_committed_sample_file_reads(questionnaires):
    from monitor_aoj.demo.samples import REGIONS

    config = load_config(SAMPLES, questionnaires)
    sizes = {(r.id, w): spec.n for r in REGIONS for w, spec in r.waves.items()}
    formats = set()
    for exp in config.exports:
        raw = read_export(exp, questionnaires[exp.wave])
        formats.add(exp.format)
        assert len(raw.frame) == sizes[(exp.region, exp.wave)], exp.path.name
        assert raw.missing_columns == (), exp.path.name
    assert formats == {"spss", "csv", "excel"}


def test_sample_data_is_what_the_generator_makes(tmp_path, questionnaires):
    """The committed samples are the seeded generator's output: regenerate and compare the content."""
    from monitor_aoj.demo.sample_files import write_sample

    write_sample(tmp_path, questionnaires)
    assert (tmp_path / "regios.yaml").read_text() == (SAMPLES / "regios.yaml").read_text()
    fresh = load_config(tmp_path, questionnaires)
    committed = load_config(SAMPLES, questionnaires)
    for a, b in zip(fresh.exports, committed.exports):
        ra, rb = read_export(a, questionnaires[a.wave]), read_export(b, questionnaires[b.wave])
        pd.testing.assert_frame_equal(ra.frame, rb.frame, check_dtype=False)


def test_config_region_id_must_be_a_safe_folder_name(tmp_path, questionnaires):
    from monitor_aoj.errors import ConfigError

    (tmp_path / "regios.yaml").write_text("regios:\n  - id: ../buiten\n    metingen: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="kleine letters"):
        load_config(tmp_path, questionnaires)


def test_config_typo_is_named(tmp_path, questionnaires):
    from monitor_aoj.errors import ConfigError

    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: a\n    metingen:\n      - jaar: 2021\n        bestand: a.csv\n        extra_vragn: []\n",
        encoding="utf-8")
    with pytest.raises(ConfigError, match="extra_vragn"):
        load_config(tmp_path, questionnaires)


def test_dataclass_is_frozen():
    exp = export(HAND, "csv")
    with pytest.raises(dataclasses.FrozenInstanceError):
        exp.wave = 2018  # type: ignore[misc]


def test_a_single_name_is_a_list_of_one_not_letters(tmp_path, questionnaires):
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: a\n    organisaties: Jeugdteam Beekdal\n    metingen:\n      - jaar: 2021\n"
        "        bestand: a.csv\n        extra_vragen: extra_jg_coach_preventief\n", encoding="utf-8")
    config = load_config(tmp_path, questionnaires)
    assert config.regions[0].organisations == ("Jeugdteam Beekdal",)
    assert config.exports[0].extras == ("extra_jg_coach_preventief",)


def test_a_mapping_where_a_list_belongs_is_refused_in_dutch(tmp_path, questionnaires):
    from monitor_aoj.errors import ConfigError

    (tmp_path / "regios.yaml").write_text("regios:\n  - id: a\n    gemeenten: {x: 1}\n    metingen: []\n",
                                          encoding="utf-8")
    with pytest.raises(ConfigError, match="verwacht een lijst"):
        load_config(tmp_path, questionnaires)


def test_regios_yaml_saved_by_notepad_in_windows_1252(tmp_path, questionnaires):
    (tmp_path / "regios.yaml").write_bytes(
        "regios:\n  - id: a\n    naam: Coöperatie Zuid\n    metingen: []\n".encode("cp1252"))
    assert load_config(tmp_path, questionnaires).regions[0].name == "Coöperatie Zuid"


@pytest.mark.parametrize("change, message", [
    (("code: 1, label: Ja}", "code: een, label: Ja}"), "heel getal"),
    (("    positief: [1]\n    positief_label: ja\n  ja_nee_weet:", "    positief_label: ja\n  ja_nee_weet:"),
     "'positief' ontbreekt"),
])
def test_questionnaire_mistakes_are_named(tmp_path, change, message):
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaire
    from monitor_aoj.errors import ConfigError

    from conftest import QUESTIONNAIRES

    text = (QUESTIONNAIRES / "aoj_2021.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    (tmp_path / "aoj_2021.yaml").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_questionnaire(tmp_path / "aoj_2021.yaml")
