"""Person names in open text, found by rules around titles, initials, tussenvoegsels and the name lists.

The rules lean towards recall ("met Roos" is a person) but spare ordinary words in their usual places ("aan de
Dijk", "voor Frans"). In a text in capitals every word looks like a name, so only the lists count there.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor_aoj.anonymise.folding import LETTER, SPACE, UPPER, fold
from monitor_aoj.anonymise.name_lists import (
    ABBREVIATIONS,
    ARTICLES,
    LABEL_WORDS,
    ORGLIKE,
    STOP,
    STRONG_TRIGGERS,
    TITLE_START,
    TITLES,
    TRIGGERS,
    TV_ALL,
    TV_ARABIC,
    TV_PREPOSITIONAL,
    TV_STRONG,
    TV_WORDS,
    NameLists,
    Surname,
    load_name_lists,
)
from monitor_aoj.anonymise.patterns import LEAD_WORD


def _tv_alternation() -> str:
    def one(tv: str) -> str:
        return r"[ \t\u00a0]+".join(re.escape(w).replace("'", "['’]") for w in tv.split())
    return "|".join(one(tv) for tv in sorted(TV_ALL, key=len, reverse=True))


_TV_ALT = _tv_alternation()
_TV = re.compile(rf"(?i:{_TV_ALT})(?:{SPACE}+|(?<=['’]){SPACE}*)")
_CAPWORD = rf"{UPPER}(?:['’]{UPPER})?{LETTER}*"  # Jansen, JANSEN, D'Souza, O'Brien, Şahin
# One name token, hyphenated parts included: "Jansen-de Vries", "Anne-Marie", "Jeugd-GGZ".
_NAME_TOKEN = re.compile(
    rf"{_CAPWORD}(?:-(?:(?i:van{SPACE}+der|van{SPACE}+den|van{SPACE}+de|van|de|den|der|ter|ten|el|al){SPACE}+)?"
    rf"{_CAPWORD})*"
    r"(?![\w\u0300-\u036f])")
_INITIALS = re.compile(rf"(?:(?:{UPPER}|Th|Ch|Chr|Ph|IJ|Ij|Tj|Sj)\.{SPACE}?){{1,4}}")
_WS = re.compile(rf"{SPACE}+")
_CAND = re.compile(
    rf"(?<![\w'’\-])(?:(?={UPPER})|(?=(?i:{TITLE_START}))|(?=(?i:{_TV_ALT}){SPACE}+{UPPER}))")
_CAND_CAPS = re.compile(r"(?<![\w'’\-])(?=[^\W\d_])")
_PREV_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+(?:['’]s)?)([\s,:;]*)\Z")
_PRECEDING = re.compile(rf"(?<![\w'’\-])((?:{_CAPWORD}{SPACE}+){{1,2}})\Z")
_MONTH_CONTEXT = re.compile(r"\.?[ \t\u00a0]*\d")
_NUMBER_BEFORE = re.compile(r"\d[ \t\u00a0]*\Z")
_SENTENCE_OPENERS = frozenset(" \t\u00a0\"'“”‘’„«»([{*•·–—-")
_SENTENCE_ENDS = frozenset(".!?:;\n\r>…=+|")


_PART_SPLIT = re.compile(r"[-\s\u00a0]+")


def _is_strict(word: str, caps: bool) -> bool:
    """In a text in capitals, or for a word in capitals, every word looks like a name: only the lists count."""
    return caps or (len(word) > 1 and word.isupper())


class NameFinder:
    """Finds person names by rules around titles, initials, tussenvoegsels and the name lists."""

    def __init__(self, lists: NameLists):
        self.first = lists.first
        self.surnames = lists.surnames
        # The same capitalised words come back in every answer: look each one up once.
        self.first_level = lru_cache(maxsize=1 << 16)(self._first_level)
        self.surname = lru_cache(maxsize=1 << 16)(self._surname)

    # -- lookups ----------------------------------------------------------------------------------------------------

    @staticmethod
    def _parts(word: str) -> list[str]:
        key = fold(word)
        if "-" not in key and " " not in key:
            return [key]
        return [p for p in _PART_SPLIT.split(key) if p]

    def _first_level(self, word: str, caps: bool = False) -> int | None:
        """The list level of a first name (also "Anne-Marie", possessive "Anouks"), None if it is none."""
        if not caps and 1 < len(word) <= 3 and word.isupper():
            return None  # "BO", "EVA" in normal text: more likely an abbreviation
        k = fold(word)
        if k in self.first:
            return self.first[k]
        parts = self._parts(word)
        if len(parts) > 1 and parts[0] in self.first:
            return self.first[parts[0]]
        if k.endswith("s") and k[:-1] in self.first and self.first[k[:-1]] == 0:
            return 0
        return None

    def _surname(self, word: str, caps: bool = False) -> Surname | None:
        """How a surname core is listed ("Jansen", "Jansen-de Vries", possessive "Jansens"), None if not."""
        if not caps and 1 < len(word) <= 3 and word.isupper():
            return None
        k = fold(word)
        if k in self.surnames:
            return self.surnames[k]
        parts = self._parts(word)
        if len(parts) > 1:
            found = [self.surnames[p] for p in parts if p in self.surnames]
            if found:
                return Surname(frozenset({""}), min(s.level for s in found))
        if k.endswith("s") and k[:-1] in self.surnames and self.surnames[k[:-1]].level == 0:
            return self.surnames[k[:-1]]
        return None

    def known(self, word: str, caps: bool = False) -> bool:
        return self.first_level(word, caps) is not None or self.surname(word, caps) is not None

    def acceptable(self, word: str, strict: bool, *, acronyms: bool = False) -> bool:
        """Whether a capitalised word may be part of a name in a position where a name is expected."""
        if self.known(word, strict):
            return True
        if strict:
            return False
        parts = self._parts(word)
        if not parts or any(p in STOP or ORGLIKE.search(p) for p in parts):
            return False
        if word.isupper() and len(word) > 1:
            return acronyms and len(word) >= 3
        return True

    def tv_fits(self, tv: str, word: str, strict: bool, *, after_name: bool) -> bool:
        """Whether tussenvoegsel + word form a surname. after_name: a first name, title or initials came before."""
        info = self.surname(word, strict)
        if info is not None and (tv in info.tvs or (after_name and info.level < 2)):
            return True
        if tv in TV_PREPOSITIONAL:
            return False
        if after_name and not strict:
            return self.acceptable(word, strict)
        if tv in TV_STRONG:
            return self.acceptable(word, False) if not strict else fold(word) not in STOP
        return False

    # -- context ----------------------------------------------------------------------------------------------------

    @staticmethod
    def sentence_start(text: str, p: int) -> bool:
        i = p - 1
        while i >= 0 and text[i] in _SENTENCE_OPENERS:
            i -= 1
        return i < 0 or text[i] in _SENTENCE_ENDS

    @staticmethod
    def previous_word(text: str, p: int) -> tuple[str, str]:
        """The word before position p, lower case, and what separates it from p."""
        m = _PREV_WORD.search(text, max(0, p - 40), p)
        if not m:
            return "", ""
        return fold(m.group(1)), m.group(2)

    def triggered(self, text: str, p: int, *, strong: bool = False) -> bool:
        word, _ = self.previous_word(text, p)
        return word in (STRONG_TRIGGERS if strong else TRIGGERS)

    def after_article(self, text: str, p: int) -> bool:
        word, sep = self.previous_word(text, p)
        return word in ARTICLES and sep.strip() == ""

    # -- parsing ----------------------------------------------------------------------------------------------------

    @staticmethod
    def _tv_and_word(text: str, k: int) -> tuple[re.Match[str], re.Match[str], str] | None:
        """A tussenvoegsel at k and the capitalised word after it, with the tussenvoegsel folded; or None."""
        tv = _TV.match(text, k)
        if not tv:
            return None
        w = _NAME_TOKEN.match(text, tv.end())
        if not w:
            return None
        return tv, w, " ".join(fold(x) for x in tv.group().split())

    def _tv_then_word(self, text: str, k: int, strict: bool, after_name: bool) -> int | None:
        found = self._tv_and_word(text, k)
        if not found:
            return None
        _, w, tv_key = found
        return w.end() if self.tv_fits(tv_key, w.group(), strict, after_name=after_name) else None

    def _word_after_name(self, text: str, k: int, caps: bool) -> tuple[re.Match[str] | None, bool, int | None]:
        """After a name part, at k: the capitalised word there, whether it is read strictly, and the end of a
        tussenvoegsel and surname starting there (or None)."""
        w = _NAME_TOKEN.match(text, k)
        strict = _is_strict(w.group(), caps) if w else caps
        return w, strict, self._tv_then_word(text, k, strict, after_name=True)

    def extend(self, text: str, end: int, caps: bool) -> int:
        """After a first name: more given names, then a tussenvoegsel and surname. Returns the new end."""
        for _ in range(3):
            ws = _WS.match(text, end)
            if not ws:
                break
            k = ws.end()
            w, strict, done = self._word_after_name(text, k, caps)
            if done:
                return done
            if w and self.acceptable(w.group(), strict):
                end = w.end()
                continue
            break
        return end

    def after_title(self, text: str, j: int, caps: bool) -> int | None:
        """A title ends at j: optional initials, then a name. Returns the end of the name or None."""
        k = j
        ini = _INITIALS.match(text, k)
        if ini and fold(ini.group()).replace(".", "").replace(" ", "") not in ABBREVIATIONS:
            k = ini.end()
        w, strict, done = self._word_after_name(text, k, caps)
        if done:
            return done
        if not w:
            return None
        word = w.group()
        if self.known(word, strict):
            return self.extend(text, w.end(), caps)
        if strict:
            # In capitals only the word right after the title: "MEVROUW KORTEWEG BELDE" keeps "BELDE".
            key = fold(word)
            return w.end() if key not in STOP and key not in TV_WORDS and not ORGLIKE.search(key) else None
        if self.acceptable(word, False, acronyms=True):
            return self.extend(text, w.end(), caps)
        return None

    def at(self, text: str, p: int, caps: bool, prev_end: int) -> tuple[int, int] | None:
        """The name span found at word start p, or None."""
        title = TITLES.match(text, p)
        if title:
            end = self.after_title(text, title.end(), caps)
            return (title.end(), end) if end else None

        ini = _INITIALS.match(text, p)
        if ini:
            span = self._initials(text, p, ini, caps)
            if span:
                return span

        tv_end = self._standalone_tv(text, p, caps)
        if tv_end:
            return self._absorb(text, p, prev_end, caps), tv_end

        w = _NAME_TOKEN.match(text, p)
        if not w:
            return None
        word = w.group()
        strict = _is_strict(word, caps)

        level = self.first_level(word, caps)
        if level is not None:
            end = self.extend(text, w.end(), caps)
            if end > w.end() or self._alone_ok(text, p, w.end(), level, strict, first=True):
                return p, end

        info = self.surname(word, caps)
        if info is not None and self._alone_ok(text, p, w.end(), info.level, strict):
            return self._absorb(text, p, prev_end, caps), w.end()
        return None

    def _initials(self, text: str, p: int, ini: re.Match[str], caps: bool) -> tuple[int, int] | None:
        letters = fold(ini.group()).replace(".", "").replace(" ", "")
        if letters in ABBREVIATIONS:
            return None
        k = ini.end()
        w, strict, done = self._word_after_name(text, k, caps)
        if done:
            return p, done
        if not w:
            return None
        word = w.group()
        if self.known(word, strict):
            return p, w.end()
        if len(letters) == 1 and self.previous_word(text, p)[0] in LABEL_WORDS:
            return None
        key = fold(word)
        if strict:
            return (p, w.end()) if key not in STOP and not ORGLIKE.search(key) else None
        return (p, w.end()) if self.acceptable(word, False) else None

    def _standalone_tv(self, text: str, p: int, caps: bool) -> int | None:
        found = self._tv_and_word(text, p)
        if not found:
            return None
        tv, nxt, tv_key = found
        tv_text = tv.group()
        strict = _is_strict(nxt.group(), caps)
        if self.tv_fits(tv_key, nxt.group(), strict, after_name=False):
            return nxt.end()
        # "El Khatib", "Ait Taleb": an Arabic article with a capital starts a surname.
        if (tv_key in TV_ARABIC and tv_text[0].isupper() and not strict
                and self.acceptable(nxt.group(), False)):
            return nxt.end()
        return None

    def _alone_ok(self, text: str, p: int, end: int, level: int, strict: bool, *, first: bool = False) -> bool:
        """Whether a listed name without anything around it counts as a name here."""
        if not first and self.after_article(text, p):
            return False  # "aan de Dijk", "op de Post": a thing, not a person
        if level == 0:
            return True
        if first and (_MONTH_CONTEXT.match(text, end) or _NUMBER_BEFORE.search(text, max(0, p - 4), p)):
            return False  # "15 Jan 2021", "jan. 2021"
        if self.triggered(text, p, strong=level == 2):
            return True
        if level == 2 or strict:
            return False
        return not self.sentence_start(text, p) and not self.after_article(text, p)

    def _absorb(self, text: str, s: int, prev_end: int, caps: bool) -> int:
        """Include unknown capitalised words right before a surname: "Sjoerdje Jansen"."""
        if caps or s <= prev_end:
            return s
        m = _PRECEDING.search(text, max(prev_end, s - 80), s)
        if not m:
            return s
        start = s
        for w in reversed(list(LEAD_WORD.finditer(text, m.start(1), s))):
            word = w.group().strip()
            if fold(word) in TV_WORDS or not self.acceptable(word, _is_strict(word, caps)):
                break
            start = w.start()
        return start

    def spans(self, text: str, caps: bool) -> list[tuple[int, int]]:
        """(start, end) of every person name in the text, left to right; caps: the text is typed in capitals."""
        cand = _CAND_CAPS if caps else _CAND
        found: list[tuple[int, int]] = []
        pos = 0
        while True:
            m = cand.search(text, pos)
            if m is None:
                return found
            p = m.start()
            span = self.at(text, p, caps, found[-1][1] if found else 0)
            if span:
                found.append(span)
                pos = span[1]
            else:
                pos = p + 1


@lru_cache(maxsize=1)
def name_finder() -> NameFinder:
    """The name finder of this process: its lists and per-word lookup caches serve every region's anonymiser."""
    return NameFinder(load_name_lists())
