"""The report's charts, each made from the same tables as the text beside it: per theme an overview of its
statements (both sectors side by side), per theme its statements over the waves, the mark over the waves, and
this region beside the other regions. How a chart is drawn and saved: chart_drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import GROUP_LABELS, HIDDEN, HIDDEN_MARK, VERDICT_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell
from monitor_aoj.report.chart_drawing import (
    GRID_COLOUR,
    MUTED_COLOUR,
    NEGATIVE_COLOURS,
    POSITIVE_COLOURS,
    SECTOR_COLOURS,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    Chart,
    clean_axes,
    make_chart,
    new_figure,
    percent_axis,
    rows_on_percent_axis,
    wrap,
)
from monitor_aoj.report.comparison_rows import BenchmarkRow, TrendRow
from monitor_aoj.report.phrases import ABOUT_OTHER
from monitor_aoj.report.tables import ItemTable

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class OverviewBar:
    """One bar of an overview: the positive share of one sector on one statement (None: hidden)."""

    group: str
    value: float | None  # fraction
    n: int | None


@dataclass(frozen=True)
class OverviewRow:
    label: str  # the statement's short name; for a mirrored item with the sector's own statement
    positive: str  # what counts as positive, e.g. "(helemaal) eens"
    bars: tuple[OverviewBar, ...]
    anchor: str  # item id, for the link to its table in the appendix


def overview_rows(tables: list[ItemTable]) -> list[OverviewRow]:
    """The rows of a theme's overview chart: every statement with a positive share (the mark is not a share and
    is left out); a mirrored item (Item.per_sector) is two statements, so one row per sector with its own bar."""
    rows = []
    for t in tables:
        if t.mean is not None or t.positive is None:
            continue
        asked = [g for g in (F.ONDERWIJS, F.JEUGDHULP) if t.n.get(g, 0) != 0]  # None: hidden, still a bar slot
        if t.item.per_sector:
            # Named as the recommendations name it (recommendations.judged): "Vast contactpersoon (onderwijs over ...)".
            rows += [OverviewRow(f"{t.item.short} ({g} {ABOUT_OTHER[g]})", t.positive.label, (_bar(t, g),),
                                 t.item.id) for g in asked]
        elif asked:
            rows.append(OverviewRow(t.item.short, t.positive.label, tuple(_bar(t, g) for g in asked), t.item.id))
    return rows


def _bar(table: ItemTable, group: str) -> OverviewBar:
    cell = table.positive_row.cells.get(group)
    if cell is None or not cell.shown:
        return OverviewBar(group, None, None)
    return OverviewBar(group, cell.value, cell.n)


def _bar_words(b: OverviewBar) -> str:
    return f"{GROUP_LABELS[b.group].lower()} {HIDDEN if b.value is None else fmt.pct(b.value)}"


def theme_overview(chart_id: str, title: str, tables: list[ItemTable]) -> Chart | None:
    """Horizontal bars: per statement of a theme the share positive in onderwijs and jeugdhulp, labelled, on a
    0-100% axis; a hidden figure has no bar but dutch.HIDDEN_MARK (dutch.HIDDEN in the text alternative). None when
    the theme has no statement with a share (only the mark, or nothing asked)."""
    rows = overview_rows(tables)
    if not rows:
        return None
    alt = ("Staafdiagram, per stelling het percentage respondenten dat positief antwoordt, onderwijs en jeugdhulp "
           "naast elkaar. " + " ".join(f"{r.label} ('{r.positive}'): {', '.join(_bar_words(b) for b in r.bars)}."
                                        for r in rows))

    def draw() -> Figure:
        # One data unit is about 1 cm of figure height: a row is as tall as its bars or its wrapped label,
        # whichever needs more, so two-line labels of neighbouring rows never overlap.
        height, bar_gap, row_gap, label_line = 0.36, 0.03, 0.22, 0.4
        labels = [wrap(r.label) for r in rows]
        blocks = [max(len(r.bars) * (height + bar_gap), (label.count("\n") + 1) * label_line)
                  for r, label in zip(rows, labels)]
        fig = new_figure(1.7 + sum(blocks) + row_gap * len(rows))
        ax = fig.add_subplot()
        clean_axes(ax)
        y, ticks = 0.0, []
        seen = set()
        for r, block in zip(rows, blocks):
            bars = len(r.bars) * (height + bar_gap)
            bar_y = y + (block - bars) / 2 + height / 2
            ticks.append(y + block / 2)
            for b in r.bars:
                colour = SECTOR_COLOURS[b.group]
                name = GROUP_LABELS[b.group] if b.group not in seen else None
                seen.add(b.group)
                if b.value is None:
                    ax.barh(bar_y, 0, height=height, color=colour, label=name)
                    ax.text(1, bar_y, HIDDEN_MARK, va="center", ha="left", fontsize=8, style="italic",
                            color=MUTED_COLOUR)
                else:
                    ax.barh(bar_y, b.value * 100, height=height, color=colour, label=name)
                    ax.text(b.value * 100 + 1, bar_y, fmt.pct(b.value), va="center", ha="left", fontsize=8.5)
                bar_y += height + bar_gap
            y += block + row_gap
        ax.set_ylim(-row_gap / 2, y - row_gap / 2)
        rows_on_percent_axis(fig, ax, ticks, labels, "% dat positief antwoordt")
        return fig

    return make_chart(chart_id, title, alt, draw)


# --- over the waves -----------------------------------------------------------------------------------------------

def _why_missing(row: TrendRow, w: int) -> str:
    return VERDICT_LABELS[F.NOT_ASKED] if row.status.get(w) == F.NOT_ASKED else VERDICT_LABELS[F.NOT_COMPARABLE]


def _shown_points(row: TrendRow, waves: list[int]) -> dict[int, Cell]:
    """Wave -> the row's point there, for the waves (in their order) whose point is shown."""
    return {w: p for w in waves if (p := row.points.get(w)) is not None and p.shown}


def theme_trends(chart_id: str, title: str, rows: list[TrendRow], waves: list[int]) -> Chart | None:
    """Several items of one theme over the waves, one line each (share positive, 0-100%, every wave on the axis);
    gaps where not asked or not comparable. None when no item has two waves to connect."""
    rows = [r for r in rows if not r.is_mark and len(_shown_points(r, waves)) >= 2]
    if not rows:
        return None
    parts = []
    for r in rows:
        shown = _shown_points(r, waves)
        values = [f"{w} {fmt.pct(shown[w].value)}" if w in shown else f"{w} {_why_missing(r, w)}" for w in waves]
        parts.append(f"{r.item.short}: {', '.join(values)}.")
    alt = ("Lijndiagram, per stelling het percentage alle respondenten dat positief antwoordt per meting. "
           + " ".join(parts))

    def draw() -> Figure:
        labels = [wrap(r.item.short, 36) for r in rows]
        # The legend beside the lines sets the height: a line of 7.5 pt is about 0.32 cm, entries 0.14 cm apart.
        fig = new_figure(max(3.8, 0.8 + sum(0.32 * (label.count("\n") + 1) + 0.14 for label in labels)))
        ax = fig.add_subplot()
        clean_axes(ax)
        for i, r in enumerate(rows):
            shown = _shown_points(r, waves)
            ys = [shown[w].figure * 100 if w in shown else float("nan") for w in waves]
            ax.plot(waves, ys, color=SERIES_COLOURS[i % len(SERIES_COLOURS)], linewidth=2,
                    marker=SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)], markersize=6, label=labels[i])
        ax.set_ylim(0, 100)
        percent_axis(ax.yaxis, ax.set_yticks)
        ax.set_xticks(waves, [str(w) for w in waves])
        ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        ax.set_ylabel("% positief")
        fig.legend(loc="outside right upper", ncol=1, frameon=False, fontsize=7.5)
        return fig

    return make_chart(chart_id, title, alt, draw)


def mark_trend(chart_id: str, title: str, row: TrendRow, waves: list[int]) -> Chart | None:
    """The mean mark of all respondents per wave with its 95% interval, on the scale's own axis (1-10), every
    wave labelled; None with fewer than two waves to show."""
    shown = _shown_points(row, waves)
    if len(shown) < 2:
        return None
    scale = row.item.closed_scale
    alt = ("Lijndiagram, het gemiddelde rapportcijfer van alle respondenten per meting. "
           + ", ".join(f"{w}: {fmt.decimal(shown[w].value)}" if w in shown else f"{w}: {_why_missing(row, w)}"
                       for w in waves) + ".")

    def draw() -> Figure:
        fig = new_figure(4.8)
        ax = fig.add_subplot()
        clean_axes(ax)
        xs = [w for w in waves if w in shown]
        points = [shown[w] for w in xs]
        ys = [p.figure for p in points]
        low = [p.figure - p.ci_low if p.ci_low is not None else 0 for p in points]
        high = [p.ci_high - p.figure if p.ci_high is not None else 0 for p in points]
        ax.errorbar(xs, ys, yerr=[low, high], color=POSITIVE_COLOURS[0], ecolor="#6b6b6b", linewidth=2.2,
                    marker="o", markersize=6, capsize=4)
        for x, v in zip(xs, ys):
            ax.annotate(fmt.decimal(v), (x, v), textcoords="offset points", xytext=(8, 4), fontsize=8.5)
        ax.set_ylim(scale.minimum, scale.maximum)
        ax.set_yticks(scale.codes)  # every mark from minimum to maximum
        ax.set_xticks(waves, [str(w) for w in waves])
        ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        ax.set_ylabel("Gemiddeld cijfer")
        return fig

    return make_chart(chart_id, title, alt, draw)


def benchmark_dots(chart_id: str, title: str, rows: list[BenchmarkRow]) -> Chart | None:
    """Per item this region and the mean of the other regions (each weighted equally), with a bar from their
    lowest to their highest figure, on one 0-100% axis. None when there is nothing to compare."""
    rows = [r for r in rows if not r.is_mark and r.own.shown and r.others.value is not None]
    if not rows:
        return None
    alt = ("Stippendiagram, per stelling het percentage positief in deze regio en gemiddeld in de andere regio's "
           "(met hun laagste en hoogste). " + " ".join(
               f"{r.item.short}: deze regio {fmt.pct(r.own.value)}, andere regio's {fmt.pct(r.others.value)}"
               + (f" (van {fmt.pct(r.lowest)} tot {fmt.pct(r.highest)})." if r.regions > 1 else ".") for r in rows))

    def draw() -> Figure:
        fig = new_figure(1.8 + 0.55 * len(rows))
        ax = fig.add_subplot()
        clean_axes(ax)
        ys = list(range(len(rows)))
        others = [r.others.figure * 100 for r in rows]
        lows = [(r.others.figure - (r.lowest if r.lowest is not None else r.others.figure)) * 100 for r in rows]
        highs = [((r.highest if r.highest is not None else r.others.figure) - r.others.figure) * 100 for r in rows]
        ax.errorbar(others, [y + 0.15 for y in ys], xerr=[lows, highs], fmt="D", color=NEGATIVE_COLOURS[-1],
                    markersize=6, capsize=3, linewidth=1.2,
                    label="andere regio's: gemiddelde (laagste tot hoogste)")
        ax.plot([r.own.figure * 100 for r in rows], [y - 0.15 for y in ys], "o", color=POSITIVE_COLOURS[0],
                markersize=7, label="deze regio")
        rows_on_percent_axis(fig, ax, ys, [wrap(r.item.short, 44) for r in rows], "% positief, alle respondenten")
        return fig

    return make_chart(chart_id, title, alt, draw)
