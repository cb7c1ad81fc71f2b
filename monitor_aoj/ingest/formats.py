"""Export file formats -> a Table: SPSS (.sav, .zsav), CSV in any encoding and separator, Excel, LimeSurvey's R export.

Each reader hands over the answers under a recognised header (see layouts.detect): one list of cells per physical
data row, numbered as the user sees it in Excel or the survey tool, with the file's own value labels and
missing codes. Nothing is mapped or decoded here (that is read.py); what reading had to work around (an
encoding, a `sep=` line, an unclosed quote, a sheet size declared too small) becomes a Note, and a row that
cannot be split into its fields a row fault, never a lost or merged row.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.dutch import row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.decode import fold
from monitor_aoj.ingest.layouts import Header, detect, parse_r_syntax


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


def read_table(export: ExportFile, wanted: set[str] | None = None) -> Table:
    """The export as its format reader hands it over: recognised header, body rows, value labels.

    wanted: folded column names that tell the sheet with answers in a workbook of several sheets."""
    if export.format == "spss":
        table = _read_spss(export)
    elif _r_syntax_file(export.path) is not None or export.mapping.layout == "limesurvey-r":
        table = _read_limesurvey_r(export)
    elif export.format == "csv":
        table = _read_csv(export)
    else:
        table = _read_excel(export, wanted or set())
    return _printable(table)


# Control characters that XML (xlsx, docx) and HTML cannot hold; tab and line breaks are kept.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(table: Table) -> Table:
    """Text from an export is made safe for every output once, here: unprintable characters removed and counted."""
    rows = []
    clean: set[str] = set()  # answers repeat: each distinct text is searched once
    for row, cells in zip(table.rows, table.body):
        for i, value in enumerate(cells):
            if isinstance(value, str) and value not in clean:
                if UNPRINTABLE.search(value):
                    cells[i] = UNPRINTABLE.sub("", value)
                    rows.append(row)
                else:
                    clean.add(value)
    if rows:
        table.notes.append(Note(
            "tekens", f"In {len(rows)} cel(len) stonden onzichtbare stuurtekens (bijvoorbeeld een verticale tab); "
            f"die zijn weggelaten, omdat Excel en HTML ze niet kunnen bevatten. Rij {row_list(sorted(set(rows)))}.",
            warning=True, row=rows[0]))
    return table


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


# --- SPSS ---------------------------------------------------------------------------------------------


def _read_spss(export: ExportFile) -> Table:
    import pyreadstat  # only needed for .sav files

    def read(**options):
        # user_missing=True keeps codes such as 99 "geen antwoord" as values instead of blanks, so their label
        # decides what they mean.
        return pyreadstat.read_sav(str(export.path), user_missing=True, **options)

    notes = []
    try:
        try:
            frame, meta = read()
        except Exception:  # pyreadstat refuses a whole file for one out-of-range date: read dates as numbers
            frame, meta = read(disable_datetime_conversion=True)
            notes.append(Note("bestandsinfo", "datums als getallen gelezen (het bestand heeft een ongeldige datum)"))
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError types
        raise ReadError(
            f"{export.path.name} kan niet als SPSS-bestand worden gelezen ({exc}). Sla het in SPSS opnieuw op "
            "als .sav, of exporteer als .csv of .xlsx."
        ) from exc
    columns = list(frame.columns)
    texts = tuple(str(meta.column_names_to_labels.get(c) or "") for c in columns)
    header = Header("spss", 0, tuple(columns), texts, ("",) * len(columns), frozenset())
    labels = {columns.index(col): dict(vl) for col, vl in meta.variable_value_labels.items() if col in columns}
    missing = {columns.index(col): tuple((float(r["lo"]), float(r["hi"])) for r in ranges
                                         if isinstance(r["lo"], (int, float)) and isinstance(r["hi"], (int, float)))
               for col, ranges in (meta.missing_ranges or {}).items() if col in columns}
    notes.insert(0, Note("bestandsinfo", f"SPSS-bestand, tekencodering {meta.file_encoding or 'onbekend'}"))
    body = frame.astype(object).where(frame.notna(), None).values.tolist()
    return Table(header, body, list(range(1, len(body) + 1)), labels, {c: r for c, r in missing.items() if r}, notes)


# --- CSV --------------------------------------------------------------------------------------------------


def _decode(export: ExportFile, path: Path | None = None) -> tuple[str, list[Note]]:
    """Decode the bytes; a line in another encoding than the rest is read anyway and reported."""
    path = path or export.path
    data = path.read_bytes()
    name = path.name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode-tekst" is UTF-16; readable, but worth knowing.
        return data.decode("utf-16"), [Note("bestandsinfo", "CSV-bestand, tekencodering UTF-16")]
    primary = export.encoding or "utf-8-sig"
    try:
        text = data.decode(primary)
        label = "UTF-8" if primary == "utf-8-sig" else primary
        return text, [Note("bestandsinfo", f"CSV-bestand, tekencodering {label}")]
    except LookupError as exc:
        raise ReadError(f"{name}: tekencodering '{export.encoding}' uit regios.yaml bestaat niet.") from exc
    except UnicodeDecodeError:
        pass
    fallback = "cp1252" if primary.replace("-", "").lower() not in ("cp1252", "windows1252") else "latin-1"
    if primary.replace("-", "").lower() in ("utf8", "utf8sig") and not _UTF8_SEQUENCE.search(data):
        # No line can be UTF-8 with accents, so no line is a mix: decode the whole file at once (a line-by-line
        # pass below would hold a large file three times). Undefined bytes go the slow way, which names the line.
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            pass
        else:
            return text, _fallback_notes(export, fallback)
    decoded, odd, fine_non_ascii = [], [], 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            decoded.append(line.decode(primary))
            fine_non_ascii += not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode(fallback))
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"{name}, regel {number}: onleesbaar teken (geen UTF-8 en geen Windows-1252). Sla het bestand "
                    "in Excel op als 'CSV UTF-8 (door komma's gescheiden)'."
                ) from exc
            odd.append(number)
    if not fine_non_ascii:
        return data.decode(fallback), _fallback_notes(export, fallback)
    # A mix, as when exports are pasted together: read every line, and name the odd ones.
    label = "UTF-8" if primary == "utf-8-sig" else primary
    notes = [Note("bestandsinfo", f"CSV-bestand, tekencodering {label}")]
    for number in odd:
        notes.append(Note(
            "codering", f"Rij {number} is in een andere tekencodering (Windows-1252) opgeslagen dan de rest van het "
            f"bestand ({label}); de rij is gelezen, maar controleer letters als ë en ö in deze rij.",
            warning=True, row=number))
    return "\n".join(decoded), notes


# A character of two to four bytes as UTF-8 writes it; Windows-1252 text (Dutch 'ë' is one byte) has none.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _fallback_notes(export: ExportFile, fallback: str) -> list[Note]:
    """Not a mix: the whole file is Windows-1252, as Dutch Excel writes "CSV (puntkomma's gescheiden)"."""
    if export.encoding:
        return [Note("codering", f"Het bestand is niet in de tekencodering '{export.encoding}' uit regios.yaml maar "
                     "in Windows-1252; het is zo gelezen. Pas 'codering' aan of laat het veld weg.", warning=True)]
    return [Note("bestandsinfo", "CSV-bestand, tekencodering Windows-1252")]


# An open answer may be long; csv's default limit of 128 KB per field would stop the whole file.
csv.field_size_limit(64 * 1024 * 1024)

SEPARATORS = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}


# A line with its own ending (\r\n, \n or \r), as a file opened with newline="" gives it to csv.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+$")


def _lines(text: str):
    """The text's lines one at a time: io.StringIO would hold a copy of the whole text, four bytes a character."""
    return (m.group() for m in _LINE.finditer(text))


def _records(text: str, sep: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) per CSV record; line numbers of the text, from 1."""
    reader = csv.reader(_lines(text), delimiter=sep, strict=False)
    out = []
    start = 1
    # Survey answers repeat ('Ja', 'Onderwijs'): one string object per distinct value keeps large files small.
    seen: dict[str, str] = {}
    try:
        for fields in reader:
            out.append((start, reader.line_num, [seen.setdefault(f, f) for f in fields]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"Regel {start} van het bestand kan niet in velden worden gesplitst ({exc}). Controleer "
                        "of er een aanhalingsteken ontbreekt, of exporteer opnieuw.") from exc
    return out


def _separator(lines: list[str]) -> str:
    """The separator that splits the data lines into as many fields as the header, most consistently."""
    sample = "\n".join(lines[:200])

    def score(sep: str) -> tuple[float, int]:
        records = _records(sample, sep)
        if not records:
            return (0.0, 0)
        width = len(records[0][2])
        if width < 2:
            return (0.0, width)
        data = [r for r in records[1:] if any(f.strip() for f in r[2])]
        if not data:
            return (0.5, width)
        fits = sum(1 for r in data if len(r[2]) == width or (len(r[2]) == width + 1 and not r[2][-1].strip()))
        return (fits / len(data), width)

    return max(SEPARATORS, key=lambda s: score(s))


def _read_csv(export: ExportFile, path: Path | None = None) -> Table:
    path = path or export.path
    text, notes = _decode(export, path)
    text = text.lstrip("\ufeff")
    if not text or text.isspace():
        raise ReadError(f"{path.name} bevat geen tekst. Exporteer de antwoorden opnieuw.")
    lines = _first_lines(text)
    # Excel's hint; an export that ends every line with a separator writes it as 'sep=;;'.
    sep_line = re.fullmatch(r"\s*\"?sep=(.)\"?(?:\1)*\s*", lines[0])
    if sep_line:
        sep = sep_line.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        notes.append(Note("bestandsinfo", f"de eerste regel 'sep={sep}' (een aanwijzing voor Excel) is overgeslagen"))
        lines = lines[1:]
        if not lines:
            raise ReadError(f"{path.name} bevat alleen de regel 'sep={sep}'. Exporteer de antwoorden opnieuw.")
    else:
        sep = _separator(lines)
    notes.append(Note("bestandsinfo", f"scheidingsteken {SEPARATORS.get(sep, repr(sep))}"))
    grid, rows, faults = _split(text, sep, path.name, notes)
    del text, lines  # the fields hold what is needed; a large file should not be held twice
    header = detect(grid, "csv")
    body, numbers = _drop_trailing_empty(grid[header.rows:], rows[header.rows:])
    return Table(header, body, numbers, notes=notes, faults=faults)


HEAD_CHARACTERS = 4 * 1024 * 1024  # enough for the header and 200 lines of data, even with long answers


def _first_lines(text: str) -> list[str]:
    """The lines at the start of the text that tell the separator, without splitting a large file whole."""
    if len(text) <= HEAD_CHARACTERS:
        return text.splitlines()
    lines = text[:HEAD_CHARACTERS].splitlines()
    return lines[:-1] if len(lines) > 1 else lines  # the last one may be cut off


def _split(text: str, sep: str, name: str, notes: list[Note]) -> tuple[list[list], list[int], dict[int, str]]:
    """Rows of fields, each with its row number as Excel shows it (a record with a multi-line answer is one
    row). A record that swallowed several lines through an unclosed quote is split back into its lines; a row
    whose fields do not match the header gets a row fault rather than answers in the wrong columns."""
    records = _records(text, sep)
    if not records:
        raise ReadError(f"{name} bevat geen regels.")
    grid: list[list] = []
    width = len(records[0][2])
    lines: list[str] = []  # the text's lines, split only when a record needs a second look
    for first, last, fields in records:
        if first == last and _fits(fields, width):
            grid.append(fields)  # the common case: one line, the header's width
            continue
        lines = lines or text.splitlines()
        pieces = [_literal_fields(lines[n - 1] if n - 1 < len(lines) else "", sep) for n in range(first, last + 1)]
        if last > first:
            # A real multi-line answer keeps the row's width and holds no whole rows; a quote that never closes
            # swallows the next lines, which are rows of their own.
            broken = not _fits(fields, width) or sum(len(p) >= width - 1 for p in pieces) >= 2
        else:
            broken = not _fits(fields, width) and _fits(pieces[0], width) and '"' in lines[first - 1]
        if broken:
            notes.append(Note(
                "aanhalingsteken", f"Rij {len(grid) + 1}: een aanhalingsteken wordt geopend maar niet gesloten. "
                + (f"De {last - first + 1} regels vanaf hier zijn elk als eigen rij gelezen en het" if last > first
                   else "Het") + " losse aanhalingsteken is als tekst behandeld. Controleer de antwoorden in deze rij.",
                warning=True, row=len(grid) + 1))
            grid += pieces
        else:
            grid.append(fields)
    width = _width(grid, name)
    faults: dict[int, str] = {}
    trailing = 0
    for number, fields in enumerate(grid[1:], start=2):
        if len(fields) > width and all(not f.strip() for f in fields[width:]):
            del fields[width:]
            trailing += 1
        elif len(fields) != width and any(f.strip() for f in fields):
            faults[number] = (f"de rij heeft {len(fields)} velden en de kopregel {width}: waarden zouden in de "
                              "verkeerde kolom komen")
    if trailing:
        notes.append(Note("bestandsinfo", f"{trailing} rijen eindigen met een extra scheidingsteken; dat lege veld is "
                          "weggelaten"))
    return grid, list(range(1, len(grid) + 1)), faults


def _width(grid: list[list], name: str) -> int:
    """The number of columns: the header's, without empty header cells at its end that no row fills."""
    header = grid[0]
    widths = [len(r) for r in grid[1:] if any(str(f).strip() for f in r)]

    def fitting(w: int) -> int:
        return sum(_fits_len(n, w) for n in widths)

    def unfilled(w: int) -> bool:  # no row has anything in column w (1-based)
        return all(len(r) < w or not str(r[w - 1]).strip() for r in grid[1:])

    width = len(header)
    while width > 1 and not header[width - 1].strip() and unfilled(width) and fitting(width - 1) > fitting(width):
        width -= 1
    if widths and sum(_fits_len(n, width) for n in widths) < len(widths) / 2:
        common = max(set(widths), key=widths.count)
        raise ReadError(
            f"{name}: de kopregel heeft {width} kolommen, maar de meeste rijen hebben er {common}. Dan komen "
            "antwoorden onder de verkeerde vraag. Controleer of er een kolomkop te veel of te weinig is, of een ander "
            "scheidingsteken, en exporteer opnieuw."
        )
    return width


def _fits_len(n: int, width: int) -> bool:
    return n in (width, width + 1)


def _fits(fields: list[str], width: int) -> bool:
    """As many fields as the header, or one more that is empty (a separator at the end of every line)."""
    return len(fields) == width or (len(fields) == width + 1 and not fields[-1].strip())


def _literal_fields(line: str, sep: str) -> list[str]:
    """Fields of one line in which only a quote that closes within the line quotes; a quote that opens a field
    and never closes is text. The fallback when csv's reading shows an unclosed quote."""
    pieces = line.split(sep)
    out: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece.startswith('"') and not (len(piece) >= 2 and piece.endswith('"')):
            # Look for the piece that closes this field: it ends with a quote and does not open a new field.
            j = i + 1
            while j < len(pieces) and not pieces[j].startswith('"') and not pieces[j].endswith('"'):
                j += 1
            if j < len(pieces) and not pieces[j].startswith('"'):
                piece, i = sep.join(pieces[i:j + 1]), j
            else:
                out.append(piece)  # never closed: the quote is part of the answer
                i += 1
                continue
        if len(piece) >= 2 and piece.startswith('"') and piece.endswith('"'):
            piece = piece[1:-1].replace('""', '"')
        out.append(piece)
        i += 1
    return out


def _r_syntax_file(path: Path) -> Path | None:
    """LimeSurvey's R export: survey_X_R_data_file.csv with survey_X_R_syntax_file.R beside it."""
    if path.suffix.lower() != ".csv":
        return None
    candidate = path.with_name(re.sub(r"data_file$", "syntax_file", path.stem, flags=re.I) + ".R")
    return candidate if candidate.is_file() else None


def _read_limesurvey_r(export: ExportFile) -> Table:
    syntax = _r_syntax_file(export.path) or export.path.with_suffix(".R")
    if not syntax.is_file():
        raise ReadError(f"{export.path.name}: het R-syntaxbestand {syntax.name} met de labels staat niet naast het "
                        "databestand. Zet beide bestanden uit de LimeSurvey-export in de invoermap.")
    table = _read_csv(export)
    names, texts, values = parse_r_syntax(syntax.read_text(encoding="utf-8-sig", errors="replace"))
    width = len(table.header.names)
    header = Header(
        "limesurvey-r", table.header.rows,
        tuple(names.get(i, table.header.names[i]) for i in range(width)),
        tuple(texts.get(i) or table.header.names[i] for i in range(width)),
        ("",) * width, table.header.metadata)
    table.header = header
    table.labels = {pos: dict(labels) for pos, labels in values.items() if pos < width}
    table.notes.append(Note("bestandsinfo", f"labels uit {syntax.name}"))
    return table


def _drop_trailing_empty(body: list[list], rows: list[int]) -> tuple[list[list], list[int]]:
    """Empty rows below the last response (Excel formatting, trailing newlines) are not responses.

    Empty rows between responses stay: validation reports them with their row number."""
    last = len(body)
    while last and all(v is None or (isinstance(v, str) and not v.strip()) for v in body[last - 1]):
        last -= 1
    return body[:last], rows[:last]


# --- Excel ------------------------------------------------------------------------------------------------


# An Office file in the old compound format (ECMA-376 part 2): either encrypted with a password, which stores the
# workbook as the stream "EncryptedPackage", or an Excel 97-2003 .xls.
_COMPOUND_FILE = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_STREAM = ("EncryptedPackage".encode("utf-16-le"), b"EncryptedPackage")


def _unopenable_workbook(path: Path, exc: Exception) -> str:
    """What to tell a user whose .xlsx openpyxl cannot open: a password, an old .xls, or a broken file."""
    with path.open("rb") as f:
        head = f.read(1024 * 1024)
    if head.startswith(_COMPOUND_FILE):
        if any(name in head for name in _ENCRYPTED_STREAM):
            return (f"{path.name} is met een wachtwoord beveiligd en kan daarom niet worden gelezen. Open het in "
                    "Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen > Versleutelen met "
                    "wachtwoord: maak het vak leeg) en sla het opnieuw op.")
        return (f"{path.name} is een oud Excel-bestand (Excel 97-2003), geen .xlsx. Open het in Excel en sla het op "
                "als 'Excel-werkmap (.xlsx)'.")
    return (f"{path.name} kan niet als Excel-bestand (.xlsx) worden geopend; het bestand is beschadigd of geen "
            f"Excel-werkmap (technische melding: {exc}). Open het in Excel en sla het opnieuw op als "
            "'Excel-werkmap (.xlsx)'.")


def _read_excel(export: ExportFile, wanted: set[str]) -> Table:
    import openpyxl  # only needed for .xlsx files

    def load(values: bool):
        return openpyxl.load_workbook(export.path, read_only=True, data_only=values)

    try:
        book = load(True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException on broken files
        raise ReadError(_unopenable_workbook(export.path, exc)) from exc
    try:
        names = book.sheetnames
        if export.sheet and export.sheet not in names:
            raise ReadError(
                f"{export.path.name} heeft geen werkblad '{export.sheet}' (wel: {', '.join(names)}). Pas 'werkblad' "
                "aan in regios.yaml."
            )
        # Where each sheet's XML is in the file: to look for formulas without reading the sheet once more.
        parts = {name: getattr(book[name], "_worksheet_path", None) for name in names}
        try:
            sheets = {name: _sheet_rows(book[name]) for name in names}
        except Exception as exc:  # a sheet's XML that openpyxl cannot parse (invalid characters, truncated)
            raise ReadError(
                f"{export.path.name}: een werkblad kan niet worden gelezen ({type(exc).__name__}: {exc}). Open het "
                "bestand in Excel of LibreOffice en sla het opnieuw op als 'Excel-werkmap (.xlsx)'.") from exc
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
    body, numbers = _drop_trailing_empty(rows[first:], list(range(first + 1, len(rows) + 1)))
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


def _sheet_rows(sheet) -> list[list]:
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
