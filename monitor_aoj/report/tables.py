"""Display tables: the Figures of one region and wave arranged per item, for the HTML report and the workbook.

This module only selects and arranges rows of the Figures table; it computes nothing. Both renderers use
it, so the report and the workbook always show the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from monitor_aoj.definitions.codebooks import OTHER as OTHER_CODE
from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.definitions.regions import Region
from monitor_aoj.figures import schema as F


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


@dataclass(frozen=True)
class ReportInput:
    """Everything the report and workbook of one region and wave are made from."""

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
    open_answers: "OpenAnswers | None" = None  # anonymised and coded open answers, quotes  # noqa: F821
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
_BUILT: dict[int, dict[str, object]] = {}


def _shared(data: ReportInput, name: str, build):
    """build(), once per ReportInput object; forgotten when the object goes (before its id can be reused).
    The input is frozen; its frames are not to be changed in place once a renderer has read them."""
    built = _BUILT.get(id(data))
    if built is None:
        built = _BUILT[id(data)] = {}
        weakref.finalize(data, _BUILT.pop, id(data), None)
    if name not in built:
        built[name] = build()
    return built[name]


@dataclass(frozen=True)
class Cell:
    value: float | None  # fraction (or mean mark); None when there is nothing to show
    k: int | None
    n: int | None  # the base; None when suppression hid it (it would give a hidden count away)
    suppressed: bool = False
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


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


def _num(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _comparison(rec: pd.Series) -> Comparison:
    return Comparison(_num(rec["diff"]), _num(rec["p_value"]), _num(rec["p_adjusted"]), str(rec["test"]),
                      str(rec["verdict"]), str(rec["note"]), str(rec["compare_to"]))


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
    n: dict[str, int | None]  # base per group; None: hidden by suppression
    sector_test: Comparison | None = None  # jeugdhulp versus onderwijs


def _na(value) -> bool:
    """pd.isna for one plain value (None, pd.NA or a float NaN), without pandas' per-call cost."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(rec) -> Cell:
    """A Cell from a Figures row (a Series or a _Record)."""
    value, k, n = rec["value"], rec["k"], rec["n"]
    return Cell(
        value=None if _na(value) else float(value),
        k=None if _na(k) else int(k),
        n=None if _na(n) else int(n),
        suppressed=bool(rec["suppressed"]),
        ci_low=None if _na(rec["ci_low"]) else float(rec["ci_low"]),
        ci_high=None if _na(rec["ci_high"]) else float(rec["ci_high"]),
    )


class _Record(NamedTuple):
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

    def __getitem__(self, key):  # rec["value"], as for a row of the frame
        return getattr(self, key) if isinstance(key, str) else tuple.__getitem__(self, key)


def _records(frame: pd.DataFrame) -> list[_Record]:
    """The rows of a Figures table as _Records, in the frame's order (one column at a time: no per-row pandas).
    A column the frame lacks (a part of the table, as in a test) is None in every record."""
    columns = [frame[c].tolist() if c in frame.columns else [None] * len(frame) for c in _Record._fields]
    return list(map(_Record._make, zip(*columns)))


def _rows(frame: pd.DataFrame | list[_Record], groups: tuple[str, ...], dont_know: set[str] | None = None) -> list[Row]:
    """One Row per answer category of Figures rows (a frame or its _Records), in scale order (by order, then
    category; rows without either are left out, as groupby leaves them out); per group the last row's cell."""
    records = _records(frame) if isinstance(frame, pd.DataFrame) else frame
    parts: dict[tuple, list[_Record]] = {}
    for rec in records:
        if not (_na(rec.order) or _na(rec.category)):
            parts.setdefault((rec.order, rec.category), []).append(rec)
    rows = []
    for key in sorted(parts):
        part = parts[key]
        by_group = {rec.group: _cell(rec) for rec in part}
        category = str(key[1])
        rows.append(Row(category, str(part[0].label), {g: by_group[g] for g in groups if g in by_group},
                        dont_know=category in (dont_know or set())))
    return rows


def item_table(figs: pd.DataFrame, item: Item, groups: tuple[str, ...] = F.SECTOR_GROUPS) -> ItemTable | None:
    """The figures of one closed item (figs: one region and wave). None when the item was not asked.
    A mirrored item (Item.per_sector) has its sectors only: there is no totaal to show."""
    return _item_table(item, _records(figs[figs["item"] == item.id]), groups)


def item_tables(figs: pd.DataFrame, items: Iterable[Item],
                groups: tuple[str, ...] = F.SECTOR_GROUPS) -> dict[str, ItemTable]:
    """item_table of every item in one pass over figs (one region and wave): item id -> ItemTable, in the order
    of `items`; an item that was not asked has no entry."""
    items = list(items)
    by_item: dict[str, list[_Record]] = {}
    for rec in _records(figs[figs["item"].isin({it.id for it in items})]):
        by_item.setdefault(rec.item, []).append(rec)
    tables = {}
    for item in items:
        table = _item_table(item, by_item.get(item.id, []), groups)
        if table is not None:
            tables[item.id] = table
    return tables


def _item_table(item: Item, everything: list[_Record], groups: tuple[str, ...]) -> ItemTable | None:
    """item_table from the item's Figures rows, in the table's order."""
    if item.per_sector:
        groups = tuple(g for g in groups if g != F.TOTAAL)
    by_stat: dict[str, list[_Record]] = {}
    for rec in everything:
        if rec.group in groups and rec.statistic != F.TREND_POINT and rec.statistic != F.TREND:
            by_stat.setdefault(rec.statistic, []).append(rec)
    if not by_stat:
        return None
    test = next((rec for rec in everything if rec.statistic == F.SECTOR_TEST), None)
    dont_know = {str(c) for c in item.scale.dont_know_codes}
    rows = tuple(_rows(by_stat.get(F.SHARE, []), groups, dont_know))

    def single(stat: str) -> Row | None:
        part = by_stat.get(stat)
        return _rows(part, groups)[0] if part else None

    nonresponse = single(F.NONRESPONSE)
    base = {g: (rows[0].cells[g].n if rows and g in rows[0].cells else 0) for g in groups}
    return ItemTable(item, groups, rows, single(F.POSITIVE), single(F.MEAN), single(F.INSUFFICIENT),
                     nonresponse, base, _comparison(test) if test is not None else None)


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


@dataclass(frozen=True)
class Response:
    """How many of the professionals invited in a group (`uitgenodigd` in regios.yaml) took part in this report."""

    group: str  # onderwijs, jeugdhulp or totaal
    respondents: int
    invited: int | None  # None: not configured

    @property
    def rate(self) -> float | None:
        """respondents / invited as a fraction; None when not configured or when more answered than were
        invited (the validation warns: the number invited is then not the population that answered)."""
        if not self.invited or self.respondents > self.invited:
            return None
        return self.respondents / self.invited


def responses(sizes: dict[str, int], export) -> list[Response]:
    """Per sector (and in total, when both sectors are configured) respondents against the invited (an
    ExportFile's `invited`). Empty when the configuration gives no numbers."""
    if not export.invited:
        return []
    out = [Response(g, sizes[g], export.invited_in(g)) for g in (F.ONDERWIJS, F.JEUGDHULP)]
    if all(r.invited is not None for r in out):
        out.append(Response(F.TOTAAL, sizes[F.TOTAAL], sum(r.invited for r in out)))
    return out


def theme_items(q: Questionnaire, figs: pd.DataFrame, theme: str, open_items: bool = False) -> list[Item]:
    """The closed (or open) items of a theme that this region asked in this wave, in questionnaire order."""
    asked = set(figs["item"].unique())
    return [it for it in q.items if it.theme == theme and it.is_open == open_items and it.id in asked]


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
    """Per closed item asked in this wave: its figure in every wave of the region up to this one."""
    mine = history[(history["group"] == group) & (history["wave"] <= wave)]
    points = mine[mine["statistic"] == F.TREND_POINT]
    changes = mine[(mine["statistic"] == F.TREND) & (mine["wave"] == wave)]
    # Grouped by item once (frame order kept), instead of filtering the history for every item.
    points_of: dict[str, dict[int, tuple[_Record, object]]] = {}
    for rec, w, scale in zip(_records(points), points["wave"].tolist(), points["scale"].tolist()):
        points_of.setdefault(rec.item, {})[int(w)] = (rec, scale)  # one trend point per item and wave
    changes_of: dict[str, list[_Record]] = {}
    for rec in _records(changes):
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
            cells[w] = _cell(rec) if verdict == "" else None
        comparisons = {int(r.compare_to): _comparison(r) for r in changes_of.get(item.id, [])}
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
        """How many other regions (figures.BENCHMARK keeps that number in k)."""
        return self.others.k or 0


def benchmark_rows(figs: pd.DataFrame, q: Questionnaire) -> list[BenchmarkRow]:
    bench = figs[figs["statistic"] == F.BENCHMARK].set_index("item")
    head = figs[figs["statistic"].isin([F.POSITIVE, F.MEAN]) & (figs["group"] == F.TOTAAL)].set_index("item")
    rows = []
    for item in q.items:
        if item.is_open or item.id not in bench.index or item.id not in head.index:
            continue
        rec, own = bench.loc[item.id], head.loc[item.id]
        rows.append(BenchmarkRow(item, _cell(own), _cell(rec), _comparison(rec), own["statistic"] == F.MEAN))
    return rows


@dataclass(frozen=True)
class BreakdownRow:
    item: Item
    label: str  # the positive label, or "gemiddeld cijfer"
    cells: dict[str, Cell]  # group ("functie:12", ...) -> headline figure


def breakdown_groups(figs: pd.DataFrame, question: str, q: Questionnaire) -> list[tuple[str, str, str]]:
    """(group, partition, Dutch label) of every breakdown group present, in questionnaire order."""
    part = figs[figs["group_type"] == question][["group", "partition"]].drop_duplicates()
    choices = getattr(q.background, question).choices
    order = {f"{question}:{c.code}": (i, c.label) for i, c in enumerate(choices)}
    out = []
    for group, partition in part.itertuples(index=False):
        index, label = order.get(group, (len(choices), "Niet ingevuld"))
        out.append((index, {F.ONDERWIJS: 0, F.JEUGDHULP: 1}.get(partition, 2), group, partition, label))
    return [(g, p, lab) for _, _, g, p, lab in sorted(out)]


def breakdown_rows(figs: pd.DataFrame, question: str, q: Questionnaire) -> list[BreakdownRow]:
    """Per closed item the headline figure of every functie (within its sector) or schooltype."""
    part = figs[figs["group_type"] == question]
    by_item: dict[str, list[tuple[_Record, str]]] = {}
    for rec, partition in zip(_records(part), part["partition"].tolist()):
        by_item.setdefault(rec.item, []).append((rec, partition))
    rows = []
    for item in q.items:
        mine = by_item.get(item.id)
        if item.is_open or not mine:
            continue
        cells = {f"{p}/{rec.group}": _cell(rec) for rec, p in mine}
        rows.append(BreakdownRow(item, str(mine[0][0].label), cells))
    return rows


@dataclass(frozen=True)
class OpenQuestion:
    """An open question in the report: how many answered, sub-themes per sector, and the chosen quotes."""

    item: Item
    n: dict[str, int | None]  # answers per group; None: hidden by suppression
    rows: tuple[Row, ...]  # one per sub-theme, "Overig" last
    quotes: dict[str, tuple[str, ...]]  # sub-theme id -> quotes, in order
    quiet: frozenset[str] = frozenset()  # sub-themes counted in the table but not named in the text
    other: int | None = None  # answers of all respondents in "Overig" (no sub-theme); None: hidden or unknown
    reviewed: int = 0  # answers whose coding a coordinator reviewed (open_answers.review_by_item)

    @property
    def answers(self) -> int | None:
        """Answers of all respondents (the base of the Overig share); None when hidden."""
        return self.n.get(F.TOTAAL)

    @property
    def other_share(self) -> float | None:
        """The share of the answers in "Overig" (fraction), or None when it cannot be shown."""
        if self.other is None or not self.answers:
            return None
        return self.other / self.answers


def open_question(figs: pd.DataFrame, quotes: pd.DataFrame, item: Item, quiet: frozenset[str] = frozenset(),
                  groups: tuple[str, ...] = F.SECTOR_GROUPS, reviewed: int = 0) -> OpenQuestion | None:
    """An open question of one report: sub-theme rows per group, quotes, the answers in "Overig" (from the
    totaal row; 0 when no answer is in Overig) and how many answers a coordinator reviewed (reviewed, passed in
    from open_answers.OpenAnswers.review_by_item). None when the question has no sub-theme figures."""
    part = figs[(figs["item"] == item.id) & (figs["statistic"] == F.SUBTHEME) & figs["group"].isin(groups)]
    if part.empty:
        return None
    rows = tuple(_rows(part, groups))
    n = {}
    for g in groups:
        bases = part.loc[part["group"] == g, "n"]
        n[g] = 0 if bases.empty else None if bases.isna().all() else int(bases.max())
    mine = quotes[quotes["item"] == item.id].sort_values("rank") if len(quotes) else quotes
    by_code = {code: tuple(q["text"]) for code, q in mine.groupby("code", sort=False)} if len(mine) else {}
    other = None
    if n.get(F.TOTAAL) is not None:
        cell = next((r.cells.get(F.TOTAAL) for r in rows if r.category == OTHER_CODE), None)
        # Figures leave out an "Overig" row when no answer is in it (open_answers.subtheme_figures).
        other = 0 if cell is None else (cell.k if cell.shown else None)
    return OpenQuestion(item, n, rows, by_code, quiet, other, reviewed)


def nonresponse_range(figs: pd.DataFrame) -> tuple[float, float] | None:
    """Lowest and highest item non-response among all respondents, as shown under the item tables."""
    part = figs[(figs["statistic"] == F.NONRESPONSE) & (figs["group"] == F.TOTAAL) & figs["value"].notna()]
    if part.empty:
        return None
    return float(part["value"].min()), float(part["value"].max())
