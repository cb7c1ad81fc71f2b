"""Chart specifications for plotly.js, built as plain dicts from the display tables.

Plain dicts instead of plotly.graph_objects: a report has dozens of charts and the object layer costs
milliseconds per chart for validation we do once, in a test. plotly.js (from the plotly package) draws them.
Colours: a diverging teal/brown scheme that stays readable for colour-blind readers; the text on a bar is
black or white, whichever has the higher contrast (WCAG AA asks 4.5:1).
"""

from __future__ import annotations

from monitor_aoj import format as fmt
from monitor_aoj.narrative import HIDDEN
from monitor_aoj.tables import GROUP_LABELS, ItemTable

POSITIVE_COLOURS = ["#01665e", "#35978f", "#80cdc1"]  # strongest first
NEGATIVE_COLOURS = ["#dfc27d", "#bf812d", "#8c510a"]  # weakest first
NEUTRAL_COLOUR = "#e0e0e0"
DONT_KNOW_COLOUR = "#9e9e9e"
FONT = "Segoe UI, Helvetica Neue, Arial, sans-serif"
TEXT_COLOUR = "#1a1a1a"


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


def _group_axis_label(table: ItemTable, group: str) -> str:
    n = table.n.get(group, 0)
    return f"{GROUP_LABELS[group]} (n = {'n.b.' if n is None else n})"


def stacked_bar(table: ItemTable) -> dict:
    """Horizontal 100% bars: one bar per group, one segment per answer category."""
    groups = [g for g in table.groups if table.n.get(g, 0) != 0]  # None: a hidden base, still a group
    y = [_group_axis_label(table, g) for g in groups]
    traces = []
    for row, colour in zip(table.rows, category_colours(table)):
        values, texts, hovers = [], [], []
        for g in groups:
            cell = row.cells.get(g)
            shown = cell is not None and cell.shown
            pct = fmt.percent_number(cell.value) if shown else None
            values.append(cell.value * 100 if shown else None)
            texts.append(f"{pct}%" if shown and pct >= 6 else "")
            hovers.append(f"{GROUP_LABELS[g]}: {row.label} {fmt.pct(cell.value)} ({cell.k} van {cell.n})"
                          if shown else f"{GROUP_LABELS[g]}: {HIDDEN}")
        traces.append({
            "type": "bar", "orientation": "h", "name": row.label, "x": values, "y": y,
            "marker": {"color": colour, "line": {"color": "#ffffff", "width": 1}},
            "text": texts, "textposition": "inside", "insidetextanchor": "middle",
            "textfont": {"color": text_colour_on(colour), "size": 12},
            "hovertext": hovers, "hoverinfo": "text",
        })
    layout = {
        "barmode": "stack",
        "height": 70 + 46 * len(groups) + 40,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "gridcolor": "#d0d0d0"},
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
        "legend": {"orientation": "h", "y": -0.25, "traceorder": "normal"},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "separators": ",.",
    }
    return {"data": traces, "layout": layout}


def mark_distribution(table: ItemTable) -> dict:
    """Rapportcijfer: share of each mark per group, as grouped bars."""
    colours = {"onderwijs": "#1f5f8b", "jeugdhulp": "#b35806", "totaal": "#4d4d4d"}
    traces = []
    for g in table.groups:
        if g == "totaal" or table.n.get(g, 0) == 0:
            continue  # the sectors side by side; totaal is in the table
        xs, ys, hovers = [], [], []
        for row in table.rows:
            cell = row.cells.get(g)
            shown = cell is not None and cell.shown
            xs.append(row.label)
            ys.append(cell.value * 100 if shown else None)
            hovers.append(f"{GROUP_LABELS[g]}: cijfer {row.label}: {fmt.pct(cell.value)} ({cell.k} van {cell.n})"
                          if shown else f"{GROUP_LABELS[g]}: niet getoond")
        traces.append({"type": "bar", "name": _group_axis_label(table, g), "x": xs, "y": ys,
                       "marker": {"color": colours[g]}, "hovertext": hovers, "hoverinfo": "text"})
    layout = {
        "barmode": "group",
        "height": 300,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"title": {"text": "Rapportcijfer"}, "type": "category", "fixedrange": True},
        "yaxis": {"ticksuffix": "%", "automargin": True, "fixedrange": True, "gridcolor": "#d0d0d0"},
        "legend": {"orientation": "h", "y": -0.3},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "separators": ",.",
    }
    return {"data": traces, "layout": layout}


def item_chart(table: ItemTable) -> dict:
    return mark_distribution(table) if table.item.scale.kind == "cijfer" else stacked_bar(table)


def trend_line(row, waves: list[int]) -> dict | None:
    """The headline figure of one item over the waves, with its 95% interval; gaps where not comparable."""
    shown = [w for w in waves if row.points.get(w) is not None and row.points[w].shown]
    if len(shown) < 2:
        return None
    scale = 1 if row.is_mark else 100
    xs = [str(w) for w in waves]
    ys, lows, highs, texts = [], [], [], []
    for w in waves:
        cell = row.points.get(w)
        if cell is None or not cell.shown:
            ys.append(None)
            lows.append(None)
            highs.append(None)
            texts.append(f"{w}: {'niet gevraagd' if row.status.get(w) == 'niet_gevraagd' else 'niet vergelijkbaar'}")
            continue
        ys.append(cell.value * scale)
        lows.append((cell.value - cell.ci_low) * scale if cell.ci_low is not None else 0)
        highs.append((cell.ci_high - cell.value) * scale if cell.ci_high is not None else 0)
        value = fmt.decimal(cell.value) if row.is_mark else fmt.pct(cell.value)
        texts.append(f"{w}: {value} (n = {cell.n})")
    trace = {"type": "scatter", "mode": "lines+markers", "x": xs, "y": ys, "connectgaps": False,
             "line": {"color": POSITIVE_COLOURS[0], "width": 3}, "marker": {"size": 9},
             "error_y": {"type": "data", "symmetric": False, "array": highs, "arrayminus": lows,
                         "color": "#6b6b6b", "thickness": 1.2, "width": 6},
             "hovertext": texts, "hoverinfo": "text", "name": "alle respondenten"}
    scale = row.item.scale
    axis = {"range": [scale.minimum, scale.maximum] if row.is_mark else [0, 100],
            "ticksuffix": "" if row.is_mark else "%", "fixedrange": True, "gridcolor": "#d0d0d0"}
    layout = {"height": 220, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "showlegend": False,
              "xaxis": {"type": "category", "fixedrange": True}, "yaxis": {**axis, "automargin": True},
              "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR}, "paper_bgcolor": "#ffffff",
              "plot_bgcolor": "#ffffff", "separators": ",."}
    return {"data": [trace], "layout": layout}


def benchmark_dots(rows: list) -> dict | None:
    """Per item this region (with its interval) and the mean of the other regions (each weighted equally), with
    a bar from their lowest to their highest figure, on one percentage axis."""
    rows = [r for r in rows if not r.is_mark and r.own.shown and r.others.value is not None]
    if not rows:
        return None
    labels = [r.item.short for r in rows]
    own = {"type": "scatter", "mode": "markers", "name": "deze regio", "y": labels,
           "x": [r.own.value * 100 for r in rows],
           "error_x": {"type": "data", "symmetric": False,
                       "array": [(r.own.ci_high - r.own.value) * 100 for r in rows],
                       "arrayminus": [(r.own.value - r.own.ci_low) * 100 for r in rows], "color": "#6b6b6b"},
           "marker": {"color": POSITIVE_COLOURS[0], "size": 11, "symbol": "circle"},
           "hovertext": [f"{r.item.short}: deze regio {fmt.pct(r.own.value)} (n = {r.own.n})" for r in rows],
           "hoverinfo": "text"}
    others = {"type": "scatter", "mode": "markers", "name": "andere regio's: gemiddelde (laagste tot hoogste)",
              "y": labels, "x": [r.others.value * 100 for r in rows],
              "error_x": {"type": "data", "symmetric": False,
                          "array": [(r.highest - r.others.value) * 100 for r in rows],
                          "arrayminus": [(r.others.value - r.lowest) * 100 for r in rows],
                          "color": NEGATIVE_COLOURS[-1]},
              "marker": {"color": NEGATIVE_COLOURS[-1], "size": 11, "symbol": "diamond"},
              "hovertext": [f"{r.item.short}: {r.comparison.against} gemiddeld {fmt.pct(r.others.value)}"
                            + (f" (van {fmt.pct(r.lowest)} tot {fmt.pct(r.highest)})" if r.regions > 1 else "")
                            for r in rows], "hoverinfo": "text"}
    layout = {"height": 90 + 28 * len(rows), "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
              "xaxis": {"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "gridcolor": "#d0d0d0"},
              "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
              "legend": {"orientation": "h", "y": -0.08, "yanchor": "top"},
              "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR}, "paper_bgcolor": "#ffffff",
              "plot_bgcolor": "#ffffff", "separators": ",."}
    return {"data": [own, others], "layout": layout}


# Dark enough for lines and markers on white (WCAG 1.4.11 asks 3:1 for graphics), different in hue and symbol.
SERIES_COLOURS = ["#0072B2", "#B2182B", "#01665E", "#6A3D9A", "#8C510A", "#000000", "#D55E00", "#1B7837", "#762A83"]
SERIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star", "hexagon"]


def trend_lines(rows: list, waves: list[int]) -> dict | None:
    """Several items of one theme over the waves, one line each; gaps where not asked or not comparable."""
    rows = [r for r in rows if not r.is_mark and sum(1 for w in waves if r.points.get(w) is not None
                                                     and r.points[w].shown) >= 2]
    if not rows:
        return None
    traces = []
    for i, row in enumerate(rows):
        ys, texts = [], []
        for w in waves:
            cell = row.points.get(w)
            shown = cell is not None and cell.shown
            ys.append(cell.value * 100 if shown else None)
            texts.append(f"{row.item.short}, {w}: {fmt.pct(cell.value)} (n = {cell.n})" if shown else
                         f"{row.item.short}, {w}: {'niet gevraagd' if row.status.get(w) == 'niet_gevraagd' else 'niet vergelijkbaar'}")
        traces.append({"type": "scatter", "mode": "lines+markers", "name": row.item.short, "x": [str(w) for w in waves],
                       "y": ys, "connectgaps": False,
                       "line": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "width": 2.5},
                       "marker": {"size": 9, "symbol": SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)]},
                       "hovertext": texts, "hoverinfo": "text"})
    layout = {"height": 300 + 22 * len(rows), "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
              "xaxis": {"type": "category", "fixedrange": True},
              "yaxis": {"range": [0, 100], "ticksuffix": "%", "fixedrange": True, "automargin": True,
                        "gridcolor": "#d0d0d0"},
              "legend": {"orientation": "h", "y": -0.12, "yanchor": "top"},
              "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR}, "paper_bgcolor": "#ffffff",
              "plot_bgcolor": "#ffffff", "separators": ",."}
    return {"data": traces, "layout": layout}
