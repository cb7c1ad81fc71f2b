"""Reading one field of regios.yaml: each reader checks the value and names the place in a Dutch error.

The file is edited by hand by coordinators: a misspelt key, a word for a number or a path outside the input
folder is reported, never silently replaced by a default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor_aoj.definitions.questionnaire import SECTORS
from monitor_aoj.definitions.yaml_reader import yes_no
from monitor_aoj.errors import ConfigError


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
    unknown = sorted(str(k) for k in value if k not in SECTORS)
    if unknown:
        raise ConfigError(f"{where}: '{unknown[0]}' is geen sector; gebruik {' en '.join(SECTORS)} ({example}).")
    out = []
    for sector in SECTORS:
        if sector not in value:
            continue
        number = value[sector]
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not float(number).is_integer():
            raise ConfigError(f"{where}: {sector} '{number}' is geen heel getal; noem het aantal uitgenodigde "
                              f"professionals, {example}.")
        if number < 1:
            raise ConfigError(f"{where}: {sector} {int(number)} kan niet; er is minstens één professional uitgenodigd. "
                              f"Laat de sector weg als het aantal niet bekend is.")
        out.append((sector, int(number)))
    return tuple(out)


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
