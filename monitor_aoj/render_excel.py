"""Stage 7b, render: the Excel workbook of one region and wave, with the same figures as the HTML report.

Dutch sheet names and headers, real numbers with number formats (a percentage is 0.32 shown as 32%), frozen
header rows and filters. Text from an export is always written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitor_aoj import __version__
from monitor_aoj import figures as F
from monitor_aoj.tables import (GROUP_LABELS, Cell, ReportInput, Row, background_table, item_table, sector_sizes,
                                theme_items)

PCT = "0%"
PCT1 = "0.0%"
MARK = "0.0"
HEADER_FILL = PatternFill("solid", fgColor="01665E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
STATISTIC_NL = {
    F.SHARE: "aandeel",
    F.POSITIVE: "samengevoegd (positief)",
    F.MEAN: "gemiddelde",
    F.INSUFFICIENT: "onvoldoende",
    F.NONRESPONSE: "geen antwoord",
    F.COUNT: "aantal respondenten",
}


@dataclass
class _Sheet:
    ws: Worksheet
    row: int = 1

    def put(self, column: int, value: object, number_format: str | None = None, font: Font | None = None):
        cell = self.ws.cell(row=self.row, column=column)
        if isinstance(value, str):
            # Text from an export may start with "=", "+", "-" or "@": store it as text, never as a formula.
            cell.value = value
            cell.data_type = "s"
        else:
            cell.value = value
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        return cell

    def line(self, values: list, formats: list | None = None, font: Font | None = None) -> None:
        for i, v in enumerate(values, start=1):
            self.put(i, v, (formats or [None] * len(values))[i - 1] if formats else None, font)
        self.row += 1

    def header(self, names: list[str]) -> None:
        for i, name in enumerate(names, start=1):
            c = self.put(i, name, font=HEADER_FONT)
            c.fill = HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="top")
        self.row += 1


def _finish_table(sheet: _Sheet, header_row: int, widths: list[int]) -> None:
    ws = sheet.ws
    last_col = get_column_letter(len(widths))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if sheet.row - 1 > header_row:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{sheet.row - 1}"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _share_cells(cell: Cell | None) -> list:
    """(percentage, count, base) as numbers; empty where the figure is hidden."""
    if cell is None:
        return [None, None, None]
    if cell.suppressed or cell.value is None:
        return [None, None, cell.n]
    return [cell.value, cell.k, cell.n]


def _intro(book: Workbook, data: ReportInput, sizes: dict[str, int]) -> None:
    s = _Sheet(book.active)
    s.ws.title = "Toelichting"
    export = data.region.export(data.wave)
    s.put(1, f"Monitor Aansluiting Onderwijs Jeugd – {data.region.name}, meting {data.wave}", font=Font(bold=True, size=14))
    s.row += 2
    rows = [
        ("Regio", data.region.name),
        ("Meting", data.wave),
        ("Veldwerk", export.fieldwork or str(data.wave)),
        ("Respondenten totaal", sizes[F.TOTAAL]),
        ("Respondenten onderwijs", sizes[F.ONDERWIJS]),
        ("Respondenten jeugdhulp", sizes[F.JEUGDHULP]),
        ("Eerdere metingen", ", ".join(str(w) for w in data.earlier_waves) or "geen"),
        ("Bronbestand(en)", ", ".join(data.files)),
        ("Rijen gelezen", data.accounting.rows_read),
        ("Rijen gebruikt", data.accounting.rows_used),
        ("Rijen in quarantaine", data.accounting.rows_quarantined),
        ("Gemaakt met", f"monitor_aoj {__version__}"),
        ("Datum", data.report_date),
    ]
    for label, value in rows:
        s.put(1, label, font=BOLD)
        c = s.put(2, value)
        if isinstance(value, dt.date):
            c.number_format = "d mmmm yyyy"
        s.row += 1
    s.row += 1
    s.put(1, "Zo leest u dit werkboek", font=Font(bold=True, size=12))
    s.row += 1
    notes = [
        "Percentages zijn echte getallen met een percentage-opmaak; rekenen kan dus direct.",
        "Een percentage is berekend op de respondenten die de vraag beantwoordden (n); 'weet ik niet' telt mee.",
        "Totaal is berekend over alle respondenten samen, niet als gemiddelde van onderwijs en jeugdhulp.",
        "Samengevoegde antwoorden zoals '(helemaal) eens' zijn eerst geteld en daarna één keer afgerond.",
        "'Geen antwoord' telt hoeveel van de gevraagde respondenten de vraag oversloegen.",
        "Werkblad 'Vragen': per vraag de antwoorden per sector; 'Rapportcijfer': het gemiddelde cijfer.",
        "Werkblad 'Alle cijfers': de volledige cijfertabel waar rapport en werkboek uit zijn gemaakt.",
    ]
    for note in notes:
        s.put(1, "•")
        s.put(2, note)
        s.row += 1
    s.ws.column_dimensions["A"].width = 26
    s.ws.column_dimensions["B"].width = 100


def _respondents(book: Workbook, figs: pd.DataFrame, sizes: dict[str, int]) -> None:
    s = _Sheet(book.create_sheet("Respondenten"))
    groups = F.SECTOR_GROUPS
    header = ["Kenmerk", "Categorie"]
    for g in groups:
        header += [f"{GROUP_LABELS[g]} aantal", f"{GROUP_LABELS[g]} %"]
    s.header(header)
    s.line(["Aantal respondenten", "alle"] + [v for g in groups for v in (sizes[g], None)])
    for question, name in (("functie", "Functie"), ("schooltype", "Schooltype")):
        for r in background_table(figs, question):
            values, formats = [name, r.label], [None, None]
            for g in groups:
                c = r.cells.get(g)
                values += [c.k if c else None, c.value if c and c.shown else None]
                formats += [None, PCT]
            s.line(values, formats)
    _finish_table(s, 1, [16, 42] + [14, 12] * len(groups))


def _questions(book: Workbook, data: ReportInput) -> None:
    s = _Sheet(book.create_sheet("Vragen"))
    groups = F.SECTOR_GROUPS
    header = ["Thema", "Vraag", "Stelling of vraag", "Antwoord"]
    for g in groups:
        header += [f"{GROUP_LABELS[g]} %", f"{GROUP_LABELS[g]} aantal", f"{GROUP_LABELS[g]} n"]
    s.header(header)
    q = data.questionnaire
    for theme in q.themes:
        for item in theme_items(q, data.figures, theme.id):
            table = item_table(data.figures, item)
            if table is None:
                continue
            lead = [f"{theme.number}. {theme.title}", item.short, item.text()]

            def emit(label: str, row: Row | None, fmt_value: str = PCT, bold: bool = False) -> None:
                if row is None:
                    return
                values, formats = lead + [label], [None] * 4
                for g in groups:
                    values += _share_cells(row.cells.get(g))
                    formats += [fmt_value, None, None]
                s.line(values, formats, BOLD if bold else None)

            if table.mean is not None:
                emit("Onvoldoende (5 of lager)", table.insufficient, bold=True)
            for r in table.rows:
                emit(r.label, r)
            if table.positive is not None and table.mean is None:
                emit(f"Samen: {table.positive.label}", table.positive, bold=True)
            emit("Geen antwoord (van wie de vraag kreeg)", table.nonresponse)
    _finish_table(s, 1, [28, 34, 60, 30] + [11, 9, 7] * len(groups))


def _marks(book: Workbook, data: ReportInput) -> None:
    """The rapportcijfer: a mean is not a percentage, so it gets its own sheet."""
    s = _Sheet(book.create_sheet("Rapportcijfer"))
    s.header(["Vraag", "Groep", "Gemiddeld cijfer", "Aantal respondenten (n)", "Onvoldoende (5 of lager) %",
              "Onvoldoende aantal"])
    q = data.questionnaire
    for item in q.items:
        if item.is_open or item.scale.kind != "cijfer":
            continue
        table = item_table(data.figures, item)
        if table is None or table.mean is None:
            continue
        for g in table.groups:
            mean, low = table.mean.cells.get(g), table.insufficient.cells.get(g)
            s.line([item.short, GROUP_LABELS[g], mean.value if mean and mean.shown else None,
                    mean.n if mean else None, low.value if low and low.shown else None,
                    low.k if low and low.shown else None],
                   [None, None, MARK, None, PCT, None])
    _finish_table(s, 1, [34, 14, 16, 22, 24, 18])


def _all_figures(book: Workbook, figs: pd.DataFrame) -> None:
    s = _Sheet(book.create_sheet("Alle cijfers"))
    s.header(["Regio", "Meting", "Thema", "Vraag", "Groep", "Statistiek", "Categorie", "Label", "Aantal (k)",
              "Basis (n)", "Waarde", "95%-BI onder", "95%-BI boven", "Onderdrukt"])
    for rec in figs.itertuples(index=False):
        is_mean = rec.statistic == F.MEAN
        value_format = MARK if is_mean else PCT1
        hide = bool(rec.suppressed)
        s.line(
            [rec.region, int(rec.wave), rec.theme, rec.item, GROUP_LABELS.get(rec.group, rec.group),
             STATISTIC_NL.get(rec.statistic, rec.statistic), rec.category, rec.label,
             None if hide or pd.isna(rec.k) else int(rec.k), None if pd.isna(rec.n) else int(rec.n),
             None if hide or pd.isna(rec.value) else float(rec.value),
             None if hide or pd.isna(rec.ci_low) else float(rec.ci_low),
             None if hide or pd.isna(rec.ci_high) else float(rec.ci_high),
             "ja" if hide else "nee"],
            [None] * 10 + [value_format, value_format, value_format, None],
        )
    _finish_table(s, 1, [14, 8, 14, 26, 11, 22, 9, 30, 10, 10, 10, 12, 12, 11])


def render_workbook(data: ReportInput) -> bytes:
    book = Workbook()
    sizes = sector_sizes(data.figures)
    _intro(book, data, sizes)
    _respondents(book, data.figures, sizes)
    _questions(book, data)
    _marks(book, data)
    _all_figures(book, data.figures)
    stamp = dt.datetime.combine(data.report_date, dt.time())
    book.properties.creator = f"monitor_aoj {__version__}"
    book.properties.title = f"Monitor AOJ {data.region.name} {data.wave}"
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue(), stamp)


def _deterministic_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl stamps the save time into the file; use the report date so equal input gives equal bytes."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + iso.encode() + rb"\g<2>", content)
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, content)
    return out.getvalue()
