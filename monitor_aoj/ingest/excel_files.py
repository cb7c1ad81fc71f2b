"""Excel workbooks (.xlsx) -> a Table: the sheet with the answers (choose_sheet), title rows above the header
skipped; every other sheet with content (and chart sheet) named with why it was not read.

A password, an old .xls, another file named .xlsx or a cut-off file is said as such; a formula that Excel never
calculated (no saved value) stops the read rather than pass for "no answer".
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.dutch import counted, row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.decode import fold
from monitor_aoj.ingest.layouts import Header, detect
from monitor_aoj.ingest.table import (
    FILLED_ROWS,
    SHEET_ROWS,
    UTF16_MARKS,
    Note,
    Table,
    column_letter,
    drop_trailing_empty,
)

# An Office file in the old compound format (ECMA-376 part 2): either encrypted with a password, which stores the
# workbook as the stream "EncryptedPackage", or an Excel 97-2003 .xls.
_COMPOUND_FILE = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_STREAM = ("EncryptedPackage".encode("utf-16-le"), b"EncryptedPackage")


def _unopenable_workbook(path: Path) -> str:
    """What to tell a user whose .xlsx openpyxl cannot open: a password, an old .xls, another kind of file under
    the name .xlsx, or a broken (cut off) workbook. openpyxl's own text is English and stays in the chained cause."""
    with path.open("rb") as f:
        head = f.read(1024 * 1024)
    if head.startswith(_COMPOUND_FILE):
        if any(name in head for name in _ENCRYPTED_STREAM):
            return (f"{path.name} is met een wachtwoord beveiligd en kan daarom niet worden gelezen. Open het in "
                    "Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen > Versleutelen met "
                    "wachtwoord: maak het vak leeg) en sla het opnieuw op.")
        return (f"{path.name} is een oud Excel-bestand (Excel 97-2003), geen .xlsx. Open het in Excel en sla het op "
                "als 'Excel-werkmap (.xlsx)'.")
    if not head.startswith(_ZIP):
        return misnamed(path, "Excel-werkmap", head)
    if not zipfile.is_zipfile(path):
        return (f"{path.name} is onvolledig: het bestand houdt halverwege op (bijvoorbeeld een download of kopie die "
                "is afgebroken). Haal de export opnieuw uit de enquêtetool, of kopieer het bestand opnieuw.")
    return (f"{path.name} is wel een gecomprimeerd bestand, maar geen Excel-werkmap (er ontbreken onderdelen van "
            "een werkmap; misschien een ander Office-document of een beschadigde werkmap). Open het in Excel en sla "
            "het opnieuw op als 'Excel-werkmap (.xlsx)'.")


_ZIP = b"PK"  # every .xlsx is a zip archive


def misnamed(path: Path, kind: str, head: bytes) -> str:
    """What to tell a user whose file is not the `kind` its name says (Dutch): a text file is called one, since
    that is nearly always a CSV export renamed by hand."""
    what = (f"een tekstbestand (misschien een CSV-export met de naam {path.suffix})" if looks_like_text(head)
            else "een ander soort bestand")
    return (f"{path.name} is geen {kind}, maar {what}: alleen de naam eindigt op {path.suffix}. Exporteer de "
            f"antwoorden opnieuw als {kind} ({path.suffix}), of geef het bestand de extensie die bij de inhoud "
            "past (.csv voor een CSV-export).")


# Encodings a CSV export comes in. UTF-16 only with its byte order mark: without one it decodes nearly any bytes.
_TEXT_ENCODINGS = ("utf-8", "cp1252")


def looks_like_text(head: bytes) -> bool:
    """Whether the start of a file reads as printable text in an encoding a CSV export uses."""
    sample = head[:4096]
    encodings = ("utf-16",) if sample.startswith(UTF16_MARKS) else _TEXT_ENCODINGS
    for encoding in encodings:
        try:  # incremental, not final: a character cut in two at the end of the sample is no reason to refuse
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if text.strip() and all(c.isprintable() or c.isspace() for c in text.lstrip("\ufeff")):
            return True
    return False


def read_excel(export: ExportFile, wanted: set[str]) -> Table:
    """The workbook's answer sheet as a Table, named in `part`; every other sheet with content in `skipped`.

    Args:
        export: the export; `sheet` names the sheet to read (regios.yaml 'werkblad'), else choose_sheet decides.
        wanted: folded column names the questionnaire or mapping knows (they tell the answer sheet and its header).

    Returns:
        Table: rows below the header, numbered as Excel shows them. Title rows above the header are skipped
        with a note; empty rows below the last answer are skipped and counted in `skipped`.

    Raises:
        ReadError: the file cannot be opened or a sheet parsed, the named sheet is missing or a chart sheet, the
            workbook has no sheet with cells, more than one sheet may hold answers, the sheet is empty, or formulas
            have no saved value. Dutch, naming the file.
    """
    import openpyxl  # only needed for .xlsx files

    def load(values: bool) -> Any:  # openpyxl's Workbook (openpyxl has no type information)
        return openpyxl.load_workbook(export.path, read_only=True, data_only=values)

    try:
        book = load(True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException on broken files
        raise ReadError(_unopenable_workbook(export.path)) from exc
    try:
        names = book.sheetnames
        charts = [name for name in names if not hasattr(book[name], "iter_rows")]  # chart sheets hold no cells
        if export.sheet in charts:
            raise ReadError(f"{export.path.name}: '{export.sheet}' is een grafiekblad (geen cellen, dus geen "
                            "antwoorden). Geef bij 'werkblad' in regios.yaml het werkblad met de antwoorden op.")
        if export.sheet and export.sheet not in names:
            raise ReadError(
                f"{export.path.name} heeft geen werkblad '{export.sheet}' (wel: {', '.join(names)}). Pas 'werkblad' "
                "aan in regios.yaml."
            )
        # Where each sheet's XML is in the file: to look for formulas without reading the sheet once more.
        parts = {name: getattr(book[name], "_worksheet_path", None) for name in names}
        sheets = {}
        names = [name for name in names if name not in charts]
        if not names:
            raise ReadError(f"{export.path.name} heeft alleen grafiekbladen, geen werkblad met cellen. Sla de "
                            "antwoorden op als werkblad (bijvoorbeeld opnieuw exporteren uit de enquêtetool).")
        for name in names:
            try:
                sheets[name] = _sheet_rows(book[name])
            except Exception as exc:  # a sheet's XML that openpyxl cannot parse (invalid characters, truncated)
                raise ReadError(
                    f"{export.path.name}: een werkblad kan niet worden gelezen: werkblad '{name}' is beschadigd of "
                    "bevat tekens die in een Excel-bestand niet mogen. Open het bestand in Excel of LibreOffice en "
                    "sla het opnieuw op als 'Excel-werkmap (.xlsx)'.") from exc
        hidden = {name for name in names if getattr(book[name], "sheet_state", "visible") != "visible"}
    finally:
        book.close()

    looks = [look_at(name, sheets[name], wanted, name in hidden) for name in names]
    chosen, unread = choose_sheet(looks, export.path.name, export.sheet)
    rows = sheets[chosen.name]
    if not rows:
        raise ReadError(f"Werkblad '{chosen.name}' in {export.path.name} is leeg.")
    notes = []
    above = chosen.title_rows
    if above:
        notes.append(Note("bestandsinfo", f"boven de kolomkoppen op rij {above + 1} staat een titel; rij 1 tot en met "
                          f"{above} is overgeslagen"))
    header = detect(rows[above:], "excel")
    _formulas_without_values(export, chosen.name, rows, header, parts.get(chosen.name))
    first = above + header.rows
    body, numbers, trailing = drop_trailing_empty(rows[first:], list(range(first + 1, len(rows) + 1)), SHEET_ROWS)
    body = [[None if isinstance(v, str) and not v.strip() else v for v in r] for r in body]
    notes.append(Note("bestandsinfo", f"Excel-bestand, {chosen.label}"))
    skipped = [f"{s.label} ({counted(s.filled, *FILLED_ROWS)}) is niet gelezen: {why}" for s, why in unread]
    skipped += [f"grafiekblad '{name}' (geen cellen) is niet gelezen" for name in charts]
    if unread:
        advice = ("" if export.sheet else " Staan daar toch antwoorden, zet ze dan op één werkblad (of geef "
                  "'werkblad' op in regios.yaml).")
        notes.append(Note("extra_werkblad", f"Het werkboek heeft meer werkbladen met inhoud. Gelezen: "
                          f"'{chosen.name}'; {'; '.join(skipped)}.{advice}", warning=True))
    skipped += [trailing] if trailing else []
    return Table(header, body, numbers, notes=notes, part=chosen.label, skipped=skipped)


@dataclass(frozen=True)
class SheetLook:
    """A sheet as the reader would read it: its header below any title rows, and how much it holds."""

    name: str
    hidden: bool
    title_rows: int  # rows above the header, skipped as a title (_title_rows)
    known: int  # names in that header that the questionnaire or mapping knows
    answers: int  # rows with content below the header
    filled: int  # rows with content in the whole sheet

    @property
    def label(self) -> str:
        return f"{'verborgen ' if self.hidden else ''}werkblad '{self.name}'"


def look_at(name: str, rows: list[list], wanted: set[str], hidden: bool = False) -> SheetLook:
    """A sheet's header found by the same rule as its read (title rows skipped first), and its counts."""
    filled = [any(v is not None and str(v).strip() for v in r) for r in rows]
    if not any(filled):
        return SheetLook(name, hidden, 0, 0, 0, 0)
    above = _title_rows(rows, wanted)
    header = detect(rows[above:], "excel")
    known = len(_known(header.names, wanted))
    return SheetLook(name, hidden, above, known, sum(filled[above + header.rows:]), sum(filled))


ANSWER_SHEET_NAMES = 2  # known column names in its header that make a sheet hold answers at all


def choose_sheet(looks: list[SheetLook], file: str,
                 named: str | None = None) -> tuple[SheetLook, list[tuple[SheetLook, str]]]:
    """The sheet with the answers, and each other sheet with content with why it is not read (Dutch).

    Every sheet is judged by its real header, found as the reader finds it (title rows above it skipped): how many
    of its column names the questionnaire or mapping knows, and how many rows of content stand below it. An
    answer sheet has at least ANSWER_SHEET_NAMES known names and one row below them. With exactly one, it is read;
    with more, none is: a ReadError naming each, since a second sheet may hold respondents (late ones, one sector)
    and a guess that drops them gives wrong figures without a word. A sheet with fewer known names (an explanation,
    a codebook listing names down a column) or only a header (a template) is not read, and said so. Without any
    answer sheet, the sheet with the most known names, then the most rows, is read (an export with only a header
    still gets its own message). `named`: the user's choice ('werkblad' in regios.yaml), which always wins.

    Raises:
        ReadError: more than one answer sheet and none named; Dutch, naming each sheet and how to choose one.
    """
    content = [s for s in looks if s.filled]
    if named:
        chosen = next(s for s in looks if s.name == named)
        return chosen, [(s, "in regios.yaml is 'werkblad' een ander werkblad") for s in content if s is not chosen]
    answer_sheets = [s for s in content if s.known >= ANSWER_SHEET_NAMES and s.answers]
    order = {s.name: i for i, s in enumerate(looks)}
    best = max(answer_sheets or content or looks, key=lambda s: (s.known, s.filled, -order[s.name]))
    if len(answer_sheets) > 1:
        each = [f"{s.label} ({counted(s.answers, 'rij', 'rijen')} onder de kolomkoppen, "
                f"{counted(s.known, 'kolom', 'kolommen')} van de vragenlijst)" for s in answer_sheets]
        raise ReadError(
            f"{file}: meer dan één werkblad kan antwoorden bevatten: {', '.join(each)}. Het programma kiest niet "
            "zelf, want dan zouden respondenten ongemerkt wegvallen. Zet alle antwoorden op één werkblad, of geef "
            f"in regios.yaml bij deze meting op welk werkblad gelezen wordt, bijvoorbeeld 'werkblad: {best.name}'.")
    unread: list[tuple[SheetLook, str]] = []
    for s in content:
        if s is best:
            continue
        if not answer_sheets:
            why = f"geen werkblad heeft de kolommen van de vragenlijst, en '{best.name}' heeft de meeste gegevens"
        elif not s.known:
            why = "geen kolommen van de vragenlijst"
        elif s.known >= ANSWER_SHEET_NAMES:  # no row below its header: else it would be an answer sheet
            why = "alleen kolomkoppen, geen antwoorden"
        else:
            why = (f"het heeft maar {counted(s.known, 'kolom', 'kolommen')} van de vragenlijst ('{best.name}' heeft "
                   f"er {best.known})")
        unread.append((s, why))
    return best, unread


def _known(cells: list | tuple, wanted: set[str]) -> set[str]:
    """The different names among `cells` that the questionnaire or mapping knows, folded."""
    return {name for v in cells if v is not None and (name := fold(v)) in wanted}


def _title_rows(rows: list[list], wanted: set[str]) -> int:
    """Rows above the column headers that hold only a title or nothing (a report-style export): their number.

    The header is the first of the first ten rows with at least ANSWER_SHEET_NAMES different names the
    questionnaire or mapping knows (a codebook's row "sector | Sector" is one name); what stands above it may have
    at most two filled cells, or it is data and nothing is skipped."""
    for index, row in enumerate(rows[:10]):
        if len(_known(row, wanted)) >= ANSWER_SHEET_NAMES:
            above = rows[:index]
            return index if all(sum(v is not None and str(v).strip() != "" for v in r) <= 2 for r in above) else 0
    return 0


_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")  # a cell's <f> element, with or without a prefix


def _has_formulas(path: Path, part: str) -> bool:
    """Whether a sheet's XML holds any formula; True when that cannot be told (then the sheet is read again)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as member:
            return _FORMULA.search(member.read()) is not None
    except (OSError, KeyError, zipfile.BadZipFile):
        return True


def _sheet_rows(sheet: Any) -> list[list]:
    # The declared <dimension> may be smaller than what the sheet holds (WPS, some libraries): do not trust it.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _formulas_without_values(export: ExportFile, sheet_name: str, rows: list[list], header: Header,
                             part: str | None = None) -> None:
    """A formula never calculated by Excel has no saved value: read as empty it would pass for 'no answer'.
    part: the sheet's XML in the file; a sheet without any formula element is not read a second time."""
    import openpyxl

    empty = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is None}
    if not empty or (part is not None and not _has_formulas(export.path, part)):
        return
    book = openpyxl.load_workbook(export.path, read_only=True, data_only=False)
    try:
        formulas = _sheet_rows(book[sheet_name])
    finally:
        book.close()
    hits = [(r, c) for r, c in sorted(empty) if r < len(formulas) and c < len(formulas[r])
            and isinstance(formulas[r][c], str) and formulas[r][c].startswith("=")]
    if hits:
        columns = sorted({header.names[c] if c < len(header.names) else column_letter(c) for _, c in hits})
        raise ReadError(
            f"{export.path.name}, werkblad '{sheet_name}': {len(hits)} cellen bevatten een formule zonder opgeslagen "
            f"uitkomst (kolom {', '.join(columns)}; rij {row_list([r + 1 for r, _ in hits])}). Het programma rekent "
            "formules niet zelf uit. Open het bestand in Excel of LibreOffice, laat het herberekenen en sla het op; "
            "of plak de kolommen als waarden."
        )
