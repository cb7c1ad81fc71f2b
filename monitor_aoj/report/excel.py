"""The Excel workbook of one region and wave, with the same figures as the HTML report, and
the run-wide figure table (alle_cijfers.xlsx and .csv) of every region and wave of a run.

Dutch sheet names and headers, unique per sheet; real numbers with number formats (a percentage is 0.32 shown
as 32%); every table an Excel Table (ListObject) with a header row, banded rows and its own filter; frozen
header rows tall enough to show every header whole; a native bar chart of the mark. Text from an export is
always written as text, never as a formula. Written with xlsxwriter: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import numbers
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from monitor_aoj import __version__
from monitor_aoj import dutch as fmt
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.references import REFERENCE_RULE, references_for
from monitor_aoj.dutch import BACKGROUND_LABELS, GROUP_LABELS, OTHER_GROUP_LABELS, STATISTIC_LABELS, VERDICT_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import (
    BENCHMARK_NOT_TESTED,
    BENCHMARK_POOLING,
    NO_BENCHMARK,
    family_size,
)
from monitor_aoj.figures.statistics import ALPHA, detectable_difference
from monitor_aoj.report import narrative
from monitor_aoj.report.tables import (
    Cell,
    Comparison,
    ReportInput,
    Row,
    background_table,
    breakdown_groups,
    breakdown_rows,
    open_question,
    responses,
    sector_sizes,
    theme_items,
)

# Number formats. Each says how a value reads; ROUNDING below says how many decimals it is stored with.
PCT = "0%"
PCT1 = "0.0%"
PCT2 = "0.00%"
MARK = "0.0"
MARK2 = "0.00"  # 'Alle cijfers': one decimal more than the report
P = "0.0000"
DIFF_POINTS = "+0;-0;0"  # whole percentage points, as printed
DIFF_MARK = "+0.0;-0.0;0.0"
DIFF_PCT2 = "+0.00%;-0.00%;0.00%"
DIFF_MARK2 = "+0.00;-0.00;0.00"
DATE = "[$-413]d mmmm yyyy"  # Dutch month names whatever the viewer's locale

# The rounding rule, written once: a value is stored with the decimals its meaning needs and no more, so no
# float noise (2.7e-17) reaches a cell. Enough decimals that rounding the stored value once more, as a number
# format or a reader does, gives the figure the report prints (whole percentages, marks to one decimal): a share
# k / n lies at least 1 / (200 n) from a half percent, a mean mark at least 1 / (20 n) from a half tenth, so a
# share (a fraction shown as a percentage) keeps 6 decimals (0.321429 is 32.1429%; safe for bases up to 10 000)
# and a mark 4 (6.8495; safe up to 1 000 respondents per group). Fewer would round twice: 0.68496 stored as
# 0.685 shows 69% where the report says 68%. A p-value keeps 4. A float with no format of its own keeps 6.
FRACTION_DECIMALS = 6
MARK_DECIMALS = 4
P_DECIMALS = 4
ROUNDING = {PCT: FRACTION_DECIMALS, PCT1: FRACTION_DECIMALS, PCT2: FRACTION_DECIMALS, DIFF_PCT2: FRACTION_DECIMALS,
            MARK: MARK_DECIMALS, MARK2: MARK_DECIMALS, DIFF_MARK: MARK_DECIMALS, DIFF_MARK2: MARK_DECIMALS,
            P: P_DECIMALS, DIFF_POINTS: 0}

HEADER_BACKGROUND = "#01665E"
HEADER_TEXT = "#FFFFFF"
TABLE_STYLE = "Table Style Light 1"  # grey bands: the teal header stands out, the figures stay readable
ROW_POINTS = 15  # height of one line of 11 pt Calibri; LibreOffice does not grow a row for wrapped text itself
BOLD_WIDTH = 1.15  # a bold character is about this much wider than the '0' a column width is counted in
TEXT_WIDTH = 0.85  # an average plain character is narrower than the '0' (Calibri in Excel, DejaVu in LibreOffice)


def rounded(value: float, number_format: str | None) -> float:
    """value with the decimals ROUNDING gives its number format (FRACTION_DECIMALS for a format it does not
    list); -0.0 is 0."""
    out = round(float(value), ROUNDING.get(number_format, FRACTION_DECIMALS))
    return out + 0.0  # -0.0 + 0.0 is 0.0: no "-0%" in a sheet


class _Book:
    """An xlsxwriter workbook in memory with a cache of its cell formats."""

    def __init__(self, stamp: dt.datetime, title: str):
        self.buffer = io.BytesIO()
        # Text is text: never a formula, number or link, whatever it starts with.
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                    "strings_to_numbers": False, "strings_to_urls": False})
        # The report date as creation date: the same input gives the same bytes.
        self.wb.set_properties({"title": title, "author": f"monitor_aoj {__version__}", "created": stamp})
        self._formats: dict[tuple, object] = {}
        self.tables: set[str] = set()

    def format(self, number_format: str | None = None, bold: bool = False, left: bool = False, wrap: bool = False,
               size: int | None = None, header: bool = False):
        key = (number_format, bold, left, wrap, size, header)
        if key not in self._formats:
            props: dict = {}
            if number_format:
                props["num_format"] = number_format
            if bold or header:
                props["bold"] = True
            if left:
                props["align"] = "left"
            if wrap or header:
                props.update(text_wrap=True, valign="top")
            if size:
                props["font_size"] = size
            if header:
                props.update(font_color=HEADER_TEXT, bg_color=HEADER_BACKGROUND, pattern=1)
            self._formats[key] = self.wb.add_format(props) if props else None
        return self._formats[key]

    def sheet(self, name: str) -> _Sheet:
        return _Sheet(self, self.wb.add_worksheet(name))

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


@dataclass
class _Sheet:
    book: _Book
    ws: Worksheet
    row: int = 0  # 0-based, as xlsxwriter counts

    def put(self, column: int, value: object, number_format: str | None = None, bold: bool = False,
            left: bool = False, wrap: bool = False, size: int | None = None) -> None:
        """One cell of the current row (column 1-based): text as text, numbers rounded by ROUNDING."""
        col = column - 1
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            self.ws.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()),
                                   self.book.format(DATE, bold, left, wrap, size))
            return
        cell_format = self.book.format(number_format, bold, left, wrap, size)
        # An empty text is an empty cell (ISBLANK, 'Lege cellen' find it), not a string of length 0.
        if value is None or value is pd.NA or (isinstance(value, str) and not value) or (
                isinstance(value, float) and math.isnan(value)):
            if cell_format is not None:
                self.ws.write_blank(self.row, col, None, cell_format)
        elif isinstance(value, str):
            # Text from an export may start with "=", "+", "-" or "@": written as a string, never a formula.
            self.ws.write_string(self.row, col, value, cell_format)
        elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
            self.ws.write_number(self.row, col, int(value), cell_format)
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            self.ws.write_number(self.row, col, rounded(value, number_format), cell_format)
        else:
            self.ws.write_string(self.row, col, str(value), cell_format)

    def line(self, values: list, formats: list | None = None, bold: bool = False) -> None:
        """A whole row (values from column 1, formats beside them), written as `put` writes each cell. The
        plain types that make up nearly every cell go straight to the writer; any other value goes through put."""
        ws, row, book = self.ws, self.row, self.book
        formats = formats or [None] * len(values)
        if len(formats) < len(values):
            raise ValueError(f"{len(values)} cells but {len(formats)} formats in row {row} of {ws.get_name()}")
        # xlsxwriter's write_* only turn "A1" arguments into numbers before calling these.
        write_string = getattr(ws, "_write_string", ws.write_string)
        write_number = getattr(ws, "_write_number", ws.write_number)
        write_blank = getattr(ws, "_write_blank", ws.write_blank)
        for col, (value, number_format) in enumerate(zip(values, formats)):
            kind = type(value)
            if kind is str:
                cell_format = book.format(number_format, bold)
                if value:
                    write_string(row, col, value, cell_format)
                elif cell_format is not None:
                    write_blank(row, col, None, cell_format)
            elif kind is int:
                write_number(row, col, value, book.format(number_format, bold))
            elif kind is float and not math.isnan(value):
                write_number(row, col, rounded(value, number_format), book.format(number_format, bold))
            elif value is None or kind is float:
                cell_format = book.format(number_format, bold)
                if cell_format is not None:
                    write_blank(row, col, None, cell_format)
            else:
                self.put(col + 1, value, number_format, bold)
        self.row += 1


def _lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines text takes wrapped in a column this wide (in widths of '0')."""
    usable = max(1, int((width - 1) / (BOLD_WIDTH if bold else TEXT_WIDTH)))
    return sum(max(1, len(textwrap.wrap(part, usable, break_long_words=True))) for part in text.split("\n"))


def _header_layout(header: list[str], widths: list[int]) -> tuple[list[int], float]:
    """Column widths wide enough for the longest word of each header, and the header row's height for the
    longest wrapped header: a header shows whole in Excel and in LibreOffice (which does not grow the row)."""
    fitted = [max(w, math.ceil(max((len(word) for word in name.split()), default=1) * BOLD_WIDTH) + 2)
              for name, w in zip(header, widths)]
    lines = max((_lines(name, w, bold=True) for name, w in zip(header, fitted)), default=1)
    return fitted, lines * ROW_POINTS + 3


def _print_setup(ws: Worksheet, header_row: int | None = None) -> None:
    """Printed, a sheet is A4 landscape, as wide as the page, with its header (0-based row) on every page."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)


EMPTY_TABLE = ("Geen cijfers op dit blad voor deze regio en meting (bijvoorbeeld: geen eerdere meting, of te "
               "weinig antwoorden). Zie het blad Toelichting.")


def _table_name(sheet: str) -> str:
    """'Verschillen sectoren' -> 'tbl_verschillen_sectoren': a name Excel accepts for a Table."""
    return "tbl_" + re.sub(r"[^a-z0-9]+", "_", sheet.lower().replace("'", "")).strip("_")


def _table(book: _Book, name: str, header: list[str], rows: list[list], formats: list[list | None],
           widths: list[int], bold: list[bool] | None = None) -> _Sheet:
    """One sheet holding one Excel Table: header row (frozen, repeated in print), then rows with per-cell
    number formats. Raises ValueError when two headers are equal: a Table needs unique headers."""
    if len(set(header)) != len(header):
        raise ValueError(f"dubbele kolomkop op werkblad {name}: {header}")
    s = book.sheet(name)
    table = _table_name(name)
    widths, height = _header_layout(header, widths)
    head = book.format(header=True)
    # A Table holds at least one data row: an empty sheet says why it is empty there.
    if not rows:
        rows, formats = [[EMPTY_TABLE] + [None] * (len(header) - 1)], [None]
    s.ws.add_table(0, 0, max(len(rows), 1), len(header) - 1, {
        "name": table, "style": TABLE_STYLE, "banded_rows": True, "autofilter": True,
        "columns": [{"header": h, "header_format": head} for h in header]})
    book.tables.add(table)
    s.ws.set_row(0, height)
    s.row = 1
    for i, row in enumerate(rows):
        s.line(row, formats[i], bool(bold and bold[i]))
    s.ws.freeze_panes(1, 0)
    for i, w in enumerate(widths):
        s.ws.set_column(i, i, w)
    _print_setup(s.ws, 0)
    return s


def _earlier_waves(data: ReportInput) -> str:
    """'2016 (geen gegevens), 2018'; 'geen' only when the region stated it held no earlier wave."""
    without = data.region.held_without_data_before(data.wave)
    held = sorted(set(data.earlier_waves) | set(without or ()))
    if held:
        return ", ".join(f"{w} (geen gegevens)" if w in (without or ()) else str(w) for w in held)
    return "geen" if without is not None else "geen in deze rapportage"


INTRO_WIDTHS = (34, 92)  # label and text: together as wide as an A4 landscape page at 100%


def _intro(book: _Book, data: ReportInput, sizes: dict[str, int]) -> None:
    family = family_size(data.figures)
    s = book.sheet("Toelichting")
    export = data.region.export(data.wave)
    s.put(1, f"Monitor Aansluiting Onderwijs Jeugd – {data.region.name}, meting {data.wave}", bold=True, size=14)
    s.ws.set_row(0, 22)
    s.row += 2
    rows = [
        ("Regio", data.region.name),
        ("Meting", data.wave),
        ("Veldwerk", export.fieldwork or str(data.wave)),
        ("Respondenten totaal", sizes[F.TOTAAL]),
        ("Respondenten onderwijs", sizes[F.ONDERWIJS]),
        ("Respondenten jeugdhulp", sizes[F.JEUGDHULP]),
        *_response_rows(data, sizes),
        ("Eerdere metingen", _integer_text(_earlier_waves(data))),  # one wave: the year as a number
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
        # Wrapped, with a row as tall as its lines: a long cell (fingerprints) stays on the page, so the sheet
        # prints at full size instead of shrunk to fit an overflowing line.
        s.put(1, label, bold=True, wrap=True)
        # Numbers beside their label, not at the far edge.
        s.put(2, value, number_format[0] if number_format else None, left=True, wrap=True)
        _fit_row(s, [label, str(value)])
        s.row += 1
    s.row += 1
    s.put(1, "Zo leest u dit werkboek", bold=True, size=12)
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
        "en werkboek ze tonen (68% en 53%: 15 procentpunt). 'Alle cijfers' bevat de waarden en het verschil "
        f"nauwkeuriger, voor wie zelf verder rekent: percentages op {FRACTION_DECIMALS - 2} decimalen, cijfers op "
        f"{MARK_DECIMALS} en p-waarden op {P_DECIMALS}.",
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
        "Werkblad 'Alle cijfers': de volledige cijfertabel waar rapport en werkboek uit zijn gemaakt, met naast "
        "elke code (Vraag-id, Groep-id) de naam.",
        "Elk werkblad met cijfers is een Excel-tabel (bijvoorbeeld tbl_alle_cijfers): filter en sorteer met de "
        "knoppen in de kopregel, of maak er met Invoegen > Draaitabel een draaitabel van.",
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
        # A note spans both columns: the bullet stands at its text, not a column's width away from it.
        text = f"• {note}"
        s.ws.merge_range(s.row, 0, s.row, 1, "", s.book.format(left=True, wrap=True))
        s.put(1, text, left=True, wrap=True)
        lines = _lines(text, sum(INTRO_WIDTHS))
        if lines > 1:
            s.ws.set_row(s.row, lines * ROW_POINTS + 2)
        s.row += 1
    for i, w in enumerate(INTRO_WIDTHS):
        s.ws.set_column(i, i, w)
    _print_setup(s.ws)


def _fit_row(s: _Sheet, texts: list[str]) -> None:
    """The current row of the intro as tall as its longest wrapped text."""
    lines = max(_lines(t, w, bold=(i == 0)) for i, (t, w) in enumerate(zip(texts, INTRO_WIDTHS)))
    if lines > 1:
        s.ws.set_row(s.row, lines * ROW_POINTS + 2)


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


def _respondents(book: _Book, figs: pd.DataFrame, sizes: dict[str, int]) -> None:
    groups = F.SECTOR_GROUPS
    header = ["Kenmerk", "Categorie"]
    for g in groups:
        header += [f"{GROUP_LABELS[g]} aantal", f"{GROUP_LABELS[g]} %"]
    rows = [["Aantal respondenten", "alle"] + [v for g in groups for v in (sizes[g], None)]]
    formats: list[list | None] = [None]
    for question, name in (("functie", "Functie"), ("schooltype", "Schooltype")):
        for r in background_table(figs, question):
            values, cell_formats = [name, r.label], [None, None]
            for g in groups:
                c = r.cells.get(g)
                values += [c.k if c else None, c.value if c and c.shown else None]
                cell_formats += [None, PCT]
            rows.append(values)
            formats.append(cell_formats)
    _table(book, "Respondenten", header, rows, formats, [16, 42] + [14, 12] * len(groups))


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
    unit = "punt" if is_mark else "procentpunt"
    verdict = VERDICT_LABELS.get(cmp.verdict, cmp.verdict)
    return ([value, unit, cmp.test or None, cmp.p, cmp.p_adjusted, verdict],
            [DIFF_MARK if is_mark else DIFF_POINTS, None, None, P, P, None])


def _questions(book: _Book, data: ReportInput, tables: dict) -> None:
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
                rows.append(lead + [_integer_text(label)] + values)  # a mark answer '7' is the number 7
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


def _marks(book: _Book, data: ReportInput, tables: dict) -> None:
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
    sheet = _table(book, "Rapportcijfer", header, rows, formats, [34, 12, 16, 13, 13, 8, 24, 22, 22, 18, 14])
    _mark_chart(book, sheet, rows, list(dict.fromkeys(r[0] for r in rows)))


def _sector_tests(book: _Book, data: ReportInput, tables: dict) -> None:
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
    _table(book, "Verschillen sectoren", header, rows, formats, [28, 34, 18, 12, 30, 9, 14, 18, 50])


def _trends(book: _Book, data: ReportInput) -> None:
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
    _table(book, "Trends", points_header, points, point_formats, [34, 9, 10, 13, 13, 9, 8, 20, 60])
    _table(book, "Veranderingen", change_header, changes, change_formats, [34, 11, 12, 10, 12, 26, 9, 14, 18, 60])


def _benchmark(book: _Book, data: ReportInput) -> None:
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
                     "punt" if r.is_mark else "procentpunt", r.comparison.against])
        formats.append([None, value_format, None, value_format, value_format, value_format, None, None,
                        DIFF_MARK if r.is_mark else DIFF_POINTS, None, None])
    if not rows:
        rows.append([NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base)] + [None] * (len(header) - 1))
        formats.append([None] * len(header))
    _table(book, "Benchmark", header, rows, formats, [34, 11, 12, 16, 10, 10, 12, 14, 14, 12, 40])
    refs = references_for(data.questionnaire, data.references, data.wave,
                          frozenset(dict(data.region.export(data.wave).mapping.scales)))
    if refs:
        ref_rows, ref_formats = [], []
        for item in data.questionnaire.items:
            table = data.item_tables.get(item.id)
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


def _breakdowns(book: _Book, data: ReportInput) -> None:
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


def _open_answers(book: _Book, data: ReportInput) -> None:
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


def _mark_chart(book: _Book, sheet: _Sheet, rows: list[list], items: list[str]) -> None:
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


def _integer_text(text: str) -> int | str:
    """'7' -> 7 (a mark or a year is a number); '1+2', '07' or '' stay text."""
    return int(text) if re.fullmatch(r"-?[1-9]\d*|0", text) else text


class _Labels:
    """Dutch labels of the ids in the Figures table: region names, theme and item titles and group names, from
    the questionnaire of the row's wave (or, for an item no longer asked, of another wave that has it)."""

    def __init__(self, questionnaires: Mapping[int, Questionnaire], regions: Mapping[str, str]):
        self.questionnaires = dict(questionnaires)
        self.regions = dict(regions)
        # Thousands of rows share a few hundred ids: each looked up once.
        self.theme = functools.cache(self.theme)
        self.item = functools.cache(self.item)
        self.group = functools.cache(self.group)

    def _in(self, wave: int):
        first = self.questionnaires.get(wave)
        return ([first] if first is not None else []) + [q for w, q in sorted(self.questionnaires.items(),
                                                                               reverse=True) if w != wave]

    def theme(self, wave: int, theme_id: str) -> str:
        for q in self._in(wave):
            for t in q.themes:
                if t.id == theme_id:
                    return f"{t.number}. {t.title}"
        return BACKGROUND_LABELS.get(theme_id, "")

    def item(self, wave: int, item_id: str) -> str:
        for q in self._in(wave):
            if q.has_item(item_id):
                return q.item(item_id).short
        return BACKGROUND_LABELS.get(item_id, "")

    def group(self, wave: int, group: str) -> str:
        if group in GROUP_LABELS:
            return GROUP_LABELS[group]
        if group in OTHER_GROUP_LABELS:
            return OTHER_GROUP_LABELS[group]
        question, _, code = group.partition(":")
        for q in self._in(wave):
            for c in getattr(getattr(q.background, question, None), "choices", ()):
                if str(c.code) == code:
                    return c.label
        return "Niet ingevuld" if code else group


FIGURE_HEADER = ["Regio-id", "Regio", "Meting", "Thema-id", "Thema", "Vraag-id", "Vraag", "Soort groep",
                 "Groep-id", "Groep", "Deel van", "Statistiek", "Categorie", "Label", "Aantal (k)", "Basis (n)",
                 "Waarde", "95%-BI onder", "95%-BI boven", "Vergeleken met", "Verschil", "Toets", "p-waarde",
                 "p-waarde (gecorrigeerd)", "Oordeel", "Toelichting", "Onderdrukt"]
FIGURE_WIDTHS = [14, 16, 9, 12, 28, 26, 34, 12, 14, 22, 11, 22, 10, 26, 10, 10, 10, 12, 12, 14, 10, 26, 10, 14, 16,
                 40, 11]


def figure_rows(figs: pd.DataFrame, labels: _Labels) -> tuple[list[list], list[list]]:
    """The rows of 'Alle cijfers' (columns FIGURE_HEADER) and their number formats, one per Figures row, for a
    region's workbook and for the run-wide alle_cijfers.xlsx/.csv alike.

    figs: a Figures table (figures.COLUMNS), any regions and waves. Values are rounded by ROUNDING: shares as
    fractions to FRACTION_DECIMALS (format 0.00%), marks to MARK_DECIMALS, p-values to P_DECIMALS; counts, bases,
    waves and numeric answer categories are integers; a hidden (suppressed) figure is an empty cell."""
    rows, formats = [], []
    for rec in figs.itertuples(index=False):
        # A mean mark and every comparison of marks (no answer category) are marks, not percentages.
        is_mark = rec.statistic == F.MEAN or (rec.statistic in (F.TREND_POINT, F.TREND, F.BENCHMARK, F.SECTOR_TEST)
                                               and rec.category == "")
        value_format = MARK2 if is_mark else PCT2
        diff_format = DIFF_MARK2 if is_mark else DIFF_PCT2
        wave = int(rec.wave)

        def num(x, number_format):
            return None if pd.isna(x) else rounded(x, number_format)

        rows.append([rec.region, labels.regions.get(rec.region, rec.region), wave, rec.theme,
                     labels.theme(wave, rec.theme), rec.item, labels.item(wave, rec.item), rec.group_type, rec.group,
                     labels.group(wave, rec.group), GROUP_LABELS.get(rec.partition, rec.partition),
                     STATISTIC_LABELS.get(rec.statistic, rec.statistic), _integer_text(rec.category),
                     rec.label,  # a name, as the report prints it; the number is in Categorie
                     None if pd.isna(rec.k) else int(rec.k), None if pd.isna(rec.n) else int(rec.n),
                     num(rec.value, value_format), num(rec.ci_low, value_format), num(rec.ci_high, value_format),
                     _integer_text(rec.compare_to) or None, num(rec.diff, diff_format), rec.test or None,
                     num(rec.p_value, P), num(rec.p_adjusted, P), VERDICT_LABELS.get(rec.verdict, rec.verdict) or None,
                     rec.note or None, "ja" if rec.suppressed else "nee"])
        formats.append([None] * 16 + [value_format] * 3 + [None, diff_format, None, P, P, None, None, None])
    return rows, formats


def _all_figures(book: _Book, figs: pd.DataFrame, labels: _Labels) -> None:
    rows, formats = figure_rows(figs, labels)
    _table(book, "Alle cijfers", FIGURE_HEADER, rows, formats, FIGURE_WIDTHS)


def render_workbook(data: ReportInput) -> bytes:
    """The workbook of one region and wave as .xlsx bytes: the same input gives the same bytes (the report
    date is the creation date). Sheets: Toelichting, then one Excel Table per sheet, 'Alle cijfers' last."""
    stamp = dt.datetime.combine(data.report_date, dt.time())
    book = _Book(stamp, f"Monitor AOJ {data.region.name} {data.wave}")
    sizes = sector_sizes(data.figures)
    _intro(book, data, sizes)
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
    labels = _Labels({**data.questionnaires, data.wave: data.questionnaire}, {data.region.id: data.region.name})
    _all_figures(book, pd.concat([data.figures, data.history[data.history["wave"] != data.wave]]), labels)
    return book.close()


def render_all_figures(figs: pd.DataFrame, questionnaires: Mapping[int, Questionnaire], regions: Mapping[str, str],
                       report_date: dt.date) -> tuple[bytes, str]:
    """The run-wide figure table of every region and wave in figs (a Figures table), as (.xlsx bytes, .csv
    text): the same columns and rows as each workbook's 'Alle cijfers' (figure_rows). questionnaires: by wave;
    regions: region id -> name. The same input gives the same bytes."""
    labels = _Labels(questionnaires, regions)
    ordered = figs.sort_values(["region", "wave"], kind="stable")
    rows, formats = figure_rows(ordered, labels)
    book = _Book(dt.datetime.combine(report_date, dt.time()), "Monitor AOJ alle cijfers")
    _table(book, "Alle cijfers", FIGURE_HEADER, rows, formats, FIGURE_WIDTHS)
    return book.close(), _csv(FIGURE_HEADER, rows)


def _csv(header: list[str], rows: list[list]) -> str:
    """Rows as the CSV a Dutch Excel opens right by a double click: ';' between fields and a decimal comma
    (Dutch Windows' list separator and decimal sign, so numbers arrive as numbers in their own columns). The
    caller writes it as UTF-8 with a BOM, which is how Excel knows it is UTF-8 (ë, –). A text that starts like a
    formula gets a leading apostrophe, so Excel shows it as text instead of running it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return "\ufeff" + out.getvalue()


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    # Fixed notation (Excel may not read 5e-06), no more decimals than the rounding rule gives any value.
    text = f"{float(value):.{max(ROUNDING.values())}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text.replace(".", ",")
