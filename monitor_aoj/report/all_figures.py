"""The figure table 'Alle cijfers': every row of the Figures table with the Dutch name beside each code, as the
last sheet of a region's workbook and as the run-wide alle_cijfers.xlsx and alle_cijfers.csv (every region and
wave of a run). Labels of coded values come from the labels table (dutch.py); names of regions, themes, items
and background answers from the regions and the questionnaires.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.dutch import BACKGROUND_LABELS, GROUP_LABELS, OTHER_GROUP_LABELS, STATISTIC_LABELS, VERDICT_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.report.sheet_writer import (
    DIFF_MARK2,
    DIFF_PCT2,
    MARK2,
    PCT2,
    Book,
    P,
    add_table,
    csv_text,
    integer_text,
    rounded,
)


class FigureLabels:
    """Dutch labels of the ids in the Figures table: region names, theme and item titles and group names, from
    the questionnaire of the row's wave (or, for an item no longer asked, of another wave that has it)."""

    def __init__(self, questionnaires: Mapping[int, Questionnaire], regions: Mapping[str, str]):
        self.questionnaires = dict(questionnaires)
        self.regions = dict(regions)
        # Thousands of rows share a few hundred ids: each looked up once. (wave, id) -> Dutch label.
        self.theme: Callable[[int, str], str] = functools.cache(self._theme)
        self.item: Callable[[int, str], str] = functools.cache(self._item)
        self.group: Callable[[int, str], str] = functools.cache(self._group)

    def _in(self, wave: int) -> list[Questionnaire]:
        first = self.questionnaires.get(wave)
        return ([first] if first is not None else []) + [q for w, q in sorted(self.questionnaires.items(),
                                                                               reverse=True) if w != wave]

    def _theme(self, wave: int, theme_id: str) -> str:
        for q in self._in(wave):
            for t in q.themes:
                if t.id == theme_id:
                    return f"{t.number}. {t.title}"
        return BACKGROUND_LABELS.get(theme_id, "")

    def _item(self, wave: int, item_id: str) -> str:
        for q in self._in(wave):
            if q.has_item(item_id):
                return q.item(item_id).short
        return BACKGROUND_LABELS.get(item_id, "")

    def _group(self, wave: int, group: str) -> str:
        if group in GROUP_LABELS:
            return GROUP_LABELS[group]
        if group in OTHER_GROUP_LABELS:
            return OTHER_GROUP_LABELS[group]
        question, _, code = group.partition(":")
        for q in self._in(wave):
            for c in getattr(getattr(q.background, question, None), "choices", ()):
                if str(c.code) == code:
                    return c.label
        return "Niet ingevuld" if code else group


FIGURE_HEADER = ["Regio-id", "Regio", "Meting", "Thema-id", "Thema", "Vraag-id", "Vraag", "Soort groep",
                 "Groep-id", "Groep", "Deel van", "Statistiek", "Categorie", "Label", "Aantal (k)", "Basis (n)",
                 "Waarde", "95%-BI onder", "95%-BI boven", "Vergeleken met", "Verschil", "Toets", "p-waarde",
                 "p-waarde (gecorrigeerd)", "Oordeel", "Toelichting", "Onderdrukt"]
FIGURE_WIDTHS = [14, 16, 9, 12, 28, 26, 34, 12, 14, 22, 11, 22, 10, 26, 10, 10, 10, 12, 12, 14, 10, 26, 10, 14, 16,
                 40, 11]


def figure_rows(figs: pd.DataFrame, labels: FigureLabels) -> tuple[list[list], list[list]]:
    """The rows of 'Alle cijfers' (columns FIGURE_HEADER) and their number formats, one per Figures row, for a
    region's workbook and for the run-wide alle_cijfers.xlsx/.csv alike.

    figs: a Figures table (figures.schema.COLUMNS), any regions and waves. Values are rounded by ROUNDING: shares as
    fractions to FRACTION_DECIMALS (format 0.00%), marks to MARK_DECIMALS, p-values to P_DECIMALS; counts, bases,
    waves and numeric answer categories are integers; a hidden (suppressed) figure is an empty cell."""
    rows, formats = [], []
    for rec in figs.itertuples(index=False):
        # A mean mark and every comparison of marks (no answer category) are marks, not percentages.
        is_mark = rec.statistic == F.MEAN or (rec.statistic in (F.TREND_POINT, F.TREND, F.BENCHMARK, F.SECTOR_TEST)
                                               and rec.category == "")
        value_format = MARK2 if is_mark else PCT2
        diff_format = DIFF_MARK2 if is_mark else DIFF_PCT2
        wave = int(rec.wave)

        def num(x: Any, number_format: str) -> float | None:  # x: a pandas value
            return None if pd.isna(x) else rounded(x, number_format)

        rows.append([rec.region, labels.regions.get(rec.region, rec.region), wave, rec.theme,
                     labels.theme(wave, rec.theme), rec.item, labels.item(wave, rec.item), rec.group_type, rec.group,
                     labels.group(wave, rec.group), GROUP_LABELS.get(rec.partition, rec.partition),
                     STATISTIC_LABELS.get(rec.statistic, rec.statistic), integer_text(rec.category),
                     rec.label,  # a name, as the report prints it; the number is in Categorie
                     None if pd.isna(rec.k) else int(rec.k), None if pd.isna(rec.n) else int(rec.n),
                     num(rec.value, value_format), num(rec.ci_low, value_format), num(rec.ci_high, value_format),
                     integer_text(rec.compare_to) or None, num(rec.diff, diff_format), rec.test or None,
                     num(rec.p_value, P), num(rec.p_adjusted, P),
                     VERDICT_LABELS.get(rec.verdict, rec.verdict) or None, rec.note or None,
                     "ja" if rec.suppressed else "nee"])
        formats.append([None] * 16 + [value_format] * 3 + [None, diff_format, None, P, P, None, None, None])
    return rows, formats


def all_figures_sheet(book: Book, figs: pd.DataFrame, labels: FigureLabels) -> None:
    """The sheet 'Alle cijfers' of a region's workbook: the rows of figs (a Figures table), as figure_rows."""
    rows, formats = figure_rows(figs, labels)
    add_table(book, "Alle cijfers", FIGURE_HEADER, rows, formats, FIGURE_WIDTHS)


def render_all_figures(figs: pd.DataFrame, questionnaires: Mapping[int, Questionnaire], regions: Mapping[str, str],
                       report_date: dt.date) -> tuple[bytes, str]:
    """The run-wide figure table alle_cijfers: every region and wave of a run, in one table.

    Args:
        figs: a suppressed Figures table (figures.schema.COLUMNS), one row per region x wave x item x group x
            statistic x category, any regions and waves.
        questionnaires: the questionnaire of each wave (names of themes, items and background answers).
        regions: region id -> the region's name.
        report_date: the creation date written into the workbook.

    Returns:
        (.xlsx bytes, .csv text with its BOM): the columns FIGURE_HEADER and one row per Figures row, sorted by
        region and wave, as each workbook's 'Alle cijfers' has them (figure_rows: shares as fractions, marks on
        their 1-10 scale, rounded by sheet_writer.ROUNDING; a hidden figure is an empty cell). The CSV is as a
        Dutch Excel reads it (sheet_writer.csv_text). The same input gives the same bytes.

    Raises:
        Nothing of its own: the figures are checked before this stage.
    """
    labels = FigureLabels(questionnaires, regions)
    ordered = figs.sort_values(["region", "wave"], kind="stable")
    rows, formats = figure_rows(ordered, labels)
    book = Book(dt.datetime.combine(report_date, dt.time()), "Monitor AOJ alle cijfers")
    add_table(book, "Alle cijfers", FIGURE_HEADER, rows, formats, FIGURE_WIDTHS)
    return book.close(), csv_text(FIGURE_HEADER, rows)
