"""Qualtrics exports: the current CSV (three header rows), the legacy one (V1..V10) and the 2016 Insights one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from monitor_aoj.demo.tools.fields import (
    OTHER_TEXT,
    ToolField,
    ToolWave,
    add_answer,
    add_answer_if_needed,
    csv_text,
    fold_label,
    grid_question_text,
    is_agree,
    is_yes_no,
    other_text_field,
    our_label,
    question_units,
    tool_date,
    tool_token,
    tool_wording,
)

# The current export (2017 onwards): first header row, second header row, ImportId of the third row.
QUALTRICS_META = (
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Europe/Amsterdam"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Europe/Amsterdam"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "Europe/Amsterdam"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
    ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
)
# The legacy export: V1..V10 above the metadata names.
QUALTRICS_LEGACY_META = (("V1", "ResponseID"), ("V2", "ResponseSet"), ("V3", "Name"), ("V4", "ExternalDataReference"),
                         ("V5", "EmailAddress"), ("V6", "IPAddress"), ("V7", "Status"), ("V8", "StartDate"),
                         ("V9", "EndDate"), ("V10", "Finished"))
# The 2016 'Insights' export: metadata names and their ImportIds.
QUALTRICS_INSIGHTS_META = (("ResponseID", "responseId"), ("ResponseSet", "responseSetId"), ("IPAddress", "ipAddress"),
                           ("StartDate", "startDate"), ("EndDate", "endDate"),
                           ("RecipientLastName", "panel-RecipientLastName"),
                           ("RecipientFirstName", "panel-RecipientFirstName"),
                           ("RecipientEmail", "panel-RecipientEmail"),
                           ("ExternalDataReference", "panel-ExternalDataReference"), ("Finished", "finished"),
                           ("Status", "status"))
QUALTRICS_LOCATION = ("LocationLatitude", "LocationLongitude", "LocationAccuracy")
EMBEDDED_ID = "respnr"  # the respondent number, passed to Qualtrics as embedded data


@dataclass
class _QQuestion:
    number: int  # the export tag is Q<number> (numbered in display order)
    qid: int  # QID<qid> (numbered in creation order)
    kind: str  # "mc", "matrix", "text", "slider"
    text: str
    fields: list[ToolField]
    choices: list[tuple[int, int, str]]  # (our code, recode value, choice text) in display order
    rows: list[tuple[int, int]]  # matrix: (choice id, recode) of each statement
    other: ToolField | None = None
    other_id: int = 0


def _qualtrics_choices(w: ToolWave, fs: list[ToolField]) -> list[tuple[int, int, str]]:
    f = fs[0]
    if f.kind == "mark":
        shown = [(code, code, str(code)) for code in f.item_scale.codes]
    elif is_yes_no(f):
        # A matrix of yes/no statements recoded as 1 = Ja, 0 = Nee; single questions keep 1, 2, 3.
        ordered = list(f.choices)
        if len(fs) > 1 and not any(fold_label(label) == "weetikniet" for _, label in ordered):
            recode = {"ja": 1, "nee": 0}
            shown = [(code, recode[fold_label(label)], tool_wording(w, "qualtrics", f, code))
                     for code, label in ordered]
        else:
            shown = [(code, k, tool_wording(w, "qualtrics", f, code)) for k, (code, _) in enumerate(ordered, start=1)]
    elif is_agree(f):
        # Qualtrics' agreement scale runs from disagree to agree; recodes follow the display order.
        shown = [(code, k, tool_wording(w, "qualtrics", f, code)) for k, (code, _) in enumerate(reversed(f.choices), 1)]
    else:
        shown = [(code, k, tool_wording(w, "qualtrics", f, code)) for k, (code, _) in enumerate(f.choices, start=1)]
    last = max(recode for _, recode, _ in shown)
    for k, code in enumerate(w.used_missing(fs), start=1):
        shown.append((code, last + k, tool_wording(w, "qualtrics", f, code)))
    return shown


def _qualtrics_survey(w: ToolWave) -> list[_QQuestion]:
    units = question_units(w.fields)
    # A question added after the survey was built has a later QID than its neighbours (Q numbers follow
    # the display order after renumbering): the open question that follows the first matrix.
    creation = list(range(len(units)))
    late = next((k for k in range(1, len(units)) if units[k][0].kind == "open" and len(units[k - 1]) > 1), None)
    if late is not None:
        creation.remove(late)
        creation.append(late)
    qids = {unit: position + 1 for position, unit in enumerate(creation)}
    questions, grids = [], 0
    for k, fs in enumerate(units):
        f = fs[0]
        if len(fs) > 1:
            if grids == 0:  # a statement was deleted and added again: its choice id skips one
                ids = list(range(1, len(fs))) + [len(fs) + 1]
                recodes = ids
                text = grid_question_text(w.q, f) + "\n\nGeef per uitspraak aan of die voor uw werk geldt."
            else:  # statements with recode values of their own (the column names follow the recodes)
                ids = list(range(1, len(fs) + 1))
                recodes = [10 * (grids + 1) + j for j in ids] if grids == 1 else ids
                text = grid_question_text(w.q, f)
            grids += 1
            questions.append(_QQuestion(k + 1, qids[k], "matrix", text, fs, _qualtrics_choices(w, fs),
                                        list(zip(ids, recodes))))
        elif f.kind == "open":
            questions.append(_QQuestion(k + 1, qids[k], "text", f.text, fs, [], []))
        elif f.kind == "mark" and not w.used_missing(fs):
            questions.append(_QQuestion(k + 1, qids[k], "slider", f.text, fs, [], []))
        else:
            choices = _qualtrics_choices(w, fs)
            other = other_text_field(w.fields, f)
            other_id = next((k2 for k2, (code, _, _) in enumerate(choices, 1) if code == f.other_code), 0)
            questions.append(_QQuestion(k + 1, qids[k], "mc", f.text, fs, choices, [],
                                        other if other_id else None, other_id))
    return questions


def _truncated(text: str) -> str:
    """Question text as the legacy and Insights exports shorten it: 97 characters and '...'."""
    return text if len(text) <= 100 else text[:97].rstrip() + "..."


def _qualtrics_columns(qq: _QQuestion, layout: str) -> list[tuple[str, str, str, ToolField, str]]:
    """(first header row, second header row, ImportId, field, 'answer' or 'text') per column."""
    current, insights = layout == "qualtrics", layout == "qualtrics-insights"
    text = qq.text if current else _truncated(qq.text)
    join = " - " if current else "-"
    n, qid = qq.number, qq.qid
    sub = (lambda part: f"QID{qid}-{part}") if insights else (lambda part: f"QID{qid}_{part}")
    f = qq.fields[0]
    if qq.kind == "matrix":
        return [(f"Q{n}_{recode}", f"{text}{join}{g.text}", sub(cid), g, "answer")
                for g, (cid, recode) in zip(qq.fields, qq.rows)]
    if qq.kind == "slider":
        return [(f"Q{n}_1", f"{text}{join}Cijfer", sub(1), f, "answer")]
    if qq.kind == "text":
        return [(f"Q{n}", text, sub("TEXT"), f, "answer")]
    columns = [(f"Q{n}", f"{text} - Selected Choice" if current and qq.other else text, f"QID{qid}", f, "answer")]
    if qq.other is not None:
        if current:
            columns.append((f"Q{n}_{qq.other_id}_TEXT", f"{text} - {OTHER_TEXT} - Text",
                            f"QID{qid}_{qq.other_id}_TEXT", qq.other, "text"))
        else:
            columns.append((f"Q{n}_TEXT", text, sub("TEXT"), qq.other, "text"))
    return columns


def write_qualtrics(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    layout = w.layout
    current, legacy, insights = layout == "qualtrics", layout == "qualtrics-legacy", layout == "qualtrics-insights"
    numeric = not current  # the legacy and Insights files here were downloaded as numeric values
    survey = _qualtrics_survey(w)
    columns = [c for qq in survey for c in _qualtrics_columns(qq, layout)]
    choice_of = {id(qq): {code: (recode, label) for code, recode, label in qq.choices} for qq in survey}
    question_of = {id(field): qq for qq in survey for field in qq.fields}
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    response_ids = [f"R_{tool_token(rng, 15)}" for _ in range(w.n)]

    koppeling: dict = {"indeling": layout, "codes": "labels", "kolommen": {}}
    last_matrix = max((qq.number for qq in survey if qq.kind == "matrix"), default=0)
    first_text = min((qq.number for qq in survey if qq.kind == "text"), default=0)
    for name, _, import_id, f, what in columns:
        qq = question_of.get(id(f)) or question_of[id(_parent(w, f))]
        # A koppeling may name a column by its ImportId: done here for the last matrix (current export) and
        # the first open question (Insights), as users copy whichever they see.
        key = import_id if (current and qq.number == last_matrix) or (insights and qq.number == first_text
                                                                     and what == "answer") else name
        target = f.target if insights and f.kind != "other" else f.column
        koppeling["kolommen"][key] = target
        if f.kind in ("closed", "mark") and qq.choices:
            for code, recode, label in qq.choices:
                if f.kind == "mark" and code not in w.missing:
                    continue
                if numeric:
                    add_answer(koppeling, target, str(recode), our_label(w, f, code))
                else:
                    add_answer_if_needed(koppeling, target, label, our_label(w, f, code))

    def answer(f: ToolField, what: str, i: int) -> str:
        code = w.cell(f, what, i)
        if isinstance(code, str):
            return code
        qq = question_of[id(f)]
        if qq.kind == "slider":
            return str(code)
        recode, label = choice_of[id(qq)][code]
        return str(recode) if numeric else label

    ids = [str(w.code(id_field, i)) if id_field else "" for i in range(w.n)]
    rows: list[list[str]] = []
    if current:
        rows.append([m[0] for m in QUALTRICS_META] + [c[0] for c in columns] + [EMBEDDED_ID])
        rows.append([m[1] for m in QUALTRICS_META] + [c[1] for c in columns] + [EMBEDDED_ID])
        rows.append([json.dumps(m[2], separators=(",", ":")) for m in QUALTRICS_META]
                    + [json.dumps({"ImportId": c[2]}, separators=(",", ":")) for c in columns]
                    + [json.dumps({"ImportId": EMBEDDED_ID}, separators=(",", ":"))])
        for i in range(w.n):
            start, end = w.starts[i], w.end(i)
            meta = [tool_date(start), tool_date(end), "IP Address", "", "100", str(w.seconds[i]), "True",
                    tool_date(end), response_ids[i], "", "", "", "", "", "", "anonymous", "NL"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + [ids[i]])
        if id_field:
            koppeling["kolommen"][EMBEDDED_ID] = id_field.column
        text = "\ufeff" + csv_text(rows)
    elif legacy:
        rows.append([m[0] for m in QUALTRICS_LEGACY_META] + [c[0] for c in columns] + list(QUALTRICS_LOCATION))
        rows.append([m[1] for m in QUALTRICS_LEGACY_META] + [c[1] for c in columns] + list(QUALTRICS_LOCATION))
        for i in range(w.n):
            meta = [response_ids[i], "Default Response Set", "Anonymous", ids[i], "", "", "0",
                    tool_date(w.starts[i]), tool_date(w.end(i)), "1"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + ["", "", "-1"])
        if id_field:  # the respondent number came in through the panel as the external data reference
            koppeling["kolommen"] = {"V4": id_field.column, **koppeling["kolommen"]}
        text = "\ufeff" + csv_text([row + [""] for row in rows])  # every line ends in a comma
    else:
        location_ids = [f"Location-{name}" for name in QUALTRICS_LOCATION]
        rows.append([m[0] for m in QUALTRICS_INSIGHTS_META] + [c[0] for c in columns] + [EMBEDDED_ID]
                    + list(QUALTRICS_LOCATION))
        rows.append([m[0] for m in QUALTRICS_INSIGHTS_META] + [c[1] for c in columns] + [EMBEDDED_ID]
                    + list(QUALTRICS_LOCATION))
        rows.append([repr({"ImportId": m[1]}) for m in QUALTRICS_INSIGHTS_META]
                    + [repr({"ImportId": c[2]}) for c in columns] + [repr({"ImportId": EMBEDDED_ID})]
                    + [repr({"ImportId": x}) for x in location_ids])
        for i in range(w.n):
            meta = [response_ids[i], "Default Response Set", "", tool_date(w.starts[i]), tool_date(w.end(i)), "", "",
                    "", "", "1", "0"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + [ids[i], "", "", "-1"])
        if id_field:
            koppeling["kolommen"][EMBEDDED_ID] = id_field.column
        text = csv_text(rows)
    path = folder / f"{stem}.csv"
    path.write_bytes(text.encode("utf-8"))
    return [path], koppeling


def _parent(w: ToolWave, f: ToolField) -> ToolField:
    return next(g for g in w.fields if g.column == f.parent)
