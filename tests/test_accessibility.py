"""Colours pass WCAG AA: 4.5:1 for text, 3:1 for lines and markers (WCAG 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re

import pytest

from monitor_aoj.report import chart_drawing as drawing

from conftest import ROOT

CSS = (ROOT / "templates" / "rapport.css").read_text(encoding="utf-8")
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def test_contrast_formula_on_known_pairs():
    assert drawing.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert drawing.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey


@pytest.mark.parametrize("text", ["tekst", "gedempt", "accent"])
@pytest.mark.parametrize("background", ["#ffffff", "vlak"])
def test_text_colours_of_the_report(text, background):
    bg = VARIABLES.get(background, background)
    assert drawing.contrast(VARIABLES[text], bg) >= 4.5


def test_other_text_colours_in_the_stylesheet():
    for colour in set(re.findall(r"(?<!-)color:\s*(#[0-9a-fA-F]{6})", CSS)):
        assert drawing.contrast(colour, "#ffffff") >= 4.5, colour


def test_text_on_every_bar_segment():
    bars = drawing.POSITIVE_COLOURS + drawing.NEGATIVE_COLOURS + [drawing.NEUTRAL_COLOUR, drawing.DONT_KNOW_COLOUR]
    for colour in bars:
        assert drawing.contrast(drawing.text_colour_on(colour), colour) >= 4.5, colour


def test_lines_and_markers_against_white():
    for colour in drawing.SERIES_COLOURS + [drawing.POSITIVE_COLOURS[0], drawing.NEGATIVE_COLOURS[-1]]:
        assert drawing.contrast(colour, "#ffffff") >= 3.0, colour
    assert drawing.contrast(drawing.TEXT_COLOUR, "#ffffff") >= 4.5


def test_workbook_header_colours():
    from monitor_aoj.report.sheet_writer import HEADER_BACKGROUND, HEADER_TEXT

    assert drawing.contrast(HEADER_TEXT, HEADER_BACKGROUND) >= 4.5


def test_sector_bars_against_white():
    # The two sectors side by side in every overview chart: graphics need 3:1 (WCAG 1.4.11); their labels are
    # text beside the bar, in the text colour.
    for colour in drawing.SECTOR_COLOURS.values():
        assert drawing.contrast(colour, "#ffffff") >= 3.0, colour
    # the mark "n.b." where a bar is hidden
    assert drawing.contrast(drawing.MUTED_COLOUR, "#ffffff") >= 4.5
