"""Every yes/no setting in the files users edit is read by one rule (yaml_reader.yes_no): ja/j/nee/n, true/false,
1/0 and YAML's booleans; anything else is a Dutch error naming the file and the setting, never a silent yes or no.
(Before: `in_aanbevelingen: j` was silently 'nee', `citeren: misschien` silently 'ja'.)"""

from __future__ import annotations

import re
import shutil

import pytest

from monitor_aoj.definitions.codebooks import load_codebooks
from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
from monitor_aoj.definitions.yaml_reader import NO_WORDS, YES_WORDS, yes_no
from monitor_aoj.errors import ConfigError

from conftest import QUESTIONNAIRES

RECOMMEND = "    - {vraag: verbetering_open, titel: Verbetervoorstellen, in_aanbevelingen: ja}"
QUOTE = "  - id: geen_suggestie\n    label: Geen suggestie\n    citeren: nee\n"


@pytest.mark.parametrize("value, expected", [(w, True) for w in YES_WORDS] + [(w, False) for w in NO_WORDS]
                         + [(w.upper(), True) for w in YES_WORDS] + [(True, True), (False, False), (1, True),
                                                                      (0, False), (" Ja ", True)])
def test_the_words(value, expected):
    assert yes_no(value) is expected


@pytest.mark.parametrize("value", ["misschien", "", "jaa", "2", None, "wel", "nein"])
def test_anything_else_is_neither(value):
    assert yes_no(value) is None


def copy(tmp_path):
    folder = tmp_path / "v"
    shutil.copytree(QUESTIONNAIRES, folder)
    return folder


def with_line(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("value, expected", [("j", True), ("JA", True), ("n", False), ("false", False)])
def test_a_chapter_in_the_recommendations(tmp_path, value, expected):
    folder = copy(tmp_path)
    with_line(folder / "aoj_2021.yaml", RECOMMEND, RECOMMEND.replace("in_aanbevelingen: ja",
                                                                     f"in_aanbevelingen: {value}"))
    chapter = {c.item: c for c in load_questionnaires(folder)[2021].chapters}["verbetering_open"]
    assert chapter.recommend is expected


def test_a_chapter_with_another_word_is_a_dutch_error(tmp_path):
    folder = copy(tmp_path)
    with_line(folder / "aoj_2021.yaml", RECOMMEND, RECOMMEND.replace("in_aanbevelingen: ja",
                                                                     "in_aanbevelingen: misschien"))
    with pytest.raises(ConfigError, match=re.escape("aoj_2021.yaml, rapport, eigen_hoofdstuk: 'in_aanbevelingen' is "
                                                    "'ja' of 'nee', niet 'misschien'")):
        load_questionnaires(folder)


@pytest.mark.parametrize("value, expected", [("n", False), ("false", False), ("j", True), ("ja", True)])
def test_a_subtheme_to_quote(tmp_path, value, expected):
    folder = copy(tmp_path)
    with_line(folder / "codeboeken" / "verbetering_open.yaml", QUOTE, QUOTE.replace("citeren: nee",
                                                                                    f"citeren: {value}"))
    book = load_codebooks(folder)["verbetering_open"]
    assert {s.id: s.quotable for s in book.subthemes}["geen_suggestie"] is expected


def test_a_subtheme_with_another_word_is_a_dutch_error(tmp_path):
    folder = copy(tmp_path)
    with_line(folder / "codeboeken" / "verbetering_open.yaml", QUOTE, QUOTE.replace("citeren: nee",
                                                                                    "citeren: misschien"))
    with pytest.raises(ConfigError, match=r"verbetering_open\.yaml.*'citeren' is 'ja' of 'nee', niet 'misschien'"):
        load_codebooks(folder)
