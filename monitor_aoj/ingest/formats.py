"""Export file formats -> a Table: SPSS (.sav, .zsav), CSV (csv_files), Excel (excel_files), LimeSurvey's R export.

Each reader hands over the answers under a recognised header (see layouts.detect) as a Table (table.py).
Nothing is mapped or decoded here (that is read.py); text is made printable once, here, for every output.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.dutch import row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.csv_files import read_csv
from monitor_aoj.ingest.excel_files import misnamed, read_excel
from monitor_aoj.ingest.layouts import Header, parse_r_syntax
from monitor_aoj.ingest.table import Note, Table


def read_table(export: ExportFile, wanted: set[str] | None = None) -> Table:
    """The export as its format reader hands it over: recognised header, body rows, value labels.

    wanted: folded column names that tell the sheet with answers in a workbook of several sheets."""
    if export.format == "spss":
        table = _read_spss(export)
    elif _r_syntax_file(export.path) is not None or export.mapping.layout == "limesurvey-r":
        table = _read_limesurvey_r(export)
    elif export.format == "csv":
        table = read_csv(export)
    else:
        table = read_excel(export, wanted or set())
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


def _read_spss(export: ExportFile) -> Table:
    import pyreadstat  # only needed for .sav files

    def read(**options: Any) -> Any:  # (frame, metadata), as pyreadstat.read_sav returns them
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
        raise ReadError(_unreadable_spss(export.path, exc)) from exc
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


_SPSS_MAGIC = (b"$FL2", b"$FL3")  # the first bytes of a .sav and a .zsav


def _unreadable_spss(path: Path, exc: Exception) -> str:
    """What to tell a user whose SPSS file pyreadstat refuses, in Dutch: its own text is English (and stays in the
    chained cause)."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head[:4] not in _SPSS_MAGIC:
        return misnamed(path, "SPSS-bestand", head)
    if "encoding" in str(exc) or "character set" in str(exc):
        why = "de tekst erin staat in een tekencodering die het programma niet kent"
    else:
        why = "het bestand is onvolledig of beschadigd (bijvoorbeeld een download of kopie die is afgebroken)"
    return (f"{path.name} kan niet als SPSS-bestand worden gelezen: {why}. Sla het in SPSS opnieuw op als .sav, of "
            "exporteer de antwoorden als .csv of .xlsx.")


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
    table = read_csv(export)
    names, texts, values = parse_r_syntax(syntax.read_text(encoding="utf-8-sig", errors="replace"))
    width = len(table.header.names)
    header = Header(
        "limesurvey-r", table.header.rows,
        tuple(names.get(i, table.header.names[i]) for i in range(width)),
        tuple(texts.get(i) or table.header.names[i] for i in range(width)),
        ("",) * width, table.header.metadata)
    table.header = header
    table.labels = {pos: {code: label for code, label in labels.items()}
                    for pos, labels in values.items() if pos < width}
    table.notes.append(Note("bestandsinfo", f"labels uit {syntax.name}"))
    return table
