"""Charts (issue 12): one overview per theme, trends and the benchmark, drawn with matplotlib as inline SVG and PNG.

Each chart keeps its labels (axes 0-100%, every wave on a trend axis), says in words what it shows, and gives the
same bytes for the same data."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest

from monitor_aoj.definitions.questionnaire import Item, Scale
from monitor_aoj.dutch import HIDDEN, HIDDEN_MARK
from monitor_aoj.figures import schema as F
from monitor_aoj.report import chart_drawing, charts
from monitor_aoj.report.cells import Cell, Comparison, Row
from monitor_aoj.report.comparison_rows import BenchmarkRow, TrendRow

from test_narrative import ITEM, YES_NO, table, yes_no_table

MARK = Scale("cijfer", "cijfer", (), (), "", 1, 10, 5)
MARK_ITEM = Item("rapportcijfer", "oordeel", "T3", "gesloten", "Rapportcijfer", (("", "Welk cijfer?"),), MARK)
MIRRORED = Item("vast", "vormen", "T2", "gesloten", "Vast contactpersoon",
                (("onderwijs", "De jeugdhulp heeft een vast contactpersoon."),
                 ("jeugdhulp", "De school heeft een vast contactpersoon.")), YES_NO)
OTHER = Item("overleg", "vormen", "T4", "gesloten", "Overleg aanwezig", (("", "Er is overleg."),), YES_NO)
NOT_TESTED = Comparison(None, None, None, "", F.NOT_TESTED)


def hidden_onderwijs(item: Item = OTHER):
    """A table whose onderwijs figure is suppressed (too few answers)."""
    t = yes_no_table((30, 40), (3, 4), NOT_TESTED, item)
    hidden = Cell(None, None, None, suppressed=True)
    cells = {**t.positive.cells, F.ONDERWIJS: hidden}
    return dataclasses.replace(t, positive=Row("1", "ja", cells), n={**t.n, F.ONDERWIJS: None})


def mark_table():
    cells = {g: Cell(v, None, 40, ci_low=v - 0.3, ci_high=v + 0.3) for g, v in
             ((F.ONDERWIJS, 6.8), (F.JEUGDHULP, 7.2), (F.TOTAAL, 7.0))}
    t = yes_no_table((30, 40), (20, 40), NOT_TESTED, MARK_ITEM)
    return dataclasses.replace(t, mean=Row("gemiddelde", "gemiddeld cijfer", cells), positive=None)


def axes(chart):
    return chart.draw().axes[0]


def texts(chart) -> list[str]:
    return [t.get_text() for t in axes(chart).texts]


@pytest.fixture(scope="module")
def overview():
    return charts.theme_overview("grafiek-thema-1", "1. Vormen: percentage positief",
                                 [table((30, 40), (20, 40), False), yes_no_table((9, 10), (4, 10), NOT_TESTED,
                                                                                 MIRRORED),
                                  hidden_onderwijs(), mark_table()])


def test_the_chart_contract(overview):
    assert (overview.id, overview.title) == ("grafiek-thema-1", "1. Vormen: percentage positief")
    assert overview.svg.startswith("<svg") and "<?xml" not in overview.svg and "DOCTYPE" not in overview.svg
    head = overview.svg.split(">", 1)[0]
    assert 'role="img"' in head and f'aria-label="{overview.alt}"' in head.replace("&#x27;", "'")
    assert "<title>1. Vormen: percentage positief</title>" in overview.svg
    # Every id in the SVG carries the chart id, so several charts in one page never share one.
    ids = re.findall(r'\bid="([^"]+)"', overview.svg)
    assert ids and all(i.startswith("grafiek-thema-1-") for i in ids)
    refs = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', overview.svg)
    assert all((a or b) in ids for a, b in refs)


def test_same_data_same_bytes(overview):
    again = charts.theme_overview("grafiek-thema-1", "1. Vormen: percentage positief",
                                  [table((30, 40), (20, 40), False), yes_no_table((9, 10), (4, 10), NOT_TESTED,
                                                                                  MIRRORED),
                                   hidden_onderwijs(), mark_table()])
    assert again.svg == overview.svg
    assert again.png == overview.png


def savefig(chart, kind: str) -> bytes:
    """The chart's Figure built anew and written by a plain savefig (which lays it out in a draw of its own)."""
    import matplotlib

    matplotlib.use("Agg")
    metadata = {"svg": {"Date": None}, "png": {"Software": None}}[kind]
    with matplotlib.rc_context(chart_drawing.STYLE):
        buffer = io.BytesIO()
        chart.draw().savefig(buffer, format=kind, dpi=chart_drawing.PNG_DPI, metadata=metadata, facecolor="#ffffff")
    return buffer.getvalue()


def decoded(png: bytes):
    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return image.mode, image.size, image.info["dpi"], np.asarray(image)


def test_one_figure_drawn_once_per_file_is_what_savefig_makes_of_a_fresh_figure(overview):
    """One Figure, drawn straight on an SVG and then an Agg canvas: the SVG has the bytes savefig writes for a fresh
    Figure, the PNG its pixels (only the zlib level differs), for every kind of chart."""
    import numpy as np

    rows = [trend(ITEM, {2016: 0.4, 2018: 0.5, 2021: 0.7}), trend(OTHER, {2016: 0.3, 2018: 0.6, 2021: 0.65})]
    bench = BenchmarkRow(ITEM, Cell(0.7, 28, 40, ci_low=0.55, ci_high=0.82), Cell(0.6, 3, 120, ci_low=0.5,
                                                                                 ci_high=0.72),
                         Comparison(None, None, None, "", "", against="drie regio's"), False)
    for chart in (overview, charts.theme_trends("grafiek-t", "t", rows, [2016, 2018, 2021]),
                  charts.mark_trend("grafiek-m", "m", trend(MARK_ITEM, {2018: 6.3, 2021: 7.1}), [2016, 2018, 2021]),
                  charts.benchmark_dots("grafiek-b", "b", [bench])):
        assert chart.svg == chart_drawing.inline_svg(savefig(chart, "svg"), chart.id, chart.alt, chart.title), chart.id
        mode, size, dpi, pixels = decoded(chart.png)
        fresh_mode, fresh_size, fresh_dpi, fresh_pixels = decoded(savefig(chart, "png"))
        assert (mode, size, dpi) == (fresh_mode, fresh_size, fresh_dpi) and mode == "RGBA", chart.id
        assert np.array_equal(pixels, fresh_pixels), chart.id
        assert pixels.min() < 100 < pixels.max(), "a chart, not a blank image"


def test_png_is_a_text_wide_image_at_200_dpi(overview):
    from PIL import Image

    image = Image.open(io.BytesIO(overview.png))
    assert image.format == "PNG"
    width_cm = image.width / chart_drawing.PNG_DPI * 2.54
    assert width_cm == pytest.approx(chart_drawing.WIDTH_CM, abs=0.05)  # the A4 text width, never wider
    assert round(image.info["dpi"][0]) == chart_drawing.PNG_DPI


def test_overview_axis_is_0_to_100_and_bars_are_labelled(overview):
    ax = axes(overview)
    assert ax.get_xlim() == (0, 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    labels = texts(overview)
    assert "75%" in labels and "50%" in labels  # jeugdhulp 30 of 40, onderwijs 20 of 40


def test_a_hidden_figure_has_no_bar_but_says_so(overview):
    ax = axes(overview)
    assert HIDDEN_MARK in texts(overview)  # the mark of the tables, where the bar's figure would stand
    assert f"onderwijs {HIDDEN}" in overview.alt  # read aloud: the words, not the mark
    # The hidden bar has no length; the jeugdhulp bar of the same statement does (30 of 40 = 75%).
    widths = sorted(round(p.get_width(), 3) for p in ax.patches)
    assert widths[0] == 0 and 75.0 in widths


def test_a_mirrored_item_shows_each_sectors_own_statement(overview):
    ticks = [t.get_text().replace("\n", " ") for t in axes(overview).get_yticklabels()]
    assert "Vast contactpersoon (onderwijs over de jeugdhulp)" in ticks
    assert "Vast contactpersoon (jeugdhulp over het onderwijs)" in ticks
    assert "Vast contactpersoon (onderwijs over de jeugdhulp) ('ja'): onderwijs 40%." in overview.alt


def test_the_mark_is_not_on_a_percentage_axis(overview):
    assert "Rapportcijfer" not in overview.alt
    assert charts.theme_overview("grafiek-x", "x", [mark_table()]) is None


def trend(item, points: dict, status: dict | None = None):
    waves = sorted(points)
    status = status or {w: "" for w in waves}
    return TrendRow(item, {w: (Cell(v, None, 40, ci_low=v - 0.05, ci_high=v + 0.05) if v is not None else None)
                           for w, v in points.items()}, status, {w: "" for w in waves}, {}, item is MARK_ITEM)


def test_trend_lines_show_every_wave_and_0_to_100():
    rows = [trend(ITEM, {2016: 0.4, 2018: 0.5, 2021: 0.7}),
            trend(OTHER, {2016: None, 2018: 0.6, 2021: 0.65}, {2016: F.NOT_ASKED, 2018: "", 2021: ""})]
    chart = charts.theme_trends("grafiek-trend-thema-1", "Trend", rows, [2016, 2018, 2021])
    ax = axes(chart)
    assert ax.get_ylim() == (0, 100)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016", "2018", "2021"]
    assert "Overleg aanwezig: 2016 niet gevraagd, 2018 60%, 2021 65%." in chart.alt
    assert charts.theme_trends("x", "x", [trend(ITEM, {2021: 0.7})], [2021]) is None  # nothing to connect


def test_the_mark_trend_is_on_its_own_scale():
    chart = charts.mark_trend("grafiek-trend-rapportcijfer", "Cijfer", trend(MARK_ITEM, {2018: 6.3, 2021: 7.1}),
                              [2016, 2018, 2021])
    ax = axes(chart)
    assert ax.get_ylim() == (1, 10)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016", "2018", "2021"]
    assert "6,3" in texts(chart) and "7,1" in texts(chart)
    assert chart.alt.endswith("2016: niet vergelijkbaar, 2018: 6,3, 2021: 7,1.")


def test_benchmark_dots_on_a_percentage_axis():
    rows = [BenchmarkRow(ITEM, Cell(0.7, 28, 40, ci_low=0.55, ci_high=0.82),
                         Cell(0.6, 3, 120, ci_low=0.5, ci_high=0.72), Comparison(None, None, None, "", "",
                                                                                 against="drie regio's"), False)]
    chart = charts.benchmark_dots("grafiek-benchmark", "Benchmark", rows)
    assert axes(chart).get_xlim() == (0, 100)
    assert "Zicht op jeugdhulp: deze regio 70%, andere regio's 60% (van 50% tot 72%)." in chart.alt


def test_a_chart_id_is_safe_for_html_and_file_names():
    with pytest.raises(ValueError):
        charts.theme_overview("Grafiek 1", "x", [table((30, 40), (20, 40), False)])


def test_no_label_is_cut(overview):
    rows = [trend(ITEM, {2016: 0.4, 2018: 0.5, 2021: 0.7}), trend(OTHER, {2016: 0.3, 2018: 0.6, 2021: 0.65})]
    mark = charts.mark_trend("grafiek-m", "m", trend(MARK_ITEM, {2018: 6.3, 2021: 7.1}), [2016, 2018, 2021])
    bench = BenchmarkRow(ITEM, Cell(0.7, 28, 40, ci_low=0.55, ci_high=0.82), Cell(0.6, 3, 120, ci_low=0.5,
                                                                                 ci_high=0.72),
                         Comparison(None, None, None, "", "", against="drie regio's"), False)
    for chart in (overview, charts.theme_trends("grafiek-t", "t", rows, [2016, 2018, 2021]), mark,
                  charts.benchmark_dots("grafiek-b", "b", [bench])):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = chart.draw()
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # lays the figure out as savefig does
        renderer = canvas.get_renderer()
        box = fig.bbox
        found = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible() and a.get_text())]
        assert len(found) > 8
        for text in found:
            extent = text.get_window_extent(renderer)
            assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, (chart.id, text.get_text())
            assert extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1, (chart.id, text.get_text())


def test_a_long_legend_of_many_statements_is_not_cut():
    """Nine statements with long names (two-line legend entries): the legend beside the lines sets the height."""
    import dataclasses

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows = [trend(dataclasses.replace(ITEM, id=f"stelling_{i}", short=f"Een lange stelling nummer {i} over de "
                                                                     "samenwerking"), {2016: 0.4, 2018: 0.5, 2021: 0.7})
            for i in range(9)]
    chart = charts.theme_trends("grafiek-t", "t", rows, [2016, 2018, 2021])
    fig = chart.draw()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    legend = fig.legends[0].get_window_extent(canvas.get_renderer())
    assert legend.y0 >= fig.bbox.y0 - 1 and legend.y1 <= fig.bbox.y1 + 1
    assert len(fig.legends[0].get_texts()) == 9
