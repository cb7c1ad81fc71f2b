"""Which questionnaire answer a file answer means when it does not decode by itself, for a drafted mapping (koppel).

A proposal rests on what the file says, not on spelling alone: synonyms decode by themselves (decode.SYNONYMS);
the order of the file's codes on a scale of the same length whose other codes already decode in that order (SPSS
and R value labels); the number inside a mark's label ('10 - Uitstekend'); or a spelling so close that it can
only be the same answer, with the same negations and degree words ('Zeer mee eens' is not 'Eens'). Proposals keep
the scale one-to-one: two different file answers never land on one answer that counts. Whatever is left is an
open slot the user fills (KIES), and a value typed under "Anders" goes to the "Anders" answer, never to a named
category.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from monitor_aoj.definitions.questionnaire import Questionnaire, Scale
from monitor_aoj.ingest.columns import FUNCTIE, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import VALID, Option, answer_key, match_label, meaning_table
from monitor_aoj.ingest.koppel_fit import ColumnValues, content_words, plain, similarity
from monitor_aoj.ingest.mapping import options_for

SPELLING_MIN = 0.75  # below this a likeness in spelling proposes nothing: the user chooses (KIES)
# Words that place an answer on its scale: a close spelling that differs in them means another answer.
SCALE_WORDS = frozenset({"niet", "geen", "not", "no", "nooit", "never", "eens", "oneens", "agree", "disagree",
                         "zeer", "helemaal", "volledig", "erg", "heel", "strongly", "totally", "very", "alle",
                         "all", "meeste", "most", "enkele", "sommige", "some", "deel", "overal", "nergens"})
# Answers that mean the same in the field, for suggestions only (the user confirms each one).
_HINTS = {"basisonderwijs": "primair onderwijs", "bao": "primair onderwijs", "jgz": "jeugdverpleegkundige",
          "sbo": "speciaal basisonderwijs", "voortgezet onderwijs": "voortgezet onderwijs regulier"}
Hit = tuple[int, str]  # questionnaire (code, status)


@dataclass
class AnswerDraft:
    value: str  # the value as the mapping writes it (the file's code or text)
    label: str  # the file's label of it ("" when the value is the text)
    suggestion: str  # the questionnaire's answer; "" = no proposal, the user chooses (KIES)
    why: str


def column_answers(q: Questionnaire, canonical: str, v: ColumnValues) -> tuple[list[AnswerDraft], tuple[str, str]]:
    """The answers of one mapped closed column that need a decision, and a scale variant ('' = none, why).

    Args:
        q: the questionnaire of the export's wave.
        canonical: the column's canonical target (an item id or a background column).
        v: the column's distinct answers (koppel_fit.column_values).

    Returns:
        (one AnswerDraft per file answer that does not decode by itself, in file order: a proposal with its
        reason, or suggestion "" with what to choose from; (scale id, Dutch reason) when the file's "Weet ik niet"
        needs a variant of the item's scale, else ("", "")).
    """
    options = options_for(q, canonical) or []
    table = meaning_table(options)
    open_labels = {k: lab for k, lab in v.labels.items() if match_label(lab, table) is None}
    variant, why = _dont_know_variant(q, canonical, v, open_labels, table)
    if variant:
        options = options_for(q, canonical, variant) or []
        table = meaning_table(options)
        open_labels = {k: lab for k, lab in open_labels.items() if match_label(lab, table) is None}
    scale = (q.scales[variant] if variant else q.item(canonical).closed_scale) if q.has_item(canonical) else None
    anchors = {k: hit for k, lab in v.labels.items() if (hit := match_label(lab, table)) is not None}
    proposed = _proposals(q, canonical, v, open_labels, options, scale, anchors)
    entries = []
    for key, lab in open_labels.items():
        suggestion, reason = proposed[key]
        value = key if v.coded else lab
        reason = f"in het bestand {key} = {reason}" if v.coded else reason
        entries.append(AnswerDraft(value, lab if v.coded else "", suggestion, reason))
    return entries, (variant, why)


def _proposals(q: Questionnaire, canonical: str, v: ColumnValues, open_labels: dict[str, str],
               options: list[Option], scale: Scale | None, anchors: dict[str, Hit]) -> dict[str, tuple[str, str]]:
    """Per open answer key: (proposed questionnaire answer or "", Dutch reason)."""
    label_of = {(code, status): label for code, label, status, _ in options}
    other = _other_choice(q, canonical)
    by_order = _by_order(scale, v, anchors, open_labels) if scale is not None and scale.kind == "ordinaal" else {}
    found: dict[str, tuple[Hit, str]] = {}
    left: dict[str, str] = {}
    for key, lab in open_labels.items():
        nearest, sim = _nearest(lab, options)
        if key in by_order:
            found[key] = by_order[key]
        elif scale is not None and scale.kind == "cijfer" and (mark := _number_in(lab, options)) is not None:
            found[key] = (mark, f"'{lab}' staat niet in de vragenlijst; het getal in het label is {mark[0]}")
        elif nearest is not None and _same_answer(lab, label_of[nearest], sim):
            found[key] = (nearest, f"'{lab}' staat niet in de vragenlijst; lijkt {round(100 * sim)}% op "
                                   f"'{label_of[nearest]}'")
        elif other is not None:
            found[key] = (other, f"'{lab}' staat niet in de vragenlijst en lijkt een eigen antwoord bij "
                                 f"'{label_of[other]}': zo telt de respondent bij de sector die hij zelf koos")
        else:
            left[key] = (f"'{lab}' staat niet in de vragenlijst" + (
                f"; het lijkt {round(100 * sim)}% op '{label_of[nearest]}', maar dat zegt niet dat het hetzelfde "
                "antwoord is" if nearest is not None and sim >= 0.3 else " en lijkt op geen antwoord ervan"))
    # One-to-one on the answers that count: a second file answer on a taken answer is the user's decision.
    claims = Counter(hit for hit, _ in found.values())
    claimed: dict[str, Hit] = {}  # proposals withdrawn because another answer claims the same
    for key, (hit, reason) in list(found.items()):
        if hit[1] != VALID or hit == other:
            continue
        rivals = [open_labels[k] for k, (h, _) in found.items() if h == hit and k != key] + \
            [open_labels[k] for k in left if k in claimed and claimed[k] == hit]
        rivals += [v.labels[k] for k, h in anchors.items() if h == hit]
        if claims[hit] > 1 or rivals:
            claimed[key] = hit
            del found[key]
            left[key] = (f"{reason}, maar ook {', '.join(repr(r) for r in rivals)} zou op '{label_of[hit]}' komen; "
                         "twee verschillende antwoorden op één antwoord stelt het programma niet voor")
    choose = ", ".join(label for _, label, *_ in options)
    out = {k: (label_of[hit], reason) for k, (hit, reason) in found.items()}
    out.update({k: ("", f"{reason}. Kies zelf: {choose}") for k, reason in left.items()})
    return out


def _by_order(scale: Scale, v: ColumnValues, anchors: dict[str, Hit], open_labels: dict[str, str]
              ) -> dict[str, tuple[Hit, str]]:
    """Open codes placed by their order in the file: as many codes as the scale has answers (besides 'Weet ik niet'),
    and the codes that decode by their label all in that order, from either end. No anchor, no direction."""
    if not v.coded:
        return {}
    dont_know = {c.code for c in scale.categories if c.dont_know}
    codes = sorted((k for k in v.labels if re.fullmatch(r"\d+", k)
                    and not (k in anchors and (anchors[k][1] != VALID or anchors[k][0] in dont_know))), key=int)
    points = [c.code for c in scale.categories if not c.dont_know]
    anchored = [k for k in codes if k in anchors]
    if len(codes) != len(points) or not anchored:
        return {}
    plans = [plan for plan in (dict(zip(codes, points)), dict(zip(codes, reversed(points))))
             if all(anchors[k] == (plan[k], VALID) for k in anchored)]
    if len(plans) != 1:  # the anchors fit neither direction, or both (only the middle of the scale)
        return {}
    return {k: ((plans[0][k], VALID), f"'{open_labels[k]}' staat niet in de vragenlijst; op volgorde van de codes "
                f"in het bestand (code {k} is de {codes.index(k) + 1}e van {len(codes)}, en "
                f"{', '.join(anchored)} {'past' if len(anchored) == 1 else 'passen'} in die volgorde op hun label)")
            for k in codes if k in open_labels}


def _dont_know_variant(q: Questionnaire, canonical: str, v: ColumnValues, open_labels: dict[str, str],
                       table: dict[str, Hit]) -> tuple[str, str]:
    """A scale variant with "Weet ik niet" when the file has that answer and the item's scale has not."""
    if not q.has_item(canonical) or not open_labels:
        return "", ""
    item = q.item(canonical)
    if any(cat.dont_know for cat in item.closed_scale.categories):
        return "", ""
    dont_know = [k for k, lab in open_labels.items()
                 if match_label(lab, meaning_table([(3, "Weet ik niet", VALID, True)])) is not None]
    if not dont_know:
        return "", ""
    for sid, scale in q.scales.items():
        if scale.kind != item.closed_scale.kind or not any(cat.dont_know for cat in scale.categories):
            continue
        variant_table = meaning_table(options_for(q, canonical, sid) or [])
        if all(match_label(v.labels[k], variant_table) is not None for k in dont_know) and all(
                match_label(lab, variant_table) is not None for lab in v.labels.values()
                if match_label(lab, table) is not None):
            return sid, (f"'{open_labels[dont_know[0]]}' staat in het bestand maar niet in schaal "
                         f"{item.closed_scale.id} van {item.column}; met {sid} telt het als antwoord 'Weet ik niet'")
    return "", ""


def _other_choice(q: Questionnaire, canonical: str) -> Hit | None:
    """The "Anders, namelijk" answer of a background question, if it has one."""
    bg = q.background
    choices = {SECTOR: bg.sector.choices, FUNCTIE: bg.functie.choices, SCHOOLTYPE: bg.schooltype.choices}
    return next(((c.code, VALID) for c in choices.get(canonical, ()) if c.other), None)


def _number_in(label: str, options: list[Option]) -> Hit | None:
    """The one whole number in a mark's label ('10 - Uitstekend'), when it is a valid mark."""
    numbers = re.findall(r"\d+", label)
    if len(numbers) != 1:
        return None
    return next(((code, status) for code, _, status, _ in options
                 if status == VALID and str(code) == answer_key(numbers[0])), None)


def _same_answer(label: str, ours: str, sim: float) -> bool:
    """A file label that can only be the questionnaire's answer `ours` by its wording: alike in spelling, or every
    word of it inside a word of ours or the other way round ('Leerplicht', 'JGZ-verpleegkundige'), with the same
    negations and degree words."""
    if frozenset(plain(label).split()) & SCALE_WORDS != frozenset(plain(ours).split()) & SCALE_WORDS:
        return False
    theirs = [w for w in content_words(_hinted(label)) if len(w) >= 3]
    mine = [w for w in content_words(ours) if len(w) >= 3]
    inside = bool(theirs) and all(any(a in b or b in a for b in mine) for a in theirs)
    return sim >= SPELLING_MIN or inside


def _hinted(label: str) -> str:
    """A label with the words _HINTS adds to it."""
    text = plain(label)
    return " ".join([text] + [meant for word, meant in _HINTS.items() if re.search(rf"\b{word}\b", text)])


def _nearest(label: str, options: list[Option]) -> tuple[Hit | None, float]:
    """The questionnaire answer most alike in spelling (with _HINTS), and how alike (0..1)."""
    text = _hinted(label)
    best: tuple[Hit | None, float] = (None, 0.0)
    for code, ours, status, _ in options:
        sim = similarity(text, ours)
        if sim > best[1]:
            best = ((code, status), sim)
    return best
