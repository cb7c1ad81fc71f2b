"""Read an export file (SPSS, CSV, Excel, LimeSurvey R) in any survey tool's layout into a RawExport.

Reading, layout and mapping only: values stay exactly as found (text, numbers, blanks), so that validation can
report a wrong value as the user typed it; how each value is decoded (its label matched to the questionnaire)
is settled here once per column, as a ColumnCoding. Every physical data row becomes a row of the RawExport,
numbered as the user sees it in Excel or the survey tool; a row that cannot be split into its fields is kept
with a row fault, for validation to put in quarantine. What reading had to work around (an encoding, a `sep=`
line, header rows of a survey tool, an unclosed quote) is kept as a Note, for validation to report.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj.columns import DATE, FUNCTIE, FUNCTIE_OTHER, REGION, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.config import ExportFile
from monitor_aoj.errors import ConfigError, ReadError
from monitor_aoj.format import row_list
from monitor_aoj.ingest.decode import ColumnCoding, answer_key, code_values, column_coding, fold
from monitor_aoj.ingest.layouts import LAYOUTS, Header, detect, parse_r_syntax
from monitor_aoj.ingest.mapping import IGNORE, ExportMapping, options_for, targets
from monitor_aoj.questionnaire import Questionnaire


@dataclass(frozen=True)
class Note:
    """Something reading noticed. Warnings go into the validation report."""

    kind: str  # e.g. "codering", "extra_kopregel", "extra_werkblad", "bestandsinfo"
    text: str  # Dutch, for the user
    warning: bool = False
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class RawExport:
    export: ExportFile
    frame: pd.DataFrame  # canonical columns + ROW; values as found (object dtype), blanks as None
    source: pd.DataFrame  # every column of the file as read + ROW, for quarantine files
    header_rows: int  # rows above the first response (1 for CSV/Excel, 0 for SPSS, 3 for Qualtrics)
    source_columns: dict[str, str]  # canonical name -> column name in the file, for messages
    missing_columns: tuple[str, ...] = ()  # canonical names the questionnaire expects but the file lacks
    extra_columns: tuple[str, ...] = ()  # file columns no mapping uses (listed in the validation report)
    omitted_columns: tuple[tuple[str, str], ...] = ()  # (file column, item id): columns of items left out, unused
    value_labels: dict[str, dict[object, str]] = field(default_factory=dict)  # file value labels per column
    user_missing: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)  # SPSS missing ranges
    notes: tuple[Note, ...] = ()
    sha256: str = ""  # fingerprint of the file as read, for the report's Verantwoording
    layout: str = "csv"  # a key of layouts.LAYOUTS
    coding: dict[str, ColumnCoding] = field(default_factory=dict)  # canonical column -> how values decode
    texts: dict[str, str] = field(default_factory=dict)  # canonical column -> question text in the file
    row_faults: tuple[tuple[int, str], ...] = ()  # (row, reason): rows that could not be split into fields

    @property
    def name(self) -> str:
        return self.export.path.name

    def column_name(self, canonical: str) -> str:
        return self.source_columns.get(canonical, canonical)

    def decode(self, canonical: str):
        """Questionnaire codes and statuses of one canonical column (see decode.code_values)."""
        return code_values(self.frame[canonical], self.coding[canonical].lookup)


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


def expected_columns(q: Questionnaire, extras: tuple[str, ...], omitted: tuple[str, ...] = ()) -> dict[str, str]:
    """Questionnaire column -> canonical name, for the items this region asked in this wave (not those it left
    out)."""
    bg = q.background
    cols = {
        bg.respondent_column: RESPONDENT,
        bg.sector.column: SECTOR,
        bg.functie.column: FUNCTIE,
        bg.schooltype.column: SCHOOLTYPE,
    }
    if bg.functie.other_column:
        cols[bg.functie.other_column] = FUNCTIE_OTHER
    for item in q.items_for(extras, omitted):
        cols[item.column] = item.id
    return cols


def read_export(export: ExportFile, q: Questionnaire) -> RawExport:
    """Read one export file, recognise its layout and map its columns onto the questionnaire.

    Returns a RawExport: one row per physical data row (ROW as the user sees it), canonical column names,
    values as found, and per column how they decode. Raises ReadError (Dutch, naming the file) when the file
    cannot be used at all, ConfigError when its mapping does not fit the file."""
    path = export.path
    if not path.is_file():
        raise ReadError(
            f"Bestand niet gevonden: {path}. Controleer de naam in regios.yaml (regio '{export.region}', "
            f"meting {export.wave}) en of het bestand in de invoermap staat."
        )
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is leeg (0 bytes). Exporteer de antwoorden opnieuw uit de enquêtetool.")
    table = read_table(export, _wanted(export, q))
    _check_layout(export, table.header)
    raw = _map_columns(export, q, table)
    return dataclasses.replace(raw, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def read_table(export: ExportFile, wanted: set[str] | None = None) -> Table:
    """The export as its format reader hands it over: recognised header, body rows, value labels.

    wanted: folded column names that tell the sheet with answers in a workbook of several sheets."""
    if export.format == "spss":
        return _read_spss(export)
    if _r_syntax_file(export.path) is not None or export.mapping.layout == "limesurvey-r":
        return _read_limesurvey_r(export)
    if export.format == "csv":
        return _read_csv(export)
    return _read_excel(export, wanted or set())


def _wanted(export: ExportFile, q: Questionnaire) -> set[str]:
    """Folded names that tell a sheet with answers: questionnaire columns and the mapping's sources."""
    names = {fold(c) for c in expected_columns(q, export.extras, export.omitted)}
    return names | {fold(s) for s, _ in export.mapping.columns}


def _check_layout(export: ExportFile, header: Header) -> None:
    asked = export.mapping.layout
    generic = header.layout in ("csv", "excel", "spss")
    if asked and asked != header.layout and not (generic and asked in ("csv", "excel", "spss")):
        if not generic or asked not in ("forms", "limesurvey"):
            raise ReadError(
                f"{export.path.name}: volgens de koppeling is dit een export in de indeling '{asked}' "
                f"({LAYOUTS[asked]}), maar het bestand ziet eruit als {header.description}. Controleer 'indeling' "
                "in de koppeling, of exporteer opnieuw in de genoemde indeling."
            )


# --- from a table to canonical columns ---------------------------------------------------------------------


def _map_columns(export: ExportFile, q: Questionnaire, table: Table) -> RawExport:
    header = table.header
    mapping = export.mapping
    names = header.names
    width = len(names)
    by_target = targets(q)
    expected = expected_columns(q, export.extras, export.omitted)
    asked = {canon for canon in expected.values()}
    assigned: dict[str, int] = {}  # canonical -> position
    explicit: set[int] = set()
    left_out: list[tuple[str, str]] = []  # (file column, item id) of items the region left out
    where = mapping.where or f"regios.yaml, regio '{export.region}', meting {export.wave}"

    def positions(source: str) -> list[int]:
        for candidates in (names, header.texts, header.import_ids):
            hits = [i for i, c in enumerate(candidates) if c and fold(c) == fold(source)]
            if hits:
                return hits
        return []

    for source, target in mapping.columns:
        hits = positions(source)
        if not hits:
            import difflib
            close = difflib.get_close_matches(source, [n for n in names if n], n=3, cutoff=0.5)
            hint = f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
            raise ConfigError(
                f"{where}, kolommen: '{source}' staat niet in {export.path.name} (niet als kolomnaam, vraagtekst of "
                f"ImportId).{hint} Kolommen in het bestand: {_listing(names)}.")
        if len(hits) > 1:
            raise ConfigError(
                f"{where}, kolommen: '{source}' staat {len(hits)} keer in {export.path.name} (kolommen "
                f"{', '.join(_letter(i) for i in hits)}). Geef de kolommen in de export een eigen naam.")
        explicit.add(hits[0])
        if target == IGNORE:
            continue
        canonical = by_target.get(fold(target), target)
        if canonical in export.omitted:
            left_out.append((names[hits[0]] or _letter(hits[0]), canonical))
            continue  # the region left this item out: the column is listed as not used
        assigned[canonical] = hits[0]
    # Columns named as the questionnaire names them map by themselves, unless the mapping said otherwise.
    folded = [fold(n) for n in names]
    for canonical_name, canonical in expected.items():
        hits = [i for i, n in enumerate(folded) if n == fold(canonical_name) and i not in explicit
                and i not in header.metadata]
        if not hits:
            continue
        if canonical in assigned:
            other = names[assigned[canonical]]
            raise ConfigError(
                f"{where}, kolommen: '{other}' is gekoppeld aan '{canonical_name}', maar {export.path.name} heeft ook "
                f"een eigen kolom '{names[hits[0]]}' (kolom {_letter(hits[0])}). Zeg welke de goede is: koppel die "
                f"andere kolom aan iets anders of zet '{names[hits[0]]}: {IGNORE}' onder kolommen.")
        if len(hits) > 1:
            raise ReadError(
                f"{export.path.name}: de kolom '{names[hits[0]]}' staat er {len(hits)} keer in (kolommen "
                f"{', '.join(_letter(i) for i in hits)}). Het programma kiest niet zelf welke de goede is: verwijder "
                f"de overbodige kolom of geef hem een andere naam, en koppel zo nodig onder 'kolommen' in regios.yaml."
            )
        assigned[canonical] = hits[0]
    for special, column in ((DATE, export.date_column), (REGION, export.region_column)):
        if column:
            hits = positions(column)
            if hits:
                assigned[special] = hits[0]

    rows = table.rows
    index = pd.RangeIndex(len(rows))
    frame = pd.DataFrame({canon: pd.Series([_cell(r, pos) for r in table.body], index=index, dtype=object)
                          for canon, pos in assigned.items()}, index=index)
    source_names = _unique([n or _letter(i) for i, n in enumerate(names)])
    source = pd.DataFrame([[_cell(r, i) for i in range(width)] for r in table.body], columns=source_names,
                          index=index, dtype=object)
    notes = list(table.notes)
    header_rows = header.rows
    if header.layout in ("csv", "excel") and _is_label_row(frame, q, export, table):
        # Survey tools often put the question texts in a second header row.
        example = next((str(v) for v in frame.iloc[0] if v is not None), "")
        notes.append(Note("extra_kopregel", f"Rij {rows[0]} bevat kopteksten in plaats van antwoorden "
                          f"(bijvoorbeeld '{example[:60]}') en is als tweede kopregel overgeslagen.",
                          warning=True, row=rows[0]))
        frame, source, rows = frame.iloc[1:], source.iloc[1:], rows[1:]
        header_rows += 1
    frame = frame.reset_index(drop=True)
    frame[ROW] = list(rows)
    source = source.reset_index(drop=True)
    source[ROW] = list(rows)
    if header.layout == "forms":
        frame = _forms_choices(frame, q, notes)

    q_names = {v: k for k, v in expected.items()}
    q_names.update({DATE: export.date_column, REGION: export.region_column})
    source_columns = {canon: names[pos] or _letter(pos) for canon, pos in assigned.items()}
    missing = tuple(c for c in q_names if q_names[c] and c not in assigned and (c in asked or c in (DATE, REGION)))
    for canon in missing:
        source_columns[canon] = q_names[canon]  # the name the user will look for
    labels = {canon: table.labels[pos] for canon, pos in assigned.items() if pos in table.labels}
    used = set(assigned.values()) | explicit
    extra = tuple(source_names[i] for i in range(width) if i not in used and i not in header.metadata)
    if extra:
        # Never dropped silently: the validation page lists what was not read.
        notes.append(Note("niet_gekoppeld", f"niet gelezen, want aan geen vraag gekoppeld: kolom "
                          f"{_listing(extra, 20)}"))
    # A column of an item the region left out is never silently dropped: validation lists it as not used.
    omitted_by_column = {fold(q.item(i).column): i for i in export.omitted if q.has_item(i)}
    omitted_by_column.update({fold(i): i for i in export.omitted})
    left_out += [(source_names[i], omitted_by_column[fold(names[i])]) for i in range(width)
                 if i not in used and i not in header.metadata and names[i] and fold(names[i]) in omitted_by_column]
    return RawExport(
        export=export,
        frame=frame,
        source=source,
        header_rows=header_rows,
        source_columns=source_columns,
        missing_columns=missing,
        extra_columns=extra,
        omitted_columns=tuple(left_out),
        value_labels=labels,
        user_missing={c: table.user_missing[p] for c, p in assigned.items() if p in table.user_missing},
        notes=tuple(notes) + (Note("bestandsinfo", f"indeling: {header.description}"),),
        layout=header.layout,
        coding=_codings(q, mapping, frame.columns, labels),
        texts={canon: header.texts[pos] for canon, pos in assigned.items() if header.texts[pos]},
        row_faults=tuple(sorted(table.faults.items())),
    )


def _codings(q: Questionnaire, mapping: ExportMapping, columns, labels: dict[str, dict]) -> dict[str, ColumnCoding]:
    out = {}
    for canonical in columns:
        options = options_for(q, canonical, mapping.scale_for(canonical))
        if options is None:
            continue
        file_labels = labels.get(canonical)
        is_mark = q.has_item(canonical) and q.item(canonical).scale.kind == "cijfer"
        out[canonical] = column_coding(
            # Codes the file labels are read by their label; the others are ours only when the user said so.
            options, numbers_are_codes=mapping.numbers_are_codes, is_mark=is_mark,
            file_labels=file_labels, answers=mapping.answers_for(canonical))
        if mapping.numbers_are_codes and file_labels:
            _contradictions(canonical, options, file_labels, out[canonical], mapping)
    return out


def _contradictions(canonical: str, options, file_labels: dict, coding: ColumnCoding, mapping: ExportMapping) -> None:
    """'codes: vragenlijst' while the file's own labels say a code means something else: never guess."""
    ours = {str(code): label for code, label, _, _ in options}
    wrong = [f"{answer_key(code)} = '{label}' in het bestand, '{ours[answer_key(code)]}' in de vragenlijst"
             for code, label in file_labels.items()
             if answer_key(code) in ours and coding.lookup.get(answer_key(code), (None,))[0] != int(answer_key(code))]
    if wrong:
        raise ConfigError(
            f"{mapping.where or 'regios.yaml'}: 'codes: vragenlijst' klopt niet voor kolom '{canonical}': "
            f"{'; '.join(wrong[:4])}. Laat 'codes' weg: de antwoorden worden dan op hun label gelezen.")


def _cell(row: list, pos: int) -> object:
    value = row[pos] if pos < len(row) else None
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _letter(position: int) -> str:
    """Column position as Excel names it: 0 -> A, 27 -> AB."""
    name = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _listing(names: tuple[str, ...], limit: int = 12) -> str:
    shown = [n for n in names if n][:limit]
    more = len([n for n in names if n]) - len(shown)
    return ", ".join(shown) + (f" en {more} andere" if more > 0 else "")


def _forms_choices(frame: pd.DataFrame, q: Questionnaire, notes: list[Note]) -> pd.DataFrame:
    """Microsoft Forms ends every chosen option with ';' ('Ja;'); one option is one answer."""
    changed = 0
    for item in q.items:
        if item.id in frame and not item.is_open:
            values = frame[item.id]
            single = values.map(lambda v: isinstance(v, str) and v.count(";") == 1 and v.rstrip().endswith(";"))
            changed += int(single.sum())
            frame[item.id] = values.where(~single, values.map(lambda v: v.rstrip()[:-1] if isinstance(v, str) else v))
    if changed:
        notes.append(Note("bestandsinfo", f"Microsoft Forms: bij {changed} antwoorden is de afsluitende ';' weggelaten"))
    return frame


def _is_label_row(frame: pd.DataFrame, q: Questionnaire, export: ExportFile, table: Table) -> bool:
    """True when the first row holds texts, not answers: (nearly) no closed item has a decodable value."""
    if frame.empty:
        return False
    codings = _codings(q, export.mapping, frame.columns, {})
    checked = invalid = 0
    for item in q.items_for(export.extras, export.omitted):
        if item.is_open or item.id not in frame or frame[item.id].iloc[0] is None:
            continue
        checked += 1
        status = code_values(frame[item.id].iloc[:1], codings[item.id].lookup).status.iloc[0]
        invalid += status == "ongeldig"
    return checked >= 3 and invalid >= 0.8 * checked


def _unique(names: list[str]) -> list[str]:
    """A header used twice gets ' (2)', ' (3)' so that both columns stay and can be reported."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name} ({seen[name]})")
        else:
            seen[name] = 1
            out.append(name)
    return out


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
        # Not a mix: the whole file is Windows-1252, as Dutch Excel writes "CSV (puntkomma's gescheiden)".
        if export.encoding:
            return data.decode(fallback), [Note(
                "codering", f"Het bestand is niet in de tekencodering '{export.encoding}' uit regios.yaml maar in "
                "Windows-1252; het is zo gelezen. Pas 'codering' aan of laat het veld weg.", warning=True)]
        return data.decode(fallback), [Note("bestandsinfo", "CSV-bestand, tekencodering Windows-1252")]
    # A mix, as when exports are pasted together: read every line, and name the odd ones.
    label = "UTF-8" if primary == "utf-8-sig" else primary
    notes = [Note("bestandsinfo", f"CSV-bestand, tekencodering {label}")]
    for number in odd:
        notes.append(Note(
            "codering", f"Rij {number} is in een andere tekencodering (Windows-1252) opgeslagen dan de rest van het "
            f"bestand ({label}); de rij is gelezen, maar controleer letters als ë en ö in deze rij.",
            warning=True, row=number))
    return "\n".join(decoded), notes


SEPARATORS = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}


def _records(text: str, sep: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) per CSV record; line numbers of the text, from 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    out = []
    start = 1
    for fields in reader:
        out.append((start, reader.line_num, fields))
        start = reader.line_num + 1
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
    if not text.strip():
        raise ReadError(f"{path.name} bevat geen tekst. Exporteer de antwoorden opnieuw.")
    lines = text.splitlines()
    offset = 0  # lines above the header that Excel does not show as rows
    sep_line = re.fullmatch(r"\s*\"?sep=(.)\"?\s*", lines[0])
    if sep_line:
        sep = sep_line.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        offset = 1
        notes.append(Note("bestandsinfo", f"de eerste regel 'sep={sep}' (een aanwijzing voor Excel) is overgeslagen"))
        lines = lines[1:]
        if not lines:
            raise ReadError(f"{path.name} bevat alleen de regel 'sep={sep}'. Exporteer de antwoorden opnieuw.")
    else:
        sep = _separator(lines)
    notes.append(Note("bestandsinfo", f"scheidingsteken {SEPARATORS.get(sep, repr(sep))}"))
    grid, rows, faults = _split(text, sep, path.name, notes)
    header = detect(grid, "csv")
    body, numbers = grid[header.rows:], [r - offset for r in rows[header.rows:]]
    body, numbers = _drop_trailing_empty(body, numbers)
    faults = {r - offset: why for r, why in faults.items()}
    return Table(header, body, numbers, notes=notes, faults=faults)


def _split(text: str, sep: str, name: str, notes: list[Note]) -> tuple[list[list], list[int], dict[int, str]]:
    """Rows of fields with their line numbers. A record that swallowed several lines through an unclosed quote
    is split back into its lines; a line with more fields than the header gets a row fault."""
    lines = text.splitlines()
    records = _records(text, sep)
    if not records:
        raise ReadError(f"{name} bevat geen regels.")
    width = len(records[0][2])
    grid: list[list] = []
    rows: list[int] = []
    faults: dict[int, str] = {}
    trailing = 0
    for first, last, fields in records:
        pieces = [_literal_fields(lines[n - 1] if n - 1 < len(lines) else "", sep) for n in range(first, last + 1)]
        if last > first and (len(fields) != width or sum(len(p) >= width - 1 for p in pieces) >= 2):
            # An opening quote that never closes: csv swallowed the next lines, which are rows of their own.
            # (A real multi-line answer does not hold whole rows.)
            grid += pieces
            rows += list(range(first, last + 1))
            notes.append(Note(
                "aanhalingsteken", f"Rij {first}: een aanhalingsteken wordt geopend maar niet gesloten. De regels "
                f"{first} tot en met {last} zijn elk als eigen rij gelezen en het losse aanhalingsteken is als tekst "
                "behandeld. Controleer het antwoord in deze rij.", warning=True, row=first))
            continue
        grid.append(fields)
        rows.append(first)
    for fields, number in zip(grid[1:], rows[1:]):
        if len(fields) > width:
            surplus = fields[width:]
            if all(not f.strip() for f in surplus):
                del fields[width:]
                trailing += 1
            else:
                faults[number] = (f"de rij heeft {len(fields)} velden en de kopregel {width}: waarden zouden in de "
                                  "verkeerde kolom komen")
    if trailing:
        notes.append(Note("bestandsinfo", f"{trailing} rijen eindigen met een extra scheidingsteken; dat lege veld is "
                          "weggelaten"))
    return grid, rows, faults


def _literal_fields(line: str, sep: str) -> list[str]:
    """Fields of one line in which quotes are text: the fallback for an unclosed quote."""
    fields = next(csv.reader([line], delimiter=sep, strict=False), [])
    if '"' not in line or all('"' not in f for f in fields):
        return fields
    plain = line.split(sep)
    return [f[1:] if f.startswith('"') and not f.endswith('"') else f.strip('"') if f.startswith('"') else f
            for f in plain]


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


def _read_excel(export: ExportFile, wanted: set[str]) -> Table:
    import openpyxl  # only needed for .xlsx files

    def load(values: bool):
        return openpyxl.load_workbook(export.path, read_only=True, data_only=values)

    try:
        book = load(True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException on broken files
        raise ReadError(
            f"{export.path.name} kan niet als Excel-bestand (.xlsx) worden geopend ({exc}). Open het in Excel en "
            "sla het opnieuw op als 'Excel-werkmap (.xlsx)'."
        ) from exc
    try:
        names = book.sheetnames
        if export.sheet and export.sheet not in names:
            raise ReadError(
                f"{export.path.name} heeft geen werkblad '{export.sheet}' (wel: {', '.join(names)}). Pas 'werkblad' "
                "aan in regios.yaml."
            )
        sheets = {name: _sheet_rows(book[name]) for name in names}
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
    header = detect(rows, "excel")
    _formulas_without_values(export, sheet_name, rows, header)
    body, numbers = _drop_trailing_empty(rows[header.rows:], list(range(header.rows + 1, len(rows) + 1)))
    body = [[None if isinstance(v, str) and not v.strip() else v for v in r] for r in body]
    notes.append(Note("bestandsinfo", f"Excel-bestand, werkblad '{sheet_name}'"))
    others = [n for n in with_content if n != sheet_name]
    if others:
        notes.append(Note(
            "extra_werkblad", f"Het werkboek heeft meer werkbladen met inhoud. Gelezen: '{sheet_name}'; niet gelezen: "
            f"{', '.join(repr(n) for n in others)} (geen kolommen van de vragenlijst). Staan daar toch antwoorden, zet "
            "ze dan op één werkblad (of geef 'werkblad' op in regios.yaml).", warning=True))
    return Table(header, body, numbers, notes=notes)


def _sheet_rows(sheet) -> list[list]:
    # The declared <dimension> may be smaller than what the sheet holds (WPS, some libraries): do not trust it.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _formulas_without_values(export: ExportFile, sheet_name: str, rows: list[list], header: Header) -> None:
    """A formula never calculated by Excel has no saved value: read as empty it would pass for 'no answer'."""
    import openpyxl

    empty = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is None}
    if not empty:
        return
    book = openpyxl.load_workbook(export.path, read_only=True, data_only=False)
    try:
        formulas = _sheet_rows(book[sheet_name])
    finally:
        book.close()
    hits = [(r, c) for r, c in sorted(empty) if r < len(formulas) and c < len(formulas[r])
            and isinstance(formulas[r][c], str) and formulas[r][c].startswith("=")]
    if hits:
        columns = sorted({header.names[c] if c < len(header.names) else _letter(c) for _, c in hits})
        raise ReadError(
            f"{export.path.name}, werkblad '{sheet_name}': {len(hits)} cellen bevatten een formule zonder opgeslagen "
            f"uitkomst (kolom {', '.join(columns)}; rij {row_list([r + 1 for r, _ in hits])}). Het programma rekent "
            "formules niet zelf uit. Open het bestand in Excel of LibreOffice, laat het herberekenen en sla het op; "
            "of plak de kolommen als waarden."
        )
