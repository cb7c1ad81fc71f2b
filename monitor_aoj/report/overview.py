"""The national overview of a run, written once at the root of the output folder.

- overzicht_regios.xlsx and overzicht_regios.csv: one row per region and wave, with its respondents (totaal,
  onderwijs, jeugdhulp), the mean mark per group and the headline figure of every closed item for all
  respondents;
- overzicht_regios.html: per wave, theme and item how the regions' headline figures are spread (how many
  regions, lowest, quartiles, median, highest, the regions at the extremes, and a strip plot in inline SVG).

The headline figure is the one the reports and the benchmark use (comparisons.headline_rows: the positive share, or
the mean of a mark). Only what suppression left to show is used: a hidden figure is an empty cell and is in no
distribution. Values are stored as sheet_writer rounds them (ROUNDING: a share as a fraction with 6 decimals,
a mark with 4), and the distribution is computed from exactly those stored values, so whoever recomputes it from
the CSV (KWARTIEL.INC) finds the same numbers. The same input gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from monitor_aoj import __version__
from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.dutch import GROUP_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import headline_rows
from monitor_aoj.report.sheet_writer import (
    INTRO_WIDTHS,
    MARK,
    PCT,
    ROW_POINTS,
    Book,
    add_table,
    csv_text,
    print_setup,
    rounded,
    wrapped_lines,
)

NAME = "overzicht_regios"
MARK_GROUPS = (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP)  # the order of the respondent columns
FIXED_HEADER = ["Regio-id", "Regio", "Meting"] + [f"Respondenten {GROUP_LABELS[g].lower()}" for g in MARK_GROUPS]
MARK_RANGE = (1.0, 10.0)  # the axis of a mark's strip plot; a share runs from 0 to 1
PRINT_SCALE = 70  # percent: the overview sheet printed readable, over pages across
EXTREMES_NAMED = 3  # more regions tied at the lowest or highest: the first three by name, then how many more
SPREAD_MINIMUM = 2  # regions with a shown figure that a distribution needs

# The notes of the workbook and the page, each written once.
HEADLINE_NOTE = ("Per vraag staat het hoofdcijfer van alle respondenten, zoals het rapport van de regio het noemt: "
                 "het percentage dat positief antwoordde (bijvoorbeeld '(helemaal) eens' of 'ja'); bij het "
                 "rapportcijfer het gemiddelde cijfer, ook per sector.")
LEFT_OUT_NOTE = ("Gespiegelde stellingen (elke sector kreeg een eigen stelling) hebben geen cijfer voor alle "
                 "respondenten en de eigen vragen van één regio zijn niet te vergelijken: die staan alleen in het "
                 "rapport van de regio.")
QUARTILE_NOTE = ("Laagste, kwartielen, mediaan en hoogste zijn berekend over de regio's met een getoond cijfer, "
                 "uit de waarden in overzicht_regios.csv, zoals KWARTIEL.INC in Excel dat doet.")


def suppression_note(minimum_base: int) -> str:
    return (f"Een lege cel: geen cijfer om te tonen. De vraag is niet gesteld in die regio en meting, of minder dan "
            f"{minimum_base} respondenten beantwoordden hem, of het cijfer is verborgen zodat een verborgen cijfer "
            "niet terug te rekenen is. Zo'n regio telt niet mee in de verdeling.")


def overview_files(output: Path) -> tuple[Path, Path, Path]:
    """The overview at the root of the output folder: (overzicht_regios.xlsx, .csv, .html)."""
    return output / f"{NAME}.xlsx", output / f"{NAME}.csv", output / f"{NAME}.html"


@dataclass(frozen=True)
class Column:
    """One figure column of the table: an item's headline figure for one group, under one headline label. An
    item whose headline meant something else in another wave (another label: "overal" where later waves count
    "overal of bij de meerderheid") gets a column per label, so no column mixes two figures."""

    item: Item
    wave: int  # the latest wave of this column's waves: its wording is taken from there
    theme: str  # "3. Samenwerking in de zorg", as the latest wave that asked the item has it (one table per theme)
    group: str  # F.TOTAAL; a mark also per sector
    is_mark: bool
    label: str  # what the figure is: "% (helemaal) eens", "gemiddeld cijfer"
    header: str
    waves: frozenset[int]  # the waves in which some region was asked it under this label (shown or not)
    key: str = ""  # the headline rows' label this column holds (Figures table column `label`)


@dataclass(frozen=True)
class Line:
    """One region and wave."""

    region: str
    name: str
    wave: int
    sizes: dict[str, int]  # respondents per group, as tables.sector_sizes counts them
    values: tuple[float | None, ...]  # per Column: the stored (rounded) value; None: nothing shown


def overview_table(figs: pd.DataFrame, questionnaires: Mapping[int, Questionnaire],
                   regions: Mapping[str, str]) -> tuple[list[Column], list[Line]]:
    """The figure columns and one Line per region and wave in figs (a suppressed Figures table, any regions and
    waves), sorted by region id and wave. A column is an (item, group, headline label): see Column. Shares are
    fractions (0.32 is 32%), marks on their 1-10 scale, both rounded by sheet_writer.ROUNDING."""
    head = headline_rows(figs)
    kinds = head.groupby("item")["statistic"].agg(lambda s: F.MEAN in set(s))
    # Per item and group: each headline label with the waves that used it, the latest label first.
    used: dict[tuple[str, str], dict[str, set[int]]] = {}
    for item_id, group, wave, label in sorted(head[["item", "group", "wave", "label"]].drop_duplicates()
                                              .itertuples(index=False), key=lambda t: (-int(t[2]), t[3])):
        used.setdefault((item_id, group), {}).setdefault(label, set()).add(int(wave))
    marks: list[Column] = []
    items: list[Column] = []
    seen: set[str] = set()
    for wave in sorted(questionnaires, reverse=True):  # the latest wording of an item first
        q = questionnaires[wave]
        for item in q.items:
            if item.is_open or item.per_sector or item.owner or item.id in seen or item.id not in kinds.index:
                continue
            seen.add(item.id)
            theme = next((f"{t.number}. {t.title}" for t in q.themes if t.id == item.theme), "")
            is_mark = bool(kinds[item.id])
            for g in MARK_GROUPS if is_mark else (F.TOTAAL,):
                # A sector no region had: an empty column all the same, so every mark has its three.
                labels = used.get((item.id, g)) or used.get((item.id, F.TOTAAL), {})
                for label, waves in labels.items():
                    what = label if is_mark else f"% {label}"
                    # Said in the header only where the item has more than one: which figure the column holds.
                    tags = ([GROUP_LABELS[g].lower()] if is_mark else []) + ([what] if len(labels) > 1 else [])
                    header = f"{item.short} ({', '.join(tags)})" if tags else item.short
                    latest = max(waves)
                    (marks if is_mark else items).append(Column(_wording(questionnaires, latest, item), latest, theme,
                                                                g, is_mark, what, header, frozenset(waves), label))
    columns = _unique(marks + items)
    index = {(c.item.id, c.group, c.key): i for i, c in enumerate(columns)}
    shown = head[~head["suppressed"] & head["value"].notna()]
    values = {(r, int(w), index[(i, g, lab)]): v for r, w, i, g, lab, v in
              shown[["region", "wave", "item", "group", "label", "value"]].itertuples(index=False)
              if (i, g, lab) in index}
    sizes = _sizes(figs)
    lines = []
    for region, wave in sorted(sizes):
        cells = []
        for n, c in enumerate(columns):
            v = values.get((region, wave, n))
            cells.append(None if v is None else rounded(v, MARK if c.is_mark else PCT))
        lines.append(Line(region, regions.get(region, region), wave, sizes[(region, wave)], tuple(cells)))
    return columns, lines


def _wording(questionnaires: Mapping[int, Questionnaire], wave: int, item: Item) -> Item:
    """The item as the questionnaire of `wave` words it; the given item if that wave lacks it."""
    q = questionnaires.get(wave)
    return next((i for i in q.items if i.id == item.id), item) if q is not None else item


def _sizes(figs: pd.DataFrame) -> dict[tuple[str, int], dict[str, int]]:
    """tables.sector_sizes of every region and wave in figs at once (a call per region-wave costs seconds at
    national scale): each sector's k from the sector's count rows, all respondents the first row's base; 0
    without them. tests/test_overview checks that both agree."""
    part = figs[(figs["item"] == "sector") & (figs["statistic"] == F.COUNT)]
    out = {(r, int(w)): dict.fromkeys(MARK_GROUPS, 0) for r, w in figs[["region", "wave"]].drop_duplicates()
           .itertuples(index=False)}
    based = set()
    for r, w, category, k, n in part[["region", "wave", "category", "k", "n"]].itertuples(index=False):
        sizes = out[(r, int(w))]
        if category in (F.ONDERWIJS, F.JEUGDHULP):
            sizes[category] = int(k)
        if (r, w) not in based:
            based.add((r, w))
            sizes[F.TOTAAL] = int(n)
    return out


def _unique(columns: list[Column]) -> list[Column]:
    """An Excel Table needs unique headers: a short name used twice gets its item id."""
    taken = set(FIXED_HEADER)
    out = []
    for c in columns:
        header = c.header if c.header not in taken else f"{c.header} ({c.item.id})"
        taken.add(header)
        out.append(dataclasses.replace(c, header=header))
    return out


@dataclass(frozen=True)
class Spread:
    """The distribution of one item's headline figure over the regions of one wave."""

    column: Column
    regions: int  # with a shown figure
    low: float | None = None  # None when fewer than two regions have a figure
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    high: float | None = None
    lowest: str = ""  # the region(s) at the lowest figure, by name
    highest: str = ""
    dots: tuple[float, ...] = ()  # every region's figure, ascending
    note: str = ""  # "niet te vergelijken met 2016: andere antwoordschaal"

    def x(self, value: float, width: float) -> float:
        """Where value stands on a strip plot `width` pixels wide (shares 0-100%, marks 1-10)."""
        lo, hi = MARK_RANGE if self.column.is_mark else (0.0, 1.0)
        return round((min(max(value, lo), hi) - lo) / (hi - lo) * width, 1)

    def ticks(self, width: float) -> list[tuple[float, float, bool]]:
        """(x, value, labelled) of the axis ticks: 0-100% by quarters, or every whole mark."""
        if self.column.is_mark:
            return [(self.x(v, width), v, v in (1.0, 5.0, 10.0)) for v in np.arange(1.0, 10.5, 1.0)]
        return [(self.x(v, width), v, v in (0.0, 0.5, 1.0)) for v in (0.0, 0.25, 0.5, 0.75, 1.0)]


def spread(column: Column, named: list[tuple[str, float]], note: str = "") -> Spread:
    """The spread of (region name, stored value) pairs; with fewer than SPREAD_MINIMUM, how many there are and
    the one figure (dots, lowest) if there is one. note: said under the item (not_comparable_notes)."""
    if len(named) < SPREAD_MINIMUM:
        return Spread(column, len(named), lowest=_names(named, named[0][1]) if named else "",
                      dots=tuple(float(v) for _, v in named), note=note)
    values = np.array([v for _, v in named])
    low, q1, median, q3, high = (float(x) for x in np.percentile(values, [0, 25, 50, 75, 100]))
    return Spread(column, len(named), low, q1, median, q3, high, _names(named, low), _names(named, high),
                  tuple(sorted(float(v) for v in values)), note)


def _names(named: list[tuple[str, float]], value: float) -> str:
    at = sorted(name for name, v in named if v == value)
    more = len(at) - EXTREMES_NAMED
    return ", ".join(at[:EXTREMES_NAMED]) + (f" en {more} andere" if more > 0 else "")


NOT_COMPARABLE_NOTE = "niet te vergelijken met {waves}: andere antwoordschaal"


def not_comparable_notes(figs: pd.DataFrame) -> dict[tuple[str, int], str]:
    """(item, wave) -> the note that the item's figure of all respondents cannot be compared with some other
    wave, for every pair of waves a trend row of the Figures table calls F.NOT_COMPARABLE (in any region); said
    in both waves of a pair. Other (item, wave): no key."""
    rows = figs[(figs["statistic"] == F.TREND) & (figs["verdict"] == F.NOT_COMPARABLE) & (figs["group"] == F.TOTAAL)]
    others: dict[tuple[str, int], set[int]] = {}
    for item, wave, earlier in rows[["item", "wave", "compare_to"]].drop_duplicates().itertuples(index=False):
        others.setdefault((item, int(wave)), set()).add(int(earlier))
        others.setdefault((item, int(earlier)), set()).add(int(wave))
    return {key: NOT_COMPARABLE_NOTE.format(waves=_joined(sorted(waves))) for key, waves in others.items()}


def _joined(waves: list[int]) -> str:
    return " en ".join(filter(None, [", ".join(str(w) for w in waves[:-1]), str(waves[-1])]))


def spreads(columns: list[Column], lines: list[Line], notes: Mapping[tuple[str, int], str] | None = None
            ) -> dict[int, list[tuple[str, list[Spread]]]]:
    """Per wave (latest first), per theme (questionnaire order): the Spread of each item's figure of all
    respondents, for the items some region of that wave was asked, under that wave's own label (the column that
    holds the wave). notes: (item, wave) -> a note under the item (not_comparable_notes)."""
    notes = notes or {}
    out = {}
    for wave in sorted({line.wave for line in lines}, reverse=True):
        mine = [line for line in lines if line.wave == wave]
        themes: dict[str, list[Spread]] = {}
        for i, c in enumerate(columns):
            if c.group != F.TOTAAL or wave not in c.waves:
                continue
            named = [(line.name, value) for line in mine if (value := line.values[i]) is not None]
            themes.setdefault(c.theme, []).append(spread(c, named, notes.get((c.item.id, wave), "")))
        out[wave] = sorted(themes.items(), key=lambda t: _theme_number(t[0]))
    return out


def _theme_number(title: str) -> tuple[int, str]:
    number, _, _ = title.partition(".")
    return (int(number), title) if number.isdigit() else (10**6, title)


def render_overview(figs: pd.DataFrame, questionnaires: Mapping[int, Questionnaire], regions: Mapping[str, str],
                    report_date: dt.date, minimum_base: int) -> tuple[bytes, str, str]:
    """The national overview of a run: every region and wave side by side.

    Args:
        figs: a suppressed Figures table (figures.schema.COLUMNS), one row per region x wave x item x group x
            statistic x category, any regions and waves.
        questionnaires: the questionnaire of each wave (items, their wording and themes).
        regions: region id -> the region's name.
        report_date: the creation date written into the workbook and the page.
        minimum_base: the run's minimum base (respondents), named in the notes.

    Returns:
        (.xlsx bytes, .csv text with its BOM, .html text): one row per region and wave with its respondents per
        group and the headline figure of every column (overview_table); shares as fractions with a percentage
        format (0.32 shows as 32%), marks on their 1-10 scale, as sheet_writer.ROUNDING stores them; the page
        shows per wave, theme and item how the regions' figures are spread. The same input gives the same bytes.

    Raises:
        Nothing of its own: the figures are checked before this stage, and headers are made unique (_unique) as
        an Excel Table needs.
    """
    columns, lines = overview_table(figs, questionnaires, regions)
    header = FIXED_HEADER + [c.header for c in columns]
    rows = [[ln.region, ln.name, ln.wave] + [ln.sizes[g] for g in MARK_GROUPS] + list(ln.values) for ln in lines]
    formats = [[None] * len(FIXED_HEADER) + [MARK if c.is_mark else PCT for c in columns]] * len(rows)
    book = Book(dt.datetime.combine(report_date, dt.time()), "Monitor AOJ overzicht van alle regio's")
    _intro(book, lines, report_date, minimum_base)
    sheet = add_table(book, "Overzicht regio's", header, rows, formats, [14, 18, 9, 13, 13, 13] + [14] * len(columns))
    sheet.ws.freeze_panes(1, 3)  # the region and wave stay in view beside every figure
    # Dozens of figure columns shrunk onto one page width would be unreadable: printed over several pages
    # across instead, each with the region and wave.
    sheet.ws.set_print_scale(PRINT_SCALE)
    sheet.ws.repeat_columns(0, 2)
    add_table(book, "Vragen", ["Kolom", "Thema", "Vraag-id", "Stelling of vraag", "Cijfer", "Groep", "Metingen"],
           [[c.header, c.theme, c.item.id, c.item.text(), c.label, GROUP_LABELS[c.group],
             ", ".join(str(w) for w in sorted(c.waves))] for c in columns],
           [[None] * 7] * len(columns), [40, 32, 26, 110, 32, 11, 16])
    return (book.close(), csv_text(header, rows),
            _html(columns, lines, not_comparable_notes(figs), report_date, minimum_base))


def _intro(book: Book, lines: list[Line], report_date: dt.date, minimum_base: int) -> None:
    s = book.sheet("Toelichting")
    s.put(1, "Monitor Aansluiting Onderwijs Jeugd – overzicht van alle regio's", bold=True, size=14)
    s.ws.set_row(0, 22)
    s.row += 2
    waves = sorted({ln.wave for ln in lines})
    for label, value in (("Regio's", len({ln.region for ln in lines})),
                         ("Metingen", waves[0] if len(waves) == 1 else ", ".join(str(w) for w in waves)),
                         ("Rapporten (regio en meting)", len(lines)), ("Gemaakt met", f"monitor_aoj {__version__}"),
                         ("Datum", report_date)):
        s.put(1, label, bold=True)
        s.put(2, value, left=True)
        s.row += 1
    s.row += 1
    s.put(1, "Zo leest u dit werkboek", bold=True, size=12)
    s.row += 1
    notes = [("Werkblad 'Overzicht regio's': één rij per regio en meting; een Excel-tabel (tbl_overzicht_regios) "
              "om te filteren, sorteren of een draaitabel van te maken. Werkblad 'Vragen': per kolom de volledige "
              "stelling of vraag en welk cijfer erin staat."),
             HEADLINE_NOTE,
             "Percentages zijn echte getallen met een percentage-opmaak (0,32 is 32%); rekenen kan dus direct.",
             suppression_note(minimum_base), LEFT_OUT_NOTE,
             "De verdeling van de regio's per vraag staat in overzicht_regios.html; alle cijfers in alle_cijfers.xlsx."]
    for note in notes:
        text = f"• {note}"
        s.ws.merge_range(s.row, 0, s.row, 1, "", book.format(left=True, wrap=True))
        s.put(1, text, left=True, wrap=True)
        s.ws.set_row(s.row, wrapped_lines(text, sum(INTRO_WIDTHS)) * ROW_POINTS + 2)
        s.row += 1
    for i, w in enumerate(INTRO_WIDTHS):
        s.ws.set_column(i, i, w)
    print_setup(s.ws)


CHART_WIDTH = 220  # pixels of a strip plot's axis; the SVG adds a margin either side for the dots


def _html(columns: list[Column], lines: list[Line], notes: Mapping[tuple[str, int], str], report_date: dt.date,
          minimum_base: int) -> str:
    from monitor_aoj.report.html import _environment

    by_wave = spreads(columns, lines, notes)
    waves = [{"wave": w, "regions": sum(1 for ln in lines if ln.wave == w),
              "respondents": sum(ln.sizes[F.TOTAAL] for ln in lines if ln.wave == w), "themes": themes}
             for w, themes in by_wave.items()]
    return _environment().get_template(f"{NAME}.html.j2").render(
        waves=waves, regions=len({ln.region for ln in lines}), reports=len(lines), report_date=report_date,
        notes=[HEADLINE_NOTE, suppression_note(minimum_base)]
        + ([QUARTILE_NOTE] if len({ln.region for ln in lines}) >= SPREAD_MINIMUM else []) + [LEFT_OUT_NOTE],
        width=CHART_WIDTH, version=__version__, name=NAME, minimum=SPREAD_MINIMUM)
