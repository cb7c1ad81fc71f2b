"""The validation stage: read every export, check all of them in one process with one GX context, and decide per
row: used, or in quarantine with its reason.

Rows of all files that share a questionnaire (wave and regional extras) form one batch, identified by file and row;
a second batch has one row per file for file-level checks (columns present, non-response share). A few checks are
found here rather than by GX (see their catalogue entries). No row is lost: rows read = rows used + rows
quarantined, per file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Callable

import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import CONFIG_NAME, EXTENSION_FORMAT, ExportFile, RegionConfig
from monitor_aoj.dutch import counted, row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.ingest.columns import RESPONDENT, ROW
from monitor_aoj.ingest.decode import INVALID, derive_sector, fold
from monitor_aoj.ingest.layouts import ToolMarks, tool_marks
from monitor_aoj.ingest.mapping import merged_answers
from monitor_aoj.ingest.read import RawExport, read_export
from monitor_aoj.ingest.table import Note
from monitor_aoj.ingest.validation.catalogue import CHECKS, ERROR, FILE, ID_KEY, ROWS, WAVE_FOUND
from monitor_aoj.ingest.validation.results import FileResult, Problem, ValidationResult, problem
from monitor_aoj.ingest.validation.suite import (
    GX,
    closed_items,
    export_key,
    file_record,
    file_suite,
    row_frame,
    row_suite,
)
from monitor_aoj.ingest.validation.translate import Describe, text_of, translate_files, translate_rows


def validate(config: RegionConfig, questionnaires: dict[int, Questionnaire],
             exports: list[ExportFile] | None = None,
             reader: Callable[[ExportFile, Questionnaire], RawExport] = read_export) -> ValidationResult:
    """Read and validate every configured export (or the given ones) in one process.

    Args:
        config: the regions (regios.yaml), with their exports and settings; `nonresponse_warning` is a share
            (0.20 = 20%).
        questionnaires: wave (year) -> questionnaire; every export's wave must be a key.
        exports: the exports to read, in this order; default all of `config.exports`.
        reader: reads one export (default ingest.read.read_export); a ReadError makes that file unreadable.

    Returns:
        ValidationResult: one FileResult per export in the order given (rows read = rows used + rows in
        quarantine; its problems sorted errors first, then by row and column), and `general`: export files in
        the input folder that regios.yaml does not name. Every problem's check is a key of catalogue.CHECKS.

    Raises:
        ConfigError: the export's koppeling (mapping) does not fit the file (read_export); a file that cannot be
            read at all is not raised but reported as its FileResult's error (ReadError, caught per file).
        MonitorError: an expectation could not run (a bug, not a fault in the data).
        KeyError: an export's wave has no questionnaire.
    """
    exports = list(config.exports if exports is None else exports)
    settings = config.settings
    unreadable: list[FileResult] = []
    raws: list[RawExport] = []
    for export in exports:
        try:
            raws.append(reader(export, questionnaires[export.wave]))
        except ReadError as exc:
            unread = problem("bestand_onleesbaar", export.path.name, reason=str(exc))
            unreadable.append(FileResult(export, 0, (unread,), None, pd.DataFrame({"reden": []})))
    if not raws:
        return ValidationResult(files=tuple(unreadable), general=_unconfigured_files(config))
    gx = GX()
    names = {r.id: {fold(r.id), fold(r.name)} for r in config.regions}
    adjusted: dict[str, RawExport] = {}
    early: dict[str, list[Problem]] = {}
    for raw in raws:
        q = questionnaires[raw.export.wave]
        fixed, problems = _apply_spss_missing(raw, q)
        adjusted[export_key(raw)] = fixed
        early[export_key(raw)] = problems + [_note_problem(raw, n) for n in raw.notes if n.warning] + \
            _omitted_columns(raw, q) + _merged_answers(raw, q)
    describers = {w: Describe({n: r for n, r in adjusted.items() if r.export.wave == w}, q, settings, names)
                  for w, q in questionnaires.items()}
    marks = {name: tool_marks(raw.layout, raw.source) for name, raw in adjusted.items()}
    for name, raw in adjusted.items():
        early[name] += _not_responses(raw, marks[name], describers[raw.export.wave], name)

    # A row the tool says is no response takes part in no check that compares rows (a preview's respondent
    # number is no duplicate, its empty answers no non-response); it is only quarantined as what it is.
    responses = {name: _responses_only(raw, marks[name]) for name, raw in adjusted.items()}

    # File level, one batch for all files: columns present, non-response share, which wave it looks like.
    files = pd.DataFrame([file_record(responses[name], questionnaires[r.export.wave], questionnaires)
                          | {ROWS: len(r.frame)} for name, r in adjusted.items()])
    wave_of = {name: raw.export.wave for name, raw in adjusted.items()}
    found = gx.run(file_suite(gx.gx, files.columns, settings, "bestanden"), files)
    file_problems = translate_files(found, describers, wave_of, files)

    # Row level, one batch per wave: the files of a wave share their codes (regional extras are simply
    # empty in files that did not ask them).
    row_problems: list[Problem] = []
    for wave in sorted({r.export.wave for r in adjusted.values()}):
        q = questionnaires[wave]
        members = [r for r in responses.values() if r.export.wave == wave and len(r.frame)]
        if not members:
            continue
        extras = tuple(sorted({x for r in members for x in r.export.extras}))
        ids = []
        for batch in _batches(members, ROWS_PER_BATCH):
            rows = pd.concat([row_frame(_part(r, start, stop), q,
                                         list(q.items_for(r.export.extras, r.export.omitted)),
                                         names.get(r.export.region, set()))
                              for r, start, stop in batch], ignore_index=True)
            suite = row_suite(gx.gx, q, extras, set(rows.columns) - {ID_KEY}, f"rijen-{wave}")
            row_problems += translate_rows(gx.run(suite, rows), describers[wave])
            if ID_KEY in rows:
                ids.append(rows[[FILE, ROW, ID_KEY]])
            del rows
        if ids:
            # Duplicate ids are looked for over all rows of the wave at once, in these three columns only.
            every_id = pd.concat(ids, ignore_index=True)
            suite = row_suite(gx.gx, q, extras, {ID_KEY}, f"nummers-{wave}")
            row_problems += translate_rows(gx.run(suite, every_id), describers[wave])

    signature = dict(zip(files[FILE], files[WAVE_FOUND]))
    results: dict[str, FileResult] = {}
    for name, raw in adjusted.items():
        problems = early[name] + [p for p in file_problems + row_problems if p.key == name]
        # A row the tool says is no response, or one without answers, is one problem: its missing sector or id
        # and its codes would only repeat that.
        whole: dict[int, str] = {}
        for p in problems:
            if p.check in WHOLE_ROW and p.row is not None:
                whole.setdefault(p.row, p.check)
        problems = [p for p in problems if p.row not in whole or p.check == whole[p.row]]
        aside_all = ""
        if signature[name] != raw.export.wave:
            # The whole file belongs to another wave: one clear message instead of hundreds, every row aside.
            other = signature[name]
            problems = [describers[raw.export.wave].problem("andere_meting", name, None, "", other=other)]
            aside_all = CHECKS["andere_meting"].reason.format(other=other, wave=raw.export.wave)
        results[name] = _file_result(raw, problems, questionnaires[raw.export.wave], marks[name], aside_all)
    by_export = {r.export: r for r in list(results.values()) + unreadable}
    return ValidationResult(files=tuple(by_export[e] for e in exports), general=_unconfigured_files(config))


# Checks that judge a row as a whole: the first found is the row's only problem.
WHOLE_ROW = ("testantwoord", "lege_rij")

# GX holds several copies of the rows it checks: a large export is checked in parts of this many rows, and small
# files share one part (one GX run for the whole sample).
ROWS_PER_BATCH = 50_000


def _part(raw: RawExport, start: int, stop: int) -> RawExport:
    """Rows start to stop of an export; the whole export is itself, so that its columns are coded once."""
    if start == 0 and stop == len(raw.frame):
        return raw
    return dataclasses.replace(raw, frame=raw.frame.iloc[start:stop])


def _batches(members: list[RawExport], size: int) -> Iterator[list[tuple[RawExport, int, int]]]:
    """Lists of (export, first row, end row) of at most `size` rows together, in file and row order."""
    batch: list[tuple[RawExport, int, int]] = []
    count = 0
    for raw in members:
        for start in range(0, len(raw.frame), size):
            stop = min(start + size, len(raw.frame))
            if batch and count + stop - start > size:
                yield batch
                batch, count = [], 0
            batch.append((raw, start, stop))
            count += stop - start
    if batch:
        yield batch


def _responses_only(raw: RawExport, marks: ToolMarks) -> RawExport:
    """The export without the rows its tool marks as no response (itself when there are none)."""
    out = marks.not_response.notna()
    if not out.any():
        return raw
    rows = set(raw.source.loc[out, ROW])
    return dataclasses.replace(raw, frame=raw.frame[~raw.frame[ROW].isin(rows)].reset_index(drop=True))


def _omitted_columns(raw: RawExport, q: Questionnaire) -> list[Problem]:
    """A column of an item the region left out (`weglaten`) is not used; the validation report says so."""
    return [problem("weggelaten_kolom", raw.name, column=column, value=q.item(item).short if q.has_item(item) else item,
                    key=export_key(raw))
            for column, item in raw.omitted_columns]


def _merged_answers(raw: RawExport, q: Questionnaire) -> list[Problem]:
    """Different answers of a column that the mapping puts on one answer while others stay empty: a warning."""
    return [problem("antwoorden_samengevoegd", raw.name, column=raw.column_name(column), key=export_key(raw),
                    answers=m.values_text, answer=m.answer, unused=m.unused_text)
            for column, coding in raw.coding.items() if column in raw.frame
            for m in merged_answers(q, raw.export.mapping, column, raw.frame[column], coding)]


def _note_problem(raw: RawExport, note: Note) -> Problem:
    return problem("leesprobleem", raw.name, row=note.row, column=note.column or "", key=export_key(raw),
                   text=note.text)


def _file_result(raw: RawExport, problems: list[Problem], q: Questionnaire, marks: ToolMarks,
                 aside_all: str = "") -> FileResult:
    problems.sort(key=lambda p: (CHECKS[p.check].severity != ERROR, p.row or 0, p.column))
    aside: dict[int, list[str]] = {int(r): [aside_all] for r in raw.frame[ROW]} if aside_all else {}
    for p in problems:
        if p.quarantines and p.row is not None:  # a check that quarantines is a row check: it names its row
            aside.setdefault(p.row, []).append(f"{p.column or 'rij'}: {p.value} (verwacht: {p.expected})")
    keep = ~raw.frame[ROW].isin(aside)
    quarantine = raw.source[raw.source[ROW].isin(aside)].copy()
    quarantine["reden"] = quarantine[ROW].map(lambda r: "; ".join(aside[r]))
    # The rows that go on; the file's own columns are only needed for the quarantine file, written from here.
    clean = dataclasses.replace(raw, frame=raw.frame if keep.all() else raw.frame[keep].reset_index(drop=True),
                                source=raw.source.iloc[:0]).same_frame(raw)
    sector, stated, _ = derive_sector(clean.frame, q, raw.coding, clean.decode)
    moved = clean.frame.loc[stated.notna() & sector.notna() & (sector != stated), ROW].tolist()
    notes = tuple(n.text for n in raw.notes if not n.warning)
    cells = len({(p.row, p.column) for p in problems if CHECKS[p.check].cell and p.row not in aside})
    problems += _more_than_invited(raw, sector) + _unfinished(raw, marks, aside)
    result = FileResult(raw.export, len(raw.frame), tuple(problems), clean, quarantine, notes, tuple(moved), cells)
    assert result.rows_used + result.rows_quarantined == result.rows_read  # no row is lost
    return result


def _more_than_invited(raw: RawExport, sector: pd.Series) -> list[Problem]:
    """More respondents of a sector than `uitgenodigd` says were invited: a warning, not an error. The figures do
    not depend on it (only the response rate does, which the report then leaves out), and a forwarded link can
    really bring in more people than were invited."""
    problems = []
    for name, invited in raw.export.invited:
        answered = int((sector == name).sum())
        if answered > invited:
            phrase = "het onderwijs" if name == "onderwijs" else "de jeugdhulp"
            problems.append(problem("meer_dan_uitgenodigd", raw.name, column="uitgenodigd", key=export_key(raw),
                                    answered=answered, invited=invited, sector=phrase))
    return problems


def _not_responses(raw: RawExport, marks: ToolMarks, describe: Describe, key: str) -> list[Problem]:
    """Rows the survey tool itself marks as no respondent's answer (Qualtrics preview, test, spam)."""
    hit = marks.not_response.notna()
    return [describe.problem("testantwoord", key, int(row), marks.status_column, value=shown, tool=marks.tool,
                             meaning=meaning)
            for row, shown, meaning in zip(raw.source.loc[hit, ROW], marks.shown[hit], marks.not_response[hit])]


def _unfinished(raw: RawExport, marks: ToolMarks, aside: dict[int, list[str]]) -> list[Problem]:
    """Used rows the tool marks as not finished: a warning, for their answers count as far as they go (every
    percentage is on those who answered the item)."""
    used = ~raw.source[ROW].isin(aside)
    hit = marks.unfinished & used
    if not hit.any():
        return []
    rows = raw.source.loc[hit, ROW].tolist()
    ids = raw.frame.loc[hit, RESPONDENT].tolist() if RESPONDENT in raw.frame else [None] * len(rows)
    named = [f"{row} (respondent {text_of(i)})" if i is not None else str(row) for row, i in zip(rows, ids)]
    # "rij 8 (respondent 5)"; "2 rijen: 5 (respondent 2), 9 (respondent 6)": which number is which.
    which = f"rij {named[0]}" if len(rows) == 1 else f"{counted(len(rows), 'rij', 'rijen')}: {row_list(named)}"
    return [problem("niet_afgerond", raw.name, column=marks.finished_column, key=export_key(raw), tool=marks.tool,
                    count=len(rows), used=int(used.sum()), rows=which)]


def _unconfigured_files(config: RegionConfig) -> tuple[Problem, ...]:
    """Export files in the input folder that regios.yaml does not mention would silently be skipped."""
    folder = config.source.parent
    configured = {e.path.resolve() for e in config.exports}
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in EXTENSION_FORMAT and path.is_file() and path.resolve() not in configured \
                and path.name != CONFIG_NAME:
            problems.append(problem("niet_in_config", path.name))
    return tuple(problems)


def _apply_spss_missing(raw: RawExport, q: Questionnaire) -> tuple[RawExport, list[Problem]]:
    """Codes marked missing in the SPSS file that no label or mapping explains count as "geen antwoord"."""
    if not raw.user_missing:
        return raw, []
    frame = raw.frame.copy()
    problems = []
    for item in closed_items(raw, q):
        ranges = raw.user_missing.get(item.id)
        if not ranges:
            continue
        values = pd.to_numeric(frame[item.id], errors="coerce")
        hit = pd.Series(False, index=frame.index)
        for lo, hi in ranges:
            hit |= values.between(lo, hi)
        hit &= raw.decode(item.id).status == INVALID
        if hit.any():
            labels = raw.value_labels.get(item.id, {})
            found = sorted(set(values[hit]))
            shown = ", ".join(f"{text_of(v)} ('{labels[v]}')" if v in labels else text_of(v) for v in found)
            rows = frame.loc[hit, ROW].tolist()
            problems.append(problem("spss_ontbrekend", raw.name, column=raw.column_name(item.id), value=shown,
                                    key=export_key(raw),
                                    rows=f"{counted(len(rows), 'rij', 'rijen')}: {row_list(rows)}"))
            frame[item.id] = frame[item.id].where(~hit, None)  # a blank: no answer
    return dataclasses.replace(raw, frame=frame), problems
