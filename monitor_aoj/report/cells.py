"""Cells: one row of the Figures table read into the plain values every display table is made of.

A Cell is one figure (a share or a mean mark, with its k, n, interval and suppression), a Comparison one tested
difference, a Row the cells of one answer category per group. Reading is column-wise (Record), so no pandas
call is made per row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from monitor_aoj.errors import invariant
from monitor_aoj.figures import schema as F


@dataclass(frozen=True)
class Cell:
    """One figure of one group as the report prints it."""

    value: float | None  # fraction (or mean mark); None when there is nothing to show
    k: int | None
    n: int | None  # the base; None when suppression hid it (it would give a hidden count away)
    suppressed: bool = False
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed

    @property
    def figure(self) -> float:
        """The value of a cell that has one (callers check `shown` first); ValueError for an empty cell."""
        return invariant(self.value, "this cell has no figure to show")


@dataclass(frozen=True)
class Comparison:
    """A tested difference: sector versus sector, wave versus wave, or region versus the other regions."""

    diff: float | None  # fraction (percentage points / 100) or mark points
    p: float | None
    p_adjusted: float | None
    test: str
    verdict: str
    note: str = ""
    against: str = ""  # what it is compared with, in words ("de drie andere regio's")

    @property
    def significant(self) -> bool:
        return self.verdict == F.SIGNIFICANT

    @property
    def tested(self) -> bool:
        return self.p_adjusted is not None


@dataclass(frozen=True)
class Row:
    """One answer category (or sub-theme, functie, ...): its cell per group."""

    category: str
    label: str
    cells: dict[str, Cell]  # group -> cell
    dont_know: bool = False


def _num(value: Any) -> float | None:  # a pandas scalar
    return None if pd.isna(value) else float(value)


def comparison_of(rec: pd.Series) -> Comparison:
    """A Comparison from a Figures row (diff, p_value, p_adjusted, test, verdict, note, compare_to)."""
    return Comparison(_num(rec["diff"]), _num(rec["p_value"]), _num(rec["p_adjusted"]), str(rec["test"]),
                      str(rec["verdict"]), str(rec["note"]), str(rec["compare_to"]))


def is_na(value: object) -> bool:
    """pd.isna for one plain value (None, pd.NA or a float NaN), without pandas' per-call cost."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def cell_of(rec: Any) -> Cell:
    """A Cell from a Figures row (a Series or a Record: pandas values, Any to mypy)."""
    value, k, n = rec["value"], rec["k"], rec["n"]
    return Cell(
        value=None if is_na(value) else float(value),
        k=None if is_na(k) else int(k),
        n=None if is_na(n) else int(n),
        suppressed=bool(rec["suppressed"]),
        ci_low=None if is_na(rec["ci_low"]) else float(rec["ci_low"]),
        ci_high=None if is_na(rec["ci_high"]) else float(rec["ci_high"]),
    )


class Record(NamedTuple):
    """The columns of one Figures row that the display tables read, as plain Python values."""

    item: str
    group: str
    statistic: str
    order: int
    category: str
    label: str
    value: float
    k: object  # int or pd.NA
    n: object
    suppressed: bool
    ci_low: float
    ci_high: float
    diff: float
    p_value: float
    p_adjusted: float
    test: str
    verdict: str
    note: str
    compare_to: str

    def __getitem__(self, key: Any) -> Any:  # rec["value"], as for a row of the frame
        return getattr(self, key) if isinstance(key, str) else tuple.__getitem__(self, key)


def records(frame: pd.DataFrame) -> list[Record]:
    """The rows of a Figures table as Records, in the frame's order (one column at a time: no per-row pandas).
    A column the frame lacks (a part of the table, as in a test) is None in every record."""
    columns = [frame[c].tolist() if c in frame.columns else [None] * len(frame) for c in Record._fields]
    return list(map(Record._make, zip(*columns)))


def category_rows(frame: pd.DataFrame | list[Record], groups: tuple[str, ...],
                  dont_know: set[str] | None = None) -> list[Row]:
    """One Row per answer category of Figures rows (a frame or its Records), in scale order (by order, then
    category; rows without either are left out, as groupby leaves them out); per group the last row's cell."""
    recs = records(frame) if isinstance(frame, pd.DataFrame) else frame
    parts: dict[tuple, list[Record]] = {}
    for rec in recs:
        if not (is_na(rec.order) or is_na(rec.category)):
            parts.setdefault((rec.order, rec.category), []).append(rec)
    rows = []
    for key in sorted(parts):
        part = parts[key]
        by_group = {rec.group: cell_of(rec) for rec in part}
        category = str(key[1])
        rows.append(Row(category, str(part[0].label), {g: by_group[g] for g in groups if g in by_group},
                        dont_know=category in (dont_know or set())))
    return rows
