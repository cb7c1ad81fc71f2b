"""Decode export values by meaning: a value is its label, matched to the questionnaire's labels.

Exports carry the survey tool's own codes with value labels (SPSS, LimeSurvey's R syntax file), answer texts
("JA ", "Weet niet", "n.v.t.") or, when the user says so, the questionnaire's own codes. One lookup per export
column turns all of them into the questionnaire's codes; anything else is reported as invalid, never guessed.
Labels are compared ignoring case, accents, spacing and punctuation, with a short list of Dutch and English
synonyms (SYNONYMS). Validation and the tidy Responses both use these lookups, so they can never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Choice, MissingCode, Questionnaire, Scale
from monitor_aoj.ingest.columns import FUNCTIE, SECTOR

# Status of one answer in the tidy table.
VALID = "geldig"  # a code of the scale, "weet ik niet" included
NO_ANSWER = "geen_antwoord"  # blank, or the "geen antwoord" code
NOT_APPLICABLE = "niet_van_toepassing"  # "n.v.t." code, or skipped by a filter
INVALID = "ongeldig"  # a value the questionnaire does not know



def fold(name: object) -> str:
    """A column, region or sheet name compared the way people mean it: case and spacing do not count."""
    return " ".join(str(name).split()).casefold()


def _number_text(value: object) -> str | None:
    """A number as '1' or '6.5' (also from 1.0, '6,5' and ' 7 '); None when the value is no finite number."""
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
    else:
        try:
            number = float(" ".join(str(value).split()).replace(",", "."))
        except ValueError:
            return None
    if not np.isfinite(number):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


# A number as Excel shows one it cannot show in full: '1,18052E+11', '1.18E+11'. An id written so has lost digits.
_EXCEL_ROUNDED = re.compile(r"-?\d+(?:[.,]\d+)?[eE]\+?\d+")


def excel_rounded(example: str) -> str:
    """What ids in Excel's scientific notation mean and how to get them whole (Dutch), with one of them."""
    return (f"De nummers staan in de wetenschappelijke notatie van Excel (zoals {example.strip()}): Excel heeft ze "
            "afgerond, zodat verschillende respondenten hetzelfde nummer kregen. Exporteer opnieuw als CSV en open "
            "die niet eerst in Excel, of zet de kolom in Excel op 'Tekst' voordat de nummers erin komen.")


def rounded_by_excel(value: object) -> bool:
    """A cell that holds a number in Excel's scientific notation (text such as '1,18052E+11')."""
    return isinstance(value, str) and _EXCEL_ROUNDED.fullmatch(value.strip()) is not None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()


def per_distinct(values: pd.Series, transform: Callable[[Any], object], blank: object) -> np.ndarray:
    """transform(value) for every value, computed once per distinct value: an export of a million rows holds
    a few dozen distinct answers per column. Blanks (None, NaN) give `blank`. Values that compare equal (1,
    1.0, True) share one result, which every transform here gives them anyway."""
    positions, results = _distinct(values, transform, blank)
    return results[positions]


def _distinct(values: pd.Series, transform: Callable[[Any], object], blank: object) -> tuple[np.ndarray, np.ndarray]:
    """(position of each value's result, results of the distinct values with `blank` last)."""
    positions, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    results = np.empty(len(distinct) + 1, dtype=object)
    results[:-1] = [transform(v) for v in distinct]
    results[-1] = blank  # position -1, the sentinel of a blank, takes the last element
    return positions, results


def normalise(values: pd.Series) -> pd.Series:
    """A folded text form of every value: '1', '6.5', 'helemaal eens'; blanks become NaN."""

    def one(v: object) -> object:
        if _blank(v):
            return np.nan
        number = _number_text(v)
        return number if number is not None else " ".join(str(v).split()).casefold()

    return pd.Series(per_distinct(values, one, np.nan), index=values.index, dtype=object)


# Answers that mean the same, whatever the tool or language wrote. Each group is one meaning; a questionnaire
# label in a group matches every other member of it. Keys are compared after `answer_key`.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("ja", "yes", "j", "y", "waar", "true"),
    ("nee", "no", "n", "niet waar", "false"),
    # LimeSurvey's third answer to a yes/no question is "Onzeker" ("Uncertain"), coded U.
    ("weet ik niet", "weet niet", "weet ik het niet", "onbekend", "dont know", "don t know", "do not know",
     "i don t know", "geen idee", "onzeker", "uncertain", "not sure", "u"),
    ("niet van toepassing", "nvt", "n v t", "n a", "not applicable", "niet toepasbaar"),
    ("geen antwoord", "wil ik niet zeggen", "zeg ik liever niet", "liever niet zeggen", "prefer not to say",
     "i prefer not to say", "no answer", "wil niet zeggen", "geen opgave", "seen but not answered"),
    # The points of an agreement scale as survey tools word them (Qualtrics, SurveyMonkey, Forms; NL and EN).
    ("helemaal eens", "helemaal mee eens", "zeer mee eens", "zeer eens", "volledig mee eens", "strongly agree"),
    ("eens", "mee eens", "agree"),
    ("neutraal", "niet eens niet oneens", "niet eens en niet oneens", "noch eens noch oneens", "neutral",
     "neither agree nor disagree"),
    ("oneens", "mee oneens", "niet mee eens", "disagree"),
    ("helemaal oneens", "helemaal mee oneens", "helemaal niet mee eens", "zeer mee oneens", "zeer oneens",
     "strongly disagree"),
    # The points of the coverage scale ("bij hoeveel scholen geldt ...").
    ("overal", "bij alle scholen", "alle scholen", "everywhere"),
    ("bij de meerderheid", "bij de meeste scholen", "de meeste scholen", "bij meer dan de helft"),
    ("bij een deel", "bij enkele scholen", "bij sommige scholen", "enkele scholen", "sommige scholen"),
    ("nergens", "bij geen enkele school", "bij geen school", "geen enkele school", "nowhere"),
)
_SYNONYM_GROUP = {member: i for i, group in enumerate(SYNONYMS) for member in group}
_DONT_KNOW_GROUP, _NOT_APPLICABLE_GROUP, _NO_ANSWER_GROUP = 2, 3, 4


def answer_key(value: object) -> str:
    """How an answer is compared: numbers as '1' or '6.5'; text without case, accents, punctuation or spacing."""
    if _blank(value):
        return ""
    number = _number_text(value)
    if number is not None:
        return number
    folded = " ".join(str(value).split()).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    key = " ".join(re.sub(r"[^\w]+", " ", text).split())
    # '8+' or '7-8' is no number: without its punctuation it would pass for one, a guess we never make.
    return folded if re.fullmatch(r"\d+( \d+)*", key) else key


def _meaning(key: str) -> str:
    """A label's key, or its synonym group when it has one, so 'Yes' and 'JA' mean the same."""
    group = _SYNONYM_GROUP.get(key)
    return f"\x00{group}" if group is not None else key


def _label_forms(label: str) -> set[str]:
    """A label with and without its parenthesised part: 'Voortgezet onderwijs regulier (vo)' also as 'vo'."""
    forms = {answer_key(label)}
    # "Anders, namelijk" is offered as "Anders" by most tools.
    forms |= {f[: -len(" namelijk")] for f in forms if f.endswith(" namelijk")}
    match = re.fullmatch(r"\s*(.*?)\s*\(([^()]*)\)\s*", label)
    if match and match.group(1):
        forms |= {answer_key(match.group(1)), answer_key(match.group(2))}
    return {f for f in forms if f}


def meaning_table(options: list[tuple[int, str, str, bool]]) -> dict[str, tuple[int, str]]:
    """Meaning key -> (code, status) for (code, label, status, dont_know) options; ambiguous forms are left out.

    A "weet ik niet" option, a "niet van toepassing" and a "geen antwoord" missing code also answer to the
    synonyms of their kind, whatever their own label says."""
    table: dict[str, tuple[int, str]] = {}
    clashes: set[str] = set()
    for code, label, status, dont_know in options:
        meanings = {_meaning(f) for f in _label_forms(label)}
        if dont_know:
            meanings.add(f"\x00{_DONT_KNOW_GROUP}")
        if status == NOT_APPLICABLE:
            meanings.add(f"\x00{_NOT_APPLICABLE_GROUP}")
        if status == NO_ANSWER:
            meanings.add(f"\x00{_NO_ANSWER_GROUP}")
        for m in meanings:
            if m in table and table[m] != (code, status):
                clashes.add(m)
            table.setdefault(m, (code, status))
    for m in clashes:
        del table[m]
    return table


def match_label(label: object, table: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """The questionnaire's (code, status) that a label means, or None when it matches nothing."""
    return table.get(_meaning(answer_key(label)))


Option = tuple[int, str, str, bool]  # (code, label, status, is "weet ik niet")


def scale_options(scale: Scale, missing: tuple[MissingCode, ...]) -> list[Option]:
    """The answers a closed item allows: its categories (or marks) and the questionnaire's missing codes."""
    if scale.kind == "cijfer":
        own = [(m, str(m), VALID, False) for m in scale.codes]
    else:
        own = [(c.code, c.label, VALID, c.dont_know) for c in scale.categories]
    return own + _missing_options(missing)


def choice_options(choices: tuple[Choice, ...], missing: tuple[MissingCode, ...]) -> list[Option]:
    return [(c.code, c.label, VALID, False) for c in choices] + _missing_options(missing)


def _missing_options(missing: tuple[MissingCode, ...]) -> list[Option]:
    return [(m.code, m.label, NO_ANSWER if m.kind == "geen_antwoord" else NOT_APPLICABLE, False) for m in missing]


Lookup = dict[str, tuple[int, str]]


@dataclass(frozen=True)
class ColumnCoding:
    """How the values of one export column become questionnaire codes."""

    lookup: Lookup  # answer key (or meaning key) -> (code, status)
    file_labels: dict[str, str]  # answer key of a file code -> the file's label for it, for messages
    unresolved: dict[str, str]  # file codes whose file label matches no answer: a decision for the user
    mapped: frozenset[str] = frozenset()  # answer keys the user's mapping decided (also a code named by its label)


def column_coding(options: list[Option], *, numbers_are_codes: bool, is_mark: bool = False,
                  file_labels: dict[object, str] | None = None, answers: dict[str, tuple[int, str]] | None = None
                  ) -> ColumnCoding:
    """The lookup for one column: labels by meaning, then the file's value labels, then the user's mapping.

    numbers_are_codes: bare numbers are the questionnaire's codes (only when the file has no labels for the
    column and the user said so). Marks (is_mark) are numbers by nature. answers: the user's mapping of a file
    value (its answer key) onto a questionnaire answer; it wins over everything else."""
    table = meaning_table(options)
    lookup: Lookup = dict(table)
    if numbers_are_codes or is_mark:
        for code, _, status, _ in options:
            if numbers_are_codes or status == VALID:
                lookup[str(code)] = (code, status)
    shown: dict[str, str] = {}
    unresolved: dict[str, str] = {}
    for file_code, file_label in (file_labels or {}).items():
        key = answer_key(file_code)
        shown[key] = str(file_label)
        if is_mark and key in lookup and lookup[key][1] == VALID and answer_key(file_label) not in table:
            continue  # '1 = zeer slecht' on a mark: the number is the answer
        hit = match_label(file_label, table)
        if hit is None:
            unresolved[key] = str(file_label)
            lookup.pop(key, None)
        else:
            lookup[key] = hit
    mapped = set(answers or {})
    for key, hit in (answers or {}).items():
        lookup[key] = hit
        unresolved.pop(key, None)
    # A mapping may name the file's label instead of its code ('JGZ-verpleegkundige' for code 7).
    for code_key, file_label in shown.items():
        label_key = answer_key(file_label)
        if answers and label_key in answers and code_key not in answers:
            lookup[code_key] = answers[label_key]
            unresolved.pop(code_key, None)
            mapped.add(code_key)
    return ColumnCoding(lookup, shown, unresolved, frozenset(mapped))


def resolve_answer(value: object, options: list[Option]) -> tuple[int, str] | None:
    """A user's answer in a mapping ('Ja', 'Geen antwoord' or a code such as 1) as questionnaire (code, status)."""
    hit = match_label(value, meaning_table(options))
    if hit is not None:
        return hit
    key = answer_key(value)
    return next(((code, status) for code, _, status, _ in options if str(code) == key), None)


def decode_key(key: str, lookup: Lookup) -> tuple[int, str] | None:
    """The (code, status) an answer key decodes to by a column's lookup: itself, or its meaning."""
    return lookup.get(key) or lookup.get(_meaning(key))


def same_meaning(a: str, b: str) -> bool:
    """Two answer keys that mean the same by themselves (equal, or synonyms), mapping or not."""
    return _meaning(a) == _meaning(b)


@dataclass(frozen=True)
class Coded:
    code: pd.Series  # Int64: the questionnaire code for valid answers, <NA> otherwise
    status: pd.Series  # VALID / NO_ANSWER / NOT_APPLICABLE / INVALID


def code_values(values: pd.Series, lookup: Lookup) -> Coded:
    """Questionnaire code and status of every value of one column, by its lookup (see column_coding)."""

    def one(v: object) -> tuple[int | None, str]:
        key = answer_key(v)
        if not key:
            return (None, NO_ANSWER)
        hit = decode_key(key, lookup)
        if hit is None:
            return (None, INVALID)
        return (hit[0], hit[1]) if hit[1] == VALID else (None, hit[1])

    positions, pairs = _distinct(values, one, (None, NO_ANSWER))
    status = pd.Series(np.array([p[1] for p in pairs], dtype=object)[positions], index=values.index, dtype=object)
    numbers = np.array([-1 if p[0] is None else p[0] for p in pairs], dtype="int64")[positions]
    missing = np.array([p[0] is None for p in pairs], dtype=bool)[positions]
    code = pd.Series(pd.arrays.IntegerArray(numbers, missing), index=values.index, dtype="Int64")
    return Coded(code=code, status=status)


def derive_sector(frame: pd.DataFrame, q: Questionnaire, coding: dict[str, ColumnCoding],
                  decoded: Callable[[str], Coded] | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(sector, sector as stated, functie code) per row of a RawExport frame, decoded with the export's coding.

    A functie that belongs to one sector decides the sector (DOMAIN: leerplicht, JGZ and J&G coaches count as
    jeugdhulp, a consulent passend onderwijs as onderwijs). Otherwise the stated sector counts.

    decoded: the export's own coding of a column of this very frame (RawExport.decode), so that each column is
    coded once; None: coded here.
    """
    bg = q.background
    if decoded is None:
        decoded = lambda column: code_values(frame[column], coding[column].lookup)  # noqa: E731
    none = pd.Series(None, index=frame.index, dtype=object)
    stated = none.copy()
    if SECTOR in frame:
        sc = decoded(SECTOR)
        by_code = {c.code: c.sector for c in bg.sector.choices}
        stated = sc.code.map(by_code, na_action="ignore").astype(object).where(sc.status == VALID, None)
    functie = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    from_functie = none.copy()
    if FUNCTIE in frame:
        fc = decoded(FUNCTIE)
        functie = fc.code.where(fc.status == VALID, pd.NA)
        sector_of = {c.code: (c.sector or None) for c in bg.functie.choices}
        from_functie = functie.map(sector_of, na_action="ignore").astype(object)
        from_functie = from_functie.where(from_functie.notna(), None)
    sector = from_functie.where(from_functie.notna(), stated)
    return sector, stated, functie
