"""Charts as SVG (inline in the HTML) and PNG (Word, the chart folder), drawn with matplotlib.

matplotlib is imported inside the drawing functions only, so `monitor-aoj --help` stays fast. Every chart is
drawn on its own Figure (no pyplot state), in DejaVu Sans (bundled with matplotlib, so the same glyphs on every
machine), and its SVG is deterministic: fixed hash salt, no date, ids prefixed with the chart id so that several
charts inline in one page never share an id. Colours: a diverging teal/brown scheme that stays readable for
colour-blind readers; text on a bar is black or white, whichever has the higher contrast (WCAG AA asks 4.5:1).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import GROUP_LABELS, HIDDEN_LABEL, VERDICT_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.report.narrative import ABOUT_OTHER
from monitor_aoj.report.tables import ItemTable

POSITIVE_COLOURS = ["#01665e", "#35978f", "#80cdc1"]  # strongest first
NEGATIVE_COLOURS = ["#dfc27d", "#bf812d", "#8c510a"]  # weakest first
NEUTRAL_COLOUR = "#e0e0e0"
DONT_KNOW_COLOUR = "#9e9e9e"
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d0d0d0"
MUTED_COLOUR = "#4a4a4a"  # secondary text, such as dutch.HIDDEN_LABEL (WCAG AA on white)
FONT = "DejaVu Sans"
# The two sectors side by side: dark enough for bars and markers on white (3:1, WCAG 1.4.11).
SECTOR_COLOURS = {F.ONDERWIJS: "#1f5f8b", F.JEUGDHULP: "#b35806"}
WIDTH_CM = 16.0  # A4 text width
PNG_DPI = 200
# zlib level of the PNG: flat colours and text compress smaller at 3 than at the default 6, in ~40% less time.
PNG_COMPRESSION = 3
BACKGROUND = "#ffffff"


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#000000", background) else "#000000"


def category_colours(table: ItemTable) -> list[str]:
    """A colour per answer category: positive ones teal, the others brown, a middle category grey."""
    scale = table.item.scale
    substantive = [r for r in table.rows if not r.dont_know]
    positive = {str(c) for c in scale.positive}
    pos = [r for r in substantive if r.category in positive]
    rest = [r for r in substantive if r.category not in positive]
    colours: dict[str, str] = {}
    for i, r in enumerate(pos):
        colours[r.category] = POSITIVE_COLOURS[min(i, len(POSITIVE_COLOURS) - 1)]
    neutral = None
    if scale.kind == "ordinaal" and len(substantive) % 2 == 1 and len(rest) > len(pos):
        neutral = rest[0]
        colours[neutral.category] = NEUTRAL_COLOUR
        rest = rest[1:]
    # The last category is the most negative: give it the strongest brown.
    strength = NEGATIVE_COLOURS[-len(rest):] if rest else []
    for r, c in zip(rest, strength):
        colours[r.category] = c
    return [colours.get(r.category, DONT_KNOW_COLOUR) for r in table.rows]


# --- the chart object ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart of a report, as inline SVG and as PNG, both saved from one drawn Figure.

    id: HTML id and file stem ([a-z0-9-]); title: Dutch caption; alt: Dutch text alternative; svg: "<svg ...>"
    without XML prolog, the same bytes for the same data; png: the same chart as PNG, PNG_DPI dpi, WIDTH_CM wide;
    draw: builds the chart's Figure again (for tests that inspect it)."""

    id: str
    title: str
    alt: str
    svg: str
    draw: Callable = field(repr=False, compare=False)
    png: bytes = field(repr=False, compare=False, default=b"")


_SALT = "monitor-aoj"
_STYLE = {"svg.hashsalt": _SALT, "font.family": FONT, "font.size": 9, "text.color": TEXT_COLOUR,
          "axes.labelcolor": TEXT_COLOUR, "xtick.color": TEXT_COLOUR, "ytick.color": TEXT_COLOUR,
          "axes.edgecolor": "#6b6b6b", "svg.fonttype": "path"}


def _render(draw: Callable) -> tuple[bytes, bytes]:
    """(SVG, PNG) of the Figure that `draw` builds: built once, drawn once per file.

    savefig lays a Figure with a layout engine out in a draw without output, then draws it again to write it;
    drawn straight on the file's canvas, the Figure is laid out inside that one draw: the same bytes for one draw
    less per file. Constrained layout starts from the axes' current positions, so the PNG would start where the
    SVG (at 72 dpi) left them and could place them a fraction of a pixel apart from a fresh Figure. The positions
    are put back before each file: both are the bytes (SVG) and pixels (PNG) of a freshly drawn chart."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.image import imsave

    with matplotlib.rc_context(_STYLE):
        fig = draw()
        fig.set_facecolor(BACKGROUND)
        start = [(ax, ax.get_position(original=True).frozen(), ax.get_position(original=False).frozen())
                 for ax in fig.axes]
        svg = io.BytesIO()
        # The SVG itself is at 72 dpi; the dpi savefig would set is only that of raster parts (there are none).
        fig.dpi = PNG_DPI
        FigureCanvasSVG(fig).print_svg(svg, metadata={"Date": None})
        for ax, original, active in start:
            ax._set_position(original, which="original")
            ax._set_position(active, which="active")
        fig.dpi = PNG_DPI  # print_svg leaves it at 72
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        png = io.BytesIO()
        imsave(png, canvas.buffer_rgba(), format="png", origin="upper", dpi=PNG_DPI, metadata={"Software": None},
               pil_kwargs={"compress_level": PNG_COMPRESSION})
    return svg.getvalue(), png.getvalue()


def _inline_svg(raw: bytes, chart_id: str, alt: str, title: str) -> str:
    """Drop the prolog, make ids unique in the page, and give the SVG its role and text alternative."""
    import html

    text = raw.decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{chart_id}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", text)
    # matplotlib's own <title> of the metadata is absent (Title not given); ours comes first for screen readers.
    head_end = text.index(">") + 1
    opening = text[:head_end - 1] + (f' role="img" aria-label="{html.escape(alt, quote=True)}" '
                                     f'class="grafiek-svg">')
    return (opening + f"<title>{html.escape(title)}</title><desc>{html.escape(alt)}</desc>"
            + text[head_end:].strip())


def _chart(chart_id: str, title: str, alt: str, draw: Callable) -> Chart:
    if not re.fullmatch(r"[a-z0-9-]+", chart_id):
        raise ValueError(f"chart id {chart_id!r}: only a-z, 0-9 and -")
    svg, png = _render(draw)
    return Chart(chart_id, title, alt, _inline_svg(svg, chart_id, alt, title), draw, png)


def _figure(height_cm: float):
    from matplotlib.figure import Figure

    # Constrained layout keeps every label inside the figure at exactly WIDTH_CM, so nothing is cut and the
    # image is never scaled down (which would shrink its text) to fit the text width.
    return Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), layout="constrained")


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _rows_on_percent_axis(fig, ax, ticks: list[float], labels: list[str], xlabel: str) -> None:
    """The frame of a chart with a row per statement: labels top down, a 0-100% axis, the legend above."""
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis, ax.set_xticks)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    fig.legend(loc="outside upper left", ncol=2, frameon=False)


def _percent_axis(axis, ticks) -> None:
    axis.set_major_formatter(_percent_formatter())
    ticks([0, 20, 40, 60, 80, 100])


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{round(v)}%")


def _clean(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)


# --- per theme: all its statements, the two sectors side by side -------------------------------------------------


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
            # Named as the recommendations name it (narrative._judged): "Vast contactpersoon (onderwijs over ...)".
            rows += [OverviewRow(f"{t.item.short} ({g} {ABOUT_OTHER[g]})", t.positive.label, (_bar(t, g),),
                                 t.item.id) for g in asked]
        elif asked:
            rows.append(OverviewRow(t.item.short, t.positive.label, tuple(_bar(t, g) for g in asked), t.item.id))
    return rows


def _bar(table: ItemTable, group: str) -> OverviewBar:
    cell = table.positive.cells.get(group)
    shown = cell is not None and cell.shown
    return OverviewBar(group, cell.value if shown else None, cell.n if shown else None)


def _bar_words(b: OverviewBar) -> str:
    return f"{GROUP_LABELS[b.group].lower()} {HIDDEN_LABEL if b.value is None else fmt.pct(b.value)}"


def theme_overview(chart_id: str, title: str, tables: list[ItemTable]) -> Chart | None:
    """Horizontal bars: per statement of a theme the share positive in onderwijs and jeugdhulp, labelled, on a
    0-100% axis; a hidden figure has no bar but the words dutch.HIDDEN_LABEL. None when the theme has no statement
    with a share (only the mark, or nothing asked)."""
    rows = overview_rows(tables)
    if not rows:
        return None
    alt = ("Staafdiagram, per stelling het percentage respondenten dat positief antwoordt, onderwijs en jeugdhulp "
           "naast elkaar. " + " ".join(f"{r.label} ('{r.positive}'): {', '.join(_bar_words(b) for b in r.bars)}."
                                        for r in rows))

    def draw():
        # One data unit is about 1 cm of figure height: a row is as tall as its bars or its wrapped label,
        # whichever needs more, so two-line labels of neighbouring rows never overlap.
        height, bar_gap, row_gap, label_line = 0.36, 0.03, 0.22, 0.4
        labels = [_wrap(r.label) for r in rows]
        blocks = [max(len(r.bars) * (height + bar_gap), (label.count("\n") + 1) * label_line)
                  for r, label in zip(rows, labels)]
        fig = _figure(1.7 + sum(blocks) + row_gap * len(rows))
        ax = fig.add_subplot()
        _clean(ax)
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
                    ax.text(1, bar_y, HIDDEN_LABEL, va="center", ha="left", fontsize=8, style="italic",
                            color=MUTED_COLOUR)
                else:
                    ax.barh(bar_y, b.value * 100, height=height, color=colour, label=name)
                    ax.text(b.value * 100 + 1, bar_y, fmt.pct(b.value), va="center", ha="left", fontsize=8.5)
                bar_y += height + bar_gap
            y += block + row_gap
        ax.set_ylim(-row_gap / 2, y - row_gap / 2)
        _rows_on_percent_axis(fig, ax, ticks, labels, "% dat positief antwoordt")
        return fig

    return _chart(chart_id, title, alt, draw)


# --- over the waves -----------------------------------------------------------------------------------------------

# Dark enough for lines and markers on white (WCAG 1.4.11 asks 3:1 for graphics), different in hue and symbol.
SERIES_COLOURS = ["#0072B2", "#B2182B", "#01665E", "#6A3D9A", "#8C510A", "#000000", "#D55E00", "#1B7837", "#762A83"]
SERIES_SYMBOLS = ["o", "s", "D", "^", "v", "P", "X", "*", "h"]


def _why_missing(row, w: int) -> str:
    return VERDICT_LABELS[F.NOT_ASKED] if row.status.get(w) == F.NOT_ASKED else VERDICT_LABELS[F.NOT_COMPARABLE]


def _shown_waves(row, waves: list[int]) -> list[int]:
    return [w for w in waves if row.points.get(w) is not None and row.points[w].shown]


def theme_trends(chart_id: str, title: str, rows: list, waves: list[int]) -> Chart | None:
    """Several items of one theme over the waves, one line each (share positive, 0-100%, every wave on the axis);
    gaps where not asked or not comparable. None when no item has two waves to connect."""
    rows = [r for r in rows if not r.is_mark and len(_shown_waves(r, waves)) >= 2]
    if not rows:
        return None
    parts = []
    for r in rows:
        values = [f"{w} {fmt.pct(r.points[w].value)}" if w in _shown_waves(r, waves) else f"{w} {_why_missing(r, w)}"
                  for w in waves]
        parts.append(f"{r.item.short}: {', '.join(values)}.")
    alt = ("Lijndiagram, per stelling het percentage alle respondenten dat positief antwoordt per meting. "
           + " ".join(parts))

    def draw():
        labels = [_wrap(r.item.short, 36) for r in rows]
        # The legend beside the lines sets the height: a line of 7.5 pt is about 0.32 cm, entries 0.14 cm apart.
        fig = _figure(max(3.8, 0.8 + sum(0.32 * (label.count("\n") + 1) + 0.14 for label in labels)))
        ax = fig.add_subplot()
        _clean(ax)
        for i, r in enumerate(rows):
            ys = [r.points[w].value * 100 if w in _shown_waves(r, waves) else float("nan") for w in waves]
            ax.plot(waves, ys, color=SERIES_COLOURS[i % len(SERIES_COLOURS)], linewidth=2,
                    marker=SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)], markersize=6, label=labels[i])
        ax.set_ylim(0, 100)
        _percent_axis(ax.yaxis, ax.set_yticks)
        ax.set_xticks(waves, [str(w) for w in waves])
        ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        ax.set_ylabel("% positief")
        fig.legend(loc="outside right upper", ncol=1, frameon=False, fontsize=7.5)
        return fig

    return _chart(chart_id, title, alt, draw)


def mark_trend(chart_id: str, title: str, row, waves: list[int]) -> Chart | None:
    """The mean mark of all respondents per wave with its 95% interval, on the scale's own axis (1-10), every
    wave labelled; None with fewer than two waves to show."""
    shown = _shown_waves(row, waves)
    if len(shown) < 2:
        return None
    scale = row.item.scale
    alt = ("Lijndiagram, het gemiddelde rapportcijfer van alle respondenten per meting. "
           + ", ".join(f"{w}: {fmt.decimal(row.points[w].value)}" if w in shown else f"{w}: {_why_missing(row, w)}"
                       for w in waves) + ".")

    def draw():
        fig = _figure(4.8)
        ax = fig.add_subplot()
        _clean(ax)
        xs = [w for w in waves if w in shown]
        ys = [row.points[w].value for w in xs]
        low = [row.points[w].value - row.points[w].ci_low if row.points[w].ci_low is not None else 0 for w in xs]
        high = [row.points[w].ci_high - row.points[w].value if row.points[w].ci_high is not None else 0 for w in xs]
        ax.errorbar(xs, ys, yerr=[low, high], color=POSITIVE_COLOURS[0], ecolor="#6b6b6b", linewidth=2.2,
                    marker="o", markersize=6, capsize=4)
        for x, v in zip(xs, ys):
            ax.annotate(fmt.decimal(v), (x, v), textcoords="offset points", xytext=(8, 4), fontsize=8.5)
        ax.set_ylim(scale.minimum, scale.maximum)
        ax.set_yticks(range(int(scale.minimum), int(scale.maximum) + 1))
        ax.set_xticks(waves, [str(w) for w in waves])
        ax.set_xlim(waves[0] - 0.5, waves[-1] + 0.5)
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        ax.set_ylabel("Gemiddeld cijfer")
        return fig

    return _chart(chart_id, title, alt, draw)


def benchmark_dots(chart_id: str, title: str, rows: list) -> Chart | None:
    """Per item this region and the mean of the other regions (each weighted equally), with a bar from their
    lowest to their highest figure, on one 0-100% axis. None when there is nothing to compare."""
    rows = [r for r in rows if not r.is_mark and r.own.shown and r.others.value is not None]
    if not rows:
        return None
    alt = ("Stippendiagram, per stelling het percentage positief in deze regio en gemiddeld in de andere regio's "
           "(met hun laagste en hoogste). " + " ".join(
               f"{r.item.short}: deze regio {fmt.pct(r.own.value)}, andere regio's {fmt.pct(r.others.value)}"
               + (f" (van {fmt.pct(r.lowest)} tot {fmt.pct(r.highest)})." if r.regions > 1 else ".") for r in rows))

    def draw():
        fig = _figure(1.8 + 0.55 * len(rows))
        ax = fig.add_subplot()
        _clean(ax)
        ys = list(range(len(rows)))
        others = [r.others.value * 100 for r in rows]
        lows = [(r.others.value - (r.lowest if r.lowest is not None else r.others.value)) * 100 for r in rows]
        highs = [((r.highest if r.highest is not None else r.others.value) - r.others.value) * 100 for r in rows]
        ax.errorbar(others, [y + 0.15 for y in ys], xerr=[lows, highs], fmt="D", color=NEGATIVE_COLOURS[-1],
                    markersize=6, capsize=3, linewidth=1.2,
                    label="andere regio's: gemiddelde (laagste tot hoogste)")
        ax.plot([r.own.value * 100 for r in rows], [y - 0.15 for y in ys], "o", color=POSITIVE_COLOURS[0],
                markersize=7, label="deze regio")
        _rows_on_percent_axis(fig, ax, ys, [_wrap(r.item.short, 44) for r in rows], "% positief, alle respondenten")
        return fig

    return _chart(chart_id, title, alt, draw)
