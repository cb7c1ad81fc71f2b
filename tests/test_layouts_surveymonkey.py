"""SurveyMonkey's older CSV export: 'RespondentID,CollectorID,StartDate,...' without spaces, a question's text only
above its first column, and a second header row with 'Response', 'Open-Ended Response' or the matrix statements.
It is the same layout as the current export ('Respondent ID', 'Collector ID'): two header rows, the metadata
columns never answers, each matrix column named by its question and statement.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.ingest.layouts import detect
from monitor_aoj.ingest.validation import validate

from test_validate import file_result, hand, write_config

META = ["RespondentID", "CollectorID", "StartDate", "EndDate", "IP Address", "Email Address", "First Name",
        "LastName", "Custom Data"]
MATRIX = "Geef bij elke stelling aan of die in uw regio geldt."


def legacy_rows() -> tuple[list[list[str]], list[str]]:
    """The hand-count respondents as the old SurveyMonkey CSV holds them: the T1 statements as one matrix
    question, every other question a column of its own; returns the rows and the matrix columns' names."""
    f = hand()
    matrix = [c for c in f.columns if re.fullmatch(r"T1_\d", c)]
    single = [c for c in f.columns if c not in matrix and c != "respondent_id"]
    first = META + single + [MATRIX] + [""] * (len(matrix) - 1)
    second = [""] * len(META) + ["Open-Ended Response" if c.endswith(("_2", "toelichting")) else "Response"
                                 for c in single] + matrix
    body = [[str(1140000 + int(r["respondent_id"])), "25000001", "03/02/2021 10:07:13 AM", "03/02/2021 10:17:13 AM",
             "145.1.3.9", "", "", "", ""] + [r[c] for c in single] + [r[c] for c in matrix]
            for _, r in f.iterrows()]
    return [first, second] + body, [f"{MATRIX} - {c}" for c in matrix]


def test_old_header_is_recognised_as_surveymonkey():
    rows, matrix_names = legacy_rows()
    header = detect(rows, "csv")
    assert (header.layout, header.rows) == ("surveymonkey", 2)
    assert header.metadata == frozenset(range(len(META)))
    # The empty cells of row 1 take the matrix question from the left; row 2 names the statement.
    assert list(header.names[-len(matrix_names):]) == matrix_names
    assert header.names[len(META)] == "sector"  # 'Response' under a single question adds nothing
    assert set(header.texts[-len(matrix_names):]) == {MATRIX}


@pytest.fixture(scope="module")
def result(tmp_path_factory, questionnaires):
    folder: Path = tmp_path_factory.mktemp("surveymonkey_oud")
    rows, matrix_names = legacy_rows()
    with (folder / "Sheet_1.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    mapping = "".join(f"  {name}: {name.rsplit(' - ', 1)[1]}\n" for name in matrix_names)
    (folder / "Sheet_1.koppeling.yaml").write_text(
        f"indeling: surveymonkey\nkolommen:\n  RespondentID: respondent_id\n{mapping}", encoding="utf-8")
    write_config(folder, {"oud": {"bestand": "Sheet_1.csv", "koppeling": "Sheet_1.koppeling.yaml"}})
    return validate(load_config(folder, questionnaires), questionnaires)


def test_old_export_reads_every_respondent_and_no_header_row(result):
    f = file_result(result, "oud")
    assert f.clean is not None, [p.action for p in f.problems]
    assert f.clean.layout == "surveymonkey" and f.clean.header_rows == 2
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (10, 10, 0)
    assert list(f.clean.frame["_rij"])[:2] == [3, 4]  # the first respondent is row 3, under two header rows
    assert not f.errors, [p.action for p in f.errors]
    assert sorted(f.clean.frame["respondent"].astype(int)) == [1140000 + k for k in range(1, 11)]
