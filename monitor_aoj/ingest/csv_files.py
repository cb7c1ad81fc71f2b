"""CSV exports -> a Table: any encoding (a mix of UTF-8 and Windows-1252 lines too) and separator.

An unclosed quote that swallowed the next lines is split back into its rows and noted; a row whose fields do not
match the header gets a row fault rather than answers in the wrong columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.layouts import detect
from monitor_aoj.ingest.table import CSV_LINES, UTF16_MARKS, Note, Table, drop_trailing_empty


def _decode(export: ExportFile, path: Path | None = None) -> tuple[str, list[Note]]:
    """Decode the bytes; a line in another encoding than the rest is read anyway and reported."""
    path = path or export.path
    data = path.read_bytes()
    name = path.name
    if data.startswith(UTF16_MARKS):
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
FIELD_LIMIT_MB = 64
csv.field_size_limit(FIELD_LIMIT_MB * 1024 * 1024)

SEPARATORS = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}


# A line with its own ending (\r\n, \n or \r), as a file opened with newline="" gives it to csv.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The text's lines one at a time: io.StringIO would hold a copy of the whole text, four bytes a character."""
    return (m.group() for m in _LINE.finditer(text))


def _records(text: str, sep: str, name: str) -> list[tuple[int, int, list[str]]]:
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
    except csv.Error as exc:  # its text is English: the user gets what it means, the cause stays chained
        why = (f"een veld is langer dan {FIELD_LIMIT_MB} MB" if "field larger" in str(exc)
               else "de regel past niet in de vorm van een CSV-bestand")
        raise ReadError(f"{name}, regel {start}: de regel kan niet in velden worden gesplitst ({why}). Controleer of "
                        "er een aanhalingsteken ontbreekt, of exporteer de antwoorden opnieuw.") from exc
    return out


def _separator(lines: list[str], name: str) -> str:
    """The separator that splits the data lines into as many fields as the header, most consistently."""
    sample = "\n".join(lines[:200])

    def score(sep: str) -> tuple[float, int]:
        records = _records(sample, sep, name)
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


def read_csv(export: ExportFile, path: Path | None = None) -> Table:
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
        sep = _separator(lines, path.name)
    notes.append(Note("bestandsinfo", f"scheidingsteken {SEPARATORS.get(sep, repr(sep))}"))
    grid, rows, faults = _split(text, sep, path.name, notes)
    del text, lines  # the fields hold what is needed; a large file should not be held twice
    header = detect(grid, "csv")
    body, numbers, trailing = drop_trailing_empty(grid[header.rows:], rows[header.rows:], CSV_LINES)
    return Table(header, body, numbers, notes=notes, faults=faults, skipped=[trailing] if trailing else [])


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
    records = _records(text, sep, name)
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
