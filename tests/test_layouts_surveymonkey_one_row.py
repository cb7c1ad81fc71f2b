"""A SurveyMonkey-like CSV whose header ('RespondentID,CollectorID,...' or 'Respondent ID,Collector ID,...') is
directly followed by the answers, without SurveyMonkey's second header row: the first respondent is a respondent,
not a header row. Only a row 2 whose tool columns (ids, dates, IP) are empty is SurveyMonkey's sub-header.
"""

from __future__ import annotations

import csv
import re

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.ingest.layouts import detect
from monitor_aoj.ingest.validation import validate

from test_validate import file_result, hand, write_config

OLD = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address", "First Name",
       "LastName", "Custom Data"]
NEW = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
       "Last Name", "Custom Data 1"]
FIRST_ID = 110000000


def export_rows(meta: list[str], second: list[str] | None) -> list[list[str]]:
    """The hand-count respondents under the tool's columns and the questionnaire's names, with `second` (if any)
    as row 2."""
    f = hand()
    columns = [c for c in f.columns if c != "respondent_id"]
    body = [[str(FIRST_ID + k), "2345678", "04/02/2021 09:00:00 AM", "04/02/2021 09:10:00 AM", "1.2.3.4", "", "",
             "", ""] + [str(r[c]) for c in columns] for k, (_, r) in enumerate(f.iterrows())]
    return [meta + columns] + ([second] if second is not None else []) + body


@pytest.mark.parametrize("meta", [OLD, NEW], ids=["oud", "nieuw"])
def test_answers_right_under_the_header_are_the_first_respondent(meta):
    rows = export_rows(meta, None)
    header = detect(rows, "csv")
    assert header.rows == 1 and header.layout == "csv"
    assert list(header.names) == rows[0]  # not "T1_1 - Ja", "sector - Onderwijs"


@pytest.mark.parametrize("meta", [OLD, NEW], ids=["oud", "nieuw"])
def test_second_header_row_is_still_read_as_one(meta):
    columns = export_rows(meta, None)[0][len(meta):]
    second = [""] * len(meta) + ["Open-Ended Response" if c.endswith("toelichting") else "Response" for c in columns]
    header = detect(export_rows(meta, second), "csv")
    assert (header.layout, header.rows) == ("surveymonkey", 2)
    assert list(header.names[len(meta):]) == columns
    assert header.metadata == frozenset(range(len(meta)))


def test_option_texts_in_row_2_are_a_header_row():
    """A matrix question's statements (no 'Response' at all) under empty tool columns: a sub-header."""
    rows = export_rows(OLD, None)
    columns = rows[0][len(OLD):]
    rows[0] = OLD + ["Vraag"] + [""] * (len(columns) - 1)
    rows.insert(1, [""] * len(OLD) + [f"Stelling {k}" for k in range(len(columns))])
    header = detect(rows, "csv")
    assert (header.layout, header.rows) == ("surveymonkey", 2)
    assert header.names[len(OLD) + 1] == "Vraag - Stelling 1"


@pytest.mark.parametrize("meta", [OLD, NEW], ids=["oud", "nieuw"])
def test_every_respondent_is_read_and_used(tmp_path, questionnaires, meta):
    with (tmp_path / "sm.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(export_rows(meta, None))
    (tmp_path / "sm.koppeling.yaml").write_text(f"kolommen:\n  {meta[0]}: respondent_id\n", encoding="utf-8")
    write_config(tmp_path, {"sm": {"bestand": "sm.csv", "koppeling": "sm.koppeling.yaml"}})
    f = file_result(validate(load_config(tmp_path, questionnaires), questionnaires), "sm")
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (10, 10, 0), [p.action for p in f.problems]
    assert not f.errors, [p.action for p in f.errors]
    assert list(f.clean.frame["_rij"])[:2] == [2, 3]  # the first respondent is line 2
    assert sorted(f.clean.frame["respondent"].astype(int)) == [FIRST_ID + k for k in range(10)]
    assert not any(re.search(r" - ", str(c)) for c in f.clean.source.columns)
