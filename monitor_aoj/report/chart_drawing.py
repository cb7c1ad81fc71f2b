"""How a chart of the report is drawn: its palette, fonts and size, and one drawn matplotlib Figure saved as
SVG (inline in the HTML) and PNG (Word, the chart folder). Which charts the report has: charts.py.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor_aoj.figures import schema as F

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter
    from matplotlib.typing import RcKeyType

POSITIVE_COLOURS = ["#01665e", "#35978f", "#80cdc1"]  # strongest first
NEGATIVE_COLOURS = ["#dfc27d", "#bf812d", "#8c510a"]  # weakest first
NEUTRAL_COLOUR = "#e0e0e0"
DONT_KNOW_COLOUR = "#9e9e9e"
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d0d0d0"
MUTED_COLOUR = "#4a4a4a"  # secondary text, such as dutch.HIDDEN_MARK (WCAG AA on white)
FONT = "DejaVu Sans"
# The two sectors side by side: dark enough for bars and markers on white (3:1, WCAG 1.4.11).
SECTOR_COLOURS = {F.ONDERWIJS: "#1f5f8b", F.JEUGDHULP: "#b35806"}
WIDTH_CM = 16.0  # A4 text width
PNG_DPI = 200
# zlib level of the PNG: flat colours and text compress smaller at 3 than at the default 6, in ~40% less time.
PNG_COMPRESSION = 3
BACKGROUND = "#ffffff"
# Dark enough for lines and markers on white (WCAG 1.4.11 asks 3:1 for graphics), different in hue and symbol.
SERIES_COLOURS = ["#0072B2", "#B2182B", "#01665E", "#6A3D9A", "#8C510A", "#000000", "#D55E00", "#1B7837", "#762A83"]
SERIES_SYMBOLS = ["o", "s", "D", "^", "v", "P", "X", "*", "h"]


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with background."""
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#000000", background) else "#000000"


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


SALT = "monitor-aoj"
STYLE: dict[RcKeyType, Any] = {"svg.hashsalt": SALT, "font.family": FONT, "font.size": 9, "text.color": TEXT_COLOUR,
                                 "axes.labelcolor": TEXT_COLOUR, "xtick.color": TEXT_COLOUR, "ytick.color": TEXT_COLOUR,
                                 "axes.edgecolor": "#6b6b6b", "svg.fonttype": "path"}


def svg_and_png(draw: Callable) -> tuple[bytes, bytes]:
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

    with matplotlib.rc_context(STYLE):
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
        imsave(png, canvas.buffer_rgba(), format="png", origin="upper", dpi=PNG_DPI,
               metadata={"Software": None},  # type: ignore[dict-item]  # None leaves the key out (documented; stub: str)
               pil_kwargs={"compress_level": PNG_COMPRESSION})
    return svg.getvalue(), png.getvalue()


def inline_svg(raw: bytes, chart_id: str, alt: str, title: str) -> str:
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


def make_chart(chart_id: str, title: str, alt: str, draw: Callable) -> Chart:
    """The Chart of the Figure that draw builds. Raises ValueError on an id that is not [a-z0-9-]."""
    if not re.fullmatch(r"[a-z0-9-]+", chart_id):
        raise ValueError(f"chart id {chart_id!r}: only a-z, 0-9 and -")
    svg, png = svg_and_png(draw)
    return Chart(chart_id, title, alt, inline_svg(svg, chart_id, alt, title), draw, png)


def new_figure(height_cm: float) -> Figure:
    """An empty Figure WIDTH_CM wide and height_cm high."""
    from matplotlib.figure import Figure

    # Constrained layout keeps every label inside the figure at exactly WIDTH_CM, so nothing is cut and the
    # image is never scaled down (which would shrink its text) to fit the text width.
    return Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), layout="constrained")


def wrap(label: str, width: int = 34) -> str:
    """label on lines of at most width characters."""
    return "\n".join(textwrap.wrap(label, width)) or label


def rows_on_percent_axis(fig: Figure, ax: Axes, ticks: Sequence[float], labels: list[str], xlabel: str) -> None:
    """The frame of a chart with a row per statement: labels top down, a 0-100% axis, the legend above."""
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis, ax.set_xticks)
    ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    fig.legend(loc="outside upper left", ncol=2, frameon=False)


def percent_axis(axis: Axis, ticks: Callable[[list[int]], object]) -> None:
    """An axis from 0% to 100% in steps of 20."""
    axis.set_major_formatter(_percent_formatter())
    ticks([0, 20, 40, 60, 80, 100])


def _percent_formatter() -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{round(v)}%")


def clean_axes(ax: Axes) -> None:
    """No frame on the top and right; the grid behind the data."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_axisbelow(True)
