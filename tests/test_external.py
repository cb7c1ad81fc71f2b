"""Real exports from public projects (../shared/fixtures/external, see SOURCES.md there), read where they are.

They were not made for this project, which is the point: byte-order marks, several header rows, JSON in
header cells, trailing empty columns, value labels, user-missing codes and windows-1252 text.
"""

from __future__ import annotations

import pytest

from monitor_aoj.config import ExportFile
from monitor_aoj.ingest.read import _decode, _read_csv, _read_spss

from conftest import EXTERNAL

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"externe testbestanden niet gevonden in {EXTERNAL}")


def export(path, fmt):
    return ExportFile("extern", 2021, path, fmt)


@pytest.mark.parametrize("name, columns, first", [
    ("qualtrics/qualtrics_current_3row.csv", 20, "StartDate"),
    ("qualtrics/qualtrics_legacy_2row.csv", 16, "V1"),
    ("qualtrics/qualtrics_insights_matrix.csv", None, None),
    ("qualtrics/qualtrics_legacy_matrix.csv", None, None),
    ("qualtrics/qualtrics_text_entry.csv", None, None),
    ("limesurvey/survey_100001_R_data_file.csv", None, "Response ID"),
])
def test_survey_tool_csv_exports_read(name, columns, first):
    path = EXTERNAL / name
    read = _read_csv(export(path, "csv"))
    header = list(read.frame.columns)
    assert not header[0].startswith("\ufeff")  # the byte-order mark is not part of the first name
    if first is not None:
        assert header[0] == first
    if columns is not None:
        assert len(header) == columns
    assert len(read.frame) >= 1
    assert any(n.kind == "bestandsinfo" and "UTF-8" in n.text for n in read.notes)


def test_qualtrics_header_rows_are_kept_as_rows_not_lost():
    # The current Qualtrics layout has three header rows: row 2 (labels) and row 3 (ImportId JSON) arrive as
    # the first data rows, so a survey-tool layout can recognise and skip them; nothing is silently dropped.
    read = _read_csv(export(EXTERNAL / "qualtrics" / "qualtrics_current_3row.csv", "csv"))
    assert read.frame.iloc[0, 0] == "Anfangsdatum"
    assert "ImportId" in read.frame.iloc[1, 0]


def test_limesurvey_text_is_decoded():
    text, notes = _decode(export(EXTERNAL / "limesurvey" / "survey_100001_R_data_file.csv", "csv"))
    assert "Amsterdam" in text and "\ufffd" not in text


@pytest.mark.parametrize("name", ["pyreadstat_sample.sav", "pyreadstat_sample_missing.sav",
                                  "pyreadstat_simple_alltypes.sav", "haven_labelled_str.sav",
                                  "haven_labelled_num_na.sav"])
def test_spss_files_read_with_labels(name):
    read = _read_spss(export(EXTERNAL / "spss" / name, "spss"))
    assert len(read.frame) >= 1
    assert read.labels  # every one of these files carries value labels
    assert read.header_rows == 0


def test_windows_1252_spss_text():
    read = _read_spss(export(EXTERNAL / "spss" / "pyreadstat_sample.sav", "spss"))
    assert "windows-1252" in read.notes[0].text.lower()
    assert read.labels["mylabl"] == {1.0: "Male", 2.0: "Female"}
