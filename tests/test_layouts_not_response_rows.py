"""Rows a Qualtrics export marks as no response (preview, test, spam, synthetic) take part in no check that compares
rows: a preview that used a respondent's number makes the real respondent no duplicate. The Finished column is
read with the project's yes/no words (a Dutch choice-text export writes "Nee"), and the messages say what each
number is and why a row is no response, in one sentence.
"""

from __future__ import annotations

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.definitions.yaml_reader import NO_WORDS, YES_WORDS
from monitor_aoj.ingest.columns import RESPONDENT, ROW
from monitor_aoj.ingest.layouts import NOT_A_RESPONSE, tool_marks
from monitor_aoj.ingest.validation import validate
from monitor_aoj.ingest.validation.catalogue import CHECKS

from test_layouts_tool_marks import qualtrics, write_csv
from test_validate import file_result, hand, only, write_config


def frame() -> pd.DataFrame:
    f = hand()
    extra = f.iloc[[0]].copy()  # the coordinator's preview, with respondent 3's number
    extra["respondent_id"] = "3"
    return pd.concat([f, extra], ignore_index=True)


@pytest.fixture(scope="module")
def result(tmp_path_factory, questionnaires):
    folder = tmp_path_factory.mktemp("geen_antwoord")
    f = frame()
    write_csv(folder / "voorbeeld_eerst.csv", qualtrics(f.iloc[[10, *range(10)]], ["Survey Preview"] + ["0"] * 10,
                                                       [1] * 11))
    # A Dutch choice-text export: Finished says "Nee" and "Onwaar" for the two who stopped, "Ja" or "Waar" else.
    write_csv(folder / "nederlands.csv", qualtrics(f.iloc[:10], ["IP-adres"] * 10,
                                                    ["Ja", "Nee", "Waar", "Waar", "Ja", "Onwaar"] + ["Ja"] * 4))
    write_config(folder, {"eerst": {"bestand": "voorbeeld_eerst.csv"}, "nl": {"bestand": "nederlands.csv"}})
    return validate(load_config(folder, questionnaires), questionnaires)


def test_a_preview_with_a_respondents_number_makes_no_duplicate(result):
    f = file_result(result, "eerst")
    # Row 4 is the preview with number 3; the real respondent 3 is row 7, which must stay.
    assert [(p.row, p.respondent) for p in only(f.problems, "testantwoord")] == [(4, "3")]
    assert not [p for p in f.problems if p.check == "dubbele_id"], [p.action for p in f.problems]
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (11, 10, 1)
    assert 7 in set(f.clean.frame[ROW]) and list(f.quarantine[ROW]) == [4]
    assert sorted(f.clean.frame[RESPONDENT].astype(int)) == list(range(1, 11))


def test_dutch_finished_words_mark_unfinished_responses(result):
    f = file_result(result, "nl")
    (p,) = only(f.problems, "niet_afgerond")
    assert p.value == "2 van de 10 gebruikte rijen niet afgerond (kolom Finished)"
    assert p.action.endswith("Het gaat om 2 rijen: 5 (respondent 2), 9 (respondent 6).")


# "False"/"True" and 0/1 were read before; these are the yes/no words a Dutch or English choice-text export adds.
@pytest.mark.parametrize("no, yes", [("Nee", "Ja"), ("No", "Yes"), ("N", "J")])
def test_finished_yes_no_words(no, yes):
    source = pd.DataFrame({"Status": ["0", "0"], "Finished": [yes, no]})
    assert tool_marks("qualtrics", source).unfinished.tolist() == [False, True]
    assert str(no).casefold() in NO_WORDS and str(yes).casefold() in YES_WORDS  # the project's one rule


def test_one_unfinished_row_names_its_row_and_respondent(tmp_path, questionnaires):
    write_csv(tmp_path / "een.csv", qualtrics(hand(), ["0"] * 10, [1, 1, 1, 1, 0, 1, 1, 1, 1, 1]))
    write_config(tmp_path, {"een": {"bestand": "een.csv"}})
    f = file_result(validate(load_config(tmp_path, questionnaires), questionnaires), "een")
    assert only(f.problems, "niet_afgerond")[0].action.endswith("Het gaat om rij 8 (respondent 5).")


@pytest.mark.parametrize("meaning", sorted(set(NOT_A_RESPONSE.values())))
def test_why_a_row_is_no_response_is_one_clean_sentence(meaning):
    note = CHECKS["testantwoord"].note.format(tool="Qualtrics", meaning=meaning)
    first = note.split(". ")[0]
    assert first.startswith("Volgens Qualtrics is dit geen antwoord van een respondent maar ")
    # Said once: no meaning repeats that it is no respondent's answer.
    assert first.count("respondent") == 1 and "niet door" not in first
    assert note.endswith("De rij telt niet mee.")


def test_synthetic_status_reads_as_one_sentence(tmp_path, questionnaires):
    write_csv(tmp_path / "s.csv", qualtrics(hand(), ["0"] * 9 + ["256"], [1] * 10))
    write_config(tmp_path, {"s": {"bestand": "s.csv"}})
    f = file_result(validate(load_config(tmp_path, questionnaires), questionnaires), "s")
    (p,) = only(f.problems, "testantwoord")
    assert p.value == "256 (Synthetic)"
    assert p.action.startswith("Volgens Qualtrics is dit geen antwoord van een respondent maar een synthetisch "
                               "antwoord, door Qualtrics zelf gemaakt. De rij telt niet mee. ")
