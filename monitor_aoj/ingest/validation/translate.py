"""From GX results to Dutch problems: each failed expectation at (file, row) becomes a Problem, its texts filled
from the catalogue entry of its check with the facts of the item and the value found."""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import Settings
from monitor_aoj.errors import MonitorError
from monitor_aoj.ingest.columns import FUNCTIE, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import answer_key
from monitor_aoj.ingest.read import RawExport
from monitor_aoj.ingest.validation.catalogue import CHECKS, FILE, ID_KEY, Expect
from monitor_aoj.ingest.validation.results import Problem


def text_of(value: object) -> str:
    """A value as the user sees it: '(leeg)' for nothing, whole numbers without '.0'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(leeg)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _allowed(lookup_codes: Iterable[tuple[int | str, str]]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in lookup_codes)


class Describe:
    """Turns a failed expectation at (file, row) into a Dutch Problem."""

    def __init__(self, raws: dict[str, RawExport], q: Questionnaire, settings: Settings,
                 region_names: dict[str, set[str]]):
        self.raws = raws
        self.q = q
        self.settings = settings
        self.known_regions = set().union(*region_names.values()) if region_names else set()
        self.by_row = {name: raw.frame.set_index(ROW, drop=False) for name, raw in raws.items()}

    def respondent(self, file: str, row: int) -> str:
        frame = self.by_row[file]
        if RESPONDENT in frame and row in frame.index:
            return text_of(frame.at[row, RESPONDENT]) if frame.at[row, RESPONDENT] is not None else ""
        return ""

    def found(self, file: str, row: int, canonical: str) -> str:
        frame = self.by_row[file]
        if canonical in frame and row in frame.index:
            value = frame.at[row, canonical]
            coding = self.raws[file].coding.get(canonical)
            label = coding.file_labels.get(answer_key(value)) if coding is not None and value is not None else None
            # The file's own label beside its code: '7 (JGZ-verpleegkundige)' says what the user must decide on.
            return f"{text_of(value)} ({label})" if label and label != text_of(value) else text_of(value)
        return "(leeg)"

    def facts(self, canonical: str, raw: RawExport) -> dict[str, str]:
        facts = {"column": raw.column_name(canonical), "short": canonical, "wave": str(self.q.wave),
                 "region": raw.export.region, "limit": f"{round(self.settings.nonresponse_warning * 100)}%"}
        bg = self.q.background
        choices = {SECTOR: bg.sector.choices, FUNCTIE: bg.functie.choices, SCHOOLTYPE: bg.schooltype.choices}
        if canonical in choices:
            facts["allowed"] = _allowed((c.code, c.label) for c in choices[canonical])
            facts["short"] = canonical
        if self.q.has_item(canonical):
            item = self.q.item(canonical)
            facts["short"] = item.short
            if item.scale is not None:
                scale = item.scale
                facts["allowed"] = _allowed([(c, scale.label(c)) for c in scale.codes] if scale.kind != "cijfer"
                                            else [(f"{scale.minimum}-{scale.maximum}", "cijfer")]) + ", " + _allowed(
                    (m.code, m.label) for m in self.q.missing)
                facts["low"], facts["high"] = str(scale.minimum), str(scale.maximum)
            if item.filter is not None:
                source = self.q.item(item.filter.item)
                facts["filter_short"] = source.short
                facts["filter_answer"] = " of ".join(f"'{source.closed_scale.label(c)}'" for c in item.filter.codes)
        return facts

    def problem(self, check: str, file: str, row: int | None, canonical: str, value: str | None = None,
                hint: str = "", **extra: object) -> Problem:
        """The Problem of `check` at (file, row) naming `canonical`; `extra` facts fill the entry's templates."""
        raw = self.raws[file]
        item_facts = self.facts(canonical, raw)
        facts = {**item_facts, **extra}
        spec = CHECKS[check]
        if value is None:
            value = (spec.value.format(**facts) if isinstance(spec.value, str) and spec.value
                     else self.found(file, row, canonical) if row is not None else "")
        note = " ".join(t for t in (spec.note.format(**facts), hint) if t)
        return Problem(
            check=check, file=raw.name, key=file, row=row,
            respondent=self.respondent(file, row) if row is not None else "",
            column=item_facts["column"] if canonical else "",
            value=value,
            expected=spec.expected.format(**facts),
            action=((note + " ") if note else "") + spec.action.format(**facts),
        )


def _failures(results: list) -> Iterable[tuple[str, str, str, list[dict]]]:
    """(check, column checked, column named, hits) per failed expectation; one that could not run is a bug."""
    for res in results:
        if res.success:
            continue
        meta = res.expectation_config.meta or {}
        check, column = meta["check"], meta["column"]
        if res.exception_info and not res.result:
            raise MonitorError(f"Interne fout bij controle '{check}' op kolom '{meta['checked']}': "
                               f"{res.exception_info}")
        yield check, meta["checked"], column, res.result.get("unexpected_index_list") or []


def translate_rows(results: list, describe: Describe) -> list[Problem]:
    """The problems of the failed expectations of a row batch (every file of one wave)."""
    problems: list[Problem] = []
    for check, _, canonical, hits in _failures(results):
        spec = CHECKS[check]
        if isinstance(spec.found_by, Expect) and spec.found_by.expectation == "ExpectColumnValuesToBeUnique":
            problems += _repeats(check, hits, describe)
            continue
        for hit in hits:
            file, row = hit[FILE], int(hit[ROW])
            value = spec.value(describe, file, row) if callable(spec.value) else describe.found(file, row, canonical)
            hint = spec.hint(describe, file, row, canonical, value) if spec.hint else ""
            problems.append(describe.problem(check, file, row, canonical, value, hint))
    return problems


def _repeats(check: str, hits: list[dict], describe: Describe) -> list[Problem]:
    """A value that must be unique: every occurrence after the first goes into quarantine, naming the row of the
    first."""
    problems = []
    seen: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: (h[FILE], int(h[ROW]))):
        key, file, row = hit[ID_KEY], hit[FILE], int(hit[ROW])
        if key not in seen:
            seen[key] = row
            continue
        spec = CHECKS[check]
        hint = spec.hint(describe, file, row, RESPONDENT, describe.found(file, row, RESPONDENT)) if spec.hint else ""
        problems.append(describe.problem(check, file, row, RESPONDENT, hint=hint, first=seen[key]))
    return problems


def translate_files(results: list, describers: dict[int, Describe], wave_of: dict[str, int],
                    files: pd.DataFrame) -> list[Problem]:
    """The problems of the failed expectations of the file batch (one row per export)."""
    problems = []
    cells = files.set_index(FILE)
    for check, checked, canonical, hits in _failures(results):
        for hit in hits:
            file = hit[FILE]
            # The checked cell itself: a share without answer, a count of rows, 0 for a missing column.
            found = cells.at[file, checked]
            problems.append(describers[wave_of[file]].problem(check, file, None, canonical,
                                                              percent=round(found * 100)))
    return problems
