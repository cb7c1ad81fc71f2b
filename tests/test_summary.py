"""The Bestuurlijke samenvatting (issue 12): key messages chosen by rule, and the coordinator's own text from a
Markdown file in the input folder, rendered without raw HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.definitions.summary_text import SUMMARY_NAME, read_summary
from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Row
from monitor_aoj.report.comparison_rows import TrendRow
from monitor_aoj.report.markup import coordinator_html
from monitor_aoj.report.open_answer_text import mentions
from monitor_aoj.report.recommendations import open_answer_points
from monitor_aoj.report.summary import MAX_MESSAGES, key_messages

from conftest import QUESTIONNAIRES, ROOT, SAMPLES
from test_charts import MIRRORED, OTHER
from test_narrative import ITEM
from test_word_rule import cmp, yes_table

HOSTILE = """# Besluit gevraagd

<script>alert('x')</script>

Het bestuur wordt gevraagd **twee** dingen te besluiten:

1. De J&G coaches blijven; eigenaar: <b onclick="steal()">wethouder</b>.
2. ![logo](http://voorbeeld.nl/logo.png) [klik](javascript:alert(1))
"""


def test_markdown_is_rendered_without_raw_html_images_or_script_links():
    html = coordinator_html(HOSTILE)
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert "<b " not in html and "&lt;b onclick" in html
    assert "<img" not in html and "voorbeeld.nl" not in html  # nothing is fetched from anywhere, not even linked
    assert "[afbeelding: logo]" in html  # the image is said, in its alt text
    assert "javascript:" not in html.replace("[klik](javascript:alert(1))", "")
    assert "<h4>Besluit gevraagd</h4>" in html  # under the summary's h3: the heading order holds
    assert "<strong>twee</strong>" in html and "<ol>" in html


def test_the_summary_file_is_read_as_utf8_or_refused_in_dutch(tmp_path):
    path = tmp_path / SUMMARY_NAME.format(region="beekdal-noord", wave=2021)
    assert read_summary(path) is None  # no file: the report says how to add one
    path.write_text("Één zin.", encoding="utf-8")
    assert read_summary(path) == "Één zin."
    path.write_bytes("Één zin.".encode("cp1252"))
    with pytest.raises(ConfigError, match=r"beekdal-noord_2021_samenvatting\.md: dit bestand is geen UTF-8-tekst"):
        read_summary(path)


# --- key messages by rule -----------------------------------------------------------------------------------------


def test_key_messages_pick_the_strongest_and_weakest_and_hold_no_p_value():
    strong = yes_table((38, 40), (37, 40), significant=False, p=0.6)
    weak = yes_table((10, 40), (30, 40), significant=True, p=0.001, item=OTHER)
    signal = yes_table((30, 40), (20, 40), significant=False, p=0.02, item=MIRRORED)
    messages = key_messages([strong, weak, signal], [], 2021, [])
    kinds = [k for k, _ in messages]
    assert kinds[:2] == ["sterk", "zwak"]
    assert messages[0][1].startswith("Sterkste punt: Zicht op jeugdhulp: 94%")
    assert messages[1][1].startswith("Zwakste punt: Overleg aanwezig. Slechts 50%")
    assert "verschil" in kinds
    assert len(messages) <= MAX_MESSAGES
    assert not any("p =" in m or "p <" in m for _, m in messages)


def trend_row(item, then, now, p, significant, status=""):
    return TrendRow(item, {2018: Cell(then, None, 40), 2021: Cell(now, None, 50)}, {2018: status, 2021: ""},
                    {2018: "", 2021: ""}, {2018: cmp(now - then, p, significant)}, False)


def test_only_a_comparable_significant_change_is_a_key_message():
    rise = trend_row(ITEM, 0.40, 0.70, 0.001, True)
    chance = trend_row(OTHER, 0.40, 0.75, 0.2, False)  # larger, but not significant
    messages = dict(key_messages([], [chance, rise], 2021, []))
    assert messages["verandering"] == ("Sinds 2018 gestegen: Zicht op jeugdhulp (van 40% naar 70%, +30 procentpunt, "
                                       "statistisch significant).")
    not_comparable = trend_row(ITEM, 0.40, 0.70, 0.001, True, status=F.NOT_COMPARABLE)
    assert "verandering" not in dict(key_messages([], [not_comparable], 2021, []))


class Question:
    """The shape of tables.OpenQuestion the rules read: an item, its sub-theme rows and the quiet ones."""

    def __init__(self, item, counts: dict[str, int], n: int, quiet=frozenset()):
        self.item, self.quiet = item, quiet
        self.rows = tuple(Row(code, code.capitalize(), {F.TOTAAL: Cell(k / n, k, n)}) for code, k in counts.items())


def test_open_answers_are_named_with_x_of_n_from_every_question():
    coaches = Question(ITEM, {"coaches": 13, "overig": 20, "overleg": 4, "eenmalig": 1}, 27)
    other = Question(OTHER, {"tijd": 5, "geld": 2}, 30, quiet=frozenset({"geld"}))
    assert mentions(coaches) == [("Coaches", 13, 27), ("Overleg", 4, 27)]  # no "Overig", none below two
    points = open_answer_points([coaches, other])
    assert points == ["Zicht op jeugdhulp: coaches (13 van de 27) en overleg (4 van de 27).",
                      "Overleg aanwezig: tijd (5 van de 30)."]
    message = dict(key_messages([], [], 2021, [other, coaches]))["open"]
    assert message == ("In de open antwoorden noemen respondenten het vaakst: coaches (13 van de 27) bij "
                       "'Zicht op jeugdhulp' en tijd (5 van de 30) bij 'Overleg aanwezig'.")


# --- in the report -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_coordinators_text_stands_in_the_summary_as_the_regions_own_words(tmp_path):
    folder = tmp_path / "invoer"
    shutil.copytree(SAMPLES, folder)
    (folder / SUMMARY_NAME.format(region="duinhoven", wave=2021)).write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "uit"
    subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(folder), "--uitvoer", str(out),
                    "--vragenlijsten", str(QUESTIONNAIRES), "--regio", "duinhoven", "--datum", "2021-05-25"],
                   cwd=ROOT, check=True, capture_output=True, timeout=600)
    with_text = (out / "duinhoven" / "2021" / "monitor-aoj_duinhoven_2021.html").read_text(encoding="utf-8")
    summary = with_text.split('<section id="samenvatting">', 1)[1].split("</section>", 1)[0]
    assert "Toelichting van de regio</h3>" in summary and "In de eigen woorden van de regio Duinhoven" in summary
    assert "<h4>Besluit gevraagd</h4>" in summary and "&lt;script&gt;" in summary
    assert "<script" not in with_text and "<img" not in with_text
    # The other waves have no file: their slot says which file to add, and where.
    without = (out / "duinhoven" / "2018" / "monitor-aoj_duinhoven_2018.html").read_text(encoding="utf-8")
    assert "<code>duinhoven_2018_samenvatting.md</code> (Markdown) in de invoermap" in without
    assert load_config(folder).region("duinhoven").export(2021).summary == HOSTILE
