"""Reference values the user supplies (`referentie:` under `instellingen` in regios.yaml): figures from outside
this survey, such as national figures per item and wave, with their source.

A reference value is shown beside the region's own figure, with its source, and is never tested: it is not a
sample of ours, so nothing is known about its uncertainty. The file is a CSV with the columns of
REFERENCE_COLUMNS; every problem is reported in Dutch with the file, the row and the column.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F

REFERENCE_COLUMNS = ("item", "meting", "groep", "waarde", "bron")
REFERENCE_GROUPS = {"totaal": F.TOTAAL, "onderwijs": F.ONDERWIJS, "jeugdhulp": F.JEUGDHULP}
PERCENT_RANGE = (0.0, 100.0)  # a share item: the percentage positive, as the report shows it
MARK_RANGE = (1.0, 10.0)  # the rapportcijfer: a mean mark
MAX_PROBLEMS = 10  # the message names at most this many rows; the rest are counted
REFERENCE_RULE = ("Referentiewaarden komen van buiten deze monitor (de bron staat erbij). Ze staan naast het cijfer "
                  "van de regio om het te kunnen plaatsen, maar zijn niet getoetst: van zo'n waarde is niet bekend "
                  "op hoeveel respondenten ze rust en hoe ze gemeten is, dus een verschil ermee heet nooit "
                  "significant.")


@dataclass(frozen=True)
class ReferenceValue:
    """One value from outside the survey for one item, wave and group."""

    item: str
    wave: int
    group: str  # F.TOTAAL, F.ONDERWIJS or F.JEUGDHULP
    value: float  # a fraction (0.58) for a share item, a mark (6.1) for the rapportcijfer
    source: str
    is_mark: bool


def _is_mark(q: Questionnaire, item: str) -> bool:
    return q.item(item).closed_scale.kind == "cijfer"  # callers pass closed items only


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # as Excel saves a CSV on a Dutch Windows machine


def _number(text: str) -> float | None:
    text = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def load_references(path: Path, questionnaires: Mapping[int, Questionnaire]) -> tuple[ReferenceValue, ...]:
    """The reference values of `path`, a CSV (';' or ',' separated, UTF-8 or Windows-1252) with a header row.

    Columns (REFERENCE_COLUMNS): item (an id of a closed question), meting (a wave with a questionnaire), groep
    (totaal, onderwijs or jeugdhulp), waarde (the percentage positive, 0-100, '58', '58%' or '57,5'; for the
    rapportcijfer the mean mark, 1-10), bron (the source, shown in the report). Shares are returned as fractions.
    Raises ConfigError (exit code 2) naming the file, the row (the header is row 1), the column and what to do."""
    name = path.name
    if not path.is_file():
        raise ConfigError(f"{name}: het bestand met referentiewaarden bestaat niet (instellingen, referentie). "
                          "Zet het in de invoermap of haal de regel 'referentie' weg.")
    text = _decode(path)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader, [])]
    missing = [c for c in REFERENCE_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in REFERENCE_COLUMNS]
    if missing or unknown:
        found = ", ".join(header) if any(header) else "geen"
        raise ConfigError(
            f"{name}, rij 1: de kopregel moet de kolommen {', '.join(REFERENCE_COLUMNS)} hebben"
            + (f"; ontbreekt: {', '.join(missing)}" if missing else "")
            + (f"; onbekend: {', '.join(unknown)}" if unknown else "")
            + f" (gevonden: {found}). Zie de README (Referentiewaarden) voor een voorbeeld.")
    col = {c: header.index(c) for c in REFERENCE_COLUMNS}
    waves = sorted(questionnaires)
    values: list[ReferenceValue] = []
    problems: list[str] = []
    seen: dict[tuple[str, int, str], int] = {}
    for cells in reader:
        row = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        get = {c: cells[i].strip() for c, i in col.items()}

        def problem(column: str, what: str) -> None:
            problems.append(f"{name}, rij {row}, kolom '{column}': {what}")

        wave = int(get["meting"]) if get["meting"].isdigit() else None
        if wave is None or wave not in questionnaires:
            problem("meting", f"'{get['meting']}' is geen meting met een vragenlijst; gebruik een van "
                              f"{', '.join(map(str, waves))}.")
            continue
        q = questionnaires[wave]
        item = get["item"]
        if not q.has_item(item) or q.item(item).is_open:
            closed = [it.id for it in q.items if not it.is_open]
            close = difflib.get_close_matches(item, closed, n=1, cutoff=0.6)
            hint = f"bedoelt u '{close[0]}'?" if close else "bijvoorbeeld rapportcijfer"
            problem("item", f"'{item}' is geen gesloten vraag van de vragenlijst van {wave}; gebruik de id uit "
                            f"{q.source.name} ({hint}).")
            continue
        group = REFERENCE_GROUPS.get(get["groep"].casefold())
        if group is None:
            problem("groep", f"'{get['groep']}' is geen groep; gebruik {', '.join(REFERENCE_GROUPS)}.")
            continue
        if group == F.TOTAAL and q.item(item).per_sector:
            problem("groep", f"{item} is een gespiegelde stelling (elke sector kreeg een eigen stelling) en heeft "
                             "geen totaal; geef een referentiewaarde per sector (onderwijs of jeugdhulp).")
            continue
        is_mark = _is_mark(q, item)
        low, high = MARK_RANGE if is_mark else PERCENT_RANGE
        value = _number(get["waarde"])
        if value is None or not low <= value <= high:
            want = (f"een gemiddeld rapportcijfer van {low:g} tot {high:g}, zoals 6,1" if is_mark else
                    f"het percentage positief van {low:g} tot {high:g}, zoals 58 of 57,5")
            problem("waarde", f"'{get['waarde']}' past niet; verwacht {want}.")
            continue
        if not get["bron"]:
            problem("bron", "de bron ontbreekt; noem waar de waarde vandaan komt (die staat in het rapport).")
            continue
        key = (item, wave, group)
        if key in seen:
            problem("item", f"{item} in {wave} voor '{get['groep']}' staat er al (rij {seen[key]}); laat één rij "
                            "staan.")
            continue
        seen[key] = row
        values.append(ReferenceValue(item, wave, group, value if is_mark else value / 100, get["bron"], is_mark))
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise ConfigError("Het bestand met referentiewaarden klopt niet:\n- " + "\n- ".join(problems[:MAX_PROBLEMS])
                          + (f"\n- en nog {more} rij{'en' if more > 1 else ''}." if more > 0 else "")
                          + "\nVerbeter het bestand en draai opnieuw.")
    if not values:
        raise ConfigError(f"{name}: er staat geen enkele referentiewaarde in. Vul rijen onder de kopregel "
                          f"({';'.join(REFERENCE_COLUMNS)}) of haal de regel 'referentie' uit de instellingen weg.")
    return tuple(values)


def references_for(questionnaire: Questionnaire, supplied: tuple[ReferenceValue, ...], wave: int,
                   own_scales: frozenset[str] = frozenset()) -> dict[tuple[str, str], ReferenceValue]:
    """(item, group) -> reference value for one report: the user's file, and for what it leaves open the
    questionnaire's own `referentiewaarden` (all respondents). Items the region asked on a scale variant of its
    own (`own_scales`) get none: the reference was measured on the questionnaire's answers."""
    out: dict[tuple[str, str], ReferenceValue] = {}
    for r in questionnaire.references:
        if questionnaire.has_item(r.item):
            is_mark = _is_mark(questionnaire, r.item)
            out[(r.item, F.TOTAAL)] = ReferenceValue(r.item, wave, F.TOTAAL, r.value if is_mark else r.value / 100,
                                                     r.source, is_mark)
    for v in supplied:
        if v.wave == wave and questionnaire.has_item(v.item):
            out[(v.item, v.group)] = v
    return {key: r for key, r in out.items() if key[0] not in own_scales}
