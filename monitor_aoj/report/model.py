"""The report model: everything one region-wave's report is made from, and the display tables built from it
once and shared by the HTML report, the Word document and the workbook.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import Region
from monitor_aoj.report.comparison_rows import (
    BenchmarkRow,
    TrendRow,
    benchmark_rows,
    sector_trend_rows,
    trend_rows,
)
from monitor_aoj.report.tables import ItemTable, item_tables

if TYPE_CHECKING:  # read for its type only: the open answers are built (and imported) by the pipeline
    from monitor_aoj.open_answers.answers import OpenAnswers

_T = TypeVar("_T")


@dataclass(frozen=True)
class Accounting:
    """What validation did with this export's rows: read = used + quarantined."""

    rows_read: int
    rows_used: int
    rows_quarantined: int
    errors: int
    warnings: int
    reclassified: int  # respondents whose functie put them in another sector than they ticked
    cells_set_aside: int = 0  # answers with an invalid value, set aside (counted as non-response)
    part: str = ""  # the part of the export read, when it has several ("werkblad 'Data'")
    skipped: tuple[str, ...] = ()  # what the export holds beyond the rows read, in Dutch (other sheets, end lines)


@dataclass(frozen=True)
class ReportInput:
    """Everything the report and workbook of one region and wave are made from: the report model.

    Made by the pipeline, one per region and wave; the HTML report, the Word document and the workbook read it
    and the display tables built from it (item_tables, trends, sector_trends, benchmarks: each built once, on
    first use). figures holds the Figures rows of this region and wave (figures.schema, one row per item x group
    x statistic x category); history this region's TREND_POINT and TREND rows of every wave up to this one.
    """

    region: Region
    wave: int
    questionnaire: Questionnaire
    figures: pd.DataFrame  # this region and wave only
    earlier_waves: tuple[int, ...]
    report_date: dt.date
    files: tuple[tuple[str, str], ...]  # (file name, SHA-256) of the exports this report is based on
    accounting: Accounting
    history: pd.DataFrame  # this region's trend points and trends up to this wave
    minimum_base: int
    open_answers: OpenAnswers | None = None  # anonymised and coded open answers, quotes
    max_quotes: int = 3
    references: tuple = ()  # references.ReferenceValue of every wave, from the user's file (`referentie`)
    # The questionnaires of every wave, by wave: labels for the history's items that this wave no longer asks.
    questionnaires: Mapping[int, Questionnaire] = field(default_factory=dict)

    # Built once per report and shared by the HTML report, the Word document and the workbook: they show the
    # same objects, and the figures are read once. Kept beside the input (_shared), not in its __dict__, so a
    # copy made from its fields starts without them.
    @property
    def item_tables(self) -> dict[str, ItemTable]:
        """Item id -> display table of every closed item of this report's questionnaire that was asked (an item
        not asked has no entry), in questionnaire order (see item_tables)."""
        return _shared(self, "item_tables", lambda: item_tables(
            self.figures, [it for it in self.questionnaire.items if not it.is_open]))

    @property
    def trends(self) -> list[TrendRow]:
        """trend_rows of all respondents, this report's wave."""
        return _shared(self, "trends", lambda: trend_rows(self.history, self.questionnaire, self.wave))

    @property
    def sector_trends(self) -> list[TrendRow]:
        """sector_trend_rows: the mirrored items' trend rows, one per sector."""
        return _shared(self, "sector_trends", lambda: sector_trend_rows(self.history, self.questionnaire, self.wave))

    @property
    def benchmarks(self) -> list[BenchmarkRow]:
        """benchmark_rows of this report."""
        return _shared(self, "benchmarks", lambda: benchmark_rows(self.figures, self.questionnaire))


# id of a live ReportInput -> what was built from it (a ReportInput holds frames, so it cannot be a dict key).
_BUILT: dict[int, dict[str, Any]] = {}


def _shared(data: ReportInput, name: str, build: Callable[[], _T]) -> _T:
    """build(), once per ReportInput object; forgotten when the object goes (before its id can be reused).
    The input is frozen; its frames are not to be changed in place once a renderer has read them."""
    built = _BUILT.get(id(data))
    if built is None:
        built = _BUILT[id(data)] = {}
        weakref.finalize(data, _BUILT.pop, id(data), None)
    if name not in built:
        built[name] = build()
    return built[name]
