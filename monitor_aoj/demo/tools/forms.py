"""Microsoft Forms' Excel export: one column per question, choices ending in ';'."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from monitor_aoj.demo.tools.fields import (
    OTHER_TEXT,
    ToolField,
    ToolWave,
    add_answer_if_needed,
    our_label,
    save_workbook,
    tool_wording,
)

FORMS_META = ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")


def write_forms(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    """A Forms workbook: one column per question titled with the question, answers as choice text. The sector
    question allows several answers, so its cells end in ';' as Forms writes them. 'Anders, namelijk' is an
    ordinary choice with a question of its own for the text: Forms' own 'Other' option would put the typed text
    in the answer cell itself."""
    import openpyxl

    headers: list[str] = []
    fields: list[ToolField] = []
    seen: Counter[str] = Counter()
    for f in w.fields:
        if f.kind == "id":
            continue
        if f.column == w.q.background.sector.column:
            title = "In welke sector(en) werkt u?"
        elif f.kind == "other":
            title = f"Als u '{OTHER_TEXT}' koos: welke functie heeft u?"
        else:
            title = f.text
        seen[title] += 1
        headers.append(title if seen[title] == 1 else f"{title}{seen[title]}")  # Forms numbers equal titles
        fields.append(f)
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    koppeling: dict = {"indeling": "forms", "codes": "labels", "kolommen": {}}
    if id_field:
        koppeling["kolommen"]["ID"] = id_field.column
    for title, f in zip(headers, fields):
        koppeling["kolommen"][title] = f.column
        if f.kind == "closed":
            used = {code for i in range(w.n) if (code := w.tool_code(f, i)) is not None}
            for choice in [c for c, _ in f.choices] + sorted(used & set(w.missing)):
                add_answer_if_needed(koppeling, f.column, tool_wording(w, "forms", f, choice), our_label(w, f, choice))

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(list(FORMS_META) + headers)
    multiple = w.q.background.sector.column
    for i in range(w.n):
        row: list[object] = [w.code(id_field, i) if id_field else i + 1, w.starts[i], w.end(i), "anonymous", None, None]
        for f in fields:
            if f.kind in ("open", "other"):
                row.append(w.text(f, i) or None)
                continue
            code = w.tool_code(f, i)
            if code is None:
                row.append(None)
            elif f.kind == "mark" and code not in w.missing:
                row.append(code)
            else:
                text = tool_wording(w, "forms", f, code)
                row.append(text + ";" if f.column == multiple else text)
        sheet.append(row)
        for cell in sheet[sheet.max_row][1:3]:
            cell.number_format = "m/d/yy h:mm:ss"
    return [save_workbook(w, book, folder / f"{stem}.xlsx", "Microsoft Forms")], koppeling
