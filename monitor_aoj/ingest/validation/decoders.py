"""The Dutch words for a failed value, for catalogue entries that need more than the value found: the value shown
(`Check.value`) and a sentence naming the kind of mistake (`Check.hint`, with the decision for an unknown answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.ingest.columns import FUNCTIE, ROW, SECTOR
from monitor_aoj.ingest.decode import (
    VALID,
    answer_key,
    excel_rounded,
    fold,
    match_label,
    meaning_table,
    rounded_by_excel,
)
from monitor_aoj.ingest.read import RawExport

if TYPE_CHECKING:
    from monitor_aoj.ingest.validation.translate import Describe


def sector_and_functie(describe: Describe, file: str, row: int) -> str:
    """A row without sector: what it says for sector and functie."""
    return f"sector {describe.found(file, row, SECTOR)}, functie {describe.found(file, row, FUNCTIE)}"


def what_the_row_holds(describe: Describe, file: str, row: int) -> str:
    """A row without answers: nothing at all, or background only."""
    values = describe.by_row[file].loc[row].drop(labels=[ROW])
    return "rij is helemaal leeg" if all(v is None for v in values) else "alleen achtergrondgegevens"


def decision(describe: Describe, file: str, row: int, canonical: str, value: str) -> str:
    """A value that decodes to nothing: the decision the user has to make, in the mapping."""
    return _decision(describe.raws[file], describe.by_row[file], describe.q, canonical, row)


def mark(describe: Describe, file: str, row: int, canonical: str, value: str) -> str:
    """A report mark that is not one: text, a fraction, or outside the scale."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return "Er staat tekst in een veld voor een cijfer."
    return "Een rapportcijfer is een heel getal." if not number.is_integer() else "Dit cijfer valt buiten de schaal."


def rounded_id(describe: Describe, file: str, row: int, canonical: str, value: str) -> str:
    """A duplicate respondent id that Excel's scientific notation made one (1,18052E+11): why, and not to delete."""
    return f"{excel_rounded(value)} Verwijder deze rijen dus niet." if rounded_by_excel(value) else ""


def region(describe: Describe, file: str, row: int, canonical: str, value: str) -> str:
    """A row of another region: none named, one with its own file, or one regios.yaml does not know."""
    if value == "(leeg)":
        return "Deze rij noemt geen regio, en hoort dus bij geen enkele regio. Vul de regio in."
    known = fold(value) in describe.known_regions
    return ("Die regio heeft een eigen bestand in regios.yaml." if known
            else f"Regio '{value}' staat niet in regios.yaml.")


def _decision(raw: RawExport, frame: pd.DataFrame, q: Questionnaire, canonical: str, row: int) -> str:
    """For a value that decodes to nothing: which decision the user has to make, in the mapping.

    frame: the export's rows indexed by row number (built once per file, not per problem)."""
    coding = raw.coding.get(canonical)
    if coding is None or canonical not in frame or row not in frame.index:
        return ""
    value = frame.at[row, canonical]
    key = answer_key(value)
    column = raw.column_name(canonical)
    label = coding.unresolved.get(key)
    if label is None and isinstance(value, str) and not key.replace(".", "").isdigit():
        label = value
    if label is not None:
        if match_label(label, meaning_table([(0, "Weet ik niet", VALID, True)])) and q.has_item(canonical):
            variants = [sid for sid, sc in q.scales.items() if sc.kind == q.item(canonical).closed_scale.kind
                        and sc.dont_know_codes and set(q.item(canonical).closed_scale.codes) <= set(sc.codes)]
            if variants:
                return (f"De vragenlijst heeft bij deze vraag geen 'Weet ik niet', het bestand wel. Kies in de "
                        f"koppeling: 'schalen: {{{column}: {variants[0]}}}' (telt 'Weet ik niet' als antwoord mee in "
                        f"de basis; vergelijken met andere metingen kan dan niet) of 'antwoorden: {{{column}: "
                        f"{{\"{label}\": Geen antwoord}}}}'.")
        return (f"Het antwoord '{label}' komt niet voor in de vragenlijst en wordt niet geraden. Koppel het in de "
                f"koppeling onder 'antwoorden: {{{column}: {{\"{label}\": <antwoord uit de vragenlijst>}}}}'.")
    if not raw.value_labels.get(canonical) and key and key.replace(".", "").lstrip("-").isdigit():
        return ("Het bestand geeft hier alleen een code, zonder label. Zijn het de codes van de vragenlijst, zet dan "
                "'codes: vragenlijst' bij deze meting in regios.yaml of in de koppeling; anders koppel elke code onder "
                "'antwoorden'.")
    return "Koppel het antwoord onder 'antwoorden' in de koppeling, of verbeter het in de export."
