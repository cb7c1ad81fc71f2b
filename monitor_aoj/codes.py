"""Translate raw export values into questionnaire codes.

Exports carry codes ("1", 1.0), labels ("Helemaal eens", "JA ") or Dutch numbers ("6,0"). One lookup per
scale turns all of them into the codes the questionnaire defines; anything else is reported as invalid,
never guessed. Validation and the tidy Responses both use this, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor_aoj.questionnaire import Choice, MissingCode, Scale

# Status of one answer in the tidy table.
VALID = "geldig"  # a code of the scale, "weet ik niet" included
NO_ANSWER = "geen_antwoord"  # blank, or the "geen antwoord" code
NOT_APPLICABLE = "niet_van_toepassing"  # "n.v.t." code, or skipped by a filter
INVALID = "ongeldig"  # a value the questionnaire does not know

BLANK = "leeg"


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
