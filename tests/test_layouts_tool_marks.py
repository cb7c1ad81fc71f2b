"""What a survey tool's own columns say about each response: Qualtrics' Status (preview, test, spam) and Finished
or Progress, LimeSurvey's submit date. A preview or test row is no respondent: it goes into quarantine with a Dutch
reason. An unfinished response keeps its answers (every percentage is on those who answered the item), but never
silently: the file gets a warning naming its rows. Without these columns nothing changes.

The exports are written here as the tools write them (three header rows with ImportIds, numeric codes or choice
text, CSV or xlsx), with the hand-count respondents of test_validate as their answers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.ingest.columns import RESPONDENT, ROW
from monitor_aoj.ingest.layouts import tool_marks
from monitor_aoj.ingest.validation import validate
from monitor_aoj.ingest.validation.catalogue import ERROR, WARNING

from test_validate import file_result, hand, only, write_config, xlsx

META = [("StartDate", "startDate"), ("EndDate", "endDate"), ("Status", "status"), ("IPAddress", "ipAddress"),
        ("Progress", "progress"), ("Duration (in seconds)", "duration"), ("Finished", "finished"),
        ("RecordedDate", "recordedDate"), ("ResponseId", "_recordId")]
PREVIEW_IDS = ["901", "902", "903"]  # two previews and one spam, after the ten respondents
UNFINISHED = [1, 5]  # positions of the respondents who stopped halfway


def respondents() -> pd.DataFrame:
    """The ten hand-count respondents, two of them stopped after the first questions, and three rows that are
    copies of respondents with ids of their own (the coordinator trying the survey)."""
    f = hand()
    f.loc[UNFINISHED, ["T4_1", "T4_2", "T5_1", "T3_2"]] = ""
    extra = f.iloc[[0, 1, 2]].copy()
    extra["respondent_id"] = PREVIEW_IDS
    extra.iloc[2, extra.columns.get_loc("T1_1")] = "Misschien"  # no code: would be a problem of its own
    return pd.concat([f, extra], ignore_index=True)


def qualtrics(frame: pd.DataFrame, status: list, finished: list, meta: bool = True) -> list[list]:
    """A current Qualtrics export: column ids, question texts, ImportIds, then one row per response."""
    names = [n for n, _ in META] if meta else []
    ids = [json.dumps({"ImportId": i}) for _, i in META] if meta else []
    rows = [names + list(frame.columns), names + [f"Vraagtekst {c}" for c in frame.columns],
            ids + [json.dumps({"ImportId": f"QID{k}"}) for k in range(1, len(frame.columns) + 1)]]
    for k, (answers, s, done) in enumerate(zip(frame.itertuples(index=False), status, finished)):
        progress = 100 if done in (1, "True") else 40
        own = ["2021-03-02 10:00:00", "2021-03-02 10:09:00", s, "", progress, 540, done, "2021-03-02 10:09:00",
               f"R_{k:04d}"] if meta else []
        rows.append(own + [v or None for v in answers])
    return rows


def write_csv(path: Path, rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in r] for r in rows])


NUMERIC_STATUS = [0] * 10 + [1, 1, 8]
NUMERIC_FINISHED = [0 if k in UNFINISHED else 1 for k in range(10)] + [1, 1, 1]
TEXT_STATUS = ["IP Address"] * 10 + ["Survey Test", "Survey Preview", "Spam"]
TEXT_FINISHED = ["False" if v == 0 else "True" for v in NUMERIC_FINISHED]


@pytest.fixture(scope="module")
def result(tmp_path_factory, questionnaires):
    folder = tmp_path_factory.mktemp("tool_marks")
    frame = respondents()
    write_csv(folder / "numeriek.csv", qualtrics(frame, NUMERIC_STATUS, NUMERIC_FINISHED))
    xlsx(folder / "keuzetekst.xlsx", {"Sheet0": qualtrics(frame, TEXT_STATUS, TEXT_FINISHED)})
    write_csv(folder / "zonder.csv", qualtrics(frame, NUMERIC_STATUS, NUMERIC_FINISHED, meta=False))
    # Saved again after deleting the second and third header row: a plain workbook with Qualtrics' columns.
    xlsx(folder / "een_kopregel.xlsx", {"Blad1": qualtrics(frame, NUMERIC_STATUS, NUMERIC_FINISHED)[:1]
                                        + qualtrics(frame, NUMERIC_STATUS, NUMERIC_FINISHED)[3:]})
    lime = frame.iloc[:10].copy()
    lime.loc[4, lime.columns] = ""  # opened the survey and left: no answers, no submit date
    submitted = ["" if k in (4, *UNFINISHED) else "2021-03-02 10:09:00" for k in range(10)]
    write_csv(folder / "lime.csv", [["Response ID", "Date submitted", "Last page", "Start language"]
                                    + list(lime.columns)]
              + [[str(k + 1), when, "3", "nl"] + list(r) for k, (when, r)
                 in enumerate(zip(submitted, lime.itertuples(index=False)))])
    write_config(folder, {"numeriek": {"bestand": "numeriek.csv"}, "keuzetekst": {"bestand": "keuzetekst.xlsx"},
                          "zonder": {"bestand": "zonder.csv"}, "lime": {"bestand": "lime.csv"},
                          "een-kopregel": {"bestand": "een_kopregel.xlsx"}})
    return validate(load_config(folder, questionnaires), questionnaires)


@pytest.mark.parametrize("region, shown", [("numeriek", ["1 (Survey Preview)", "1 (Survey Preview)", "8 (Spam)"]),
                                           ("keuzetekst", ["Survey Test", "Survey Preview", "Spam"])])
def test_previews_tests_and_spam_go_into_quarantine(result, region, shown):
    f = file_result(result, region)
    found = only(f.problems, "testantwoord")
    # Three header rows: the ten respondents are rows 4 to 13, the coordinator's rows 14 to 16.
    assert [(p.row, p.respondent, p.column, p.value) for p in found] == [
        (14, "901", "Status", shown[0]), (15, "902", "Status", shown[1]), (16, "903", "Status", shown[2])]
    assert all(p.severity == ERROR and p.quarantines for p in found)
    first = found[0]
    meaning = "een testantwoord" if region == "keuzetekst" else "een voorbeeldantwoord"
    assert first.action.startswith(f"Volgens Qualtrics is dit geen antwoord van een respondent maar {meaning}")
    assert "De rij telt niet mee." in first.action and "exporteer opnieuw zonder voorbeeld-, test-" in first.action
    assert "spam" in found[2].action.split(". ")[0]
    # The row is one problem, not also a duplicate or an unknown code; it stands in quarantine with its reason.
    assert {p.check for p in f.problems if p.row in (14, 15, 16)} == {"testantwoord"}
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (13, 10, 3)
    assert list(f.quarantine[ROW]) == [14, 15, 16]
    assert f.quarantine["reden"].iloc[0] == f"Status: {shown[0]} (verwacht: een antwoord van een respondent)"
    assert set(f.clean.frame[RESPONDENT].astype(str)) == {str(k) for k in range(1, 11)}
    assert result.blocking
    # The same export without the tool's columns (an older export): every row is a respondent, as before.
    plain = file_result(result, "zonder")
    assert not [p for p in plain.problems if p.check in ("testantwoord", "niet_afgerond")]
    assert (plain.rows_read, plain.rows_used, plain.rows_quarantined) == (13, 13, 0)


@pytest.mark.parametrize("region", ["numeriek", "keuzetekst"])
def test_unfinished_responses_count_as_far_as_they_go_with_a_warning(result, region):
    f = file_result(result, region)
    (p,) = only(f.problems, "niet_afgerond")
    assert (p.severity, p.row, p.column) == (WARNING, None, "Finished")
    assert p.value == "2 van de 10 gebruikte rijen niet afgerond (kolom Finished)"
    assert p.expected == "antwoorden die Qualtrics als afgerond markeert"
    assert "tellen mee voor zover ze gegeven zijn" in p.action
    assert p.action.endswith("Het gaat om 2 rijen: 5 (respondent 2), 9 (respondent 6).")
    assert {5, 9} <= set(f.clean.frame[ROW])  # their answers are used, as far as they go


def test_qualtrics_columns_in_a_plain_workbook_are_read_as_qualtrics(result):
    f = file_result(result, "een-kopregel")
    assert f.clean.layout == "excel"
    assert [(p.row, p.value) for p in only(f.problems, "testantwoord")] == [
        (12, "1 (Survey Preview)"), (13, "1 (Survey Preview)"), (14, "8 (Spam)")]
    assert only(f.problems, "niet_afgerond")[0].action.endswith(
        "Het gaat om 2 rijen: 3 (respondent 2), 7 (respondent 6).")
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (13, 10, 3)


def test_limesurvey_without_submit_date(result):
    f = file_result(result, "lime")
    (p,) = only(f.problems, "niet_afgerond")
    assert (p.severity, p.column, p.value) == (WARNING, "Date submitted",
                                               "2 van de 9 gebruikte rijen niet afgerond (kolom Date submitted)")
    assert p.expected == "antwoorden die LimeSurvey als afgerond markeert"
    assert p.action.endswith("Het gaat om 2 rijen: 3 (respondent 2), 7 (respondent 6).")
    # The visitor who answered nothing is an empty row (quarantine), not also an unfinished one.
    assert [x.row for x in only(f.problems, "lege_rij")] == [6]
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (10, 9, 1)


def test_marks_by_layout():
    source = pd.DataFrame({"Status": ["0", 1, "Survey Test", "IP Address", None, "12", "Imported", 16],
                           "Finished": ["1", 1, "True", "False", 0, False, "Onwaar", 1.0],
                           "Progress": [100, 100, 100, 35, 20, 100, 50, 100]})
    marks = tool_marks("qualtrics", source)
    assert marks.tool == "Qualtrics" and (marks.status_column, marks.finished_column) == ("Status", "Finished")
    assert [m is not None for m in marks.not_response] == [False, True, True, False, False, True, False, False]
    assert marks.shown.tolist()[:3] == ["0 (IP Address)", "1 (Survey Preview)", "Survey Test"]
    assert marks.unfinished.tolist() == [False, False, False, True, True, True, True, False]
    # Without Finished, a progress under 100 marks the response as not finished.
    by_progress = tool_marks("qualtrics", source.drop(columns=["Finished"]))
    assert by_progress.finished_column == "Progress" and by_progress.unfinished.sum() == 3
    # The legacy export numbers its metadata columns: V7 is Status, V10 Finished.
    legacy = tool_marks("qualtrics-legacy", source.rename(columns={"Status": "V7", "Finished": "V10"}))
    assert legacy.not_response.notna().sum() == 3 and legacy.unfinished.sum() == 4
    # A column called Status in a plain CSV is the user's own: it says nothing about the response ...
    plain = tool_marks("csv", source)
    assert plain.tool == "" and plain.not_response.isna().all() and not plain.unfinished.any()
    # ... unless the file has Qualtrics' own columns: a Qualtrics export without its other header rows, or in SPSS.
    for kind in ("csv", "excel", "spss"):
        own = tool_marks(kind, source.assign(ResponseId="R_1", RecordedDate="2021-03-02"))
        assert own.tool == "Qualtrics" and own.not_response.notna().sum() == 3 and own.unfinished.sum() == 4
