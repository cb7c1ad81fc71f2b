"""Quotes for the report: per sub-theme a few answers, readable and spread over both sectors.

Quotes are picked deterministically: answers the coordinator marked "ja" first, then answers in which the
anonymiser replaced nothing, then by readability; at most a set number per sub-theme (`max_citaten`), never twice
the same text, and never an answer the coordinator excluded.
"""

from __future__ import annotations

import re
import zlib
from typing import Any, Callable

import pandas as pd

from monitor_aoj.anonymise.anonymiser import KINDS
from monitor_aoj.definitions.codebooks import Codebook, normalise

PLACEHOLDER = re.compile(r"\[(?:" + "|".join(re.escape(kind) for kind in KINDS) + r")\]")
# A quote must not be mostly placeholders: it reads badly and shows what was removed. More than a quarter of the
# words (whitespace-separated, a placeholder counts as one word) being placeholders makes an answer unquotable
# unless the coordinator marked it "ja".
MAX_PLACEHOLDER_SHARE = 0.25


def readability(text: str) -> float:
    """Higher is a better quote: complete sentences of a readable length, few placeholders, not shouted."""
    length = len(text)
    letters = sum(ch.isalpha() for ch in text)
    upper = sum(ch.isupper() for ch in text)
    score = 0.0
    score += 2.0 if 60 <= length <= 250 else (1.0 if 35 <= length <= 400 else -2.0)
    score += 1.0 if text.rstrip()[-1:] in ".!?" else 0.0
    score += 0.5 if text[:1].isupper() else 0.0
    score -= 0.75 * len(PLACEHOLDER.findall(text))
    score -= 3.0 if letters and upper / letters > 0.5 else 0.0
    score -= 2.0 if letters < 0.6 * max(length, 1) else 0.0
    return score


def placeholder_share(text: str) -> float:
    """The share of the words that are placeholders ("[naam]," counts as one word)."""
    words = text.split()
    return len(PLACEHOLDER.findall(text)) / len(words) if words else 0.0


def quotable(text: str) -> bool:
    """Whether an answer may be chosen as a quote automatically: readable, and not mostly placeholders."""
    return readability(text) >= 0 and placeholder_share(text) <= MAX_PLACEHOLDER_SHARE


def _tiebreak(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def select_quotes(answers: pd.DataFrame, codebooks: dict[str, Codebook], maximum: int) -> pd.DataFrame:
    """Per region, wave, question and sub-theme at most `maximum` quotes, alternating between the sectors.

    Order of preference: answers the coordinator marked "ja", then answers in which the anonymiser replaced
    nothing, then by readability, then a fixed tiebreak; an answer marked "nee", an answer already quoted under an
    earlier sub-theme and a text already quoted are skipped. Too short or unreadable answers (readability below
    zero) and answers of which more than a quarter of the words are placeholders (MAX_PLACEHOLDER_SHARE) are only
    quoted when marked "ja".
    """
    rows = []
    # Scores depend on the text only, and short answers repeat: each distinct text is scored once.
    scores: dict[str, tuple[bool, float, bool]] = {}

    def score(text: str) -> tuple[bool, float, bool]:
        if text not in scores:
            scores[text] = (PLACEHOLDER.search(text) is not None, readability(text), quotable(text))
        return scores[text]

    folded: dict[str, str] = {}

    def same_text(text: str) -> str:
        if text not in folded:
            folded[text] = normalise(text)
        return folded[text]

    for (region, wave, item), part in answers.groupby(["region", "wave", "item"], sort=True):
        book = codebooks.get(item)
        if book is None:
            continue
        used_keys: set[str] = set()
        used_texts: set[str] = set()
        records = list(part.itertuples(index=False))  # once per question, not once per sub-theme
        for code in sorted(book.order, key=book.order.__getitem__):
            if not book.quotable(code):
                continue
            candidates = [rec for rec in records if code in rec.codes and rec.quote is not False
                          and rec.key not in used_keys]
            ranked = sorted(candidates, key=lambda r: (r.quote is not True, score(r.text)[0], -score(r.text)[1],
                                                       _tiebreak(r.key)))
            ranked = [r for r in ranked if r.quote is True or score(r.text)[2]]
            chosen = _spread(ranked, maximum, used_texts, same_text)
            for rank, rec in enumerate(chosen):
                used_keys.add(rec.key)
                used_texts.add(same_text(rec.text))
                rows.append({"region": region, "wave": wave, "item": item, "code": code, "label": book.label(code),
                             "rank": rank, "text": rec.text, "sector": rec.sector, "key": rec.key})
    return pd.DataFrame(rows, columns=["region", "wave", "item", "code", "label", "rank", "text", "sector", "key"])


def _spread(ranked: list, maximum: int, used_texts: set[str],
            same_text: Callable[[str], str] = normalise) -> list:
    """Take the best answers alternately from each sector, starting with the sector of the very best.
    same_text: how two texts count as the same (codebooks.normalise, or a remembering version of it)."""
    queues: dict[str, list] = {}
    for rec in ranked:
        queues.setdefault(rec.sector, []).append(rec)
    forced = [r for r in ranked if r.quote is True]
    chosen: list = []
    seen = set(used_texts)

    def take(rec: Any) -> None:  # a row of the answers table (pandas itertuples)
        text = same_text(rec.text)
        if text not in seen and rec not in chosen and len(chosen) < maximum:
            chosen.append(rec)
            seen.add(text)

    for rec in forced:
        take(rec)
    order = list(dict.fromkeys(r.sector for r in ranked))
    while len(chosen) < maximum and any(queues.values()):
        for sector in order:
            if queues.get(sector):
                take(queues[sector].pop(0))
    return chosen
