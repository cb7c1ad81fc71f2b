"""Colours pass WCAG AA: 4.5:1 for text, 3:1 for lines and markers (WCAG 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re

import pytest

from monitor_aoj.report import charts

from conftest import ROOT

CSS = (ROOT / "templates" / "rapport.css").read_text(encoding="utf-8")
VARIABLES = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def test_contrast_formula_on_known_pairs():
    assert charts.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert charts.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey


@pytest.mark.parametrize("text", ["tekst", "gedempt", "accent"])
@pytest.mark.parametrize("background", ["#ffffff", "vlak"])
def test_text_colours_of_the_report(text, background):
    bg = VARIABLES.get(background, background)
    assert charts.contrast(VARIABLES[text], bg) >= 4.5


def test_other_text_colours_in_the_stylesheet():
    for colour in set(re.findall(r"(?<!-)color:\s*(#[0-9a-fA-F]{6})", CSS)):
        assert charts.contrast(colour, "#ffffff") >= 4.5, colour


def test_text_on_every_bar_segment():
    for colour in charts.POSITIVE_COLOURS + charts.NEGATIVE_COLOURS + [charts.NEUTRAL_COLOUR, charts.DONT_KNOW_COLOUR]:
        assert charts.contrast(charts.text_colour_on(colour), colour) >= 4.5, colour


def test_lines_and_markers_against_white():
    for colour in charts.SERIES_COLOURS + [charts.POSITIVE_COLOURS[0], charts.NEGATIVE_COLOURS[-1]]:
        assert charts.contrast(colour, "#ffffff") >= 3.0, colour
    assert charts.contrast(charts.TEXT_COLOUR, "#ffffff") >= 4.5


def test_workbook_header_colours():
    from monitor_aoj.report.sheet_writer import HEADER_BACKGROUND, HEADER_TEXT

    assert charts.contrast(HEADER_TEXT, HEADER_BACKGROUND) >= 4.5


def test_sector_bars_against_white():
    # The two sectors side by side in every overview chart: graphics need 3:1 (WCAG 1.4.11); their labels are
    # text beside the bar, in the text colour.
    for colour in charts.SECTOR_COLOURS.values():
        assert charts.contrast(colour, "#ffffff") >= 3.0, colour
    # the words "te weinig antwoorden" where a bar is hidden
    assert charts.contrast(charts.MUTED_COLOUR, "#ffffff") >= 4.5
