"""Display tables: the Figures of one region and wave arranged per item, for the HTML report and the workbook.

This module only selects and arranges rows of the Figures table; it computes nothing. Both renderers use
it, so the report and the workbook always show the same numbers. The rows are read into cells by cells; the
rows over waves and regions are comparison_rows'; the report model that builds them once is model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from monitor_aoj.definitions.codebooks import OTHER as OTHER_CODE
from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.errors import invariant
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Comparison, Record, Row, category_rows, cell_of, comparison_of, records


@dataclass(frozen=True)
class ItemTable:
    """The figures of one closed item of one region and wave, per answer category and group."""

    item: Item
    groups: tuple[str, ...]
    rows: tuple[Row, ...]  # one per answer category, in scale order
    positive: Row | None  # combined positive categories
    mean: Row | None  # rapportcijfer only
    insufficient: Row | None  # rapportcijfer only
    nonresponse: Row | None  # None when the figures have no non-response row
    n: dict[str, int | None]  # base per group; None: hidden by suppression
    sector_test: Comparison | None = None  # jeugdhulp versus onderwijs

    @property
    def positive_row(self) -> Row:
        """The combined positive categories, which every judged statement has (recommendations.judged); ValueError
        for an item without them."""
        return invariant(self.positive, f"{self.item.id} has no combined positive categories")


def item_table(figs: pd.DataFrame, item: Item, groups: tuple[str, ...] = F.SECTOR_GROUPS) -> ItemTable | None:
    """The figures of one closed item (figs: one region and wave). None when the item was not asked.
    A mirrored item (Item.per_sector) has its sectors only: there is no totaal to show."""
    return _item_table(item, records(figs[figs["item"] == item.id]), groups)


def item_tables(figs: pd.DataFrame, items: Iterable[Item],
                groups: tuple[str, ...] = F.SECTOR_GROUPS) -> dict[str, ItemTable]:
    """item_table of every item, in one pass over the figures.

    Args:
        figs: the Figures rows of one region and wave (figures.schema).
        items: the closed items to arrange (questionnaire.Item), in the order the tables should have.
        groups: the groups to show, of F.SECTOR_GROUPS; a mirrored item (Item.per_sector) never has a totaal.

    Returns:
        Item id -> ItemTable, in the order of `items`; an item that was not asked has no entry. Shares are
        fractions (0.45 is 45%), marks means on 1-10; a suppressed figure keeps its flag and has no base.
    """
    items = list(items)
    by_item: dict[str, list[Record]] = {}
    for rec in records(figs[figs["item"].isin({it.id for it in items})]):
        by_item.setdefault(rec.item, []).append(rec)
    tables = {}
    for item in items:
        table = _item_table(item, by_item.get(item.id, []), groups)
        if table is not None:
            tables[item.id] = table
    return tables


def _item_table(item: Item, everything: list[Record], groups: tuple[str, ...]) -> ItemTable | None:
    """item_table from the item's Figures rows, in the table's order."""
    if item.per_sector:
        groups = tuple(g for g in groups if g != F.TOTAAL)
    by_stat: dict[str, list[Record]] = {}
    for rec in everything:
        if rec.group in groups and rec.statistic != F.TREND_POINT and rec.statistic != F.TREND:
            by_stat.setdefault(rec.statistic, []).append(rec)
    if not by_stat:
        return None
    test = next((rec for rec in everything if rec.statistic == F.SECTOR_TEST), None)
    dont_know = {str(c) for c in item.closed_scale.dont_know_codes}
    rows = tuple(category_rows(by_stat.get(F.SHARE, []), groups, dont_know))

    def single(stat: str) -> Row | None:
        part = by_stat.get(stat)
        return category_rows(part, groups)[0] if part else None

    nonresponse = single(F.NONRESPONSE)
    base = {g: (rows[0].cells[g].n if rows and g in rows[0].cells else 0) for g in groups}
    return ItemTable(item, groups, rows, single(F.POSITIVE), single(F.MEAN), single(F.INSUFFICIENT),
                     nonresponse, base, comparison_of(test) if test is not None else None)


def background_table(figs: pd.DataFrame, question: str, groups: tuple[str, ...] = F.SECTOR_GROUPS) -> list[Row]:
    """Respondents per functie or schooltype (categories nobody chose are left out)."""
    part = figs[(figs["item"] == question) & (figs["statistic"] == F.COUNT)]
    rows = category_rows(part, groups)
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


def responses(sizes: dict[str, int], export: ExportFile) -> list[Response]:
    """Per sector (and in total, when both sectors are configured) respondents against the invited (an
    ExportFile's `invited`). Empty when the configuration gives no numbers."""
    if not export.invited:
        return []
    out = [Response(g, sizes[g], export.invited_in(g)) for g in (F.ONDERWIJS, F.JEUGDHULP)]
    invited = [r.invited for r in out if r.invited is not None]
    if len(invited) == len(out):
        out.append(Response(F.TOTAAL, sizes[F.TOTAAL], sum(invited)))
    return out


def theme_items(q: Questionnaire, figs: pd.DataFrame, theme: str, open_items: bool = False) -> list[Item]:
    """The closed (or open) items of a theme that this region asked in this wave, in questionnaire order."""
    asked = set(figs["item"].unique())
    return [it for it in q.items if it.theme == theme and it.is_open == open_items and it.id in asked]


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
    by_item: dict[str, list[tuple[Record, str]]] = {}
    for rec, partition in zip(records(part), part["partition"].tolist()):
        by_item.setdefault(rec.item, []).append((rec, partition))
    rows = []
    for item in q.items:
        mine = by_item.get(item.id)
        if item.is_open or not mine:
            continue
        cells = {f"{p}/{rec.group}": cell_of(rec) for rec, p in mine}
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
    """An open question of one report: sub-theme rows per group, quotes, and how sure the coding is.

    Args:
        figs: the Figures rows of one region and wave; the question's SUBTHEME rows are read.
        quotes: the chosen quotes (open_answers.answers.OpenAnswers.quotes: item, code, rank, text), any items.
        item: the open question.
        quiet: sub-themes counted in the table but not named in the text.
        groups: the groups to show, of F.SECTOR_GROUPS.
        reviewed: how many of its answers a coordinator reviewed (open_answers.answers.OpenAnswers.review_by_item).

    Returns:
        The OpenQuestion: a Row per sub-theme (k respondents of the n who answered, per group), the quotes per
        sub-theme in rank order, and the answers of all respondents in "Overig" (0 when none is; None when the
        total is hidden). None when the question has no sub-theme figures.
    """
    part = figs[(figs["item"] == item.id) & (figs["statistic"] == F.SUBTHEME) & figs["group"].isin(groups)]
    if part.empty:
        return None
    rows = tuple(category_rows(part, groups))
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
