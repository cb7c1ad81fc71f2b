"""Translate raw export values into questionnaire codes.

Exports carry codes ("1", 1.0), labels ("Helemaal eens", "JA ") or Dutch numbers ("6,0"). One lookup per
scale turns all of them into the codes the questionnaire defines; anything else is reported as invalid,
never guessed. Validation and the tidy Responses both use this, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor_aoj.columns import FUNCTIE, SECTOR
from monitor_aoj.questionnaire import Choice, MissingCode, Questionnaire, Scale

# Status of one answer in the tidy table.
VALID = "geldig"  # a code of the scale, "weet ik niet" included
NO_ANSWER = "geen_antwoord"  # blank, or the "geen antwoord" code
NOT_APPLICABLE = "niet_van_toepassing"  # "n.v.t." code, or skipped by a filter
INVALID = "ongeldig"  # a value the questionnaire does not know



def fold(name: object) -> str:
    """A column, region or sheet name compared the way people mean it: case and spacing do not count."""
    return " ".join(str(name).split()).casefold()


def normalise(values: pd.Series) -> pd.Series:
    """A folded text form of every value: '1', '6.5', 'helemaal eens'; blanks become NaN."""

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return np.nan
        if isinstance(v, (bool, np.bool_)):
            return str(int(v))
        if isinstance(v, (int, np.integer)):
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        text = " ".join(str(v).split()).casefold()
        if not text:
            return np.nan
        number = text.replace(",", ".")
        try:
            f = float(number)
        except ValueError:
            return text
        if not np.isfinite(f):
            return text
        return str(int(f)) if f.is_integer() else repr(f)

    return values.map(one)


def scale_lookup(scale: Scale, missing: tuple[MissingCode, ...]) -> dict[str, tuple[int, str]]:
    """Folded value -> (code, status). Codes and labels are both accepted."""
    table: dict[str, tuple[int, str]] = {}
    for code in scale.codes:
        table[str(code)] = (code, VALID)
        table[scale.label(code).casefold()] = (code, VALID)
    for m in missing:
        status = NO_ANSWER if m.kind == "geen_antwoord" else NOT_APPLICABLE
        table.setdefault(str(m.code), (m.code, status))
        table.setdefault(m.label.casefold(), (m.code, status))
    return table


def choice_lookup(choices: tuple[Choice, ...], missing: tuple[MissingCode, ...]) -> dict[str, tuple[int, str]]:
    table: dict[str, tuple[int, str]] = {}
    for c in choices:
        table[str(c.code)] = (c.code, VALID)
        table[" ".join(c.label.split()).casefold()] = (c.code, VALID)
    for m in missing:
        status = NO_ANSWER if m.kind == "geen_antwoord" else NOT_APPLICABLE
        table.setdefault(str(m.code), (m.code, status))
        table.setdefault(m.label.casefold(), (m.code, status))
    return table


@dataclass(frozen=True)
class Coded:
    code: pd.Series  # Int64: the questionnaire code for valid answers, <NA> otherwise
    status: pd.Series  # VALID / NO_ANSWER / NOT_APPLICABLE / INVALID


def code_values(values: pd.Series, lookup: dict[str, tuple[int, str]]) -> Coded:
    folded = normalise(values)
    hit = folded.map(lookup)
    blank = folded.isna()
    status = pd.Series(np.where(blank, NO_ANSWER, INVALID), index=values.index, dtype=object)
    found = hit.notna()
    status[found] = hit[found].map(lambda t: t[1])
    code = pd.Series(pd.NA, index=values.index, dtype="Int64")
    valid = status == VALID
    code[valid] = hit[valid].map(lambda t: t[0]).astype("int64")
    return Coded(code=code, status=status)


def derive_sector(frame: pd.DataFrame, q: Questionnaire) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(sector, sector as stated, functie code) per row of a RawExport frame.

    A functie that belongs to one sector decides the sector (DOMAIN: leerplicht, JGZ and J&G coaches count as
    jeugdhulp, a consulent passend onderwijs as onderwijs). Otherwise the stated sector counts.
    """
    bg = q.background
    none = pd.Series(None, index=frame.index, dtype=object)
    stated = none.copy()
    if SECTOR in frame:
        sc = code_values(frame[SECTOR], choice_lookup(bg.sector.choices, q.missing))
        by_code = {c.code: c.sector for c in bg.sector.choices}
        stated = sc.code.map(by_code, na_action="ignore").astype(object).where(sc.status == VALID, None)
    functie = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    from_functie = none.copy()
    if FUNCTIE in frame:
        fc = code_values(frame[FUNCTIE], choice_lookup(bg.functie.choices, q.missing))
        functie = fc.code.where(fc.status == VALID, pd.NA)
        by_code = {c.code: (c.sector or None) for c in bg.functie.choices}
        from_functie = functie.map(by_code, na_action="ignore").astype(object)
        from_functie = from_functie.where(from_functie.notna(), None)
    sector = from_functie.where(from_functie.notna(), stated)
    return sector, stated, functie
