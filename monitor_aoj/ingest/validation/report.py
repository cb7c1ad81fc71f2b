"""Render the validation: per file a Dutch HTML page and a CSV of its problems, the quarantined rows as CSV,
and one overview page for the whole run.

CSV files are written the way Dutch Excel opens them without questions: ';' and UTF-8 with a byte-order mark.
Cells that start with '=', '+', '-' or '@' get a leading apostrophe, so no value from an export can act as a
formula when the file is opened.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Callable, Mapping

import jinja2

from monitor_aoj import __version__
from monitor_aoj import dutch as fmt
from monitor_aoj.ingest.columns import ROW
from monitor_aoj.ingest.validation.catalogue import CHECKS, ERROR
from monitor_aoj.ingest.validation.results import FileResult, Problem, ValidationResult
from monitor_aoj.outputs import TEMPLATES, region_folder, write_atomic

PROBLEM_HEADER = ["Ernst", "Bestand", "Rij", "Respondent", "Kolom", "Gevonden waarde", "Verwacht", "Wat te doen",
                  "Soort controle"]


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def problem_row(p: Problem) -> list[object]:
    return [p.severity, p.file, "" if p.row is None else p.row, p.respondent, p.column, p.value, p.expected, p.action,
            p.title]


Scrub = Callable[[str], str]


def _keep(text: str) -> str:
    return text


def _scrubber(anonymiser: Callable, year: int) -> Scrub:
    """Texts of this wave through the region's anonymiser; an empty text stays as it is."""
    return lambda text: anonymiser(text, year=year).text if text else text


def scrubbed(problems: tuple[Problem, ...], scrub: Scrub) -> tuple[Problem, ...]:
    """What a user typed (a value, an id, a row quoted in a message) may hold personal details; the
    anonymiser sees it first."""
    return tuple(dataclasses.replace(p, value=scrub(p.value), respondent=scrub(p.respondent), action=scrub(p.action))
                 for p in problems)


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell in SPSS
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def problems_csv(problems: tuple[Problem, ...]) -> bytes:
    return _csv(PROBLEM_HEADER, [problem_row(p) for p in problems])


def quarantine_csv(result: FileResult, scrub: Scrub = _keep) -> bytes:
    """The rows put aside, as found, but with every text passed through the anonymiser: the row number is
    enough to find the original in the user's own export."""
    frame = result.quarantine
    columns = [c for c in frame.columns if c not in (ROW, "reden")]
    header = ["rij", "reden"] + columns
    # Every cell as text through the anonymiser: a phone number typed in a number column is a number.
    rows = [[rec[ROW], scrub(rec["reden"])] + [None if v is None else scrub(_cell_text(v)) for v in
                                               (rec[c] for c in columns)] for rec in frame.to_dict("records")]
    return _csv(header, rows)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def file_names(result: FileResult) -> dict[str, str]:
    stem = f"{result.export.region}_{result.export.wave}"
    return {"html": f"validatie_{stem}.html", "csv": f"validatie_{stem}.csv", "quarantine": f"quarantaine_{stem}.csv"}


def write_validation(validation: ValidationResult, output: Path,
                     anonymisers: Mapping[str, Callable] | None = None) -> dict[str, Path]:
    """Write the validation report: per export an HTML page, a CSV of its problems and (when rows were put aside) a
    quarantine CSV, in <output>/<region>/<wave>/; and for the run validatie.html and validatie.csv in `output`.

    CSV files are ';'-separated UTF-8 with a byte-order mark, one row per problem (PROBLEM_HEADER; "Soort controle"
    is the check's catalogue title). An old quarantine file of an export without quarantined rows is removed.

    Args:
        validation: the result of validation.validate.
        output: the output folder (created where needed).
        anonymisers: region id -> Anonymiser, applied to every text taken from an export (values, respondent ids,
            actions that quote a value, quarantined cells); none: texts as found.

    Returns:
        "overzicht" -> path of validatie.html, and file name -> path of that export's HTML page.

    Raises:
        OSError: a file could not be written (files are written whole or not at all, see outputs.write_atomic).
        jinja2.TemplateError: a validation template is missing or broken.
    """
    env = _environment()
    check_names = {check: spec.title for check, spec in CHECKS.items()}  # "Soort controle" on the pages
    written: dict[str, Path] = {}
    links = []
    all_problems: list[Problem] = []
    for result in validation.files:
        anonymiser = (anonymisers or {}).get(result.export.region)
        scrub = _scrubber(anonymiser, result.export.wave) if anonymiser else _keep
        result = dataclasses.replace(result, problems=scrubbed(result.problems, scrub))
        all_problems += result.problems
        folder = region_folder(output, result.export.region, result.export.wave)
        names = file_names(result)
        write_atomic(folder / names["csv"], problems_csv(result.problems))
        quarantine_path = folder / names["quarantine"]
        if result.rows_quarantined:
            write_atomic(quarantine_path, quarantine_csv(result, scrub))
        elif quarantine_path.exists():
            quarantine_path.unlink()  # an old quarantine file would tell a story that is no longer true
        html = env.get_template("validatie.html.j2").render(
            r=result, check_names=check_names, names=names, version=__version__, ERROR=ERROR)
        written[result.name] = write_atomic(folder / names["html"], html)
        links.append((result, f"{result.export.region}/{result.export.wave}/{names['html']}"))
    overview = env.get_template("validatie_overzicht.html.j2").render(
        v=validation, links=links, check_names=check_names, version=__version__, ERROR=ERROR)
    written["overzicht"] = write_atomic(output / "validatie.html", overview)
    write_atomic(output / "validatie.csv", problems_csv(tuple(all_problems) + validation.general))
    return written


def accounting_lines(validation: ValidationResult) -> list[str]:
    """The accounting printed after every run: rows read = rows used + rows quarantined, per file naming the sheet
    it read and what it did not read (other sheets, empty lines at the end)."""
    lines = []
    for f in validation.files:
        cells = f"; {fmt.counted(f.cells_set_aside, 'antwoord', 'antwoorden')} apart gezet" if f.cells_set_aside else ""
        lines.append(f"{f.source}: {f.rows_read} gelezen = {f.rows_used} gebruikt + {f.rows_quarantined} in "
                     f"quarantaine ({fmt.counted(len(f.errors), 'fout', 'fouten')}, "
                     f"{fmt.counted(len(f.warnings), 'waarschuwing', 'waarschuwingen')}{cells})"
                     + "".join(f"; {text}" for text in f.skipped))
    cells = (f"; {fmt.counted(validation.cells_set_aside, 'antwoord', 'antwoorden')} apart gezet"
             if validation.cells_set_aside else "")
    rows = fmt.noun(validation.rows_read, "rij", "rijen")  # "1 rij gelezen", not "1 rijen"
    lines.append(f"Totaal: {validation.rows_read} {rows} gelezen = {validation.rows_used} gebruikt + "
                 f"{validation.rows_quarantined} in quarantaine{cells}")
    return lines
