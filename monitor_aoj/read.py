"""Stage 1, read: an export file (SPSS, CSV, Excel) -> a RawExport with the questionnaire's column names.

Reading and mapping only: values stay exactly as found (text, numbers, blanks), so that validation can
report a wrong value as the user typed it. Which column means what comes from the questionnaire and the
region config, never from this module.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj.config import ExportFile
from monitor_aoj.errors import ReadError
from monitor_aoj.questionnaire import Questionnaire

# Canonical names of the background columns in a RawExport; items use their item id.
RESPONDENT, SECTOR, FUNCTIE, FUNCTIE_OTHER, SCHOOLTYPE = "respondent", "sector", "functie", "functie_anders", "schooltype"
ROW = "_rij"  # row number as the user sees it in Excel or the survey tool


@dataclass(frozen=True)
class RawExport:
    export: ExportFile
    frame: pd.DataFrame  # canonical columns + ROW; values as found (object dtype), blanks as None
    header_rows: int  # rows above the first response (1 for CSV/Excel, 0 for SPSS)
    source_columns: dict[str, str]  # canonical name -> column name in the file, for messages
    missing_columns: tuple[str, ...] = ()  # canonical names the questionnaire expects but the file lacks
    extra_columns: tuple[str, ...] = ()  # file columns the questionnaire does not know (kept out)
    value_labels: dict[str, dict[object, str]] = field(default_factory=dict)  # SPSS value labels per column
    notes: tuple[str, ...] = ()  # facts about the file worth telling the user (encoding, sheets)

    @property
    def name(self) -> str:
        return self.export.path.name


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
    reader = {"spss": _read_spss, "csv": _read_csv, "excel": _read_excel}[export.format]
    frame, header_rows, labels, notes = reader(export)
    return _map_columns(export, q, frame, header_rows, labels, notes)


def _map_columns(export: ExportFile, q: Questionnaire, frame: pd.DataFrame, header_rows: int,
                 labels: dict[str, dict[object, str]], notes: tuple[str, ...]) -> RawExport:
    expected = expected_columns(q, export.extras)
    # Exports differ in case and stray spaces around names; match on a folded form.
    fold = {str(c).strip().casefold(): c for c in frame.columns}
    renames = {str(k).strip().casefold(): v for k, v in export.columns}
    canonical_by_fold = {k.strip().casefold(): v for k, v in expected.items()}
    source_columns: dict[str, str] = {}
    extra = []
    for folded, original in fold.items():
        target = renames.get(folded, folded)
        canonical = canonical_by_fold.get(str(target).strip().casefold())
        if canonical is None or canonical in source_columns:
            extra.append(str(original))
        else:
            source_columns[canonical] = str(original)
    # The questionnaire's own column name is the one users look for in messages about missing columns.
    missing = tuple(c for c in expected.values() if c not in source_columns)
    out = pd.DataFrame({canon: frame[orig] for canon, orig in source_columns.items()}, index=frame.index)
    out = out.astype(object).where(out.notna(), None)
    out[ROW] = range(header_rows + 1, header_rows + 1 + len(out))
    out = out.reset_index(drop=True)
    named_labels = {canon: labels[orig] for canon, orig in source_columns.items() if orig in labels}
    q_column = {v: k for k, v in expected.items()}
    for canon in missing:
        source_columns[canon] = q_column[canon]
    return RawExport(export, out, header_rows, source_columns, missing, tuple(extra), named_labels, notes)


def _read_spss(export: ExportFile):
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
    return frame, 0, labels, (f"SPSS-bestand, tekencodering {meta.file_encoding or 'onbekend'}",)


def _decode(export: ExportFile) -> tuple[str, str]:
    data = export.path.read_bytes()
    if export.encoding:
        try:
            return data.decode(export.encoding), export.encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ReadError(
                f"{export.path.name} is niet te lezen met tekencodering '{export.encoding}' (zoals opgegeven in "
                f"regios.yaml): {exc}. Sla het bestand op als 'CSV UTF-8' of pas 'codering' aan."
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(
            f"{export.path.name} is opgeslagen als UTF-16 (Unicode-tekst). Sla het in Excel op als 'CSV UTF-8 "
            "(door komma's gescheiden)' of als 'CSV (puntkomma's gescheiden)'."
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Dutch Excel writes "CSV (puntkomma's gescheiden)" in Windows-1252.
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{export.path.name}: de tekencodering is niet te herkennen (geen UTF-8 en geen Windows-1252; "
            f"onleesbaar teken op positie {exc.start}). Sla het bestand in Excel op als 'CSV UTF-8'."
        ) from exc


def _read_csv(export: ExportFile):
    text, encoding = _decode(export)
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
    return frame, 1, {}, (f"CSV-bestand, tekencodering {encoding}, scheidingsteken {sep_name}",)


def _read_excel(export: ExportFile):
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
        sheet_name = export.sheet or names[0]
        if sheet_name not in names:
            raise ReadError(
                f"{export.path.name} heeft geen werkblad '{sheet_name}' (wel: {', '.join(names)}). Pas 'werkblad' "
                "aan in regios.yaml."
            )
        rows = list(book[sheet_name].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise ReadError(f"Werkblad '{sheet_name}' in {export.path.name} is leeg.")
    header = ["" if h is None else str(h) for h in rows[0]]
    body = [list(r) + [None] * (len(header) - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.loc[:, [h != "" for h in header]]
    frame = _drop_trailing_empty(frame.map(lambda v: None if isinstance(v, str) and not v.strip() else v))
    notes = [f"Excel-bestand, werkblad '{sheet_name}'"]
    if len(names) > 1:
        notes.append(f"andere werkbladen genegeerd: {', '.join(n for n in names if n != sheet_name)}")
    return frame, 1, {}, tuple(notes)


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty rows below the last response (Excel formatting, trailing newlines) are not responses.

    Empty rows between responses stay: validation reports them with their row number.
    """
    filled = frame.notna().any(axis=1).to_numpy()
    last = len(filled) - filled[::-1].argmax() if filled.any() else 0
    return frame.iloc[:last]
