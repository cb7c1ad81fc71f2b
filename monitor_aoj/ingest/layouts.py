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

from monitor_aoj.ingest.decode import fold

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
    if {"respondentid", "collectorid"} <= {_squeezed(c) for c in first}:
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
