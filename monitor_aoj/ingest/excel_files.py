"""Excel workbooks (.xlsx) -> a Table: the sheet with the answers, title rows above the header skipped.

A password, an old .xls, another file named .xlsx or a cut-off file is said as such; a formula that Excel never
calculated (no saved value) stops the read rather than pass for "no answer".
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.dutch import row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.decode import fold
from monitor_aoj.ingest.layouts import Header, detect
from monitor_aoj.ingest.table import Note, Table, column_letter, drop_trailing_empty

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
        what = ("een tekstbestand (misschien een CSV-export met de naam .xlsx)" if _looks_like_text(head)
                else "een ander soort bestand")
        return (f"{path.name} is geen Excel-werkmap, maar {what}: alleen de naam eindigt op .xlsx. Exporteer de "
                "antwoorden opnieuw als Excel-werkmap (.xlsx), of geef het bestand de extensie die bij de inhoud "
                "past (.csv voor een CSV-export).")
    if not zipfile.is_zipfile(path):
        return (f"{path.name} is onvolledig: het bestand houdt halverwege op (bijvoorbeeld een download of kopie die "
                "is afgebroken). Haal de export opnieuw uit de enquêtetool, of kopieer het bestand opnieuw.")
    return (f"{path.name} is wel een gecomprimeerd bestand, maar geen Excel-werkmap (er ontbreken onderdelen van "
            "een werkmap; misschien een ander Office-document of een beschadigde werkmap). Open het in Excel en sla "
            "het opnieuw op als 'Excel-werkmap (.xlsx)'.")


_ZIP = b"PK"  # every .xlsx is a zip archive


def _looks_like_text(head: bytes) -> bool:
    """Whether the start of a file reads as text (a CSV saved under the name .xlsx)."""
    sample = head[:4096]
    for encoding in ("utf-8", "utf-16", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return bool(text) and all(c.isprintable() or c in "\r\n\t" for c in text.lstrip("\ufeff")[:2000])
    return False


def read_excel(export: ExportFile, wanted: set[str]) -> Table:
    import openpyxl  # only needed for .xlsx files

    def load(values: bool) -> Any:  # openpyxl's Workbook (openpyxl has no type information)
        return openpyxl.load_workbook(export.path, read_only=True, data_only=values)

    try:
        book = load(True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException on broken files
        raise ReadError(_unopenable_workbook(export.path)) from exc
    try:
        names = book.sheetnames
        if export.sheet and export.sheet not in names:
            raise ReadError(
                f"{export.path.name} heeft geen werkblad '{export.sheet}' (wel: {', '.join(names)}). Pas 'werkblad' "
                "aan in regios.yaml."
            )
        # Where each sheet's XML is in the file: to look for formulas without reading the sheet once more.
        parts = {name: getattr(book[name], "_worksheet_path", None) for name in names}
        sheets = {}
        for name in names:
            try:
                sheets[name] = _sheet_rows(book[name])
            except Exception as exc:  # a sheet's XML that openpyxl cannot parse (invalid characters, truncated)
                raise ReadError(
                    f"{export.path.name}: een werkblad kan niet worden gelezen: werkblad '{name}' is beschadigd of "
                    "bevat tekens die in een Excel-bestand niet mogen. Open het bestand in Excel of LibreOffice en "
                    "sla het opnieuw op als 'Excel-werkmap (.xlsx)'.") from exc
    finally:
        book.close()

    def score(rows: list) -> int:
        header = detect(rows, "excel") if rows else None
        return sum(1 for h in (header.names if header else ()) if h and fold(h) in wanted)

    with_content = [n for n in names if any(any(v is not None and str(v).strip() for v in r) for r in sheets[n])]
    notes = []
    if export.sheet:
        sheet_name = export.sheet
    else:
        scores = {n: score(sheets[n]) for n in with_content}
        matching = [n for n in with_content if scores[n] >= 2]
        if len(matching) > 1:
            raise ReadError(
                f"{export.path.name}: antwoorden staan op meer dan één werkblad ({', '.join(repr(n) for n in matching)}"
                "). Het programma leest er geen enkele half: zet alle antwoorden op één werkblad, of geef met "
                "'werkblad' in regios.yaml aan welk werkblad bij deze meting hoort."
            )
        sheet_name = matching[0] if matching else max(names, key=lambda n: (score(sheets[n]), -names.index(n)))
    rows = sheets[sheet_name]
    if not rows:
        raise ReadError(f"Werkblad '{sheet_name}' in {export.path.name} is leeg.")
    above = _title_rows(rows, wanted)
    if above:
        notes.append(Note("bestandsinfo", f"boven de kolomkoppen op rij {above + 1} staat een titel; rij 1 tot en met "
                          f"{above} is overgeslagen"))
    header = detect(rows[above:], "excel")
    _formulas_without_values(export, sheet_name, rows, header, parts.get(sheet_name))
    first = above + header.rows
    body, numbers = drop_trailing_empty(rows[first:], list(range(first + 1, len(rows) + 1)))
    body = [[None if isinstance(v, str) and not v.strip() else v for v in r] for r in body]
    notes.append(Note("bestandsinfo", f"Excel-bestand, werkblad '{sheet_name}'"))
    others = [n for n in with_content if n != sheet_name]
    if others:
        notes.append(Note(
            "extra_werkblad", f"Het werkboek heeft meer werkbladen met inhoud. Gelezen: '{sheet_name}'; niet gelezen: "
            f"{', '.join(repr(n) for n in others)} (geen kolommen van de vragenlijst). Staan daar toch antwoorden, zet "
            "ze dan op één werkblad (of geef 'werkblad' op in regios.yaml).", warning=True))
    return Table(header, body, numbers, notes=notes)


def _title_rows(rows: list[list], wanted: set[str]) -> int:
    """Rows above the column headers that hold only a title or nothing (a report-style export): their number.

    The header is the first of the first ten rows with at least two names the questionnaire or mapping knows;
    what stands above it may have at most two filled cells, or it is data and nothing is skipped."""
    for index, row in enumerate(rows[:10]):
        if sum(1 for v in row if v is not None and fold(v) in wanted) >= 2:
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
