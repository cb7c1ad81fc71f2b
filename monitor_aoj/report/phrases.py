"""Word choices of the report's sentences: how a sector, a count and a filter question are named (a hidden
figure: dutch.HIDDEN, for every output).

Every sentence module takes its words from here, so one group or one share is named the same way throughout.
"""

from __future__ import annotations

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.dutch import lower_first
from monitor_aoj.figures import schema as F

SECTOR_PHRASE = {F.ONDERWIJS: "uit het onderwijs", F.JEUGDHULP: "uit de jeugdhulp"}
# A mirrored item asks each sector about the other one (questionnaire: a text per sector, Item.per_sector).
ABOUT_OTHER = {F.ONDERWIJS: "over de jeugdhulp", F.JEUGDHULP: "over het onderwijs"}
SECTOR_NAME = {F.ONDERWIJS: "het onderwijs", F.JEUGDHULP: "de jeugdhulp"}
ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde", 6: "zesde", 7: "zevende", 8: "achtste"}


def ordinal(number: int) -> str:
    """'eerste', 'tweede', ...; '9e' from nine on."""
    return ORDINALS.get(number, f"{number}e")


def join(words: list[str], last: str = "en") -> str:
    """'a', 'a en b', 'a, b en c'; with last='of': 'a, b of c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


# (lower bound of the share, words). Checked from the top; the numbers are always given beside the words.
FREQUENCY_WORDS = (
    (0.90, "vrijwel alle respondenten"),
    (0.80, "een grote meerderheid"),
    (0.70, "ongeveer driekwart"),
    (0.60, "ongeveer twee derde"),
    (0.50, "iets meer dan de helft"),
    (0.45, "bijna de helft"),
    (0.37, "ruim een derde"),
    (0.30, "ongeveer een derde"),
    (0.20, "ongeveer een kwart"),
    (0.10, "een klein deel"),
)


def frequency(k: int, n: int) -> str:
    """Words for 'k of n respondents', chosen by rule: 'bijna de helft', never more than the numbers say."""
    if n <= 0 or k <= 0:
        return "niemand"
    if k == n:
        return "de enige respondent" if n == 1 else "alle respondenten"
    if k == 1:
        return "één respondent"
    share = k / n
    if 2 * k == n:
        return "de helft"
    for bound, words in FREQUENCY_WORDS:
        if share >= bound:
            return words
    return "enkele respondenten"


def capital(text: str) -> str:
    """The text with its first letter a capital."""
    return text[0].upper() + text[1:]


FILTERED = "filtervraag"  # the word the report uses for a follow-up's smaller base


def filtered_bases(q: Questionnaire) -> dict[str, str]:
    """Item id -> the answer that led to it, for every item asked only after a filter question
    (questionnaire.Item.filter): "op 'Gezamenlijke aandacht voor preventie' 'ja'"."""
    out = {}
    for item in q.items:
        if item.filter is None or not q.has_item(item.filter.item):
            continue
        source = q.item(item.filter.item)
        labels = []
        for code in item.filter.codes:
            try:
                labels.append(f"'{lower_first(source.closed_scale.label(code))}'")
            except KeyError:
                labels.append(str(code))
        out[item.id] = f"op '{source.short}' {' of '.join(labels)}"
    return out
