"""Letters for the anonymiser: case- and accent-insensitive comparison, Latin letter classes, configured phrases.

A name typed as "Sjoerd", "SJOERD" or "Sjóerd" is the same name: every lookup folds the word first (`fold`), and a
configured organisation or name becomes a pattern that ignores case, accents and hyphens (`phrases_regex`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

# Letters that do not decompose under NFD but are typed without their stroke or dot as often as with it.
_FOLD_SPECIAL = {"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "’": "'", "‘": "'"}


@lru_cache(maxsize=None)
def _fold_char(c: str) -> str:
    """One character to its lower-case base letter ('' for a lone combining accent)."""
    if c in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[c]
    base = unicodedata.normalize("NFD", c)[0]
    if unicodedata.combining(base):
        return ""
    low = base.lower()
    return low if len(low) == 1 else base


class _FoldTable(dict):
    """str.translate table that computes (and caches) the folding of any character on first use."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_FOLD = _FoldTable()


def fold(word: str) -> str:
    """The word as compared: lower case, accents and strokes dropped ("Öztürk" -> "ozturk")."""
    return word.translate(_FOLD)


def _latin(pred: Callable[[str], bool]) -> str:
    chars = [chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if pred(chr(c))]
    return "".join(chars)


_UPPERS = _latin(str.isupper)
LOWERS = _latin(str.islower)
UPPER = f"[{_UPPERS}]"
LETTER = r"(?:[^\W\d_]|[\u0300-\u036f])"  # a letter, or an accent in decomposed text
SPACE = r"[ \t\u00a0]"  # a space within a line: names and numbers do not run across lines
UPPER_RE = re.compile(f"[{_UPPERS}]")
LOWER_RE = re.compile(f"[{LOWERS}]")


@lru_cache(maxsize=1)
def _variant_classes() -> dict[str, str]:
    """Folded letter -> a regex character class of every Latin letter that folds to it."""
    groups: dict[str, set[str]] = {}
    for code in (*range(0x20, 0x250), *range(0x1E00, 0x1F00)):
        c = chr(code)
        if c.isalpha():
            f = _fold_char(c)
            if len(f) == 1:
                groups.setdefault(f, set()).add(c)
    return {f: "[" + "".join(re.escape(c) for c in sorted(cs)) + "]" for f, cs in groups.items()}


def _phrase_pattern(phrase: str) -> str:
    """A configured name as a regex that ignores case and accents and treats spaces and hyphens alike."""
    classes = _variant_classes()
    parts: list[str] = []
    for c in phrase.strip():
        if c.isspace() or c in "-‐‑–":
            if parts and parts[-1] == r"[\s\-‐‑–]+":
                continue
            parts.append(r"[\s\-‐‑–]+")
        elif c in "'’‘":
            parts.append("['’‘]")
        else:
            cls = classes.get(_fold_char(c))
            parts.append((cls or re.escape(c)) + r"[\u0300-\u036f]*")
    return "".join(parts)


def phrases_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all configured names (see _phrase_pattern), or None when there are none."""
    # Longest first: at one position the alternation takes the first alternative that matches.
    unique = {fold(" ".join(p.split())): p for p in phrases if p and p.strip()}
    if not unique:
        return None
    ordered = sorted(unique.values(), key=lambda p: (-len(fold(p)), fold(p)))
    alternation = "|".join(_phrase_pattern(p) for p in ordered)
    return re.compile(rf"(?<!\w)(?:{alternation})(?![\w\u0300-\u036f])")
