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

from monitor_aoj import __version__, narrative
from monitor_aoj import figures as F
from monitor_aoj import format as fmt
from monitor_aoj.comparisons import BENCHMARK_NOT_TESTED, BENCHMARK_POOLING, NO_BENCHMARK, family_size
from monitor_aoj.references import REFERENCE_RULE, references_for
from monitor_aoj.statistics import ALPHA, detectable_difference
from monitor_aoj.tables import (GROUP_LABELS, Cell, Comparison, ReportInput, Row, background_table, benchmark_rows,
                                breakdown_groups, breakdown_rows, item_table, open_question, responses, sector_sizes,
                                sector_trend_rows, theme_items, trend_rows)

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
    F.TREND_POINT: "trendpunt",
    F.TREND: "verandering",
    F.BENCHMARK: "andere regio's: gemiddelde (k = aantal regio's, BI-kolommen = laagste en hoogste)",
    F.SECTOR_TEST: "verschil sectoren",
    F.SUBTHEME: "subthema (open vraag)",
}
VERDICT_NL = {
    F.SIGNIFICANT: "significant",
    F.NOT_SIGNIFICANT: "niet significant",
    F.NOT_TESTED: "niet getoetst",
    F.NOT_ASKED: "niet gevraagd",
    F.NOT_COMPARABLE: "niet vergelijkbaar",
    F.NO_COMPARISON: "geen vergelijking",
    "": "",
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


def _print_setup(ws: Worksheet, header_row: int | None = None) -> None:
    """Printed, a sheet is A4 landscape, as wide as the page, with its header on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _finish_table(sheet: _Sheet, header_row: int, widths: list[int]) -> None:
    ws = sheet.ws
    last_col = get_column_letter(len(widths))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if sheet.row - 1 > header_row:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{sheet.row - 1}"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    _print_setup(ws, header_row)


def _earlier_waves(data: ReportInput) -> str:
    """'2016 (geen gegevens), 2018'; 'geen' only when the region stated it held no earlier wave."""
    without = data.region.held_without_data_before(data.wave)
    held = sorted(set(data.earlier_waves) | set(without or ()))
    if held:
        return ", ".join(f"{w} (geen gegevens)" if w in (without or ()) else str(w) for w in held)
    return "geen" if without is not None else "geen in deze rapportage"


def _intro(book: Workbook, data: ReportInput, sizes: dict[str, int]) -> None:
    family = family_size(data.figures)
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
        *_response_rows(data, sizes),
        ("Eerdere metingen", _earlier_waves(data)),
        ("Bronbestand(en)", ", ".join(name for name, _ in data.files)),
        ("Vingerafdruk (SHA-256)", ", ".join(sha for _, sha in data.files)),
        ("Rijen gelezen", data.accounting.rows_read),
        ("Rijen gebruikt", data.accounting.rows_used),
        ("Rijen in quarantaine", data.accounting.rows_quarantined),
        ("Antwoorden apart gezet (ongeldig)", data.accounting.cells_set_aside),
        ("Gemaakt met", f"monitor_aoj {__version__}"),
        ("Datum", data.report_date),
    ]
    for label, value, *number_format in rows:
        s.put(1, label, font=BOLD)
        c = s.put(2, value, number_format[0] if number_format else None)
        c.alignment = Alignment(horizontal="left")  # numbers beside their label, not at the far edge
        if isinstance(value, dt.date):
            c.number_format = "[$-413]d mmmm yyyy"  # Dutch month names whatever the viewer's locale
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
        "Bij elk percentage en gemiddelde staat het 95%-betrouwbaarheidsinterval (BI) en de basis (n).",
        "'Verschillen sectoren' en 'Veranderingen': getoetste verschillen; 'significant' betekent een "
        f"gecorrigeerde p-waarde onder {fmt.decimal(ALPHA, 2)} (Benjamini-Hochberg over alle "
        f"{family['totaal']} toetsen van dit rapport).",
        "Het verschil op die werkbladen en op 'Benchmark' is het verschil tussen de afgeronde cijfers zoals rapport "
        "en werkboek ze tonen (68% en 53%: 15 procentpunt). 'Alle cijfers' bevat de onafgeronde waarden en het "
        "onafgeronde verschil, voor wie zelf verder rekent.",
        (f"'Benchmark': {BENCHMARK_POOLING}. {BENCHMARK_NOT_TESTED}"
         if (data.figures["statistic"] == F.BENCHMARK).any()
         else "'Benchmark': " + NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base)),
        "'Referentiewaarden': " + REFERENCE_RULE,
        f"Voor groepen van minder dan {data.minimum_base} respondenten is geen cijfer gegeven (lege cel, "
        "'Onderdrukt: ja'); waar nodig is een tweede groep verborgen zodat het cijfer niet terug te rekenen is.",
        "'Uitsplitsing': het hoofdcijfer per functie (binnen de sector) en per schooltype.",
        "'Open antwoorden': per open vraag de subthema's per sector; 'Citaten': de citaten uit het rapport. Alle "
        "open antwoorden zijn eerst ontdaan van namen, telefoonnummers, e-mailadressen en dergelijke.",
        "'Indeling open vragen': per open vraag hoeveel antwoorden in geen subthema passen (Overig) en hoeveel een "
        "coördinator heeft nagekeken. " + narrative.review_rule(),
        "Werkblad 'Alle cijfers': de volledige cijfertabel waar rapport en werkboek uit zijn gemaakt.",
        narrative.SELF_SELECTED,
        "Kleinste aantoonbaar verschil: het kleinste verschil tussen onderwijs en jeugdhulp dat met deze aantallen "
        "respondenten met redelijke zekerheid aan te tonen is (zie de Verantwoording van het rapport).",
    ]
    mirrored = [it.short for it in data.questionnaire.items if it.per_sector and not it.is_open
                and (data.figures["item"] == it.id).any()]
    if mirrored:
        notes.append(f"Gespiegelde stelling ({', '.join(mirrored)}): elke sector kreeg de stelling over de andere "
                     "sector. Daarom alleen cijfers per sector: geen totaal, geen toets tussen de sectoren, geen "
                     "benchmark; de verandering per sector is niet getoetst.")
    for note in notes:
        s.put(1, "•")
        s.put(2, note)
        s.row += 1
    s.ws.column_dimensions["A"].width = 26
    s.ws.column_dimensions["B"].width = 100
    _print_setup(s.ws)


def _response_rows(data: ReportInput, sizes: dict[str, int]) -> list[tuple]:
    """Invited, response rate (when `uitgenodigd` is configured) and the smallest detectable difference."""
    rows = []
    for r in responses(sizes, data.region.export(data.wave)):
        label = GROUP_LABELS[r.group].lower()
        rows.append((f"Uitgenodigd {label}", r.invited))
        rows.append((f"Respons {label}", r.rate if r.rate is not None else "niet te berekenen", PCT))
    if not rows:
        rows.append(("Respons", "niet bekend (geen 'uitgenodigd' in regios.yaml)"))
    if sizes[F.ONDERWIJS] > 0 and sizes[F.JEUGDHULP] > 0:
        points = round(float(detectable_difference(sizes[F.ONDERWIJS], sizes[F.JEUGDHULP])) * 100)
        rows.append(("Kleinste aantoonbaar verschil onderwijs–jeugdhulp (procentpunt)", points))
    return rows


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


def _table(book: Workbook, name: str, header: list[str], rows: list[list], formats: list[list | None],
           widths: list[int], bold: list[bool] | None = None) -> None:
    """One sheet holding one table: header row, then rows with per-cell number formats."""
    s = _Sheet(book.create_sheet(name))
    s.header(header)
    for i, row in enumerate(rows):
        s.line(row, formats[i], BOLD if bold and bold[i] else None)
    _finish_table(s, 1, widths)


def _cell_values(cell: Cell | None, is_mark: bool = False) -> tuple[list, list]:
    """(value, interval low, interval high, count, base) with their formats; hidden figures stay empty."""
    fmt_value = MARK if is_mark else PCT
    if cell is None:
        return [None] * 5, [None] * 5
    if not cell.shown:
        return [None, None, None, None, cell.n], [None] * 5
    return ([cell.value, cell.ci_low, cell.ci_high, None if is_mark else cell.k, cell.n],
            [fmt_value, fmt_value, fmt_value, None, None])


def _group_values(row: Row, groups: tuple[str, ...]) -> tuple[list, list]:
    """The five columns of every group, side by side, with their formats."""
    values, formats = [], []
    for g in groups:
        v, f = _cell_values(row.cells.get(g))
        values += v
        formats += f
    return values, formats


def _diff(cmp: Comparison | None, is_mark: bool, a: Cell | None, b: Cell | None) -> tuple[list, list]:
    """Difference a minus b in percentage points (or mark points), test, p, corrected p, verdict.

    The difference is that of the figures as printed (whole percentages, marks to one decimal), as in the HTML
    report: a reader who sees 68% and 53% here and in the report finds 15, not 15,8. The unrounded difference
    stays in the sheet 'Alle cijfers', beside the unrounded values it is computed from."""
    if cmp is None:
        return [None] * 6, [None] * 6
    shown = None
    if cmp.diff is not None and a is not None and b is not None and a.shown and b.shown:
        shown = fmt.shown_difference(a.value, b.value, is_mark)
    value = None if shown is None else (shown if is_mark else round(shown * 100))
    unit = "punt" if is_mark else "procentpunt"
    verdict = VERDICT_NL.get(cmp.verdict, cmp.verdict)
    return ([value, unit, cmp.test or None, cmp.p, cmp.p_adjusted, verdict],
            ["+0.0;-0.0;0.0" if is_mark else "+0;-0;0", None, None, "0.000", "0.000", None])


def _questions(book: Workbook, data: ReportInput, tables: dict) -> None:
    groups = F.SECTOR_GROUPS
    header = ["Thema", "Vraag", "Stelling of vraag", "Antwoord"]
    for g in groups:
        label = GROUP_LABELS[g]
        header += [f"{label} %", f"{label} 95%-BI onder", f"{label} 95%-BI boven", f"{label} aantal", f"{label} n"]
    rows, formats, bold = [], [], []
    q = data.questionnaire
    for theme in q.themes:
        for item in theme_items(q, data.figures, theme.id):
            table = tables.get(item.id)
            if table is None:
                continue
            wording = (" / ".join(f"{GROUP_LABELS[g]}: {text}" for g, text in item.texts) if item.mirrored
                       else item.text())
            lead = [f"{theme.number}. {theme.title}", item.short, wording]

            def emit(label: str, row: Row | None, strong: bool = False, lead: list = lead) -> None:
                if row is None:
                    return
                values, cell_formats = _group_values(row, groups)
                rows.append(lead + [label] + values)
                formats.append([None] * 4 + cell_formats)
                bold.append(strong)

            if table.mean is not None:
                emit(table.insufficient.label.capitalize(), table.insufficient, strong=True)
            for r in table.rows:
                emit(r.label, r)
            if table.positive is not None and table.mean is None:
                emit(f"Samen: {table.positive.label}", table.positive, strong=True)
            emit("Geen antwoord (van wie de vraag kreeg)", table.nonresponse)
    _table(book, "Vragen", header, rows, formats, [28, 34, 60, 30] + [9, 11, 11, 9, 7] * len(groups), bold)


def _marks(book: Workbook, data: ReportInput, tables: dict) -> None:
    """The rapportcijfer: a mean is not a percentage, so it gets its own sheet."""
    header = ["Vraag", "Groep", "Gemiddeld cijfer", "95%-BI onder", "95%-BI boven", "n",
              "Onvoldoende %", "Onvoldoende 95%-BI onder", "Onvoldoende 95%-BI boven",
              "Onvoldoende aantal", "Onvoldoende n"]
    rows, formats = [], []
    for item in data.questionnaire.items:
        if item.is_open or item.scale.kind != "cijfer":
            continue
        table = tables.get(item.id)
        if table is None or table.mean is None:
            continue
        for g in table.groups:
            mean_v, mean_f = _cell_values(table.mean.cells.get(g), is_mark=True)
            low_v, low_f = _cell_values(table.insufficient.cells.get(g))
            rows.append([item.short, GROUP_LABELS[g]] + mean_v[:3] + [mean_v[4]] + low_v)
            formats.append([None, None] + mean_f[:3] + [None] + low_f)
    _table(book, "Rapportcijfer", header, rows, formats, [34, 12, 16, 13, 13, 8, 24, 22, 22, 18, 14])


def _sector_tests(book: Workbook, data: ReportInput, tables: dict) -> None:
    header = ["Thema", "Vraag", "Verschil jeugdhulp min onderwijs", "Eenheid", "Toets", "p", "p (gecorrigeerd)",
              "Oordeel", "Toelichting"]
    rows, formats = [], []
    q = data.questionnaire
    for theme in q.themes:
        for item in theme_items(q, data.figures, theme.id):
            table = tables.get(item.id)
            if table is None or table.sector_test is None:
                continue
            head = table.mean if table.mean is not None else table.positive
            cells = head.cells if head is not None else {}
            v, f = _diff(table.sector_test, table.mean is not None, cells.get(F.JEUGDHULP), cells.get(F.ONDERWIJS))
            rows.append([f"{theme.number}. {theme.title}", item.short] + v + [table.sector_test.note or None])
            formats.append([None, None] + f + [None])
    _table(book, "Verschillen sectoren", header, rows, formats, [28, 34, 18, 12, 30, 9, 14, 18, 50])


def _trends(book: Workbook, data: ReportInput) -> None:
    points_header = ["Vraag", "Meting", "Waarde", "95%-BI onder", "95%-BI boven", "aantal", "n", "Status",
                     "Toelichting"]
    change_header = ["Vraag", "Van meting", "Naar meting", "Verschil", "Eenheid", "Toets", "p", "p (gecorrigeerd)",
                     "Oordeel", "Toelichting"]
    points, point_formats, changes, change_formats = [], [], [], []
    # A mirrored item has no totaal: its rows per sector ("Vast contactpersoon (onderwijs)").
    for r in (trend_rows(data.history, data.questionnaire, data.wave)
              + sector_trend_rows(data.history, data.questionnaire, data.wave)):
        for wave in sorted(r.status):
            v, f = _cell_values(r.points.get(wave), r.is_mark)
            points.append([r.label, wave] + v + [VERDICT_NL.get(r.status[wave], ""), r.notes.get(wave) or None])
            point_formats.append([None, None] + f + [None, None])
        for earlier, cmp in sorted(r.changes.items()):
            v, f = _diff(cmp, r.is_mark, r.points.get(data.wave), r.points.get(earlier))
            changes.append([r.label, earlier, data.wave] + v + [cmp.note or None])
            change_formats.append([None, None, None] + f + [None])
    _table(book, "Trends", points_header, points, point_formats, [34, 9, 10, 13, 13, 9, 8, 20, 60])
    _table(book, "Veranderingen", change_header, changes, change_formats, [34, 11, 12, 10, 12, 26, 9, 14, 18, 60])


def _benchmark(book: Workbook, data: ReportInput) -> None:
    header = ["Vraag", "Deze regio", "Deze regio n", "Andere regio's: gemiddelde", "Laagste", "Hoogste",
              "Aantal regio's", "Andere regio's n", "Verschil met het gemiddelde", "Eenheid", "Vergeleken met"]
    rows, formats = [], []
    for r in benchmark_rows(data.figures, data.questionnaire):
        value_format = MARK if r.is_mark else PCT
        own = r.own.value if r.own.shown else None
        # As everywhere: the difference of the printed figures (68% and 53%: 15), not the unrounded one.
        shown = (fmt.shown_difference(r.own.value, r.others.value, r.is_mark)
                 if r.own.shown and r.comparison.diff is not None else None)
        diff = None if shown is None else (shown if r.is_mark else round(shown * 100))
        rows.append([r.item.short, own, r.own.n, r.others.value, r.lowest, r.highest, r.regions, r.others.n, diff,
                     "punt" if r.is_mark else "procentpunt", r.comparison.against])
        formats.append([None, value_format, None, value_format, value_format, value_format, None, None,
                        "+0.0;-0.0;0.0" if r.is_mark else "+0;-0;0", None, None])
    if not rows:
        rows.append([NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base)] + [None] * (len(header) - 1))
        formats.append([None] * len(header))
    _table(book, "Benchmark", header, rows, formats, [34, 11, 12, 16, 10, 10, 12, 14, 14, 12, 40])
    refs = references_for(data.questionnaire, data.references, data.wave,
                          frozenset(dict(data.region.export(data.wave).mapping.scales)))
    if refs:
        ref_rows, ref_formats = [], []
        for item in data.questionnaire.items:
            table = None if item.is_open else item_table(data.figures, item)
            own = None if table is None else (table.mean if table.mean is not None else table.positive)
            for group in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP):  # the report's order
                ref = refs.get((item.id, group))
                if ref is None or own is None:
                    continue
                cell = own.cells.get(group)
                value_format = MARK if ref.is_mark else PCT
                ref_rows.append([item.short, GROUP_LABELS[group], cell.value if cell is not None and cell.shown
                                 else None, cell.n if cell is not None else None, ref.value, ref.source])
                ref_formats.append([None, None, value_format, None, value_format, None])
        _table(book, "Referentiewaarden", ["Vraag", "Groep", "Deze regio", "Deze regio n", "Referentiewaarde",
                                           "Bron (niet getoetst)"], ref_rows, ref_formats, [34, 12, 11, 12, 16, 60])


def _breakdowns(book: Workbook, data: ReportInput) -> None:
    header = ["Indeling", "Binnen", "Groep", "Vraag", "Cijfer", "Waarde", "95%-BI onder", "95%-BI boven", "aantal",
              "n", "Onderdrukt"]
    rows, formats = [], []
    q = data.questionnaire
    for question, name in (("functie", "Functie"), ("schooltype", "Schooltype")):
        groups = breakdown_groups(data.figures, question, q)
        for r in breakdown_rows(data.figures, question, q):
            is_mark = r.label == "gemiddeld cijfer"
            for group, partition, label in groups:
                cell = r.cells.get(f"{partition}/{group}")
                if cell is None:
                    continue
                v, f = _cell_values(cell, is_mark)
                rows.append([name, GROUP_LABELS.get(partition, partition), label, r.item.short, r.label] + v
                            + ["ja" if cell.suppressed else "nee"])
                formats.append([None] * 5 + f + [None])
    _table(book, "Uitsplitsing", header, rows, formats, [12, 12, 36, 34, 24, 9, 13, 13, 9, 7, 11])


def _open_answers(book: Workbook, data: ReportInput) -> None:
    """Sub-themes of every open question per sector, and the quotes chosen for the report."""
    groups = F.SECTOR_GROUPS
    header = ["Vraag", "Subthema"]
    for g in groups:
        label = GROUP_LABELS[g]
        header += [f"{label} %", f"{label} 95%-BI onder", f"{label} 95%-BI boven", f"{label} aantal",
                   f"{label} n (antwoorden)"]
    rows, formats = [], []
    quote_rows, quote_formats = [], []
    quotes = data.open_answers.quotes if data.open_answers is not None else pd.DataFrame()
    reviews = data.open_answers.review_by_item() if data.open_answers is not None else {}
    coding_rows, coding_formats = [], []
    for item in data.questionnaire.items:
        if not item.is_open:
            continue
        question = (open_question(data.figures, quotes, item, reviewed=reviews.get(item.id, {}).get("reviewed", 0))
                    if data.open_answers is not None else None)
        if question is None:
            continue
        coding_rows.append([item.short, question.answers, question.other, question.other_share, question.reviewed,
                            "ja" if narrative.review_advised(question) else "nee", narrative.coding_note(question)])
        coding_formats.append([None, None, None, PCT, None, None, None])
        for r in question.rows:
            values, cell_formats = _group_values(r, groups)
            rows.append([item.short, r.label] + values)
            formats.append([None, None] + cell_formats)
            for text in question.quotes.get(r.category, ()):
                quote_rows.append([item.short, r.label, text])
                quote_formats.append([None, None, None])
    _table(book, "Open antwoorden", header, rows, formats, [30, 40] + [9, 11, 11, 9, 12] * len(groups))
    _table(book, "Citaten", ["Vraag", "Subthema", "Citaat (geanonimiseerd)"], quote_rows, quote_formats,
           [30, 40, 110])
    _table(book, "Indeling open vragen", ["Vraag", "Antwoorden (n)", "In Overig (aantal)", "In Overig %",
                                          "Nagekeken door coördinator (aantal)", "Nakijken aangeraden", "Toelichting"],
           coding_rows, coding_formats, [30, 12, 12, 10, 16, 12, 90])


def _all_figures(book: Workbook, figs: pd.DataFrame) -> None:
    header = ["Regio", "Meting", "Thema", "Vraag", "Soort groep", "Groep", "Deel van", "Statistiek", "Categorie",
              "Label", "Aantal (k)", "Basis (n)", "Waarde", "95%-BI onder", "95%-BI boven", "Vergeleken met",
              "Verschil", "Toets", "p", "p (gecorrigeerd)", "Oordeel", "Toelichting", "Onderdrukt"]
    rows, formats = [], []
    for rec in figs.itertuples(index=False):
        # A mean mark and every comparison of marks (no answer category) are marks, not percentages.
        is_mark = rec.statistic == F.MEAN or (rec.statistic in (F.TREND_POINT, F.TREND, F.BENCHMARK, F.SECTOR_TEST)
                                               and rec.category == "")
        value_format = MARK if is_mark else PCT1

        def num(x):
            return None if pd.isna(x) else float(x)

        rows.append([rec.region, int(rec.wave), rec.theme, rec.item, rec.group_type,
                     GROUP_LABELS.get(rec.group, rec.group), GROUP_LABELS.get(rec.partition, rec.partition),
                     STATISTIC_NL.get(rec.statistic, rec.statistic), rec.category, rec.label,
                     None if pd.isna(rec.k) else int(rec.k), None if pd.isna(rec.n) else int(rec.n),
                     num(rec.value), num(rec.ci_low), num(rec.ci_high), rec.compare_to or None, num(rec.diff),
                     rec.test or None, num(rec.p_value), num(rec.p_adjusted), VERDICT_NL.get(rec.verdict, rec.verdict)
                     or None, rec.note or None, "ja" if rec.suppressed else "nee"])
        formats.append([None] * 12 + [value_format, value_format, value_format, None,
                                      "+0.00;-0.00;0.00" if is_mark else "+0.0%;-0.0%;0.0%", None, "0.000", "0.000",
                                      None, None, None])
    _table(book, "Alle cijfers", header, rows, formats,
           [14, 8, 14, 26, 12, 14, 11, 22, 9, 26, 10, 10, 10, 12, 12, 14, 10, 26, 8, 14, 16, 40, 11])


def render_workbook(data: ReportInput) -> bytes:
    book = Workbook()
    sizes = sector_sizes(data.figures)
    _intro(book, data, sizes)
    _respondents(book, data.figures, sizes)
    # Each item's table once, for every sheet that shows it.
    tables = {it.id: item_table(data.figures, it) for it in data.questionnaire.items if not it.is_open}
    _questions(book, data, tables)
    _marks(book, data, tables)
    _sector_tests(book, data, tables)
    _trends(book, data)
    _benchmark(book, data)
    _breakdowns(book, data)
    _open_answers(book, data)
    _all_figures(book, pd.concat([data.figures, data.history[data.history["wave"] != data.wave]]))
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
