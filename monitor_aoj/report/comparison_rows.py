"""Comparison rows: an item of one region over its waves (TrendRow) and beside the other regions (BenchmarkRow).

Like the tables, these only select and arrange rows of the Figures table (TREND_POINT, TREND, BENCHMARK); the
tests and their corrections are made in figures.comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Comparison, Record, cell_of, comparison_of, records


@dataclass(frozen=True)
class TrendRow:
    """One item over the waves of one region: the headline figure per wave and the tested changes."""

    item: Item
    points: dict[int, Cell | None]  # wave -> headline figure on the harmonised scale; None: not shown
    status: dict[int, str]  # wave -> "", "niet_gevraagd" or "niet_vergelijkbaar"
    notes: dict[int, str]  # wave -> why not comparable, or a remark on the harmonisation
    changes: dict[int, Comparison]  # earlier wave -> change from it to this wave
    is_mark: bool
    group: str = F.TOTAAL  # whose figures: all respondents, or one sector (a mirrored item)

    @property
    def label(self) -> str:
        """The item's short name; for one sector's row the sector as well ('Vast contactpersoon (onderwijs)')."""
        return self.item.short if self.group == F.TOTAAL else f"{self.item.short} ({self.group})"


def trend_rows(history: pd.DataFrame, q: Questionnaire, wave: int, group: str = F.TOTAAL) -> list[TrendRow]:
    """Per closed item asked in this wave: its figure in every wave of the region up to this one.

    Args:
        history: this region's TREND_POINT and TREND rows of the Figures table (every wave it has).
        q: the questionnaire of the report's wave, for the items and their order.
        wave: the report's wave (a year); later waves are left out.
        group: whose figures: "totaal" (all respondents) or one sector, for the mirrored items.

    Returns:
        One TrendRow per closed item asked in `wave`, in questionnaire order: the headline figure per wave (a
        fraction, or a mean mark), and the tested change from each earlier wave. A wave whose answer scale differs
        from this wave's is marked not comparable (F.NOT_COMPARABLE), with the reason.
    """
    mine = history[(history["group"] == group) & (history["wave"] <= wave)]
    points = mine[mine["statistic"] == F.TREND_POINT]
    changes = mine[(mine["statistic"] == F.TREND) & (mine["wave"] == wave)]
    # Grouped by item once (frame order kept), instead of filtering the history for every item.
    points_of: dict[str, dict[int, tuple[Record, object]]] = {}
    for rec, w, scale in zip(records(points), points["wave"].tolist(), points["scale"].tolist()):
        points_of.setdefault(rec.item, {})[int(w)] = (rec, scale)  # one trend point per item and wave
    changes_of: dict[str, list[Record]] = {}
    for rec in records(changes):
        changes_of.setdefault(rec.item, []).append(rec)
    rows = []
    for item in q.items:
        if item.is_open:
            continue
        pts = points_of.get(item.id, {})
        if wave not in pts or pts[wave][0].verdict == F.NOT_ASKED:
            continue
        cells, status, notes = {}, {}, {}
        reference = pts[wave][1]  # this report's own scale decides what it can be compared with
        for w in sorted(pts):
            rec, scale = pts[w]
            verdict, note = str(rec.verdict), str(rec.note)
            if verdict == "" and scale != reference:
                verdict, note = F.NOT_COMPARABLE, f"andere antwoordschaal dan in {wave}"
            status[w] = verdict
            notes[w] = note
            cells[w] = cell_of(rec) if verdict == "" else None
        comparisons = {int(r.compare_to): comparison_of(r) for r in changes_of.get(item.id, [])}
        rows.append(TrendRow(item, cells, status, notes, comparisons, pts[wave][0].category == "", group))
    return rows


def sector_trend_rows(history: pd.DataFrame, q: Questionnaire, wave: int) -> list[TrendRow]:
    """The trend rows of the mirrored items (Item.per_sector), which have no totaal: one row per sector. Their
    changes are given, not tested (comparisons: only the change of all respondents is tested)."""
    per_sector = {it.id for it in q.items if it.per_sector}
    return [r for g in (F.ONDERWIJS, F.JEUGDHULP) for r in trend_rows(history, q, wave, g) if r.item.id in per_sector]


@dataclass(frozen=True)
class BenchmarkRow:
    item: Item
    own: Cell  # this region, totaal
    others: Cell  # the other regions: value their equal-weight mean, ci_low/ci_high their lowest/highest
    comparison: Comparison  # described, not tested; `against` names the group ("de drie andere regio's ...")
    is_mark: bool

    @property
    def lowest(self) -> float | None:
        return self.others.ci_low

    @property
    def highest(self) -> float | None:
        return self.others.ci_high

    @property
    def regions(self) -> int:
        """How many other regions (figures.schema.BENCHMARK keeps that number in k)."""
        return self.others.k or 0


def benchmark_rows(figs: pd.DataFrame, q: Questionnaire) -> list[BenchmarkRow]:
    """This region beside the other regions in the input, per closed item that has a BENCHMARK row.

    Args:
        figs: the Figures rows of one region and wave.
        q: the questionnaire of that wave, for the items and their order.

    Returns:
        One BenchmarkRow per item, in questionnaire order: the region's own headline figure of all respondents and
        the other regions' equal-weight mean, lowest and highest (described, not tested).
    """
    bench = figs[figs["statistic"] == F.BENCHMARK].set_index("item")
    head = figs[figs["statistic"].isin([F.POSITIVE, F.MEAN]) & (figs["group"] == F.TOTAAL)].set_index("item")
    rows = []
    for item in q.items:
        if item.is_open or item.id not in bench.index or item.id not in head.index:
            continue
        rec, own = bench.loc[item.id], head.loc[item.id]
        rows.append(BenchmarkRow(item, cell_of(own), cell_of(rec), comparison_of(rec), own["statistic"] == F.MEAN))
    return rows
