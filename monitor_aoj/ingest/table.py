"""What a format reader hands to the mapping step: a Table of the answers under a recognised header, with Notes.

One list of cells per physical data row, numbered as the user sees it in Excel or the survey tool, with the
file's own value labels and missing codes; what reading had to work around becomes a Note, and a row that cannot
be split into its fields a row fault.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from monitor_aoj.dutch import counted
from monitor_aoj.ingest.layouts import Header


@dataclass(frozen=True)
class Note:
    """Something reading noticed. Warnings go into the validation report."""

    kind: str  # e.g. "codering", "extra_kopregel", "extra_werkblad", "bestandsinfo"
    text: str  # Dutch, for the user
    warning: bool = False
    row: int | None = None
    column: str | None = None


@dataclass
class Table:
    """What a format reader hands to the mapping step: the answers under a recognised header."""

    header: Header
    body: list[list]  # one list of cells per data row, as found
    rows: list[int]  # the row number the user sees, per body row
    labels: dict[int, dict[object, str]] = field(default_factory=dict)  # by column position
    user_missing: dict[int, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    faults: dict[int, str] = field(default_factory=dict)  # row -> why its fields could not be read
    part: str = ""  # the part of the file read, when it has several: "werkblad 'Data'"
    # Dutch, said beside "gelezen = gebruikt + quarantaine": what the file holds that is not among the rows read
    # ("werkblad 'Toelichting' (3 gevulde rijen) is niet gelezen: ...", "1 lege regel aan het eind overgeslagen")
    skipped: list[str] = field(default_factory=list)


def column_letter(position: int) -> str:
    """Column position as Excel names it: 0 -> A, 27 -> AB."""
    name = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def name_listing(names: tuple[str, ...], limit: int = 12) -> str:
    shown = [n for n in names if n][:limit]
    more = len([n for n in names if n]) - len(shown)
    return ", ".join(shown) + (f" en {more} andere" if more > 0 else "")


def drop_trailing_empty(body: list[list], rows: list[int], unit: tuple[str, str]) -> tuple[list[list], list[int], str]:
    """Empty rows below the last response (Excel formatting, a last line of only separators) are not responses:
    dropped, and counted in the returned remark ("1 lege regel aan het eind overgeslagen"; "" when none), so that
    the number of lines in the file is explained. unit: what a row is called, singular and plural ("lege regel").

    Empty rows between responses stay: validation reports them with their row number."""
    last = len(body)
    while last and all(v is None or (isinstance(v, str) and not v.strip()) for v in body[last - 1]):
        last -= 1
    dropped = len(body) - last
    remark = f"{counted(dropped, *unit)} aan het eind overgeslagen" if dropped else ""
    return body[:last], rows[:last], remark


CSV_LINES = ("lege regel", "lege regels")
# How a UTF-16 text file begins (Excel's "Unicode-tekst"): without this mark UTF-16 decodes nearly any bytes.
UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SHEET_ROWS = ("lege rij", "lege rijen")
FILLED_ROWS = ("gevulde rij", "gevulde rijen")  # how a sheet not read is counted: every row with content
