"""The Great Expectations side: the frames GX checks (row batch: one row per export row; file batch: one row per
export), the suites generated from the catalogue's `Expect` entries, and one ephemeral GX context per run."""

from __future__ import annotations

import os
import re
from types import ModuleType
from typing import Any, Iterable

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.definitions.regions import Settings
from monitor_aoj.ingest.columns import DATE, FUNCTIE, REGION, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import INVALID, NO_ANSWER, VALID, derive_sector, fold, normalise, per_distinct
from monitor_aoj.ingest.read import RawExport, expected_columns
from monitor_aoj.ingest.responses import respondent_ids
from monitor_aoj.ingest.validation.catalogue import (
    ANSWERS,
    CHECKS,
    DECODED,
    FILE,
    HAS_COLUMN,
    ID_KEY,
    NONRESPONSE,
    OUTSIDE_FILTER,
    REGION_FITS,
    ROW_READABLE,
    ROWS,
    SECTOR_FOUND,
    WAVE_FOUND,
    YEAR_FITS,
    Expect,
    Setting,
)


def export_key(raw: RawExport) -> str:
    """Identifies one configured export: region, wave and file (one file may serve several regions)."""
    return f"{raw.export.region}/{raw.export.wave}/{raw.name}"


def closed_items(raw: RawExport, q: Questionnaire) -> list[Item]:
    """The export's closed questionnaire items: the ones with codes to check."""
    return [it for it in q.items_for(raw.export.extras, raw.export.omitted) if not it.is_open and it.id in raw.frame]


def _checked(folded: pd.Series, status: pd.Series) -> pd.Series:
    """The value as GX checks it: DECODED when the export's coding knows it, else the value itself."""
    # In numpy: the same values as Series.where twice, at a fraction of its cost per column.
    values = folded.to_numpy(dtype=object)
    shown = np.where((status == INVALID).to_numpy(), values, DECODED).astype(object)
    shown[pd.isna(values)] = None
    return pd.Series(shown, index=folded.index, dtype=object)


def row_frame(raw: RawExport, q: Questionnaire, all_items: list[Item], region_names: set[str]) -> pd.DataFrame:
    """The values GX checks, one row per export row, keyed by file and row."""
    f = raw.frame
    # Columns gathered first and made into one frame at the end: inserting them one by one copies the frame.
    out: dict[str, object] = {FILE: export_key(raw), ROW: f[ROW].astype("int64")}
    answered = pd.Series(0, index=f.index)
    coded: dict[str, pd.Series] = {}
    for item in all_items:
        if item.id not in f:
            continue
        if item.is_open:
            answered += per_distinct(f[item.id], lambda v: bool(str(v).strip()), False).astype(int)
            continue
        folded = normalise(f[item.id])
        c = raw.decode(item.id)
        out[item.id] = _checked(folded, c.status)
        coded[item.id] = c.code
        answered += (folded.notna() & (c.status != NO_ANSWER)).astype(int)
        if item.filter is not None and item.filter.item in coded:
            eligible = coded[item.filter.item].isin(item.filter.codes).fillna(False).astype(bool)
            outside = (c.status == VALID) & ~eligible
            out[OUTSIDE_FILTER.format(item=item.id)] = folded.where(outside, None).astype(object)
    for column in (SECTOR, FUNCTIE, SCHOOLTYPE):
        if column in f:
            out[column] = _checked(normalise(f[column]), raw.decode(column).status)
    sector, _, _ = derive_sector(f, q, raw.coding, raw.decode)
    out[SECTOR_FOUND] = sector
    faults = dict(raw.row_faults)
    out[ROW_READABLE] = (~f[ROW].isin(faults)).astype(object)
    if RESPONDENT in f:
        ids = respondent_ids(f[RESPONDENT])
        out[RESPONDENT] = ids.astype(object).where(ids.notna(), None)
        out[ID_KEY] = (export_key(raw) + "\x1f" + ids.astype(str)).where(ids.notna(), None)
    out[ANSWERS] = answered
    if DATE in f:
        years = f[DATE].map(_year)
        # An empty date is no evidence of another wave: only a date in another year is.
        out[YEAR_FITS] = years.map(lambda y: None if pd.isna(y) else y == raw.export.wave).astype(object)
    if REGION in f:
        # A row that names no region belongs to none: in an export of several regions it would count in each.
        out[REGION_FITS] = f[REGION].map(
            lambda v: v is not None and bool(str(v).strip()) and fold(v) in region_names).astype(object)
    return pd.DataFrame(out, index=f.index)


def _year(value: object) -> int | None:
    if value is None:
        return None
    if hasattr(value, "year"):
        return int(value.year)
    match = re.search(r"\b(19|20)\d{2}\b", str(value))
    return int(match.group(0)) if match else None


def file_record(raw: RawExport, q: Questionnaire, questionnaires: dict[int, Questionnaire]) -> dict[str, object]:
    """One row for a file: which expected columns it has, its non-response per item, its wave signature."""
    expected = expected_columns(q, raw.export.extras, raw.export.omitted)
    rec: dict[str, object] = {FILE: export_key(raw), ROW: raw.header_rows or 1, ROWS: len(raw.frame)}
    for canonical in list(expected.values()) + ([DATE] if raw.export.date_column else []) + (
            [REGION] if raw.export.region_column else []):
        rec[HAS_COLUMN.format(column=canonical)] = int(canonical not in raw.missing_columns)
    for item in closed_items(raw, q):
        c = raw.decode(item.id)
        asked = c.status.isin([VALID, NO_ANSWER])
        if item.filter is not None and item.filter.item in raw.frame:
            fc = raw.decode(item.filter.item)
            asked &= fc.code.isin(item.filter.codes).fillna(False).astype(bool)
        rec[NONRESPONSE.format(column=item.id)] = float((c.status[asked] == NO_ANSWER).mean()) if asked.any() else None
    rec[WAVE_FOUND] = wave_signature(raw, q, questionnaires)
    return rec


def wave_signature(raw: RawExport, q: Questionnaire, questionnaires: dict[int, Questionnaire]) -> int:
    """The wave whose questionnaire columns this file matches best (the configured wave on a tie)."""
    columns = {fold(c) for c in raw.source.columns if c != ROW}
    # A column the mapping (or its own name) put on an item counts under that item's questionnaire name.
    columns |= {fold(q.item(c).column) for c in raw.frame.columns if q.has_item(c)}

    def share(other: Questionnaire) -> float:
        cols = [fold(it.column) for it in other.items if not it.regional]
        return sum(c in columns for c in cols) / max(1, len(cols))

    own = share(q)
    best = max(questionnaires.values(), key=share)
    return raw.export.wave if own >= 0.5 or share(best) <= own else best.wave



def _prefix(template: str) -> str:
    """'kolom:{column}' -> 'kolom:'."""
    return template.split("{", 1)[0]


def _expectation(gx: ModuleType, expect: Expect, check: str, column: str, names: str,
                 settings: Settings | None) -> Any:
    args = {k: getattr(settings, v.name) if isinstance(v, Setting) else v for k, v in expect.args.items()}
    meta = {"check": check, "checked": column, "column": names}
    return getattr(gx.expectations, expect.expectation)(column=column, meta=meta, **args)


def row_suite(gx: ModuleType, q: Questionnaire, extras: tuple[str, ...], columns: set[str], name: str) -> Any:
    """The row batch's expectations for a wave, of the catalogue's row checks whose columns the batch has:
    per closed item (in questionnaire order) its item checks, then the checks of the row as a whole."""
    suite = gx.ExpectationSuite(name=name)
    row_checks = [(check, spec.found_by) for check, spec in CHECKS.items()
                  if isinstance(spec.found_by, Expect) and not spec.found_by.files]

    def add(check: str, expect: Expect, column: str, filled: str) -> None:
        if column in columns:
            suite.add_expectation(_expectation(gx, expect, check, column, expect.named(column, filled), None))

    for item in q.items_for(extras):
        if item.is_open:
            continue
        for check, expect in row_checks:
            for template in expect.columns:
                if "{item}" in template and (expect.applies is None or expect.applies(item)):
                    add(check, expect, template.format(item=item.id), item.id)
    for check, expect in row_checks:
        for column in expect.columns:
            if "{" not in column:
                add(check, expect, column, column)
    return suite


def file_suite(gx: ModuleType, columns: Iterable[str], settings: Settings, name: str) -> Any:
    """The file batch's expectations: the catalogue's file checks on their own columns, then per column of the
    batch (in its order) the checks of that column's form."""
    suite = gx.ExpectationSuite(name=name)
    file_checks = [(check, spec.found_by) for check, spec in CHECKS.items()
                   if isinstance(spec.found_by, Expect) and spec.found_by.files]
    for check, expect in file_checks:
        for column in expect.columns:
            if "{" not in column:
                suite.add_expectation(_expectation(gx, expect, check, column, expect.named(column, column), settings))
    for column in columns:
        for check, expect in file_checks:
            for template in expect.columns:
                prefix = _prefix(template)
                if "{" in template and column.startswith(prefix):
                    canonical = column[len(prefix):]
                    if expect.applies is None or expect.applies(canonical):
                        suite.add_expectation(_expectation(gx, expect, check, column,
                                                           expect.named(column, canonical), settings))
    return suite


class GX:
    """One ephemeral GX context for the whole run: no files, no progress bars, no network."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx  # heavy (about 3 s): imported only when validating
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        config = DataContextConfig(
            # In memory only: no temporary docs site, no tqdm bars on the user's screen, no analytics.
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            progress_bars=ProgressBarsConfig(globally=False),
            analytics_enabled=False,
        )
        self.context = gx.get_context(project_config=config, mode="ephemeral")
        asset = self.context.data_sources.add_pandas("exports").add_dataframe_asset("rows")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("all")

    def run(self, suite: Any, frame: pd.DataFrame) -> list:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                      "unexpected_index_column_names": [FILE, ROW]})
        return list(result.results)

