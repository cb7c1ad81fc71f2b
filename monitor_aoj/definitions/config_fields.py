"""Reading one field of regios.yaml: each reader checks the value and names the place in a Dutch error; a field
with several entries (a list of years, of names, of sectors) names every wrong entry at once (config_problems).

The file is edited by hand by coordinators: a misspelt key, a word for a number or a path outside the input
folder is reported, never silently replaced by a default.
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import partial
from pathlib import Path
from typing import Any

from monitor_aoj.definitions.config_problems import Problems, at
from monitor_aoj.definitions.questionnaire import SECTORS, Questionnaire
from monitor_aoj.definitions.yaml_reader import yes_no
from monitor_aoj.errors import ConfigError

# An `eerdere_metingen` year below this is a typo, not a wave: the monitor's pilot ran in 2014/2015.
FIRST_PLAUSIBLE_YEAR = 2010


def known_keys(raw: dict, allowed: set[str], where: str) -> None:
    """A misspelt field would silently fall back to a default; name it instead."""
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise ConfigError(
            f"{where}: onbekend veld {', '.join(repr(u) for u in unknown)}. Bekende velden: "
            f"{', '.join(sorted(allowed))}."
        )


def setting_number(raw: dict[str, Any], key: str, default: Any, kind: type, allowed: str, path: Path) -> Any:
    """A numeric setting; 'vijf' or '5,5' gets a Dutch message with the key and what is allowed."""
    value = raw.get(key, default)
    try:
        if isinstance(value, bool) or (kind is int and isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{path.name}, instellingen, {key}: '{value}' is geen geldige waarde; verwacht "
                          f"{allowed}.") from None


def as_list(value: Any, where: str) -> tuple[str, ...]:
    """A list in YAML; a single name is a list of one ('organisaties: Jeugdteam X' is not split in letters)."""
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise ConfigError(f"{where}: verwacht een lijst, zoals [a, b, c].")


def yes_no_field(value: Any, where: str) -> bool:
    """ja/nee as well as true/false (yaml_reader.yes_no): the file is edited by Dutch users."""
    flag = yes_no(value)
    if flag is None:
        raise ConfigError(f"{where}: '{value}' is geen ja of nee.")
    return flag


def invited_counts(value: Any, where: str) -> tuple[tuple[str, int], ...]:
    """`uitgenodigd: {onderwijs: 120, jeugdhulp: 80}`: whole numbers of at least 1, for one or both sectors.
    Whether more people answered than were invited is only known from the data: validation warns then."""
    if value is None:
        return ()
    example = "bijvoorbeeld 'uitgenodigd: {onderwijs: 120, jeugdhulp: 80}'"
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{where}: verwacht per sector het aantal uitgenodigde professionals, {example}.")
    found = Problems()
    for key in (k for k in value if k not in SECTORS):
        found.add(at(value, key), f"{where}: '{key}' is geen sector; gebruik {' en '.join(SECTORS)} ({example}).")
    out = []
    for sector in (s for s in SECTORS if s in value):
        number = found.check(at(value, sector), partial(_invited, value[sector], sector, where, example), None)
        if number is not None:
            out.append((sector, number))
    found.stop()
    return tuple(out)


def _invited(number: Any, sector: str, where: str, example: str) -> int:
    """The number invited in one sector; ConfigError as invited_counts says."""
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not float(number).is_integer():
        raise ConfigError(f"{where}: {sector} '{number}' is geen heel getal; noem het aantal uitgenodigde "
                          f"professionals, {example}.")
    if number < 1:
        raise ConfigError(f"{where}: {sector} {int(number)} kan niet; er is minstens één professional uitgenodigd. "
                          f"Laat de sector weg als het aantal niet bekend is.")
    return int(number)


def inside_folder(folder: Path, name: Any, where: str) -> Path:
    """A file named in regios.yaml, which must lie in the input folder: no absolute path, no '..', and no link
    that points outside it (its lines would end up in the quarantine files of the output)."""
    path = Path(str(name))
    inside = folder.resolve()
    if path.is_absolute() or ".." in path.parts:
        raise ConfigError(f"{where}: '{name}' ligt buiten de invoermap. Zet het bestand in {folder} en noem "
                          "alleen de naam.")
    if not (folder / path).resolve().is_relative_to(inside):
        raise ConfigError(f"{where}: '{name}' ligt buiten de invoermap: het is een snelkoppeling naar "
                          f"{(folder / path).resolve()}. Kopieer het bestand zelf naar {folder}.")
    return folder / path


def held_without_data(raw: dict[str, Any], waves: list[int], where: str) -> tuple[int, ...] | None:
    """`eerdere_metingen` of a region: the years of waves it held whose data is not in this input, ascending.

    Absent: None (unknown). `[]` or `geen`: no such waves, so a region's first wave with data is its first
    wave. ConfigProblems names every value that is not a year (a whole number from FIRST_PLAUSIBLE_YEAR on), a
    year after today's, a year listed twice, a year that also has an export under `metingen`, or a year after
    the region's last wave with data (no report could mention it)."""
    if "eerdere_metingen" not in raw:
        return None
    value = raw["eerdere_metingen"]
    if value is None or (isinstance(value, str) and value.strip().casefold() == "geen"):
        return ()
    found = Problems()
    years: list[int] = []
    for k, v in enumerate(value if isinstance(value, list) else [value]):
        year = found.check((k,), partial(_earlier_year, v, years, waves, where), None)
        if year is not None:
            years.append(year)
    found.stop()
    return tuple(sorted(years))


def _earlier_year(v: Any, years: list[int], waves: list[int], where: str) -> int:
    """One year under `eerdere_metingen`, after `years`; ConfigError as held_without_data says."""
    if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
        raise ConfigError(f"{where}: '{v}' is geen jaartal. Noem de jaren van de eerdere metingen, zoals "
                          "[2016, 2018], of 'geen'.")
    year = int(v)
    if year < FIRST_PLAUSIBLE_YEAR or year > 9999:  # 20188: a typo, not a wave in the future
        raise ConfigError(f"{where}: {year} is geen plausibel jaar van een meting; verwacht een jaartal van vier "
                          f"cijfers vanaf {FIRST_PLAUSIBLE_YEAR}.")
    if year > dt.date.today().year:
        raise ConfigError(f"{where}: {year} ligt in de toekomst. Noem alleen metingen die al gehouden zijn.")
    if year in years:
        raise ConfigError(f"{where}: {year} staat er twee keer in.")
    if year in waves:
        raise ConfigError(f"{where}: van meting {year} staat een export onder 'metingen'. Noem onder "
                          "'eerdere_metingen' alleen metingen waarvan de gegevens niet zijn aangeleverd.")
    if waves and year > max(waves):
        raise ConfigError(f"{where}: {year} is later dan de laatste meting met gegevens ({max(waves)}), dus "
                          "geen rapport kan die meting noemen. Voeg de export toe onder 'metingen', of laat "
                          "het jaar weg.")
    return year


# --- Monitor op maat: items left out --------------------------------------------


def omitted_items(q: Questionnaire, names: tuple[str, ...], where: str, lenient: bool = False) -> tuple[str, ...]:
    """The item ids that `weglaten` names stand for in this questionnaire: a theme id (all its items), an item id
    or an export column. Every unknown name is a ConfigProblems line with a suggestion, unless lenient (a name left out
    for all waves of a region need only mean something in one of them)."""
    problems = Problems()
    ids: list[str] = []
    for k, name in enumerate(names):
        found = q.resolve(name)
        if not found and not lenient:
            close = difflib.get_close_matches(name, q.names(), n=3, cutoff=0.6)
            hint = f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
            problems.add((k,),
                f"{where}: '{name}' is geen thema, vraag of kolom van de vragenlijst van {q.wave}.{hint} Noem een "
                f"thema ({', '.join(t.id for t in q.themes)}), de id van een vraag of de kolomnaam in de vragenlijst."
            )
        ids += [i for i in found if i not in ids]
    problems.stop()
    return tuple(ids)
