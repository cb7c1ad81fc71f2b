"""Survey-tool layouts: which rows of an export are headers, what each column is called, which are metadata.

Survey tools put more than column names above the answers: Qualtrics writes ids, question texts and an
ImportId row (current and 2016 'Insights' exports) or V1..V10 metadata columns (legacy); SurveyMonkey puts
a question's text only above its first column and the answer option below it; Microsoft Forms and LimeSurvey
start with their own metadata columns. `detect` recognises these from the first rows of a table, so that
reading skips exactly the header rows and names every column as the user will recognise it. Metadata
columns are never taken for answers, but a mapping may still name them (a ResponseID as respondent id).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

import pandas as pd

from monitor_aoj.definitions.yaml_reader import NO_WORDS
from monitor_aoj.ingest.decode import answer_key, fold

# Layout name -> how it is called in Dutch messages. Names are what `indeling:` in a mapping accepts.
LAYOUTS: dict[str, str] = {
    "qualtrics": "Qualtrics (drie kopregels)",
    "qualtrics-insights": "Qualtrics Insights (drie kopregels, ImportId als woordenboek)",
    "qualtrics-legacy": "Qualtrics, oude indeling (V1..V10)",
    "limesurvey": "LimeSurvey CSV",
    "limesurvey-r": "LimeSurvey R-export (data en syntaxbestand)",
    "surveymonkey": "SurveyMonkey (twee kopregels)",
    "forms": "Microsoft Forms",
    "spss": "SPSS",
    "csv": "CSV",
    "excel": "Excel",
}

# Other names a user (or a tool's documentation) gives the same layouts.
LAYOUT_ALIASES = {"csv-nl": "csv", "csv-utf16": "csv", "xlsx": "excel", "limesurvey-teksten": "limesurvey",
                  "limesurvey-codes": "limesurvey", "surveymonkey-csv": "surveymonkey",
                  "surveymonkey-xlsx": "surveymonkey", "microsoft-forms": "forms", "sav": "spss"}

_IMPORT_ID = re.compile(r"^\s*\{\s*[\"']ImportId[\"']\s*:")
_LEGACY_META = tuple(f"V{i}" for i in range(1, 11))
# SurveyMonkey's own columns, without spaces: its current exports write "Respondent ID", older ones "RespondentID".
_MONKEY_META = {"respondentid", "collectorid", "startdate", "enddate", "ipaddress", "emailaddress", "firstname",
                "lastname", "customdata1", "customdata"}
_MONKEY_SINGLE = {"response", "open-ended response", ""}
_LIME_META = {"response id", "id", "date submitted", "submitdate", "last page", "lastpage", "start language",
              "startlanguage", "seed", "date started", "startdate", "date last action", "datestamp", "token",
              "ip address", "ipaddr", "referrer url", "refurl", "total time", "interviewtime"}
_FORMS_META = {"id", "start time", "completion time", "email", "name", "last modified time", "begintijd",
               "tijd van voltooien", "e-mail", "naam", "tijd van laatste wijziging"}
_QUALTRICS_META = {"startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)", "finished",
                   "recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail",
                   "externalreference", "locationlatitude", "locationlongitude", "distributionchannel",
                   "userlanguage", "responseset", "externaldatareference", "locationaccuracy"}

# What a tool's own columns say about each response. Qualtrics' Status (its "Response Type"): the code a numeric
# export writes, with the words a choice-text export writes instead.
QUALTRICS_STATUS = {"0": "IP Address", "1": "Survey Preview", "2": "Survey Test", "4": "Imported", "8": "Spam",
                    "9": "Survey Preview Spam", "12": "Imported Spam", "16": "Offline", "17": "Offline Survey Preview",
                    "32": "EX", "40": "EX Spam", "48": "EX Offline", "256": "Synthetic"}
# Word parts of a status that is no respondent's answer (English, or a translated export's words), and what it is
# in Dutch, for the validation message. Real responses (IP Address, Imported, Offline, EX) contain none of them.
# Each ends the catalogue's sentence "Volgens Qualtrics is dit geen antwoord van een respondent maar ...".
_PREVIEW = "een voorbeeldantwoord: iemand heeft de vragenlijst vanuit Qualtrics bekeken of uitgeprobeerd"
_SYNTHETIC = "een synthetisch antwoord, door Qualtrics zelf gemaakt"
NOT_A_RESPONSE = {"preview": _PREVIEW, "voorbeeld": _PREVIEW, "synthetic": _SYNTHETIC, "synthetisch": _SYNTHETIC,
                  "spam": "spam: het antwoord is als spam of als antwoord van een bot gemarkeerd",
                  "test": "een testantwoord, door Qualtrics zelf gemaakt met 'Generate test responses'"}
# The column with the status, and the one saying whether the respondent finished, per layout (folded names; the
# legacy export numbers its metadata columns, V7 is Status and V10 Finished). Without a Finished column, a
# Progress under 100 marks a response as not finished.
STATUS_COLUMN = {"qualtrics": "status", "qualtrics-insights": "status", "qualtrics-legacy": "v7"}
FINISHED_COLUMN = {"qualtrics": "finished", "qualtrics-insights": "finished", "qualtrics-legacy": "v10"}
PROGRESS_COLUMN = "progress"
# Finished of an unfinished response, as answer_key: the project's no-words ("0", "False", "Nee"), and the choice
# text of a Dutch or German export.
NOT_FINISHED = frozenset(NO_WORDS) | {"onwaar", "falsch"}
# LimeSurvey leaves the submit date empty until the respondent sends the last page.
SUBMITTED_COLUMNS = dict.fromkeys(("limesurvey", "limesurvey-r"), ("submitdate", "date submitted"))
# Qualtrics' own columns in an export that lost its other header rows (saved again in Excel, or SPSS): read as one.
QUALTRICS_SIGNATURE = {"status", "finished", "responseid", "recordeddate"}
TOOL_OF = {"qualtrics": "Qualtrics", "qualtrics-insights": "Qualtrics", "qualtrics-legacy": "Qualtrics",
           "limesurvey": "LimeSurvey", "limesurvey-r": "LimeSurvey"}


@dataclass(frozen=True)
class Header:
    """What the rows above the answers say about each column (position = column number in the file)."""

    layout: str  # a key of LAYOUTS
    rows: int  # header rows above the first response
    names: tuple[str, ...]  # the column's name: its id in row 1, or SurveyMonkey's joined texts
    texts: tuple[str, ...]  # the question text ("" when the file has none)
    import_ids: tuple[str, ...]  # Qualtrics ImportId ("" elsewhere)
    metadata: frozenset[int]  # the tool's own columns (dates, ids, IP address): never answers by themselves

    @property
    def description(self) -> str:
        return LAYOUTS[self.layout]


def _cells(row: list | tuple | None, width: int) -> list[str]:
    row = list(row or [])
    return [("" if v is None else str(v)).strip() for v in row] + [""] * (width - len(row))


def _import_id(cell: str) -> str:
    """The id inside Qualtrics' '{"ImportId":"QID5_1"}' (JSON) or "{'ImportId': 'QID5-1'}" (Python dict)."""
    for parse in (json.loads, ast.literal_eval):
        try:
            value = parse(cell)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, dict) and "ImportId" in value:
            return str(value["ImportId"])
    return ""


def detect(grid: list[list], kind: str) -> Header:
    """The layout of a table (rows of cells as read), from its first rows. kind: 'csv' or 'excel'."""
    width = max((len(r) for r in grid[:4]), default=0)
    first = _cells(grid[0] if grid else [], width)
    second = _cells(grid[1], width) if len(grid) > 1 else [""] * width
    third = _cells(grid[2], width) if len(grid) > 2 else [""] * width
    filled = [c for c in third if c]
    if filled and sum(bool(_IMPORT_ID.match(c)) for c in filled) >= 0.5 * len(filled):
        ids = tuple(_import_id(c) for c in third)
        layout = "qualtrics" if any(c.lstrip().startswith('{"') for c in filled) else "qualtrics-insights"
        meta = frozenset(i for i, (n, q) in enumerate(zip(first, ids))
                         if fold(n) in _QUALTRICS_META or (q and not q.upper().startswith("QID")))
        return Header(layout, 3, tuple(first), tuple(second), ids, meta)
    if tuple(first[:10]) == _LEGACY_META and fold(second[0]) == "responseid":
        return Header("qualtrics-legacy", 2, tuple(first), tuple(second), ("",) * width, frozenset(range(10)))
    folded = {fold(c) for c in first}
    if {"respondentid", "collectorid"} <= {_squeezed(c) for c in first} and _monkey_subheader(first, second, third):
        return _surveymonkey(first, second, width)
    meta_of = {"forms": _FORMS_META, "limesurvey": _LIME_META}
    if kind == "excel" and fold(first[0]) == "id" and len(folded & _FORMS_META) >= 3:
        layout = "forms"
    elif fold(first[0]) in ("response id", "id") and len(folded & _LIME_META) >= 3:
        layout = "limesurvey"
    else:
        layout = kind
    meta = frozenset(i for i, n in enumerate(first) if fold(n) in meta_of.get(layout, ()))
    return Header(layout, 1, tuple(first), ("",) * width, ("",) * width, meta)


def _monkey_subheader(first: list[str], second: list[str], third: list[str]) -> bool:
    """Row 2 is SurveyMonkey's second header row, not a respondent: the tool's own columns (ids, dates, IP) are
    empty there, some other cell is filled, and it says 'Response' or differs from row 3, whose ids are filled."""
    meta = [i for i, name in enumerate(first) if _squeezed(name) in _MONKEY_META]
    if any(second[i] for i in meta) or not any(c for i, c in enumerate(second) if i not in meta):
        return False
    said = any(fold(c) in _MONKEY_SINGLE for i, c in enumerate(second) if c and i not in meta)
    return said or not any(third) or any(third[i] for i in meta)


def _surveymonkey(first: list[str], second: list[str], width: int) -> Header:
    """Row 1 has a question's text above its first column only; row 2 the option or statement per column."""
    names, texts, meta = [], [], set()
    current = ""
    for i, (top, sub) in enumerate(zip(first, second)):
        current = top or current
        texts.append(current)
        if _squeezed(top) in _MONKEY_META:
            meta.add(i)
        names.append(current if fold(sub) in _MONKEY_SINGLE else f"{current} - {sub}")
    return Header("surveymonkey", 2, tuple(names), tuple(texts), ("",) * width, frozenset(meta))


def _squeezed(name: str) -> str:
    """A name without case or spaces: 'Respondent ID' and 'RespondentID' are the same column."""
    return "".join(fold(name).split())


@dataclass(frozen=True)
class ToolMarks:
    """What a survey tool's own columns say about each row of its export (Series on the rows given)."""

    tool: str  # "Qualtrics", "LimeSurvey"; "" when the layout has no such columns
    status_column: str  # the file's column with the response type ("" when absent)
    not_response: pd.Series  # the Dutch meaning (a value of NOT_A_RESPONSE) of a row that is no response, else None
    shown: pd.Series  # the status as found, with its word beside a numeric code: "1 (Survey Preview)"
    finished_column: str  # the file's column saying a response was not finished ("" when absent)
    unfinished: pd.Series  # True for a response the tool marks as not finished (bool)


def tool_marks(layout: str, source: pd.DataFrame) -> ToolMarks:
    """The rows of an export (its file columns as read, `source`) that the survey tool marks as no real response
    (Qualtrics preview, test, spam) or as not finished. An export without these columns marks no row."""
    by_name = {fold(c): c for c in source.columns}
    if layout not in TOOL_OF and QUALTRICS_SIGNATURE <= set(by_name):
        layout = "qualtrics"
    none = pd.Series([None] * len(source), index=source.index, dtype=object)
    status = by_name.get(STATUS_COLUMN.get(layout, ""), "")
    meaning, shown = none, none
    if status:
        keys = source[status].map(answer_key)
        meaning = keys.map(lambda k: _not_a_response(answer_key(QUALTRICS_STATUS.get(k, k)))).astype(object)
        shown = pd.Series([_shown(v, k) for v, k in zip(source[status], keys)], index=source.index, dtype=object)
    finished = by_name.get(FINISHED_COLUMN.get(layout, ""), "")
    unfinished = pd.Series(False, index=source.index)
    if finished:
        unfinished = source[finished].map(lambda v: answer_key(v) in NOT_FINISHED).astype(bool)
    elif layout in STATUS_COLUMN and PROGRESS_COLUMN in by_name:
        finished = by_name[PROGRESS_COLUMN]
        unfinished = pd.to_numeric(source[finished], errors="coerce").lt(100)
    for name in SUBMITTED_COLUMNS.get(layout, ()):
        if name in by_name:
            finished = by_name[name]
            unfinished = source[finished].map(lambda v: answer_key(v) == "").astype(bool)
            break
    return ToolMarks(TOOL_OF.get(layout, ""), status, meaning, shown, finished, unfinished)


def _not_a_response(word: str) -> str | None:
    return next((meaning for part, meaning in NOT_A_RESPONSE.items() if part in word), None)


def _shown(value: object, key: str) -> str:
    """The status as found; a numeric code with its word: '1 (Survey Preview)'."""
    word = QUALTRICS_STATUS.get(key) if key.isdigit() else None
    return f"{key} ({word})" if word else str(value).strip() if key else "(leeg)"


def parse_r_syntax(text: str) -> tuple[dict[int, str], dict[int, str], dict[int, dict[str, str]]]:
    """LimeSurvey's R syntax file: (names, variable labels, value labels) per 0-based column position."""
    names: dict[int, str] = {}
    labels: dict[int, str] = {}
    values: dict[int, dict[str, str]] = {}
    for line in text.splitlines():
        if m := re.match(r'\s*names\(data\)\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"', line):
            names[int(m.group(1)) - 1] = _r_unescape(m.group(2))
        elif m := re.match(r'\s*attributes\(data\)\$variable\.labels\[(\d+)\]\s*<-\s*"((?:[^"\\]|\\.)*)"', line):
            labels[int(m.group(1)) - 1] = _r_unescape(m.group(2))
        elif m := re.match(r"\s*data\[,\s*(\d+)\]\s*<-\s*factor\(.*?levels\s*=\s*c\((.*?)\)\s*,"
                           r"\s*labels\s*=\s*c\((.*)\)\)", line):
            levels = _r_strings(m.group(2))
            texts = _r_strings(m.group(3))
            if len(levels) == len(texts):
                values[int(m.group(1)) - 1] = dict(zip(levels, texts))
    return names, labels, values


def _r_strings(text: str) -> list[str]:
    """The items of an R vector c(...): quoted strings, or bare numbers as LimeSurvey writes numeric levels."""
    return [_r_unescape(quoted) if bare == "" else bare
            for quoted, bare in re.findall(r'"((?:[^"\\]|\\.)*)"|([^,\s"()]+)', text)]


def _r_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
