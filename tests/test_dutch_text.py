"""Every generated sentence of the sample reports, and the sentence functions at their edges, read as Dutch.

The checks (tests/dutchtext.py) look for kinds of mistakes, not for fixed sentences: double spaces, a missing
space after a full stop, a count with the wrong number of its noun ("1 namen"), an impossible or empty range
("0% tot 0%"), made-up verb forms ("gafen"), empty brackets, a sentence that starts in lower case, and labels from
the questionnaire capitalised in the middle of a sentence ("is 40% (Jeugd)hulpverlener").
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from monitor_aoj import dutch as fmt
from monitor_aoj.definitions.codebooks import load_codebooks
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Comparison, Row
from monitor_aoj.report.introduction import results_intro
from monitor_aoj.report.method_notes import detectable_sentence, nonresponse_sentence
from monitor_aoj.report.narrative import item_summary, sector_comparison
from monitor_aoj.report.open_answer_text import subtheme_sentence

import dutchtext as D
from conftest import QUESTIONNAIRES
from test_narrative import table, yes_no_table


def _labels(questionnaires) -> set[str]:
    """Labels from the questionnaires and codebooks that are ordinary words (lower_first changes them)."""
    labels = set()
    for q in questionnaires.values():
        for question in (q.background.functie, q.background.schooltype):
            labels |= {c.label for c in question.choices}
    for book in load_codebooks(QUESTIONNAIRES).values():
        labels |= {s.label for s in book.subthemes}
    return {label for label in labels if fmt.lower_first(label) != label}


def _titles(questionnaires) -> list[str]:
    """The short names of the items: titles of statements (also headings and links), written as in the
    questionnaire wherever they stand, so a sub-theme label inside one is no label written mid-sentence."""
    return sorted({it.short for q in questionnaires.values() for it in q.items}, key=len, reverse=True)


def capitalised_labels(sentence: str, labels: set[str], titles: list[str] = ()) -> list[str]:
    """A label written with its capital after a lower-case word inside a sentence (item titles left out)."""
    for title in titles:
        sentence = sentence.replace(title, "«vraag»")
    return [f"hoofdletter midden in de zin: '{label}'" for label in labels
            if re.search(r"(?<=[a-zë,;:%)] )" + re.escape(label) + r"(?![\w])", sentence)]


@pytest.fixture(scope="module")
def reports(sample_run) -> dict[str, str]:
    """Every sample region and wave, rendered once by the real command (the session's run, conftest)."""
    assert sample_run.proc.returncode == 0, sample_run.proc.stderr
    out = sample_run.out
    found = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*/*/monitor-aoj_*.html"))}
    assert len(found) >= 12, f"verwacht een rapport per regio en meting, gevonden: {sorted(found)}"
    return found


@pytest.mark.slow
def test_every_sentence_of_every_sample_report(reports, questionnaires):
    labels, titles = _labels(questionnaires), _titles(questionnaires)
    problems = []
    for name, page in reports.items():
        problems += [f"{name}: {p}" for p in D.report_problems(page)]
        for tag, text in D.visible_texts(page):
            for sentence in D.split_sentences(text):
                problems += [f"{name}: {tag}: {p} -- {sentence[:120]}"
                             for p in capitalised_labels(sentence, labels, titles)]
    assert not problems, f"{len(problems)} fouten in de tekst, bijvoorbeeld:\n" + "\n".join(problems[:30])


@pytest.mark.slow
def test_the_sample_reports_really_were_read(reports):
    """The text check reads real sentences: enough of them, and with the kinds it checks present in sound form."""
    texts = [t for page in reports.values() for _, t in D.visible_texts(page)]
    sentences = [s for t in texts for s in D.split_sentences(t)]
    assert len(sentences) > 5000
    assert any(re.search(r"\b\d+ respondenten gaven een antwoord", s) for s in sentences)
    assert any(" tot " in s and "%" in s for s in sentences)


# --- the checks themselves can fail --------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, kind", [
    ("8 respondenten gafen een antwoord.", "werkwoord"),
    ("Zij gafden niets.", "werkwoord"),
    ("Bij elke tabel staat hoeveel precies.Vragen die alleen gesteld zijn.", "spatie"),
    ("In deze meting: 4 namen, 1 namen van organisaties.", "enkelvoud"),
    ("Er is 1 respondenten.", "enkelvoud"),
    ("Er zijn 3 respondent.", "meervoud"),
    ("Daarnaast zijn twee extra vraag gesteld.", "meervoud"),
    ("Per vraag sloeg 0% tot 0% de vraag over.", "bereik"),
    ("Gemiddeld 64% (van 70% tot 58%).", "bereik"),
    ("Een marge van 50–18%.", "bereik"),
    ("Dit is  dubbel.", "dubbele spatie"),
    ("Dit is een zin .", "spatie voor"),
    ("Dit is een zin. .", "dubbele punt"),
    ("Er staat niets () tussen.", "lege haakjes"),
    ("antwoordt 'ja'.", "kleine letter"),
])
def test_the_checks_find_each_kind(bad, kind):
    assert any(kind in p for p in D.problems(bad)), D.problems(bad)


@pytest.mark.parametrize("good", [
    "De regio scoort een 6,1 (o.a. bij de jeugdhulp, d.w.z. bijv. een wijkteam).",
    "Samenwerkingsverband Duinhoven e.o. heeft in maart 2021 de monitor uitgevoerd.",
    "1 van de 12 antwoorden noemt 3 keer de wachttijd.",
    "Per vraag sloeg 0% tot 7% van de respondenten de vraag over.",
    "Het bestand is lindewaard_2021.sav en het codeboek trots_open.yaml.",
    "Dit is de derde keer; 20 procentpunt verschil in 2018.",
    "n = 5",
])
def test_the_checks_accept_sound_dutch(good):
    assert D.problems(good) == [], D.problems(good)


def test_the_label_check_finds_a_capital_mid_sentence():
    sentence = "Van de 22 respondenten in de jeugdhulp is 36% (Jeugd)hulpverlener en 23% J&G coach."
    assert capitalised_labels(sentence, {"(Jeugd)hulpverlener", "Mentor"})
    assert not capitalised_labels("(Jeugd)hulpverlener: 36%", {"(Jeugd)hulpverlener"})


# --- the sentence functions at their edges -------------------------------------------------------------------------

def _hidden_sectors(t):
    """Both sector figures hidden by suppression; only the totaal shown."""
    def hide(row):
        return Row(row.category, row.label, {g: (dataclasses.replace(c, value=None, suppressed=True)
                                                 if g != F.TOTAAL else c) for g, c in row.cells.items()})
    rows = tuple(hide(r) for r in t.rows)
    return dataclasses.replace(t, rows=rows, positive=Row("1", "ja", rows[0].cells))


def _clean(text: str) -> list[str]:
    return [p for s in D.split_sentences(text) for p in D.problems(s)]


def test_both_sectors_hidden_reads_as_dutch():
    t = _hidden_sectors(table((3, 4), (2, 3), False, p=1.0))
    text = item_summary(t)
    assert _clean(text) == []
    assert "zijn niet getoond" in text and "antwoordt 71% (n = 7) 'ja'" in text
    assert not text.startswith("Niet") and "Over alle respondenten samen is dat" not in text


def test_two_sectors_take_a_plural_verb_and_one_a_singular():
    assert "antwoorden 'ja'" in item_summary(table((3, 4), (2, 5), False, p=1.0))
    hidden_one = dataclasses.replace(table((3, 4), (2, 5), False, p=1.0))
    rows = tuple(Row(r.category, r.label, {**r.cells, F.ONDERWIJS: dataclasses.replace(
        r.cells[F.ONDERWIJS], value=None, suppressed=True)}) for r in hidden_one.rows)
    one = dataclasses.replace(hidden_one, rows=rows, positive=Row("1", "ja", rows[0].cells))
    text = item_summary(one)
    assert "antwoordt 'ja'" in text and "Het antwoord van de respondenten uit het onderwijs is" in text
    assert _clean(text) == []


@pytest.mark.parametrize("significant", [False, True])
def test_equal_values_have_their_own_words(significant):
    text = sector_comparison(table((3, 3), (4, 4), significant, p=0.01 if significant else 1.0))
    assert "even vaak 'ja' (beide 100%)" in text
    assert "procentpunt" not in text and "vrijwel" not in text
    assert _clean(text) == []


def test_n_of_one_reads_as_dutch():
    t = yes_no_table((1, 1), (1, 1), Comparison(0.0, 1.0, 1.0, "Fisher exact", F.NOT_SIGNIFICANT))
    for text in (item_summary(t), sector_comparison(t), subtheme_sentence("Wachttijden", 1, 1),
                 detectable_sentence({F.ONDERWIJS: 1, F.JEUGDHULP: 1, F.TOTAAL: 2}, 5),
                 results_intro([(1, "Vormen van samenwerking")], ["Extra"])):
        assert _clean(text) == [], text


@pytest.mark.parametrize("span, expected", [
    ((0.0, 0.0), "Geen enkele respondent"),
    ((0.001, 0.004), "minder dan 1%"),
    ((0.05, 0.052), "Bij elke vraag sloeg 5%"),
    ((0.0, 0.07), "Per vraag sloeg 0% tot 7%"),
])
def test_nonresponse_never_prints_an_empty_range(span, expected):
    text = nonresponse_sentence(span)
    assert expected in text and _clean(text) == []


def test_labels_are_lowered_inside_a_sentence_but_names_keep_their_capitals():
    assert fmt.lower_first("(Jeugd)hulpverlener") == "(jeugd)hulpverlener"
    assert fmt.lower_first("Mentor") == "mentor"
    for name in ("J&G coach", "JGZ", "M@ZL", "GGZ op school"):
        assert fmt.lower_first(name) == name
    assert "(jeugd)hulpverlener" in subtheme_sentence("(Jeugd)hulpverlener", 3, 10)


def test_replacement_counts_take_the_singular_for_one():
    from monitor_aoj.dutch import REPLACED_KIND_LABELS

    for kind, (one, more) in REPLACED_KIND_LABELS.items():
        assert D.problems(f"In deze meting: 1 {one} en 2 {more}.") == [], kind
        assert fmt.counted(1, one, more) == f"1 {one}" and fmt.counted(2, one, more) == f"2 {more}"
