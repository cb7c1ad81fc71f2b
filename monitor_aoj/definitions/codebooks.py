"""Codebooks for open answers (questionnaires/codeboeken/*.yaml): sub-themes found by Dutch keywords.

Matching is case- and accent-insensitive and knows simple Dutch word forms, so a coordinator writes a keyword
once ("wachtlijst", "taak", "rol") and finds its plurals and inflections ("wachtlijsten", "taken",
"rollen"). A keyword of at least MIN_HEAD letters also finds the compounds it ends ("overleg" finds
"casusoverleg", "wachtlijst" finds "jeugdzorgwachtlijsten", "coach" finds "gezinscoaches"): Dutch writes
compounds as one word, and their last part says what they are. An answer gets every sub-theme it mentions; an
answer without any gets "Overig".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from monitor_aoj.definitions.yaml_reader import load_yaml, yes_no
from monitor_aoj.errors import ConfigError

OTHER = "overig"
OTHER_LABEL = "Overig"
FOLDER = "codeboeken"
# Endings that turn a Dutch word into its plural, diminutive, inflected or derived form.
SUFFIXES = ("", "s", "'s", "e", "en", "n", "es", "er", "ers", "ere", "st", "ste", "heid", "heden", "ing", "ingen",
            "je", "jes", "tje", "tjes", "pje", "pjes", "etje", "etjes", "t", "te", "ten", "d", "de", "den")
# Compounds: a keyword this long also matches as the last part of a longer word, after at least MIN_MODIFIER
# letters. Shorter keywords would find words they do not mean ("rol" in "hoofdrol", "gap" in "handicap").
MIN_HEAD = 5
MIN_MODIFIER = 3


def normalise(text: str) -> str:
    """Lower case, accents off, punctuation to spaces (but '&' and '@' stay: J&G, M@ZL)."""
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9&@]+", " ", folded).split())


@lru_cache(maxsize=4096)
def word_forms(base: str) -> frozenset[str]:
    """The forms a keyword matches: base + ending, a doubled final consonant (rol -> rollen) and a long
    vowel written single before an ending (taak -> taken)."""
    forms = {base + s for s in SUFFIXES}
    if len(base) >= 2 and base[-1] not in "aeiou" and base[-2] in "aeiou" and (len(base) < 3 or base[-3] not in
                                                                               "aeiou"):
        forms |= {base + base[-1] + s for s in ("en", "e", "er", "ers", "etje")}
    match = re.fullmatch(r"(.*?)([aeou])\2([^aeiou])", base)
    if match:
        stem = match.group(1) + match.group(2) + match.group(3)
        forms |= {stem + s for s in ("en", "e", "er", "ers")}
    return frozenset(forms)


def matches_word(keyword: str, token: str) -> bool:
    """Whether one normalised token is a form of the keyword, or a compound that ends in one (MIN_HEAD)."""
    forms = word_forms(keyword)
    if token in forms:
        return True
    if len(keyword) < MIN_HEAD or keyword[:3] not in token:
        return False
    return any(len(token) - len(form) >= MIN_MODIFIER and token.endswith(form) for form in forms if form)


@dataclass(frozen=True)
class Keyword:
    words: tuple[str, ...]  # normalised words; a phrase when more than one
    prefix: bool  # the last word ends in "*": anything that starts with it

    def matches(self, tokens: tuple[str, ...]) -> bool:
        n = len(self.words)
        if n == 1 and not self.prefix:
            # Most keywords are one word: one set lookup per token instead of a scan per position.
            word = self.words[0]
            return not word_forms(word).isdisjoint(tokens) or any(matches_word(word, t) for t in tokens)
        for i in range(len(tokens) - n + 1):
            if all(self._word(self.words[j], tokens[i + j], j == n - 1) for j in range(n)):
                return True
        return False

    def _word(self, keyword: str, token: str, last: bool) -> bool:
        if last and self.prefix:
            return token.startswith(keyword)
        return matches_word(keyword, token)


@dataclass(frozen=True)
class Subtheme:
    id: str
    label: str
    keywords: tuple[Keyword, ...]
    patterns: tuple[re.Pattern, ...] = ()
    quotable: bool = True  # "geen suggestie" is counted, never quoted


@dataclass(frozen=True)
class Codebook:
    item: str
    subthemes: tuple[Subtheme, ...]
    source: Path

    def code(self, text: str) -> tuple[str, ...]:
        """Sub-theme ids in codebook order; (OTHER,) when nothing matches."""
        norm = normalise(text)
        tokens = tuple(norm.split())
        found = tuple(s.id for s in self.subthemes
                      if any(k.matches(tokens) for k in s.keywords) or any(p.search(norm) for p in s.patterns))
        return found or (OTHER,)

    def label(self, code: str) -> str:
        if code == OTHER:
            return OTHER_LABEL
        return next(s.label for s in self.subthemes if s.id == code)

    def resolve(self, text: str) -> str | None:
        """A code typed by a coordinator (id or label, any case) -> its id; None when unknown."""
        wanted = normalise(text)
        for s in self.subthemes:
            if wanted in (normalise(s.id), normalise(s.label)):
                return s.id
        return OTHER if wanted in (OTHER, normalise(OTHER_LABEL)) else None

    @property
    def order(self) -> dict[str, int]:
        order = {s.id: i for i, s in enumerate(self.subthemes)}
        order[OTHER] = len(self.subthemes)
        return order

    def quotable(self, code: str) -> bool:
        return code != OTHER and next(s.quotable for s in self.subthemes if s.id == code)


def load_codebooks(questionnaire_folder: Path) -> dict[str, Codebook]:
    """Every codebook in questionnaires/codeboeken, keyed by open question id."""
    folder = Path(questionnaire_folder) / FOLDER
    if not folder.is_dir():
        return {}
    books: dict[str, Codebook] = {}
    for path in sorted(folder.glob("*.yaml")):
        book = _load(path)
        if book.item in books:
            raise ConfigError(f"Twee codeboeken voor vraag '{book.item}': {books[book.item].source.name} en "
                              f"{path.name}.")
        books[book.item] = book
    return books


def _load(path: Path) -> Codebook:
    def fail(what: str) -> ConfigError:
        return ConfigError(f"Codeboek {path.name}: {what}")

    raw: Any = load_yaml(path, "Codeboek")
    if not isinstance(raw, dict) or not raw.get("vraag") or not isinstance(raw.get("subthemas"), list):
        raise fail("verwacht 'vraag' en een lijst 'subthemas'.")
    unknown = set(raw) - {"vraag", "subthemas"}
    if unknown:
        raise fail(f"onbekend veld {sorted(unknown)}.")
    subthemes = []
    for i, s in enumerate(raw["subthemas"]):
        where = f"subthema {i + 1}"
        if not isinstance(s, dict) or not s.get("id") or not s.get("label"):
            raise fail(f"{where} heeft een 'id' en een 'label' nodig.")
        extra = set(s) - {"id", "label", "trefwoorden", "patronen", "citeren", "omschrijving"}
        if extra:
            raise fail(f"{where}: onbekend veld {sorted(extra)}. Staat er een komma in een tekst? Zet die tussen "
                       "aanhalingstekens.")
        keywords = []
        for word in s.get("trefwoorden") or []:
            text = str(word).strip()
            prefix = text.endswith("*")
            words = tuple(normalise(text.rstrip("*")).split())
            if not words:
                raise fail(f"{where}: leeg trefwoord.")
            keywords.append(Keyword(words, prefix))
        try:
            patterns = tuple(re.compile(p) for p in s.get("patronen") or [])
        except re.error as exc:
            raise fail(f"{where}: patroon klopt niet ({exc}).") from exc
        if not keywords and not patterns:
            raise fail(f"{where} ('{s['label']}') heeft geen trefwoorden.")
        quotable = yes_no(s.get("citeren", True))
        if quotable is None:
            raise fail(f"{where}: 'citeren' is 'ja' of 'nee', niet '{s['citeren']}'.")
        subthemes.append(Subtheme(str(s["id"]), str(s["label"]), tuple(keywords), patterns, quotable))
    ids = [s.id for s in subthemes]
    if len(set(ids)) != len(ids) or OTHER in ids:
        raise fail(f"elk subthema heeft een eigen id (en '{OTHER}' is gereserveerd).")
    return Codebook(str(raw["vraag"]), tuple(subthemes), path)
