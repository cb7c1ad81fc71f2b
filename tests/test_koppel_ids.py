"""A respondent-id column whose values repeat is never proposed as the respondent id, and ids that Excel rounded
('1,18052E+11') are named as such, with what to do instead of deleting rows."""

from __future__ import annotations

from pathlib import Path

import yaml

from monitor_aoj.ingest.koppel import draft_mapping
from monitor_aoj.ingest.koppel_yaml import render_yaml
from monitor_aoj.ingest.validation.decoders import rounded_id

from conftest import DATA

SECTOR = "In welke sector werkt u?"
T1_1 = "Er is een multidisciplinair overleg waaraan professionals uit onderwijs en jeugdhulp deelnemen."


def monkey_resaved(path: Path, ids: list[str]) -> Path:
    """A SurveyMonkey CSV export opened and saved again in a Dutch Excel: semicolons, two header rows, and the
    12-digit Respondent IDs as Excel shows them."""
    header = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
              "Last Name", "Custom Data 1", SECTOR, T1_1]
    second = [""] * 9 + ["Response", "Response"]
    rows = [[rid, "405123987", "2-3-2021 10:07", "2-3-2021 10:17", "145.1.3.9", "", "", "", "",
             "Onderwijs" if i % 2 else "Jeugdhulp", "Ja" if i % 3 else "Nee"] for i, rid in enumerate(ids)]
    path.write_text("\n".join(";".join(r) for r in [header, second] + rows) + "\n", encoding="cp1252")
    return path


def test_excel_rounded_ids_are_not_recommended(questionnaires, tmp_path):
    """Probe fJ: all 26 ids read '1,18052E+11'; koppel recommended the column, then 25 rows went into quarantine as
    duplicates with the advice to delete them."""
    q = questionnaires[2021]
    path = monkey_resaved(tmp_path / "AOJ 2021 Sheet_1.csv", ["1,18052E+11"] * 26)
    draft = draft_mapping(path, q)
    text = render_yaml(draft, q, "x.yaml")
    assert "'Respondent ID: respondent_id'" not in text
    assert "respondent_id" not in yaml.safe_load(text)["kolommen"].values()
    assert ("#   ('Respondent ID' is geen bruikbaar respondentnummer: de waarden zijn niet uniek (26 rijen, 1 "
            "verschillende waarde). De nummers staan in de wetenschappelijke notatie van Excel (zoals 1,18052E+11): "
            "Excel heeft ze afgerond") in text
    assert "Exporteer opnieuw als CSV en open die niet eerst in Excel, of zet de kolom in Excel op 'Tekst'" in text
    # Whole ids: recommended as before.
    whole = monkey_resaved(tmp_path / "heel.csv", [str(118052000001 + i) for i in range(26)])
    assert "(als respondentnummer kunt u 'Respondent ID: respondent_id' onder kolommen zetten)" in render_yaml(
        draft_mapping(whole, q), q, "x.yaml")


def test_a_column_named_respondent_id_with_repeats_is_no_id(questionnaires, tmp_path):
    q = questionnaires[2021]
    path = tmp_path / "eigen.csv"
    path.write_text("respondent_id;sector;T1_1\n7;Onderwijs;Ja\n7;Jeugdhulp;Nee\n8;Onderwijs;Ja\n",
                    encoding="utf-8")
    text = render_yaml(draft_mapping(path, q), q, "x.yaml")
    assert "respondent_id" not in yaml.safe_load(text)["kolommen"]
    assert ("#   respondent_id: heet als het respondentnummer, maar is het niet: de waarden zijn niet uniek (3 "
            "rijen, 2 verschillende waarden)") in text


def test_duplicate_id_hint_names_excel():
    """For the duplicate-id message (catalogue 'dubbele_id', hint): only ids in Excel's scientific notation."""
    for shown in ("1,18052E+11", "1.18E+11", " 1,18052E+11 "):
        hint = rounded_id(None, "x.csv", 4, "respondent", shown)
        assert hint.startswith(f"De nummers staan in de wetenschappelijke notatie van Excel (zoals {shown.strip()})")
        assert hint.endswith("Verwijder deze rijen dus niet.")
    for shown in ("118052000001", "R_3xY", "1,5"):
        assert rounded_id(None, "x.csv", 4, "respondent", shown) == ""


def test_the_duplicate_id_message_names_excels_rounding(tmp_path):
    """Validation end to end: ids Excel rounded to one number are still duplicates (quarantine), and the message
    says why and not to delete the rows; an ordinary duplicate id gets no such sentence."""
    from monitor_aoj import pipeline
    from monitor_aoj.ingest.validation import validate

    lines = (DATA / "handtelling" / "handtelling.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(";", 1) for line in lines[1:4]]
    ids = ["1,18052E+11", "1,18052E+11", "7", "7"]
    text = "\n".join([lines[0]] + [f"{i};{rest}" for i, (_, rest) in zip(ids, rows + rows[:1])]) + "\n"
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: a\n    metingen:\n      - {jaar: 2021, bestand: a.csv, codes: vragenlijst}\n",
        encoding="utf-8")
    s = pipeline.setup(pipeline.Paths(tmp_path, None, tmp_path / "uit"))
    (f,) = validate(s.config, s.questionnaires, list(s.config.exports)).files
    duplicates = [p for p in f.problems if p.check == "dubbele_id"]
    assert [p.row for p in duplicates] == [3, 5]
    rounded, ordinary = duplicates
    assert "wetenschappelijke notatie van Excel" in rounded.action
    assert "Verwijder deze rijen dus niet." in rounded.action
    assert "Excel" not in ordinary.action
