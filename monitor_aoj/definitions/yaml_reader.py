"""Reading the YAML files users edit (regios.yaml, questionnaires, codebooks), with Dutch errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from monitor_aoj.errors import ConfigError

# The one reading of a yes/no setting in the files users edit (and of the review sheet's ja/nee column): Dutch
# words first, as users write them, and what YAML or a spreadsheet makes of true/false.
YES_WORDS = ("ja", "j", "yes", "true", "1")
NO_WORDS = ("nee", "n", "no", "false", "0")


def yes_no(value: Any) -> bool | None:
    """True or False for a yes/no word (YES_WORDS, NO_WORDS, any case, YAML's booleans), None for anything else:
    the caller says where in its own words. A word that is neither is never read as one of them."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    return True if text in YES_WORDS else False if text in NO_WORDS else None


def load_yaml(path: Path, what: str) -> Any:
    """UTF-8 as written by most editors, or Windows-1252 as Notepad and Excel save it on Dutch Windows."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # PyYAML's own text is English and technical: say where, and what usually causes it.
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""
        raise ConfigError(
            f"{what} {Path(path).name} kan niet worden gelezen: er klopt iets niet{where}. Meestal is het een "
            "inspringing die niet gelijk is aan de regels erboven, een tab in plaats van spaties, of een tekst "
            "met een dubbele punt, # of aanhalingsteken die niet tussen aanhalingstekens staat (zet hem dan "
            "tussen \"...\")."
        ) from exc
