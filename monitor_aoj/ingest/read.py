"""Stage 1, read: an export file (SPSS, CSV, Excel) -> a RawExport with the questionnaire's column names.

Reading and mapping only: values stay exactly as found (text, numbers, blanks), so that validation can
report a wrong value as the user typed it. Which column means what comes from the questionnaire and the
region config, never from this module. What reading had to work around (an encoding, a second header row,
extra sheets) is kept as a Note, for validation to report.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from dataclasses import dataclass, field

import pandas as pd

from monitor_aoj.ingest.decode import fold, normalise, scale_lookup
from monitor_aoj.columns import DATE, FUNCTIE, FUNCTIE_OTHER, REGION, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.config import ExportFile
from monitor_aoj.errors import ReadError
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
    header_rows: int  # rows above the first response (1 for CSV/Excel, 0 for SPSS)
    source_columns: dict[str, str]  # canonical name -> column name in the file, for messages
    missing_columns: tuple[str, ...] = ()  # canonical names the questionnaire expects but the file lacks
    extra_columns: tuple[str, ...] = ()  # file columns the questionnaire does not know (kept out)
    value_labels: dict[str, dict[object, str]] = field(default_factory=dict)  # SPSS value labels per column
    user_missing: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)  # SPSS missing ranges
    notes: tuple[Note, ...] = ()
    sha256: str = ""  # fingerprint of the file as read, for the report's Verantwoording

    @property
    def name(self) -> str:
        return self.export.path.name

    def column_name(self, canonical: str) -> str:
        return self.source_columns.get(canonical, canonical)


@dataclass
class _Read:
    """What a format reader hands to the mapping step."""

    frame: pd.DataFrame  # original column names, values as found
    header_rows: int
    labels: dict[str, dict[object, str]] = field(default_factory=dict)
    user_missing: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def expected_columns(q: Questionnaire, extras: tuple[str, ...]) -> dict[str, str]:
    """Questionnaire column -> canonical name, for the items this region asked in this wave."""
    bg = q.background
    cols = {
        bg.respondent_column: RESPONDENT,
        bg.sector.column: SECTOR,
        bg.functie.column: FUNCTIE,
        bg.schooltype.column: SCHOOLTYPE,
    }
    if bg.functie.other_column:
        cols[bg.functie.other_column] = FUNCTIE_OTHER
    for item in q.items_for(extras):
        cols[item.column] = item.id
    return cols


def read_export(export: ExportFile, q: Questionnaire) -> RawExport:
    """Read one export file and give its columns the questionnaire's names."""
    path = export.path
    if not path.is_file():
        raise ReadError(
            f"Bestand niet gevonden: {path}. Controleer de naam in regios.yaml (regio '{export.region}', "
            f"meting {export.wave}) en of het bestand in de invoermap staat."
        )
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is leeg (0 bytes). Exporteer de antwoorden opnieuw uit de enquêtetool.")
    if export.format == "spss":
        read = _read_spss(export)
    elif export.format == "csv":
        read = _read_csv(export)
    else:
        read = _read_excel(export, _wanted_columns(export, q))
    raw = _map_columns(export, q, read)
    return dataclasses.replace(raw, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def _wanted_columns(export: ExportFile, q: Questionnaire) -> dict[str, str]:
    """Folded column name as it may appear in the file -> canonical name."""
    wanted = {fold(k): v for k, v in expected_columns(q, export.extras).items()}
    if export.date_column:
        wanted[fold(export.date_column)] = DATE
    if export.region_column:
        wanted[fold(export.region_column)] = REGION
    renames = {fold(k): fold(v) for k, v in export.columns}
    for file_name, q_name in renames.items():
        if q_name in wanted:
            wanted[file_name] = wanted[q_name]
    return wanted


def _map_columns(export: ExportFile, q: Questionnaire, read: _Read) -> RawExport:
    wanted = _wanted_columns(export, q)
    source_columns: dict[str, str] = {}
    extra = []
    for original in read.frame.columns:
        canonical = wanted.get(fold(original))
        if canonical is None or canonical in source_columns:
            extra.append(str(original))
        else:
            source_columns[canonical] = str(original)
    frame = pd.DataFrame({canon: read.frame[orig] for canon, orig in source_columns.items()}, index=read.frame.index)
    frame = frame.astype(object).where(frame.notna(), None)
    source = read.frame.astype(object).where(read.frame.notna(), None)
    notes = list(read.notes)
    header_rows = read.header_rows
    if export.format != "spss" and _is_label_row(frame, q, export.extras):
        # Survey tools often put the question texts in a second header row.
        example = next((str(v) for v in frame.iloc[0] if v is not None), "")
        notes.append(Note("extra_kopregel", f"Rij {header_rows + 1} bevat kopteksten in plaats van antwoorden "
                          f"(bijvoorbeeld '{example[:60]}') en is als tweede kopregel overgeslagen.",
                          warning=True, row=header_rows + 1))
        frame, source = frame.iloc[1:], source.iloc[1:]
        header_rows += 1
    rows = range(header_rows + 1, header_rows + 1 + len(frame))
    frame = frame.reset_index(drop=True)
    frame[ROW] = list(rows)
    source = source.reset_index(drop=True)
    source[ROW] = list(rows)
    q_names = {v: k for k, v in expected_columns(q, export.extras).items()}
    q_names.update({DATE: export.date_column, REGION: export.region_column})
    missing = tuple(c for c in q_names if q_names[c] and c not in source_columns)
    for canon in missing:
        source_columns[canon] = q_names[canon]  # the name the user will look for
    found = {canon: orig for canon, orig in source_columns.items() if canon not in missing}
    return RawExport(
        export=export,
        frame=frame,
        source=source,
        header_rows=header_rows,
        source_columns=source_columns,
        missing_columns=missing,
        extra_columns=tuple(extra),
        value_labels={c: read.labels[o] for c, o in found.items() if o in read.labels},
        user_missing={c: read.user_missing[o] for c, o in found.items() if o in read.user_missing},
        notes=tuple(notes),
    )


def _is_label_row(frame: pd.DataFrame, q: Questionnaire, extras: tuple[str, ...]) -> bool:
    """True when the first row holds texts, not answers: (nearly) no closed item has a valid value."""
    if frame.empty:
        return False
    first = frame.iloc[0]
    checked = invalid = 0
    for item in q.items_for(extras):
        if item.is_open or item.id not in frame:
            continue
        value = normalise(pd.Series([first[item.id]])).iloc[0]
        if pd.isna(value):
            continue
        checked += 1
        invalid += value not in scale_lookup(item.scale, q.missing)
    return checked >= 3 and invalid >= 0.8 * checked


def _read_spss(export: ExportFile) -> _Read:
    import pyreadstat  # only needed for .sav files

    try:
        # user_missing=True keeps codes such as 99 "geen antwoord" as values instead of blanks, so the
        # questionnaire decides what they mean.
        frame, meta = pyreadstat.read_sav(str(export.path), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError types
        raise ReadError(
            f"{export.path.name} kan niet als SPSS-bestand worden gelezen ({exc}). Sla het in SPSS opnieuw op "
            "als .sav, of exporteer als .csv of .xlsx."
        ) from exc
    labels = {col: dict(vl) for col, vl in meta.variable_value_labels.items()}
    missing = {col: tuple((float(r["lo"]), float(r["hi"])) for r in ranges
                          if isinstance(r["lo"], (int, float)) and isinstance(r["hi"], (int, float)))
               for col, ranges in (meta.missing_ranges or {}).items()}
    note = Note("bestandsinfo", f"SPSS-bestand, tekencodering {meta.file_encoding or 'onbekend'}")
    return _Read(frame, 0, labels, {c: r for c, r in missing.items() if r}, [note])


def _decode(export: ExportFile) -> tuple[str, list[Note]]:
    """Decode the bytes; a line in another encoding than the rest is read anyway and reported."""
    data = export.path.read_bytes()
    name = export.path.name
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


def _read_csv(export: ExportFile) -> _Read:
    text, notes = _decode(export)
    if not text.strip():
        raise ReadError(f"{export.path.name} bevat geen tekst. Exporteer de antwoorden opnieuw.")
    first_line = text.splitlines()[0]
    # Dutch Excel uses ";" because "," is the decimal sign; other tools use "," or tabs.
    sep = max([";", ",", "\t"], key=first_line.count)
    try:
        # skip_blank_lines=False keeps an empty line as a row, so row numbers stay those the user sees.
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ReadError(
            f"{export.path.name} is geen geldig CSV-bestand ({exc}). Controleer of het scheidingsteken overal "
            f"'{sep}' is en of aanhalingstekens gesloten zijn."
        ) from exc
    frame = _drop_trailing_empty(frame.replace(r"^\s*$", None, regex=True))
    sep_name = {";": "puntkomma", ",": "komma", "\t": "tab"}[sep]
    notes.append(Note("bestandsinfo", f"scheidingsteken {sep_name}"))
    return _Read(frame, 1, notes=notes)


def _read_excel(export: ExportFile, wanted: dict[str, str]) -> _Read:
    import openpyxl  # only needed for .xlsx files

    try:
        book = openpyxl.load_workbook(export.path, read_only=True, data_only=True)
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
        sheets = {name: list(book[name].iter_rows(values_only=True)) for name in names}
    finally:
        book.close()
    # Without a configured sheet, take the one whose header row matches the questionnaire best.
    def score(rows: list) -> int:
        return sum(1 for h in (rows[0] if rows else ()) if h is not None and fold(h) in wanted)

    sheet_name = export.sheet or max(names, key=lambda n: (score(sheets[n]), -names.index(n)))
    rows = sheets[sheet_name]
    if not rows:
        raise ReadError(f"Werkblad '{sheet_name}' in {export.path.name} is leeg.")
    header = _unique(["" if h is None else str(h) for h in rows[0]])
    body = [list(r) + [None] * (len(header) - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.loc[:, [h != "" for h in header]]
    frame = _drop_trailing_empty(frame.map(lambda v: None if isinstance(v, str) and not v.strip() else v))
    notes = [Note("bestandsinfo", f"Excel-bestand, werkblad '{sheet_name}'")]
    others = [n for n in names if n != sheet_name and any(any(v is not None for v in r) for r in sheets[n])]
    if others:
        notes.append(Note(
            "extra_werkblad", f"Het werkboek heeft meer werkbladen met inhoud. Gelezen: '{sheet_name}'; niet gelezen: "
            f"{', '.join(repr(n) for n in others)}. Staan daar ook antwoorden, zet ze dan op één werkblad (of geef "
            "'werkblad' op in regios.yaml).", warning=True))
    return _Read(frame, 1, notes=notes)


def _unique(names: list[str]) -> list[str]:
    """A header used twice gets '.1', '.2' as pandas does for CSV, so both columns stay and can be reported."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name and name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen.setdefault(name, 0)
            out.append(name)
    return out


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty rows below the last response (Excel formatting, trailing newlines) are not responses.

    Empty rows between responses stay: validation reports them with their row number.
    """
    filled = frame.notna().any(axis=1).to_numpy()
    last = len(filled) - filled[::-1].argmax() if filled.any() else 0
    return frame.iloc[:last]

