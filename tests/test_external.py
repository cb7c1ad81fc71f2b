"""Real exports from public projects (../shared/fixtures/external, see SOURCES.md there), read where they are.

They were not made for this project, which is the point: byte-order marks, several header rows, JSON and Python
dicts in header cells, trailing empty columns, value labels in a separate R file, user-missing codes and
windows-1252 text. Each is recognised: its layout, its respondents, its columns, question texts, value labels
and missing codes. Expected numbers are counted here with plain readers, not with ours.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.ingest.csv_files import _decode
from monitor_aoj.ingest.formats import read_table
from monitor_aoj.ingest.layouts import tool_marks

from conftest import EXTERNAL

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"externe testbestanden niet gevonden in {EXTERNAL}")


def table(name: str):
    fmt = "spss" if name.endswith(".sav") else "csv"
    return read_table(ExportFile("extern", 2021, EXTERNAL / name, fmt))


def plain_records(name: str) -> list[list[str]]:
    with open(EXTERNAL / name, encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.reader(handle) if any(c.strip() for c in r)]


@pytest.mark.parametrize("name, layout, header_rows, metadata", [
    ("qualtrics/qualtrics_current_3row.csv", "qualtrics", 3, 17),
    ("qualtrics/qualtrics_legacy_2row.csv", "qualtrics-legacy", 2, 10),
    ("qualtrics/qualtrics_insights_matrix.csv", "qualtrics-insights", 3, 14),
    ("qualtrics/qualtrics_legacy_matrix.csv", "qualtrics-legacy", 2, 10),
    ("qualtrics/qualtrics_text_entry.csv", "qualtrics-insights", 3, 14),
    ("limesurvey/survey_100001_R_data_file.csv", "limesurvey-r", 1, 8),
])
def test_survey_tool_layouts_are_recognised(name, layout, header_rows, metadata):
    t = table(name)
    records = plain_records(name)
    assert t.header.layout == layout and t.header.rows == header_rows
    assert len(t.header.metadata) == metadata  # the tool's own columns: never answers by themselves
    assert len(t.body) == len(records) - header_rows  # every respondent, none of the header rows
    assert not t.faults
    assert not t.header.names[0].startswith("\ufeff")  # the byte-order mark is not part of the first name
    width = len(records[0])
    assert len(t.header.names) == width
    if header_rows >= 2 and layout != "limesurvey-r":
        assert list(t.header.texts) == [c.strip() for c in records[1]][:width]


def test_qualtrics_import_ids_and_texts():
    t = table("qualtrics/qualtrics_current_3row.csv")
    assert t.header.names[17:19] == ("Q1", "Q2") and t.header.texts[17] == "This is a multiple choice question."
    assert t.header.import_ids[17] == "QID1" and t.header.import_ids[0] == "startDate"
    insights = table("qualtrics/qualtrics_insights_matrix.csv")
    assert insights.header.import_ids[11] == "QID2-1"  # "{'ImportId': 'QID2-1'}", a Python dict
    assert 11 not in insights.header.metadata


def test_limesurvey_r_export_takes_codes_texts_and_labels_from_the_syntax_file():
    t = table("limesurvey/survey_100001_R_data_file.csv")
    assert t.header.names[7] == "country" and t.header.texts[7] == "Where do you live?"
    assert t.labels[7]["af00"] == "Afghanistan"
    assert t.labels[8]["decl"] == "I prefer not to say"
    assert t.body[0][7] == "af00"


def test_limesurvey_text_is_decoded():
    text, notes = _decode(ExportFile("extern", 2021, EXTERNAL / "limesurvey" / "survey_100001_R_data_file.csv",
                                     "csv"))
    assert "Amsterdam" in text and "\ufffd" not in text


@pytest.mark.parametrize("name, rows", [("pyreadstat_sample.sav", 5), ("pyreadstat_sample_missing.sav", 7),
                                        ("pyreadstat_simple_alltypes.sav", 6), ("haven_labelled_str.sav", 2),
                                        ("haven_labelled_num_na.sav", 2)])
def test_spss_files_read_with_labels(name, rows):
    t = table(f"spss/{name}")
    assert t.header.layout == "spss" and t.header.rows == 0 and len(t.body) == rows
    assert t.labels  # every one of these files carries value labels
    assert t.rows[:2] == [1, 2]


def test_spss_texts_labels_and_missing_codes():
    t = table("spss/pyreadstat_sample_missing.sav")
    pos = t.header.names.index("mylabl")
    assert t.labels[pos] == {-1.0: "undetermined", 1.0: "Male", 2.0: "Female"}
    assert t.user_missing[pos] == ((-1.0, -1.0),)
    alltypes = table("spss/pyreadstat_simple_alltypes.sav")
    assert alltypes.header.texts[0] == "Numeric variable with value labels"
    assert alltypes.user_missing[0] == ((7.0, 7.0), (8.0, 8.0), (99.0, 99.0))
    strings = table("spss/haven_labelled_str.sav")
    assert strings.labels[0] == {"F": "Female", "M": "Male"}


def test_windows_1252_spss_text():
    t = table("spss/pyreadstat_sample.sav")
    assert "windows-1252" in t.notes[0].text.lower()
    assert t.labels[t.header.names.index("mylabl")] == {1.0: "Male", 2.0: "Female"}


@pytest.mark.parametrize("name, status, tests, finished, unfinished", [
    ("qualtrics/qualtrics_current_3row.csv", "Status", 0, "Finished", []),
    ("qualtrics/qualtrics_legacy_2row.csv", "V7", 0, "V10", []),
    # QualtricsTools' sample surveys were filled by Qualtrics' own test generator: Status 2, 'Survey Test'.
    ("qualtrics/qualtrics_insights_matrix.csv", "Status", 5, "Finished", []),
    ("qualtrics/qualtrics_legacy_matrix.csv", "V7", 5, "V10", []),
    ("qualtrics/qualtrics_text_entry.csv", "Status", 15, "Finished", []),
    # The second response was opened and left: no submit date.
    ("limesurvey/survey_100001_R_data_file.csv", "", 0, "submitdate", [1]),
])
def test_what_the_tool_says_about_each_response(name, status, tests, finished, unfinished):
    t = table(name)
    width = len(t.header.names)
    source = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in t.body], columns=list(t.header.names))
    marks = tool_marks(t.header.layout, source)
    assert (marks.status_column, marks.finished_column) == (status, finished)
    assert int(marks.not_response.notna().sum()) == tests
    if tests:
        assert set(marks.shown) == {"2 (Survey Test)"}
        assert marks.not_response.str.startswith("een testantwoord").all()
    assert [i for i, u in enumerate(marks.unfinished) if u] == unfinished
