"""The Excel workbook of one region and wave, with the same figures as the HTML report.

Sheets: Toelichting (workbook_intro), then one Excel Table per sheet of figures (Respondenten, Vragen,
Rapportcijfer, Verschillen sectoren, Trends, Veranderingen, Benchmark, Referentiewaarden, Uitsplitsing, Open
antwoorden, Citaten, Indeling open vragen), 'Alle cijfers' last (all_figures). Dutch sheet names and headers,
unique per sheet; a native bar chart of the mark. How cells and tables are written: sheet_writer.
"""

from __future__ import annotations

import datetime as dt
import numbers

import pandas as pd

from monitor_aoj import dutch as fmt
from monitor_aoj.definitions.references import references_for
from monitor_aoj.dutch import BACKGROUND_LABELS, GROUP_LABELS, VERDICT_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import NO_BENCHMARK
from monitor_aoj.report.all_figures import FigureLabels, all_figures_sheet
from monitor_aoj.report.cells import Cell, Comparison, Row
from monitor_aoj.report.model import ReportInput
from monitor_aoj.report.open_answer_text import coding_note, review_advised
from monitor_aoj.report.sheet_writer import (
    DIFF_MARK,
    DIFF_POINTS,
    HEADER_BACKGROUND,
    MARK,
    PCT,
    Book,
    P,
    Sheet,
    add_table,
    integer_text,
)
from monitor_aoj.report.tables import (
    background_table,
    breakdown_groups,
    breakdown_rows,
    open_question,
    sector_sizes,
    theme_items,
)
from monitor_aoj.report.workbook_intro import intro_sheet

# The background questions broken down on the sheets Respondenten and Uitsplitsing, in this order.
BREAKDOWNS = ("functie", "schooltype")


def _respondents(book: Book, figs: pd.DataFrame, sizes: dict[str, int]) -> None:
    groups = F.SECTOR_GROUPS
    header = ["Kenmerk", "Categorie"]
    for g in groups:
        header += [f"{GROUP_LABELS[g]} aantal", f"{GROUP_LABELS[g]} %"]
    rows: list[list] = [["Aantal respondenten", "alle"] + [v for g in groups for v in (sizes[g], None)]]
    formats: list[list | None] = [None]
    for question in BREAKDOWNS:
        name = BACKGROUND_LABELS[question]
        for r in background_table(figs, question):
            values: list = [name, r.label]
            cell_formats: list[str | None] = [None, None]
            for g in groups:
                c = r.cells.get(g)
                values += [c.k if c else None, c.value if c and c.shown else None]
                cell_formats += [None, PCT]
            rows.append(values)
            formats.append(cell_formats)
    add_table(book, "Respondenten", header, rows, formats, [16, 42] + [14, 12] * len(groups))


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
    stays in the sheet 'Alle cijfers', beside the values it is computed from (both to ROUNDING's decimals)."""
    if cmp is None:
        return [None] * 6, [None] * 6
    shown = None
    if cmp.diff is not None and a is not None and b is not None and a.shown and b.shown:
        shown = fmt.shown_difference(a.value, b.value, is_mark)
    value = None if shown is None else (shown if is_mark else round(shown * 100))
    unit = fmt.MARK_POINT if is_mark else fmt.PERCENT_POINT
    verdict = VERDICT_LABELS.get(cmp.verdict, cmp.verdict)
    return ([value, unit, cmp.test or None, cmp.p, cmp.p_adjusted, verdict],
            [DIFF_MARK if is_mark else DIFF_POINTS, None, None, P, P, None])


def _questions(book: Book, data: ReportInput, tables: dict) -> None:
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
                rows.append(lead + [integer_text(label)] + values)  # a mark answer '7' is the number 7
                formats.append([None] * 4 + cell_formats)
                bold.append(strong)

            if table.mean is not None:
                emit(table.insufficient.label.capitalize(), table.insufficient, strong=True)
            for r in table.rows:
                emit(r.label, r)
            if table.positive is not None and table.mean is None:
                emit(f"Samen: {table.positive.label}", table.positive, strong=True)
            emit("Geen antwoord (van wie de vraag kreeg)", table.nonresponse)
    add_table(book, "Vragen", header, rows, formats, [28, 34, 60, 30] + [9, 11, 11, 9, 7] * len(groups), bold)


def _marks(book: Book, data: ReportInput, tables: dict) -> None:
    """The rapportcijfer: a mean is not a percentage, so it gets its own sheet."""
    header = ["Vraag", "Groep", "Gemiddeld cijfer", "95%-BI onder", "95%-BI boven", "n",
              "Onvoldoende %", "Onvoldoende 95%-BI onder", "Onvoldoende 95%-BI boven",
              "Onvoldoende aantal", "Onvoldoende n"]
    rows, formats = [], []
    for item in data.questionnaire.items:
        if item.is_open or item.closed_scale.kind != "cijfer":
            continue
        table = tables.get(item.id)
        if table is None or table.mean is None:
            continue
        for g in table.groups:
            mean_v, mean_f = _cell_values(table.mean.cells.get(g), is_mark=True)
            low_v, low_f = _cell_values(table.insufficient.cells.get(g))
            rows.append([item.short, GROUP_LABELS[g]] + mean_v[:3] + [mean_v[4]] + low_v)
            formats.append([None, None] + mean_f[:3] + [None] + low_f)
    sheet = add_table(book, "Rapportcijfer", header, rows, formats, [34, 12, 16, 13, 13, 8, 24, 22, 22, 18, 14])
    _mark_chart(book, sheet, rows, list(dict.fromkeys(r[0] for r in rows)))


def _sector_tests(book: Book, data: ReportInput, tables: dict) -> None:
    header = ["Thema", "Vraag", "Verschil jeugdhulp min onderwijs", "Eenheid", "Toets", "p-waarde",
              "p-waarde (gecorrigeerd)", "Oordeel", "Toelichting"]
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
    add_table(book, "Verschillen sectoren", header, rows, formats, [28, 34, 18, 12, 30, 9, 14, 18, 50])


def _trends(book: Book, data: ReportInput) -> None:
    points_header = ["Vraag", "Meting", "Waarde", "95%-BI onder", "95%-BI boven", "aantal", "n", "Status",
                     "Toelichting"]
    change_header = ["Vraag", "Van meting", "Naar meting", "Verschil", "Eenheid", "Toets", "p-waarde",
                     "p-waarde (gecorrigeerd)", "Oordeel", "Toelichting"]
    points, point_formats, changes, change_formats = [], [], [], []
    # A mirrored item has no totaal: its rows per sector ("Vast contactpersoon (onderwijs)").
    for r in data.trends + data.sector_trends:
        for wave in sorted(r.status):
            v, f = _cell_values(r.points.get(wave), r.is_mark)
            points.append([r.label, wave] + v + [VERDICT_LABELS.get(r.status[wave], ""), r.notes.get(wave) or None])
            point_formats.append([None, None] + f + [None, None])
        for earlier, cmp in sorted(r.changes.items()):
            v, f = _diff(cmp, r.is_mark, r.points.get(data.wave), r.points.get(earlier))
            changes.append([r.label, earlier, data.wave] + v + [cmp.note or None])
            change_formats.append([None, None, None] + f + [None])
    add_table(book, "Trends", points_header, points, point_formats, [34, 9, 10, 13, 13, 9, 8, 20, 60])
    add_table(book, "Veranderingen", change_header, changes, change_formats, [34, 11, 12, 10, 12, 26, 9, 14, 18, 60])


def _benchmark(book: Book, data: ReportInput) -> None:
    header = ["Vraag", "Deze regio", "Deze regio n", "Andere regio's: gemiddelde", "Laagste", "Hoogste",
              "Aantal regio's", "Andere regio's n", "Verschil met het gemiddelde", "Eenheid", "Vergeleken met"]
    rows, formats = [], []
    for r in data.benchmarks:
        value_format = MARK if r.is_mark else PCT
        own = r.own.value if r.own.shown else None
        # As everywhere: the difference of the printed figures (68% and 53%: 15), not the unrounded one.
        shown = (fmt.shown_difference(r.own.value, r.others.value, r.is_mark)
                 if r.own.shown and r.comparison.diff is not None else None)
        diff = None if shown is None else (shown if r.is_mark else round(shown * 100))
        rows.append([r.item.short, own, r.own.n, r.others.value, r.lowest, r.highest, r.regions, r.others.n, diff,
                     fmt.MARK_POINT if r.is_mark else fmt.PERCENT_POINT, r.comparison.against])
        formats.append([None, value_format, None, value_format, value_format, value_format, None, None,
                        DIFF_MARK if r.is_mark else DIFF_POINTS, None, None])
    if not rows:
        rows.append([NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base)] + [None] * (len(header) - 1))
        formats.append([None] * len(header))
    add_table(book, "Benchmark", header, rows, formats, [34, 11, 12, 16, 10, 10, 12, 14, 14, 12, 40])
    refs = references_for(data.questionnaire, data.references, data.wave,
                          frozenset(dict(data.region.export(data.wave).mapping.scales)))
    if refs:
        ref_rows, ref_formats = [], []
        for item in data.questionnaire.items:
            table = data.item_tables.get(item.id)
            head = None if table is None else (table.mean if table.mean is not None else table.positive)
            for group in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP):  # the report's order
                ref = refs.get((item.id, group))
                if ref is None or head is None:
                    continue
                cell = head.cells.get(group)
                value_format = MARK if ref.is_mark else PCT
                ref_rows.append([item.short, GROUP_LABELS[group], cell.value if cell is not None and cell.shown
                                 else None, cell.n if cell is not None else None, ref.value, ref.source])
                ref_formats.append([None, None, value_format, None, value_format, None])
        add_table(book, "Referentiewaarden", ["Vraag", "Groep", "Deze regio", "Deze regio n", "Referentiewaarde",
                                           "Bron (niet getoetst)"], ref_rows, ref_formats, [34, 12, 11, 12, 16, 60])


def _breakdowns(book: Book, data: ReportInput) -> None:
    header = ["Indeling", "Binnen", "Groep", "Vraag", "Cijfer", "Waarde", "95%-BI onder", "95%-BI boven", "aantal",
              "n", "Onderdrukt"]
    rows, formats = [], []
    q = data.questionnaire
    for question in BREAKDOWNS:
        name = BACKGROUND_LABELS[question]
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
    add_table(book, "Uitsplitsing", header, rows, formats, [12, 12, 36, 34, 24, 9, 13, 13, 9, 7, 11])


def _open_answers(book: Book, data: ReportInput) -> None:
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
                            "ja" if review_advised(question) else "nee", coding_note(question)])
        coding_formats.append([None, None, None, PCT, None, None, None])
        for r in question.rows:
            values, cell_formats = _group_values(r, groups)
            rows.append([item.short, r.label] + values)
            formats.append([None, None] + cell_formats)
            for text in question.quotes.get(r.category, ()):
                quote_rows.append([item.short, r.label, text])
                quote_formats.append([None, None, None])
    add_table(book, "Open antwoorden", header, rows, formats, [30, 40] + [9, 11, 11, 9, 12] * len(groups))
    add_table(book, "Citaten", ["Vraag", "Subthema", "Citaat (geanonimiseerd)"], quote_rows, quote_formats,
           [30, 40, 110])
    add_table(book, "Indeling open vragen", ["Vraag", "Antwoorden (n)", "In Overig (aantal)", "In Overig %",
                                          "Nagekeken door coördinator (aantal)", "Nakijken aangeraden", "Toelichting"],
           coding_rows, coding_formats, [30, 12, 12, 10, 16, 12, 90])


def _mark_chart(book: Book, sheet: Sheet, rows: list[list], items: list[str]) -> None:
    """A native bar chart of the mean mark per group, one series per mark item, read from the sheet's cells
    (column B the group, column C the mean): who changes a figure in the sheet sees the chart follow."""
    if not any(isinstance(r[2], numbers.Real) for r in rows):
        return  # no mark to show (none asked, or every one below the minimum base): no empty chart
    chart = book.wb.add_chart({"type": "column"})
    name = sheet.ws.get_name()
    for item in items:
        at = [i + 1 for i, r in enumerate(rows) if r[0] == item]  # 0-based sheet rows below the header
        chart.add_series({"name": item, "categories": [name, at[0], 1, at[-1], 1],
                          "values": [name, at[0], 2, at[-1], 2],
                          "data_labels": {"value": True, "num_format": MARK}, "fill": {"color": HEADER_BACKGROUND}})
    chart.set_title({"name": "Gemiddeld rapportcijfer per groep"})
    chart.set_y_axis({"min": 1, "max": 10, "major_unit": 1, "name": "Cijfer (1-10)"})
    chart.set_legend({"none": len(items) == 1, "position": "bottom"})
    sheet.ws.insert_chart(len(rows) + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.2})


def render_workbook(data: ReportInput) -> bytes:
    """The Excel workbook of one region and wave.

    Args:
        data: the report input of one region and wave (report.model.ReportInput): its suppressed Figures table and the
            item tables, trends, benchmarks and open answers built from it; its history (the earlier waves) goes
            into 'Alle cijfers' too.

    Returns:
        The .xlsx file as bytes. Sheets: Toelichting, then one Excel Table per sheet, 'Alle cijfers' last (one row
        per Figures row of this region, this wave and the earlier ones). Shares are stored as fractions with a
        percentage format (0.32 shows as 32%), marks on their 1-10 scale, both with the decimals
        sheet_writer.ROUNDING gives them; a hidden figure is an empty cell. The same input gives the same bytes
        (the report date is the creation date).

    Raises:
        ValueError: two headers of one sheet are equal (an Excel Table needs unique headers): a fault in this
            code, not in the data.
    """
    stamp = dt.datetime.combine(data.report_date, dt.time())
    book = Book(stamp, f"Monitor AOJ {data.region.name} {data.wave}")
    sizes = sector_sizes(data.figures)
    intro_sheet(book, data, sizes)
    _respondents(book, data.figures, sizes)
    # Each item's table once, for every sheet that shows it (the same objects as the HTML report's).
    tables = data.item_tables
    _questions(book, data, tables)
    _marks(book, data, tables)
    _sector_tests(book, data, tables)
    _trends(book, data)
    _benchmark(book, data)
    _breakdowns(book, data)
    _open_answers(book, data)
    labels = FigureLabels({**data.questionnaires, data.wave: data.questionnaire}, {data.region.id: data.region.name})
    all_figures_sheet(book, pd.concat([data.figures, data.history[data.history["wave"] != data.wave]]), labels)
    return book.close()

