"""How every workbook of a run writes its cells and tables: a region's workbook, alle_cijfers.xlsx and the
overview alike.

Real numbers with number formats (a percentage is 0.32 shown as 32%), stored with the decimals ROUNDING gives
them; text from an export always written as text, never as a formula; every table an Excel Table (ListObject)
with a header row, banded rows and its own filter; frozen header rows tall enough to show every header whole;
printed A4 landscape. Written with xlsxwriter: the same input gives the same bytes. The CSV twin of a table is
written for a Dutch Excel (csv_text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import numbers
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from monitor_aoj import __version__

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
ROUNDING: dict[str | None, int] = {
    PCT: FRACTION_DECIMALS, PCT1: FRACTION_DECIMALS, PCT2: FRACTION_DECIMALS, DIFF_PCT2: FRACTION_DECIMALS,
    MARK: MARK_DECIMALS, MARK2: MARK_DECIMALS, DIFF_MARK: MARK_DECIMALS, DIFF_MARK2: MARK_DECIMALS,
    P: P_DECIMALS, DIFF_POINTS: 0}

HEADER_BACKGROUND = "#01665E"
HEADER_TEXT = "#FFFFFF"
TABLE_STYLE = "Table Style Light 1"  # grey bands: the teal header stands out, the figures stay readable
ROW_POINTS = 15  # height of one line of 11 pt Calibri; LibreOffice does not grow a row for wrapped text itself
BOLD_WIDTH = 1.15  # a bold character is about this much wider than the '0' a column width is counted in
TEXT_WIDTH = 0.85  # an average plain character is narrower than the '0' (Calibri in Excel, DejaVu in LibreOffice)
INTRO_WIDTHS = (34, 92)  # a notes sheet's label and text: together as wide as an A4 landscape page at 100%


def rounded(value: float, number_format: str | None) -> float:
    """value with the decimals ROUNDING gives its number format (FRACTION_DECIMALS for a format it does not
    list); -0.0 is 0."""
    out = round(float(value), ROUNDING.get(number_format, FRACTION_DECIMALS))
    return out + 0.0  # -0.0 + 0.0 is 0.0: no "-0%" in a sheet


class Book:
    """An xlsxwriter workbook in memory with a cache of its cell formats."""

    def __init__(self, stamp: dt.datetime, title: str):
        self.buffer = io.BytesIO()
        # Text is text: never a formula, number or link, whatever it starts with.
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True, "strings_to_formulas": False,
                                                    "strings_to_numbers": False, "strings_to_urls": False})
        # The report date as creation date: the same input gives the same bytes.
        self.wb.set_properties({"title": title, "author": f"monitor_aoj {__version__}", "created": stamp})
        self._formats: dict[tuple, Any] = {}  # xlsxwriter Formats (None: the default)
        self.tables: set[str] = set()

    def format(self, number_format: str | None = None, bold: bool = False, left: bool = False, wrap: bool = False,
               size: int | None = None, header: bool = False) -> Any:
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

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, self.wb.add_worksheet(name))

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


@dataclass
class Sheet:
    book: Book
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
        elif isinstance(value, bool):  # a bool is an Integral, but written as its word
            self.ws.write_string(self.row, col, str(value), cell_format)
        elif isinstance(value, numbers.Integral):
            self.ws.write_number(self.row, col, int(value), cell_format)
        elif isinstance(value, numbers.Real):
            self.ws.write_number(self.row, col, rounded(float(value), number_format), cell_format)
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


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines text takes wrapped in a column this wide (in widths of '0')."""
    usable = max(1, int((width - 1) / (BOLD_WIDTH if bold else TEXT_WIDTH)))
    return sum(max(1, len(textwrap.wrap(part, usable, break_long_words=True))) for part in text.split("\n"))


def header_layout(header: list[str], widths: list[int]) -> tuple[list[int], float]:
    """Column widths wide enough for the longest word of each header, and the header row's height for the
    longest wrapped header: a header shows whole in Excel and in LibreOffice (which does not grow the row)."""
    fitted = [max(w, math.ceil(max((len(word) for word in name.split()), default=1) * BOLD_WIDTH) + 2)
              for name, w in zip(header, widths)]
    lines = max((wrapped_lines(name, w, bold=True) for name, w in zip(header, fitted)), default=1)
    return fitted, lines * ROW_POINTS + 3


def print_setup(ws: Worksheet, header_row: int | None = None) -> None:
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


def add_table(book: Book, name: str, header: list[str], rows: list[list], formats: Sequence[list | None],
           widths: list[int], bold: list[bool] | None = None) -> Sheet:
    """One sheet holding one Excel Table: header row (frozen, repeated in print), then rows with per-cell
    number formats. Raises ValueError when two headers are equal: a Table needs unique headers."""
    if len(set(header)) != len(header):
        raise ValueError(f"dubbele kolomkop op werkblad {name}: {header}")
    s = book.sheet(name)
    table = _table_name(name)
    widths, height = header_layout(header, widths)
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
    print_setup(s.ws, 0)
    return s


def integer_text(text: str) -> int | str:
    """'7' -> 7 (a mark or a year is a number); '1+2', '07' or '' stay text."""
    return int(text) if re.fullmatch(r"-?[1-9]\d*|0", text) else text


def csv_text(header: list[str], rows: list[list]) -> str:
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


def _csv_value(value: Any) -> str:  # a cell: None, a text or a number (Python's or numpy's)
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    # Fixed notation (Excel may not read 5e-06), no more decimals than the rounding rule gives any value.
    text = f"{float(value):.{max(ROUNDING.values())}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text.replace(".", ",")
