"""The generated Dutch text follows its rules, and the words match the numbers."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import pytest

from monitor_aoj.definitions.questionnaire import Category, Item, Scale
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Comparison, Row
from monitor_aoj.report.introduction import results_intro
from monitor_aoj.report.narrative import sector_comparison, striking
from monitor_aoj.report.tables import ItemTable
from monitor_aoj.report.word_rule import NO_DIFFERENCE_WORDS, SIGNAL_WORDS, size_word

from htmltables import tables

YES_NO = Scale("ja_nee", "nominaal", (Category(1, "Ja"), Category(2, "Nee")), (1,), "ja")
ITEM = Item("zicht", "vormen", "T1", "gesloten", "Zicht op jeugdhulp", (("", "De school heeft zicht."),), YES_NO)


def table(jeugdhulp: tuple[int, int], onderwijs: tuple[int, int], significant: bool, p: float = 0.01) -> ItemTable:
    diff = jeugdhulp[0] / jeugdhulp[1] - onderwijs[0] / onderwijs[1]
    test = Comparison(diff, p, p if significant else 0.3, "Fisher exact",
                      F.SIGNIFICANT if significant else F.NOT_SIGNIFICANT)
    return yes_no_table(jeugdhulp, onderwijs, test)


def yes_no_table(jeugdhulp: tuple[int, int], onderwijs: tuple[int, int], test: Comparison,
                 item: Item = ITEM) -> ItemTable:
    """A ja/nee item with (k, n) of 'ja' per sector, the totaal pooled, and the given sector test."""
    def cell(k, n):
        return Cell(k / n, k, n)

    groups = {F.JEUGDHULP: jeugdhulp, F.ONDERWIJS: onderwijs,
              F.TOTAAL: (jeugdhulp[0] + onderwijs[0], jeugdhulp[1] + onderwijs[1])}
    yes = Row("1", "Ja", {g: cell(k, n) for g, (k, n) in groups.items()})
    no = Row("2", "Nee", {g: cell(n - k, n) for g, (k, n) in groups.items()})
    base = {g: n for g, (_, n) in groups.items()}
    return ItemTable(item, F.SECTOR_GROUPS, (yes, no), Row("1", "ja", yes.cells), None, None, None, base, test)


def test_a_22_point_gap_is_never_iets():
    # The reference report called 86% against 64% "iets lager". Not significant, it gets no size word at all
    # (issue 11: the word rule).
    text = sector_comparison(table((19, 22), (12, 19), True))
    assert "iets" not in text and "veel vaker" in text, text
    text = sector_comparison(table((19, 22), (12, 19), False))
    assert "iets" not in text and "vaker" not in text and "(86%) en onderwijs (63%): 23 procentpunt" in text


@pytest.mark.parametrize("gap, word", [(0.03, None), (0.05, "iets"), (0.09, "iets"), (0.10, "flink"),
                                       (0.19, "flink"), (0.20, "veel"), (0.45, "veel")])
def test_size_words_follow_the_size(gap, word):
    assert size_word(gap) == word
    assert size_word(-gap) == word


def test_size_words_are_judged_on_the_numbers_as_printed():
    # 1.0 - 0.8 is 0.19999... in floating point; printed it is 100% against 80%: 20 points, "veel".
    text = sector_comparison(table((22, 22), (16, 20), significant=True))
    assert "(100% tegen 80%, 20 procentpunt verschil)" in text and "veel vaker" in text
    assert size_word(-0.0999999) == "flink"  # shown as -10 procentpunt
    assert size_word(0.0449) is None  # shown as 4 procentpunt


def test_a_non_significant_gap_is_never_called_a_real_difference():
    for j in range(2, 22):
        text = sector_comparison(table((j, 22), (10, 19), significant=False))
        assert "significant" not in text and "echt" not in text, text
        assert NO_DIFFERENCE_WORDS in text or SIGNAL_WORDS in text


def test_a_significant_gap_says_so():
    text = sector_comparison(table((20, 22), (8, 19), significant=True))
    assert text.endswith("de antwoorden in de twee sectoren verschillen statistisch significant.")
    assert "91% tegen 42%" in text


def test_opvallend_only_when_the_rule_finds_a_contrast():
    assert striking(table((20, 22), (8, 19), significant=True)).startswith("Opvallend is dat 58% van de "
                                                                             "respondenten uit het onderwijs 'nee'")
    assert striking(table((20, 22), (8, 19), significant=False)) == ""  # large but could be chance
    assert striking(table((15, 22), (12, 19), significant=True)) == ""  # significant but under 20 points


def test_results_intro_counts_the_themes_it_lists():
    text = results_intro([(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "E")], ["extra"])
    assert text.startswith("In het onderzoek staan vijf thema's centraal: 1. A; 2. B; 3. C; 4. D; 5. E.")
    assert "één extra vraag" in text
    # A region that dropped theme 2 keeps the monitor's numbers, as its headings do.
    assert results_intro([(1, "A"), (3, "C"), (4, "D"), (5, "E")], []).startswith(
        "In het onderzoek staan vier thema's centraal: 1. A; 3. C; 4. D; 5. E.")


# --- the sample report as a whole ---------------------------------------------------------------------------------


class Sections(HTMLParser):
    """h2 headings in document order, and the table of contents."""

    def __init__(self):
        super().__init__()
        self.h2, self.toc, self._in, self._nav = [], [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self._nav = True
        if tag in ("h2", "a"):
            self._in = tag
            if tag == "a" and self._nav:
                self.toc.append("")

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav = False
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "h2" and not self._nav:
            self.h2.append(data.strip())
        elif self._in == "a" and self._nav:
            self.toc[-1] += data.strip()


@pytest.fixture(scope="module")
def html(sample_run):
    """Beekdal-Noord 2021 of the session's one sample run (conftest.sample_run)."""
    report = sample_run.out / "beekdal-noord" / "2021" / "monitor-aoj_beekdal-noord_2021.html"
    return html_lib.unescape(report.read_text(encoding="utf-8"))


def test_toc_equals_the_sections_in_order(html):
    parsed = Sections()
    parsed.feed(html)
    assert parsed.toc == parsed.h2
    # Issue 12: the summary first, the figures per question in an appendix before the Verantwoording.
    assert parsed.h2[:2] == ["Bestuurlijke samenvatting", "Inleiding"]
    assert parsed.h2[-5:] == ["Vergelijking met andere regio's", "Conclusie", "Aanbevelingen",
                              "Bijlage: Tabellen per vraag", "Verantwoording"]


def test_section_counts_in_the_text_equal_the_sections(html):
    parsed = Sections()
    parsed.feed(html)
    numbered = [h for h in parsed.h2 if re.match(r"\d+\. ", h)]
    regular = [h for h in numbered if "Regionale" not in h]
    words = {4: "vier", 5: "vijf", 6: "zes"}
    assert f"In het onderzoek staan {words[len(regular)]} thema's centraal" in html
    for h in regular:
        assert h in html.split("In het onderzoek staan", 1)[1].split("</p>", 1)[0]


def test_reading_guide_follows_the_real_order(html):
    guide = re.search(r"Het rapport is zo opgebouwd: (.*?)\.</p>", html).group(1)
    parts = ["onderzoeksresultaten", "Voorbeelden om trots op te zijn", "Verbetervoorstellen", "ontwikkeling",
             "vergelijking met andere regio's", "conclusie", "aanbevelingen", "verantwoording"]
    positions = [guide.lower().index(p.lower()) for p in parts]
    assert positions == sorted(positions)
    parsed = Sections()
    parsed.feed(html)
    chapter_order = [parsed.h2.index(h) for h in ("Voorbeelden om trots op te zijn", "Verbetervoorstellen",
                                                   "Conclusie", "Verantwoording")]
    assert chapter_order == sorted(chapter_order)


def test_sentences_state_the_numbers_of_the_tables(html):
    found = tables(html)
    checked = 0
    for item_id in re.findall(r'<div class="vraag" id="vraag-(\w+)">', html):
        block = html.split(f'id="vraag-{item_id}"', 1)[1].split('<div class="vraag', 1)[0]
        sentence = re.sub(r"<[^>]+>", "", re.search(r"<p>(.*?)</p>", block, re.S).group(1))  # inline tags only
        rows = found[f"tabel-{item_id}"]
        header = rows[0]
        head = next((r for r in rows if r[0].startswith("Samen:")), None) or next(
            (r for r in rows if r[0] in ("Ja",)), None)
        if head is None:
            continue
        for group, phrase in (("Jeugdhulp", "uit de jeugdhulp"), ("Onderwijs", "uit het onderwijs")):
            pct = head[header.index(group)].split()[0]
            assert re.search(rf"{re.escape(pct)} \(n = \d+\) van de respondenten {phrase}", sentence), (item_id, group)
        checked += 1
    assert checked >= 10


def test_totaal_is_defined_as_pooled(html):
    assert "niet als gemiddelde van de twee sectoren" in html


def test_every_figure_has_its_n_and_interval(html):
    # Every percentage in an item table is followed by its count and an interval line.
    for table_id, rows in tables(html).items():
        if not table_id.startswith("tabel-") or table_id in ("tabel-trends", "tabel-benchmark",
                                                              "tabel-verantwoording"):
            continue
        for row in rows[1:]:
            for cell in row[1:]:
                if cell.endswith("%") and "(" in cell:
                    assert re.fullmatch(r"\d+% \(\d+\) \d+–\d+%", cell), (table_id, row[0], cell)
