"""Files that ship with the program: the report templates and the standard questionnaires with their codebooks.

In a checkout (and an editable install) they stay at the repository root, `templates/` and `questionnaires/`, where
the project's layout promises them. A built wheel carries the same folders inside the package (pyproject.toml maps
them to `monitor_aoj/templates` and `monitor_aoj/questionnaires`), so an installed program finds them from any
working folder, without a checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The shipped folder `name` ("templates" or "questionnaires"): inside the installed package, else at the root
    of the checkout this module runs from. Returns the package path when neither exists, so a broken installation
    fails on a path that says where the folder was expected."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE / name


TEMPLATES = folder("templates")
QUESTIONNAIRES = folder("questionnaires")
