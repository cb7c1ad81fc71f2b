"""Per open question: how much is "Overig", whether a coordinator reviewed the coding, and when to advise a review."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor_aoj.definitions.codebooks import OTHER
from monitor_aoj.definitions.questionnaire import Item
from monitor_aoj.dutch import HIDDEN
from monitor_aoj.figures import schema as F
from monitor_aoj.open_answers.answers import OpenAnswers
from monitor_aoj.report.open_answer_text import (
    REVIEW_COMMAND,
    REVIEW_OTHER_SHARE,
    coding_note,
    open_answered,
    review_advice,
    review_advised,
    review_rule,
)
from monitor_aoj.report.tables import OpenQuestion, open_question

import dutchtext as D

ITEM = Item("verbetering_open", "oordeel", "T3", "open", "Verbetervoorstellen", (("", "Hoe kan het beter?"),), None)


def question(n: int | None, other: int | None, reviewed: int) -> OpenQuestion:
    return OpenQuestion(ITEM, {F.TOTAAL: n, F.ONDERWIJS: None, F.JEUGDHULP: None}, (), {}, frozenset(), other,
                        reviewed)


def _clean(text: str) -> list[str]:
    return [p for s in D.split_sentences(text) for p in D.problems(s)]


@pytest.mark.parametrize("n, other, reviewed, expected", [
    (27, 10, 0, "10 van de 27 antwoorden (37%) passen in geen subthema (Overig); de indeling is (nog) niet door "
                "een coördinator nagekeken."),
    (27, 1, 27, "1 van de 27 antwoorden (4%) past in geen subthema (Overig); een coördinator heeft de indeling van "
                "alle antwoorden nagekeken."),
    (27, 0, 5, "Alle 27 antwoorden passen in minstens één subthema; een coördinator heeft de indeling van 5 van de 27 "
               "antwoorden nagekeken."),
    (1, 1, 1, "Het enige antwoord past in geen subthema (Overig); een coördinator heeft de indeling nagekeken."),
    (1, 0, 0, "Het enige antwoord past in minstens één subthema; de indeling is (nog) niet door een coördinator "
              "nagekeken."),
])
def test_coding_note_counts_and_words(n, other, reviewed, expected):
    text = coding_note(question(n, other, reviewed))
    assert text == expected
    assert _clean(text) == []


def test_coding_note_is_empty_when_the_answers_are_hidden():
    assert coding_note(question(None, None, 0)) == ""
    assert coding_note(question(12, None, 0)).startswith(f"Hoeveel antwoorden in geen subthema passen, is {HIDDEN};")


def test_review_is_advised_by_the_one_rule():
    bound = REVIEW_OTHER_SHARE
    at_bound = question(100, round(bound * 100), 100)
    below = question(100, round(bound * 100) - 1, 100)
    assert review_advised(at_bound) and not review_advised(below)
    assert review_advised(question(100, 0, 0))  # nothing reviewed
    assert not review_advised(question(None, None, 0))
    assert review_advice([below]) == ""
    text = review_advice([at_bound, question(8, 0, 0)])
    assert "'Verbetervoorstellen' (25%)" in text and "nog niet door een coördinator nagekeken" in text
    assert REVIEW_COMMAND in text and _clean(text) == []
    assert f"{round(bound * 100)}%" in review_rule()


def _figs(k_other: int | None, n: int) -> pd.DataFrame:
    rows = []
    for code, label, k in (("jg_coaches", "J&G coaches", n - (k_other or 0)), (OTHER, "Overig", k_other)):
        if k is None:
            continue
        rows.append({"item": ITEM.id, "statistic": F.SUBTHEME, "group": F.TOTAAL, "category": code, "label": label,
                     "order": 0 if code != OTHER else 1, "k": k, "n": n, "value": k / n, "ci_low": 0.0,
                     "ci_high": 1.0, "suppressed": False})
    return pd.DataFrame(rows)


def test_open_question_counts_overig_from_the_figures():
    quotes = pd.DataFrame(columns=["item", "code", "rank", "text"])
    q = open_question(_figs(10, 27), quotes, ITEM, groups=(F.TOTAAL,), reviewed=3)
    assert (q.other, q.answers, q.reviewed) == (10, 27, 3)
    assert q.other_share == pytest.approx(10 / 27)
    # No "Overig" row in the figures: no answer is in Overig.
    assert open_question(_figs(None, 27), quotes, ITEM, groups=(F.TOTAAL,)).other == 0


def test_review_status_per_question():
    answers = pd.DataFrame({"item": ["a", "a", "b"], "reviewed": [True, False, False],
                            "changed": [False, True, False]})
    opens = OpenAnswers(answers, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    assert opens.review_by_item() == {"a": {"total": 2, "reviewed": 1, "changed": 1},
                                      "b": {"total": 1, "reviewed": 0, "changed": 0}}
    assert OpenAnswers(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame()).review_by_item() == {}


@pytest.mark.parametrize("n, per_sector, expected", [
    ({F.TOTAAL: 27, F.ONDERWIJS: 12, F.JEUGDHULP: 15}, True,
     "27 respondenten gaven een antwoord: 12 uit het onderwijs en 15 uit de jeugdhulp."),
    ({F.TOTAAL: 7, F.ONDERWIJS: None, F.JEUGDHULP: 4}, True,
     f"7 respondenten gaven een antwoord; het aantal per sector is {HIDDEN}."),
    ({F.TOTAAL: 1, F.ONDERWIJS: None, F.JEUGDHULP: None}, False, "1 respondent gaf een antwoord."),
    # A hidden total never prints "None".
    ({F.TOTAAL: None, F.ONDERWIJS: None, F.JEUGDHULP: None}, True,
     f"Hoeveel respondenten een antwoord gaven en welke subthema's zij noemden, is {HIDDEN}."),
])
def test_how_many_answered_an_open_question(n, per_sector, expected):
    q = OpenQuestion(ITEM, n, (), {}, frozenset(), None, 0)
    assert open_answered(q, per_sector) == expected
    assert not _clean(expected)
