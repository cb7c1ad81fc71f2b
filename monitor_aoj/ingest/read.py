"""Map an export onto the questionnaire: a Table (table.py) becomes a RawExport with canonical column names.

Columns are matched by the mapping (file column name, question text or Qualtrics ImportId -> questionnaire
column or item id) and otherwise by their own name; the tool's metadata columns are never answers by
themselves. Values stay exactly as found (text, numbers, blanks), so that validation can report a wrong value as
the user typed it; how each value is decoded (its label matched to the questionnaire, the file's value labels,
the user's answer mapping) is settled once per column, as a ColumnCoding (mapping.column_codings). Every
physical data row of the table is a row of the RawExport, with the row number the user sees.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.errors import ConfigError, ReadError
from monitor_aoj.ingest.columns import DATE, FUNCTIE, FUNCTIE_OTHER, REGION, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import Coded, ColumnCoding, answer_key, code_values, fold
from monitor_aoj.ingest.formats import read_table
from monitor_aoj.ingest.layouts import LAYOUTS, Header
from monitor_aoj.ingest.mapping import IGNORE, column_codings, targets
from monitor_aoj.ingest.table import Note, Table, column_letter, name_listing


@dataclass(frozen=True)
class RawExport:
    export: ExportFile
    frame: pd.DataFrame  # canonical columns + ROW; values as found (object dtype), blanks as None
    source: pd.DataFrame  # every column of the file as read + ROW, for quarantine files (after validation, a
    # clean export keeps only its columns: its quarantine has been written)
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
    part: str = ""  # the part of the file read, when it has several: "werkblad 'Data'"
    skipped: tuple[str, ...] = ()  # Dutch: what the file holds beyond the rows read (other sheets, empty lines)
    # canonical column -> (the frame it was decoded from, its Coded): validation, the file checks and the tidy
    # Responses all ask for the same columns, and each is coded once. Not an init field, so an export made by
    # dataclasses.replace starts empty (its frame is another); the frame is kept to tell it is the same one.
    _coded: dict[str, tuple[pd.DataFrame, Coded]] = field(default_factory=dict, init=False, repr=False,
                                                           compare=False)

    @property
    def name(self) -> str:
        return self.export.path.name

    def column_name(self, canonical: str) -> str:
        return self.source_columns.get(canonical, canonical)

    def decode(self, canonical: str) -> Coded:
        """Questionnaire codes and statuses of one canonical column (see decode.code_values), coded once per
        column of this frame. The Series returned are shared: callers copy before changing them."""
        known = self._coded.get(canonical)
        if known is not None and known[0] is self.frame:
            return known[1]
        coded = code_values(self.frame[canonical], self.coding[canonical].lookup)
        self._coded[canonical] = (self.frame, coded)
        return coded

    def same_frame(self, other: "RawExport") -> "RawExport":
        """This export, knowing the codes `other` decoded, when both hold the very same frame."""
        if other.frame is self.frame:
            for canonical, known in other._coded.items():
                self._coded.setdefault(canonical, known)
        return self


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

    Args:
        export: the export as regios.yaml lists it (path, format, encoding, sheet, mapping, size limit in MB).
        q: the questionnaire of the export's wave.

    Returns:
        RawExport: one row per physical data row (ROW: the row number the user sees), the canonical columns
        (respondent, sector, functie, schooltype, one per item asked) with values as found (object dtype, blanks
        as None), the file's own columns (`source`), and per column how its values decode; `sha256` of the file.

    Raises:
        ReadError: the file cannot be used at all (missing, empty, over the size limit, unreadable, a layout
            other than the mapping names); Dutch, naming the file.
        ConfigError: the mapping does not fit the file (a column it names is missing or ambiguous).
    """
    path = export.path
    if not path.is_file():
        raise ReadError(
            f"Bestand niet gevonden: {path}. Controleer de naam in regios.yaml (regio '{export.region}', "
            f"meting {export.wave}) en of het bestand in de invoermap staat."
        )
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{path.name} is leeg (0 bytes). Exporteer de antwoorden opnieuw uit de enquêtetool.")
    if size > export.max_file_mb * MEGABYTE:
        raise ReadError(
            f"{path.name} is {_megabytes(size / MEGABYTE)} MB, groter dan de grens van "
            f"{_megabytes(export.max_file_mb)} MB; het bestand is niet gelezen. Is dit echt de export van regio "
            f"'{export.region}', meting {export.wave}? Zet dan in regios.yaml onder 'instellingen:' een hogere grens, "
            f"bijvoorbeeld:  max_bestandsgrootte_mb: {_megabytes(_raised_limit(size / MEGABYTE), plain=True)}"
        )
    table = read_table(export, _wanted(export, q))
    _check_layout(export, table.header)
    raw = _map_columns(export, q, table)
    with path.open("rb") as f:  # in blocks: a large export is not held in memory once more
        fingerprint = hashlib.file_digest(f, "sha256").hexdigest()
    return dataclasses.replace(raw, sha256=fingerprint)


MEGABYTE = 1024 * 1024  # as Windows Explorer counts MB


def _megabytes(value: float, plain: bool = False) -> str:
    """A size in MB to three significant digits, Dutch ('0,0005', '12,3', '250'); plain: as YAML reads it."""
    from babel.numbers import format_decimal

    rounded = float(f"{value:.3g}")
    if plain:
        return f"{rounded:g}"
    return format_decimal(rounded, format="#,##0.##########", locale="nl_NL")


def _raised_limit(size_mb: float) -> float:
    """A round limit above the file's size, to suggest: 300 for a file of 212 MB."""
    step = 10 ** max(math.floor(math.log10(size_mb)), -3) if size_mb > 0 else 1
    return (math.floor(size_mb / step) + 1) * step


def _wanted(export: ExportFile, q: Questionnaire) -> set[str]:
    """Folded names that tell a sheet with answers: questionnaire columns and the mapping's sources."""
    names = {fold(c) for c in expected_columns(q, export.extras, export.omitted)}
    return names | {fold(s) for s, _ in export.mapping.columns}


GENERIC = {"csv", "excel", "spss"}


def _check_layout(export: ExportFile, header: Header) -> None:
    """A layout named in the mapping must be what the file looks like. A generic file may carry any generic
    name; LimeSurvey full-text and Forms exports without their metadata columns look generic too."""
    asked = export.mapping.layout
    if not asked or asked == header.layout:
        return
    if header.layout in GENERIC and asked in GENERIC | {"forms", "limesurvey"}:
        return
    raise ReadError(
        f"{export.path.name}: volgens de koppeling is dit een export in de indeling '{asked}' ({LAYOUTS[asked]}), "
        f"maar het bestand ziet eruit als {header.description}. Controleer 'indeling' in de koppeling, of "
        "exporteer opnieuw in de genoemde indeling."
    )


# --- from a table to canonical columns ---------------------------------------------------------------------


def _map_columns(export: ExportFile, q: Questionnaire, table: Table) -> RawExport:
    header = table.header
    mapping = export.mapping
    names = header.names
    width = len(names)
    by_target = targets(q)
    expected = expected_columns(q, export.extras, export.omitted)
    asked = set(expected.values())
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
            close = difflib.get_close_matches(source, [n for n in names if n], n=3, cutoff=0.5)
            hint = f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
            raise ConfigError(
                f"{where}, kolommen: '{source}' staat niet in {export.path.name} (niet als kolomnaam, vraagtekst of "
                f"ImportId).{hint} Kolommen in het bestand: {name_listing(names)}.")
        if len(hits) > 1:
            raise ConfigError(
                f"{where}, kolommen: '{source}' staat {len(hits)} keer in {export.path.name} (kolommen "
                f"{', '.join(column_letter(i) for i in hits)}). Geef de kolommen in de export een eigen naam.")
        explicit.add(hits[0])
        if target == IGNORE:
            continue
        canonical = by_target.get(fold(target), target)
        if canonical in export.omitted:
            left_out.append((names[hits[0]] or column_letter(hits[0]), canonical))
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
                f"een eigen kolom '{names[hits[0]]}' (kolom {column_letter(hits[0])}). Zeg welke de goede is: "
                f"koppel die andere kolom aan iets anders of zet '{names[hits[0]]}: {IGNORE}' onder kolommen.")
        if len(hits) > 1:
            raise ReadError(
                f"{export.path.name}: de kolom '{names[hits[0]]}' staat er {len(hits)} keer in (kolommen "
                f"{', '.join(column_letter(i) for i in hits)}). Het programma kiest niet zelf welke de goede is: "
                "verwijder de overbodige kolom of geef hem een andere naam, en koppel zo nodig onder 'kolommen' in "
                "regios.yaml."
            )
        assigned[canonical] = hits[0]
    for special, column in ((DATE, export.date_column), (REGION, export.region_column)):
        if column:
            hits = positions(column)
            if hits:
                assigned[special] = hits[0]

    rows = table.rows
    index = pd.RangeIndex(len(rows))
    # Each column of the file is built once; `frame` and `source` share these arrays, not copies of them.
    columns = _columns(table, width)
    frame = pd.DataFrame({canon: columns[pos] for canon, pos in assigned.items()}, index=index, copy=False)
    source_names = _unique([n or column_letter(i) for i, n in enumerate(names)])
    source = pd.DataFrame(dict(zip(source_names, columns)), index=index, copy=False)
    del columns
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
    source_columns = {canon: names[pos] or column_letter(pos) for canon, pos in assigned.items()}
    missing = tuple(c for c in q_names if q_names[c] and c not in assigned and (c in asked or c in (DATE, REGION)))
    for canon in missing:
        source_columns[canon] = q_names[canon]  # the name the user will look for
    labels = {canon: table.labels[pos] for canon, pos in assigned.items() if pos in table.labels}
    used = set(assigned.values()) | explicit
    extra = tuple(source_names[i] for i in range(width) if i not in used and i not in header.metadata)
    if extra:
        # Never dropped silently: the validation page lists what was not read.
        notes.append(Note("niet_gekoppeld", f"niet gelezen, want aan geen vraag gekoppeld: kolom "
                          f"{name_listing(extra, 20)}"))
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
        coding=column_codings(q, mapping, frame.columns, labels),
        texts={canon: header.texts[pos] for canon, pos in assigned.items() if header.texts[pos]},
        row_faults=tuple(sorted(table.faults.items())),
        part=table.part,
        skipped=tuple(table.skipped),
    )


def _columns(table: Table, width: int) -> list[np.ndarray]:
    """The body as one object array per column (blanks as None). The body's rows are released on the way, so a
    large export is never held as rows and as columns at once."""
    body: list = table.body  # its rows become None once copied
    table.body = []
    columns = [np.empty(len(body), dtype=object) for _ in range(width)]
    block = 20_000
    for start in range(0, len(body), block):
        rows = body[start:start + block]
        for pos, column in enumerate(columns):
            column[start:start + len(rows)] = [_cell(r, pos) for r in rows]
        body[start:start + block] = [None] * len(rows)
    return columns


def _cell(row: list, pos: int) -> object:
    value = row[pos] if pos < len(row) else None
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _forms_choices(frame: pd.DataFrame, q: Questionnaire, notes: list[Note]) -> pd.DataFrame:
    """Microsoft Forms ends every chosen option with ';' ('Ja;'); one option is one answer."""
    changed = 0
    for item in q.items:
        if item.id in frame and not item.is_open:
            values = frame[item.id]
            single = values.map(lambda v: isinstance(v, str) and v.count(";") == 1 and v.rstrip().endswith(";"))
            changed += int(single.sum())
            trimmed = values.map(lambda v: v.rstrip()[:-1] if isinstance(v, str) else v)
            frame[item.id] = values.where(~single, trimmed)
    if changed:
        notes.append(Note("bestandsinfo",
                          f"Microsoft Forms: bij {changed} antwoorden is de afsluitende ';' weggelaten"))
    return frame


def _is_label_row(frame: pd.DataFrame, q: Questionnaire, export: ExportFile, table: Table) -> bool:
    """True when the first row holds question texts, not answers: (nearly) no closed item has a decodable value,
    and what stands there are different texts, not numbers or one repeated value (a respondent who typed 'x'
    everywhere is a respondent, whose answers validation sets aside)."""
    if frame.empty:
        return False
    first_id = frame[RESPONDENT].iloc[0] if RESPONDENT in frame else None
    if first_id is not None and _is_number(first_id):
        return False
    codings = column_codings(q, export.mapping, frame.columns, {})
    texts = []
    for item in q.items_for(export.extras, export.omitted):
        value = frame[item.id].iloc[0] if item.id in frame and not item.is_open else None
        if value is None:
            continue
        status = code_values(frame[item.id].iloc[:1], codings[item.id].lookup).status.iloc[0]
        texts.append(answer_key(value) if status == "ongeldig" and not _is_number(value) else None)
    invalid = [t for t in texts if t is not None]
    return len(texts) >= 3 and len(invalid) >= 0.8 * len(texts) and len(set(invalid)) >= 0.8 * len(invalid)


def _is_number(value: object) -> bool:
    return answer_key(value).replace(".", "", 1).lstrip("-").isdigit()


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
