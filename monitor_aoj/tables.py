"""Display tables: the Figures of one region and wave arranged per item, for the HTML report and the workbook.

This module only selects and arranges rows of the Figures table; it computes nothing. Both renderers use
it, so the report and the workbook always show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitor_aoj import figures as F
from monitor_aoj.config import Region
from monitor_aoj.questionnaire import Item, Questionnaire

GROUP_LABELS = {F.ONDERWIJS: "Onderwijs", F.JEUGDHULP: "Jeugdhulp", F.TOTAAL: "Totaal"}


@dataclass(frozen=True)
class Accounting:
    """What validation did with this export's rows: read = used + quarantined."""

    rows_read: int
    rows_used: int
    rows_quarantined: int
    errors: int
    warnings: int
    reclassified: int  # respondents whose functie put them in another sector than they ticked


@dataclass(frozen=True)
class ReportInput:
    """Everything the report and workbook of one region and wave are made from."""

    region: Region
    wave: int
    questionnaire: Questionnaire
    figures: pd.DataFrame  # this region and wave only
    earlier_waves: tuple[int, ...]
    report_date: dt.date
    files: tuple[str, ...]  # export file names this report is based on
    accounting: Accounting


@dataclass(frozen=True)
class Cell:
    value: float | None  # fraction (or mean mark); None when there is nothing to show
    k: int | None
    n: int
    suppressed: bool = False
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


@dataclass(frozen=True)
class Row:
    category: str
    label: str
    cells: dict[str, Cell]  # group -> cell
    dont_know: bool = False


@dataclass(frozen=True)
class ItemTable:
    item: Item
    groups: tuple[str, ...]
    rows: tuple[Row, ...]  # one per answer category, in scale order
    positive: Row | None  # combined positive categories
    mean: Row | None  # rapportcijfer only
    insufficient: Row | None  # rapportcijfer only
    nonresponse: Row
    n: dict[str, int]  # base per group


def _cell(rec: pd.Series) -> Cell:
    value = rec["value"]
    value = None if pd.isna(value) else float(value)
    k = rec["k"]
    return Cell(
        value=value,
        k=None if pd.isna(k) else int(k),
        n=int(rec["n"]) if not pd.isna(rec["n"]) else 0,
        suppressed=bool(rec["suppressed"]),
        ci_low=None if pd.isna(rec["ci_low"]) else float(rec["ci_low"]),
        ci_high=None if pd.isna(rec["ci_high"]) else float(rec["ci_high"]),
    )


def _rows(frame: pd.DataFrame, groups: tuple[str, ...], dont_know: set[str] | None = None) -> list[Row]:
    rows = []
    for (order, category), part in frame.groupby(["order", "category"], sort=True):
        by_group = {g: _cell(rec) for g, rec in part.set_index("group").iterrows()}
        label = str(part["label"].iloc[0])
        rows.append(Row(str(category), label, {g: by_group[g] for g in groups if g in by_group},
                        dont_know=str(category) in (dont_know or set())))
    return rows


def item_table(figs: pd.DataFrame, item: Item, groups: tuple[str, ...] = F.SECTOR_GROUPS) -> ItemTable | None:
    """The figures of one closed item (figs: one region and wave). None when the item was not asked."""
    mine = figs[figs["item"] == item.id]
    if mine.empty:
        return None
    by_stat = {stat: part for stat, part in mine.groupby("statistic")}
    dont_know = {str(c) for c in item.scale.dont_know_codes}
    rows = tuple(_rows(by_stat.get(F.SHARE, mine.iloc[:0]), groups, dont_know))

    def single(stat: str) -> Row | None:
        part = by_stat.get(stat)
        if part is None or part.empty:
            return None
        return _rows(part, groups)[0]

    nonresponse = single(F.NONRESPONSE)
    base = {g: (rows[0].cells[g].n if rows and g in rows[0].cells else 0) for g in groups}
    return ItemTable(item, groups, rows, single(F.POSITIVE), single(F.MEAN), single(F.INSUFFICIENT),
                     nonresponse, base)


def background_table(figs: pd.DataFrame, question: str, groups: tuple[str, ...] = F.SECTOR_GROUPS) -> list[Row]:
    """Respondents per functie or schooltype (categories nobody chose are left out)."""
    part = figs[(figs["item"] == question) & (figs["statistic"] == F.COUNT)]
    rows = _rows(part, groups)
    return [r for r in rows if any((c.k or 0) > 0 for c in r.cells.values())]


def sector_sizes(figs: pd.DataFrame) -> dict[str, int]:
    """Respondents per sector and in total, from the background figures."""
    part = figs[(figs["item"] == "sector") & (figs["statistic"] == F.COUNT)]
    sizes = {str(rec["category"]): int(rec["k"]) for _, rec in part.iterrows() if rec["category"]}
    total = int(part["n"].iloc[0]) if len(part) else 0
    return {F.ONDERWIJS: sizes.get(F.ONDERWIJS, 0), F.JEUGDHULP: sizes.get(F.JEUGDHULP, 0), F.TOTAAL: total}


def theme_items(q: Questionnaire, figs: pd.DataFrame, theme: str, open_items: bool = False) -> list[Item]:
    """The items of a theme that this region asked in this wave, in questionnaire order."""
    asked = set(figs["item"].unique())
    return [it for it in q.items if it.theme == theme and (it.is_open == open_items)
            and (open_items or it.id in asked)]
