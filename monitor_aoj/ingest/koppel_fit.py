"""How well a file column fits a questionnaire target, for drafting a mapping (koppel): by its texts and answers.

Texts (column name, question text, variable label) are compared with the questionnaire's (similarity); a
column's answers (column_values) are matched with each target's scale and its variants (fit).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.dutch import counted
from monitor_aoj.ingest.columns import FUNCTIE, FUNCTIE_OTHER, RESPONDENT, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import answer_key, excel_rounded, fold, match_label, meaning_table, rounded_by_excel
from monitor_aoj.ingest.mapping import options_for
from monitor_aoj.ingest.table import Table

_STOP = {"er", "is", "een", "de", "het", "en", "van", "in", "op", "met", "uit", "aan", "te", "dat", "die", "om",
         "voor", "zijn", "worden", "wordt", "u", "of", "tot", "bij", "door", "als", "ook", "welk", "welke", "hoe",
         "the", "a", "an", "of", "to", "and", "is", "are", "do", "you", "your", "what", "which", "q"}
# Background questions: words a column name or question text uses for them.
_BACKGROUND_WORDS = {
    RESPONDENT: "respondent respondentnummer respondent id volgnummer",
    SECTOR: "sector werkveld",
    FUNCTIE: "functie beroep",
    SCHOOLTYPE: "schooltype soort onderwijs",
    FUNCTIE_OTHER: "functie anders namelijk",
}


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def content_words(text: str) -> set[str]:
    """The words of a text that carry meaning: folded, without stop words."""
    return {t for t in plain(text).split() if t not in _STOP}


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1: the better of difflib's ratio and the share of shared words."""
    pa, pb = plain(a), plain(b)
    if not pa or not pb:
        return 0.0
    if pa == pb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, pa, pb).ratio()
    ta, tb = content_words(a), content_words(b)
    overlap = 0.0
    if ta and tb:
        shared = len(ta & tb) + 0.5 * sum(1 for x in ta - tb if len(x) >= 4 and any(x in y or y in x for y in tb - ta))
        overlap = 2 * shared / (len(ta) + len(tb))
        if min(len(ta), len(tb)) <= 2:  # a short name inside a long text: 'sector' in 'In welke sector ...'
            overlap = max(overlap, 0.85 * shared / min(len(ta), len(tb)))
    return min(1.0, max(ratio, overlap))


def written(q: Questionnaire, canonical: str) -> str:
    """The target as the mapping writes it: the questionnaire's column name."""
    bg = q.background
    names = {RESPONDENT: bg.respondent_column, SECTOR: bg.sector.column, FUNCTIE: bg.functie.column,
             SCHOOLTYPE: bg.schooltype.column, FUNCTIE_OTHER: bg.functie.other_column or FUNCTIE_OTHER}
    return names.get(canonical) or q.item(canonical).column


def target_candidates(q: Questionnaire) -> list[str]:
    """Canonical targets in questionnaire order: background first, then the items."""
    out = [RESPONDENT, SECTOR, FUNCTIE, SCHOOLTYPE]
    if q.background.functie.other_column:
        out.append(FUNCTIE_OTHER)
    return out + [it.id for it in q.items]


def target_texts(q: Questionnaire, canonical: str) -> list[str]:
    if canonical in _BACKGROUND_WORDS:
        return [written(q, canonical), _BACKGROUND_WORDS[canonical]]
    item = q.item(canonical)
    return [item.short] + [t for _, t in item.texts]


def target_names(q: Questionnaire, canonical: str) -> set[str]:
    names = {fold(written(q, canonical)), fold(canonical)}
    return names


def target_label(q: Questionnaire, canonical: str) -> str:
    if canonical in _BACKGROUND_WORDS:
        return written(q, canonical)
    item = q.item(canonical)
    return f"{item.column} ({item.short})"


@dataclass
class ColumnValues:
    labels: dict[str, str]  # answer key -> label shown (file value labels, or the text values themselves)
    coded: bool  # labels are value labels of codes (SPSS, R): the mapping names the code
    numbers: set[str]  # numeric values without a label
    filled: int  # non-blank cells
    distinct: int
    rows: int
    long_text: bool  # free text: many different, long values
    rounded: str = ""  # a cell in Excel's scientific notation ('1,18052E+11'): the column lost digits

    def id_trouble(self) -> str:
        """Why the column cannot be the respondent id (Dutch), or '' when every row has its own value."""
        if self.rows >= 2 and self.filled == self.rows and self.distinct == self.rows and not self.long_text:
            return ""
        why = (f"de waarden zijn niet uniek ({counted(self.rows, 'rij', 'rijen')}, "
               f"{counted(self.distinct, 'verschillende waarde', 'verschillende waarden')})"
               if self.filled == self.rows else f"niet elke rij heeft een waarde ({self.filled} van {self.rows})")
        return f"{why}. {excel_rounded(self.rounded)}" if self.rounded else why


def column_values(table: Table, pos: int) -> ColumnValues:
    cells = [r[pos] if pos < len(r) else None for r in table.body]
    keys: dict[str, object] = {}
    for v in cells:
        if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
            continue
        keys.setdefault(answer_key(v), v)
    filled = sum(1 for v in cells if v is not None and not (isinstance(v, float) and v != v)
                 and not (isinstance(v, str) and not v.strip()))
    file_labels = table.labels.get(pos) or {}
    labels = {answer_key(c): str(lab) for c, lab in file_labels.items()}
    numbers = set()
    texts = {}
    for key, v in keys.items():
        if key in labels:
            continue
        if re.fullmatch(r"-?\d+(\.\d+)?", key):
            numbers.add(key)
        else:
            texts[key] = " ".join(str(v).split())
    long_text = len(texts) >= 3 and sum(len(t) for t in texts.values()) / len(texts) > 25
    if not long_text:
        labels.update(texts)
    rounded = next((str(v) for v in cells if rounded_by_excel(v)), "")
    return ColumnValues(labels, bool(file_labels), numbers, filled, len(keys), len(cells), long_text, rounded)


def answers_fit(q: Questionnaire, canonical: str, values: ColumnValues) -> tuple[float, str]:
    """How well a column's answers fit a target (0..1), and the scale variant it needs ('' = its own scale).

    -1 when the answers say nothing (empty, or open target with closed answers and the reverse)."""
    if canonical == RESPONDENT:
        return (0.0 if values.id_trouble() else 1.0), ""
    if canonical == FUNCTIE_OTHER or (q.has_item(canonical) and q.item(canonical).is_open):
        if values.long_text:
            return 1.0, ""
        return (-1.0 if values.filled == 0 else 0.0), ""
    if not values.labels and not values.numbers:
        return -1.0, ""
    if values.long_text:
        return 0.0, ""
    scale = q.item(canonical).scale if q.has_item(canonical) else None
    variants = [""]
    if scale is not None:
        variants += [sid for sid, s in q.scales.items() if s.kind == scale.kind and s is not scale]
    best = (0.0, "")
    for variant in variants:
        options = options_for(q, canonical, variant) or []
        table = meaning_table(options)
        hits = sum(1 for lab in values.labels.values() if match_label(lab, table) is not None)
        valid_codes = {str(code) for code, _, status, _ in options if status == "geldig"}
        numbers_ok = all(n in valid_codes or n in {str(c) for c, *_ in options} for n in values.numbers)
        if scale is not None and scale.kind == "cijfer":
            if values.numbers and not numbers_ok:
                continue
            score = (1.0 if len(values.numbers) >= 3 else 0.45) if values.numbers else 0.0  # one '1' is no mark
            if values.labels:
                score = min(score or 1.0, hits / len(values.labels))
        elif values.labels:
            score = hits / len(values.labels)
            if values.numbers and not numbers_ok:
                score *= 0.5
            shown = {match_label(lab, table) for lab in values.labels.values()} - {None}
            wanted = {(code, status) for code, _, status, _ in options if status == "geldig"}
            if score == 1.0 and not wanted <= shown:
                score = 0.9  # all answers known, but the scale has more: a scale with fewer fits better
        else:
            score = 0.4 if numbers_ok else 0.0  # bare numbers: only the questionnaire's codes could tell
        if variant:
            score *= 0.6
        if score > best[0]:
            best = (score, variant)
    return best


def values_sample(v: ColumnValues, n: int = 3) -> str:
    shown = list(dict.fromkeys(v.labels.values()))[:n] or sorted(v.numbers, key=lambda x: float(x))[:n]
    return ", ".join(shown) + (" ..." if len(v.labels) + len(v.numbers) > n else "")
