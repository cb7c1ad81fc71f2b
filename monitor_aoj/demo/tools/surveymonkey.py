"""SurveyMonkey exports (CSV and Excel): two header rows, a question's columns under its first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from monitor_aoj.demo.tools.fields import (
    ToolField,
    ToolWave,
    add_answer_if_needed,
    csv_text,
    fold_label,
    grid_question_text,
    other_text_field,
    our_label,
    question_units,
    save_workbook,
    tool_date,
    tool_wording,
)

SURVEYMONKEY_META = ("Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
                     "First Name", "Last Name", "Custom Data 1")
SURVEYMONKEY_PLAIN = ("", "Response", "Open-Ended Response")


def surveymonkey_names(row1: list[str], row2: list[str]) -> list[str]:
    """How a koppeling names SurveyMonkey's columns: the first header row carried forward over the empty
    cells of a question, joined with ' - ' to the second header row unless that says nothing more."""
    names, question = [], ""
    for top, sub in zip(row1, row2):
        question = top if top else question
        names.append(question if sub in SURVEYMONKEY_PLAIN else f"{question} - {sub}")
    return names


def write_surveymonkey(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    columns: list[tuple[str, str, ToolField, str]] = []  # (row 1, row 2, field, 'answer' or 'text')
    for fs in question_units(w.fields):
        f = fs[0]
        if len(fs) > 1:
            intro = grid_question_text(w.q, f)
            columns += [(intro if k == 0 else "", g.text, g, "answer") for k, g in enumerate(fs)]
        elif f.kind == "open":
            columns.append((f.text, "Open-Ended Response", f, "answer"))
        else:
            columns.append((f.text, "Response", f, "answer"))
            other = other_text_field(w.fields, f)
            if other is not None:
                columns.append(("", "Other (please specify)", other, "text"))
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    collector = int(rng.integers(200_000_000, 499_999_999))
    first_id = int(rng.integers(12_000_000_000, 12_900_000_000))
    respondent_ids = first_id + np.cumsum(rng.integers(1_000, 90_000, w.n))

    def answer(f: ToolField, what: str, i: int) -> str:
        code = w.cell(f, what, i)
        if isinstance(code, str):
            return code
        if f.kind == "mark" and code not in w.missing:
            return str(code)
        return tool_wording(w, "surveymonkey", f, code)

    names = surveymonkey_names(list(SURVEYMONKEY_META) + [c[0] for c in columns],
                               [""] * len(SURVEYMONKEY_META) + [c[1] for c in columns])
    koppeling: dict = {"indeling": w.layout, "codes": "labels", "kolommen": {}}
    if id_field:  # the respondent number rode along in the survey link as custom data
        koppeling["kolommen"]["Custom Data 1"] = id_field.column
    missing_words: dict[str, str] = {}
    for name, (_, _, f, _) in zip(names[len(SURVEYMONKEY_META):], columns):
        koppeling["kolommen"][name] = f.column
        if f.kind not in ("closed", "mark"):
            continue
        codes = sorted({code for i in range(w.n) if (code := w.tool_code(f, i)) is not None})
        for code in [c for c, _ in f.choices if f.kind == "closed"] + [c for c in codes if c in w.missing]:
            written, ours = tool_wording(w, "surveymonkey", f, code), our_label(w, f, code)
            if code in w.missing and code not in dict(f.choices):
                if fold_label(written) != fold_label(ours):
                    missing_words[written] = ours  # the same words in every question: one entry for all
            else:
                add_answer_if_needed(koppeling, f.column, written, ours)
    if missing_words:
        koppeling.setdefault("antwoorden", {})["alle"] = missing_words

    records: list[list[str | dt.datetime]] = []
    for i in range(w.n):
        meta: list[str | dt.datetime] = [str(respondent_ids[i]), str(collector), w.starts[i], w.end(i), "", "", "", "",
                str(w.code(id_field, i)) if id_field else ""]
        records.append(meta + [answer(f, what, i) for _, _, f, what in columns])
    row1 = list(SURVEYMONKEY_META) + [c[0] for c in columns]
    row2 = [""] * len(SURVEYMONKEY_META) + [c[1] for c in columns]
    if w.layout == "surveymonkey-csv":
        rows = [row1, row2] + [[tool_date(v, "us") if isinstance(v, dt.datetime) else v for v in r] for r in records]
        path = folder / f"{stem}.csv"
        path.write_bytes(("\ufeff" + csv_text(rows, lineterminator="\r\n")).encode("utf-8"))
        return [path], koppeling
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    sheet.append(row1)
    sheet.append([v or None for v in row2])
    for r in records:
        cells: list[object] = []
        for k, v in enumerate(r):
            if isinstance(v, dt.datetime):  # the start and end times
                cells.append(v)
            elif k in (0, 1):
                cells.append(int(v))
            elif k == 8:
                cells.append(int(v) if v else None)
            else:
                cells.append(v if v != "" else None)
        sheet.append(cells)
        for cell in sheet[sheet.max_row][2:4]:
            cell.number_format = "mm/dd/yyyy hh:mm:ss AM/PM"
    return [save_workbook(w, book, folder / f"{stem}.xlsx", "SurveyMonkey")], koppeling
