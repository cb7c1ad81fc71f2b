"""Anonymise open survey answers: replace personal details by placeholders before anything reaches an output.

A quoted name or phone number in a report read by aldermen is a privacy incident, so the rules lean towards
recall; they stay rule-based (no model) so that a coordinator can read why something was replaced. Order matters:
web addresses before e-mail (an address may hold an "@"), IBANs before every other number (an IBAN holds a phone
number's ten digits), labelled numbers (KvK, leerlingnummer) and dates of birth before phone numbers and BSN (eight
digits), phone numbers before BSN-like numbers (a phone number holds nine digits), BSN before postcodes, numbers
before names, configured organisations before person names (an organisation may be named after a person).

Everything replaced is marked in the working text by one private-use character per kind, so no later rule can
match inside a placeholder; the markers become "[naam]" and friends at the very end. All other text is kept
exactly as typed: HTML, formulas and emoji are the renderer's business, not ours.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from monitor_aoj.anonymise.folding import LOWER_RE, UPPER_RE, fold, phrases_regex
from monitor_aoj.anonymise.iban import IBAN_START, iban_spans
from monitor_aoj.anonymise.name_lists import STOP, TV_WORDS
from monitor_aoj.anonymise.names import name_finder
from monitor_aoj.anonymise.patterns import (
    ADDRESS,
    ADDRESS_HINT,
    AT_WORD,
    BIRTH_HINT,
    BSN,
    CAPS_ABBREVIATIONS,
    CHILD,
    CHILD_AGES,
    CHILD_WINDOW,
    DATE_AFTER_BIRTH,
    DATE_BEFORE_BIRTH,
    DATE_FULL,
    DATE_START,
    DIGIT,
    DOMAIN,
    DOMAIN_HINT,
    EMAIL,
    KVK,
    LEAD_WORD,
    MONEY_AFTER,
    MONEY_BEFORE,
    NOT_STREET,
    NUMBER_HINT,
    PHONE,
    PLACE_AFTER,
    PLATE,
    PLATE_HINT,
    PLATE_LABELLED,
    POSTCODE,
    POSTCODE_NEVER,
    PUPIL_NUMBER,
    SENTENCE_BREAK,
    SHORT_WORDS,
    URL,
    URL_HINT,
    YEAR_IN,
    looks_like_date,
)
from monitor_aoj.errors import invariant

KINDS = ("naam", "organisatie", "e-mail", "telefoonnummer", "postcode", "adres", "bsn", "website", "iban", "datum",
         "kenteken", "nummer")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}

# Supplementary private-use characters: never typed by respondents, not letters, digits or word characters.
_MARK = {kind: chr(0xF0000 + i) for i, kind in enumerate(KINDS)}
_UNMARK = {ord(mark): PLACEHOLDERS[kind] for kind, mark in _MARK.items()}


@dataclass(frozen=True)
class Anonymised:
    text: str  # the answer with every personal detail replaced by its placeholder
    counts: dict[str, int]  # kind -> number of replacements made (only kinds with count > 0)


def _is_caps_text(text: str) -> bool:
    """Whether the text is typed in capitals (at most a tenth of its letters lower case, at least four upper)."""
    upper = len(UPPER_RE.findall(text))
    if upper < 4:
        return False
    lower = len(LOWER_RE.findall(text))
    return lower <= 0.1 * (upper + lower)



def _replaced(text: str, spans: list[tuple[int, int]], mark: Callable[[str], str], kind: str) -> str:
    """`text` with each (start, end) span, in order and not overlapping, replaced by the mark of `kind`."""
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], mark(kind)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)

class Anonymiser:
    """Replaces personal details in one open answer at a time; build once per region, call per answer."""

    def __init__(self, organisations: Iterable[str] = (), names: Iterable[str] = ()):
        """Prepare the anonymiser of one region.

        Args:
            organisations: names of organisations and schools (the region's `organisaties` in regios.yaml); each
                becomes "[organisatie]" wherever it occurs, ignoring case, accents and the difference between a
                space and a hyphen.
            names: extra person names that always become "[naam]", beside those the name lists find.

        Raises:
            OSError: the name lists in data/ cannot be read (a broken install); they are read once per process.
        """
        self._organisations = phrases_regex(organisations)
        self._names = phrases_regex(names)
        self._finder = name_finder()

    def __call__(self, text: str | None, *, year: int | None = None) -> Anonymised:
        """Replace every personal detail in one open answer by the placeholder of its kind.

        The rules and their order are in the module docstring; IBANs are checked as ISO 13616 says (iban.py).

        Args:
            text: one answer as typed. None, '' or whitespace only gives Anonymised('', {}).
            year: when the answer was given (the wave, e.g. 2021): a full date near a word for a child counts as a
                date of birth if it makes the child an age within CHILD_AGES in that year. None: this year.

        Returns:
            Anonymised: `text`, the answer with each detail replaced by its placeholder (PLACEHOLDERS: "[naam]",
            "[telefoonnummer]", ...) and every other character kept as typed; `counts`, kind (one of KINDS) ->
            number of replacements, for the kinds replaced at least once.

        Raises:
            Nothing: every text gives a result.
        """
        if text is None or not text.strip():
            return Anonymised("", {})
        counts: dict[str, int] = {}

        def mark(kind: str) -> str:
            counts[kind] = counts.get(kind, 0) + 1
            return _MARK[kind]

        def url(m: re.Match[str]) -> str:
            # Punctuation right after an address belongs to the sentence, a ")" only if the address has no "(".
            found = m.group()
            end = len(found)
            while end > 4 and (found[end - 1] in ".,;:!?'\"" or (found[end - 1] == ")" and "(" not in found[:end])):
                end -= 1
            return mark("website") + found[end:]

        # Cheap checks first: most answers hold no digit, "@" or web address, and these patterns are the slow ones.
        if URL_HINT.search(text):
            text = URL.sub(url, text)
        if "@" in text or AT_WORD.search(text):
            text = EMAIL.sub(lambda m: mark("e-mail"), text)
        if DOMAIN_HINT.search(text):
            text = DOMAIN.sub(lambda m: mark("website"), text)
        caps = _is_caps_text(text)
        digits = DIGIT.search(text) is not None

        if digits:
            text = self._numbers_and_dates(text, mark, year)

        def phone(m: re.Match[str]) -> str:
            found = m.group()
            if DATE_START.match(found):
                return found
            if found.startswith("(") and ")" not in found:
                return "(" + mark("telefoonnummer")  # "(06-12345678, ...": the bracket belongs to the sentence
            return mark("telefoonnummer")

        if digits:
            text = PHONE.sub(phone, text)

        def bsn(m: re.Match[str]) -> str:
            found = m.group()
            before = m.string[max(0, m.start() - 6):m.start()]
            if MONEY_BEFORE.search(before) or MONEY_AFTER.match(m.string, m.end()):
                return found
            if len(found) == 8 and looks_like_date(found):
                return found
            return mark("bsn")

        if digits:
            text = BSN.sub(bsn, text)

        def address(m: re.Match[str]) -> str:
            found = m.group()
            if NOT_STREET.match(found):
                return found
            lead = m.group("lead") or ""
            keep = 0
            for w in LEAD_WORD.finditer(lead):
                k = fold(w.group().strip())
                if k in STOP and k not in TV_WORDS:
                    keep = w.end()
                else:
                    break
            return found[:keep] + mark("adres")

        if digits and ADDRESS_HINT.search(text):
            text = ADDRESS.sub(address, text)

        def postcode(m: re.Match[str]) -> str:
            space, letters = m.group(1), m.group(2)
            low = letters.lower()
            if low in POSTCODE_NEVER:
                return m.group()
            if letters.isupper() and space:
                # "2021 EN Haarlem" and "9325 TV Oosterveen" are postcodes (a place follows); "in 2021 EN 2022"
                # (capitals) is a year and "2021 PO en VO" a school type.
                year = 1950 <= int(m.group()[:4]) <= 2050
                place = PLACE_AFTER.match(m.string, m.end()) is not None
                ok = place or (low not in CAPS_ABBREVIATIONS and not (year and low in SHORT_WORDS))
            else:
                ok = low not in SHORT_WORDS
            return mark("postcode") if ok else m.group()

        if digits:
            text = POSTCODE.sub(postcode, text)

        if self._organisations is not None:
            text = self._organisations.sub(lambda m: mark("organisatie"), text)

        text = _replaced(text, self._finder.spans(text, caps), mark, "naam")

        if self._names is not None:
            text = self._names.sub(lambda m: mark("naam"), text)

        return Anonymised(text.translate(_UNMARK), counts)


    @staticmethod
    def _numbers_and_dates(text: str, mark: Callable[[str], str], year: int | None) -> str:
        """IBANs, labelled KvK and pupil numbers, dates of birth and licence plates."""
        def replace_group(pattern: re.Pattern[str], group: str, kind: str, source: str) -> str:
            return pattern.sub(lambda m: m.group()[:m.start(group) - m.start()] + mark(kind)
                               + m.group()[m.end(group) - m.start():], source)

        if IBAN_START.search(text):
            text = _replaced(text, iban_spans(text), mark, "iban")
        if NUMBER_HINT.search(text):
            text = replace_group(KVK, "number", "nummer", text)
            text = replace_group(PUPIL_NUMBER, "number", "nummer", text)
        if BIRTH_HINT.search(text):
            text = replace_group(DATE_AFTER_BIRTH, "date", "datum", text)
            text = replace_group(DATE_BEFORE_BIRTH, "date", "datum", text)
        if CHILD.search(text):
            reference = year if year is not None else _dt.date.today().year
            youngest, oldest = reference - CHILD_AGES[0], reference - CHILD_AGES[1]

            def near_child(m: re.Match[str]) -> str:
                born = int(invariant(YEAR_IN.search(m.group()), "a near-child match holds a year").group())
                if not oldest <= born <= youngest:
                    return m.group()
                before = m.string[max(0, m.start() - CHILD_WINDOW):m.start()]
                breaks = list(SENTENCE_BREAK.finditer(before))
                if breaks:
                    before = before[breaks[-1].end():]
                return mark("datum") if CHILD.search(before) else m.group()

            text = DATE_FULL.sub(near_child, text)
        if PLATE_HINT.search(text):
            text = replace_group(PLATE_LABELLED, "plate", "kenteken", text)
            text = PLATE.sub(lambda m: mark("kenteken"), text)
        return text
