"""Our own columns as a region's spreadsheet holds them: Dutch CSV, Unicode text (UTF-16) or a workbook."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from monitor_aoj.demo.tools.fields import (
    ToolField,
    ToolWave,
    all_columns,
    csv_text,
    our_label,
    save_workbook,
)


def write_own(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    """Our column names and labels as Dutch Excel saves them: 'CSV (puntkomma's gescheiden)' (Windows-1252,
    ';', decimal comma), 'Unicode-tekst' (UTF-16 with a byte-order mark, tabs) or a workbook whose answers
    are on the second sheet."""
    by_column = {f.column: f for f in w.fields}
    ours = {f.column for f in w.fields} | {m for m in all_columns(w.q)}
    # The region's own columns (start time, duration) stay in its spreadsheet; the questionnaire's columns
    # that this region did not ask (regional extras of others) do not.
    columns = [c for c in w.frame.columns if c in by_column or c not in ours]
    decimal = "," if w.layout in ("csv-nl", "csv-utf16") else "."

    def cell(column: str, i: int) -> object:
        if column not in by_column:
            v = w.frame.at[i, column]
            if isinstance(v, (float, np.floating)) and not np.isnan(v):
                return float(v) if w.layout == "xlsx" else repr(float(v)).replace(".", decimal)
            return w.text(ToolField(column, "open", ""), i)
        f = by_column[column]
        if f.kind in ("open", "other"):
            return w.text(f, i)
        code = w.code(f, i)
        if code is None:
            return ""
        if f.kind in ("id", "mark") and code not in w.missing:
            return code
        return our_label(w, f, code)

    rows = [[cell(c, i) for c in columns] for i in range(w.n)]
    if w.layout == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        note = book.active
        note.title = "Toelichting"
        note.append([f"Monitor Aansluiting Onderwijs Jeugd, meting {w.q.wave}"])
        note.append(["De antwoorden staan op het tabblad 'Gegevens', één regel per respondent."])
        note.append(["Overgenomen uit het registratiesysteem van de regio; lege cellen zijn niet beantwoord."])
        sheet = book.create_sheet("Gegevens")
        sheet.append(columns)
        for row in rows:
            sheet.append([v if v != "" else None for v in row])
        path = save_workbook(w, book, folder / f"{stem}.xlsx", "Regio")
    elif w.layout == "csv-nl":
        text = csv_text([columns] + [[str(v) for v in row] for row in rows], ";", "\r\n")
        path = folder / f"{stem}.csv"
        path.write_bytes(text.encode("cp1252", errors="replace"))  # Excel writes '?' for what cp1252 lacks
    else:
        text = csv_text([columns] + [[str(v) for v in row] for row in rows], "\t", "\r\n")
        path = folder / f"{stem}.txt"
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return [path], {"indeling": w.layout}
