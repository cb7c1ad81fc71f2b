"""`monitor-aoj koppel` proposes answer meanings by meaning and scale, never by spelling alone.

Each test writes an export the way the survey tool does (Qualtrics' three header rows, Forms' workbook, a
LimeSurvey CSV, an SPSS file with value labels) with the tool's own wording, drafts the mapping and reads what
the draft proposes under `antwoorden`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import yaml

from monitor_aoj.ingest.decode import code_values, column_coding
from monitor_aoj.ingest.koppel import draft_mapping
from monitor_aoj.ingest.koppel_yaml import render_yaml
from monitor_aoj.ingest.mapping import options_for

T2_1 = "Er is een vast contactpersoon vanuit de jeugdhulp(instanties)."
T2_4 = "De samenwerking tussen onderwijs en jeugdhulp leidt tot een vroegtijdiger en snellere inzet van de jeugdhulp."
T5_1 = "Er is een gezamenlijke evaluatie van de uitvoering van hulp en onderwijs."


def item_id(q, column: str) -> str:
    return next(it.id for it in q.items if it.column == column)


def qualtrics_csv(path: Path, questions: list[tuple[str, list[str]]]) -> Path:
    """A Qualtrics 'choice text' export: names, question texts, ImportIds, then one row per respondent."""
    names = ["StartDate", "EndDate", "Status", "ResponseId", "Finished", "Q1"] + \
        [f"Q{i + 2}" for i in range(len(questions))]
    texts = ["Start Date", "End Date", "Response Type", "Response ID", "Finished", "In welke sector werkt u?"] + \
        [text for text, _ in questions]
    ids = ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"status"}', '{"ImportId":"_recordId"}',
           '{"ImportId":"finished"}', '{"ImportId":"QID1"}'] + [f'{{"ImportId":"QID{i + 2}"}}' for i in
                                                                range(len(questions))]
    rows = max(len(answers) for _, answers in questions)
    body = [["2021-03-01 10:00:00", "2021-03-01 10:09:00", "IP Address", f"R_{r}", "True",
             "Onderwijs" if r % 2 else "Jeugdhulp"] + [answers[r % len(answers)] for _, answers in questions]
            for r in range(rows)]
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([names, texts, ids] + body)
    return path


def drafted(path: Path, q) -> tuple[dict, str]:
    text = render_yaml(draft_mapping(path, q), q, "x.koppeling.yaml")
    return yaml.safe_load(text), text


def comment_of(text: str, value: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(f"{value}:"))


def test_qualtrics_own_wording_decodes_by_meaning(questionnaires, tmp_path):
    """Probe fL: 'Bij alle scholen' was proposed as 'Bij een deel', 'Zeer mee eens' as 'Eens'. Known survey wordings
    now mean their answer by themselves, so the draft asks nothing about them, and each lands on its own answer."""
    q = questionnaires[2021]
    coverage = ["Bij alle scholen", "Bij de meeste scholen", "Bij enkele scholen", "Bij geen enkele school"]
    agree = ["Zeer mee eens", "Mee eens", "Niet eens, niet oneens", "Mee oneens", "Zeer mee oneens"]
    path = qualtrics_csv(tmp_path / "eigen.csv", [(f"Bij hoeveel scholen geldt: - {T2_1}", coverage), (T2_4, agree)])
    raw, _ = drafted(path, q)
    assert raw["kolommen"]["Q2"] == "T2_1" and raw["kolommen"]["Q3"] == "T2_4"
    assert "antwoorden" not in raw
    for column, labels in (("T2_1", coverage), ("T2_4", agree)):
        lookup = column_coding(options_for(q, item_id(q, column)) or [], numbers_are_codes=False).lookup
        assert code_values(pd.Series(labels), lookup).code.tolist() == list(range(1, len(labels) + 1))


def test_two_answers_never_proposed_onto_one(questionnaires, tmp_path):
    """'Volkomen eens' looks like 'Eens' in spelling, but 'Eens' is in the file too: no proposal, the user chooses."""
    q = questionnaires[2021]
    agree = ["Volkomen eens", "Eens", "Neutraal", "Oneens", "Volkomen oneens"]
    path = qualtrics_csv(tmp_path / "volkomen.csv", [(T2_4, agree)])
    raw, text = drafted(path, q)
    assert raw["antwoorden"] == {"T2_4": {"Volkomen eens": None, "Volkomen oneens": None}}
    line = comment_of(text, "Volkomen eens")
    assert "# KIES: 'Volkomen eens' staat niet in de vragenlijst" in line
    assert "maar ook 'Eens' zou op 'Eens' komen" in line
    assert "Kies zelf: Helemaal eens, Eens, Neutraal, Oneens, Helemaal oneens" in line


def test_low_likeness_is_an_open_slot(questionnaires, tmp_path):
    """Probe fG: 'Onzeker' was proposed as 'Nee' (60%). It is LimeSurvey's 'Weet ik niet' and decodes so; an answer
    the program does not know ('Twijfel') is an open slot, never the nearest spelling."""
    q = questionnaires[2021]
    path = qualtrics_csv(tmp_path / "onzeker.csv", [(f"Evalueren - {T5_1}", ["Ja", "Nee", "Onzeker"])])
    raw, _ = drafted(path, q)
    assert raw["kolommen"]["Q2"] == "T5_1" and "antwoorden" not in raw
    path = qualtrics_csv(tmp_path / "twijfel.csv", [(f"Evalueren - {T5_1}", ["Ja", "Nee", "Twijfel"])])
    raw, text = drafted(path, q)
    assert raw["antwoorden"] == {"T5_1": {"Twijfel": None}}
    assert "# KIES: 'Twijfel' staat niet in de vragenlijst" in comment_of(text, "Twijfel")


def test_limesurvey_u_code_is_dont_know(questionnaires, tmp_path):
    """Probe fF: LimeSurvey's answer code U ('Onzeker') was proposed as 'Geen antwoord', out of the base. It is
    'Weet ik niet': on a yes/no item the draft proposes the scale with 'Weet ik niet' instead."""
    q = questionnaires[2021]
    path = tmp_path / "results-survey784512.csv"
    names = ["id", "submitdate", "lastpage", "startlanguage", "seed", "G01Q01", "G02Q04[SQ001]"]
    rows = [[str(i), "2021-03-02 10:07:13", "7", "nl", str(1000 + i), "A1" if i % 2 else "A2", yn]
            for i, yn in enumerate(["Y", "N", "U", "Y", "N", "U", "Y"], start=1)]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows([names] + rows)
    draft = draft_mapping(path, q)
    (column,) = [c for c in draft.columns if c.source == "G02Q04[SQ001]"]
    assert q.item(column.target).closed_scale.id == "ja_nee"
    assert draft.scales[column.target][0] == "ja_nee_weet"
    assert column.target not in draft.answers  # no 'U: Geen antwoord'


def write_sav(path: Path, labels: dict[int, str]) -> Path:
    frame = pd.DataFrame({"respnr": [1.0, 2.0, 3.0, 4.0, 5.0], "sector": [1.0, 2.0, 1.0, 2.0, 1.0],
                          "T2_4": [float(c) for c in labels]})
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"sector": {1.0: "Onderwijs", 2.0: "Jeugdhulp"},
                                                                  "T2_4": {float(c): t for c, t in labels.items()}})
    return path


def test_spss_codes_give_the_order(questionnaires, tmp_path):
    """SPSS value labels in the region's own words: the codes' order places them when the labels that do decode
    agree with it, from either end; with only the middle decoding, the direction is unknown and the user chooses."""
    q = questionnaires[2021]
    up = write_sav(tmp_path / "op.sav", {1: "Volledig akkoord", 2: "Akkoord", 3: "Neutraal", 4: "Niet akkoord",
                                         5: "Helemaal oneens"})
    raw, text = drafted(up, q)
    assert raw["antwoorden"]["T2_4"] == {1: "Helemaal eens", 2: "Eens", 4: "Oneens"}
    assert "op volgorde van de codes in het bestand (code 2 is de 2e van 5, en 3, 5 passen" in comment_of(text, "2")
    down = write_sav(tmp_path / "af.sav", {1: "Helemaal oneens", 2: "Niet akkoord", 3: "Neutraal", 4: "Akkoord",
                                           5: "Volledig akkoord"})
    raw, _ = drafted(down, q)
    assert raw["antwoorden"]["T2_4"] == {2: "Oneens", 4: "Eens", 5: "Helemaal eens"}
    middle = write_sav(tmp_path / "midden.sav", {1: "Volledig akkoord", 2: "Akkoord", 3: "Neutraal",
                                                 4: "Niet akkoord", 5: "Totaal niet akkoord"})
    raw, _ = drafted(middle, q)
    assert raw["antwoorden"]["T2_4"] == {1: None, 2: None, 4: None, 5: None}


def test_forms_other_text_is_never_a_category(questionnaires, tmp_path):
    """Probe fA: in Forms the text typed under 'Anders' stands in the functie column. 'Orthopedagoog' was proposed
    as 'J&G coach' (42%), moving the respondent to the other sector; it is the 'Anders' answer. A shortened label
    of a category is still proposed as that category."""
    q = questionnaires[2021]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "In welke sector werkt u?",
               "Wat is uw functie?", "Er is een multidisciplinair overleg waaraan professionals uit onderwijs en "
               "jeugdhulp deelnemen."])
    for i, (sector, functie) in enumerate([("Onderwijs", "Mentor"), ("Jeugdhulp", "J&G coach"),
                                           ("Onderwijs", "Orthopedagoog"), ("Jeugdhulp", "Leerplicht"),
                                           ("Onderwijs", "Intern begeleider")], start=1):
        ws.append([i, "2021-03-02 10:07:13", "2021-03-02 10:16:13", "anonymous", "anonymous", sector, functie, "Ja"])
    path = tmp_path / "aoj_2021_forms.xlsx"
    wb.save(path)
    raw, text = drafted(path, q)
    assert raw["kolommen"]["Wat is uw functie?"] == "functie"
    assert raw["antwoorden"]["functie"] == {"Orthopedagoog": "Anders, namelijk", "Leerplicht": "Leerplichtambtenaar"}
    assert "lijkt een eigen antwoord bij 'Anders, namelijk'" in comment_of(text, "Orthopedagoog")
