"""Snapshots of the Dutch text we render for a fixed small input, so that a change of wording is a diff in review.

Inputs: the hand-counted export (tests/data/handtelling, see test_handtelling.py) and one export written by hand
with one fault per row (tests/data/fouten). The snapshots are plain UTF-8 files in
tests/__snapshots__/test_snapshots/: the report's text one sentence per line; one table of its appendix, the
validation CSV and the quarantine CSV, with ';' as in the product. After an intended change of wording, write
them anew with

    pytest tests/test_snapshots.py --snapshot-update

and commit the changed snapshot files with the change: the reviewer reads their diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import platform
import re

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from monitor_aoj import __version__, pipeline

from conftest import DATA
from dutchtext import ABBREVIATIONS
from htmltables import tables

REPORT_DATE = dt.date(2026, 1, 15)  # the --datum of the snapshots: the report prints it
TABLE = "tabel-snellere_inzet"  # five answers, the top two counted together (the 67% of test_handtelling)
HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### "}
# Elements whose text is one block of the snapshot; table cells are left to the table snapshot, chart drawings
# (svg) to the chart tests.
BLOCKS = ("title", *HEADINGS, "p", "li", "caption", "figcaption", "footer")
LIST_ITEM = "- "


class Text(SingleFileSnapshotExtension):
    """One snapshot per file, plain text: git and the review show an ordinary line diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class Csv(Text):
    file_extension = "csv"


# --- the report's text as lines ----------------------------------------------------------------------------------

_END = re.compile(r"[.!?]['\")]*(?=\s+\S)")  # where a sentence may end: a stop, a closing quote or bracket, a space
_LIST_NUMBER = re.compile(r"(?:^|[\s:;])\d{1,2}\.$")  # "1. Vormen van samenwerking" is not a sentence end


def sentences(text: str) -> list[str]:
    """A paragraph cut after . ! or ? when a capital, a digit or a quote follows, not after an abbreviation or a
    list number."""
    text = " ".join(text.split())
    out, start = [], 0
    for match in _END.finditer(text):
        before, after = text[start:match.end()], text[match.end():].lstrip()
        if not (after[0].isupper() or after[0].isdigit() or after[0] in "'\""):
            continue
        if before.lower().endswith(ABBREVIATIONS) or _LIST_NUMBER.search(before):
            continue
        out.append(before.strip())
        start = match.end()
    return out + [text[start:].strip()] if text[start:].strip() else out


_BREAK = "\0"  # a <br>; the template's own line ends are spaces, as a browser shows them


def _text(element) -> str:
    """The element's text with each <br> as _BREAK (comments left out)."""
    parts = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        parts.append(_BREAK if child.tag == "br" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def report_lines(html: str) -> list[str]:
    """The visible text of a report in document order: headings marked as in Markdown, list items with '- ', one
    sentence per line (a continued list item indented)."""
    from lxml import html as lxml_html

    lines = []
    for element in lxml_html.fromstring(html).iter(*BLOCKS):
        if any(a.tag in (*BLOCKS, "svg") for a in element.iterancestors()):
            continue  # in an outer block's text, or a chart's own title (the chart tests read those)
        mark = HEADINGS.get(element.tag, LIST_ITEM if element.tag == "li" else "")
        said = [s for line in _text(element).split(_BREAK) for s in sentences(line)]
        lines += [(mark if i == 0 else " " * len(mark)) + s for i, s in enumerate(said)]
    return lines


def without_versions(text: str) -> str:
    """The program's and Python's version replaced: the snapshot is the same on every interpreter and release."""
    return (text.replace(f"monitor_aoj {__version__}", "monitor_aoj <versie>")
            .replace(f"Python {platform.python_version()}", "Python <versie>"))


def as_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# --- inputs ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand_report(tmp_path_factory) -> str:
    """The HTML report of the hand-counted export, made by the stages `rapport` runs (without the Word document,
    workbook and chart files, which are made from the same build)."""
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.report.html import render_report
    from monitor_aoj.report_workers import report_inputs

    paths = pipeline.Paths(DATA / "handtelling", None, tmp_path_factory.mktemp("handtelling"))
    s = pipeline.setup(paths)
    validation = validate(s.config, s.questionnaires, list(s.config.exports))
    responses = build_responses(validation.clean_exports(), s.questionnaires)
    opens, _ = pipeline.open_answers_for(paths, s, responses)
    figures = pipeline.figures_for(responses, s.questionnaires, s.config.settings.minimum_base, opens.figures)
    (data,) = report_inputs(s, validation, figures, REPORT_DATE, opens)
    return render_report(data)


@pytest.fixture(scope="module")
def bad_export(tmp_path_factory) -> dict[str, bytes]:
    """The files `valideer` writes for tests/data/fouten: name -> bytes."""
    output = tmp_path_factory.mktemp("fouten")
    pipeline.check(pipeline.Paths(DATA / "fouten", None, output))
    return {p.name: p.read_bytes() for p in pipeline.validation_files(output, "foutregio", 2021)}


def _csv_text(content: bytes) -> str:
    """A CSV as the product writes it (BOM, CRLF) as text with plain line ends: the snapshot file is text."""
    assert content.startswith(b"\xef\xbb\xbf") and content.endswith(b"\r\n")
    return content.decode("utf-8-sig").replace("\r\n", "\n")


# --- the snapshots -----------------------------------------------------------------------------------------------


def test_report_text(hand_report, snapshot):
    text = without_versions("\n".join(report_lines(hand_report))) + "\n"
    assert str(DATA) not in text and platform.python_version() not in text
    assert "# Onderzoeksresultaten Monitor Aansluiting Onderwijs Jeugd" in text  # the report, not an error page
    assert text == snapshot(extension_class=Text)


def test_report_table(hand_report, snapshot):
    rows = tables(hand_report)[TABLE]
    assert rows[0] == ["Antwoord", "Onderwijs", "Jeugdhulp", "Totaal"]
    assert as_csv(rows) == snapshot(extension_class=Csv)


def test_validation_csv(bad_export, snapshot):
    text = _csv_text(bad_export["validatie_foutregio_2021.csv"])
    # Every row of tests/data/fouten/fouten.csv but the first has its fault (README.md there).
    found_in = {row[2] for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert found_in >= {str(r) for r in range(3, 12)}, found_in
    assert text == snapshot(extension_class=Csv)


def test_quarantine_csv(bad_export, snapshot):
    assert _csv_text(bad_export["quarantaine_foutregio_2021.csv"]) == snapshot(extension_class=Csv)


# --- the cutting into sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize("paragraph, expected", [
    ("Eén zin. Nog een (n = 4). 10 professionals!", ["Eén zin.", "Nog een (n = 4).", "10 professionals!"]),
    ("Centraal: 1. Vormen; 2. Zorg.", ["Centraal: 1. Vormen; 2. Zorg."]),
    ("Een leerplichtambtenaar bijv. Jan telt mee.", ["Een leerplichtambtenaar bijv. Jan telt mee."]),
    ("De stelling is: 'Ja.' Daarna meer.", ["De stelling is: 'Ja.'", "Daarna meer."]),
    ("p = 0,844, na correctie p = 1,000. Één respondent.", ["p = 0,844, na correctie p = 1,000.", "Één respondent."]),
    ("19.999 keer, niet 0,05. nog niet", ["19.999 keer, niet 0,05. nog niet"]),
    ('Alleen dat. "n.b." betekent: te weinig.', ["Alleen dat.", '"n.b." betekent: te weinig.']),
])
def test_sentences(paragraph, expected):
    assert sentences(paragraph) == expected
